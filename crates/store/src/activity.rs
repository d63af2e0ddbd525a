//! The activity log (issue 16): every action of the console that changes a
//! cluster, with who did it and StarRocks' answer.

use model::queries::ActivityEntry;
use sqlx::SqlitePool;

/// Texts from a cluster (StarRocks' answer) are kept to this many characters.
const MAX_TEXT_CHARS: usize = 1000;

fn clip(s: &str) -> String {
    s.chars().take(MAX_TEXT_CHARS).collect()
}

/// What is recorded of one action.
#[derive(Debug, Clone)]
pub struct NewActivity<'a> {
    pub at: i64,
    pub cluster_id: i64,
    pub cluster_name: &'a str,
    pub username: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub ok: bool,
    pub result: &'a str,
}

/// Records an action; its id.
pub async fn record(pool: &SqlitePool, a: &NewActivity<'_>) -> sqlx::Result<i64> {
    let id = sqlx::query(
        "INSERT INTO activity_log (at, cluster_id, cluster_name, username, action, target, ok, result) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(a.at)
    .bind(a.cluster_id)
    .bind(clip(a.cluster_name))
    .bind(a.username)
    .bind(a.action)
    .bind(clip(a.target))
    .bind(a.ok)
    .bind(clip(a.result))
    .execute(pool)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// A cluster's newest actions, newest first.
pub async fn of_cluster(
    pool: &SqlitePool,
    cluster_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<ActivityEntry>> {
    sqlx::query_as(
        "SELECT id, at, cluster_id, username, action, target, ok, result FROM activity_log \
         WHERE cluster_id = ? ORDER BY at DESC, id DESC LIMIT ?",
    )
    .bind(cluster_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn actions_are_kept_newest_first_and_outlive_their_cluster() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let pool = crate::db::connect(&url).await.expect("database");
        for (at, ok) in [(1_000, true), (2_000, false)] {
            let a = NewActivity {
                at,
                cluster_id: 7,
                cluster_name: "prod",
                username: "admin",
                action: "kill_query",
                target: "connection 42",
                ok,
                result: &"x".repeat(5000),
            };
            record(&pool, &a).await.expect("record");
        }
        let log = of_cluster(&pool, 7, 10).await.expect("read");
        assert_eq!(log.len(), 2);
        assert_eq!((log[0].at, log[0].ok), (2_000, false));
        assert_eq!(log[0].result.chars().count(), MAX_TEXT_CHARS);
        assert!(of_cluster(&pool, 8, 10).await.expect("read").is_empty());
    }
}
