//! Heap allocations per parse of the realistic ~45 KB FE `/metrics` body,
//! counted by a wrapper around the system allocator.
//!
//! `cargo bench -p starrocks --bench prometheus_allocs`

// Counting allocations means implementing `GlobalAlloc`, which is unsafe by
// definition; each method only forwards to the system allocator.
#![allow(unsafe_code)]

use starrocks::wire::prometheus::Metrics;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

mod support;

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to `System`; the wrapper only
// counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size() as u64, Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size as u64, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const RUNS: u64 = 1_000;

fn main() {
    let body = support::fe_metrics_body();
    let first = Metrics::parse(&body);
    let samples = first.samples().len() as u64;
    let labels: u64 = first.samples().iter().map(|s| s.labels.len() as u64).sum();
    drop(first);

    let (allocs_before, bytes_before) = (
        ALLOCS.load(Ordering::Relaxed),
        BYTES.load(Ordering::Relaxed),
    );
    for _ in 0..RUNS {
        black_box(Metrics::parse(black_box(&body)));
    }
    let allocs = (ALLOCS.load(Ordering::Relaxed) - allocs_before) / RUNS;
    let bytes = (BYTES.load(Ordering::Relaxed) - bytes_before) / RUNS;

    println!(
        "FE body: {} bytes, {samples} samples, {labels} labels",
        body.len()
    );
    println!("allocations per parse: {allocs}");
    println!("bytes allocated per parse: {bytes}");
    println!(
        "allocations per sample: {:.2}",
        allocs as f64 / samples.max(1) as f64
    );
}
