//! The engineer's education, employment history and qualifications (`domain::career::Career`),
//! as JSON on the profile: read and written whole with it (the 履歴書, the 職務経歴書, the
//! points), never queried row by row, and erased and exported with the profile row.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE engineer_profiles ADD COLUMN career text NOT NULL DEFAULT '{}'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE engineer_profiles DROP COLUMN career")
            .await?;
        Ok(())
    }
}
