//! The one error type of the server, and how each kind reaches a client.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use model::{ApiError, ApiErrorKind, FieldErrors};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the input names the fields to fix; nothing was changed.
    #[error("Some fields need attention: {}", .0.summary())]
    Validation(FieldErrors),
    /// 400: the request itself cannot be read (bad JSON, bad id).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no session, or it expired; the client must sign in.
    #[error("Sign in to continue.")]
    Unauthenticated,
    /// 401: one message for an unknown user and a wrong password, so the
    /// answer does not reveal which accounts exist.
    #[error("Unknown user name or wrong password.")]
    InvalidCredentials,
    /// 403: the account still has its first password and must change it first.
    #[error("Choose a new password before continuing.")]
    PasswordChangeRequired,
    /// 403: a state-changing request whose `Origin` or `Sec-Fetch-Site` says
    /// it came from another site: a page elsewhere made the browser send it.
    #[error(
        "This request came from another site ({0}) and was refused; use the console's own pages."
    )]
    CrossSite(String),
    /// 404: the named thing does not exist.
    #[error("{0}")]
    NotFound(String),
    /// 409: the change collides with what is stored (for example a duplicate name).
    #[error("{}", .0.summary())]
    Conflict(FieldErrors),
    /// 429: too many failed sign-ins; the client learns when to retry.
    #[error("Too many failed sign-ins. Try again in {} seconds.", .0.as_secs().max(1))]
    Throttled(Duration),
    /// 429: a cluster was collected on demand moments ago; asking again so soon
    /// would only load StarRocks. The client learns when to retry.
    #[error("This cluster was collected moments ago. Try again in {} seconds.", .0.as_secs().max(1))]
    TooSoon(Duration),
    /// 500: our fault. The detail is logged when the error is made (see
    /// `internal`) and never shown: `Display` is the only text that leaves the
    /// server, here and through server functions.
    #[error("Something went wrong on the server; the details are in its log.")]
    Internal(String),
}

impl AppError {
    /// Logs the detail once and keeps it out of every answer.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        let detail = e.to_string();
        tracing::error!(error = %detail, "internal error");
        Self::Internal(detail)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation(_) | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::PasswordChangeRequired | Self::CrossSite(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Throttled(_) | Self::TooSoon(_) => StatusCode::TOO_MANY_REQUESTS,
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

/// What leaves the server: kind, the `Display` text (never an internal
/// detail) and the field messages. Server functions answer it as it is.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError {
            kind: e.kind(),
            message: e.to_string(),
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
