//! Operations health in the model: the routine loads' pauses, running
//! transactions per database, the checkpoint saw tooth, tablet health and BE
//! rowsets, and what the operations-health faults do to them.
//!
//! Like `state`, every figure is a pure function of (model, time, fault
//! history): the [`View`]'s episodes say when a fault was on, so a counter
//! integrates it, a test can jump around in time, and tablets heal after a
//! `be_dead` or `tablets_unhealthy` clears instead of at once: over as long as
//! the fault lasted, at most [`HEAL_MS`].

use crate::faults::{Fault, View};
use crate::profile::Mode;
use crate::state::{Model, EPOCH_MS};

/// Routine load jobs a cluster runs (fewer when it has fewer databases or tables).
pub const ROUTINE_LOADS: usize = 3;
/// Every this long one routine load job is paused by an operator for a few
/// minutes (a maintenance window), then resumed.
pub const PAUSE_EVERY_MS: i64 = 2 * 3_600_000;
/// After a resume the job waits for the scheduler this long (NEED_SCHEDULE).
pub const RESCHEDULE_MS: i64 = 10_000;
/// Edit log entries between two checkpoints (the FE's `edit_log_roll_num`):
/// `meta_log_count` saws between 0 and this.
pub const CHECKPOINT_EVERY: u64 = 50_000;
/// `meta_log_count` under `checkpoint_stuck`, before the growth since it was set.
pub const STUCK_META_LOG: u64 = 150_000;
/// `txn_running` of the piled-up database under `txn_pileup`.
pub const PILEUP_TXNS: u64 = 950;
/// Backend 0's `max_tablet_rowset_num` under `rowset_explosion`, before it grows.
pub const EXPLODED_ROWSETS: f64 = 900.0;
/// The longest tablets take to clone back after `be_dead` or
/// `tablets_unhealthy` clears: the unhealthy counts fall linearly to 0 over as
/// long as the fault lasted (the versions missed while it was on), at most this.
pub const HEAL_MS: i64 = 120_000;
/// The most tablets the leader's tablet scheduler holds at once
/// (`tablet_sched_max_scheduling_tablets`).
const MAX_SCHEDULING: u64 = 10_000;

/// The journal id every FE has reached at `t`: five entries per hundred queries.
pub fn journal(m: &Model, t: i64) -> u64 {
    (m.queries_between(EPOCH_MS, t) * 0.05) as u64
}

/// `meta_log_count` (journal entries since the last image) at `t`: a saw tooth
/// below [`CHECKPOINT_EVERY`]; under `checkpoint_stuck`, [`STUCK_META_LOG`]
/// plus what was written since it was set, growing without a reset.
pub fn meta_log_count(m: &Model, t: i64, view: &View) -> u64 {
    let now = journal(m, t);
    match view.on_since(&Fault::CheckpointStuck, t) {
        Some(since) => STUCK_META_LOG + now.saturating_sub(journal(m, since)),
        None => now % CHECKPOINT_EVERY,
    }
}

/// A routine load pause an operator makes: which job, from when, until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub job: usize,
    pub from: i64,
    pub to: i64,
}

/// The operator's pause of window `w` (one every [`PAUSE_EVERY_MS`]): a
/// seeded job, start and length (3 to 8 minutes).
fn pause_of_window(m: &Model, jobs: usize, w: i64) -> Pause {
    let key = 0x9A05_E000_0000 ^ (w as u64).wrapping_mul(7_919);
    let len = 180_000 + (m.rand(key) * 300_000.0) as i64;
    let room = PAUSE_EVERY_MS - len - RESCHEDULE_MS;
    let from = w * PAUSE_EVERY_MS + (m.rand(key + 1) * room as f64) as i64;
    let job = (m.rand(key + 2) * jobs as f64) as usize % jobs.max(1);
    Pause {
        job,
        from,
        to: from + len,
    }
}

/// The operator's pause that covers `t` (from its start to the end of the
/// rescheduling after it), if any.
pub fn operator_pause(m: &Model, jobs: usize, t: i64) -> Option<Pause> {
    if jobs == 0 {
        return None;
    }
    let p = pause_of_window(m, jobs, t.div_euclid(PAUSE_EVERY_MS));
    (p.from <= t && t < p.to + RESCHEDULE_MS).then_some(p)
}

impl Model {
    /// Whether no operator's routine load pause (nor the rescheduling after
    /// it) is under way at `t_ms`: every routine load job is RUNNING then,
    /// unless `routine_load_paused` is set. Tests against a running simulator
    /// that want them all RUNNING can check this (a pause covers about 5 % of
    /// the time).
    pub fn routine_loads_calm(&self, t_ms: i64) -> bool {
        operator_pause(self, crate::proc::routine_load_count(self), t_ms).is_none()
    }
}

/// How many times a routine load job paused in (`a`, `b`]: the operator's
/// pauses and every `routine_load_paused` set.
pub fn pauses_between(m: &Model, jobs: usize, a: i64, b: i64, view: &View) -> u64 {
    let injected = view.started(&Fault::RoutineLoadPaused, a, b);
    if jobs == 0 || b <= a {
        return injected;
    }
    let (first, last) = (a.div_euclid(PAUSE_EVERY_MS), b.div_euclid(PAUSE_EVERY_MS));
    let natural = (first..=last)
        .map(|w| pause_of_window(m, jobs, w).from)
        .filter(|from| a < *from && *from <= b)
        .count() as u64;
    natural + injected
}

/// Running transactions per user database at `t`, in the model's order:
/// a handful that follow the load (0 to 20), the first database
/// [`PILEUP_TXNS`] under `txn_pileup`.
pub fn txn_running(m: &Model, t: i64, view: &View) -> Vec<(String, u64)> {
    let pileup = view.on_since(&Fault::TxnPileup, t).is_some();
    let slot = t.div_euclid(15_000) as u64;
    m.dbs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if pileup && i == 0 {
                return (d.name.clone(), PILEUP_TXNS);
            }
            let busy = 1.0 + 5.0 * m.rand(0x7A00 + i as u64);
            let jitter = m.rand((0x7B00 + i as u64).wrapping_mul(1_000_003) ^ slot);
            let n = (busy * m.load(t) + 3.0 * jitter).floor();
            (d.name.clone(), n.clamp(0.0, 20.0) as u64)
        })
        .collect()
}

/// Replica health of one database, as `/statistic` counts it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Health {
    pub unhealthy: u64,
    pub inconsistent: u64,
    pub cloning: u64,
    pub error_state: u64,
}

/// Tablets of a database: partitions × buckets over its tables.
pub fn db_tablets(d: &crate::state::Db) -> u64 {
    d.tables.iter().map(|t| t.partitions * t.buckets).sum()
}

/// Replica health per user database at `t`, in the model's order. Dead
/// backends make their share of every database's tablets unhealthy (a tenth of
/// them cloning); `tablets_unhealthy` makes an eighth of the first database's
/// (at least 6) unhealthy, 3 in error state, a quarter cloning. After either
/// clears, what it left falls linearly to 0 (half of it cloning) over as long
/// as it lasted, at most [`HEAL_MS`].
/// Shared-data clusters keep no replicas: all zero.
pub fn tablet_health(m: &Model, t: i64, view: &View) -> Vec<Health> {
    if m.spec.mode == Mode::SharedData {
        return vec![Health::default(); m.dbs.len()];
    }
    let nbe = m.spec.backends.max(1) as f64;
    let replicas = m.replicas() as f64;
    let dead_kind = Fault::BeDead(0);
    let dead_now = view
        .episodes
        .iter()
        .filter(|e| matches!(e.fault, Fault::BeDead(_)))
        .filter(|e| e.from <= t && e.to.is_none_or(|to| to > t))
        .count() as f64;
    let dead_all = view.lingering(&dead_kind, t, HEAL_MS);
    let bad_kind = Fault::TabletsUnhealthy;
    let bad_all = view.lingering(&bad_kind, t, HEAL_MS).min(1.0);
    let bad_now = if view.on_since(&bad_kind, t).is_some() {
        1.0
    } else {
        0.0
    };
    m.dbs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let tablets = db_tablets(d) as f64;
            let share = |w: f64| (tablets * w.min(replicas) / nbe).floor();
            let (on, all) = (share(dead_now), share(dead_all));
            let mut unhealthy = all;
            let mut cloning = (on / 10.0).floor() + ((all - on) / 2.0).floor();
            let mut error_state = 0.0;
            if i == 0 && bad_all > 0.0 {
                let hurt = (tablets / 8.0).max(6.0).min(tablets);
                let (b_on, b_all) = ((hurt * bad_now).ceil(), (hurt * bad_all).ceil());
                unhealthy += b_all;
                cloning += (b_on / 4.0).floor() + ((b_all - b_on) / 2.0).floor();
                error_state = (3.0 * bad_all).ceil().min(b_all);
            }
            let unhealthy = unhealthy.min(tablets);
            Health {
                unhealthy: unhealthy as u64,
                inconsistent: 0,
                cloning: cloning.min(unhealthy) as u64,
                error_state: error_state.min(unhealthy) as u64,
            }
        })
        .collect()
}

/// The leader's `scheduled_tablet_num`: every unhealthy tablet waits in (or
/// runs through) the tablet scheduler, which holds at most 10,000.
pub fn scheduled_tablets(m: &Model, t: i64, view: &View) -> u64 {
    let n: u64 = tablet_health(m, t, view).iter().map(|h| h.unhealthy).sum();
    n.min(MAX_SCHEDULING)
}

/// `max_tablet_rowset_num` of backend `be`: `normal`, or on backend 0 under
/// `rowset_explosion` [`EXPLODED_ROWSETS`] plus one every 10 s since it was set.
pub fn max_rowsets(be: usize, t: i64, view: &View, normal: f64) -> f64 {
    match view.on_since(&Fault::RowsetExplosion, t) {
        Some(since) if be == 0 => EXPLODED_ROWSETS + ((t - since).max(0) / 10_000) as f64,
        _ => normal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::Faults;
    use crate::profile::ClusterSpec;

    const T: i64 = 1_764_000_000_000;

    fn model(profile: &str) -> Model {
        Model::new(ClusterSpec::profile(profile, 6).unwrap_or_default())
    }

    #[test]
    fn meta_log_count_saws_below_the_alert_and_grows_when_stuck() {
        let m = model("3.3-shared-nothing");
        let calm = View::default();
        let counts: Vec<u64> = (0..600)
            .map(|i| meta_log_count(&m, T + i * 60_000, &calm))
            .collect();
        assert!(counts.iter().all(|c| *c < CHECKPOINT_EVERY));
        assert!(
            counts.windows(2).any(|w| w[1] < w[0]),
            "a checkpoint resets it"
        );
        let f = Faults::new();
        f.set_at(Fault::CheckpointStuck, T);
        let v = f.view();
        let a = meta_log_count(&m, T + 60_000, &v);
        let b = meta_log_count(&m, T + 3_600_000, &v);
        assert!(a > 100_000 && b > a, "{a} {b}");
        f.clear_at(&Fault::CheckpointStuck, T + 3_600_000);
        let after = meta_log_count(&m, T + 3_600_001, &f.view());
        assert!(after < CHECKPOINT_EVERY);
    }

    #[test]
    fn operator_pauses_are_rare_short_and_counted() {
        let m = model("3.3-shared-nothing");
        let day = 86_400_000;
        let paused = (0..day / 60_000)
            .filter(|i| operator_pause(&m, 3, T + i * 60_000).is_some())
            .count();
        // 12 pauses of 3 to 8 minutes (and 10 s rescheduling) a day.
        assert!((12 * 3..=12 * 9).contains(&paused), "{paused}");
        assert_eq!(pauses_between(&m, 3, T, T + day, &View::default()), 12);
        assert_eq!(pauses_between(&m, 0, T, T + day, &View::default()), 0);
        assert!(operator_pause(&m, 0, T).is_none());
        let calm = (0..day / 60_000)
            .filter(|i| m.routine_loads_calm(T + i * 60_000))
            .count();
        assert_eq!(calm, (day / 60_000) as usize - paused);
    }

    #[test]
    fn txn_running_is_small_until_a_pileup() {
        let m = model("3.3-shared-nothing");
        for i in 0..200 {
            for (_, n) in txn_running(&m, T + i * 37_000, &View::default()) {
                assert!(n <= 20);
            }
        }
        let f = Faults::new();
        f.set_at(Fault::TxnPileup, T);
        let v = f.view();
        let dbs = txn_running(&m, T + 1, &v);
        assert_eq!(dbs[0], (m.dbs[0].name.clone(), PILEUP_TXNS));
        assert!(dbs[1..].iter().all(|(_, n)| *n <= 20));
    }

    #[test]
    fn tablets_heal_as_long_as_the_fault_lasted_and_shared_data_has_no_health() {
        let m = model("3.3-shared-nothing");
        let f = Faults::new();
        assert!(tablet_health(&m, T, &f.view())
            .iter()
            .all(|h| *h == Health::default()));
        f.set_at(Fault::BeDead(1), T);
        f.set_at(Fault::TabletsUnhealthy, T);
        let sick = tablet_health(&m, T + 1_000, &f.view());
        assert!(sick.iter().all(|h| h.unhealthy > 0));
        assert!(sick[0].error_state > 0 && sick[0].cloning > 0);
        assert!(scheduled_tablets(&m, T + 1_000, &f.view()) > 0);
        // Ten minutes down: two minutes to heal.
        let end = T + 600_000;
        f.clear_all_at(end);
        let v = f.view();
        let total = |t: i64| -> u64 { tablet_health(&m, t, &v).iter().map(|h| h.unhealthy).sum() };
        let (mid, late) = (total(end + HEAL_MS / 2), total(end + HEAL_MS));
        let was: u64 = sick.iter().map(|h| h.unhealthy).sum();
        assert!(mid > 0 && mid < was, "{mid} of {was}");
        assert_eq!(late, 0);
        assert_eq!(scheduled_tablets(&m, end + HEAL_MS, &v), 0);
        // A blip of a second heals within a second.
        let f = Faults::new();
        f.set_at(Fault::BeDead(0), T);
        f.clear_at(&Fault::BeDead(0), T + 1_000);
        let v = f.view();
        let total = |t: i64| -> u64 { tablet_health(&m, t, &v).iter().map(|h| h.unhealthy).sum() };
        assert!(total(T + 1_200) > 0);
        assert_eq!(total(T + 2_000), 0);

        let sd = model("3.3-shared-data");
        let f = Faults::new();
        f.set_at(Fault::BeDead(0), T);
        f.set_at(Fault::TabletsUnhealthy, T);
        assert!(tablet_health(&sd, T + 1, &f.view())
            .iter()
            .all(|h| *h == Health::default()));
    }

    #[test]
    fn rowsets_explode_on_backend_0_only() {
        let f = Faults::new();
        assert_eq!(max_rowsets(0, T, &f.view(), 40.0), 40.0);
        f.set_at(Fault::RowsetExplosion, T);
        assert!(max_rowsets(0, T + 60_000, &f.view(), 40.0) > 700.0);
        assert_eq!(max_rowsets(1, T + 60_000, &f.view(), 40.0), 40.0);
        f.clear_at(&Fault::RowsetExplosion, T + 120_000);
        assert_eq!(max_rowsets(0, T + 120_001, &f.view(), 40.0), 40.0);
    }
}
