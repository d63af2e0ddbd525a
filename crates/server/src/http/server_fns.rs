//! Server functions answer the status of their error, as the REST API does.
//! `server_fn` sends every `Err` as a 500, so a wrong password or a refused
//! "Collect now" would read as the console's own fault in the browser's
//! network panel, a proxy's log and `sro_http_requests`. The body is the
//! `ApiError` either way; only the status changes.

use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use model::{ApiError, ApiErrorKind};

/// Error bodies are a kind, a sentence and a few field messages; anything
/// longer is left as it was sent.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// The status a REST endpoint answers for the same kind of error
/// (`registry::AppError::status`).
pub fn status_of(kind: ApiErrorKind) -> StatusCode {
    match kind {
        ApiErrorKind::Validation | ApiErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ApiErrorKind::Unauthenticated | ApiErrorKind::InvalidCredentials => {
            StatusCode::UNAUTHORIZED
        }
        ApiErrorKind::PasswordChangeRequired | ApiErrorKind::CrossSite => StatusCode::FORBIDDEN,
        ApiErrorKind::NotFound => StatusCode::NOT_FOUND,
        ApiErrorKind::Conflict => StatusCode::CONFLICT,
        ApiErrorKind::Throttled | ApiErrorKind::TooSoon => StatusCode::TOO_MANY_REQUESTS,
        ApiErrorKind::StarRocks => StatusCode::BAD_GATEWAY,
        ApiErrorKind::Internal | ApiErrorKind::Unreachable => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The middleware: a server function's error answer gets its kind's status.
/// A plain form post (no wasm yet) is redirected back by leptos_axum and is
/// left alone: only a 500 marked as a server function error is touched.
pub async fn error_status(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with(crate::auth::SERVER_FN_PREFIX) {
        return next.run(req).await;
    }
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(error = %e, "unreadable server function error body");
            return Response::from_parts(parts, Body::empty());
        }
    };
    if let Ok(error) = serde_json::from_slice::<ApiError>(&bytes) {
        parts.status = status_of(error.kind);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use registry::AppError;
    use std::time::Duration;

    #[test]
    fn each_kind_answers_what_the_rest_api_answers() {
        let errors = [
            AppError::Validation(model::FieldErrors::single("name", "Required.")),
            AppError::BadRequest("x".into()),
            AppError::Unauthenticated,
            AppError::InvalidCredentials,
            AppError::PasswordChangeRequired,
            AppError::CrossSite("x".into()),
            AppError::NotFound("x".into()),
            AppError::Conflict(model::FieldErrors::single("name", "Taken.")),
            AppError::Throttled(Duration::from_secs(1)),
            AppError::TooSoon(Duration::from_secs(1)),
            AppError::Internal("x".into()),
        ];
        for e in errors {
            assert_eq!(status_of(e.kind()), e.status(), "{:?}", e.kind());
        }
    }
}
