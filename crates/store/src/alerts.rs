//! Alerts: the health rules that fail, stored so that "since when" survives a
//! restart. Re-evaluated after every tick; a rule that passes again resolves.

use model::overview::{Alert, Health, HealthStatus};
use sqlx::SqlitePool;

/// The `alerts.level` column; anything but `critical` is a warning.
pub fn level_of(s: &str) -> HealthStatus {
    match s {
        "critical" => HealthStatus::Critical,
        _ => HealthStatus::Warning,
    }
}

type AlertRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
);

fn from_row(r: AlertRow) -> Alert {
    Alert {
        id: r.0,
        cluster_id: r.1,
        rule: r.2,
        level: level_of(&r.3),
        title: r.4,
        reason: r.5,
        action: r.6,
        since: r.7,
        resolved_at: r.8,
    }
}

const COLUMNS: &str = "id, cluster_id, rule, level, title, reason, action, opened_at, resolved_at";

/// Opens, updates and resolves the cluster's alerts to match `health` as of `now`.
pub async fn sync(
    pool: &SqlitePool,
    cluster_id: i64,
    health: &Health,
    now: i64,
) -> sqlx::Result<()> {
    let open = active(pool, cluster_id).await?;
    let failing: Vec<_> = health
        .cards
        .iter()
        .filter(|c| matches!(c.status, HealthStatus::Warning | HealthStatus::Critical))
        .collect();
    let mut tx = pool.begin().await?;
    for card in &failing {
        let action = card.action.clone().unwrap_or_default();
        match open.iter().find(|a| a.rule == card.key) {
            // Still failing: keep "since", refresh level and wording.
            Some(a) => {
                sqlx::query("UPDATE alerts SET level = ?, reason = ?, action = ? WHERE id = ?")
                    .bind(card.status.as_str())
                    .bind(&card.reason)
                    .bind(&action)
                    .bind(a.id)
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO alerts (cluster_id, rule, level, title, reason, action, opened_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(cluster_id)
                .bind(&card.key)
                .bind(card.status.as_str())
                .bind(&card.title)
                .bind(&card.reason)
                .bind(&action)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    // A rule whose card is unknown (not measured this time) neither opens nor resolves.
    for a in &open {
        let passing = health
            .cards
            .iter()
            .any(|c| c.key == a.rule && c.status == HealthStatus::Healthy);
        if passing {
            sqlx::query("UPDATE alerts SET resolved_at = ? WHERE id = ?")
                .bind(now)
                .bind(a.id)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await
}

/// The open alerts of a cluster, worst and oldest first.
pub async fn active(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Vec<Alert>> {
    let rows: Vec<AlertRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE cluster_id = ? AND resolved_at IS NULL \
         ORDER BY level = 'critical' DESC, opened_at"
    ))
    .bind(cluster_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Open alerts and those resolved since `since`, newest first.
pub async fn recent(pool: &SqlitePool, cluster_id: i64, since: i64) -> sqlx::Result<Vec<Alert>> {
    let rows: Vec<AlertRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE cluster_id = ? \
         AND (resolved_at IS NULL OR resolved_at >= ?) ORDER BY opened_at DESC LIMIT 200"
    ))
    .bind(cluster_id)
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}
