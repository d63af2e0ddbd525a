//! The overview's charts: which series each one draws, its unit and the
//! health thresholds it shows. The server turns a definition into an ECharts
//! option (with charming); the page renders the same definition as an inline
//! SVG sparkline until ECharts has drawn it. The words (titles, units,
//! threshold labels) are looked up in each language by the chart's key, its
//! unit and its thresholds' levels, so a definition is written once.

use i18n::{fill, td_string, Locale};
use serde::{Deserialize, Serialize};

/// A horizontal line where a health rule changes level.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Threshold {
    pub value: f64,
    /// `warning` or `critical`: the line takes the status colour.
    pub level: &'static str,
}

/// What a chart's y axis counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Events per second.
    PerSecond,
    Ms,
    Percent,
    /// Events per point of the chart: the step changes with the range.
    PerStep,
    /// Things running at the moment.
    Running,
    /// The compaction score, a number without a unit.
    Score,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartDef {
    /// Also names the chart's title in each language.
    pub key: &'static str,
    /// The y axis unit, shown on the axis and in the tooltip.
    pub unit: Unit,
    /// Keys of `Overview::trends` drawn in this chart, in legend order.
    pub series: &'static [&'static str],
    pub thresholds: &'static [Threshold],
    /// Percent charts run from 0 to 100.
    pub percent: bool,
}

impl ChartDef {
    /// The title in `l`, by the chart's key.
    pub fn title(&self, l: Locale) -> &'static str {
        match self.key {
            "throughput" => td_string!(l, overview.chart_throughput),
            "latency" => td_string!(l, overview.chart_latency),
            "errors" => td_string!(l, overview.chart_errors),
            "cpu" => td_string!(l, overview.chart_cpu),
            "memory" => td_string!(l, overview.chart_memory),
            "disk" => td_string!(l, overview.chart_disk),
            "jvm_heap" => td_string!(l, overview.chart_jvm_heap),
            "transactions" => td_string!(l, overview.chart_transactions),
            "running" => td_string!(l, overview.chart_running),
            "compaction" => td_string!(l, overview.chart_compaction),
            other => other,
        }
    }

    /// The unit in `l`: "per s", "ms", "%"; a per-step chart names its step
    /// when it is known ("per 5 min"), else says "per step".
    pub fn unit_text(&self, l: Locale, step_ms: Option<i64>) -> String {
        match self.unit {
            Unit::PerSecond => td_string!(l, overview.unit_per_s).into(),
            Unit::Ms => "ms".into(),
            Unit::Percent => "%".into(),
            Unit::PerStep => match step_ms {
                Some(ms) => fill(
                    td_string!(l, overview.unit_per),
                    &[("step", &i18n::fmt::duration(l, ms))],
                ),
                None => td_string!(l, overview.unit_per_step).into(),
            },
            Unit::Running => td_string!(l, overview.unit_running).into(),
            Unit::Score => td_string!(l, overview.unit_score).into(),
        }
    }

    /// The label of one of its threshold lines in `l`: "warning 80 %".
    pub fn threshold_label(&self, l: Locale, t: &Threshold) -> String {
        let value = if self.percent {
            format!("{} %", t.value)
        } else {
            t.value.to_string()
        };
        let template = match t.level {
            "critical" => td_string!(l, overview.threshold_critical),
            _ => td_string!(l, overview.threshold_warning),
        };
        fill(template, &[("value", &value)])
    }
}

// Same figures as the health rules (server::overview::health): disk and the FE
// JVM heap both warn at 80 % and are critical at 90 %.
pub const WARN_80_CRITICAL_90: &[Threshold] = &[
    Threshold {
        value: 80.0,
        level: "warning",
    },
    Threshold {
        value: 90.0,
        level: "critical",
    },
];
pub const COMPACTION_THRESHOLDS: &[Threshold] = &[Threshold {
    value: 100.0,
    level: "warning",
}];

const fn chart(key: &'static str, unit: Unit, series: &'static [&'static str]) -> ChartDef {
    ChartDef {
        key,
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
    chart("throughput", Unit::PerSecond, &["qps", "rps"]),
    chart(
        "latency",
        Unit::Ms,
        &["latency_p50", "latency_p95", "latency_p99"],
    ),
    percent(chart("errors", Unit::Percent, &["error_rate"]), &[]),
    percent(chart("cpu", Unit::Percent, &["cpu_avg", "cpu_max"]), &[]),
    percent(chart("memory", Unit::Percent, &["mem_avg", "mem_max"]), &[]),
    percent(
        chart("disk", Unit::Percent, &["disk_used", "disk_max"]),
        WARN_80_CRITICAL_90,
    ),
    percent(
        chart("jvm_heap", Unit::Percent, &["jvm_heap"]),
        WARN_80_CRITICAL_90,
    ),
    chart(
        "transactions",
        Unit::PerStep,
        &["txn_success", "txn_failed", "loads_finished"],
    ),
    chart("running", Unit::Running, &["txn_running", "loads_running"]),
    ChartDef {
        thresholds: COMPACTION_THRESHOLDS,
        ..chart("compaction", Unit::Score, &["compaction_score"])
    },
];

/// The name of a series the charts draw, in `l`, by its key (`Series::key`):
/// the store names series in English only.
pub fn series_label(l: Locale, key: &str) -> Option<&'static str> {
    Some(match key {
        "qps" => td_string!(l, overview.series_qps),
        "rps" => td_string!(l, overview.series_rps),
        "latency_p50" => td_string!(l, overview.series_latency_p50),
        "latency_p95" => td_string!(l, overview.series_latency_p95),
        "latency_p99" => td_string!(l, overview.series_latency_p99),
        "error_rate" => td_string!(l, overview.series_error_rate),
        "cpu_avg" => td_string!(l, overview.series_cpu_avg),
        "cpu_max" => td_string!(l, overview.series_cpu_max),
        "mem_avg" => td_string!(l, overview.series_mem_avg),
        "mem_max" => td_string!(l, overview.series_mem_max),
        "disk_used" => td_string!(l, overview.series_disk_used),
        "disk_max" => td_string!(l, overview.series_disk_max),
        "jvm_heap" => td_string!(l, overview.series_jvm_heap),
        "txn_success" => td_string!(l, overview.series_txn_success),
        "txn_failed" => td_string!(l, overview.series_txn_failed),
        "loads_finished" => td_string!(l, overview.series_loads_finished),
        "txn_running" => td_string!(l, overview.series_txn_running),
        "loads_running" => td_string!(l, overview.series_loads_running),
        "compaction_score" => td_string!(l, overview.series_compaction_score),
        _ => return None,
    })
}

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
