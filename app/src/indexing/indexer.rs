//! The one task per instance that writes to its search index: it follows the change log,
//! rebuilds from the tables when it cannot, reports its mark, and prunes the log.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};
use search::SearchIndex;
use tokio::sync::{watch, Notify};

use super::change_log::{self, Mark, Retention};
use super::documents::{self, apply, changes_for, search_failed};
use crate::error::{AppError, AppResult};

/// Rows read from the log per query.
const PAGE: u64 = 1_000;

/// How long a save waits for the index before answering anyway: its change stays in the log
/// and is applied by a later round.
const SYNC_WAIT: Duration = Duration::from_secs(5);

/// The PostgreSQL channel the log's trigger notifies on each commit that wrote to it.
const CHANNEL: &str = "search_changes";

/// How an instance follows the log.
#[derive(Debug, Clone)]
pub struct IndexerConfig {
    /// This instance's name in `search_replicas`.
    pub replica: String,
    /// A round runs at least this often, whether or not a wake-up arrived (`LISTEN/NOTIFY` is
    /// the fast path; this is the fallback when a notification is lost).
    pub poll: Duration,
    pub retention: Retention,
    /// How often the mark is reported and the log pruned.
    pub heartbeat: Duration,
}

impl IndexerConfig {
    /// The defaults, with the replica named by the file `replica-id` in the index's directory
    /// (created once), so a restarted instance takes up its own row again.
    pub fn for_index(index: &SearchIndex) -> IndexerConfig {
        IndexerConfig {
            replica: replica_name(index),
            poll: Duration::from_secs(1),
            retention: Retention::default(),
            heartbeat: Duration::from_secs(5),
        }
    }
}

fn replica_name(index: &SearchIndex) -> String {
    let fresh = || uuid::Uuid::new_v4().simple().to_string();
    let Some(dir) = index.dir() else {
        return fresh();
    };
    let path = dir.join("replica-id");
    if let Ok(name) = std::fs::read_to_string(&path) {
        if !name.trim().is_empty() {
            return name.trim().to_owned();
        }
    }
    let name = fresh();
    if let Err(err) = std::fs::write(&path, &name) {
        tracing::warn!(error = %err, "could not record the replica id");
    }
    name
}

/// What the index's state is, for `/readyz` and the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexStatus {
    /// The first round after start (or the rebuild it needed) has finished.
    pub caught_up: bool,
    /// Rebuilding from the tables, serving the last commit meanwhile.
    pub rebuilding: bool,
    /// Every change committed more than this long ago is searchable.
    pub staleness: Duration,
    /// Log rows applied since start.
    pub applied: u64,
    pub mark: Mark,
}

/// The writer task's handle: saves wake it and wait for the round that covers them.
///
/// Saves do not write to the index themselves: they commit their change (with its log row) to
/// the database, wake the writer and wait for the round that covers it. Changes that arrive
/// while a round runs are applied together in the next one, in one batch and one tantivy
/// commit. Other instances' changes arrive by `LISTEN/NOTIFY` on PostgreSQL, and by the poll.
pub struct Indexer {
    /// Rounds asked for so far; a round that starts after a request is counted covers it.
    requested: AtomicU64,
    wake: Notify,
    /// The highest request count that a finished round covered.
    completed: watch::Sender<u64>,
    caught_up: AtomicBool,
    rebuilding: AtomicBool,
    applied: AtomicU64,
    mark: AtomicI64,
    /// When the last successful round started, as milliseconds since `epoch`.
    covered_at: AtomicU64,
    epoch: Instant,
}

impl Indexer {
    /// Starts the writer task (and, on PostgreSQL, its listener) on the current runtime.
    pub fn start(db: DatabaseConnection, index: Arc<SearchIndex>) -> Arc<Indexer> {
        let config = IndexerConfig::for_index(&index);
        Self::start_with(db, index, config)
    }

    pub fn start_with(
        db: DatabaseConnection,
        index: Arc<SearchIndex>,
        config: IndexerConfig,
    ) -> Arc<Indexer> {
        let indexer = Arc::new(Indexer {
            requested: AtomicU64::new(0),
            wake: Notify::new(),
            completed: watch::channel(0).0,
            caught_up: AtomicBool::new(false),
            rebuilding: AtomicBool::new(false),
            applied: AtomicU64::new(0),
            mark: AtomicI64::new(0),
            covered_at: AtomicU64::new(0),
            epoch: Instant::now(),
        });
        if db.get_database_backend() == DatabaseBackend::Postgres {
            let pool = db.get_postgres_connection_pool().clone();
            tokio::spawn(listen(pool, Arc::downgrade(&indexer)));
        }
        tokio::spawn(write(db, index, config, Arc::downgrade(&indexer)));
        indexer
    }

    /// Waits until every change committed before this call is searchable (or [`SYNC_WAIT`] has
    /// passed: the change is then still in the log, and lands with a later round).
    pub async fn sync(&self) {
        let mut completed = self.completed.subscribe();
        let wanted = self.requested.fetch_add(1, Ordering::SeqCst) + 1;
        self.wake.notify_one();
        let covered = tokio::time::timeout(SYNC_WAIT, completed.wait_for(|done| *done >= wanted));
        if covered.await.is_err() {
            tracing::warn!("the search index is behind; the change will be indexed later");
        }
    }

    pub fn status(&self) -> IndexStatus {
        let now = self.epoch.elapsed();
        let covered = Duration::from_millis(self.covered_at.load(Ordering::SeqCst));
        IndexStatus {
            caught_up: self.caught_up.load(Ordering::SeqCst),
            rebuilding: self.rebuilding.load(Ordering::SeqCst),
            staleness: now.saturating_sub(covered),
            applied: self.applied.load(Ordering::SeqCst),
            mark: Mark(self.mark.load(Ordering::SeqCst)),
        }
    }
}

/// Wakes the writer whenever a transaction that wrote to the log commits, on any instance.
async fn listen(pool: sqlx::PgPool, indexer: Weak<Indexer>) {
    loop {
        match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(err) = listener.listen(CHANNEL).await {
                    tracing::warn!(error = %err, "LISTEN failed; polling meanwhile");
                } else {
                    // recv reconnects by itself after a dropped connection
                    while let Ok(_notification) = listener.recv().await {
                        let Some(indexer) = indexer.upgrade() else {
                            return;
                        };
                        indexer.wake.notify_one();
                    }
                }
            }
            Err(err) => tracing::debug!(error = %err, "no listener connection; polling meanwhile"),
        }
        if indexer.strong_count() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// The writer task: rounds, rebuilds, heartbeats and pruning, until the [`Indexer`] is dropped.
async fn write(
    db: DatabaseConnection,
    index: Arc<SearchIndex>,
    config: IndexerConfig,
    // weak: the task ends once every handle is dropped (a stopped instance lets go of its index)
    handle: Weak<Indexer>,
) {
    let mut follower = Follower::resume(&index);
    let mut last_heartbeat: Option<Instant> = None;
    let mut first = true;
    loop {
        let Some(indexer) = handle.upgrade() else {
            return;
        };
        if !first {
            tokio::select! {
                _ = indexer.wake.notified() => {}
                _ = tokio::time::sleep(config.poll) => {}
            }
        }
        first = false;
        let round = indexer.requested.load(Ordering::SeqCst);
        let started = indexer.epoch.elapsed();
        let outcome = match follower.mark {
            Some(_) => follower.round(&db, &index).await,
            None => Ok(Round::MustRebuild),
        };
        let outcome = match outcome {
            Ok(Round::MustRebuild) => {
                indexer.rebuilding.store(true, Ordering::SeqCst);
                tracing::info!("the search index cannot follow the change log; rebuilding it");
                let rebuilt = rebuild(&db, &index, |_, _| {}).await;
                indexer.rebuilding.store(false, Ordering::SeqCst);
                rebuilt.map(|_| {
                    follower = Follower::resume(&index);
                    Round::Applied(0)
                })
            }
            other => other,
        };
        metrics::histogram!("setubashi_index_round_seconds")
            .record((indexer.epoch.elapsed() - started).as_secs_f64());
        match outcome {
            Ok(Round::Applied(applied)) => {
                metrics::counter!("setubashi_index_changes_applied_total")
                    .increment(applied as u64);
                indexer.applied.fetch_add(applied as u64, Ordering::SeqCst);
                indexer
                    .covered_at
                    .store(started.as_millis() as u64, Ordering::SeqCst);
                indexer.caught_up.store(true, Ordering::SeqCst);
                if let Some(mark) = follower.mark {
                    indexer.mark.store(mark.0, Ordering::SeqCst);
                }
                indexer.completed.send_replace(round);
            }
            Ok(Round::MustRebuild) => {}
            Err(err) => {
                tracing::warn!(error = ?err, "following the search change log failed; retrying");
                continue;
            }
        }
        if last_heartbeat.is_none_or(|at| at.elapsed() >= config.heartbeat) {
            last_heartbeat = Some(Instant::now());
            if let Err(err) = follower.report(&db, &index, &config).await {
                tracing::warn!(error = ?err, "reporting the search replica's mark failed");
            }
        }
    }
}

enum Round {
    Applied(usize),
    /// Rows this index needs were pruned (it was away too long), or it has no mark at all.
    MustRebuild,
}

/// Where this index stands in the log.
struct Follower {
    /// Every row with a key below it is applied and committed; `None`: the index has no mark
    /// (new, or written before the change log) and must be rebuilt.
    mark: Option<Mark>,
    /// The mark recorded in the index's last commit: what a restart resumes from.
    durable: Option<Mark>,
    /// Rows at or above the mark already applied (by id, with their key), so a transaction
    /// that holds the mark back does not make every later row be applied again and again.
    applied: HashMap<i64, i64>,
}

impl Follower {
    fn resume(index: &SearchIndex) -> Follower {
        let payload = index.last_payload().ok().flatten();
        let mark = Mark::from_payload(payload.as_deref());
        Follower {
            mark,
            durable: mark,
            applied: HashMap::new(),
        }
    }

    /// Applies every row committed so far that this index has not applied.
    async fn round(
        &mut self,
        db: &DatabaseConnection,
        index: &Arc<SearchIndex>,
    ) -> AppResult<Round> {
        let Some(start) = self.mark else {
            return Ok(Round::MustRebuild);
        };
        // first the horizon, then the rows: every transaction below it has finished, so the
        // reads that follow see all it wrote
        let horizon = change_log::horizon(db).await?;
        let mut after = (start.0, 0);
        let mut mark = start;
        let mut applied = 0;
        loop {
            let page = change_log::read_after(db, after, PAGE).await?;
            let full = page.len() as u64 == PAGE;
            if let Some(last) = page.last() {
                after = (last.key, last.id);
            }
            // a full page read every key below its last; a short one every key there is
            let reached = if full {
                Mark(after.0.min(horizon.0))
            } else {
                horizon
            };
            let next = reached.max(mark);
            let fresh: Vec<_> = page
                .iter()
                .filter(|e| !self.applied.contains_key(&e.id))
                .collect();
            if !fresh.is_empty() {
                let records = fresh.iter().filter_map(|e| Some((e.kind?, e.record_id)));
                let changes = changes_for(db, records).await?;
                apply(index, changes, next.payload()).await?;
                self.durable = Some(next);
                applied += fresh.len();
                for entry in fresh {
                    self.applied.insert(entry.id, entry.key);
                }
            }
            mark = next;
            self.applied.retain(|_, key| *key >= next.0);
            if !full {
                break;
            }
        }
        self.mark = Some(mark);
        // rows this index needed were pruned: before this round (it was away longer than the
        // log keeps) or while it read (it was not yet counted live). The floor only rises, so
        // one look after the reads covers both; what was applied meanwhile is harmless, the
        // rebuild replaces it.
        if change_log::floor(db).await? > start {
            return Ok(Round::MustRebuild);
        }
        Ok(Round::Applied(applied))
    }

    /// Records the mark in the index when only the horizon moved (so a restart does not read
    /// rows again needlessly), reports it, and prunes the log.
    async fn report(
        &mut self,
        db: &DatabaseConnection,
        index: &Arc<SearchIndex>,
        config: &IndexerConfig,
    ) -> AppResult<()> {
        let Some(mark) = self.mark else {
            return Ok(());
        };
        if self.durable != Some(mark) {
            apply(index, Vec::new(), mark.payload()).await?;
            self.durable = Some(mark);
        }
        change_log::heartbeat(db, &config.replica, mark, search::SCHEMA_VERSION).await?;
        let pruned = change_log::prune(db, config.retention).await?;
        if pruned > 0 {
            tracing::info!(rows = pruned, "pruned the search change log");
        }
        Ok(())
    }
}

/// Records read and indexed at a time in a rebuild: a million profiles are read a page at a
/// time while the previous page is indexed, so the process holds two pages, not the million.
const REBUILD_PAGE: u64 = 5_000;

/// Rebuilds the whole index from the tables; `progress` is told (done, total) as it goes.
/// Searches see the previous commit until the rebuilt one replaces it in one commit, which
/// records the log position the tables were read at. A rebuild whose reads fail part-way
/// commits nothing: the index stays at its last commit (see [`search::Refill`]).
pub async fn rebuild(
    db: &impl ConnectionTrait,
    index: &Arc<SearchIndex>,
    progress: impl Fn(usize, usize) + Send + Sync + 'static,
) -> AppResult<(usize, usize)> {
    // the horizon before the tables: every change below it is in what is read next
    let mark = change_log::horizon(db).await?;
    let total = documents::rebuild_size(db).await?;
    let (pages, mut receive) = tokio::sync::mpsc::channel::<documents::Page>(2);
    // whether every page was read, told once the pages are all sent
    let (read_whole, was_read_whole) = tokio::sync::oneshot::channel::<bool>();
    let writer = {
        let index = Arc::clone(index);
        tokio::task::spawn_blocking(move || {
            let (mut profiles, mut roles) = (0, 0);
            // each record comes once (keyset pages) into the emptied index
            let mut refill = index.refill()?;
            while let Some(page) = receive.blocking_recv() {
                match page {
                    documents::Page::Profiles(docs) => {
                        for doc in &docs {
                            refill.add_profile(doc)?;
                        }
                        profiles += docs.len();
                    }
                    documents::Page::Roles(docs) => {
                        for doc in &docs {
                            refill.add_role(doc)?;
                        }
                        roles += docs.len();
                    }
                }
                progress(profiles + roles, total.max(profiles + roles));
            }
            if was_read_whole.blocking_recv() != Ok(true) {
                // dropped unfinished: rolled back to the last commit
                return Ok(None);
            }
            refill.finish(&mark.payload())?;
            // only now is the index whole: a fill cut short before this is filled again
            index.mark_complete()?;
            Ok::<_, search::SearchError>(Some((profiles, roles)))
        })
    };
    // read while the previous page is indexed; a failed writer closes the channel
    let read = documents::every_document_by_page(db, REBUILD_PAGE, &pages).await;
    drop(pages);
    // a writer that already failed has gone: its error is the one reported
    let _ = read_whole.send(read.is_ok());
    let written = writer.await.map_err(|_| AppError::Internal)?;
    read?;
    written.map_err(search_failed)?.ok_or(AppError::Internal)
}
