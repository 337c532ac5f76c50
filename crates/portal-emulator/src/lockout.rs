//! The lockout after failed sign-ins: after [`Policy::attempts`] consecutive failures within
//! [`Policy::window_ms`], a username is refused for [`Policy::duration_ms`] with
//! [`LOCKED_MESSAGE`], whether the password is right or not. A successful sign-in clears the
//! count. ArcGIS's own numbers: five failures within 15 minutes lock for 15 minutes
//! (docs/SECURITY.md, Bounded resources, gives the sources).
//!
//! Memory is bounded: accounts that exist are tracked by a 32-byte digest of their name (at
//! most one entry per account, stale ones pruned); names that do not exist are tracked too, so
//! a lockout does not tell who has an account, but in a table of at most [`UNKNOWN_NAMES`]
//! entries that drops its stalest entry when full.
//!
//! What is deliberately not here: checking the password (`auth::check_password` calls this
//! before and after) and the messages each sign-in endpoint shows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

/// What a locked account is told, on `generateToken` and on the sign-in page.
pub const LOCKED_MESSAGE: &str = "Too many invalid attempts. Please try again later.";

/// How many names without an account are remembered at most.
pub const UNKNOWN_NAMES: usize = 4096;

/// The time source, in epoch milliseconds: the system clock, or a test's.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> i64 + Send + Sync>);

impl Clock {
    /// A clock that reads `f`.
    pub fn new(f: impl Fn() -> i64 + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }
    /// The time now, in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new(crate::util::now_ms)
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// The lockout's numbers (ArcGIS's by default) and its clock.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Consecutive failures that lock.
    pub attempts: u32,
    /// Failures further apart than this start a new count.
    pub window_ms: i64,
    /// How long a lock lasts.
    pub duration_ms: i64,
    pub clock: Clock,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            attempts: 5,
            window_ms: 15 * 60 * 1000,
            duration_ms: 15 * 60 * 1000,
            clock: Clock::default(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    first_failure: i64,
    last_failure: i64,
    locked_until: i64,
}

impl Entry {
    fn stale(&self, now: i64, policy: &Policy) -> bool {
        self.locked_until <= now && now - self.first_failure > policy.window_ms
    }
}

type Key = [u8; 32];

/// The failure counts of one portal.
#[derive(Default)]
pub struct Lockouts {
    accounts: Mutex<HashMap<Key, Entry>>,
    unknown: Mutex<HashMap<Key, Entry>>,
}

fn key(username: &str) -> Key {
    let mut k = [0u8; 32];
    k.copy_from_slice(&Sha256::digest(username.to_ascii_lowercase().as_bytes()));
    k
}

impl Lockouts {
    fn table(&self, exists: bool) -> std::sync::MutexGuard<'_, HashMap<Key, Entry>> {
        let table = if exists {
            &self.accounts
        } else {
            &self.unknown
        };
        table
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `username` is locked now.
    pub fn is_locked(&self, username: &str, exists: bool, policy: &Policy) -> bool {
        let now = policy.clock.now_ms();
        self.table(exists)
            .get(&key(username))
            .is_some_and(|e| e.locked_until > now)
    }

    /// Counts a failure; returns whether `username` is locked now.
    pub fn failed(&self, username: &str, exists: bool, policy: &Policy) -> bool {
        let now = policy.clock.now_ms();
        let mut table = self.table(exists);
        let k = key(username);
        if !table.contains_key(&k) {
            make_room(&mut table, exists, now, policy);
        }
        let entry = table.entry(k).or_insert(Entry {
            failures: 0,
            first_failure: now,
            last_failure: now,
            locked_until: 0,
        });
        if entry.stale(now, policy) {
            *entry = Entry {
                failures: 0,
                first_failure: now,
                last_failure: now,
                locked_until: 0,
            };
        }
        entry.failures += 1;
        entry.last_failure = now;
        if entry.failures >= policy.attempts {
            entry.locked_until = now + policy.duration_ms;
            entry.failures = 0;
            entry.first_failure = now;
            return true;
        }
        false
    }

    /// A successful sign-in: the count starts again.
    pub fn succeeded(&self, username: &str) {
        self.table(true).remove(&key(username));
    }

    /// How many names are tracked (accounts, unknown names), for tests of the bound.
    pub fn tracked(&self) -> (usize, usize) {
        (self.table(true).len(), self.table(false).len())
    }
}

/// Drops stale entries once a table has grown; for unknown names, also the stalest entry when
/// the table is full.
fn make_room(table: &mut HashMap<Key, Entry>, exists: bool, now: i64, policy: &Policy) {
    if table.len() >= 1024 || (!exists && table.len() >= UNKNOWN_NAMES) {
        table.retain(|_, e| !e.stale(now, policy));
    }
    if !exists && table.len() >= UNKNOWN_NAMES {
        let stalest = table
            .iter()
            .min_by_key(|(_, e)| e.last_failure)
            .map(|(k, _)| *k);
        if let Some(k) = stalest {
            table.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, Ordering};

    fn policy_at(now: Arc<AtomicI64>) -> Policy {
        Policy {
            clock: Clock::new(move || now.load(Ordering::SeqCst)),
            ..Policy::default()
        }
    }

    #[test]
    fn five_failures_lock_for_fifteen_minutes_and_a_success_starts_again() {
        let now = Arc::new(AtomicI64::new(1_000_000));
        let policy = policy_at(now.clone());
        let l = Lockouts::default();
        for _ in 0..4 {
            assert!(!l.failed("JSmith", true, &policy));
        }
        l.succeeded("jsmith");
        for _ in 0..4 {
            assert!(
                !l.failed("jsmith", true, &policy),
                "the count started again"
            );
        }
        assert!(l.failed("JSMITH", true, &policy), "the fifth failure locks");
        assert!(l.is_locked("jsmith", true, &policy));
        now.fetch_add(15 * 60 * 1000 - 1, Ordering::SeqCst);
        assert!(l.is_locked("jsmith", true, &policy));
        now.fetch_add(1, Ordering::SeqCst);
        assert!(!l.is_locked("jsmith", true, &policy), "the lock ends");
    }

    #[test]
    fn failures_further_apart_than_the_window_do_not_add_up() {
        let now = Arc::new(AtomicI64::new(0));
        let policy = policy_at(now.clone());
        let l = Lockouts::default();
        for _ in 0..4 {
            assert!(!l.failed("jsmith", true, &policy));
        }
        now.fetch_add(15 * 60 * 1000 + 1, Ordering::SeqCst);
        assert!(!l.failed("jsmith", true, &policy), "a new window");
    }

    #[test]
    fn unknown_names_stay_within_their_bound() {
        let now = Arc::new(AtomicI64::new(0));
        let policy = policy_at(now.clone());
        let l = Lockouts::default();
        for i in 0..UNKNOWN_NAMES + 500 {
            now.fetch_add(1, Ordering::SeqCst);
            l.failed(&format!("nobody{i}"), false, &policy);
        }
        assert_eq!(l.tracked(), (0, UNKNOWN_NAMES));
    }
}
