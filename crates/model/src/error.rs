//! The one error that crosses the wire. REST answers carry it as their JSON
//! body and server functions return it, so a page matches on its `kind`
//! instead of reading message texts.

use crate::FieldErrors;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// What went wrong, in a word a program can match on. The JSON names are
/// part of the REST API and do not change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorKind {
    /// Fields to fix; `fields` names them. Nothing was changed.
    Validation,
    /// The request itself cannot be read.
    BadRequest,
    /// No session, or it expired.
    Unauthenticated,
    /// Unknown user or wrong password (one answer for both).
    InvalidCredentials,
    /// The account must choose a new password first.
    PasswordChangeRequired,
    /// A state-changing request that did not come from this console's own
    /// pages (another origin or site).
    CrossSite,
    NotFound,
    /// Collides with what is stored; `fields` names the field.
    Conflict,
    /// Too many failed sign-ins.
    Throttled,
    /// Asked again too soon after the last time.
    TooSoon,
    /// The cluster refused or failed the request; the message is its own words.
    StarRocks,
    /// The server's fault; the details are in its log only.
    Internal,
    /// The browser could not reach the server or read its answer (server
    /// functions only; never sent by the server).
    Unreachable,
}

impl ApiErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::BadRequest => "bad_request",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::PasswordChangeRequired => "password_change_required",
            Self::CrossSite => "cross_site",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::Throttled => "throttled",
            Self::TooSoon => "too_soon",
            Self::StarRocks => "star_rocks",
            Self::Internal => "internal",
            Self::Unreachable => "unreachable",
        }
    }
}

/// `{"error": "<kind>", "message": "...", "fields": {...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiError {
    #[serde(rename = "error")]
    pub kind: ApiErrorKind,
    /// What a person can act on.
    pub message: String,
    /// One message per field, for `validation` and `conflict`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldErrors>,
}

impl ApiError {
    pub fn new(kind: ApiErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            fields: None,
        }
    }

    /// The messages of the fields to fix; empty for any other kind.
    pub fn field_errors(&self) -> FieldErrors {
        self.fields.clone().unwrap_or_default()
    }

    /// Whether the answer is about fields of a form rather than the request.
    pub fn is_about_fields(&self) -> bool {
        matches!(self.kind, ApiErrorKind::Validation | ApiErrorKind::Conflict)
            && self.fields.as_ref().is_some_and(|f| !f.is_empty())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(e: ServerFnErrorErr) -> Self {
        use ServerFnErrorErr as E;
        let (kind, message) = match e {
            E::Request(m) => (
                ApiErrorKind::Unreachable,
                format!("Cannot reach the server: {m}"),
            ),
            E::Deserialization(m) | E::Response(m) => (
                ApiErrorKind::Unreachable,
                format!("The server's answer could not be read: {m}"),
            ),
            E::Args(m) | E::MissingArg(m) | E::Serialization(m) => (
                ApiErrorKind::BadRequest,
                format!("The request could not be read: {m}"),
            ),
            E::ServerError(m) | E::MiddlewareError(m) | E::Registration(m) => {
                (ApiErrorKind::Internal, m)
            }
            E::UnsupportedRequestMethod(m) => (ApiErrorKind::BadRequest, m),
        };
        Self::new(kind, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_body_keeps_the_rest_api_shape() {
        let mut e = ApiError::new(ApiErrorKind::Validation, "Some fields need attention");
        e.fields = Some(FieldErrors::single("name", "Give the cluster a name."));
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(
            json,
            serde_json::json!({
                "error": "validation",
                "message": "Some fields need attention",
                "fields": {"name": "Give the cluster a name."}
            })
        );
        let back: ApiError = serde_json::from_value(json).expect("back");
        assert_eq!(back, e);
        let plain = serde_json::to_value(ApiError::new(ApiErrorKind::NotFound, "x")).expect("json");
        assert!(plain.get("fields").is_none(), "{plain}");
    }

    #[test]
    fn transport_failures_are_unreachable_not_server_faults() {
        let e = ApiError::from_server_fn_error(ServerFnErrorErr::Request("offline".into()));
        assert_eq!(e.kind, ApiErrorKind::Unreachable);
        assert!(e.message.contains("offline"));
        // A server function's answer decodes back to the same error.
        let sent = ApiError::new(ApiErrorKind::TooSoon, "Try again in 3 seconds.");
        assert_eq!(ApiError::de(sent.ser()), sent);
    }

    #[test]
    fn kinds_are_named_as_in_the_json() {
        for k in [
            ApiErrorKind::Validation,
            ApiErrorKind::PasswordChangeRequired,
            ApiErrorKind::TooSoon,
        ] {
            assert_eq!(
                serde_json::to_value(k).expect("json"),
                serde_json::json!(k.as_str())
            );
        }
    }
}
