//! The samples of the labelled `starrocks_fe_` families: per user, per backend,
//! per database, per job type and state, per thread pool.

use super::{Num, Sample, Scrape};
use crate::deploy::{be_ports, host, Role};
use crate::proc::{alter_jobs, load_jobs, Ctx};
use crate::profile::Version;
use crate::state::Db;

/// Per user on 3.3; one unlabelled total on 3.0.
pub(super) fn connections(s: &Scrape) -> Vec<Sample> {
    let load = s.m.load(s.t);
    match s.m.spec.version {
        Version::V3_3 => ["root", "app_1", "etl"]
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let n = (load * 6.0) as u64 / (i as u64 + 1) + 1;
                (vec![("user", u.to_string())], Num::Int(n))
            })
            .collect(),
        Version::V3_0 => vec![(vec![], Num::Int((load * 9.0) as u64 + 1))],
    }
}

/// The mean and the quantiles, as multiples of the mean.
pub(super) fn latencies(s: &Scrape) -> Vec<Sample> {
    [
        ("mean", 1.0),
        ("50_quantile", 0.6),
        ("75_quantile", 1.2),
        ("90_quantile", 2.5),
        ("95_quantile", 4.0),
        ("99_quantile", 9.0),
        ("999_quantile", 25.0),
    ]
    .iter()
    .map(|(ty, mult)| {
        let v = Num::Double(s.m.latency_ms(s.t, *mult));
        (vec![("type", ty.to_string())], v)
    })
    .collect()
}

/// One sample per backend, labelled with its heartbeat address as the node
/// list names it (`host:HeartbeatPort`).
pub(super) fn per_backend(s: &Scrape, v: impl Fn(usize) -> u64) -> Vec<Sample> {
    (0..s.m.spec.backends)
        .map(|k| {
            let be = format!(
                "{}:{}",
                host(&s.m.spec, Role::Be, k),
                be_ports(s.sh, k).heartbeat
            );
            (vec![("backend", be)], Num::Int(v(k)))
        })
        .collect()
}

/// One sample per user database.
pub(super) fn per_db(s: &Scrape, v: impl Fn(&Db) -> u64) -> Vec<Sample> {
    s.m.dbs
        .iter()
        .map(|d| (vec![("db_name", d.name.clone())], Num::Int(v(d))))
        .collect()
}

const LOAD_TYPES: [&str; 8] = [
    "HADOOP",
    "MINI",
    "INSERT",
    "BROKER",
    "DELETE",
    "SPARK",
    "LOCAL_FILE",
    "UNKNOWN",
];

const LOAD_STATES: [&str; 8] = [
    "UNKNOWN",
    "PENDING",
    "ETL",
    "LOADING",
    "COMMITTED",
    "FINISHED",
    "CANCELLED",
    "QUEUEING",
];

/// Load jobs by type and state (every pair, zeros included), then the running
/// alter jobs. Only the leader runs jobs: a follower reports zeros.
pub(super) fn jobs(s: &Scrape) -> Vec<Sample> {
    let ctx = Ctx {
        sh: s.sh,
        t: s.t,
        view: s.view.clone(),
    };
    let loads = if s.leader {
        load_jobs(&ctx)
    } else {
        Vec::new()
    };
    let alters = if s.leader {
        alter_jobs(&ctx)
    } else {
        Vec::new()
    };
    let job = |job: &str, ty: &str, st: &str, n: usize| {
        let labels = vec![
            ("job", job.into()),
            ("type", ty.into()),
            ("state", st.into()),
        ];
        (labels, Num::Int(n as u64))
    };
    let mut out = Vec::new();
    for ty in LOAD_TYPES {
        for st in LOAD_STATES {
            let n = loads
                .iter()
                .filter(|l| l.kind == ty && l.state == st)
                .count();
            out.push(job("load", ty, st, n));
        }
    }
    let running = alters
        .iter()
        .filter(|a| a.state == "RUNNING" || a.state == "PENDING")
        .count();
    out.push(job("alter", "ROLLUP", "running", 0));
    out.push(job("alter", "SCHEMA_CHANGE", "running", running));
    out
}

/// Two RUNNING routine loads on the leader, every other state empty.
pub(super) fn routine_load_jobs(s: &Scrape) -> Vec<Sample> {
    [
        "NEED_SCHEDULE",
        "RUNNING",
        "PAUSED",
        "STOPPED",
        "CANCELLED",
        "UNSTABLE",
    ]
    .iter()
    .map(|st| {
        let n = if *st == "RUNNING" && s.leader { 2 } else { 0 };
        (vec![("state", st.to_string())], Num::Int(n))
    })
    .collect()
}

/// TCP counters proportional to the queries since this FE started.
pub(super) fn snmp(s: &Scrape) -> Vec<Sample> {
    let queries = s.m.queries_between(s.c.start_ms, s.t);
    [
        ("tcp_retrans_segs", 0.0004),
        ("tcp_in_errs", 0.00001),
        ("tcp_in_segs", 1.0),
        ("tcp_out_segs", 1.1),
    ]
    .iter()
    .map(|(n, f)| {
        let v = (queries * 40.0 * f) as u64;
        (vec![("name", n.to_string())], Num::Int(v))
    })
    .collect()
}

/// Size, active threads and queue length of each pool.
pub(super) fn thread_pools(s: &Scrape) -> Vec<Sample> {
    let active = (s.m.load(s.t) * 4.0) as u64;
    let mut out = Vec::new();
    for pool in [
        "mysql_worker",
        "query_deploy",
        "task_run",
        "compaction_dispatch",
        "publish_version",
        "report_handler",
    ] {
        for (ty, v) in [
            ("pool_size", 64),
            ("active_thread_num", active),
            ("task_in_queue", 0),
        ] {
            let labels = vec![("name", pool.to_string()), ("type", ty.to_string())];
            out.push((labels, Num::Int(v)));
        }
    }
    out
}
