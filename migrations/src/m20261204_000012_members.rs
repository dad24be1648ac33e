//! Several members per employer organisation: a member invites a colleague by e-mail; the link
//! (only its hash stored, 14 days) lets the colleague create their account inside the
//! organisation, its address proven by the link itself.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &str = r#"
CREATE TABLE organisation_invitations (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id integer NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email text NOT NULL,
    token_hash text NOT NULL,
    invited_by_user_id integer REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    CONSTRAINT uq_organisation_invitations_hash UNIQUE (token_hash)
);
CREATE INDEX ix_organisation_invitations_org ON organisation_invitations (organisation_id);
"#;

const SQLITE_UP: &str = r#"
CREATE TABLE organisation_invitations (
    id integer PRIMARY KEY AUTOINCREMENT,
    organisation_id integer NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email text NOT NULL,
    token_hash text NOT NULL,
    invited_by_user_id integer REFERENCES users (id) ON DELETE SET NULL,
    created_at text NOT NULL,
    expires_at text NOT NULL,
    accepted_at text,
    CONSTRAINT uq_organisation_invitations_hash UNIQUE (token_hash)
);
CREATE INDEX ix_organisation_invitations_org ON organisation_invitations (organisation_id);
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
            .execute_unprepared("DROP TABLE organisation_invitations")
            .await?;
        Ok(())
    }
}
