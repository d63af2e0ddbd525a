//! "Test connection" over REST, and demo mode, against the built-in simulator.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::json;
use sim::{ClusterSpec, Fault, PortPlan, Simulator};
use starrocks_overview::demo;

async fn simulator() -> Simulator {
    let spec = ClusterSpec::profile("3.3-shared-nothing", 3).expect("profile");
    Simulator::start(vec![spec], PortPlan::Ephemeral)
        .await
        .expect("simulator")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn testing_an_unsaved_cluster_reports_version_and_nodes_and_stores_nothing() {
    let app = start().await;
    let c = app.admin_cookie().await;
    let sim = simulator().await;
    let s = &sim.clusters()[0];
    let body = json!({
        "name": "candidate",
        "fe_host": "127.0.0.1",
        "http_port": s.http_addr.port(),
        "query_port": s.mysql_addr.port(),
        "username": "root",
    });
    let r = app
        .send(Method::POST, "/api/clusters/test", Some(&c), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = r.json();
    assert_eq!(report["ok"], true, "{report}");
    assert!(
        report["version"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.3"),
        "{report}"
    );
    assert_eq!(report["frontends_alive"], report["frontends_total"]);
    assert!(report["nodes_total"].as_u64().unwrap_or(0) > 0);
    let list = app.send(Method::GET, "/api/clusters", Some(&c), None).await;
    assert_eq!(list.json(), json!([]), "testing stores nothing");

    let bad = app
        .send(
            Method::POST,
            "/api/clusters/test",
            Some(&c),
            Some(json!({"name": "x", "fe_host": "http://x", "username": "root"})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["fields"]["fe_host"].is_string());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn testing_a_registered_cluster_uses_its_stored_password_and_never_shows_it() {
    let app = start().await;
    let c = app.admin_cookie().await;
    let sim = simulator().await;
    let s = &sim.clusters()[0];
    let secret = "a-stored-cluster-password";
    let created = app
        .send(
            Method::POST,
            "/api/clusters",
            Some(&c),
            Some(json!({
                "name": "sim",
                "fe_host": "127.0.0.1",
                "http_port": s.http_addr.port(),
                "query_port": s.mysql_addr.port(),
                "username": "root",
                "password": secret,
            })),
        )
        .await;
    let id = created.json()["id"].as_i64().expect("id");
    // The simulator accepts root with an empty password only, so the stored one is refused.
    let r = app
        .send(
            Method::POST,
            &format!("/api/clusters/{id}/test"),
            Some(&c),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let report = r.json();
    assert_eq!(report["ok"], false);
    assert_eq!(report["mysql_error"]["kind"], "auth_failed", "{report}");
    assert!(!r.body.contains(secret), "{}", r.body);

    let mut fixed = created.json();
    fixed["password"] = json!("");
    app.send(
        Method::PUT,
        &format!("/api/clusters/{id}"),
        Some(&c),
        Some(fixed),
    )
    .await;
    let r = app
        .send(
            Method::POST,
            &format!("/api/clusters/{id}/test"),
            Some(&c),
            None,
        )
        .await;
    assert_eq!(r.json()["ok"], true, "{}", r.body);

    s.faults.set(Fault::FeRefusing);
    let r = app
        .send(
            Method::POST,
            &format!("/api/clusters/{id}/test"),
            Some(&c),
            None,
        )
        .await;
    assert_eq!(r.json()["http_error"]["kind"], "unreachable", "{}", r.body);
    s.faults.clear_all();

    let missing = app
        .send(Method::POST, "/api/clusters/999/test", Some(&c), None)
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_mode_registers_a_healthy_a_degraded_and_a_kubernetes_cluster_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = config_for(dir.path(), &["--demo-if-empty"]);
    let app = start_in(dir, &["--demo-if-empty"]).await;
    let clusters = &app.state.clusters;
    assert!(
        demo::wanted(&config, clusters).await.expect("wanted"),
        "nothing registered yet"
    );

    let sim = demo::start(clusters).await.expect("demo");
    let sim_again = {
        // A restart re-points the same registrations instead of adding more.
        sim.shutdown().await;
        demo::start(clusters).await.expect("demo again")
    };
    let list = clusters.list().await.expect("list");
    let names: Vec<&str> = list.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["demo-healthy", "demo-kubernetes", "demo-shared-data"]
    );
    assert!(list.iter().all(|c| c.tags == vec!["demo".to_string()]));
    assert!(
        demo::wanted(&config, clusters).await.expect("wanted"),
        "only demo clusters"
    );

    let id_of = |name: &str| list.iter().find(|c| c.name == name).expect(name).id;
    let healthy = clusters
        .test_connection(&clusters.endpoint(id_of("demo-healthy")).await.expect("ep"))
        .await;
    assert!(
        healthy.ok && healthy.nodes_alive == healthy.nodes_total,
        "{healthy:?}"
    );
    let degraded = clusters
        .test_connection(
            &clusters
                .endpoint(id_of("demo-shared-data"))
                .await
                .expect("ep"),
        )
        .await;
    assert!(degraded.ok && degraded.shared_data, "{degraded:?}");
    assert_eq!(
        degraded.nodes_alive + 1,
        degraded.nodes_total,
        "one node is down"
    );

    let c = app.admin_cookie().await;
    app.send(
        Method::POST,
        "/api/clusters",
        Some(&c),
        Some(json!({"name": "real", "fe_host": "fe1.internal", "username": "root"})),
    )
    .await;
    assert!(
        !demo::wanted(&config, clusters).await.expect("wanted"),
        "a real cluster turns --demo-if-empty off"
    );
    sim_again.shutdown().await;
}
