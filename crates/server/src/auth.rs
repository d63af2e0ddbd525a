//! The session guard: who may reach what. One middleware guards the whole
//! router, so a route added later is private unless it is listed in
//! `is_public`. Pages answer a signed-out visitor with a redirect to
//! `/login?next=...`; APIs and server functions answer 401 JSON.

use app::AppState;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use model::navigation::{landing_for, login_url_for, safe_next, PASSWORD_PAGE};
use registry::sessions::session_user;
use registry::AppError;
use tower_sessions::Session;

/// Server functions have fixed paths under this prefix (see `app::api`).
pub const SERVER_FN_PREFIX: &str = "/sfn";
pub const LOGIN_PAGE: &str = "/login";
pub const LOGIN_FN: &str = "/sfn/login";
pub const LOGIN_API: &str = "/api/auth/login";

/// Reachable without a session: the login page and the two ways to log in,
/// and the static files the login page needs. (The probes, and `/metrics`
/// when public, are beside the guard, not behind it: see `startup::router`.)
pub fn is_public(path: &str) -> bool {
    matches!(path, LOGIN_PAGE | LOGIN_FN | LOGIN_API | "/favicon.ico")
        || path.starts_with("/pkg/")
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

/// Paths that programs call: a missing session is a 401, not a redirect to
/// the sign-in page (a scraper cannot follow it anyway).
fn is_machine_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with(&format!("{SERVER_FN_PREFIX}/"))
        || path == "/metrics"
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
    let user = match session_user(&state.users, &session).await {
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

fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}
