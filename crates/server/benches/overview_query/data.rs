//! The bench databases: 100 clusters with a week of history, and the fleet of
//! 1,000 clusters with an hour each.

use model::overview::{NodeInfo, Nodes, DAY_MS};
use store::partials;

const CLUSTERS: i64 = 100;
const ROWS_PER_CLUSTER: i64 = 7 * 2880;

/// `rows` snapshots of one cluster at 30 s from `t0`. Values move with the row
/// index; one row in 997 is a failed collection.
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
    for c in 0..CLUSTERS {
        let id = register(clusters, format!("bench-{c:03}"), "", "").await;
        insert_snapshots(pool, id, t0, ROWS_PER_CLUSTER).await;
        for res in partials::ROLLUP_RES {
            partials::rollup(pool, id, res, t0, end + 1)
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
}

const FLEET_CLUSTERS: i64 = 1000;
const FLEET_ROWS_PER_CLUSTER: i64 = 120;

/// A node list of 3 FEs (the first the leader) and 3 BEs, as the collector stores it.
fn node_lists() -> String {
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
    let nodes = Nodes {
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
    };
    serde_json::to_string(&nodes).expect("json")
}

/// 1,000 clusters with the last hour at 30 s, ending at the last 30 s boundary
/// before `now`. One in 25 failed its last 4 collections; one in 10 has an open
/// alert; every one has 10 resolved alerts and a node list.
pub async fn build_fleet(
    pool: &sqlx::SqlitePool,
    clusters: &registry::clusters::ClusterService,
    now: i64,
) {
    let end = now / 30_000 * 30_000;
    let t0 = end - (FLEET_ROWS_PER_CLUSTER - 1) * 30_000;
    let nodes = node_lists();
    for c in 0..FLEET_CLUSTERS {
        let id = register(
            clusters,
            format!("fleet-{c:04}"),
            "a cluster of the fleet bench",
            "bench,fleet",
        )
        .await;
        insert_snapshots(pool, id, t0, FLEET_ROWS_PER_CLUSTER).await;
        sqlx::query("INSERT INTO cluster_nodes (cluster_id, collected_at, nodes) VALUES (?, ?, ?)")
            .bind(id)
            .bind(end)
            .bind(&nodes)
            .execute(pool)
            .await
            .expect("nodes");
        if c % 25 == 0 {
            sqlx::query(
                "UPDATE metrics_snapshots SET status = 'failed', error_kind = 'unreachable', \
                 error_message = 'cannot reach 127.0.0.1:8030: connection refused', qps = NULL, \
                 latency_p99_ms = NULL, fe_alive = NULL, fe_total = NULL, be_alive = NULL, \
                 be_total = NULL, disk_total_bytes = NULL, disk_used_bytes = NULL \
                 WHERE cluster_id = ? AND collected_at > ?",
            )
            .bind(id)
            .bind(end - 4 * 30_000)
            .execute(pool)
            .await
            .expect("failed rows");
        }
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
}
