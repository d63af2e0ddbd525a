//! The disk-use history the capacity forecast fits a line through.

use model::overview::HOUR_MS;
use sqlx::SqlitePool;

/// The partials the hourly points are read from (15 minutes).
const PARTIAL_RES: i64 = 900_000;

/// `(t, used bytes)` points in `[from, now)`, oldest first: the
/// day-end value of each rolled-up day, then hourly averages of the snapshots
/// after the last rolled-up day (read from the 15-minute partials).
pub async fn disk_used_points(
    pool: &SqlitePool,
    cluster_id: i64,
    from: i64,
    now: i64,
) -> sqlx::Result<Vec<(i64, f64)>> {
    let mut points: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT day + 86399999, CAST(disk_used_end_bytes AS REAL) FROM daily_snapshots \
         WHERE cluster_id = ? AND day + 86399999 >= ? AND day + 86399999 < ? \
           AND disk_used_end_bytes IS NOT NULL ORDER BY day",
    )
    .bind(cluster_id)
    .bind(from)
    .bind(now)
    .fetch_all(pool)
    .await?;
    let raw_from = points.last().map_or(from, |p| p.0 + 1);
    // Hourly from the collector's 15-minute partials (whole buckets after the
    // last rolled-up day): at most 96 rows a day instead of 2,880.
    let mut raw: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT MIN(bucket), SUM(disk_used_sum) / SUM(disk_used_n) FROM metrics_rollup \
         WHERE cluster_id = ? AND res = ? AND bucket >= ? AND bucket < ? AND disk_used_n > 0 \
         GROUP BY bucket / ? ORDER BY 1",
    )
    .bind(cluster_id)
    .bind(PARTIAL_RES)
    // Whole buckets only: round the start up.
    .bind((raw_from + PARTIAL_RES - 1).div_euclid(PARTIAL_RES) * PARTIAL_RES)
    .bind(now)
    .bind(HOUR_MS)
    .fetch_all(pool)
    .await?;
    points.append(&mut raw);
    Ok(points)
}
