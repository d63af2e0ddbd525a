//! Routine load jobs: the model behind `SHOW [ALL] ROUTINE LOAD` and the FE's
//! `routine_load_jobs` metric (per state on 3.3, one line per job on 3.0).
//!
//! Up to [`ROUTINE_LOADS`] Kafka jobs, job `i` loading table `i` of database
//! `i` (wrapping round). They run; every two hours an operator pauses one for
//! a few minutes (`ErrorReason{errCode = 100, msg='User root pauses routine
//! load job'}`), after which it waits [`RESCHEDULE_MS`] in NEED_SCHEDULE. Under
//! `routine_load_paused` the first job is PAUSED for too many error rows, with
//! its error log and tracking SQL. Offsets grow with the cluster's load and
//! stand still while a job is paused (its lag grows instead).
//!
//! [`RESCHEDULE_MS`]: crate::ops::RESCHEDULE_MS

use super::{s, Ctx, Grid, Val};
use crate::deploy::{be_ports, host, Role};
use crate::faults::{Fault, TOO_MANY_ERROR_ROWS};
use crate::format::datetime;
use crate::ops::{operator_pause, ROUTINE_LOADS};
use crate::profile::Version;
use crate::state::{Db, Model, Table};

/// `ReasonOfStateChanged` after `PAUSE ROUTINE LOAD` (`MANUAL_PAUSE_ERR`).
pub const MANUAL_PAUSE: &str =
    "ErrorReason{errCode = 100, msg='User root pauses routine load job'}";

/// `SHOW ROUTINE LOAD`'s columns; 3.3 adds the last three.
const COLUMNS: [&str; 23] = [
    "Id",
    "Name",
    "CreateTime",
    "PauseTime",
    "EndTime",
    "DbName",
    "TableName",
    "State",
    "DataSourceType",
    "CurrentTaskNum",
    "JobProperties",
    "DataSourceProperties",
    "CustomProperties",
    "Statistic",
    "Progress",
    "TimestampProgress",
    "ReasonOfStateChanged",
    "ErrorLogUrls",
    "TrackingSQL",
    "OtherMsg",
    "LatestSourcePosition",
    "OffsetLag",
    "TimestampLag",
];

/// How many columns a release shows.
fn columns(v: Version) -> &'static [&'static str] {
    match v {
        Version::V3_0 => &COLUMNS[..20],
        Version::V3_3 => &COLUMNS,
    }
}

/// One routine load job at one time.
pub struct RoutineLoadJob {
    pub id: u64,
    pub name: String,
    pub db: String,
    pub table: String,
    /// RUNNING, PAUSED or NEED_SCHEDULE.
    pub state: &'static str,
    /// The `SHOW ROUTINE LOAD` row for the cluster's release.
    pub row: Vec<Val>,
}

/// Where the jobs load: job `i` into table `i` of database `i`, each pair once.
fn targets(m: &Model) -> Vec<(&Db, &Table)> {
    let mut out: Vec<(&Db, &Table)> = Vec::new();
    for i in 0..ROUTINE_LOADS {
        let Some(d) = m.dbs.get(i % m.dbs.len().max(1)) else {
            break;
        };
        let Some(t) = d.tables.get(i % d.tables.len().max(1)) else {
            continue;
        };
        if !out.iter().any(|(od, ot)| od.id == d.id && ot.id == t.id) {
            out.push((d, t));
        }
    }
    out
}

/// How many routine load jobs the cluster runs.
pub fn routine_load_count(m: &Model) -> usize {
    targets(m).len()
}

/// Why a job is in its state.
enum Why {
    Running,
    /// Resumed, waiting for the scheduler.
    Rescheduling,
    /// Paused by an operator at this time.
    Operator(i64),
    /// Paused by `routine_load_paused` at this time: too many error rows.
    ErrorRows(i64),
}

/// A JSON object of strings, keys in order: `{"0":"12","1":"3"}`.
fn per_partition(values: impl Iterator<Item = u64>) -> String {
    let parts: Vec<String> = values
        .enumerate()
        .map(|(k, v)| format!("\"{k}\":\"{v}\""))
        .collect();
    format!("{{{}}}", parts.join(","))
}

/// Every job at the context's time, by Id.
pub fn routine_load_jobs(c: &Ctx) -> Vec<RoutineLoadJob> {
    let m = &c.sh.model;
    let targets = targets(m);
    let pause = operator_pause(m, targets.len(), c.t);
    let injected = c.view.on_since(&Fault::RoutineLoadPaused, c.t);
    let mut jobs: Vec<RoutineLoadJob> = targets
        .iter()
        .enumerate()
        .map(|(i, (d, t))| {
            let why = match (injected, pause) {
                (Some(since), _) if i == 0 => Why::ErrorRows(since),
                (_, Some(p)) if p.job == i && c.t < p.to => Why::Operator(p.from),
                (_, Some(p)) if p.job == i => Why::Rescheduling,
                _ => Why::Running,
            };
            job(c, i, d, t, why)
        })
        .collect();
    jobs.sort_by_key(|j| j.id);
    jobs
}

/// Job `i` on `d`.`t` as `why` leaves it.
fn job(c: &Ctx, i: usize, d: &Db, t: &Table, why: Why) -> RoutineLoadJob {
    let m = &c.sh.model;
    let id = t.id + 70_000;
    let name = format!("{}_from_kafka", t.name);
    let created = (t.created_ms + 86_400_000 * (3 + i as i64)).min(c.t);
    let (state, paused_at) = match why {
        Why::Running => ("RUNNING", None),
        Why::Rescheduling => ("NEED_SCHEDULE", None),
        Why::Operator(at) | Why::ErrorRows(at) => ("PAUSED", Some(at.clamp(created, c.t))),
    };
    // Offsets stand still while paused: the lag grows instead.
    let upto = paused_at.unwrap_or(c.t);
    let rate = 1.5 + 2.5 * m.rand(id);
    let rows_at = |x: i64| (m.queries_between(created, x) * rate).floor() as u64;
    let rows = rows_at(upto);
    let parts = 2 + i as u64;
    let skew = |k: u64| 1.0 + 0.04 * (k as f64 - (parts - 1) as f64 / 2.0);
    let offsets: Vec<u64> = (0..parts)
        .map(|k| (rows as f64 / parts as f64 * skew(k)).floor() as u64)
        .collect();
    // Running: about a second of messages behind; paused: all since the pause.
    let backlog = rows_at(c.t).saturating_sub(rows) / parts;
    let lags: Vec<u64> = (0..parts)
        .map(|k| {
            let jitter = m.rand(id ^ (k << 40) ^ (c.t.div_euclid(15_000) as u64));
            backlog + (m.qps(c.t) * rate / parts as f64 * (0.2 + 0.6 * jitter)) as u64
        })
        .collect();
    let stamps: Vec<u64> = (0..parts)
        .map(|k| (upto - 180 - 90 * k as i64).max(0) as u64)
        .collect();
    let errors = rows / 50_000
        + match why {
            Why::ErrorRows(_) => 1_234,
            _ => 0,
        };
    let tasks = ((upto - created).max(0) / 15_000) as u64;
    let exec_ms = tasks * 9_000 + 1;
    let bytes = rows * 180;
    let statistic = format!(
        "{{\"receivedBytes\":{bytes},\"errorRows\":{errors},\"committedTaskNum\":{tasks},\"loadedRows\":{},\"loadRowsRate\":{},\"abortedTaskNum\":{},\"totalRows\":{rows},\"unselectedRows\":0,\"receivedBytesRate\":{},\"taskExecuteTimeMs\":{exec_ms}}}",
        rows.saturating_sub(errors),
        rows * 1000 / exec_ms,
        tasks / 400,
        bytes * 1000 / exec_ms,
    );
    let running_tasks = if state == "RUNNING" { parts } else { 0 };
    let job_properties = format!(
        "{{\"partitions\":\"*\",\"rowDelimiter\":\"\\t\",\"partial_update\":\"false\",\"columnToColumnExpr\":\"*\",\"maxBatchIntervalS\":\"10\",\"partial_update_mode\":\"null\",\"whereExpr\":\"*\",\"timezone\":\"UTC\",\"format\":\"json\",\"columnSeparator\":\"'\\t'\",\"log_rejected_record_num\":\"0\",\"taskTimeoutSecond\":\"60\",\"json_root\":\"\",\"maxFilterRatio\":\"1.0\",\"strict_mode\":\"false\",\"jsonpaths\":\"\",\"taskConsumeSecond\":\"15\",\"desireTaskConcurrentNum\":\"5\",\"maxErrorNum\":\"1000\",\"strip_outer_array\":\"false\",\"currentTaskConcurrentNum\":\"{running_tasks}\",\"maxBatchRows\":\"200000\"}}"
    );
    let partitions: Vec<String> = (0..parts).map(|k| k.to_string()).collect();
    let source = format!(
        "{{\"topic\":\"{}.{}\",\"currentKafkaPartitions\":\"{}\",\"brokerList\":\"kafka-0.kafka.invalid:9092,kafka-1.kafka.invalid:9092\"}}",
        d.name,
        t.name,
        partitions.join(",")
    );
    let group = (m.rand(id + 1) * 1e15) as u64;
    let custom = format!(
        "{{\"kafka_default_offsets\":\"OFFSET_END\",\"group.id\":\"{name}_{group:015x}\"}}"
    );
    let (reason, error_log, tracking) = match why {
        Why::ErrorRows(at) => (
            TOO_MANY_ERROR_ROWS.to_string(),
            format!(
                "http://{}:{}/api/_load_error_log?file=error_log_{:016x}_{:016x}",
                host(&m.spec, Role::Be, 0),
                be_ports(c.sh, 0).http,
                id,
                at as u64
            ),
            format!(
                "select tracking_log from information_schema.load_tracking_logs where job_id={id}"
            ),
        ),
        Why::Operator(_) => (MANUAL_PAUSE.to_string(), String::new(), String::new()),
        Why::Running | Why::Rescheduling => (String::new(), String::new(), String::new()),
    };
    let mut row = vec![
        s(id),
        s(&name),
        s(datetime(created)),
        s(paused_at.map_or_else(|| "NULL".to_string(), datetime)),
        s("NULL"),
        s(&d.name),
        s(&t.name),
        s(state),
        s("KAFKA"),
        s(running_tasks),
        s(job_properties),
        s(source),
        s(custom),
        s(statistic),
        s(per_partition(offsets.iter().copied())),
        s(per_partition(stamps.iter().copied())),
        s(reason),
        s(error_log),
        s(tracking),
        s(""),
        s(per_partition(offsets.iter().zip(&lags).map(|(o, l)| o + l))),
        s(per_partition(lags.iter().copied())),
        s(per_partition(
            stamps
                .iter()
                .map(|ts| (c.t.max(0) as u64).saturating_sub(*ts)),
        )),
    ];
    row.truncate(columns(c.v()).len());
    RoutineLoadJob {
        id,
        name,
        db: d.name.clone(),
        table: t.name.clone(),
        state,
        row,
    }
}

/// `SHOW [ALL] ROUTINE LOAD` of database `db`, optionally only the job `name`.
/// Every job is RUNNING, PAUSED or NEED_SCHEDULE, so ALL lists the same rows.
pub fn routine_load_grid(c: &Ctx, db: &str, name: Option<&str>) -> Grid {
    let mut g = Grid::strings(columns(c.v()));
    g.rows = routine_load_jobs(c)
        .into_iter()
        .filter(|j| j.db.eq_ignore_ascii_case(db))
        .filter(|j| name.is_none_or(|n| j.name == n))
        .map(|j| j.row)
        .collect();
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::{Faults, View};
    use crate::ops::{operator_pause, RESCHEDULE_MS};
    use crate::tests::{calm, shared_of};

    const T: i64 = 1_764_000_000_000;

    fn ctx(sh: &crate::Shared, t: i64, view: View) -> Ctx<'_> {
        Ctx { sh, fe: 0, t, view }
    }

    #[test]
    fn three_jobs_run_and_their_offsets_grow() {
        let sh = shared_of("3.3-shared-nothing", 2);
        let t = calm(&sh, T);
        let a = routine_load_jobs(&ctx(&sh, t, View::default()));
        assert_eq!(a.len(), 3);
        assert!(a.iter().all(|j| j.state == "RUNNING" && j.row.len() == 23));
        let b = routine_load_jobs(&ctx(&sh, t + 30_000, View::default()));
        let progress = |j: &RoutineLoadJob| j.row[14].text().unwrap_or_default();
        assert_ne!(progress(&a[0]), progress(&b[0]));
        assert_eq!(a[0].row[16], s(""));
        let old = shared_of("3.0-shared-nothing", 2);
        let jobs = routine_load_jobs(&ctx(&old, t, View::default()));
        assert!(jobs.iter().all(|j| j.row.len() == 20));
    }

    #[test]
    fn the_fault_pauses_the_first_job_for_error_rows() {
        let sh = shared_of("3.3-shared-nothing", 2);
        let t = calm(&sh, T);
        let f = Faults::new();
        f.set_at(Fault::RoutineLoadPaused, t);
        let jobs = routine_load_jobs(&ctx(&sh, t + 60_000, f.view()));
        let first = &jobs[0];
        assert_eq!(first.state, "PAUSED");
        assert_eq!(first.row[3], s(datetime(t)));
        assert_eq!(first.row[16], s(TOO_MANY_ERROR_ROWS));
        assert!(first.row[17]
            .proc_text()
            .contains("/api/_load_error_log?file=error_log_"));
        assert_eq!(jobs.iter().filter(|j| j.state == "RUNNING").count(), 2);
        f.clear_at(&Fault::RoutineLoadPaused, t + 120_000);
        let jobs = routine_load_jobs(&ctx(&sh, t + 120_001, f.view()));
        assert!(jobs.iter().all(|j| j.state == "RUNNING"));
    }

    #[test]
    fn operators_pause_and_resume_now_and_then() {
        let sh = shared_of("3.3-shared-nothing", 2);
        let m = &sh.model;
        let p = (0..)
            .find_map(|i| operator_pause(m, 3, T + i * 60_000))
            .expect("a pause within the day");
        let jobs = routine_load_jobs(&ctx(&sh, p.from + 1_000, View::default()));
        let paused: Vec<_> = jobs.iter().filter(|j| j.state == "PAUSED").collect();
        assert_eq!(paused.len(), 1);
        assert_eq!(paused[0].row[16], s(MANUAL_PAUSE));
        let jobs = routine_load_jobs(&ctx(&sh, p.to + 1_000, View::default()));
        assert_eq!(
            jobs.iter().filter(|j| j.state == "NEED_SCHEDULE").count(),
            1
        );
        let jobs = routine_load_jobs(&ctx(&sh, p.to + RESCHEDULE_MS, View::default()));
        assert!(jobs.iter().all(|j| j.state == "RUNNING"));
    }

    #[test]
    fn no_databases_no_jobs() {
        let spec = |databases, tables_per_db| crate::ClusterSpec {
            databases,
            tables_per_db,
            ..crate::ClusterSpec::default()
        };
        assert_eq!(routine_load_count(&Model::new(spec(0, 6))), 0);
        assert_eq!(routine_load_count(&Model::new(spec(1, 1))), 1);
        assert_eq!(routine_load_count(&Model::new(spec(2, 0))), 0);
    }
}
