//! The health rules, in one place, with StarRocks' own guidance as thresholds.
//! Each rule reads snapshots only and says why in words; the overview shows the
//! cards and the alerts table stores the ones that fail.

use model::overview::{Health, HealthCard, HealthStatus, NodeInfo, Nodes};
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
        Some(age) if age < limit && latest.status != CollectStatus::Failed => card(
            key,
            title,
            HealthStatus::Healthy,
            Some((now - latest.collected_at) as f64 / 1000.0),
            "s",
            "The cluster answered the last collection.".into(),
            None,
        ),
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
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;
    const INTERVAL: i64 = 30_000;

    fn healthy() -> Snapshot {
        let mut s = Snapshot::empty(1, NOW - 1_000, CollectStatus::Ok);
        s.fe_total = Some(3);
        s.fe_alive = Some(3);
        s.be_total = Some(3);
        s.be_alive = Some(3);
        s.disk_max_pct = Some(50.0);
        s.compaction_score_max = Some(10.0);
        s.jvm_heap_used_bytes = Some(50);
        s.jvm_heap_max_bytes = Some(100);
        s.cpu_avg_pct = Some(30.0);
        s.error_rate = Some(0.0);
        s
    }

    fn status_of(s: &Snapshot, key: &str) -> HealthStatus {
        let recent = vec![s.clone()];
        let h = evaluate(&HealthInput {
            now: NOW,
            interval_ms: INTERVAL,
            latest: Some(s),
            last_ok: Some(s),
            recent_ok: &recent,
            nodes: None,
        });
        h.cards
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.status)
            .expect("card")
    }

    fn with(f: impl Fn(&mut Snapshot)) -> Snapshot {
        let mut s = healthy();
        f(&mut s);
        s
    }

    use HealthStatus::{Critical, Healthy, Unknown, Warning};

    #[test]
    fn every_threshold_on_both_sides() {
        let cases: Vec<(&str, Snapshot, HealthStatus)> = vec![
            ("disk", with(|s| s.disk_max_pct = Some(79.99)), Healthy),
            ("disk", with(|s| s.disk_max_pct = Some(80.0)), Warning),
            ("disk", with(|s| s.disk_max_pct = Some(89.99)), Warning),
            ("disk", with(|s| s.disk_max_pct = Some(90.0)), Critical),
            (
                "compaction",
                with(|s| s.compaction_score_max = Some(100.0)),
                Healthy,
            ),
            (
                "compaction",
                with(|s| s.compaction_score_max = Some(100.5)),
                Warning,
            ),
            (
                "compaction",
                with(|s| s.compaction_score_max = Some(800.0)),
                Warning,
            ),
            (
                "compaction",
                with(|s| s.compaction_score_max = Some(800.5)),
                Critical,
            ),
            (
                "jvm_heap",
                with(|s| {
                    s.jvm_heap_used_bytes = Some(7_999);
                    s.jvm_heap_max_bytes = Some(10_000);
                }),
                Healthy,
            ),
            (
                "jvm_heap",
                with(|s| s.jvm_heap_used_bytes = Some(80)),
                Warning,
            ),
            (
                "jvm_heap",
                with(|s| s.jvm_heap_used_bytes = Some(89)),
                Warning,
            ),
            (
                "jvm_heap",
                with(|s| s.jvm_heap_used_bytes = Some(90)),
                Critical,
            ),
            ("cpu", with(|s| s.cpu_avg_pct = Some(89.9)), Healthy),
            ("cpu", with(|s| s.cpu_avg_pct = Some(90.0)), Warning),
            ("error_rate", with(|s| s.error_rate = Some(0.05)), Healthy),
            ("error_rate", with(|s| s.error_rate = Some(0.0501)), Warning),
            ("nodes", with(|s| s.be_alive = Some(2)), Critical),
            ("nodes", with(|s| s.fe_alive = Some(2)), Critical),
            ("nodes", healthy(), Healthy),
            ("disk", with(|s| s.disk_max_pct = None), Unknown),
        ];
        for (key, snap, want) in cases {
            assert_eq!(status_of(&snap, key), want, "{key}: {snap:?}");
        }
    }

    #[test]
    fn three_missed_intervals_make_a_cluster_critical() {
        let ok = with(|s| s.collected_at = NOW - 3 * INTERVAL + 1);
        let mut failed = Snapshot::empty(1, NOW - 1_000, CollectStatus::Failed);
        failed.error_message = Some("cannot reach fe1:8030".into());
        let eval = |last_ok: &Snapshot| {
            evaluate(&HealthInput {
                now: NOW,
                interval_ms: INTERVAL,
                latest: Some(&failed),
                last_ok: Some(last_ok),
                recent_ok: &[],
                nodes: None,
            })
        };
        let h = eval(&ok);
        assert_eq!(h.cards[0].status, Warning);
        let stale = with(|s| s.collected_at = NOW - 3 * INTERVAL);
        let h = eval(&stale);
        assert_eq!(h.cards[0].status, Critical);
        assert!(
            h.cards[0].reason.contains("cannot reach fe1:8030"),
            "{}",
            h.cards[0].reason
        );
        assert_eq!(h.status, Critical);
    }

    #[test]
    fn status_is_the_worst_card_and_the_score_counts_them() {
        let s = healthy();
        let recent = vec![s.clone()];
        let h = evaluate(&input(&s, &recent));
        assert_eq!((h.status, h.score), (Healthy, 100));
        let bad = with(|s| {
            s.disk_max_pct = Some(85.0);
            s.be_alive = Some(2);
        });
        let recent = vec![bad.clone()];
        let h = evaluate(&input(&bad, &recent));
        assert_eq!((h.status, h.score), (Critical, 60));
        let never = evaluate(&HealthInput {
            now: NOW,
            interval_ms: INTERVAL,
            latest: None,
            last_ok: None,
            recent_ok: &[],
            nodes: None,
        });
        assert_eq!(never.status, Unknown);
    }

    fn node(kind: &str, name: &str, host: Option<&str>, alive: bool) -> NodeInfo {
        NodeInfo {
            host: host.map(str::to_string),
            ..NodeInfo::named(kind, name, alive)
        }
    }

    fn nodes_reason(s: &Snapshot, lists: Option<&Nodes>) -> (HealthStatus, String) {
        let recent = vec![s.clone()];
        let h = evaluate(&HealthInput {
            nodes: lists,
            ..input(s, &recent)
        });
        let c = h
            .cards
            .into_iter()
            .find(|c| c.key == "nodes")
            .expect("card");
        (c.status, c.reason)
    }

    #[test]
    fn the_nodes_card_names_the_dead_nodes() {
        let one_dead = with(|s| s.be_alive = Some(2));
        let lists = Nodes {
            collected_at: Some(one_dead.collected_at),
            frontends: vec![node("fe", "127.0.0.1_9010_1", Some("127.0.0.1"), true)],
            backends: vec![
                node("be", "127.0.0.1:9050", Some("127.0.0.1"), false),
                node("be", "10002", Some("10.0.0.2"), true),
                node("be", "10003", Some("10.0.0.3"), true),
            ],
        };
        assert_eq!(
            nodes_reason(&one_dead, Some(&lists)),
            (Critical, "1 of 3 BE/CN dead: 127.0.0.1:9050.".to_string())
        );
        // Without a node list the counts alone still tell it.
        assert_eq!(
            nodes_reason(&one_dead, None),
            (Critical, "1 of 3 BE/CN dead.".to_string())
        );
        // A list from another collection could name a node that is back: no names.
        let older = Nodes {
            collected_at: Some(one_dead.collected_at - INTERVAL),
            ..lists.clone()
        };
        assert_eq!(
            nodes_reason(&one_dead, Some(&older)).1,
            "1 of 3 BE/CN dead."
        );

        // A BE's name is its id: the host comes first. Three names, then a count;
        // dead FEs and BEs each under their own count.
        let many = with(|s| {
            s.fe_total = Some(2);
            s.fe_alive = Some(1);
            s.be_total = Some(6);
            s.be_alive = Some(1);
        });
        let lists = Nodes {
            collected_at: Some(many.collected_at),
            frontends: vec![
                node("fe", "fe-a", None, true),
                node("fe", "fe-b", Some(""), false),
            ],
            backends: (1..=6)
                .map(|i| {
                    node(
                        "be",
                        &format!("1000{i}"),
                        Some(&format!("10.0.0.{i}")),
                        i == 6,
                    )
                })
                .collect(),
        };
        assert_eq!(
            nodes_reason(&many, Some(&lists)).1,
            "1 of 2 FE dead: fe-b; 5 of 6 BE/CN dead: 10.0.0.1 (10001), 10.0.0.2 (10002), \
             10.0.0.3 (10003) and 2 more."
        );
        assert_eq!(
            nodes_reason(&healthy(), Some(&lists)),
            (Healthy, "All 3 FE and 3 BE/CN alive.".to_string())
        );
    }

    fn input<'a>(s: &'a Snapshot, recent: &'a [Snapshot]) -> HealthInput<'a> {
        HealthInput {
            now: NOW,
            interval_ms: INTERVAL,
            latest: Some(s),
            last_ok: Some(s),
            recent_ok: recent,
            nodes: None,
        }
    }
}
