//! Throttling of failed sign-ins, per user name and per client address.
//!
//! The first `FREE_FAILURES` failures cost nothing; each failure after that
//! locks the key for a delay that doubles, up to `MAX_LOCK`. A success clears
//! the user name's record. Records are forgotten after `FORGET_AFTER` without
//! failures, and the table is bounded so a flood of names cannot grow it forever.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const FREE_FAILURES: u32 = 5;
const FIRST_LOCK: Duration = Duration::from_secs(2);
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Record {
    failures: u32,
    last_failure: Instant,
    locked_until: Option<Instant>,
}

#[derive(Debug, Default)]
pub struct LoginThrottle {
    records: Mutex<HashMap<String, Record>>,
}

/// The keys one attempt is counted against.
pub fn keys(username: &str, client: &str) -> [String; 2] {
    [
        format!("user:{}", username.trim().to_lowercase()),
        format!("addr:{client}"),
    ]
}

impl LoginThrottle {
    /// `Err(wait)` while any key is locked.
    pub fn check(&self, keys: &[String], now: Instant) -> Result<(), Duration> {
        let records = self.lock();
        let wait = keys
            .iter()
            .filter_map(|k| records.get(k))
            .filter_map(|r| r.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max();
        match wait {
            Some(w) => Err(w),
            None => Ok(()),
        }
    }

    /// Counts a failure; returns how long the keys are now locked, if at all.
    pub fn record_failure(&self, keys: &[String], now: Instant) -> Option<Duration> {
        let mut records = self.lock();
        if records.len() >= MAX_ENTRIES {
            records.retain(|_, r| now.saturating_duration_since(r.last_failure) < FORGET_AFTER);
        }
        let mut longest = None;
        for key in keys {
            let r = records.entry(key.clone()).or_insert(Record {
                failures: 0,
                last_failure: now,
                locked_until: None,
            });
            if now.saturating_duration_since(r.last_failure) >= FORGET_AFTER {
                r.failures = 0;
            }
            r.failures = r.failures.saturating_add(1);
            r.last_failure = now;
            if r.failures >= FREE_FAILURES {
                let lock = lock_for(r.failures);
                r.locked_until = Some(now + lock);
                longest = longest.max(Some(lock));
            }
        }
        longest
    }

    /// A successful sign-in clears the user name's record (not the address's:
    /// one valid account must not reset an address that is guessing others).
    pub fn record_success(&self, username_key: &str) {
        self.lock().remove(username_key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Record>> {
        // A panic while holding this lock cannot leave the map inconsistent.
        self.records.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn lock_for(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(FREE_FAILURES).min(20);
    FIRST_LOCK.saturating_mul(1u32 << doublings).min(MAX_LOCK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_then_a_growing_lock() {
        let t = LoginThrottle::default();
        let k = keys("admin", "10.0.0.1");
        let t0 = Instant::now();
        for i in 0..4 {
            assert_eq!(t.record_failure(&k, t0), None, "failure {i} is free");
            assert!(t.check(&k, t0).is_ok());
        }
        assert_eq!(t.record_failure(&k, t0), Some(Duration::from_secs(2)));
        assert!(t.check(&k, t0 + Duration::from_secs(1)).is_err());
        assert!(t.check(&k, t0 + Duration::from_secs(2)).is_ok());
        let t1 = t0 + Duration::from_secs(3);
        assert_eq!(t.record_failure(&k, t1), Some(Duration::from_secs(4)));
        assert_eq!(t.record_failure(&k, t1), Some(Duration::from_secs(8)));
        let wait = t.check(&k, t1).expect_err("locked");
        assert_eq!(wait, Duration::from_secs(8));
    }

    #[test]
    fn lock_is_capped() {
        assert_eq!(lock_for(100), MAX_LOCK);
        assert_eq!(lock_for(u32::MAX), MAX_LOCK);
    }

    #[test]
    fn per_address_counts_across_user_names() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..5 {
            t.record_failure(&keys(&format!("user{i}"), "10.0.0.9"), now);
        }
        // A user name never tried before is still locked out from that address...
        assert!(t.check(&keys("fresh", "10.0.0.9"), now).is_err());
        // ...but not from another address.
        assert!(t.check(&keys("fresh", "10.0.0.10"), now).is_ok());
    }

    #[test]
    fn per_user_counts_across_addresses() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..5 {
            t.record_failure(&keys("admin", &format!("10.0.1.{i}")), now);
        }
        assert!(
            t.check(&keys("ADMIN", "10.9.9.9"), now).is_err(),
            "names are case-insensitive"
        );
    }

    #[test]
    fn success_clears_the_user_and_old_failures_are_forgotten() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        let k = keys("admin", "a");
        for _ in 0..4 {
            t.record_failure(&k, now);
        }
        t.record_success(&k[0]);
        assert_eq!(t.record_failure(&keys("admin", "b"), now), None);
        let later = now + FORGET_AFTER;
        for _ in 0..4 {
            assert_eq!(t.record_failure(&keys("x", "c"), now), None);
        }
        assert_eq!(
            t.record_failure(&keys("x", "c"), later),
            None,
            "an hour later the count restarts"
        );
    }
}
