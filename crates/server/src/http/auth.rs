use super::ApiJson;
use app::AppState;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::{Extension, Json};
use model::{ApiError, UserInfo};
use registry::sessions::{client_addr_behind, sign_in, sign_out};
use registry::AppError;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LoginBody {
    username: String,
    password: String,
}

#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginBody, responses((status = 200, description = "Signed in; sets the session cookie", body = model::UserInfo), (status = 401, description = "Unknown user or wrong password", body = ApiError), (status = 429, description = "Too many failures; see Retry-After", body = ApiError)))]
pub async fn login(
    State(state): State<AppState>,
    session: Session,
    extensions: Extensions,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Json<UserInfo>, AppError> {
    let user = state
        .users
        .login(
            &body.username,
            &body.password,
            &client_addr_behind(&extensions, &headers, &state.trusted_proxies),
        )
        .await?;
    sign_in(&state.users, &session, &user).await?;
    Ok(Json(user))
}

#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 204, description = "Signed out")))]
pub async fn logout(session: Session) -> Result<StatusCode, AppError> {
    sign_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/auth/me", tag = "auth", responses((status = 200, description = "The signed-in user", body = model::UserInfo), (status = 401, description = "No session", body = ApiError)))]
pub async fn me(Extension(user): Extension<UserInfo>) -> Json<UserInfo> {
    Json(user)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordBody {
    current_password: String,
    new_password: String,
}

#[utoipa::path(post, path = "/api/auth/password", tag = "auth", request_body = PasswordBody, responses((status = 200, description = "Changed; the session id changes and the account's other sessions are signed out", body = model::UserInfo), (status = 400, description = "Wrong current password or a weak new one", body = ApiError)))]
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
    // A new session id after a credential change; the other sessions end.
    sign_in(&state.users, &session, &updated).await?;
    Ok(Json(updated))
}
