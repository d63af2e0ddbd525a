//! The JSON REST API, for scripts and tools. Handlers are thin: read the
//! input, call one service method, map the error.
//!
//! Each route is declared once, in [`declared`]: the router and the OpenAPI
//! document are both made from that list, so they cannot disagree.

mod alerting;
mod auth;
mod clusters;
mod collector;
mod extract;
mod json;
mod nodes;
pub mod openapi;
mod overview;
mod queries;
pub mod server_fns;
mod thresholds;

use app::AppState;
use axum::routing::any;
use axum::Router;
use registry::AppError;
use std::sync::OnceLock;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use extract::{ApiQuery, ClusterId, ItemId};
pub use json::ApiJson;

/// Every REST route with its handler and its OpenAPI description. Handlers of
/// the same path share one `routes!`.
fn declared() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(auth::change_password))
        .routes(routes!(clusters::list, clusters::create))
        .routes(routes!(clusters::test_draft))
        .routes(routes!(clusters::test_registered))
        .routes(routes!(clusters::get, clusters::update, clusters::delete))
        .routes(routes!(collector::status))
        .routes(routes!(collector::collect_now))
        .routes(routes!(collector::latest))
        .routes(routes!(collector::data_statistics))
        .routes(routes!(overview::fleet))
        .routes(routes!(overview::overview))
        .routes(routes!(overview::health))
        .routes(routes!(overview::performance))
        .routes(routes!(overview::resources))
        .routes(routes!(overview::transactions))
        .routes(routes!(overview::compaction))
        .routes(routes!(overview::operations))
        .routes(routes!(overview::data_statistics))
        .routes(routes!(overview::capacity))
        .routes(routes!(overview::alerts))
        .routes(routes!(nodes::node))
        .routes(routes!(thresholds::global, thresholds::set_global))
        .routes(routes!(thresholds::cluster, thresholds::set_cluster))
        .routes(routes!(thresholds::changes))
        .routes(routes!(thresholds::global_changes))
        .routes(routes!(queries::running))
        .routes(routes!(queries::kill))
        .routes(routes!(queries::activity))
        .routes(routes!(queries::slow))
        .routes(routes!(queries::top))
        .routes(routes!(alerting::overview))
        .routes(routes!(alerting::channels, alerting::create_channel))
        .routes(routes!(
            alerting::channel,
            alerting::update_channel,
            alerting::delete_channel
        ))
        .routes(routes!(alerting::enable_channel))
        .routes(routes!(alerting::test_channel))
        .routes(routes!(alerting::deliveries))
        .routes(routes!(alerting::channel_deliveries))
        .routes(routes!(alerting::silences, alerting::create_silence))
        .routes(routes!(alerting::end_silence))
        .routes(routes!(overview::live_health))
        .routes(routes!(overview::live_summary))
        .routes(routes!(openapi::document))
}

/// The REST API: every declared route, and a JSON 404 for any other `/api/` path.
pub fn api_router() -> Router<AppState> {
    let (router, _) = declared().split_for_parts();
    router.route("/api/{*rest}", any(unknown_endpoint))
}

/// The OpenAPI document of exactly the declared routes.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| declared().into_openapi())
}

/// Unknown API paths answer JSON, not the HTML 404 page.
async fn unknown_endpoint() -> AppError {
    AppError::NotFound("There is no such API endpoint.".into())
}
