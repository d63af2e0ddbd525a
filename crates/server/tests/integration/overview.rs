//! The overview service and its REST API on snapshots seeded at known times.

use crate::common::*;
use axum::http::{Method, StatusCode};
use model::overview::{parse_window, HealthStatus, Window, DAY_MS, HOUR_MS};
use model::snapshot::{CollectStatus, Snapshot};
use overview::OverviewService;
use store::now_ms;
use store::snapshots::{self, Collected};

/// A registered cluster nobody answers for: these tests seed its history directly.
pub async fn cluster(app: &TestApp, name: &str) -> i64 {
    app.register_local(name, 1, 1).await
}

pub fn ok_row(id: i64, at: i64, qps: f64) -> Snapshot {
    let mut s = Snapshot::empty(id, at, CollectStatus::Ok);
    s.qps = Some(qps);
    s.latency_p99_ms = Some(qps * 2.0);
    s.queries = Some(100);
    s.query_errors = Some(1);
    s.error_rate = Some(0.01);
    s.fe_total = Some(1);
    s.fe_alive = Some(1);
    s.be_total = Some(3);
    s.be_alive = Some(3);
    s.cpu_avg_pct = Some(20.0);
    s.disk_total_bytes = Some(1000);
    s.disk_used_bytes = Some(500);
    s.disk_max_pct = Some(55.0);
    // Integer columns too: SUM and MAX of them must still read as numbers.
    s.txn_begin = Some(40);
    s.loads_running = Some(2);
    s.tablets = Some(1000);
    s.jvm_heap_used_bytes = Some(4_000_000_000);
    s.jvm_heap_max_bytes = Some(8_000_000_000);
    s
}

pub async fn write(app: &TestApp, rows: Vec<Snapshot>) {
    let collected: Vec<Collected> = rows
        .into_iter()
        .map(|snapshot| Collected {
            ops: None,
            snapshot,
            counters: Vec::new(),
            nodes: None,
        })
        .collect();
    snapshots::write_tick(&app.state.pool, &collected)
        .await
        .expect("write");
}

pub fn service(app: &TestApp) -> OverviewService {
    OverviewService::new(
        app.state.pool.clone(),
        app.state.clusters.clone(),
        30_000,
        720,
    )
}

fn custom(from: i64, to: i64) -> Window {
    parse_window(None, Some(&from.to_string()), Some(&to.to_string()), to).expect("window")
}

#[tokio::test]
async fn buckets_average_and_max_and_leave_gaps() {
    let app = start().await;
    let id = cluster(&app, "c").await;
    // One hour at 30 s from a round hour: qps = minute index, so each 1-minute
    // bucket holds two rows with the same value... with a 30 s step each row is a bucket.
    let t0 = (now_ms() / HOUR_MS - 3) * HOUR_MS;
    let mut rows = Vec::new();
    for i in 0..120 {
        let at = t0 + i * 30_000;
        if (40..60).contains(&i) {
            continue; // 10 minutes without any collection
        }
        if (80..84).contains(&i) {
            rows.push(Snapshot::empty(id, at, CollectStatus::Failed));
            continue;
        }
        rows.push(ok_row(id, at, i as f64));
    }
    write(&app, rows).await;
    let svc = service(&app);

    // 1 h window, 30 s steps: one row per bucket.
    let w = custom(t0, t0 + HOUR_MS);
    let perf = svc.performance(id, &w).await.expect("performance");
    assert_eq!(perf.step_ms, 30_000);
    let qps = perf.series.iter().find(|s| s.key == "qps").expect("qps");
    assert_eq!(qps.start, t0);
    assert_eq!(qps.values.len(), 120);
    assert_eq!(qps.unit, "queries/s");
    assert_eq!(qps.values[0], Some(0.0));
    assert_eq!(qps.values[39], Some(39.0));
    assert!(
        qps.values[40..60].iter().all(Option::is_none),
        "no data: gap"
    );
    assert!(
        qps.values[80..84].iter().all(Option::is_none),
        "failed: gap"
    );
    assert_eq!(qps.values[84], Some(84.0));
    let txn = svc.transactions(id, &w).await.expect("transactions");
    let begun = txn
        .series
        .iter()
        .find(|s| s.key == "txn_begin")
        .expect("txn_begin");
    // A counter per second: 40 in the bucket's 30 s.
    assert_eq!(begun.values[0], Some(40.0 / 30.0));
    let heap = svc.resources(id, &w).await.expect("resources");
    let heap = heap
        .series
        .iter()
        .find(|s| s.key == "jvm_heap")
        .expect("heap");
    assert_eq!(heap.values[1], Some(50.0));

    // 5 minutes per bucket with max_points 12: averages and maxima per bucket.
    let coarse = OverviewService::new(
        app.state.pool.clone(),
        app.state.clusters.clone(),
        30_000,
        13,
    );
    let perf = coarse.performance(id, &w).await.expect("performance");
    assert_eq!(perf.step_ms, 5 * 60_000);
    let qps = perf.series.iter().find(|s| s.key == "qps").expect("qps");
    let p99 = perf
        .series
        .iter()
        .find(|s| s.key == "latency_p99")
        .expect("p99");
    assert_eq!(qps.values.len(), 12);
    // Bucket 0 holds rows 0..10: average 4.5, p99 maximum 2 * 9.
    assert_eq!(qps.values[0], Some(4.5));
    assert_eq!(p99.aggregate, "max");
    assert_eq!(p99.values[0], Some(18.0));
    assert_eq!(qps.values[4], None, "rows 40..50 are missing");
    // Bucket 8 (rows 80..90) has 4 failed rows: the average is over the 6 others.
    assert_eq!(qps.values[8], Some((84..90).sum::<i64>() as f64 / 6.0));

    // A bucket boundary that does not fall on the window start: buckets align to round times.
    let w = custom(t0 + 45_000, t0 + 45_000 + HOUR_MS);
    let perf = coarse.performance(id, &w).await.expect("performance");
    let qps = perf.series.iter().find(|s| s.key == "qps").expect("qps");
    assert_eq!(qps.start, t0);
    assert_eq!(qps.values.len(), 13);
    // Steps of 5 minutes read whole five-minute partials: the first bucket is
    // the whole round bucket (rows 0..10), as in Grafana's step alignment.
    assert_eq!(qps.values[0], Some(4.5));
    // With a 30 s step the raw rows are cut exactly at the window start.
    let fine = svc.performance(id, &w).await.expect("performance");
    let qps = fine.series.iter().find(|s| s.key == "qps").expect("qps");
    assert_eq!((qps.start, qps.values[0]), (t0 + 30_000, None));
    assert_eq!(qps.values[1], Some(2.0));
}

#[tokio::test]
async fn thirty_days_read_the_daily_rows() {
    let app = start().await;
    let id = cluster(&app, "c").await;
    let today = now_ms() / DAY_MS * DAY_MS;
    for d in 1..=40i64 {
        sqlx::query(
            "INSERT INTO daily_snapshots (cluster_id, day, samples, qps_avg, qps_max, p99_max_ms, \
             availability_pct, downtime_s) VALUES (?, ?, 2880, ?, ?, ?, 100, 0)",
        )
        .bind(id)
        .bind(today - d * DAY_MS)
        .bind(d as f64)
        .bind(d as f64 * 10.0)
        .bind(5.0)
        .execute(&app.state.pool)
        .await
        .expect("daily");
    }
    let svc = service(&app);
    let w = parse_window(Some("30d"), None, None, now_ms()).expect("30d");
    let perf = svc.performance(id, &w).await.expect("performance");
    assert_eq!(perf.step_ms, DAY_MS);
    let qps = perf.series.iter().find(|s| s.key == "qps").expect("qps");
    assert_eq!(qps.values.len(), 31);
    assert_eq!(qps.latest(), Some(1.0), "yesterday's average");
    assert_eq!(qps.values[0], Some(30.0));
    assert!(
        perf.series.iter().all(|s| s.key != "rps"),
        "series the rollup does not keep are left out"
    );
    let overview = svc.overview(id, &w, now_ms()).await.expect("overview");
    assert_eq!(overview.aggregates.qps_max, Some(300.0));
}

#[tokio::test]
async fn alerts_open_keep_their_start_and_resolve() {
    let app = start().await;
    let id = cluster(&app, "c").await;
    let svc = service(&app);
    let t = now_ms();
    let mut rows = vec![ok_row(id, t - 60_000, 5.0)];
    rows[0].disk_max_pct = Some(85.0);
    write(&app, rows).await;
    svc.sync_alerts(&[id], t - 60_000).await.expect("sync");
    let a = svc.alerts(id, t).await.expect("alerts");
    assert_eq!(a.active.len(), 1);
    assert_eq!(a.active[0].rule, "disk");
    assert_eq!(a.active[0].level, HealthStatus::Warning);
    assert_eq!(a.active[0].since, t - 60_000);
    assert!(!a.active[0].action.is_empty());

    let mut worse = ok_row(id, t - 30_000, 5.0);
    worse.disk_max_pct = Some(95.0);
    write(&app, vec![worse]).await;
    // A new service (as after a restart) sees the same alert, escalated, same start.
    let svc = service(&app);
    svc.sync_alerts(&[id], t - 30_000).await.expect("sync");
    let a = svc.alerts(id, t).await.expect("alerts");
    assert_eq!(a.active.len(), 1);
    assert_eq!(a.active[0].level, HealthStatus::Critical);
    assert_eq!(a.active[0].since, t - 60_000);

    write(&app, vec![ok_row(id, t, 5.0)]).await;
    svc.sync_alerts(&[id], t).await.expect("sync");
    let a = svc.alerts(id, t).await.expect("alerts");
    assert!(a.active.is_empty());
    assert_eq!(a.recently_resolved.len(), 1);
    assert_eq!(a.recently_resolved[0].resolved_at, Some(t));
}

#[tokio::test]
async fn the_overview_answers_everything_in_one_call_with_json_errors() {
    let app = start().await;
    let id = cluster(&app, "c").await;
    let cookie = app.admin_cookie().await;
    let now = now_ms();
    // 26 hours of linear disk growth: the forecast has a date.
    let mut rows = Vec::new();
    for m in 0..(26 * 12) {
        let at = now - 26 * HOUR_MS + m * 5 * 60_000;
        let mut s = ok_row(id, at, 10.0);
        s.disk_used_bytes = Some(500 + m);
        rows.push(s);
    }
    // And a collection moments ago, so the cluster is fresh.
    let mut fresh = ok_row(id, now - 5_000, 10.0);
    fresh.disk_used_bytes = Some(500 + 26 * 12);
    rows.push(fresh);
    write(&app, rows).await;

    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/overview?range=24h"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let o = r.json();
    assert_eq!(o["window"]["preset"], "24h");
    assert_eq!(o["step_ms"], 300_000);
    assert_eq!(o["health"]["status"], "healthy", "{}", o["health"]);
    assert_eq!(o["capacity"]["state"], "forecast", "{}", o["capacity"]);
    assert!(o["capacity"]["reaches_90_at"].as_i64().expect("date") > now);
    assert_eq!(o["kpis"][0]["key"], "qps");
    assert_eq!(o["kpis"][0]["value"], 10.0);
    assert!(o["trends"].as_array().expect("trends").len() >= 15);
    assert!(r.body.len() < 150_000);

    for part in [
        "health",
        "performance",
        "resources",
        "transactions",
        "compaction",
        "data-stats",
        "capacity",
    ] {
        let r = app
            .send(
                Method::GET,
                &format!("/api/clusters/{id}/overview/{part}?range=6h"),
                Some(&cookie),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{part}: {}", r.body);
    }
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/overview/performance?from=now-2h&to=now"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.json()["step_ms"], 30_000);
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/alerts"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // Errors: bad range 400 listing the forms, unknown cluster 404, no session 401.
    for bad in [
        "range=2h",
        "from=yesterday",
        "from=now-1h&to=now-2h",
        "range=24h&from=now-1h",
    ] {
        let r = app
            .send(
                Method::GET,
                &format!("/api/clusters/{id}/overview?{bad}"),
                Some(&cookie),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.json()["error"], "bad_request");
        assert!(
            r.json()["message"]
                .as_str()
                .unwrap_or("")
                .contains("now-6h"),
            "{}",
            r.body
        );
    }
    for path in [
        "overview",
        "overview/capacity",
        "alerts",
        "health",
        "metrics/summary",
    ] {
        let r = app
            .send(
                Method::GET,
                &format!("/api/clusters/9999/{path}"),
                Some(&cookie),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.json()["error"], "not_found");
    }
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/overview"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_endpoints_ask_the_cluster_now() {
    use sim::{ClusterSpec, PortPlan, Simulator};
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let spec = ClusterSpec::profile("3.3-shared-nothing", 5).expect("profile");
    let sim = Simulator::start(vec![spec], PortPlan::Ephemeral)
        .await
        .expect("sim");
    let c = &sim.clusters()[0];
    let id = app
        .register_local("live", c.http_addr.port(), c.mysql_addr.port())
        .await;
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/health"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["ok"], true);
    assert_eq!(r.json()["nodes_alive"], 3);
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/metrics/summary"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let s = &r.json()["snapshot"];
    assert_eq!(s["status"], "ok", "{s}");
    assert!(s["qps"].as_f64().expect("the FEs' own qps gauge") > 0.0);
    assert_eq!(s["be_alive"], 3);
    // Nothing was stored by a live call.
    let stored = snapshots::latest(&app.state.pool, id).await.expect("read");
    assert!(stored.is_none());
    sim.shutdown().await;
}

/// Issue 11, point 6: `from=now-106751991167d` used to overflow the span (a
/// panic in debug, a wrap past the one-year cap in release).
#[tokio::test]
async fn range_arithmetic_overflows_are_400s_that_say_why() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let id = app.register_local("prod", 9, 9).await;
    for (query, says) in [
        ("from=now-106751991167d", "before 1970"),
        ("from=now-15250284452w&to=now", "before 1970"),
        ("from=now-99999999999999999999d", "not a time"),
        ("from=0&to=9223372036854775807", "at most a year"),
        ("from=-5&to=now", "not a time"),
    ] {
        let r = app
            .send(
                Method::GET,
                &format!("/api/clusters/{id}/overview?{query}"),
                Some(&cookie),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.body);
        assert!(
            r.json()["message"].as_str().unwrap_or("").contains(says),
            "{query}: {}",
            r.body
        );
    }
}
