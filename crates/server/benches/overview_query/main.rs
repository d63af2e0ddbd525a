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
//! with an open alert and 10 resolved alerts each; then what keeping the
//! fleet's `cluster_latest` rows costs a tick of those 1,000 clusters.
//! `--fleet` measures only the fleet page. The newest hour of both databases is
//! written tick by tick through the collector's write path (`data.rs`).

mod data;
mod measure;
mod serve;

use clap::Parser;
use starrocks_overview::config::Config;
use starrocks_overview::startup::{leptos_options, prepare, Prepared};
use std::path::Path;
use std::time::{Duration, Instant};
use store::now_ms;

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
            Db::Overview => data::build(&state.pool, &state.clusters, now).await,
            Db::Fleet => data::build_fleet(&state.pool, &state.clusters, now).await,
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
        measure::overview(&prepared, now).await;
    }
    measure::fleet(&prepared.state, now, "100 clusters x 7 days").await;
    let (fleet_db, _, fleet_now) = open(Path::new("target/bench-fleet"), Db::Fleet).await;
    measure::fleet(&fleet_db.state, fleet_now, "1000 clusters x 1 hour").await;
    measure::latest_upkeep(&fleet_db.state.pool, fleet_now).await;
    let wrk = std::env::args().any(|a| a == "--wrk");
    let pages = std::env::args().any(|a| a == "--pages");
    if !fleet_only && (wrk || pages) {
        let ids = cluster_ids(&prepared.state.pool).await;
        serve::serve_and_load(&prepared, &cfg, ids[0], wrk).await;
    }
}

async fn cluster_ids(pool: &sqlx::SqlitePool) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM clusters ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("ids")
}
