//! The one error type of the server, and how each kind reaches a client.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use model::{ApiError, ApiErrorKind, FieldErrors};
use std::time::Duration;

/// What went wrong. Its text ([`AppError::message`], also its `Display`) is
/// in the language of the request being served: the page's for server
/// functions, English for the REST API, the collector and the logs.
#[derive(Debug)]
pub enum AppError {
    /// 400: the input names the fields to fix; nothing was changed.
    Validation(FieldErrors),
    /// 400: the request itself cannot be read (bad JSON, bad id).
    BadRequest(String),
    /// 401: no session, or it expired; the client must sign in.
    Unauthenticated,
    /// 401: one message for an unknown user and a wrong password, so the
    /// answer does not reveal which accounts exist.
    InvalidCredentials,
    /// 403: the account still has its first password and must change it first.
    PasswordChangeRequired,
    /// 403: a state-changing request whose `Origin` or `Sec-Fetch-Site` says
    /// it came from another site: a page elsewhere made the browser send it.
    CrossSite(String),
    /// 404: the named thing does not exist.
    NotFound(String),
    /// 409: the change collides with what is stored (for example a duplicate name).
    Conflict(FieldErrors),
    /// 429: too many failed sign-ins; the client learns when to retry.
    Throttled(Duration),
    /// 429: a cluster was collected on demand moments ago; asking again so soon
    /// would only load StarRocks. The client learns when to retry.
    TooSoon(Duration),
    /// 502: the cluster refused or failed what was asked of it; the message
    /// is StarRocks' (or the network's) own words, for the operator to act on.
    StarRocks(String),
    /// 500: our fault. The detail is logged when the error is made (see
    /// `internal`) and never shown: the message is the only text that leaves
    /// the server, here and through server functions.
    Internal(String),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for AppError {}

impl AppError {
    /// Logs the detail once and keeps it out of every answer.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        let detail = e.to_string();
        tracing::error!(error = %detail, "internal error");
        Self::Internal(detail)
    }

    /// What a person can act on, in the language of the request being served.
    pub fn message(&self) -> String {
        match self {
            Self::Validation(fields) => {
                i18n::say!(forms.error.validation, fields = fields.summary())
            }
            Self::BadRequest(m) | Self::NotFound(m) | Self::StarRocks(m) => m.clone(),
            Self::Unauthenticated => i18n::say!(forms.error.unauthenticated),
            Self::InvalidCredentials => i18n::say!(forms.error.invalid_credentials),
            Self::PasswordChangeRequired => i18n::say!(forms.error.password_change_required),
            Self::CrossSite(origin) => i18n::say!(forms.error.cross_site, origin = origin),
            Self::Conflict(fields) => fields.summary(),
            Self::Throttled(wait) => i18n::say!(forms.error.throttled, n = wait.as_secs().max(1)),
            Self::TooSoon(wait) => i18n::say!(forms.error.too_soon, n = wait.as_secs().max(1)),
            Self::Internal(_) => i18n::say!(forms.error.internal),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::PasswordChangeRequired | Self::CrossSite(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Throttled(_) | Self::TooSoon(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::StarRocks(_) => StatusCode::BAD_GATEWAY,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable kind in the JSON body.
    pub fn kind(&self) -> ApiErrorKind {
        match self {
            Self::Validation(_) => ApiErrorKind::Validation,
            Self::BadRequest(_) => ApiErrorKind::BadRequest,
            Self::Unauthenticated => ApiErrorKind::Unauthenticated,
            Self::InvalidCredentials => ApiErrorKind::InvalidCredentials,
            Self::PasswordChangeRequired => ApiErrorKind::PasswordChangeRequired,
            Self::CrossSite(_) => ApiErrorKind::CrossSite,
            Self::NotFound(_) => ApiErrorKind::NotFound,
            Self::Conflict(_) => ApiErrorKind::Conflict,
            Self::Throttled(_) => ApiErrorKind::Throttled,
            Self::TooSoon(_) => ApiErrorKind::TooSoon,
            Self::StarRocks(_) => ApiErrorKind::StarRocks,
            Self::Internal(_) => ApiErrorKind::Internal,
        }
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            Self::Validation(f) | Self::Conflict(f) => Some(f),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        Self::internal(format!("database: {e}"))
    }
}

/// What leaves the server: kind, the message (never an internal detail) and
/// the field messages. Server functions answer it as it is.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError {
            kind: e.kind(),
            message: e.message(),
            fields: e.field_errors().cloned(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match &self {
            Self::Throttled(wait) | Self::TooSoon(wait) => Some(wait.as_secs().max(1)),
            _ => None,
        };
        let mut response = (status, axum::Json(ApiError::from(self))).into_response();
        if let Some(secs) = retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use i18n::Locale;

    fn sign_in_errors() -> Vec<String> {
        let fields = model::ClusterDraft::default()
            .validate()
            .expect_err("empty draft");
        vec![
            ApiError::from(AppError::Validation(fields)).message,
            ApiError::from(AppError::Throttled(Duration::from_secs(7))).message,
            ApiError::from(AppError::InvalidCredentials).message,
        ]
    }

    #[test]
    fn messages_are_english_outside_a_page_request() {
        assert_eq!(
            sign_in_errors(),
            [
                "Some fields need attention: fe_host: Required.; http_port: Required.; \
                 name: Required.; query_port: Required.; username: Required.",
                "Too many failed sign-ins. Try again in 7 seconds.",
                "Unknown user name or wrong password.",
            ]
        );
    }

    #[tokio::test]
    async fn messages_follow_the_language_of_the_request() {
        let said = i18n::scope(Locale::zh_CN, async { sign_in_errors() }).await;
        assert_eq!(
            said,
            [
                "部分字段需要修改：fe_host: 必填。; http_port: 必填。; \
                 name: 必填。; query_port: 必填。; username: 必填。",
                "登录失败次数过多，请 7 秒后重试。",
                "用户名或密码错误。",
            ]
        );
    }
}
