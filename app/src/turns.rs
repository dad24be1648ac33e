//! One computation at a time for each key: who asks while one runs waits for it, then finds
//! its result wherever it was kept. A burst of the same question (many readers at once after a
//! commit dropped what was kept, or at start) makes one computation instead of one each, which
//! on two cores is the difference between one search's time and sixteen's.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::OwnedMutexGuard;

/// The turns being taken, one lock for each key while anyone holds or waits for it.
pub struct Turns<K> {
    locks: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K> Default for Turns<K> {
    fn default() -> Self {
        Turns {
            locks: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq + Clone> Turns<K> {
    /// Waits for `key`'s turn; it ends when the returned turn drops.
    pub async fn take(&self, key: &K) -> Turn<'_, K> {
        let lock = Arc::clone(self.locks().entry(key.clone()).or_default());
        Turn {
            turns: self,
            key: key.clone(),
            _held: lock.lock_owned().await,
        }
    }

    /// Keys with a turn held or waited for.
    pub fn len(&self) -> usize {
        self.locks().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn locks(&self) -> MutexGuard<'_, HashMap<K, Arc<tokio::sync::Mutex<()>>>> {
        // each change is one call into the map: a panic cannot leave it half-changed
        self.locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A key's turn, held until dropped.
pub struct Turn<'a, K: Hash + Eq + Clone> {
    turns: &'a Turns<K>,
    key: K,
    _held: OwnedMutexGuard<()>,
}

impl<K: Hash + Eq + Clone> Drop for Turn<'_, K> {
    fn drop(&mut self) {
        let mut locks = self.turns.locks();
        // the map's own and this turn's: nobody waits, so the key's lock goes
        if locks
            .get(&self.key)
            .is_some_and(|lock| Arc::strong_count(lock) <= 2)
        {
            locks.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_turn_a_key_at_a_time_and_the_locks_go_when_nobody_waits() {
        let turns = Arc::new(Turns::<usize>::default());
        // for each of two keys: how many hold its turn now, and the most that ever did
        let inside: Arc<[AtomicUsize; 2]> = Arc::new(Default::default());
        let most: Arc<[AtomicUsize; 2]> = Arc::new(Default::default());
        let tasks: Vec<_> = (0..16)
            .map(|i| {
                let (turns, inside, most) = (Arc::clone(&turns), inside.clone(), most.clone());
                tokio::spawn(async move {
                    let key = i % 2;
                    let _turn = turns.take(&key).await;
                    let now = inside[key].fetch_add(1, Ordering::SeqCst) + 1;
                    most[key].fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    inside[key].fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        for key in 0..2 {
            assert_eq!(most[key].load(Ordering::SeqCst), 1, "key {key}");
        }
        assert!(turns.is_empty(), "{} locks left", turns.len());
    }
}
