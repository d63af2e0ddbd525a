//! Health thresholds changed from the defaults, globally or per cluster, and
//! the record of every change (migration 0012).

use model::thresholds::{ThresholdChange, Thresholds, ThresholdsUpdate};
use sqlx::SqlitePool;
use std::collections::BTreeMap;

type Levels = BTreeMap<String, (Option<f64>, Option<f64>)>;

async fn global(pool: &SqlitePool) -> sqlx::Result<Levels> {
    let rows: Vec<(String, Option<f64>, Option<f64>)> =
        sqlx::query_as("SELECT rule, warning, critical FROM global_thresholds")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(r, w, c)| (r, (w, c))).collect())
}

async fn own(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Levels> {
    let rows: Vec<(String, Option<f64>, Option<f64>)> = sqlx::query_as(
        "SELECT rule, warning, critical FROM cluster_thresholds WHERE cluster_id = ?",
    )
    .bind(cluster_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(r, w, c)| (r, (w, c))).collect())
}

/// The thresholds in force for a cluster, or (`None`) for every cluster.
pub async fn load(pool: &SqlitePool, cluster_id: Option<i64>) -> sqlx::Result<Thresholds> {
    let global = global(pool).await?;
    let own = match cluster_id {
        Some(id) => own(pool, id).await?,
        None => Levels::new(),
    };
    Ok(Thresholds::resolve(cluster_id, &global, &own))
}

/// Applies a validated update to a cluster's thresholds or (`None`) the global
/// ones in one transaction, recording each rule's change with `by` and `at`.
/// A rule with neither level goes back to what it inherits.
pub async fn save(
    pool: &SqlitePool,
    cluster_id: Option<i64>,
    update: &ThresholdsUpdate,
    by: &str,
    at: i64,
) -> sqlx::Result<()> {
    let before = load(pool, cluster_id).await?;
    let mut tx = pool.begin().await?;
    for u in &update.rules {
        let inherit = u.warning.is_none() && u.critical.is_none();
        match (cluster_id, inherit) {
            (Some(id), true) => {
                sqlx::query("DELETE FROM cluster_thresholds WHERE cluster_id = ? AND rule = ?")
                    .bind(id)
                    .bind(&u.rule)
                    .execute(&mut *tx)
                    .await?;
            }
            (Some(id), false) => {
                sqlx::query(
                    "INSERT OR REPLACE INTO cluster_thresholds \
                     (cluster_id, rule, warning, critical, changed_by, changed_at) VALUES (?,?,?,?,?,?)",
                )
                .bind(id)
                .bind(&u.rule)
                .bind(u.warning)
                .bind(u.critical)
                .bind(by)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            (None, true) => {
                sqlx::query("DELETE FROM global_thresholds WHERE rule = ?")
                    .bind(&u.rule)
                    .execute(&mut *tx)
                    .await?;
            }
            (None, false) => {
                sqlx::query(
                    "INSERT OR REPLACE INTO global_thresholds \
                     (rule, warning, critical, changed_by, changed_at) VALUES (?,?,?,?,?)",
                )
                .bind(&u.rule)
                .bind(u.warning)
                .bind(u.critical)
                .bind(by)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
        }
        let (old_warning, old_critical) = before.of(&u.rule);
        sqlx::query(
            "INSERT INTO threshold_changes (cluster_id, rule, old_warning, old_critical, \
             new_warning, new_critical, changed_by, changed_at) VALUES (?,?,?,?,?,?,?,?)",
        )
        .bind(cluster_id)
        .bind(&u.rule)
        .bind(old_warning)
        .bind(old_critical)
        .bind(u.warning)
        .bind(u.critical)
        .bind(by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    // Every way of changing thresholds (REST, the pages) passes here.
    let rules: Vec<&str> = update.rules.iter().map(|u| u.rule.as_str()).collect();
    match cluster_id {
        Some(id) => tracing::info!(
            cluster = id,
            user = by,
            ?rules,
            "cluster thresholds changed"
        ),
        None => tracing::info!(user = by, ?rules, "global thresholds changed"),
    }
    Ok(())
}

/// The newest changes of a cluster's thresholds (with the global ones'), or
/// (`None`) of the global ones, newest first.
pub async fn changes(
    pool: &SqlitePool,
    cluster_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<ThresholdChange>> {
    sqlx::query_as(
        "SELECT cluster_id, rule, old_warning, old_critical, new_warning, new_critical, \
         changed_by, changed_at FROM threshold_changes \
         WHERE cluster_id IS NULL OR cluster_id = ? ORDER BY changed_at DESC, id DESC LIMIT ?",
    )
    .bind(cluster_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}
