//! Sessions of the console: signing in and out, and who a session belongs to.
//! The guard that decides which paths need a session is the server's
//! (`starrocks_overview::auth`); this is what it and the server functions share.

use crate::users::UserService;
use crate::AppError;
use axum::extract::ConnectInfo;
use axum::http::Extensions;
use model::UserInfo;
use std::net::SocketAddr;
use tower_sessions::Session;

const USER_ID_KEY: &str = "user_id";
/// The user's session epoch when this session signed in; sessions from before
/// this key existed count as epoch 0, the column's default.
const EPOCH_KEY: &str = "session_epoch";

fn store_error(e: tower_sessions::session::Error) -> AppError {
    AppError::internal(format!("session store: {e}"))
}

/// The signed-in user, if the session names one that still exists and has not
/// changed their password since this session signed in (else it is ended).
pub async fn session_user(
    users: &UserService,
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
    match users.get_with_epoch(id).await? {
        Some((user, epoch)) if epoch == signed_in_epoch => Ok(Some(user)),
        Some((user, _)) => {
            tracing::info!(user = %user.username, "a session from before a password change ended");
            sign_out(session).await?;
            Ok(None)
        }
        None => Ok(None),
    }
}

/// Starts a fresh session for `user` (a new id, so a planted one is useless),
/// under the user's current session epoch.
pub async fn sign_in(
    users: &UserService,
    session: &Session,
    user: &UserInfo,
) -> Result<(), AppError> {
    let epoch = users
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
