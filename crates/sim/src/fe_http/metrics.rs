//! The FE's `/metrics` body, written from tables: the JVM families, then the
//! StarRocks families, then the summaries (sorted by name), `node_info` last.
//!
//! The text is the FE's Prometheus writer, quirks included, because clients parse
//! exactly this: JVM families and `node_info` have two spaces after `# HELP` /
//! `# TYPE` (the FE's Joiner), labels are joined with `", "`, doubles print as
//! Java's `Double.toString`, summaries have an empty HELP and a `_sum` double but
//! a `_count` long.
//!
//! Only the leader (FE 0, or the first FE up while FE 0 is `fe_down`) writes
//! `node_info{type="is_master"} 1` and non-zero jobs, routine loads and tablet
//! scheduling.
//!
//! After the summaries come what the FE visits after its histograms: on 3.0
//! the leader's one `routine_load_jobs{name, table, database, state}` line per
//! job (3.3 has per-state gauges among the families instead), on 3.3
//! `txn_running{db}`. Resource groups (`query_resource_group*`,
//! `resource_group_query_queue_*`) are 3.3's, after the other families, where
//! the FE adds them when a group first runs a query.
//!
//! The labelled StarRocks families compute their samples in `metrics/labelled.rs`;
//! `metrics/json.rs` writes the same samples as the FE's JSON visitor does, for
//! `information_schema.fe_metrics`.

mod json;
mod labelled;

pub(crate) use json::fe_json;

use crate::faults::View;
use crate::format::{java_double, series};
use crate::ops;
use crate::profile::{Mode, Version};
use crate::state::{FeCounters, Model};
use crate::Shared;
use std::fmt::Write;

const PREFIX: &str = "starrocks_fe_";

/// A sample's value as the FE holds it: a long or a double.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Num {
    Int(u64),
    Double(f64),
}

impl Num {
    /// Longs as plain integers, doubles as Java's `Double.toString`.
    fn text(self) -> String {
        match self {
            Num::Int(v) => v.to_string(),
            Num::Double(v) => java_double(v),
        }
    }

    /// What `fe_metrics.VALUE` holds: the BE's `static_cast<int64_t>` of the
    /// JSON number, so doubles are truncated toward zero (0.73 becomes 0).
    pub(crate) fn truncated(self) -> i64 {
        match self {
            Num::Int(v) => i64::try_from(v).unwrap_or(i64::MAX),
            Num::Double(v) => v as i64,
        }
    }
}

type Sample = (Vec<(&'static str, String)>, Num);

/// How a table entry computes its value from a scrape.
type Value<T> = fn(&Scrape) -> T;

/// JVM heap figures of one FE at `t`: (max, committed, used).
pub(super) fn heap(m: &Model, fe: usize, t: i64) -> (u64, u64, u64) {
    let max = 8u64 << 30;
    let committed = 6u64 << 30;
    // GC saw tooth: fills over ~3 minutes, then drops.
    let x = ((t as f64 / 1000.0) / (150.0 + fe as f64 * 20.0)).fract();
    let used = (1.2 + 2.5 * x + 0.3 * m.load(t)) * (1u64 << 30) as f64;
    (max, committed, used as u64)
}

/// One scrape of one FE: what the families read, and the figures several share.
struct Scrape<'a> {
    sh: &'a Shared,
    /// Which FE is scraped.
    fe: usize,
    m: &'a Model,
    view: &'a View,
    t: i64,
    /// This FE leads now ([`View::leader`]).
    leader: bool,
    c: FeCounters,
    /// Seconds since this FE started.
    up_s: u64,
    max: u64,
    committed: u64,
    used: u64,
    qps: f64,
    /// Compaction score of each backend.
    scores: Vec<f64>,
    /// The journal id every FE has reached.
    journal: u64,
}

/// How many routine load jobs the cluster runs.
fn routine_loads(s: &Scrape) -> usize {
    crate::proc::routine_load_count(s.m)
}

impl<'a> Scrape<'a> {
    fn new(sh: &'a Shared, fe: usize, t: i64, view: &'a View) -> Scrape<'a> {
        let m = &sh.model;
        let c = m.fe_counters(fe, t, view);
        let (max, committed, used) = heap(m, fe, t);
        Scrape {
            sh,
            fe,
            m,
            view,
            t,
            leader: view.leader(m.spec.frontends) == Some(fe),
            c,
            up_s: ((t - c.start_ms).max(0) / 1000) as u64,
            max,
            committed,
            used,
            qps: m.fe_qps(fe, t),
            scores: (0..m.spec.backends)
                .map(|k| m.compaction_score(k, t))
                .collect(),
            journal: ops::journal(m, t),
        }
    }
}

/// The FE's Prometheus text at `t`.
pub fn fe_metrics(sh: &Shared, fe: usize, t: i64, view: &View) -> String {
    let s = Scrape::new(sh, fe, t, view);
    let version = sh.model.spec.version;
    let mut o = String::with_capacity(48 * 1024);
    for f in JVM {
        write_jvm(&mut o, f, &s);
    }
    let here = |only: Option<Version>| only.is_none_or(|v| v == version);
    for f in FAMILIES.iter().filter(|f| here(f.only)) {
        write_family(&mut o, f, &s);
    }
    for f in SUMMARIES.iter().filter(|f| here(f.only)) {
        write_summary(&mut o, f, &s);
    }
    for f in AFTER_HISTOGRAMS.iter().filter(|f| here(f.only)) {
        write_family(&mut o, f, &s);
    }
    write_node_info(&mut o, &s);
    o
}

// ---- JVM families: `type`-labelled gauges ----

struct Jvm {
    name: &'static str,
    help: &'static str,
    rows: &'static [(&'static str, Value<u64>)],
}

// One family a line; the GC counts follow the uptime (a young GC every 25 s).
#[rustfmt::skip]
static JVM: &[Jvm] = &[
    Jvm { name: "jvm_heap_size_bytes", help: "jvm heap stat",
          rows: &[("max", |s| s.max), ("committed", |s| s.committed), ("used", |s| s.used)] },
    Jvm { name: "jvm_non_heap_size_bytes", help: "jvm non heap stat",
          rows: &[("committed", |_| 310 << 20), ("used", |_| 296 << 20)] },
    Jvm { name: "jvm_young_size_bytes", help: "jvm young mem pool stat",
          rows: &[("used", |s| s.used / 3), ("committed", |s| s.committed / 3),
                  ("peak_used", |s| s.committed / 3), ("max", |_| 0)] },
    Jvm { name: "jvm_old_size_bytes", help: "jvm old mem pool stat",
          rows: &[("used", |s| s.used - s.used / 3), ("committed", |s| s.committed - s.committed / 3),
                  ("peak_used", |s| s.max / 2), ("max", |s| s.max)] },
    Jvm { name: "jvm_direct_buffer_pool_size_bytes", help: "jvm direct buffer pool stat",
          rows: &[("count", |_| 212), ("used", |_| 19_234_567), ("capacity", |_| 19_234_566)] },
    Jvm { name: "jvm_young_gc", help: "jvm young gc stat",
          rows: &[("count", |s| s.up_s / 25), ("time", |s| s.up_s / 25 * 18)] },
    Jvm { name: "jvm_old_gc", help: "jvm old gc stat",
          rows: &[("count", |s| s.up_s / 40_000), ("time", |s| s.up_s / 40_000 * 900)] },
    Jvm { name: "jvm_thread", help: "jvm thread stat",
          rows: &[("count", |_| 430), ("peak_count", |_| 512)] },
];

/// The JVM table's value of `name{type=ty}` (0 if the table has none).
fn jvm_value(s: &Scrape, name: &str, ty: &str) -> u64 {
    JVM.iter()
        .filter(|f| f.name == name)
        .flat_map(|f| f.rows.iter())
        .find(|(t, _)| *t == ty)
        .map_or(0, |(_, v)| v(s))
}

/// Two spaces after `# HELP` / `# TYPE` (the FE's Joiner quirk).
fn write_jvm(o: &mut String, f: &Jvm, s: &Scrape) {
    let _ = writeln!(o, "# HELP  {} {}", f.name, f.help);
    let _ = writeln!(o, "# TYPE  {} gauge", f.name);
    for (ty, v) in f.rows {
        series(
            o,
            f.name,
            &[("type", ty.to_string())],
            ", ",
            &v(s).to_string(),
        );
    }
}

// ---- StarRocks families ----

/// How a family's samples are computed.
enum Samples {
    /// One unlabelled integer.
    Int(Value<u64>),
    /// One unlabelled double, printed as Java prints it.
    Double(Value<f64>),
    /// Labelled samples, in the FE's order.
    Rows(Value<Vec<Sample>>),
}
use labelled::{
    connections, group_latencies, group_queue_pending, jobs, latencies, per_backend, per_db,
    per_group, routine_load_jobs, routine_load_states, snmp, thread_pools, txn_running,
};
use Samples::{Double, Int, Rows};

/// A `starrocks_fe_` family with HELP and TYPE; `only` limits it to one release.
struct Family {
    name: &'static str,
    help: &'static str,
    kind: &'static str,
    only: Option<Version>,
    samples: Samples,
}

const fn counter(name: &'static str, help: &'static str, v: Value<u64>) -> Family {
    Family {
        name,
        help,
        kind: "counter",
        only: None,
        samples: Int(v),
    }
}

/// A counter with labelled samples (the resource groups').
const fn counter_rows(name: &'static str, help: &'static str, rows: Value<Vec<Sample>>) -> Family {
    Family {
        name,
        help,
        kind: "counter",
        only: None,
        samples: Rows(rows),
    }
}

const fn gauge(name: &'static str, help: &'static str, samples: Samples) -> Family {
    Family {
        name,
        help,
        kind: "gauge",
        only: None,
        samples,
    }
}

impl Family {
    const fn only(self, v: Version) -> Family {
        Family {
            only: Some(v),
            ..self
        }
    }
}

// One family a line, in the FE's order. Counters run from this FE's start (a
// restart resets them); jobs and tablet scheduling are the leader's.
#[rustfmt::skip]
static FAMILIES: &[Family] = &[
    gauge("connection_total", "total connection", Rows(connections)),
    counter("request_total", "total request", |s| s.c.request_total),
    counter("query_total", "total query", |s| s.c.query_total),
    counter("query_err", "total error query", |s| s.c.query_err),
    counter("query_analysis_err", "total analysis error query", |s| s.c.query_analysis_err),
    counter("query_internal_err", "total internal error query",
            |s| s.c.query_err - s.c.query_analysis_err.min(s.c.query_err)).only(Version::V3_3),
    counter("query_success", "total success query", |s| s.c.query_success),
    counter("query_timeout", "total timeout query", |s| s.c.query_timeout),
    counter("slow_query", "total slow query", |s| s.c.slow_query),
    counter("query_queue_pending", "total pending query", |_| 0),
    counter("query_queue_total", "total history queued queries", |s| s.c.query_total / 500),
    counter("query_queue_timeout", "total history query for timeout in queue", |_| 0),
    counter("load_add", "total load submit", |s| s.c.load_add),
    counter("load_finished", "total load finished", |s| s.c.load_finished),
    counter("routine_load_paused", "counter of routine load paused",
            |s| if s.leader { ops::pauses_between(s.m, routine_loads(s), s.c.start_ms, s.t, s.view) } else { 0 }),
    counter("routine_load_rows", "total rows of routine load", |s| s.c.load_add * 5_000),
    counter("routine_load_receive_bytes", "total received bytes of routine load", |s| s.c.load_add * 1_100_000),
    counter("routine_load_error_rows", "total error rows of routine load", |s| s.c.load_add / 50),
    counter("txn_begin", "counter of beginning transactions", |s| s.c.txn_begin),
    counter("txn_success", "counter of success transactions", |s| s.c.txn_success),
    counter("txn_failed", "counter of failed transactions", |s| s.c.txn_failed),
    counter("txn_reject", "counter of rejected transactions", |s| s.c.txn_reject),
    counter("edit_log_write", "counter of edit log write into bdbje", |s| s.c.edit_log_write),
    counter("edit_log_read", "counter of edit log read from bdbje", |s| s.c.edit_log_read),
    counter("edit_log_size_bytes", "size of edit log", |s| s.c.edit_log_write * 870),
    counter("image_write", "counter of image generated", |s| s.c.image_write),
    counter("image_push", "counter of image succeeded in pushing to other frontends",
            |s| if s.leader { s.c.image_write * 2 } else { 0 }),
    counter("unfinished_backup_job", "current unfinished backup job", |_| 0),
    counter("unfinished_restore_job", "current unfinished restore job", |_| 0),
    gauge("qps", "query per second", Double(|s| s.qps)),
    gauge("rps", "request per second", Double(|s| (s.qps * 1.35 * 100.0).round() / 100.0)),
    gauge("query_err_rate", "query error rate", Double(|s| (s.qps * s.m.err_frac() * 1000.0).round() / 1000.0)),
    gauge("query_latency", "mean of query latency", Rows(latencies)),
    gauge("max_tablet_compaction_score", "max tablet compaction score of all backends",
          Int(|s| s.scores.iter().copied().fold(0.0, f64::max) as u64)),
    gauge("tablet_num", "tablet number", Rows(|s| per_backend(s, |k| s.m.tablets_on(k)))),
    gauge("tablet_max_compaction_score", "tablet max compaction score",
          Rows(|s| per_backend(s, |k| s.scores[k] as u64))),
    gauge("max_journal_id", "max journal id of this frontends", Int(|s| s.journal)),
    gauge("meta_log_count", "meta log total count", Int(|s| ops::meta_log_count(s.m, s.t, s.view))),
    gauge("editlog_stacked_num", "counter of edit log that are stacked", Int(|_| 0)),
    gauge("scheduled_tablet_num", "number of tablets being scheduled",
          Int(|s| if s.leader { ops::scheduled_tablets(s.m, s.t, s.view) } else { 0 })),
    gauge("report_queue_size", "report queue size", Int(|_| 0)),
    gauge("job", "job statistics", Rows(jobs)),
    gauge("routine_load_jobs", "routine load jobs", Rows(routine_load_states)).only(Version::V3_3),
    gauge("snmp", "All snmp metrics", Rows(snmp)),
    gauge("safe_mode", "safe mode flag", Rows(|_| vec![(vec![("type", "safe_mode".into())], Num::Int(0))])),
    gauge("database_num", "count of database", Int(|s| s.m.dbs.len() as u64 + 3)),
    gauge("table_num", "count of table", Rows(|s| per_db(s, |d| d.tables.len() as u64))),
    gauge("db_size_bytes", "size of database",
          Rows(|s| per_db(s, |d| d.tables.iter().map(|x| s.m.table_bytes(x, s.t)).sum()))),
    gauge("thread_pool", "thread pool metric", Rows(thread_pools)),
    counter_rows("query_resource_group", "query resource group",
                 |s| per_group(s, s.c.query_total, 1.0)).only(Version::V3_3),
    counter_rows("query_resource_group_err", "query err resource group",
                 |s| per_group(s, s.c.query_err, 1.0)).only(Version::V3_3),
    gauge("query_resource_group_latency", "mean of resource group query latency",
          Rows(group_latencies)).only(Version::V3_3),
    counter_rows("resource_group_query_queue_total",
                 "the number of total history queued queries of this resource group",
                 |s| per_group(s, s.c.query_total, 1.0 / 500.0)).only(Version::V3_3),
    counter_rows("resource_group_query_queue_pending",
                 "the number of pending queries of this resource group",
                 group_queue_pending).only(Version::V3_3),
    counter_rows("resource_group_query_queue_timeout",
                 "the number of pending timeout queries of this resource group",
                 |s| per_group(s, s.c.query_total, 1.0 / 50_000.0)).only(Version::V3_3),
];

// What the FE visits after its histograms, before node_info: 3.0's per-job
// routine load lines (leader only), 3.3's running transactions per database.
#[rustfmt::skip]
static AFTER_HISTOGRAMS: &[Family] = &[
    gauge("routine_load_jobs", "routine load jobs", Rows(routine_load_jobs)).only(Version::V3_0),
    gauge("txn_running", "number of running transactions", Rows(txn_running)).only(Version::V3_3),
];

impl Family {
    fn rows(&self, s: &Scrape) -> Vec<Sample> {
        match self.samples {
            Int(v) => vec![(vec![], Num::Int(v(s)))],
            Double(v) => vec![(vec![], Num::Double(v(s)))],
            Rows(rows) => rows(s),
        }
    }
}

/// HELP and TYPE, then the samples; nothing at all for a family without any
/// (the FE writes the header when it visits a family's first metric).
fn write_family(o: &mut String, f: &Family, s: &Scrape) {
    let rows = f.rows(s);
    if rows.is_empty() {
        return;
    }
    let name = format!("{PREFIX}{}", f.name);
    let _ = writeln!(o, "# HELP {name} {}", f.help);
    let _ = writeln!(o, "# TYPE {name} {}", f.kind);
    for (labels, v) in &rows {
        series(o, &name, labels, ", ", &v.text());
    }
}

// ---- summaries ----

/// A summary: quantiles 0.75..0.999 as multiples of the mean, `_sum`, `_count`.
/// `registry` is its name in the FE's Codahale registry (dotted): Prometheus
/// writes it with `_` for the dots, the JSON visitor keeps the dots.
struct Summary {
    registry: &'static str,
    only: Option<Version>,
    count: Value<u64>,
    mean: Value<f64>,
    mults: [f64; 5],
}

const QUANTILES: [&str; 5] = ["0.75", "0.95", "0.98", "0.99", "0.999"];
/// The query latency's long tail.
const WIDE: [f64; 5] = [1.2, 4.0, 6.5, 9.0, 25.0];
/// Internal latencies and sizes: a short tail.
const NARROW: [f64; 5] = [1.1, 1.6, 2.0, 2.4, 4.0];

const fn summary(
    registry: &'static str,
    count: Value<u64>,
    mean: Value<f64>,
    mults: [f64; 5],
) -> Summary {
    Summary {
        registry,
        only: None,
        count,
        mean,
        mults,
    }
}

/// The figures of one summary at one scrape.
struct Figures {
    quantiles: Vec<(&'static str, f64)>,
    sum: f64,
    count: u64,
}

impl Summary {
    const fn only(self, v: Version) -> Summary {
        Summary {
            only: Some(v),
            ..self
        }
    }

    /// Quantiles rounded to 3 decimals (0.0 when nothing was counted), the sum
    /// as count × mean, the count.
    fn figures(&self, s: &Scrape) -> Figures {
        let (count, mean) = ((self.count)(s), (self.mean)(s));
        let quantiles = QUANTILES
            .iter()
            .zip(self.mults)
            .map(|(q, m)| {
                let v = if count == 0 {
                    0.0
                } else {
                    (mean * m * 1000.0).round() / 1000.0
                };
                (*q, v)
            })
            .collect();
        Figures {
            quantiles,
            sum: count as f64 * mean,
            count,
        }
    }
}

// Sorted by registry name, as the FE prints them.
#[rustfmt::skip]
static SUMMARIES: &[Summary] = &[
    summary("deploy_plan_fragments.latency.ms", |s| s.c.query_total, |_| 2.1, NARROW).only(Version::V3_3),
    summary("editlog.write.latency.ms", |s| s.c.edit_log_write, |_| 1.4, NARROW),
    summary("journal.write.batch", |s| s.c.edit_log_write / 3, |_| 3.0, NARROW),
    summary("journal.write.bytes", |s| s.c.edit_log_write / 3, |_| 2_600.0, NARROW),
    summary("journal.write.latency.ms", |s| s.c.edit_log_write / 3, |_| 1.9, NARROW),
    summary("query.latency.ms", |s| s.c.query_total, |s| s.m.latency_ms(s.t, 1.0), WIDE),
    summary("shortcircuit.latency.ms", |_| 0, |_| 0.0, NARROW).only(Version::V3_3),
];

/// Empty HELP (with its trailing space), `_sum` a double, `_count` a long.
fn write_summary(o: &mut String, f: &Summary, s: &Scrape) {
    let name = format!("{PREFIX}{}", f.registry.replace('.', "_"));
    let fig = f.figures(s);
    let _ = writeln!(o, "# HELP {name} ");
    let _ = writeln!(o, "# TYPE {name} summary");
    for (q, v) in &fig.quantiles {
        series(
            o,
            &name,
            &[("quantile", q.to_string())],
            ", ",
            &java_double(*v),
        );
    }
    let _ = writeln!(o, "{name}_sum {}", java_double(fig.sum));
    let _ = writeln!(o, "{name}_count {}", fig.count);
}

// ---- node_info ----

/// Node counts by type and state, then `is_master` (no state) on the leader
/// alone. Backends count as BEs in shared-nothing, as CNs in shared-data; a
/// down FE is not alive.
fn node_info(s: &Scrape) -> Vec<(&'static str, Option<&'static str>, u64)> {
    let spec = &s.m.spec;
    let nbe = spec.backends;
    let dead = s.view.dead.iter().filter(|(i, _)| *i < nbe).count();
    let fes = spec.frontends;
    let fe_down = s.view.fe_down.iter().filter(|(j, _)| *j < fes).count();
    let ((be_total, be_alive), (cn_total, cn_alive)) = match spec.mode {
        Mode::SharedNothing => ((nbe, nbe - dead), (0, 0)),
        Mode::SharedData => ((0, 0), (nbe, nbe - dead)),
    };
    let mut rows = vec![
        ("fe_node_num", Some("total"), fes),
        ("fe_node_num", Some("alive"), fes - fe_down),
        ("be_node_num", Some("total"), be_total),
        ("be_node_num", Some("alive"), be_alive),
        ("be_node_num", Some("decommissioned"), 0),
        ("broker_node_num", Some("dead"), 0),
        ("cn_node_num", Some("total"), cn_total),
        ("cn_node_num", Some("alive"), cn_alive),
    ];
    if s.leader {
        rows.push(("is_master", None, 1));
    }
    rows.into_iter()
        .map(|(t, st, v)| (t, st, v as u64))
        .collect()
}

/// A TYPE line only (two spaces), labels `type` and `state`.
fn write_node_info(o: &mut String, s: &Scrape) {
    o.push_str("# TYPE  node_info gauge\n");
    for (ty, st, v) in node_info(s) {
        let mut labels = vec![("type", ty.to_string())];
        if let Some(st) = st {
            labels.push(("state", st.to_string()));
        }
        series(o, "node_info", &labels, ", ", &v.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{calm, shared};

    /// Every sample sits under its own family's TYPE line, and no family repeats.
    fn check_families(text: &str) {
        let mut seen = std::collections::HashSet::new();
        let mut current = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE") {
                current = rest.split_whitespace().next().unwrap_or("").to_string();
                assert!(seen.insert(current.clone()), "{current} twice");
            } else if !line.starts_with('#') {
                let name = line.split(['{', ' ']).next().unwrap_or("");
                let base = name.trim_end_matches("_sum").trim_end_matches("_count");
                assert!(name == current || base == current, "{line} under {current}");
            }
        }
    }

    #[test]
    fn values_print_as_java_and_truncate_as_the_be() {
        assert_eq!(Num::Double(0.73).truncated(), 0);
        assert_eq!(Num::Double(-0.73).truncated(), 0);
        assert_eq!(Num::Double(12.99).truncated(), 12);
        assert_eq!(Num::Double(1.5e7).text(), "1.5E7");
        assert_eq!(Num::Int(42).truncated(), 42);
        assert_eq!(Num::Int(u64::MAX).truncated(), i64::MAX);
        assert_eq!(Num::Int(7).text(), "7");
    }

    #[test]
    fn a_down_leader_hands_is_master_to_the_next_fe() {
        let sh = shared(3);
        let t = calm(&sh, 1_764_000_000_000);
        let v = View {
            fe_down: vec![(0, t - 10_000)],
            ..View::default()
        };
        let next = fe_metrics(&sh, 1, t, &v);
        check_families(&next);
        assert!(next.ends_with("node_info{type=\"is_master\"} 1\n"));
        assert!(next.contains("node_info{type=\"fe_node_num\", state=\"alive\"} 2\n"));
        assert!(next.contains("starrocks_fe_routine_load_jobs{state=\"RUNNING\"} 3\n"));
        assert!(!fe_metrics(&sh, 2, t, &v).contains("is_master"));
    }

    #[test]
    fn families_follow_the_fe_layout() {
        let t = 1_764_000_000_000;
        let sh = shared(3);
        let v = View::default();
        let leader = fe_metrics(&sh, 0, t, &v);
        check_families(&leader);
        assert!(leader.starts_with(
            "# HELP  jvm_heap_size_bytes jvm heap stat\n# TYPE  jvm_heap_size_bytes gauge\n"
        ));
        assert!(leader
            .contains("starrocks_fe_job{job=\"load\", type=\"BROKER\", state=\"LOADING\"} 1\n"));
        assert!(leader.contains("starrocks_fe_query_internal_err "));
        assert!(leader.ends_with("node_info{type=\"is_master\"} 1\n"));
        let follower = fe_metrics(&sh, 1, t, &v);
        check_families(&follower);
        assert!(!follower.contains("is_master"));
        assert!(follower.contains("starrocks_fe_routine_load_jobs{state=\"RUNNING\"} 0\n"));
    }
}
