//! Five- and fifteen-minute partials (`metrics_rollup`): sums and counts
//! kept in the tick's transaction, so long ranges read exact averages cheaply.

use sqlx::Sqlite;

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
           loads_running_n, loads_finished, queries, query_errors, compaction_max,
           connections_sum, connections_n)
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
           SUM(query_errors), MAX(compaction_score_max), SUM(connections), COUNT(connections)
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
