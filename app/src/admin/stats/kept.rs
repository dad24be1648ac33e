//! Dashboard views kept until what they count changes.
//!
//! Why: a view reads the rollups, this instance's columns and the lists at risk, about a dozen
//! statements and scans (tens of milliseconds of the machine's two cores at two million
//! applications), while administrators look at the same few views again and again and the
//! applications move a few times a minute. What a view counts changes only by a write the
//! change log names in the same transaction: an application (logged by the triggers of
//! migration 25, a bulk load as `application_all`), the programme's settings or a rebuild of the
//! rollups (logged as `dashboard`). So a view is kept with the log's horizon read before it was
//! computed, and shown again while the log holds no such entry at or above that horizon, and
//! was not pruned past it ([`change_log::changed_since`]): one statement instead of the view's.
//!
//! The names a view shows (people at risk, employers) are not kept: they are read afresh for
//! every view ([`put_names`]), so a renamed or erased person never shows under an old name.
//! The day is part of what is asked: a view kept yesterday is not today's, its deadlines
//! having moved.
//!
//! Several administrators asking a view that is not kept at the same moment wait for one
//! computation of it instead of making one each. Each instance keeps its own views; another
//! instance's writes reach it through the same log.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use lru::LruCache;

use super::*;
use crate::indexing::change_log::{self, Mark, Queued};
use crate::turns::Turns;

/// How many views are kept: a summary is a few tens of kilobytes (its breakdowns and three
/// lists of 25), so about 2 MB at most.
pub const KEPT_VIEWS: NonZeroUsize = match NonZeroUsize::new(64) {
    Some(views) => views,
    None => panic!("at least one view is kept"),
};

/// What a view's numbers follow in the change log.
const COUNTED: [Queued; 3] = [
    Queued::Application,
    Queued::EveryApplication,
    Queued::Dashboard,
];

/// A view as asked: its filters on a day.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct View {
    filters: Filters,
    today: NaiveDate,
}

/// A view's numbers (without names), computed after the log's horizon `since` was read.
struct Kept {
    numbers: Arc<ProgrammeSummary>,
    since: Mark,
}

/// The dashboard views this instance keeps, the least recently read dropped first.
pub struct KeptViews {
    kept: Mutex<LruCache<View, Kept>>,
    /// The views being computed: who asks meanwhile waits for it.
    computing: Turns<View>,
    enabled: AtomicBool,
    /// Views answered from what was kept, and not, since the start.
    found: AtomicU64,
    missed: AtomicU64,
}

impl Default for KeptViews {
    fn default() -> Self {
        KeptViews::new(KEPT_VIEWS)
    }
}

impl KeptViews {
    /// Keeps up to `capacity` views.
    pub fn new(capacity: NonZeroUsize) -> Self {
        KeptViews {
            kept: Mutex::new(LruCache::new(capacity)),
            computing: Turns::default(),
            enabled: AtomicBool::new(true),
            found: AtomicU64::new(0),
            missed: AtomicU64::new(0),
        }
    }

    /// The dashboard for `raw` filters on `today`, as [`summary`] computes it: kept, when
    /// nothing it counts has changed since.
    pub async fn summary(
        &self,
        db: &DatabaseConnection,
        columns: &DashboardColumns,
        raw: &DashboardFilters,
        today: NaiveDate,
    ) -> AppResult<ProgrammeSummary> {
        if !self.enabled.load(Ordering::Relaxed) {
            return summary(db, columns, raw, today).await;
        }
        let view = View {
            filters: parse_filters(raw).map_err(AppError::InvalidParameters)?,
            today,
        };
        // nothing kept: straight to the computation (its check reads the horizon to keep under)
        let kept_before = self.lock(&self.kept).contains(&view);
        let first = if kept_before {
            Some(self.still_kept(db, &view).await?)
        } else {
            None
        };
        let mut numbers = match first {
            Some(Ok(kept)) => {
                self.count(true);
                (*kept).clone()
            }
            _ => {
                // one computation of a view at a time; those who waited find it kept
                let _turn = self.computing.take(&view).await;
                match self.still_kept(db, &view).await? {
                    Ok(kept) => {
                        self.count(true);
                        (*kept).clone()
                    }
                    Err(since) => {
                        self.count(false);
                        let numbers = numbers_of(db, columns, view.filters.clone(), today).await?;
                        self.keep(view.clone(), &numbers, since);
                        numbers
                    }
                }
            }
        };
        put_names(db, &mut numbers).await?;
        Ok(numbers)
    }

    /// The numbers kept for `view` if nothing they count has changed since; else the log's
    /// horizon now, to keep the numbers computed next under.
    async fn still_kept(
        &self,
        db: &DatabaseConnection,
        view: &View,
    ) -> Result<Result<Arc<ProgrammeSummary>, Mark>, DbErr> {
        let kept = self
            .lock(&self.kept)
            .get(view)
            .map(|k| (Arc::clone(&k.numbers), k.since));
        let since = kept.as_ref().map_or(Mark(i64::MAX), |(_, since)| *since);
        let (changed, horizon) = change_log::changed_since(db, since, &COUNTED).await?;
        Ok(match kept {
            Some((numbers, _)) if !changed => Ok(numbers),
            _ => Err(horizon),
        })
    }

    fn keep(&self, view: View, numbers: &ProgrammeSummary, since: Mark) {
        let numbers = Arc::new(numbers.clone());
        self.lock(&self.kept).put(view, Kept { numbers, since });
    }

    fn count(&self, found: bool) {
        let counter = if found { &self.found } else { &self.missed };
        counter.fetch_add(1, Ordering::Relaxed);
        metrics::counter!(
            "setubashi_dashboard_views_total",
            "kept" => if found { "yes" } else { "no" }
        )
        .increment(1);
    }

    /// Turns keeping on or off (off: every view is computed afresh; the benchmarks' baseline).
    /// Turning it off drops what was kept.
    pub fn set_enabled(&self, yes: bool) {
        self.enabled.store(yes, Ordering::Relaxed);
        if !yes {
            self.lock(&self.kept).clear();
        }
    }

    /// Views answered from what was kept, and not, since the start (while turned on).
    pub fn counts(&self) -> (u64, u64) {
        (
            self.found.load(Ordering::Relaxed),
            self.missed.load(Ordering::Relaxed),
        )
    }

    /// A lock held for a moment, never across an await: a panic while holding it leaves
    /// nothing half-written worth refusing.
    fn lock<'a, T>(&self, mutex: &'a Mutex<T>) -> MutexGuard<'a, T> {
        mutex
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
