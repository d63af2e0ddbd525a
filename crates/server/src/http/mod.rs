//! The JSON REST API, for scripts and tools. Handlers are thin: read the
//! input, call one service method, map the error.

mod auth;
mod clusters;
mod collector;
mod json;
pub mod openapi;
mod overview;

use app::AppState;
use axum::routing::{any, get, post};
use axum::Router;
use registry::AppError;

pub use json::ApiJson;

pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/auth/me", get(auth::me))
        .route("/api/auth/password", post(auth::change_password))
        .route("/api/clusters", get(clusters::list).post(clusters::create))
        .route("/api/clusters/test", post(clusters::test_draft))
        .route("/api/clusters/{id}/test", post(clusters::test_registered))
        .route(
            "/api/clusters/{id}",
            get(clusters::get)
                .put(clusters::update)
                .delete(clusters::delete),
        )
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/collector", get(collector::status))
        .route("/api/clusters/{id}/collect", post(collector::collect_now))
        .route("/api/clusters/{id}/snapshot", get(collector::latest))
        .route(
            "/api/clusters/{id}/data-stats",
            get(collector::data_statistics),
        )
        .route("/api/fleet", get(overview::fleet))
        .route("/api/clusters/{id}/overview", get(overview::overview))
        .route("/api/clusters/{id}/overview/health", get(overview::health))
        .route(
            "/api/clusters/{id}/overview/performance",
            get(overview::performance),
        )
        .route(
            "/api/clusters/{id}/overview/resources",
            get(overview::resources),
        )
        .route(
            "/api/clusters/{id}/overview/transactions",
            get(overview::transactions),
        )
        .route(
            "/api/clusters/{id}/overview/compaction",
            get(overview::compaction),
        )
        .route(
            "/api/clusters/{id}/overview/data-stats",
            get(overview::data_statistics),
        )
        .route(
            "/api/clusters/{id}/overview/capacity",
            get(overview::capacity),
        )
        .route("/api/clusters/{id}/alerts", get(overview::alerts))
        .route("/api/clusters/{id}/health", get(overview::live_health))
        .route(
            "/api/clusters/{id}/metrics/summary",
            get(overview::live_summary),
        )
        .route("/api/{*rest}", any(unknown_endpoint))
}

/// Unknown API paths answer JSON, not the HTML 404 page.
async fn unknown_endpoint() -> AppError {
    AppError::NotFound("There is no such API endpoint.".into())
}

/// Path ids are numbers; anything else is a 400 that says so.
fn parse_id(raw: &str) -> Result<i64, AppError> {
    raw.parse::<i64>()
        .map_err(|_| AppError::BadRequest(format!("\"{raw}\" is not a cluster id (a number).")))
}
