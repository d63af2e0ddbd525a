//! The overview service: everything the dashboard and the REST API show about a
//! cluster, read from SQLite only (the collector writes it). Ranges, downsampling,
//! health rules, KPIs, capacity forecast and alerts.

mod fleet;
pub mod forecast;
pub mod health;
mod node;
pub mod queries;
pub mod steps;

use self::health::{HealthInput, Said, Verdict};
use i18n::Locale;
use model::operations::OperationsView;
use model::overview::{
    Aggregates, Alert, Alerts, Capacity, Health, Kpi, Nodes, Overview, Trends, Window, DAY_MS,
};
use model::snapshot::{CollectStatus, Snapshot, StoredDataStatistics};
use registry::clusters::ClusterService;
use registry::AppError;
use sqlx::SqlitePool;
use store::series::{self, SeriesDef};
use store::snapshots;
use store::ticks::TickReceiver;
use store::{alerts, data_stats};

pub const DEFAULT_MAX_POINTS: i64 = 720;

#[derive(Clone)]
pub struct OverviewService {
    pool: SqlitePool,
    clusters: ClusterService,
    interval_ms: i64,
    max_points: i64,
}

/// The rows the health rules read.
struct HealthRows {
    latest: Option<Snapshot>,
    last_ok: Option<Snapshot>,
    recent_ok: Vec<Snapshot>,
    /// The last node lists: they name the dead nodes.
    nodes: Option<Nodes>,
    /// The newest operations figures.
    ops: Option<model::operations::OpsSnapshot>,
    /// The routine load jobs as last read, paused first.
    routine_loads: Vec<model::operations::RoutineLoadJob>,
    /// The thresholds in force for the cluster.
    limits: model::thresholds::Thresholds,
}

impl OverviewService {
    pub fn new(
        pool: SqlitePool,
        clusters: ClusterService,
        interval_ms: i64,
        max_points: i64,
    ) -> Self {
        Self {
            pool,
            clusters,
            interval_ms,
            max_points,
        }
    }

    pub fn interval_ms(&self) -> i64 {
        self.interval_ms
    }

    /// 404 for an unknown cluster, and its name otherwise.
    async fn cluster_name(&self, id: i64) -> Result<String, AppError> {
        Ok(self.clusters.get(id).await?.name)
    }

    fn step(&self, window: &Window) -> i64 {
        steps::choose_step(window, self.interval_ms, self.max_points)
    }

    async fn health_rows(&self, id: i64, now: i64) -> sqlx::Result<HealthRows> {
        let (latest, recent, nodes, ops, routine_loads, limits) = tokio::join!(
            snapshots::latest(&self.pool, id),
            snapshots::between(&self.pool, id, now - health::CPU_WINDOW_MS, now + 1),
            snapshots::nodes(&self.pool, id),
            store::operations::latest(&self.pool, id),
            store::operations::routine_loads(&self.pool, id),
            store::thresholds::load(&self.pool, Some(id)),
        );
        let latest = latest?;
        let last_ok = match &latest {
            Some(s) if s.status != CollectStatus::Failed => Some(s.clone()),
            _ => snapshots::latest_ok(&self.pool, id).await?,
        };
        let recent_ok = recent?
            .into_iter()
            .filter(|s| s.status != CollectStatus::Failed)
            .collect();
        Ok(HealthRows {
            latest,
            last_ok,
            recent_ok,
            nodes: nodes?,
            ops: ops?,
            routine_loads: routine_loads?,
            limits: limits?,
        })
    }

    fn verdicts(&self, rows: &HealthRows, now: i64) -> Vec<Verdict> {
        health::verdicts(&HealthInput {
            now,
            interval_ms: self.interval_ms,
            latest: rows.latest.as_ref(),
            last_ok: rows.last_ok.as_ref(),
            recent_ok: &rows.recent_ok,
            nodes: rows.nodes.as_ref(),
            ops: rows.ops.as_ref(),
            routine_loads: &rows.routine_loads,
            limits: &rows.limits,
        })
    }

    fn evaluate(&self, rows: &HealthRows, now: i64) -> Health {
        health::summarize(&self.verdicts(rows, now))
    }

    pub async fn health(&self, id: i64, now: i64) -> Result<Health, AppError> {
        self.cluster_name(id).await?;
        let rows = self.health_rows(id, now).await?;
        Ok(self.evaluate(&rows, now))
    }

    /// Re-evaluates the rules of each cluster and opens or resolves its alerts.
    pub async fn sync_alerts(&self, ids: &[i64], now: i64) -> Result<(), AppError> {
        for id in ids {
            let rows = self.health_rows(*id, now).await?;
            let verdicts = self.verdicts(&rows, now);
            let states: Vec<alerts::RuleState> = verdicts.iter().map(rule_state).collect();
            alerts::sync(&self.pool, *id, &states, now).await?;
        }
        Ok(())
    }

    /// The alerts task: after each tick the collector announces, re-evaluates
    /// the rules of the clusters it wrote and opens or resolves their alerts.
    /// Runs until the collector is gone.
    pub fn spawn_alerts(&self, mut ticks: TickReceiver) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            while let Some(tick) = ticks.recv().await {
                if let Err(e) = me.sync_alerts(&tick.cluster_ids, tick.at).await {
                    tracing::warn!(error = %e, "alerts could not be updated");
                }
                if let Some(done) = tick.done {
                    let _ = done.send(());
                }
            }
        })
    }

    async fn trends(
        &self,
        id: i64,
        window: &Window,
        defs: &[SeriesDef],
    ) -> Result<Trends, AppError> {
        self.cluster_name(id).await?;
        let step = self.step(window);
        Ok(Trends {
            cluster_id: id,
            window: window.clone(),
            step_ms: step,
            series: series::series(&self.pool, id, window, step, self.interval_ms, defs).await?,
        })
    }

    pub async fn performance(&self, id: i64, window: &Window) -> Result<Trends, AppError> {
        self.trends(id, window, series::PERFORMANCE).await
    }

    pub async fn resources(&self, id: i64, window: &Window) -> Result<Trends, AppError> {
        self.trends(id, window, series::RESOURCES).await
    }

    pub async fn transactions(&self, id: i64, window: &Window) -> Result<Trends, AppError> {
        self.trends(id, window, series::TRANSACTIONS).await
    }

    pub async fn compaction(&self, id: i64, window: &Window) -> Result<Trends, AppError> {
        self.trends(id, window, series::COMPACTION).await
    }

    pub async fn data_statistics(&self, id: i64) -> Result<Option<StoredDataStatistics>, AppError> {
        self.cluster_name(id).await?;
        Ok(data_stats::data_statistics(&self.pool, id).await?)
    }

    pub async fn capacity(&self, id: i64, now: i64) -> Result<Capacity, AppError> {
        self.cluster_name(id).await?;
        let last_ok = snapshots::latest_ok(&self.pool, id).await?;
        let points = forecast::points(&self.pool, id, now).await?;
        Ok(forecast::forecast(&points, last_ok.as_ref()))
    }

    pub async fn alerts(&self, id: i64, now: i64) -> Result<Alerts, AppError> {
        self.cluster_name(id).await?;
        let all = alerts::recent(&self.pool, id, now - DAY_MS).await?;
        let (active, resolved) = all
            .into_iter()
            .map(localized)
            .partition(|a| a.resolved_at.is_none());
        Ok(Alerts {
            cluster_id: id,
            active,
            recently_resolved: resolved,
        })
    }

    pub async fn nodes(&self, id: i64) -> Result<Nodes, AppError> {
        self.cluster_name(id).await?;
        Ok(snapshots::nodes(&self.pool, id).await?.unwrap_or_default())
    }

    /// Averages and maxima over the window, the error rate (%) and the query
    /// count, from the table the window's step reads.
    async fn aggregates(
        &self,
        id: i64,
        window: &Window,
    ) -> sqlx::Result<(Aggregates, Option<f64>, Option<f64>)> {
        store::series::aggregates(&self.pool, id, window, self.step(window)).await
    }

    /// Everything the page shows, in one call.
    pub async fn overview(&self, id: i64, window: &Window, now: i64) -> Result<Overview, AppError> {
        let name = self.cluster_name(id).await?;
        let step = self.step(window);
        let all: Vec<SeriesDef> = [
            series::PERFORMANCE,
            series::RESOURCES,
            series::TRANSACTIONS,
            series::COMPACTION,
        ]
        .concat();
        // The parts read different rows: ask for them at once (SQLite in WAL mode
        // reads on several connections in parallel).
        let previous_window = window.previous();
        // The health rows carry the node lists too.
        let (rows, trends, current, previous, points, data_statistics, alerts, operations) = tokio::join!(
            self.health_rows(id, now),
            series::series(&self.pool, id, window, step, self.interval_ms, &all),
            self.aggregates(id, window),
            self.aggregates(id, &previous_window),
            forecast::points(&self.pool, id, now),
            data_stats::data_statistics(&self.pool, id),
            alerts::recent(&self.pool, id, now - DAY_MS),
            self.operations_in(id, window, step),
        );
        let rows = rows?;
        let health = self.evaluate(&rows, now);
        let (aggregates, err_pct, queries) = current?;
        let (previous, prev_err, prev_queries) = previous?;
        let kpis = vec![
            kpi(
                "qps",
                i18n::say!(status.kpi_qps),
                "queries/s".into(),
                aggregates.qps_avg,
                previous.qps_avg,
            ),
            kpi(
                "latency_p99",
                i18n::say!(status.kpi_latency_p99),
                "ms".into(),
                aggregates.p99_avg_ms,
                previous.p99_avg_ms,
            ),
            kpi(
                "error_rate",
                i18n::say!(status.kpi_error_rate),
                "%".into(),
                err_pct,
                prev_err,
            ),
            kpi(
                "queries",
                i18n::say!(status.kpi_queries),
                "queries".into(),
                queries,
                prev_queries,
            ),
            kpi(
                "cpu",
                i18n::say!(status.kpi_cpu),
                "%".into(),
                aggregates.cpu_avg_pct,
                previous.cpu_avg_pct,
            ),
            kpi(
                "disk",
                i18n::say!(status.kpi_disk),
                "%".into(),
                aggregates.disk_avg_pct,
                previous.disk_avg_pct,
            ),
        ];
        let (alerts, recently_resolved) =
            split_alerts(alerts?.into_iter().map(localized).collect());
        let capacity = forecast::forecast(&points?, rows.last_ok.as_ref());
        let reach_note = rows
            .latest
            .as_ref()
            .filter(|s| s.status != CollectStatus::Failed)
            .and_then(|s| s.reach.as_ref())
            .and_then(|r| r.summary());
        Ok(Overview {
            cluster_id: id,
            cluster_name: name,
            window: window.clone(),
            step_ms: step,
            now,
            interval_ms: self.interval_ms,
            age_ms: rows.latest.as_ref().map(|s| now - s.collected_at),
            latest: rows.latest,
            last_ok: rows.last_ok,
            health,
            kpis,
            aggregates,
            trends: trends?,
            nodes: rows.nodes.unwrap_or_default(),
            data_statistics: data_statistics?,
            capacity,
            alerts,
            recently_resolved,
            reach_note,
            custom_thresholds: rows
                .limits
                .changed()
                .iter()
                .map(|r| r.to_string())
                .collect(),
            operations: operations?,
            silences: store::silences::active_for(&self.pool, id, now).await?,
        })
    }

    /// The operations figures and charts of a window (issue 15).
    pub async fn operations(&self, id: i64, window: &Window) -> Result<OperationsView, AppError> {
        self.cluster_name(id).await?;
        let step = self.step(window);
        Ok(self.operations_in(id, window, step).await?)
    }

    async fn operations_in(
        &self,
        id: i64,
        window: &Window,
        step: i64,
    ) -> sqlx::Result<OperationsView> {
        let (latest, databases, resource_groups, series, groups, routine_loads) = tokio::join!(
            store::operations::latest(&self.pool, id),
            store::operations::db_tablets(&self.pool, id),
            store::operations::latest_groups(&self.pool, id),
            store::operations::series(&self.pool, id, window.from, window.to, step),
            store::operations::group_series(
                &self.pool,
                id,
                window.from,
                window.to,
                step,
                TOP_RESOURCE_GROUPS
            ),
            store::operations::routine_loads(&self.pool, id),
        );
        let mut series = series?;
        series.extend(groups?);
        Ok(OperationsView {
            cluster_id: id,
            window: window.clone(),
            step_ms: step,
            latest: latest?,
            databases: databases?,
            resource_groups: resource_groups?,
            routine_loads: routine_loads?,
            series,
        })
    }
}

/// Resource groups charted on the overview: the busiest of the window.
pub const TOP_RESOURCE_GROUPS: i64 = 5;

/// Open alerts the worst first (critical, then the longest open), and those
/// resolved, the latest resolution first: the overview's banner shows the
/// first open one.
fn split_alerts(all: Vec<Alert>) -> (Vec<Alert>, Vec<Alert>) {
    let (mut open, mut resolved): (Vec<Alert>, Vec<Alert>) =
        all.into_iter().partition(|a| a.resolved_at.is_none());
    open.sort_by_key(|a| (std::cmp::Reverse(a.level), a.since));
    resolved.sort_by_key(|a| std::cmp::Reverse(a.resolved_at));
    (open, resolved)
}

/// What the alerts table keeps of a verdict: English words and messages.
fn rule_state(v: &Verdict) -> alerts::RuleState<'_> {
    let en = |m: &i18n::Msg| m.text_in(Locale::en);
    alerts::RuleState {
        key: v.key,
        status: v.status,
        title: en(&v.said.title),
        reason: en(&v.said.reason),
        action: v.said.action.as_ref().map(en).unwrap_or_default(),
        // Serialising plain enums and strings cannot fail.
        said: serde_json::to_string(&v.said).unwrap_or_default(),
    }
}

/// A stored alert in the language being served: from its messages when it
/// was stored with them, else its English words as they are.
pub fn localized((mut alert, said): alerts::StoredAlert) -> Alert {
    if let Some(said) = Said::stored(said.as_deref()) {
        alert.title = said.title.text();
        alert.reason = said.reason.text();
        alert.quoted = said.reason.quoted();
        alert.action = said.action.map(|a| a.text()).unwrap_or_default();
    }
    alert
}

fn kpi(key: &str, label: String, unit: String, value: Option<f64>, previous: Option<f64>) -> Kpi {
    let change_pct = match (value, previous) {
        (Some(v), Some(p)) if p != 0.0 => Some((v - p) * 100.0 / p.abs()),
        _ => None,
    };
    Kpi {
        key: key.into(),
        label,
        unit,
        value,
        previous,
        change_pct,
    }
}
