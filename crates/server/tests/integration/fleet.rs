//! The fleet page's answer (`OverviewService::fleet`, `GET /api/fleet`) on
//! clusters whose history is seeded at known times.

use crate::common::*;
use axum::http::{Method, StatusCode};
use model::fleet::{Fleet, FleetRow};
use model::overview::{HealthStatus, NodeInfo, Nodes, HOUR_MS, MINUTE_MS};
use model::snapshot::{CollectStatus, Snapshot};
use model::starrocks::ErrorKind;
use overview::OverviewService;
use store::now_ms;
use store::snapshots::{self, Collected};

const INTERVAL: i64 = 30_000;

fn service(app: &TestApp) -> OverviewService {
    OverviewService::new(
        app.state.pool.clone(),
        app.state.clusters.clone(),
        INTERVAL,
        720,
    )
}

/// 15 s into the current minute: the sparkline is the 60 whole minutes before it.
fn fixed_now() -> i64 {
    now_ms() / MINUTE_MS * MINUTE_MS + 15_000
}

fn ok_row(id: i64, at: i64, qps: f64) -> Snapshot {
    let mut s = Snapshot::empty(id, at, CollectStatus::Ok);
    s.qps = Some(qps);
    s.latency_p99_ms = Some(120.0);
    s.error_rate = Some(0.0);
    s.fe_total = Some(3);
    s.fe_alive = Some(3);
    s.be_total = Some(3);
    s.be_alive = Some(3);
    s.cpu_avg_pct = Some(20.0);
    s.disk_total_bytes = Some(1000);
    s.disk_used_bytes = Some(250);
    s.disk_max_pct = Some(30.0);
    s.compaction_score_max = Some(10.0);
    s.jvm_heap_used_bytes = Some(1);
    s.jvm_heap_max_bytes = Some(10);
    s
}

fn node(kind: &str, name: &str, role: Option<&str>, version: &str, alive: bool) -> NodeInfo {
    NodeInfo {
        host: Some("127.0.0.1".into()),
        role: role.map(str::to_string),
        version: Some(version.into()),
        ..NodeInfo::named(kind, name, alive)
    }
}

/// Three FEs (the second the leader, on a newer version) and three BEs, the
/// last of them dead when `dead_be`.
fn node_lists(dead_be: bool) -> Nodes {
    Nodes {
        collected_at: None,
        frontends: vec![
            node("fe", "127.0.0.1_9010_1", Some("FOLLOWER"), "3.3.4", true),
            node("fe", "127.0.0.1_9020_2", Some("LEADER"), "3.3.5", true),
            node("fe", "127.0.0.1_9030_3", Some("FOLLOWER"), "3.3.4", true),
        ],
        backends: vec![
            node("be", "127.0.0.1:9050", None, "3.3.5", true),
            node("be", "127.0.0.1:9060", None, "3.3.5", true),
            node("be", "127.0.0.1:9070", None, "3.3.5", !dead_be),
        ],
        listed: None,
    }
}

/// Writes each row as the collector does, in its own tick; the last row
/// carries `nodes`.
async fn write(app: &TestApp, rows: Vec<Snapshot>, nodes: Option<Nodes>) {
    let n = rows.len();
    for (i, snapshot) in rows.into_iter().enumerate() {
        let c = Collected {
            ops: None,
            snapshot,
            counters: Vec::new(),
            nodes: if i + 1 == n { nodes.clone() } else { None },
        };
        snapshots::write_tick(&app.state.pool, &[c])
            .await
            .expect("write");
    }
}

fn find<'a>(fleet: &'a Fleet, name: &str) -> &'a FleetRow {
    fleet
        .clusters
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("{name} is not on the fleet page"))
}

#[tokio::test]
async fn each_cluster_shows_its_state_its_last_figures_and_why() {
    let app = start().await;
    let now = fixed_now();
    // Registered out of order: the page lists them by name.
    let down = app.register_local("b-down", 1, 1).await;
    let healthy = app.register_local("a-healthy", 1, 1).await;
    let _new = app.register_local("c-new", 1, 1).await;

    // Healthy: a row every 30 s for the last 10 minutes, qps rising to 100.
    let rows = (0..20)
        .map(|i| ok_row(healthy, now - 600_000 + i * INTERVAL, 81.0 + i as f64))
        .collect();
    write(&app, rows, Some(node_lists(false))).await;
    // Down: good rows until 5 minutes ago, then three failed collections.
    let mut last_good = ok_row(down, now - 300_000, 42.0);
    last_good.latency_p99_ms = Some(900.0);
    last_good.disk_used_bytes = Some(500);
    let mut rows = vec![ok_row(down, now - 330_000, 40.0), last_good];
    for k in (1..=3).rev() {
        rows.push(Snapshot::failed(
            down,
            now - k * INTERVAL,
            ErrorKind::Unreachable,
            "cannot reach 127.0.0.1:8030: connection refused".into(),
        ));
    }
    write(&app, rows, Some(node_lists(false))).await;

    let fleet = service(&app).fleet(now).await.expect("fleet");
    assert_eq!(fleet.now, now);
    let names: Vec<&str> = fleet.clusters.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a-healthy", "b-down", "c-new"]);

    let h = find(&fleet, "a-healthy");
    assert_eq!(h.cluster_id, healthy);
    assert_eq!(h.status, HealthStatus::Healthy);
    assert_eq!(h.status_reason, "All health rules pass.");
    assert_eq!(h.http_url, "http://127.0.0.1:1");
    assert_eq!(h.version.as_deref(), Some("3.3.5"), "the leader's version");
    assert_eq!(
        (h.fe_alive, h.fe_total, h.be_alive, h.be_total),
        (Some(3), Some(3), Some(3), Some(3))
    );
    assert_eq!(h.qps, Some(100.0), "the newest row's figure");
    assert_eq!(h.latency_p99_ms, Some(120.0));
    assert_eq!(h.disk_used_pct, Some(25.0));
    assert_eq!(h.collected_at, Some(now - 600_000 + 19 * INTERVAL));
    assert_eq!(
        h.last_success_at, h.collected_at,
        "the newest attempt succeeded"
    );
    assert!(!h.stale);
    assert_eq!(h.error, None);
    assert_eq!(h.active_alerts, 0);

    let d = find(&fleet, "b-down");
    assert_eq!(d.status, HealthStatus::Critical);
    assert!(d.stale, "the figures are from before the failures");
    assert_eq!(
        d.status_reason,
        "No successful collection for 300 s (10 intervals): cannot reach 127.0.0.1:8030: connection refused",
        "the overview's collection card says the same"
    );
    assert_eq!(
        d.error.as_deref(),
        Some("cannot reach 127.0.0.1:8030: connection refused")
    );
    assert_eq!(
        d.collected_at,
        Some(now - INTERVAL),
        "the failed collection"
    );
    assert_eq!(
        d.last_success_at,
        Some(now - 300_000),
        "the figures' collection"
    );
    let health = service(&app).health(down, now).await.expect("health");
    let card = health
        .cards
        .iter()
        .find(|c| c.key == "collection")
        .expect("a collection card");
    assert_eq!(
        (card.status, card.reason.as_str()),
        (d.status, d.status_reason.as_str()),
        "the fleet and the overview say the same of the same rows"
    );
    assert_eq!(d.qps, Some(42.0), "the last good collection's figures");
    assert_eq!(d.latency_p99_ms, Some(900.0));
    assert_eq!(d.disk_used_pct, Some(50.0));
    assert_eq!((d.be_alive, d.be_total), (Some(3), Some(3)));
    assert_eq!(d.version.as_deref(), Some("3.3.5"));

    let n = find(&fleet, "c-new");
    assert_eq!(n.status, HealthStatus::Unknown);
    assert_eq!(
        n.status_reason,
        "No collection yet: data appears within one collection interval."
    );
    assert_eq!(
        (n.qps, n.version.as_ref(), n.collected_at),
        (None, None, None)
    );
    assert!(!n.stale);
    assert_eq!(n.qps_last_hour.values.len(), 60);
    assert!(n.qps_last_hour.values.iter().all(Option::is_none));
}

#[tokio::test]
async fn a_cluster_that_never_answered_is_critical_without_figures() {
    let app = start().await;
    let now = fixed_now();
    let id = app.register_local("never", 1, 1).await;
    let rows = (1..=2)
        .map(|k| {
            Snapshot::failed(
                id,
                now - k * INTERVAL,
                ErrorKind::AuthFailed,
                "login refused".into(),
            )
        })
        .collect();
    write(&app, rows, None).await;
    let fleet = service(&app).fleet(now).await.expect("fleet");
    let r = find(&fleet, "never");
    assert_eq!(r.status, HealthStatus::Critical);
    assert!(
        r.status_reason.contains("login refused"),
        "{}",
        r.status_reason
    );
    assert!(r.stale);
    assert_eq!((r.qps, r.be_total, r.disk_used_pct), (None, None, None));
    assert_eq!(r.last_success_at, None);
}

#[tokio::test]
async fn open_alerts_are_counted_and_the_worst_names_the_dead_node() {
    let app = start().await;
    let now = fixed_now();
    let id = app.register_local("alerting", 1, 1).await;
    let svc = service(&app);
    // Disk at 85 % (warning) and one BE dead (critical), with the node list
    // that names it, written in one collection.
    let mut row = ok_row(id, now - 60_000, 10.0);
    row.disk_max_pct = Some(85.0);
    row.be_alive = Some(2);
    write(&app, vec![row], Some(node_lists(true))).await;
    svc.sync_alerts(&[id], now - 60_000).await.expect("sync");

    let fleet = svc.fleet(now).await.expect("fleet");
    let r = find(&fleet, "alerting");
    assert_eq!(r.active_alerts, 2);
    assert_eq!(r.status, HealthStatus::Critical);
    assert_eq!(r.status_reason, "Nodes: 1 of 3 BE/CN dead: 127.0.0.1:9070.");
    assert_eq!((r.be_alive, r.be_total), (Some(2), Some(3)));
    assert!(!r.stale);

    // The node comes back: its alert resolves and no longer counts; the disk
    // warning stays and becomes the status.
    let mut row = ok_row(id, now - 30_000, 10.0);
    row.disk_max_pct = Some(85.0);
    write(&app, vec![row], Some(node_lists(false))).await;
    svc.sync_alerts(&[id], now - 30_000).await.expect("sync");
    let fleet = svc.fleet(now).await.expect("fleet");
    let r = find(&fleet, "alerting");
    assert_eq!(r.active_alerts, 1);
    assert_eq!(r.status, HealthStatus::Warning);
    assert!(r.status_reason.starts_with("Disk: "), "{}", r.status_reason);
}

#[tokio::test]
async fn the_sparkline_has_a_point_per_minute_and_gaps_where_nothing_was_collected() {
    let app = start().await;
    let now = fixed_now();
    let id = app.register_local("spark", 1, 1).await;
    let start = now / MINUTE_MS * MINUTE_MS - HOUR_MS;
    let mut rows = Vec::new();
    // Two rows a minute, qps = minute index and minute index + 1 (average i + 0.5),
    // from before the hour (not shown) into the current minute (not shown either).
    for i in -5..60i64 {
        let minute = start + i * MINUTE_MS;
        if (10..13).contains(&i) {
            continue; // three minutes without any collection
        }
        if i == 20 {
            for at in [minute, minute + INTERVAL] {
                rows.push(Snapshot::failed(
                    id,
                    at,
                    ErrorKind::Timeout,
                    "timed out".into(),
                ));
            }
            continue;
        }
        if i == 30 {
            // One of the two collections failed: the minute is the other one.
            rows.push(Snapshot::failed(
                id,
                minute,
                ErrorKind::Timeout,
                "timed out".into(),
            ));
            rows.push(ok_row(id, minute + INTERVAL, 7.0));
            continue;
        }
        rows.push(ok_row(id, minute, i as f64));
        rows.push(ok_row(id, minute + INTERVAL, i as f64 + 1.0));
    }
    // The current minute's collection, 15 s ago.
    rows.push(ok_row(id, start + HOUR_MS, 77.0));
    write(&app, rows, None).await;
    let fleet = service(&app).fleet(now).await.expect("fleet");
    let s = &find(&fleet, "spark").qps_last_hour;
    assert_eq!(
        (s.key.as_str(), s.unit.as_str(), s.aggregate.as_str()),
        ("qps", "queries/s", "avg")
    );
    assert_eq!((s.start, s.step_ms, s.values.len()), (start, MINUTE_MS, 60));
    assert_eq!(s.values[0], Some(0.5));
    assert_eq!(s.values[9], Some(9.5));
    assert_eq!(&s.values[10..13], &[None, None, None], "nothing collected");
    assert_eq!(s.values[13], Some(13.5));
    assert_eq!(s.values[20], None, "only failed collections");
    assert_eq!(s.values[30], Some(7.0));
    assert_eq!(s.values[59], Some(59.5), "the last whole minute");
    // The current minute's row gives the latest figures, not a point yet.
    assert_eq!(find(&fleet, "spark").qps, Some(77.0));
}

#[tokio::test]
async fn get_api_fleet_answers_json_with_a_session_only() {
    let app = start().await;
    let id = app.register_local("rest", 1, 1).await;
    write(
        &app,
        vec![ok_row(id, now_ms() - 5_000, 12.5)],
        Some(node_lists(false)),
    )
    .await;
    let cookie = app.admin_cookie().await;

    let r = app
        .send(Method::GET, "/api/fleet", Some(&cookie), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    let row = &body["clusters"][0];
    assert_eq!(row["name"], "rest");
    assert_eq!(row["status"], "healthy");
    assert_eq!(row["qps"], 12.5);
    assert_eq!(row["version"], "3.3.5");
    assert_eq!(row["stale"], false);
    assert_eq!(
        row["qps_last_hour"]["values"].as_array().map(Vec::len),
        Some(60)
    );
    assert!(body["now"].as_i64().is_some());

    let r = app.send(Method::GET, "/api/fleet", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "unauthenticated");
}

#[tokio::test]
async fn a_deleted_cluster_takes_its_fleet_row_even_from_a_tick_under_way() {
    let app = start().await;
    let now = fixed_now();
    let gone = app.register_local("gone", 1, 1).await;
    let kept = app.register_local("kept", 1, 1).await;
    write(
        &app,
        vec![ok_row(gone, now - 60_000, 1.0)],
        Some(node_lists(false)),
    )
    .await;
    write(&app, vec![ok_row(kept, now - 60_000, 2.0)], None).await;
    let latest_rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT cluster_id FROM cluster_latest ORDER BY cluster_id")
            .fetch_all(&app.state.pool)
            .await
            .expect("cluster_latest")
    };
    assert_eq!(latest_rows().await, [gone, kept]);

    app.state.clusters.delete(gone).await.expect("delete");
    assert_eq!(latest_rows().await, [kept]);
    // A tick that collected it before the deletion writes nothing for it.
    write(&app, vec![ok_row(gone, now - 30_000, 3.0)], None).await;
    assert_eq!(latest_rows().await, [kept]);
    let fleet = service(&app).fleet(now).await.expect("fleet");
    let names: Vec<&str> = fleet.clusters.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["kept"]);
}
