use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

/// Every REST route (one concrete path per pattern and method) and paths no
/// route has yet: the guard sits on the whole router, so all must be refused.
const API_ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/auth/logout"),
    ("GET", "/api/auth/me"),
    ("POST", "/api/auth/password"),
    ("GET", "/api/clusters"),
    ("POST", "/api/clusters"),
    ("POST", "/api/clusters/test"),
    ("POST", "/api/clusters/1/test"),
    ("GET", "/api/clusters/1"),
    ("PUT", "/api/clusters/1"),
    ("DELETE", "/api/clusters/1"),
    ("GET", "/api/collector"),
    ("POST", "/api/clusters/1/collect"),
    ("GET", "/api/clusters/1/snapshot"),
    ("GET", "/api/clusters/1/data-stats"),
    ("GET", "/api/fleet"),
    ("GET", "/api/clusters/1/overview"),
    ("GET", "/api/clusters/1/overview/health"),
    ("GET", "/api/clusters/1/overview/performance"),
    ("GET", "/api/clusters/1/overview/resources"),
    ("GET", "/api/clusters/1/overview/transactions"),
    ("GET", "/api/clusters/1/overview/compaction"),
    ("GET", "/api/clusters/1/overview/operations"),
    ("GET", "/api/thresholds"),
    ("PUT", "/api/thresholds"),
    ("GET", "/api/clusters/1/thresholds"),
    ("PUT", "/api/clusters/1/thresholds"),
    ("GET", "/api/clusters/1/thresholds/changes"),
    ("GET", "/api/thresholds/changes"),
    ("GET", "/api/clusters/1/queries/running"),
    ("POST", "/api/clusters/1/queries/42/kill"),
    ("GET", "/api/clusters/1/activity"),
    ("GET", "/api/clusters/1/queries/slow"),
    ("GET", "/api/clusters/1/queries/top"),
    ("GET", "/api/clusters/1/overview/data-stats"),
    ("GET", "/api/clusters/1/overview/capacity"),
    ("GET", "/api/clusters/1/alerts"),
    ("GET", "/api/clusters/1/nodes/be-1"),
    ("GET", "/api/clusters/1/health"),
    ("GET", "/api/clusters/1/metrics/summary"),
    ("GET", "/api/alerts"),
    ("GET", "/api/channels"),
    ("POST", "/api/channels"),
    ("GET", "/api/channels/1"),
    ("PUT", "/api/channels/1"),
    ("DELETE", "/api/channels/1"),
    ("PUT", "/api/channels/1/enabled"),
    ("POST", "/api/channels/1/test"),
    ("GET", "/api/deliveries"),
    ("GET", "/api/channels/1/deliveries"),
    ("GET", "/api/silences"),
    ("POST", "/api/silences"),
    ("POST", "/api/silences/1/end"),
    ("GET", "/api/openapi.json"),
    ("GET", "/api/not-yet-written"),
    ("POST", "/api/clusters/1/anything"),
];

#[tokio::test]
async fn every_api_route_and_server_function_needs_a_session() {
    let app = start().await;
    let mut checked = Vec::new();
    for (method, path) in API_ROUTES {
        checked.push((method.to_string(), path.to_string()));
    }
    // Server functions register themselves; iterate the registry so a new one
    // cannot forget the guard.
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        if path != "/sfn/login" {
            checked.push((method.to_string(), path.to_string()));
        }
    }
    assert!(
        checked.iter().any(|(_, p)| p == "/sfn/list_clusters"),
        "server functions must be registered"
    );
    for (method, path) in checked {
        let m = Method::from_bytes(method.as_bytes()).expect("method");
        let r = app.send(m, &path, None, Some(json!({}))).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path}: {}",
            r.body
        );
        assert_eq!(r.json()["error"], "unauthenticated", "{method} {path}");
        assert!(r.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn a_signed_out_page_request_redirects_to_login_keeping_the_url() {
    let app = start().await;
    let r = app
        .send(Method::GET, "/clusters/1?range=6h", None, None)
        .await;
    assert!(r.status.is_redirection(), "{}", r.status);
    assert_eq!(r.location(), "/login?next=/clusters/1%3Frange%3D6h");
    let r = app.send(Method::GET, "/no/such/page", None, None).await;
    assert!(
        r.status.is_redirection(),
        "unknown pages do not reveal themselves to strangers"
    );
}

#[tokio::test]
async fn the_login_page_and_its_assets_are_public() {
    let app = start().await;
    let r = app
        .send(Method::GET, "/login?next=/clusters", None, None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Sign in"), "{}", r.body);
    let r = app.send(Method::GET, "/healthz", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = start().await;
    let wrong = app.login("admin", "not-the-password").await;
    let unknown = app.login("nobody", "not-the-password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.json()["error"], "invalid_credentials");
    assert!(
        wrong.session_cookie().is_none(),
        "no session for a failed login"
    );
}

#[tokio::test]
async fn repeated_failures_lock_the_account_even_for_the_right_password() {
    let app = start().await;
    for i in 0..4 {
        let r = app.login("admin", "guess").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let fifth = app.login("admin", "guess").await;
    assert_eq!(fifth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(fifth.headers.get(header::RETRY_AFTER).is_some());
    assert!(fifth.json()["message"]
        .as_str()
        .unwrap_or_default()
        .contains("Try again in"));
    let right = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked means locked"
    );
}

#[tokio::test]
async fn the_bootstrap_admin_must_change_its_password_first() {
    let app = start().await;
    let r = app.login("admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["must_change_password"], true);
    let cookie = r.session_cookie().expect("cookie");

    let api = app
        .send(Method::GET, "/api/clusters", Some(&cookie), None)
        .await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.json()["error"], "password_change_required");
    let page = app
        .send(Method::GET, "/clusters?x=1", Some(&cookie), None)
        .await;
    assert_eq!(page.location(), "/account/password?next=/clusters%3Fx%3D1");

    let weak = app
        .send(
            Method::POST,
            "/api/auth/password",
            Some(&cookie),
            Some(json!({ "current_password": ADMIN_PASSWORD, "new_password": "short" })),
        )
        .await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert!(weak.json()["fields"]["new_password"].is_string());

    let bad_current = app
        .send(
            Method::POST,
            "/api/auth/password",
            Some(&cookie),
            Some(json!({ "current_password": "wrong", "new_password": NEW_ADMIN_PASSWORD })),
        )
        .await;
    assert_eq!(bad_current.status, StatusCode::BAD_REQUEST);
    assert!(bad_current.json()["fields"]["current_password"].is_string());

    let cookie = app.admin_cookie().await;
    let api = app
        .send(Method::GET, "/api/clusters", Some(&cookie), None)
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    // The old password no longer works, the new one does.
    assert_eq!(
        app.login("admin", ADMIN_PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = app.login("admin", NEW_ADMIN_PASSWORD).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["must_change_password"], false);
}

#[tokio::test]
async fn a_password_change_ends_the_users_other_sessions() {
    let app = start().await;
    let here = app.admin_cookie().await;
    // The same account signed in from a second browser.
    let there = app.login("admin", NEW_ADMIN_PASSWORD).await;
    assert_eq!(there.status, StatusCode::OK);
    let there = there.session_cookie().expect("cookie");
    let me = |cookie: String| {
        let app = &app;
        async move {
            app.send(Method::GET, "/api/auth/me", Some(&cookie), None)
                .await
                .status
        }
    };
    assert_eq!(me(there.clone()).await, StatusCode::OK);

    let changed = app
        .send(
            Method::POST,
            "/api/auth/password",
            Some(&here),
            Some(json!({ "current_password": NEW_ADMIN_PASSWORD, "new_password": "a-third-Passphrase-42" })),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let here = changed.session_cookie().unwrap_or(here);

    // The session that changed it goes on; the other one is signed out, its
    // pages sending it to the login page.
    assert_eq!(me(here.clone()).await, StatusCode::OK);
    assert_eq!(me(there.clone()).await, StatusCode::UNAUTHORIZED);
    let page = app.send(Method::GET, "/clusters", Some(&there), None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.location().starts_with("/login"), "{}", page.location());
    // Signing in again with the new password works as before.
    let again = app.login("admin", "a-third-Passphrase-42").await;
    assert_eq!(again.status, StatusCode::OK);
    let again = again.session_cookie().expect("cookie");
    assert_eq!(me(again).await, StatusCode::OK);
    assert_eq!(me(here).await, StatusCode::OK);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let r = app
        .send(Method::POST, "/api/auth/logout", Some(&cookie), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app
        .send(Method::GET, "/api/auth/me", Some(&cookie), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_lax_and_secure_when_asked() {
    let app = start().await;
    let c = app.login("admin", ADMIN_PASSWORD).await.set_cookie_header();
    assert!(c.contains("HttpOnly"), "{c}");
    assert!(c.contains("SameSite=Lax"), "{c}");
    assert!(!c.contains("Secure"), "plain http by default: {c}");

    let https = start_in(tempfile::tempdir().expect("tempdir"), &["--secure-cookie"]).await;
    let c = https
        .login("admin", ADMIN_PASSWORD)
        .await
        .set_cookie_header();
    assert!(c.contains("Secure"), "{c}");
}

#[tokio::test]
async fn a_restart_keeps_people_signed_in() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let dir = app.dir;
    let restarted = start_in(dir, &[]).await;
    let r = restarted
        .send(Method::GET, "/api/auth/me", Some(&cookie), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["username"], "admin");
}

#[tokio::test]
async fn the_login_server_function_never_redirects_off_site() {
    let app = start().await;
    for next in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let body = format!(
            "username=admin&password={ADMIN_PASSWORD}&next={}",
            next.replace('/', "%2F")
                .replace(':', "%3A")
                .replace('\\', "%5C")
        );
        let req = Request::builder()
            .method(Method::POST)
            .uri("/sfn/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        let r = app.raw(req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!r.body.contains("evil"), "{next} led to {}", r.body);
        assert!(
            r.body.contains("/account/password?next=/clusters"),
            "{}",
            r.body
        );
    }
}

#[tokio::test]
async fn a_signed_in_visit_to_login_goes_to_next() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let r = app
        .send(
            Method::GET,
            "/login?next=%2Fclusters%2F1%3Frange%3D6h",
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.location(), "/clusters/1?range=6h");
    let r = app
        .send(
            Method::GET,
            "/login?next=https%3A%2F%2Fevil.example",
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.location(), "/clusters");
}

#[tokio::test]
async fn the_openapi_document_covers_every_rest_endpoint() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let r = app
        .send(Method::GET, "/api/openapi.json", Some(&cookie), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    let mut documented = 0;
    for (method, path) in API_ROUTES {
        if path.contains("not-yet-written") || path.contains("anything") {
            continue;
        }
        let templated = path
            .replace("/1/", "/{id}/")
            .replace("/api/clusters/1", "/api/clusters/{id}")
            .replace("/api/channels/1", "/api/channels/{id}")
            .replace("/nodes/be-1", "/nodes/{node}")
            .replace("/queries/42/", "/queries/{connection_id}/");
        let op = &doc["paths"][&templated][method.to_lowercase()];
        assert!(op.is_object(), "{method} {templated} is not documented");
        assert!(op["responses"].is_object());
        documented += 1;
    }
    // The login route is public, so it is not in API_ROUTES; count it too.
    assert!(doc["paths"]["/api/auth/login"]["post"].is_object());
    let ops: usize = paths
        .values()
        .map(|p| p.as_object().map_or(0, |o| o.len()))
        .sum();
    assert_eq!(
        ops,
        documented + 1,
        "the document lists exactly the routes there are"
    );
    assert!(doc["components"]["schemas"]["Overview"].is_object());
    assert!(doc["components"]["schemas"]["Snapshot"].is_object());
}

/// A sign-in from `peer`, as a proxy forwarding for `forwarded_for` when given.
async fn login_from(
    app: &TestApp,
    peer: &str,
    forwarded_for: Option<&str>,
    password: &str,
) -> Reply {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/auth/login")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(f) = forwarded_for {
        req = req.header("x-forwarded-for", f);
    }
    let body = json!({"username": "admin", "password": password}).to_string();
    let mut req = req.body(Body::from(body)).expect("request");
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().expect("peer");
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    app.raw(req).await
}

/// Issue 11, point 8: failures from one client do not lock out another, and
/// `X-Forwarded-For` is believed only from a trusted proxy.
#[tokio::test]
async fn lockout_of_one_client_does_not_lock_out_another() {
    let app = start_in(
        tempfile::tempdir().expect("tempdir"),
        &["--trusted-proxy", "10.0.0.0/24"],
    )
    .await;
    let proxy = "10.0.0.9";
    for i in 0..4 {
        let r = login_from(&app, proxy, Some("203.0.113.5"), "guess").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let r = login_from(&app, proxy, Some("203.0.113.5"), "guess").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // Another client behind the same proxy signs in.
    let r = login_from(&app, proxy, Some("198.51.100.7"), ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // A client that is not a trusted proxy cannot pose as that client: it is
    // counted as itself, and its own failures lock only itself.
    for _ in 0..5 {
        login_from(&app, "192.0.2.1", Some("198.51.100.7"), "guess").await;
    }
    let r = login_from(&app, "192.0.2.1", Some("198.51.100.7"), ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let r = login_from(&app, proxy, Some("198.51.100.7"), ADMIN_PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// Issue 11, point 7: a burst of wrong passwords is refused beyond the allowed
/// failures without verifying them.
#[tokio::test]
async fn sign_in_flood_is_refused_without_verifying() {
    let app = start().await;
    let before = app.state.users.verifications();
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..60 {
        let router = app.router.clone();
        burst.spawn(async move {
            use tower::ServiceExt;
            let req = Request::builder()
                .method(Method::POST)
                .uri("/api/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"username": "admin", "password": "guess"}).to_string(),
                ))
                .expect("request");
            router.oneshot(req).await.expect("answer").status()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = burst.join_next().await {
        statuses.push(s.expect("task"));
    }
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS));
    let verified = app.state.users.verifications() - before;
    assert!(
        verified <= 6,
        "{verified} passwords were checked for 60 attempts"
    );
}
