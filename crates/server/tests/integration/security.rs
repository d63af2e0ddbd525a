//! Issue 11, points 10 and 11: cross-site requests, security headers, and the
//! files that hold sessions and sealed passwords.

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

fn cluster_body() -> serde_json::Value {
    json!({"name": "prod", "fe_host": "fe1.example.com", "username": "monitor", "password": "pw"})
}

async fn post_with(app: &TestApp, cookie: &str, extra: &[(&'static str, &str)]) -> Reply {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/clusters")
        .header(header::HOST, "console.example:3000")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/json");
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    app.raw(
        req.body(Body::from(cluster_body().to_string()))
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn cross_site_requests_are_refused_and_every_answer_has_security_headers() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    for hostile in [
        vec![("origin", "http://console.example:8030")],
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "same-site")],
        vec![
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://console.example:3000"),
        ],
    ] {
        let r = post_with(&app, &cookie, &hostile).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{hostile:?}: {}", r.body);
        assert_eq!(r.json()["error"], "cross_site", "{}", r.body);
    }
    assert!(app.state.clusters.list().await.expect("list").is_empty());
    // The console's own page, by either header: accepted.
    let r = post_with(&app, &cookie, &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .send(Method::DELETE, "/api/clusters/1", Some(&cookie), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = post_with(&app, &cookie, &[("origin", "http://console.example:3000")]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // A form post to a server function from another site is refused too.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sfn/delete_cluster")
        .header(header::COOKIE, &cookie)
        .header("origin", "http://console.example:8030")
        .header(header::HOST, "console.example:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("id=2"))
        .expect("request");
    assert_eq!(app.raw(req).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.state.clusters.list().await.expect("list").len(), 1);

    // Every answer, whatever it is, carries the headers.
    for (uri, c) in [
        ("/login", None),
        ("/clusters", Some(cookie.as_str())),
        ("/api/clusters", None),
        ("/healthz", None),
        ("/nowhere", Some(cookie.as_str())),
    ] {
        let r = app.send(Method::GET, uri, c, None).await;
        for (name, value) in [
            ("x-frame-options", "DENY"),
            ("content-security-policy", "frame-ancestors 'none'"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "same-origin"),
        ] {
            assert_eq!(
                r.headers.get(name).and_then(|v| v.to_str().ok()),
                Some(value),
                "{uri} ({}) lacks {name}",
                r.status
            );
        }
    } // A static file: no sniffing, and nothing that concerns documents only
      // (a page loads dozens of wasm chunks).
    let r = app
        .send(Method::GET, "/pkg/no-such-chunk.wasm", None, None)
        .await;
    assert_eq!(
        r.headers
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    for name in [
        "x-frame-options",
        "content-security-policy",
        "referrer-policy",
    ] {
        assert!(
            r.headers.get(name).is_none(),
            "a static file carries {name}"
        );
    }
}

#[cfg(unix)]
#[tokio::test]
async fn files_and_keys_are_private_and_a_lost_key_stops_the_start() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let options = || starrocks_overview::startup::leptos_options().expect("options");
    let prepared = starrocks_overview::startup::prepare(&config_for(&data, &[]), options())
        .await
        .expect("first start");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("starrocks-overview.db")), 0o600);
    assert_eq!(mode(&data.join("secret.key")), 0o600);
    let draft = model::ClusterDraft {
        name: "with-password".into(),
        fe_host: "fe1.example.com".into(),
        http_port: "8030".into(),
        query_port: "9030".into(),
        username: "monitor".into(),
        password: Some("a-real-secret".into()),
        use_https: false,
        extra_fes: String::new(),
        description: String::new(),
        tags: String::new(),
    };
    let clusters = prepared.state.clusters.clone();
    clusters.create(&draft).await.expect("create");
    drop((prepared, clusters));

    std::fs::remove_file(data.join("secret.key")).expect("lose the key");
    let config = config_for(&data, &[]);
    let err = match starrocks_overview::startup::prepare(&config, options()).await {
        Ok(_) => panic!("the start must be refused"),
        Err(e) => format!("{e:#}"),
    };
    assert!(
        err.contains(&data.join("secret.key").display().to_string()),
        "{err}"
    );
    assert!(err.contains("1 stored cluster password(s)"), "{err}");
    assert!(!data.join("secret.key").exists(), "no new key was written");
}
