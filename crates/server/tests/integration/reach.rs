//! Issue 12: clusters whose listed node addresses the console cannot reach
//! (Kubernetes), and several registered FE addresses with failover.

use crate::common::*;
use axum::http::{Method, StatusCode};
use collector::CollectorConfig;
use model::reach::{Reach, ReachWhy};
use model::snapshot::{CollectStatus, Snapshot};
use serde_json::{json, Value};
use sim::{ClusterSpec, Fault, PortPlan, Simulator};
use std::time::Duration;
use store::now_ms;

async fn simulator(profile: &str) -> Simulator {
    let spec = ClusterSpec::profile(profile, 12).expect("profile");
    Simulator::start(vec![spec], PortPlan::Ephemeral)
        .await
        .expect("simulator")
}

fn reach(s: &Snapshot) -> &Reach {
    s.reach.as_ref().expect("the snapshot records its reach")
}

/// The overview's collection card, as the page shows it.
async fn collection_card(app: &TestApp, cookie: &str, id: i64) -> Value {
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/overview?range=1h"),
            Some(cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let cards = r.json()["health"]["cards"].clone();
    cards
        .as_array()
        .and_then(|c| c.iter().find(|c| c["key"] == "collection").cloned())
        .expect("a collection card")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubernetes_pod_names_metrics_come_over_mysql_and_rates_never_jump() {
    let app = start().await;
    let sim = simulator("3.3-k8s").await;
    let c = &sim.clusters()[0];
    // The Service address: each request answered by another FE.
    assert_eq!(c.service_addr, Some(c.http_addr));
    let id = app
        .register_local("k8s", c.http_addr.port(), c.mysql_addr.port())
        .await;
    let col = app
        .quiet_collector(CollectorConfig::with_interval(Duration::from_secs(30)))
        .await;
    let mut rows = Vec::new();
    let mut times = Vec::new();
    for i in 0..3 {
        if i > 0 {
            tokio::time::sleep(Duration::from_millis(1500)).await;
        }
        let at = now_ms();
        col.tick(at).await.expect("tick");
        times.push(at);
        rows.push(app.latest(id).await);
    }
    for s in &rows {
        assert_eq!(s.status, CollectStatus::Ok, "{s:?}");
        let r = reach(s);
        assert_eq!((r.fe.alive, r.fe.mysql, r.fe.direct), (3, 3, 0), "{r:?}");
        assert_eq!((r.be.alive, r.be.mysql, r.be.direct), (3, 3, 0), "{r:?}");
        assert_eq!(
            r.answered_by.as_deref(),
            Some(c.http_addr.to_string().as_str())
        );
        let said = r.summary().expect("the path is said");
        assert!(said.contains("over MySQL"), "{said}");
        assert_eq!(r.why, Some(ReachWhy::Unreachable), "{r:?}");
        assert!(said.contains("not reachable from the console"), "{said}");
    }
    for s in &rows[1..] {
        let qps = s.qps.expect("QPS from the second collection on");
        assert!(qps >= 0.0 && s.rps.expect("rps") >= 0.0, "{s:?}");
        assert!(s.queries.expect("queries") >= 0);
        assert!(s.latency_p99_ms.expect("p99") > 0.0);
        assert!(s.connections.expect("connections") > 0);
        assert!(s.compaction_score_max.is_some(), "{s:?}");
        assert!(s.jvm_heap_used_bytes.expect("heap") > 0);
        assert!(s.cpu_avg_pct.is_some(), "BE CPU from be_metrics: {s:?}");
    }
    // Rates follow the simulated load: no jump from counters of two FEs.
    let (t2, t3) = (times[1], times[2]);
    let expected = c.model.queries_between(t2, t3) / ((t3 - t2) as f64 / 1000.0);
    let qps = rows[2].qps.expect("qps");
    assert!(
        (qps - expected).abs() <= expected * 0.2 + 1.0,
        "collector QPS {qps:.1}, simulator {expected:.1}"
    );
    let cookie = app.admin_cookie().await;
    let card = collection_card(&app, &cookie, id).await;
    assert_eq!(card["status"], "healthy", "{card}");
    assert!(
        card["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("over MySQL"),
        "{card}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kubernetes_without_mysql_the_collection_card_warns_what_is_missing() {
    let app = start().await;
    let sim = simulator("3.3-k8s").await;
    let c = &sim.clusters()[0];
    c.faults.set(Fault::MysqlDown);
    let id = app
        .register_local("k8s", c.http_addr.port(), c.mysql_addr.port())
        .await;
    let col = app
        .quiet_collector(CollectorConfig::with_interval(Duration::from_secs(30)))
        .await;
    col.tick(now_ms()).await.expect("tick");
    let s = app.latest(id).await;
    assert_ne!(s.status, CollectStatus::Failed, "{s:?}");
    let r = reach(&s);
    assert_eq!(r.be.read(), 0, "{r:?}");
    assert!(r.fe.read() < 3, "only the leader can be told apart: {r:?}");
    assert_eq!(r.why, Some(ReachWhy::UnreachableMissing), "{r:?}");
    assert!(r.mysql_error.is_some(), "{r:?}");
    let said = r.summary().expect("words");
    assert!(said.contains("could not be read either"), "{said}");
    let cookie = app.admin_cookie().await;
    let card = collection_card(&app, &cookie, id).await;
    assert_eq!(card["status"], "warning", "{card}");
    let reason = card["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("no BE metrics"), "{reason}");
    assert!(reason.contains("are missing"), "{reason}");
    assert!(
        card["action"]
            .as_str()
            .unwrap_or_default()
            .contains("port (8030)"),
        "{card}"
    );
    // The fleet line says the same.
    let fleet = app
        .send(Method::GET, "/api/fleet", Some(&cookie), None)
        .await;
    assert_eq!(fleet.status, StatusCode::OK, "{}", fleet.body);
    let line = fleet.json()["clusters"][0].clone();
    assert_eq!(line["status"], "warning", "{line}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_fe_addresses_fail_over_and_the_page_names_the_address_that_failed() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let sim = simulator("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    let (http, mysql) = (&c.fe_http_addrs, &c.fe_mysql_addrs);
    let extra: Vec<Value> = (1..http.len())
        .map(|j| json!({"host": "127.0.0.1", "http_port": http[j].port(), "query_port": mysql[j].port()}))
        .collect();
    let r = app
        .send(
            Method::POST,
            "/api/clusters",
            Some(&cookie),
            Some(json!({
                "name": "three-fes", "fe_host": "127.0.0.1",
                "http_port": http[0].port(), "query_port": mysql[0].port(),
                "username": "root", "password": "", "extra_fes": extra,
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    assert_eq!(r.json()["extra_fes"][1]["http_port"], http[2].port());
    assert!(r.json().get("password").is_none());

    let col = app
        .quiet_collector(CollectorConfig::with_interval(Duration::from_secs(30)))
        .await;
    col.tick(now_ms()).await.expect("tick");
    assert_eq!(app.latest(id).await.status, CollectStatus::Ok);

    c.faults.set(Fault::FeDown(0));
    col.tick(now_ms()).await.expect("tick");
    let s = app.latest(id).await;
    assert_eq!(s.status, CollectStatus::Ok, "{s:?}");
    let r = reach(&s);
    let first = format!("127.0.0.1:{}", http[0].port());
    assert_eq!(r.answered_by, Some(format!("127.0.0.1:{}", http[1].port())));
    assert_eq!(r.failed.len(), 1, "{r:?}");
    assert_eq!(r.failed[0].address, first);
    let card = collection_card(&app, &cookie, id).await;
    let reason = card["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains(&format!("FE address {first} did not answer")),
        "{reason}"
    );

    // The fleet line shows the first address and how many more there are.
    let fleet = app
        .send(Method::GET, "/api/fleet", Some(&cookie), None)
        .await;
    let line = fleet.json()["clusters"][0].clone();
    assert_eq!(
        line["http_url"],
        format!("http://127.0.0.1:{} (+2 FE addresses)", http[0].port()),
        "{line}"
    );

    // Test connection fails over too, and says which address did not answer.
    let r = app
        .send(
            Method::POST,
            &format!("/api/clusters/{id}/test"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["ok"], true, "{}", r.body);
    let skipped = r.json()["addresses_not_answering"].to_string();
    assert!(skipped.contains(&first), "{skipped}");

    // Every address down: unreachable, each named.
    c.faults.set(Fault::FeRefusing);
    col.tick(now_ms()).await.expect("tick");
    let s = app.latest(id).await;
    assert_eq!(s.status, CollectStatus::Failed, "{s:?}");
    let m = s.error_message.unwrap_or_default();
    assert!(m.contains("none of the 3 FE addresses answered"), "{m}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_fe_addresses_a_new_address_needs_the_password_again() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let body = json!({
        "name": "guarded", "fe_host": "fe1.example.com", "username": "root",
        "password": "secret", "extra_fes": ["fe2.example.com"],
    });
    let r = app
        .send(
            Method::POST,
            "/api/clusters",
            Some(&cookie),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let mut edit = body.clone();
    edit["password"] = Value::Null;
    // Dropping an address keeps the password.
    edit["extra_fes"] = json!([]);
    let r = app
        .send(
            Method::PUT,
            &format!("/api/clusters/{id}"),
            Some(&cookie),
            Some(edit.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // Adding one would send it somewhere new.
    edit["extra_fes"] = json!(["evil.example.com"]);
    let r = app
        .send(
            Method::PUT,
            &format!("/api/clusters/{id}"),
            Some(&cookie),
            Some(edit),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.json()["fields"]["password"]
        .as_str()
        .unwrap_or_default()
        .contains("FE address"));
    // A wrong line is named.
    let mut bad = body;
    bad["name"] = json!("bad");
    bad["extra_fes"] = json!(["fe2", "http://fe3"]);
    let r = app
        .send(Method::POST, "/api/clusters", Some(&cookie), Some(bad))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(
        r.json()["fields"]["extra_fes"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Line 2:"),
        "{}",
        r.body
    );
}
