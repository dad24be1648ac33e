//! Each signed-in device: the sessions page lists them and ends them, and a sign-in from a
//! device not seen before can be told by e-mail.
//!
//! A session's record (tower-sessions) carries a random `device_key`; this table keeps, per key,
//! the account, the browser's own description of itself, when it signed in and was last seen,
//! and when it was signed out from elsewhere (`ended_at`: the session then counts as none).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &str = r#"
CREATE TABLE user_sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_key text NOT NULL,
    user_agent text NOT NULL,
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    ended_at timestamptz,
    CONSTRAINT uq_user_sessions_device_key UNIQUE (device_key)
);
CREATE INDEX ix_user_sessions_user ON user_sessions (user_id, last_seen_at);
"#;

const SQLITE_UP: &str = r#"
CREATE TABLE user_sessions (
    id integer PRIMARY KEY AUTOINCREMENT,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_key text NOT NULL,
    user_agent text NOT NULL,
    created_at text NOT NULL,
    last_seen_at text NOT NULL,
    ended_at text,
    CONSTRAINT uq_user_sessions_device_key UNIQUE (device_key)
);
CREATE INDEX ix_user_sessions_user ON user_sessions (user_id, last_seen_at);
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
            .execute_unprepared("DROP TABLE user_sessions")
            .await?;
        Ok(())
    }
}
