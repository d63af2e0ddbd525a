//! What every answer carries and every state change must show: security
//! headers on all responses, and a refusal of state-changing requests that a
//! page of another site made the browser send. `SameSite=Lax` cookies do not
//! cover that: another port on the same host (StarRocks' own web UI on :8030)
//! or a sibling subdomain is the same site.

use axum::extract::Request;
use axum::http::header::{HeaderName, HeaderValue, HOST, ORIGIN};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use registry::AppError;

const SEC_FETCH_SITE: &str = "sec-fetch-site";

/// Headers sent with every answer but the static files: no framing
/// (clickjacking), no content-type sniffing, and no full URLs (with their
/// ranges and ids) in the Referer sent to other sites.
const HEADERS: [(&str, &str); 4] = [
    ("x-frame-options", "DENY"),
    ("content-security-policy", "frame-ancestors 'none'"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
];

/// The static files (wasm, scripts, styles, images) get only `nosniff`:
/// framing and the referrer policy concern documents, and a page loads
/// dozens of wasm chunks, each of which would carry 150 bytes more.
const STATIC_HEADERS: [(&str, &str); 1] = [("x-content-type-options", "nosniff")];

fn is_static_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path.starts_with("/assets/")
}

/// Why a request that changes state is refused, if it is: a browser says
/// where a request comes from (`Sec-Fetch-Site`, else `Origin`); anything but
/// this console's own origin is refused. Requests without either header come
/// from programs (curl, scripts), not from a page in a browser, and pass.
pub fn cross_site_reason(method: &Method, headers: &HeaderMap) -> Option<String> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    if let Some(site) = headers.get(SEC_FETCH_SITE) {
        return match site.to_str() {
            Ok("same-origin") | Ok("none") => None,
            Ok(other) => Some(format!("Sec-Fetch-Site: {}", model::text::clip(other, 40))),
            Err(_) => Some("an unreadable Sec-Fetch-Site".into()),
        };
    }
    let origin = headers.get(ORIGIN)?;
    let origin = origin.to_str().unwrap_or("");
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    // "null" (a sandboxed frame, a file) is never this console.
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    match authority {
        Some(a) if !host.is_empty() && a.eq_ignore_ascii_case(host) => None,
        _ => Some(format!("Origin: {}", model::text::clip(origin, 100))),
    }
}

/// The middleware: refuses cross-site state changes with a 403 JSON error and
/// adds the security headers to every answer, refusals included.
pub async fn guard(req: Request, next: Next) -> Response {
    let static_file = is_static_file(req.uri().path());
    let mut response = match cross_site_reason(req.method(), req.headers()) {
        Some(why) => {
            tracing::warn!(method = %req.method(), path = %req.uri().path(), why = %why, "cross-site request refused");
            AppError::CrossSite(why).into_response()
        }
        None => next.run(req).await,
    };
    let headers = response.headers_mut();
    let set: &[(&str, &str)] = if static_file {
        &STATIC_HEADERS
    } else {
        &HEADERS
    };
    for &(name, value) in set {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn cross_site_requests_are_told_apart() {
        let post = Method::POST;
        let own = headers(&[("host", "console:3000"), ("origin", "http://console:3000")]);
        assert_eq!(cross_site_reason(&post, &own), None);
        // Another port of the same host is another origin (same site).
        let port = headers(&[("host", "console:3000"), ("origin", "http://console:8030")]);
        assert!(cross_site_reason(&post, &port).is_some());
        let null = headers(&[("host", "console:3000"), ("origin", "null")]);
        assert!(cross_site_reason(&post, &null).is_some());
        let fetch = headers(&[("host", "console:3000"), ("sec-fetch-site", "same-site")]);
        assert!(cross_site_reason(&post, &fetch).is_some());
        let typed = headers(&[("sec-fetch-site", "none")]);
        assert_eq!(cross_site_reason(&post, &typed), None);
        // Programs send neither header.
        assert_eq!(cross_site_reason(&post, &HeaderMap::new()), None);
        // Reading is never refused.
        assert_eq!(cross_site_reason(&Method::GET, &port), None);
    }
}
