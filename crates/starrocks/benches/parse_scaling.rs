//! How `Metrics::parse` scales with the body: time per MiB from 1 to 16 MiB
//! for an ordinary body and for adversarial ones, an 8 MiB adversarial body
//! within the default limits, and the realistic 45 KB FE body. Each figure
//! is the median of several runs. No criterion: it prints the figures.
//!
//! `cargo bench -p starrocks --bench parse_scaling`

use starrocks::wire::prometheus::{Limits, Metrics};
use std::hint::black_box;
use std::time::{Duration, Instant};

mod support;

const MIB: usize = 1024 * 1024;
/// Reads the whole body, whatever its size: the scaling table measures the
/// parser, not the caps.
const UNCAPPED: Limits = Limits {
    max_body_bytes: usize::MAX,
    max_samples: usize::MAX,
};

/// Appends `line(i)` for i = 0, 1, ... while the body stays within `bytes`.
fn body_of(bytes: usize, line: impl Fn(u64) -> String) -> String {
    let mut out = String::with_capacity(bytes);
    for i in 0.. {
        let next = line(i);
        if out.len() + next.len() > bytes {
            break;
        }
        out.push_str(&next);
    }
    out
}

/// Copies of the FE body, each with its families renamed: what a very large
/// cluster would send.
fn ordinary(bytes: usize) -> String {
    let fe = support::fe_metrics_body();
    body_of(bytes, |copy| {
        fe.replace("starrocks_fe_", &format!("starrocks_fe_c{copy}_"))
    })
}

/// A distinct family per TYPE line, each with one sample.
fn adversarial_families(bytes: usize) -> String {
    body_of(bytes, |i| format!("# TYPE f{i} gauge\nf{i} 1\n"))
}

/// Nothing but distinct TYPE lines: what made the parser quadratic.
fn adversarial_types(bytes: usize) -> String {
    body_of(bytes, |i| format!("# TYPE family_{i} counter\n"))
}

/// Median times of `runs` parses: parsing alone, and parsing then dropping
/// the result (what a loop of `Metrics::parse` measures).
fn median(body: &str, limits: Limits, runs: usize) -> (Duration, Duration, Metrics) {
    let (mut parse, mut with_drop) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let m = black_box(Metrics::parse_with(black_box(body), limits));
        parse.push(started.elapsed());
        drop(m);
        with_drop.push(started.elapsed());
    }
    parse.sort();
    with_drop.sort();
    let m = Metrics::parse_with(body, limits);
    (parse[runs / 2], with_drop[runs / 2], m)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn scaling(name: &str, make: fn(usize) -> String, limits: Limits) {
    println!("{name} (median of 5):");
    println!("  body     parse   ms/MiB | parse+drop  ms/MiB | samples   cut");
    let (mut parse, mut with_drop) = (Vec::new(), Vec::new());
    for mib in [1, 2, 4, 8, 16] {
        let body = make(mib * MIB);
        let (p, d, m) = median(&body, limits, 5);
        let per = |t: Duration| ms(t) * MIB as f64 / body.len() as f64;
        // A cut body was not all read: its time per MiB says nothing of scaling.
        if !m.truncated() {
            parse.push(per(p));
            with_drop.push(per(d));
        }
        println!(
            "  {mib:>2} MiB {:>7.1} ms {:>6.2} | {:>7.1} ms {:>7.2} | {:>7} {}",
            ms(p),
            per(p),
            ms(d),
            per(d),
            m.samples().len(),
            m.truncated()
        );
    }
    let spread = |v: &[f64]| {
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), &p| (lo.min(p), hi.max(p)));
        hi / lo
    };
    println!(
        "  highest / lowest ms/MiB of the bodies read whole: parse {:.2}, parse+drop {:.2}",
        spread(&parse),
        spread(&with_drop)
    );
}

fn main() {
    let limits = Limits::default();
    for (name, make) in [
        (
            "ordinary (renamed copies of the FE body)",
            ordinary as fn(usize) -> String,
        ),
        (
            "adversarial (a distinct family per TYPE line, one sample each)",
            adversarial_families,
        ),
        ("adversarial (distinct TYPE lines only)", adversarial_types),
    ] {
        scaling(&format!("{name}, whole body read"), make, UNCAPPED);
        scaling(&format!("{name}, default limits"), make, limits);
    }

    for (name, body) in [
        ("families", adversarial_families(limits.max_body_bytes)),
        ("TYPE lines", adversarial_types(limits.max_body_bytes)),
    ] {
        let (_, t, m) = median(&body, limits, 7);
        println!(
            "8 MiB adversarial body ({name}), default limits: {:.1} ms with drop (median of 7), \
             {} samples kept, cut: {}",
            ms(t),
            m.samples().len(),
            m.truncated()
        );
    }

    let fe = support::fe_metrics_body();
    let (_, t, m) = median(&fe, limits, 201);
    println!(
        "FE body of {} bytes ({} samples): {:.3} ms with drop (median of 201)",
        fe.len(),
        m.samples().len(),
        ms(t)
    );
}
