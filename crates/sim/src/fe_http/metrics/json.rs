//! The FE's metrics as its JSON visitor writes them (`/metrics?type=json`),
//! which is what `information_schema.fe_metrics` reads from every alive FE.
//!
//! Every value comes from the same [`Scrape`] as the Prometheus text, so a row
//! and the FE's `/metrics` at the same time agree. What differs is the visitor:
//! - names have no `starrocks_fe_` prefix, and labels are tags after `metric`;
//! - the JVM part is its own subset: GC, heap, `jvm_size_percent` (Metaspace is
//!   the `perm` pool; the simulator takes the non-heap figures for it), the
//!   young and old pools (committed and used only) and the direct buffers;
//! - histograms keep their dots, `starrocks_fe_query.latency.ms` (the visitor's
//!   `String.replace` is literal), with `_sum` and `_count` entries, and
//!   `node_info` has a `status` tag where Prometheus has `state`. Both exist
//!   only from 3.2.14 / 3.3.8 on ([`Version::json_has_histograms`]); the older
//!   visitor skipped them.
//!
//! [`Version::json_has_histograms`]: crate::profile::Version::json_has_histograms

use super::{jvm_value, node_info, Num, Scrape, AFTER_HISTOGRAMS, FAMILIES, PREFIX, SUMMARIES};
use crate::faults::View;
use crate::format::json_str;
use crate::Shared;

/// One entry of the JSON array: the `metric` tag, the other tags in order, the value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JsonMetric {
    pub name: String,
    pub labels: Vec<(&'static str, String)>,
    pub value: Num,
}

impl JsonMetric {
    fn new(name: impl Into<String>, labels: Vec<(&'static str, String)>, value: Num) -> Self {
        JsonMetric {
            name: name.into(),
            labels,
            value,
        }
    }

    /// The `tags` object, `metric` first, as the BE's simdjson writes it back
    /// into `fe_metrics.LABELS`: `{"metric":"jvm_heap_size_bytes","type":"max"}`.
    pub(crate) fn tags(&self) -> String {
        let mut out = format!("{{\"metric\":{}", json_str(&self.name));
        for (k, v) in &self.labels {
            out.push(',');
            out.push_str(&json_str(k));
            out.push(':');
            out.push_str(&json_str(v));
        }
        out.push('}');
        out
    }
}

fn typed(ty: &str) -> Vec<(&'static str, String)> {
    vec![("type", ty.to_string())]
}

/// The JSON visitor's JVM entries, in its order (G1's pools: Metaspace, Eden, Old).
fn jvm(s: &Scrape, out: &mut Vec<JsonMetric>) {
    let pct = |used: u64, committed: u64| {
        if committed == 0 {
            0.0
        } else {
            100.0 * used as f64 / committed as f64
        }
    };
    let mut put =
        |name: &str, ty: &str, value: Num| out.push(JsonMetric::new(name, typed(ty), value));
    let v = |name: &str, ty: &str| Num::Int(jvm_value(s, name, ty));
    for gc in ["jvm_young_gc", "jvm_old_gc"] {
        put(gc, "count", v(gc, "count"));
        put(gc, "time", v(gc, "time"));
    }
    let heap = "jvm_heap_size_bytes";
    for ty in ["max", "committed", "used"] {
        put(heap, ty, v(heap, ty));
    }
    let non_heap = "jvm_non_heap_size_bytes";
    let perm = pct(
        jvm_value(s, non_heap, "used"),
        jvm_value(s, non_heap, "committed"),
    );
    put("jvm_size_percent", "perm", Num::Double(perm));
    let young = "jvm_young_size_bytes";
    put(young, "committed", v(young, "committed"));
    put(young, "used", v(young, "used"));
    let old = "jvm_old_size_bytes";
    let old_pct = pct(jvm_value(s, old, "used"), jvm_value(s, old, "committed"));
    put("jvm_size_percent", "old", Num::Double(old_pct));
    put(old, "committed", v(old, "committed"));
    put(old, "used", v(old, "used"));
    let direct = "jvm_direct_buffer_pool_size_bytes";
    put(direct, "capacity", v(direct, "capacity"));
    put(direct, "used", v(direct, "used"));
}

/// FE `fe`'s JSON metrics at `t`: JVM, the StarRocks families, the
/// histograms (on releases whose visitor writes them), what the FE visits
/// after them (`txn_running`), then `node_info` (with the histograms).
pub(crate) fn fe_json(sh: &Shared, fe: usize, t: i64, view: &View) -> Vec<JsonMetric> {
    let s = Scrape::new(sh, fe, t, view);
    let version = sh.model.spec.version;
    let here = |only: Option<crate::profile::Version>| only.is_none_or(|v| v == version);
    let mut out = Vec::with_capacity(512);
    jvm(&s, &mut out);
    for f in FAMILIES.iter().filter(|f| here(f.only)) {
        for (labels, value) in f.rows(&s) {
            out.push(JsonMetric::new(f.name, labels, value));
        }
    }
    let histograms = version.json_has_histograms();
    for f in SUMMARIES.iter().filter(|f| histograms && here(f.only)) {
        let name = format!("{PREFIX}{}", f.registry);
        let fig = f.figures(&s);
        for (q, v) in fig.quantiles {
            out.push(JsonMetric::new(
                name.clone(),
                vec![("quantile", q.to_string())],
                Num::Double(v),
            ));
        }
        out.push(JsonMetric::new(
            format!("{name}_sum"),
            vec![],
            Num::Double(fig.sum),
        ));
        out.push(JsonMetric::new(
            format!("{name}_count"),
            vec![],
            Num::Int(fig.count),
        ));
    }
    for f in AFTER_HISTOGRAMS.iter().filter(|f| here(f.only)) {
        for (labels, value) in f.rows(&s) {
            out.push(JsonMetric::new(f.name, labels, value));
        }
    }
    if !histograms {
        return out;
    }
    for (ty, status, v) in node_info(&s) {
        let mut labels = typed(ty);
        if let Some(st) = status {
            labels.push(("status", st.to_string()));
        }
        out.push(JsonMetric::new("node_info", labels, Num::Int(v)));
    }
    out
}
