//! The Kubernetes profile and `fe_down` as a client sees them: pod names and the
//! operator's ports in the node lists, the Service handing requests to the FEs
//! in turn, and FEs going down and coming back on their ports.

use super::faults::Fault;
use super::proc::{Ctx, Val};
use super::sql::{execute, Answer, Session};
use super::tests::shared_of;
use super::{fe_http, ClusterSpec, PortPlan, SimCluster, Simulator};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower::ServiceExt;

const FE0: &str = "kube-starrocks-fe-0.kube-starrocks-fe-search.starrocks.svc.invalid";
const BE0: &str = "kube-starrocks-be-0.kube-starrocks-be-search.starrocks.svc.invalid";
/// When FE 0 was added: the last part of its Name (FE `j` 61 s later each).
const ADDED: i64 = 1_725_321_600_000;

type Rows = Vec<serde_json::Map<String, Value>>;

fn objects(body: &[u8]) -> Rows {
    let v: Value = serde_json::from_slice(body).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .map(|o| o.as_object().expect("object").clone())
        .collect()
}

fn col<'a>(rows: &'a Rows, name: &str) -> Vec<&'a str> {
    rows.iter()
        .map(|r| r[name].as_str().expect("string"))
        .collect()
}

async fn route(router: &Router, uri: &str) -> Vec<u8> {
    let req = Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, "Basic cm9vdDo=")
        .body(Body::empty())
        .expect("request");
    let r = router.clone().oneshot(req).await.expect("infallible");
    assert_eq!(r.status(), StatusCode::OK, "{uri}");
    axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec()
}

#[tokio::test]
async fn k8s_lists_name_pods_with_the_operators_ports() {
    let sh = std::sync::Arc::new(shared_of("3.3-k8s", 5));
    let fe = fe_http::router(sh.clone(), 0);
    let fes = objects(&route(&fe, "/api/show_proc?path=/frontends").await);
    assert_eq!(fes.len(), 3);
    for (j, r) in fes.iter().enumerate() {
        let host = format!("kube-starrocks-fe-{j}.kube-starrocks-fe-search.starrocks.svc.invalid");
        assert_eq!(r["IP"], host.as_str());
        assert_eq!(
            r["Name"],
            format!("{host}_9010_{}", ADDED + j as i64 * 61_000).as_str()
        );
        for (k, v) in [
            ("EditLogPort", "9010"),
            ("HttpPort", "8030"),
            ("QueryPort", "9030"),
            ("RpcPort", "9020"),
        ] {
            assert_eq!(r[k], v, "{k}");
        }
        assert_eq!(r["Role"], if j == 0 { "LEADER" } else { "FOLLOWER" });
        assert_eq!(r["Alive"], "true");
    }
    assert_eq!(col(&fes, "IP")[0], FE0);
    let bes = objects(&route(&fe, "/api/show_proc?path=/backends").await);
    assert_eq!(bes.len(), 3);
    for (k, r) in bes.iter().enumerate() {
        let host = format!("kube-starrocks-be-{k}.kube-starrocks-be-search.starrocks.svc.invalid");
        assert_eq!(r["IP"], host.as_str());
        for (c, v) in [
            ("HttpPort", "8040"),
            ("HeartbeatPort", "9050"),
            ("BePort", "9060"),
            ("BrpcPort", "8060"),
        ] {
            assert_eq!(r[c], v, "{c}");
        }
    }
    let metrics = String::from_utf8(route(&fe, "/metrics").await).expect("utf-8");
    assert!(metrics.contains(&format!(
        "starrocks_fe_tablet_num{{backend=\"{BE0}:9050\"}} "
    )));
    assert!(metrics.ends_with("node_info{type=\"is_master\"} 1\n"));

    // SHOW FRONTENDS and fe_metrics name the same FEs.
    let ctx = Ctx {
        sh: &sh,
        fe: 0,
        t: 1_764_000_000_000,
        view: sh.faults.view(),
    };
    let me = Session {
        id: 1,
        user: "root".into(),
        db: String::new(),
    };
    let Answer::Rows(show) = execute(&ctx, &me, "SHOW FRONTENDS") else {
        panic!("SHOW FRONTENDS failed");
    };
    let names: Vec<Option<String>> = show.rows.iter().map(|r| r[0].text()).collect();
    assert_eq!(
        names,
        col(&fes, "Name")
            .iter()
            .map(|n| Some(n.to_string()))
            .collect::<Vec<_>>()
    );
    let Answer::Rows(m) = execute(
        &ctx,
        &me,
        "SELECT FE_ID, VALUE FROM information_schema.fe_metrics WHERE NAME = 'query_total'",
    ) else {
        panic!("fe_metrics failed");
    };
    let ids: Vec<Option<String>> = m.rows.iter().map(|r| r[0].text()).collect();
    assert_eq!(ids, names);
    assert!(m.rows.iter().all(|r| matches!(r[1], Val::Int(n) if n > 0)));
}

// ---- over the network ----

async fn start(profile: &str) -> Simulator {
    let spec = ClusterSpec::profile(profile, 21).expect("profile");
    Simulator::start(vec![spec], PortPlan::Ephemeral)
        .await
        .expect("simulator")
}

/// One HTTP/1.1 exchange on a fresh connection: the status and the body;
/// `None` when the connection is refused (or cut before an answer).
async fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let exchange = async {
        let mut s = TcpStream::connect(addr).await.ok()?;
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: sim\r\nAuthorization: Basic cm9vdDo=\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await.ok()?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await.ok()?;
        let text = String::from_utf8_lossy(&raw).to_string();
        let (head, body) = text.split_once("\r\n\r\n")?;
        let status = head.split(' ').nth(1)?.parse().ok()?;
        Some((status, body.to_string()))
    };
    tokio::time::timeout(Duration::from_secs(5), exchange)
        .await
        .ok()
        .flatten()
}

async fn get(addr: SocketAddr, path: &str) -> Option<String> {
    match http(addr, "GET", path, "").await {
        Some((200, body)) => Some(body),
        _ => None,
    }
}

async fn refused(addr: SocketAddr) -> bool {
    TcpStream::connect(addr).await.is_err()
}

/// Waits (at most 5 s) for `cond` to hold.
async fn eventually<F, Fut>(what: &str, cond: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..100 {
        if cond().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Which FE wrote this `/metrics` body: its young GC count follows its uptime
/// (one every 25 s) and the FEs started days apart.
fn which_fe(c: &SimCluster, body: &str) -> usize {
    let seen: i64 = body
        .lines()
        .find_map(|l| l.strip_prefix("jvm_young_gc{type=\"count\"} "))
        .and_then(|v| v.parse().ok())
        .expect("jvm_young_gc count");
    let now = crate::now_ms();
    let view = c.faults.view();
    let fits: Vec<usize> = (0..c.fe_http_addrs.len())
        .filter(|j| {
            let up_s = (now - c.model.fe_start(*j, now, &view)) / 1000;
            (up_s / 25 - seen).abs() <= 1
        })
        .collect();
    assert_eq!(fits.len(), 1, "young gc count {seen} fits FEs {fits:?}");
    fits[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_hands_requests_to_the_fes_in_turn() {
    let sim = start("3.3-k8s").await;
    let c = &sim.clusters()[0];
    let svc = c.service_addr.expect("a Kubernetes cluster has a Service");
    assert_eq!(c.http_addr, svc);
    assert!(!c.fe_http_addrs.contains(&svc));
    assert_eq!(c.mysql_addr, c.fe_mysql_addrs[0]);

    let mut order = Vec::new();
    for _ in 0..6 {
        let body = get(svc, "/metrics")
            .await
            .expect("metrics through the Service");
        let fe = which_fe(c, &body);
        assert_eq!(body.contains("node_info{type=\"is_master\"} 1"), fe == 0);
        order.push(fe);
    }
    assert_eq!(order, [0, 1, 2, 0, 1, 2]);
    // Every FE answers the same lists, with the pod names.
    for _ in 0..3 {
        let fes = objects(
            get(svc, "/api/show_proc?path=/frontends")
                .await
                .expect("frontends")
                .as_bytes(),
        );
        assert_eq!(col(&fes, "IP")[0], FE0);
    }

    // FE 1 goes down, through the control API on the Service.
    let set = http(
        svc,
        "POST",
        "/_sim/faults",
        r#"{"fault":"fe_down","index":1}"#,
    )
    .await;
    assert_eq!(set.map(|r| r.0), Some(200));
    eventually("FE 1's ports to refuse", || async {
        refused(c.fe_http_addrs[1]).await && refused(c.fe_mysql_addrs[1]).await
    })
    .await;
    assert!(!refused(c.fe_http_addrs[0]).await && !refused(c.fe_mysql_addrs[2]).await);
    let mut order = Vec::new();
    for _ in 0..4 {
        let body = get(svc, "/metrics")
            .await
            .expect("metrics through the Service");
        order.push(which_fe(c, &body));
    }
    assert!(
        order.windows(2).all(|w| w[0] != w[1]) && !order.contains(&1),
        "{order:?}"
    );
    let fes = objects(
        get(svc, "/api/show_proc?path=/frontends")
            .await
            .expect("frontends")
            .as_bytes(),
    );
    assert_eq!(col(&fes, "Alive"), ["true", "false", "true"]);
    assert_eq!(
        col(&fes, "ErrMsg")[1],
        "Connection refused (Connection refused)"
    );

    // Every FE down: the Service has nobody to send to and refuses too.
    c.faults.set(Fault::FeDown(0));
    c.faults.set(Fault::FeDown(2));
    eventually("the Service to refuse", || refused(svc)).await;
    c.faults.clear_all();
    eventually("the Service and FE 1 to answer again", || async {
        get(svc, "/api/health").await.is_some()
            && get(c.fe_http_addrs[1], "/api/health").await.is_some()
    })
    .await;
    assert!(!refused(c.fe_mysql_addrs[1]).await);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_down_leader_is_listed_dead_and_fe_1_leads() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    assert_eq!(c.service_addr, None);
    assert_eq!(c.http_addr, c.fe_http_addrs[0]);
    c.faults.set(Fault::FeDown(0));
    eventually("FE 0's ports to refuse", || async {
        refused(c.fe_http_addrs[0]).await && refused(c.fe_mysql_addrs[0]).await
    })
    .await;
    let fe1 = c.fe_http_addrs[1];
    let fes = objects(
        get(fe1, "/api/show_proc?path=/frontends")
            .await
            .expect("frontends")
            .as_bytes(),
    );
    assert_eq!(col(&fes, "Alive"), ["false", "true", "true"]);
    assert_eq!(col(&fes, "Role"), ["FOLLOWER", "LEADER", "FOLLOWER"]);
    assert_eq!(
        col(&fes, "ErrMsg"),
        ["Connection refused (Connection refused)", "", ""]
    );
    let m1 = get(fe1, "/metrics").await.expect("FE 1 metrics");
    assert!(m1.contains("node_info{type=\"is_master\"} 1\n"));
    assert!(m1.contains("node_info{type=\"fe_node_num\", state=\"alive\"} 2\n"));
    let m2 = get(c.fe_http_addrs[2], "/metrics")
        .await
        .expect("FE 2 metrics");
    assert!(!m2.contains("is_master"));
    let listed = get(fe1, "/_sim/faults").await.expect("faults");
    assert_eq!(listed, r#"{"faults":[{"fault":"fe_down","index":0}]}"#);

    c.faults.clear(&Fault::FeDown(0));
    eventually("FE 0 to answer again", || async {
        get(c.fe_http_addrs[0], "/api/health").await.is_some()
    })
    .await;
    let m0 = get(c.fe_http_addrs[0], "/metrics")
        .await
        .expect("FE 0 metrics");
    assert!(m0.contains("node_info{type=\"is_master\"} 1\n"));
    assert!(!refused(c.fe_mysql_addrs[0]).await);
    sim.shutdown().await;
}
