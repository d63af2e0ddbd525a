//! What a browser (or a proxy) may keep. Pages and API answers carry the
//! session's data: `no-store`. The static files (wasm, its split chunks, JS,
//! CSS, ECharts) keep their names from build to build, so a long `max-age`
//! would run a new page against yesterday's wasm: they are `no-cache` with an
//! `ETag` of their content, and a browser that has the file gets a 304
//! without a body.
//!
//! cargo-leptos can put a hash in the names (`hash-files`), but not in the
//! names of the `--split` chunks (`chunk_N.wasm`), and the server then needs
//! a `hash.txt` beside its executable; validators work for every file.

use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_RANGES, CACHE_CONTROL, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tower_http::services::ServeDir;

/// Pages, API answers, redirects and errors: never kept.
pub const NO_STORE: &str = "no-store";
/// Static files: kept, but asked about (a 304 when unchanged) before each use.
pub const REVALIDATE: &str = "no-cache";

/// The outermost policy: whatever did not say otherwise is `no-store`.
pub async fn no_store_by_default(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    response
        .headers_mut()
        .entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(NO_STORE));
    response
}

/// The files of `dir`, with their `.br`/`.gz` beside them sent as they are to
/// browsers that accept them (`make site` writes them; without them the
/// compression layer compresses on the fly), and revalidated by content.
pub fn static_files(dir: &Path) -> Router {
    let serve = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let tags = Arc::new(ContentTags::new(dir));
    Router::new()
        .fallback_service(serve)
        .layer(from_fn_with_state(tags, revalidate))
}

/// The ETag of each file, from its content, computed on the first request
/// for it and again only when its size or modification time changes (a
/// rebuild while the server runs).
struct ContentTags {
    dir: PathBuf,
    known: Mutex<HashMap<PathBuf, Known>>,
}

struct Known {
    modified: Option<SystemTime>,
    len: u64,
    tag: HeaderValue,
}

impl ContentTags {
    fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            known: Mutex::new(HashMap::new()),
        }
    }

    /// The file a request path names inside the directory; `None` for
    /// anything that could leave it or that needs decoding (ServeDir answers
    /// those itself, without a validator).
    fn file(&self, uri_path: &str) -> Option<PathBuf> {
        let relative = Path::new(uri_path.trim_start_matches('/'));
        if uri_path.contains('%')
            || relative
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return None;
        }
        Some(self.dir.join(relative))
    }

    async fn tag(&self, uri_path: &str) -> Option<HeaderValue> {
        let path = self.file(uri_path)?;
        let meta = tokio::fs::metadata(&path).await.ok()?;
        if !meta.is_file() {
            return None;
        }
        let (modified, len) = (meta.modified().ok(), meta.len());
        if let Some(k) = self.lock().get(&path) {
            if k.modified == modified && k.len == len {
                return Some(k.tag.clone());
            }
        }
        let content = tokio::fs::read(&path).await.ok()?;
        let tag = content_tag(&content);
        self.lock().insert(
            path,
            Known {
                modified,
                len,
                tag: tag.clone(),
            },
        );
        Some(tag)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Known>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A weak tag: the `.br`, `.gz` and plain bodies of one file are the same
/// content, and the compression layer may encode a file on the fly.
fn content_tag(content: &[u8]) -> HeaderValue {
    let mut h = std::hash::DefaultHasher::new();
    h.write(content);
    let tag = format!("W/\"{:016x}-{:x}\"", h.finish(), content.len());
    HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("W/\"0\""))
}

/// Whether `If-None-Match` names `tag` (weak comparison, RFC 9110 13.1.2).
fn matches(headers: &HeaderMap, tag: &HeaderValue) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let Ok(ours) = tag.to_str().map(opaque) else {
        return false;
    };
    headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim() == "*" || opaque(t) == ours)
}

async fn revalidate(
    State(tags): State<Arc<ContentTags>>,
    mut req: Request,
    next: Next,
) -> Response {
    let tag = tags.tag(req.uri().path()).await;
    if let Some(tag) = &tag {
        if matches(req.headers(), tag) {
            return (StatusCode::NOT_MODIFIED, policy(tag.clone())).into_response();
        }
        // The tag decides (RFC 9110 13.1.3): a date alone would keep an older
        // file after a roll-back to an older build.
        if req.headers().contains_key(IF_NONE_MATCH) {
            req.headers_mut().remove(IF_MODIFIED_SINCE);
        }
    }
    let mut response = next.run(req).await;
    if let (Some(tag), true) = (tag, response.status().is_success()) {
        let headers = response.headers_mut();
        headers.extend(policy(tag));
        // The tag revalidates; the date and the ranges offer are bytes each of
        // a page's dozens of files would carry for nothing.
        headers.remove(LAST_MODIFIED);
        headers.remove(ACCEPT_RANGES);
    }
    response
}

fn policy(tag: HeaderValue) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(ETAG, tag);
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists() {
        let tag = content_tag(b"wasm");
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(IF_NONE_MATCH, HeaderValue::from_static(v));
            h
        };
        let own = tag.to_str().expect("ascii").to_string();
        let strong = own.trim_start_matches("W/").to_string();
        let list = format!("\"other\", {own}");
        for header in [own.as_str(), strong.as_str(), list.as_str(), "*"] {
            let mut h = HeaderMap::new();
            h.insert(IF_NONE_MATCH, HeaderValue::from_str(header).expect("value"));
            assert!(matches(&h, &tag), "{header}");
        }
        assert!(!matches(&with("\"other\""), &tag));
        assert!(!matches(&HeaderMap::new(), &tag));
        assert_ne!(content_tag(b"wasm"), content_tag(b"wasm2"));
    }

    #[test]
    fn paths_that_could_leave_the_directory_get_no_tag() {
        let tags = ContentTags::new(Path::new("/site/pkg"));
        assert_eq!(
            tags.file("/chunk_1.wasm"),
            Some(PathBuf::from("/site/pkg/chunk_1.wasm"))
        );
        for bad in ["/../secret", "/a/../../b", "/%2e%2e/x"] {
            assert_eq!(tags.file(bad), None, "{bad}");
        }
    }
}
