//! The fleet page: every registered cluster at a glance.

use super::overview::{HealthStatus, Series};
use serde::{Deserialize, Serialize};

/// One cluster's line on the fleet page, from its latest collection, its open
/// alerts and its last hour of queries per second.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FleetRow {
    pub cluster_id: i64,
    pub name: String,
    pub description: String,
    pub tags: Vec<String>,
    /// The FE HTTP address as registered, e.g. `http://fe1:8030`.
    pub http_url: String,
    /// `Unknown` before the first collection. While the cluster does not
    /// answer, the overview's collection card (a warning after a failed
    /// collection, critical after 3 intervals without success), unless an open
    /// alert is worse; otherwise the worst open alert, or `Healthy`.
    pub status: HealthStatus,
    /// One line saying why the status is what it is.
    pub status_reason: String,
    /// The leader FE's StarRocks version, from the last node list.
    pub version: Option<String>,
    pub fe_alive: Option<i64>,
    pub fe_total: Option<i64>,
    pub be_alive: Option<i64>,
    pub be_total: Option<i64>,
    pub qps: Option<f64>,
    pub latency_p99_ms: Option<f64>,
    /// Cluster disk used in percent; `None` when not reported (shared-data).
    pub disk_used_pct: Option<f64>,
    /// Unix ms of the latest collection, failed or not.
    pub collected_at: Option<i64>,
    /// Unix ms of the newest collection that did not fail, whose figures the
    /// row shows: older than `collected_at` when the newest attempt failed.
    pub last_success_at: Option<i64>,
    /// The figures are not from a recent collection: the latest failed (they
    /// are the last good one's), or none has succeeded for 3 intervals.
    pub stale: bool,
    pub error: Option<String>,
    pub active_alerts: i64,
    /// The worst open operations alert (tablets, routine loads, transactions,
    /// metadata, rowsets, safe mode) as "title: reason", or `None`.
    #[serde(default)]
    pub ops_problem: Option<String>,
    /// The parts of `status_reason` and `ops_problem` that are the cluster's
    /// own words (a job's name, the reason StarRocks gave, an error), which
    /// the page marks as not to be translated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quoted: Vec<String>,
    /// When the last silence of the cluster's own that is in force ends
    /// (its notifications are held until then).
    #[serde(default)]
    pub silenced_until: Option<i64>,
    /// Queries per second over the last hour, one point per minute, gaps as `None`.
    pub qps_last_hour: Series,
}

/// The fleet page's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Fleet {
    pub now: i64,
    pub clusters: Vec<FleetRow>,
}
