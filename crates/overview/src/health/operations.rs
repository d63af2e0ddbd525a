//! The operations rules (issue 15), on StarRocks' documented alert rules:
//! unhealthy tablets, paused routine loads, running transactions per
//! database, failed transactions, the metadata journal, rowsets per tablet and
//! safe mode. A figure the cluster did not report makes its card unknown,
//! with the reason, never healthy.

use super::{levels, rated, unknown, verdict, with_levels, HealthInput, Rated, Verdict};
use i18n::{Msg, MsgKey as K};
use model::operations::{OpsSnapshot, RoutineLoadJob};
use model::overview::HealthStatus;
use model::thresholds::Thresholds;

/// Unhealthy tablets are critical after this long (or with any tablet in
/// error state).
pub const TABLETS_CRITICAL_AFTER_MS: i64 = 30 * 60_000;
/// `sum by (db) (txn_running) > 900`.
pub const TXN_RUNNING_WARNING: f64 = 900.0;
/// `rate(txn_failed[5m]) * 100 > 5`, as a share of the finished transactions.
pub const TXN_FAILED_PCT_WARNING: f64 = 5.0;
pub const TXN_FAILED_WINDOW_MS: i64 = 5 * 60_000;
/// `meta_log_count > 100000`: checkpoints are not happening.
pub const META_LOG_WARNING: f64 = 100_000.0;
/// `max_tablet_rowset_num > 700`.
pub const ROWSETS_WARNING: f64 = 700.0;

/// The operations rules' keys.
pub const RULES: [&str; 7] = [
    "safe_mode",
    "tablets",
    "routine_load",
    "transactions",
    "txn_failed",
    "metadata",
    "rowsets",
];

pub(super) fn verdicts(i: &HealthInput) -> Vec<Verdict> {
    let ops = i.ops;
    vec![
        safe_mode(ops),
        tablets(i.now, ops),
        routine_load(ops, i.routine_loads),
        transactions(ops, i.limits),
        txn_failed(i),
        metadata(ops, i.limits),
        rowsets(ops, i.limits),
    ]
}

fn safe_mode(ops: Option<&OpsSnapshot>) -> Verdict {
    let key = "safe_mode";
    match ops.and_then(|o| o.safe_mode) {
        None => unknown(key, K::SafeModeNotReported),
        Some(true) => verdict(
            key,
            HealthStatus::Critical,
            Some(1.0),
            K::SafeModeOn.into(),
            Some(K::SafeModeAction.into()),
        ),
        Some(false) => verdict(
            key,
            HealthStatus::Healthy,
            Some(0.0),
            K::SafeModeOff.into(),
            None,
        ),
    }
}

fn tablets(now: i64, ops: Option<&OpsSnapshot>) -> Verdict {
    let key = "tablets";
    let Some((o, unhealthy)) = ops.and_then(|o| Some((o, o.tablets_unhealthy?))) else {
        return unknown(key, K::TabletsNotReported);
    };
    if unhealthy <= 0 {
        return verdict(
            key,
            HealthStatus::Healthy,
            Some(0.0),
            Msg::new(K::TabletsHealthy).arg("tablets", o.tablets.unwrap_or(0)),
            None,
        );
    }
    let error = o.tablets_error_state.unwrap_or(0);
    let lasted = o
        .tablets_unhealthy_since
        .map_or(0, |since| (now - since).max(0));
    let status = if error > 0 || lasted > TABLETS_CRITICAL_AFTER_MS {
        HealthStatus::Critical
    } else {
        HealthStatus::Warning
    };
    verdict(
        key,
        status,
        Some(unhealthy as f64),
        Msg::new(K::TabletsUnhealthy)
            .arg("unhealthy", unhealthy)
            .arg("cloning", o.tablets_cloning.unwrap_or(0))
            .arg("error", error)
            .arg("minutes", lasted / 60_000),
        Some(K::TabletsAction.into()),
    )
}

/// Paused jobs named in the routine load card, at most.
const MAX_NAMED_JOBS: usize = 3;

fn routine_load(ops: Option<&OpsSnapshot>, jobs: &[RoutineLoadJob]) -> Verdict {
    let key = "routine_load";
    let Some((o, paused)) = ops.and_then(|o| Some((o, o.routine_loads_paused?))) else {
        return unknown(key, K::RoutineLoadNotReported);
    };
    let running = o.routine_loads_running.unwrap_or(0);
    let named: Vec<&RoutineLoadJob> = jobs.iter().filter(|j| j.paused()).collect();
    let reason = if paused > 0 && !named.is_empty() {
        // The list is read every few minutes: it names what it has seen
        // paused, with the first reason StarRocks gave.
        let mut names: Vec<String> = named
            .iter()
            .take(MAX_NAMED_JOBS)
            .map(|j| format!("{}.{}", j.database, j.name))
            .collect();
        if named.len() > MAX_NAMED_JOBS {
            names.push(format!("+{}", named.len() - MAX_NAMED_JOBS));
        }
        let why = named
            .iter()
            .find_map(|j| j.reason.clone())
            .unwrap_or_else(|| "?".into());
        Msg::new(K::RoutineLoadPausedNamed)
            .arg("paused", paused)
            .arg("running", running)
            .arg("names", names.join(", "))
            .arg("reason", why)
    } else if paused > 0 {
        Msg::new(K::RoutineLoadPaused)
            .arg("paused", paused)
            .arg("running", running)
    } else {
        Msg::new(K::RoutineLoadOk).arg("running", running)
    };
    rated(Rated {
        key,
        value: paused as f64,
        warning: 0.0,
        critical: f64::INFINITY,
        strictly_above: true,
        reason,
        action: K::RoutineLoadAction,
    })
}

fn transactions(ops: Option<&OpsSnapshot>, t: &Thresholds) -> Verdict {
    let key = "transactions";
    let Some((count, db)) =
        ops.and_then(|o| Some((o.txn_running_max?, o.txn_running_max_db.as_deref()?)))
    else {
        return unknown(key, K::TxnRunningNotReported);
    };
    let (warning, critical) = levels(t, key);
    rated(Rated {
        key,
        value: count as f64,
        warning,
        critical,
        strictly_above: true,
        reason: with_levels(
            Msg::new(K::TxnRunningReason)
                .arg("count", count)
                .arg("db", db),
            t,
            key,
        ),
        action: K::TxnRunningAction,
    })
}

/// Failed transactions over the last 5 minutes of collections, from each
/// interval's increments of `txn_failed` and `txn_success`.
fn txn_failed(i: &HealthInput) -> Verdict {
    let key = "txn_failed";
    let (mut failed, mut ok, mut known) = (0i64, 0i64, false);
    for s in i
        .recent_ok
        .iter()
        .filter(|s| s.collected_at > i.now - TXN_FAILED_WINDOW_MS)
    {
        if let (Some(f), Some(o)) = (s.txn_failed, s.txn_success) {
            failed += f;
            ok += o;
            known = true;
        }
    }
    let total = failed + ok;
    if !known || total == 0 {
        return unknown(key, K::TxnFailedNoRate);
    }
    let pct = failed as f64 * 100.0 / total as f64;
    let (warning, critical) = levels(i.limits, key);
    rated(Rated {
        key,
        value: pct,
        warning,
        critical,
        strictly_above: true,
        reason: with_levels(
            Msg::new(K::TxnFailedReason)
                .arg("pct", format!("{pct:.1}"))
                .arg("failed", failed)
                .arg("total", total),
            i.limits,
            key,
        ),
        action: K::TxnFailedAction,
    })
}

/// A count the worst node reports, rated above its thresholds, its reason
/// naming the node (`{count}` and `{<node_arg>}`).
struct WorstNode {
    key: &'static str,
    figure: Option<(i64, Option<String>)>,
    not_reported: K,
    reason: K,
    node_arg: &'static str,
    action: K,
}

fn worst_node(w: WorstNode, t: &Thresholds) -> Verdict {
    let Some((count, node)) = w.figure else {
        return unknown(w.key, w.not_reported);
    };
    let (warning, critical) = levels(t, w.key);
    rated(Rated {
        key: w.key,
        value: count as f64,
        warning,
        critical,
        strictly_above: true,
        reason: with_levels(
            Msg::new(w.reason)
                .arg("count", count)
                .arg(w.node_arg, node.as_deref().unwrap_or("?")),
            t,
            w.key,
        ),
        action: w.action,
    })
}

/// The metadata journal of the fullest FE: checkpoints are not happening.
fn metadata(ops: Option<&OpsSnapshot>, t: &Thresholds) -> Verdict {
    let figure = ops.and_then(|o| Some((o.meta_log_count?, o.meta_log_fe.clone())));
    worst_node(
        WorstNode {
            key: "metadata",
            figure,
            not_reported: K::MetaNotReported,
            reason: K::MetaReason,
            node_arg: "fe",
            action: K::MetaAction,
        },
        t,
    )
}

/// The most rowsets in one tablet, on the worst BE.
fn rowsets(ops: Option<&OpsSnapshot>, t: &Thresholds) -> Verdict {
    let figure = ops.and_then(|o| Some((o.rowsets_max?, o.rowsets_max_be.clone())));
    worst_node(
        WorstNode {
            key: "rowsets",
            figure,
            not_reported: K::RowsetsNotReported,
            reason: K::RowsetsReason,
            node_arg: "be",
            action: K::RowsetsAction,
        },
        t,
    )
}
