//! Pages of search results kept for the next reader who asks the same thing: role searches
//! that are not personal, and searches of the engineers (the talent pool, a role's candidates).
//!
//! Why: at a hundred thousand roles a role search costs milliseconds of the machine's two cores
//! (the words, every facet counted over every result, two database reads for the cards), while
//! the job board's first pages and the popular skills are asked for again and again. A page
//! that is not personal depends only on what was asked and on what the index held, so it is
//! kept under the index's generation for roles ([`search::SearchIndex::generation`]): until a
//! commit changes the roles, it is exactly what the search would find again. When the
//! generation moves on, every page kept is dropped at once.
//!
//! What is not kept: an engineer's search, ranked by their own fit and explained for them; a
//! refusal. The cards' rows are read from the database after the search, as the index may lag
//! it by a moment (a role closed but not yet removed): a page kept in that moment shows the
//! role until the removal's commit moves the generation on, the same moment a fresh search
//! would stop finding it.
//!
//! The engineers' searches keep only what the index found (ids, explanations, totals and
//! facet counts), under the index's generation for engineers: the profiles shown are read from
//! the database on every view, so a profile hidden or erased since is never shown, even in the
//! moment before the index hears of it.
//!
//! Readers asking for a page while it is being searched wait for that search
//! ([`KeptPages::get_or_search`], [`crate::turns`]): a burst of one question after a commit
//! dropped the pages makes one search, not one each.
//!
//! Each instance keeps its own pages (its own index, following the change log): nothing here
//! is shared or outlives the process.

use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use lru::LruCache;

use crate::turns::Turns;

/// How many pages the role search keeps: a page is about 10 kB (twenty cards and the facet
/// counts), so 1,024 hold about 10 MB; at the API's largest page (100 cards), about 50 MB.
pub const ROLE_PAGES: NonZeroUsize = match NonZeroUsize::new(1024) {
    Some(pages) => pages,
    None => panic!("a cache holds at least one page"),
};

/// How many pages each search of the engineers keeps: a page of results is a few kilobytes
/// (ids, explanations, facet counts).
pub const ENGINEER_PAGES: NonZeroUsize = ROLE_PAGES;

/// Search results kept by what was asked (`K`), for one generation of the index at a time,
/// the least recently read dropped first.
pub struct KeptPages<K: Hash + Eq, V> {
    /// Which search (the metric's label): `roles`, `talent`, `candidates`.
    search: &'static str,
    kept: Mutex<Kept<K, V>>,
    /// The pages being searched.
    searching: Turns<K>,
    enabled: AtomicBool,
    /// Questions answered from a kept page, and not, since the start.
    found: AtomicU64,
    missed: AtomicU64,
}

struct Kept<K: Hash + Eq, V> {
    generation: u64,
    pages: LruCache<K, Arc<V>>,
}

impl<K: Hash + Eq, V> KeptPages<K, V> {
    pub fn new(search: &'static str, capacity: NonZeroUsize) -> Self {
        Self {
            search,
            kept: Mutex::new(Kept {
                generation: 0,
                pages: LruCache::new(capacity),
            }),
            searching: Turns::default(),
            enabled: AtomicBool::new(true),
            found: AtomicU64::new(0),
            missed: AtomicU64::new(0),
        }
    }

    /// The page kept for `key` under `generation`, if any.
    pub fn get(&self, generation: u64, key: &K) -> Option<Arc<V>> {
        if !self.enabled.load(Ordering::Relaxed) {
            return None;
        }
        let found = self.lookup(generation, key);
        self.count(found.is_some());
        found
    }

    /// The page kept for `key` under `generation`, or the one `search` finds, kept (`search`
    /// must have begun after `generation` was read: it runs only here). Who asks for a page
    /// while it is being searched waits for that search and takes its page; they count as not
    /// found at once.
    pub async fn get_or_search<E>(
        &self,
        generation: u64,
        key: K,
        search: impl std::future::Future<Output = Result<V, E>>,
    ) -> Result<Arc<V>, E>
    where
        K: Clone,
    {
        if let Some(page) = self.get(generation, &key) {
            return Ok(page);
        }
        if !self.enabled.load(Ordering::Relaxed) {
            return search.await.map(Arc::new);
        }
        let _turn = self.searching.take(&key).await;
        if let Some(page) = self.lookup(generation, &key) {
            return Ok(page);
        }
        let page = search.await?;
        Ok(self.keep(generation, key, page))
    }

    fn lookup(&self, generation: u64, key: &K) -> Option<Arc<V>> {
        let mut kept = self.lock();
        if kept.generation == generation {
            kept.pages.get(key).cloned()
        } else {
            None
        }
    }

    fn count(&self, found: bool) {
        let counter = if found { &self.found } else { &self.missed };
        counter.fetch_add(1, Ordering::Relaxed);
        metrics::counter!(
            "setubashi_search_pages_total",
            "search" => self.search,
            "kept" => if found { "yes" } else { "no" }
        )
        .increment(1);
    }

    /// Keeps `page`, found for `key` by a search that read `generation` before it began. A
    /// newer generation drops every page kept under the older one; a page from an older
    /// generation than the one kept now is stale and not kept.
    pub fn keep(&self, generation: u64, key: K, page: V) -> Arc<V> {
        let page = Arc::new(page);
        if !self.enabled.load(Ordering::Relaxed) {
            return page;
        }
        let mut kept = self.lock();
        if generation > kept.generation {
            kept.pages.clear();
            kept.generation = generation;
        }
        if generation == kept.generation {
            kept.pages.put(key, Arc::clone(&page));
        }
        page
    }

    /// Turns keeping on or off (off: every search is made afresh; the benchmarks' baseline).
    /// Turning it off drops what was kept.
    pub fn set_enabled(&self, yes: bool) {
        self.enabled.store(yes, Ordering::Relaxed);
        if !yes {
            self.lock().pages.clear();
        }
    }

    /// Questions answered from a kept page and not, since the start (while turned on).
    pub fn counts(&self) -> (u64, u64) {
        (
            self.found.load(Ordering::Relaxed),
            self.missed.load(Ordering::Relaxed),
        )
    }

    /// How many pages are kept now.
    pub fn len(&self) -> usize {
        self.lock().pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Kept<K, V>> {
        // a panic while the lock was held cannot leave the cache half-changed for a reader:
        // each change is one call into the LRU
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(capacity: usize) -> KeptPages<&'static str, u32> {
        KeptPages::new("test", NonZeroUsize::new(capacity).unwrap())
    }

    #[test]
    fn a_page_is_found_under_the_generation_it_was_kept_under_and_no_other() {
        let kept = pages(4);
        assert!(kept.get(1, &"rust").is_none());
        kept.keep(1, "rust", 10);
        assert_eq!(kept.get(1, &"rust").as_deref(), Some(&10));
        assert!(kept.get(1, &"python").is_none(), "another question");
        assert!(kept.get(2, &"rust").is_none(), "a newer index");
        assert!(
            kept.get(0, &"rust").is_none(),
            "a search that read an older index"
        );
        assert_eq!(kept.counts(), (1, 4));
    }

    #[test]
    fn a_newer_generation_drops_every_older_page_and_an_older_one_is_not_kept() {
        let kept = pages(4);
        kept.keep(1, "rust", 10);
        kept.keep(1, "python", 11);
        kept.keep(2, "rust", 20);
        assert_eq!(kept.len(), 1, "generation 1's pages dropped");
        assert_eq!(kept.get(2, &"rust").as_deref(), Some(&20));
        // a search that began before the commit and ended after it
        kept.keep(1, "python", 11);
        assert!(kept.get(1, &"python").is_none());
        assert!(kept.get(2, &"python").is_none());
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn at_capacity_the_page_read_longest_ago_goes() {
        let kept = pages(2);
        kept.keep(1, "a", 1);
        kept.keep(1, "b", 2);
        assert!(kept.get(1, &"a").is_some()); // "b" is now the one read longest ago
        kept.keep(1, "c", 3);
        assert_eq!(kept.len(), 2);
        assert!(kept.get(1, &"b").is_none());
        assert!(kept.get(1, &"a").is_some() && kept.get(1, &"c").is_some());
    }

    #[test]
    fn turned_off_nothing_is_kept_or_found() {
        let kept = pages(2);
        kept.keep(1, "a", 1);
        kept.set_enabled(false);
        assert!(kept.is_empty());
        assert_eq!(*kept.keep(1, "a", 1), 1, "the page is still handed back");
        assert!(kept.get(1, &"a").is_none());
        kept.set_enabled(true);
        assert!(kept.get(1, &"a").is_none());
        kept.keep(1, "a", 1);
        assert!(kept.get(1, &"a").is_some());
    }
}
