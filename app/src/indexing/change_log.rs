//! The change log (`search_changes`): every change an instance's derived state must follow,
//! appended in the change's own transaction and read by every server instance: into its own
//! search index, and (the applications, logged by triggers) into its own dashboard columns
//! (`admin::stats::columns`). Nothing here deletes a row an instance's index still needs: see
//! [`prune`].
//!
//! Rows are read in the order of a *key* that makes a high-water mark safe:
//! - on PostgreSQL the id of the writing transaction (`tx`). A row id is taken when the row is
//!   inserted, but the row becomes visible when its transaction commits, so a lower id can
//!   appear after a higher one was read. Transaction ids have the same gap, but PostgreSQL tells
//!   us where it ends: every transaction older than the current snapshot's `xmin` has finished,
//!   and any transaction that writes later gets a larger id. So "every row with `tx` below the
//!   xmin has been read" is a mark that can never be invalidated.
//! - on SQLite the row id: writers hold the database lock from their first write to commit, so
//!   ids are handed out in commit order and the highest id read is a safe mark.
//!
//! A [`Mark`] says: every row with a key below it has been applied to the index (and
//! committed). Rows at or above it that were already applied are remembered in memory by the
//! [`Indexer`](super::Indexer), so a long transaction that holds the mark back does not delay
//! anyone else's change.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement, Value};

use migrations::m20261206_000025_application_changes::{KIND_APPLICATION, KIND_EVERY_APPLICATION};

/// What a log row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queued {
    Engineer,
    Role,
    /// An organisation whose verification or details changed: all its roles follow.
    Organisation,
    /// An application whose dashboard columns changed (logged by the database's triggers):
    /// the dashboard's columns follow it, the search index does not.
    Application,
    /// Every application may have changed (a bulk load, logged once per statement).
    EveryApplication,
    /// The programme's settings or the dashboard's rollups changed without an application
    /// moving (a settings change recounts the people counted; an operator's rebuild): the
    /// dashboard's kept views are computed again (`admin::stats::kept`). `record_id` is 0.
    Dashboard,
}

impl Queued {
    fn code(self) -> &'static str {
        match self {
            Queued::Engineer => "engineer",
            Queued::Role => "role",
            Queued::Organisation => "organisation",
            Queued::Application => KIND_APPLICATION,
            Queued::EveryApplication => KIND_EVERY_APPLICATION,
            Queued::Dashboard => "dashboard",
        }
    }

    fn parse(code: &str) -> Option<Queued> {
        match code {
            "engineer" => Some(Queued::Engineer),
            "role" => Some(Queued::Role),
            "organisation" => Some(Queued::Organisation),
            KIND_APPLICATION => Some(Queued::Application),
            KIND_EVERY_APPLICATION => Some(Queued::EveryApplication),
            "dashboard" => Some(Queued::Dashboard),
            _ => None,
        }
    }
}

/// How far an index has applied the log: every row whose key is below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mark(pub i64);

impl Mark {
    const PAYLOAD_FIELD: &'static str = "change_log_mark";

    /// The tantivy commit payload that records this mark with the documents it covers.
    pub fn payload(self) -> String {
        serde_json::json!({ Self::PAYLOAD_FIELD: self.0 }).to_string()
    }

    /// The mark recorded in a commit payload; `None` for an index that has none (a new index,
    /// or one written before the change log).
    pub fn from_payload(payload: Option<&str>) -> Option<Mark> {
        let value: serde_json::Value = serde_json::from_str(payload?).ok()?;
        value.get(Self::PAYLOAD_FIELD)?.as_i64().map(Mark)
    }
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    /// The order key (see the module documentation).
    pub key: i64,
    /// `None` for a kind this version does not know (written by a newer one): skipped.
    pub kind: Option<Queued>,
    pub record_id: i32,
}

/// A statement written for PostgreSQL with `{key}` for the order key, adapted to the backend.
fn statement(db: &impl ConnectionTrait, postgres_sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => postgres_sql.replace("{key}", "tx"),
        // SQLite numbers its parameters ?1, ?2…; the key is the row id
        _ => (1..=9)
            .rev()
            .fold(postgres_sql.replace("{key}", "id"), |sql, n| {
                sql.replace(&format!("${n}"), &format!("?{n}"))
            }),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Appends a change to the log. Call it inside the transaction that makes the change, so the
/// log holds exactly the committed changes.
pub async fn record(db: &impl ConnectionTrait, kind: Queued, record_id: i32) -> Result<(), DbErr> {
    db.execute(statement(
        db,
        "INSERT INTO search_changes (kind, record_id, queued_at) VALUES ($1, $2, $3)",
        vec![
            kind.code().into(),
            record_id.into(),
            chrono::Utc::now().into(),
        ],
    ))
    .await
    .map(|_| ())
}

async fn single_i64(db: &impl ConnectionTrait, statement: Statement) -> Result<i64, DbErr> {
    let row = db
        .query_one(statement)
        .await?
        .ok_or_else(|| DbErr::Custom("the query returned no row".to_owned()))?;
    row.try_get_by_index::<Option<i64>>(0)
        .map(Option::unwrap_or_default)
}

/// The highest mark a reader may advance to once it has read every row below it: on
/// PostgreSQL the oldest transaction still running (every older one has finished, and a
/// transaction that has not written yet will get a larger id); on SQLite one past the last id
/// issued.
/// Read it *before* the rows it covers.
pub async fn horizon(db: &impl ConnectionTrait) -> Result<Mark, DbErr> {
    let sql = format!("SELECT {}", horizon_expression(db.get_database_backend()));
    single_i64(db, Statement::from_string(db.get_database_backend(), sql))
        .await
        .map(Mark)
}

/// The SQL of the [`horizon`].
fn horizon_expression(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => "pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
        // the highest id ever issued (AUTOINCREMENT keeps it), not the highest still present:
        // after pruning the log may be empty while the floor is above 1
        _ => "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'search_changes'), 0) + 1",
    }
}

/// Whether anything of the `kinds` (one to eight) may have changed since `since`, a [`horizon`]
/// read before what it covers was read: the log holds such an entry at or above it, or was
/// pruned past it. With the horizon now, read in the same statement (so before anything read
/// after this call). One statement; the entries above a recent horizon are few, and found by
/// the log's index on its key.
pub async fn changed_since(
    db: &impl ConnectionTrait,
    since: Mark,
    kinds: &[Queued],
) -> Result<(bool, Mark), DbErr> {
    // the statement numbers its parameters up to $9
    debug_assert!((1..=8).contains(&kinds.len()));
    let places: Vec<String> = (2..2 + kinds.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT CAST(CASE WHEN EXISTS (SELECT 1 FROM search_changes \
                 WHERE {{key}} >= $1 AND kind IN ({})) \
             OR COALESCE((SELECT below FROM search_log_floor WHERE id = 1), 0) > $1 \
             THEN 1 ELSE 0 END AS BIGINT), {}",
        places.join(", "),
        horizon_expression(db.get_database_backend())
    );
    let values = std::iter::once(since.0.into())
        .chain(kinds.iter().map(|k| k.code().into()))
        .collect();
    let row = db
        .query_one(statement(db, &sql, values))
        .await?
        .ok_or_else(|| DbErr::Custom("the query returned no row".to_owned()))?;
    let changed: i64 = row.try_get_by_index(0)?;
    let horizon: i64 = row.try_get_by_index(1)?;
    Ok((changed != 0, Mark(horizon)))
}

/// Up to `limit` rows after `(key, id)` in key order, from the start of `mark` with `(mark, 0)`.
pub async fn read_after(
    db: &impl ConnectionTrait,
    after: (i64, i64),
    limit: u64,
) -> Result<Vec<Entry>, DbErr> {
    let rows = db
        .query_all(statement(
            db,
            "SELECT id, {key} AS key, kind, record_id FROM search_changes \
             WHERE ({key}, id) > ($1, $2) ORDER BY {key}, id LIMIT $3",
            vec![after.0.into(), after.1.into(), (limit as i64).into()],
        ))
        .await?;
    rows.into_iter()
        .map(|row| {
            let kind: String = row.try_get("", "kind")?;
            Ok(Entry {
                id: row.try_get("", "id")?,
                key: row.try_get("", "key")?,
                kind: Queued::parse(&kind),
                record_id: row.try_get("", "record_id")?,
            })
        })
        .collect()
}

/// The newest row's id: how far the log has been written (for the lag metric).
pub async fn head(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    single_i64(
        db,
        Statement::from_string(
            db.get_database_backend(),
            "SELECT MAX(id) FROM search_changes",
        ),
    )
    .await
}

/// How many rows at or above `mark` the log holds, and how long ago the oldest was written.
pub async fn pending(
    db: &impl ConnectionTrait,
    mark: Mark,
) -> Result<(i64, Option<Duration>), DbErr> {
    let row = db
        .query_one(statement(
            db,
            "SELECT COUNT(*) AS rows, MIN(queued_at) AS oldest FROM search_changes WHERE {key} >= $1",
            vec![mark.0.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("the query returned no row".to_owned()))?;
    let rows: i64 = row.try_get("", "rows")?;
    let oldest: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "oldest")?;
    let age = oldest.map(|t| (chrono::Utc::now() - t).to_std().unwrap_or_default());
    Ok((rows, age))
}

/// Below this mark rows may have been pruned: an index whose mark is lower cannot catch up
/// from the log and must be rebuilt from the tables.
pub async fn floor(db: &impl ConnectionTrait) -> Result<Mark, DbErr> {
    single_i64(
        db,
        Statement::from_string(
            db.get_database_backend(),
            "SELECT below FROM search_log_floor WHERE id = 1",
        ),
    )
    .await
    .map(Mark)
}

/// Reports this instance's durable mark (the one in its index's last commit) and that it is
/// alive.
pub async fn heartbeat(
    db: &impl ConnectionTrait,
    replica: &str,
    mark: Mark,
    schema_version: u32,
) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    db.execute(statement(
        db,
        "INSERT INTO search_replicas (replica, mark, schema_version, started_at, heartbeat_at) \
         VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (replica) DO UPDATE SET mark = excluded.mark, \
         schema_version = excluded.schema_version, heartbeat_at = excluded.heartbeat_at",
        vec![
            replica.into(),
            mark.0.into(),
            i64::from(schema_version).into(),
            now.into(),
        ],
    ))
    .await
    .map(|_| ())
}

/// When rows may go.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// Rows are kept at least this long, so an instance away for less catches up from the log.
    pub keep: Duration,
    /// An instance that has not reported for this long no longer holds rows back (it rebuilds
    /// when it returns, if its rows are gone).
    pub live: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            keep: Duration::from_secs(3 * 24 * 3600),
            live: Duration::from_secs(15 * 60),
        }
    }
}

/// Deletes the rows every live instance has applied and that are older than the retention,
/// and raises the floor past them; returns how many went. Safe to run on several instances at
/// once (each step is one statement; the floor only rises).
pub async fn prune(db: &impl ConnectionTrait, retention: Retention) -> Result<u64, DbErr> {
    let now = chrono::Utc::now();
    let ago = |d: Duration| now - chrono::Duration::from_std(d).unwrap_or_default();
    let live_marks = db
        .query_one(statement(
            db,
            "SELECT MIN(mark) FROM search_replicas WHERE heartbeat_at > $1",
            vec![ago(retention.live).into()],
        ))
        .await?
        .map(|row| row.try_get_by_index::<Option<i64>>(0))
        .transpose()?
        .flatten();
    // with no live instance there is no one to prune for
    let Some(below) = live_marks else {
        return Ok(0);
    };
    let cutoff = ago(retention.keep);
    let newest = db
        .query_one(statement(
            db,
            "SELECT MAX({key}) FROM search_changes WHERE {key} < $1 AND queued_at < $2",
            vec![below.into(), cutoff.into()],
        ))
        .await?
        .map(|row| row.try_get_by_index::<Option<i64>>(0))
        .transpose()?
        .flatten();
    let Some(newest) = newest else {
        return Ok(0);
    };
    // the floor first: an instance that reads it after the rows went must see it raised
    db.execute(statement(
        db,
        "UPDATE search_log_floor SET below = $1 WHERE id = 1 AND below < $1",
        vec![(newest + 1).into()],
    ))
    .await?;
    let deleted = db
        .execute(statement(
            db,
            "DELETE FROM search_changes WHERE {key} <= $1 AND queued_at < $2",
            vec![newest.into(), cutoff.into()],
        ))
        .await?;
    Ok(deleted.rows_affected())
}
