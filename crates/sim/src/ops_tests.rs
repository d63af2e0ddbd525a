//! The operations-health figures as a client reads them: the FE and BE
//! `/metrics` lines, `/statistic` (also with `forward=true`) and `SHOW ROUTINE
//! LOAD`, normally, under each operations-health fault and after it clears.
//! Time is injected (`set_at`, `clear_at`, the scrape's `t`), so nothing sleeps.

use super::faults::{Fault, View, TOO_MANY_ERROR_ROWS};
use super::format::datetime;
use super::ops::HEAL_MS;
use super::proc::{proc, Ctx, Grid, Val};
use super::sql::{execute, Answer, Session};
use super::tests::{calm, shared_of};
use super::{be_http, fe_http, Shared};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

const T: i64 = 1_764_000_000_000;

/// The value of the line `series value` in a Prometheus text.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.parse().ok())
}

/// Like [`value`], for a series that must be there.
fn must(text: &str, series: &str) -> f64 {
    value(text, series).unwrap_or_else(|| panic!("no {series}"))
}

fn fe(sh: &Shared, j: usize, t: i64) -> String {
    fe_http::fe_metrics(sh, j, t, &sh.faults.view())
}

fn be(sh: &Shared, k: usize, t: i64) -> String {
    be_http::be_metrics(&sh.model, k, t, &sh.faults.view())
}

fn ctx(sh: &Shared, t: i64) -> Ctx<'_> {
    Ctx {
        sh,
        fe: 0,
        t,
        view: sh.faults.view(),
    }
}

/// `/statistic` at `t`: (DbName, the nine numeric columns) per row, Total last.
fn statistic(sh: &Shared, t: i64) -> Vec<(String, Vec<u64>)> {
    let g = proc(&ctx(sh, t), "/statistic").expect("/statistic");
    g.rows
        .iter()
        .map(|r| {
            let nums = r[2..]
                .iter()
                .map(|v| v.proc_text().parse().expect("a number"))
                .collect();
            (r[1].proc_text(), nums)
        })
        .collect()
}

/// Index of UnhealthyTabletNum among the nine numeric columns (then
/// Inconsistent, Cloning, ErrorState); ReplicaNum is just before it.
const UNHEALTHY: usize = 5;
const REPLICAS: usize = 4;

fn sql(sh: &Shared, t: i64, db: &str, stmt: &str) -> Answer {
    let me = Session {
        id: 1,
        user: "root".into(),
        db: db.into(),
    };
    execute(&ctx(sh, t), &me, stmt)
}

fn rows(a: Answer) -> Grid {
    match a {
        Answer::Rows(g) => g,
        other => panic!("not rows: {other:?}"),
    }
}

fn col(g: &Grid, row: usize, name: &str) -> String {
    let i = g
        .cols
        .iter()
        .position(|(c, _)| c == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    g.rows[row][i].proc_text()
}

fn state_line(state: &str) -> String {
    format!("starrocks_fe_routine_load_jobs{{state=\"{state}\"}}")
}

#[test]
fn routine_load_paused_pauses_the_first_job_until_cleared() {
    let sh = shared_of("3.3-shared-nothing", 4);
    let t0 = calm(&sh, T);
    let db0 = sh.model.dbs[0].name.clone();
    let before = fe(&sh, 0, t0 - 1);
    assert_eq!(must(&before, &state_line("RUNNING")), 3.0);
    assert_eq!(must(&before, &state_line("PAUSED")), 0.0);
    let paused0 = must(&before, "starrocks_fe_routine_load_paused");

    sh.faults.set_at(Fault::RoutineLoadPaused, t0);
    let t1 = t0 + 60_000;
    let during = fe(&sh, 0, t1);
    assert_eq!(must(&during, &state_line("PAUSED")), 1.0);
    assert_eq!(must(&during, &state_line("RUNNING")), 2.0);
    assert_eq!(
        must(&during, "starrocks_fe_routine_load_paused"),
        paused0 + 1.0
    );
    let follower = fe(&sh, 1, t1);
    assert_eq!(must(&follower, &state_line("PAUSED")), 0.0);
    assert_eq!(must(&follower, &state_line("RUNNING")), 0.0);

    let g = rows(sql(
        &sh,
        t1,
        "",
        &format!("SHOW ALL ROUTINE LOAD FROM {db0}"),
    ));
    assert_eq!(g.rows.len(), 1);
    assert_eq!(col(&g, 0, "State"), "PAUSED");
    assert_eq!(col(&g, 0, "PauseTime"), datetime(t0));
    assert_eq!(col(&g, 0, "ReasonOfStateChanged"), TOO_MANY_ERROR_ROWS);
    assert_eq!(col(&g, 0, "CurrentTaskNum"), "0");
    assert!(col(&g, 0, "TrackingSQL").contains("information_schema.load_tracking_logs"));
    let stat: Value = serde_json::from_str(&col(&g, 0, "Statistic")).expect("json");
    assert!(stat["errorRows"].as_u64() > Some(1_000));

    sh.faults.clear_at(&Fault::RoutineLoadPaused, t1 + 1_000);
    let after = fe(&sh, 0, t1 + 2_000);
    assert_eq!(must(&after, &state_line("RUNNING")), 3.0);
    assert_eq!(must(&after, &state_line("PAUSED")), 0.0);
    // A counter keeps what it counted.
    assert_eq!(
        must(&after, "starrocks_fe_routine_load_paused"),
        paused0 + 1.0
    );
    let g = rows(sql(&sh, t1 + 2_000, &db0, "SHOW ROUTINE LOAD"));
    assert_eq!(col(&g, 0, "State"), "RUNNING");
    assert_eq!(col(&g, 0, "ReasonOfStateChanged"), "");
}

#[test]
fn the_oldest_profile_prints_one_line_per_job_and_no_newer_families() {
    let sh = shared_of("3.0-shared-nothing", 4);
    let t = calm(&sh, T);
    let leader = fe(&sh, 0, t);
    let jobs: Vec<&str> = leader
        .lines()
        .filter(|l| l.starts_with("starrocks_fe_routine_load_jobs{"))
        .collect();
    assert_eq!(jobs.len(), 3, "{jobs:?}");
    let (d, tbl) = (&sh.model.dbs[0], &sh.model.dbs[0].tables[0]);
    let first = format!(
        "starrocks_fe_routine_load_jobs{{name=\"{}_from_kafka\", table=\"{}\", database=\"{}\", state=\"RUNNING\"}} 1",
        tbl.name, tbl.name, d.name
    );
    assert!(jobs.contains(&first.as_str()), "{jobs:?}");
    assert!(!leader.contains("routine_load_jobs{state="));
    // Written after the histograms, before node_info, as the FE visits them.
    let at = |s: &str| leader.find(s).unwrap_or_else(|| panic!("no {s}"));
    assert!(at("starrocks_fe_query_latency_ms_count") < at(&first));
    assert!(at(&first) < at("# TYPE  node_info gauge"));
    for absent in [
        "query_resource_group",
        "resource_group_query_queue",
        "txn_running",
    ] {
        assert!(!leader.contains(absent), "{absent} on 3.0");
    }
    // Followers skip the family altogether.
    assert!(!fe(&sh, 1, t).contains("routine_load_jobs"));

    sh.faults.set_at(Fault::RoutineLoadPaused, t);
    let paused = fe(&sh, 0, t + 1_000);
    assert!(paused.contains(&first.replace("RUNNING", "PAUSED")));
    assert_eq!(paused.matches("state=\"RUNNING\"} 1").count(), 2);
    sh.faults.clear_at(&Fault::RoutineLoadPaused, t + 2_000);
    assert!(fe(&sh, 0, t + 3_000).contains(&first));
}

#[test]
fn the_newer_profile_prints_per_state_gauges_and_resource_groups() {
    let sh = shared_of("3.3-shared-nothing", 4);
    let t = calm(&sh, T);
    let leader = fe(&sh, 0, t);
    for st in [
        "NEED_SCHEDULE",
        "RUNNING",
        "PAUSED",
        "STOPPED",
        "CANCELLED",
        "UNSTABLE",
    ] {
        assert!(value(&leader, &state_line(st)).is_some(), "{st}");
    }
    assert!(!leader.contains("routine_load_jobs{name="));
    assert!(leader.contains("# TYPE starrocks_fe_query_resource_group counter\n"));
    assert!(leader.contains("# TYPE starrocks_fe_query_resource_group_latency gauge\n"));
    assert!(leader.contains("# TYPE starrocks_fe_resource_group_query_queue_pending counter\n"));
    let groups = ["default_wg", "rg_bi", "rg_etl"];
    let queries: f64 = groups
        .iter()
        .map(|g| {
            must(
                &leader,
                &format!("starrocks_fe_query_resource_group{{name=\"{g}\"}}"),
            )
        })
        .sum();
    let total = must(&leader, "starrocks_fe_query_total");
    assert!(
        queries <= total && total - queries < 3.0,
        "{queries} of {total}"
    );
    for g in groups {
        assert!(value(
            &leader,
            &format!("starrocks_fe_query_resource_group_err{{name=\"{g}\"}}")
        )
        .is_some());
        for ty in [
            "mean",
            "75_quantile",
            "95_quantile",
            "98_quantile",
            "99_quantile",
            "999_quantile",
        ] {
            let ms = must(
                &leader,
                &format!(
                    "starrocks_fe_query_resource_group_latency{{type=\"{ty}\", name=\"{g}\"}}"
                ),
            );
            assert!(ms > 0.0, "{g} {ty}");
        }
        for q in ["total", "pending", "timeout"] {
            let n = must(
                &leader,
                &format!("starrocks_fe_resource_group_query_queue_{q}{{name=\"{g}\"}}"),
            );
            assert!(n < 1e7, "{g} {q} {n}");
        }
    }
    // They move with the load.
    let later = fe(&sh, 0, t + 600_000);
    let q = |text: &str| {
        must(
            text,
            "starrocks_fe_query_resource_group{name=\"default_wg\"}",
        )
    };
    assert!(q(&later) > q(&leader));
}

#[test]
fn txn_pileup_runs_950_in_one_database_and_fails_transactions() {
    let sh = shared_of("3.3-shared-nothing", 4);
    let t0 = calm(&sh, T);
    let db0 = sh.model.dbs[0].name.clone();
    let running =
        |text: &str, db: &str| must(text, &format!("starrocks_fe_txn_running{{db=\"{db}\"}}"));
    let normal = fe(&sh, 0, t0);
    for d in &sh.model.dbs {
        assert!(running(&normal, &d.name) <= 20.0);
    }
    let failed_share = |a: &str, b: &str| {
        let d = |n: &str| must(b, n) - must(a, n);
        let failed = d("starrocks_fe_txn_failed");
        (failed / (failed + d("starrocks_fe_txn_success")), failed)
    };

    sh.faults.set_at(Fault::TxnPileup, t0);
    let (t1, t2) = (t0 + 60_000, t0 + 360_000);
    let (a, b) = (fe(&sh, 0, t1), fe(&sh, 0, t2));
    assert_eq!(running(&b, &db0), 950.0);
    assert_eq!(
        running(&fe(&sh, 2, t2), &db0),
        950.0,
        "every FE replays them"
    );
    for d in &sh.model.dbs[1..] {
        assert!(running(&b, &d.name) <= 20.0);
    }
    let (share, failed) = failed_share(&a, &b);
    assert!(share > 0.05, "{share}");
    // The official rule: rate(txn_failed[5m]) * 100 > 5.
    assert!(failed / 300.0 * 100.0 > 5.0, "{failed}");
    assert!(must(&b, "starrocks_fe_txn_begin") >= must(&a, "starrocks_fe_txn_begin"));
    let json = fe_http::fe_json(&sh, 0, t2, &sh.faults.view());
    assert!(json
        .iter()
        .any(|m| m.name == "txn_running" && m.labels == [("db", db0.clone())]));

    sh.faults.clear_at(&Fault::TxnPileup, t2);
    let (c, d) = (fe(&sh, 0, t2 + 15_000), fe(&sh, 0, t2 + 315_000));
    assert!(running(&c, &db0) <= 20.0);
    for n in [
        "starrocks_fe_txn_failed",
        "starrocks_fe_txn_begin",
        "starrocks_fe_txn_success",
    ] {
        assert!(must(&c, n) >= must(&b, n), "{n} went down");
    }
    let (share, _) = failed_share(&c, &d);
    assert!(share < 0.05, "{share}");
}

#[test]
fn checkpoint_stuck_grows_meta_log_count_on_every_fe() {
    let sh = shared_of("3.3-shared-nothing", 4);
    let t0 = calm(&sh, T);
    let meta = |j: usize, t: i64| must(&fe(&sh, j, t), "starrocks_fe_meta_log_count");
    for j in 0..3 {
        assert!(meta(j, t0) < 50_000.0);
    }
    sh.faults.set_at(Fault::CheckpointStuck, t0);
    for j in 0..3 {
        let (a, b) = (meta(j, t0 + 1_000), meta(j, t0 + 600_000));
        assert!(a > 100_000.0 && b > a, "FE {j}: {a} then {b}");
    }
    sh.faults.clear_at(&Fault::CheckpointStuck, t0 + 600_000);
    for j in 0..3 {
        assert!(meta(j, t0 + 600_001) < 50_000.0);
    }
}

#[test]
fn rowset_explosion_raises_backend_0_and_compactions_are_counted() {
    let sh = shared_of("3.3-shared-nothing", 4);
    let rowsets = "starrocks_be_max_tablet_rowset_num";
    for k in 0..3 {
        assert!(must(&be(&sh, k, T), rowsets) < 100.0);
    }
    sh.faults.set_at(Fault::RowsetExplosion, T);
    assert!(must(&be(&sh, 0, T + 1_000), rowsets) >= 900.0);
    assert!(must(&be(&sh, 1, T + 1_000), rowsets) < 700.0);
    sh.faults.clear_at(&Fault::RowsetExplosion, T + 2_000);
    assert!(must(&be(&sh, 0, T + 2_001), rowsets) < 700.0);

    let text = be(&sh, 0, T);
    for ty in [
        "base_compaction",
        "cumulative_compaction",
        "update_compaction",
    ] {
        let n = |st: &str| {
            must(
                &text,
                &format!("starrocks_be_engine_requests_total{{status=\"{st}\",type=\"{ty}\"}}"),
            )
        };
        assert!(n("total") > 0.0 && n("failed") < n("total") * 0.01, "{ty}");
    }
}

#[test]
fn tablets_unhealthy_shows_in_statistic_and_heals_after() {
    let sh = shared_of("3.3-shared-nothing", 4);
    let t0 = calm(&sh, T);
    let db0 = sh.model.dbs[0].name.clone();
    let scheduled = |j: usize, t: i64| must(&fe(&sh, j, t), "starrocks_fe_scheduled_tablet_num");
    let unhealthy = |t: i64| -> Vec<(String, u64)> {
        statistic(&sh, t)
            .into_iter()
            .map(|(name, v)| (name, v[UNHEALTHY]))
            .collect()
    };
    assert!(unhealthy(t0).iter().all(|(_, n)| *n == 0));
    assert_eq!(scheduled(0, t0), 0.0);

    sh.faults.set_at(Fault::TabletsUnhealthy, t0);
    let rows = statistic(&sh, t0 + 1_000);
    let (total_name, total) = rows.last().expect("Total row");
    assert_eq!(total_name, &rows.len().saturating_sub(1).to_string());
    for (i, t) in total.iter().enumerate() {
        let sum: u64 = rows[..rows.len() - 1].iter().map(|(_, v)| v[i]).sum();
        assert_eq!(*t, sum, "column {i}");
    }
    let (_, sick) = rows.iter().find(|(n, _)| *n == db0).expect("db0");
    assert!(sick[UNHEALTHY] > 0 && sick[UNHEALTHY + 2] > 0, "{sick:?}");
    assert!(
        (1..=3).contains(&sick[UNHEALTHY + 3]),
        "ErrorState {sick:?}"
    );
    for (name, v) in &rows[..rows.len() - 1] {
        if *name != db0 {
            assert_eq!(v[UNHEALTHY], 0, "{name}");
        }
    }
    assert!(scheduled(0, t0 + 1_000) > 0.0);
    assert_eq!(scheduled(1, t0 + 1_000), 0.0, "only the leader schedules");

    // Ten minutes on: two minutes to heal (as long as it lasted, at most two).
    let tc = t0 + 600_000;
    sh.faults.clear_at(&Fault::TabletsUnhealthy, tc);
    let left = |t: i64| total_of(&statistic(&sh, t), UNHEALTHY);
    let during = total.get(UNHEALTHY).copied().unwrap_or(0);
    let half = left(tc + HEAL_MS / 2);
    assert!(half > 0 && half < during, "{half} of {during}");
    assert_eq!(left(tc + HEAL_MS), 0);
    assert_eq!(scheduled(0, tc + HEAL_MS), 0.0);
}

fn total_of(rows: &[(String, Vec<u64>)], column: usize) -> u64 {
    rows.last().map_or(0, |(_, v)| v[column])
}

#[test]
fn a_dead_backends_tablets_clone_back_after_it_returns() {
    let sh = shared_of("3.3-shared-nothing", 4);
    sh.faults.set_at(Fault::BeDead(2), T);
    let during = statistic(&sh, T + 1_000);
    for d in &sh.model.dbs {
        let (_, v) = during.iter().find(|(n, _)| *n == d.name).expect("db");
        assert!(v[UNHEALTHY] > 0, "{}", d.name);
    }
    let tc = T + 600_000;
    sh.faults.clear_at(&Fault::BeDead(2), tc);
    let was = total_of(&during, UNHEALTHY);
    let half = total_of(&statistic(&sh, tc + HEAL_MS / 2), UNHEALTHY);
    assert!(half > 0 && half < was, "{half} of {was}");
    let cloning = total_of(&statistic(&sh, tc + HEAL_MS / 2), UNHEALTHY + 2);
    assert!(cloning > 0);
    assert_eq!(total_of(&statistic(&sh, tc + HEAL_MS), UNHEALTHY), 0);
}

#[test]
fn shared_data_statistic_has_no_replicas_or_health() {
    let sh = shared_of("3.3-shared-data", 4);
    sh.faults.set_at(Fault::BeDead(0), T);
    sh.faults.set_at(Fault::TabletsUnhealthy, T);
    for (name, v) in statistic(&sh, T + 1_000) {
        assert_eq!(v[REPLICAS..], [0, 0, 0, 0, 0], "{name}");
    }
    let total = statistic(&sh, T + 1_000);
    assert!(total_of(&total, 3) > 0, "TabletNum is still counted");
    assert_eq!(
        must(&fe(&sh, 0, T + 1_000), "starrocks_fe_scheduled_tablet_num"),
        0.0
    );
}

async fn get(router: &Router, uri: &str) -> (StatusCode, String) {
    let req = Request::builder()
        .uri(uri)
        .header(header::AUTHORIZATION, "Basic cm9vdDo=")
        .body(Body::empty())
        .expect("request");
    let r = router.clone().oneshot(req).await.expect("infallible");
    let status = r.status();
    let body = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .expect("body");
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn control(router: &Router, method: Method, body: &str) -> Value {
    let req = Request::builder()
        .method(method)
        .uri("/_sim/faults")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let r = router.clone().oneshot(req).await.expect("infallible");
    assert_eq!(r.status(), StatusCode::OK, "{body}");
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .expect("body");
    serde_json::from_slice(&bytes).expect("json")
}

#[tokio::test]
async fn statistic_answers_with_forward_true_on_any_fe() {
    let sh = Arc::new(shared_of("3.3-shared-nothing", 4));
    for j in 0..3 {
        let router = fe_http::router(sh.clone(), j);
        let (status, plain) = get(&router, "/api/show_proc?path=/statistic").await;
        assert_eq!(status, StatusCode::OK);
        let (status, fwd) = get(&router, "/api/show_proc?path=/statistic&forward=true").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(fwd, plain, "FE {j}");
        let rows: Value = serde_json::from_str(&fwd).expect("json");
        let last = rows.as_array().and_then(|r| r.last()).expect("rows");
        assert_eq!(last["DbId"], "Total");
        assert_eq!(last["UnhealthyTabletNum"], "0");
    }
}

#[tokio::test]
async fn the_control_api_sets_and_clears_the_operations_faults() {
    let sh = Arc::new(shared_of("3.3-shared-nothing", 4));
    let router = fe_http::router(sh.clone(), 1);
    let db0 = sh.model.dbs[0].name.clone();
    for name in [
        "routine_load_paused",
        "txn_pileup",
        "checkpoint_stuck",
        "rowset_explosion",
        "tablets_unhealthy",
    ] {
        let list = control(&router, Method::POST, &format!("{{\"fault\":\"{name}\"}}")).await;
        assert!(list["faults"]
            .as_array()
            .is_some_and(|l| l.iter().any(|f| f["fault"] == name)));
    }
    let (_, m) = get(&router, "/metrics").await;
    assert_eq!(
        must(&m, &format!("starrocks_fe_txn_running{{db=\"{db0}\"}}")),
        950.0
    );
    assert!(must(&m, "starrocks_fe_meta_log_count") > 100_000.0);
    let (_, st) = get(&router, "/api/show_proc?path=/statistic&forward=true").await;
    let st: Value = serde_json::from_str(&st).expect("json");
    let total = st.as_array().and_then(|r| r.last()).expect("Total");
    assert_ne!(total["UnhealthyTabletNum"], "0");
    assert_ne!(total["ErrorStateTabletNum"], "0");
    assert!(
        must(
            &be(&sh, 0, crate::now_ms()),
            "starrocks_be_max_tablet_rowset_num"
        ) >= 900.0
    );
    let (_, leader) = get(&fe_http::router(sh.clone(), 0), "/metrics").await;
    assert!(must(&leader, &state_line("PAUSED")) >= 1.0);

    let list = control(&router, Method::DELETE, "").await;
    assert_eq!(list["faults"], Value::Array(vec![]));
    let (_, m) = get(&router, "/metrics").await;
    assert!(must(&m, &format!("starrocks_fe_txn_running{{db=\"{db0}\"}}")) <= 20.0);
    assert!(must(&m, "starrocks_fe_meta_log_count") < 100_000.0);
    assert!(
        must(
            &be(&sh, 0, crate::now_ms()),
            "starrocks_be_max_tablet_rowset_num"
        ) < 700.0
    );
    let g = rows(sql(&sh, crate::now_ms(), &db0, "SHOW ALL ROUTINE LOAD"));
    assert_ne!(col(&g, 0, "ReasonOfStateChanged"), TOO_MANY_ERROR_ROWS);
}

#[test]
fn show_routine_load_answers_starrocks_columns() {
    let newest = [
        "Id",
        "Name",
        "CreateTime",
        "PauseTime",
        "EndTime",
        "DbName",
        "TableName",
        "State",
        "DataSourceType",
        "CurrentTaskNum",
        "JobProperties",
        "DataSourceProperties",
        "CustomProperties",
        "Statistic",
        "Progress",
        "TimestampProgress",
        "ReasonOfStateChanged",
        "ErrorLogUrls",
        "TrackingSQL",
        "OtherMsg",
        "LatestSourcePosition",
        "OffsetLag",
        "TimestampLag",
    ];
    for (profile, n) in [("3.3-shared-nothing", 23), ("3.0-shared-nothing", 20)] {
        let sh = shared_of(profile, 4);
        let t = calm(&sh, T);
        let db0 = sh.model.dbs[0].name.clone();
        let g = rows(sql(
            &sh,
            t,
            "",
            &format!("SHOW ALL ROUTINE LOAD FROM `{db0}`"),
        ));
        let cols: Vec<&str> = g.cols.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(cols, newest[..n], "{profile}");
        assert_eq!(g.rows.len(), 1);
        assert_eq!(col(&g, 0, "State"), "RUNNING");
        assert_eq!(col(&g, 0, "DbName"), db0);
        assert_eq!(col(&g, 0, "PauseTime"), "NULL");
        assert_eq!(col(&g, 0, "DataSourceType"), "KAFKA");
        let stat: Value = serde_json::from_str(&col(&g, 0, "Statistic")).expect("json");
        for k in [
            "receivedBytes",
            "errorRows",
            "committedTaskNum",
            "loadedRows",
            "totalRows",
            "taskExecuteTimeMs",
        ] {
            assert!(stat[k].is_u64(), "{k}");
        }
        let progress: Value = serde_json::from_str(&col(&g, 0, "Progress")).expect("json");
        assert!(progress["0"]
            .as_str()
            .is_some_and(|o| o.parse::<u64>().is_ok()));
        if n == 23 {
            let lag: Value = serde_json::from_str(&col(&g, 0, "OffsetLag")).expect("json");
            assert!(lag["1"].as_str().is_some_and(|o| o.parse::<u64>().is_ok()));
        }
        // The session's database, a job by name, and the errors StarRocks gives.
        let same = rows(sql(&sh, t, &db0, "show all routine load"));
        assert_eq!(same, g);
        let name = col(&g, 0, "Name");
        let one = rows(sql(
            &sh,
            t,
            "",
            &format!("SHOW ROUTINE LOAD FOR {db0}.{name}"),
        ));
        assert_eq!(one.rows.len(), 1);
        let other_db = rows(sql(
            &sh,
            t,
            "",
            "SHOW ALL ROUTINE LOAD FROM information_schema",
        ));
        assert!(other_db.rows.is_empty());
        match sql(&sh, t, "", "SHOW ALL ROUTINE LOAD") {
            Answer::Err(1064, msg) => assert!(msg.contains("No database selected"), "{msg}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            sql(&sh, t, "", "SHOW ALL ROUTINE LOAD FROM nowhere"),
            Answer::Err(1049, _)
        ));
        assert!(matches!(
            sql(&sh, t, "", "SHOW ALL ROUTINE LOAD LIKE 'x'"),
            Answer::Err(1064, _)
        ));
    }
    // Every value is a string (VARCHAR), as the FE's metadata says.
    let sh = shared_of("3.3-shared-nothing", 4);
    let g = rows(sql(
        &sh,
        T,
        &sh.model.dbs[1].name.clone(),
        "SHOW ROUTINE LOAD",
    ));
    assert!(g.rows.iter().flatten().all(|v| matches!(v, Val::Str(_))));
}

#[test]
fn no_fault_history_no_change() {
    // A View with no episodes is what the figures were before this work.
    let sh = shared_of("3.3-shared-nothing", 4);
    let v = View::default();
    let m = fe_http::fe_metrics(&sh, 0, T, &v);
    assert!(must(&m, "starrocks_fe_meta_log_count") < 50_000.0);
    assert_eq!(must(&m, "starrocks_fe_safe_mode{type=\"safe_mode\"}"), 0.0);
    assert_eq!(must(&m, "starrocks_fe_report_queue_size"), 0.0);
}
