//! What the collector records about a cluster, as stored, served and shown.

use super::starrocks::{DataStatistics, ErrorKind};
use serde::{Deserialize, Serialize};

/// How one collection went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(feature = "ssr", sqlx(type_name = "TEXT", rename_all = "lowercase"))]
pub enum CollectStatus {
    /// Every endpoint answered.
    Ok,
    /// The cluster answered, but some endpoint (an FE's metrics, a BE) did not.
    Partial,
    /// The cluster could not be read at all: the row marks a gap.
    Failed,
}

impl CollectStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Partial => "partial",
            Self::Failed => "failed",
        }
    }
}

/// One collection of one cluster: a row of `metrics_snapshots`. Every measured
/// value is optional: `None` means not known for this collection (a failed
/// collection, the first one after start, an endpoint this version lacks).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Snapshot {
    pub cluster_id: i64,
    /// UTC unix milliseconds of the tick.
    pub collected_at: i64,
    pub status: CollectStatus,
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    pub duration_ms: i64,
    pub qps: Option<f64>,
    pub rps: Option<f64>,
    pub latency_p50_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
    pub latency_p99_ms: Option<f64>,
    /// Queries in the interval since the previous collection.
    pub queries: Option<i64>,
    pub query_errors: Option<i64>,
    pub query_timeouts: Option<i64>,
    /// Failed share of the interval's queries, 0 to 1.
    pub error_rate: Option<f64>,
    pub fe_total: Option<i64>,
    pub fe_alive: Option<i64>,
    /// Backends, or compute nodes on a shared-data cluster.
    pub be_total: Option<i64>,
    pub be_alive: Option<i64>,
    pub cpu_avg_pct: Option<f64>,
    pub cpu_max_pct: Option<f64>,
    pub mem_avg_pct: Option<f64>,
    pub mem_max_pct: Option<f64>,
    /// Summed over the cluster; `None` where not reported (shared-data).
    pub disk_total_bytes: Option<i64>,
    pub disk_used_bytes: Option<i64>,
    /// The fullest single node.
    pub disk_max_pct: Option<f64>,
    pub tablets: Option<i64>,
    pub compaction_score_max: Option<f64>,
    pub txn_begin: Option<i64>,
    pub txn_success: Option<i64>,
    pub txn_failed: Option<i64>,
    pub txn_running: Option<i64>,
    pub loads_running: Option<i64>,
    pub loads_finished: Option<i64>,
    /// The FE whose heap is fullest.
    pub jvm_heap_used_bytes: Option<i64>,
    pub jvm_heap_max_bytes: Option<i64>,
    pub connections: Option<i64>,
    /// How this collection reached the cluster; `None` for failed rows and
    /// rows written before it was recorded.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(json(nullable)))]
    pub reach: Option<super::reach::Reach>,
}

impl Snapshot {
    /// A row with nothing measured yet.
    pub fn empty(cluster_id: i64, collected_at: i64, status: CollectStatus) -> Self {
        Self {
            cluster_id,
            collected_at,
            status,
            error_kind: None,
            error_message: None,
            duration_ms: 0,
            qps: None,
            rps: None,
            latency_p50_ms: None,
            latency_p95_ms: None,
            latency_p99_ms: None,
            queries: None,
            query_errors: None,
            query_timeouts: None,
            error_rate: None,
            fe_total: None,
            fe_alive: None,
            be_total: None,
            be_alive: None,
            cpu_avg_pct: None,
            cpu_max_pct: None,
            mem_avg_pct: None,
            mem_max_pct: None,
            disk_total_bytes: None,
            disk_used_bytes: None,
            disk_max_pct: None,
            tablets: None,
            compaction_score_max: None,
            txn_begin: None,
            txn_success: None,
            txn_failed: None,
            txn_running: None,
            loads_running: None,
            loads_finished: None,
            jvm_heap_used_bytes: None,
            jvm_heap_max_bytes: None,
            connections: None,
            reach: None,
        }
    }

    /// The row of a collection that could not read the cluster: a gap with its reason.
    pub fn failed(cluster_id: i64, collected_at: i64, kind: ErrorKind, message: String) -> Self {
        let mut s = Self::empty(cluster_id, collected_at, CollectStatus::Failed);
        s.error_kind = Some(kind.as_str().to_string());
        s.error_message = Some(message);
        s
    }

    pub fn error(&self) -> Option<ErrorKind> {
        self.error_kind.as_deref().and_then(ErrorKind::parse)
    }

    /// Reachable with every FE and node alive: what availability counts.
    pub fn available(&self) -> bool {
        self.status != CollectStatus::Failed
            && self.fe_alive.is_some()
            && self.fe_alive == self.fe_total
            && self.be_alive == self.be_total
    }

    /// Cluster-wide disk use, 0 to 100.
    pub fn disk_used_pct(&self) -> Option<f64> {
        let total = self.disk_total_bytes? as f64;
        let used = self.disk_used_bytes? as f64;
        (total > 0.0).then(|| used * 100.0 / total)
    }
}

/// One UTC day of one cluster: a row of `daily_snapshots`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DailySnapshot {
    pub cluster_id: i64,
    /// UTC midnight starting the day, unix ms.
    pub day: i64,
    /// Collections that day, failed ones included.
    pub samples: i64,
    pub qps_avg: Option<f64>,
    pub qps_max: Option<f64>,
    pub p99_avg_ms: Option<f64>,
    pub p99_max_ms: Option<f64>,
    pub queries: Option<i64>,
    pub query_errors: Option<i64>,
    pub cpu_avg_pct: Option<f64>,
    pub cpu_max_pct: Option<f64>,
    pub mem_avg_pct: Option<f64>,
    pub mem_max_pct: Option<f64>,
    pub disk_avg_pct: Option<f64>,
    pub disk_max_pct: Option<f64>,
    pub disk_used_end_bytes: Option<i64>,
    pub disk_total_end_bytes: Option<i64>,
    pub data_growth_bytes: Option<i64>,
    pub availability_pct: f64,
    pub downtime_s: i64,
}

/// The latest MySQL-side statistics of a cluster, with when they were read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StoredDataStatistics {
    pub cluster_id: i64,
    /// When `stats` were read; `None` if no attempt has succeeded yet.
    pub collected_at: Option<i64>,
    pub attempted_at: i64,
    /// Why the last attempt failed as a whole (MySQL port unreachable, login refused).
    pub last_error: Option<super::starrocks::ProblemReport>,
    pub stats: Option<DataStatistics>,
}

/// How the collector is doing, for the pages and `GET /api/collector`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CollectorStatus {
    pub running: bool,
    pub interval_s: u64,
    /// Start of the last finished tick, unix ms.
    pub last_tick_at: Option<i64>,
    pub last_tick_duration_ms: Option<u64>,
    pub clusters_ok: u32,
    pub clusters_partial: u32,
    pub clusters_failed: u32,
    /// Ticks skipped because the previous one was still running.
    pub ticks_skipped: u64,
    /// Start of the next tick, unix ms.
    pub next_tick_at: Option<i64>,
}
