//! A cluster's overview as the service computes it and the page shows it:
//! time window, downsampled series, health, KPIs, capacity and alerts.

use super::snapshot::{Snapshot, StoredDataStatistics};
use serde::{Deserialize, Serialize};

pub const MINUTE_MS: i64 = 60_000;
pub const HOUR_MS: i64 = 3_600_000;
pub const DAY_MS: i64 = 86_400_000;

/// The named ranges, their span, and whether they read daily rows.
pub const PRESETS: &[(&str, i64, bool)] = &[
    ("1h", HOUR_MS, false),
    ("6h", 6 * HOUR_MS, false),
    ("24h", DAY_MS, false),
    ("3d", 3 * DAY_MS, false),
    ("7d", 7 * DAY_MS, false),
    ("30d", 30 * DAY_MS, true),
    ("90d", 90 * DAY_MS, true),
];

pub const DEFAULT_RANGE: &str = "24h";

pub const RANGE_HELP: &str = "Use range=1h, 6h, 24h, 3d, 7d, 30d or 90d, or from= and to= as \
epoch milliseconds or relative times such as now-6h, now-30m, now-2d and now.";

/// The half-open window `[from, to)` a request asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Window {
    pub from: i64,
    pub to: i64,
    /// The preset name (`24h`), or `None` for a custom from/to.
    pub preset: Option<String>,
    /// Read daily rollups instead of raw snapshots.
    pub daily: bool,
}

impl Window {
    pub fn span(&self) -> i64 {
        self.to - self.from
    }

    /// The same span just before this one, for "change against the previous period".
    pub fn previous(&self) -> Window {
        Window {
            from: self.from - self.span(),
            to: self.from,
            preset: None,
            daily: self.daily,
        }
    }
}

/// `now`, `now-6h`, or epoch milliseconds.
fn parse_instant(s: &str, now: i64) -> Option<i64> {
    let s = s.trim();
    if s == "now" {
        return Some(now);
    }
    if let Some(rest) = s.strip_prefix("now-") {
        let split = rest.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = rest.split_at(split);
        let n: i64 = n.parse().ok()?;
        let unit_ms = match unit {
            "s" => 1_000,
            "m" => MINUTE_MS,
            "h" => HOUR_MS,
            "d" => DAY_MS,
            "w" => 7 * DAY_MS,
            _ => return None,
        };
        return now.checked_sub(n.checked_mul(unit_ms)?);
    }
    s.parse::<i64>().ok().filter(|v| *v >= 0)
}

/// Reads `range`, or `from` and `to`, as of `now`. The error lists the accepted forms.
pub fn parse_window(
    range: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    now: i64,
) -> Result<Window, String> {
    let custom = from.is_some() || to.is_some();
    if custom {
        if range.is_some_and(|r| !r.is_empty()) {
            return Err(format!(
                "Give either range or from/to, not both. {RANGE_HELP}"
            ));
        }
        let from = from
            .and_then(|f| parse_instant(f, now))
            .ok_or_else(|| format!("\"from\" is missing or not a time. {RANGE_HELP}"))?;
        let to = match to {
            None => now,
            Some(t) => parse_instant(t, now)
                .ok_or_else(|| format!("\"to\" is not a time. {RANGE_HELP}"))?,
        };
        if from < 0 {
            return Err(format!(
                "\"from\" is before 1970: nothing was collected then. {RANGE_HELP}"
            ));
        }
        if to <= from {
            return Err(format!("\"from\" must be before \"to\". {RANGE_HELP}"));
        }
        // Both are at least 0 here, so the span cannot overflow; checked all the same.
        let span = to.checked_sub(from).unwrap_or(i64::MAX);
        if span > 366 * DAY_MS {
            return Err(format!("A range may span at most a year. {RANGE_HELP}"));
        }
        // Longer than the raw history: daily rows.
        let daily = span > 7 * DAY_MS;
        return Ok(Window {
            from,
            to,
            preset: None,
            daily,
        });
    }
    let name = range.filter(|r| !r.is_empty()).unwrap_or(DEFAULT_RANGE);
    let (name, span, daily) = PRESETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(|| format!("Unknown range \"{name}\". {RANGE_HELP}"))?;
    Ok(Window {
        from: now - span,
        to: now,
        preset: Some(name.to_string()),
        daily: *daily,
    })
}

/// One downsampled series: `values[i]` covers `[start + i*step, start + (i+1)*step)`;
/// `None` is a gap (no collection, or only failed ones), never interpolated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Series {
    pub key: String,
    pub label: String,
    pub unit: String,
    /// `avg` or `max` per bucket.
    pub aggregate: String,
    pub start: i64,
    pub step_ms: i64,
    pub values: Vec<Option<f64>>,
}

impl Series {
    pub fn latest(&self) -> Option<f64> {
        self.values.iter().rev().find_map(|v| *v)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Healthy,
    Unknown,
    Warning,
    Critical,
}

impl HealthStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Healthy => "healthy",
            Self::Unknown => "unknown",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }
}

/// One health rule's verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HealthCard {
    /// Stable rule key: `nodes`, `disk`, `compaction`, `jvm_heap`, `cpu`, `error_rate`, `collection`.
    pub key: String,
    pub title: String,
    pub status: HealthStatus,
    pub value: Option<f64>,
    pub unit: String,
    /// Why, in words a person can act on.
    pub reason: String,
    /// What to do when it is not healthy.
    pub action: Option<String>,
    /// Parts of `reason` that are a cluster's names or words, the same in
    /// every language (pages mark them `translate="no"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quoted: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Health {
    /// The worst card.
    pub status: HealthStatus,
    /// 100 when every rule passes; warnings cost 10, critical cards 30.
    pub score: u8,
    pub cards: Vec<HealthCard>,
}

/// A figure over the window and over the period before it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Kpi {
    pub key: String,
    pub label: String,
    pub unit: String,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    /// Percent change against the previous period; `None` without both values.
    pub change_pct: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Aggregates {
    pub qps_avg: Option<f64>,
    pub qps_max: Option<f64>,
    pub p99_avg_ms: Option<f64>,
    pub cpu_avg_pct: Option<f64>,
    pub mem_avg_pct: Option<f64>,
    pub disk_avg_pct: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForecastState {
    /// Growth is positive: the dates are set.
    Forecast,
    /// Flat or shrinking: no date will be reached.
    NoGrowth,
    /// Less than 24 h of disk readings.
    NotEnoughData,
    /// The cluster reports no disk use (shared-data).
    NotReported,
}

/// Linear fit of cluster disk used over the last 7 days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Capacity {
    pub state: ForecastState,
    pub message: String,
    pub used_bytes: Option<i64>,
    pub total_bytes: Option<i64>,
    pub used_pct: Option<f64>,
    pub growth_bytes_per_day: Option<f64>,
    /// Unix ms when 90 % and 100 % are reached at the fitted rate.
    pub reaches_90_at: Option<i64>,
    pub reaches_100_at: Option<i64>,
    /// Coefficient of determination of the fit, 0 to 1.
    pub r_squared: Option<f64>,
    /// Hours of history the fit used.
    pub span_hours: f64,
    pub points: usize,
}

/// A health rule that is (or was) violated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Alert {
    pub id: i64,
    pub cluster_id: i64,
    pub rule: String,
    pub level: HealthStatus,
    pub title: String,
    pub reason: String,
    pub action: String,
    /// Parts of `reason` that are a cluster's names or words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quoted: Vec<String>,
    /// Unix ms the rule started failing (at this level or worse).
    pub since: i64,
    pub resolved_at: Option<i64>,
}

/// An FE or a BE/compute node as last collected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NodeInfo {
    /// `fe`, `be` or `cn`.
    pub kind: String,
    pub name: String,
    pub host: Option<String>,
    /// BE/CN: the heartbeat port, which with `host` names the node as
    /// StarRocks does (`ALTER SYSTEM ADD BACKEND 'host:port'`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// FE: LEADER / FOLLOWER / OBSERVER.
    pub role: Option<String>,
    pub alive: bool,
    pub version: Option<String>,
    pub disk_used_pct: Option<f64>,
    pub tablets: Option<i64>,
    pub cpu_pct: Option<f64>,
    /// BE/CN: process memory used; FE: JVM heap used.
    pub mem_pct: Option<f64>,
    /// BE: the highest tablet compaction score on the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compaction_score: Option<f64>,
    pub last_heartbeat: Option<String>,
    pub error: Option<String>,
}

impl NodeInfo {
    /// A node known by kind and name only, every figure not reported; readers
    /// fill in what their source says.
    pub fn named(kind: &str, name: &str, alive: bool) -> Self {
        NodeInfo {
            kind: kind.into(),
            name: name.into(),
            host: None,
            port: None,
            role: None,
            alive,
            version: None,
            disk_used_pct: None,
            tablets: None,
            cpu_pct: None,
            mem_pct: None,
            compaction_score: None,
            last_heartbeat: None,
            error: None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Nodes {
    pub collected_at: Option<i64>,
    pub frontends: Vec<NodeInfo>,
    pub backends: Vec<NodeInfo>,
    /// How many FEs and BE/CNs the cluster listed, when more than the
    /// collector reads per tick (`--max-nodes`): the lists above hold the
    /// first ones, and only those had their metrics read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed: Option<NodeCount>,
}

/// The length of node lists that were cut.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NodeCount {
    pub frontends: usize,
    pub backends: usize,
}

/// A group of series over one window, as the separate trend calls answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Trends {
    pub cluster_id: i64,
    pub window: Window,
    pub step_ms: i64,
    pub series: Vec<Series>,
}

/// Open alerts, and those resolved in the last 24 h.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Alerts {
    pub cluster_id: i64,
    pub active: Vec<Alert>,
    pub recently_resolved: Vec<Alert>,
}

/// Everything the overview page shows, in one answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Overview {
    pub cluster_id: i64,
    pub cluster_name: String,
    pub window: Window,
    pub step_ms: i64,
    pub now: i64,
    /// The collector's interval: a new cluster's first figures arrive within it.
    pub interval_ms: i64,
    pub latest: Option<Snapshot>,
    /// How old the latest snapshot is, in ms.
    pub age_ms: Option<i64>,
    /// The latest successful collection, for "last known data" when unreachable.
    pub last_ok: Option<Snapshot>,
    pub health: Health,
    pub kpis: Vec<Kpi>,
    pub aggregates: Aggregates,
    pub trends: Vec<Series>,
    pub nodes: Nodes,
    pub data_statistics: Option<StoredDataStatistics>,
    pub capacity: Capacity,
    /// Open alerts, the worst first (critical, then the oldest).
    pub alerts: Vec<Alert>,
    /// Alerts resolved in the last 24 h, the latest resolution first.
    #[serde(default)]
    pub recently_resolved: Vec<Alert>,
    /// How the latest collection reached the cluster, in words, when it was
    /// not simply every node at its own address through the first FE address.
    #[serde(default)]
    pub reach_note: Option<String>,
    /// Operations health (issue 15): tablets, routine loads, transactions,
    /// metadata, rowsets and resource groups, with their charts.
    #[serde(default)]
    pub operations: super::operations::OperationsView,
    /// The rules whose thresholds differ from StarRocks' defaults for this
    /// cluster (changed for it or for every cluster).
    #[serde(default)]
    pub custom_thresholds: Vec<String>,
    /// Silences in force that hold this cluster's notifications (its own,
    /// and a rule's on every cluster).
    #[serde(default)]
    pub silences: Vec<super::alerting::Silence>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn presets_relative_and_absolute_times() {
        let w = parse_window(None, None, None, NOW).expect("default");
        assert_eq!(
            (w.from, w.to, w.preset.as_deref()),
            (NOW - DAY_MS, NOW, Some("24h"))
        );
        let w = parse_window(Some("30d"), None, None, NOW).expect("30d");
        assert!(w.daily);
        let w = parse_window(None, Some("now-6h"), Some("now"), NOW).expect("relative");
        assert_eq!((w.from, w.to), (NOW - 6 * HOUR_MS, NOW));
        let w = parse_window(None, Some("1000"), Some("61000"), NOW).expect("epoch");
        assert_eq!((w.from, w.to, w.daily), (1000, 61000, false));
        let w = parse_window(None, Some("now-10d"), None, NOW).expect("long");
        assert!(w.daily);
    }

    #[test]
    fn bad_ranges_name_the_accepted_forms() {
        for (r, f, t) in [
            (Some("2h"), None, None),
            (Some("24h"), Some("now-1h"), None),
            (None, Some("yesterday"), None),
            (None, Some("now-1h"), Some("now-2h")),
            (None, None, Some("now")),
            (None, Some("now-5y"), None),
            (None, Some("now-99999999999999d"), None),
        ] {
            let e = parse_window(r, f, t, NOW).expect_err("must fail");
            assert!(e.contains("range=1h"), "{e}");
        }
    }

    #[test]
    fn range_arithmetic_overflows_are_errors_that_say_why() {
        // The largest number of days whose milliseconds still fit an i64: the
        // span to now used to overflow (a panic in debug, a wrap in release
        // that skipped the one-year cap).
        for from in [
            "now-106751991167d",
            "now-15250284452w",
            "now-9223372036854775s",
        ] {
            let e = parse_window(None, Some(from), None, NOW).expect_err(from);
            assert!(
                e.contains("before 1970") || e.contains("not a time"),
                "{from}: {e}"
            );
        }
        let e = parse_window(None, Some("now-99999999999999999999d"), None, NOW).expect_err("huge");
        assert!(e.contains("not a time"), "{e}");
        let e = parse_window(None, Some("0"), Some("9223372036854775807"), NOW).expect_err("wide");
        assert!(e.contains("at most a year"), "{e}");
    }
}
