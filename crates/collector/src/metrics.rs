//! The collector's own figures for the console's `/metrics`: how long ticks
//! take, how the clusters fared, which errors collections end in, and what
//! retention deleted. Registered by the server; tests use them unregistered.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabel {
    /// ok, partial or failed.
    pub result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    /// The error kind of a failed collection (timeout, unreachable, ...).
    pub kind: &'static str,
}

/// Cheap to clone: every metric is a shared handle.
#[derive(Clone, Debug)]
pub struct CollectorMetrics {
    pub tick_duration: Histogram,
    pub clusters: Family<ResultLabel, Gauge>,
    pub errors: Family<KindLabel, Counter>,
    pub ticks_skipped: Counter,
    pub retention_deleted: Counter,
}

impl Default for CollectorMetrics {
    fn default() -> Self {
        Self {
            // 50 ms to about 100 s: a tick must end within its interval (5 s and up).
            tick_duration: Histogram::new(exponential_buckets(0.05, 2.0, 12)),
            clusters: Family::default(),
            errors: Family::default(),
            ticks_skipped: Counter::default(),
            retention_deleted: Counter::default(),
        }
    }
}

impl CollectorMetrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "sro_collector_tick_duration_seconds",
            "How long one collection of every cluster took",
            self.tick_duration.clone(),
        );
        registry.register(
            "sro_collector_clusters",
            "Clusters by the result of their last collection",
            self.clusters.clone(),
        );
        registry.register(
            "sro_collector_errors",
            "Failed collections by error kind",
            self.errors.clone(),
        );
        registry.register(
            "sro_collector_ticks_skipped",
            "Ticks skipped because an earlier one overran its interval",
            self.ticks_skipped.clone(),
        );
        registry.register(
            "sro_retention_deleted_rows",
            "History rows deleted by retention",
            self.retention_deleted.clone(),
        );
    }

    /// One tick's outcome: its duration and how many clusters ended how.
    pub fn tick(&self, seconds: f64, ok: u32, partial: u32, failed: u32) {
        self.tick_duration.observe(seconds);
        for (result, n) in [("ok", ok), ("partial", partial), ("failed", failed)] {
            self.clusters
                .get_or_create(&ResultLabel { result })
                .set(i64::from(n));
        }
    }
}
