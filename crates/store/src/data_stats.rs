//! The latest MySQL-side data statistics of each cluster, with each figure's
//! availability and the last failed attempt.

use model::snapshot::StoredDataStatistics;
use model::starrocks::{
    DataStatistics, ErrorKind, MvSummary, ProblemReport, SchemaChangeSummary, SessionSummary, Stat,
    TableSize,
};
use model::text::clip_error;
use sqlx::SqlitePool;
use std::collections::HashMap;

/// The value, or why it is missing (at most 500 characters of the reason).
fn value_and_error<T>(s: &Stat<T>) -> (Option<&T>, Option<String>) {
    match s {
        Stat::Available { value } => (Some(value), None),
        Stat::Unavailable { reason } => (None, Some(clip_error(reason))),
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
    .bind(clip_error(&problem.message))
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
