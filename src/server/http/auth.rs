use super::{ApiJson, AppError, AppState};
use crate::model::UserInfo;
use crate::server::auth::{client_addr, sign_in, sign_out};
use axum::extract::State;
use axum::http::{Extensions, StatusCode};
use axum::{Extension, Json};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct LoginBody {
    username: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    session: Session,
    extensions: Extensions,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Json<UserInfo>, AppError> {
    let user = state
        .users
        .login(&body.username, &body.password, &client_addr(&extensions))
        .await?;
    sign_in(&session, &user).await?;
    Ok(Json(user))
}

pub async fn logout(session: Session) -> Result<StatusCode, AppError> {
    sign_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(Extension(user): Extension<UserInfo>) -> Json<UserInfo> {
    Json(user)
}

#[derive(Deserialize)]
pub struct PasswordBody {
    current_password: String,
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(user): Extension<UserInfo>,
    session: Session,
    ApiJson(body): ApiJson<PasswordBody>,
) -> Result<Json<UserInfo>, AppError> {
    let updated = state
        .users
        .change_password(user.id, &body.current_password, &body.new_password, None)
        .await?;
    // A new session id after a credential change.
    sign_in(&session, &updated).await?;
    Ok(Json(updated))
}
