//! Operations health (issue 15): tablets, routine loads, transactions,
//! metadata, BE rowsets and compactions, and resource groups, as one
//! collection read them. Every figure is optional: `None` is "not reported"
//! (a version without the metric, a shared-data cluster's replica health, a
//! collection that could not read it), never zero as good news.

use serde::{Deserialize, Serialize};

/// One collection's operations figures: a row of `ops_snapshots`, beside the
/// cluster's row of `metrics_snapshots` with the same `collected_at`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OpsSnapshot {
    pub cluster_id: i64,
    /// UTC unix milliseconds of the tick.
    pub collected_at: i64,
    /// From the leader's `/statistic` Total row.
    pub tablets: Option<i64>,
    pub replicas: Option<i64>,
    /// Replica health: `None` on shared-data clusters, which report none.
    pub tablets_unhealthy: Option<i64>,
    pub tablets_inconsistent: Option<i64>,
    pub tablets_cloning: Option<i64>,
    pub tablets_error_state: Option<i64>,
    /// Since when tablets have been unhealthy without a break (unix ms).
    pub tablets_unhealthy_since: Option<i64>,
    /// `scheduled_tablet_num` of the leader: tablets being repaired or balanced.
    pub tablets_scheduled: Option<i64>,
    /// Routine load jobs by state (`routine_load_jobs`).
    pub routine_loads_running: Option<i64>,
    pub routine_loads_paused: Option<i64>,
    pub routine_loads_need_schedule: Option<i64>,
    pub routine_loads_unstable: Option<i64>,
    pub routine_loads_stopped: Option<i64>,
    pub routine_loads_cancelled: Option<i64>,
    /// The database with the most running transactions (`txn_running{db}`).
    pub txn_running_max: Option<i64>,
    pub txn_running_max_db: Option<String>,
    /// Rejected transactions in the interval (`txn_reject`, every FE).
    pub txn_rejected: Option<i64>,
    /// Failed share of the interval's finished transactions, 0 to 100.
    pub txn_failed_pct: Option<f64>,
    /// The largest `meta_log_count` of the FEs, and which FE.
    pub meta_log_count: Option<i64>,
    pub meta_log_fe: Option<String>,
    /// Some FE reports `safe_mode` 1.
    pub safe_mode: Option<bool>,
    pub report_queue_size: Option<i64>,
    /// The largest `max_tablet_rowset_num` of the BEs, and which BE.
    pub rowsets_max: Option<i64>,
    pub rowsets_max_be: Option<String>,
    /// Failed compactions in the interval (`engine_requests_total{status="failed"}`).
    pub compactions_failed: Option<i64>,
    /// Queries running on every FE at the collection (`/current_queries`),
    /// and the longest one's run time so far (issue 16).
    #[serde(default)]
    pub queries_running: Option<i64>,
    #[serde(default)]
    pub query_longest_ms: Option<i64>,
}

impl OpsSnapshot {
    pub fn new(cluster_id: i64, collected_at: i64) -> Self {
        Self {
            cluster_id,
            collected_at,
            ..Self::default()
        }
    }
}

/// One resource group in one collection (`resource_group_samples`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ResourceGroupSample {
    pub name: String,
    /// Queries and failed queries in the interval, every FE.
    pub queries: Option<i64>,
    pub errors: Option<i64>,
    /// The worst FE's 99th percentile latency, ms.
    pub p99_ms: Option<f64>,
    /// Queries waiting in the group's queue now, and queue timeouts in the interval.
    pub queue_pending: Option<i64>,
    pub queue_timeouts: Option<i64>,
}

/// One database's tablets as the leader's `/statistic` lists them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct DbTablets {
    pub db_name: String,
    pub tablets: Option<i64>,
    pub replicas: Option<i64>,
    pub unhealthy: Option<i64>,
    pub inconsistent: Option<i64>,
    pub cloning: Option<i64>,
    pub error_state: Option<i64>,
}

/// Everything the operations part of one collection read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Operations {
    pub snapshot: OpsSnapshot,
    pub groups: Vec<ResourceGroupSample>,
    /// `None` when `/statistic` was not read.
    pub dbs: Option<Vec<DbTablets>>,
}

/// The operations part of an overview (`GET /api/clusters/{id}/overview/operations`
/// and the `operations` of the overview): the newest figures, the tablets per
/// database, the resource groups of the newest collection, and the charts
/// over the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OperationsView {
    pub cluster_id: i64,
    pub window: super::overview::Window,
    pub step_ms: i64,
    /// The newest operations row; `None` before the first successful collection.
    pub latest: Option<OpsSnapshot>,
    /// The newest `/statistic`, unhealthy databases first.
    pub databases: Vec<DbTablets>,
    /// The resource groups of the newest collection, the busiest first.
    pub resource_groups: Vec<ResourceGroupSample>,
    /// The routine load jobs as last read (every few minutes), paused first.
    #[serde(default)]
    pub routine_loads: Vec<RoutineLoadJob>,
    /// Unhealthy and cloning tablets, routine load jobs by state, running
    /// transactions (largest database), failed transactions, the metadata
    /// journal, rowsets, failed compactions, and per resource group (the 5
    /// busiest in the window, by rank: `rg_qps_1` .. `rg_qps_5` and
    /// `rg_p99_1` .. `rg_p99_5`, each labelled with its group) queries per
    /// second and p99.
    pub series: Vec<super::overview::Series>,
}

/// A routine load job as `SHOW ALL ROUTINE LOAD FROM <db>` lists it, read
/// every few minutes with the data statistics.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct RoutineLoadJob {
    pub database: String,
    pub name: String,
    pub table_name: Option<String>,
    /// NEED_SCHEDULE, RUNNING, PAUSED, STOPPED, CANCELLED or UNSTABLE.
    pub state: String,
    /// `ReasonOfStateChanged`: why StarRocks paused or stopped the job.
    pub reason: Option<String>,
    /// `errorRows` of the job's `Statistic`.
    pub error_rows: Option<i64>,
    /// The summed `OffsetLag` of its partitions, where the server reports it.
    pub lag: Option<i64>,
    pub pause_time: Option<String>,
}

impl RoutineLoadJob {
    pub fn paused(&self) -> bool {
        self.state.eq_ignore_ascii_case("PAUSED")
    }
}
