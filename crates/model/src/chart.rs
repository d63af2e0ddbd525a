//! The overview's charts: which series each one draws, its unit and the
//! health thresholds it shows. The server turns a definition into an ECharts
//! option (app::ssr::chart_options); the page renders the same definition as
//! an inline SVG sparkline until ECharts has drawn it. The words (titles, units,
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
    /// Events per second; counters too, so the unit is the same at every range.
    PerSecond,
    Ms,
    Percent,
    /// Things running at the moment.
    Running,
    /// The compaction score, a number without a unit.
    Score,
    /// Client connections open at the moment.
    Connections,
    /// A number of things: tablets, jobs, journal entries, rowsets.
    Count,
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
    /// The y axis runs from 0 to 100: how full something is. Other charts
    /// run from 0 to a little above their data (see [`ChartDef::min_top`]).
    pub percent: bool,
}

impl ChartDef {
    /// The title in `l`, by the chart's key.
    pub fn title(&self, l: Locale) -> &'static str {
        match self.key {
            "throughput" => td_string!(l, overview.chart_throughput),
            "latency" => td_string!(l, overview.chart_latency),
            "errors" => td_string!(l, overview.chart_errors),
            "connections" => td_string!(l, charts.chart_connections),
            "cpu" => td_string!(l, overview.chart_cpu),
            "memory" => td_string!(l, overview.chart_memory),
            "disk" => td_string!(l, overview.chart_disk),
            "jvm_heap" => td_string!(l, overview.chart_jvm_heap),
            "transactions" => td_string!(l, overview.chart_transactions),
            "running" => td_string!(l, overview.chart_running),
            "compaction" => td_string!(l, overview.chart_compaction),
            "ops_tablets" => td_string!(l, charts.chart_ops_tablets),
            "ops_routine_loads" => td_string!(l, charts.chart_ops_routine_loads),
            "ops_txn_running" => td_string!(l, charts.chart_ops_txn_running),
            "ops_txn_failed" => td_string!(l, charts.chart_ops_txn_failed),
            "ops_meta_log" => td_string!(l, charts.chart_ops_meta_log),
            "ops_rowsets" => td_string!(l, charts.chart_ops_rowsets),
            "ops_compactions_failed" => td_string!(l, charts.chart_ops_compactions_failed),
            "ops_queries_running" => td_string!(l, charts.chart_ops_queries_running),
            "ops_query_longest" => td_string!(l, charts.chart_ops_query_longest),
            "ops_rg_queries" => td_string!(l, charts.chart_ops_rg_queries),
            "ops_rg_p99" => td_string!(l, charts.chart_ops_rg_p99),
            other => other,
        }
    }

    /// The least top of a y axis that follows the data: a share of events
    /// (the error rate) reaches at least 1 %, so that 0.02 % is not drawn
    /// as a full-height wave; other charts leave it to the data.
    pub fn min_top(&self) -> f64 {
        if self.unit == Unit::Percent && !self.percent {
            1.0
        } else {
            0.0
        }
    }

    /// The unit in `l`: "per s", "ms", "%".
    pub fn unit_text(&self, l: Locale) -> &'static str {
        match self.unit {
            Unit::PerSecond => td_string!(l, overview.unit_per_s),
            Unit::Ms => "ms",
            Unit::Percent => "%",
            Unit::Running => td_string!(l, overview.unit_running),
            Unit::Score => td_string!(l, overview.unit_score),
            Unit::Connections => td_string!(l, charts.unit_connections),
            Unit::Count => td_string!(l, charts.unit_count),
        }
    }

    /// The label of one of its threshold lines in `l`: "warning 80 %".
    pub fn threshold_label(&self, l: Locale, t: &Threshold) -> String {
        let value = if self.unit == Unit::Percent {
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

    /// The y range a chart of `values` shows: 0 to 100 for how full
    /// something is, else 0 to a little above the top value (at least
    /// [`ChartDef::min_top`]). As in ECharts, a threshold above the data is
    /// left out rather than flattening the data under it.
    pub fn y_bounds<'a>(&self, values: impl Iterator<Item = &'a f64>) -> (f64, f64) {
        if self.percent {
            return (0.0, 100.0);
        }
        let top = values
            .filter(|v| v.is_finite())
            .fold(0.0f64, |a, b| a.max(*b));
        let top = (top * 1.1).max(self.min_top());
        (0.0, if top > 0.0 { top } else { 1.0 })
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

/// A chart of how full something is, 0 to 100 %.
const fn full(key: &'static str, series: &'static [&'static str]) -> ChartDef {
    ChartDef {
        percent: true,
        ..chart(key, Unit::Percent, series)
    }
}

/// Every chart of the overview, in page order.
pub const CHARTS: &[ChartDef] = &[
    chart("throughput", Unit::PerSecond, &["qps", "rps"]),
    chart(
        "latency",
        Unit::Ms,
        &["latency_p50", "latency_p95", "latency_p99"],
    ),
    chart("errors", Unit::Percent, &["error_rate"]),
    chart("connections", Unit::Connections, &["connections"]),
    full("cpu", &["cpu_avg", "cpu_max"]),
    full("memory", &["mem_avg", "mem_max"]),
    ChartDef {
        thresholds: WARN_80_CRITICAL_90,
        ..full("disk", &["disk_used", "disk_max"])
    },
    ChartDef {
        thresholds: WARN_80_CRITICAL_90,
        ..full("jvm_heap", &["jvm_heap"])
    },
    chart(
        "transactions",
        Unit::PerSecond,
        &["txn_success", "txn_failed", "loads_finished"],
    ),
    chart("running", Unit::Running, &["txn_running", "loads_running"]),
    ChartDef {
        thresholds: COMPACTION_THRESHOLDS,
        ..chart("compaction", Unit::Score, &["compaction_score"])
    },
];

/// A single warning line at `value`.
macro_rules! warning_at {
    ($value:expr) => {
        &[Threshold {
            value: $value,
            level: "warning",
        }]
    };
}

/// The operations charts (issue 15), in page order, with StarRocks' alert
/// rules as their thresholds (overview::health::operations).
pub const OPS_CHARTS: &[ChartDef] = &[
    chart(
        "ops_tablets",
        Unit::Count,
        &["tablets_unhealthy", "tablets_cloning"],
    ),
    chart(
        "ops_routine_loads",
        Unit::Count,
        &[
            "routine_loads_running",
            "routine_loads_paused",
            "routine_loads_need_schedule",
        ],
    ),
    ChartDef {
        thresholds: warning_at!(900.0),
        ..chart("ops_txn_running", Unit::Running, &["txn_running_max"])
    },
    ChartDef {
        thresholds: warning_at!(5.0),
        ..chart("ops_txn_failed", Unit::Percent, &["txn_failed_pct"])
    },
    ChartDef {
        thresholds: warning_at!(100_000.0),
        ..chart("ops_meta_log", Unit::Count, &["meta_log_count"])
    },
    ChartDef {
        thresholds: warning_at!(700.0),
        ..chart("ops_rowsets", Unit::Count, &["rowsets_max"])
    },
    chart(
        "ops_compactions_failed",
        Unit::PerSecond,
        &["compactions_failed"],
    ),
    // What runs now (issue 16), every FE: how many, and for how long the
    // longest has run.
    chart("ops_queries_running", Unit::Running, &["queries_running"]),
    chart("ops_query_longest", Unit::Ms, &["query_longest"]),
    // The five busiest resource groups of the window, by rank: each line is
    // named by its group (the series' label).
    chart(
        "ops_rg_queries",
        Unit::PerSecond,
        &["rg_qps_1", "rg_qps_2", "rg_qps_3", "rg_qps_4", "rg_qps_5"],
    ),
    chart(
        "ops_rg_p99",
        Unit::Ms,
        &["rg_p99_1", "rg_p99_2", "rg_p99_3", "rg_p99_4", "rg_p99_5"],
    ),
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
        "connections" => td_string!(l, charts.series_connections),
        "tablets_unhealthy" => td_string!(l, charts.series_tablets_unhealthy),
        "tablets_cloning" => td_string!(l, charts.series_tablets_cloning),
        "routine_loads_running" => td_string!(l, charts.series_routine_loads_running),
        "routine_loads_paused" => td_string!(l, charts.series_routine_loads_paused),
        "routine_loads_need_schedule" => td_string!(l, charts.series_routine_loads_need_schedule),
        "txn_running_max" => td_string!(l, charts.series_txn_running_max),
        "txn_failed_pct" => td_string!(l, charts.series_txn_failed_pct),
        "meta_log_count" => td_string!(l, charts.series_meta_log_count),
        "rowsets_max" => td_string!(l, charts.series_rowsets_max),
        "compactions_failed" => td_string!(l, charts.series_compactions_failed),
        "queries_running" => td_string!(l, charts.series_queries_running),
        "query_longest" => td_string!(l, charts.series_query_longest),
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
    CHARTS.iter().chain(OPS_CHARTS).find(|c| c.key == key)
}
