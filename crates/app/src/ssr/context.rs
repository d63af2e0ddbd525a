//! What a server function needs from the request it serves.

use super::AppState;
use axum::Extension;
use leptos::prelude::use_context;
use model::{ApiError, UserInfo};
use registry::AppError;
use tower_sessions::Session;

pub fn state() -> Result<AppState, ApiError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("application state missing from context").into())
}

/// The signed-in user the session guard attached to this request.
pub async fn user() -> Result<UserInfo, ApiError> {
    leptos_axum::extract::<Extension<UserInfo>>()
        .await
        .map(|Extension(u)| u)
        .map_err(|_| AppError::Unauthenticated.into())
}

pub async fn session() -> Result<Session, ApiError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal(format!("no session layer: {e}")).into())
}

/// The client's address, for sign-in throttling: the peer, or what a trusted
/// proxy says in `X-Forwarded-For`.
pub fn client_addr(state: &AppState) -> String {
    use_context::<axum::http::request::Parts>()
        .map(|parts| {
            registry::sessions::client_addr_behind(
                &parts.extensions,
                &parts.headers,
                &state.trusted_proxies,
            )
        })
        .unwrap_or_else(|| "unknown".into())
}
