//! The index the dashboard reads its top employers from (see
//! [`crate::dashboard_rollups::create_top_employers_index`]).

use sea_orm_migration::prelude::*;

use crate::dashboard_rollups::{self as rollups, Dialect};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let d = Dialect(manager.get_database_backend());
        manager
            .get_connection()
            .execute_unprepared(&rollups::create_top_employers_index(d))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(&format!("DROP INDEX {}", rollups::TOP_EMPLOYERS_INDEX))
            .await?;
        Ok(())
    }
}
