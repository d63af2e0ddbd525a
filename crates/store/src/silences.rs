//! Silences as the pages read them (issue 17): the ones in force, a
//! cluster's, and the newest. The notification sender and the Alerts page
//! (crate notify) write them.

use model::alerting::Silence;
use sqlx::SqlitePool;

type Row = (
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
    i64,
    String,
    String,
    Option<String>,
);

fn from_row(r: Row, now: i64) -> Silence {
    Silence {
        id: r.0,
        cluster_id: r.1,
        cluster_name: r.2,
        rule: r.3,
        starts_at: r.4,
        ends_at: r.5,
        comment: r.6,
        created_by: r.7,
        ended_by: r.8,
        active: r.4 <= now && now < r.5,
    }
}

const SELECT: &str = "SELECT s.id, s.cluster_id, c.name, s.rule, s.starts_at, s.ends_at, \
     s.comment, s.created_by, s.ended_by FROM silences s LEFT JOIN clusters c ON c.id = s.cluster_id";

/// Silences in force and those that ended since `since`, newest first.
pub async fn list(pool: &SqlitePool, now: i64, since: i64) -> sqlx::Result<Vec<Silence>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE s.ends_at >= ? ORDER BY s.ends_at > ? DESC, s.starts_at DESC LIMIT 500"
    ))
    .bind(since)
    .bind(now)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| from_row(r, now)).collect())
}

/// The silences in force now.
pub async fn active(pool: &SqlitePool, now: i64) -> sqlx::Result<Vec<Silence>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE s.starts_at <= ? AND s.ends_at > ? ORDER BY s.id"
    ))
    .bind(now)
    .bind(now)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| from_row(r, now)).collect())
}

/// One silence.
pub async fn get(pool: &SqlitePool, id: i64, now: i64) -> sqlx::Result<Option<Silence>> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE s.id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|r| from_row(r, now)))
}

/// The silences in force now that hold some notifications of the cluster:
/// its own, and those of a rule on every cluster.
pub async fn active_for(
    pool: &SqlitePool,
    cluster_id: i64,
    now: i64,
) -> sqlx::Result<Vec<Silence>> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE s.starts_at <= ? AND s.ends_at > ? \
         AND (s.cluster_id = ? OR s.cluster_id IS NULL) ORDER BY s.ends_at"
    ))
    .bind(now)
    .bind(now)
    .bind(cluster_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| from_row(r, now)).collect())
}

/// Per cluster with a silence of its own in force: when the last one ends.
pub async fn silenced_until(
    pool: &SqlitePool,
    now: i64,
) -> sqlx::Result<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT cluster_id, MAX(ends_at) FROM silences WHERE cluster_id IS NOT NULL \
         AND starts_at <= ? AND ends_at > ? GROUP BY cluster_id",
    )
    .bind(now)
    .bind(now)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}
