//! The fleet page's reads and the row that keeps them cheap. Every cluster's
//! line comes from `cluster_latest`, one row per cluster that the tick keeps in
//! its own transaction ([`keep_latest`]): the newest snapshot's status, the
//! newest successful one's figures, the leader's version and the newest hour
//! of QPS per minute. The page reads those rows as one JSON value and the open
//! alerts through the `alerts_open` index, whatever the history's length:
//! sqlx hands over every row and every value on its own, and with a thousand
//! clusters that costs more than the reading.

use crate::alerts::level_of;
use model::overview::{HealthStatus, Nodes, HOUR_MS, MINUTE_MS};
use model::snapshot::{CollectStatus, Snapshot};
use serde::Deserialize;
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::collections::HashMap;

/// Points of the QPS sparkline: one per minute of the last hour.
pub const SPARKLINE_POINTS: usize = 60;

/// `cluster_latest` keeps the QPS of the minutes from this many before the
/// newest snapshot's: the sparkline of any `now` from that snapshot on needs
/// at most the 60 before the current one.
const KEPT_MINUTES: i64 = 61;

/// One registered cluster as the fleet reads it: its registration and its
/// `cluster_latest` row.
#[derive(Debug, PartialEq, Deserialize)]
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
    /// The newest collection, failed or not.
    pub latest: Option<Attempt>,
    /// The newest collection that did not fail.
    pub last_ok: Option<Figures>,
    /// The leader FE's version, from the newest node list.
    pub version: Option<String>,
    /// The newest hour's average QPS per minute: `offset:average` entries
    /// from minute `qps_from` (`collected_at / 60000`), as in `cluster_latest`.
    pub qps_from: i64,
    pub qps_minutes: String,
}

/// What the status needs of the newest collection.
#[derive(Debug, PartialEq, Deserialize)]
pub struct Attempt {
    pub collected_at: i64,
    pub status: CollectStatus,
    pub error_message: Option<String>,
    /// How the collection reached the cluster (its collection card says
    /// when metrics are missing).
    #[serde(default)]
    pub reach: Option<model::reach::Reach>,
}

/// The figures the fleet shows, of the newest collection that did not fail.
#[derive(Debug, PartialEq, Deserialize)]
pub struct Figures {
    pub collected_at: i64,
    pub qps: Option<f64>,
    pub latency_p99_ms: Option<f64>,
    pub fe_total: Option<i64>,
    pub fe_alive: Option<i64>,
    pub be_total: Option<i64>,
    pub be_alive: Option<i64>,
    pub disk_total_bytes: Option<i64>,
    pub disk_used_bytes: Option<i64>,
}

impl Attempt {
    pub fn into_snapshot(self, cluster_id: i64) -> Snapshot {
        let mut s = Snapshot::empty(cluster_id, self.collected_at, self.status);
        s.error_message = self.error_message;
        s.reach = self.reach;
        s
    }
}

impl Figures {
    pub fn into_snapshot(self, cluster_id: i64) -> Snapshot {
        let mut s = Snapshot::empty(cluster_id, self.collected_at, CollectStatus::Ok);
        s.qps = self.qps;
        s.latency_p99_ms = self.latency_p99_ms;
        s.fe_total = self.fe_total;
        s.fe_alive = self.fe_alive;
        s.be_total = self.be_total;
        s.be_alive = self.be_alive;
        s.disk_total_bytes = self.disk_total_bytes;
        s.disk_used_bytes = self.disk_used_bytes;
        s
    }
}

/// One cluster as `lines_json` answers it: a JSON array of these columns in
/// this order (an array, not an object: no names to write and match, and no
/// nested values to build).
#[derive(Deserialize)]
struct Columns {
    id: i64,
    name: String,
    description: String,
    tags: String,
    fe_host: String,
    http_port: i64,
    extra_fes: i64,
    use_https: bool,
    collected_at: Option<i64>,
    status: Option<CollectStatus>,
    error_message: Option<String>,
    reach: Option<model::reach::Reach>,
    ok_at: Option<i64>,
    qps: Option<f64>,
    latency_p99_ms: Option<f64>,
    fe_total: Option<i64>,
    fe_alive: Option<i64>,
    be_total: Option<i64>,
    be_alive: Option<i64>,
    disk_total_bytes: Option<i64>,
    disk_used_bytes: Option<i64>,
    version: Option<String>,
    qps_from: Option<i64>,
    qps_minutes: Option<String>,
}

impl From<Columns> for ClusterLine {
    fn from(c: Columns) -> Self {
        ClusterLine {
            id: c.id,
            name: c.name,
            description: c.description,
            tags: c.tags,
            fe_host: c.fe_host,
            http_port: c.http_port,
            extra_fes: c.extra_fes,
            use_https: c.use_https,
            latest: c
                .collected_at
                .zip(c.status)
                .map(|(collected_at, status)| Attempt {
                    collected_at,
                    status,
                    error_message: c.error_message,
                    reach: c.reach,
                }),
            last_ok: c.ok_at.map(|collected_at| Figures {
                collected_at,
                qps: c.qps,
                latency_p99_ms: c.latency_p99_ms,
                fe_total: c.fe_total,
                fe_alive: c.fe_alive,
                be_total: c.be_total,
                be_alive: c.be_alive,
                disk_total_bytes: c.disk_total_bytes,
                disk_used_bytes: c.disk_used_bytes,
            }),
            version: c.version,
            qps_from: c.qps_from.unwrap_or(0),
            qps_minutes: c.qps_minutes.unwrap_or_default(),
        }
    }
}

/// Every registered cluster with its `cluster_latest` row, as one JSON value:
/// sqlx hands over each row and each value on its own (the 1,000 rows of the
/// bare cluster list took 14 ms as rows and 1.3 ms as one array). A float
/// beyond JSON's range (SQLite writes infinity as `9e999`) becomes null.
pub async fn lines_json(pool: &SqlitePool) -> sqlx::Result<String> {
    sqlx::query_scalar(
        "SELECT json_group_array(json_array(
           c.id, c.name, c.description, c.tags, c.fe_host, c.http_port,
           CASE WHEN c.extra_fes = '' THEN 0
             ELSE length(c.extra_fes) - length(replace(c.extra_fes, char(10), '')) + 1 END,
           CASE WHEN c.use_https THEN json('true') ELSE json('false') END,
           l.collected_at, l.status, l.error_message, json(l.reach), l.ok_at,
           CASE WHEN abs(l.qps) < 1e300 THEN l.qps END,
           CASE WHEN abs(l.latency_p99_ms) < 1e300 THEN l.latency_p99_ms END,
           l.fe_total, l.fe_alive, l.be_total, l.be_alive, l.disk_total_bytes,
           l.disk_used_bytes, l.version, l.qps_from, l.qps_minutes))
         FROM clusters c LEFT JOIN cluster_latest l ON l.cluster_id = c.id",
    )
    .fetch_one(pool)
    .await
}

/// The lines of [`lines_json`]'s answer, ordered as the cluster list: by
/// name, ignoring ASCII case (SQLite's NOCASE).
pub fn parse_lines(json: &str) -> serde_json::Result<Vec<ClusterLine>> {
    let columns: Vec<Columns> = serde_json::from_str(json)?;
    let mut lines: Vec<ClusterLine> = columns.into_iter().map(ClusterLine::from).collect();
    lines.sort_by_cached_key(|l| (l.name.to_ascii_lowercase(), l.id));
    Ok(lines)
}

/// Every registered cluster with its `cluster_latest` row, ordered by name.
pub async fn clusters(pool: &SqlitePool) -> sqlx::Result<Vec<ClusterLine>> {
    parse_lines(&lines_json(pool).await?).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// An open alert, as the status line needs it.
pub struct OpenAlert {
    pub level: HealthStatus,
    /// The health rule that opened it (`disk`, `tablets`, ...).
    pub rule: String,
    pub title: String,
    pub reason: String,
    /// Its words as messages (JSON), when stored with them.
    pub said: Option<String>,
}

/// The open alerts of every cluster, worst and oldest first, reached through
/// the `alerts_open` index cluster by cluster (resolved alerts are never read).
pub async fn open_alerts(pool: &SqlitePool) -> sqlx::Result<HashMap<i64, Vec<OpenAlert>>> {
    let rows: Vec<(i64, String, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT a.cluster_id, a.rule, a.level, a.title, a.reason, a.said
         FROM clusters c CROSS JOIN alerts a ON a.cluster_id = c.id AND a.resolved_at IS NULL
         ORDER BY a.cluster_id, a.level = 'critical' DESC, a.opened_at, a.id",
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<i64, Vec<OpenAlert>> = HashMap::new();
    for (cluster_id, rule, level, title, reason, said) in rows {
        out.entry(cluster_id).or_default().push(OpenAlert {
            rule,
            level: level_of(&level),
            title,
            reason,
            said,
        });
    }
    Ok(out)
}

/// The leader FE's version, else the first FE's that has one.
pub fn leader_version(nodes: &Nodes) -> Option<String> {
    let with_version = || nodes.frontends.iter().filter(|f| f.version.is_some());
    with_version()
        .find(|f| f.role.as_deref() == Some("LEADER"))
        .or_else(|| with_version().next())
        .and_then(|f| f.version.clone())
}

/// Keeps the cluster's `cluster_latest` row in step with the snapshot `s`
/// just written in `tx` (and the node lists read with it): the newest row's
/// status, the newest successful row's figures, the version, and the QPS of
/// the snapshot's minute, read back from the rows of that minute (a row
/// written again replaces its value, never adds to it). Two statements by
/// primary key, whatever the history's length.
///
/// A row rewritten under the same time as failed after it had succeeded (two
/// collections in the same millisecond) leaves its figures as the last
/// success's.
pub async fn keep_latest(
    tx: &mut Transaction<'_, Sqlite>,
    s: &Snapshot,
    nodes: Option<&Nodes>,
) -> sqlx::Result<()> {
    let minute = s.collected_at.div_euclid(MINUTE_MS);
    type Kept = (Option<String>, Option<i64>, Option<i64>, Option<String>);
    let (kept, kept_from, newest, values): Kept = sqlx::query_as(
        "SELECT l.qps_minutes, l.qps_from, l.collected_at,
           (SELECT group_concat(CAST(round(m.qps * 1000000.0) AS INTEGER), ' ')
            FROM metrics_snapshots m
            WHERE m.cluster_id = ?1 AND m.collected_at >= ?2 AND m.collected_at < ?3
              AND m.qps IS NOT NULL)
         FROM (SELECT 1) LEFT JOIN cluster_latest l ON l.cluster_id = ?1",
    )
    .bind(s.cluster_id)
    .bind(minute * MINUTE_MS)
    .bind((minute + 1) * MINUTE_MS)
    .fetch_one(&mut **tx)
    .await?;
    let newest_minute = newest
        .map_or(s.collected_at, |n| n.max(s.collected_at))
        .div_euclid(MINUTE_MS);
    let from = newest_minute - KEPT_MINUTES;
    let minutes = with_minute(
        (kept.as_deref().unwrap_or(""), kept_from.unwrap_or(from)),
        minute,
        values.as_deref().and_then(minute_average),
        from,
    );
    // The newest row's columns follow a row at least as new; the figures a
    // successful row at least as new as the last success. `excluded.ok_at` is
    // NULL for a failed row, so the comparison is NULL and keeps the figures.
    sqlx::query(
        "INSERT INTO cluster_latest (cluster_id, collected_at, status, error_message, reach, ok_at,
           qps, latency_p99_ms, fe_total, fe_alive, be_total, be_alive, disk_total_bytes,
           disk_used_bytes, version, qps_from, qps_minutes)
         SELECT m.cluster_id, m.collected_at, m.status, m.error_message, m.reach,
           CASE WHEN ok THEN m.collected_at END, CASE WHEN ok THEN m.qps END,
           CASE WHEN ok THEN m.latency_p99_ms END, CASE WHEN ok THEN m.fe_total END,
           CASE WHEN ok THEN m.fe_alive END, CASE WHEN ok THEN m.be_total END,
           CASE WHEN ok THEN m.be_alive END, CASE WHEN ok THEN m.disk_total_bytes END,
           CASE WHEN ok THEN m.disk_used_bytes END, ?4, ?5, ?6
         FROM (SELECT *, status <> 'failed' AS ok FROM metrics_snapshots
               WHERE cluster_id = ?1 AND collected_at = ?2) m
         WHERE true
         ON CONFLICT (cluster_id) DO UPDATE SET
           collected_at = max(collected_at, excluded.collected_at),
           status = iif(excluded.collected_at >= collected_at, excluded.status, status),
           error_message = iif(excluded.collected_at >= collected_at,
             excluded.error_message, error_message),
           reach = iif(excluded.collected_at >= collected_at, excluded.reach, reach),
           ok_at = iif(excluded.ok_at >= ifnull(ok_at, excluded.ok_at), excluded.ok_at, ok_at),
           qps = iif(excluded.ok_at >= ifnull(ok_at, excluded.ok_at), excluded.qps, qps),
           latency_p99_ms = iif(excluded.ok_at >= ifnull(ok_at, excluded.ok_at),
             excluded.latency_p99_ms, latency_p99_ms),
           fe_total = iif(excluded.ok_at >= ifnull(ok_at, excluded.ok_at),
             excluded.fe_total, fe_total),
           fe_alive = iif(excluded.ok_at >= ifnull(ok_at, excluded.ok_at),
             excluded.fe_alive, fe_alive),
           be_total = iif(excluded.ok_at >= ifnull(ok_at, excluded.ok_at),
             excluded.be_total, be_total),
           be_alive = iif(excluded.ok_at >= ifnull(ok_at, excluded.ok_at),
             excluded.be_alive, be_alive),
           disk_total_bytes = iif(excluded.ok_at >= ifnull(ok_at, excluded.ok_at),
             excluded.disk_total_bytes, disk_total_bytes),
           disk_used_bytes = iif(excluded.ok_at >= ifnull(ok_at, excluded.ok_at),
             excluded.disk_used_bytes, disk_used_bytes),
           version = iif(?3, excluded.version, version),
           qps_from = excluded.qps_from,
           qps_minutes = excluded.qps_minutes",
    )
    .bind(s.cluster_id)
    .bind(s.collected_at)
    .bind(nodes.is_some())
    .bind(nodes.and_then(leader_version))
    .bind(from)
    .bind(minutes)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The average of one minute's QPS, given in millionths separated by spaces,
/// as the sparkline always computed it (summed as 128-bit integers, so no sum
/// overflows); `None` without any.
fn minute_average(millionths: &str) -> Option<f64> {
    let (mut sum, mut n) = (0i128, 0u32);
    for v in millionths.split(' ').filter_map(|v| v.parse::<i64>().ok()) {
        sum += i128::from(v);
        n += 1;
    }
    (n > 0).then(|| sum as f64 / f64::from(n) / QPS_SCALE)
}

/// The averages of `kept` (minute `kept.1` and each next one, separated by
/// commas) with `minute` set to `average` (or emptied without one), from
/// minute `from` to `from + KEPT_MINUTES`; trailing empty minutes left out.
/// An average is written in the shortest form that reads back as the same
/// number.
fn with_minute(kept: (&str, i64), minute: i64, average: Option<f64>, from: i64) -> String {
    let (kept, kept_from) = kept;
    let mut slots = vec![String::new(); KEPT_MINUTES as usize + 1];
    let slot = |m: i64| {
        m.checked_sub(from)
            .and_then(|i| usize::try_from(i).ok())
            .filter(|&i| i <= KEPT_MINUTES as usize)
    };
    let mut set: Vec<(usize, String)> = kept
        .split(',')
        .zip(kept_from..)
        .filter(|&(v, m)| !v.is_empty() && m != minute)
        .filter_map(|(v, m)| Some((slot(m)?, v.to_string())))
        .collect();
    if let (Some(average), Some(i)) = (average, slot(minute)) {
        set.push((i, average.to_string()));
    }
    for (i, v) in set {
        slots[i] = v;
    }
    let used = slots
        .iter()
        .rposition(|v| !v.is_empty())
        .map_or(0, |i| i + 1);
    slots[..used].join(",")
}

/// The minute buckets of the sparkline: `[start, start + 1 h)` with `start`
/// aligned down to the minute, so always 60 whole minutes; the current minute,
/// still being collected, is left out.
pub fn sparkline_start(now: i64) -> i64 {
    (now - HOUR_MS).div_euclid(MINUTE_MS) * MINUTE_MS
}

/// QPS is averaged per minute in millionths of a query per second.
const QPS_SCALE: f64 = 1e6;

/// The average QPS of each minute of the hour from `start`, from the
/// averages of minute `qps_from` and each next one in `qps_minutes`; `None`
/// for a minute without one: a minute with only failed collections, or none,
/// stays a gap. An average that does not read as a number is a gap too.
pub fn sparkline(qps_from: i64, qps_minutes: &str, start: i64) -> Vec<Option<f64>> {
    let mut points = vec![None; SPARKLINE_POINTS];
    let Some(skip) = start.div_euclid(MINUTE_MS).checked_sub(qps_from) else {
        return points;
    };
    // Minutes before the hour are skipped unread.
    let (skip, first) = match usize::try_from(skip) {
        Ok(skip) => (skip, 0),
        Err(_) => (0, usize::try_from(-skip).unwrap_or(usize::MAX)),
    };
    for (average, point) in qps_minutes
        .split(',')
        .skip(skip)
        .zip(points.iter_mut().skip(first))
    {
        if !average.is_empty() {
            *point = average.parse().ok();
        }
    }
    points
}

#[cfg(test)]
mod tests;
