//! What a 3xx, 4xx or 5xx answer of StarRocks becomes: an error whose texts
//! are bounded, read from at most [`MAX_ERROR_BODY`] of the body.

use crate::error::{excerpt, StarRocksError};
use model::text::{clip, clip_error, MAX_ERROR_CHARS};
use reqwest::{header, StatusCode};

/// Of an error answer (401, 500, ...) only an excerpt or a `msg` is used:
/// reading stops here.
pub const MAX_ERROR_BODY: usize = 64 * 1024;
/// A redirect is named in its error by this much of its `Location`.
pub(super) const MAX_LOCATION_CHARS: usize = 200;

/// At most [`MAX_ERROR_BODY`] of an error answer; the rest is never read
/// (the connection is dropped). A body that breaks off is kept as far as it came.
pub(super) async fn error_body(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = MAX_ERROR_BODY - body.len();
        body.extend_from_slice(chunk.get(..room).unwrap_or(&chunk));
        if body.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    body
}

/// The error for a 4xx or 5xx answer.
pub(super) fn status_error(target: &str, status: StatusCode, body: &[u8]) -> StarRocksError {
    let message = starrocks_message(body);
    match status.as_u16() {
        401 | 403 => {
            StarRocksError::auth_failed(target, message.unwrap_or_else(|| format!("HTTP {status}")))
        }
        404 => StarRocksError::not_found(target),
        _ => StarRocksError::server(
            target,
            format!(
                "HTTP {}: {}",
                status.as_u16(),
                message.unwrap_or_else(|| excerpt(body))
            ),
        ),
    }
}

/// A 3xx answer: not followed, named with its (clipped) `Location`.
pub(super) fn redirect_error(
    target: &str,
    status: StatusCode,
    headers: &header::HeaderMap,
) -> StarRocksError {
    let location = headers.get(header::LOCATION).map_or_else(
        || "nowhere (no Location)".to_string(),
        |v| {
            let text = String::from_utf8_lossy(v.as_bytes());
            let printable: String = text
                .chars()
                .take(MAX_LOCATION_CHARS + 1)
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            clip(&printable, MAX_LOCATION_CHARS)
        },
    );
    StarRocksError::bad_payload(
        target,
        format!(
            "HTTP {} redirects to {location}; redirects are not followed",
            status.as_u16()
        ),
        b"",
    )
}

/// "8 MiB", or the bytes when not a whole number of MiB.
pub(super) fn size_text(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// StarRocks' own error text from a JSON body (`msg` or `message`), if any,
/// clipped to [`model::text::MAX_ERROR_CHARS`].
pub(super) fn starrocks_message(body: &[u8]) -> Option<String> {
    const KEYS: [&str; 2] = ["msg", "message"];
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        return KEYS
            .iter()
            .find_map(|k| v.get(*k).and_then(|m| m.as_str()).filter(|m| !m.is_empty()))
            .map(clip_error);
    }
    // JSON cut off at MAX_ERROR_BODY: its `msg` as far as it goes.
    if body.trim_ascii_start().starts_with(b"{") {
        return KEYS.iter().find_map(|k| cut_json_string(body, k));
    }
    // A short plain-text answer is StarRocks talking; an HTML page is not.
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    (!text.is_empty() && text.len() < 300 && !text.starts_with('<')).then(|| text.to_string())
}

/// The string value of `"key": "..."` in JSON text that may be cut off, read
/// up to its closing quote or the end of `body`, clipped; `None` if the key
/// is not there or the value is empty. Reads at most [`MAX_ERROR_CHARS`] + 1
/// characters of the value.
fn cut_json_string(body: &[u8], key: &str) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let pattern = format!("\"{key}\"");
    let after_key = &text[text.find(&pattern)? + pattern.len()..];
    let value = after_key
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = value.chars();
    for _ in 0..=MAX_ERROR_CHARS {
        let c = match chars.next() {
            None | Some('"') => break,
            Some('\\') => match chars.next() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some('r') => '\r',
                Some('b') => '\u{8}',
                Some('f') => '\u{c}',
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                Some(other) => other,
                None => break,
            },
            Some(c) => c,
        };
        out.push(c);
    }
    (!out.is_empty()).then(|| clip_error(&out))
}

/// "error sending request: client error (Connect): tcp connect error: Connection refused"
/// reads better as its innermost causes.
pub(super) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut source = e;
    while let Some(s) = source.source() {
        source = s;
    }
    clip_error(&source.to_string())
}
