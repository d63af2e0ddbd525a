//! Time to parse one realistic ~45 KB FE `/metrics` body.
//!
//! `cargo bench -p starrocks --bench prometheus_parse`

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use starrocks::wire::prometheus::Metrics;

mod support;

fn parse_fe_body(c: &mut Criterion) {
    let body = support::fe_metrics_body();
    assert!(
        (44 * 1024..=46 * 1024).contains(&body.len()),
        "the FE body is {} bytes, not 44-46 KB",
        body.len()
    );
    let parsed = Metrics::parse(&body);
    assert_eq!(
        parsed.skipped_lines(),
        0,
        "the bench body must parse cleanly"
    );
    println!(
        "FE body: {} bytes, {} lines, {} samples",
        body.len(),
        body.lines().count(),
        parsed.samples().len()
    );

    let mut group = c.benchmark_group("prometheus");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("parse_fe_45kb", |b| {
        b.iter(|| Metrics::parse(black_box(&body)))
    });
    group.bench_function("parse_fe_45kb_then_lookups", |b| {
        b.iter(|| {
            let m = Metrics::parse(black_box(&body));
            (
                m.value("jvm_heap_size_bytes", &[("type", "used")]),
                m.sum("starrocks_fe_tablet_num", &[]),
                m.value("node_info", &[("type", "be_node_num"), ("state", "alive")]),
                m.value("starrocks_fe_query_latency_ms", &[("quantile", "0.99")]),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, parse_fe_body);
criterion_main!(benches);
