//! Failures talking to StarRocks, sorted into kinds an operator can act on.
//!
//! Their texts come from the cluster (a 401 `msg`, a MySQL error, a body), so
//! every one is clipped to [`MAX_ERROR_CHARS`] where the error is built: build
//! errors with the functions below, never with the variants' fields, and no
//! longer text ever leaves this crate.

use model::starrocks::{ErrorKind, ProblemReport};
use model::text::{clip_error, MAX_ERROR_CHARS};
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

    /// The kind and the whole message, itself clipped: each part is.
    pub fn report(&self) -> ProblemReport {
        ProblemReport {
            kind: self.kind(),
            message: self.text(),
        }
    }

    /// [`ToString::to_string`] clipped to [`MAX_ERROR_CHARS`], for texts that
    /// are stored or shown (a statistic's "unavailable" reason).
    pub fn text(&self) -> String {
        bounded(self.to_string())
    }

    pub fn unreachable(target: &str, detail: impl Into<String>) -> Self {
        Self::Unreachable {
            target: clip_error(target),
            detail: bounded(detail.into()),
        }
    }

    pub fn timeout(target: &str, after: Duration) -> Self {
        Self::Timeout {
            target: clip_error(target),
            after,
        }
    }

    pub fn auth_failed(target: &str, message: impl Into<String>) -> Self {
        Self::AuthFailed {
            target: clip_error(target),
            message: bounded(message.into()),
        }
    }

    pub fn not_found(target: &str) -> Self {
        Self::NotFound {
            target: clip_error(target),
        }
    }

    pub fn bad_payload(target: &str, message: impl Into<String>, body: &[u8]) -> Self {
        Self::BadPayload {
            target: clip_error(target),
            message: bounded(message.into()),
            excerpt: excerpt(body),
        }
    }

    pub fn not_ready(target: &str, message: impl Into<String>) -> Self {
        Self::NotReady {
            target: clip_error(target),
            message: bounded(message.into()),
        }
    }

    pub fn server(target: &str, message: impl Into<String>) -> Self {
        Self::Server {
            target: clip_error(target),
            message: bounded(message.into()),
        }
    }
}

/// `s` clipped to [`MAX_ERROR_CHARS`], without a copy when it is short.
fn bounded(s: String) -> String {
    if s.len() <= MAX_ERROR_CHARS {
        s
    } else {
        clip_error(&s)
    }
}

/// The first 120 characters of a body, printable, for error messages. Reads
/// only the head of the body, however long it is.
pub fn excerpt(body: &[u8]) -> String {
    const CHARS: usize = 120;
    // A character is at most four bytes: this head holds the first CHARS + 1.
    let head = body.get(..(CHARS + 1) * 4).unwrap_or(body);
    let text = String::from_utf8_lossy(head);
    let mut chars = text.chars();
    let mut out: String = chars
        .by_ref()
        .take(CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if chars.next().is_some() {
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

    fn assert_bounded(text: &str) {
        let most = MAX_ERROR_CHARS + model::text::CUT_MARK.chars().count();
        assert!(
            text.chars().count() <= most,
            "{} chars",
            text.chars().count()
        );
    }

    #[test]
    fn unbounded_error_texts_every_constructor_clips_every_text() {
        let huge = "é".repeat(3 * 1024 * 1024);
        let errors = [
            StarRocksError::unreachable(&huge, huge.clone()),
            StarRocksError::timeout(&huge, Duration::from_secs(1)),
            StarRocksError::auth_failed(&huge, huge.as_str()),
            StarRocksError::not_found(&huge),
            StarRocksError::bad_payload(&huge, huge.clone(), huge.as_bytes()),
            StarRocksError::not_ready(&huge, huge.clone()),
            StarRocksError::server(&huge, huge.clone()),
        ];
        for e in &errors {
            let texts: Vec<&String> = match e {
                StarRocksError::Unreachable { target, detail } => vec![target, detail],
                StarRocksError::Timeout { target, .. } | StarRocksError::NotFound { target } => {
                    vec![target]
                }
                StarRocksError::AuthFailed { target, message }
                | StarRocksError::NotReady { target, message }
                | StarRocksError::Server { target, message } => vec![target, message],
                StarRocksError::BadPayload {
                    target,
                    message,
                    excerpt,
                } => vec![target, message, excerpt],
            };
            for t in texts {
                assert_bounded(t);
                assert!(t.starts_with("éé"), "cut on a character boundary");
            }
            assert_bounded(&e.report().message);
            assert_bounded(&e.text());
        }
        // Short texts stay as they are.
        let e = StarRocksError::server("fe:8030", "Table not found");
        assert_eq!(
            e.to_string(),
            "fe:8030 answered with an error: Table not found"
        );
    }
}
