//! The collector's REST face: its status, "collect now", and what it stored last.

use super::ClusterId;
use app::AppState;
use axum::extract::State;
use axum::Json;
use model::snapshot::{CollectorStatus, Snapshot, StoredDataStatistics};
use model::ApiError;
use registry::AppError;
use store::{data_stats, snapshots};

#[utoipa::path(get, path = "/api/collector", tag = "collector", responses((status = 200, description = "The collector's last tick", body = model::snapshot::CollectorStatus), (status = 401, description = "No session", body = ApiError)))]
pub async fn status(State(state): State<AppState>) -> Json<CollectorStatus> {
    Json(state.collector.status())
}

/// Collects the cluster now and answers its new snapshot; 429 when asked again too soon.
#[utoipa::path(post, path = "/api/clusters/{id}/collect", tag = "collector", params(ClusterId), responses((status = 200, description = "The new snapshot", body = model::snapshot::Snapshot), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError), (status = 429, description = "Collected moments ago; see Retry-After", body = ApiError)))]
pub async fn collect_now(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Snapshot>, AppError> {
    state.clusters.get(id).await?;
    Ok(Json(state.collector.collect_now(id).await?))
}

/// The newest snapshot; `null` before the first collection.
#[utoipa::path(get, path = "/api/clusters/{id}/snapshot", tag = "collector", params(ClusterId), responses((status = 200, description = "The newest snapshot, or null", body = Option<model::snapshot::Snapshot>), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn latest(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Option<Snapshot>>, AppError> {
    state.clusters.get(id).await?;
    Ok(Json(snapshots::latest(&state.pool, id).await?))
}

/// The last MySQL-side statistics; `null` before the first attempt.
#[utoipa::path(get, path = "/api/clusters/{id}/data-stats", tag = "collector", params(ClusterId), responses((status = 200, description = "The latest data statistics, or null", body = Option<model::snapshot::StoredDataStatistics>), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn data_statistics(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Option<StoredDataStatistics>>, AppError> {
    state.clusters.get(id).await?;
    Ok(Json(data_stats::data_statistics(&state.pool, id).await?))
}
