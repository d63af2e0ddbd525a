//! A flood of wrong passwords against the real release server (issue 11):
//! 200 sign-ins at once, first from one client, then from 200 different
//! clients (the console started with `--trusted-proxy 127.0.0.1`, each request
//! naming its own `X-Forwarded-For`), each against a fresh console. Printed per
//! flood: the answers by status, how many argon2 verifications ran
//! (`sro_password_checks` from `/metrics`), how long the burst took, and the
//! server's peak RSS (VmHWM).
//!
//! ```sh
//! make build
//! cargo bench -p starrocks-overview --bench sign_in_flood [-- --attempts 200]
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "sign-in-flood-password";

fn attempts() -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--attempts")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn start_console(data: &Path, port: u16) -> Child {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let bin = root.join("target/release/starrocks-overview");
    assert!(bin.exists(), "build the release server first: make build");
    Command::new(bin)
        .current_dir(&root)
        .args(["--listen", &format!("127.0.0.1:{port}"), "--no-collector"])
        .args(["--metrics-public", "--trusted-proxy", "127.0.0.1"])
        .args(["--admin-password", PASSWORD, "--log-level", "error"])
        .arg("--data-dir")
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the console")
}

fn peak_rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn password_checks(http: &reqwest::Client, base: &str) -> u64 {
    let text = match http.get(format!("{base}/metrics")).send().await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    text.lines()
        .find_map(|l| l.strip_prefix("sro_password_checks "))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map_or(0, |v| v as u64)
}

/// One flood against a fresh console; `distinct` gives each attempt its own client.
async fn flood(n: usize, distinct: bool) {
    let data = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let mut console = start_console(data.path(), port);
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client");
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rss_before = peak_rss_mib(console.id());
    let checks_before = password_checks(&http, &base).await;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let (http, url) = (http.clone(), format!("{base}/api/auth/login"));
        tasks.spawn(async move {
            let mut req = http
                .post(url)
                .header("content-type", "application/json")
                .body(r#"{"username":"admin","password":"not-the-password"}"#);
            if distinct {
                req = req.header(
                    "x-forwarded-for",
                    format!("203.0.{}.{}", i / 250, i % 250 + 1),
                );
            }
            req.send().await.map(|r| r.status().as_u16()).unwrap_or(0)
        });
    }
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    while let Some(s) = tasks.join_next().await {
        *statuses.entry(s.unwrap_or(0)).or_default() += 1;
    }
    let took = started.elapsed();
    let checks = password_checks(&http, &base).await - checks_before;
    let rss = peak_rss_mib(console.id());
    let _ = console.kill();
    let _ = console.wait();
    println!(
        "{n} wrong passwords from {}: answers {statuses:?}, {checks} argon2 verifications, \
         burst {:.2} s, peak RSS {rss:.1} MiB (idle before: {rss_before:.1} MiB)",
        if distinct {
            "as many clients"
        } else {
            "one client"
        },
        took.as_secs_f64()
    );
}

fn main() {
    let n = attempts();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        flood(n, false).await;
        flood(n, true).await;
    });
}
