//! The readers (`wrk`) and the sign-in page probe.

use std::process::Command;
use std::time::{Duration, Instant};
use tokio::sync::watch;

#[derive(Debug, Default, Clone)]
pub struct WrkFigures {
    pub requests: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub non_2xx: u64,
    pub socket_errors: u64,
}

/// `12.34ms`, `850.00us`, `1.02s` as milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|v| v * factor)
}

/// The figures of `wrk --latency` output.
fn parse_wrk(out: &str) -> WrkFigures {
    let mut f = WrkFigures::default();
    for line in out.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", v] => f.p50_ms = duration_ms(v).unwrap_or(f64::NAN),
            ["99%", v] => f.p99_ms = duration_ms(v).unwrap_or(f64::NAN),
            [n, "requests", "in", ..] => f.requests = n.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", n] => f.non_2xx = n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                f.socket_errors = rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum();
            }
            _ => {}
        }
    }
    f
}

/// Runs `wrk` against `url` with the session cookie for `seconds`, 10
/// connections on 2 threads, in a blocking thread.
pub async fn wrk(url: String, cookie: String, seconds: u64) -> WrkFigures {
    tokio::task::spawn_blocking(move || {
        let out = Command::new("wrk")
            .args(["-t2", "-c10", &format!("-d{seconds}s"), "--latency"])
            .args(["-H", &format!("Cookie: {cookie}")])
            .arg(&url)
            .output()
            .expect("wrk (apt-get install -y wrk)");
        let text = String::from_utf8_lossy(&out.stdout);
        let figures = parse_wrk(&text);
        if figures.requests == 0 {
            eprintln!(
                "wrk said:\n{text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        figures
    })
    .await
    .unwrap_or_default()
}

#[derive(Debug, Default, Clone)]
pub struct ProbeFigures {
    pub count: usize,
    pub median_ms: f64,
    pub worst_ms: f64,
    pub over_half_second: usize,
}

/// GETs the sign-in page twice a second until `stop` turns true.
pub async fn probe_sign_in(base: String, mut stop: watch::Receiver<bool>) -> ProbeFigures {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut times = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => break,
        }
        let started = Instant::now();
        let ok = client
            .get(format!("{base}/login"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        times.push(if ok { ms } else { f64::INFINITY });
    }
    times.sort_by(f64::total_cmp);
    ProbeFigures {
        count: times.len(),
        median_ms: times.get(times.len() / 2).copied().unwrap_or(f64::NAN),
        worst_ms: times.last().copied().unwrap_or(f64::NAN),
        over_half_second: times.iter().filter(|t| **t > 500.0).count(),
    }
}
