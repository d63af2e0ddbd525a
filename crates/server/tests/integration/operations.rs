//! Operations health (issue 15) against the simulator: the collector reads
//! tablets, routine loads, transactions, metadata and rowsets on every tick,
//! the cards say what they found, and a fault opens its alert and resolves
//! it when cleared.

use crate::common::*;
use axum::http::{Method, StatusCode};
use model::overview::HealthStatus;
use sim::{Fault, SimCluster, Simulator};
use store::now_ms;

async fn simulator(profiles: &[&str]) -> Simulator {
    simulator_seeded(profiles, 70).await
}

async fn register(app: &TestApp, name: &str, c: &SimCluster) -> i64 {
    register_sim(app, name, c).await
}

/// The card `key` of the cluster's health now, as the REST API answers it.
async fn card(app: &TestApp, cookie: &str, id: i64, key: &str) -> (String, String) {
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/overview?range=1h"),
            Some(cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let json = r.json();
    let card = json["health"]["cards"]
        .as_array()
        .and_then(|cards| cards.iter().find(|c| c["key"] == key))
        .cloned()
        .unwrap_or_else(|| panic!("no {key} card in {json}"));
    (
        card["status"].as_str().unwrap_or_default().to_string(),
        card["reason"].as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn every_tick_reads_the_operations_figures_and_a_lost_backend_opens_the_tablets_alert() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing", "3.3-shared-data"]).await;
    let (nothing, data) = (&sim.clusters()[0], &sim.clusters()[1]);
    let id = register(&app, "ops", nothing).await;
    let shared = register(&app, "ops-shared", data).await;
    let col = app.state.collector.clone();
    let svc = app.state.overview.clone();
    let cookie = app.admin_cookie().await;

    let t0 = now_ms();
    col.tick(t0).await.expect("tick");
    let o = store::operations::latest(&app.state.pool, id)
        .await
        .expect("read")
        .expect("an operations row beside the snapshot");
    assert_eq!(o.collected_at, t0);
    assert!(o.tablets.is_some_and(|t| t > 0), "{o:?}");
    assert_eq!(o.tablets_unhealthy, Some(0));
    assert!(o.routine_loads_running.is_some(), "{o:?}");
    assert!(o.meta_log_count.is_some(), "{o:?}");
    assert_eq!(o.safe_mode, Some(false));
    assert!(o.rowsets_max.is_some_and(|r| r < 700), "{o:?}");
    let dbs = store::operations::db_tablets(&app.state.pool, id)
        .await
        .expect("dbs");
    assert!(!dbs.is_empty());
    let (status, reason) = card(&app, &cookie, id, "tablets").await;
    assert_eq!(status, "healthy", "{reason}");
    assert!(
        reason.starts_with("All ") && reason.ends_with(" tablets are healthy."),
        "{reason}"
    );
    // Now and then the simulator's operator pauses a job (as people do):
    // healthy, or a warning that says so, but always reported.
    let (status, reason) = card(&app, &cookie, id, "routine_load").await;
    assert!(
        status == "healthy" || status == "warning",
        "{status}: {reason}"
    );
    let (status, _) = card(&app, &cookie, id, "safe_mode").await;
    assert_eq!(status, "healthy");

    // The same figures over REST, with the tablets per database and the charts.
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/overview/operations?range=1h"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let view = r.json();
    assert_eq!(view["latest"]["tablets_unhealthy"], 0);
    assert!(!view["databases"].as_array().expect("databases").is_empty());
    let keys: Vec<&str> = view["series"]
        .as_array()
        .expect("series")
        .iter()
        .filter_map(|s| s["key"].as_str())
        .collect();
    for key in [
        "tablets_unhealthy",
        "routine_loads_paused",
        "txn_running_max",
        "meta_log_count",
        "rowsets_max",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    // The busiest resource groups by rank, each named by its label.
    let rg = view["series"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["key"] == "rg_qps_1"))
        .expect("the busiest resource group's series");
    assert_eq!(rg["label"], "default_wg");
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/overview/operations?range=2h"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "an unknown range is refused"
    );
    let r = app
        .send(
            Method::GET,
            "/api/clusters/999/overview/operations",
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Shared-data keeps no replicas: its tablet health is "not reported".
    let s = store::operations::latest(&app.state.pool, shared)
        .await
        .expect("read")
        .expect("row");
    assert!(s.tablets.is_some(), "{s:?}");
    assert_eq!(s.tablets_unhealthy, None);
    let (status, reason) = card(&app, &cookie, shared, "tablets").await;
    assert_eq!(status, "unknown");
    assert!(reason.contains("not reported"), "{reason}");

    // A backend is lost: its replicas go missing, and the next tick says so.
    nothing.faults.set(Fault::BeDead(1));
    let t1 = t0 + 30_000;
    col.tick(t1).await.expect("tick");
    svc.sync_alerts(&[id], t1).await.expect("alerts");
    let o = store::operations::latest(&app.state.pool, id)
        .await
        .expect("read")
        .expect("row");
    assert!(o.tablets_unhealthy.is_some_and(|n| n > 0), "{o:?}");
    assert_eq!(o.tablets_unhealthy_since, Some(t1));
    let (status, reason) = card(&app, &cookie, id, "tablets").await;
    assert!(
        status == "warning" || status == "critical",
        "{status}: {reason}"
    );
    assert!(reason.contains("unhealthy tablets"), "{reason}");
    let alerts = svc.alerts(id, t1).await.expect("alerts");
    let open = alerts
        .active
        .iter()
        .find(|a| a.rule == "tablets")
        .expect("the tablets alert is open");
    assert!(matches!(
        open.level,
        HealthStatus::Warning | HealthStatus::Critical
    ));

    // Cleared: the simulated tablets clone back over as long as the backend
    // was gone (here well under a second of real time), and the alert resolves.
    nothing.faults.clear_all();
    let mut t = t1;
    for _ in 0..20 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        t += 30_000;
        col.tick(t).await.expect("tick");
        svc.sync_alerts(&[id], t).await.expect("alerts");
        let o = store::operations::latest(&app.state.pool, id)
            .await
            .expect("read")
            .expect("row");
        if o.tablets_unhealthy == Some(0) {
            break;
        }
    }
    let alerts = svc.alerts(id, t).await.expect("alerts");
    assert!(
        alerts.active.iter().all(|a| a.rule != "tablets"),
        "{:?}",
        alerts.active
    );
    assert!(alerts.recently_resolved.iter().any(|a| a.rule == "tablets"));
    sim.shutdown().await;
}

/// Ticks (a real second apart, since the simulator's counters move with real
/// time) and re-evaluates the alerts until `done` holds for the cluster's
/// alerts, at most `ticks` times; answers the last alerts.
async fn tick_until(
    app: &TestApp,
    id: i64,
    t: &mut i64,
    ticks: usize,
    done: impl Fn(&model::overview::Alerts) -> bool,
) -> model::overview::Alerts {
    let (col, svc) = (app.state.collector.clone(), app.state.overview.clone());
    let mut alerts = svc.alerts(id, *t).await.expect("alerts");
    for _ in 0..ticks {
        tokio::time::sleep(std::time::Duration::from_millis(1_000)).await;
        *t += 30_000;
        col.tick(*t).await.expect("tick");
        svc.sync_alerts(&[id], *t).await.expect("sync");
        alerts = svc.alerts(id, *t).await.expect("alerts");
        if done(&alerts) {
            break;
        }
    }
    alerts
}

#[tokio::test]
async fn each_operations_fault_opens_its_alert_within_two_ticks_and_resolves_when_cleared() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing"]).await;
    let c = &sim.clusters()[0];
    let id = register(&app, "faulty", c).await;
    let mut t = now_ms();
    app.state.collector.tick(t).await.expect("first tick");

    let cases: [(Fault, &str, &str); 5] = [
        (Fault::TabletsUnhealthy, "tablets", "unhealthy tablets"),
        (
            Fault::RoutineLoadPaused,
            "routine_load",
            "routine load jobs paused",
        ),
        (
            Fault::TxnPileup,
            "transactions",
            "950 running transactions in database",
        ),
        (
            Fault::CheckpointStuck,
            "metadata",
            "checkpoints are not happening",
        ),
        (Fault::RowsetExplosion, "rowsets", "rowsets in one tablet"),
    ];
    for (fault, rule, words) in cases {
        c.faults.set(fault.clone());
        let open = |a: &model::overview::Alerts| a.active.iter().any(|x| x.rule == rule);
        let alerts = tick_until(&app, id, &mut t, 2, open).await;
        let alert = alerts
            .active
            .iter()
            .find(|a| a.rule == rule)
            .unwrap_or_else(|| {
                panic!(
                    "{} opens the {rule} alert within two ticks: {:?}",
                    fault.name(),
                    alerts.active
                )
            });
        assert!(
            alert.reason.contains(words),
            "{}: {}",
            fault.name(),
            alert.reason
        );
        assert!(!alert.action.is_empty());
        if fault == Fault::RoutineLoadPaused {
            // With the job list (read with the data statistics), the card
            // names the job and gives StarRocks' reason.
            let endpoint = app.state.clusters.endpoint(id).await.expect("endpoint");
            let col = app.state.collector.clone();
            col.refresh_data_statistics(id, &endpoint, std::time::Duration::from_secs(10))
                .await;
            let jobs = store::operations::routine_loads(&app.state.pool, id)
                .await
                .expect("jobs");
            // Paused jobs come first. Now and then the simulator's operator
            // pauses another job too (as people do), so the fault's job is
            // found by StarRocks' reason, not by its place.
            assert_eq!(
                jobs.first().map(|j| j.state.as_str()),
                Some("PAUSED"),
                "{jobs:?}"
            );
            let paused = jobs
                .iter()
                .find(|j| {
                    j.paused()
                        && j.reason
                            .as_deref()
                            .is_some_and(|r| r.contains("max error num"))
                })
                .unwrap_or_else(|| panic!("the fault's job, paused with its reason: {jobs:?}"));
            let health = app.state.overview.health(id, t).await.expect("health");
            let card = health
                .cards
                .iter()
                .find(|c| c.key == "routine_load")
                .expect("card");
            assert!(
                card.reason
                    .contains(&format!("{}.{}", paused.database, paused.name)),
                "{}",
                card.reason
            );
            // The card quotes the reason of the first paused job it lists.
            let first_reason = jobs
                .iter()
                .find_map(|j| j.paused().then(|| j.reason.clone()).flatten())
                .unwrap_or_default();
            assert!(card.reason.contains(&first_reason), "{}", card.reason);
        }
        c.faults.clear(&fault);
        // Now and then the simulator's operator has a job paused of their
        // own (about 5 % of the time): then the routine load alert rightly
        // stays open after the fault clears.
        if rule == "routine_load" && !c.model.routine_loads_calm(now_ms()) {
            continue;
        }
        let alerts = tick_until(&app, id, &mut t, 8, |a| !open(a)).await;
        assert!(
            !open(&alerts),
            "{} cleared, the {rule} alert resolves: {:?}",
            fault.name(),
            alerts.active
        );
        assert!(alerts.recently_resolved.iter().any(|a| a.rule == rule));
    }

    // Failed transactions: the pile-up fails a fifth of them, above 5 % over
    // the 5 minutes of collections.
    c.faults.set(Fault::TxnPileup);
    let open = |a: &model::overview::Alerts| a.active.iter().any(|x| x.rule == "txn_failed");
    let alerts = tick_until(&app, id, &mut t, 3, open).await;
    let alert = alerts
        .active
        .iter()
        .find(|a| a.rule == "txn_failed")
        .unwrap_or_else(|| panic!("txn_failed alert: {:?}", alerts.active));
    assert!(
        alert
            .reason
            .contains("of transactions failed over 5 minutes"),
        "{}",
        alert.reason
    );
    c.faults.clear_all();
    sim.shutdown().await;
}

#[tokio::test]
async fn a_threshold_changed_over_rest_changes_the_card_on_the_next_tick_and_is_recorded() {
    let app = start().await;
    let sim = simulator(&["3.3-shared-nothing"]).await;
    let id = register(&app, "limits", &sim.clusters()[0]).await;
    let col = app.state.collector.clone();
    let cookie = app.admin_cookie().await;
    let mut t = now_ms();
    col.tick(t).await.expect("tick");
    let (status, reason) = card(&app, &cookie, id, "rowsets").await;
    assert_eq!(status, "healthy", "{reason}");
    assert!(reason.contains("(warning above 700)"), "{reason}");

    // Bad input changes nothing and says which field is wrong.
    let r = app
        .send(
            Method::PUT,
            &format!("/api/clusters/{id}/thresholds"),
            Some(&cookie),
            Some(serde_json::json!({ "rules": [
                { "rule": "disk", "warning": 95, "critical": 90 },
                { "rule": "rowsets", "warning": 10, "critical": 20 }
            ]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let e = r.json();
    assert_eq!(
        e["fields"]["disk.warning"],
        "must be below the critical threshold (90 %)"
    );
    assert_eq!(
        e["fields"]["rowsets.critical"],
        "the rowsets rule has no critical level"
    );
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/thresholds"),
            Some(&cookie),
            None,
        )
        .await;
    assert!(r.json()["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .all(|x| x["source"] == "default"));

    // A cluster's own rowsets warning far below its figures: the next tick warns.
    let r = app
        .send(
            Method::PUT,
            &format!("/api/clusters/{id}/thresholds"),
            Some(&cookie),
            Some(serde_json::json!({ "rules": [{ "rule": "rowsets", "warning": 1 }] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let rowsets = r.json()["rules"]
        .as_array()
        .and_then(|rules| rules.iter().find(|x| x["rule"] == "rowsets").cloned())
        .expect("rowsets");
    assert_eq!(
        (
            rowsets["warning"].as_f64(),
            rowsets["default_warning"].as_f64()
        ),
        (Some(1.0), Some(700.0))
    );
    assert_eq!(rowsets["source"], "cluster");
    t += 30_000;
    col.tick(t).await.expect("tick");
    app.state
        .overview
        .sync_alerts(&[id], t)
        .await
        .expect("sync");
    let (status, reason) = card(&app, &cookie, id, "rowsets").await;
    assert_eq!(status, "warning", "{reason}");
    assert!(reason.contains("(warning above 1)"), "{reason}");
    let alerts = app.state.overview.alerts(id, t).await.expect("alerts");
    assert!(alerts.active.iter().any(|a| a.rule == "rowsets"));
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/overview?range=1h"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(
        r.json()["custom_thresholds"],
        serde_json::json!(["rowsets"])
    );

    // Who changed what, and when.
    let r = app
        .send(
            Method::GET,
            &format!("/api/clusters/{id}/thresholds/changes"),
            Some(&cookie),
            None,
        )
        .await;
    let changes = r.json();
    assert_eq!(changes[0]["rule"], "rowsets");
    assert_eq!(changes[0]["changed_by"], "admin");
    assert_eq!(changes[0]["old_warning"].as_f64(), Some(700.0));
    assert_eq!(changes[0]["new_warning"].as_f64(), Some(1.0));

    // Back to what it inherits; a global change reaches every cluster.
    let r = app
        .send(
            Method::PUT,
            &format!("/api/clusters/{id}/thresholds"),
            Some(&cookie),
            Some(serde_json::json!({ "rules": [{ "rule": "rowsets" }] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .send(
            Method::PUT,
            "/api/thresholds",
            Some(&cookie),
            Some(serde_json::json!({ "rules": [{ "rule": "disk", "warning": 1, "critical": 2 }] })),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    t += 30_000;
    col.tick(t).await.expect("tick");
    let (status, reason) = card(&app, &cookie, id, "rowsets").await;
    assert_eq!(status, "healthy", "{reason}");
    let (status, reason) = card(&app, &cookie, id, "disk").await;
    assert_eq!(status, "critical", "{reason}");
    assert!(
        reason.contains("(warning at 1 %, critical at 2 %)"),
        "{reason}"
    );
    // The global change is listed with the global changes, without the
    // cluster's own.
    let r = app
        .send(Method::GET, "/api/thresholds/changes", Some(&cookie), None)
        .await;
    let changes = r.json();
    assert_eq!(changes[0]["rule"], "disk");
    assert_eq!(changes[0]["cluster_id"], serde_json::Value::Null);
    assert!(changes
        .as_array()
        .is_some_and(|c| c.iter().all(|c| c["cluster_id"].is_null())));
    sim.shutdown().await;
}
