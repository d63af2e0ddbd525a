//! What a server function needs from the request it serves.

use super::{AppError, AppState};
use crate::model::UserInfo;
use axum::Extension;
use leptos::prelude::{use_context, ServerFnError};
use tower_sessions::Session;

pub fn state() -> Result<AppState, ServerFnError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("application state missing from context").into())
}

/// The signed-in user the session guard attached to this request.
pub async fn user() -> Result<UserInfo, ServerFnError> {
    leptos_axum::extract::<Extension<UserInfo>>()
        .await
        .map(|Extension(u)| u)
        .map_err(|_| AppError::Unauthenticated.into())
}

pub async fn session() -> Result<Session, ServerFnError> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(|e| AppError::internal(format!("no session layer: {e}")).into())
}

/// The peer address, for sign-in throttling.
pub fn client_addr() -> String {
    use_context::<axum::http::request::Parts>()
        .map(|parts| super::auth::client_addr(&parts.extensions))
        .unwrap_or_else(|| "unknown".into())
}
