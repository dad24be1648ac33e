//! Outgoing mail as durable jobs, and single-use account tokens (password reset).
//!
//! `mail_jobs`: every message to send, written in the transaction of what caused it, sent by a
//! background task on some instance (claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so two
//! instances never take the same job), retried with back-off, failures kept for administrators.
//! `dedupe_key` (unique) makes "once per threshold" messages idempotent across instances.
//!
//! `account_tokens`: only a SHA-256 of each token is stored; the token itself exists only in the
//! message that carries it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &str = r#"
CREATE TABLE mail_jobs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer REFERENCES users (id) ON DELETE SET NULL,
    to_address text NOT NULL,
    kind text NOT NULL,
    subject text NOT NULL,
    body_text text NOT NULL,
    body_html text NOT NULL,
    unsubscribe_url text,
    dedupe_key text,
    status text NOT NULL DEFAULT 'queued',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until timestamptz,
    last_error text,
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    CONSTRAINT uq_mail_jobs_dedupe_key UNIQUE (dedupe_key)
);
CREATE INDEX ix_mail_jobs_due ON mail_jobs (status, next_attempt_at);
CREATE TABLE account_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose text NOT NULL,
    token_hash text NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL,
    CONSTRAINT uq_account_tokens_hash UNIQUE (token_hash)
);
CREATE INDEX ix_account_tokens_user ON account_tokens (user_id);
"#;

const SQLITE_UP: &str = r#"
CREATE TABLE mail_jobs (
    id integer PRIMARY KEY AUTOINCREMENT,
    user_id integer REFERENCES users (id) ON DELETE SET NULL,
    to_address text NOT NULL,
    kind text NOT NULL,
    subject text NOT NULL,
    body_text text NOT NULL,
    body_html text NOT NULL,
    unsubscribe_url text,
    dedupe_key text,
    status text NOT NULL DEFAULT 'queued',
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at text NOT NULL,
    locked_until text,
    last_error text,
    created_at text NOT NULL,
    sent_at text,
    CONSTRAINT uq_mail_jobs_dedupe_key UNIQUE (dedupe_key)
);
CREATE INDEX ix_mail_jobs_due ON mail_jobs (status, next_attempt_at);
CREATE TABLE account_tokens (
    id integer PRIMARY KEY AUTOINCREMENT,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose text NOT NULL,
    token_hash text NOT NULL,
    expires_at text NOT NULL,
    used_at text,
    created_at text NOT NULL,
    CONSTRAINT uq_account_tokens_hash UNIQUE (token_hash)
);
CREATE INDEX ix_account_tokens_user ON account_tokens (user_id);
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
            .execute_unprepared("DROP TABLE account_tokens; DROP TABLE mail_jobs;")
            .await?;
        Ok(())
    }
}
