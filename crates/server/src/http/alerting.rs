//! Alert delivery over REST (issue 17): notification channels (their
//! secrets never leave the server), "send test", silences, the delivery log
//! and the fleet's alerts.

use super::{ApiJson, ApiQuery, ItemId};
use app::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use model::alerting::{
    AlertsOverview, Channel, ChannelInput, Delivery, Silence, SilenceInput, TestResult,
};
use model::{ApiError, UserInfo};
use registry::AppError;
use serde::Deserialize;
use utoipa::IntoParams;

#[utoipa::path(get, path = "/api/alerts", tag = "alerting", responses((status = 200, description = "The Alerts page at once: the fleet's open alerts (with the silence that holds each), those resolved in the last 24 h, channels, silences and the newest 100 deliveries", body = AlertsOverview), (status = 401, description = "No session", body = ApiError)))]
pub async fn overview(State(state): State<AppState>) -> Result<Json<AlertsOverview>, AppError> {
    Ok(Json(state.notify.overview().await?))
}

#[utoipa::path(get, path = "/api/channels", tag = "alerting", responses((status = 200, description = "Every notification channel, without its URL token, signing secret or SMTP password; `failing` when its last attempts failed", body = Vec<Channel>), (status = 401, description = "No session", body = ApiError)))]
pub async fn channels(State(state): State<AppState>) -> Result<Json<Vec<Channel>>, AppError> {
    Ok(Json(state.notify.channels().await?))
}

#[utoipa::path(post, path = "/api/channels", tag = "alerting", request_body = ChannelInput, responses((status = 201, description = "Created", body = Channel), (status = 400, description = "Invalid fields (see `fields`: `url`, `kind`, `smtp_host`, ...)", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 409, description = "Another channel has this name", body = ApiError)))]
pub async fn create_channel(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    ApiJson(input): ApiJson<ChannelInput>,
) -> Result<(StatusCode, Json<Channel>), AppError> {
    let c = state.notify.create(&input, &user.username).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

#[utoipa::path(get, path = "/api/channels/{id}", tag = "alerting", params(ItemId), responses((status = 200, description = "The channel, without its secrets", body = Channel), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such channel", body = ApiError)))]
pub async fn channel(
    State(state): State<AppState>,
    ItemId { id }: ItemId,
) -> Result<Json<Channel>, AppError> {
    Ok(Json(state.notify.channel(id).await?))
}

#[utoipa::path(put, path = "/api/channels/{id}", tag = "alerting", params(ItemId), request_body = ChannelInput, responses((status = 200, description = "Changed; an empty `url`, `secret`, `headers` or `smtp_password` keeps the stored one", body = Channel), (status = 400, description = "Invalid fields", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such channel", body = ApiError), (status = 409, description = "Another channel has this name", body = ApiError)))]
pub async fn update_channel(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    ItemId { id }: ItemId,
    ApiJson(input): ApiJson<ChannelInput>,
) -> Result<Json<Channel>, AppError> {
    Ok(Json(state.notify.update(id, &input, &user.username).await?))
}

#[utoipa::path(delete, path = "/api/channels/{id}", tag = "alerting", params(ItemId), responses((status = 204, description = "Deleted, with its pending messages and its delivery log"), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such channel", body = ApiError)))]
pub async fn delete_channel(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    ItemId { id }: ItemId,
) -> Result<StatusCode, AppError> {
    state.notify.delete(id, &user.username).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Switches a channel on or off.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Enabled {
    pub enabled: bool,
}

#[utoipa::path(put, path = "/api/channels/{id}/enabled", tag = "alerting", params(ItemId), request_body = Enabled, responses((status = 200, description = "Switched; a disabled channel is sent nothing (what waited for it is dropped)", body = Channel), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such channel", body = ApiError)))]
pub async fn enable_channel(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    ItemId { id }: ItemId,
    ApiJson(body): ApiJson<Enabled>,
) -> Result<Json<Channel>, AppError> {
    Ok(Json(
        state
            .notify
            .set_enabled(id, body.enabled, &user.username)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/channels/{id}/test", tag = "alerting", params(ItemId), responses((status = 200, description = "A sample message was sent now; `ok`, the receiver's status and answer (also in the delivery log)", body = TestResult), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such channel", body = ApiError)))]
pub async fn test_channel(
    State(state): State<AppState>,
    ItemId { id }: ItemId,
) -> Result<Json<TestResult>, AppError> {
    Ok(Json(state.notify.test(id).await?))
}

/// How many deliveries to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Limit {
    /// 1 to 1000; 100 when absent.
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/deliveries", tag = "alerting", params(Limit), responses((status = 200, description = "The newest attempts of every channel: time, message id, attempt, HTTP status or SMTP reply, the answer or error (at most 500 characters)", body = Vec<Delivery>), (status = 401, description = "No session", body = ApiError)))]
pub async fn deliveries(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<Limit>,
) -> Result<Json<Vec<Delivery>>, AppError> {
    Ok(Json(
        state
            .notify
            .deliveries(None, q.limit.unwrap_or(100))
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/channels/{id}/deliveries", tag = "alerting", params(ItemId, Limit), responses((status = 200, description = "The channel's newest attempts", body = Vec<Delivery>), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such channel", body = ApiError)))]
pub async fn channel_deliveries(
    State(state): State<AppState>,
    ItemId { id }: ItemId,
    ApiQuery(q): ApiQuery<Limit>,
) -> Result<Json<Vec<Delivery>>, AppError> {
    Ok(Json(
        state
            .notify
            .deliveries(Some(id), q.limit.unwrap_or(100))
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/silences", tag = "alerting", responses((status = 200, description = "Silences in force and those that ended in the last 24 h", body = Vec<Silence>), (status = 401, description = "No session", body = ApiError)))]
pub async fn silences(State(state): State<AppState>) -> Result<Json<Vec<Silence>>, AppError> {
    Ok(Json(state.notify.silences().await?))
}

#[utoipa::path(post, path = "/api/silences", tag = "alerting", request_body = SilenceInput, responses((status = 201, description = "In force from now: notifications for the cluster, the rule, or the rule on the cluster are held until `ends_at` (the alerts still open and resolve)", body = Silence), (status = 400, description = "Invalid fields (`cluster_id`, `rule`, `ends_at`, `comment`)", body = ApiError), (status = 401, description = "No session", body = ApiError)))]
pub async fn create_silence(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    ApiJson(input): ApiJson<SilenceInput>,
) -> Result<(StatusCode, Json<Silence>), AppError> {
    let s = state.notify.silence(&input, &user.username).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

#[utoipa::path(post, path = "/api/silences/{id}/end", tag = "alerting", params(ItemId), responses((status = 200, description = "Ended now (an ended one is left as it is); held alerts still firing are notified again", body = Silence), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such silence", body = ApiError)))]
pub async fn end_silence(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    ItemId { id }: ItemId,
) -> Result<Json<Silence>, AppError> {
    Ok(Json(state.notify.end_silence(id, &user.username).await?))
}
