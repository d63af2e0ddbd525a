//! Sessions: who may reach what, signing in and out.
//!
//! One middleware guards the whole router, so a route added later is private
//! unless it is listed in `is_public`. Pages answer a signed-out visitor with a
//! redirect to `/login?next=...`; APIs and server functions answer 401 JSON.

use super::{AppError, AppState};
use crate::model::navigation::{login_url_for, safe_next};
use crate::model::UserInfo;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Extensions, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use tower_sessions::Session;

const USER_ID_KEY: &str = "user_id";
/// The user's session epoch when this session signed in; sessions from before
/// this key existed count as epoch 0, the column's default.
const EPOCH_KEY: &str = "session_epoch";

/// Server functions have fixed paths under this prefix (see `app::api`).
pub const SERVER_FN_PREFIX: &str = "/sfn";
pub const LOGIN_PAGE: &str = "/login";
pub const LOGIN_FN: &str = "/sfn/login";
pub const LOGIN_API: &str = "/api/auth/login";
pub const PASSWORD_PAGE: &str = "/account/password";

/// Reachable without a session: the login page and the two ways to log in,
/// the static files the login page needs, and the liveness probe.
pub fn is_public(path: &str) -> bool {
    matches!(
        path,
        LOGIN_PAGE | LOGIN_FN | LOGIN_API | "/healthz" | "/favicon.ico"
    ) || path.starts_with("/pkg/")
        || path.starts_with("/assets/")
}

/// Reachable while the account must still change its first password.
fn allowed_before_password_change(path: &str) -> bool {
    matches!(
        path,
        PASSWORD_PAGE
            | "/sfn/change_password"
            | "/sfn/logout"
            | "/sfn/whoami"
            | "/api/auth/password"
            | "/api/auth/logout"
            | "/api/auth/me"
    )
}

fn is_machine_path(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with(&format!("{SERVER_FN_PREFIX}/"))
}

fn store_error(e: tower_sessions::session::Error) -> AppError {
    AppError::internal(format!("session store: {e}"))
}

/// The signed-in user, if the session names one that still exists and has not
/// changed their password since this session signed in (else it is ended).
pub async fn session_user(
    state: &AppState,
    session: &Session,
) -> Result<Option<UserInfo>, AppError> {
    let Some(id) = session.get::<i64>(USER_ID_KEY).await.map_err(store_error)? else {
        return Ok(None);
    };
    let signed_in_epoch = session
        .get::<i64>(EPOCH_KEY)
        .await
        .map_err(store_error)?
        .unwrap_or(0);
    match state.users.get_with_epoch(id).await? {
        Some((user, epoch)) if epoch == signed_in_epoch => Ok(Some(user)),
        Some((user, _)) => {
            tracing::info!(user = %user.username, "a session from before a password change ended");
            sign_out(session).await?;
            Ok(None)
        }
        None => Ok(None),
    }
}

pub async fn require_session(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| path.clone());
    let user = match session_user(&state, &session).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let is_page_view =
        matches!(*req.method(), Method::GET | Method::HEAD) && !is_machine_path(&path);

    if path == LOGIN_PAGE {
        if let Some(u) = &user {
            // Already signed in: go where the link meant to go.
            let next = query_param(req.uri().query(), "next");
            return Redirect::to(&landing_for(u, &safe_next(next.as_deref()))).into_response();
        }
    }
    if is_public(&path) {
        return next.run(req).await;
    }
    let Some(user) = user else {
        return if is_page_view {
            Redirect::to(&login_url_for(&path_and_query)).into_response()
        } else {
            AppError::Unauthenticated.into_response()
        };
    };
    if user.must_change_password && !allowed_before_password_change(&path) {
        return if is_page_view {
            Redirect::to(&landing_for(&user, &path_and_query)).into_response()
        } else {
            AppError::PasswordChangeRequired.into_response()
        };
    }
    req.extensions_mut().insert(user);
    next.run(req).await
}

/// Where a signed-in user goes for `next`: the password page first when required.
pub fn landing_for(user: &UserInfo, next: &str) -> String {
    if user.must_change_password {
        format!(
            "{PASSWORD_PAGE}?next={}",
            crate::model::navigation::encode_component(next)
        )
    } else {
        next.to_string()
    }
}

/// Starts a fresh session for `user` (a new id, so a planted one is useless),
/// under the user's current session epoch.
pub async fn sign_in(state: &AppState, session: &Session, user: &UserInfo) -> Result<(), AppError> {
    let epoch = state
        .users
        .get_with_epoch(user.id)
        .await?
        .map_or(0, |(_, epoch)| epoch);
    session.cycle_id().await.map_err(store_error)?;
    session
        .insert(USER_ID_KEY, user.id)
        .await
        .map_err(store_error)?;
    session.insert(EPOCH_KEY, epoch).await.map_err(store_error)
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(store_error)
}

/// The peer address, for throttling. Tests that call the router directly have none.
pub fn client_addr(extensions: &Extensions) -> String {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}
