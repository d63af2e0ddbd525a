//! Issue 11, points 1 to 5: hostile clusters against the collector. Each
//! hostile cluster costs only its own row; a healthy one collected in the same
//! tick stays `ok`; whatever a cluster sends is bounded before it is stored.

use crate::common::*;
use collector::CollectorConfig;
use model::snapshot::{CollectStatus, Snapshot};
use model::starrocks::Stat;
use model::text::{CUT_MARK, MAX_ERROR_CHARS};
use sim::{ClusterSpec, Fault, PortPlan, Simulator};
use std::time::{Duration, Instant};
use store::now_ms;
use store::snapshots;

/// A healthy cluster and a hostile one with `fault`, both registered.
async fn pair(app: &TestApp, fault: Fault) -> (Simulator, i64, i64) {
    let specs = vec![
        ClusterSpec::profile("3.3-shared-nothing", 7).expect("profile"),
        ClusterSpec::profile("3.3-shared-nothing", 8).expect("profile"),
    ];
    let sim = Simulator::start(specs, PortPlan::Ephemeral)
        .await
        .expect("simulator");
    let (healthy, hostile) = (&sim.clusters()[0], &sim.clusters()[1]);
    hostile.faults.set(fault);
    let h = app
        .register_local(
            "healthy",
            healthy.http_addr.port(),
            healthy.mysql_addr.port(),
        )
        .await;
    let x = app
        .register_local(
            "hostile",
            hostile.http_addr.port(),
            hostile.mysql_addr.port(),
        )
        .await;
    (sim, h, x)
}

/// One tick of both; the healthy one must be `ok`. Answers the hostile row.
async fn tick_both(app: &TestApp, cfg: CollectorConfig, healthy: i64, hostile: i64) -> Snapshot {
    let col = app.quiet_collector(cfg).await;
    col.tick(now_ms()).await.expect("tick");
    let h = app.latest(healthy).await;
    assert_eq!(h.status, CollectStatus::Ok, "the healthy cluster: {h:?}");
    app.latest(hostile).await
}

fn message(s: &Snapshot) -> String {
    s.error_message.clone().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quadratic_parse_a_metrics_bomb_is_refused_and_the_others_are_collected() {
    let app = start().await;
    let (_sim, h, x) = pair(&app, Fault::MetricsBomb(32 * 1024 * 1024)).await;
    let s = tick_both(
        &app,
        CollectorConfig::with_interval(Duration::from_secs(30)),
        h,
        x,
    )
    .await;
    assert_eq!(s.status, CollectStatus::Partial, "{s:?}");
    assert!(message(&s).contains("larger than 8 MiB"), "{}", message(&s));
    // Its node lists and counts still came through.
    assert_eq!(s.be_total, Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_addresses_build_urls_unchecked_injected_hosts_are_never_fetched() {
    let app = start().await;
    let (_sim, h, x) = pair(&app, Fault::NodeInjection).await;
    let s = tick_both(
        &app,
        CollectorConfig::with_interval(Duration::from_secs(30)),
        h,
        x,
    )
    .await;
    assert_eq!(s.status, CollectStatus::Partial, "{s:?}");
    let m = message(&s);
    // The first error shown is any of the refused addresses (the order of
    // the node reads varies); none of them was asked, so no error says a
    // listed host could not be reached or did not answer.
    assert!(m.contains("not a host"), "{m}");
    assert!(
        !m.contains("cannot reach") && !m.contains("did not answer within"),
        "a listed hostile address was asked: {m}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_addresses_build_urls_unchecked_a_redirect_is_an_error_naming_its_location() {
    let app = start().await;
    let (_sim, h, x) = pair(&app, Fault::Redirect("http://127.0.0.1:9/elsewhere".into())).await;
    let s = tick_both(
        &app,
        CollectorConfig::with_interval(Duration::from_secs(30)),
        h,
        x,
    )
    .await;
    assert_eq!(s.status, CollectStatus::Failed, "{s:?}");
    assert_eq!(s.error_kind.as_deref(), Some("bad_payload"), "{s:?}");
    assert!(
        message(&s).contains("http://127.0.0.1:9/elsewhere"),
        "{}",
        message(&s)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unbounded_error_texts_a_30_mb_error_is_stored_cut() {
    let app = start().await;
    let (_sim, h, x) = pair(&app, Fault::HugeError(30 * 1024 * 1024)).await;
    let s = tick_both(
        &app,
        CollectorConfig::with_interval(Duration::from_secs(30)),
        h,
        x,
    )
    .await;
    assert_eq!(s.status, CollectStatus::Failed, "{s:?}");
    let m = message(&s);
    assert!(
        m.chars().count() <= MAX_ERROR_CHARS + CUT_MARK.chars().count(),
        "{} chars",
        m.len()
    );
    assert!(m.ends_with(CUT_MARK), "{m}");
    // The overview shows the same bounded text.
    let cookie = app.admin_cookie().await;
    let r = app
        .send(
            axum::http::Method::GET,
            &format!("/api/clusters/{x}/overview"),
            Some(&cookie),
            None,
        )
        .await;
    assert!(r.body.len() < 200_000, "{} bytes", r.body.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unbounded_node_fan_out_is_capped_and_said() {
    let app = start().await;
    let (_sim, h, x) = pair(&app, Fault::ManyNodes(10_000)).await;
    let mut cfg = CollectorConfig::with_interval(Duration::from_secs(30));
    cfg.fanout.max_nodes = 50;
    let s = tick_both(&app, cfg, h, x).await;
    assert_ne!(s.status, CollectStatus::Failed, "{s:?}");
    assert_eq!(s.be_total, Some(10_000), "the counts cover the whole list");
    let nodes = snapshots::nodes(&app.state.pool, x)
        .await
        .expect("read")
        .expect("node lists");
    assert_eq!(nodes.backends.len(), 50);
    let listed = nodes.listed.expect("the list was cut");
    assert_eq!(listed.backends, 10_000);
    let cookie = app.admin_cookie().await;
    let r = app
        .send(
            axum::http::Method::GET,
            &format!("/clusters/{x}/overview"),
            Some(&cookie),
            None,
        )
        .await;
    assert!(
        r.body.contains("data-testid=\"nodes-cut\""),
        "the page says so"
    );
    assert!(r.body.contains("10,000"), "with the number listed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_statistics_without_a_deadline_stop_at_it_with_what_they_have() {
    let app = start().await;
    let (sim, _h, x) = pair(&app, Fault::MysqlSlow(Duration::from_millis(600))).await;
    let col = app
        .quiet_collector(CollectorConfig::with_interval(Duration::from_secs(30)))
        .await;
    let endpoint = app.state.clusters.endpoint(x).await.expect("endpoint");
    let started = Instant::now();
    col.refresh_data_statistics(x, &endpoint, Duration::from_secs(2))
        .await;
    let took = started.elapsed();
    // Nine statements at 0.6 s each would take over 5 s; the deadline is 2 s
    // (plus the connect allowance).
    assert!(took < Duration::from_secs(5), "took {took:?}");
    let stats = store::data_stats::data_statistics(&app.state.pool, x)
        .await
        .expect("read")
        .expect("statistics");
    let s = stats.stats.expect("some statistics were read");
    assert!(
        matches!(s.version, Stat::Available { .. }),
        "the first ones were read: {s:?}"
    );
    let Stat::Unavailable { reason } = &s.loads_running else {
        panic!("the last one could not be read in time: {s:?}");
    };
    assert!(reason.contains("within 2 s"), "{reason}");
    drop(sim);
}
