//! The console under attack (issue 11). Two runs of the real release server,
//! collecting at its default interval from simulated clusters in a second
//! process:
//! - baseline: `--healthy` clusters (default 200);
//! - attack: the same plus one cluster per hostile fault (`metrics_bomb`,
//!   `huge_error`, `node_injection`, `redirect`, `many_nodes`, `drip`).
//!
//! In each run, after two ticks of history: the sign-in page alone, probed
//! twice a second for `--seconds`; then 20 readers (two `wrk` processes, 10
//! connections each) of `/api/fleet` and of an overview page for `--seconds`,
//! with the probe still running. Printed per run: the readers' p50/p99 and
//! errors, the probe's worst answer, whether every healthy cluster was `ok` on
//! every tick, and database growth per tick.
//!
//! ```sh
//! make build && apt-get install -y wrk
//! cargo bench -p starrocks-overview --bench under_attack [-- --healthy 200 --seconds 60]
//! ```

mod console;
mod load;
mod simulated;

use std::time::Duration;

fn arg_value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn arg_number(name: &str, default: u64) -> u64 {
    arg_value(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one run measured.
#[derive(Debug, Default)]
pub struct RunFigures {
    pub fleet: load::WrkFigures,
    pub overview: load::WrkFigures,
    /// The sign-in page alone: worst and median answer, and answers over 0.5 s.
    pub probe_alone: load::ProbeFigures,
    /// The sign-in page while the readers run.
    pub probe_loaded: load::ProbeFigures,
    pub ticks: i64,
    /// Healthy clusters' rows that were not `ok`, over the measured ticks.
    pub healthy_not_ok: i64,
    pub growth_per_tick_bytes: f64,
    pub hostile_errors: Vec<(String, String)>,
}

fn print_run(label: &str, f: &RunFigures) {
    println!("== {label}");
    for (what, w) in [("/api/fleet", &f.fleet), ("overview page", &f.overview)] {
        println!(
            "  readers of {what}: {} requests, p50 {:.1} ms, p99 {:.1} ms, errors {} (non-2xx {}, socket {})",
            w.requests,
            w.p50_ms,
            w.p99_ms,
            w.non_2xx + w.socket_errors,
            w.non_2xx,
            w.socket_errors
        );
    }
    for (what, p) in [
        ("alone", &f.probe_alone),
        ("with the readers", &f.probe_loaded),
    ] {
        println!(
            "  sign-in page {what}: {} probes, median {:.1} ms, worst {:.1} ms, over 0.5 s: {}",
            p.count, p.median_ms, p.worst_ms, p.over_half_second
        );
    }
    println!(
        "  {} ticks; healthy rows not ok: {}; database growth per tick {:.0} B",
        f.ticks, f.healthy_not_ok, f.growth_per_tick_bytes
    );
    for (name, error) in &f.hostile_errors {
        println!("  {name}: {error}");
    }
}

fn main() {
    if let Some(n) = arg_value("--serve-sim") {
        simulated::serve(
            n.parse().expect("cluster count"),
            std::env::args().any(|a| a == "--hostile"),
        );
        return;
    }
    let healthy = arg_number("--healthy", 200) as usize;
    let seconds = arg_number("--seconds", 60);
    let interval = arg_number("--interval", 30);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let plan = console::Plan {
        healthy,
        measure: Duration::from_secs(seconds),
        interval_s: interval,
    };
    println!(
        "{healthy} healthy clusters, collect interval {interval} s, {seconds} s per phase, 20 readers"
    );
    let baseline = rt.block_on(console::run(&plan, false));
    print_run("baseline", &baseline);
    let attack = rt.block_on(console::run(&plan, true));
    print_run("with the hostile clusters", &attack);
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
    println!("== attack / baseline");
    println!(
        "  p99 /api/fleet {:.2}x, p99 overview page {:.2}x, growth per tick {:.2}x",
        ratio(attack.fleet.p99_ms, baseline.fleet.p99_ms),
        ratio(attack.overview.p99_ms, baseline.overview.p99_ms),
        ratio(attack.growth_per_tick_bytes, baseline.growth_per_tick_bytes)
    );
}
