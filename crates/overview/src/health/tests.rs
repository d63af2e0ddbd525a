use super::*;

const NOW: i64 = 1_800_000_000_000;
const INTERVAL: i64 = 30_000;

fn healthy() -> Snapshot {
    let mut s = Snapshot::empty(1, NOW - 1_000, CollectStatus::Ok);
    s.fe_total = Some(3);
    s.fe_alive = Some(3);
    s.be_total = Some(3);
    s.be_alive = Some(3);
    s.disk_max_pct = Some(50.0);
    s.compaction_score_max = Some(10.0);
    s.jvm_heap_used_bytes = Some(50);
    s.jvm_heap_max_bytes = Some(100);
    s.cpu_avg_pct = Some(30.0);
    s.error_rate = Some(0.0);
    s
}

fn status_of(s: &Snapshot, key: &str) -> HealthStatus {
    let recent = vec![s.clone()];
    let h = evaluate(&HealthInput {
        now: NOW,
        interval_ms: INTERVAL,
        latest: Some(s),
        last_ok: Some(s),
        recent_ok: &recent,
        nodes: None,
        ops: None,
        routine_loads: &[],
        limits: default_limits(),
    });
    h.cards
        .iter()
        .find(|c| c.key == key)
        .map(|c| c.status)
        .expect("card")
}

fn with(f: impl Fn(&mut Snapshot)) -> Snapshot {
    let mut s = healthy();
    f(&mut s);
    s
}

use HealthStatus::{Critical, Healthy, Unknown, Warning};

#[test]
fn every_threshold_on_both_sides() {
    let cases: Vec<(&str, Snapshot, HealthStatus)> = vec![
        ("disk", with(|s| s.disk_max_pct = Some(79.99)), Healthy),
        ("disk", with(|s| s.disk_max_pct = Some(80.0)), Warning),
        ("disk", with(|s| s.disk_max_pct = Some(89.99)), Warning),
        ("disk", with(|s| s.disk_max_pct = Some(90.0)), Critical),
        (
            "compaction",
            with(|s| s.compaction_score_max = Some(100.0)),
            Healthy,
        ),
        (
            "compaction",
            with(|s| s.compaction_score_max = Some(100.5)),
            Warning,
        ),
        (
            "compaction",
            with(|s| s.compaction_score_max = Some(800.0)),
            Warning,
        ),
        (
            "compaction",
            with(|s| s.compaction_score_max = Some(800.5)),
            Critical,
        ),
        (
            "jvm_heap",
            with(|s| {
                s.jvm_heap_used_bytes = Some(7_999);
                s.jvm_heap_max_bytes = Some(10_000);
            }),
            Healthy,
        ),
        (
            "jvm_heap",
            with(|s| s.jvm_heap_used_bytes = Some(80)),
            Warning,
        ),
        (
            "jvm_heap",
            with(|s| s.jvm_heap_used_bytes = Some(89)),
            Warning,
        ),
        (
            "jvm_heap",
            with(|s| s.jvm_heap_used_bytes = Some(90)),
            Critical,
        ),
        ("cpu", with(|s| s.cpu_avg_pct = Some(89.9)), Healthy),
        ("cpu", with(|s| s.cpu_avg_pct = Some(90.0)), Warning),
        ("error_rate", with(|s| s.error_rate = Some(0.05)), Healthy),
        ("error_rate", with(|s| s.error_rate = Some(0.0501)), Warning),
        ("nodes", with(|s| s.be_alive = Some(2)), Critical),
        ("nodes", with(|s| s.fe_alive = Some(2)), Critical),
        ("nodes", healthy(), Healthy),
        ("disk", with(|s| s.disk_max_pct = None), Unknown),
    ];
    for (key, snap, want) in cases {
        assert_eq!(status_of(&snap, key), want, "{key}: {snap:?}");
    }
}

#[test]
fn three_missed_intervals_make_a_cluster_critical() {
    let ok = with(|s| s.collected_at = NOW - 3 * INTERVAL + 1);
    let mut failed = Snapshot::empty(1, NOW - 1_000, CollectStatus::Failed);
    failed.error_message = Some("cannot reach fe1:8030".into());
    let eval = |last_ok: &Snapshot| {
        evaluate(&HealthInput {
            now: NOW,
            interval_ms: INTERVAL,
            latest: Some(&failed),
            last_ok: Some(last_ok),
            recent_ok: &[],
            nodes: None,
            ops: None,
            routine_loads: &[],
            limits: default_limits(),
        })
    };
    let h = eval(&ok);
    assert_eq!(h.cards[0].status, Warning);
    let stale = with(|s| s.collected_at = NOW - 3 * INTERVAL);
    let h = eval(&stale);
    assert_eq!(h.cards[0].status, Critical);
    assert!(
        h.cards[0].reason.contains("cannot reach fe1:8030"),
        "{}",
        h.cards[0].reason
    );
    assert_eq!(h.status, Critical);
}

#[test]
fn status_is_the_worst_card_and_the_score_counts_them() {
    let s = healthy();
    let recent = vec![s.clone()];
    let h = evaluate(&input(&s, &recent));
    assert_eq!((h.status, h.score), (Healthy, 100));
    let bad = with(|s| {
        s.disk_max_pct = Some(85.0);
        s.be_alive = Some(2);
    });
    let recent = vec![bad.clone()];
    let h = evaluate(&input(&bad, &recent));
    assert_eq!((h.status, h.score), (Critical, 60));
    let never = evaluate(&HealthInput {
        now: NOW,
        interval_ms: INTERVAL,
        latest: None,
        last_ok: None,
        recent_ok: &[],
        nodes: None,
        ops: None,
        routine_loads: &[],
        limits: default_limits(),
    });
    assert_eq!(never.status, Unknown);
}

fn node(kind: &str, name: &str, host: Option<&str>, alive: bool) -> NodeInfo {
    NodeInfo {
        host: host.map(str::to_string),
        ..NodeInfo::named(kind, name, alive)
    }
}

fn nodes_reason(s: &Snapshot, lists: Option<&Nodes>) -> (HealthStatus, String) {
    let recent = vec![s.clone()];
    let h = evaluate(&HealthInput {
        nodes: lists,
        ops: None,
        routine_loads: &[],
        limits: default_limits(),
        ..input(s, &recent)
    });
    let c = h
        .cards
        .into_iter()
        .find(|c| c.key == "nodes")
        .expect("card");
    (c.status, c.reason)
}

#[test]
fn the_nodes_card_names_the_dead_nodes() {
    let one_dead = with(|s| s.be_alive = Some(2));
    let lists = Nodes {
        collected_at: Some(one_dead.collected_at),
        frontends: vec![node("fe", "127.0.0.1_9010_1", Some("127.0.0.1"), true)],
        backends: vec![
            node("be", "127.0.0.1:9050", Some("127.0.0.1"), false),
            node("be", "10002", Some("10.0.0.2"), true),
            node("be", "10003", Some("10.0.0.3"), true),
        ],
        listed: None,
    };
    assert_eq!(
        nodes_reason(&one_dead, Some(&lists)),
        (Critical, "1 of 3 BE/CN dead: 127.0.0.1:9050.".to_string())
    );
    // Without a node list the counts alone still tell it.
    assert_eq!(
        nodes_reason(&one_dead, None),
        (Critical, "1 of 3 BE/CN dead.".to_string())
    );
    // A list from another collection could name a node that is back: no names.
    let older = Nodes {
        collected_at: Some(one_dead.collected_at - INTERVAL),
        ..lists.clone()
    };
    assert_eq!(
        nodes_reason(&one_dead, Some(&older)).1,
        "1 of 3 BE/CN dead."
    );

    // A BE's name is its id: the host comes first. Three names, then a count;
    // dead FEs and BEs each under their own count.
    let many = with(|s| {
        s.fe_total = Some(2);
        s.fe_alive = Some(1);
        s.be_total = Some(6);
        s.be_alive = Some(1);
    });
    let lists = Nodes {
        collected_at: Some(many.collected_at),
        frontends: vec![
            node("fe", "fe-a", None, true),
            node("fe", "fe-b", Some(""), false),
        ],
        backends: (1..=6)
            .map(|i| {
                node(
                    "be",
                    &format!("1000{i}"),
                    Some(&format!("10.0.0.{i}")),
                    i == 6,
                )
            })
            .collect(),
        listed: None,
    };
    assert_eq!(
        nodes_reason(&many, Some(&lists)).1,
        "1 of 2 FE dead: fe-b; 5 of 6 BE/CN dead: 10.0.0.1 (10001), 10.0.0.2 (10002), \
         10.0.0.3 (10003) and 2 more."
    );
    assert_eq!(
        nodes_reason(&healthy(), Some(&lists)),
        (Healthy, "All 3 FE and 3 BE/CN alive.".to_string())
    );
}

fn input<'a>(s: &'a Snapshot, recent: &'a [Snapshot]) -> HealthInput<'a> {
    HealthInput {
        now: NOW,
        interval_ms: INTERVAL,
        latest: Some(s),
        last_ok: Some(s),
        recent_ok: recent,
        nodes: None,
        ops: None,
        routine_loads: &[],
        limits: default_limits(),
    }
}

fn ops_status(ops: &OpsSnapshot, recent: &[Snapshot], key: &str) -> (HealthStatus, String) {
    let s = healthy();
    let mut i = input(&s, recent);
    i.ops = Some(ops);
    let h = evaluate(&i);
    let c = h.cards.iter().find(|c| c.key == key).expect("card");
    (c.status, c.reason.clone())
}

fn ops(f: impl Fn(&mut OpsSnapshot)) -> OpsSnapshot {
    let mut o = OpsSnapshot::new(1, NOW - 1_000);
    o.tablets = Some(5_000);
    o.tablets_unhealthy = Some(0);
    o.tablets_error_state = Some(0);
    o.routine_loads_running = Some(3);
    o.routine_loads_paused = Some(0);
    o.txn_running_max = Some(10);
    o.txn_running_max_db = Some("sales".into());
    o.meta_log_count = Some(5_000);
    o.meta_log_fe = Some("fe-a".into());
    o.safe_mode = Some(false);
    o.rowsets_max = Some(40);
    o.rowsets_max_be = Some("10.0.0.1:9050 (10001)".into());
    f(&mut o);
    o
}

#[test]
fn operations_thresholds_on_both_sides() {
    let none: [Snapshot; 0] = [];
    let cases: Vec<(&str, OpsSnapshot, HealthStatus)> = vec![
        ("tablets", ops(|_| {}), Healthy),
        ("tablets", ops(|o| o.tablets_unhealthy = Some(3)), Warning),
        (
            "tablets",
            ops(|o| {
                o.tablets_unhealthy = Some(3);
                o.tablets_error_state = Some(1);
            }),
            Critical,
        ),
        (
            "tablets",
            ops(|o| {
                o.tablets_unhealthy = Some(3);
                o.tablets_unhealthy_since = Some(NOW - 29 * 60_000);
            }),
            Warning,
        ),
        (
            "tablets",
            ops(|o| {
                o.tablets_unhealthy = Some(3);
                o.tablets_unhealthy_since = Some(NOW - 31 * 60_000);
            }),
            Critical,
        ),
        ("tablets", ops(|o| o.tablets_unhealthy = None), Unknown),
        ("routine_load", ops(|_| {}), Healthy),
        (
            "routine_load",
            ops(|o| o.routine_loads_paused = Some(1)),
            Warning,
        ),
        (
            "routine_load",
            ops(|o| o.routine_loads_paused = None),
            Unknown,
        ),
        (
            "transactions",
            ops(|o| o.txn_running_max = Some(900)),
            Healthy,
        ),
        (
            "transactions",
            ops(|o| o.txn_running_max = Some(901)),
            Warning,
        ),
        ("transactions", ops(|o| o.txn_running_max = None), Unknown),
        (
            "metadata",
            ops(|o| o.meta_log_count = Some(100_000)),
            Healthy,
        ),
        (
            "metadata",
            ops(|o| o.meta_log_count = Some(100_001)),
            Warning,
        ),
        ("metadata", ops(|o| o.meta_log_count = None), Unknown),
        ("rowsets", ops(|o| o.rowsets_max = Some(700)), Healthy),
        ("rowsets", ops(|o| o.rowsets_max = Some(701)), Warning),
        ("rowsets", ops(|o| o.rowsets_max = None), Unknown),
        ("safe_mode", ops(|_| {}), Healthy),
        ("safe_mode", ops(|o| o.safe_mode = Some(true)), Critical),
        ("safe_mode", ops(|o| o.safe_mode = None), Unknown),
    ];
    for (key, o, want) in cases {
        assert_eq!(ops_status(&o, &none, key).0, want, "{key} {o:?}");
    }
}

#[test]
fn operations_reasons_name_what_to_look_at() {
    let none: [Snapshot; 0] = [];
    let (_, r) = ops_status(
        &ops(|o| {
            o.txn_running_max = Some(950);
            o.txn_running_max_db = Some("logs".into());
        }),
        &none,
        "transactions",
    );
    assert_eq!(
        r,
        "950 running transactions in database logs (warning above 900; StarRocks refuses new loads at 1,000 by default)."
    );
    let (_, r) = ops_status(&ops(|o| o.rowsets_max = Some(912)), &none, "rowsets");
    assert!(
        r.contains("912") && r.contains("10.0.0.1:9050 (10001)"),
        "{r}"
    );
    let (_, r) = ops_status(
        &ops(|o| {
            o.tablets_unhealthy = Some(4);
            o.tablets_cloning = Some(1);
            o.tablets_unhealthy_since = Some(NOW - 12 * 60_000);
        }),
        &none,
        "tablets",
    );
    assert!(
        r.starts_with("4 unhealthy tablets (1 cloning, 0 in error state) for 12 min"),
        "{r}"
    );
    // Without the operations row every operations card is unknown, not healthy.
    let s = healthy();
    let h = evaluate(&input(&s, &[]));
    for key in [
        "tablets",
        "routine_load",
        "transactions",
        "metadata",
        "rowsets",
        "safe_mode",
    ] {
        let c = h.cards.iter().find(|c| c.key == key).expect("card");
        assert_eq!(c.status, Unknown, "{key}");
    }
}

#[test]
fn failed_transactions_over_five_minutes() {
    let o = ops(|_| {});
    let row = |ago: i64, failed: i64, ok: i64| {
        let mut s = healthy();
        s.collected_at = NOW - ago;
        s.txn_failed = Some(failed);
        s.txn_success = Some(ok);
        s
    };
    // 6 of 100 over the window; an older interval does not count.
    let recent = vec![row(400_000, 90, 10), row(60_000, 3, 47), row(30_000, 3, 47)];
    let (status, reason) = ops_status(&o, &recent, "txn_failed");
    assert_eq!(status, Warning);
    assert!(
        reason.starts_with("6.0 % of transactions failed over 5 minutes (6 of 100)"),
        "{reason}"
    );
    let recent = vec![row(60_000, 5, 95)];
    assert_eq!(
        ops_status(&o, &recent, "txn_failed").0,
        Healthy,
        "5 % is not above 5 %"
    );
    let recent = vec![row(60_000, 0, 0)];
    assert_eq!(
        ops_status(&o, &recent, "txn_failed").0,
        Unknown,
        "nothing finished"
    );
}

#[test]
fn the_routine_load_card_names_the_paused_jobs_and_starrocks_reason() {
    use model::operations::RoutineLoadJob;
    let job = |db: &str, name: &str, state: &str, reason: Option<&str>| RoutineLoadJob {
        database: db.into(),
        name: name.into(),
        state: state.into(),
        reason: reason.map(str::to_string),
        ..RoutineLoadJob::default()
    };
    let jobs = vec![
        job(
            "sales",
            "orders",
            "PAUSED",
            Some("ErrorReason{errCode = 102, msg='too many error rows'}"),
        ),
        job("logs", "clicks", "PAUSED", None),
        job("logs", "views", "RUNNING", None),
        job("iot", "a", "PAUSED", None),
        job("iot", "b", "PAUSED", None),
    ];
    let o = ops(|o| o.routine_loads_paused = Some(4));
    let s = healthy();
    let mut i = input(&s, &[]);
    i.ops = Some(&o);
    i.routine_loads = &jobs;
    let h = evaluate(&i);
    let c = h
        .cards
        .iter()
        .find(|c| c.key == "routine_load")
        .expect("card");
    assert_eq!(c.status, Warning);
    assert_eq!(
        c.reason,
        "4 routine load jobs paused, 3 running: sales.orders, logs.clicks, iot.a, +1; StarRocks says: \
         ErrorReason{errCode = 102, msg='too many error rows'} (warning above 0)."
    );
}
