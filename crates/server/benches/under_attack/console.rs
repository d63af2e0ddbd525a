//! One run: the simulator and the release console in their own processes, the
//! clusters registered over REST, then the measured phases.

use crate::load::{self, ProbeFigures};
use crate::RunFigures;
use serde_json::{json, Value};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::sync::watch;

const PASSWORD: &str = "under-attack-password";

pub struct Plan {
    pub healthy: usize,
    pub measure: Duration,
    pub interval_s: u64,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The simulator child and its clusters: (name, http port, mysql port).
fn start_simulator(healthy: usize, hostile: bool) -> (Child, Vec<(String, u16, u16)>) {
    let mut cmd = Command::new(std::env::current_exe().expect("own path"));
    cmd.args(["--serve-sim", &healthy.to_string()]);
    if hostile {
        cmd.arg("--hostile");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the simulator");
    let reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut clusters = Vec::new();
    for line in reader.lines().map_while(Result::ok) {
        if line == "ready" {
            break;
        }
        let w: Vec<&str> = line.split_whitespace().collect();
        if let [name, http, mysql] = w.as_slice() {
            clusters.push((
                name.to_string(),
                http.parse().expect("port"),
                mysql.parse().expect("port"),
            ));
        }
    }
    (child, clusters)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_console(data: &Path, port: u16, interval_s: u64) -> Child {
    let bin = workspace().join("target/release/starrocks-overview");
    assert!(bin.exists(), "build the release server first: make build");
    Command::new(bin)
        .current_dir(workspace())
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data)
        .args(["--admin-password", PASSWORD, "--log-level", "error"])
        .args(["--collect-interval-s", &interval_s.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the console")
}

/// The `name=value` of the session cookie a reply sets.
fn session_cookie(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("sro_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
}

/// Signs in, sets a new password, registers every cluster; answers the cookie.
async fn sign_in_and_register(base: &str, clusters: &[(String, u16, u16)]) -> String {
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let r = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    let cookie = session_cookie(&r).expect("session cookie");
    let r = http
        .post(format!("{base}/api/auth/password"))
        .header("cookie", &cookie)
        .json(&json!({"current_password": PASSWORD, "new_password": "under-attack-2-password"}))
        .send()
        .await
        .expect("password");
    let cookie = session_cookie(&r).unwrap_or(cookie);
    for (name, http_port, query_port) in clusters {
        let body = json!({"name": name, "fe_host": "127.0.0.1", "http_port": http_port,
            "query_port": query_port, "username": "root", "password": ""});
        let r = http
            .post(format!("{base}/api/clusters"))
            .header("cookie", &cookie)
            .json(&body)
            .send()
            .await
            .expect("register");
        assert!(r.status().is_success(), "register {name}: {}", r.status());
    }
    cookie
}

/// Waits until the collector has written `n` ticks after `since` (unix ms).
async fn wait_ticks(base: &str, cookie: &str, since: i64, n: usize, interval_s: u64) {
    let http = reqwest::Client::new();
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(interval_s * (n as u64 + 2));
    while seen.len() < n && tokio::time::Instant::now() < deadline {
        if let Ok(r) = http
            .get(format!("{base}/api/collector"))
            .header("cookie", cookie)
            .send()
            .await
        {
            let v: Value = r.json().await.unwrap_or_default();
            if let Some(at) = v["last_tick_at"].as_i64().filter(|at| *at > since) {
                if !seen.contains(&at) {
                    seen.push(at);
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

async fn open_db(data: &Path) -> SqliteConnection {
    SqliteConnectOptions::new()
        .filename(data.join("starrocks-overview.db"))
        .read_only(true)
        .connect()
        .await
        .expect("open the console's database")
}

/// Bytes of the database in use (pages not on the free list).
async fn bytes_in_use(db: &mut SqliteConnection) -> i64 {
    sqlx::query_scalar(
        "SELECT (page_count - freelist_count) * page_size \
         FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()",
    )
    .fetch_one(db)
    .await
    .unwrap_or(0)
}

async fn ticks_between(db: &mut SqliteConnection, from: i64, to: i64) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT collected_at) FROM metrics_snapshots \
         WHERE collected_at >= ? AND collected_at < ?",
    )
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await
    .unwrap_or(0)
}

/// What the collector stored on the healthy and on the hostile clusters.
async fn outcomes(db: &mut SqliteConnection, since: i64) -> (i64, Vec<(String, String)>) {
    let not_ok: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM metrics_snapshots s JOIN clusters c ON c.id = s.cluster_id \
         WHERE c.name LIKE 'healthy-%' AND s.collected_at > ? AND s.status <> 'ok'",
    )
    .bind(since)
    .fetch_one(&mut *db)
    .await
    .unwrap_or(-1);
    let hostile: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT c.name, s.status, s.error_message FROM clusters c JOIN metrics_snapshots s \
         ON s.cluster_id = c.id AND s.collected_at = \
           (SELECT MAX(collected_at) FROM metrics_snapshots WHERE cluster_id = c.id) \
         WHERE c.name LIKE 'hostile-%' ORDER BY c.name",
    )
    .fetch_all(db)
    .await
    .unwrap_or_default();
    let hostile = hostile
        .into_iter()
        .map(|(n, status, e)| {
            let e = e.unwrap_or_default();
            (n, format!("{status}: {}", model::text::clip(&e, 160)))
        })
        .collect();
    (not_ok, hostile)
}

/// The two measured phases: the sign-in page alone, then with the readers.
async fn phases(
    base: &str,
    cookie: &str,
    measure: Duration,
) -> (
    ProbeFigures,
    ProbeFigures,
    load::WrkFigures,
    load::WrkFigures,
) {
    let (stop, listen) = watch::channel(false);
    let probe = tokio::spawn(load::probe_sign_in(base.to_string(), listen));
    tokio::time::sleep(measure).await;
    let _ = stop.send(true);
    let alone = probe.await.unwrap_or_default();

    let (stop, listen) = watch::channel(false);
    let probe = tokio::spawn(load::probe_sign_in(base.to_string(), listen));
    let secs = measure.as_secs();
    let (fleet, overview) = tokio::join!(
        load::wrk(format!("{base}/api/fleet"), cookie.to_string(), secs),
        load::wrk(
            format!("{base}/clusters/1/overview?range=1h"),
            cookie.to_string(),
            secs
        ),
    );
    let _ = stop.send(true);
    let loaded = probe.await.unwrap_or_default();
    (alone, loaded, fleet, overview)
}

pub async fn run(plan: &Plan, hostile: bool) -> RunFigures {
    let (mut sim, clusters) = start_simulator(plan.healthy, hostile);
    let data = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut console = start_console(data.path(), port, plan.interval_s);
    let base = format!("http://127.0.0.1:{port}");
    let cookie = sign_in_and_register(&base, &clusters).await;
    let registered = store::now_ms();
    wait_ticks(&base, &cookie, registered, 2, plan.interval_s).await;

    let mut db = open_db(data.path()).await;
    let (t0, bytes0) = (store::now_ms(), bytes_in_use(&mut db).await);
    let (probe_alone, probe_loaded, fleet, overview) = phases(&base, &cookie, plan.measure).await;
    let (t1, bytes1) = (store::now_ms(), bytes_in_use(&mut db).await);
    let ticks = ticks_between(&mut db, t0, t1).await;
    let (healthy_not_ok, hostile_errors) = outcomes(&mut db, registered).await;
    let _ = db.close().await;

    let _ = console.kill();
    let _ = console.wait();
    drop(sim.stdin.take());
    let _ = sim.wait();
    RunFigures {
        fleet,
        overview,
        probe_alone,
        probe_loaded,
        ticks,
        healthy_not_ok,
        growth_per_tick_bytes: (bytes1 - bytes0) as f64 / ticks.max(1) as f64,
        hostile_errors,
    }
}
