//! Keeping an instance's dashboard [columns](super::columns) equal to the applications: one
//! load from a snapshot of the table, then, before a view reads rows, the applications the
//! change log names since (the triggers of migration 25 log every change to a column the dashboard reads),
//! read again as they now are.
//!
//! The log's order key makes the high-water mark safe, as for the search index (see
//! `indexing::change_log`): the load reads the table in one snapshot and takes its horizon from
//! the same snapshot, so every change the snapshot lacks is logged at or above the mark. Reading
//! a row again is idempotent, so entries read twice do no harm. A bulk load (one
//! `application_all` entry), more changes than a load costs, or a log pruned past the mark
//! load the whole table again.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use sea_orm::sea_query::{Alias, Expr, Order, Query, SelectStatement};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, QueryResult, TransactionTrait,
};
use tokio::sync::{Mutex, OwnedRwLockReadGuard, RwLock};

use super::columns::{RawRow, Table, Unheld, CODED};
use super::{col, day, text};
use crate::indexing::change_log::{self, Mark, Queued};
use migrations::dashboard_rollups::Dialect;

/// Rows read per statement while loading.
const LOAD_PAGE: u64 = 20_000;
/// Log entries read per statement while catching up.
const LOG_PAGE: u64 = 10_000;
/// Ids per `IN` list when reading changed rows again.
const IN_LIST: usize = 1_000;
/// More changed applications than this and the whole table is loaded again (cheaper than
/// reading them one list at a time).
const RELOAD_ABOVE: usize = 100_000;

/// The columns as loaded and followed up to `mark`.
#[derive(Debug)]
pub struct Followed {
    table: Table,
    /// Every log entry below it is in the table.
    mark: Mark,
}

/// The dashboard's columns of one instance, following the applications.
#[derive(Debug, Default)]
pub struct DashboardColumns {
    followed: Arc<RwLock<Option<Followed>>>,
    /// One load or catch-up at a time.
    following: Mutex<()>,
    /// Set when the table holds what the columns cannot (then every view reads the rows).
    unheld: OnceLock<Unheld>,
    /// Never loaded: every view reads the database's rows (`SETUBASHI_DASHBOARD_COLUMNS=off`,
    /// for an instance short of memory; and the benchmarks' baseline).
    off: bool,
}

/// A view's read of the columns, current as of the view's start; cheap to clone into the
/// blocking tasks that scan it.
pub type Columns = Arc<OwnedRwLockReadGuard<Option<Followed>, Table>>;

/// What a catch-up found.
enum Caught {
    /// These applications as they now are (`None`: gone), and the new mark.
    Changes(Vec<(i32, Option<RawRow>)>, Mark),
    Reload,
}

impl DashboardColumns {
    /// Columns that never load: every view reads the rows from the database.
    pub fn off() -> DashboardColumns {
        DashboardColumns {
            off: true,
            ..Default::default()
        }
    }

    /// The columns with every change committed before this call, loading them on first use.
    /// `None` while another task makes the first load (the view reads the rows meanwhile), or
    /// when the table holds what the columns cannot.
    pub async fn current(&self, db: &DatabaseConnection) -> Result<Option<Columns>, DbErr> {
        if self.off || self.unheld.get().is_some() {
            return Ok(None);
        }
        let loaded = self.followed.read().await.is_some();
        let following = if loaded {
            self.following.lock().await
        } else {
            match self.following.try_lock() {
                Ok(following) => following,
                Err(_) => return Ok(None),
            }
        };
        self.follow(db).await?;
        drop(following);
        let followed = self.followed.clone().read_owned().await;
        Ok(
            OwnedRwLockReadGuard::try_map(followed, |f| f.as_ref().map(|f| &f.table))
                .ok()
                .map(Arc::new),
        )
    }

    /// Loads the columns or brings them up to date (the caller holds `following`).
    async fn follow(&self, db: &DatabaseConnection) -> Result<(), DbErr> {
        let mark = self.followed.read().await.as_ref().map(|f| f.mark);
        let caught = match mark {
            Some(mark) => catch_up(db, mark).await?,
            None => Caught::Reload,
        };
        let result = match caught {
            Caught::Reload => match load(db).await? {
                Ok(followed) => {
                    *self.followed.write().await = Some(followed);
                    Ok(())
                }
                Err(unheld) => Err(unheld),
            },
            Caught::Changes(changes, mark) => {
                let mut followed = self.followed.write().await;
                match followed.as_mut() {
                    Some(f) => {
                        let put = changes
                            .iter()
                            .try_for_each(|(id, row)| f.table.put(*id, row.as_ref()));
                        f.table.index_days();
                        f.mark = mark;
                        put
                    }
                    None => Ok(()),
                }
            }
        };
        if let Err(unheld) = result {
            tracing::warn!(%unheld, "the dashboard reads the applications' rows from now on");
            *self.followed.write().await = None;
            let _ = self.unheld.set(unheld);
        }
        Ok(())
    }
}

/// `SELECT` of the columns, in the table's order of id.
fn columns_query(d: Dialect) -> SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new("applications"))
        .columns(
            ["id", "engineer_user_id", "organisation_id"]
                .into_iter()
                .chain(CODED)
                .map(Alias::new),
        )
        .expr(Expr::cust(d.day_of("applied_at")))
        .columns(
            [
                "offered_on",
                "coe_issued_on",
                "visa_issued_on",
                "registered_on",
                "arrived_on",
            ]
            .map(Alias::new),
        )
        .order_by(Alias::new("id"), Order::Asc);
    q
}

fn raw_row(row: &QueryResult) -> Result<RawRow, DbErr> {
    let id = |i: usize| row.try_get_by_index::<i32>(i);
    let values: [Option<String>; 7] = std::array::from_fn(|i| text(row, 3 + i));
    let applied =
        day(row, 10).ok_or_else(|| DbErr::Custom("an application without a day".into()))?;
    Ok(RawRow {
        id: id(0)?,
        engineer: id(1)?,
        employer: id(2)?,
        values,
        applied,
        offered: day(row, 11),
        coe: day(row, 12),
        visa: day(row, 13),
        registered: day(row, 14),
        arrived: day(row, 15),
    })
}

/// Every application, from one snapshot, with the mark of that snapshot.
async fn load(db: &DatabaseConnection) -> Result<Result<Followed, Unheld>, DbErr> {
    let backend = db.get_database_backend();
    let txn = db.begin().await?;
    if backend == DatabaseBackend::Postgres {
        txn.execute_unprepared("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
    }
    // the first read: the snapshot's horizon (on SQLite, the read that starts the snapshot)
    let mark = change_log::horizon(&txn).await?;
    let count = txn
        .query_one(
            backend.build(
                Query::select()
                    .expr(Expr::cust("count(*)"))
                    .from(Alias::new("applications")),
            ),
        )
        .await?
        .map(|row| super::int(&row, 0))
        .unwrap_or_default();
    let mut table = Table::with_capacity(count as usize);
    let mut after = 0;
    loop {
        let mut q = columns_query(Dialect(backend));
        q.and_where(col("id").gt(after)).limit(LOAD_PAGE);
        let rows = txn.query_all(backend.build(&q)).await?;
        for row in &rows {
            let raw = raw_row(row)?;
            after = raw.id;
            if let Err(unheld) = table.push(&raw) {
                return Ok(Err(unheld));
            }
        }
        if (rows.len() as u64) < LOAD_PAGE {
            break;
        }
    }
    txn.commit().await?;
    table.index_days();
    Ok(Ok(Followed { table, mark }))
}

/// The applications the log names from `mark` on, as they now are.
async fn catch_up(db: &DatabaseConnection, mark: Mark) -> Result<Caught, DbErr> {
    if change_log::floor(db).await? > mark {
        return Ok(Caught::Reload);
    }
    // the horizon before the entries it covers
    let horizon = change_log::horizon(db).await?;
    let mut changed = BTreeSet::new();
    let mut after = (mark.0, 0);
    loop {
        let page = change_log::read_after(db, after, LOG_PAGE).await?;
        for entry in &page {
            match entry.kind {
                Some(Queued::Application) => {
                    changed.insert(entry.record_id);
                }
                Some(Queued::EveryApplication) => return Ok(Caught::Reload),
                _ => {}
            }
        }
        if changed.len() > RELOAD_ABOVE {
            return Ok(Caught::Reload);
        }
        match page.last() {
            Some(last) if page.len() as u64 == LOG_PAGE => after = (last.key, last.id),
            _ => break,
        }
    }
    // pruned while reading: the floor only rises, one look after the reads covers it
    if change_log::floor(db).await? > mark {
        return Ok(Caught::Reload);
    }
    let backend = db.get_database_backend();
    let ids: Vec<i32> = changed.into_iter().collect();
    let mut changes = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_LIST) {
        let mut q = columns_query(Dialect(backend));
        q.and_where(col("id").is_in(chunk.iter().copied()));
        let mut found = std::collections::HashMap::new();
        for row in db.query_all(backend.build(&q)).await? {
            let raw = raw_row(&row)?;
            found.insert(raw.id, raw);
        }
        changes.extend(chunk.iter().map(|id| (*id, found.remove(id))));
    }
    Ok(Caught::Changes(changes, horizon))
}
