//! Fault switches of one cluster, shared by every listener and the control API.

use std::mem::discriminant;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

/// Something going wrong in a simulated cluster, as a client would notice it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Backend `i` is down: Alive "false" in /backends, its HTTP port refuses.
    BeDead(usize),
    /// Every FE HTTP listener is closed (connection refused) until cleared.
    FeRefusing,
    /// Every FE HTTP answer is delayed by this long.
    Slow(Duration),
    /// Every FE HTTP answer is a 500 with a FAILED JSON body.
    Http500,
    /// Every FE HTTP answer is a 200 with random non-JSON bytes.
    GarbageBody,
    /// Every FE HTTP body is cut in half.
    TruncatedBody,
    /// Every login fails: HTTP 401 on show_proc and an access-denied MySQL login.
    WrongCredentials,
    /// Every FE MySQL listener is closed and open sessions dropped until cleared.
    MysqlDown,
    /// The leader FE restarts when this is set: its counters start again near zero
    /// and its start time moves. Setting it again restarts it again.
    FeRestart,
}

impl Fault {
    /// The name used by the control API.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::BeDead(_) => "be_dead",
            Fault::FeRefusing => "fe_refusing",
            Fault::Slow(_) => "slow",
            Fault::Http500 => "http500",
            Fault::GarbageBody => "garbage_body",
            Fault::TruncatedBody => "truncated_body",
            Fault::WrongCredentials => "wrong_credentials",
            Fault::MysqlDown => "mysql_down",
            Fault::FeRestart => "fe_restart",
        }
    }

    /// Same switch: `BeDead` per index, every other kind regardless of its payload
    /// (so clearing `Slow(any)` clears the active delay).
    fn same_switch(&self, other: &Fault) -> bool {
        match (self, other) {
            (Fault::BeDead(a), Fault::BeDead(b)) => a == b,
            _ => discriminant(self) == discriminant(other),
        }
    }
}

/// Time-dependent facts the model needs from the faults: when things happened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// Unix ms of every leader-FE restart, oldest first.
    pub restarts: Vec<i64>,
    /// (backend index, unix ms it died).
    pub dead: Vec<(usize, i64)>,
}

impl View {
    pub fn dead_since(&self, be: usize) -> Option<i64> {
        self.dead.iter().find(|(i, _)| *i == be).map(|(_, t)| *t)
    }
}

#[derive(Default)]
struct Inner {
    active: Vec<(Fault, i64)>,
    restarts: Vec<i64>,
}

/// Clone handle on a cluster's faults. Listeners watch it to close and rebind.
#[derive(Clone)]
pub struct Faults {
    inner: Arc<Mutex<Inner>>,
    changed: Arc<watch::Sender<u64>>,
}

impl Default for Faults {
    fn default() -> Self {
        Self::new()
    }
}

impl Faults {
    pub fn new() -> Faults {
        Faults {
            inner: Arc::new(Mutex::new(Inner::default())),
            changed: Arc::new(watch::channel(0).0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not take the simulator down with it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn notify(&self) {
        self.changed.send_modify(|g| *g = g.wrapping_add(1));
    }

    /// Turns a fault on (replacing the same switch's earlier setting).
    pub fn set(&self, f: Fault) {
        self.set_at(f, crate::now_ms());
    }

    /// [`Faults::set`] as of `now_ms`, for tests that inject time.
    pub fn set_at(&self, f: Fault, now_ms: i64) {
        {
            let mut g = self.lock();
            if f == Fault::FeRestart {
                g.restarts.push(now_ms);
            }
            g.active.retain(|(a, _)| !a.same_switch(&f));
            tracing::info!(fault = f.name(), "simulator fault set");
            g.active.push((f, now_ms));
        }
        self.notify();
    }

    /// Turns one switch off (`BeDead` by index, others by kind).
    pub fn clear(&self, f: &Fault) {
        self.lock().active.retain(|(a, _)| !a.same_switch(f));
        self.notify();
    }

    /// Turns every switch off. Past restarts stay in the model's history.
    pub fn clear_all(&self) {
        self.lock().active.clear();
        self.notify();
    }

    pub fn active(&self) -> Vec<Fault> {
        self.lock().active.iter().map(|(f, _)| f.clone()).collect()
    }

    pub fn is_active(&self, f: &Fault) -> bool {
        self.lock().active.iter().any(|(a, _)| a.same_switch(f))
    }

    /// The active delay, if any.
    pub fn slow(&self) -> Option<Duration> {
        self.lock().active.iter().find_map(|(f, _)| match f {
            Fault::Slow(d) => Some(*d),
            _ => None,
        })
    }

    pub fn view(&self) -> View {
        let g = self.lock();
        View {
            restarts: g.restarts.clone(),
            dead: g
                .active
                .iter()
                .filter_map(|(f, t)| match f {
                    Fault::BeDead(i) => Some((*i, *t)),
                    _ => None,
                })
                .collect(),
        }
    }

    /// A receiver that changes whenever a fault is set or cleared.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_matches_switches() {
        let f = Faults::new();
        f.set(Fault::BeDead(0));
        f.set(Fault::BeDead(1));
        f.set(Fault::Slow(Duration::from_millis(5)));
        f.set(Fault::Slow(Duration::from_millis(9)));
        assert_eq!(f.slow(), Some(Duration::from_millis(9)));
        f.clear(&Fault::BeDead(0));
        f.clear(&Fault::Slow(Duration::ZERO));
        assert_eq!(f.active(), vec![Fault::BeDead(1)]);
        f.clear_all();
        assert!(f.active().is_empty());
    }
}
