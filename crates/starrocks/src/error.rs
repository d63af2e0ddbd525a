//! Failures talking to StarRocks, sorted into kinds an operator can act on.

use model::starrocks::{ErrorKind, ProblemReport};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StarRocksError {
    #[error("cannot reach {target}: {detail}")]
    Unreachable { target: String, detail: String },
    #[error("{target} did not answer within {} s", .after.as_secs_f64())]
    Timeout { target: String, after: Duration },
    #[error("{target} refused the credentials: {message}")]
    AuthFailed { target: String, message: String },
    #[error("{target} has no such endpoint (HTTP 404)")]
    NotFound { target: String },
    #[error("unexpected answer from {target}: {message}; it began with: {excerpt}")]
    BadPayload {
        target: String,
        message: String,
        excerpt: String,
    },
    #[error("the FE at {target} is not ready yet: {message}")]
    NotReady { target: String, message: String },
    #[error("{target} answered with an error: {message}")]
    Server { target: String, message: String },
}

impl StarRocksError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Unreachable { .. } => ErrorKind::Unreachable,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::AuthFailed { .. } => ErrorKind::AuthFailed,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::BadPayload { .. } => ErrorKind::BadPayload,
            Self::NotReady { .. } => ErrorKind::NotReady,
            Self::Server { .. } => ErrorKind::ServerError,
        }
    }

    pub fn report(&self) -> ProblemReport {
        ProblemReport {
            kind: self.kind(),
            message: self.to_string(),
        }
    }

    pub fn bad_payload(target: &str, message: impl Into<String>, body: &[u8]) -> Self {
        Self::BadPayload {
            target: target.to_string(),
            message: message.into(),
            excerpt: excerpt(body),
        }
    }
}

/// The first 120 characters of a body, printable, for error messages.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .take(120)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > 120 {
        out.push('…');
    }
    if out.trim().is_empty() {
        "(empty)".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_short_printable_and_safe_on_any_bytes() {
        assert_eq!(excerpt(b""), "(empty)");
        assert_eq!(excerpt(b"<html>\n<body>"), "<html> <body>");
        let long = "é".repeat(500);
        let e = excerpt(long.as_bytes());
        assert_eq!(e.chars().count(), 121);
        assert!(e.ends_with('…'));
        assert!(!excerpt(&[0xff, 0xfe, 0x00, 0x41]).is_empty());
    }

    #[test]
    fn messages_name_the_target() {
        let e = StarRocksError::Timeout {
            target: "fe1:8030".into(),
            after: Duration::from_secs(5),
        };
        assert_eq!(e.to_string(), "fe1:8030 did not answer within 5 s");
        assert_eq!(e.kind(), ErrorKind::Timeout);
    }
}
