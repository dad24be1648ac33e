//! A role's own sector: an automotive role of a semiconductor company is filed under
//! automotive. Empty (NULL) files the role under its organisation's sector, as every role was
//! before, so existing roles need no backfill and follow their organisation if it changes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE roles ADD COLUMN sector text")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE roles DROP COLUMN sector")
            .await?;
        Ok(())
    }
}
