//! Alerts: the health rules that fail, stored so that "since when" survives a
//! restart. Re-evaluated after every tick; a rule that passes again resolves.

use model::overview::{Alert, HealthStatus};
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
    Option<String>,
);

/// An alert as stored: its English words, and its words as messages (JSON,
/// `None` for alerts opened before they were kept) for other languages.
pub type StoredAlert = (Alert, Option<String>);

fn from_row(r: AlertRow) -> StoredAlert {
    let alert = Alert {
        id: r.0,
        cluster_id: r.1,
        rule: r.2,
        level: level_of(&r.3),
        title: r.4,
        reason: r.5,
        action: r.6,
        quoted: Vec::new(),
        since: r.7,
        resolved_at: r.8,
    };
    (alert, r.9)
}

const COLUMNS: &str =
    "id, cluster_id, rule, level, title, reason, action, opened_at, resolved_at, said";

/// A health rule's verdict as the alerts table keeps it.
pub struct RuleState<'a> {
    pub key: &'a str,
    pub status: HealthStatus,
    /// English, for the REST API and for readers that predate `said`.
    pub title: String,
    pub reason: String,
    pub action: String,
    /// The same words as messages (JSON), rendered in each reader's language.
    pub said: String,
}

/// Opens, updates and resolves the cluster's alerts to match the rules'
/// verdicts as of `now`.
pub async fn sync(
    pool: &SqlitePool,
    cluster_id: i64,
    rules: &[RuleState<'_>],
    now: i64,
) -> sqlx::Result<()> {
    let open: Vec<Alert> = active(pool, cluster_id)
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    let failing = rules
        .iter()
        .filter(|c| matches!(c.status, HealthStatus::Warning | HealthStatus::Critical));
    let mut tx = pool.begin().await?;
    for rule in failing {
        match open.iter().find(|a| a.rule == rule.key) {
            // Still failing: keep "since", refresh level and wording.
            Some(a) => {
                // A warning that turns critical is news for the channels
                // that take only critical alerts (and for the others too).
                if a.level == HealthStatus::Warning && rule.status == HealthStatus::Critical {
                    outbox(&mut tx, a.id, cluster_id, "firing", now).await?;
                }
                sqlx::query(
                    "UPDATE alerts SET level = ?, title = ?, reason = ?, action = ?, said = ? \
                     WHERE id = ?",
                )
                .bind(rule.status.as_str())
                .bind(&rule.title)
                .bind(&rule.reason)
                .bind(&rule.action)
                .bind(&rule.said)
                .bind(a.id)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                let id = sqlx::query(
                    "INSERT INTO alerts (cluster_id, rule, level, title, reason, action, said, \
                     opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(cluster_id)
                .bind(rule.key)
                .bind(rule.status.as_str())
                .bind(&rule.title)
                .bind(&rule.reason)
                .bind(&rule.action)
                .bind(&rule.said)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .last_insert_rowid();
                outbox(&mut tx, id, cluster_id, "firing", now).await?;
            }
        }
    }
    // A rule whose card is unknown (not measured this time) neither opens nor resolves.
    for a in &open {
        let passing = rules
            .iter()
            .any(|c| c.key == a.rule && c.status == HealthStatus::Healthy);
        if passing {
            sqlx::query("UPDATE alerts SET resolved_at = ? WHERE id = ?")
                .bind(now)
                .bind(a.id)
                .execute(&mut *tx)
                .await?;
            outbox(&mut tx, a.id, cluster_id, "resolved", now).await?;
        }
    }
    tx.commit().await
}

/// Records an alert's state change for the notification sender, in the
/// transaction that makes the change: committed together or not at all.
async fn outbox(
    tx: &mut sqlx::SqliteConnection,
    alert_id: i64,
    cluster_id: i64,
    state: &str,
    at: i64,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO alert_events (alert_id, cluster_id, state, at) VALUES (?, ?, ?, ?)")
        .bind(alert_id)
        .bind(cluster_id)
        .bind(state)
        .bind(at)
        .execute(tx)
        .await?;
    Ok(())
}

/// The open alerts of a cluster, worst and oldest first.
pub async fn active(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Vec<StoredAlert>> {
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
pub async fn recent(
    pool: &SqlitePool,
    cluster_id: i64,
    since: i64,
) -> sqlx::Result<Vec<StoredAlert>> {
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

/// Every cluster's open alerts and those resolved since `since`, with the
/// cluster's name: open first (critical, then oldest), at most 2,000.
pub async fn fleet(pool: &SqlitePool, since: i64) -> sqlx::Result<Vec<(StoredAlert, String)>> {
    let names: std::collections::HashMap<i64, String> =
        sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM clusters")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    let alerts: Vec<AlertRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE resolved_at IS NULL OR resolved_at >= ? \
         ORDER BY resolved_at IS NOT NULL, level = 'critical' DESC, opened_at LIMIT 2000"
    ))
    .bind(since)
    .fetch_all(pool)
    .await?;
    Ok(alerts
        .into_iter()
        .filter_map(|r| {
            let name = names.get(&r.1)?.clone();
            Some((from_row(r), name))
        })
        .collect())
}
