//! The optional photo of the 履歴書: one per engineer, in its own table so that profile reads
//! never carry image bytes; JPEG or PNG as uploaded (checked and bounded on the way in), erased
//! with the account and exported with the person's data.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &str = r#"
CREATE TABLE profile_photos (
    user_id integer PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    content_type text NOT NULL,
    bytes bytea NOT NULL,
    updated_at timestamptz NOT NULL
);
"#;

const SQLITE_UP: &str = r#"
CREATE TABLE profile_photos (
    user_id integer PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    content_type text NOT NULL,
    bytes blob NOT NULL,
    updated_at text NOT NULL
);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES_UP,
            _ => SQLITE_UP,
        };
        manager.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE profile_photos")
            .await?;
        Ok(())
    }
}
