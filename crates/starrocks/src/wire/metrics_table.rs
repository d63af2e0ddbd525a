//! `information_schema.fe_metrics` and `be_metrics` (3.1 and later; FE
//! metrics from 3.1.4 and 3.2): every node's metrics through one MySQL
//! connection, for nodes whose own HTTP port the console cannot reach.
//!
//! Rows are `(node, NAME, LABELS, VALUE)`. What differs from `/metrics`, and
//! is undone here so the rest of the collector reads one shape:
//! - FE names lack the `starrocks_fe_` prefix (`query_total`); JVM metrics
//!   and `node_info` have none on `/metrics` either. From 3.2.14 and
//!   3.3.8, summaries written with the prefix and their dots
//!   (`starrocks_fe_query.latency.ms`); BE names lack `starrocks_be_`.
//! - FE `LABELS` is the JSON tags object, with the name again under
//!   `metric`; BE `LABELS` is `k=v,k2=v2` without quotes.
//! - `VALUE` is a BIGINT: StarRocks truncates fractions (a 0.7 qps gauge is 0).
//!   Counters and byte gauges are whole anyway; the collector computes rates
//!   from counters, so only gauges lose their fractions.

use super::prometheus::{Metrics, Sample};
use std::collections::HashMap;

/// The most labels kept per row; StarRocks writes one to three.
const MAX_LABELS: usize = 16;

/// The FE metrics the collector reads, as `fe_metrics.NAME` writes them: the
/// `WHERE NAME IN (...)` of the statement, so a large cluster does not send
/// every metric of every FE.
pub const FE_NAMES: &[&str] = &[
    "request_total",
    "query_total",
    "query_err",
    "query_timeout",
    "txn_begin",
    "txn_success",
    "txn_failed",
    "txn_running",
    "load_finished",
    "connection_total",
    "query_latency",
    "starrocks_fe_query.latency.ms",
    "job",
    "max_tablet_compaction_score",
    "tablet_num",
    "node_info",
    "jvm_heap_size_bytes",
];

/// The BE metrics the collector reads, as `be_metrics.NAME` writes them.
pub const BE_NAMES: &[&str] = &[
    "cpu",
    "process_mem_bytes",
    "tablet_cumulative_max_compaction_score",
    "tablet_base_max_compaction_score",
    "disks_total_capacity",
    "disks_avail_capacity",
    "disks_data_used_capacity",
    "disks_state",
];

/// The `/metrics` name of an `fe_metrics` NAME.
fn fe_name(name: &str) -> String {
    if name.starts_with("jvm_") || name == "node_info" {
        name.to_string()
    } else if name.starts_with("starrocks_fe_") {
        name.replace('.', "_")
    } else {
        format!("starrocks_fe_{name}")
    }
}

/// The labels of an `fe_metrics` row: the JSON object's string (or number)
/// members but `metric`. Anything else reads as no labels.
fn fe_labels(raw: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(raw) else {
        return Vec::new();
    };
    map.into_iter()
        .filter(|(k, _)| k != "metric")
        .filter_map(|(k, v)| match v {
            serde_json::Value::String(s) => Some((k, s)),
            serde_json::Value::Number(n) => Some((k, n.to_string())),
            serde_json::Value::Bool(b) => Some((k, b.to_string())),
            _ => None,
        })
        .take(MAX_LABELS)
        .collect()
}

/// The labels of a `be_metrics` row: `k=v` pairs separated by commas.
fn be_labels(raw: &str) -> Vec<(String, String)> {
    raw.split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .take(MAX_LABELS)
        .collect()
}

/// One row as read: node, NAME, LABELS, VALUE (text; `None` when absent).
pub struct Row<'a> {
    pub node: Option<&'a str>,
    pub name: Option<&'a str>,
    pub labels: Option<&'a str>,
    pub value: Option<&'a str>,
}

fn value(text: Option<&str>) -> Option<f64> {
    let v = text?.trim();
    v.parse::<i64>()
        .map(|i| i as f64)
        .ok()
        .or_else(|| v.parse::<f64>().ok())
        .filter(|f| f.is_finite())
}

fn group<'a>(
    rows: impl IntoIterator<Item = Row<'a>>,
    name_of: impl Fn(&str) -> String,
    labels_of: impl Fn(&str) -> Vec<(String, String)>,
) -> HashMap<String, Metrics> {
    let mut per_node: HashMap<String, Vec<Sample>> = HashMap::new();
    for row in rows {
        let (Some(node), Some(name), Some(value)) = (row.node, row.name, value(row.value)) else {
            continue;
        };
        per_node.entry(node.to_string()).or_default().push(Sample {
            name: name_of(name),
            labels: labels_of(row.labels.unwrap_or_default()),
            value,
        });
    }
    per_node
        .into_iter()
        .map(|(node, samples)| (node, Metrics::from_samples(samples)))
        .collect()
}

/// `fe_metrics` rows as one [`Metrics`] per FE, keyed by `FE_ID` (the FE's
/// `Name` in SHOW FRONTENDS). Rows without a node, name or number are skipped.
pub fn fe_metrics<'a>(rows: impl IntoIterator<Item = Row<'a>>) -> HashMap<String, Metrics> {
    group(rows, fe_name, fe_labels)
}

/// `be_metrics` rows as one [`Metrics`] per backend, keyed by `BE_ID`
/// (BackendId) as text.
pub fn be_metrics<'a>(rows: impl IntoIterator<Item = Row<'a>>) -> HashMap<String, Metrics> {
    group(rows, |n| format!("starrocks_be_{n}"), be_labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(node: &'a str, name: &'a str, labels: &'a str, value: &'a str) -> Row<'a> {
        Row {
            node: Some(node),
            name: Some(name),
            labels: Some(labels),
            value: Some(value),
        }
    }

    #[test]
    fn fe_rows_read_as_the_fe_metrics_page_would() {
        let fe = "kube-fe-0.svc.invalid_9010_1700000000000";
        let m = fe_metrics([
            row(fe, "query_total", r#"{"metric":"query_total"}"#, "1234"),
            row(
                fe,
                "query_latency",
                r#"{"metric":"query_latency","type":"99_quantile"}"#,
                "87",
            ),
            row(
                fe,
                "starrocks_fe_query.latency.ms",
                r#"{"metric":"starrocks_fe_query.latency.ms","quantile":"0.95"}"#,
                "40",
            ),
            row(
                fe,
                "jvm_heap_size_bytes",
                r#"{"metric":"jvm_heap_size_bytes","type":"used"}"#,
                "1073741824",
            ),
            row(
                fe,
                "node_info",
                r#"{"metric":"node_info","type":"is_master"}"#,
                "1",
            ),
            row("other", "connection_total", "not json", "7"),
            row(fe, "query_err", "{}", "not a number"),
        ]);
        let f = &m[fe];
        assert_eq!(f.value("starrocks_fe_query_total", &[]), Some(1234.0));
        assert_eq!(
            f.value("starrocks_fe_query_latency", &[("type", "99_quantile")]),
            Some(87.0)
        );
        assert_eq!(
            f.value("starrocks_fe_query_latency_ms", &[("quantile", "0.95")]),
            Some(40.0)
        );
        assert_eq!(
            f.value("jvm_heap_size_bytes", &[("type", "used")]),
            Some(1073741824.0)
        );
        assert_eq!(f.value("node_info", &[("type", "is_master")]), Some(1.0));
        assert_eq!(f.value("starrocks_fe_query_err", &[]), None);
        assert_eq!(
            m["other"].value("starrocks_fe_connection_total", &[]),
            Some(7.0)
        );
    }

    #[test]
    fn be_rows_read_as_the_be_metrics_page_would() {
        let m = be_metrics([
            row("10001", "cpu", "mode=idle", "5000"),
            row("10001", "cpu", "mode=user", "300"),
            row("10001", "tablet_cumulative_max_compaction_score", "", "12"),
            row(
                "10002",
                "disks_total_capacity",
                "path=/data/be,medium=ssd",
                "1000",
            ),
        ]);
        assert_eq!(
            m["10001"].value("starrocks_be_cpu", &[("mode", "idle")]),
            Some(5000.0)
        );
        assert_eq!(
            m["10001"].value("starrocks_be_tablet_cumulative_max_compaction_score", &[]),
            Some(12.0)
        );
        assert_eq!(
            m["10002"].value(
                "starrocks_be_disks_total_capacity",
                &[("path", "/data/be"), ("medium", "ssd")]
            ),
            Some(1000.0)
        );
    }
}
