//! The health rules, in one place, with StarRocks' own guidance as thresholds.
//! Each rule reads snapshots only and says why in words; the overview shows the
//! cards and the alerts table stores the ones that fail.

use i18n::{Msg, MsgKey as K};
use model::operations::OpsSnapshot;
use model::overview::{Health, HealthCard, HealthStatus, NodeInfo, Nodes};
use model::reach::Reach;
use model::snapshot::{CollectStatus, Snapshot};
use model::thresholds::Thresholds;
use serde::{Deserialize, Serialize};

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
    /// The newest operations figures (issue 15): tablets, routine loads,
    /// transactions, metadata, rowsets.
    pub ops: Option<&'a OpsSnapshot>,
    /// The routine load jobs as last read: they name the paused ones.
    pub routine_loads: &'a [model::operations::RoutineLoadJob],
    /// The thresholds in force for this cluster ([`default_limits`] unless changed).
    pub limits: &'a Thresholds,
}

/// StarRocks' default thresholds for every rule.
pub fn default_limits() -> &'static Thresholds {
    static DEFAULTS: std::sync::OnceLock<Thresholds> = std::sync::OnceLock::new();
    DEFAULTS.get_or_init(|| Thresholds::defaults(None))
}

/// A rule's warning and critical thresholds in force; a level the rule does
/// not have is never reached.
fn levels(t: &Thresholds, rule: &str) -> (f64, f64) {
    let (w, c) = t.of(rule);
    (w.unwrap_or(f64::INFINITY), c.unwrap_or(f64::INFINITY))
}

/// `m` with the rule's thresholds as `{warning}` and `{critical}`.
fn with_levels(m: Msg, t: &Thresholds, rule: &str) -> Msg {
    let (w, c) = t.of(rule);
    let text = |v: Option<f64>| v.map(model::format::threshold).unwrap_or_default();
    m.arg("warning", text(w)).arg("critical", text(c))
}

/// A rule's words as messages: what an alert stores, so that each reader
/// reads it in their own language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Said {
    pub title: Msg,
    pub reason: Msg,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Msg>,
}

impl Said {
    /// The words an alert row keeps in `alerts.said`, when it has them and
    /// they read as this build's messages.
    pub fn stored(json: Option<&str>) -> Option<Said> {
        serde_json::from_str(json?).ok()
    }
}

/// One rule's verdict: the card's figures and its words as messages.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub key: &'static str,
    pub status: HealthStatus,
    pub value: Option<f64>,
    pub unit: &'static str,
    pub said: Said,
}

impl Verdict {
    /// The card, in the language of the request being served.
    pub fn card(&self) -> HealthCard {
        HealthCard {
            key: self.key.into(),
            title: self.said.title.text(),
            status: self.status,
            value: self.value,
            unit: self.unit.into(),
            reason: self.said.reason.text(),
            action: self.said.action.as_ref().map(Msg::text),
            quoted: self.said.reason.quoted(),
        }
    }
}

/// Each rule's key, title and unit.
/// Every rule's key and title in the language being served, for choosing one.
pub fn rule_titles() -> Vec<(&'static str, String)> {
    RULES
        .iter()
        .map(|(key, title, _)| (*key, i18n::Msg::from(*title).text()))
        .collect()
}

const RULES: [(&str, K, &str); 14] = [
    ("collection", K::TitleCollection, "s"),
    ("nodes", K::TitleNodes, "dead"),
    ("disk", K::TitleDisk, "%"),
    ("compaction", K::TitleCompaction, "score"),
    ("jvm_heap", K::TitleJvmHeap, "%"),
    ("cpu", K::TitleCpu, "%"),
    ("error_rate", K::TitleErrorRate, "%"),
    ("safe_mode", K::TitleSafeMode, ""),
    ("tablets", K::TitleTablets, "unhealthy"),
    ("routine_load", K::TitleRoutineLoad, "paused"),
    ("transactions", K::TitleTransactions, "running"),
    ("txn_failed", K::TitleTxnFailed, "%"),
    ("metadata", K::TitleMetadata, "entries"),
    ("rowsets", K::TitleRowsets, "rowsets"),
];

fn verdict(
    key: &'static str,
    status: HealthStatus,
    value: Option<f64>,
    reason: Msg,
    action: Option<Msg>,
) -> Verdict {
    let (title, unit) = RULES
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or((K::TitleCollection, ""), |(_, t, u)| (*t, *u));
    Verdict {
        key,
        status,
        value,
        unit,
        said: Said {
            title: title.into(),
            reason,
            action,
        },
    }
}

/// A card for a figure against its warning and critical thresholds; the action
/// is offered only when the figure is not healthy.
struct Rated {
    key: &'static str,
    value: f64,
    warning: f64,
    critical: f64,
    /// `>` instead of `>=` at the thresholds.
    strictly_above: bool,
    reason: Msg,
    action: K,
}

fn rated(r: Rated) -> Verdict {
    let status = threshold(r.value, r.warning, r.critical, r.strictly_above);
    verdict(
        r.key,
        status,
        Some(r.value),
        r.reason,
        (status != HealthStatus::Healthy).then(|| r.action.into()),
    )
}

fn unknown(key: &'static str, why: K) -> Verdict {
    verdict(key, HealthStatus::Unknown, None, why.into(), None)
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
    collection(now, interval_ms, latest, last_ok).card()
}

fn collection(
    now: i64,
    interval_ms: i64,
    latest: Option<&Snapshot>,
    last_ok: Option<&Snapshot>,
) -> Verdict {
    let key = "collection";
    let Some(latest) = latest else {
        return unknown(key, K::CollectionNotYet);
    };
    let since_ok = last_ok.map(|s| now - s.collected_at);
    let limit = MISSED_INTERVALS_CRITICAL * interval_ms;
    let error = match &latest.error_message {
        Some(e) => Msg::new(K::Quoted).arg("text", e),
        None => K::NoAnswer.into(),
    };
    match since_ok {
        Some(age) if age < limit && latest.status != CollectStatus::Failed => reached(now, latest),
        Some(age) if age < limit => verdict(
            key,
            HealthStatus::Warning,
            Some(age as f64 / 1000.0),
            Msg::new(K::CollectionFailedOnce).part("error", error),
            Some(K::CollectionFailedOnceAction.into()),
        ),
        _ => verdict(
            key,
            HealthStatus::Critical,
            since_ok.map(|a| a as f64 / 1000.0),
            match since_ok {
                Some(a) => Msg::new(K::CollectionDown)
                    .arg("seconds", a / 1000)
                    .arg("intervals", a / interval_ms.max(1))
                    .part("error", error),
                None => Msg::new(K::CollectionNever).part("error", error),
            },
            Some(K::CollectionDownAction.into()),
        ),
    }
}

/// The collection card of a collection that answered: healthy, unless no FE
/// (or no BE) metrics could be read at all, which leaves the query figures
/// (or compaction and node figures) empty although the cluster answered.
fn reached(now: i64, latest: &Snapshot) -> Verdict {
    let age = Some((now - latest.collected_at) as f64 / 1000.0);
    let reach = latest.reach.as_ref();
    let summary = reach.and_then(Reach::summary_msg);
    let no_fe = reach.is_some_and(Reach::no_fe_metrics);
    let no_be = reach.is_some_and(Reach::no_be_metrics);
    let with_summary = |m: Msg| match &summary {
        Some(s) => Msg::new(K::TwoSentences)
            .part("first", m)
            .part("second", s.clone()),
        None => m,
    };
    let missing = match (no_fe, no_be) {
        (false, false) => {
            return verdict(
                "collection",
                HealthStatus::Healthy,
                age,
                with_summary(K::CollectionOk.into()),
                None,
            )
        }
        (true, false) => K::MissingFeFigures,
        (false, true) => K::MissingBeFigures,
        (true, true) => K::MissingFeAndBeFigures,
    };
    verdict(
        "collection",
        HealthStatus::Warning,
        age,
        with_summary(missing.into()),
        Some(K::MissingFiguresAction.into()),
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

/// "a, b, c and 2 more": the dead nodes of a list, or `None` when the list
/// names none.
fn dead_names(list: &[NodeInfo]) -> Option<Msg> {
    let dead: Vec<String> = list.iter().filter(|n| !n.alive).map(node_label).collect();
    if dead.is_empty() {
        return None;
    }
    let shown = dead[..dead.len().min(MAX_NAMED_NODES)].join(", ");
    Some(match dead.len().saturating_sub(MAX_NAMED_NODES) {
        0 => Msg::new(K::Quoted).arg("text", shown),
        more => Msg::new(K::DeadNamesMore)
            .arg("names", shown)
            .arg("more", more),
    })
}

/// "1 of 3 FE dead: a": the count, and the names when the lists give them.
fn dead_of(dead: i64, total: i64, names: Option<Msg>, plain: K, named: K) -> Msg {
    let m = match names {
        Some(n) => Msg::new(named).part("names", n),
        None => Msg::new(plain),
    };
    m.arg("dead", dead).arg("total", total)
}

fn nodes(s: &Snapshot, lists: Option<&Nodes>) -> Verdict {
    let key = "nodes";
    let (Some(fa), Some(ft)) = (s.fe_alive, s.fe_total) else {
        return unknown(key, K::NodesNotRead);
    };
    let (ba, bt) = (s.be_alive.unwrap_or(0), s.be_total.unwrap_or(0));
    let dead = (ft - fa) + (bt - ba);
    // Names only from the lists of the collection that gave the counts.
    let lists = lists.filter(|n| n.collected_at.is_none_or(|at| at == s.collected_at));
    if dead > 0 {
        let fe = (ft > fa).then(|| {
            let names = lists.and_then(|n| dead_names(&n.frontends));
            dead_of(ft - fa, ft, names, K::FeDead, K::FeDeadNamed)
        });
        let be = (bt > ba).then(|| {
            let names = lists.and_then(|n| dead_names(&n.backends));
            dead_of(bt - ba, bt, names, K::BeDead, K::BeDeadNamed)
        });
        let reason = match (fe, be) {
            (Some(fe), Some(be)) => Msg::new(K::FeAndBeDead).part("fe", fe).part("be", be),
            (Some(one), None) | (None, Some(one)) => Msg::new(K::Sentence).part("text", one),
            // dead > 0 means one of the two counts is short.
            (None, None) => Msg::new(K::NodesNotRead),
        };
        return verdict(
            key,
            HealthStatus::Critical,
            Some(dead as f64),
            reason,
            Some(K::NodesDeadAction.into()),
        );
    }
    verdict(
        key,
        HealthStatus::Healthy,
        Some(0.0),
        Msg::new(K::NodesAllAlive).arg("fe", ft).arg("be", bt),
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

fn disk(s: &Snapshot, t: &Thresholds) -> Verdict {
    let key = "disk";
    let Some(pct) = s.disk_max_pct.or_else(|| s.disk_used_pct()) else {
        return unknown(key, K::DiskNotReported);
    };
    let (warning, critical) = levels(t, key);
    rated(Rated {
        key,
        value: pct,
        warning,
        critical,
        strictly_above: false,
        reason: with_levels(
            Msg::new(K::DiskReason).arg("pct", format!("{pct:.1}")),
            t,
            key,
        ),
        action: K::DiskAction,
    })
}

fn compaction(s: &Snapshot, t: &Thresholds) -> Verdict {
    let key = "compaction";
    let Some(score) = s.compaction_score_max else {
        return unknown(key, K::CompactionNotReported);
    };
    let (warning, critical) = levels(t, key);
    rated(Rated {
        key,
        value: score,
        warning,
        critical,
        strictly_above: true,
        reason: with_levels(
            Msg::new(K::CompactionReason).arg("score", format!("{score:.0}")),
            t,
            key,
        ),
        action: K::CompactionAction,
    })
}

fn heap(s: &Snapshot, t: &Thresholds) -> Verdict {
    let key = "jvm_heap";
    let (Some(used), Some(max)) = (s.jvm_heap_used_bytes, s.jvm_heap_max_bytes) else {
        return unknown(key, K::HeapNotReported);
    };
    if max <= 0 {
        return unknown(key, K::HeapNoLimit);
    }
    let pct = used as f64 * 100.0 / max as f64;
    let (warning, critical) = levels(t, key);
    rated(Rated {
        key,
        value: pct,
        warning,
        critical,
        strictly_above: false,
        reason: with_levels(
            Msg::new(K::HeapReason).arg("pct", format!("{pct:.1}")),
            t,
            key,
        ),
        action: K::HeapAction,
    })
}

fn cpu(i: &HealthInput) -> Verdict {
    let key = "cpu";
    let values: Vec<f64> = i
        .recent_ok
        .iter()
        .filter(|s| s.collected_at > i.now - CPU_WINDOW_MS)
        .filter_map(|s| s.cpu_avg_pct)
        .collect();
    if values.is_empty() {
        return unknown(key, K::CpuNoReading);
    }
    let avg = values.iter().sum::<f64>() / values.len() as f64;
    let (warning, critical) = levels(i.limits, key);
    rated(Rated {
        key,
        value: avg,
        warning,
        critical,
        strictly_above: false,
        reason: with_levels(
            Msg::new(K::CpuReason).arg("pct", format!("{avg:.1}")),
            i.limits,
            key,
        ),
        action: K::CpuAction,
    })
}

fn error_rate(s: &Snapshot, t: &Thresholds) -> Verdict {
    let key = "error_rate";
    let Some(rate) = s.error_rate else {
        return unknown(key, K::ErrorRateNoRate);
    };
    let pct = rate * 100.0;
    // The thresholds are in percent; the rate is a share.
    let (warning, critical) = levels(t, key);
    let mut v = rated(Rated {
        key,
        value: rate,
        warning: warning / 100.0,
        critical: critical / 100.0,
        strictly_above: true,
        reason: with_levels(
            Msg::new(K::ErrorRateReason).arg("pct", format!("{pct:.2}")),
            t,
            key,
        ),
        action: K::ErrorRateAction,
    });
    // Rated as a share, shown in percent.
    v.value = Some(pct);
    v
}

/// Every rule's verdict, the collection rule first.
pub fn verdicts(i: &HealthInput) -> Vec<Verdict> {
    let mut all = vec![collection(i.now, i.interval_ms, i.latest, i.last_ok)];
    match i.last_ok {
        Some(s) => {
            all.push(nodes(s, i.nodes));
            all.push(disk(s, i.limits));
            all.push(compaction(s, i.limits));
            all.push(heap(s, i.limits));
            all.push(cpu(i));
            all.push(error_rate(s, i.limits));
            all.extend(operations::verdicts(i));
        }
        None => {
            for (key, _, _) in &RULES[1..] {
                all.push(unknown(key, K::NoSuccessYet));
            }
        }
    }
    all
}

/// Every rule's card, the overall status and the score.
pub fn evaluate(i: &HealthInput) -> Health {
    summarize(&verdicts(i))
}

/// The cards of the verdicts (in the language being served), the overall
/// status and the score.
pub fn summarize(verdicts: &[Verdict]) -> Health {
    let cards: Vec<HealthCard> = verdicts.iter().map(Verdict::card).collect();
    // Unknown cards (a figure this cluster does not report) do not hide the others;
    // a cluster never collected is unknown as a whole.
    let status = if cards
        .first()
        .is_none_or(|c| c.status == HealthStatus::Unknown)
    {
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

pub mod operations;

#[cfg(test)]
mod tests;
