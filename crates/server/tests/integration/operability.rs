//! The console reporting on itself (probes and metrics), the JSON errors of
//! bad ids and query strings, and the typed errors of server functions.

use crate::common::*;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use model::{ApiError, ApiErrorKind};

#[tokio::test]
async fn the_probes_answer_without_a_session() {
    let app = start().await;
    let r = app.send(Method::GET, "/healthz", None, None).await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    // The collector is not started in tests: it reads as off, which is ready.
    let r = app.send(Method::GET, "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["migrations"], "ok");
    assert_eq!(body["collector"], "off");
}

#[tokio::test]
async fn readyz_says_when_the_collector_stalls() {
    let app = start_in(
        tempfile::tempdir().expect("tempdir"),
        &["--collect-interval-s", "5"],
    )
    .await;
    // A collector that was started long ago and never ticked: its loop would
    // have ticked within two intervals.
    app.state.collector.spawn();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let r = app.send(Method::GET, "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "just started: {}", r.body);
    assert!(app.state.collector.is_ticking(store::now_ms()));
    assert!(
        !app.state.collector.is_ticking(store::now_ms() + 11_000),
        "no tick for more than two intervals is a stall"
    );
}

#[tokio::test]
async fn metrics_need_a_session_unless_public() {
    let app = start().await;
    let r = app.send(Method::GET, "/metrics", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    let cookie = app.admin_cookie().await;
    // A failed sign-in and a request that matched a route with an id.
    assert_eq!(
        app.login("admin", "wrong").await.status,
        StatusCode::UNAUTHORIZED
    );
    app.send(Method::GET, "/api/clusters/42", Some(&cookie), None)
        .await;
    let r = app.send(Method::GET, "/metrics", Some(&cookie), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let content_type = r.headers[header::CONTENT_TYPE].to_str().unwrap_or("");
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = &r.body;
    for expected in [
        "# TYPE sro_http_requests_total counter",
        r#"sro_http_requests_total{method="GET",route="/api/clusters/{id}",status="404"} 1"#,
        "# TYPE sro_http_request_duration_seconds histogram",
        r#"sro_sign_in_failures_total{reason="invalid_credentials"} 1"#,
        "# TYPE sro_database_size_bytes gauge",
        "sro_collector_running 0",
        "# TYPE sro_collector_tick_duration_seconds histogram",
        "# TYPE sro_retention_deleted_rows_total counter",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The raw path never becomes a label: only the route's pattern.
    assert!(!text.contains("/api/clusters/42"), "{text}");
    let size = text
        .lines()
        .find_map(|l| l.strip_prefix("sro_database_size_bytes "))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    assert!(size > 10_000.0, "database size {size}");

    let public = start_in(tempfile::tempdir().expect("tempdir"), &["--metrics-public"]).await;
    let r = public.send(Method::GET, "/metrics", None, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("sro_database_size_bytes"), "{}", r.body);
}

#[tokio::test]
async fn bad_ids_and_query_strings_are_json_400s() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let long = "x".repeat(300);
    for (path, says) in [
        (
            "/api/clusters/abc".to_string(),
            "\"abc\" is not a cluster id",
        ),
        (
            format!("/api/clusters/{long}/overview"),
            "is not a cluster id",
        ),
        (
            "/api/clusters/1/overview?range=1h&range=6h".to_string(),
            "query string",
        ),
        (
            "/api/clusters/1/overview/performance?from=1&from=2".to_string(),
            "query string",
        ),
    ] {
        let r = app.send(Method::GET, &path, Some(&cookie), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        let e: ApiError = serde_json::from_str(&r.body).expect("an ApiError body");
        assert_eq!(e.kind, ApiErrorKind::BadRequest);
        assert!(e.message.contains(says), "{path}: {}", e.message);
        // A hostile value is not echoed back whole.
        assert!(e.message.len() < 120, "{}", e.message);
    }
}

#[tokio::test]
async fn server_functions_answer_typed_errors_with_their_fields() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let form = "cluster[name]=&cluster[fe_host]=http%3A%2F%2Ffe1&cluster[http_port]=80800\
        &cluster[query_port]=9030&cluster[username]=root&cluster[password]=\
        &cluster[description]=&cluster[tags]=";
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sfn/save_cluster")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(form))
        .expect("request");
    let r = app.raw(req).await;
    assert!(
        r.status.is_server_error() || r.status.is_client_error(),
        "{}",
        r.status
    );
    let e: ApiError = serde_json::from_str(&r.body).expect("an ApiError body");
    assert_eq!(e.kind, ApiErrorKind::Validation, "{}", r.body);
    let fields = e.field_errors();
    for field in ["name", "fe_host", "http_port"] {
        assert!(fields.get(field).is_some(), "{field} in {}", r.body);
    }
    assert!(app.state.clusters.list().await.expect("list").is_empty());

    // Signed out: the same function answers the kind a page can act on.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/sfn/list_clusters")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::empty())
        .expect("request");
    let r = app.raw(req).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let e: ApiError = serde_json::from_str(&r.body).expect("an ApiError body");
    assert_eq!(e.kind, ApiErrorKind::Unauthenticated);
}

/// Runs the real binary with `args` until it prints a line containing
/// `wanted` on standard error, then stops it (`stop`) or waits for it to exit;
/// answers the lines read and the exit code.
fn stderr_until(
    args: &[&str],
    dir: &std::path::Path,
    wanted: &str,
    stop: bool,
) -> (Vec<String>, Option<i32>) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_starrocks-overview"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--no-collector",
            "--admin-password",
            "log-test-pw",
        ])
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server binary");
    let mut lines = Vec::new();
    if let Some(err) = child.stderr.take() {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let done = line.contains(wanted);
            lines.push(line);
            if done {
                break;
            }
        }
    }
    if stop {
        let _ = child.kill();
    }
    let code = child.wait().ok().and_then(|s| s.code());
    (lines, code)
}

#[test]
fn the_binary_logs_json_lines_and_names_the_cause_of_a_failed_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (lines, _) = stderr_until(&["--log-format", "json"], dir.path(), "serving on", true);
    let serving = lines
        .iter()
        .find(|l| l.contains("serving on"))
        .unwrap_or_else(|| panic!("no start line in {lines:?}"));
    let json: serde_json::Value = serde_json::from_str(serving).expect("a JSON log line");
    assert_eq!(json["level"], "INFO", "{serving}");
    assert!(
        json["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("serving on http://127.0.0.1:"),
        "{serving}"
    );

    // A key file that is not a key: the start fails, naming the file and why.
    let key = dir.path().join("bad.key");
    std::fs::write(&key, "not a key!").expect("write");
    let key_arg = key.display().to_string();
    let (lines, code) = stderr_until(
        &["--secret-key-file", &key_arg],
        dir.path(),
        "starrocks-overview:",
        false,
    );
    assert_eq!(code, Some(1), "{lines:?}");
    let last = lines.last().cloned().unwrap_or_default();
    assert!(last.contains(&key_arg) && last.contains("base64"), "{last}");
}
