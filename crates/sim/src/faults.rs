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
    /// FE `i` is down: its HTTP and MySQL ports refuse, the other FEs list it
    /// with Alive "false" and an ErrMsg, and the next FE up leads while it is down.
    FeDown(usize),
    /// Every FE HTTP answer is delayed by this long.
    Slow(Duration),
    /// Every MySQL statement (not the login) is answered after this long.
    MysqlSlow(Duration),
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
    /// FE and BE `/metrics` answer about this many bytes of distinct gauges
    /// (`# TYPE bomb_00000001 gauge` and one sample each); built once per size.
    MetricsBomb(usize),
    /// Every FE HTTP answer is a 401 whose FAILED JSON `msg` is this many bytes.
    HugeError(usize),
    /// The node lists (`/backends`, `/compute_nodes`, `/frontends`) name hostile
    /// hosts ([`HOSTILE_HOSTS`]) in their `IP` column.
    NodeInjection,
    /// Every FE HTTP answer and BE `/metrics` is a `302 Found` to this location.
    Redirect(String),
    /// `/backends` (`/compute_nodes` in shared-data) lists this many alive nodes.
    ManyNodes(usize),
    /// Each alive FE runs this many more queries (at most [`MAX_BUSY_QUERIES`]),
    /// each for up to ten minutes: a busy cluster for the Queries page's figures.
    BusyQueries(usize),
    /// FE HTTP and BE `/metrics` bodies are sent one byte per this long.
    Drip(Duration),
    /// The first routine load job (on the model's first database) is PAUSED:
    /// `routine_load_jobs{state="PAUSED"}` 1 and RUNNING one less (3.0: its
    /// per-job line says PAUSED), `SHOW ROUTINE LOAD` gives the reason
    /// [`TOO_MANY_ERROR_ROWS`], and the `routine_load_paused` counter counts it.
    RoutineLoadPaused,
    /// The model's first database piles up transactions: its
    /// `txn_running{db=...}` is 950 (the alert is at 900) and `txn_failed`
    /// (and `txn_begin`) grow fast enough that failed / (success + failed) over
    /// any interval inside the fault is above 5 %.
    TxnPileup,
    /// Checkpoints stop: every FE's `meta_log_count` reads 150,000 plus the
    /// journal written since the fault was set (the alert is at 100,000).
    CheckpointStuck,
    /// Backend 0's `max_tablet_rowset_num` reads 900 and up (the alert is at 700).
    RowsetExplosion,
    /// Tablets of the model's first database are unhealthy in `/statistic`
    /// (a few in error state, some cloning), the Total row with them, and the
    /// leader's `scheduled_tablet_num` is above 0. Shared-data clusters count
    /// no replica health, so nothing shows there.
    TabletsUnhealthy,
}

/// The reason [`Fault::RoutineLoadPaused`] gives in `ReasonOfStateChanged`:
/// StarRocks' own wording, with `TOO_MANY_FAILURE_ROWS_ERR`'s code (102).
pub const TOO_MANY_ERROR_ROWS: &str =
    "ErrorReason{errCode = 102, msg='current error rows is more than max error num'}";

/// The hosts [`Fault::NodeInjection`] puts in the node lists, one a row; the last
/// one looks normal (and is where the simulator listens).
pub const HOSTILE_HOSTS: [&str; 6] = [
    "169.254.169.254/latest/meta-data/#",
    "user:pass@evil.example",
    "10.0.0.1:9999",
    "http://evil.example",
    "evil.example/x?y",
    "127.0.0.1",
];

/// The most bytes [`Fault::MetricsBomb`] and [`Fault::HugeError`] write (1 GiB),
/// and the most rows [`Fault::ManyNodes`] lists (1,000,000): larger settings are cut.
pub const MAX_BOMB_BYTES: usize = 1 << 30;
pub const MAX_NODES: usize = 1_000_000;
/// The most queries [`Fault::BusyQueries`] adds to each FE.
pub const MAX_BUSY_QUERIES: usize = 10_000;

impl Fault {
    /// The name used by the control API.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::BeDead(_) => "be_dead",
            Fault::FeRefusing => "fe_refusing",
            Fault::FeDown(_) => "fe_down",
            Fault::Slow(_) => "slow",
            Fault::MysqlSlow(_) => "mysql_slow",
            Fault::Http500 => "http500",
            Fault::GarbageBody => "garbage_body",
            Fault::TruncatedBody => "truncated_body",
            Fault::WrongCredentials => "wrong_credentials",
            Fault::MysqlDown => "mysql_down",
            Fault::FeRestart => "fe_restart",
            Fault::MetricsBomb(_) => "metrics_bomb",
            Fault::HugeError(_) => "huge_error",
            Fault::NodeInjection => "node_injection",
            Fault::Redirect(_) => "redirect",
            Fault::ManyNodes(_) => "many_nodes",
            Fault::BusyQueries(_) => "busy_queries",
            Fault::Drip(_) => "drip",
            Fault::RoutineLoadPaused => "routine_load_paused",
            Fault::TxnPileup => "txn_pileup",
            Fault::CheckpointStuck => "checkpoint_stuck",
            Fault::RowsetExplosion => "rowset_explosion",
            Fault::TabletsUnhealthy => "tablets_unhealthy",
        }
    }

    /// Whether the model's figures remember when this fault was on after it
    /// is cleared ([`View::episodes`]): a BE death (its tablets clone back)
    /// and the operations-health faults (counters keep what they counted).
    fn remembered(&self) -> bool {
        matches!(
            self,
            Fault::BeDead(_)
                | Fault::RoutineLoadPaused
                | Fault::TxnPileup
                | Fault::CheckpointStuck
                | Fault::RowsetExplosion
                | Fault::TabletsUnhealthy
        )
    }

    /// Same switch: `BeDead` and `FeDown` per index, every other kind regardless
    /// of its payload (so clearing `Slow(any)` clears the active delay).
    fn same_switch(&self, other: &Fault) -> bool {
        match (self, other) {
            (Fault::BeDead(a), Fault::BeDead(b)) | (Fault::FeDown(a), Fault::FeDown(b)) => a == b,
            _ => discriminant(self) == discriminant(other),
        }
    }
}

/// One period a remembered fault was on: set at `from`, cleared at `to`
/// (`None` while it is still on). Unix ms.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    pub fault: Fault,
    pub from: i64,
    pub to: Option<i64>,
}

impl Episode {
    /// On at `t`: set by then and not yet cleared (a clear after `t` does not
    /// count, so a test may look at any time of a recorded history).
    fn on_at(&self, t: i64) -> bool {
        self.from <= t && self.to.is_none_or(|to| to > t)
    }
}

/// How many ended episodes [`Faults`] keeps (the open ones are all kept):
/// enough that counters integrating them since an FE's start never lose one
/// in practice, small enough to copy into every [`View`].
const MAX_ENDED: usize = 1_024;

/// Time-dependent facts the model needs from the faults: when things happened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    /// Unix ms of every leader-FE restart, oldest first.
    pub restarts: Vec<i64>,
    /// (backend index, unix ms it died).
    pub dead: Vec<(usize, i64)>,
    /// (FE index, unix ms it went down).
    pub fe_down: Vec<(usize, i64)>,
    /// [`Fault::NodeInjection`] is on: the node lists name [`HOSTILE_HOSTS`].
    pub hostile_hosts: bool,
    /// [`Fault::ManyNodes`]: how many backends (compute nodes) to list.
    pub many_nodes: Option<usize>,
    /// [`Fault::BusyQueries`]: how many more queries each FE runs.
    pub busy_queries: Option<usize>,
    /// When the remembered faults (`be_dead` and the operations-health ones)
    /// were on, oldest first: counters integrate them and tablets heal after.
    pub episodes: Vec<Episode>,
}

/// Same kind of fault, whatever its index or payload.
fn same_kind(a: &Fault, b: &Fault) -> bool {
    discriminant(a) == discriminant(b)
}

impl View {
    pub fn dead_since(&self, be: usize) -> Option<i64> {
        self.dead.iter().find(|(i, _)| *i == be).map(|(_, t)| *t)
    }

    pub fn fe_down_since(&self, fe: usize) -> Option<i64> {
        self.fe_down.iter().find(|(i, _)| *i == fe).map(|(_, t)| *t)
    }

    /// The FE that leads among `frontends`: FE 0, or the first one up while it is
    /// down (what BDB-JE's election ends with here); `None` when all are down.
    pub fn leader(&self, frontends: usize) -> Option<usize> {
        (0..frontends).find(|j| self.fe_down_since(*j).is_none())
    }

    fn of_kind<'a>(&'a self, kind: &'a Fault) -> impl Iterator<Item = &'a Episode> + 'a {
        self.episodes.iter().filter(|e| same_kind(&e.fault, kind))
    }

    /// When the episode of `kind` that is on at `t` began; `None` when off.
    pub fn on_since(&self, kind: &Fault, t: i64) -> Option<i64> {
        self.of_kind(kind)
            .filter(|e| e.on_at(t))
            .map(|e| e.from)
            .max()
    }

    /// The parts of the time from `a` to `b` during which `kind` was on, as
    /// the (start, end) each episode covers.
    pub fn spans(&self, kind: &Fault, a: i64, b: i64) -> Vec<(i64, i64)> {
        self.of_kind(kind)
            .filter_map(|e| {
                let (s, end) = (e.from.max(a), e.to.unwrap_or(i64::MAX).min(b));
                (s < end).then_some((s, end))
            })
            .collect()
    }

    /// How many episodes of `kind` began in (`a`, `b`].
    pub fn started(&self, kind: &Fault, a: i64, b: i64) -> u64 {
        self.of_kind(kind)
            .filter(|e| a < e.from && e.from <= b)
            .count() as u64
    }

    /// How much of `kind` lingers at `t`, summed over its episodes: 1 for each
    /// one on, and for each ended one a share falling linearly from 1 to 0
    /// after its end (what is left to repair) over as long as it lasted, at
    /// most `max_heal_ms`: a short outage leaves little to catch up on.
    pub fn lingering(&self, kind: &Fault, t: i64, max_heal_ms: i64) -> f64 {
        self.of_kind(kind)
            .filter(|e| e.from <= t)
            .map(|e| match e.to {
                Some(to) if to <= t => {
                    let heal = (to - e.from).clamp(1, max_heal_ms.max(1));
                    (1.0 - (t - to) as f64 / heal as f64).clamp(0.0, 1.0)
                }
                _ => 1.0,
            })
            .sum()
    }
}

#[derive(Default)]
struct Inner {
    active: Vec<(Fault, i64)>,
    restarts: Vec<i64>,
    episodes: Vec<Episode>,
}

impl Inner {
    /// Ends the open episodes `pick` selects at `now`, keeping the last
    /// [`MAX_ENDED`] ended ones.
    fn end(&mut self, now: i64, pick: impl Fn(&Fault) -> bool) {
        for e in &mut self.episodes {
            if e.to.is_none() && pick(&e.fault) {
                e.to = Some(now.max(e.from));
            }
        }
        let ended = self.episodes.iter().filter(|e| e.to.is_some()).count();
        let mut drop = ended.saturating_sub(MAX_ENDED);
        self.episodes.retain(|e| {
            let old = drop > 0 && e.to.is_some();
            drop -= usize::from(old);
            !old
        });
    }
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
            // Setting a remembered fault that is on already changes nothing
            // in its history: the episode goes on.
            let open = g
                .episodes
                .iter()
                .any(|e| e.to.is_none() && e.fault.same_switch(&f));
            if f.remembered() && !open {
                g.episodes.push(Episode {
                    fault: f.clone(),
                    from: now_ms,
                    to: None,
                });
            }
            g.active.push((f, now_ms));
        }
        self.notify();
    }

    /// Turns one switch off (`BeDead` and `FeDown` by index, others by kind).
    pub fn clear(&self, f: &Fault) {
        self.clear_at(f, crate::now_ms());
    }

    /// [`Faults::clear`] as of `now_ms`, for tests that inject time.
    pub fn clear_at(&self, f: &Fault, now_ms: i64) {
        {
            let mut g = self.lock();
            g.active.retain(|(a, _)| !a.same_switch(f));
            g.end(now_ms, |e| e.same_switch(f));
        }
        self.notify();
    }

    /// Turns every switch off. Past restarts and episodes stay in the model's history.
    pub fn clear_all(&self) {
        self.clear_all_at(crate::now_ms());
    }

    /// [`Faults::clear_all`] as of `now_ms`, for tests that inject time.
    pub fn clear_all_at(&self, now_ms: i64) {
        {
            let mut g = self.lock();
            g.active.clear();
            g.end(now_ms, |_| true);
        }
        self.notify();
    }

    pub fn active(&self) -> Vec<Fault> {
        self.lock().active.iter().map(|(f, _)| f.clone()).collect()
    }

    pub fn is_active(&self, f: &Fault) -> bool {
        self.lock().active.iter().any(|(a, _)| a.same_switch(f))
    }

    /// The first active fault `pick` says something about.
    fn find<T>(&self, pick: impl Fn(&Fault) -> Option<T>) -> Option<T> {
        self.lock().active.iter().find_map(|(f, _)| pick(f))
    }

    /// The active delay, if any.
    pub fn slow(&self) -> Option<Duration> {
        self.find(|f| match f {
            Fault::Slow(d) => Some(*d),
            _ => None,
        })
    }

    /// The active MySQL statement delay, if any.
    pub fn mysql_slow(&self) -> Option<Duration> {
        self.find(|f| match f {
            Fault::MysqlSlow(d) => Some(*d),
            _ => None,
        })
    }

    /// The size of the active metrics bomb, if any (at most [`MAX_BOMB_BYTES`]).
    pub fn metrics_bomb(&self) -> Option<usize> {
        self.find(|f| match f {
            Fault::MetricsBomb(n) => Some((*n).min(MAX_BOMB_BYTES)),
            _ => None,
        })
    }

    /// The `msg` size of the active huge error, if any (at most [`MAX_BOMB_BYTES`]).
    pub fn huge_error(&self) -> Option<usize> {
        self.find(|f| match f {
            Fault::HugeError(n) => Some((*n).min(MAX_BOMB_BYTES)),
            _ => None,
        })
    }

    /// Where the active redirect points, if any.
    pub fn redirect(&self) -> Option<String> {
        self.find(|f| match f {
            Fault::Redirect(to) => Some(to.clone()),
            _ => None,
        })
    }

    /// The pause before each byte of a dripped body, if drip is on.
    pub fn drip(&self) -> Option<Duration> {
        self.find(|f| match f {
            Fault::Drip(d) => Some(*d),
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
            fe_down: g
                .active
                .iter()
                .filter_map(|(f, t)| match f {
                    Fault::FeDown(i) => Some((*i, *t)),
                    _ => None,
                })
                .collect(),
            hostile_hosts: g.active.iter().any(|(f, _)| *f == Fault::NodeInjection),
            many_nodes: g.active.iter().find_map(|(f, _)| match f {
                Fault::ManyNodes(n) => Some((*n).min(MAX_NODES)),
                _ => None,
            }),
            busy_queries: g.active.iter().find_map(|(f, _)| match f {
                Fault::BusyQueries(n) => Some((*n).min(MAX_BUSY_QUERIES)),
                _ => None,
            }),
            episodes: g.episodes.clone(),
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
        f.set_at(Fault::FeDown(0), 5);
        f.set_at(Fault::FeDown(2), 7);
        assert_eq!(f.view().fe_down, vec![(0, 5), (2, 7)]);
        assert_eq!(f.view().leader(3), Some(1));
        f.clear(&Fault::FeDown(0));
        assert_eq!(f.view().leader(3), Some(0));
        assert!(f.is_active(&Fault::FeDown(2)) && !f.is_active(&Fault::FeDown(1)));
        f.set(Fault::FeDown(0));
        f.set(Fault::FeDown(1));
        assert_eq!(f.view().leader(3), None);
        f.clear_all();
        assert!(f.active().is_empty());
    }

    #[test]
    fn new_switches_are_set_read_and_cleared() {
        let f = Faults::new();
        assert_eq!(f.view(), View::default());
        f.set(Fault::MetricsBomb(1_000));
        f.set(Fault::HugeError(usize::MAX));
        f.set(Fault::NodeInjection);
        f.set(Fault::Redirect("http://a.example/".into()));
        f.set(Fault::Redirect("http://b.example/".into()));
        f.set(Fault::ManyNodes(12));
        f.set(Fault::Drip(Duration::from_millis(7)));
        assert_eq!(f.active().len(), 6);
        assert_eq!(f.metrics_bomb(), Some(1_000));
        assert_eq!(f.huge_error(), Some(MAX_BOMB_BYTES));
        assert_eq!(f.redirect().as_deref(), Some("http://b.example/"));
        assert_eq!(f.drip(), Some(Duration::from_millis(7)));
        let v = f.view();
        assert!(v.hostile_hosts);
        assert_eq!(v.many_nodes, Some(12));
        f.clear(&Fault::Redirect(String::new()));
        f.clear(&Fault::ManyNodes(0));
        f.clear(&Fault::NodeInjection);
        assert_eq!(f.redirect(), None);
        assert_eq!(f.view(), View::default());
        f.clear_all();
        assert_eq!(
            (f.metrics_bomb(), f.huge_error(), f.drip()),
            (None, None, None)
        );
    }
}
