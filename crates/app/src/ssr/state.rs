//! What every handler and server function can reach: the services, built once
//! at start-up by the server.

use axum::extract::FromRef;
use collector::Collector;
use leptos::config::LeptosOptions;
use model::api::ApiOperation;
use overview::OverviewService;
use registry::clusters::ClusterService;
use registry::sessions::TrustedProxies;
use registry::users::UserService;
use sqlx::SqlitePool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub users: UserService,
    pub clusters: ClusterService,
    pub collector: Collector,
    pub overview: OverviewService,
    /// Running queries, kills and the audit table's history (issue 16).
    pub queries: overview::queries::QueryService,
    /// Notification channels, silences and the delivery log (issue 17).
    pub notify: notify::NotifyService,
    /// The REST API's operations, from its OpenAPI document (the API page).
    pub api_operations: Arc<Vec<ApiOperation>>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`).
    pub trusted_proxies: Arc<TrustedProxies>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
