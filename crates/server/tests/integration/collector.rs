//! The background collector against the simulator: rates, faults, isolation
//! between clusters, data statistics, rollups, retention and crash safety.

use crate::common::*;
use axum::http::{Method, StatusCode};
use collector::{Collector, CollectorConfig};
use model::snapshot::{CollectStatus, Snapshot};
use model::starrocks::Stat;
use sim::{Fault, SimCluster, Simulator};
use std::time::Duration;
use store::housekeeping::{day_start, Retention, DAY_MS};
use store::now_ms;
use store::snapshots::{self, Collected};

async fn simulator(profiles: &[&str]) -> Simulator {
    simulator_seeded(profiles, 40).await
}

async fn register(app: &TestApp, name: &str, c: &SimCluster) -> i64 {
    register_sim(app, name, c).await
}

fn config(interval_s: u64) -> CollectorConfig {
    CollectorConfig::with_interval(Duration::from_secs(interval_s))
}

/// A collector of its own, whose ticks the app's overview turns into alerts
/// (as at start-up).
async fn collector(app: &TestApp, cfg: CollectorConfig) -> Collector {
    let (ticks, listener) = store::ticks::channel();
    app.state.overview.spawn_alerts(listener);
    Collector::new(
        app.state.pool.clone(),
        app.state.clusters.clone(),
        cfg,
        Some(ticks),
    )
    .await
    .expect("collector")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rates_follow_the_simulated_query_rate_and_nodes_are_counted() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing"]).await;
    let c = &sim.clusters()[0];
    let id = register(&app, "prod", c).await;
    let col = collector(&app, config(30)).await;

    let t1 = now_ms();
    let first = col.tick(t1).await.expect("tick");
    assert_eq!((first.ok, first.written), (1, 1), "{first:?}");
    let s1 = app.latest(id).await;
    assert_eq!(s1.status, CollectStatus::Ok, "{s1:?}");
    assert_eq!(s1.qps, None, "no rate without a previous reading");

    tokio::time::sleep(Duration::from_millis(2500)).await;
    let t2 = now_ms();
    col.tick(t2).await.expect("tick");
    let s2 = app.latest(id).await;
    let expected = c.model.queries_between(t1, t2) / ((t2 - t1) as f64 / 1000.0);
    let qps = s2.qps.expect("a rate on the second collection");
    assert!(
        (qps - expected).abs() <= expected * 0.15 + 1.0,
        "collector QPS {qps:.1}, simulator {expected:.1}"
    );
    assert!(s2.rps.expect("rps") >= qps, "every query is a request");
    let rate = s2.error_rate.expect("error rate");
    assert!((0.0..0.2).contains(&rate), "{rate}");
    assert!(s2.queries.expect("queries") > 0);

    let spec = &c.model.spec;
    assert_eq!(s2.fe_total, Some(spec.frontends as i64));
    assert_eq!(s2.fe_alive, Some(spec.frontends as i64));
    assert_eq!(s2.be_total, Some(spec.backends as i64));
    assert_eq!(s2.be_alive, Some(spec.backends as i64));
    assert!(s2.disk_total_bytes.expect("disk total") > s2.disk_used_bytes.expect("used"));
    assert!(s2.disk_max_pct.expect("disk max") > 0.0);
    assert!(s2.cpu_avg_pct.expect("cpu") > 0.0);
    assert!(s2.cpu_max_pct >= s2.cpu_avg_pct);
    assert!(s2.mem_avg_pct.expect("mem") > 0.0);
    assert!(s2.tablets.expect("tablets") > 0);
    assert!(s2.compaction_score_max.is_some());
    assert!(s2.latency_p99_ms.expect("p99") >= s2.latency_p50_ms.expect("p50"));
    let (used, max) = (
        s2.jvm_heap_used_bytes.expect("heap"),
        s2.jvm_heap_max_bytes.expect("heap max"),
    );
    assert!(used > 0 && used <= max);
    assert!(s2.connections.expect("connections") > 0);
    assert!(s2.loads_running.is_some());

    let status = col.status();
    assert_eq!(status.last_tick_at, Some(t2));
    assert_eq!(status.clusters_ok, 1);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_fe_restart_restarts_the_series_without_a_negative_rate() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing"]).await;
    let c = &sim.clusters()[0];
    let id = register(&app, "prod", c).await;
    let col = collector(&app, config(30)).await;
    col.tick(now_ms()).await.expect("tick");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    col.tick(now_ms()).await.expect("tick");
    let before = app.latest(id).await;
    assert!(before.qps.expect("rate") > 0.0);

    c.faults.set(Fault::FeRestart);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    col.tick(now_ms()).await.expect("tick");
    let after = app.latest(id).await;
    for v in [after.qps, after.rps, after.error_rate] {
        assert!(v.is_none_or(|v| v >= 0.0), "{after:?}");
    }
    for v in [after.queries, after.query_errors, after.txn_begin] {
        assert!(v.is_none_or(|v| v >= 0), "{after:?}");
    }
    // The restarted leader is left out of this interval: the rate drops, it is not negative or huge.
    assert!(after.qps.unwrap_or(0.0) < before.qps.unwrap_or(0.0) * 2.0);

    tokio::time::sleep(Duration::from_millis(1200)).await;
    col.tick(now_ms()).await.expect("tick");
    let resumed = app.latest(id).await;
    assert!(resumed.qps.expect("the series resumes") > 0.0);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_backend_shows_in_alive_counts_and_a_down_fe_writes_a_failed_row() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing", "3.0-shared-nothing"]).await;
    let (a, b) = (&sim.clusters()[0], &sim.clusters()[1]);
    let ida = register(&app, "a", a).await;
    let idb = register(&app, "b", b).await;
    // The server's own collector, so the REST status below reports this tick.
    let col = app.state.collector.clone();

    a.faults.set(Fault::BeDead(1));
    b.faults.set(Fault::FeRefusing);
    let at = now_ms();
    let report = col.tick(at).await.expect("tick");
    assert_eq!(
        (report.ok, report.failed, report.written),
        (1, 1, 2),
        "{report:?}"
    );

    let sa = app.latest(ida).await;
    assert_eq!(sa.collected_at, at);
    assert_eq!(sa.be_alive, Some(a.model.spec.backends as i64 - 1));
    assert_eq!(sa.be_total, Some(a.model.spec.backends as i64));
    assert!(!sa.available());

    let sb = app.latest(idb).await;
    assert_eq!(
        sb.collected_at, at,
        "the failed cluster's row is on the same tick"
    );
    assert_eq!(sb.status, CollectStatus::Failed);
    assert_eq!(sb.error_kind.as_deref(), Some("unreachable"), "{sb:?}");
    assert!(sb
        .error_message
        .as_deref()
        .unwrap_or("")
        .contains("127.0.0.1"));
    assert_eq!(sb.qps, None);
    assert_eq!(col.status().clusters_failed, 1);

    // The REST view of the same.
    let cookie = app.admin_cookie().await;
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{idb}/snapshot"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["status"], "failed");
    let r = app
        .send(Method::GET, "/api/collector", Some(&cookie), None)
        .await;
    assert_eq!(r.json()["clusters_failed"], 1);
    let r = app.send(Method::GET, "/api/collector", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_cluster_does_not_delay_a_fast_one() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing", "3.3-shared-nothing"]).await;
    let (slow, fast) = (&sim.clusters()[0], &sim.clusters()[1]);
    let ids = register(&app, "slow", slow).await;
    let idf = register(&app, "fast", fast).await;
    let mut cfg = config(5);
    cfg.deadline = Duration::from_millis(1500);
    let col = collector(&app, cfg).await;

    slow.faults.set(Fault::Slow(Duration::from_secs(4)));
    let started = std::time::Instant::now();
    let report = col.tick(now_ms()).await.expect("tick");
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(3000),
        "the tick waits for the deadline, not for the slow cluster: {took:?}"
    );
    assert_eq!((report.ok, report.failed), (1, 1), "{report:?}");
    let s = app.latest(ids).await;
    assert_eq!(s.status, CollectStatus::Failed);
    assert_eq!(s.error_kind.as_deref(), Some("timeout"));
    let f = app.latest(idf).await;
    assert_eq!(f.status, CollectStatus::Ok);
    assert!(
        f.duration_ms < 1000,
        "fast cluster took {} ms",
        f.duration_ms
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_survive_a_restart_of_the_console() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing"]).await;
    let id = register(&app, "prod", &sim.clusters()[0]).await;
    collector(&app, config(30))
        .await
        .tick(now_ms())
        .await
        .expect("tick");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    // A new collector on the same database: the first tick already has a rate.
    let again = collector(&app, config(30)).await;
    again.tick(now_ms()).await.expect("tick");
    assert!(app.latest(id).await.qps.expect("rate from stored counters") > 0.0);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_data_reports_no_disk_use_instead_of_an_empty_disk() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-data"]).await;
    let c = &sim.clusters()[0];
    let id = register(&app, "lake", c).await;
    let col = collector(&app, config(30)).await;
    col.tick(now_ms()).await.expect("tick");
    let s = app.latest(id).await;
    assert_eq!(s.status, CollectStatus::Ok, "{s:?}");
    assert!(s.be_total.expect("compute nodes") > 0);
    assert_eq!(s.disk_used_bytes, None);
    assert_eq!(s.disk_total_bytes, None);
    assert_eq!(s.disk_used_pct(), None);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_statistics_are_stored_and_kept_when_mysql_goes_down() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing"]).await;
    let c = &sim.clusters()[0];
    let id = register(&app, "prod", c).await;
    let col = collector(&app, config(30)).await;
    assert_eq!(col.refresh_due_statistics().await.expect("round"), 1);
    let stored = store::data_stats::data_statistics(&app.state.pool, id)
        .await
        .expect("read")
        .expect("stored");
    let stats = stored.stats.clone().expect("stats");
    assert!(matches!(stats.databases, Stat::Available { value } if value > 0));
    let top = stats.top_tables.value().expect("top tables");
    assert!(!top.is_empty() && top.len() <= 20);
    assert!(
        top.windows(2).all(|w| w[0].bytes >= w[1].bytes),
        "largest first"
    );
    assert!(stats.materialized_views.value().is_some());
    assert_eq!(
        col.refresh_due_statistics().await.expect("round"),
        0,
        "not due again yet"
    );

    c.faults.set(Fault::MysqlDown);
    let endpoint = app.state.clusters.endpoint(id).await.expect("endpoint");
    col.refresh_data_statistics(id, &endpoint, Duration::from_secs(10))
        .await;
    let after = store::data_stats::data_statistics(&app.state.pool, id)
        .await
        .expect("read")
        .expect("stored");
    assert!(after.last_error.is_some(), "{after:?}");
    assert_eq!(
        after.stats,
        Some(stats),
        "the last good statistics are kept"
    );
    assert_eq!(after.collected_at, stored.collected_at);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collect_now_writes_a_row_and_refuses_to_hammer_the_cluster() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing"]).await;
    let id = register(&app, "prod", &sim.clusters()[0]).await;
    let cookie = app.admin_cookie().await;
    let uri = format!("/api/clusters/{id}/collect");
    let r = app.send(Method::POST, &uri, Some(&cookie), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "ok");
    assert_eq!(app.latest(id).await.status, CollectStatus::Ok);
    let stats = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/data-stats"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(stats.json()["stats"]["databases"]["status"], "available");

    let again = app.send(Method::POST, &uri, Some(&cookie), None).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(again.json()["error"], "too_soon");
    assert!(again.headers.contains_key("retry-after"));
    let missing = app
        .send(
            Method::POST,
            "/api/clusters/9999/collect",
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    sim.shutdown().await;
}

/// A synthetic row: what a healthy collection of a 1 TB cluster looks like.
fn row(id: i64, at: i64, used: i64, status: CollectStatus) -> Collected {
    let mut s = Snapshot::empty(id, at, status);
    if status != CollectStatus::Failed {
        s.qps = Some(100.0);
        s.latency_p99_ms = Some(50.0);
        s.queries = Some(3000);
        s.query_errors = Some(3);
        s.fe_total = Some(3);
        s.fe_alive = Some(3);
        s.be_total = Some(3);
        s.be_alive = Some(3);
        s.cpu_avg_pct = Some(40.0);
        s.cpu_max_pct = Some(60.0);
        s.disk_total_bytes = Some(1_000_000_000_000);
        s.disk_used_bytes = Some(used);
        s.disk_max_pct = Some(used as f64 / 1e10);
    }
    Collected {
        ops: None,
        snapshot: s,
        counters: Vec::new(),
        nodes: None,
    }
}

#[tokio::test]
async fn daily_rollup_catches_up_and_retention_trims_old_history() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing"]).await;
    let id = register(&app, "prod", &sim.clusters()[0]).await;
    let pool = &app.state.pool;
    let cfg = config(30);
    let col = collector(&app, cfg.clone()).await;

    // Ten days of history at one row per hour (interval 30 s is what the
    // downtime counts), the third day with 6 failed hours.
    let today = day_start(now_ms());
    let first_day = today - 10 * DAY_MS;
    let mut rows = Vec::new();
    for h in 0..(10 * 24) {
        let at = first_day + h * 3_600_000;
        let day = h / 24;
        let failed = day == 2 && (h % 24) < 6;
        let used = 100_000_000_000 + h * 1_000_000_000;
        let status = if failed {
            CollectStatus::Failed
        } else {
            CollectStatus::Ok
        };
        rows.push(row(id, at, used, status));
    }
    snapshots::write_tick(pool, &rows).await.expect("write");

    // The server was "down" for all of it: housekeeping at start-up catches up.
    col.housekeeping(now_ms()).await.expect("housekeeping");
    let days: Vec<(i64, i64, f64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT day, samples, availability_pct, downtime_s, data_growth_bytes \
         FROM daily_snapshots WHERE cluster_id = ? ORDER BY day",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .expect("daily");
    assert_eq!(days.len(), 10, "one row per finished day: {days:?}");
    assert_eq!(days[0].0, first_day);
    assert!(days.iter().all(|d| d.1 == 24));
    assert_eq!(days[2].2, 75.0, "18 of 24 collections available");
    assert_eq!(days[2].3, 6 * 30, "six failed collections of 30 s");
    assert_eq!(days[1].2, 100.0);
    // 24 hourly steps of 1 GB, measured end of day against end of the previous day.
    assert_eq!(days[5].4, Some(24_000_000_000));

    // Raw rows older than 7 days are gone, newer ones stay.
    let oldest: i64 =
        sqlx::query_scalar("SELECT MIN(collected_at) FROM metrics_snapshots WHERE cluster_id = ?")
            .bind(id)
            .fetch_one(pool)
            .await
            .expect("min");
    let cutoff = now_ms() - 7 * DAY_MS;
    assert!(
        oldest >= cutoff - 60_000 && oldest < cutoff + 3_600_000,
        "{oldest} vs {cutoff}"
    );

    // Later: daily rows older than the daily retention go too.
    let later = today + 95 * DAY_MS;
    snapshots::write_tick(
        pool,
        &[row(id, later - DAY_MS + 1000, 1, CollectStatus::Ok)],
    )
    .await
    .expect("write");
    col.housekeeping(later).await.expect("housekeeping");
    let remaining: Vec<i64> =
        sqlx::query_scalar("SELECT day FROM daily_snapshots WHERE cluster_id = ? ORDER BY day")
            .bind(id)
            .fetch_all(pool)
            .await
            .expect("days");
    let daily_cutoff = day_start(later - 90 * DAY_MS);
    assert!(!remaining.is_empty());
    assert!(
        remaining.iter().all(|d| *d >= daily_cutoff),
        "{remaining:?}"
    );
    assert!(
        remaining.contains(&(later - DAY_MS)),
        "the new day was rolled up"
    );
    let raw: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM metrics_snapshots")
        .fetch_one(pool)
        .await
        .expect("count");
    assert_eq!(raw, 1, "only the recent raw row is left");
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .expect("check");
    assert_eq!(ok, "ok");

    // Retention configured shorter keeps less.
    let short = Retention {
        raw: Duration::from_secs(3600),
        daily: Duration::from_secs(86_400),
    };
    store::housekeeping::apply_retention(pool, later, short)
        .await
        .expect("retention");
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM daily_snapshots), (SELECT COUNT(*) FROM metrics_snapshots)",
    )
    .fetch_one(pool)
    .await
    .expect("count");
    assert_eq!(counts, (1, 0));
    sim.shutdown().await;
}

#[tokio::test]
async fn deleting_a_cluster_deletes_its_history() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing"]).await;
    let id = register(&app, "prod", &sim.clusters()[0]).await;
    let pool = &app.state.pool;
    snapshots::write_tick(pool, &[row(id, 1_000, 5, CollectStatus::Ok)])
        .await
        .expect("write");
    app.state.clusters.delete(id).await.expect("delete");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM metrics_snapshots")
        .fetch_one(pool)
        .await
        .expect("count");
    assert_eq!(n, 0);
    // A tick finishing after the delete skips the cluster instead of failing.
    let written = snapshots::write_tick(pool, &[row(id, 2_000, 5, CollectStatus::Ok)])
        .await
        .expect("write");
    assert_eq!(written, 0);
    sim.shutdown().await;
}
