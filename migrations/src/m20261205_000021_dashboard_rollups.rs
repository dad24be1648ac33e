//! The programme dashboard's rollups (see [`crate::dashboard_rollups`]): their tables, the
//! triggers that keep them, and a first fill from the applications already there. The counted
//! rule starts as the saved programme settings, or as their defaults (the same as
//! `domain::programme::Settings::default`; a test in `app` holds the two together).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::Statement;

use crate::dashboard_rollups::{self as rollups, Dialect};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The counted rule when no settings were saved.
pub const DEFAULT_COUNTED_STAGE: &str = "arrived";
pub const DEFAULT_COUNTED_ROUTES: [&str; 2] =
    ["engineer_specialist", "highly_skilled_professional"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let d = Dialect(manager.get_database_backend());
        rollups::hold_applications(db).await?;
        db.execute_unprepared(&rollups::create_tables(d)).await?;
        let saved = db
            .query_one(Statement::from_string(
                d.0,
                "SELECT counted_stage, counted_routes FROM programme_settings WHERE id = 1",
            ))
            .await?;
        let (stage, routes) = match saved {
            Some(row) => {
                let stage: String = row.try_get_by_index(0)?;
                let routes: String = row.try_get_by_index(1)?;
                // a JSON array of codes, as the settings store it
                let routes = routes
                    .trim_matches(|c| c == '[' || c == ']')
                    .split(',')
                    .map(|r| r.trim().trim_matches('"').to_owned())
                    .filter(|r| !r.is_empty())
                    .collect();
                (stage, routes)
            }
            None => (
                DEFAULT_COUNTED_STAGE.to_owned(),
                DEFAULT_COUNTED_ROUTES.map(str::to_owned).to_vec(),
            ),
        };
        db.execute_unprepared(&rollups::refill_slices(d)).await?;
        rollups::rebuild_counted(db, &stage, &routes).await?;
        db.execute_unprepared(&rollups::create_triggers(d)).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let d = Dialect(manager.get_database_backend());
        // one string, so one connection (see migration 23)
        db.execute_unprepared(&format!(
            "{}; {}",
            rollups::drop_triggers(d),
            rollups::drop_tables()
        ))
        .await?;
        Ok(())
    }
}
