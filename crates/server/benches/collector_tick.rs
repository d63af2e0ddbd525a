//! One collector tick over many simulated clusters.
//!
//! `cargo bench -p starrocks-overview --bench collector_tick [-- --clusters N] [--profile P]`
//!
//! `--profile 3.3-k8s` measures the fallbacks: every cluster lists its nodes
//! under names the console cannot reach, so each tick reads them over MySQL
//! (`information_schema.fe_metrics` / `be_metrics`) through an FE Service
//! that answers from a different FE each time.
//!
//! The simulator runs in a second process (this same binary, started with
//! `--serve-sim`), so the figures below are the collector's alone:
//! - wall time of the first tick (no previous counters) and of the next two
//!   (with rates), 64 clusters at a time;
//! - CPU time of this process per cluster collection, and of the simulator;
//! - peak RSS of this process (VmHWM);
//! - the same clusters collected one after another, and the ratio;
//! - bytes on disk per snapshot row, from the database file's page count
//!   before and after 20,000 more rows copied from the measured ones;
//! - the same for the operations rows (issue 15): per cluster and tick, the
//!   `ops_snapshots` row and the resource groups' rows.

use collector::{Collector, CollectorConfig, TickReport};
use model::ClusterDraft;
use overview::OverviewService;
use registry::clusters::{ClusterService, StarRocksTimeouts};
use registry::secrets::SecretBox;
use sim::{ClusterSpec, PortPlan, Simulator};
use sqlx::SqlitePool;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;
use store::{db, now_ms};

/// Between ticks, as between two 30 s ticks minus their run time, roughly.
const PAUSE: Duration = Duration::from_secs(10);

fn arg_value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Clock ticks of user + system CPU of a process, from /proc/<pid>/stat.
fn cpu_ticks(pid: &str) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let get = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    get(11) + get(12)
}

fn ticks_per_second() -> f64 {
    // sysconf(_SC_CLK_TCK) is 100 on every Linux this runs on.
    100.0
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Child mode: serve `n` clusters, print their ports, stop when stdin closes.
fn profile() -> String {
    arg_value("--profile").unwrap_or_else(|| "3.3-shared-nothing".into())
}

fn serve_sim(n: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let specs = (0..n)
            .map(|i| ClusterSpec::profile(&profile(), i as u64).expect("profile"))
            .collect();
        let sim = Simulator::start(specs, PortPlan::Ephemeral)
            .await
            .expect("simulator");
        let mut out = std::io::stdout().lock();
        for c in sim.clusters() {
            let _ = writeln!(out, "{} {}", c.http_addr.port(), c.mysql_addr.port());
        }
        let _ = writeln!(out, "ready");
        let _ = out.flush();
        drop(out);
        let _ = tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await;
        sim.shutdown().await;
    });
}

async fn register(clusters: &ClusterService, ports: &[(u16, u16)]) {
    for (i, (http, mysql)) in ports.iter().enumerate() {
        let draft = ClusterDraft {
            name: format!("bench-{i:04}"),
            fe_host: "127.0.0.1".into(),
            http_port: http.to_string(),
            query_port: mysql.to_string(),
            username: "root".into(),
            password: None,
            use_https: false,
            extra_fes: String::new(),
            description: String::new(),
            tags: String::new(),
        };
        clusters.create(&draft).await.expect("register");
    }
}

struct Measured {
    report: TickReport,
    own_cpu_s: f64,
    sim_cpu_s: f64,
}

async fn measured_tick(collector: &Collector, sim_pid: &str) -> Measured {
    let (own, sim) = (cpu_ticks("self"), cpu_ticks(sim_pid));
    let report = collector.tick(now_ms()).await.expect("tick");
    Measured {
        report,
        own_cpu_s: (cpu_ticks("self") - own) as f64 / ticks_per_second(),
        sim_cpu_s: (cpu_ticks(sim_pid) - sim) as f64 / ticks_per_second(),
    }
}

fn print_tick(label: &str, m: &Measured, n: usize) {
    println!(
        "{label:<28} wall {:>7.2} s  ok {:>4}  partial {:>3}  failed {:>3}  collector CPU {:>6.2} s ({:.2} ms per cluster)  simulator CPU {:>6.2} s",
        m.report.duration.as_secs_f64(),
        m.report.ok,
        m.report.partial,
        m.report.failed,
        m.own_cpu_s,
        m.own_cpu_s * 1000.0 / n as f64,
        m.sim_cpu_s,
    );
}

async fn db_bytes(pool: &SqlitePool) -> i64 {
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(pool)
        .await
        .unwrap_or(0);
    let free: i64 = sqlx::query_scalar("PRAGMA freelist_count")
        .fetch_one(pool)
        .await
        .unwrap_or(0);
    let size: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(pool)
        .await
        .unwrap_or(4096);
    (pages - free) * size
}

/// Copies the newest tick's rows of `table` forward in time, `ticks` times,
/// and returns the bytes on disk added per cluster and tick, and the rows added.
/// Every column is copied as it is but `collected_at`, so the rows are the
/// measured ones, not made-up ones.
async fn bytes_per_cluster_tick(
    pool: &SqlitePool,
    table: &str,
    ticks: i64,
    clusters: usize,
) -> (f64, i64) {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await
        .ok();
    let before = db_bytes(pool).await;
    let columns: Vec<String> =
        sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .fetch_all(pool)
            .await
            .expect("columns");
    let select = columns
        .iter()
        .map(|c| {
            if c == "collected_at" {
                "collected_at + ? * 30000".to_string()
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let newest: i64 = sqlx::query_scalar(&format!("SELECT MAX(collected_at) FROM {table}"))
        .fetch_one(pool)
        .await
        .expect("rows");
    let mut added = 0;
    for k in 1..=ticks {
        let mut tx = pool.begin().await.expect("tx");
        let n = sqlx::query(&format!(
            "INSERT INTO {table} SELECT {select} FROM {table} WHERE collected_at = ?"
        ))
        .bind(k)
        .bind(newest)
        .execute(&mut *tx)
        .await
        .expect("copy")
        .rows_affected();
        tx.commit().await.expect("commit");
        added += n as i64;
    }
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(pool)
        .await
        .ok();
    let grown = (db_bytes(pool).await - before) as f64;
    (grown / (ticks as f64 * clusters as f64), added)
}

/// Starts the simulator in a child process (`--serve-sim`) and reads the
/// ports of its clusters from its output.
fn spawn_simulator(n: usize) -> (std::process::Child, Vec<(u16, u16)>) {
    let exe = std::env::current_exe().expect("own path");
    let mut child = Command::new(exe)
        .args(["--serve-sim", &n.to_string(), "--profile", &profile()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the simulator process");
    let mut ports = Vec::with_capacity(n);
    let reader = BufReader::new(child.stdout.take().expect("stdout"));
    for line in reader.lines() {
        let line = line.expect("simulator output");
        if line == "ready" {
            break;
        }
        let mut it = line
            .split_whitespace()
            .filter_map(|p| p.parse::<u16>().ok());
        if let (Some(h), Some(m)) = (it.next(), it.next()) {
            ports.push((h, m));
        }
    }
    assert_eq!(ports.len(), n, "the simulator did not start every cluster");
    (child, ports)
}

/// Three ticks of every cluster with the default concurrency (the first has no
/// rates yet), then the storage cost per row and, unless `--no-sequential`,
/// one tick with a concurrency of one.
async fn measure(n: usize, ports: &[(u16, u16)], sim_pid: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let pool = db::connect(&url).await.expect("database");
    let (secrets, _) = SecretBox::load_or_create(&dir.path().join("secret.key"), 0).expect("key");
    let clusters = ClusterService::new(pool.clone(), secrets, StarRocksTimeouts::default());
    register(&clusters, ports).await;
    let concurrent = CollectorConfig::with_interval(Duration::from_secs(30));
    // As at start-up: each tick's alerts are evaluated before the next.
    let overview = OverviewService::new(pool.clone(), clusters.clone(), 30_000, 720);
    let (ticks, listener) = store::ticks::channel();
    overview.spawn_alerts(listener);
    let collector = Collector::new(
        pool.clone(),
        clusters.clone(),
        concurrent.clone(),
        Some(ticks.clone()),
    )
    .await
    .expect("collector");

    println!(
        "{n} clusters (3 FE + 3 BE each), concurrency {}",
        concurrent.concurrency
    );
    let cold = measured_tick(&collector, sim_pid).await;
    print_tick("tick 1 (no rates yet)", &cold, n);
    tokio::time::sleep(PAUSE).await;
    let warm = measured_tick(&collector, sim_pid).await;
    print_tick("tick 2 (with rates)", &warm, n);
    tokio::time::sleep(PAUSE).await;
    let warm2 = measured_tick(&collector, sim_pid).await;
    print_tick("tick 3 (with rates)", &warm2, n);
    let with_rates: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM metrics_snapshots WHERE collected_at = ? AND qps IS NOT NULL",
    )
    .bind(warm2.report.at)
    .fetch_one(&pool)
    .await
    .expect("count");
    println!("rows of tick 3 with a QPS rate: {with_rates} of {n}");
    println!(
        "peak RSS of the collector process: {:.1} MiB",
        peak_rss_mib()
    );
    // 20 ticks of 1,000 clusters: 20,000 snapshot rows, as before issue 15.
    let copies = (20_000 / n.max(1)).max(1) as i64;
    let (per_row, rows) = bytes_per_cluster_tick(&pool, "metrics_snapshots", copies, n).await;
    println!("bytes on disk per snapshot row ({rows} rows added): {per_row:.0} B");
    // What operations health (issue 15) adds to each cluster's tick.
    let (ops, rows) = bytes_per_cluster_tick(&pool, "ops_snapshots", copies, n).await;
    println!("bytes on disk per operations row ({rows} rows added): {ops:.0} B");
    let (groups, rows) = bytes_per_cluster_tick(&pool, "resource_group_samples", copies, n).await;
    println!(
        "bytes on disk of resource-group rows per cluster and tick ({rows} rows added): {groups:.0} B"
    );
    println!(
        "growth per cluster and tick from operations health: {:.0} B",
        ops + groups
    );

    if std::env::args().any(|a| a == "--no-sequential") {
        return;
    }
    let mut sequential_cfg = concurrent.clone();
    sequential_cfg.concurrency = 1;
    sequential_cfg.deadline = Duration::from_secs(600);
    let sequential = Collector::new(pool.clone(), clusters.clone(), sequential_cfg, Some(ticks))
        .await
        .expect("collector");
    // A new collector has its own connection pool: compare with the cold tick.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let seq = measured_tick(&sequential, sim_pid).await;
    print_tick("one after another", &seq, n);
    println!(
        "sequential / concurrent wall time (tick 3): {:.1}x",
        seq.report.duration.as_secs_f64() / warm2.report.duration.as_secs_f64()
    );
}

fn main() {
    if let Some(n) = arg_value("--serve-sim") {
        serve_sim(n.parse().expect("cluster count"));
        return;
    }
    let n: usize = arg_value("--clusters")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let (mut child, ports) = spawn_simulator(n);
    let sim_pid = child.id().to_string();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(measure(n, &ports, &sim_pid));
    drop(child.stdin.take());
    let _ = child.wait();
}
