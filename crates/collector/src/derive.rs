//! From one collection's readings and the previous counters to a snapshot row.
//!
//! StarRocks counters are cumulative per FE since that FE started, so each FE
//! is tracked on its own: a cluster-wide sum would hide one FE's restart behind
//! the others' growth. An FE whose counters went down restarted; it adds nothing
//! to this interval (its series starts again), so no rate is ever negative.

use super::read::{ClusterReading, FeReading, NodeReading};
use model::snapshot::{CollectStatus, Snapshot};
use starrocks::be::{cpu_jiffies, cpu_utilisation, CpuJiffies};
use starrocks::wire::prometheus::Metrics;
use std::collections::HashMap;
use store::counters::FeCounters;

const FE: &str = "starrocks_fe_";

fn counter(m: &Metrics, name: &str) -> Option<i64> {
    let v = m.sum(&format!("{FE}{name}"), &[])?;
    (v.is_finite() && v >= 0.0).then_some(v as i64)
}

/// The cumulative counters an FE's metrics show at `at`.
pub fn fe_counters(m: &Metrics, at: i64) -> FeCounters {
    FeCounters {
        at,
        request_total: counter(m, "request_total"),
        query_total: counter(m, "query_total"),
        query_err: counter(m, "query_err"),
        query_timeout: counter(m, "query_timeout"),
        txn_begin: counter(m, "txn_begin"),
        txn_success: counter(m, "txn_success"),
        txn_failed: counter(m, "txn_failed"),
        load_finished: counter(m, "load_finished"),
    }
}

/// What the collector remembers of a cluster between ticks.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    /// Last counters of each FE, by FE name.
    pub fes: HashMap<String, FeCounters>,
    /// Last CPU jiffies of each node, for utilisation from deltas.
    pub cpu: HashMap<String, CpuJiffies>,
    /// Which addresses did not answer lately.
    pub reach: super::reach::ReachMemory,
    /// The operations figures' counters and streaks.
    pub ops: super::operations::OpsMemory,
}

/// Increments of one interval summed over the FEs that have a usable delta.
#[derive(Default)]
struct Deltas {
    any: bool,
    qps: f64,
    rps: f64,
    queries: Option<i64>,
    errors: Option<i64>,
    timeouts: Option<i64>,
    txn_begin: Option<i64>,
    txn_success: Option<i64>,
    txn_failed: Option<i64>,
    loads_finished: Option<i64>,
    /// Per FE: (Δqueries, metrics) for weighting latencies.
    weights: HashMap<String, f64>,
}

fn add(acc: &mut Option<i64>, now: Option<i64>, then: Option<i64>) {
    if let (Some(n), Some(t)) = (now, then) {
        *acc = Some(acc.unwrap_or(0) + (n - t).max(0));
    }
}

fn deltas(fes: &[FeReading], readings: &HashMap<String, FeCounters>, memory: &Memory) -> Deltas {
    let mut d = Deltas::default();
    for fe in fes {
        let (Some(now), Some(then)) = (readings.get(&fe.info.name), memory.fes.get(&fe.info.name))
        else {
            continue;
        };
        let secs = (now.at - then.at) as f64 / 1000.0;
        if secs <= 0.0 || now.restarted_since(then) {
            continue;
        }
        d.any = true;
        let rate = |n: Option<i64>, t: Option<i64>| match (n, t) {
            (Some(n), Some(t)) => (n - t).max(0) as f64 / secs,
            _ => 0.0,
        };
        d.qps += rate(now.query_total, then.query_total);
        d.rps += rate(now.request_total, then.request_total);
        add(&mut d.queries, now.query_total, then.query_total);
        add(&mut d.errors, now.query_err, then.query_err);
        add(&mut d.timeouts, now.query_timeout, then.query_timeout);
        add(&mut d.txn_begin, now.txn_begin, then.txn_begin);
        add(&mut d.txn_success, now.txn_success, then.txn_success);
        add(&mut d.txn_failed, now.txn_failed, then.txn_failed);
        add(&mut d.loads_finished, now.load_finished, then.load_finished);
        if let (Some(n), Some(t)) = (now.query_total, then.query_total) {
            d.weights
                .insert(fe.info.name.clone(), (n - t).max(0) as f64);
        }
    }
    d
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

/// p50, p95 and p99 of one FE in ms: the `query_latency` gauge, else the
/// `query_latency_ms` summary (which has no 0.5 quantile).
fn latencies(m: &Metrics) -> [Option<f64>; 3] {
    let gauge = |q: &str| finite(m.value(&format!("{FE}query_latency"), &[("type", q)]));
    let summary = |q: &str| finite(m.value(&format!("{FE}query_latency_ms"), &[("quantile", q)]));
    [
        gauge("50_quantile"),
        gauge("95_quantile").or_else(|| summary("0.95")),
        gauge("99_quantile").or_else(|| summary("0.99")),
    ]
}

fn avg_max(values: impl Iterator<Item = f64>) -> (Option<f64>, Option<f64>) {
    let (mut n, mut sum, mut max) = (0usize, 0.0, f64::MIN);
    for v in values.filter(|v| v.is_finite()) {
        n += 1;
        sum += v;
        max = max.max(v);
    }
    if n == 0 {
        (None, None)
    } else {
        (Some(sum / n as f64), Some(max))
    }
}

fn max_of(values: impl Iterator<Item = f64>) -> Option<f64> {
    avg_max(values).1
}

fn to_i64(v: Option<f64>) -> Option<i64> {
    finite(v).filter(|v| *v >= 0.0).map(|v| v as i64)
}

/// The leader's metrics, else any FE's: gauges that only the leader keeps
/// (load jobs, compaction scores, tablets per backend) are zero on followers.
fn leader(fes: &[FeReading]) -> Option<&Metrics> {
    fes.iter()
        .find(|f| f.leader && f.metrics.is_some())
        .or_else(|| fes.iter().find(|f| f.metrics.is_some()))
        .and_then(|f| f.metrics.as_ref())
}

const LOAD_RUNNING_STATES: [&str; 5] = ["PENDING", "ETL", "LOADING", "COMMITTED", "QUEUEING"];

/// Turns a successful reading into the row, and moves `memory` forward.
pub fn snapshot(
    cluster_id: i64,
    at: i64,
    reading: &ClusterReading,
    memory: &mut Memory,
) -> Snapshot {
    let mut s = empty_with_problems(cluster_id, at, reading);
    let weights = rates_into(&mut s, reading, memory);
    latencies_into(&mut s, &reading.frontends, &weights);
    frontends_into(&mut s, &reading.frontends);
    jvm(&mut s, reading);
    let lead = leader(&reading.frontends);
    if let Some(m) = lead {
        leader_gauges_into(&mut s, m);
    }
    if let Some(nodes) = &reading.nodes {
        nodes_into(&mut s, nodes, reading.shared_data, memory);
        if s.compaction_score_max.is_none() {
            s.compaction_score_max = be_compaction_score_max(nodes);
        }
    }
    if s.tablets.is_none() {
        s.tablets = lead.and_then(|m| to_i64(m.sum(&format!("{FE}tablet_num"), &[])));
    }
    s.reach = Some(reading.reach.clone());
    s
}

/// The empty row, `Partial` with the first problem (and how many more) when
/// the reading had any.
fn empty_with_problems(cluster_id: i64, at: i64, reading: &ClusterReading) -> Snapshot {
    let status = if reading.problems.is_empty() {
        CollectStatus::Ok
    } else {
        CollectStatus::Partial
    };
    let mut s = Snapshot::empty(cluster_id, at, status);
    if let Some(p) = reading.problems.first() {
        s.error_kind = Some(p.kind().as_str().to_string());
        s.error_message = Some(if reading.problems.len() > 1 {
            format!("{p} (and {} more)", reading.problems.len() - 1)
        } else {
            p.to_string()
        });
    }
    s
}

/// Counters and rates: the increments since the last tick, then `memory`
/// keeps this tick's counters of the FEs still present. Returns each FE's
/// query increment, the weights for the p50.
fn rates_into(
    s: &mut Snapshot,
    reading: &ClusterReading,
    memory: &mut Memory,
) -> HashMap<String, f64> {
    let counters: HashMap<String, FeCounters> = reading
        .frontends
        .iter()
        .filter_map(|f| {
            Some((
                f.info.name.clone(),
                fe_counters(f.metrics.as_ref()?, f.fetched_at),
            ))
        })
        .collect();
    let d = deltas(&reading.frontends, &counters, memory);
    if d.any {
        s.qps = Some(d.qps);
        s.rps = Some(d.rps);
        s.queries = d.queries;
        s.query_errors = d.errors;
        s.query_timeouts = d.timeouts;
        s.error_rate = match (d.queries, d.errors) {
            (Some(q), Some(e)) if q > 0 => Some((e as f64 / q as f64).min(1.0)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        s.txn_begin = d.txn_begin;
        s.txn_success = d.txn_success;
        s.txn_failed = d.txn_failed;
        s.loads_finished = d.loads_finished;
    }
    memory
        .fes
        .retain(|name, _| reading.frontends.iter().any(|f| &f.info.name == name));
    memory.fes.extend(counters);
    d.weights
}

/// Latency: p50 weighted by each FE's queries; p95 and p99 the worst FE's.
fn latencies_into(s: &mut Snapshot, fes: &[FeReading], weights: &HashMap<String, f64>) {
    let mut p50 = (0.0, 0.0);
    let (mut p95, mut p99) = (None::<f64>, None::<f64>);
    for fe in fes {
        let Some(m) = &fe.metrics else { continue };
        let [a, b, c] = latencies(m);
        if let Some(a) = a {
            let w = weights.get(&fe.info.name).copied().unwrap_or(1.0).max(1e-9);
            p50 = (p50.0 + a * w, p50.1 + w);
        }
        p95 = max_of(p95.into_iter().chain(b));
        p99 = max_of(p99.into_iter().chain(c));
    }
    s.latency_p50_ms = (p50.1 > 0.0).then(|| p50.0 / p50.1);
    s.latency_p95_ms = p95;
    s.latency_p99_ms = p99;
}

/// Frontends: how many, how many alive, and their connections summed.
fn frontends_into(s: &mut Snapshot, fes: &[FeReading]) {
    s.fe_total = Some(fes.len() as i64);
    s.fe_alive = Some(fes.iter().filter(|f| f.info.alive).count() as i64);
    s.connections = fes
        .iter()
        .filter_map(|f| {
            to_i64(
                f.metrics
                    .as_ref()?
                    .sum(&format!("{FE}connection_total"), &[]),
            )
        })
        .reduce(|a, b| a + b);
}

/// The gauges only the leader keeps: running loads and transactions, and
/// the highest tablet compaction score.
fn leader_gauges_into(s: &mut Snapshot, m: &Metrics) {
    s.loads_running = LOAD_RUNNING_STATES
        .iter()
        .filter_map(|st| to_i64(m.sum(&format!("{FE}job"), &[("job", "load"), ("state", st)])))
        .reduce(|a, b| a + b);
    s.txn_running = to_i64(m.sum(&format!("{FE}txn_running"), &[]));
    s.compaction_score_max = finite(m.value(&format!("{FE}max_tablet_compaction_score"), &[]));
}

/// The highest cumulative or base compaction score the nodes report, for
/// when the leader FE gave none.
fn be_compaction_score_max(nodes: &[NodeReading]) -> Option<f64> {
    max_of(
        nodes
            .iter()
            .filter_map(|n| n.metrics.as_ref())
            .flat_map(|m| {
                [
                    m.value("starrocks_be_tablet_cumulative_max_compaction_score", &[]),
                    m.value("starrocks_be_tablet_base_max_compaction_score", &[]),
                ]
                .into_iter()
                .flatten()
            }),
    )
}

/// Heap of the FE closest to its limit (the one an operator must look at);
/// `/api/show_runtime_info` when no FE sent JVM metrics.
fn jvm(s: &mut Snapshot, reading: &ClusterReading) {
    let heaps = reading.frontends.iter().filter_map(|f| {
        let m = f.metrics.as_ref()?;
        let used = finite(m.value("jvm_heap_size_bytes", &[("type", "used")]))?;
        let max = finite(m.value("jvm_heap_size_bytes", &[("type", "max")]))?;
        (max > 0.0).then_some((used, max))
    });
    let fullest = heaps.max_by(|a, b| (a.0 / a.1).total_cmp(&(b.0 / b.1)));
    match fullest {
        Some((used, max)) => {
            s.jvm_heap_used_bytes = to_i64(Some(used));
            s.jvm_heap_max_bytes = to_i64(Some(max));
        }
        None => {
            if let Some(r) = &reading.runtime {
                s.jvm_heap_used_bytes = r
                    .total_mem
                    .zip(r.free_mem)
                    .map(|(t, f)| t.saturating_sub(f) as i64);
                s.jvm_heap_max_bytes = r.max_mem.map(|m| m as i64);
            }
        }
    }
}

fn nodes_into(s: &mut Snapshot, nodes: &[NodeReading], shared_data: bool, memory: &mut Memory) {
    s.be_total = Some(nodes.len() as i64);
    s.be_alive = Some(nodes.iter().filter(|n| n.info.alive).count() as i64);

    let mut cpu = Vec::new();
    let mut mem = Vec::new();
    for n in nodes {
        let jiffies = n.metrics.as_ref().and_then(cpu_jiffies);
        let from_jiffies = match (jiffies, memory.cpu.get(&n.info.name)) {
            (Some(now), Some(then)) => cpu_utilisation(then, &now).map(|u| u * 100.0),
            _ => None,
        };
        if let Some(j) = jiffies {
            memory.cpu.insert(n.info.name.clone(), j);
        }
        if !n.info.alive {
            continue;
        }
        if let Some(c) = finite(n.info.cpu_pct).or(from_jiffies) {
            cpu.push(c);
        }
        let from_process = n.metrics.as_ref().and_then(|m| {
            let used = finite(m.value("starrocks_be_process_mem_bytes", &[]))?;
            let limit = n.mem_limit_bytes.filter(|l| *l > 0)? as f64;
            Some(used * 100.0 / limit)
        });
        if let Some(m) = finite(n.info.mem_pct).or(from_process) {
            mem.push(m);
        }
    }
    memory
        .cpu
        .retain(|key, _| nodes.iter().any(|n| &n.info.name == key));
    (s.cpu_avg_pct, s.cpu_max_pct) = avg_max(cpu.into_iter());
    (s.mem_avg_pct, s.mem_max_pct) = avg_max(mem.into_iter());

    let tablets: Vec<i64> = nodes.iter().filter_map(|n| n.info.tablets).collect();
    if !tablets.is_empty() {
        s.tablets = Some(tablets.iter().sum());
    }
    if shared_data {
        // Data lives in object storage; StarRocks reports no disk use to sum.
        return;
    }
    let disks: Vec<(u64, u64)> = nodes
        .iter()
        .filter_map(|n| Some((n.total_bytes?, n.avail_bytes?)))
        .collect();
    if !disks.is_empty() {
        let total: u64 = disks.iter().map(|d| d.0).sum();
        let used: u64 = disks.iter().map(|d| d.0.saturating_sub(d.1)).sum();
        s.disk_total_bytes = i64::try_from(total).ok();
        s.disk_used_bytes = i64::try_from(used).ok();
    }
    s.disk_max_pct = max_of(nodes.iter().filter_map(|n| n.info.disk_used_pct));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::FeReading;
    use model::overview::NodeInfo;
    use model::reach::MetricsPath;

    fn fe_body(queries: u64, errors: u64, p50: f64, p99: f64) -> Metrics {
        Metrics::parse(&format!(
            "# TYPE starrocks_fe_query_total counter\nstarrocks_fe_query_total {queries}\n\
             # TYPE starrocks_fe_request_total counter\nstarrocks_fe_request_total {}\n\
             # TYPE starrocks_fe_query_err counter\nstarrocks_fe_query_err {errors}\n\
             # TYPE starrocks_fe_query_latency gauge\n\
             starrocks_fe_query_latency{{type=\"50_quantile\"}} {p50}\n\
             starrocks_fe_query_latency{{type=\"99_quantile\"}} {p99}\n",
            queries * 2
        ))
    }

    fn fe(name: &str, at: i64, m: Metrics) -> FeReading {
        FeReading {
            info: NodeInfo::named("fe", name, true),
            leader: name == "a",
            addr: None,
            metrics: Some(m),
            fetched_at: at,
            path: Some(MetricsPath::Direct),
        }
    }

    #[test]
    fn rates_sum_over_fes_and_a_restarted_fe_adds_nothing() {
        let mut memory = Memory::default();
        let first = ClusterReading::of_frontends(vec![
            fe("a", 0, fe_body(1_000, 10, 5.0, 50.0)),
            fe("b", 0, fe_body(2_000, 0, 5.0, 50.0)),
        ]);
        let s = snapshot(1, 0, &first, &mut memory);
        assert_eq!(s.qps, None, "no rate from one reading");

        // 10 s later: a ran 100 queries, b 300.
        let second = ClusterReading::of_frontends(vec![
            fe("a", 10_000, fe_body(1_100, 20, 10.0, 100.0)),
            fe("b", 10_000, fe_body(2_300, 0, 20.0, 400.0)),
        ]);
        let s = snapshot(1, 10_000, &second, &mut memory);
        assert_eq!(s.qps, Some(40.0));
        assert_eq!(s.rps, Some(80.0));
        assert_eq!(s.queries, Some(400));
        assert_eq!(s.query_errors, Some(10));
        assert_eq!(s.error_rate, Some(10.0 / 400.0));
        // p50 weighted by each FE's queries; p99 the worst FE's.
        assert_eq!(
            s.latency_p50_ms,
            Some((10.0 * 100.0 + 20.0 * 300.0) / 400.0)
        );
        assert_eq!(s.latency_p99_ms, Some(400.0));

        // a restarted (counters near zero): only b counts, nothing negative.
        let third = ClusterReading::of_frontends(vec![
            fe("a", 20_000, fe_body(5, 0, 1.0, 1.0)),
            fe("b", 20_000, fe_body(2_500, 0, 1.0, 1.0)),
        ]);
        let s = snapshot(1, 20_000, &third, &mut memory);
        assert_eq!(s.qps, Some(20.0));
        assert_eq!(s.queries, Some(200));

        // And a's new series continues from its restart value.
        let fourth = ClusterReading::of_frontends(vec![
            fe("a", 30_000, fe_body(105, 0, 1.0, 1.0)),
            fe("b", 30_000, fe_body(2_600, 0, 1.0, 1.0)),
        ]);
        let s = snapshot(1, 30_000, &fourth, &mut memory);
        assert_eq!(s.qps, Some(20.0));
    }

    #[test]
    fn garbage_values_never_become_numbers() {
        let mut memory = Memory::default();
        let m = Metrics::parse(
            "starrocks_fe_query_total NaN\nstarrocks_fe_query_latency{type=\"99_quantile\"} +Inf\n\
             jvm_heap_size_bytes{type=\"used\"} 5\njvm_heap_size_bytes{type=\"max\"} 0\n",
        );
        let s = snapshot(
            1,
            0,
            &ClusterReading::of_frontends(vec![fe("a", 0, m)]),
            &mut memory,
        );
        assert_eq!(s.latency_p99_ms, None);
        assert_eq!(s.jvm_heap_used_bytes, None, "a zero max is no heap figure");
        assert!(memory.fes["a"].query_total.is_none());
    }
}
