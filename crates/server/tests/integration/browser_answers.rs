//! What the browser is told besides the page: the status of a refused sign-in,
//! of a "Collect now" asked too soon and of an unknown cluster's page, and
//! what it may keep (pages never; static files until their content changes).

use crate::common::*;
use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use model::{ApiError, ApiErrorKind};
use starrocks_overview::startup::{leptos_options, prepare, router};
use std::path::Path;

/// A server function called as the page's wasm calls it.
fn server_fn(path: &str, cookie: Option<&str>, form: &str) -> Request<Body> {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.body(Body::from(form.to_string())).expect("request")
}

fn api_error(r: &Reply) -> ApiError {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not an ApiError ({e}): {}", r.body))
}

#[tokio::test]
async fn a_wrong_password_answers_401_not_a_server_fault() {
    let app = start().await;
    let r = app
        .raw(server_fn(
            "/sfn/login",
            None,
            "username=admin&password=wrong-pw",
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert_eq!(api_error(&r).kind, ApiErrorKind::InvalidCredentials);

    // The form posted before the wasm has loaded is still sent back to its page.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sfn/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://localhost/login")
        .body(Body::from("username=admin&password=wrong-pw"))
        .expect("request");
    let r = app.raw(req).await;
    assert_eq!(r.status, StatusCode::FOUND);
    assert!(
        r.location().starts_with("http://localhost/login?"),
        "{}",
        r.location()
    );

    let r = app
        .raw(server_fn(
            "/sfn/login",
            None,
            &format!("username=admin&password={ADMIN_PASSWORD}"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn collect_now_asked_again_at_once_answers_429() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    // Nothing listens on port 1: the collection fails fast, and still counts.
    let id = app.register_local("nowhere", 1, 1).await;
    let form = format!("id={id}");
    let first = app
        .raw(server_fn("/sfn/collect_now", Some(&cookie), &form))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let again = app
        .raw(server_fn("/sfn/collect_now", Some(&cookie), &form))
        .await;
    assert_eq!(
        again.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        again.body
    );
    assert_eq!(api_error(&again).kind, ApiErrorKind::TooSoon);
    let unknown = app
        .raw(server_fn("/sfn/collect_now", Some(&cookie), "id=999"))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.body);
}

#[tokio::test]
async fn an_unknown_clusters_overview_is_a_404_page() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let r = app
        .send(Method::GET, "/clusters/999/overview", Some(&cookie), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Page not found"), "{}", r.body);
    assert!(r.body.contains("href=\"/clusters\""), "a way back");

    let id = app.register_local("known", 1, 1).await;
    let r = app
        .send(
            Method::GET,
            &format!("/clusters/{id}/overview"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("Page not found"));
}

#[tokio::test]
async fn pages_and_api_answers_are_never_stored() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    for (path, cookie) in [
        ("/login", None),
        ("/clusters", Some(cookie.as_str())),
        ("/clusters/new", Some(cookie.as_str())),
        ("/api/fleet", Some(cookie.as_str())),
        ("/api/fleet", None),
        ("/clusters", None),
        ("/no/such/page", Some(cookie.as_str())),
    ] {
        let r = app.send(Method::GET, path, cookie, None).await;
        assert_eq!(
            r.headers.get(header::CACHE_CONTROL),
            Some(&HeaderValue::from_static("no-store")),
            "{path} ({}) signed in: {}",
            r.status,
            cookie.is_some()
        );
    }
}

/// A console serving the static files of `site`.
async fn start_with_site(site: &Path) -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config_for(dir.path(), &[]);
    let mut options = leptos_options().expect("leptos options");
    options.site_root = site.display().to_string().into();
    let prepared = prepare(&config, options).await.expect("prepare");
    TestApp {
        router: router(&prepared, &config),
        state: prepared.state.clone(),
        dir,
    }
}

fn get(uri: &str, headers: &[(header::HeaderName, &str)]) -> Request<Body> {
    let mut req = Request::builder().uri(uri);
    for (name, value) in headers {
        req = req.header(name, *value);
    }
    req.body(Body::empty()).expect("request")
}

#[tokio::test]
async fn static_files_are_revalidated_by_their_content() {
    let site = tempfile::tempdir().expect("site");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    std::fs::create_dir_all(site.path().join("assets")).expect("assets");
    std::fs::write(pkg.join("chunk_3.wasm"), b"\0asm chunk three").expect("write");
    std::fs::write(pkg.join("chunk_3.wasm.br"), b"brotli bytes").expect("write");
    std::fs::write(site.path().join("assets/charts.js"), "draw();").expect("write");
    let app = start_with_site(site.path()).await;

    let r = app.raw(get("/pkg/chunk_3.wasm", &[])).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.as_bytes(), b"\0asm chunk three");
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-cache");
    let etag = r.headers[header::ETAG].clone();
    // The precompressed body is the same content: the same (weak) tag.
    let br = app
        .raw(get("/pkg/chunk_3.wasm", &[(header::ACCEPT_ENCODING, "br")]))
        .await;
    assert_eq!(br.headers[header::CONTENT_ENCODING], "br");
    assert_eq!(br.headers[header::ETAG], etag);
    assert_eq!(br.headers[header::CACHE_CONTROL], "no-cache");

    let tag = etag.to_str().expect("ascii");
    let cached = app
        .raw(get("/pkg/chunk_3.wasm", &[(header::IF_NONE_MATCH, tag)]))
        .await;
    assert_eq!(cached.status, StatusCode::NOT_MODIFIED);
    assert!(cached.body.is_empty());
    assert_eq!(cached.headers[header::ETAG], etag);
    assert_eq!(cached.headers[header::CACHE_CONTROL], "no-cache");

    let asset = app.raw(get("/assets/charts.js", &[])).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(asset.headers[header::CACHE_CONTROL], "no-cache");
    let asset_tag = asset.headers[header::ETAG]
        .to_str()
        .expect("ascii")
        .to_string();
    assert_ne!(asset_tag, tag);
    let r = app
        .raw(get(
            "/assets/charts.js",
            &[(header::IF_NONE_MATCH, &asset_tag)],
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);

    // A new build: the old tag no longer matches, whatever the dates say.
    std::fs::write(pkg.join("chunk_3.wasm"), b"\0asm chunk three, rebuilt").expect("write");
    let r = app
        .raw(get(
            "/pkg/chunk_3.wasm",
            &[
                (header::IF_NONE_MATCH, tag),
                (header::IF_MODIFIED_SINCE, "Fri, 01 Jan 2100 00:00:00 GMT"),
            ],
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.as_bytes(), b"\0asm chunk three, rebuilt");
    assert_ne!(r.headers[header::ETAG], etag);

    let missing = app.raw(get("/pkg/chunk_99.wasm", &[])).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.headers.get(header::ETAG).is_none());
    assert_eq!(missing.headers[header::CACHE_CONTROL], "no-store");
}
