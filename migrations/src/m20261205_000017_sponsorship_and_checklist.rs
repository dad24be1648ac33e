//! The organisation's sponsorship profile (`domain::sponsorship::Sponsorship`: SME figures,
//! innovation support, research spending, how it sponsors a hire, its immigration category) as
//! JSON on the organisation, read whole for the points and the review; and the Certificate of
//! Eligibility checklist's ticks per application: which document (a key of
//! `domain/data/coe-checklist.toml`) who marked provided, and when.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &str = r#"
ALTER TABLE organisations ADD COLUMN sponsorship text NOT NULL DEFAULT '{}';
CREATE TABLE checklist_ticks (
    application_id integer NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    item_key text NOT NULL,
    ticked_by_user_id integer REFERENCES users (id) ON DELETE SET NULL,
    ticked_at timestamptz NOT NULL,
    PRIMARY KEY (application_id, item_key)
);
"#;

const SQLITE_UP: &str = r#"
ALTER TABLE organisations ADD COLUMN sponsorship text NOT NULL DEFAULT '{}';
CREATE TABLE checklist_ticks (
    application_id integer NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    item_key text NOT NULL,
    ticked_by_user_id integer REFERENCES users (id) ON DELETE SET NULL,
    ticked_at text NOT NULL,
    PRIMARY KEY (application_id, item_key)
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
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP TABLE checklist_ticks")
            .await?;
        conn.execute_unprepared("ALTER TABLE organisations DROP COLUMN sponsorship")
            .await?;
        Ok(())
    }
}
