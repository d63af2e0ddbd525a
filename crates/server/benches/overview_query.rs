//! The overview service over a full week of history.
//!
//! `cargo bench --features ssr --bench overview_query [-- --wrk | --pages | --fleet]`
//!
//! Builds (once, kept in `target/bench-overview/`) a database with 100 clusters,
//! each with 7 days of snapshots at 30 s (2,016,000 rows) and 90 daily rows.
//! Then it measures, per range:
//! - server-side time of `OverviewService::overview` (p50 and p95 over many calls,
//!   spread over the clusters), and the size of its JSON;
//! - the same window answered as every raw row (`store::between` + JSON);
//! - with `--pages` (and with `--wrk`): the server-rendered overview page
//!   (`/clusters/{id}/overview?range=…`), one request at a time, p50/p95/max;
//! - with `--wrk`: the REST overview served by the real router on loopback,
//!   loaded by `wrk -t2 -c50 -d10s` (install it with `apt-get install wrk`).
//!
//! And the fleet page (`OverviewService::fleet`, p50 and p95 over 50 calls, with
//! its JSON), on that database and on a second one built once in
//! `target/bench-fleet/`: 1,000 clusters with 1 hour of snapshots at 30 s each,
//! a node list each, one in 25 unreachable for its last 4 collections, one in 10
//! with an open alert and 10 resolved alerts each. `--fleet` measures only the
//! fleet page.

use clap::Parser;
use model::overview::{parse_window, NodeInfo, Nodes, DAY_MS};
use starrocks_overview::config::Config;
use starrocks_overview::startup::{leptos_options, prepare, router, Prepared};
use starrocks_overview::AppState;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};
use store::now_ms;
use store::{partials, snapshots};

const CLUSTERS: i64 = 100;
const ROWS_PER_CLUSTER: i64 = 7 * 2880;
const ADMIN: &str = "bench-admin-password";

fn config(dir: &Path) -> Config {
    Config::parse_from([
        "starrocks-overview",
        "--data-dir",
        &dir.display().to_string(),
        "--admin-password",
        ADMIN,
        "--log-level",
        "warn",
    ])
}

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
        description: description.into(),
        tags: tags.into(),
    };
    clusters.create(&draft).await.expect("register").id
}

/// Rows end at the last 30 s boundary before `now`, so "now" ranges are full.
async fn build(pool: &sqlx::SqlitePool, clusters: &registry::clusters::ClusterService, now: i64) {
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
    };
    serde_json::to_string(&nodes).expect("json")
}

/// 1,000 clusters with the last hour at 30 s, ending at the last 30 s boundary
/// before `now`. One in 25 failed its last 4 collections; one in 10 has an open
/// alert; every one has 10 resolved alerts and a node list.
async fn build_fleet(
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

/// Which database a folder holds.
#[derive(Clone, Copy)]
enum Db {
    /// 100 clusters with 7 days each.
    Overview,
    /// 1,000 clusters with 1 hour each.
    Fleet,
}

/// Opens the database in `dir`, building it on the first run; answers the
/// services and the `now` the rows were built for.
async fn open(dir: &Path, db: Db) -> (Prepared, Config, i64) {
    let fresh = !dir.join("starrocks-overview.db").exists();
    std::fs::create_dir_all(dir).expect("dir");
    let cfg = config(dir);
    let prepared = prepare(&cfg, leptos_options().expect("leptos options"))
        .await
        .expect("prepare");
    let state = prepared.state.clone();
    let now = if fresh {
        let now = now_ms();
        let started = Instant::now();
        match db {
            Db::Overview => build(&state.pool, &state.clusters, now).await,
            Db::Fleet => build_fleet(&state.pool, &state.clusters, now).await,
        }
        std::fs::write(dir.join("built_at"), now.to_string()).expect("stamp");
        println!(
            "built {} in {:.1} s",
            dir.display(),
            started.elapsed().as_secs_f64()
        );
        now
    } else {
        std::fs::read_to_string(dir.join("built_at"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or_else(|| panic!("{}/built_at; delete the folder to rebuild", dir.display()))
    };
    let clusters: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clusters")
        .fetch_one(&state.pool)
        .await
        .expect("count");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM metrics_snapshots")
        .fetch_one(&state.pool)
        .await
        .expect("count");
    let size = std::fs::metadata(dir.join("starrocks-overview.db")).map_or(0, |m| m.len());
    println!(
        "{}: {clusters} clusters, {rows} snapshot rows, database {:.0} MiB",
        dir.display(),
        size as f64 / (1 << 20) as f64
    );
    (prepared, cfg, now)
}

async fn run() {
    let fleet_only = std::env::args().any(|a| a == "--fleet");
    let (prepared, cfg, now) = open(Path::new("target/bench-overview"), Db::Overview).await;
    if !fleet_only {
        overview(&prepared, now).await;
    }
    fleet(&prepared.state, now, "100 clusters x 7 days").await;
    let (fleet_db, _, fleet_now) = open(Path::new("target/bench-fleet"), Db::Fleet).await;
    fleet(&fleet_db.state, fleet_now, "1000 clusters x 1 hour").await;
    grouped_sparkline(&fleet_db.state.pool, fleet_now).await;
    let wrk = std::env::args().any(|a| a == "--wrk");
    let pages = std::env::args().any(|a| a == "--pages");
    if !fleet_only && (wrk || pages) {
        let ids = cluster_ids(&prepared.state.pool).await;
        serve_and_load(&prepared, &cfg, ids[0], wrk).await;
    }
}

async fn cluster_ids(pool: &sqlx::SqlitePool) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM clusters ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("ids")
}

/// `OverviewService::fleet` 50 times (after one call to warm the page cache),
/// then the same answer serialised to JSON, timed apart.
async fn fleet(state: &AppState, now: i64, what: &str) {
    let first = state.overview.fleet(now).await.expect("fleet");
    let rows = first.clusters.len();
    let down = first.clusters.iter().filter(|r| r.stale).count();
    let alerting = first
        .clusters
        .iter()
        .filter(|r| r.active_alerts > 0)
        .count();
    let (mut times, mut json_times) = (Vec::new(), Vec::new());
    let mut json = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let f = state.overview.fleet(now).await.expect("fleet");
        times.push(t.elapsed());
        let t = Instant::now();
        json = serde_json::to_vec(&f).expect("json").len();
        json_times.push(t.elapsed());
    }
    times.sort();
    json_times.sort();
    println!(
        "fleet, {what}: p50 {:.2} ms, p95 {:.2} ms, {rows} rows ({down} unreachable, {alerting} with alerts); JSON {json} bytes in {:.2} ms (p50)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&json_times, 0.5)),
    );
}

/// Per range, the overview of many clusters and the same window as raw rows;
/// then the parts of one `3d` overview.
async fn overview(prepared: &Prepared, now: i64) {
    let state = prepared.state.clone();
    let pool = state.pool.clone();
    let ids = cluster_ids(&pool).await;

    println!(
        "{:<6} {:>9} {:>9} {:>10} {:>7} | {:>12} {:>12} {:>12}",
        "range", "p50 ms", "p95 ms", "JSON bytes", "points", "raw p50 ms", "raw rows", "raw JSON"
    );
    for range in ["24h", "3d", "7d", "30d"] {
        let window = parse_window(Some(range), None, None, now).expect("range");
        // Warm the page cache once per range.
        let _ = state.overview.overview(ids[0], &window, now).await;
        let mut times = Vec::new();
        let mut json = 0;
        let mut points = 0;
        for round in 0..3 {
            for id in ids.iter().skip(round).step_by(2) {
                let t = Instant::now();
                let o = state
                    .overview
                    .overview(*id, &window, now)
                    .await
                    .expect("overview");
                let body = serde_json::to_vec(&o).expect("json");
                times.push(t.elapsed());
                json = body.len();
                points = o.trends.first().map_or(0, |s| s.values.len());
            }
        }
        times.sort();
        let mut raw_times = Vec::new();
        let (mut raw_rows, mut raw_json) = (0, 0);
        if !window.daily {
            for id in ids.iter().take(20) {
                let t = Instant::now();
                let rows = snapshots::between(&pool, *id, window.from, window.to)
                    .await
                    .expect("rows");
                let body = serde_json::to_vec(&rows).expect("json");
                raw_times.push(t.elapsed());
                raw_rows = rows.len();
                raw_json = body.len();
            }
            raw_times.sort();
        }
        println!(
            "{range:<6} {:>9.2} {:>9.2} {:>10} {:>7} | {:>12} {:>12} {:>12}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            json,
            points,
            if raw_times.is_empty() {
                "-".into()
            } else {
                format!("{:.2}", ms(percentile(&raw_times, 0.5)))
            },
            raw_rows,
            raw_json
        );
    }

    // Where the time of one overview goes (3d), part by part.
    let window = parse_window(Some("3d"), None, None, now).expect("range");
    let mut parts: Vec<(&str, Vec<Duration>)> = Vec::new();
    macro_rules! part {
        ($name:expr, $call:expr) => {{
            let mut v = Vec::new();
            for id in &ids {
                let t = Instant::now();
                let _ = $call(*id).await;
                v.push(t.elapsed());
            }
            v.sort();
            parts.push(($name, v));
        }};
    }
    let o = &state.overview;
    part!("health", |id| o.health(id, now));
    part!("capacity", |id| o.capacity(id, now));
    part!("performance trends", |id| o.performance(id, &window));
    part!("resource trends", |id| o.resources(id, &window));
    part!("nodes", |id| o.nodes(id));
    part!("alerts", |id| o.alerts(id, now));
    for (name, v) in parts {
        println!("3d part {name:<20} p50 {:.2} ms", ms(percentile(&v, 0.5)));
    }
}

/// The overview page as a browser first gets it: the whole page rendered on the
/// server (session guard, data, SVG sparklines, hydration data), timed one
/// request at a time, without compression.
async fn page_renders(client: &reqwest::Client, base: &str, cookie: &str, id: i64) {
    for range in ["24h", "3d", "7d"] {
        let url = format!("{base}/clusters/{id}/overview?range={range}");
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..61 {
            let started = Instant::now();
            let r = client
                .get(&url)
                .header("cookie", cookie)
                .send()
                .await
                .expect("page");
            assert!(r.status().is_success(), "{}", r.status());
            size = r.bytes().await.expect("body").len();
            times.push(started.elapsed());
        }
        // The first request warms the page cache.
        times.remove(0);
        times.sort();
        // What a browser downloads: reqwest has no brotli decoder here, so the
        // body arrives as sent.
        let br = client
            .get(&url)
            .header("cookie", cookie)
            .header("accept-encoding", "br")
            .send()
            .await
            .expect("page")
            .bytes()
            .await
            .expect("body")
            .len();
        println!(
            "overview page {range}: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms, {} KB of HTML, {} KB with brotli",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(times[times.len() - 1]),
            size / 1024,
            br / 1024
        );
    }
}

async fn serve_and_load(prepared: &Prepared, cfg: &Config, id: i64, wrk: bool) {
    let app = router(prepared, cfg);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    let client = reqwest::Client::new();
    let base = format!("http://{addr}");
    let login = |password: &'static str| {
        let client = client.clone();
        let base = base.clone();
        async move {
            client
                .post(format!("{base}/api/auth/login"))
                .header("content-type", "application/json")
                .body(serde_json::json!({"username": "admin", "password": password}).to_string())
                .send()
                .await
                .expect("login")
        }
    };
    // The first password must be changed once; later runs use the new one.
    let new_password = "bench-admin-password-2";
    let mut r = login(new_password).await;
    if !r.status().is_success() {
        r = login(ADMIN).await;
    }
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string();
    let changed = client
        .post(format!("{base}/api/auth/password"))
        .header("cookie", &cookie)
        .header("content-type", "application/json")
        .body(
            serde_json::json!({"current_password": ADMIN, "new_password": new_password})
                .to_string(),
        )
        .send()
        .await
        .expect("password");
    // The session id changes with the password.
    let cookie = changed
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map_or(cookie, str::to_string);
    page_renders(&client, &base, &cookie, id).await;
    if !wrk {
        return;
    }
    for range in ["24h", "3d", "7d"] {
        let url = format!("{base}/api/clusters/{id}/overview?range={range}");
        let check = client
            .get(&url)
            .header("cookie", &cookie)
            .send()
            .await
            .expect("get");
        assert!(check.status().is_success(), "{}", check.status());
        println!("wrk -t2 -c50 -d10s {url}");
        let args = [
            "-t2".to_string(),
            "-c50".into(),
            "-d10s".into(),
            "-H".into(),
            format!("Cookie: {cookie}"),
            url.clone(),
        ];
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new("wrk").args(&args).output()
        })
        .await
        .expect("join")
        .expect("run wrk (apt-get install wrk)");
        println!("{}", String::from_utf8_lossy(&out.stdout));
    }
}

/// The sparkline as `GROUP BY cluster_id, minute`, the form `fleet` does not
/// use: how long SQLite takes to group (a count of the groups), and how long
/// the 60,000 result rows take through sqlx.
async fn grouped_sparkline(pool: &sqlx::SqlitePool, now: i64) {
    let start = (now - 3_600_000).div_euclid(60_000) * 60_000;
    let sql = "SELECT s.cluster_id, (s.collected_at - ?1) / 60000 AS b, AVG(s.qps)
         FROM clusters c CROSS JOIN metrics_snapshots s
           ON s.cluster_id = c.id AND s.collected_at >= ?1 AND s.collected_at < ?2
         GROUP BY s.cluster_id, b";
    let (mut counted, mut fetched) = (Vec::new(), Vec::new());
    let mut rows = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let _: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM ({sql})"))
            .bind(start)
            .bind(start + 3_600_000)
            .fetch_one(pool)
            .await
            .expect("count");
        counted.push(t.elapsed());
        let t = Instant::now();
        let r: Vec<(i64, i64, Option<f64>)> = sqlx::query_as(sql)
            .bind(start)
            .bind(start + 3_600_000)
            .fetch_all(pool)
            .await
            .expect("rows");
        fetched.push(t.elapsed());
        rows = r.len();
    }
    counted.sort();
    fetched.sort();
    println!(
        "not used: the sparkline as GROUP BY cluster_id, minute: p50 {:.2} ms in SQLite, {:.2} ms with its {rows} rows fetched",
        ms(percentile(&counted, 0.5)),
        ms(percentile(&fetched, 0.5)),
    );
}
