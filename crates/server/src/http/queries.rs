//! Query insights over REST (issue 16): the queries running now, stopping
//! one, the activity log, and the audit table's slow statements and top lists.

use super::{ApiJson, ApiQuery, ClusterId};
use app::AppState;
use axum::extract::{Path, State};
use axum::{Extension, Json};
use model::overview::{parse_window, Window};
use model::queries::{ActivityEntry, KillRequest, RunningQueries, SlowQueries, TopBy, TopQueries};
use model::{ApiError, UserInfo};
use registry::AppError;
use serde::Deserialize;
use store::now_ms;

/// `?range=24h` (or `from`/`to`), `min_ms` for the slow list, `by` for the top lists.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// 1h, 6h, 24h (default), 3d, 7d, 30d or 90d.
    range: Option<String>,
    /// Epoch ms or now-6h; with `to`, instead of `range`.
    from: Option<String>,
    /// Epoch ms or now (default now).
    to: Option<String>,
    /// Slow statements: at least this many milliseconds (default 5000).
    min_ms: Option<String>,
    /// Top lists: statement (default), user, client, table or error.
    by: Option<String>,
}

impl HistoryQuery {
    fn window(&self) -> Result<Window, AppError> {
        parse_window(
            self.range.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
            now_ms(),
        )
        .map_err(AppError::BadRequest)
    }

    fn min_ms(&self) -> Result<i64, AppError> {
        match self.min_ms.as_deref().map(str::trim) {
            None | Some("") => Ok(model::queries::DEFAULT_MIN_MS),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|v| (0..=86_400_000).contains(v))
                .ok_or_else(|| {
                    AppError::BadRequest(
                        "min_ms must be a number of milliseconds from 0 to 86400000.".into(),
                    )
                }),
        }
    }

    fn by(&self) -> Result<TopBy, AppError> {
        match self.by.as_deref() {
            None | Some("") => Ok(TopBy::Statement),
            Some(v) => TopBy::parse(v).ok_or_else(|| {
                AppError::BadRequest(
                    "by must be one of statement, user, client, table, error.".into(),
                )
            }),
        }
    }
}

#[utoipa::path(get, path = "/api/clusters/{id}/queries/running", tag = "queries", params(ClusterId), responses((status = 200, description = "Every alive FE's running queries, longest first, and how each FE answered", body = RunningQueries), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError), (status = 502, description = "No FE listed its queries; StarRocks' words (a login without the privilege, say)", body = ApiError)))]
pub async fn running(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<RunningQueries>, AppError> {
    Ok(Json(state.queries.running(id).await?))
}

/// The path of a kill: the cluster and the connection, both numbers.
fn kill_path(id: &str, connection: &str) -> Result<(i64, i64), AppError> {
    let id = id
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("The cluster id must be a number.".into()))?;
    let connection = connection
        .parse::<i64>()
        .ok()
        .filter(|c| *c >= 0)
        .ok_or_else(|| AppError::BadRequest("The connection id must be a number.".into()))?;
    Ok((id, connection))
}

#[utoipa::path(post, path = "/api/clusters/{id}/queries/{connection_id}/kill", tag = "queries", params(("id" = i64, Path, description = "The cluster's id"), ("connection_id" = i64, Path, description = "The query's ConnectionId on its FE")), request_body = KillRequest, responses((status = 200, description = "Stopped (`KILL QUERY` on the FE that holds the connection); the activity log's entry", body = ActivityEntry), (status = 400, description = "Not a number, or an FE the cluster does not list", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError), (status = 502, description = "StarRocks refused (unknown connection, no privilege): its words; recorded too", body = ApiError)))]
pub async fn kill(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    Path((id, connection)): Path<(String, String)>,
    ApiJson(req): ApiJson<KillRequest>,
) -> Result<Json<ActivityEntry>, AppError> {
    let (id, connection) = kill_path(&id, &connection)?;
    Ok(Json(
        state
            .queries
            .kill(id, connection, &req, &user.username)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/clusters/{id}/activity", tag = "queries", params(ClusterId), responses((status = 200, description = "What the console did to this cluster, newest first (at most 200)", body = Vec<ActivityEntry>), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn activity(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Vec<ActivityEntry>>, AppError> {
    Ok(Json(state.queries.activity(id).await?))
}

#[utoipa::path(get, path = "/api/clusters/{id}/queries/slow", tag = "queries", params(ClusterId, HistoryQuery), responses((status = 200, description = "Statements of the audit table at or above min_ms in the range, newest first (at most 200); `source.present` false when the cluster has no audit table", body = SlowQueries), (status = 400, description = "Bad range or min_ms", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError), (status = 502, description = "StarRocks did not answer or refused", body = ApiError)))]
pub async fn slow(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> Result<Json<SlowQueries>, AppError> {
    let (window, min_ms) = (q.window()?, q.min_ms()?);
    Ok(Json(state.queries.slow(id, &window, min_ms).await?))
}

#[utoipa::path(get, path = "/api/clusters/{id}/queries/top", tag = "queries", params(ClusterId, HistoryQuery), responses((status = 200, description = "A top list of the range by statement (digest, or normalised text), user, client address, table or error code; `approximate` when read from statement text", body = TopQueries), (status = 400, description = "Bad range or by", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError), (status = 502, description = "StarRocks did not answer or refused", body = ApiError)))]
pub async fn top(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> Result<Json<TopQueries>, AppError> {
    let (window, by) = (q.window()?, q.by()?);
    Ok(Json(state.queries.top(id, &window, by).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_parameters_are_refused_in_words() {
        let q = HistoryQuery {
            min_ms: Some("-1".into()),
            by: Some("hosts".into()),
            ..HistoryQuery::default()
        };
        assert!(matches!(q.min_ms(), Err(AppError::BadRequest(_))));
        assert!(matches!(q.by(), Err(AppError::BadRequest(_))));
        assert_eq!(HistoryQuery::default().min_ms().ok(), Some(5000));
        assert!(matches!(kill_path("1", "x"), Err(AppError::BadRequest(_))));
        assert_eq!(kill_path("3", "42").ok(), Some((3, 42)));
    }
}
