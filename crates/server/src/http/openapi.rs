//! The frame of the OpenAPI document (`GET /api/openapi.json`): title and
//! tags. Its paths and schemas come from the routes themselves
//! ([`super::declared`]); the API page lists its operations.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "starrocks-overview",
        description = "REST API of the StarRocks operations console. Every endpoint but \
/api/auth/login needs the session cookie `sro_session` from a sign-in. Errors are \
`{\"error\": \"<kind>\", \"message\": \"...\"}`, with `fields` (one message per field) for \
`validation` and `conflict`."
    ),
    tags(
        (name = "auth", description = "Sign-in and the own account"),
        (name = "clusters", description = "The cluster registry"),
        (name = "collector", description = "The background collector"),
        (name = "overview", description = "History and health, from SQLite"),
        (name = "live", description = "Asks the cluster now"),
        (name = "thresholds", description = "Health thresholds, global and per cluster"),
        (name = "queries", description = "Running queries (asks every FE now), stopping one, the activity log, and the audit table's history"),
        (name = "alerting", description = "Alert delivery: notification channels, silences, the delivery log, the fleet's alerts"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// This OpenAPI document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta", responses((status = 200, description = "OpenAPI 3.1 document")))]
pub async fn document() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(super::document())
}

/// The operations of this document, flattened for the API page.
pub fn operations() -> Vec<model::api::ApiOperation> {
    use model::api::ApiOperation;
    use utoipa::openapi::path::HttpMethod;
    let doc = super::document();
    let mut out = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        let ops = [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Delete, &item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let method = match method {
                HttpMethod::Get => "GET",
                HttpMethod::Post => "POST",
                HttpMethod::Put => "PUT",
                _ => "DELETE",
            };
            out.push(ApiOperation {
                method: method.into(),
                path: path.clone(),
                tag: op
                    .tags
                    .as_ref()
                    .and_then(|t| t.first().cloned())
                    .unwrap_or_default(),
                summary: op
                    .summary
                    .clone()
                    .or_else(|| op.description.clone())
                    .unwrap_or_default(),
                params: op
                    .parameters
                    .iter()
                    .flatten()
                    .map(|p| p.name.clone())
                    .collect(),
                responses: op
                    .responses
                    .responses
                    .iter()
                    .map(|(status, r)| match r {
                        utoipa::openapi::RefOr::T(r) => format!("{status}: {}", r.description),
                        utoipa::openapi::RefOr::Ref(_) => status.clone(),
                    })
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| (&a.tag, &a.path, &a.method).cmp(&(&b.tag, &b.path, &b.method)));
    out
}
