//! A body from a cluster is untrusted: parsing it is linear and bounded.

use super::*;
use std::time::{Duration, Instant};

/// `n` TYPE lines of same-length names, all distinct or all the same.
fn type_lines(n: usize, distinct: bool) -> String {
    (0..n)
        .map(|i| {
            let i = if distinct { i } else { 0 };
            format!("# TYPE family_{i:08} gauge\n")
        })
        .collect()
}

fn time_parse(body: &str) -> Duration {
    let started = Instant::now();
    std::hint::black_box(Metrics::parse(std::hint::black_box(body)));
    started.elapsed()
}

/// The fastest of `rounds` parses of `a` and of `b`, interleaved so that
/// whatever else runs on the machine weighs on both alike.
fn fastest_of(a: &str, b: &str, rounds: usize) -> (Duration, Duration) {
    let (mut ta, mut tb) = (Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        ta = ta.min(time_parse(a));
        tb = tb.min(time_parse(b));
    }
    (ta, tb)
}

// Before the fix each TYPE line was compared with every earlier one: 50,000
// distinct lines took 300 times as long as 50,000 repeats of one.
#[test]
fn quadratic_parse_distinct_type_lines_cost_about_what_repeated_ones_do() {
    const N: usize = 50_000;
    let (distinct, repeated) = fastest_of(&type_lines(N, true), &type_lines(N, false), 3);
    assert!(
        distinct < repeated * 10,
        "{N} distinct TYPE lines took {distinct:?}, {N} repeats of one {repeated:?}"
    );
}

// Linear is 8 times as long for 8 times the lines, quadratic 64 times.
#[test]
fn quadratic_parse_eight_times_the_type_lines_take_about_eight_times_as_long() {
    const N: usize = 10_000;
    let (n, eight_n) = fastest_of(&type_lines(N, true), &type_lines(8 * N, true), 5);
    assert!(
        eight_n < n * 24,
        "{N} TYPE lines took {n:?}, {} took {eight_n:?}",
        8 * N
    );
}

#[test]
fn quadratic_parse_200000_type_lines_are_all_read_and_the_first_declaration_wins() {
    // 199,999 families and a second declaration of one: 200,000 TYPE lines,
    // as many as the default cap.
    let mut body = type_lines(199_999, true);
    body.push_str("# TYPE family_00000007 counter\nfamily_00000007 1\n");
    let m = Metrics::parse(&body);
    assert!(!m.truncated());
    assert_eq!(m.skipped_lines(), 0);
    assert_eq!(m.declared.len(), 200_000);
    assert_eq!(m.metric_type("family_00000007"), Some(MetricType::Gauge));
    assert_eq!(m.metric_type("family_00199998"), Some(MetricType::Gauge));
    assert_eq!(m.samples().len(), 1);
    assert_eq!(m.types.get().map(HashMap::len), Some(199_999));
    // One more TYPE line is past the cap.
    body.push_str("# TYPE one_more gauge\n");
    assert!(Metrics::parse(&body).truncated());
}

// The structure that keeps parsing linear, checked without a clock: parsing
// compares no TYPE line with another (it appends, and builds no index); the
// index is built once, on the first question, with one entry per family.
#[test]
fn quadratic_parse_type_lines_are_appended_and_indexed_once_on_demand() {
    let mut body = type_lines(1_000, true);
    body.push_str(&type_lines(1_000, false).replace("gauge", "counter"));
    let m = Metrics::parse(&body);
    assert_eq!(m.declared.len(), 2_000);
    assert!(m.types.get().is_none(), "parsing builds no index");
    let copy = m.clone();
    assert_eq!(m.metric_type("family_00000000"), Some(MetricType::Gauge));
    assert_eq!(m.metric_type("family_00000999"), Some(MetricType::Gauge));
    let index = m.types.get().expect("built by the first question");
    assert_eq!(index.len(), 1_000);
    assert_eq!(m, copy, "the index does not change what was read");
}

/// About `bytes` of adversarial body: a distinct family per two lines, a
/// TYPE line and one sample.
fn adversarial_body(bytes: usize) -> (String, usize) {
    let mut body = String::with_capacity(bytes + 64);
    let mut families = 0;
    while body.len() < bytes {
        body.push_str(&format!("# TYPE f{families} gauge\nf{families} 1\n"));
        families += 1;
    }
    (body, families)
}

#[test]
fn quadratic_parse_an_8_mib_adversarial_body_keeps_samples_up_to_the_cap_and_says_cut() {
    let limits = Limits::default();
    let (body, families) = adversarial_body(limits.max_body_bytes);
    assert!(families > limits.max_samples, "{families} families");
    let m = Metrics::parse_with(&body, limits);
    assert!(m.truncated(), "the body goes past the sample cap");
    assert_eq!(m.samples().len(), limits.max_samples);
    assert_eq!(m.skipped_lines(), 0);
    // Every sample up to the cap, in body order, with its family's type.
    for (i, s) in m.samples().iter().enumerate().step_by(9_973) {
        assert_eq!(s.name, format!("f{i}"));
        assert_eq!(s.value, 1.0);
        assert_eq!(m.metric_type(&s.name), Some(MetricType::Gauge));
    }
    let last = m.samples().last().expect("samples");
    assert_eq!(last.name, format!("f{}", limits.max_samples - 1));
}

#[test]
fn quadratic_parse_a_body_within_the_caps_is_not_cut() {
    let (body, families) = adversarial_body(64 * 1024);
    let m = Metrics::parse(&body);
    assert!(!m.truncated());
    assert_eq!(m.samples().len(), families);
    let exact = Limits {
        max_body_bytes: body.len(),
        max_samples: families,
    };
    assert!(!Metrics::parse_with(&body, exact).truncated());
}

#[test]
fn quadratic_parse_stops_at_the_byte_cap_on_a_line_end() {
    let body = "a 1\nb 2\nccc 3\n";
    let limits = |max_body_bytes| Limits {
        max_body_bytes,
        max_samples: 10,
    };
    // Cut inside "ccc 3": only the whole lines before it are read.
    let m = Metrics::parse_with(body, limits(10));
    assert!(m.truncated());
    assert_eq!(m.samples().len(), 2);
    assert_eq!(m.skipped_lines(), 0, "no half line is read");
    // Cut right at a line end.
    let m = Metrics::parse_with(body, limits(7));
    assert_eq!((m.samples().len(), m.truncated()), (2, true));
    // Cut inside a multi-byte character: never panics.
    let m = Metrics::parse_with("é{a=\"é\"} 1\n", limits(2));
    assert_eq!((m.samples().len(), m.truncated()), (0, true));
    assert!(Metrics::parse_with(body, limits(0)).samples().is_empty());
}

#[test]
fn quadratic_parse_caps_declared_families_like_samples() {
    let body = type_lines(10, true);
    let m = Metrics::parse_with(
        &body,
        Limits {
            max_body_bytes: usize::MAX,
            max_samples: 4,
        },
    );
    assert!(m.truncated());
    assert_eq!(m.declared.len(), 4);
}

#[test]
fn quadratic_parse_a_line_with_too_many_labels_is_skipped() {
    let labels = |n: usize| -> String {
        let pairs: Vec<String> = (0..n).map(|i| format!("l{i}=\"v\"")).collect();
        format!("x{{{}}} 1\n", pairs.join(","))
    };
    let m = Metrics::parse(&(labels(MAX_LABELS_PER_SAMPLE) + &labels(100_000)));
    assert_eq!(m.samples().len(), 1);
    assert_eq!(m.samples()[0].labels.len(), MAX_LABELS_PER_SAMPLE);
    assert_eq!(m.skipped_lines(), 1);
}
