//! The engineer's education, employment history and qualifications (`domain::career::Career`),
//! and what the application documents need besides (`domain::documents::DocumentDetails`: the
//! name in katakana, address, telephone, the free-text boxes, 西暦 or 和暦), as JSON on the
//! profile: read and written whole with it (the 履歴書, the 職務経歴書, the points), never
//! queried row by row, and erased and exported with the profile row.

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
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE engineer_profiles ADD COLUMN documents text NOT NULL DEFAULT '{}'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE engineer_profiles DROP COLUMN documents")
            .await?;
        manager
            .get_connection()
            .execute_unprepared("ALTER TABLE engineer_profiles DROP COLUMN career")
            .await?;
        Ok(())
    }
}
