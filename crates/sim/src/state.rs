//! The seeded model of one cluster moving over time.
//!
//! Every number is a pure function of (spec, seed, time, fault history): nothing is
//! stepped or stored, so the same seed at the same injected time gives the same
//! bytes, tests can jump around in time without sleeping, and counters are exact
//! integrals of the rates (monotonic between restarts by construction).
//!
//! - Cluster QPS: a daily sine (busy in the afternoon UTC) plus two faster sines as
//!   noise; its closed-form integral drives every FE counter.
//! - FE counters: each FE takes an equal share since its start. FEs restart on
//!   their own every 14 days (seeded offset) and on [`super::Fault::FeRestart`].
//! - BE CPU: utilisation follows load; `starrocks_be_cpu` jiffies integrate it at
//!   100 Hz per core since host boot.
//! - Disks fill linearly since 2025-01-01 (a trend a forecast can find).
//! - Compaction scores are saw teeth: they rise, then compaction brings them down.

use super::faults::{Fault, View};
use super::profile::{ClusterSpec, Mode};
use std::f64::consts::TAU;

/// 2025-01-01T00:00:00Z: the day the simulated disks started filling.
pub const EPOCH_MS: i64 = 1_735_689_600_000;
/// Disk growth cycle: at most 0.38 + 180 × 0.0012 = 60 % used.
const DISK_CYCLE_DAYS: f64 = 180.0;
const DAY_S: f64 = 86_400.0;
const FE_PERIOD_MS: i64 = 14 * 86_400_000;
const BE_PERIOD_MS: i64 = 21 * 86_400_000;
const TIB: f64 = 1024.0 * 1024.0 * 1024.0 * 1024.0;
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A user table (or an `_statistics_` one) of the model.
#[derive(Debug, Clone)]
pub struct Table {
    pub id: u64,
    pub name: String,
    /// DUPLICATE / AGGREGATE / UNIQUE / PRIMARY: decides the TABLE_MODEL.
    pub keys: &'static str,
    pub partitions: u64,
    pub buckets: u64,
    pub created_ms: i64,
    base_rows: f64,
    row_len: f64,
}

#[derive(Debug, Clone)]
pub struct Db {
    pub id: u64,
    pub name: String,
    pub tables: Vec<Table>,
}

#[derive(Debug, Clone)]
struct Be {
    cores: u32,
    mem_bytes: f64,
    disk_total: f64,
    used0: f64,
    rate_per_day: f64,
    score_period_s: f64,
    score_phase: f64,
    cpu_offset: f64,
}

/// Disk figures of one backend at one time, bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disk {
    pub total: f64,
    pub avail: f64,
    pub data_used: f64,
}

/// Cumulative counters of one FE since its start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FeCounters {
    pub start_ms: i64,
    pub request_total: u64,
    pub query_total: u64,
    pub query_err: u64,
    pub query_success: u64,
    pub query_timeout: u64,
    pub slow_query: u64,
    pub query_analysis_err: u64,
    pub txn_begin: u64,
    pub txn_success: u64,
    pub txn_failed: u64,
    pub txn_reject: u64,
    pub load_add: u64,
    pub load_finished: u64,
    pub edit_log_write: u64,
    pub edit_log_read: u64,
    pub image_write: u64,
}

/// The model of one cluster. See the module doc.
#[derive(Debug)]
pub struct Model {
    pub spec: ClusterSpec,
    pub dbs: Vec<Db>,
    base_qps: f64,
    noise: [(f64, f64, f64); 2],
    err_frac: f64,
    bes: Vec<Be>,
}

const DB_NAMES: &[&str] = &[
    "sales",
    "ods",
    "dw",
    "ads",
    "logs",
    "user_profile",
    "finance",
    "marketing",
    "iot",
    "risk",
];
const TABLE_NAMES: &[&str] = &[
    "orders",
    "order_items",
    "customers",
    "events",
    "page_views",
    "payments",
    "inventory",
    "sessions",
    "clicks",
    "devices",
    "refunds",
    "shipments",
    "campaigns",
    "metrics_1m",
];
const KEYS: &[&str] = &["DUPLICATE", "AGGREGATE", "UNIQUE", "PRIMARY"];

impl Model {
    pub fn new(spec: ClusterSpec) -> Model {
        let seed = spec.seed;
        let u = |k: u64| {
            (splitmix(seed.wrapping_mul(0x1000_0001) ^ splitmix(k)) >> 11) as f64
                / (1u64 << 53) as f64
        };
        let mut dbs = Vec::new();
        let mut next_id = 10_100u64;
        for d in 0..spec.databases {
            let base = DB_NAMES[d % DB_NAMES.len()];
            let name = if d < DB_NAMES.len() {
                base.to_string()
            } else {
                format!("{base}_{}", d / DB_NAMES.len())
            };
            let db_id = next_id;
            next_id += 1;
            let mut tables = Vec::new();
            for t in 0..spec.tables_per_db {
                let k = (d * 100 + t) as u64;
                let start = (u(k) * TABLE_NAMES.len() as f64) as usize;
                let tbase = TABLE_NAMES[(start + t) % TABLE_NAMES.len()];
                let tname = if t < TABLE_NAMES.len() {
                    tbase.to_string()
                } else {
                    format!("{tbase}_{t}")
                };
                let tname = if tables.iter().any(|x: &Table| x.name == tname) {
                    format!("{tname}_{t}")
                } else {
                    tname
                };
                tables.push(Table {
                    id: next_id,
                    name: tname,
                    keys: KEYS[(u(k + 7) * 4.0) as usize % 4],
                    partitions: 1 + (u(k + 1) * 60.0) as u64,
                    buckets: [4, 8, 16, 32][(u(k + 2) * 4.0) as usize % 4],
                    created_ms: EPOCH_MS - (u(k + 3) * 400.0 * 86_400_000.0) as i64,
                    base_rows: 10f64.powf(3.0 + u(k + 4) * 6.0).round(),
                    row_len: 40.0 + u(k + 5) * 400.0,
                });
                next_id += 3;
            }
            dbs.push(Db {
                id: db_id,
                name,
                tables,
            });
            next_id += 7;
        }
        let bes = (0..spec.backends)
            .map(|i| {
                let k = 1000 + i as u64 * 10;
                Be {
                    cores: [8, 16, 32][(u(5) * 3.0) as usize % 3],
                    mem_bytes: [32.0, 64.0, 128.0][(u(6) * 3.0) as usize % 3] * GIB,
                    disk_total: [1.968, 3.5, 7.0][(u(7) * 3.0) as usize % 3] * TIB,
                    used0: 0.18 + u(k) * 0.2,
                    rate_per_day: 0.0006 + u(k + 1) * 0.0006,
                    score_period_s: 1800.0 + u(k + 2) * 2400.0,
                    score_phase: u(k + 3),
                    cpu_offset: u(k + 4) * 0.06,
                }
            })
            .collect();
        Model {
            base_qps: 40.0 + u(1) * 260.0,
            noise: [
                (0.08, TAU / (2820.0 + u(2) * 600.0), u(3) * TAU),
                (0.05, TAU / (430.0 + u(4) * 120.0), u(8) * TAU),
            ],
            err_frac: 0.002 + u(9) * 0.004,
            dbs,
            bes,
            spec,
        }
    }

    /// A uniform number in [0, 1) from the seed and a key.
    pub fn rand(&self, key: u64) -> f64 {
        let x =
            splitmix(self.spec.seed.wrapping_mul(0x1000_0001) ^ splitmix(key ^ 0xABCD_0000_0000));
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Jitter in [-1, 1) that changes every 15 s (the FE's MetricCalculator period).
    fn jitter(&self, key: u64, t_ms: i64) -> f64 {
        self.rand(key.wrapping_mul(1_000_003) ^ (t_ms.div_euclid(15_000) as u64)) * 2.0 - 1.0
    }

    // ---- load ----

    /// Cluster QPS divided by its base: between about 0.42 and 1.58.
    pub fn load(&self, t_ms: i64) -> f64 {
        let t = t_ms as f64 / 1000.0;
        let mut f = 1.0 + 0.45 * (TAU * t / DAY_S - 2.2).sin();
        for (a, w, p) in self.noise {
            f += a * (w * t + p).sin();
        }
        f
    }

    /// Antiderivative of [`Model::load`] in seconds.
    fn load_anti(&self, t_ms: i64) -> f64 {
        let t = t_ms as f64 / 1000.0;
        let w = TAU / DAY_S;
        let mut v = t - 0.45 * (w * t - 2.2).cos() / w;
        for (a, w, p) in self.noise {
            v -= a * (w * t + p).cos() / w;
        }
        v
    }

    /// Cluster-wide queries per second at `t`.
    pub fn qps(&self, t_ms: i64) -> f64 {
        self.base_qps * self.load(t_ms)
    }

    /// Queries the whole cluster ran between `a` and `b`.
    pub fn queries_between(&self, a_ms: i64, b_ms: i64) -> f64 {
        if b_ms <= a_ms {
            return 0.0;
        }
        (self.base_qps * (self.load_anti(b_ms) - self.load_anti(a_ms))).max(0.0)
    }

    /// Per-FE QPS gauge as MetricCalculator would show it (with jitter).
    pub fn fe_qps(&self, fe: usize, t_ms: i64) -> f64 {
        let v = self.qps(t_ms) / self.spec.frontends as f64
            * (1.0 + 0.05 * self.jitter(50 + fe as u64, t_ms));
        (v * 100.0).round() / 100.0
    }

    pub fn err_frac(&self) -> f64 {
        self.err_frac
    }

    // ---- FEs ----

    /// When FE `fe` last started as of `t`.
    pub fn fe_start(&self, fe: usize, t_ms: i64, view: &View) -> i64 {
        let offset = (self.rand(300 + fe as u64) * FE_PERIOD_MS as f64) as i64;
        let periodic = (t_ms - offset).div_euclid(FE_PERIOD_MS) * FE_PERIOD_MS + offset;
        let injected = if fe == 0 {
            view.restarts.iter().copied().filter(|r| *r <= t_ms).max()
        } else {
            None
        };
        injected.map_or(periodic, |r| r.max(periodic))
    }

    pub fn fe_counters(&self, fe: usize, t_ms: i64, view: &View) -> FeCounters {
        let start = self.fe_start(fe, t_ms, view);
        let fes = self.spec.frontends.max(1) as f64;
        let q = self.queries_between(start, t_ms) / fes;
        let n = |f: f64| (q * f).floor() as u64;
        // While `txn_pileup` was on, a quarter more of the transactions began
        // and failed, plus one every 10 s (so even an idle cluster shows it):
        // integrated, so the counters stay monotonic after it clears.
        let failing: f64 = view
            .spans(&Fault::TxnPileup, start, t_ms)
            .into_iter()
            .map(|(a, b)| {
                self.queries_between(a, b) / fes * 0.03 * 0.25 + (b - a) as f64 / 10_000.0
            })
            .sum();
        let with_failing = |f: f64| (q * f + failing).floor() as u64;
        FeCounters {
            start_ms: start,
            request_total: n(1.35),
            query_total: n(1.0),
            query_err: n(self.err_frac),
            query_success: n(1.0 - self.err_frac),
            query_timeout: n(self.err_frac * 0.1),
            slow_query: n(0.002),
            query_analysis_err: n(self.err_frac * 0.3),
            txn_begin: with_failing(0.03),
            txn_success: n(0.03 * 0.985),
            txn_failed: with_failing(0.03 * 0.012),
            txn_reject: n(0.03 * 0.001),
            load_add: n(0.01),
            load_finished: n(0.0098),
            edit_log_write: n(0.05),
            edit_log_read: n(0.049),
            image_write: n(0.000_002),
        }
    }

    /// Query latency (ms) at the given multiple of the mean: follows load.
    pub fn latency_ms(&self, t_ms: i64, mult: f64) -> f64 {
        let mean = 35.0 * (0.5 + 0.7 * self.load(t_ms)) * (1.0 + 0.08 * self.jitter(60, t_ms));
        (mean * mult * 1000.0).round() / 1000.0
    }

    /// Queries running right now on the whole cluster.
    pub fn running_queries(&self, t_ms: i64) -> usize {
        let v = self.qps(t_ms) * self.latency_ms(t_ms, 1.0) / 1000.0;
        (v.round() as usize).clamp(1, 12)
    }

    // ---- backends ----

    /// When backend `be` (its process) last started as of `t`.
    pub fn be_start(&self, be: usize, t_ms: i64) -> i64 {
        let offset = (self.rand(400 + be as u64) * BE_PERIOD_MS as f64) as i64;
        (t_ms - offset).div_euclid(BE_PERIOD_MS) * BE_PERIOD_MS + offset
    }

    fn be(&self, be: usize) -> Option<&Be> {
        self.bes.get(be)
    }

    pub fn cores(&self, be: usize) -> u32 {
        self.be(be).map_or(16, |b| b.cores)
    }

    pub fn mem_total(&self, be: usize) -> f64 {
        self.be(be).map_or(64.0 * GIB, |b| b.mem_bytes)
    }

    /// The BE's process memory limit (90 % of the host), bytes.
    pub fn mem_limit(&self, be: usize) -> f64 {
        (self.mem_total(be) * 0.9).floor()
    }

    /// Smooth CPU utilisation in [0, 1] (what the jiffies counters integrate).
    fn cpu_smooth(&self, be: usize, t_ms: i64) -> f64 {
        let off = self.be(be).map_or(0.0, |b| b.cpu_offset);
        0.08 + off + 0.3 * self.load(t_ms)
    }

    /// CpuUsedPct as reported in /backends: smooth utilisation plus jitter, percent.
    pub fn cpu_pct(&self, be: usize, t_ms: i64) -> f64 {
        ((self.cpu_smooth(be, t_ms) + 0.03 * self.jitter(70 + be as u64, t_ms)) * 100.0)
            .clamp(0.0, 100.0)
    }

    /// `/proc/stat` style jiffies since host boot, per mode, in the BE's mode order.
    pub fn cpu_jiffies(&self, be: usize, t_ms: i64) -> Vec<(&'static str, u64)> {
        let boot = EPOCH_MS - (self.rand(500 + be as u64) * 30.0 * 86_400_000.0) as i64;
        let secs = (t_ms - boot).max(0) as f64 / 1000.0;
        let off = self.be(be).map_or(0.0, |b| b.cpu_offset);
        let busy_s = (0.08 + off) * secs + 0.3 * (self.load_anti(t_ms) - self.load_anti(boot));
        let hz = 100.0 * self.cores(be) as f64;
        let busy = busy_s * hz;
        let idle = (secs * hz - busy).max(0.0);
        let j = |f: f64| (busy * f).floor() as u64;
        vec![
            ("user", j(0.72)),
            ("nice", j(0.002)),
            ("system", j(0.2)),
            ("idle", idle.floor() as u64),
            ("iowait", j(0.04)),
            ("irq", j(0.008)),
            ("soft_irq", j(0.03)),
            ("steal", 0),
            ("guest", 0),
            ("guest_nice", 0),
        ]
    }

    /// Process memory of the BE, bytes.
    pub fn mem_used(&self, be: usize, t_ms: i64) -> f64 {
        let f = 0.22 + 0.18 * self.load(t_ms) + 0.03 * self.jitter(80 + be as u64, t_ms);
        (self.mem_limit(be) * f).floor()
    }

    /// Memory the running queries hold on the BE, bytes.
    pub fn query_mem(&self, be: usize, t_ms: i64) -> f64 {
        (self.mem_used(be, t_ms) * 0.25 * self.load(t_ms)).floor()
    }

    /// The BE's storage root path.
    pub fn storage_path(&self) -> &'static str {
        "/data/starrocks/storage"
    }

    /// Disk use of a BE: grows linearly from [`EPOCH_MS`] in 180-day cycles.
    pub fn disk(&self, be: usize, t_ms: i64) -> Disk {
        let (total, used0, rate) = self.be(be).map_or((TIB, 0.2, 0.001), |b| {
            (b.disk_total, b.used0, b.rate_per_day)
        });
        // Growth restarts every DISK_CYCLE_DAYS (as when an operator adds disks), so a
        // simulator started on any date shows realistic use, not disks long since full.
        let days = ((t_ms - EPOCH_MS) as f64 / 86_400_000.0).rem_euclid(DISK_CYCLE_DAYS);
        let used = (used0 + rate * days).clamp(0.02, 0.97);
        let data_used = match self.spec.mode {
            Mode::SharedNothing => total * (used - 0.015).max(0.0),
            Mode::SharedData => 0.0,
        };
        let used = match self.spec.mode {
            Mode::SharedNothing => used,
            // Only the local cache and the OS live on a compute node's disk.
            Mode::SharedData => 0.05 + 0.1 * used,
        };
        Disk {
            total: total.floor(),
            avail: (total * (1.0 - used)).floor(),
            data_used: data_used.floor(),
        }
    }

    /// Cumulative compaction score: a saw tooth with a seeded period per BE.
    pub fn compaction_score(&self, be: usize, t_ms: i64) -> f64 {
        let (period, phase) = self
            .be(be)
            .map_or((3600.0, 0.0), |b| (b.score_period_s, b.score_phase));
        let x = (t_ms as f64 / 1000.0 / period + phase).fract();
        let v = 1.0 + 40.0 * x * x;
        (v * 10.0).round() / 10.0
    }

    pub fn base_compaction_score(&self, be: usize, t_ms: i64) -> f64 {
        (self.compaction_score(be, t_ms) / 4.0).floor()
    }

    /// Replicas per tablet: 3 when there are BEs enough, 1 in shared-data.
    pub fn replicas(&self) -> u64 {
        match self.spec.mode {
            Mode::SharedData => 1,
            Mode::SharedNothing => self.spec.backends.min(3) as u64,
        }
    }

    /// Tablets (replicas) stored on one BE.
    pub fn tablets_on(&self, be: usize) -> u64 {
        let total: u64 = self
            .dbs
            .iter()
            .flat_map(|d| &d.tables)
            .map(|t| t.partitions * t.buckets)
            .sum::<u64>()
            * self.replicas();
        let n = self.spec.backends as u64;
        total / n + u64::from((be as u64) < total % n)
    }

    // ---- tables ----

    pub fn table_rows(&self, t: &Table, t_ms: i64) -> u64 {
        let days = ((t_ms - EPOCH_MS) as f64 / 86_400_000.0).max(0.0);
        (t.base_rows * (1.0 + 0.004 * days)).floor() as u64
    }

    /// DATA_LENGTH: bytes summed over replicas.
    pub fn table_bytes(&self, t: &Table, t_ms: i64) -> u64 {
        (self.table_rows(t, t_ms) as f64 * t.row_len * self.replicas() as f64).floor() as u64
    }

    pub fn avg_row_len(&self, t: &Table) -> u64 {
        t.row_len.floor() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClusterSpec;

    const T0: i64 = 1_764_000_000_000; // 2025-11-24

    fn model(seed: u64) -> Model {
        Model::new(ClusterSpec::profile("3.3-shared-nothing", seed).unwrap_or_default())
    }

    #[test]
    fn counters_are_monotonic_between_restarts() {
        let m = model(7);
        let v = View::default();
        let mut prev = m.fe_counters(0, T0, &v);
        let mut t = T0;
        for step in 0..2000 {
            t += 1_000 + (step % 7) * 13_000;
            let c = m.fe_counters(0, t, &v);
            if c.start_ms != prev.start_ms {
                prev = c;
                continue;
            }
            assert!(c.query_total >= prev.query_total);
            assert!(c.query_err >= prev.query_err);
            assert!(c.query_success >= prev.query_success);
            assert!(c.txn_failed >= prev.txn_failed);
            assert!(c.request_total >= prev.request_total);
            prev = c;
        }
        assert!(prev.query_total > 0);
    }

    #[test]
    fn restart_resets_the_leader_only() {
        let m = model(3);
        let before = m.fe_counters(0, T0, &View::default());
        let view = View {
            restarts: vec![T0 - 5_000],
            dead: vec![],
            ..View::default()
        };
        let after = m.fe_counters(0, T0, &view);
        let follower = m.fe_counters(1, T0, &view);
        assert!(after.query_total < before.query_total);
        assert!(after.query_total < 5 * 300, "{}", after.query_total);
        assert_eq!(after.start_ms, T0 - 5_000);
        assert_eq!(follower, m.fe_counters(1, T0, &View::default()));
    }

    #[test]
    fn cpu_jiffies_grow_with_utilisation() {
        let m = model(1);
        let a = m.cpu_jiffies(0, T0);
        let b = m.cpu_jiffies(0, T0 + 60_000);
        let get =
            |v: &Vec<(&str, u64)>, k: &str| v.iter().find(|(n, _)| *n == k).map_or(0, |(_, x)| *x);
        let idle = (get(&b, "idle") - get(&a, "idle")) as f64;
        let total: u64 =
            b.iter().map(|(_, x)| x).sum::<u64>() - a.iter().map(|(_, x)| x).sum::<u64>();
        let busy = 1.0 - idle / total as f64;
        let want = m.cpu_smooth(0, T0 + 30_000);
        assert!((busy - want).abs() < 0.03, "busy {busy} want {want}");
        let want_total = 60 * 100 * u64::from(m.cores(0));
        assert!(total.abs_diff(want_total) < 10, "{total} vs {want_total}");
    }

    #[test]
    fn disks_fill_and_scores_saw() {
        let m = model(2);
        let a = m.disk(0, T0);
        let b = m.disk(0, T0 + 30 * 86_400_000);
        assert!(b.avail < a.avail && b.data_used > a.data_used);
        let scores: Vec<f64> = (0..200)
            .map(|i| m.compaction_score(0, T0 + i * 60_000))
            .collect();
        assert!(scores.windows(2).any(|w| w[1] > w[0]));
        assert!(scores.windows(2).any(|w| w[1] < w[0]));
    }

    #[test]
    fn same_seed_same_model() {
        let (a, b) = (model(9), model(9));
        assert_eq!(a.fe_qps(0, T0), b.fe_qps(0, T0));
        assert_eq!(a.dbs.len(), b.dbs.len());
        assert_ne!(model(10).fe_qps(0, T0), a.fe_qps(0, T0));
    }
}
