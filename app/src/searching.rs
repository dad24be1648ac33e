//! Searches run on the blocking pool (tantivy's work is CPU work), a bounded number at a time.
//!
//! Without a bound, every request in flight had a blocking thread searching at once: 64
//! connections asking an engineer's role search made 64 searches side by side on two cores,
//! each on its own thread and holding its working memory until the cores came round to it. The
//! server's peak memory during that load at 300,000 engineers was 847-868 MB; with the slots,
//! 281-297 MB (BENCHMARKS.md, session 31). A search waiting for a slot waits as a future, which
//! holds nothing; the slots are handed out in the order they were asked for.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// Searches at once for each core: one searching while another finishes its page (reads its
/// hits, counts its facets) keeps the cores busy.
const SEARCHES_PER_CORE: usize = 2;

/// The slots for searches, process-wide.
#[derive(Debug)]
pub struct SearchSlots {
    slots: Arc<Semaphore>,
}

impl SearchSlots {
    /// `slots` searches at once (at least one).
    pub fn new(slots: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(slots.max(1))),
        }
    }

    /// Sized from the machine's cores.
    pub fn for_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::new(cores * SEARCHES_PER_CORE)
    }

    /// Runs `search` on a blocking thread once a slot is free. The slot goes with the search,
    /// not with the caller: a request dropped while its search runs (the client went away)
    /// does not free the slot before the search ends.
    pub async fn run<T: Send + 'static>(
        &self,
        search: impl FnOnce() -> T + Send + 'static,
    ) -> AppResult<T> {
        let slot = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(move || {
            let found = search();
            drop(slot);
            found
        })
        .await
        .map_err(|_| AppError::Internal)
    }

    /// Searches that could start now.
    pub fn free(&self) -> usize {
        self.slots.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// The bound holds: ten searches asked at once on two slots never run more than two at a
    /// time, and every one of them runs.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_searches_run_at_once_than_there_are_slots() {
        let slots = Arc::new(SearchSlots::new(2));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let searches: Vec<_> = (0..10)
            .map(|i| {
                let (slots, running, most) = (slots.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    slots
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(20));
                            running.fetch_sub(1, Ordering::SeqCst);
                            i
                        })
                        .await
                })
            })
            .collect();
        let mut done = Vec::new();
        for search in searches {
            done.push(search.await.unwrap().unwrap());
        }
        assert_eq!(done, (0..10).collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), 2, "two at a time, not fewer");
        assert_eq!(slots.free(), 2);
    }

    /// A caller that goes away while its search runs leaves the slot taken until the search
    /// ends: the work still holds the core and its memory.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dropped_caller_s_slot_is_freed_when_its_search_ends() {
        let slots = Arc::new(SearchSlots::new(1));
        let (started_tx, started) = std::sync::mpsc::channel();
        let (finish, finish_rx) = std::sync::mpsc::channel::<()>();
        let caller = tokio::spawn({
            let slots = slots.clone();
            async move {
                slots
                    .run(move || {
                        started_tx.send(()).unwrap();
                        finish_rx.recv().unwrap();
                    })
                    .await
            }
        });
        tokio::task::spawn_blocking(move || started.recv().unwrap())
            .await
            .unwrap();
        caller.abort();
        let _ = caller.await;
        assert_eq!(slots.free(), 0, "the search still runs");
        finish.send(()).unwrap();
        for _ in 0..100 {
            if slots.free() == 1 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the slot was not freed when the search ended");
    }
}
