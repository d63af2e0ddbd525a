//! The bench databases: 100 clusters with a week of history, and the fleet of
//! 1,000 clusters with an hour each. The newest hour of every cluster is
//! written as the collector writes a tick (`store::snapshots::write_tick`:
//! rows, partials, node lists and `cluster_latest` in one transaction), so
//! the fleet page reads what production keeps; older history is inserted by
//! one statement per cluster.

use model::overview::{NodeInfo, Nodes, DAY_MS};
use model::snapshot::{CollectStatus, Snapshot};
use model::starrocks::ErrorKind;
use store::partials;
use store::snapshots::{write_tick, Collected};

const CLUSTERS: i64 = 100;
const ROWS_PER_CLUSTER: i64 = 7 * 2880;
/// The newest rows of each cluster, written tick by tick.
const TICK_ROWS: i64 = 120;

/// Row `i` of a cluster's history at `at`, as [`insert_snapshots`] writes it.
fn snapshot(id: i64, at: i64, i: i64) -> Snapshot {
    if i % 997 == 0 {
        let mut s = Snapshot::failed(
            id,
            at,
            ErrorKind::Unreachable,
            "cannot reach 127.0.0.1:8030/api/show_proc: connection refused".into(),
        );
        s.duration_ms = 40 + i % 17;
        return s;
    }
    let f = |x: i64| x as f64;
    let mut s = Snapshot::empty(id, at, CollectStatus::Ok);
    s.duration_ms = 40 + i % 17;
    s.qps = Some(100.0 + f(i % 120) * 1.5);
    s.rps = Some(180.0 + f(i % 120) * 2.5);
    s.latency_p50_ms = Some(12.0 + f(i % 30) * 0.3);
    s.latency_p95_ms = Some(80.0 + f(i % 40));
    s.latency_p99_ms = Some(150.0 + f(i % 90));
    s.queries = Some(3000 + i % 500);
    s.query_errors = Some(i % 7);
    s.query_timeouts = Some(i % 3);
    s.error_rate = Some(f(i % 7) / (3000.0 + f(i % 500)));
    s.fe_total = Some(3);
    s.fe_alive = Some(3);
    s.be_total = Some(3);
    s.be_alive = Some(if i % 5000 < 10 { 2 } else { 3 });
    s.cpu_avg_pct = Some(35.0 + f(i % 50) * 0.5);
    s.cpu_max_pct = Some(50.0 + f(i % 50) * 0.6);
    s.mem_avg_pct = Some(45.0 + f(i % 20));
    s.mem_max_pct = Some(55.0 + f(i % 20));
    s.disk_total_bytes = Some(6_000_000_000_000);
    s.disk_used_bytes = Some(2_500_000_000_000 + i * 20_000_000);
    s.disk_max_pct = Some(45.0 + f(i) * 0.0005);
    s.tablets = Some(120_000 + i);
    s.compaction_score_max = Some(10.0 + f(i % 60));
    s.txn_begin = Some(40 + i % 9);
    s.txn_success = Some(40 + i % 9);
    s.txn_failed = Some(i % 2);
    s.txn_running = Some(i % 11);
    s.loads_running = Some(i % 4);
    s.loads_finished = Some(i % 6);
    s.jvm_heap_used_bytes = Some(4_000_000_000 + (i % 100) * 10_000_000);
    s.jvm_heap_max_bytes = Some(8_589_934_592);
    s.connections = Some(40 + i % 25);
    s
}

/// One collector tick: every row in one transaction, as `write_tick` does.
async fn tick(pool: &sqlx::SqlitePool, rows: Vec<Collected>) {
    write_tick(pool, &rows).await.expect("tick");
}

/// `rows` snapshots of one cluster at 30 s from `t0`, the older history. Values
/// move with the row index as in [`snapshot`]; one row in 997 is a failed
/// collection.
async fn insert_snapshots(pool: &sqlx::SqlitePool, id: i64, t0: i64, rows: i64) {
    sqlx::query(
        "WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ?3 - 1)
         INSERT INTO metrics_snapshots (cluster_id, collected_at, status, error_kind, error_message,
           duration_ms, qps, rps, latency_p50_ms, latency_p95_ms, latency_p99_ms, queries,
           query_errors, query_timeouts, error_rate, fe_total, fe_alive, be_total, be_alive,
           cpu_avg_pct, cpu_max_pct, mem_avg_pct, mem_max_pct, disk_total_bytes, disk_used_bytes,
           disk_max_pct, tablets, compaction_score_max, txn_begin, txn_success, txn_failed,
           txn_running, loads_running, loads_finished, jvm_heap_used_bytes, jvm_heap_max_bytes,
           connections)
         SELECT ?1, ?2 + i * 30000,
           CASE WHEN i % 997 = 0 THEN 'failed' ELSE 'ok' END,
           CASE WHEN i % 997 = 0 THEN 'unreachable' END,
           CASE WHEN i % 997 = 0 THEN 'cannot reach 127.0.0.1:8030/api/show_proc: connection refused' END,
           40 + i % 17,
           CASE WHEN i % 997 <> 0 THEN 100.0 + (i % 120) * 1.5 END,
           CASE WHEN i % 997 <> 0 THEN 180.0 + (i % 120) * 2.5 END,
           CASE WHEN i % 997 <> 0 THEN 12.0 + (i % 30) * 0.3 END,
           CASE WHEN i % 997 <> 0 THEN 80.0 + (i % 40) END,
           CASE WHEN i % 997 <> 0 THEN 150.0 + (i % 90) END,
           CASE WHEN i % 997 <> 0 THEN 3000 + i % 500 END,
           CASE WHEN i % 997 <> 0 THEN i % 7 END,
           CASE WHEN i % 997 <> 0 THEN i % 3 END,
           CASE WHEN i % 997 <> 0 THEN (i % 7) / (3000.0 + i % 500) END,
           3, 3, 3, CASE WHEN i % 5000 < 10 THEN 2 ELSE 3 END,
           CASE WHEN i % 997 <> 0 THEN 35.0 + (i % 50) * 0.5 END,
           CASE WHEN i % 997 <> 0 THEN 50.0 + (i % 50) * 0.6 END,
           CASE WHEN i % 997 <> 0 THEN 45.0 + (i % 20) END,
           CASE WHEN i % 997 <> 0 THEN 55.0 + (i % 20) END,
           CASE WHEN i % 997 <> 0 THEN 6000000000000 END,
           CASE WHEN i % 997 <> 0 THEN 2500000000000 + i * 20000000 END,
           CASE WHEN i % 997 <> 0 THEN 45.0 + i * 0.0005 END,
           CASE WHEN i % 997 <> 0 THEN 120000 + i END,
           CASE WHEN i % 997 <> 0 THEN 10.0 + (i % 60) END,
           CASE WHEN i % 997 <> 0 THEN 40 + i % 9 END,
           CASE WHEN i % 997 <> 0 THEN 40 + i % 9 END,
           CASE WHEN i % 997 <> 0 THEN i % 2 END,
           CASE WHEN i % 997 <> 0 THEN i % 11 END,
           CASE WHEN i % 997 <> 0 THEN i % 4 END,
           CASE WHEN i % 997 <> 0 THEN i % 6 END,
           CASE WHEN i % 997 <> 0 THEN 4000000000 + (i % 100) * 10000000 END,
           CASE WHEN i % 997 <> 0 THEN 8589934592 END,
           CASE WHEN i % 997 <> 0 THEN 40 + i % 25 END
         FROM seq",
    )
    .bind(id)
    .bind(t0)
    .bind(rows)
    .execute(pool)
    .await
    .expect("rows");
}

/// Registers a cluster whose FE nothing answers on (the benches read stored rows only).
async fn register(
    clusters: &registry::clusters::ClusterService,
    name: String,
    description: &str,
    tags: &str,
) -> i64 {
    let draft = model::ClusterDraft {
        name,
        fe_host: "127.0.0.1".into(),
        http_port: "1".into(),
        query_port: "1".into(),
        username: "root".into(),
        password: None,
        use_https: false,
        extra_fes: String::new(),
        description: description.into(),
        tags: tags.into(),
    };
    clusters.create(&draft).await.expect("register").id
}

/// Rows end at the last 30 s boundary before `now`, so "now" ranges are full.
pub async fn build(
    pool: &sqlx::SqlitePool,
    clusters: &registry::clusters::ClusterService,
    now: i64,
) {
    let end = now / 30_000 * 30_000;
    let t0 = end - (ROWS_PER_CLUSTER - 1) * 30_000;
    let older = ROWS_PER_CLUSTER - TICK_ROWS;
    let mut ids = Vec::new();
    for c in 0..CLUSTERS {
        let id = register(clusters, format!("bench-{c:03}"), "", "").await;
        ids.push(id);
        insert_snapshots(pool, id, t0, older).await;
        for res in partials::ROLLUP_RES {
            partials::rollup(pool, id, res, t0, t0 + older * 30_000)
                .await
                .expect("partials");
        }
        sqlx::query(
            "WITH RECURSIVE seq(d) AS (SELECT 1 UNION ALL SELECT d + 1 FROM seq WHERE d < 90)
             INSERT INTO daily_snapshots (cluster_id, day, samples, qps_avg, qps_max, p99_avg_ms,
               p99_max_ms, queries, query_errors, cpu_avg_pct, cpu_max_pct, mem_avg_pct, mem_max_pct,
               disk_avg_pct, disk_max_pct, disk_used_end_bytes, disk_total_end_bytes,
               data_growth_bytes, availability_pct, downtime_s)
             SELECT ?1, ?2 - d * 86400000, 2880, 150.0, 280.0, 190.0, 239.0, 9000000, 3000,
               45.0, 80.0, 55.0, 75.0, 45.0, 50.0, 2500000000000 - d * 40000000000, 6000000000000,
               40000000000, 99.9, 90
             FROM seq",
        )
        .bind(id)
        .bind(now / DAY_MS * DAY_MS)
        .execute(pool)
        .await
        .expect("daily");
    }
    for i in older..ROWS_PER_CLUSTER {
        let at = t0 + i * 30_000;
        let rows = ids
            .iter()
            .map(|&id| Collected {
                ops: None,
                snapshot: snapshot(id, at, i),
                counters: Vec::new(),
                nodes: None,
            })
            .collect();
        tick(pool, rows).await;
    }
}

const FLEET_CLUSTERS: i64 = 1000;
const FLEET_ROWS_PER_CLUSTER: i64 = 120;

/// A node list of 3 FEs (the first the leader) and 3 BEs.
fn node_lists() -> Nodes {
    let node = |kind: &str, name: String, role: Option<&str>| NodeInfo {
        host: Some("10.0.0.1".into()),
        role: role.map(str::to_string),
        version: Some("3.3.5-8a6f2b1".into()),
        disk_used_pct: (kind == "be").then_some(41.7),
        tablets: (kind == "be").then_some(40_000),
        cpu_pct: (kind == "be").then_some(35.0),
        mem_pct: (kind == "be").then_some(55.0),
        last_heartbeat: Some("2026-11-26 10:00:00".into()),
        ..NodeInfo::named(kind, &name, true)
    };
    Nodes {
        collected_at: None,
        frontends: (0..3)
            .map(|i| {
                let role = if i == 0 { "LEADER" } else { "FOLLOWER" };
                node("fe", format!("10.0.0.{i}_9010_1700000000000"), Some(role))
            })
            .collect(),
        backends: (0..3)
            .map(|i| node("be", format!("1000{i}"), None))
            .collect(),
        listed: None,
    }
}

/// 1,000 clusters with the last hour at 30 s, ending at the last 30 s boundary
/// before `now`, written tick by tick. One in 25 failed its last 4 collections;
/// one in 10 has an open alert; every one has 10 resolved alerts and a node
/// list, read by its last successful collection.
pub async fn build_fleet(
    pool: &sqlx::SqlitePool,
    clusters: &registry::clusters::ClusterService,
    now: i64,
) {
    let end = now / 30_000 * 30_000;
    let t0 = end - (FLEET_ROWS_PER_CLUSTER - 1) * 30_000;
    let nodes = node_lists();
    let mut ids = Vec::new();
    for c in 0..FLEET_CLUSTERS {
        let id = register(
            clusters,
            format!("fleet-{c:04}"),
            "a cluster of the fleet bench",
            "bench,fleet",
        )
        .await;
        ids.push(id);
        sqlx::query(
            "WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k < 9)
             INSERT INTO alerts (cluster_id, rule, level, title, reason, action, opened_at, resolved_at)
             SELECT ?1, 'cpu', 'warning', 'CPU', 'Average BE CPU over the last 5 minutes is 93.0 %.',
               'Find the heavy queries.', ?2 - (k + 1) * 3600000, ?2 - (k + 1) * 3600000 + 600000
             FROM seq",
        )
        .bind(id)
        .bind(end)
        .execute(pool)
        .await
        .expect("resolved alerts");
        if c % 10 == 0 {
            sqlx::query(
                "INSERT INTO alerts (cluster_id, rule, level, title, reason, action, opened_at) \
                 VALUES (?, 'disk', 'warning', 'Disk', \
                 'The fullest BE disk is 84.0 % used (warning at 80 %, critical at 90 %).', \
                 'Add disks or BEs.', ?)",
            )
            .bind(id)
            .bind(end - 600_000)
            .execute(pool)
            .await
            .expect("open alert");
        }
    }
    let last = FLEET_ROWS_PER_CLUSTER - 1;
    let down_from = FLEET_ROWS_PER_CLUSTER - 4;
    for i in 0..FLEET_ROWS_PER_CLUSTER {
        let at = t0 + i * 30_000;
        let rows = ids
            .iter()
            .enumerate()
            .map(|(c, &id)| {
                let down = c.is_multiple_of(25);
                let snapshot = if down && i >= down_from {
                    Snapshot::failed(
                        id,
                        at,
                        ErrorKind::Unreachable,
                        "cannot reach 127.0.0.1:8030: connection refused".into(),
                    )
                } else {
                    snapshot(id, at, i)
                };
                let read_nodes = i == if down { down_from - 1 } else { last };
                Collected {
                    ops: None,
                    snapshot,
                    counters: Vec::new(),
                    nodes: read_nodes.then(|| nodes.clone()),
                }
            })
            .collect();
        tick(pool, rows).await;
    }
}
