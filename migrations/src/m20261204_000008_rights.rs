//! People's rights over their data.
//!
//! `consents`: every consent to share an engineer's contact details with the organisation of one
//! application, and every withdrawal — who, for what, with the text shown — append-only.
//! `applications.contact_shared` is the current answer, kept beside the application so that every
//! page and endpoint that shows it reads one column.
//!
//! `users.erased_at`: an erased account is a tombstone without personal data, kept so that the
//! programme's statistics (applications' stages, dates and copied dimensions) stay whole.
//! `users.email_verified_at`: an address is proven by following a link; accounts that existed
//! before this migration count as verified (they signed up under the earlier terms).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &str = r#"
CREATE TABLE consents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id integer NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    organisation_id integer NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    purpose text NOT NULL,
    granted boolean NOT NULL,
    text_shown text NOT NULL,
    language text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX ix_consents_user ON consents (user_id, id);
ALTER TABLE applications ADD COLUMN contact_shared boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN erased_at timestamptz;
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
UPDATE users SET email_verified_at = created_at;
"#;

const SQLITE_UP: &str = r#"
CREATE TABLE consents (
    id integer PRIMARY KEY AUTOINCREMENT,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    application_id integer NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    organisation_id integer NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    purpose text NOT NULL,
    granted boolean NOT NULL,
    text_shown text NOT NULL,
    language text NOT NULL,
    at text NOT NULL
);
CREATE INDEX ix_consents_user ON consents (user_id, id);
ALTER TABLE applications ADD COLUMN contact_shared boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN erased_at text;
ALTER TABLE users ADD COLUMN email_verified_at text;
UPDATE users SET email_verified_at = created_at;
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
        conn.execute_unprepared("DROP TABLE consents").await?;
        for (table, column) in [
            ("applications", "contact_shared"),
            ("users", "erased_at"),
            ("users", "email_verified_at"),
        ] {
            conn.execute_unprepared(&format!("ALTER TABLE {table} DROP COLUMN {column}"))
                .await?;
        }
        Ok(())
    }
}
