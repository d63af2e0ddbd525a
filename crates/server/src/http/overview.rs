//! The overview over REST: every part of the dashboard for any time range, the
//! alerts, and two live calls that ask StarRocks directly.

use super::{ApiQuery, ClusterId};
use app::AppState;
use axum::extract::State;
use axum::Json;
use collector::LiveSummary;
use model::fleet::Fleet;
use model::operations::OperationsView;
use model::overview::{parse_window, Alerts, Capacity, Health, Overview, Trends, Window};
use model::snapshot::StoredDataStatistics;
use model::starrocks::ConnectionReport;
use model::ApiError;
use registry::AppError;
use serde::Deserialize;
use store::now_ms;

/// `?range=24h`, or `?from=...&to=...` (epoch ms or `now-6h`).
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// 1h, 6h, 24h (default), 3d, 7d, 30d or 90d.
    range: Option<String>,
    /// Epoch ms or now-6h; with `to`, instead of `range`.
    from: Option<String>,
    /// Epoch ms or now (default now).
    to: Option<String>,
}

impl RangeQuery {
    pub(super) fn window(&self, now: i64) -> Result<Window, AppError> {
        parse_window(
            self.range.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
            now,
        )
        .map_err(AppError::BadRequest)
    }
}

#[utoipa::path(get, path = "/api/clusters/{id}/overview", tag = "overview", params(ClusterId, RangeQuery), responses((status = 200, description = "Everything the overview page shows", body = model::overview::Overview), (status = 400, description = "Bad range; the message lists the accepted forms", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn overview(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> Result<Json<Overview>, AppError> {
    let now = now_ms();
    let window = q.window(now)?;
    Ok(Json(state.overview.overview(id, &window, now).await?))
}

/// Every registered cluster on one line, for the fleet page.
#[utoipa::path(get, path = "/api/fleet", tag = "overview", responses((status = 200, description = "Every cluster, ordered by name: status and why, version, nodes alive, QPS, p99, disk, open alerts and the last hour of QPS per minute", body = model::fleet::Fleet), (status = 401, description = "No session", body = ApiError)))]
pub async fn fleet(State(state): State<AppState>) -> Result<Json<Fleet>, AppError> {
    Ok(Json(state.overview.fleet(now_ms()).await?))
}

#[utoipa::path(get, path = "/api/clusters/{id}/overview/health", tag = "overview", params(ClusterId), responses((status = 200, description = "Health cards, status and score", body = model::overview::Health), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn health(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Health>, AppError> {
    Ok(Json(state.overview.health(id, now_ms()).await?))
}

macro_rules! trends_handler {
    ($name:ident, $path:literal, $what:literal) => {
        #[utoipa::path(get, path = $path, tag = "overview", params(ClusterId, RangeQuery), responses((status = 200, description = $what, body = model::overview::Trends), (status = 400, description = "Bad range", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
        pub async fn $name(
            State(state): State<AppState>,
            ClusterId { id }: ClusterId,
            ApiQuery(q): ApiQuery<RangeQuery>,
        ) -> Result<Json<Trends>, AppError> {
            let window = q.window(now_ms())?;
            Ok(Json(state.overview.$name(id, &window).await?))
        }
    };
}

trends_handler!(
    performance,
    "/api/clusters/{id}/overview/performance",
    "QPS, RPS, latency p50/p95/p99, error rate"
);
trends_handler!(
    resources,
    "/api/clusters/{id}/overview/resources",
    "CPU, memory, disk, FE JVM heap"
);
trends_handler!(
    transactions,
    "/api/clusters/{id}/overview/transactions",
    "Transactions and loads"
);
trends_handler!(
    compaction,
    "/api/clusters/{id}/overview/compaction",
    "Max compaction score"
);

/// Operations health: tablets, routine loads, transactions, metadata, rowsets,
/// resource groups, and their charts over the range.
#[utoipa::path(get, path = "/api/clusters/{id}/overview/operations", tag = "overview", params(ClusterId, RangeQuery), responses((status = 200, description = "The newest operations figures, tablets per database, resource groups, and charts over the range", body = model::operations::OperationsView), (status = 400, description = "Bad range; the message lists the accepted forms", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn operations(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> Result<Json<OperationsView>, AppError> {
    let window = q.window(now_ms())?;
    Ok(Json(state.overview.operations(id, &window).await?))
}

#[utoipa::path(get, path = "/api/clusters/{id}/overview/data-stats", tag = "overview", params(ClusterId), responses((status = 200, description = "The latest data statistics, or null", body = Option<model::snapshot::StoredDataStatistics>), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn data_statistics(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Option<StoredDataStatistics>>, AppError> {
    Ok(Json(state.overview.data_statistics(id).await?))
}

#[utoipa::path(get, path = "/api/clusters/{id}/overview/capacity", tag = "overview", params(ClusterId), responses((status = 200, description = "Capacity forecast", body = model::overview::Capacity), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn capacity(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Capacity>, AppError> {
    Ok(Json(state.overview.capacity(id, now_ms()).await?))
}

#[utoipa::path(get, path = "/api/clusters/{id}/alerts", tag = "overview", params(ClusterId), responses((status = 200, description = "Active alerts and those resolved in the last 24 h", body = model::overview::Alerts), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn alerts(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Alerts>, AppError> {
    Ok(Json(state.overview.alerts(id, now_ms()).await?))
}

/// Reachability and node counts now: the HTTP and MySQL sides asked at the same time.
#[utoipa::path(get, path = "/api/clusters/{id}/health", tag = "live", params(ClusterId), responses((status = 200, description = "Reachability and node counts now", body = model::starrocks::ConnectionReport), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn live_health(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<ConnectionReport>, AppError> {
    let endpoint = state.clusters.endpoint(id).await?;
    Ok(Json(state.clusters.test_connection(&endpoint).await))
}

/// The cluster's metrics now, read from every FE and BE at the same time.
#[utoipa::path(get, path = "/api/clusters/{id}/metrics/summary", tag = "live", params(ClusterId), responses((status = 200, description = "The cluster's metrics now; nothing stored", body = collector::LiveSummary), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn live_summary(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<LiveSummary>, AppError> {
    let endpoint = state.clusters.endpoint(id).await?;
    Ok(Json(state.collector.live_summary(id, &endpoint).await))
}
