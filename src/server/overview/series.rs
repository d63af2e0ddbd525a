//! Downsampling in SQL: one GROUP BY over the window, a bucket per step, the
//! average (or the maximum where the worst moment matters) per bucket. A bucket
//! with no row, or only failed rows (whose measures are NULL), is a gap.
//!
//! Steps under 5 minutes read raw rows; steps that are multiples of 5 or 15
//! minutes (24h, 3d, 7d) read the collector's partials (`metrics_rollup`, sums
//! and counts, so averages stay exact); 30d and 90d read daily rows.

use crate::model::overview::{Series, Window, DAY_MS};
use crate::server::collector::store::ROLLUP_RES;
use sqlx::{Row, SqlitePool};

/// Round steps, smallest first.
const STEPS_MS: &[i64] = &[
    30_000,
    60_000,
    5 * 60_000,
    15 * 60_000,
    3_600_000,
    6 * 3_600_000,
    DAY_MS,
    7 * DAY_MS,
];

/// The smallest round step at least the collect interval that keeps a series
/// at `max_points` or fewer. Daily windows always step by one day.
pub fn choose_step(window: &Window, interval_ms: i64, max_points: i64) -> i64 {
    if window.daily {
        return DAY_MS;
    }
    let span = window.span().max(1);
    STEPS_MS
        .iter()
        .copied()
        .find(|s| *s >= interval_ms && span.div_euclid(*s) < max_points.max(1))
        .unwrap_or(7 * DAY_MS)
}

/// What a series is made of.
#[derive(Clone, Copy)]
pub struct SeriesDef {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// `avg`, `max` or `sum`.
    pub aggregate: &'static str,
    /// SQL over a `metrics_snapshots` row.
    pub raw: &'static str,
    /// SQL over a `daily_snapshots` row, when the daily rollup keeps it.
    pub daily: Option<&'static str>,
    /// The bucket's aggregate over `metrics_5m` partials (already aggregated).
    pub m5: &'static str,
}

const fn def(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    aggregate: &'static str,
    raw: &'static str,
    daily: Option<&'static str>,
    m5: &'static str,
) -> SeriesDef {
    SeriesDef {
        key,
        label,
        unit,
        aggregate,
        raw,
        daily,
        m5,
    }
}

// One line per series: key, label, unit, bucket aggregate, expression over a raw
// row, over a daily row (None: the rollup does not keep it), and over 5-minute partials.
#[rustfmt::skip]
pub const PERFORMANCE: &[SeriesDef] = &[
    def("qps", "Queries per second", "queries/s", "avg", "qps", Some("qps_avg"), "SUM(qps_sum) / SUM(qps_n)"),
    def("qps_max", "Peak queries per second", "queries/s", "max", "qps", Some("qps_max"), "MAX(qps_max)"),
    def("rps", "Requests per second", "requests/s", "avg", "rps", None, "SUM(rps_sum) / SUM(rps_n)"),
    def("latency_p50", "Latency p50", "ms", "avg", "latency_p50_ms", None, "SUM(p50_sum) / SUM(p50_n)"),
    def("latency_p95", "Latency p95", "ms", "max", "latency_p95_ms", None, "MAX(p95_max)"),
    def("latency_p99", "Latency p99", "ms", "max", "latency_p99_ms", Some("p99_max_ms"), "MAX(p99_max)"),
    def("error_rate", "Query error rate", "%", "avg", "error_rate * 100.0",
        Some("CASE WHEN queries > 0 THEN query_errors * 100.0 / queries END"),
        "SUM(error_rate_sum) * 100.0 / SUM(error_rate_n)"),
];

#[rustfmt::skip]
pub const RESOURCES: &[SeriesDef] = &[
    def("cpu_avg", "CPU, average over nodes", "%", "avg", "cpu_avg_pct", Some("cpu_avg_pct"), "SUM(cpu_avg_sum) / SUM(cpu_avg_n)"),
    def("cpu_max", "CPU, busiest node", "%", "max", "cpu_max_pct", Some("cpu_max_pct"), "MAX(cpu_max)"),
    def("mem_avg", "Memory, average over nodes", "%", "avg", "mem_avg_pct", Some("mem_avg_pct"), "SUM(mem_avg_sum) / SUM(mem_avg_n)"),
    def("mem_max", "Memory, fullest node", "%", "max", "mem_max_pct", Some("mem_max_pct"), "MAX(mem_max)"),
    def("disk_used", "Disk used, cluster", "%", "max",
        "CASE WHEN disk_total_bytes > 0 THEN disk_used_bytes * 100.0 / disk_total_bytes END",
        Some("disk_avg_pct"), "MAX(disk_pct_max)"),
    def("disk_max", "Disk used, fullest node", "%", "max", "disk_max_pct", Some("disk_max_pct"), "MAX(disk_max)"),
    def("jvm_heap", "FE JVM heap used", "%", "max",
        "CASE WHEN jvm_heap_max_bytes > 0 THEN jvm_heap_used_bytes * 100.0 / jvm_heap_max_bytes END",
        None, "MAX(heap_pct_max)"),
];

#[rustfmt::skip]
pub const TRANSACTIONS: &[SeriesDef] = &[
    def("txn_begin", "Transactions begun", "per step", "sum", "txn_begin", None, "SUM(txn_begin)"),
    def("txn_success", "Transactions succeeded", "per step", "sum", "txn_success", None, "SUM(txn_success)"),
    def("txn_failed", "Transactions failed", "per step", "sum", "txn_failed", None, "SUM(txn_failed)"),
    def("txn_running", "Transactions running", "transactions", "avg", "txn_running", None, "SUM(txn_running_sum) / SUM(txn_running_n)"),
    def("loads_running", "Loads running", "loads", "avg", "loads_running", None, "SUM(loads_running_sum) / SUM(loads_running_n)"),
    def("loads_finished", "Loads finished", "per step", "sum", "loads_finished", None, "SUM(loads_finished)"),
];

#[rustfmt::skip]
pub const COMPACTION: &[SeriesDef] = &[
    def("compaction_score", "Max compaction score", "score", "max", "compaction_score_max", None, "MAX(compaction_max)"),
];

/// Which table a window reads.
pub enum Source {
    Raw,
    /// `metrics_rollup` at this resolution (ms).
    Rollup(i64),
    Daily,
}

/// The coarsest partials the step is a multiple of, else the raw rows.
pub fn source(window: &Window, step: i64) -> Source {
    if window.daily {
        return Source::Daily;
    }
    ROLLUP_RES
        .iter()
        .rev()
        .find(|res| step % **res == 0)
        .map_or(Source::Raw, |res| Source::Rollup(*res))
}

/// The series of `defs` over `window`, one query for all of them. Series the
/// daily rollup does not keep are left out of daily windows.
pub async fn series(
    pool: &SqlitePool,
    cluster_id: i64,
    window: &Window,
    step: i64,
    defs: &[SeriesDef],
) -> sqlx::Result<Vec<Series>> {
    let src = source(window, step);
    // SUM and MAX of an INTEGER column are INTEGER in SQLite; every value is read as REAL.
    let defs: Vec<(&SeriesDef, String)> = defs
        .iter()
        .filter_map(|d| {
            let agg = d.aggregate.to_uppercase();
            let expr = match src {
                Source::Raw => format!("CAST({agg}({}) AS REAL)", d.raw),
                Source::Daily => format!("CAST({agg}({}) AS REAL)", d.daily?),
                Source::Rollup(_) => format!("CAST({} AS REAL)", d.m5),
            };
            Some((d, expr))
        })
        .collect();
    let start = window.from.div_euclid(step) * step;
    let buckets = ((window.to - start + step - 1) / step).max(0) as usize;
    let mut out: Vec<Series> = defs
        .iter()
        .map(|(d, _)| Series {
            key: d.key.into(),
            label: d.label.into(),
            unit: d.unit.into(),
            aggregate: d.aggregate.into(),
            start,
            step_ms: step,
            values: vec![None; buckets],
        })
        .collect();
    if defs.is_empty() || buckets == 0 {
        return Ok(out);
    }
    let columns: Vec<&str> = defs.iter().map(|(_, e)| e.as_str()).collect();
    // Raw rows are cut at the window's start; partials and daily rows are
    // whole, so their first bucket starts at its round boundary.
    let (table, time, lower) = match src {
        Source::Raw => ("metrics_snapshots", "collected_at", window.from),
        Source::Rollup(res) => (
            "metrics_rollup",
            "bucket",
            window.from.div_euclid(res) * res,
        ),
        Source::Daily => ("daily_snapshots", "day", start),
    };
    let res = match src {
        Source::Rollup(res) => format!(" AND res = {res}"),
        _ => String::new(),
    };
    let sql = format!(
        "SELECT ({time} - ?1) / ?2 AS b, {} FROM {table} \
         WHERE cluster_id = ?3{res} AND {time} >= ?4 AND {time} < ?5 GROUP BY b",
        columns.join(", ")
    );
    let rows = sqlx::query(&sql)
        .bind(start)
        .bind(step)
        .bind(cluster_id)
        .bind(lower)
        .bind(window.to)
        .fetch_all(pool)
        .await?;
    for row in rows {
        let b: i64 = row.try_get(0)?;
        let Some(i) = usize::try_from(b).ok().filter(|i| *i < buckets) else {
            continue;
        };
        for (k, s) in out.iter_mut().enumerate() {
            let v: Option<f64> = row.try_get(k + 1)?;
            s.values[i] = v.filter(|v| v.is_finite());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::overview::parse_window;

    #[test]
    fn every_range_gets_a_round_step_within_720_points() {
        let now = 1_800_000_000_000;
        let want = [
            ("1h", 30_000),
            ("6h", 60_000),
            ("24h", 5 * 60_000),
            ("3d", 15 * 60_000),
            ("7d", 15 * 60_000),
            ("30d", DAY_MS),
            ("90d", DAY_MS),
        ];
        for (range, step) in want {
            let w = parse_window(Some(range), None, None, now).expect("range");
            let got = choose_step(&w, 30_000, 720);
            assert_eq!(got, step, "{range}");
            assert!(w.span() / got < 720, "{range}");
        }
        // Never finer than the collect interval.
        let w = parse_window(Some("1h"), None, None, now).expect("range");
        assert_eq!(choose_step(&w, 5 * 60_000, 720), 5 * 60_000);
        // Fewer points asked for, coarser steps.
        assert_eq!(choose_step(&w, 30_000, 60), 5 * 60_000);
    }
}
