//! The search change log, replacing the search outbox: an append-only log of every change the
//! search indexes must follow, read by every server instance, each into its own index.
//!
//! The outbox was a queue the one index deleted from; with several instances, each change
//! reached the one instance that happened to drain it first. Now no instance deletes what
//! another has not applied: each records how far it has applied the log in its own index's
//! commit and reports it in `search_replicas`; rows below every live instance's mark and older
//! than the retention window are pruned, and `search_log_floor` remembers how far, so an
//! instance that was away longer than that knows to rebuild (see ARCHITECTURE.md).
//!
//! The order key on PostgreSQL is the writing transaction's id (`tx`), not the row id: an
//! instance reads only what committed transactions wrote, and treats every transaction older
//! than the oldest one still running (`pg_snapshot_xmin`) as finished. On SQLite writers are
//! serialised by the database lock, so row ids arrive in commit order and the id is the key.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &str = r#"
DROP TABLE search_outbox;
CREATE TABLE search_changes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tx bigint NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    kind text NOT NULL,
    record_id integer NOT NULL,
    queued_at timestamptz NOT NULL
);
CREATE INDEX ix_search_changes_tx ON search_changes (tx, id);
CREATE INDEX ix_search_changes_queued_at ON search_changes (queued_at);
CREATE FUNCTION search_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('search_changes', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER search_changes_notify AFTER INSERT ON search_changes
    FOR EACH STATEMENT EXECUTE FUNCTION search_changes_notify();
CREATE TABLE search_replicas (
    replica text PRIMARY KEY,
    mark bigint NOT NULL,
    schema_version integer NOT NULL,
    started_at timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
);
CREATE TABLE search_log_floor (
    id smallint PRIMARY KEY CHECK (id = 1),
    below bigint NOT NULL
);
INSERT INTO search_log_floor (id, below) VALUES (1, 0);
"#;

const SQLITE_UP: &str = r#"
DROP TABLE search_outbox;
CREATE TABLE search_changes (
    id integer PRIMARY KEY AUTOINCREMENT,
    kind text NOT NULL,
    record_id integer NOT NULL,
    queued_at text NOT NULL
);
CREATE INDEX ix_search_changes_queued_at ON search_changes (queued_at);
CREATE TABLE search_replicas (
    replica text PRIMARY KEY,
    mark bigint NOT NULL,
    schema_version integer NOT NULL,
    started_at text NOT NULL,
    heartbeat_at text NOT NULL
);
CREATE TABLE search_log_floor (
    id integer PRIMARY KEY CHECK (id = 1),
    below bigint NOT NULL
);
INSERT INTO search_log_floor (id, below) VALUES (1, 0);
"#;

const POSTGRES_DOWN: &str = r#"
DROP TABLE search_log_floor;
DROP TABLE search_replicas;
DROP TABLE search_changes;
DROP FUNCTION search_changes_notify();
CREATE TABLE search_outbox (
    id serial PRIMARY KEY,
    kind varchar NOT NULL,
    record_id integer NOT NULL,
    queued_at timestamptz NOT NULL
);
"#;

const SQLITE_DOWN: &str = r#"
DROP TABLE search_log_floor;
DROP TABLE search_replicas;
DROP TABLE search_changes;
CREATE TABLE search_outbox (
    id integer PRIMARY KEY AUTOINCREMENT,
    kind varchar NOT NULL,
    record_id integer NOT NULL,
    queued_at text NOT NULL
);
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // AUTOINCREMENT on SQLite: ids are never reused after pruning, so a mark stays valid
        let sql = match manager.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES_UP,
            _ => SQLITE_UP,
        };
        manager.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES_DOWN,
            _ => SQLITE_DOWN,
        };
        manager.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }
}
