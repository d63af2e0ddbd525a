//! What every handler and server function can reach.

use super::clusters::ClusterService;
use super::collector::Collector;
use super::overview::OverviewService;
use super::users::UserService;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::SqlitePool;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: SqlitePool,
    pub users: UserService,
    pub clusters: ClusterService,
    pub collector: Collector,
    pub overview: OverviewService,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
