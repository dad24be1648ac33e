//! Application changes in the change log (`search_changes`), for the dashboard's columns: each
//! server instance keeps the applications' dashboard columns in memory (`app::admin::stats::
//! columns`) and follows the log to stay equal to the table, as its search index does.
//!
//! Triggers write the log, as they write the rollups, so that every writer is followed: a move,
//! the closing sweep, an erasure, a test's direct update. A row is logged when one of the
//! columns the dashboard reads changes. A bulk load that defers the rollups
//! ([`dashboard_rollups::DEFER_SETTING`]) logs one `application_all` row per statement
//! instead of one per application: an instance that reads it loads every application again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::dashboard_rollups::{COLUMNS, DEFER_SETTING};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The log's kind for one application (its id in `record_id`).
pub const KIND_APPLICATION: &str = "application";
/// The log's kind for "every application may have changed" (`record_id` 0).
pub const KIND_EVERY_APPLICATION: &str = "application_all";

fn postgres_up() -> String {
    let old = COLUMNS.map(|c| format!("o.{c}")).join(", ");
    let new = COLUMNS.map(|c| format!("n.{c}")).join(", ");
    let function = |name: &str, ids: String| {
        format!(
            "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$ \
             BEGIN \
               IF current_setting('{DEFER_SETTING}', true) = 'off' THEN \
                 INSERT INTO search_changes (kind, record_id, queued_at) \
                   VALUES ('{KIND_EVERY_APPLICATION}', 0, now()); \
                 RETURN NULL; \
               END IF; \
               INSERT INTO search_changes (kind, record_id, queued_at) \
                 SELECT '{KIND_APPLICATION}', id, now() FROM ({ids}) AS changed; \
               RETURN NULL; \
             END $body$;"
        )
    };
    [
        function(
            "application_changes_inserted",
            "SELECT id FROM new_rows".to_owned(),
        ),
        function(
            "application_changes_updated",
            format!(
                "SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id \
                 WHERE ({old}) IS DISTINCT FROM ({new})"
            ),
        ),
        function(
            "application_changes_deleted",
            "SELECT id FROM old_rows".to_owned(),
        ),
        "CREATE TRIGGER application_changes_inserted AFTER INSERT ON applications \
         REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT \
         EXECUTE FUNCTION application_changes_inserted();"
            .to_owned(),
        "CREATE TRIGGER application_changes_updated AFTER UPDATE ON applications \
         REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT \
         EXECUTE FUNCTION application_changes_updated();"
            .to_owned(),
        "CREATE TRIGGER application_changes_deleted AFTER DELETE ON applications \
         REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT \
         EXECUTE FUNCTION application_changes_deleted();"
            .to_owned(),
    ]
    .join("\n")
}

fn sqlite_up() -> String {
    // the text sqlx writes for a UTC time, so the log's pruning compares like with like
    let now = "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')";
    let log = |row: &str| {
        format!(
            "INSERT INTO search_changes (kind, record_id, queued_at) \
             VALUES ('{KIND_APPLICATION}', {row}.id, {now});"
        )
    };
    let differs = COLUMNS
        .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
        .join(" OR ");
    format!(
        "CREATE TRIGGER application_changes_inserted AFTER INSERT ON applications \
         FOR EACH ROW BEGIN {inserted} END;
         CREATE TRIGGER application_changes_updated AFTER UPDATE ON applications \
         FOR EACH ROW WHEN {differs} BEGIN {updated} END;
         CREATE TRIGGER application_changes_deleted AFTER DELETE ON applications \
         FOR EACH ROW BEGIN {deleted} END;",
        inserted = log("NEW"),
        updated = log("NEW"),
        deleted = log("OLD"),
    )
}

const POSTGRES_DOWN: &str = "
DROP TRIGGER application_changes_inserted ON applications;
DROP TRIGGER application_changes_updated ON applications;
DROP TRIGGER application_changes_deleted ON applications;
DROP FUNCTION application_changes_inserted();
DROP FUNCTION application_changes_updated();
DROP FUNCTION application_changes_deleted();
";

const SQLITE_DOWN: &str = "
DROP TRIGGER application_changes_inserted;
DROP TRIGGER application_changes_updated;
DROP TRIGGER application_changes_deleted;
";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres_up(),
            _ => sqlite_up(),
        };
        manager.get_connection().execute_unprepared(&sql).await?;
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
