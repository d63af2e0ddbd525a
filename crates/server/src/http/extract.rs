//! Extractors whose rejections are the project's JSON errors: a bad id, query
//! string or body is a 400 that says what is wrong, never axum's plain text.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use registry::AppError;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

/// How much of a bad value an error message repeats.
const ECHO_CHARS: usize = 40;

/// `s` cut to a few characters, for repeating what a client sent.
fn echo(s: &str) -> String {
    match s.char_indices().nth(ECHO_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// The `{id}` of a cluster's path.
#[derive(Debug, Clone, Copy, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ClusterId {
    /// The cluster's id, a number.
    pub id: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for ClusterId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("The path cannot be read: {e}")))?;
        raw.parse::<i64>().map(|id| ClusterId { id }).map_err(|_| {
            AppError::BadRequest(format!(
                "\"{}\" is not a cluster id (a number).",
                echo(&raw)
            ))
        })
    }
}

/// The `{id}` of a notification channel's or a silence's path.
#[derive(Debug, Clone, Copy, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ItemId {
    /// The channel's or the silence's id, a number.
    pub id: i64,
}

impl<S: Send + Sync> FromRequestParts<S> for ItemId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("The path cannot be read: {e}")))?;
        raw.parse::<i64>().map(|id| ItemId { id }).map_err(|_| {
            AppError::BadRequest(format!("\"{}\" is not an id (a number).", echo(&raw)))
        })
    }
}

/// Like `axum::extract::Query`, but a query string that does not decode (a
/// parameter twice, a wrong type) is a 400 JSON error.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| AppError::BadRequest(format!("The query string cannot be read: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_values_are_short() {
        assert_eq!(echo("abc"), "abc");
        let long = "x".repeat(500);
        assert_eq!(echo(&long).chars().count(), ECHO_CHARS + 1);
        assert_eq!(echo(&"é".repeat(50)), format!("{}…", "é".repeat(40)));
    }
}
