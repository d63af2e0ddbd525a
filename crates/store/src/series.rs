//! Downsampling in SQL: one GROUP BY over the window, a bucket per step, the
//! average (or the maximum where the worst moment matters) per bucket. A bucket
//! with no row, or only failed rows (whose measures are NULL), is a gap.
//!
//! Steps under 5 minutes read raw rows; steps that are multiples of 5 or 15
//! minutes (24h, 3d, 7d) read the collector's partials (`metrics_rollup`, sums
//! and counts, so averages stay exact); 30d and 90d read daily rows.

use crate::partials::ROLLUP_RES;
use model::overview::{Aggregates, Series, Window, DAY_MS};
use sqlx::{Row, SqlitePool};

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

/// Averages and maxima over `window` (read from the table `step` reads), the
/// error rate (%) and the number of queries.
pub async fn aggregates(
    pool: &SqlitePool,
    id: i64,
    window: &Window,
    step: i64,
) -> sqlx::Result<(Aggregates, Option<f64>, Option<f64>)> {
    type Row = (
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
        Option<f64>,
    );
    let source = source(window, step);
    let (sql, from) = match source {
        Source::Daily => (
            "SELECT AVG(qps_avg), MAX(qps_max), AVG(p99_avg_ms), AVG(cpu_avg_pct), \
             AVG(mem_avg_pct), AVG(disk_avg_pct), \
             CAST(SUM(query_errors) AS REAL) * 100.0 / NULLIF(SUM(queries), 0), \
             CAST(SUM(queries) AS REAL) FROM daily_snapshots \
             WHERE cluster_id = ? AND day >= ? AND day < ?",
            window.from.div_euclid(DAY_MS) * DAY_MS,
        ),
        Source::Rollup(res) => (
            "SELECT SUM(qps_sum) / SUM(qps_n), MAX(qps_max), SUM(p99_sum) / SUM(p99_n), \
             SUM(cpu_avg_sum) / SUM(cpu_avg_n), SUM(mem_avg_sum) / SUM(mem_avg_n), \
             SUM(disk_pct_sum) / SUM(disk_pct_n), \
             CAST(SUM(query_errors) AS REAL) * 100.0 / NULLIF(SUM(queries), 0), \
             CAST(SUM(queries) AS REAL) FROM metrics_rollup \
             WHERE cluster_id = ? AND res = ? AND bucket >= ? AND bucket < ?",
            window.from.div_euclid(res) * res,
        ),
        Source::Raw => (
            "SELECT AVG(qps), MAX(qps), AVG(latency_p99_ms), AVG(cpu_avg_pct), AVG(mem_avg_pct), \
             AVG(CASE WHEN disk_total_bytes > 0 THEN disk_used_bytes * 100.0 / disk_total_bytes END), \
             CAST(SUM(query_errors) AS REAL) * 100.0 / NULLIF(SUM(queries), 0), \
             CAST(SUM(queries) AS REAL) FROM metrics_snapshots \
             WHERE cluster_id = ? AND collected_at >= ? AND collected_at < ?",
            window.from,
        ),
    };
    let mut q = sqlx::query_as::<_, Row>(sql).bind(id);
    if let Source::Rollup(res) = source {
        q = q.bind(res);
    }
    let r = q.bind(from).bind(window.to).fetch_one(pool).await?;
    Ok((
        Aggregates {
            qps_avg: r.0,
            qps_max: r.1,
            p99_avg_ms: r.2,
            cpu_avg_pct: r.3,
            mem_avg_pct: r.4,
            disk_avg_pct: r.5,
        },
        r.6,
        r.7,
    ))
}
