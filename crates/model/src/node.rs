//! One node of a cluster on its own: the key that names it in URLs and in
//! its history, how the node tables name it, and what its page shows.

use super::chart::{ChartDef, Unit, COMPACTION_THRESHOLDS, WARN_80_CRITICAL_90};
use super::overview::{NodeInfo, Nodes, Series, Window};
use serde::{Deserialize, Serialize};

/// A node's key, the same from tick to tick: `be-<BackendId>`,
/// `cn-<ComputeNodeId>`, `fe-<name>` (an FE's name carries its start time, so
/// a re-added FE is a new node). Only `[A-Za-z0-9._-]` and `~XX` escapes, so
/// it travels in a URL path as it is and no router decodes it differently.
pub fn node_key(kind: &str, name: &str) -> String {
    // A hostile cluster may list names of any length; the key stays short.
    const MAX: usize = 120;
    let mut key = String::with_capacity(kind.len() + 1 + name.len());
    key.push_str(kind);
    key.push('-');
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            key.push(b as char);
        } else {
            key.push_str(&format!("~{b:02X}"));
        }
    }
    if key.len() > MAX {
        // FNV-1a of the whole name keeps two long names apart.
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        key.truncate(MAX - 17);
        key.push_str(&format!("~{hash:016x}"));
    }
    key
}

/// The key of a listed node.
pub fn key_of(n: &NodeInfo) -> String {
    node_key(&n.kind, &n.name)
}

/// The kind a key names (`fe`, `be`, `cn`), for a node no longer listed.
pub fn kind_of_key(key: &str) -> Option<&'static str> {
    ["fe", "be", "cn"]
        .into_iter()
        .find(|k| key.strip_prefix(k).is_some_and(|r| r.starts_with('-')))
}

/// `host:port` of a BE or CN; `None` when StarRocks did not list both.
pub fn address(n: &NodeInfo) -> Option<String> {
    let host = n.host.as_deref().filter(|h| !h.is_empty())?;
    let port = n.port?;
    Some(if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    })
}

/// How a person names the node: its address, else its name.
pub fn label(n: &NodeInfo) -> String {
    address(n).unwrap_or_else(|| n.name.clone())
}

/// `YYYY-MM-DD HH:MM:SS` read as if it were UTC, in unix ms.
fn naive_ms(text: &str) -> Option<i64> {
    let t = text.trim();
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<i64>().ok();
    if t.len() != 19 || t.as_bytes()[4] != b'-' || t.as_bytes()[10] != b' ' {
        return None;
    }
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1000)
}

/// StarRocks writes heartbeat times in the FE's own time zone, which it does
/// not name. Alive nodes beat every few seconds, so their heartbeats sit
/// right at the collection time: the gap, rounded to 15 minutes, is the
/// zone's offset. Without an alive node (or a collection time) it is 0, UTC.
pub fn zone_offset_ms(nodes: &Nodes) -> i64 {
    const QUARTER: i64 = 15 * 60_000;
    let Some(at) = nodes.collected_at else {
        return 0;
    };
    let mut gaps: Vec<i64> = nodes
        .frontends
        .iter()
        .chain(&nodes.backends)
        .filter(|n| n.alive)
        .filter_map(|n| naive_ms(n.last_heartbeat.as_deref()?))
        .map(|ms| ((ms - at) as f64 / QUARTER as f64).round() as i64 * QUARTER)
        .filter(|gap| gap.abs() <= 14 * 3_600_000)
        .collect();
    gaps.sort_unstable();
    gaps.get(gaps.len() / 2).copied().unwrap_or(0)
}

/// A node's last heartbeat in unix ms, with the FE's zone offset taken off.
pub fn heartbeat_ms(n: &NodeInfo, zone_offset_ms: i64) -> Option<i64> {
    Some(naive_ms(n.last_heartbeat.as_deref()?)? - zone_offset_ms)
}

/// The series of a node's history, by key.
pub const SERIES_CPU: &str = "node_cpu";
pub const SERIES_MEMORY: &str = "node_mem";
pub const SERIES_HEAP: &str = "node_heap";
pub const SERIES_DISK: &str = "node_disk";
pub const SERIES_COMPACTION: &str = "node_compaction";

const fn percent(key: &'static str, series: &'static [&'static str]) -> ChartDef {
    ChartDef {
        key,
        unit: Unit::Percent,
        series,
        thresholds: &[],
        percent: true,
    }
}

// The keys are the overview's, so each chart keeps its title there; the
// series are the node's own.
pub const CHART_CPU: ChartDef = percent("cpu", &[SERIES_CPU]);
pub const CHART_MEMORY: ChartDef = percent("memory", &[SERIES_MEMORY]);
pub const CHART_HEAP: ChartDef = percent("jvm_heap", &[SERIES_HEAP]);
pub const CHART_DISK: ChartDef = ChartDef {
    thresholds: WARN_80_CRITICAL_90,
    ..percent("disk", &[SERIES_DISK])
};
pub const CHART_COMPACTION: ChartDef = ChartDef {
    key: "compaction",
    unit: Unit::Score,
    series: &[SERIES_COMPACTION],
    thresholds: COMPACTION_THRESHOLDS,
    percent: false,
};

/// The charts of a node of `kind`, in page order: an FE's memory is its
/// JVM heap, and only BEs keep tablets to compact.
pub fn charts(kind: &str) -> &'static [ChartDef] {
    match kind {
        "fe" => &[CHART_CPU, CHART_HEAP, CHART_DISK],
        "be" => &[CHART_CPU, CHART_MEMORY, CHART_DISK, CHART_COMPACTION],
        _ => &[CHART_CPU, CHART_MEMORY, CHART_DISK],
    }
}

/// Everything a node's page shows for one range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NodeView {
    pub cluster_id: i64,
    pub cluster_name: String,
    /// The node's key (`be-10001`), as in the page's URL.
    pub key: String,
    /// `fe`, `be` or `cn`.
    pub kind: String,
    /// The node as the newest node list shows it; `None` when it is no
    /// longer listed (removed from the cluster), though its history remains.
    pub node: Option<NodeInfo>,
    /// When that list was collected, unix ms.
    pub listed_at: Option<i64>,
    /// The FE's time zone offset its heartbeat times are written in, ms.
    pub zone_offset_ms: i64,
    pub window: Window,
    pub step_ms: i64,
    pub now: i64,
    /// `node_cpu`, `node_mem` (FE: `node_heap`), `node_disk` and, for a BE,
    /// `node_compaction`; a `None` value is a gap: not collected, the node
    /// dead, or the figure not reported.
    pub series: Vec<Series>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_url_safe_stable_and_distinct() {
        assert_eq!(node_key("be", "10001"), "be-10001");
        assert_eq!(
            node_key("fe", "10.0.0.1_9010_1700000000000"),
            "fe-10.0.0.1_9010_1700000000000"
        );
        assert_eq!(node_key("be", "[::1]:9050"), "be-~5B~3A~3A1~5D~3A9050");
        assert_ne!(node_key("fe", "a/b"), node_key("fe", "a_b"));
        let long_a = node_key("fe", &"x".repeat(500));
        let long_b = node_key("fe", &format!("{}y", "x".repeat(499)));
        assert!(long_a.len() <= 120 && long_b.len() <= 120);
        assert_ne!(long_a, long_b);
        for k in [&long_a, &node_key("fe", "é ?#%")] {
            assert!(k
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-~".contains(&b)));
        }
        assert_eq!(kind_of_key("cn-7"), Some("cn"));
        assert_eq!(kind_of_key("bed-7"), None);
    }

    #[test]
    fn nodes_are_named_by_host_and_port() {
        let mut n = NodeInfo::named("be", "10001", true);
        assert_eq!(label(&n), "10001");
        n.host = Some("10.0.0.7".into());
        n.port = Some(9050);
        assert_eq!(label(&n), "10.0.0.7:9050");
        n.host = Some("fd00::7".into());
        assert_eq!(address(&n).as_deref(), Some("[fd00::7]:9050"));
    }

    #[test]
    fn heartbeats_are_read_in_the_fe_zone() {
        let at = naive_ms("2026-03-01 10:00:00").expect("time");
        assert_eq!(at, 1_772_359_200_000);
        let beat = |alive: bool, t: &str| NodeInfo {
            last_heartbeat: Some(t.into()),
            ..NodeInfo::named("be", "1", alive)
        };
        // The FE writes UTC+8: alive nodes beat at 18:00 local, 3 s ago.
        let nodes = Nodes {
            collected_at: Some(at),
            frontends: vec![beat(true, "2026-03-01 17:59:57")],
            backends: vec![
                beat(true, "2026-03-01 17:59:58"),
                beat(false, "2026-02-28 23:00:00"),
            ],
            listed: None,
        };
        let offset = zone_offset_ms(&nodes);
        assert_eq!(offset, 8 * 3_600_000);
        assert_eq!(heartbeat_ms(&nodes.backends[0], offset), Some(at - 2_000));
        assert_eq!(
            heartbeat_ms(&nodes.backends[1], offset),
            Some(at - 19 * 3_600_000)
        );
        // No alive node to tell the zone by: UTC.
        let dead = Nodes {
            backends: vec![beat(false, "2026-03-01 17:59:58")],
            frontends: vec![],
            ..nodes
        };
        assert_eq!(zone_offset_ms(&dead), 0);
        assert_eq!(naive_ms("yesterday"), None);
        assert_eq!(naive_ms("2026-13-01 00:00:00"), None);
    }
}
