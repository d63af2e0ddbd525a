//! Throttling of failed sign-ins.
//!
//! An attempt is counted against three keys, each with its own rule:
//!
//! - **the user name from one client address** ([`FREE_FAILURES`] free
//!   failures, then each further failure locks that pair for a delay that
//!   doubles from 2 s up to 15 minutes): a guesser locks only itself out, never
//!   the same account signing in from elsewhere;
//! - **the client address across user names** ([`ADDRESS_FREE_FAILURES`]
//!   failures within 15 minutes, then the address is locked, with the same
//!   doubling delay): one address spraying many names stops;
//! - **the user name from anywhere** ([`ACCOUNT_FREE_FAILURES`] failures within
//!   15 minutes, then each further attempt for that name waits
//!   [`ACCOUNT_DELAY`] before its password is checked): a delay, never a lock,
//!   so nobody can lock an account for everyone.
//!
//! An attempt is reserved before its password is checked ([`LoginThrottle::begin`])
//! and settled afterwards ([`Attempt::succeeded`], [`Attempt::failed`]; dropping
//! it unsettled counts as a failure). Attempts in flight count: a burst beyond
//! the failures still allowed is refused at once, without checking a password.
//!
//! Keys are bounded (user names and addresses cut to [`MAX_KEY_CHARS`]
//! characters; IPv6 addresses grouped by /64, what one host usually has), and
//! so is the table ([`MAX_ENTRIES`]): quiet records are pruned every minute,
//! and when the table is full the least useful tenth is dropped, unlocked and
//! least recently active first (see [`LoginThrottle::begin`] for why).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Failures of one user name from one address before the pair is locked.
pub const FREE_FAILURES: u32 = 5;
/// Failures from one address, across user names, within [`WINDOW`] before the
/// address is locked.
pub const ADDRESS_FREE_FAILURES: u32 = 50;
/// Failures for one user name, from any addresses, within [`WINDOW`] before
/// each further attempt for it is delayed.
pub const ACCOUNT_FREE_FAILURES: u32 = 20;
/// How long an attempt for a much-guessed account waits before its password is checked.
pub const ACCOUNT_DELAY: Duration = Duration::from_secs(2);
/// The window of the address and account counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// User names and addresses are cut to this many characters in keys.
pub const MAX_KEY_CHARS: usize = 64;
/// The most records the table holds.
pub const MAX_ENTRIES: usize = 100_000;

const FIRST_LOCK: Duration = Duration::from_secs(2);
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// A pair's count restarts after this long without a failure.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
const PRUNE_EVERY: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// (user name, address)
    Pair,
    Address,
    Account,
}

struct Policy {
    free: u32,
    /// Below `free`, failures older than this (from the first one) no longer count.
    window: Duration,
    /// Once at `free` or more, the count restarts after this long without a failure.
    forget: Duration,
    /// Locks the key (else delays attempts).
    locks: bool,
}

impl Kind {
    fn policy(self) -> Policy {
        match self {
            Kind::Pair => Policy {
                free: FREE_FAILURES,
                window: FORGET_AFTER,
                forget: FORGET_AFTER,
                locks: true,
            },
            Kind::Address => Policy {
                free: ADDRESS_FREE_FAILURES,
                window: WINDOW,
                forget: FORGET_AFTER,
                locks: true,
            },
            Kind::Account => Policy {
                free: ACCOUNT_FREE_FAILURES,
                window: WINDOW,
                forget: WINDOW,
                locks: false,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Pair(Box<str>, Box<str>),
    Address(Box<str>),
    Account(Box<str>),
}

impl Key {
    fn kind(&self) -> Kind {
        match self {
            Key::Pair(..) => Kind::Pair,
            Key::Address(_) => Kind::Address,
            Key::Account(_) => Kind::Account,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Record {
    /// Settled failures in the current window.
    failures: u32,
    /// Attempts reserved and not yet settled.
    pending: u32,
    window_start: Instant,
    last_failure: Instant,
    /// The last reservation or failure: the least recently active go first when full.
    touched: Instant,
    locked_until: Option<Instant>,
}

impl Record {
    fn new(now: Instant) -> Self {
        Record {
            failures: 0,
            pending: 0,
            window_start: now,
            last_failure: now,
            touched: now,
            locked_until: None,
        }
    }

    /// Restarts the count when its window or quiet period has passed.
    fn refresh(&mut self, policy: &Policy, now: Instant) {
        if self.failures == 0 {
            return;
        }
        let quiet = now.saturating_duration_since(self.last_failure) >= policy.forget;
        let window_over = self.failures < policy.free
            && now.saturating_duration_since(self.window_start) >= policy.window;
        if (quiet || window_over) && !self.locked(now) {
            self.failures = 0;
            self.locked_until = None;
            self.window_start = now;
        }
    }

    fn locked(&self, now: Instant) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }

    /// Locked, or at its limit: dropped last when the table is full.
    fn engaged(&self, policy: &Policy, now: Instant) -> bool {
        self.locked(now) || self.failures >= policy.free
    }

    fn expired(&self, policy: &Policy, now: Instant) -> bool {
        self.pending == 0
            && !self.locked(now)
            && (self.failures == 0
                || now.saturating_duration_since(self.last_failure) >= policy.forget
                || (self.failures < policy.free
                    && now.saturating_duration_since(self.window_start) >= policy.window))
    }
}

#[derive(Debug)]
struct Table {
    records: HashMap<Key, Record>,
    capacity: usize,
    last_prune: Option<Instant>,
}

#[derive(Debug)]
pub struct LoginThrottle {
    table: Mutex<Table>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::with_capacity(MAX_ENTRIES)
    }
}

/// A user name as a key: trimmed, lower case, at most [`MAX_KEY_CHARS`] characters.
fn name_key(username: &str) -> Box<str> {
    username
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .take(MAX_KEY_CHARS)
        .collect()
}

/// An address as a key: IPv6 addresses by their /64 (one host usually has a
/// whole /64, so counting single addresses would not hold it back), anything
/// else as given, at most [`MAX_KEY_CHARS`] characters.
fn address_key(client: &str) -> Box<str> {
    let client = client.trim();
    match client.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V6(v6)) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", std::net::Ipv6Addr::from(bits)).into()
        }
        Ok(IpAddr::V4(v4)) => v4.to_string().into(),
        Err(_) => client.chars().take(MAX_KEY_CHARS).collect(),
    }
}

fn keys(username: &str, client: &str) -> [Key; 3] {
    let name = name_key(username);
    let addr = address_key(client);
    [
        Key::Pair(name.clone(), addr.clone()),
        Key::Address(addr),
        Key::Account(name),
    ]
}

fn lock_for(failures: u32, free: u32) -> Duration {
    let doublings = failures.saturating_sub(free).min(20);
    FIRST_LOCK.saturating_mul(1u32 << doublings).min(MAX_LOCK)
}

/// One sign-in attempt reserved in the throttle. Settle it with
/// [`succeeded`](Attempt::succeeded) or [`failed`](Attempt::failed); dropped
/// unsettled (the request was abandoned, or an error ended it) it counts as a
/// failure, so hanging up early buys no free guesses.
#[derive(Debug)]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    keys: [Key; 3],
    delay: Duration,
    settled: bool,
}

impl Attempt<'_> {
    /// How long to wait before checking the password (zero unless the account
    /// has had [`ACCOUNT_FREE_FAILURES`] failures within the window).
    pub fn delay(&self) -> Duration {
        self.delay
    }

    /// The password was right: clears the pair's record and releases the rest.
    pub fn succeeded(mut self) {
        self.settled = true;
        self.throttle
            .settle(&self.keys, Outcome::Success, Instant::now());
    }

    /// The password was wrong: counts the failure; returns how long the
    /// attempt's pair or address is now locked, if at all.
    pub fn failed(mut self, now: Instant) -> Option<Duration> {
        self.settled = true;
        self.throttle.settle(&self.keys, Outcome::Failure, now)
    }
}

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        if !self.settled {
            self.throttle
                .settle(&self.keys, Outcome::Failure, Instant::now());
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Success,
    Failure,
}

impl LoginThrottle {
    /// A throttle whose table holds at most `capacity` records.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            table: Mutex::new(Table {
                records: HashMap::new(),
                capacity: capacity.max(3),
                last_prune: None,
            }),
        }
    }

    /// Records in the table.
    pub fn len(&self) -> usize {
        self.lock().records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reserves an attempt of `username` from `client`, or `Err(wait)` when
    /// it is refused without checking the password: its pair or its address
    /// is locked, or as many attempts are already in flight as failures are
    /// still allowed.
    ///
    /// When the table is full, the tenth of it least worth keeping is dropped:
    /// unlocked records before locked ones (and before an account at its
    /// limit), the least recently active first, never one with an attempt in
    /// flight. Refusing new keys instead would let a flood from many
    /// addresses lock out everyone who has no record yet, the very weapon
    /// this throttle must not hand out. Dropping the oldest cannot be turned
    /// into an escape either: only an attempt that is let through creates
    /// records (at most three), each such attempt costs an argon2
    /// verification queued behind the hashing semaphore, so clearing a tenth
    /// of the table takes thousands of verified attempts, and a locked record
    /// goes only when there are too few unlocked ones to drop. Should every
    /// record have an attempt in flight, the attempt is refused: the cap is hard.
    pub fn begin(
        &self,
        username: &str,
        client: &str,
        now: Instant,
    ) -> Result<Attempt<'_>, Duration> {
        let keys = keys(username, client);
        let mut table = self.lock();
        table.prune(now);
        let mut wait: Option<Duration> = None;
        let mut delay = Duration::ZERO;
        for key in &keys {
            let policy = key.kind().policy();
            let Some(r) = table.records.get_mut(key) else {
                continue;
            };
            r.refresh(&policy, now);
            if let Some(until) = r.locked_until.filter(|u| *u > now) {
                wait = wait.max(Some(until - now));
            } else if policy.locks {
                // After the limit every failure locks, so one attempt at a time.
                let allowed = policy.free.saturating_sub(r.failures).max(1);
                if r.pending >= allowed {
                    wait = wait.max(Some(FIRST_LOCK));
                }
            } else if r.failures.saturating_add(r.pending) >= policy.free {
                delay = ACCOUNT_DELAY;
            }
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        let missing = keys
            .iter()
            .filter(|k| !table.records.contains_key(*k))
            .count();
        if !table.make_room(missing, now) {
            return Err(FIRST_LOCK);
        }
        for key in &keys {
            let r = table
                .records
                .entry(key.clone())
                .or_insert_with(|| Record::new(now));
            r.pending = r.pending.saturating_add(1);
            r.touched = now;
        }
        Ok(Attempt {
            throttle: self,
            keys,
            delay,
            settled: false,
        })
    }

    fn settle(&self, keys: &[Key; 3], outcome: Outcome, now: Instant) -> Option<Duration> {
        let mut table = self.lock();
        let mut longest = None;
        for key in keys {
            let policy = key.kind().policy();
            if !table.records.contains_key(key) {
                // Dropped while in flight (it should not be): start afresh.
                if outcome == Outcome::Success || !table.make_room(1, now) {
                    continue;
                }
                let mut r = Record::new(now);
                r.pending = 1;
                table.records.insert(key.clone(), r);
            }
            let Some(r) = table.records.get_mut(key) else {
                continue;
            };
            r.pending = r.pending.saturating_sub(1);
            match outcome {
                Outcome::Success => {
                    if key.kind() == Kind::Pair {
                        // A success clears only the pair: one valid account must
                        // not reset an address or an account others are guessing.
                        r.failures = 0;
                        r.locked_until = None;
                    }
                }
                Outcome::Failure => {
                    r.refresh(&policy, now);
                    if r.failures == 0 {
                        r.window_start = now;
                    }
                    r.failures = r.failures.saturating_add(1);
                    r.last_failure = now;
                    r.touched = now;
                    if policy.locks && r.failures >= policy.free {
                        let lock = lock_for(r.failures, policy.free);
                        r.locked_until = Some(now + lock);
                        longest = longest.max(Some(lock));
                    }
                }
            }
            if r.failures == 0 && r.pending == 0 {
                table.records.remove(key);
            }
        }
        longest
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        // A panic while holding this lock cannot leave the table inconsistent.
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Table {
    /// Drops records that no longer matter, at most once a minute.
    fn prune(&mut self, now: Instant) {
        if self
            .last_prune
            .is_some_and(|t| now.saturating_duration_since(t) < PRUNE_EVERY)
        {
            return;
        }
        self.last_prune = Some(now);
        self.records
            .retain(|k, r| !r.expired(&k.kind().policy(), now));
    }

    /// Makes room for `needed` new records; false when it cannot (every
    /// record has an attempt in flight).
    fn make_room(&mut self, needed: usize, now: Instant) -> bool {
        if self.records.len() + needed <= self.capacity {
            return true;
        }
        self.records
            .retain(|k, r| !r.expired(&k.kind().policy(), now));
        self.last_prune = Some(now);
        let target = self.capacity - self.capacity / 10;
        if self.records.len() + needed > target {
            // The least worth keeping first: not engaged, then least recently active.
            let mut ranks: Vec<(bool, Instant)> = self
                .records
                .iter()
                .filter(|(_, r)| r.pending == 0)
                .map(|(k, r)| (r.engaged(&k.kind().policy(), now), r.touched))
                .collect();
            let excess = (self.records.len() + needed - target).min(ranks.len());
            if excess > 0 {
                let (_, cutoff, _) = ranks.select_nth_unstable(excess - 1);
                let cutoff = *cutoff;
                let below = ranks.iter().filter(|rank| **rank < cutoff).count();
                // Those below the cutoff all go; of those equal to it, as many as needed.
                let mut at_cutoff = excess - below;
                self.records.retain(|k, r| {
                    if r.pending > 0 {
                        return true;
                    }
                    let rank = (r.engaged(&k.kind().policy(), now), r.touched);
                    if rank < cutoff {
                        false
                    } else if rank == cutoff && at_cutoff > 0 {
                        at_cutoff -= 1;
                        false
                    } else {
                        true
                    }
                });
            }
        }
        self.records.len() + needed <= self.capacity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail(t: &LoginThrottle, user: &str, addr: &str, now: Instant) -> Option<Duration> {
        t.begin(user, addr, now).expect("not locked").failed(now)
    }

    #[test]
    fn five_failures_then_a_growing_lock() {
        let t = LoginThrottle::default();
        let t0 = Instant::now();
        for i in 0..4 {
            assert_eq!(
                fail(&t, "admin", "10.0.0.1", t0),
                None,
                "failure {i} is free"
            );
        }
        assert_eq!(
            fail(&t, "admin", "10.0.0.1", t0),
            Some(Duration::from_secs(2))
        );
        let wait = t
            .begin("admin", "10.0.0.1", t0 + Duration::from_secs(1))
            .expect_err("locked");
        assert_eq!(wait, Duration::from_secs(1));
        let t1 = t0 + Duration::from_secs(3);
        assert_eq!(
            fail(&t, "admin", "10.0.0.1", t1),
            Some(Duration::from_secs(4))
        );
        let t2 = t1 + Duration::from_secs(4);
        assert_eq!(
            fail(&t, "admin", "10.0.0.1", t2),
            Some(Duration::from_secs(8))
        );
        assert_eq!(
            t.begin("admin", "10.0.0.1", t2).expect_err("locked"),
            Duration::from_secs(8)
        );
    }

    #[test]
    fn lock_is_capped() {
        assert_eq!(lock_for(100, FREE_FAILURES), MAX_LOCK);
        assert_eq!(lock_for(u32::MAX, FREE_FAILURES), MAX_LOCK);
        assert_eq!(
            lock_for(ADDRESS_FREE_FAILURES, ADDRESS_FREE_FAILURES),
            FIRST_LOCK
        );
    }

    #[test]
    fn lockout_of_one_client_does_not_lock_out_another() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..5 {
            fail(&t, "admin", "10.0.1.1", now);
        }
        assert!(
            t.begin("admin", "10.0.1.1", now).is_err(),
            "the guesser is locked"
        );
        assert!(
            t.begin("ADMIN ", "10.0.1.1", now).is_err(),
            "names are case-insensitive and trimmed"
        );
        let other = t
            .begin("admin", "10.0.1.2", now)
            .expect("another client is not");
        assert_eq!(other.delay(), Duration::ZERO);
        other.succeeded();
    }

    #[test]
    fn a_flood_from_one_address_locks_that_address() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 1..ADDRESS_FREE_FAILURES {
            assert_eq!(
                fail(&t, &format!("user{i}"), "10.0.0.9", now),
                None,
                "failure {i}"
            );
        }
        assert_eq!(
            fail(&t, "user-last", "10.0.0.9", now),
            Some(FIRST_LOCK),
            "the 50th failure locks the address"
        );
        assert!(
            t.begin("fresh", "10.0.0.9", now).is_err(),
            "a user name never tried is locked out from that address"
        );
        t.begin("fresh", "10.0.0.10", now)
            .expect("but not from another")
            .succeeded();
        // The address count is per 15 minutes: 49 failures spread wider do not lock.
        let t2 = LoginThrottle::default();
        for i in 1..ADDRESS_FREE_FAILURES {
            fail(&t2, &format!("user{i}"), "10.0.0.11", now);
        }
        let later = now + WINDOW;
        assert_eq!(fail(&t2, "one-more", "10.0.0.11", later), None);
    }

    #[test]
    fn an_ipv6_address_counts_by_its_64() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 1..=ADDRESS_FREE_FAILURES {
            fail(
                &t,
                &format!("user{i}"),
                &format!("2001:db8:1:2::{i:x}"),
                now,
            );
        }
        assert!(t.begin("fresh", "2001:db8:1:2:ffff::1", now).is_err());
        t.begin("fresh", "2001:db8:1:3::1", now)
            .expect("another /64")
            .succeeded();
        assert_eq!(&*address_key("::ffff:192.0.2.1"), "192.0.2.1");
    }

    #[test]
    fn a_much_guessed_account_is_delayed_not_locked() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..ACCOUNT_FREE_FAILURES {
            let a = t
                .begin("admin", &format!("10.2.0.{i}"), now)
                .expect("distinct addresses are not locked");
            assert_eq!(a.delay(), Duration::ZERO, "attempt {i}");
            a.failed(now);
        }
        let a = t
            .begin("admin", "10.3.0.1", now)
            .expect("an account is never locked for everyone");
        assert_eq!(a.delay(), ACCOUNT_DELAY);
        a.succeeded();
        let a = t
            .begin("admin", "10.3.0.1", now + WINDOW)
            .expect("still open");
        assert_eq!(
            a.delay(),
            Duration::ZERO,
            "the delay ends after a quiet window"
        );
        a.succeeded();
    }

    #[test]
    fn attempts_in_flight_count_against_the_allowance() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        let in_flight: Vec<_> = (0..FREE_FAILURES)
            .map(|i| {
                t.begin("admin", "10.0.0.5", now)
                    .unwrap_or_else(|_| panic!("{i}"))
            })
            .collect();
        assert!(
            t.begin("admin", "10.0.0.5", now).is_err(),
            "a sixth attempt in flight is refused before verifying"
        );
        let results: Vec<_> = in_flight.into_iter().map(|a| a.failed(now)).collect();
        assert_eq!(results.iter().filter(|r| r.is_some()).count(), 1);
        assert!(t.begin("admin", "10.0.0.5", now).is_err(), "now locked");
    }

    #[test]
    fn an_abandoned_attempt_counts_as_a_failure() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..FREE_FAILURES {
            drop(t.begin("admin", "10.0.0.6", now).expect("free"));
        }
        assert!(t.begin("admin", "10.0.0.6", Instant::now()).is_err());
    }

    #[test]
    fn success_clears_the_pair_and_old_failures_are_forgotten() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for _ in 0..4 {
            fail(&t, "admin", "a", now);
        }
        t.begin("admin", "a", now).expect("free").succeeded();
        for i in 0..4 {
            assert_eq!(fail(&t, "admin", "a", now), None, "cleared: {i}");
        }
        let later = now + FORGET_AFTER;
        assert_eq!(
            fail(&t, "admin", "a", later),
            None,
            "an hour later the count restarts"
        );
        assert_eq!(t.len(), 3);
        // Records that no longer matter are pruned.
        let much_later = later + FORGET_AFTER;
        t.begin("someone", "b", much_later)
            .expect("free")
            .succeeded();
        assert!(t.is_empty(), "{}", t.len());
    }

    #[test]
    fn the_throttle_map_is_bounded() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        let long_name = "x".repeat(10_000);
        // A flood of fresh names from fresh addresses, all at once.
        for i in 0..(MAX_ENTRIES as u32 / 2) {
            let addr = std::net::Ipv4Addr::from(0x0a00_0000 + i).to_string();
            let name = format!("{i}{long_name}");
            fail(&t, &name, &addr, now);
            assert!(t.len() <= MAX_ENTRIES);
        }
        assert!(t.len() <= MAX_ENTRIES, "{}", t.len());
        {
            let table = t.lock();
            let longest = table
                .records
                .keys()
                .map(|k| match k {
                    Key::Pair(n, a) => n.chars().count().max(a.chars().count()),
                    Key::Address(a) | Key::Account(a) => a.chars().count(),
                })
                .max();
            assert_eq!(longest, Some(MAX_KEY_CHARS), "keys are cut");
        }
    }

    #[test]
    fn a_full_table_drops_unlocked_records_before_locks() {
        let t = LoginThrottle::with_capacity(1_000);
        let t0 = Instant::now();
        for _ in 0..FREE_FAILURES {
            fail(&t, "admin", "192.0.2.1", t0);
        }
        // A later flood, each name and address failing once.
        let t1 = t0 + Duration::from_secs(1);
        for i in 0..5_000u32 {
            let addr = std::net::Ipv4Addr::from(0x0a00_0000 + i).to_string();
            fail(&t, &format!("n{i}"), &addr, t1);
            assert!(t.len() <= 1_000);
        }
        assert!(
            t.begin("admin", "192.0.2.1", t1).is_err(),
            "the flood has not evicted the lock"
        );
    }
}
