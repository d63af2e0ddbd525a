//! The collector's REST face: its status, "collect now", and what it stored last.

use super::{parse_id, AppError, AppState};
use crate::model::snapshot::{CollectorStatus, Snapshot, StoredDataStatistics};
use crate::server::collector::store;
use axum::extract::{Path, State};
use axum::Json;

pub async fn status(State(state): State<AppState>) -> Json<CollectorStatus> {
    Json(state.collector.status())
}

/// Collects the cluster now and answers its new snapshot; 429 when asked again too soon.
pub async fn collect_now(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Snapshot>, AppError> {
    let id = parse_id(&id)?;
    state.clusters.get(id).await?;
    Ok(Json(state.collector.collect_now(id).await?))
}

/// The newest snapshot; `null` before the first collection.
pub async fn latest(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Option<Snapshot>>, AppError> {
    let id = parse_id(&id)?;
    state.clusters.get(id).await?;
    Ok(Json(store::latest(&state.pool, id).await?))
}

/// The last MySQL-side statistics; `null` before the first attempt.
pub async fn data_statistics(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Option<StoredDataStatistics>>, AppError> {
    let id = parse_id(&id)?;
    state.clusters.get(id).await?;
    Ok(Json(store::data_statistics(&state.pool, id).await?))
}
