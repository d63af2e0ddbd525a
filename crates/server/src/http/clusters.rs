use super::{ApiJson, ClusterId};
use app::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use model::cluster::{DEFAULT_HTTP_PORT, DEFAULT_QUERY_PORT};
use model::fe_address::FeAddress;
use model::starrocks::ConnectionReport;
use model::{ApiError, Cluster, ClusterDraft, FieldErrors};
use registry::AppError;
use serde::Deserialize;
use serde_json::Value;

/// The cluster as scripts send it. Ports may be numbers or strings and tags an
/// array or a comma-separated string; a wrong type is reported on its field.
/// The read-only fields of a GET are accepted and ignored so that a fetched
/// object can be edited and sent back.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterBody {
    /// Unique, case-insensitive.
    #[serde(default)]
    name: Option<String>,
    /// Host name or IP, without scheme, port or path.
    #[serde(default)]
    fe_host: Option<String>,
    /// FE HTTP port, default 8030 (number or string).
    #[serde(default)]
    #[schema(value_type = Option<u16>)]
    http_port: Option<Value>,
    /// MySQL protocol port, default 9030 (number or string).
    #[serde(default)]
    #[schema(value_type = Option<u16>)]
    query_port: Option<Value>,
    #[serde(default)]
    username: Option<String>,
    /// Absent or null: unchanged on update, empty on create. Never returned.
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    use_https: Option<bool>,
    #[serde(default)]
    description: Option<String>,
    /// An array, or a comma-separated string.
    #[serde(default)]
    #[schema(value_type = Option<Vec<String>>)]
    tags: Option<Value>,
    /// More FE addresses to fail over to, in order: an array of
    /// `{"host", "http_port", "query_port"}` objects (ports optional, the
    /// first address's by default) or of `"host[:http_port[:query_port]]"`
    /// strings. Absent or null: none (an update sends the whole cluster).
    #[serde(default)]
    #[schema(value_type = Option<Vec<FeAddress>>)]
    extra_fes: Option<Value>,
    #[serde(default, rename = "id")]
    #[schema(ignore)]
    _id: Option<Value>,
    #[serde(default, rename = "has_password")]
    #[schema(ignore)]
    _has_password: Option<Value>,
    #[serde(default, rename = "created_at")]
    #[schema(ignore)]
    _created_at: Option<Value>,
    #[serde(default, rename = "updated_at")]
    #[schema(ignore)]
    _updated_at: Option<Value>,
}

impl ClusterBody {
    fn into_draft(self) -> Result<ClusterDraft, AppError> {
        let mut errors = FieldErrors::default();
        let http_port = port_text(&mut errors, "http_port", self.http_port, DEFAULT_HTTP_PORT);
        let query_port = port_text(
            &mut errors,
            "query_port",
            self.query_port,
            DEFAULT_QUERY_PORT,
        );
        let tags = match self.tags {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s,
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) if !s.contains(',') => out.push(s),
                        _ => errors.add("tags", "Tags are strings without commas."),
                    }
                }
                out.join(",")
            }
            Some(_) => {
                errors.add("tags", "Send tags as an array of strings.");
                String::new()
            }
        };
        let extra_fes = extra_fes_lines(&mut errors, self.extra_fes);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(ClusterDraft {
            name: self.name.unwrap_or_default(),
            fe_host: self.fe_host.unwrap_or_default(),
            http_port,
            query_port,
            username: self.username.unwrap_or_default(),
            password: self.password,
            use_https: self.use_https.unwrap_or(false),
            extra_fes,
            description: self.description.unwrap_or_default(),
            tags,
        })
    }
}

/// The JSON list of more FE addresses as the form's lines, which the model
/// validates (and names the wrong line of).
fn extra_fes_lines(errors: &mut FieldErrors, value: Option<Value>) -> String {
    let items = match value {
        None | Some(Value::Null) => return String::new(),
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.add("extra_fes", "Send the FE addresses as an array.");
            return String::new();
        }
    };
    let mut lines = Vec::new();
    for item in items {
        match item {
            Value::String(s) if !s.contains('\n') => lines.push(s),
            Value::Object(o) => {
                let text = |k: &str| match o.get(k) {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                };
                let Some(host) = text("host") else {
                    errors.add("extra_fes", "Each FE address needs a host.");
                    continue;
                };
                let host = model::cluster::host_for_url(&host);
                lines.push(match (text("http_port"), text("query_port")) {
                    (Some(h), Some(q)) => format!("{host}:{h}:{q}"),
                    (Some(h), None) => format!("{host}:{h}"),
                    (None, Some(q)) => format!("{host}::{q}"),
                    (None, None) => host,
                });
            }
            _ => errors.add(
                "extra_fes",
                "Each FE address is an object {host, http_port, query_port} or a \"host:http_port:query_port\" string.",
            ),
        }
    }
    lines.join("\n")
}

fn port_text(errors: &mut FieldErrors, field: &str, value: Option<Value>, default: u16) -> String {
    match value {
        None | Some(Value::Null) => default.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s,
        Some(_) => {
            errors.add(field, "A port is a number from 1 to 65535.");
            String::new()
        }
    }
}

#[utoipa::path(get, path = "/api/clusters", tag = "clusters", responses((status = 200, description = "Every registered cluster", body = Vec<model::Cluster>), (status = 401, description = "No session", body = ApiError)))]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<Cluster>>, AppError> {
    Ok(Json(state.clusters.list().await?))
}

#[utoipa::path(post, path = "/api/clusters", tag = "clusters", request_body = ClusterBody, responses((status = 201, description = "Registered", body = model::Cluster), (status = 400, description = "Invalid fields (see fields)", body = ApiError), (status = 409, description = "Duplicate name", body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ClusterBody>,
) -> Result<(StatusCode, Json<Cluster>), AppError> {
    let cluster = state.clusters.create(&body.into_draft()?).await?;
    Ok((StatusCode::CREATED, Json(cluster)))
}

#[utoipa::path(get, path = "/api/clusters/{id}", tag = "clusters", params(ClusterId), responses((status = 200, description = "The cluster", body = model::Cluster), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<Cluster>, AppError> {
    Ok(Json(state.clusters.get(id).await?))
}

#[utoipa::path(put, path = "/api/clusters/{id}", tag = "clusters", params(ClusterId), request_body = ClusterBody, responses((status = 200, description = "Updated; omit password to keep it", body = model::Cluster), (status = 400, description = "Invalid fields", body = ApiError), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError), (status = 409, description = "Duplicate name", body = ApiError)))]
pub async fn update(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
    ApiJson(body): ApiJson<ClusterBody>,
) -> Result<Json<Cluster>, AppError> {
    Ok(Json(state.clusters.update(id, &body.into_draft()?).await?))
}

#[utoipa::path(delete, path = "/api/clusters/{id}", tag = "clusters", params(ClusterId), responses((status = 204, description = "Deleted with its history"), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn delete(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<StatusCode, AppError> {
    state.clusters.delete(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tries the connection described by the body; nothing is stored.
#[utoipa::path(post, path = "/api/clusters/test", tag = "clusters", request_body = ClusterBody, responses((status = 200, description = "What the connection test found; nothing is stored", body = model::starrocks::ConnectionReport), (status = 400, description = "Invalid fields", body = ApiError)))]
pub async fn test_draft(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ClusterBody>,
) -> Result<Json<ConnectionReport>, AppError> {
    let endpoint = state
        .clusters
        .draft_endpoint(&body.into_draft()?, None)
        .await?;
    Ok(Json(state.clusters.test_connection(&endpoint).await))
}

/// Tries the connection of a registered cluster with its stored credentials.
#[utoipa::path(post, path = "/api/clusters/{id}/test", tag = "clusters", params(ClusterId), responses((status = 200, description = "Connection test with the stored credentials", body = model::starrocks::ConnectionReport), (status = 401, description = "No session", body = ApiError), (status = 404, description = "No such cluster", body = ApiError)))]
pub async fn test_registered(
    State(state): State<AppState>,
    ClusterId { id }: ClusterId,
) -> Result<Json<ConnectionReport>, AppError> {
    let endpoint = state.clusters.endpoint(id).await?;
    Ok(Json(state.clusters.test_connection(&endpoint).await))
}
