//! The bodies and answers of the hostile faults: the metrics bomb, the huge
//! error, the redirect and the drip. The FE and BE HTTP ports share them.
//!
//! The two large bodies are built once per size and kept (the last size asked
//! for), so a request costs a reference count, not a copy of tens of megabytes.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::sync::Mutex;
use std::time::Duration;

/// One body per kind, for the size it was built for.
type Cache = Mutex<Option<(usize, Bytes)>>;

static BOMB: Cache = Mutex::new(None);
static HUGE_ERROR: Cache = Mutex::new(None);

/// The cached body of `size`, built by `build` if the cache holds another size.
fn cached(cache: &Cache, size: usize, build: fn(usize) -> Vec<u8>) -> Bytes {
    // Building under the lock makes concurrent first requests wait for one build.
    let mut g = cache.lock().unwrap_or_else(|e| e.into_inner());
    match &*g {
        Some((n, b)) if *n == size => b.clone(),
        _ => {
            let b = Bytes::from(build(size));
            *g = Some((size, b.clone()));
            b
        }
    }
}

/// One family of the bomb; every one has the same length, the digits differ.
const BOMB_PAIR: &[u8] = b"# TYPE bomb_00000000 gauge\nbomb_00000000{l=\"v\"} 1\n";
const DIGITS: usize = 8;
/// Where the digits of the name start in the `# TYPE` line and in the sample line.
const NAME_AT: [usize; 2] = [12, 32];

fn build_bomb(bytes: usize) -> Vec<u8> {
    let pairs = (bytes / BOMB_PAIR.len()).max(1);
    let mut out = Vec::with_capacity(pairs * BOMB_PAIR.len());
    for i in 1..=pairs {
        let start = out.len();
        out.extend_from_slice(BOMB_PAIR);
        let mut n = i;
        for d in (0..DIGITS).rev() {
            let digit = b'0' + (n % 10) as u8;
            for at in NAME_AT {
                out[start + at + d] = digit;
            }
            n /= 10;
        }
    }
    out
}

/// Prometheus text of distinct gauges (`bomb_00000001` ...), each with one
/// sample: about `bytes` bytes (never more, at least one family).
pub(crate) fn metrics_bomb(bytes: usize) -> Bytes {
    cached(&BOMB, bytes, build_bomb)
}

const DENIED: &str = "Access denied for root@127.0.0.1";

fn build_huge_error(bytes: usize) -> Vec<u8> {
    let head = b"{\"status\":\"FAILED\",\"code\":\"1\",\"msg\":\"";
    let tail = format!("\",\"message\":\"{DENIED}\"}}");
    let filler = format!("{DENIED}. ");
    let mut out = Vec::with_capacity(head.len() + bytes + tail.len());
    out.extend_from_slice(head);
    out.extend(filler.bytes().cycle().take(bytes));
    out.extend_from_slice(tail.as_bytes());
    out
}

/// StarRocks' 401 (a FAILED JSON body with `WWW-Authenticate`) whose `msg` is
/// `bytes` bytes of text; `message` stays short.
pub(crate) fn huge_error(bytes: usize) -> Response {
    let body = cached(&HUGE_ERROR, bytes, build_huge_error);
    (
        StatusCode::UNAUTHORIZED,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"\""),
            ),
        ],
        Body::from(body),
    )
        .into_response()
}

/// `302 Found` to `to` with an empty body (to the default target if `to` cannot
/// be a header).
pub(crate) fn redirect(to: &str) -> Response {
    let location = HeaderValue::from_str(to)
        .unwrap_or_else(|_| HeaderValue::from_static(crate::control::DEFAULT_REDIRECT));
    (
        StatusCode::FOUND,
        [(header::LOCATION, location)],
        Body::empty(),
    )
        .into_response()
}

/// The same answer with its body sent one byte per `every` (the first one too).
/// The stream ends when the client goes away, as the server drops the body.
pub(crate) async fn drip(resp: Response, every: Duration) -> Response {
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    let stream = futures_util::stream::unfold((bytes, 0usize), move |(b, i)| async move {
        if i >= b.len() {
            return None;
        }
        tokio::time::sleep(every).await;
        Some((Ok::<_, Infallible>(b.slice(i..i + 1)), (b, i + 1)))
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use std::collections::HashSet;
    use std::time::Instant;

    #[test]
    fn the_bomb_is_distinct_gauges_up_to_its_size() {
        let body = metrics_bomb(100_000);
        assert!(body.len() <= 100_000 && body.len() > 100_000 - BOMB_PAIR.len());
        let text = std::str::from_utf8(&body).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len() % 2, 0);
        let mut names = HashSet::new();
        for pair in lines.chunks(2) {
            let name = pair[0]
                .strip_prefix("# TYPE ")
                .and_then(|l| l.strip_suffix(" gauge"))
                .unwrap();
            assert_eq!(pair[1], format!("{name}{{l=\"v\"}} 1"));
            assert!(names.insert(name.to_string()), "{name} twice");
        }
        assert_eq!(names.len(), 100_000 / BOMB_PAIR.len());
        assert!(names.contains("bomb_00000001") && names.contains("bomb_00002000"));
        assert_eq!(metrics_bomb(1), metrics_bomb(10));
        assert_eq!(metrics_bomb(1).len(), BOMB_PAIR.len());
    }

    #[test]
    fn the_default_bomb_is_built_once() {
        // Other tests ask the shared cache for other sizes: this one has its own.
        static OWN: Cache = Mutex::new(None);
        let a = cached(&OWN, 32 << 20, build_bomb);
        let b = cached(&OWN, 32 << 20, build_bomb);
        assert!(a.len() > (32 << 20) - 100 && a.len() <= 32 << 20);
        // The same allocation, not a copy.
        assert_eq!(a.as_ptr(), b.as_ptr());
        assert!(a.ends_with(b"bomb_00671088{l=\"v\"} 1\n"));
    }

    #[tokio::test]
    async fn the_huge_error_is_a_starrocks_401() {
        let r = huge_error(1 << 20);
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
        assert_eq!(r.headers()[header::WWW_AUTHENTICATE], "Basic realm=\"\"");
        let body = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["status"], "FAILED");
        assert_eq!(v["message"], DENIED);
        let msg = v["msg"].as_str().unwrap();
        assert_eq!(msg.len(), 1 << 20);
        assert!(msg.starts_with(DENIED));
    }

    #[tokio::test]
    async fn redirect_has_a_location_and_no_body() {
        let r = redirect("http://elsewhere.example/x");
        assert_eq!(r.status(), StatusCode::FOUND);
        assert_eq!(r.headers()[header::LOCATION], "http://elsewhere.example/x");
        let body = axum::body::to_bytes(r.into_body(), 10).await.unwrap();
        assert!(body.is_empty());
        let r = redirect("bad\nheader");
        assert_eq!(
            r.headers()[header::LOCATION],
            "http://127.0.0.1:9/elsewhere"
        );
    }

    #[tokio::test]
    async fn drip_sends_one_byte_at_a_time() {
        let every = Duration::from_millis(20);
        let resp = (StatusCode::OK, "abcdef").into_response();
        let t = Instant::now();
        let resp = drip(resp, every).await;
        assert!(t.elapsed() < every, "the headers come at once");
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(resp.headers().get(header::CONTENT_LENGTH).is_none());
        let mut stream = resp.into_body().into_data_stream();
        let mut got = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.unwrap();
            assert_eq!(chunk.len(), 1);
            got.extend_from_slice(&chunk);
        }
        assert_eq!(got, b"abcdef");
        assert!(t.elapsed() >= every * 6, "{:?}", t.elapsed());
    }
}
