//! The overview service over a full week of history.
//!
//! `cargo bench --features ssr --bench overview_query [-- --wrk]`
//!
//! Builds (once, kept in `target/bench-overview/`) a database with 100 clusters,
//! each with 7 days of snapshots at 30 s (2,016,000 rows) and 90 daily rows.
//! Then it measures, per range:
//! - server-side time of `OverviewService::overview` (p50 and p95 over many calls,
//!   spread over the clusters), and the size of its JSON;
//! - the same window answered as every raw row (`store::between` + JSON);
//! - with `--wrk`: the REST overview served by the real router on loopback,
//!   loaded by `wrk -t2 -c50 -d10s` (install it with `apt-get install wrk`).

use clap::Parser;
use starrocks_overview::model::overview::{parse_window, DAY_MS};
use starrocks_overview::server::collector::store;
use starrocks_overview::server::config::Config;
use starrocks_overview::server::now_ms;
use starrocks_overview::server::startup::{leptos_options, prepare, router};
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant};

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

/// Rows end at the last 30 s boundary before `now`, so "now" ranges are full.
async fn build(
    pool: &sqlx::SqlitePool,
    clusters: &starrocks_overview::server::clusters::ClusterService,
    now: i64,
) {
    let end = now / 30_000 * 30_000;
    let t0 = end - (ROWS_PER_CLUSTER - 1) * 30_000;
    for c in 0..CLUSTERS {
        let draft = starrocks_overview::model::ClusterDraft {
            name: format!("bench-{c:03}"),
            fe_host: "127.0.0.1".into(),
            http_port: "1".into(),
            query_port: "1".into(),
            username: "root".into(),
            password: None,
            use_https: false,
            description: String::new(),
            tags: String::new(),
        };
        let id = clusters.create(&draft).await.expect("register").id;
        // Values move with the row index; one row in 997 is a failed collection.
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
        .bind(ROWS_PER_CLUSTER)
        .execute(pool)
        .await
        .expect("rows");
        for res in store::ROLLUP_RES {
            store::rollup(pool, id, res, t0, end + 1)
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

async fn run() {
    let dir = Path::new("target/bench-overview");
    let fresh = !dir.join("starrocks-overview.db").exists();
    std::fs::create_dir_all(dir).expect("dir");
    let cfg = config(dir);
    let prepared = prepare(&cfg, leptos_options().expect("leptos options"))
        .await
        .expect("prepare");
    let state = prepared.state.clone();
    let pool = state.pool.clone();
    let now = if fresh {
        let now = now_ms();
        let started = Instant::now();
        build(&pool, &state.clusters, now).await;
        std::fs::write(dir.join("built_at"), now.to_string()).expect("stamp");
        println!(
            "built the database in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        now
    } else {
        std::fs::read_to_string(dir.join("built_at"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .expect("target/bench-overview/built_at; delete the folder to rebuild")
    };
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM metrics_snapshots")
        .fetch_one(&pool)
        .await
        .expect("count");
    let size = std::fs::metadata(dir.join("starrocks-overview.db")).map_or(0, |m| m.len());
    println!(
        "{CLUSTERS} clusters, {rows} snapshot rows, database {:.0} MiB",
        size as f64 / (1 << 20) as f64
    );
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM clusters ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("ids");

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
                let rows = store::between(&pool, *id, window.from, window.to)
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

    if std::env::args().any(|a| a == "--wrk") {
        serve_and_load(&prepared, &cfg, ids[0]).await;
    }
}

async fn serve_and_load(
    prepared: &starrocks_overview::server::startup::Prepared,
    cfg: &Config,
    id: i64,
) {
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
