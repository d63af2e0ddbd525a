//! Operations health (issue 15) from one collection's readings: the leader's
//! `/statistic` and gauges, every FE's transaction, metadata and resource
//! group figures, every BE's rowsets and failed compactions. Counters follow
//! the rules of `derive`: an increment per interval from each node's own
//! previous reading, nothing from a node whose counter went down (it
//! restarted), and a figure no node reported stays `None`.

use super::read::ClusterReading;
use model::operations::{DbTablets, Operations, OpsSnapshot, ResourceGroupSample};
use model::snapshot::Snapshot;
use starrocks::wire::proc::Statistic;
use starrocks::wire::prometheus::Metrics;
use std::collections::{BTreeMap, HashMap};

const FE: &str = "starrocks_fe_";
const BE: &str = "starrocks_be_";

/// The states `routine_load_jobs` counts, in the order of the row's columns.
const ROUTINE_LOAD_STATES: [&str; 6] = [
    "RUNNING",
    "PAUSED",
    "NEED_SCHEDULE",
    "UNSTABLE",
    "STOPPED",
    "CANCELLED",
];

/// Resource groups kept per collection, the busiest first: a cluster with
/// thousands of groups does not write thousands of rows a tick.
pub const MAX_GROUPS: usize = 50;

/// A node's cumulative counters at one reading, by name (`txn_reject`,
/// `rg_queries/<group>`, ...).
#[derive(Clone, Debug, Default)]
struct Counters {
    values: HashMap<String, i64>,
}

/// What the operations figures remember between ticks.
#[derive(Clone, Debug, Default)]
pub struct OpsMemory {
    fes: HashMap<String, Counters>,
    bes: HashMap<String, Counters>,
    /// Since when tablets have been unhealthy without a break.
    unhealthy_since: Option<i64>,
    /// The paused routine load jobs of the last collection, and when the job
    /// list was last read because that count changed.
    paused: Option<i64>,
    jobs_read_at: Option<i64>,
}

/// At most one job-list read a minute for a cluster whose jobs keep pausing.
const JOBS_REREAD_GAP_MS: i64 = 60_000;

impl OpsMemory {
    /// Whether to read the routine load job list now, between its 5-minute
    /// reads: the paused count of the metrics changed since the last
    /// collection, so the card can name the jobs (and the table show them) on
    /// the next tick instead of minutes later.
    pub fn jobs_changed(&mut self, paused: Option<i64>, at: i64) -> bool {
        let before = std::mem::replace(&mut self.paused, paused);
        let changed = matches!((before, paused), (Some(a), Some(b)) if a != b);
        let due = self
            .jobs_read_at
            .is_none_or(|last| at - last >= JOBS_REREAD_GAP_MS);
        if changed && due {
            self.jobs_read_at = Some(at);
            return true;
        }
        false
    }
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

fn count(v: Option<f64>) -> Option<i64> {
    finite(v).filter(|v| *v >= 0.0).map(|v| v as i64)
}

fn leader_metrics(r: &ClusterReading) -> Option<&Metrics> {
    r.frontends
        .iter()
        .find(|f| f.leader && f.metrics.is_some())
        .or_else(|| r.frontends.iter().find(|f| f.metrics.is_some()))
        .and_then(|f| f.metrics.as_ref())
}

/// The increment of each counter since the node's previous reading; a
/// counter that went down (a restart) or was not there before adds nothing.
fn increments(now: &Counters, then: Option<&Counters>) -> HashMap<String, i64> {
    let Some(then) = then else {
        return HashMap::new();
    };
    now.values
        .iter()
        .filter_map(|(k, n)| {
            let t = then.values.get(k)?;
            (n >= t).then(|| (k.clone(), n - t))
        })
        .collect()
}

/// Adds `d` into `acc` when the node had an increment for it.
fn add(acc: &mut Option<i64>, d: Option<&i64>) {
    if let Some(d) = d {
        *acc = Some(acc.unwrap_or(0) + d);
    }
}

/// `routine_load_jobs` by state. Newer releases print one line per state;
/// older ones one line per job (with its name, table and database) whose
/// state is a label: those count one job per line.
fn routine_loads(m: &Metrics, s: &mut OpsSnapshot) {
    let name = format!("{FE}routine_load_jobs");
    let mut by_state: HashMap<&str, i64> = HashMap::new();
    let mut any = false;
    for sample in m.find(&name) {
        let Some(state) = sample.label("state") else {
            continue;
        };
        let Some(st) = ROUTINE_LOAD_STATES
            .iter()
            .find(|k| k.eq_ignore_ascii_case(state))
        else {
            continue;
        };
        any = true;
        let per_job = sample.label("name").is_some() || sample.label("job_name").is_some();
        let n = if per_job {
            1
        } else {
            count(Some(sample.value)).unwrap_or(0)
        };
        *by_state.entry(st).or_default() += n;
    }
    if !any {
        return;
    }
    let of = |st: &str| Some(by_state.get(st).copied().unwrap_or(0));
    s.routine_loads_running = of("RUNNING");
    s.routine_loads_paused = of("PAUSED");
    s.routine_loads_need_schedule = of("NEED_SCHEDULE");
    s.routine_loads_unstable = of("UNSTABLE");
    s.routine_loads_stopped = of("STOPPED");
    s.routine_loads_cancelled = of("CANCELLED");
}

/// The database with the most running transactions (`txn_running{db}`).
fn txn_running(m: &Metrics, s: &mut OpsSnapshot) {
    let name = format!("{FE}txn_running");
    let worst = m
        .find(&name)
        .filter_map(|x| Some((x.label("db")?, count(Some(x.value))?)))
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)));
    if let Some((db, n)) = worst {
        s.txn_running_max = Some(n);
        s.txn_running_max_db = Some(db.to_string());
    }
}

fn tablets(stat: &Statistic, shared_data: bool, s: &mut OpsSnapshot) -> Vec<DbTablets> {
    // Shared-data clusters keep no replicas: their health columns are 0
    // because nothing is counted, which is not good news.
    let health = |v: Option<i64>| if shared_data { None } else { v };
    if let Some(t) = &stat.total {
        s.tablets = t.tablet_num;
        s.replicas = health(t.replica_num);
        s.tablets_unhealthy = health(t.unhealthy_tablet_num);
        s.tablets_inconsistent = health(t.inconsistent_tablet_num);
        s.tablets_cloning = health(t.cloning_tablet_num);
        s.tablets_error_state = health(t.error_state_tablet_num);
    }
    stat.dbs
        .iter()
        .map(|d| DbTablets {
            db_name: d.db_name.clone().unwrap_or_default(),
            tablets: d.tablet_num,
            replicas: health(d.replica_num),
            unhealthy: health(d.unhealthy_tablet_num),
            inconsistent: health(d.inconsistent_tablet_num),
            cloning: health(d.cloning_tablet_num),
            error_state: health(d.error_state_tablet_num),
        })
        .collect()
}

/// An FE's counters this module follows.
fn fe_counters(m: &Metrics) -> Counters {
    let mut c = Counters::default();
    if let Some(v) = count(m.sum(&format!("{FE}txn_reject"), &[])) {
        c.values.insert("txn_reject".into(), v);
    }
    for (family, key) in [
        ("query_resource_group", "rg_queries"),
        ("query_resource_group_err", "rg_errors"),
        ("resource_group_query_queue_timeout", "rg_timeouts"),
    ] {
        for x in m.find(&format!("{FE}{family}")) {
            if let (Some(name), Some(v)) = (x.label("name"), count(Some(x.value))) {
                *c.values.entry(format!("{key}/{name}")).or_default() += v;
            }
        }
    }
    c
}

/// Failed compactions a BE has counted since it started.
fn be_counters(m: &Metrics) -> Counters {
    let mut c = Counters::default();
    if let Some(v) = count(m.sum(
        &format!("{BE}engine_requests_total"),
        &[("status", "failed")],
    )) {
        c.values.insert("compaction_failed".into(), v);
    }
    c
}

/// Resource groups: queries and errors in the interval (every FE), the worst
/// FE's p99 and the queue.
fn groups(r: &ClusterReading, fe_inc: &[HashMap<String, i64>]) -> Vec<ResourceGroupSample> {
    let mut out: BTreeMap<String, ResourceGroupSample> = BTreeMap::new();
    fn group<'a>(
        out: &'a mut BTreeMap<String, ResourceGroupSample>,
        name: &str,
    ) -> &'a mut ResourceGroupSample {
        out.entry(name.to_string())
            .or_insert_with(|| ResourceGroupSample {
                name: name.to_string(),
                ..ResourceGroupSample::default()
            })
    }
    for f in &r.frontends {
        let Some(m) = &f.metrics else { continue };
        for x in m.find(&format!("{FE}query_resource_group")) {
            if let Some(name) = x.label("name") {
                group(&mut out, name);
            }
        }
        for x in m.find(&format!("{FE}query_resource_group_latency")) {
            let (Some(name), Some("99_quantile")) = (x.label("name"), x.label("type")) else {
                continue;
            };
            if let Some(v) = finite(Some(x.value)).filter(|v| *v >= 0.0) {
                let g = group(&mut out, name);
                g.p99_ms = Some(g.p99_ms.map_or(v, |p| p.max(v)));
            }
        }
        for x in m.find(&format!("{FE}resource_group_query_queue_pending")) {
            if let (Some(name), Some(v)) = (x.label("name"), count(Some(x.value))) {
                let g = group(&mut out, name);
                g.queue_pending = Some(g.queue_pending.unwrap_or(0) + v);
            }
        }
    }
    for inc in fe_inc {
        for (key, d) in inc {
            let Some((kind, name)) = key.split_once('/') else {
                continue;
            };
            let Some(g) = out.get_mut(name) else { continue };
            match kind {
                "rg_queries" => add(&mut g.queries, Some(d)),
                "rg_errors" => add(&mut g.errors, Some(d)),
                "rg_timeouts" => add(&mut g.queue_timeouts, Some(d)),
                _ => {}
            }
        }
    }
    let mut list: Vec<ResourceGroupSample> = out.into_values().collect();
    list.sort_by(|a, b| {
        b.queries
            .unwrap_or(0)
            .cmp(&a.queries.unwrap_or(0))
            .then_with(|| a.name.cmp(&b.name))
    });
    list.truncate(MAX_GROUPS);
    list
}

/// The operations figures of a successful reading, `statistic` the leader's
/// `/statistic` when it answered; moves `memory` forward.
pub fn operations(
    s: &Snapshot,
    reading: &ClusterReading,
    statistic: Option<&Statistic>,
    memory: &mut OpsMemory,
) -> Operations {
    let mut o = OpsSnapshot::new(s.cluster_id, s.collected_at);
    let dbs = statistic.map(|st| tablets(st, reading.shared_data, &mut o));
    (o.queries_running, o.query_longest_ms) = reading.running;
    if let Some(m) = leader_metrics(reading) {
        routine_loads(m, &mut o);
        txn_running(m, &mut o);
        o.tablets_scheduled = count(m.value(&format!("{FE}scheduled_tablet_num"), &[]));
        o.report_queue_size = count(m.value(&format!("{FE}report_queue_size"), &[]));
    }
    // Unhealthy since the first reading of this streak (a reading without
    // the figure neither starts nor ends it).
    match o.tablets_unhealthy {
        Some(n) if n > 0 => {
            let since = *memory.unhealthy_since.get_or_insert(s.collected_at);
            o.tablets_unhealthy_since = Some(since);
        }
        Some(_) => memory.unhealthy_since = None,
        None => o.tablets_unhealthy_since = memory.unhealthy_since,
    }

    // Every FE: metadata, safe mode, and the counters' increments.
    let mut fe_inc = Vec::new();
    let mut fes_now = HashMap::new();
    for f in &reading.frontends {
        let Some(m) = &f.metrics else { continue };
        if let Some(n) = count(m.value(&format!("{FE}meta_log_count"), &[])) {
            if o.meta_log_count.is_none_or(|max| n > max) {
                o.meta_log_count = Some(n);
                o.meta_log_fe = Some(f.info.name.clone());
            }
        }
        if let Some(v) = finite(m.sum(&format!("{FE}safe_mode"), &[])) {
            o.safe_mode = Some(o.safe_mode.unwrap_or(false) || v > 0.0);
        }
        let now = fe_counters(m);
        let inc = increments(&now, memory.fes.get(&f.info.name));
        add(&mut o.txn_rejected, inc.get("txn_reject"));
        fe_inc.push(inc);
        fes_now.insert(f.info.name.clone(), now);
    }
    memory.fes = fes_now;
    o.txn_failed_pct = match (s.txn_failed, s.txn_success) {
        (Some(f), Some(ok)) if f + ok > 0 => Some(f as f64 * 100.0 / (f + ok) as f64),
        _ => None,
    };

    // Every BE: the most rowsets, failed compactions.
    let mut bes_now = HashMap::new();
    for n in reading.nodes.iter().flatten() {
        let Some(m) = &n.metrics else { continue };
        if let Some(v) = count(m.value(&format!("{BE}max_tablet_rowset_num"), &[])) {
            if o.rowsets_max.is_none_or(|max| v > max) {
                o.rowsets_max = Some(v);
                o.rowsets_max_be = Some(node_label(n));
            }
        }
        let now = be_counters(m);
        let inc = increments(&now, memory.bes.get(&n.info.name));
        add(&mut o.compactions_failed, inc.get("compaction_failed"));
        bes_now.insert(n.info.name.clone(), now);
    }
    memory.bes = bes_now;

    Operations {
        groups: groups(reading, &fe_inc),
        snapshot: o,
        dbs,
    }
}

/// A BE as a reason names it: host:port when listed, else its id.
fn node_label(n: &super::read::NodeReading) -> String {
    match (&n.info.host, n.info.port) {
        (Some(h), Some(p)) if !h.is_empty() => format!("{h}:{p} ({})", n.info.name),
        (Some(h), None) if !h.is_empty() => format!("{h} ({})", n.info.name),
        _ => n.info.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{FeReading, NodeReading};
    use model::overview::NodeInfo;
    use model::snapshot::CollectStatus;

    fn fe(name: &str, leader: bool, body: &str) -> FeReading {
        FeReading {
            info: NodeInfo::named("fe", name, true),
            leader,
            addr: None,
            metrics: Some(Metrics::parse(body)),
            fetched_at: 0,
            path: None,
        }
    }

    fn be(name: &str, host: &str, body: &str) -> NodeReading {
        let mut info = NodeInfo::named("be", name, true);
        info.host = Some(host.into());
        info.port = Some(9050);
        NodeReading {
            info,
            addr: None,
            mem_limit_bytes: None,
            total_bytes: None,
            avail_bytes: None,
            metrics: Some(Metrics::parse(body)),
            path: None,
        }
    }

    fn reading(fes: Vec<FeReading>, bes: Vec<NodeReading>) -> ClusterReading {
        let mut r = ClusterReading::of_frontends(fes);
        r.nodes = Some(bes);
        r
    }

    fn snap(at: i64) -> Snapshot {
        Snapshot::empty(1, at, CollectStatus::Ok)
    }

    #[test]
    fn a_change_of_the_paused_count_rereads_the_jobs_at_most_once_a_minute() {
        let mut m = OpsMemory::default();
        // The first collection knows no count before it: the regular read has the jobs.
        assert!(!m.jobs_changed(Some(0), 0));
        assert!(!m.jobs_changed(Some(0), 30_000));
        assert!(m.jobs_changed(Some(1), 60_000), "a job paused");
        assert!(
            !m.jobs_changed(Some(2), 90_000),
            "another within the minute waits"
        );
        assert!(!m.jobs_changed(Some(2), 120_000), "no change, no read");
        assert!(
            m.jobs_changed(Some(0), 150_000),
            "resumed: the table shows it"
        );
        assert!(!m.jobs_changed(None, 180_000), "not reported is no change");
        assert!(!m.jobs_changed(Some(1), 210_000));
    }

    #[test]
    fn routine_loads_in_both_line_shapes() {
        // 3.x: one line per state, on the leader.
        let per_state = "# TYPE starrocks_fe_routine_load_jobs gauge\n\
            starrocks_fe_routine_load_jobs{state=\"NEED_SCHEDULE\"} 0\n\
            starrocks_fe_routine_load_jobs{state=\"RUNNING\"} 2\n\
            starrocks_fe_routine_load_jobs{state=\"PAUSED\"} 1\n\
            starrocks_fe_routine_load_jobs{state=\"STOPPED\"} 0\n\
            starrocks_fe_routine_load_jobs{state=\"CANCELLED\"} 4\n\
            starrocks_fe_routine_load_jobs{state=\"UNSTABLE\"} 0\n";
        let o = operations(
            &snap(0),
            &reading(vec![fe("a", true, per_state), fe("b", false, "")], vec![]),
            None,
            &mut OpsMemory::default(),
        );
        assert_eq!(o.snapshot.routine_loads_running, Some(2));
        assert_eq!(o.snapshot.routine_loads_paused, Some(1));
        assert_eq!(o.snapshot.routine_loads_cancelled, Some(4));
        assert_eq!(o.snapshot.routine_loads_unstable, Some(0));

        // Older releases: a line per job, its state a label.
        let per_job = "starrocks_fe_routine_load_jobs{name=\"orders\",table=\"t\",database=\"db\",state=\"RUNNING\"} 1\n\
            starrocks_fe_routine_load_jobs{name=\"clicks\",table=\"t2\",database=\"db\",state=\"PAUSED\"} 1\n\
            starrocks_fe_routine_load_jobs{name=\"views\",table=\"t3\",database=\"db\",state=\"RUNNING\"} 1\n";
        let o = operations(
            &snap(0),
            &reading(vec![fe("a", true, per_job)], vec![]),
            None,
            &mut OpsMemory::default(),
        );
        assert_eq!(o.snapshot.routine_loads_running, Some(2));
        assert_eq!(o.snapshot.routine_loads_paused, Some(1));
        assert_eq!(o.snapshot.routine_loads_stopped, Some(0));
    }

    #[test]
    fn absent_metrics_are_not_reported_rather_than_zero() {
        // A 3.0 FE without the newer families, and a BE without rowset counts.
        let o = operations(
            &snap(0),
            &reading(
                vec![fe("a", true, "starrocks_fe_query_total 5\n")],
                vec![be(
                    "10001",
                    "10.0.0.1",
                    "starrocks_be_process_mem_bytes 5\n",
                )],
            ),
            None,
            &mut OpsMemory::default(),
        );
        let s = &o.snapshot;
        assert_eq!(s.routine_loads_paused, None);
        assert_eq!(s.txn_running_max, None);
        assert_eq!(s.meta_log_count, None);
        assert_eq!(s.safe_mode, None);
        assert_eq!(s.rowsets_max, None);
        assert_eq!(s.tablets_unhealthy, None);
        assert!(o.groups.is_empty());
        assert!(o.dbs.is_none());
    }

    #[test]
    fn the_busiest_database_the_fullest_journal_and_the_worst_backend_are_named() {
        let leader = "starrocks_fe_txn_running{db=\"sales\"} 12\n\
            starrocks_fe_txn_running{db=\"logs\"} 950\n\
            starrocks_fe_meta_log_count 120000\n\
            starrocks_fe_safe_mode{type=\"safe_mode\"} 0\n\
            starrocks_fe_scheduled_tablet_num 3\n";
        let follower =
            "starrocks_fe_meta_log_count 150000\nstarrocks_fe_safe_mode{type=\"safe_mode\"} 1\n";
        let o = operations(
            &snap(0),
            &reading(
                vec![fe("fe-a", true, leader), fe("fe-b", false, follower)],
                vec![
                    be(
                        "10001",
                        "10.0.0.1",
                        "starrocks_be_max_tablet_rowset_num 40\n",
                    ),
                    be(
                        "10002",
                        "10.0.0.2",
                        "starrocks_be_max_tablet_rowset_num 912\n",
                    ),
                ],
            ),
            None,
            &mut OpsMemory::default(),
        );
        let s = &o.snapshot;
        assert_eq!(s.txn_running_max, Some(950));
        assert_eq!(s.txn_running_max_db.as_deref(), Some("logs"));
        assert_eq!(s.meta_log_count, Some(150_000));
        assert_eq!(s.meta_log_fe.as_deref(), Some("fe-b"));
        assert_eq!(s.safe_mode, Some(true));
        assert_eq!(s.tablets_scheduled, Some(3));
        assert_eq!(s.rowsets_max, Some(912));
        assert_eq!(s.rowsets_max_be.as_deref(), Some("10.0.0.2:9050 (10002)"));
    }

    #[test]
    fn counters_become_increments_and_a_restart_adds_nothing() {
        let fe_body = |reject: u64, q: u64, e: u64| {
            format!(
                "starrocks_fe_txn_reject {reject}\n\
                 starrocks_fe_query_resource_group{{name=\"rg_etl\"}} {q}\n\
                 starrocks_fe_query_resource_group_err{{name=\"rg_etl\"}} {e}\n\
                 starrocks_fe_query_resource_group_latency{{name=\"rg_etl\",type=\"99_quantile\"}} 850.5\n"
            )
        };
        let be_body = |failed: u64| {
            format!(
                "starrocks_be_engine_requests_total{{status=\"failed\",type=\"base_compaction\"}} {failed}\n\
                 starrocks_be_engine_requests_total{{status=\"total\",type=\"base_compaction\"}} 900\n\
                 starrocks_be_engine_requests_total{{status=\"failed\",type=\"cumulative_compaction\"}} 1\n"
            )
        };
        let mut memory = OpsMemory::default();
        let first = operations(
            &snap(0),
            &reading(
                vec![fe("a", true, &fe_body(10, 100, 1))],
                vec![be("10001", "h", &be_body(3))],
            ),
            None,
            &mut memory,
        );
        assert_eq!(
            first.snapshot.txn_rejected, None,
            "no increment from one reading"
        );
        assert_eq!(first.snapshot.compactions_failed, None);
        assert_eq!(first.groups[0].queries, None);
        assert_eq!(first.groups[0].p99_ms, Some(850.5));

        let second = operations(
            &snap(30_000),
            &reading(
                vec![fe("a", true, &fe_body(14, 160, 4))],
                vec![be("10001", "h", &be_body(5))],
            ),
            None,
            &mut memory,
        );
        assert_eq!(second.snapshot.txn_rejected, Some(4));
        assert_eq!(second.snapshot.compactions_failed, Some(2));
        assert_eq!(second.groups[0].name, "rg_etl");
        assert_eq!(second.groups[0].queries, Some(60));
        assert_eq!(second.groups[0].errors, Some(3));

        // The FE restarted: its counters start again, nothing negative.
        let third = operations(
            &snap(60_000),
            &reading(vec![fe("a", true, &fe_body(1, 5, 0))], vec![]),
            None,
            &mut memory,
        );
        assert_eq!(third.snapshot.txn_rejected, None);
        assert_eq!(third.groups[0].queries, None);
    }

    #[test]
    fn failed_transactions_as_a_share_of_the_finished_ones() {
        let mut s = snap(0);
        s.txn_failed = Some(6);
        s.txn_success = Some(94);
        let o = operations(
            &s,
            &reading(vec![], vec![]),
            None,
            &mut OpsMemory::default(),
        );
        assert_eq!(o.snapshot.txn_failed_pct, Some(6.0));
        s.txn_failed = Some(0);
        s.txn_success = Some(0);
        let o = operations(
            &s,
            &reading(vec![], vec![]),
            None,
            &mut OpsMemory::default(),
        );
        assert_eq!(o.snapshot.txn_failed_pct, None, "no transaction, no share");
    }

    fn statistic(unhealthy: &str, error_state: &str, replicas: &str) -> Statistic {
        let row = |id: &str, name: &str, u: &str, e: &str| {
            format!(
                r#"{{"DbId":"{id}","DbName":"{name}","TableNum":"8","PartitionNum":"8","IndexNum":"8","TabletNum":"5043","ReplicaNum":"{replicas}","UnhealthyTabletNum":"{u}","InconsistentTabletNum":"0","CloningTabletNum":"1","ErrorStateTabletNum":"{e}"}}"#
            )
        };
        let body = format!(
            "[{},{}]",
            row("10002", "zq_test", unhealthy, error_state),
            row("Total", "1", unhealthy, error_state)
        );
        starrocks::wire::proc::statistic(body.as_bytes()).expect("a /statistic body")
    }

    #[test]
    fn tablets_from_statistic_with_how_long_they_have_been_unhealthy() {
        let mut memory = OpsMemory::default();
        let r = reading(vec![], vec![]);
        let bad = statistic("4", "2", "7063");
        let o = operations(&snap(1_000), &r, Some(&bad), &mut memory);
        assert_eq!(o.snapshot.tablets, Some(5043));
        assert_eq!(o.snapshot.tablets_unhealthy, Some(4));
        assert_eq!(o.snapshot.tablets_error_state, Some(2));
        assert_eq!(o.snapshot.tablets_unhealthy_since, Some(1_000));
        let dbs = o.dbs.expect("each database");
        assert_eq!(dbs.len(), 1);
        assert_eq!(dbs[0].db_name, "zq_test");
        let o = operations(&snap(31_000), &r, Some(&bad), &mut memory);
        assert_eq!(
            o.snapshot.tablets_unhealthy_since,
            Some(1_000),
            "the same streak"
        );
        let good = statistic("0", "0", "7063");
        let o = operations(&snap(61_000), &r, Some(&good), &mut memory);
        assert_eq!(o.snapshot.tablets_unhealthy_since, None);
        let o = operations(&snap(91_000), &r, Some(&bad), &mut memory);
        assert_eq!(
            o.snapshot.tablets_unhealthy_since,
            Some(91_000),
            "a new streak"
        );
    }

    #[test]
    fn shared_data_reports_no_replica_health() {
        let mut r = reading(vec![], vec![]);
        r.shared_data = true;
        let o = operations(
            &snap(0),
            &r,
            Some(&statistic("0", "0", "0")),
            &mut OpsMemory::default(),
        );
        assert_eq!(o.snapshot.tablets, Some(5043));
        assert_eq!(o.snapshot.replicas, None);
        assert_eq!(
            o.snapshot.tablets_unhealthy, None,
            "0 there is not good news"
        );
        assert_eq!(o.dbs.expect("dbs")[0].unhealthy, None);
    }
}
