//! Daily rollups and retention. Both take `now` from the caller, so tests can
//! run them at any injected time.

use sqlx::SqlitePool;
use std::time::Duration;

pub const DAY_MS: i64 = 86_400_000;

/// Rows deleted per statement: small enough that a reader waits at most a few ms.
const DELETE_BATCH: i64 = 2_000;
/// Pages returned to the file system per `incremental_vacuum` step.
const VACUUM_PAGES: i64 = 2_000;

pub fn day_start(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS) * DAY_MS
}

/// Rolls up every finished UTC day that has snapshots and no daily row yet:
/// yesterday after midnight, and at start-up any days missed while the server
/// was down. Returns how many daily rows were written.
pub async fn rollup(pool: &SqlitePool, now: i64, interval_s: u64) -> sqlx::Result<usize> {
    let today = day_start(now);
    let clusters: Vec<i64> = sqlx::query_scalar("SELECT id FROM clusters ORDER BY id")
        .fetch_all(pool)
        .await?;
    let mut written = 0;
    for id in clusters {
        let last_daily: Option<i64> =
            sqlx::query_scalar("SELECT MAX(day) FROM daily_snapshots WHERE cluster_id = ?")
                .bind(id)
                .fetch_one(pool)
                .await?;
        let first_raw: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(collected_at) FROM metrics_snapshots WHERE cluster_id = ? AND collected_at >= ?",
        )
        .bind(id)
        .bind(last_daily.map_or(i64::MIN, |d| d + DAY_MS))
        .fetch_one(pool)
        .await?;
        let Some(first_raw) = first_raw else { continue };
        let mut day = day_start(first_raw);
        while day < today {
            if rollup_day(pool, id, day, interval_s).await? {
                written += 1;
            }
            day += DAY_MS;
        }
    }
    Ok(written)
}

/// Writes the daily row of one cluster and day from its snapshots; false when
/// that day has none.
pub async fn rollup_day(
    pool: &SqlitePool,
    cluster_id: i64,
    day: i64,
    interval_s: u64,
) -> sqlx::Result<bool> {
    let end = day + DAY_MS;
    let previous_end: Option<i64> = sqlx::query_scalar(
        "SELECT disk_used_end_bytes FROM daily_snapshots WHERE cluster_id = ? AND day = ?",
    )
    .bind(cluster_id)
    .bind(day - DAY_MS)
    .fetch_optional(pool)
    .await?
    .flatten();
    let done = sqlx::query(
        "INSERT OR REPLACE INTO daily_snapshots (cluster_id, day, samples, qps_avg, qps_max, \
           p99_avg_ms, p99_max_ms, queries, query_errors, cpu_avg_pct, cpu_max_pct, mem_avg_pct, \
           mem_max_pct, disk_avg_pct, disk_max_pct, disk_used_end_bytes, disk_total_end_bytes, \
           data_growth_bytes, availability_pct, downtime_s)
         SELECT ?1, ?2, COUNT(*), AVG(qps), MAX(qps), AVG(latency_p99_ms), MAX(latency_p99_ms),
           SUM(queries), SUM(query_errors), AVG(cpu_avg_pct), MAX(cpu_max_pct), AVG(mem_avg_pct),
           MAX(mem_max_pct),
           AVG(CASE WHEN disk_total_bytes > 0 THEN disk_used_bytes * 100.0 / disk_total_bytes END),
           MAX(disk_max_pct),
           (SELECT disk_used_bytes FROM metrics_snapshots WHERE cluster_id = ?1
              AND collected_at >= ?2 AND collected_at < ?3 AND disk_used_bytes IS NOT NULL
              ORDER BY collected_at DESC LIMIT 1),
           (SELECT disk_total_bytes FROM metrics_snapshots WHERE cluster_id = ?1
              AND collected_at >= ?2 AND collected_at < ?3 AND disk_total_bytes IS NOT NULL
              ORDER BY collected_at DESC LIMIT 1),
           (SELECT disk_used_bytes FROM metrics_snapshots WHERE cluster_id = ?1
              AND collected_at >= ?2 AND collected_at < ?3 AND disk_used_bytes IS NOT NULL
              ORDER BY collected_at DESC LIMIT 1)
             - COALESCE(?4, (SELECT disk_used_bytes FROM metrics_snapshots WHERE cluster_id = ?1
              AND collected_at >= ?2 AND collected_at < ?3 AND disk_used_bytes IS NOT NULL
              ORDER BY collected_at LIMIT 1)),
           100.0 * SUM(available) / COUNT(*),
           (COUNT(*) - SUM(available)) * ?5
         FROM (SELECT *, (status <> 'failed' AND fe_alive IS NOT NULL AND fe_alive = fe_total
                          AND be_alive IS be_total) AS available
               FROM metrics_snapshots
               WHERE cluster_id = ?1 AND collected_at >= ?2 AND collected_at < ?3)
         HAVING COUNT(*) > 0",
    )
    .bind(cluster_id)
    .bind(day)
    .bind(end)
    .bind(previous_end)
    .bind(interval_s as i64)
    .execute(pool)
    .await?;
    crate::node_history::rollup_day(pool, cluster_id, day).await?;
    Ok(done.rows_affected() > 0)
}

/// How long history is kept.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    pub raw: Duration,
    pub daily: Duration,
}

/// Deletes raw rows older than `retention.raw` and daily rows older than
/// `retention.daily`, a small batch at a time, then hands the freed pages back
/// with incremental vacuum (never a full VACUUM, which would lock readers out).
/// Returns the number of rows deleted.
pub async fn apply_retention(
    pool: &SqlitePool,
    now: i64,
    retention: Retention,
) -> sqlx::Result<u64> {
    let raw_cutoff = now - retention.raw.as_millis() as i64;
    let daily_cutoff = day_start(now - retention.daily.as_millis() as i64);
    let clusters: Vec<i64> = sqlx::query_scalar("SELECT id FROM clusters ORDER BY id")
        .fetch_all(pool)
        .await?;
    let mut deleted = 0;
    for id in clusters {
        deleted += delete_batches(
            pool,
            "DELETE FROM metrics_snapshots WHERE cluster_id = ?1 AND collected_at IN \
             (SELECT collected_at FROM metrics_snapshots WHERE cluster_id = ?1 AND collected_at < ?2 \
              ORDER BY collected_at LIMIT ?3)",
            id,
            raw_cutoff,
        )
        .await?;
        deleted += delete_batches(
            pool,
            "DELETE FROM metrics_rollup WHERE cluster_id = ?1 AND (res, bucket) IN \
             (SELECT res, bucket FROM metrics_rollup WHERE cluster_id = ?1 AND bucket < ?2 \
              LIMIT ?3)",
            id,
            raw_cutoff,
        )
        .await?;
        deleted += delete_batches(
            pool,
            "DELETE FROM daily_snapshots WHERE cluster_id = ?1 AND day IN \
             (SELECT day FROM daily_snapshots WHERE cluster_id = ?1 AND day < ?2 \
              ORDER BY day LIMIT ?3)",
            id,
            daily_cutoff,
        )
        .await?;
        deleted += crate::node_history::apply_retention(pool, id, raw_cutoff, daily_cutoff).await?;
        deleted += crate::operations::apply_retention(pool, id, raw_cutoff).await?;
    }
    if deleted > 0 {
        loop {
            let free: i64 = sqlx::query_scalar("PRAGMA freelist_count")
                .fetch_one(pool)
                .await?;
            if free == 0 {
                break;
            }
            sqlx::query(&format!("PRAGMA incremental_vacuum({VACUUM_PAGES})"))
                .execute(pool)
                .await?;
            tokio::task::yield_now().await;
            if free <= VACUUM_PAGES {
                break;
            }
        }
    }
    Ok(deleted)
}

/// Runs `sql` (binding the cluster, the cutoff and the batch size) until it
/// deletes less than a batch: the cluster's and its nodes' history alike.
pub(crate) async fn delete_batches(
    pool: &SqlitePool,
    sql: &str,
    id: i64,
    cutoff: i64,
) -> sqlx::Result<u64> {
    let mut deleted = 0;
    loop {
        let n = sqlx::query(sql)
            .bind(id)
            .bind(cutoff)
            .bind(DELETE_BATCH)
            .execute(pool)
            .await?
            .rows_affected();
        deleted += n;
        if n < DELETE_BATCH as u64 {
            return Ok(deleted);
        }
        // Let the collector and readers in between batches.
        tokio::task::yield_now().await;
    }
}
