//! The collector's tables: writing a tick, seeding memory, data statistics.

use super::derive::{FeCounters, Memory};
use crate::model::overview::Nodes;
use crate::model::snapshot::{Snapshot, StoredDataStatistics};
use crate::model::starrocks::{
    DataStatistics, ErrorKind, MvSummary, ProblemReport, SchemaChangeSummary, SessionSummary, Stat,
    TableSize,
};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::collections::HashMap;

const SNAPSHOT_COLUMNS: &str = "cluster_id, collected_at, status, error_kind, error_message, \
    duration_ms, qps, rps, latency_p50_ms, latency_p95_ms, latency_p99_ms, queries, query_errors, \
    query_timeouts, error_rate, fe_total, fe_alive, be_total, be_alive, cpu_avg_pct, cpu_max_pct, \
    mem_avg_pct, mem_max_pct, disk_total_bytes, disk_used_bytes, disk_max_pct, tablets, \
    compaction_score_max, txn_begin, txn_success, txn_failed, txn_running, loads_running, \
    loads_finished, jvm_heap_used_bytes, jvm_heap_max_bytes, connections";

/// What one finished collection leaves behind: its row and, after a reading,
/// each FE's counters.
pub struct Collected {
    pub snapshot: Snapshot,
    pub counters: Vec<(String, FeCounters)>,
    /// The node lists, when the collection read them.
    pub nodes: Option<Nodes>,
}

async fn insert_snapshot(tx: &mut Transaction<'_, Sqlite>, s: &Snapshot) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT OR REPLACE INTO metrics_snapshots ({SNAPSHOT_COLUMNS}) VALUES \
         (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    );
    sqlx::query(&sql)
        .bind(s.cluster_id)
        .bind(s.collected_at)
        .bind(s.status)
        .bind(&s.error_kind)
        .bind(&s.error_message)
        .bind(s.duration_ms)
        .bind(s.qps)
        .bind(s.rps)
        .bind(s.latency_p50_ms)
        .bind(s.latency_p95_ms)
        .bind(s.latency_p99_ms)
        .bind(s.queries)
        .bind(s.query_errors)
        .bind(s.query_timeouts)
        .bind(s.error_rate)
        .bind(s.fe_total)
        .bind(s.fe_alive)
        .bind(s.be_total)
        .bind(s.be_alive)
        .bind(s.cpu_avg_pct)
        .bind(s.cpu_max_pct)
        .bind(s.mem_avg_pct)
        .bind(s.mem_max_pct)
        .bind(s.disk_total_bytes)
        .bind(s.disk_used_bytes)
        .bind(s.disk_max_pct)
        .bind(s.tablets)
        .bind(s.compaction_score_max)
        .bind(s.txn_begin)
        .bind(s.txn_success)
        .bind(s.txn_failed)
        .bind(s.txn_running)
        .bind(s.loads_running)
        .bind(s.loads_finished)
        .bind(s.jvm_heap_used_bytes)
        .bind(s.jvm_heap_max_bytes)
        .bind(s.connections)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn upsert_counters(
    tx: &mut Transaction<'_, Sqlite>,
    cluster_id: i64,
    fe: &str,
    c: &FeCounters,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT OR REPLACE INTO collector_counters (cluster_id, fe, at, request_total, \
         query_total, query_err, query_timeout, txn_begin, txn_success, txn_failed, load_finished) \
         VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    )
    .bind(cluster_id)
    .bind(fe)
    .bind(c.at)
    .bind(c.request_total)
    .bind(c.query_total)
    .bind(c.query_err)
    .bind(c.query_timeout)
    .bind(c.txn_begin)
    .bind(c.txn_success)
    .bind(c.txn_failed)
    .bind(c.load_finished)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The resolutions of `metrics_rollup`, in ms.
pub const ROLLUP_RES: [i64; 2] = [300_000, 900_000];

/// Recomputes the partials at resolution `res` of `[from, to)` (aligned down to
/// `res`) from the raw rows of one cluster.
pub async fn rollup<'e, E>(
    executor: E,
    cluster_id: i64,
    res: i64,
    from: i64,
    to: i64,
) -> sqlx::Result<()>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    sqlx::query(
        "INSERT OR REPLACE INTO metrics_rollup (cluster_id, res, bucket, rows_total, rows_ok, qps_sum, qps_n, \
           qps_max, rps_sum, rps_n, p50_sum, p50_n, p95_max, p99_sum, p99_n, p99_max, \
           error_rate_sum, error_rate_n, cpu_avg_sum, cpu_avg_n, cpu_max, mem_avg_sum, mem_avg_n, \
           mem_max, disk_pct_sum, disk_pct_n, disk_pct_max, disk_max, disk_used_sum, disk_used_n, \
           heap_pct_max, txn_begin, \
           txn_success, txn_failed, txn_running_sum, txn_running_n, loads_running_sum, \
           loads_running_n, loads_finished, queries, query_errors, compaction_max)
         SELECT cluster_id, ?4, collected_at / ?4 * ?4 AS b, COUNT(*), SUM(status <> 'failed'),
           SUM(qps), COUNT(qps), MAX(qps), SUM(rps), COUNT(rps),
           SUM(latency_p50_ms), COUNT(latency_p50_ms), MAX(latency_p95_ms),
           SUM(latency_p99_ms), COUNT(latency_p99_ms), MAX(latency_p99_ms),
           SUM(error_rate), COUNT(error_rate), SUM(cpu_avg_pct), COUNT(cpu_avg_pct), MAX(cpu_max_pct),
           SUM(mem_avg_pct), COUNT(mem_avg_pct), MAX(mem_max_pct),
           SUM(dp), COUNT(dp), MAX(dp), MAX(disk_max_pct), SUM(disk_used_bytes),
           COUNT(disk_used_bytes), MAX(hp),
           SUM(txn_begin), SUM(txn_success), SUM(txn_failed), SUM(txn_running), COUNT(txn_running),
           SUM(loads_running), COUNT(loads_running), SUM(loads_finished), SUM(queries),
           SUM(query_errors), MAX(compaction_score_max)
         FROM (SELECT *,
                 CASE WHEN disk_total_bytes > 0 THEN disk_used_bytes * 100.0 / disk_total_bytes END AS dp,
                 CASE WHEN jvm_heap_max_bytes > 0 THEN jvm_heap_used_bytes * 100.0 / jvm_heap_max_bytes END AS hp
               FROM metrics_snapshots
               WHERE cluster_id = ?1 AND collected_at >= ?2 AND collected_at < ?3)
         GROUP BY cluster_id, b",
    )
    .bind(cluster_id)
    .bind(from.div_euclid(res) * res)
    .bind(to)
    .bind(res)
    .execute(executor)
    .await?;
    Ok(())
}

/// Writes every row of one tick in one transaction: a crash loses the whole
/// tick or nothing. A cluster deleted while its collection ran is skipped
/// (its rows would violate the foreign key) instead of failing the tick.
pub async fn write_tick(pool: &SqlitePool, collected: &[Collected]) -> sqlx::Result<usize> {
    let mut tx = pool.begin().await?;
    let ids: std::collections::HashSet<i64> = sqlx::query_scalar("SELECT id FROM clusters")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
    let mut written = 0;
    for c in collected {
        if !ids.contains(&c.snapshot.cluster_id) {
            continue;
        }
        insert_snapshot(&mut tx, &c.snapshot).await?;
        for res in ROLLUP_RES {
            let bucket = c.snapshot.collected_at.div_euclid(res) * res;
            rollup(&mut *tx, c.snapshot.cluster_id, res, bucket, bucket + res).await?;
        }
        for (fe, counters) in &c.counters {
            upsert_counters(&mut tx, c.snapshot.cluster_id, fe, counters).await?;
        }
        if let Some(nodes) = &c.nodes {
            if let Ok(json) = serde_json::to_string(nodes) {
                sqlx::query(
                    "INSERT OR REPLACE INTO cluster_nodes (cluster_id, collected_at, nodes) VALUES (?, ?, ?)",
                )
                .bind(c.snapshot.cluster_id)
                .bind(c.snapshot.collected_at)
                .bind(json)
                .execute(&mut *tx)
                .await?;
            }
        }
        written += 1;
    }
    tx.commit().await?;
    Ok(written)
}

/// Every cluster's remembered FE counters, to continue rates after a restart.
pub async fn load_memory(pool: &SqlitePool) -> sqlx::Result<HashMap<i64, Memory>> {
    type Row = (
        i64,
        String,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT cluster_id, fe, at, request_total, query_total, query_err, query_timeout, \
         txn_begin, txn_success, txn_failed, load_finished FROM collector_counters",
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<i64, Memory> = HashMap::new();
    for r in rows {
        let c = FeCounters {
            at: r.2,
            request_total: r.3,
            query_total: r.4,
            query_err: r.5,
            query_timeout: r.6,
            txn_begin: r.7,
            txn_success: r.8,
            txn_failed: r.9,
            load_finished: r.10,
        };
        out.entry(r.0).or_default().fes.insert(r.1, c);
    }
    Ok(out)
}

/// The newest snapshot of a cluster.
pub async fn latest(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Option<Snapshot>> {
    sqlx::query_as(&format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM metrics_snapshots WHERE cluster_id = ? \
         ORDER BY collected_at DESC LIMIT 1"
    ))
    .bind(cluster_id)
    .fetch_optional(pool)
    .await
}

/// The newest snapshot that is not failed: the last known state of a cluster
/// that is unreachable now.
pub async fn latest_ok(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Option<Snapshot>> {
    sqlx::query_as(&format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM metrics_snapshots WHERE cluster_id = ? \
         AND status <> 'failed' ORDER BY collected_at DESC LIMIT 1"
    ))
    .bind(cluster_id)
    .fetch_optional(pool)
    .await
}

/// The node lists of the newest collection that read them.
pub async fn nodes(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Option<Nodes>> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT collected_at, nodes FROM cluster_nodes WHERE cluster_id = ?")
            .bind(cluster_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(at, json)| {
        let mut n: Nodes = serde_json::from_str(&json).ok()?;
        n.collected_at = Some(at);
        Some(n)
    }))
}

/// Snapshots of a cluster in `[from, to)`, oldest first.
pub async fn between(
    pool: &SqlitePool,
    cluster_id: i64,
    from: i64,
    to: i64,
) -> sqlx::Result<Vec<Snapshot>> {
    sqlx::query_as(&format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM metrics_snapshots WHERE cluster_id = ? \
         AND collected_at >= ? AND collected_at < ? ORDER BY collected_at"
    ))
    .bind(cluster_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

// --- data statistics --------------------------------------------------------

fn value_and_error<T>(s: &Stat<T>) -> (Option<&T>, Option<&str>) {
    match s {
        Stat::Available { value } => (Some(value), None),
        Stat::Unavailable { reason } => (None, Some(reason.as_str())),
    }
}

fn to_i64(v: Option<&u64>) -> Option<i64> {
    v.and_then(|v| i64::try_from(*v).ok())
}

/// Stores a successful read of the MySQL-side statistics.
pub async fn save_data_statistics(
    pool: &SqlitePool,
    cluster_id: i64,
    at: i64,
    d: &DataStatistics,
) -> sqlx::Result<()> {
    let (version, version_e) = value_and_error(&d.version);
    let (dbs, dbs_e) = value_and_error(&d.databases);
    let (tables, tables_e) = value_and_error(&d.tables);
    let (bytes, bytes_e) = value_and_error(&d.total_bytes);
    let (top, top_e) = value_and_error(&d.top_tables);
    let (mv, mv_e) = value_and_error(&d.materialized_views);
    let (sc, sc_e) = value_and_error(&d.schema_changes);
    let (sess, sess_e) = value_and_error(&d.sessions);
    let (loads, loads_e) = value_and_error(&d.loads_running);
    let top_json = top.and_then(|t| serde_json::to_string(t).ok());
    let failing_json = mv.and_then(|m| serde_json::to_string(&m.failing).ok());
    sqlx::query(
        "INSERT OR REPLACE INTO data_statistics (cluster_id, collected_at, attempted_at, \
         last_error_kind, last_error_message, version, version_error, databases, databases_error, \
         tables, tables_error, total_bytes, total_bytes_error, top_tables, top_tables_error, \
         mv_total, mv_active, mv_inactive, mv_failing, mv_error, schema_changes_running, \
         schema_changes_pending, schema_changes_error, connections, active_users, sessions_error, \
         loads_running, loads_running_error) \
         VALUES (?,?,?,NULL,NULL,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    )
    .bind(cluster_id)
    .bind(at)
    .bind(at)
    .bind(version)
    .bind(version_e)
    .bind(to_i64(dbs))
    .bind(dbs_e)
    .bind(to_i64(tables))
    .bind(tables_e)
    .bind(to_i64(bytes))
    .bind(bytes_e)
    .bind(top_json)
    .bind(top_e)
    .bind(to_i64(mv.map(|m| &m.total)))
    .bind(to_i64(mv.map(|m| &m.active)))
    .bind(to_i64(mv.map(|m| &m.inactive)))
    .bind(failing_json)
    .bind(mv_e)
    .bind(to_i64(sc.map(|s| &s.running)))
    .bind(to_i64(sc.map(|s| &s.pending)))
    .bind(sc_e)
    .bind(to_i64(sess.map(|s| &s.connections)))
    .bind(to_i64(sess.map(|s| &s.active_users)))
    .bind(sess_e)
    .bind(to_i64(loads))
    .bind(loads_e)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a failed attempt and keeps the last good statistics.
pub async fn save_data_statistics_error(
    pool: &SqlitePool,
    cluster_id: i64,
    at: i64,
    problem: &ProblemReport,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO data_statistics (cluster_id, attempted_at, last_error_kind, last_error_message) \
         VALUES (?,?,?,?) ON CONFLICT (cluster_id) DO UPDATE SET attempted_at = excluded.attempted_at, \
         last_error_kind = excluded.last_error_kind, last_error_message = excluded.last_error_message",
    )
    .bind(cluster_id)
    .bind(at)
    .bind(problem.kind.as_str())
    .bind(&problem.message)
    .execute(pool)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct DataStatisticsRow {
    cluster_id: i64,
    collected_at: Option<i64>,
    attempted_at: i64,
    last_error_kind: Option<String>,
    last_error_message: Option<String>,
    version: Option<String>,
    version_error: Option<String>,
    databases: Option<i64>,
    databases_error: Option<String>,
    tables: Option<i64>,
    tables_error: Option<String>,
    total_bytes: Option<i64>,
    total_bytes_error: Option<String>,
    top_tables: Option<String>,
    top_tables_error: Option<String>,
    mv_total: Option<i64>,
    mv_active: Option<i64>,
    mv_inactive: Option<i64>,
    mv_failing: Option<String>,
    mv_error: Option<String>,
    schema_changes_running: Option<i64>,
    schema_changes_pending: Option<i64>,
    schema_changes_error: Option<String>,
    connections: Option<i64>,
    active_users: Option<i64>,
    sessions_error: Option<String>,
    loads_running: Option<i64>,
    loads_running_error: Option<String>,
}

fn stat<T>(value: Option<T>, error: Option<String>) -> Stat<T> {
    match (value, error) {
        (Some(value), None) => Stat::Available { value },
        (_, Some(reason)) => Stat::Unavailable { reason },
        (None, None) => Stat::Unavailable {
            reason: "not collected".into(),
        },
    }
}

fn u(v: Option<i64>) -> Option<u64> {
    v.and_then(|v| u64::try_from(v).ok())
}

impl DataStatisticsRow {
    fn into_model(self) -> StoredDataStatistics {
        let last_error = self.last_error_kind.as_deref().map(|k| ProblemReport {
            kind: ErrorKind::parse(k).unwrap_or(ErrorKind::ServerError),
            message: self.last_error_message.clone().unwrap_or_default(),
        });
        let stats = self.collected_at.map(|_| DataStatistics {
            version: stat(self.version, self.version_error),
            databases: stat(u(self.databases), self.databases_error),
            tables: stat(u(self.tables), self.tables_error),
            total_bytes: stat(u(self.total_bytes), self.total_bytes_error),
            top_tables: stat(
                self.top_tables
                    .and_then(|j| serde_json::from_str::<Vec<TableSize>>(&j).ok()),
                self.top_tables_error,
            ),
            materialized_views: stat(
                self.mv_total.map(|total| MvSummary {
                    total: u(Some(total)).unwrap_or(0),
                    active: u(self.mv_active).unwrap_or(0),
                    inactive: u(self.mv_inactive).unwrap_or(0),
                    failing: self
                        .mv_failing
                        .and_then(|j| serde_json::from_str(&j).ok())
                        .unwrap_or_default(),
                }),
                self.mv_error,
            ),
            schema_changes: stat(
                self.schema_changes_running
                    .map(|running| SchemaChangeSummary {
                        running: u(Some(running)).unwrap_or(0),
                        pending: u(self.schema_changes_pending).unwrap_or(0),
                    }),
                self.schema_changes_error,
            ),
            sessions: stat(
                self.connections.map(|connections| SessionSummary {
                    connections: u(Some(connections)).unwrap_or(0),
                    active_users: u(self.active_users).unwrap_or(0),
                }),
                self.sessions_error,
            ),
            loads_running: stat(u(self.loads_running), self.loads_running_error),
        });
        StoredDataStatistics {
            cluster_id: self.cluster_id,
            collected_at: self.collected_at,
            attempted_at: self.attempted_at,
            last_error,
            stats,
        }
    }
}

pub async fn data_statistics(
    pool: &SqlitePool,
    cluster_id: i64,
) -> sqlx::Result<Option<StoredDataStatistics>> {
    let row: Option<DataStatisticsRow> =
        sqlx::query_as("SELECT * FROM data_statistics WHERE cluster_id = ?")
            .bind(cluster_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(DataStatisticsRow::into_model))
}

/// When each cluster's statistics were last attempted, to schedule the next.
pub async fn data_statistics_attempts(pool: &SqlitePool) -> sqlx::Result<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT cluster_id, attempted_at FROM data_statistics")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().collect())
}
