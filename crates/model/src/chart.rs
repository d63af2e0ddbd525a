//! The overview's charts: which series each one draws, its unit and the
//! health thresholds it shows. The server turns a definition into an ECharts
//! option (with charming); the page renders the same definition as an inline
//! SVG sparkline until ECharts has drawn it.

use serde::{Deserialize, Serialize};

/// A horizontal line where a health rule changes level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threshold {
    pub value: f64,
    pub label: &'static str,
    /// `warning` or `critical`: the line takes the status colour.
    pub level: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartDef {
    pub key: &'static str,
    pub title: &'static str,
    /// The y axis unit, shown on the axis and in the tooltip.
    pub unit: &'static str,
    /// Keys of `Overview::trends` drawn in this chart, in legend order.
    pub series: &'static [&'static str],
    pub thresholds: &'static [Threshold],
    /// Percent charts run from 0 to 100.
    pub percent: bool,
}

// Same figures as the health rules (server::overview::health): disk and the FE
// JVM heap both warn at 80 % and are critical at 90 %.
pub const WARN_80_CRITICAL_90: &[Threshold] = &[
    Threshold {
        value: 80.0,
        label: "warning 80 %",
        level: "warning",
    },
    Threshold {
        value: 90.0,
        label: "critical 90 %",
        level: "critical",
    },
];
pub const COMPACTION_THRESHOLDS: &[Threshold] = &[Threshold {
    value: 100.0,
    label: "warning 100",
    level: "warning",
}];

const fn chart(
    key: &'static str,
    title: &'static str,
    unit: &'static str,
    series: &'static [&'static str],
) -> ChartDef {
    ChartDef {
        key,
        title,
        unit,
        series,
        thresholds: &[],
        percent: false,
    }
}

const fn percent(mut c: ChartDef, thresholds: &'static [Threshold]) -> ChartDef {
    c.percent = true;
    c.thresholds = thresholds;
    c
}

/// Every chart of the overview, in page order.
pub const CHARTS: &[ChartDef] = &[
    chart(
        "throughput",
        "Queries and requests",
        "per s",
        &["qps", "rps"],
    ),
    chart(
        "latency",
        "Query latency",
        "ms",
        &["latency_p50", "latency_p95", "latency_p99"],
    ),
    percent(
        chart("errors", "Query error rate", "%", &["error_rate"]),
        &[],
    ),
    percent(chart("cpu", "CPU", "%", &["cpu_avg", "cpu_max"]), &[]),
    percent(chart("memory", "Memory", "%", &["mem_avg", "mem_max"]), &[]),
    percent(
        chart("disk", "Disk used", "%", &["disk_used", "disk_max"]),
        WARN_80_CRITICAL_90,
    ),
    percent(
        chart("jvm_heap", "FE JVM heap", "%", &["jvm_heap"]),
        WARN_80_CRITICAL_90,
    ),
    chart(
        "transactions",
        "Transactions and loads finished",
        "per step",
        &["txn_success", "txn_failed", "loads_finished"],
    ),
    chart(
        "running",
        "Transactions and loads running",
        "running",
        &["txn_running", "loads_running"],
    ),
    ChartDef {
        thresholds: COMPACTION_THRESHOLDS,
        ..chart(
            "compaction",
            "Compaction score",
            "score",
            &["compaction_score"],
        )
    },
];

/// A chart's ECharts option as JSON, built on the server. It carries no data:
/// the page adds the series' values, so they travel once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChartOption {
    pub key: String,
    pub option: String,
}

pub fn chart_def(key: &str) -> Option<&'static ChartDef> {
    CHARTS.iter().find(|c| c.key == key)
}
