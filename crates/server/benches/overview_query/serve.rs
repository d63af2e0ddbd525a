//! The real router on loopback: the server-rendered overview page, and the
//! REST overview under `wrk`.

use super::{ms, percentile, ADMIN};
use starrocks_overview::config::Config;
use starrocks_overview::startup::{router, Prepared};
use std::net::SocketAddr;
use std::time::Instant;

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

pub async fn serve_and_load(prepared: &Prepared, cfg: &Config, id: i64, wrk: bool) {
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
