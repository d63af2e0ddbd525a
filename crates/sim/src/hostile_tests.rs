//! The hostile faults as a client of the FE and BE routers sees them: status,
//! headers, bodies, node lists and timing.

use super::faults::Fault;
use super::{be_http, fe_http, ClusterSpec, Faults, Model, Shared, HOSTILE_HOSTS};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::response::Response;
use axum::Router;
use futures_util::StreamExt;
use serde_json::Value;
use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn cluster(profile: &str) -> Arc<Shared> {
    let spec = ClusterSpec::profile(profile, 3).expect("profile");
    let a = |p: u16| SocketAddr::from((Ipv4Addr::LOCALHOST, p));
    let bes = spec.backends;
    Arc::new(Shared {
        model: Arc::new(Model::new(spec)),
        faults: Faults::new(),
        fe_http: vec![a(8030), a(8031), a(8032)],
        fe_mysql: vec![a(9030), a(9031), a(9032)],
        be_http: (0..bes).map(|k| a(8040 + k as u16)).collect(),
        killed: crate::queries::Killed::default(),
    })
}

async fn call(router: &Router, method: Method, uri: &str) -> Response {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        // root with an empty password
        .header(header::AUTHORIZATION, "Basic cm9vdDo=")
        .body(Body::empty())
        .expect("request");
    router.clone().oneshot(req).await.expect("infallible")
}

async fn get(router: &Router, uri: &str) -> Response {
    call(router, Method::GET, uri).await
}

async fn body(r: Response) -> Vec<u8> {
    axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec()
}

async fn rows(router: &Router, path: &str) -> Vec<serde_json::Map<String, Value>> {
    let r = get(router, &format!("/api/show_proc?path={path}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = serde_json::from_slice(&body(r).await).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .map(|o| o.as_object().expect("object").clone())
        .collect()
}

fn col<'a>(rows: &'a [serde_json::Map<String, Value>], name: &str) -> Vec<&'a str> {
    rows.iter()
        .map(|r| r[name].as_str().expect("string"))
        .collect()
}

#[tokio::test]
async fn metrics_bomb_answers_distinct_gauges_on_fe_and_be() {
    let sh = cluster("3.3-shared-nothing");
    let (fe, be) = (
        fe_http::router(sh.clone(), 0),
        be_http::router(sh.clone(), 1),
    );
    sh.faults.set(Fault::MetricsBomb(200_000));
    for router in [&fe, &be] {
        let r = get(router, "/metrics").await;
        assert_eq!(r.status(), StatusCode::OK);
        let text = String::from_utf8(body(r).await).expect("utf-8");
        assert!(
            text.len() <= 200_000 && text.len() > 199_900,
            "{}",
            text.len()
        );
        let names: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# TYPE "))
            .map(|l| l.trim_end_matches(" gauge"))
            .collect();
        assert_eq!(names.len(), text.lines().count() / 2);
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len());
        assert!(text.contains("\nbomb_00000002{l=\"v\"} 1\n"));
    }
    sh.faults.clear_all();
    let normal = String::from_utf8(body(get(&be, "/metrics").await).await).expect("utf-8");
    assert!(normal.contains("starrocks_be_cpu") && !normal.contains("bomb_"));
}

#[tokio::test]
async fn huge_error_is_a_401_on_every_fe_api_but_the_control_api() {
    let sh = cluster("3.3-shared-nothing");
    let fe = fe_http::router(sh.clone(), 0);
    sh.faults.set(Fault::HugeError(3 << 20));
    for uri in ["/api/show_proc?path=/backends", "/api/health", "/metrics"] {
        let r = get(&fe, uri).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(r.headers()[header::CONTENT_TYPE], "application/json");
        let v: Value = serde_json::from_slice(&body(r).await).expect("json");
        assert_eq!(v["status"], "FAILED");
        assert_eq!(v["msg"].as_str().map(str::len), Some(3 << 20));
    }
    assert_eq!(get(&fe, "/_sim/faults").await.status(), StatusCode::OK);
    // The BE port is not an FE API.
    let be = be_http::router(sh.clone(), 0);
    assert_eq!(get(&be, "/metrics").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn node_injection_names_hostile_hosts_in_valid_rows() {
    let sh = cluster("3.3-shared-nothing");
    let fe = fe_http::router(sh.clone(), 0);
    sh.faults.set(Fault::NodeInjection);
    let bes = rows(&fe, "/backends").await;
    assert_eq!(col(&bes, "IP"), HOSTILE_HOSTS);
    assert!(HOSTILE_HOSTS.contains(&"user:pass@evil.example"));
    for port in col(&bes, "HttpPort") {
        assert!(["8040", "8041", "8042"].contains(&port), "{port}");
    }
    assert!(col(&bes, "Alive").iter().all(|a| *a == "true"));
    assert_eq!(
        col(&bes, "BackendId").iter().collect::<HashSet<_>>().len(),
        6
    );
    assert!(col(&bes, "TotalCapacity").iter().all(|c| c.ends_with("B")));
    let fes = rows(&fe, "/frontends").await;
    assert_eq!(col(&fes, "IP"), HOSTILE_HOSTS);
    assert_eq!(
        col(&fes, "Role").iter().filter(|r| **r == "LEADER").count(),
        1
    );
    assert!(col(&fes, "Name")[3].starts_with("http://evil.example_"));

    let sd = cluster("3.3-shared-data");
    let fe = fe_http::router(sd.clone(), 0);
    sd.faults.set(Fault::NodeInjection);
    let cns = rows(&fe, "/compute_nodes").await;
    assert_eq!(col(&cns, "IP"), HOSTILE_HOSTS);
    assert_eq!(col(&cns, "WorkerId"), ["1", "2", "3", "4", "5", "6"]);
    assert!(rows(&fe, "/backends").await.is_empty());
    sd.faults.clear_all();
    assert_eq!(
        col(&rows(&fe, "/compute_nodes").await, "IP"),
        ["127.0.0.1"; 2]
    );
}

#[tokio::test]
async fn redirect_answers_302_on_fe_apis_and_be_metrics() {
    let sh = cluster("3.3-shared-nothing");
    let (fe, be) = (
        fe_http::router(sh.clone(), 0),
        be_http::router(sh.clone(), 0),
    );
    sh.faults
        .set(Fault::Redirect("http://elsewhere.example/x".into()));
    for (router, uri) in [(&fe, "/api/health"), (&fe, "/metrics"), (&be, "/metrics")] {
        let r = get(router, uri).await;
        assert_eq!(r.status(), StatusCode::FOUND, "{uri}");
        assert_eq!(r.headers()[header::LOCATION], "http://elsewhere.example/x");
        assert!(body(r).await.is_empty());
    }
    assert_eq!(get(&fe, "/_sim/faults").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn many_nodes_lists_that_many_alive_backends() {
    let sh = cluster("3.3-shared-nothing");
    let fe = fe_http::router(sh.clone(), 0);
    sh.faults.set(Fault::ManyNodes(10_000));
    let bes = rows(&fe, "/backends").await;
    assert_eq!(bes.len(), 10_000);
    assert!(col(&bes, "Alive").iter().all(|a| *a == "true"));
    assert!(col(&bes, "IP").iter().all(|ip| *ip == "127.0.0.1"));
    assert_eq!(
        col(&bes, "BackendId").iter().collect::<HashSet<_>>().len(),
        10_000
    );
    let ports: HashSet<&str> = col(&bes, "HttpPort").into_iter().collect();
    assert_eq!(ports, HashSet::from(["8040", "8041", "8042"]));
    // The frontends stay as they are.
    assert_eq!(rows(&fe, "/frontends").await.len(), 3);

    let sd = cluster("3.3-shared-data");
    let fe = fe_http::router(sd.clone(), 0);
    sd.faults.set(Fault::ManyNodes(500));
    assert_eq!(rows(&fe, "/compute_nodes").await.len(), 500);
    assert!(rows(&fe, "/backends").await.is_empty());
}

/// The first `n` chunks of the answer at `uri`, each with when it came.
async fn first_chunks(router: &Router, uri: &str, n: usize) -> Vec<(Vec<u8>, Duration)> {
    let t = Instant::now();
    let r = get(router, uri).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().get(header::CONTENT_LENGTH).is_none());
    let mut stream = r.into_body().into_data_stream();
    let mut out = Vec::new();
    while out.len() < n {
        let Some(chunk) = stream.next().await else {
            break;
        };
        out.push((chunk.expect("chunk").to_vec(), t.elapsed()));
    }
    out
}

#[tokio::test]
async fn drip_sends_fe_and_be_bodies_a_byte_at_a_time() {
    let sh = cluster("3.3-shared-nothing");
    let (fe, be) = (
        fe_http::router(sh.clone(), 0),
        be_http::router(sh.clone(), 0),
    );
    let every = Duration::from_millis(15);
    sh.faults.set(Fault::Drip(every));
    let health = first_chunks(&fe, "/api/health", usize::MAX).await;
    let text: Vec<u8> = health.iter().flat_map(|(c, _)| c.clone()).collect();
    assert_eq!(
        text,
        br#"{"online_backend_num":3,"total_backend_num":3,"status":"OK"}"#
    );
    assert!(health.iter().all(|(c, _)| c.len() == 1));
    let last = health.last().map(|(_, t)| *t).unwrap_or_default();
    assert!(last >= every * text.len() as u32, "{last:?}");
    // The BE's body is long: a client reads a few bytes, slowly, and gives up.
    let metrics = first_chunks(&be, "/metrics", 4).await;
    assert_eq!(metrics.iter().map(|(c, _)| c.len()).sum::<usize>(), 4);
    assert_eq!(metrics[0].0, b"#");
    assert!(metrics[3].1 >= every * 4, "{:?}", metrics[3].1);
    // The control API is not dripped.
    let t = Instant::now();
    let r = get(&fe, "/_sim/faults").await;
    let v: Value = serde_json::from_slice(&body(r).await).expect("json");
    assert!(t.elapsed() < every * 5);
    assert_eq!(
        v["faults"][0],
        serde_json::json!({"fault": "drip", "ms": 15})
    );
}
