//! Downsampling in SQL: one GROUP BY over the window, a bucket per step, the
//! average (or the maximum where the worst moment matters) per bucket. A bucket
//! with no row, or only failed rows (whose measures are NULL), is a gap.
//! Counters (transactions, loads) are rates per second, so their unit does not
//! change with the range's step (see [`to_rates`]).
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
    /// `avg`, `max`, or `rate`: a counter's increments summed per bucket,
    /// served per second.
    pub aggregate: &'static str,
    /// SQL over a `metrics_snapshots` row.
    pub raw: &'static str,
    /// SQL over a `daily_snapshots` row, when the daily rollup keeps it.
    pub daily: Option<&'static str>,
    /// The bucket's aggregate over `metrics_rollup` partials (already aggregated).
    pub m5: &'static str,
}

impl SeriesDef {
    pub fn is_rate(&self) -> bool {
        self.aggregate == "rate"
    }

    /// The SQL aggregate over raw or daily rows.
    fn sql_aggregate(&self) -> String {
        if self.is_rate() {
            "SUM".into()
        } else {
            self.aggregate.to_uppercase()
        }
    }
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
    def("connections", "Connections, all FEs", "connections", "avg", "connections", None,
        "SUM(connections_sum) / SUM(connections_n)"),
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
    def("txn_begin", "Transactions begun", "per s", "rate", "txn_begin", None, "SUM(txn_begin)"),
    def("txn_success", "Transactions succeeded", "per s", "rate", "txn_success", None, "SUM(txn_success)"),
    def("txn_failed", "Transactions failed", "per s", "rate", "txn_failed", None, "SUM(txn_failed)"),
    def("txn_running", "Transactions running", "transactions", "avg", "txn_running", None, "SUM(txn_running_sum) / SUM(txn_running_n)"),
    def("loads_running", "Loads running", "loads", "avg", "loads_running", None, "SUM(loads_running_sum) / SUM(loads_running_n)"),
    def("loads_finished", "Loads finished", "per s", "rate", "loads_finished", None, "SUM(loads_finished)"),
];

#[rustfmt::skip]
pub const COMPACTION: &[SeriesDef] = &[
    def("compaction_score", "Max compaction score", "score", "max", "compaction_score_max", None, "MAX(compaction_max)"),
];

/// Which table a window reads.
#[derive(Clone, Debug, PartialEq)]
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

/// The buckets of a window: `count` buckets of `step` from `start` (the
/// window's start rounded down), filled from rows at or after `lower` and
/// before `to`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Buckets {
    pub start: i64,
    pub step: i64,
    pub count: usize,
    pub lower: i64,
    pub to: i64,
}

impl Buckets {
    /// The buckets of `window` at `step` when read from `src`: raw rows are
    /// cut at the window's start; partials and daily rows are whole, so their
    /// first bucket starts at its round boundary.
    pub fn new(window: &Window, step: i64, src: &Source) -> Self {
        let step = step.max(1);
        let start = window.from.div_euclid(step) * step;
        let count = ((window.to - start + step - 1) / step).max(0) as usize;
        let lower = match src {
            Source::Raw => window.from,
            Source::Rollup(res) => window.from.div_euclid(*res) * res,
            Source::Daily => start,
        };
        Buckets {
            start,
            step,
            count,
            lower,
            to: window.to,
        }
    }

    /// Whether the window cuts bucket `i`: its rows cover only part of its step.
    pub fn is_cut(&self, i: usize) -> bool {
        let from = self.start + i as i64 * self.step;
        from < self.lower || from + self.step > self.to
    }
}

/// Per-second rates from a counter's per-bucket sums. Each collection stores
/// the increments since the one before, so the sum of a whole bucket covers
/// its step (a failed collection inside it included: the next one carries
/// its increments). A bucket the window cuts (the last one, still filling at
/// the window's end; the first, when raw rows start after its start) holds
/// only the collections made within the window: its sum covers about `rows ×
/// interval`, and dividing it by the whole step would draw a false drop.
pub fn to_rates(
    sums: &[Option<f64>],
    rows: &[i64],
    buckets: &Buckets,
    interval_ms: i64,
) -> Vec<Option<f64>> {
    sums.iter()
        .enumerate()
        .map(|(i, sum)| {
            let covered_ms = if buckets.is_cut(i) {
                rows.get(i).copied().unwrap_or(0) * interval_ms.max(1)
            } else {
                buckets.step
            };
            sum.filter(|_| covered_ms > 0)
                .map(|sum| sum * 1000.0 / covered_ms as f64)
        })
        .collect()
}

/// The series of `defs` over `window`, one query for all of them. Series the
/// daily rollup does not keep are left out of daily windows. `interval_ms` is
/// the collector's: it turns the window's cut buckets into rates.
pub async fn series(
    pool: &SqlitePool,
    cluster_id: i64,
    window: &Window,
    step: i64,
    interval_ms: i64,
    defs: &[SeriesDef],
) -> sqlx::Result<Vec<Series>> {
    let src = source(window, step);
    // SUM and MAX of an INTEGER column are INTEGER in SQLite; every value is read as REAL.
    let defs: Vec<(&SeriesDef, String)> = defs
        .iter()
        .filter_map(|d| {
            let agg = d.sql_aggregate();
            let expr = match src {
                Source::Raw => format!("CAST({agg}({}) AS REAL)", d.raw),
                Source::Daily => format!("CAST({agg}({}) AS REAL)", d.daily?),
                Source::Rollup(_) => format!("CAST({} AS REAL)", d.m5),
            };
            Some((d, expr))
        })
        .collect();
    let b = Buckets::new(window, step, &src);
    let mut out: Vec<Series> = defs
        .iter()
        .map(|(d, _)| Series {
            key: d.key.into(),
            label: d.label.into(),
            unit: d.unit.into(),
            aggregate: d.aggregate.into(),
            start: b.start,
            step_ms: b.step,
            values: vec![None; b.count],
        })
        .collect();
    if defs.is_empty() || b.count == 0 {
        return Ok(out);
    }
    let columns: Vec<&str> = defs.iter().map(|(_, e)| e.as_str()).collect();
    // With the collections that answered in each bucket: the rates of cut buckets need them.
    let (table, time, answered, res) = match src {
        Source::Raw => (
            "metrics_snapshots",
            "collected_at",
            "SUM(status <> 'failed')",
            String::new(),
        ),
        Source::Rollup(res) => (
            "metrics_rollup",
            "bucket",
            "SUM(rows_ok)",
            format!(" AND res = {res}"),
        ),
        Source::Daily => ("daily_snapshots", "day", "SUM(samples)", String::new()),
    };
    let sql = format!(
        "SELECT ({time} - ?1) / ?2 AS b, {answered}, {} FROM {table} \
         WHERE cluster_id = ?3{res} AND {time} >= ?4 AND {time} < ?5 GROUP BY b",
        columns.join(", ")
    );
    let rows = sqlx::query(&sql)
        .bind(b.start)
        .bind(b.step)
        .bind(cluster_id)
        .bind(b.lower)
        .bind(window.to)
        .fetch_all(pool)
        .await?;
    let mut rows_answered = vec![0i64; b.count];
    for row in rows {
        let i: i64 = row.try_get(0)?;
        let Some(i) = usize::try_from(i).ok().filter(|i| *i < b.count) else {
            continue;
        };
        let n: Option<i64> = row.try_get(1)?;
        rows_answered[i] = n.unwrap_or(0);
        for (k, s) in out.iter_mut().enumerate() {
            let v: Option<f64> = row.try_get(k + 2)?;
            s.values[i] = v.filter(|v| v.is_finite());
        }
    }
    for (s, (d, _)) in out.iter_mut().zip(&defs) {
        if d.is_rate() {
            s.values = to_rates(&s.values, &rows_answered, &b, interval_ms);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;
    use crate::snapshots::{write_tick, Collected};
    use model::snapshot::{CollectStatus, Snapshot};

    const S: i64 = 1_000;

    fn close(got: &[Option<f64>], want: f64) -> bool {
        got.iter()
            .all(|v| v.is_some_and(|v| (v - want).abs() < want * 0.02))
    }

    #[test]
    fn counters_are_per_second_whatever_the_step() {
        // 2.3 transactions a second, collected every 5 s: a 30-s bucket holds
        // 69, a 5-minute one 690; both are 2.3 per second.
        let b = |step: i64| Buckets {
            start: 0,
            step,
            count: 3,
            lower: 0,
            to: 3 * step,
        };
        let at_30s = to_rates(&[Some(69.0); 3], &[6; 3], &b(30 * S), 5 * S);
        let at_5m = to_rates(&[Some(690.0); 3], &[60; 3], &b(300 * S), 5 * S);
        assert!(close(&at_30s, 2.3), "{at_30s:?}");
        assert!(close(&at_5m, 2.3), "{at_5m:?}");
        // Gaps stay gaps; a whole bucket whose collections failed but one
        // (which carries their increments) is still its step's rate.
        let r = to_rates(
            &[Some(69.0), None, Some(69.0)],
            &[6, 0, 1],
            &b(30 * S),
            5 * S,
        );
        assert_eq!(r[1], None);
        assert!(close(&r[2..], 2.3), "{r:?}");
    }

    #[test]
    fn a_bucket_the_window_cuts_is_no_cliff() {
        // 69, 69, 69, then 12 so far in the bucket the window's end cuts
        // (one collection of its six): per step that read as a drop to a
        // sixth; per second it is about the same rate.
        let b = Buckets {
            start: 0,
            step: 30 * S,
            count: 4,
            lower: 0,
            to: 100 * S,
        };
        assert!(!b.is_cut(2) && b.is_cut(3));
        let r = to_rates(
            &[Some(69.0), Some(69.0), Some(69.0), Some(12.0)],
            &[6, 6, 6, 1],
            &b,
            5 * S,
        );
        assert!(
            (r[3].unwrap_or(0.0) - r[2].unwrap_or(0.0)).abs() < 0.2,
            "{r:?}"
        );
        // The first bucket, when raw rows start after its start, likewise.
        let b = Buckets { lower: 20 * S, ..b };
        assert!(b.is_cut(0));
        let r = to_rates(&[Some(23.0)], &[2], &b, 5 * S);
        assert!(close(&r, 2.3), "{r:?}");
        // A cut bucket without a collection that answered has no rate.
        assert_eq!(to_rates(&[Some(0.0)], &[0], &b, 5 * S), vec![None]);
    }

    async fn seeded(t0: i64, until: i64) -> (SqlitePool, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let pool = db::connect(&url).await.expect("db");
        sqlx::query(
            "INSERT INTO clusters (id, name, fe_host, http_port, query_port, username, \
             password_enc, created_at, updated_at) VALUES (1, 'c', 'h', 8030, 9030, 'root', x'00', 0, 0)",
        )
        .execute(&pool)
        .await
        .expect("cluster");
        // Every 5 s, 1 s past the round time: 10 transactions (2 a second)
        // and 7 connections.
        let mut at = t0 + S;
        while at < until {
            let mut s = Snapshot::empty(1, at, CollectStatus::Ok);
            s.txn_success = Some(10);
            s.loads_finished = Some(5);
            s.connections = Some(7);
            let c = Collected {
                ops: None,
                snapshot: s,
                counters: Vec::new(),
                nodes: None,
            };
            write_tick(&pool, &[c]).await.expect("write");
            at += 5 * S;
        }
        (pool, dir)
    }

    fn window(from: i64, to: i64) -> Window {
        Window {
            from,
            to,
            preset: None,
            daily: false,
        }
    }

    fn values<'a>(all: &'a [Series], key: &str) -> &'a [Option<f64>] {
        &all.iter().find(|s| s.key == key).expect("series").values
    }

    #[tokio::test]
    async fn rates_from_raw_rows_and_partials_end_without_a_drop() {
        let t0 = 1_800_000_000_000 / 900_000 * 900_000;
        let (pool, _dir) = seeded(t0, t0 + 1_300 * S).await;

        // Raw rows at 30 s, a window cut at both ends (3 s in, 12 s into its last bucket).
        let w = window(t0 + 3 * S, t0 + 612 * S);
        let all = series(&pool, 1, &w, 30 * S, 5 * S, TRANSACTIONS)
            .await
            .expect("series");
        let txn = values(&all, "txn_success");
        assert_eq!(txn.len(), 21);
        assert!(close(txn, 2.0), "{txn:?}");
        assert!(close(values(&all, "loads_finished"), 1.0));
        let s = all.iter().find(|s| s.key == "txn_success").expect("series");
        assert_eq!((s.aggregate.as_str(), s.unit.as_str()), ("rate", "per s"));

        // 5-minute partials, the last bucket 40 s old; connections too.
        let w = window(t0, t0 + 1_240 * S);
        assert_eq!(source(&w, 300 * S), Source::Rollup(300 * S));
        let all = series(
            &pool,
            1,
            &w,
            300 * S,
            5 * S,
            &[TRANSACTIONS, PERFORMANCE].concat(),
        )
        .await
        .expect("series");
        let txn = values(&all, "txn_success");
        assert_eq!(txn.len(), 5);
        assert!(close(txn, 2.0), "{txn:?}");
        let connections = values(&all, "connections");
        assert_eq!(connections.len(), 5);
        assert!(close(connections, 7.0), "{connections:?}");
    }
}
