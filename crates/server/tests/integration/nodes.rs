//! Each node's own history (issue 14): the collector keeps a row per node in
//! the tick's transaction, the node view answers its series for any range
//! from rows, partials or days, and an unknown node or cluster is a 404.

use crate::common::*;
use crate::overview::{cluster, ok_row};
use axum::http::{Method, StatusCode};
use collector::CollectorConfig;
use model::node::{key_of, NodeView};
use model::overview::{parse_window, NodeInfo, Nodes, DAY_MS, HOUR_MS};
use serde_json::Value;
use sim::{ClusterSpec, Fault, PortPlan, Simulator};
use std::time::Duration;
use store::housekeeping::{self, Retention};
use store::now_ms;
use store::snapshots::{self, Collected};

const MINUTE: i64 = 60_000;

async fn count(app: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&app.state.pool)
        .await
        .expect("count")
}

/// The values of series `key` in a node view answered over REST.
fn values(view: &Value, key: &str) -> Vec<Option<f64>> {
    view["series"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["key"] == key))
        .and_then(|s| s["values"].as_array())
        .map(|v| v.iter().map(Value::as_f64).collect())
        .unwrap_or_else(|| panic!("no series {key} in {view}"))
}

fn latest(values: &[Option<f64>]) -> Option<f64> {
    values.iter().rev().find_map(|v| *v)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tick_keeps_a_row_per_node_and_the_node_view_draws_it() {
    let app = start().await;
    let sim = Simulator::start(
        vec![ClusterSpec::profile("3.3-shared-nothing", 60).expect("profile")],
        PortPlan::Ephemeral,
    )
    .await
    .expect("simulator");
    let c = &sim.clusters()[0];
    c.faults.set(Fault::BeDead(1));
    let id = app
        .register_local("prod", c.http_addr.port(), c.mysql_addr.port())
        .await;
    let col = app
        .quiet_collector(CollectorConfig::with_interval(Duration::from_secs(30)))
        .await;
    let t1 = now_ms();
    col.tick(t1).await.expect("tick");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let t2 = now_ms();
    col.tick(t2).await.expect("tick");

    // One row per listed node per tick: 3 FEs and 3 BEs.
    let per_tick = count(
        &app,
        "SELECT COUNT(*) FROM node_snapshots WHERE cluster_id = ? GROUP BY collected_at",
        id,
    )
    .await;
    assert_eq!(per_tick, 6);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM node_snapshots WHERE cluster_id = ?",
            id
        )
        .await,
        12
    );
    let lists = snapshots::nodes(&app.state.pool, id)
        .await
        .expect("read")
        .expect("lists");
    let dead = lists.backends.iter().find(|n| !n.alive).expect("a dead BE");
    let alive = lists
        .backends
        .iter()
        .find(|n| n.alive)
        .expect("an alive BE");
    // The table names a BE by host and heartbeat port, and shows nothing
    // live for the dead one (StarRocks lists its CPU as 0 %).
    assert!(model::node::address(alive).is_some(), "{alive:?}");
    assert_eq!(
        (dead.cpu_pct, dead.mem_pct, dead.disk_used_pct),
        (None, None, None)
    );
    let dead_rows: Vec<(bool, Option<f64>, Option<f64>)> = sqlx::query_as(
        "SELECT alive, cpu_pct, mem_pct FROM node_snapshots WHERE cluster_id = ? AND node = ?",
    )
    .bind(id)
    .bind(key_of(dead))
    .fetch_all(&app.state.pool)
    .await
    .expect("rows");
    assert_eq!(dead_rows, vec![(false, None, None); 2]);

    let cookie = app.admin_cookie().await;
    let get = |path: String| {
        let (app, cookie) = (&app, cookie.clone());
        async move { app.send(Method::GET, &path, Some(&cookie), None).await }
    };
    let be = get(format!(
        "/api/clusters/{id}/nodes/{}?range=1h",
        key_of(alive)
    ))
    .await;
    assert_eq!(be.status, StatusCode::OK, "{}", be.body);
    let be = be.json();
    assert_eq!(be["kind"], "be");
    assert_eq!(be["node"]["port"], alive.port.expect("port"));
    for key in ["node_cpu", "node_mem", "node_disk", "node_compaction"] {
        assert!(latest(&values(&be, key)).is_some(), "{key}: {be}");
    }
    let gone = get(format!(
        "/api/clusters/{id}/nodes/{}?range=1h",
        key_of(dead)
    ))
    .await;
    let gone = gone.json();
    assert!(
        values(&gone, "node_cpu").iter().all(Option::is_none),
        "{gone}"
    );
    // An FE's memory is its JVM heap; it reports no CPU: a gap, not 0.
    let fe = &lists.frontends[0];
    let fe = get(format!("/api/clusters/{id}/nodes/{}?range=1h", key_of(fe)))
        .await
        .json();
    assert!(latest(&values(&fe, "node_heap")).is_some(), "{fe}");
    assert!(values(&fe, "node_cpu").iter().all(Option::is_none), "{fe}");

    // Unknown node or cluster: 404; a bad range: 400; no session: 401.
    let r = get(format!("/api/clusters/{id}/nodes/be-999999")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(r.json()["message"]
        .as_str()
        .unwrap_or("")
        .contains("be-999999"));
    let r = get(format!("/api/clusters/9999/nodes/{}", key_of(alive))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = get(format!(
        "/api/clusters/{id}/nodes/{}?range=2y",
        key_of(alive)
    ))
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/nodes/{}", key_of(alive)),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // The page: the node by its address, its charts; an unknown node is a 404 page.
    let page = get(format!("/clusters/{id}/nodes/{}?range=6h", key_of(alive))).await;
    assert_eq!(page.status, StatusCode::OK);
    let address = model::node::address(alive).expect("address");
    assert!(page.body.contains(&address), "the page names {address}");
    for chart in ["cpu", "memory", "disk", "compaction"] {
        assert!(
            page.body.contains(&format!("data-chart=\"{chart}\"")),
            "no {chart} chart"
        );
    }
    let missing = get(format!("/clusters/{id}/nodes/be-999999")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("node-missing"));
    sim.shutdown().await;
}

fn be(id: &str, alive: bool, cpu: f64) -> NodeInfo {
    NodeInfo {
        host: Some("10.0.0.1".into()),
        port: Some(9050),
        cpu_pct: Some(cpu),
        mem_pct: Some(50.0),
        disk_used_pct: Some(cpu / 2.0),
        compaction_score: Some(10.0),
        ..NodeInfo::named("be", id, alive)
    }
}

#[tokio::test]
async fn the_node_view_answers_each_range_from_rows_partials_or_days_and_retention_trims_it() {
    let app = start().await;
    let id = cluster(&app, "seeded").await;
    let svc = crate::overview::service(&app);
    let now = now_ms();
    // Ten days at one tick per 10 minutes, the node dead between 6 h and 5 h ago,
    // and one collection (2 h ago) that failed: no node rows.
    let first = (now / HOUR_MS) * HOUR_MS - 10 * DAY_MS;
    let mut at = first;
    let mut ticks = Vec::new();
    while at < now {
        let failed = (now - at) / MINUTE / 10 == 12;
        let dead = (5 * HOUR_MS..6 * HOUR_MS).contains(&(now - at));
        let snapshot = if failed {
            model::snapshot::Snapshot::failed(
                id,
                at,
                model::starrocks::ErrorKind::Timeout,
                "timed out".into(),
            )
        } else {
            ok_row(id, at, 1.0)
        };
        ticks.push(Collected {
            ops: None,
            snapshot,
            counters: Vec::new(),
            nodes: (!failed).then(|| Nodes {
                collected_at: None,
                frontends: vec![],
                backends: vec![be(
                    "10001",
                    !dead,
                    5.0 + ((at - first) / MINUTE % 60) as f64,
                )],
                listed: None,
            }),
        });
        at += 10 * MINUTE;
    }
    for chunk in ticks.chunks(200) {
        snapshots::write_tick(&app.state.pool, chunk)
            .await
            .expect("write");
    }
    let view = |range: &'static str| {
        let svc = svc.clone();
        async move {
            let w = parse_window(Some(range), None, None, now).expect("window");
            svc.node(id, "be-10001", &w, now).await.expect("node")
        }
    };
    let cpu = |v: &NodeView| {
        v.series
            .iter()
            .find(|s| s.key == "node_cpu")
            .expect("cpu")
            .values
            .clone()
    };

    // 6h reads raw rows: a point per 10 minutes, gaps where there was none.
    let six = view("6h").await;
    assert_eq!(six.kind, "be");
    assert_eq!(six.node.as_ref().map(|n| n.name.as_str()), Some("10001"));
    let v = cpu(&six);
    let known = v.iter().flatten().count();
    // 36 ticks in 6 h, minus the dead hour's 6 and the failed one.
    assert!((28..=30).contains(&known), "{known} points: {v:?}");
    // 24h reads the 5-minute partials, 7d the 15-minute ones: the same shape.
    let day = view("24h").await;
    assert_eq!(day.step_ms, 5 * MINUTE);
    assert!(cpu(&day).iter().flatten().count() >= 130);
    let week = view("7d").await;
    assert_eq!(week.step_ms, 15 * MINUTE);
    let w = cpu(&week);
    assert!(w.iter().flatten().all(|c| (5.0..60.0).contains(c)), "{w:?}");
    // 30d reads the daily partials, rolled up after each day as the
    // cluster's daily rows are: a value for each of the ten finished days.
    housekeeping::rollup(&app.state.pool, now, 600)
        .await
        .expect("rollup");
    let month = view("30d").await;
    assert_eq!(month.step_ms, DAY_MS);
    let days = cpu(&month).iter().flatten().count();
    assert_eq!(days, 10, "{:?}", cpu(&month));
    // The dead hour is a gap, never a 0.
    let start = six.series[0].start;
    for (i, c) in v.iter().enumerate() {
        let t = start + i as i64 * six.step_ms;
        if (now - 6 * HOUR_MS + 10 * MINUTE..now - 5 * HOUR_MS - MINUTE).contains(&t) {
            assert_eq!(*c, None, "{t}");
        }
    }
    assert!(!v.contains(&Some(0.0)));

    // Retention: raw rows and short partials older than a week go, days stay.
    let before = count(
        &app,
        "SELECT COUNT(*) FROM node_snapshots WHERE cluster_id = ?",
        id,
    )
    .await;
    housekeeping::apply_retention(
        &app.state.pool,
        now,
        Retention {
            raw: Duration::from_secs(7 * 86_400),
            daily: Duration::from_secs(90 * 86_400),
        },
    )
    .await
    .expect("retention");
    let after = count(
        &app,
        "SELECT COUNT(*) FROM node_snapshots WHERE cluster_id = ?",
        id,
    )
    .await;
    assert!(
        after < before && after <= 7 * 144 + 1,
        "{before} -> {after}"
    );
    let oldest: i64 = count(
        &app,
        "SELECT MIN(collected_at) FROM node_snapshots WHERE cluster_id = ?",
        id,
    )
    .await;
    assert!(oldest >= now - 7 * DAY_MS);
    let old_short: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM node_rollup WHERE cluster_id = ? AND res < 86400000 AND bucket < ?",
    )
    .bind(id)
    .bind(now - 7 * DAY_MS - 15 * MINUTE)
    .fetch_one(&app.state.pool)
    .await
    .expect("count");
    assert_eq!(old_short, 0);
    assert_eq!(
        cpu(&view("30d").await).iter().flatten().count(),
        days,
        "days are kept"
    );
}
