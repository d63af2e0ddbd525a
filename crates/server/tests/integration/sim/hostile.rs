//! The hostile faults and the control API's guard, through real sockets.

use super::{client, start, JsonBody};
use serde_json::{json, Value};
use sim::Fault;
use std::time::Duration;

#[tokio::test]
async fn the_fault_api_refuses_requests_that_are_not_json() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    let url = format!("http://{}/_sim/faults", c.http_addr);
    // What a web page can send cross-site without asking first.
    for (content_type, body) in [
        ("application/x-www-form-urlencoded", "fault=http500"),
        ("text/plain", r#"{"fault":"http500"}"#),
        (
            "text/plain;charset=UTF-8",
            r#"{"fault":"be_dead","index":0}"#,
        ),
    ] {
        let r = client()
            .post(&url)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 415, "{content_type}");
        assert_eq!(r.headers()["content-type"], "application/json");
        let v: Value = r.json_value().await;
        assert!(v["error"].is_string(), "{v}");
        assert!(c.faults.active().is_empty(), "{content_type}");
    }
    let r = client()
        .post(&url)
        .body(r#"{"fault":"http500"}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 415, "no content type");
    let listed: Value = client()
        .get(&url)
        .send()
        .await
        .expect("send")
        .json_value()
        .await;
    assert_eq!(listed, json!({"faults": []}));

    // Clearing needs JSON too.
    c.faults.set(Fault::Http500);
    for content_type in ["application/x-www-form-urlencoded", "text/plain"] {
        let r = client()
            .delete(&url)
            .header("content-type", content_type)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 415, "{content_type}");
    }
    assert_eq!(c.faults.active(), vec![Fault::Http500]);
    let r = client()
        .delete(&url)
        .header("content-type", "application/json")
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert!(c.faults.active().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn hostile_faults_switch_by_name_with_their_defaults() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    let url = format!("http://{}/_sim/faults", c.http_addr);
    let mut last = Value::Null;
    for name in [
        "metrics_bomb",
        "huge_error",
        "node_injection",
        "redirect",
        "many_nodes",
        "drip",
    ] {
        let r = client()
            .post(&url)
            .header("content-type", "application/json")
            .body(json!({ "fault": name }).to_string())
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200, "{name}");
        last = r.json_value().await;
    }
    assert_eq!(
        last["faults"],
        json!([
            {"fault": "metrics_bomb", "bytes": 32 << 20},
            {"fault": "huge_error", "bytes": 30 << 20},
            {"fault": "node_injection"},
            {"fault": "redirect", "to": "http://127.0.0.1:9/elsewhere"},
            {"fault": "many_nodes", "count": 10_000},
            {"fault": "drip", "ms": 100},
        ])
    );
    assert_eq!(
        c.faults.redirect().as_deref(),
        Some("http://127.0.0.1:9/elsewhere")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_client_with_a_timeout_gives_up_on_a_dripping_fe() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    c.faults.set(Fault::Drip(Duration::from_millis(50)));
    let impatient = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(600))
        .build()
        .expect("client");
    let r = impatient
        .get(format!("http://{}/api/health", c.http_addr))
        .send()
        .await
        .expect("the headers come at once");
    assert_eq!(r.status(), 200);
    let e = r.text().await.expect_err("the body takes over 3 s");
    assert!(e.is_timeout(), "{e}");
    sim.shutdown().await;
}

#[tokio::test]
async fn be_metrics_redirect_elsewhere() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    c.faults
        .set(Fault::Redirect("http://127.0.0.1:9/stolen".into()));
    let no_follow = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let r = no_follow
        .get(format!("http://{}/metrics", c.be_http_addrs[0]))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], "http://127.0.0.1:9/stolen");
    assert_eq!(r.text().await.expect("body"), "");
    sim.shutdown().await;
}
