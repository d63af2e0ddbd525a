//! Query insights (issue 16) through the REST API against the simulator:
//! every FE's running queries, a kill that stops one and is recorded, a kill
//! StarRocks refuses, the audit table's history, its absence, and an older
//! plugin's columns.

use crate::common::*;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

async fn get(app: &TestApp, cookie: &str, path: &str) -> (StatusCode, Value) {
    let r = app.send(Method::GET, path, Some(cookie), None).await;
    let status = r.status;
    (status, r.json())
}

#[tokio::test]
async fn every_fe_lists_its_queries_and_a_kill_stops_one_and_is_recorded() {
    let app = start().await;
    let sim = simulator_seeded(&["3.3-shared-nothing"], 16).await;
    let id = register_sim(&app, "queries", &sim.clusters()[0]).await;
    let cookie = app.admin_cookie().await;

    let (status, running) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{id}/queries/running"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{running}");
    let queries = running["queries"].as_array().cloned().unwrap_or_default();
    assert!(!queries.is_empty(), "{running}");
    // Every FE answered, and the list names which FE holds each query.
    let fes = running["frontends"].as_array().cloned().unwrap_or_default();
    assert_eq!(fes.len(), 3, "{running}");
    assert!(fes.iter().all(|f| f["error"].is_null()), "{running}");
    let holders: std::collections::BTreeSet<&str> =
        queries.iter().filter_map(|q| q["fe"].as_str()).collect();
    assert!(
        holders.len() >= 2,
        "queries on more than one FE: {holders:?}"
    );
    // Longest first.
    let runs: Vec<i64> = queries
        .iter()
        .filter_map(|q| q["run_ms"].as_i64())
        .collect();
    assert!(runs.windows(2).all(|w| w[0] >= w[1]), "{runs:?}");

    // Stop the longest, on the FE that holds it.
    let victim = &queries[0];
    let (fe, conn, qid) = (
        victim["fe"].as_str().unwrap_or_default().to_string(),
        victim["connection_id"].as_i64().expect("a connection id"),
        victim["query_id"].as_str().unwrap_or_default().to_string(),
    );
    let r = app
        .send(
            Method::POST,
            &format!("/api/clusters/{id}/queries/{conn}/kill"),
            Some(&cookie),
            Some(json!({ "fe": fe, "query_id": qid, "user": victim["user"], "run_ms": victim["run_ms"] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    assert_eq!(r.json()["ok"], true);
    let (_, after) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{id}/queries/running"),
    )
    .await;
    assert!(
        after["queries"]
            .as_array()
            .is_some_and(|qs| qs.iter().all(|q| q["query_id"] != qid.as_str())),
        "the stopped query is gone: {after}"
    );

    // A connection the FE does not hold: StarRocks' refusal, in its words, recorded too.
    let r = app
        .send(
            Method::POST,
            &format!("/api/clusters/{id}/queries/999999/kill"),
            Some(&cookie),
            Some(json!({ "fe": fe })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    let message = r.json()["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("Unknown thread id"), "{message}");

    // An FE the cluster does not list is refused before asking anything.
    let r = app
        .send(
            Method::POST,
            &format!("/api/clusters/{id}/queries/1/kill"),
            Some(&cookie),
            Some(json!({ "fe": "10.255.255.1:8030" })),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    let (status, log) = get(&app, &cookie, &format!("/api/clusters/{id}/activity")).await;
    assert_eq!(status, StatusCode::OK);
    let log = log.as_array().cloned().unwrap_or_default();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0]["ok"], false);
    assert!(log[0]["result"]
        .as_str()
        .is_some_and(|r| r.contains("Unknown thread id")));
    assert_eq!(log[1]["ok"], true);
    assert_eq!(log[1]["username"], "admin");
    assert!(log[1]["target"]
        .as_str()
        .is_some_and(|t| t.contains(&format!("connection {conn}")) && t.contains(&qid)));
    sim.shutdown().await;
}

#[tokio::test]
async fn the_audit_table_gives_slow_statements_and_top_lists() {
    let app = start().await;
    let sim = simulator_seeded(&["3.3-shared-nothing"], 17).await;
    let id = register_sim(&app, "audit", &sim.clusters()[0]).await;
    let cookie = app.admin_cookie().await;

    let (status, slow) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{id}/queries/slow?range=24h"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{slow}");
    assert_eq!(slow["source"]["present"], true);
    assert_eq!(slow["min_ms"], 5000);
    let rows = slow["queries"].as_array().cloned().unwrap_or_default();
    assert!(
        !rows.is_empty(),
        "a realistic day has slow statements: {slow}"
    );
    assert!(rows
        .iter()
        .all(|q| q["query_ms"].as_i64().is_some_and(|ms| ms >= 5000)));
    let times: Vec<i64> = rows.iter().filter_map(|q| q["at"].as_i64()).collect();
    assert_eq!(times.len(), rows.len(), "every row has its time");
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let (from, to) = (
        slow["from"].as_i64().unwrap_or(0),
        slow["to"].as_i64().unwrap_or(0),
    );
    assert!(
        times.iter().all(|t| (from..to).contains(t)),
        "inside the range"
    );
    // A higher bar from the URL.
    let (_, slower) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{id}/queries/slow?range=24h&min_ms=60000"),
    )
    .await;
    let slower = slower["queries"].as_array().cloned().unwrap_or_default();
    assert!(slower.len() < rows.len() || rows.len() == 200);
    assert!(slower
        .iter()
        .all(|q| q["query_ms"].as_i64().is_some_and(|ms| ms >= 60_000)));

    for by in ["statement", "user", "client", "table", "error"] {
        let (status, top) = get(
            &app,
            &cookie,
            &format!("/api/clusters/{id}/queries/top?range=24h&by={by}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{by}: {top}");
        let list = &top["list"];
        assert_eq!(list["by"], by);
        let rows = list["rows"].as_array().cloned().unwrap_or_default();
        assert!(!rows.is_empty(), "{by}: {top}");
        if by != "error" {
            let totals: Vec<i64> = rows.iter().filter_map(|r| r["total_ms"].as_i64()).collect();
            assert!(
                totals.windows(2).all(|w| w[0] >= w[1]),
                "{by} by total time: {totals:?}"
            );
        }
        match by {
            "statement" => assert!(rows.iter().any(|r| r["p95_ms"].as_f64().is_some())),
            // QueriedRelations is filled on this cluster: exact, not approximate.
            "table" => {
                assert_eq!(list["approximate"], false, "{top}");
                assert!(rows
                    .iter()
                    .all(|r| r["key"].as_str().is_some_and(|k| k.contains('.'))));
            }
            "client" => assert!(rows
                .iter()
                .all(|r| !r["key"].as_str().unwrap_or(":").contains(':'))),
            "error" => assert!(rows.iter().all(|r| r["example"].is_string())),
            _ => {}
        }
    }
    let (status, bad) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{id}/queries/top?by=hosts"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    sim.shutdown().await;
}

#[tokio::test]
async fn without_the_audit_table_the_history_says_so_and_an_old_plugin_is_read_by_its_columns() {
    let app = start().await;
    let sim = simulator_seeded(&["3.3-shared-data", "3.0-shared-nothing"], 18).await;
    let none = register_sim(&app, "no-audit", &sim.clusters()[0]).await;
    let old = register_sim(&app, "old-audit", &sim.clusters()[1]).await;
    let cookie = app.admin_cookie().await;

    let (status, slow) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{none}/queries/slow?range=24h"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{slow}");
    assert_eq!(slow["source"]["present"], false);
    assert!(slow["queries"].as_array().is_some_and(|q| q.is_empty()));
    // The running list still works there.
    let (status, running) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{none}/queries/running"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{running}");

    let (status, slow) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{old}/queries/slow?range=24h"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{slow}");
    assert_eq!(slow["source"]["present"], true);
    let columns = slow["source"]["columns"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !columns.iter().any(|c| c == "QueriedRelations"),
        "{columns:?}"
    );
    assert!(
        slow["queries"].as_array().is_some_and(|q| !q.is_empty()),
        "{slow}"
    );
    // Tables come from the statements' text there, said to be approximate.
    let (status, top) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{old}/queries/top?range=24h&by=table"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{top}");
    assert_eq!(top["list"]["approximate"], true);
    assert!(
        top["list"]["sampled"].as_i64().is_some_and(|n| n > 0),
        "{top}"
    );
    assert!(
        top["list"]["rows"]
            .as_array()
            .is_some_and(|r| !r.is_empty()),
        "{top}"
    );
    // 3.0 lists each FE's queries in the old units.
    let (status, running) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{old}/queries/running"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{running}");
    assert_eq!(running["global"], false);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_login_without_the_privilege_sees_starrocks_refusal_not_an_empty_list() {
    let app = start().await;
    let sim = simulator_seeded(&["3.3-shared-nothing"], 19).await;
    let c = &sim.clusters()[0];
    let cookie = app.admin_cookie().await;
    let r = app
        .send(
            Method::POST,
            "/api/clusters",
            Some(&cookie),
            Some(json!({
                "name": "viewer", "fe_host": "127.0.0.1",
                "http_port": c.http_addr.port().to_string(), "query_port": c.mysql_addr.port().to_string(),
                "username": "viewer", "password": "viewer", "use_https": false,
                "extra_fes": [], "description": "", "tags": []
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    let id = r.json()["id"].as_i64().expect("id");
    let (status, body) = get(
        &app,
        &cookie,
        &format!("/api/clusters/{id}/queries/running"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| m.contains("401")
            || m.to_lowercase().contains("denied")
            || m.to_lowercase().contains("auth")),
        "{body}"
    );
    sim.shutdown().await;
}
