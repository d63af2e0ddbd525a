//! The fleet page's reads: every registered cluster on one line. The answer
//! takes the same four queries for one cluster or a thousand (clusters with
//! their latest figures, open alerts, node lists, last hour of QPS), read at
//! the same time. Those that read `metrics_snapshots` or `alerts` go through
//! the primary key `(cluster_id, collected_at)` or the `alerts_open` index
//! cluster by cluster, never by scanning the table. Each answers at most a row
//! per cluster, or one JSON value: sqlx hands over every row and every value on
//! its own, and with a thousand clusters that costs more than the reading.

use crate::alerts::level_of;
use model::overview::{HealthStatus, HOUR_MS, MINUTE_MS};
use model::snapshot::{CollectStatus, Snapshot};
use serde::Deserialize;
use sqlx::SqlitePool;
use std::collections::HashMap;

/// Points of the QPS sparkline: one per minute of the last hour.
pub const SPARKLINE_POINTS: usize = 60;

/// One registered cluster as the main query answers it: its registration and
/// the columns the fleet shows of its newest row and of its newest row that is
/// not failed.
#[derive(Deserialize)]
pub struct ClusterLine {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Comma-separated, as stored.
    pub tags: String,
    pub fe_host: String,
    pub http_port: i64,
    /// How many more FE addresses the cluster fails over to.
    #[serde(default)]
    pub extra_fes: i64,
    pub use_https: bool,
    pub latest: Option<Figures>,
    pub last_ok: Option<Figures>,
}

#[derive(Deserialize)]
pub struct Figures {
    pub collected_at: i64,
    pub status: CollectStatus,
    pub error_message: Option<String>,
    pub qps: Option<f64>,
    pub latency_p99_ms: Option<f64>,
    pub fe_total: Option<i64>,
    pub fe_alive: Option<i64>,
    pub be_total: Option<i64>,
    pub be_alive: Option<i64>,
    pub disk_total_bytes: Option<i64>,
    pub disk_used_bytes: Option<i64>,
    /// How the collection reached the cluster (its collection card says
    /// when metrics are missing).
    #[serde(default)]
    pub reach: Option<model::reach::Reach>,
}

impl Figures {
    pub fn into_snapshot(self, cluster_id: i64) -> Snapshot {
        let mut s = Snapshot::empty(cluster_id, self.collected_at, self.status);
        s.error_message = self.error_message;
        s.qps = self.qps;
        s.latency_p99_ms = self.latency_p99_ms;
        s.fe_total = self.fe_total;
        s.fe_alive = self.fe_alive;
        s.be_total = self.be_total;
        s.be_alive = self.be_alive;
        s.disk_total_bytes = self.disk_total_bytes;
        s.disk_used_bytes = self.disk_used_bytes;
        s.reach = self.reach;
        s
    }
}

/// The figures of the row of `m.collected_at = ?` as a JSON object. A float
/// beyond JSON's range (SQLite writes infinity as `9e999`) becomes null.
const FIGURES: &str = "json_object('collected_at', m.collected_at, 'status', m.status, \
    'error_message', m.error_message, \
    'qps', CASE WHEN abs(m.qps) < 1e300 THEN m.qps END, \
    'latency_p99_ms', CASE WHEN abs(m.latency_p99_ms) < 1e300 THEN m.latency_p99_ms END, \
    'fe_total', m.fe_total, 'fe_alive', m.fe_alive, 'be_total', m.be_total, \
    'be_alive', m.be_alive, 'disk_total_bytes', m.disk_total_bytes, \
    'disk_used_bytes', m.disk_used_bytes, 'reach', json(m.reach))";

/// Every registered cluster with its latest figures, as one JSON array: per
/// cluster two seeks at the end of its primary-key range (newest row, newest row
/// that is not failed) and those one or two rows. One value instead of a dozen
/// columns per cluster: sqlx hands over every row and every value on its own;
/// the 1,000 rows of the bare cluster list took 14 ms as rows and 1.3 ms as one
/// array.
pub async fn clusters(pool: &SqlitePool) -> sqlx::Result<Vec<ClusterLine>> {
    let sql = format!(
        "WITH t AS MATERIALIZED (
           SELECT c.id, c.name, c.description, c.tags, c.fe_host, c.http_port, c.use_https,
             CASE WHEN c.extra_fes = '' THEN 0
               ELSE length(c.extra_fes) - length(replace(c.extra_fes, char(10), '')) + 1
             END AS extra_fes,
             (SELECT MAX(m.collected_at) FROM metrics_snapshots m
               WHERE m.cluster_id = c.id) AS latest_at,
             (SELECT m.collected_at FROM metrics_snapshots m
               WHERE m.cluster_id = c.id AND m.status <> 'failed'
               ORDER BY m.collected_at DESC LIMIT 1) AS ok_at
           FROM clusters c)
         SELECT json_group_array(json_object(
           'id', t.id, 'name', t.name, 'description', t.description, 'tags', t.tags,
           'fe_host', t.fe_host, 'http_port', t.http_port, 'extra_fes', t.extra_fes,
           'use_https', CASE WHEN t.use_https THEN json('true') ELSE json('false') END,
           'latest', (SELECT {FIGURES} FROM metrics_snapshots m
             WHERE m.cluster_id = t.id AND m.collected_at = t.latest_at),
           'last_ok', (SELECT {FIGURES} FROM metrics_snapshots m
             WHERE m.cluster_id = t.id AND m.collected_at = t.ok_at)))
         FROM t"
    );
    let json: String = sqlx::query_scalar(&sql).fetch_one(pool).await?;
    let mut lines: Vec<ClusterLine> =
        serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
    // As the cluster list: by name, ignoring ASCII case (SQLite's NOCASE).
    lines.sort_by_cached_key(|l| (l.name.to_ascii_lowercase(), l.id));
    Ok(lines)
}

/// An open alert, as the status line needs it.
pub struct OpenAlert {
    pub level: HealthStatus,
    pub title: String,
    pub reason: String,
    /// Its words as messages (JSON), when stored with them.
    pub said: Option<String>,
}

/// The open alerts of every cluster, worst and oldest first, reached through
/// the `alerts_open` index cluster by cluster (resolved alerts are never read).
pub async fn open_alerts(pool: &SqlitePool) -> sqlx::Result<HashMap<i64, Vec<OpenAlert>>> {
    let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT a.cluster_id, a.level, a.title, a.reason, a.said
         FROM clusters c CROSS JOIN alerts a ON a.cluster_id = c.id AND a.resolved_at IS NULL
         ORDER BY a.cluster_id, a.level = 'critical' DESC, a.opened_at, a.id",
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<i64, Vec<OpenAlert>> = HashMap::new();
    for (cluster_id, level, title, reason, said) in rows {
        out.entry(cluster_id).or_default().push(OpenAlert {
            level: level_of(&level),
            title,
            reason,
            said,
        });
    }
    Ok(out)
}

/// Only what the fleet reads of a stored node list; everything else in the JSON
/// (the backends, the other fields) is skipped unparsed.
#[derive(Deserialize)]
struct Frontends {
    #[serde(default)]
    frontends: Vec<FrontendVersion>,
}

#[derive(Deserialize)]
struct FrontendVersion {
    role: Option<String>,
    version: Option<String>,
}

/// The leader FE's version, else the first FE that reports one.
fn leader_version(json: &str) -> Option<String> {
    let fes = serde_json::from_str::<Frontends>(json).ok()?.frontends;
    let with_version = || fes.iter().filter(|f| f.version.is_some());
    with_version()
        .find(|f| f.role.as_deref() == Some("LEADER"))
        .or_else(|| with_version().next())
        .and_then(|f| f.version.clone())
}

/// Each cluster's StarRocks version, from its last node list.
pub async fn versions(pool: &SqlitePool) -> sqlx::Result<HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = sqlx::query_as("SELECT cluster_id, nodes FROM cluster_nodes")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, json)| Some((id, leader_version(&json)?)))
        .collect())
}

/// The minute buckets of the sparkline: `[start, start + 1 h)` with `start`
/// aligned down to the minute, so always 60 whole minutes; the current minute,
/// still being collected, is left out.
pub fn sparkline_start(now: i64) -> i64 {
    (now - HOUR_MS).div_euclid(MINUTE_MS) * MINUTE_MS
}

/// QPS is carried to the sparkline in millionths of a query per second.
const QPS_SCALE: f64 = 1e6;

/// Average QPS per cluster and minute over the hour from `start`, in one query
/// grouped by cluster: per cluster a range of its primary key, read in key
/// order, answered as two lists in the same order, the minute of each row and
/// its QPS (in millionths); [`minute_averages`] averages them per minute.
///
/// The obvious `GROUP BY cluster_id, minute` takes 130 to 320 ms for 1,000
/// clusters with an hour each (`benches/overview_query/` prints it): SQLite
/// sorts every row to group them by an expression, and sqlx hands over each of
/// the 60,000 result rows on its own. Grouping by cluster only follows the key
/// order without sorting and answers one row per cluster; integers turn into
/// text faster than floats do. Failed collections have no QPS, so a minute with
/// only failed rows, or none, stays a gap.
pub async fn qps_by_minute(
    pool: &SqlitePool,
    start: i64,
) -> sqlx::Result<HashMap<i64, Vec<Option<f64>>>> {
    let rows: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT c.id, group_concat((s.collected_at - ?1) / ?2),
           group_concat(CAST(round(s.qps * ?4) AS INTEGER))
         FROM clusters c CROSS JOIN metrics_snapshots s
           ON s.cluster_id = c.id AND s.collected_at >= ?1 AND s.collected_at < ?3
         WHERE s.qps IS NOT NULL
         GROUP BY c.id",
    )
    .bind(start)
    .bind(MINUTE_MS)
    .bind(start + SPARKLINE_POINTS as i64 * MINUTE_MS)
    .bind(QPS_SCALE)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, minutes, qps)| Some((id, minute_averages(&minutes?, &qps?))))
        .collect())
}

/// The average per minute of the QPS in `qps` (in millionths) whose minutes
/// are at the same places in `minutes` (both separated by commas); a minute
/// without a value is `None`. Places that do not read as a minute of the hour
/// and an integer are skipped.
fn minute_averages(minutes: &str, qps: &str) -> Vec<Option<f64>> {
    let mut sum = [0i128; SPARKLINE_POINTS];
    let mut count = [0u32; SPARKLINE_POINTS];
    for (minute, qps) in minutes.split(',').zip(qps.split(',')) {
        let (Ok(minute), Ok(qps)) = (minute.parse::<usize>(), qps.parse::<i64>()) else {
            continue;
        };
        if minute < SPARKLINE_POINTS {
            sum[minute] += i128::from(qps);
            count[minute] += 1;
        }
    }
    sum.iter()
        .zip(count)
        .map(|(s, n)| (n > 0).then(|| *s as f64 / f64::from(n) / QPS_SCALE))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_leaders() {
        let json = r#"{"frontends":[
            {"name":"a","role":"FOLLOWER","version":"3.3.1"},
            {"name":"b","role":"LEADER","version":"3.3.2"}],
            "backends":[{"version":"9"}]}"#;
        assert_eq!(leader_version(json).as_deref(), Some("3.3.2"));
        let json = r#"{"frontends":[{"role":"LEADER"},{"role":"FOLLOWER","version":"3.1.0"}]}"#;
        assert_eq!(leader_version(json).as_deref(), Some("3.1.0"));
        assert_eq!(leader_version(r#"{"frontends":[]}"#), None);
        assert_eq!(leader_version("not json"), None);
    }

    #[test]
    fn the_sparkline_is_the_last_sixty_whole_minutes() {
        let minute = 1_800_000_000_000 / MINUTE_MS * MINUTE_MS;
        assert_eq!(sparkline_start(minute), minute - HOUR_MS);
        assert_eq!(sparkline_start(minute + 59_999), minute - HOUR_MS);
    }

    #[test]
    fn minutes_average_their_rows_and_keep_gaps() {
        // QPS in millionths: 1.5 and 2.5 in minute 0, 4 in minute 2.
        let v = minute_averages(
            "0,0,2,59,60,x,3,-1,5",
            "1500000,2500000,4000000,9223372036854775807,9,1,y,2,1.5",
        );
        assert_eq!(v.len(), SPARKLINE_POINTS);
        assert_eq!(&v[..6], &[Some(2.0), None, Some(4.0), None, None, None]);
        assert_eq!(v[59], Some(i64::MAX as f64 / 1e6));
        assert!(minute_averages("", "").iter().all(Option::is_none));
        // A shorter list of values leaves the minutes without one empty.
        assert_eq!(
            minute_averages("0,1", "333333")[..2],
            [Some(0.333333), None]
        );
    }
}
