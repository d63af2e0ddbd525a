//! The health rules, in one place, with StarRocks' own guidance as thresholds.
//! Each rule reads snapshots only and says why in words; the overview shows the
//! cards and the alerts table stores the ones that fail.

use model::overview::{Health, HealthCard, HealthStatus, NodeInfo, Nodes};
use model::reach::Reach;
use model::snapshot::{CollectStatus, Snapshot};

pub const DISK_WARNING_PCT: f64 = 80.0;
pub const DISK_CRITICAL_PCT: f64 = 90.0;
/// Loads start failing near a compaction score of 1000.
pub const COMPACTION_WARNING: f64 = 100.0;
pub const COMPACTION_CRITICAL: f64 = 800.0;
pub const HEAP_WARNING_PCT: f64 = 80.0;
pub const HEAP_CRITICAL_PCT: f64 = 90.0;
pub const CPU_WARNING_PCT: f64 = 90.0;
pub const CPU_WINDOW_MS: i64 = 5 * 60_000;
/// As a share, 0 to 1.
pub const ERROR_RATE_WARNING: f64 = 0.05;
/// Collections in a row without success before a cluster is critical.
pub const MISSED_INTERVALS_CRITICAL: i64 = 3;

/// What the rules look at.
pub struct HealthInput<'a> {
    pub now: i64,
    pub interval_ms: i64,
    /// The newest row, failed or not.
    pub latest: Option<&'a Snapshot>,
    /// The newest row that is not failed.
    pub last_ok: Option<&'a Snapshot>,
    /// Rows that are not failed from the last 5 minutes (CPU rule).
    pub recent_ok: &'a [Snapshot],
    /// The node lists of the newest collection that read them: they name the
    /// dead nodes the counts of `last_ok` report.
    pub nodes: Option<&'a Nodes>,
}

fn card(
    key: &str,
    title: &str,
    status: HealthStatus,
    value: Option<f64>,
    unit: &str,
    reason: String,
    action: Option<&str>,
) -> HealthCard {
    HealthCard {
        key: key.into(),
        title: title.into(),
        status,
        value,
        unit: unit.into(),
        reason,
        action: action.map(str::to_string),
    }
}

/// A card for a figure against its warning and critical thresholds; the action
/// is offered only when the figure is not healthy.
struct Rated<'a> {
    key: &'a str,
    title: &'a str,
    unit: &'a str,
    value: f64,
    warning: f64,
    critical: f64,
    /// `>` instead of `>=` at the thresholds.
    strictly_above: bool,
    reason: String,
    action: &'a str,
}

fn rated(r: Rated) -> HealthCard {
    let status = threshold(r.value, r.warning, r.critical, r.strictly_above);
    card(
        r.key,
        r.title,
        status,
        Some(r.value),
        r.unit,
        r.reason,
        (status != HealthStatus::Healthy).then_some(r.action),
    )
}

fn unknown(key: &str, title: &str, unit: &str, why: &str) -> HealthCard {
    card(
        key,
        title,
        HealthStatus::Unknown,
        None,
        unit,
        why.into(),
        None,
    )
}

/// The collection rule: how the cluster answered the collector lately, from
/// its newest row and its newest row that is not failed. The fleet page's
/// status starts from the same card, so both pages say the same of the same rows.
pub fn collection_card(
    now: i64,
    interval_ms: i64,
    latest: Option<&Snapshot>,
    last_ok: Option<&Snapshot>,
) -> HealthCard {
    let (key, title) = ("collection", "Collection");
    let Some(latest) = latest else {
        return unknown(
            key,
            title,
            "s",
            "Not collected yet: data appears within one interval.",
        );
    };
    let since_ok = last_ok.map(|s| now - s.collected_at);
    let limit = MISSED_INTERVALS_CRITICAL * interval_ms;
    let error = latest
        .error_message
        .clone()
        .unwrap_or_else(|| "no answer".into());
    match since_ok {
        Some(age) if age < limit && latest.status != CollectStatus::Failed => {
            reached_card(now, latest)
        }
        Some(age) if age < limit => card(
            key,
            title,
            HealthStatus::Warning,
            Some(age as f64 / 1000.0),
            "s",
            format!("The last collection failed: {error}"),
            Some("Check that the FE is up and reachable from the console; it turns critical after 3 failed intervals."),
        ),
        _ => card(
            key,
            title,
            HealthStatus::Critical,
            since_ok.map(|a| a as f64 / 1000.0),
            "s",
            match since_ok {
                Some(a) => format!(
                    "No successful collection for {} s ({} intervals): {error}",
                    a / 1000,
                    a / interval_ms.max(1)
                ),
                None => format!("No collection has succeeded yet: {error}"),
            },
            Some("The cluster is unreachable: check the FE process, the network path and the credentials."),
        ),
    }
}

/// The collection card of a collection that answered: healthy, unless no FE
/// (or no BE) metrics could be read at all, which leaves the query figures
/// (or compaction and node figures) empty although the cluster answered.
fn reached_card(now: i64, latest: &Snapshot) -> HealthCard {
    let age = Some((now - latest.collected_at) as f64 / 1000.0);
    let reach = latest.reach.as_ref();
    let summary = reach.and_then(Reach::summary);
    let mut missing = Vec::new();
    if reach.is_some_and(Reach::no_fe_metrics) {
        missing.push(
            "QPS, latency, error rate, connections, transactions and JVM heap (no FE metrics)",
        );
    }
    if reach.is_some_and(Reach::no_be_metrics) {
        missing.push("compaction score and node memory (no BE metrics)");
    }
    if missing.is_empty() {
        let reason = match summary {
            Some(s) => format!("The cluster answered the last collection. {s}"),
            None => "The cluster answered the last collection.".into(),
        };
        return card(
            "collection",
            "Collection",
            HealthStatus::Healthy,
            age,
            "s",
            reason,
            None,
        );
    }
    card(
        "collection",
        "Collection",
        HealthStatus::Warning,
        age,
        "s",
        format!(
            "The cluster answered, but {} are missing. {}",
            missing.join(", and "),
            summary.unwrap_or_default()
        )
        .trim_end()
        .to_string(),
        Some("Open the FE HTTP port (8030) and the BE HTTP port (8040) from the console to the nodes, or register the FEs' reachable addresses, and let the console's user read information_schema.fe_metrics and be_metrics (SYSTEM OPERATE)."),
    )
}

/// Dead nodes named at most this many at a time; the rest are counted.
const MAX_NAMED_NODES: usize = 3;

/// How a node is named in a reason: its name, with its host when the name
/// does not already say it (a BE's name is its id).
fn node_label(n: &NodeInfo) -> String {
    match n.host.as_deref().filter(|h| !h.is_empty()) {
        Some(host) if !n.name.contains(host) => format!("{host} ({})", n.name),
        _ => n.name.clone(),
    }
}

/// `": a, b, c and 2 more"` for the dead nodes of a list, or nothing when the
/// list names none.
fn dead_names(list: &[NodeInfo]) -> String {
    let dead: Vec<String> = list.iter().filter(|n| !n.alive).map(node_label).collect();
    if dead.is_empty() {
        return String::new();
    }
    let shown = dead[..dead.len().min(MAX_NAMED_NODES)].join(", ");
    match dead.len().saturating_sub(MAX_NAMED_NODES) {
        0 => format!(": {shown}"),
        more => format!(": {shown} and {more} more"),
    }
}

fn nodes(s: &Snapshot, lists: Option<&Nodes>) -> HealthCard {
    let (key, title) = ("nodes", "Nodes");
    let (Some(fa), Some(ft)) = (s.fe_alive, s.fe_total) else {
        return unknown(key, title, "nodes", "The node lists were not read.");
    };
    let (ba, bt) = (s.be_alive.unwrap_or(0), s.be_total.unwrap_or(0));
    let dead = (ft - fa) + (bt - ba);
    // Names only from the lists of the collection that gave the counts.
    let lists = lists.filter(|n| n.collected_at.is_none_or(|at| at == s.collected_at));
    if dead > 0 {
        let mut parts = Vec::new();
        if ft > fa {
            let names = lists.map(|n| dead_names(&n.frontends)).unwrap_or_default();
            parts.push(format!("{} of {ft} FE dead{names}", ft - fa));
        }
        if bt > ba {
            let names = lists.map(|n| dead_names(&n.backends)).unwrap_or_default();
            parts.push(format!("{} of {bt} BE/CN dead{names}", bt - ba));
        }
        return card(
            key,
            title,
            HealthStatus::Critical,
            Some(dead as f64),
            "dead",
            format!("{}.", parts.join("; ")),
            Some("Look at the dead node's log (fe.log / be.INFO) and restart it; data on a dead BE has fewer replicas until it is back."),
        );
    }
    card(
        key,
        title,
        HealthStatus::Healthy,
        Some(0.0),
        "dead",
        format!("All {ft} FE and {bt} BE/CN alive."),
        None,
    )
}

fn threshold(value: f64, warning: f64, critical: f64, strictly_above: bool) -> HealthStatus {
    let over = |limit: f64| {
        if strictly_above {
            value > limit
        } else {
            value >= limit
        }
    };
    if over(critical) {
        HealthStatus::Critical
    } else if over(warning) {
        HealthStatus::Warning
    } else {
        HealthStatus::Healthy
    }
}

fn disk(s: &Snapshot) -> HealthCard {
    let (key, title) = ("disk", "Disk");
    let Some(pct) = s.disk_max_pct.or_else(|| s.disk_used_pct()) else {
        return unknown(
            key,
            title,
            "%",
            "Not reported: shared-data clusters keep data in object storage and report no disk use.",
        );
    };
    rated(Rated {
        key,
        title,
        unit: "%",
        value: pct,
        warning: DISK_WARNING_PCT,
        critical: DISK_CRITICAL_PCT,
        strictly_above: false,
        reason: format!("The fullest BE disk is {pct:.1} % used (warning at 80 %, critical at 90 %)."),
        action: "Add disks or BEs, drop or expire old partitions; at 95 % StarRocks refuses loads to that disk.",
    })
}

fn compaction(s: &Snapshot) -> HealthCard {
    let (key, title) = ("compaction", "Compaction");
    let Some(score) = s.compaction_score_max else {
        return unknown(key, title, "score", "No compaction score was reported.");
    };
    rated(Rated {
        key,
        title,
        unit: "score",
        value: score,
        warning: COMPACTION_WARNING,
        critical: COMPACTION_CRITICAL,
        strictly_above: true,
        reason: format!("Max tablet compaction score {score:.0} (warning above 100, critical above 800; loads fail near 1000)."),
        action: "Loads arrive faster than compaction merges them: batch small loads, or raise compaction threads on the BEs.",
    })
}

fn heap(s: &Snapshot) -> HealthCard {
    let (key, title) = ("jvm_heap", "FE JVM heap");
    let (Some(used), Some(max)) = (s.jvm_heap_used_bytes, s.jvm_heap_max_bytes) else {
        return unknown(key, title, "%", "The FE did not report its heap.");
    };
    if max <= 0 {
        return unknown(key, title, "%", "The FE reported no heap limit.");
    }
    let pct = used as f64 * 100.0 / max as f64;
    rated(Rated {
        key,
        title,
        unit: "%",
        value: pct,
        warning: HEAP_WARNING_PCT,
        critical: HEAP_CRITICAL_PCT,
        strictly_above: false,
        reason: format!("The fullest FE heap is {pct:.1} % used (warning at 80 %, critical at 90 %)."),
        action: "Raise -Xmx in fe.conf (JAVA_OPTS), or reduce metadata: many small partitions and tablets cost FE memory.",
    })
}

fn cpu(i: &HealthInput) -> HealthCard {
    let (key, title) = ("cpu", "CPU");
    let values: Vec<f64> = i
        .recent_ok
        .iter()
        .filter(|s| s.collected_at > i.now - CPU_WINDOW_MS)
        .filter_map(|s| s.cpu_avg_pct)
        .collect();
    if values.is_empty() {
        return unknown(key, title, "%", "No CPU reading in the last 5 minutes.");
    }
    let avg = values.iter().sum::<f64>() / values.len() as f64;
    rated(Rated {
        key,
        title,
        unit: "%",
        value: avg,
        warning: CPU_WARNING_PCT,
        critical: f64::INFINITY,
        strictly_above: false,
        reason: format!("Average BE CPU over the last 5 minutes is {avg:.1} % (warning at 90 %)."),
        action: "Find the heavy queries (SHOW PROC '/current_queries'), use resource groups, or add BEs.",
    })
}

fn error_rate(s: &Snapshot) -> HealthCard {
    let (key, title) = ("error_rate", "Query errors");
    let Some(rate) = s.error_rate else {
        return unknown(
            key,
            title,
            "%",
            "No query rate yet (it needs two collections).",
        );
    };
    let pct = rate * 100.0;
    let mut c = rated(Rated {
        key,
        title,
        unit: "%",
        value: rate,
        warning: ERROR_RATE_WARNING,
        critical: f64::INFINITY,
        strictly_above: true,
        reason: format!(
            "{pct:.2} % of the queries in the last interval failed (warning above 5 %)."
        ),
        action:
            "Look at fe.audit.log for the failing statements (state ERR) and their error codes.",
    });
    // Rated as a share, shown in percent.
    c.value = Some(pct);
    c
}

/// Every rule's card, the overall status and the score.
pub fn evaluate(i: &HealthInput) -> Health {
    let mut cards = vec![collection_card(i.now, i.interval_ms, i.latest, i.last_ok)];
    match i.last_ok {
        Some(s) => {
            cards.push(nodes(s, i.nodes));
            cards.push(disk(s));
            cards.push(compaction(s));
            cards.push(heap(s));
            cards.push(cpu(i));
            cards.push(error_rate(s));
        }
        None => {
            for (key, title, unit) in [
                ("nodes", "Nodes", "nodes"),
                ("disk", "Disk", "%"),
                ("compaction", "Compaction", "score"),
                ("jvm_heap", "FE JVM heap", "%"),
                ("cpu", "CPU", "%"),
                ("error_rate", "Query errors", "%"),
            ] {
                cards.push(unknown(key, title, unit, "No successful collection yet."));
            }
        }
    }
    // Unknown cards (a figure this cluster does not report) do not hide the others;
    // a cluster never collected is unknown as a whole.
    let status = if cards[0].status == HealthStatus::Unknown {
        HealthStatus::Unknown
    } else {
        cards
            .iter()
            .map(|c| c.status)
            .filter(|s| *s != HealthStatus::Unknown)
            .max()
            .unwrap_or(HealthStatus::Unknown)
    };
    let penalty: u32 = cards
        .iter()
        .map(|c| match c.status {
            HealthStatus::Warning => 10,
            HealthStatus::Critical => 30,
            _ => 0,
        })
        .sum();
    Health {
        status,
        score: 100u32.saturating_sub(penalty) as u8,
        cards,
    }
}

#[cfg(test)]
mod tests;
