//! Health thresholds over REST (issue 15): the global ones and a cluster's,
//! validated, recorded with who changed them. Alerts use them from the next
//! tick on.

use super::{ApiJson, ClusterId};
use app::AppState;
use axum::extract::State;
use axum::{Extension, Json};
use model::thresholds::{validate, ThresholdChange, Thresholds, ThresholdsUpdate};
use model::{ApiError, FieldErrors, UserInfo};
use registry::AppError;
use store::now_ms;

/// Changes of thresholds listed by the changes endpoint.
const MAX_CHANGES: i64 = 200;

fn checked(update: &ThresholdsUpdate) -> Result<(), AppError> {
    validate(update).map_err(|fields| AppError::Validation(FieldErrors(fields)))
}

#[utoipa::path(get, path = "/api/thresholds", tag = "thresholds", responses((status = 200, description = "The thresholds every cluster inherits: StarRocks' defaults unless changed", body = Thresholds), (status = 401, description = "No session", body = ApiError)))]
pub async fn global(State(state): State<AppState>) -> Result<Json<Thresholds>, AppError> {
    Ok(Json(store::thresholds::load(&state.pool, None).await?))
}

#[utoipa::path(put, path = "/api/thresholds", tag = "thresholds", request_body = ThresholdsUpdate, responses((status = 200, description = "Changed for every cluster that does not set its own; a rule with neither level goes back to the default", body = Thresholds), (status = 400, description = "Invalid thresholds (see fields: `disk.warning`, ...)", body = ApiError), (status = 401, description = "No session", body = ApiError)))]
pub async fn set_global(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    ApiJson(update): ApiJson<ThresholdsUpdate>,
) -> Result<Json<Thresholds>, AppError> {
    checked(&update)?;
    store::thresholds::save(&state.pool, None, &update, &user.username, now_ms()).await?;
    Ok(Json(store::thresholds::load(&state.pool, None).await?))
}

#[utoipa::path(get, path = "/api/clusters/{id}/thresholds", tag = "thresholds", params(ClusterId), responses((status = 200, description = "The cluster's thresholds in force, each with its default and where it comes from (default, global or cluster)", body = Thresholds), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn cluster(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Thresholds>, AppError> {
    state.clusters.get(id).await?;
    Ok(Json(store::thresholds::load(&state.pool, Some(id)).await?))
}

#[utoipa::path(put, path = "/api/clusters/{id}/thresholds", tag = "thresholds", params(ClusterId), request_body = ThresholdsUpdate, responses((status = 200, description = "Changed for this cluster; a rule with neither level goes back to what it inherits", body = Thresholds), (status = 400, description = "Invalid thresholds (see fields)", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn set_cluster(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    ClusterId { id }: ClusterId,
    ApiJson(update): ApiJson<ThresholdsUpdate>,
) -> Result<Json<Thresholds>, AppError> {
    state.clusters.get(id).await?;
    checked(&update)?;
    store::thresholds::save(&state.pool, Some(id), &update, &user.username, now_ms()).await?;
    Ok(Json(store::thresholds::load(&state.pool, Some(id)).await?))
}

#[utoipa::path(get, path = "/api/clusters/{id}/thresholds/changes", tag = "thresholds", params(ClusterId), responses((status = 200, description = "Who changed this cluster's (and the global) thresholds, and when, newest first", body = Vec<ThresholdChange>), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn changes(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Vec<ThresholdChange>>, AppError> {
    state.clusters.get(id).await?;
    Ok(Json(
        store::thresholds::changes(&state.pool, Some(id), MAX_CHANGES).await?,
    ))
}

#[utoipa::path(get, path = "/api/thresholds/changes", tag = "thresholds", responses((status = 200, description = "Who changed the global thresholds, and when, newest first", body = Vec<ThresholdChange>), (status = 401, description = "No session", body = ApiError)))]
pub async fn global_changes(
    State(state): State<AppState>,
) -> Result<Json<Vec<ThresholdChange>>, AppError> {
    Ok(Json(
        store::thresholds::changes(&state.pool, None, MAX_CHANGES).await?,
    ))
}
