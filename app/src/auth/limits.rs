//! Limits on what an anonymous client can make the server do: log-in attempts, sign-ups, and
//! the memory that password hashing takes. `SECURITY.md` lists the values.
//!
//! Keys are bounded: an account is keyed by a hash of its normalised e-mail (whatever length
//! was typed), a client by its address; and the maps are swept of entries that have refilled,
//! so neither grows with what attackers send.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// A client address, at most this long (an IPv6 address with a zone is under 64).
const MAX_CLIENT_KEY: usize = 64;

fn quota(burst: u32, period: Duration) -> Quota {
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

fn client_key(client: &str) -> String {
    client.chars().take(MAX_CLIENT_KEY).collect()
}

/// The account an attempt names, as a fixed-size key: the e-mail trimmed, lower-cased and
/// hashed, so a 2 MB "e-mail" costs the map 8 bytes.
fn account_key(email: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    // a keyed hash (random per process), so nobody can aim collisions at an account
    static KEYS: std::sync::OnceLock<std::collections::hash_map::RandomState> =
        std::sync::OnceLock::new();
    let mut hasher = KEYS.get_or_init(Default::default).build_hasher();
    hasher.write(email.trim().to_lowercase().as_bytes());
    hasher.finish()
}

fn retry_after(wait: Duration) -> AppError {
    AppError::RateLimited {
        retry_after_secs: wait.as_secs().max(1),
    }
}

/// Log-in attempts, limited three ways:
/// - per client and account: an attacker guessing one account from one address is slowed
///   after a handful of tries, and only that pair is;
/// - per client: one address guessing many accounts;
/// - per account, with a ceiling far above the pair's: guessing one account from many
///   addresses.
///
/// The account's owner, on an address of their own, is never refused because someone else
/// guessed (their pair is fresh), until a distributed attack passes the account's ceiling.
pub struct LoginLimiter {
    per_pair: DefaultKeyedRateLimiter<(String, u64)>,
    per_client: DefaultKeyedRateLimiter<String>,
    per_account: DefaultKeyedRateLimiter<u64>,
}

impl LoginLimiter {
    pub fn new(pair: Quota, client: Quota, account: Quota) -> Self {
        Self {
            per_pair: RateLimiter::keyed(pair),
            per_client: RateLimiter::keyed(client),
            per_account: RateLimiter::keyed(account),
        }
    }

    /// Spends one attempt of this client on this account, or says how long to wait (and
    /// whether the account's own ceiling was reached, which its owner is told of).
    pub fn check(&self, client: &str, email: &str) -> Result<(), Throttled> {
        let now = DefaultClock::default().now();
        let (client, account) = (client_key(client), account_key(email));
        let pair = self.per_pair.check_key(&(client.clone(), account)).err();
        let by_client = self.per_client.check_key(&client).err();
        let by_account = self.per_account.check_key(&account).err();
        let account_ceiling = by_account.is_some();
        match [pair, by_client, by_account]
            .into_iter()
            .flatten()
            .map(|not_until| not_until.wait_time_from(now))
            .max()
        {
            Some(wait) => {
                let by = if account_ceiling { "account" } else { "client" };
                metrics::counter!("setubashi_login_throttled_total", "by" => by).increment(1);
                Err(Throttled {
                    error: retry_after(wait),
                    account_ceiling,
                })
            }
            None => Ok(()),
        }
    }

    /// Forgets keys whose buckets have refilled (run periodically).
    pub fn sweep(&self) {
        self.per_pair.retain_recent();
        self.per_client.retain_recent();
        self.per_account.retain_recent();
        self.per_pair.shrink_to_fit();
        self.per_client.shrink_to_fit();
        self.per_account.shrink_to_fit();
    }

    /// How many keys are held, for tests and metrics.
    pub fn len(&self) -> usize {
        self.per_pair.len() + self.per_client.len() + self.per_account.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for LoginLimiter {
    /// Per client and account: 5 at once, then one every 30 s. Per client: 30 at once, then one
    /// every 6 s. Per account: 100 at once, then one every 30 s (a ceiling only a distributed
    /// attack reaches).
    fn default() -> Self {
        Self::new(
            quota(5, Duration::from_secs(30)),
            quota(30, Duration::from_secs(6)),
            quota(100, Duration::from_secs(30)),
        )
    }
}

/// A refused log-in attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttled {
    /// `RateLimited`, with how long to wait.
    pub error: AppError,
    /// The account's own ceiling was reached: attempts from many addresses, which its owner
    /// should hear of.
    pub account_ceiling: bool,
}

/// Sign-ups per client: each costs a password hash and a row, so one address may create
/// `burst` accounts at once and then one every `period`.
pub struct SignUpLimiter {
    per_client: DefaultKeyedRateLimiter<String>,
}

impl SignUpLimiter {
    pub fn new(burst: u32, period: Duration) -> Self {
        Self {
            per_client: RateLimiter::keyed(quota(burst, period)),
        }
    }

    pub fn check(&self, client: &str) -> AppResult<()> {
        let now = DefaultClock::default().now();
        self.per_client
            .check_key(&client_key(client))
            .map_err(|not_until| retry_after(not_until.wait_time_from(now)))
    }

    pub fn sweep(&self) {
        self.per_client.retain_recent();
        self.per_client.shrink_to_fit();
    }
}

impl SignUpLimiter {
    /// How many accounts one address may create at once by default: a hiring event behind
    /// one address.
    pub const DEFAULT_BURST: u32 = 20;

    /// `burst` at once, then one every 3 minutes.
    pub fn with_burst(burst: u32) -> Self {
        Self::new(burst, Duration::from_secs(180))
    }
}

impl Default for SignUpLimiter {
    fn default() -> Self {
        Self::with_burst(Self::DEFAULT_BURST)
    }
}

/// Memory the server may spend on password hashes at once: argon2id takes 19 MiB a hash, so
/// this allows six at a time (fewer on a machine with fewer cores), whatever the number of
/// requests asking.
pub const HASHING_MEMORY_BUDGET_KIB: u32 = 6 * 19_456;
/// Requests that may wait for a hashing slot; more are answered 429 at once.
const MAX_WAITING: usize = 32;
/// How long a request waits for a hashing slot before it is answered 429.
const MAX_WAIT: Duration = Duration::from_secs(3);

/// The slots for password hashing, each with its own argon2 working memory. Process-wide,
/// because memory is: every hash — sign-up, log-in, the command line — takes a slot, and
/// nothing queues without bound.
///
/// The working memory is allocated once per slot and reused. Allocating 19 MiB per hash and
/// freeing it leaves glibc's heap holding the freed blocks (its mmap threshold rises to the
/// block's size after the first free, and each thread's arena keeps its own): measured, 200
/// sign-ups grew the process by 441 MiB with six hashes at a time, against 114 MiB of memory
/// actually in use (BENCHMARKS.md).
pub struct HashingSlots {
    slots: Semaphore,
    waiting: AtomicUsize,
    blocks_per_slot: usize,
    memory: std::sync::Mutex<Vec<Vec<argon2::Block>>>,
}

impl HashingSlots {
    pub fn new(slots: usize, blocks_per_slot: usize) -> Self {
        Self {
            slots: Semaphore::new(slots.max(1)),
            waiting: AtomicUsize::new(0),
            blocks_per_slot,
            memory: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The slots sized from the memory budget and each hash's memory cost (1 KiB blocks), and
    /// from the machine: one core is always left to everything else, so a storm of sign-ups or
    /// log-ins cannot starve searches and pages (measured: six hashes at once on two cores held
    /// a search up for 186 ms; BENCHMARKS.md).
    pub fn for_budget(budget_kib: u32, per_hash_kib: u32) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::new(
            slots_for(budget_kib, per_hash_kib, cores),
            per_hash_kib as usize,
        )
    }

    /// Runs `work` on a blocking thread with a slot's working memory, or answers
    /// `RateLimited` when the server is hashing at its limit and enough requests already wait.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut [argon2::Block]) -> T + Send + 'static,
    ) -> AppResult<T> {
        let permit = match self.slots.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Err(retry_after(Duration::from_secs(1)));
                }
                let waited = tokio::time::timeout(MAX_WAIT, self.slots.acquire()).await;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                match waited {
                    Ok(Ok(permit)) => permit,
                    _ => return Err(retry_after(Duration::from_secs(1))),
                }
            }
        };
        // a slot's memory, or a new one the first time a slot is used
        let mut memory = self
            .memory
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_else(|| vec![argon2::Block::default(); self.blocks_per_slot]);
        let (out, memory) = tokio::task::spawn_blocking(move || {
            let out = work(&mut memory);
            (out, memory)
        })
        .await
        .map_err(|_| crate::error::AppError::Internal)?;
        if let Ok(mut free) = self.memory.lock() {
            free.push(memory);
        }
        drop(permit);
        Ok(out)
    }
}

/// How many hashes may run at once: what the memory budget allows, and one core fewer than the
/// machine has (at least one).
fn slots_for(budget_kib: u32, per_hash_kib: u32, cores: usize) -> usize {
    let by_memory = (budget_kib / per_hash_kib.max(1)) as usize;
    by_memory.min(cores.saturating_sub(1)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attacker_guessing_an_account_does_not_lock_its_owner_out() {
        let limiter = LoginLimiter::new(
            quota(3, Duration::from_secs(60)),
            quota(100, Duration::from_secs(1)),
            quota(50, Duration::from_secs(60)),
        );
        for _ in 0..3 {
            assert!(limiter.check("10.0.0.66", "victim@example.in").is_ok());
        }
        assert!(matches!(
            limiter.check("10.0.0.66", "victim@example.in"),
            Err(Throttled { error: AppError::RateLimited { retry_after_secs }, account_ceiling: false })
                if retry_after_secs >= 30
        ));
        // the same account, typed differently, is the same key
        assert!(limiter.check("10.0.0.66", " Victim@Example.IN ").is_err());
        // its owner, elsewhere, still gets in
        assert!(limiter.check("203.0.113.7", "victim@example.in").is_ok());
    }

    #[test]
    fn many_addresses_guessing_one_account_meet_its_ceiling() {
        let limiter = LoginLimiter::new(
            quota(3, Duration::from_secs(60)),
            quota(100, Duration::from_secs(1)),
            quota(10, Duration::from_secs(60)),
        );
        for i in 0..10 {
            assert!(limiter
                .check(&format!("10.0.1.{i}"), "a@example.in")
                .is_ok());
        }
        assert!(limiter.check("10.0.1.99", "a@example.in").is_err());
        assert!(limiter.check("10.0.1.99", "b@example.in").is_ok());
    }

    #[test]
    fn one_address_guessing_many_accounts_meets_its_own_limit() {
        let limiter = LoginLimiter::new(
            quota(3, Duration::from_secs(60)),
            quota(2, Duration::from_secs(60)),
            quota(10, Duration::from_secs(60)),
        );
        assert!(limiter.check("c", "1@example.in").is_ok());
        assert!(limiter.check("c", "2@example.in").is_ok());
        assert!(limiter.check("c", "3@example.in").is_err());
        assert!(limiter.check("d", "3@example.in").is_ok());
    }

    #[test]
    fn keys_are_bounded_whatever_was_typed() {
        let limiter = LoginLimiter::default();
        let huge = "x".repeat(2 * 1024 * 1024);
        limiter.check(&huge, &huge).unwrap();
        assert_eq!(limiter.len(), 3);
        assert_eq!(client_key(&huge).len(), MAX_CLIENT_KEY);
    }

    #[test]
    fn sign_ups_from_one_address_are_limited() {
        let limiter = SignUpLimiter::new(2, Duration::from_secs(60));
        assert!(limiter.check("10.0.0.1").is_ok());
        assert!(limiter.check("10.0.0.1").is_ok());
        assert!(limiter.check("10.0.0.1").is_err());
        assert!(limiter.check("10.0.0.2").is_ok());
    }

    #[tokio::test]
    async fn hashing_beyond_its_slots_and_queue_is_refused_not_queued() {
        let slots = std::sync::Arc::new(HashingSlots::new(1, 8));
        let (hold, release) = std::sync::mpsc::channel::<()>();
        let busy = {
            let slots = slots.clone();
            tokio::spawn(async move { slots.run(move |_| release.recv().ok()).await })
        };
        while slots.slots.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        // fill the queue
        let mut waiting = Vec::new();
        for _ in 0..MAX_WAITING {
            let slots = slots.clone();
            waiting.push(tokio::spawn(async move { slots.run(|_| ()).await }));
        }
        while slots.waiting.load(Ordering::SeqCst) < MAX_WAITING {
            tokio::task::yield_now().await;
        }
        assert!(matches!(
            slots.run(|_| ()).await,
            Err(AppError::RateLimited { .. })
        ));
        hold.send(()).unwrap();
        busy.await.unwrap().unwrap();
        for w in waiting {
            w.await.unwrap().unwrap();
        }
        // the memory is the slot's, handed to each hash in turn
        assert_eq!(slots.run(|memory| memory.len()).await, Ok(8));
        assert_eq!(slots.memory.lock().unwrap().len(), 1);
    }

    #[test]
    fn hashes_at_once_are_bounded_by_memory_and_leave_a_core_free() {
        assert_eq!(slots_for(HASHING_MEMORY_BUDGET_KIB, 19_456, 2), 1);
        assert_eq!(slots_for(HASHING_MEMORY_BUDGET_KIB, 19_456, 1), 1);
        assert_eq!(slots_for(HASHING_MEMORY_BUDGET_KIB, 19_456, 4), 3);
        assert_eq!(slots_for(HASHING_MEMORY_BUDGET_KIB, 19_456, 64), 6);
        let slots = HashingSlots::for_budget(HASHING_MEMORY_BUDGET_KIB, 19_456);
        assert_eq!(slots.blocks_per_slot, 19_456);
    }
}
