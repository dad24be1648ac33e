//! Retention: a profile untouched for long is hidden from search until its owner comes back
//! (`engineer_profiles.dormant_since`), and a closed application is stripped of its free text
//! after a while (`applications.anonymised_at`), keeping what the programme counts.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let timestamp = match manager.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => "timestamptz",
            _ => "text",
        };
        for statement in [
            format!("ALTER TABLE engineer_profiles ADD COLUMN dormant_since {timestamp}"),
            format!("ALTER TABLE applications ADD COLUMN anonymised_at {timestamp}"),
        ] {
            conn.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("ALTER TABLE applications DROP COLUMN anonymised_at")
            .await?;
        conn.execute_unprepared("ALTER TABLE engineer_profiles DROP COLUMN dormant_since")
            .await?;
        Ok(())
    }
}
