//! Yearly employer slices (see [`crate::dashboard_rollups::GRAIN_YEAR`]): their kinds, the
//! triggers again (their period now has a yearly branch), a refill that adds the yearly rows,
//! and the index a year's top employers are read from. A new database has the kinds and the
//! triggers from migration 21 already; adding them again changes nothing.

use sea_orm_migration::prelude::*;

use crate::dashboard_rollups::{self as rollups, Dialect};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let d = Dialect(manager.get_database_backend());
        rollups::hold_applications(db).await?;
        // one string, so one connection: SQLite (no transaction around a migration) checks a
        // trigger's name against the schema its connection has cached, and another pooled
        // connection may not yet have seen the drop ("trigger … already exists")
        db.execute_unprepared(&format!(
            "{}; {}; {}; {}; {}",
            rollups::drop_triggers(d),
            rollups::add_kinds(&rollups::yearly_kinds()),
            rollups::refill_slices(d),
            rollups::create_triggers(d),
            rollups::create_yearly_top_employers_index(d)
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "DROP INDEX {}; DELETE FROM dashboard_slices WHERE grain = {}; \
             DELETE FROM dashboard_slice_kinds WHERE grain = {}",
            rollups::YEARLY_TOP_EMPLOYERS_INDEX,
            rollups::GRAIN_YEAR,
            rollups::GRAIN_YEAR
        ))
        .await?;
        // the triggers' yearly branch stays: without yearly kinds it makes no rows
        Ok(())
    }
}
