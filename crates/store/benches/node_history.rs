//! What each node's own history costs the collector: the tick's write
//! transaction with and without the node rows, and the bytes a node row
//! takes in the SQLite file.
//!
//! `cargo bench -p store --bench node_history [-- --clusters 1000 --bes 3 --ticks 120]`
//!
//! Three databases get the same ticks (`snapshots::write_tick`, as the
//! collector calls it: a snapshot row, its partials, three FEs' counters,
//! the node lists and the node rows with their partials). In two of them a
//! trigger drops part of it (`RAISE(IGNORE)`): every node row (the writer
//! then finds nothing inserted and adds no partials: the transaction as it
//! was before node history), or every node partial. Then the daily rollup
//! of the day (as housekeeping runs it after midnight), the sizes (from
//! `dbstat`) and retention.

use model::overview::{NodeInfo, Nodes};
use model::snapshot::{CollectStatus, Snapshot};
use sqlx::SqlitePool;
use std::time::{Duration, Instant};
use store::counters::FeCounters;
use store::db;
use store::housekeeping::{apply_retention, Retention};
use store::snapshots::{write_tick, Collected};

const INTERVAL_MS: i64 = 30_000;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn database(dir: &std::path::Path, name: &str, clusters: usize) -> SqlitePool {
    let url = format!("sqlite://{}", dir.join(name).display());
    let pool = db::connect(&url).await.expect("database");
    let mut tx = pool.begin().await.expect("tx");
    for id in 1..=clusters as i64 {
        sqlx::query(
            "INSERT INTO clusters (id, name, fe_host, http_port, query_port, username, \
             password_enc, created_at, updated_at) VALUES (?, ?, 'h', 8030, 9030, 'root', x'00', 0, 0)",
        )
        .bind(id)
        .bind(format!("bench-{id:04}"))
        .execute(&mut *tx)
        .await
        .expect("cluster");
    }
    tx.commit().await.expect("commit");
    pool
}

/// A figure that moves a little from tick to tick, as real ones do.
fn wobble(seed: i64, k: i64, base: f64) -> f64 {
    let x = ((seed * 7919 + k * 104_729) % 1000) as f64 / 1000.0;
    (base + 20.0 * x).min(100.0)
}

fn node(kind: &str, name: String, k: i64, seed: i64) -> NodeInfo {
    let be = kind == "be";
    NodeInfo {
        host: Some(format!("10.0.{}.{}", seed % 250, k % 250)),
        port: be.then_some(9050),
        role: (!be).then(|| "FOLLOWER".into()),
        version: Some("3.3.5-8a6f2b1".into()),
        disk_used_pct: be.then(|| wobble(seed, k, 40.0)),
        tablets: be.then_some(40_000),
        cpu_pct: be.then(|| wobble(seed, k, 30.0)),
        mem_pct: Some(wobble(seed + 1, k, 45.0)),
        compaction_score: be.then(|| wobble(seed + 2, k, 10.0).round()),
        last_heartbeat: Some("2026-12-07 08:51:20".into()),
        ..NodeInfo::named(kind, &name, true)
    }
}

fn tick(clusters: usize, fes: usize, bes: usize, at: i64, k: i64) -> Vec<Collected> {
    (1..=clusters as i64)
        .map(|id| {
            let mut s = Snapshot::empty(id, at, CollectStatus::Ok);
            s.qps = Some(wobble(id, k, 100.0));
            s.cpu_avg_pct = Some(wobble(id, k, 30.0));
            s.fe_total = Some(fes as i64);
            s.fe_alive = Some(fes as i64);
            s.be_total = Some(bes as i64);
            s.be_alive = Some(bes as i64);
            s.disk_total_bytes = Some(1_000_000_000_000);
            s.disk_used_bytes = Some(400_000_000_000 + k * 1000);
            let frontends: Vec<NodeInfo> = (0..fes)
                .map(|i| node("fe", format!("10.0.0.{i}_9010_1700000000000"), k, id))
                .collect();
            let counters = frontends
                .iter()
                .map(|f| {
                    let c = FeCounters {
                        at,
                        request_total: Some(k * 3000),
                        query_total: Some(k * 2000),
                        query_err: Some(k),
                        query_timeout: Some(0),
                        txn_begin: Some(k * 10),
                        txn_success: Some(k * 10),
                        txn_failed: Some(0),
                        load_finished: Some(k),
                    };
                    (f.name.clone(), c)
                })
                .collect();
            let backends = (0..bes)
                .map(|i| node("be", (10_001 + i).to_string(), k, id * 100 + i as i64))
                .collect();
            Collected {
                ops: None,
                snapshot: s,
                counters,
                nodes: Some(Nodes {
                    collected_at: None,
                    frontends,
                    backends,
                    listed: None,
                }),
            }
        })
        .collect()
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// Milliseconds of the write transactions of ticks `k0..k1`.
async fn run(
    pool: &SqlitePool,
    (clusters, fes, bes): (usize, usize, usize),
    k0: i64,
    k1: i64,
    t0: i64,
) -> Vec<f64> {
    let mut times = Vec::new();
    for k in k0..k1 {
        let rows = tick(clusters, fes, bes, t0 + k * INTERVAL_MS, k);
        let started = Instant::now();
        write_tick(pool, &rows).await.expect("tick");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times
}

async fn scalar(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

/// Bytes of the pages of a table (its primary-key b-tree), and of the
/// records in them.
async fn table_bytes(pool: &SqlitePool, table: &str) -> (i64, i64) {
    sqlx::query_as("SELECT SUM(pgsize), SUM(payload) FROM dbstat WHERE name = ?")
        .bind(table)
        .fetch_one(pool)
        .await
        .expect("dbstat")
}

async fn file_bytes(pool: &SqlitePool) -> i64 {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await
        .expect("checkpoint");
    scalar(
        pool,
        "SELECT (page_count - freelist_count) * page_size \
         FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()",
    )
    .await
}

fn main() {
    let clusters = arg("--clusters", 1000);
    let fes = arg("--fes", 3);
    let bes = arg("--bes", 3);
    let ticks = arg("--ticks", 120);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let dir = tempfile::tempdir().expect("tempdir");
        // The same ticks into three databases; triggers drop what a variant
        // does not keep (RAISE(IGNORE) skips the row, and an upsert's update).
        let variants: [(&str, &str); 3] = [
            (
                "without node rows",
                "CREATE TRIGGER bench_skip BEFORE INSERT ON node_snapshots \
                 BEGIN SELECT RAISE(IGNORE); END",
            ),
            (
                "node rows, no partials",
                "CREATE TRIGGER bench_skip BEFORE INSERT ON node_rollup \
                 BEGIN SELECT RAISE(IGNORE); END",
            ),
            ("with node rows and partials", ""),
        ];
        let mut pools = Vec::new();
        for (i, (_, trigger)) in variants.iter().enumerate() {
            let pool = database(dir.path(), &format!("v{i}.db"), clusters).await;
            if !trigger.is_empty() {
                sqlx::query(trigger).execute(&pool).await.expect("trigger");
            }
            pools.push(pool);
        }
        let t0 = 1_800_000_000_000 / 86_400_000 * 86_400_000;
        let nodes = clusters * (fes + bes);
        println!(
            "{clusters} clusters x {fes} FE + {bes} BE = {nodes} node rows per tick, {ticks} ticks \
             ({} min at 30 s); write transaction per tick, the first 5 left out:",
            ticks / 2
        );
        // Ten ticks at a time into each database in turn, so that every
        // variant sees the machine in the same state.
        let mut times = vec![Vec::new(); pools.len()];
        let mut k = 0;
        while k < ticks as i64 {
            let k1 = (k + 10).min(ticks as i64);
            for (pool, t) in pools.iter().zip(times.iter_mut()) {
                let got = run(pool, (clusters, fes, bes), k, k1, t0).await;
                t.extend(got.into_iter().enumerate().filter(|(i, _)| k + *i as i64 >= 5).map(|(_, v)| v));
            }
            k = k1;
        }
        let mut p50s = Vec::new();
        for ((name, _), t) in variants.iter().zip(times.iter_mut()) {
            t.sort_by(f64::total_cmp);
            let (p50, p90) = (quantile(t, 0.5), quantile(t, 0.9));
            println!("  {name:<30} p50 {p50:7.1} ms  p90 {p90:7.1} ms");
            p50s.push(p50);
        }
        println!(
            "  node rows and partials add {:.1} ms per tick at p50 ({:.1} us per node row)",
            p50s[2] - p50s[0],
            (p50s[2] - p50s[0]) * 1000.0 / nodes as f64
        );
        let (with, without) = (&pools[2], &pools[0]);
        // The day's rollup, as housekeeping runs it after midnight.
        let started = Instant::now();
        let mut daily = 0;
        for id in 1..=clusters as i64 {
            daily += store::node_history::rollup_day(with, id, t0).await.expect("rollup");
        }
        println!(
            "  daily node partials of the day: {daily} rows in {:.0} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
        let rows = scalar(with, "SELECT COUNT(*) FROM node_snapshots").await;
        let partials = scalar(with, "SELECT COUNT(*) FROM node_rollup").await;
        let (raw_pages, raw_payload) = table_bytes(with, "node_snapshots").await;
        let (rollup_pages, _) = table_bytes(with, "node_rollup").await;
        println!(
            "  node_snapshots: {rows} rows, {:.1} B per row in pages ({:.1} B of record)",
            raw_pages as f64 / rows as f64,
            raw_payload as f64 / rows as f64
        );
        println!(
            "  node_rollup: {partials} partial rows, {:.1} B each in pages; {:.1} B per node row",
            rollup_pages as f64 / partials as f64,
            rollup_pages as f64 / rows as f64
        );
        let (fw, fwo) = (file_bytes(with).await, file_bytes(without).await);
        println!(
            "  database in use: {:.1} MiB with, {:.1} MiB without: {:.1} B per node row in the file",
            fw as f64 / 1_048_576.0,
            fwo as f64 / 1_048_576.0,
            (fw - fwo) as f64 / rows as f64
        );
        // Retention of the older half of the ticks, as the hourly housekeeping runs it.
        let now = t0 + ticks as i64 * INTERVAL_MS;
        let keep = Retention {
            raw: Duration::from_millis((ticks / 2) as u64 * INTERVAL_MS as u64),
            daily: Duration::from_secs(90 * 86_400),
        };
        for (name, pool) in [("without", without), ("with", with)] {
            let started = Instant::now();
            let deleted = apply_retention(pool, now, keep).await.expect("retention");
            println!(
                "  retention of half the history, {name} node rows: {deleted} rows deleted in {:.0} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
    });
}
