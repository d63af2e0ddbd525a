//! One node's history over REST: what the node page shows, for any range.

use super::overview::RangeQuery;
use super::ApiQuery;
use app::AppState;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::Json;
use model::node::NodeView;
use model::ApiError;
use registry::AppError;
use store::now_ms;

/// The `{id}` and `{node}` of a node's path.
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct NodePath {
    /// The cluster's id, a number.
    pub id: i64,
    /// The node's key: `be-<BackendId>`, `cn-<ComputeNodeId>` or `fe-<name>`,
    /// as the overview's node lists link it.
    pub node: String,
}

impl<S: Send + Sync> FromRequestParts<S> for NodePath {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path((id, node)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("The path cannot be read: {e}")))?;
        let id = id
            .parse::<i64>()
            .map_err(|_| AppError::BadRequest("The cluster id is not a number.".into()))?;
        Ok(NodePath { id, node })
    }
}

#[utoipa::path(get, path = "/api/clusters/{id}/nodes/{node}", tag = "overview", params(NodePath, RangeQuery), responses((status = 200, description = "One node as last listed, and its CPU, memory (an FE's JVM heap), disk and (a BE's) compaction score over the range; null values are gaps", body = model::node::NodeView), (status = 400, description = "Bad range; the message lists the accepted forms", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster, or no such node in it (neither listed nor with history)", body = ApiError)))]
pub async fn node(
    State(state): State<AppState>,
    NodePath { id, node }: NodePath,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> Result<Json<NodeView>, AppError> {
    let now = now_ms();
    let window = q.window(now)?;
    Ok(Json(state.overview.node(id, &node, &window, now).await?))
}
