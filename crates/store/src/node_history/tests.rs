use super::*;
use crate::db;
use model::overview::{NodeInfo, Nodes, Window};

const MIN: i64 = 60_000;

/// node, alive, cpu, memory, disk
type Stored = (String, bool, Option<f64>, Option<f64>, Option<f64>);
/// node, res, bucket, rows, alive rows, cpu sum, cpu count, disk max, score max
type Partial = (
    String,
    i64,
    i64,
    i64,
    i64,
    Option<f64>,
    i64,
    Option<f64>,
    Option<f64>,
);

async fn partials(pool: &SqlitePool) -> Vec<Partial> {
    sqlx::query_as(
        "SELECT node, res, bucket, rows_total, rows_alive, cpu_sum, cpu_n, disk_max, \
         compaction_max FROM node_rollup ORDER BY node, res, bucket",
    )
    .fetch_all(pool)
    .await
    .expect("partials")
}

struct Db {
    pool: SqlitePool,
    _dir: tempfile::TempDir,
}

async fn db() -> Db {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let pool = db::connect(&url).await.expect("db");
    sqlx::query(
        "INSERT INTO clusters (id, name, fe_host, http_port, query_port, username, password_enc, \
         created_at, updated_at) VALUES (1, 'c', 'h', 8030, 9030, 'root', x'00', 0, 0)",
    )
    .execute(&pool)
    .await
    .expect("cluster");
    Db { pool, _dir: dir }
}

fn be(id: &str, alive: bool, cpu: f64) -> NodeInfo {
    NodeInfo {
        host: Some("10.0.0.1".into()),
        port: Some(9050),
        cpu_pct: Some(cpu),
        mem_pct: Some(cpu / 2.0),
        disk_used_pct: Some(40.0),
        compaction_score: Some(cpu * 2.0),
        ..NodeInfo::named("be", id, alive)
    }
}

fn lists(cpu: f64, second_alive: bool) -> Nodes {
    Nodes {
        collected_at: None,
        frontends: vec![NodeInfo {
            mem_pct: Some(30.0),
            ..NodeInfo::named("fe", "10.0.0.9_9010_1700000000000", true)
        }],
        backends: vec![be("10001", true, cpu), be("10002", second_alive, 99.0)],
        listed: None,
    }
}

async fn tick(pool: &SqlitePool, at: i64, nodes: &Nodes) -> u64 {
    let mut tx = pool.begin().await.expect("tx");
    let n = write(&mut tx, 1, at, nodes).await.expect("write");
    tx.commit().await.expect("commit");
    n
}

async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_tick_writes_one_row_per_node_and_a_dead_node_has_gaps() {
    let d = db().await;
    let at = 1_800_000_000_000;
    let mut nodes = lists(50.0, false);
    // Listed twice by a confused cluster: one row.
    nodes.backends.push(be("10001", true, 50.0));
    assert_eq!(tick(&d.pool, at, &nodes).await, 3);
    let rows: Vec<Stored> = sqlx::query_as(
        "SELECT node, alive, cpu_pct, mem_pct, disk_pct FROM node_snapshots ORDER BY node",
    )
    .fetch_all(&d.pool)
    .await
    .expect("rows");
    assert_eq!(
        rows,
        vec![
            ("be-10001".into(), true, Some(50.0), Some(25.0), Some(40.0)),
            ("be-10002".into(), false, None, None, None),
            (
                "fe-10.0.0.9_9010_1700000000000".into(),
                true,
                None,
                Some(30.0),
                None
            ),
        ]
    );
    // The same collection written again adds nothing, to the rows or the partials.
    assert_eq!(tick(&d.pool, at, &nodes).await, 0);
    let totals = count(&d.pool, "SELECT SUM(rows_total) FROM node_rollup").await;
    assert_eq!(totals, 3 * 2, "three nodes at two resolutions, once");
}

#[tokio::test]
async fn partials_added_per_tick_equal_partials_rebuilt_from_the_rows() {
    let d = db().await;
    let start = 1_800_000_000_000 / DAY_MS * DAY_MS;
    // 40 minutes at one tick per 30 s, the second BE dying after 10 minutes.
    for i in 0..80 {
        let at = start + i * 30_000;
        tick(&d.pool, at, &lists(i as f64, i < 20)).await;
    }
    // A repeat of one node's row among new ones: rebuilt, not double counted.
    let mut again = lists(79.0, false);
    again.backends.push(be("10003", true, 5.0));
    assert_eq!(tick(&d.pool, start + 79 * 30_000, &again).await, 1);
    // And the day, rolled up from the 15-minute partials after midnight.
    assert_eq!(rollup_day(&d.pool, 1, start).await.expect("rollup"), 4);

    let incremental = partials(&d.pool).await;
    let mut conn = d.pool.acquire().await.expect("conn");
    for (node, res, bucket, ..) in &incremental {
        recompute(&mut conn, 1, node, *res, *bucket)
            .await
            .expect("recompute");
    }
    drop(conn);
    let rebuilt = partials(&d.pool).await;
    assert_eq!(incremental, rebuilt);
    // 40 minutes: 8 five-minute buckets per node, the first holding ticks 0..9.
    let first = incremental
        .iter()
        .find(|r| r.0 == "be-10001" && r.1 == 300_000)
        .expect("bucket");
    assert_eq!((first.3, first.5, first.6), (10, Some(45.0), 10));
    let dead = incremental
        .iter()
        .find(|r| r.0 == "be-10002" && r.1 == 300_000 && r.2 == start + 10 * MIN)
        .expect("bucket");
    assert_eq!(
        (dead.3, dead.4, dead.5, dead.6, dead.7),
        (10, 0, None, 0, None)
    );
}

fn window(from: i64, to: i64, daily: bool) -> Window {
    Window {
        from,
        to,
        preset: None,
        daily,
    }
}

#[tokio::test]
async fn the_series_of_a_node_come_from_rows_partials_or_days() {
    let d = db().await;
    let day = 1_800_000_000_000 / DAY_MS * DAY_MS;
    // Two hours at one tick a minute; no tick in the first hour's minute 30.
    for m in 0..120 {
        if m == 30 {
            continue;
        }
        let at = day + m * MIN;
        tick(&d.pool, at, &lists(m as f64, m < 60)).await;
    }
    let be_defs = defs("be");
    // Raw rows, a point a minute: the missed tick is a gap, never 0.
    let raw = series(
        &d.pool,
        1,
        "be-10001",
        &window(day, day + 60 * MIN, false),
        MIN,
        be_defs,
    )
    .await
    .expect("series");
    assert_eq!(raw.len(), 4);
    assert_eq!(raw[0].key, "node_cpu");
    assert_eq!(raw[0].values.len(), 60);
    assert_eq!(raw[0].values[29], Some(29.0));
    assert_eq!(raw[0].values[30], None);
    assert_eq!(raw[3].values[29], Some(58.0), "compaction score");
    // The 5-minute partials: averages of CPU, maxima of disk and score.
    let m5 = series(
        &d.pool,
        1,
        "be-10001",
        &window(day, day + 2 * 60 * MIN, false),
        5 * MIN,
        be_defs,
    )
    .await
    .expect("series");
    assert_eq!(m5[0].values.len(), 24);
    assert_eq!(m5[0].values[0], Some(2.0));
    assert_eq!(m5[0].values[6], Some((31.0 + 32.0 + 33.0 + 34.0) / 4.0));
    assert_eq!(m5[3].values[0], Some(8.0));
    // The node that died after an hour: gaps from then on.
    let dead = series(
        &d.pool,
        1,
        "be-10002",
        &window(day, day + 2 * 60 * MIN, false),
        5 * MIN,
        be_defs,
    )
    .await
    .expect("series");
    assert_eq!(dead[0].values[11], Some(99.0));
    assert!(dead[0].values[12..].iter().all(Option::is_none));
    // Daily windows read the daily partials, rolled up after the day.
    rollup_day(&d.pool, 1, day).await.expect("rollup");
    let days = series(
        &d.pool,
        1,
        "be-10001",
        &window(day - 2 * DAY_MS, day + DAY_MS, true),
        DAY_MS,
        be_defs,
    )
    .await
    .expect("series");
    assert_eq!(days[0].values.len(), 3);
    assert_eq!(days[0].values[..2], [None, None]);
    let avg = (0..120).filter(|m| *m != 30).sum::<i64>() as f64 / 119.0;
    assert!((days[0].values[2].expect("today") - avg).abs() < 1e-9);
    // An FE's memory is its heap; it reports no CPU.
    let fe = series(
        &d.pool,
        1,
        "fe-10.0.0.9_9010_1700000000000",
        &window(day, day + 60 * MIN, false),
        MIN,
        defs("fe"),
    )
    .await
    .expect("series");
    assert_eq!(fe[1].key, "node_heap");
    assert_eq!(fe[1].values[0], Some(30.0));
    assert!(fe[0].values.iter().all(Option::is_none));
    assert!(known(&d.pool, 1, "be-10002").await.expect("known"));
    assert!(!known(&d.pool, 1, "be-99").await.expect("known"));
}

#[tokio::test]
async fn retention_keeps_the_clusters_spans() {
    let d = db().await;
    let now = 1_800_000_000_000 / DAY_MS * DAY_MS + 12 * 3_600_000;
    for days_ago in [100, 30, 8, 1] {
        let at = now - days_ago * DAY_MS;
        tick(&d.pool, at, &lists(10.0, true)).await;
        rollup_day(&d.pool, 1, at / DAY_MS * DAY_MS)
            .await
            .expect("rollup");
    }
    let raw_cutoff = now - 7 * DAY_MS;
    let daily_cutoff = (now - 90 * DAY_MS) / DAY_MS * DAY_MS;
    let deleted = apply_retention(&d.pool, 1, raw_cutoff, daily_cutoff)
        .await
        .expect("retention");
    // Per node: 3 raw rows, 6 short partials and 1 daily partial.
    assert_eq!(deleted, 3 * (3 + 6 + 1));
    let kept = |sql: &'static str| count(&d.pool, sql);
    assert_eq!(kept("SELECT COUNT(*) FROM node_snapshots").await, 3);
    assert_eq!(
        kept("SELECT COUNT(*) FROM node_rollup WHERE res < 86400000").await,
        3 * 2
    );
    assert_eq!(
        kept("SELECT COUNT(*) FROM node_rollup WHERE res = 86400000").await,
        3 * 3
    );
    // Deleting the cluster deletes its nodes' history.
    sqlx::query("DELETE FROM clusters")
        .execute(&d.pool)
        .await
        .expect("delete");
    assert_eq!(kept("SELECT COUNT(*) FROM node_rollup").await, 0);
}
