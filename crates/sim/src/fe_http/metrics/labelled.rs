//! The samples of the labelled `starrocks_fe_` families: per user, per backend,
//! per database, per job type and state, per routine load job or state, per
//! thread pool, per resource group.

use super::{Num, Sample, Scrape};
use crate::deploy::{be_ports, host, Role};
use crate::ops;
use crate::proc::{alter_jobs, load_jobs, routine_load_jobs as rl_jobs, Ctx};
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
    let ctx = ctx(s);
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

/// The context the proc tables want, for the families that read them.
fn ctx<'a>(s: &Scrape<'a>) -> Ctx<'a> {
    Ctx {
        sh: s.sh,
        fe: s.fe,
        t: s.t,
        view: s.view.clone(),
    }
}

const ROUTINE_LOAD_STATES: [&str; 6] = [
    "NEED_SCHEDULE",
    "RUNNING",
    "PAUSED",
    "STOPPED",
    "CANCELLED",
    "UNSTABLE",
];

/// 3.3: the leader's routine load jobs counted by state, every state listed;
/// a follower reports zeros.
pub(super) fn routine_load_states(s: &Scrape) -> Vec<Sample> {
    let jobs = if s.leader {
        rl_jobs(&ctx(s))
    } else {
        Vec::new()
    };
    ROUTINE_LOAD_STATES
        .iter()
        .map(|st| {
            let n = jobs.iter().filter(|j| j.state == *st).count() as u64;
            (vec![("state", st.to_string())], Num::Int(n))
        })
        .collect()
}

/// 3.0: one line per job of the leader, value 1, its state a label; a
/// follower writes none (the FE skips the family off the leader).
pub(super) fn routine_load_jobs(s: &Scrape) -> Vec<Sample> {
    if !s.leader {
        return Vec::new();
    }
    rl_jobs(&ctx(s))
        .into_iter()
        .map(|j| {
            let labels = vec![
                ("name", j.name),
                ("table", j.table),
                ("database", j.db),
                ("state", j.state.to_string()),
            ];
            (labels, Num::Int(1))
        })
        .collect()
}

/// Running transactions of each user database: every FE replays them, so
/// every FE reports the same.
pub(super) fn txn_running(s: &Scrape) -> Vec<Sample> {
    ops::txn_running(s.m, s.t, s.view)
        .into_iter()
        .map(|(db, n)| (vec![("db", db)], Num::Int(n)))
        .collect()
}

/// The resource groups queries run in: name, share of the queries, and how
/// much slower than the cluster's mean their queries are.
const GROUPS: [(&str, f64, f64); 3] = [
    ("default_wg", 0.62, 1.0),
    ("rg_bi", 0.3, 1.4),
    ("rg_etl", 0.08, 4.5),
];

/// `total × share × factor` for each group: the groups' counters, which
/// together follow this FE's query counter (and restart with it).
pub(super) fn per_group(_s: &Scrape, total: u64, factor: f64) -> Vec<Sample> {
    GROUPS
        .iter()
        .map(|(name, share, _)| {
            let v = (total as f64 * share * factor).floor() as u64;
            (vec![("name", name.to_string())], Num::Int(v))
        })
        .collect()
}

/// Each group's latency (ms) by type, labels `type` then `name` as the FE
/// adds them; slower groups have longer tails.
pub(super) fn group_latencies(s: &Scrape) -> Vec<Sample> {
    let mut out = Vec::new();
    for (name, _, slow) in GROUPS {
        for (ty, mult) in [
            ("mean", 1.0),
            ("75_quantile", 1.2),
            ("95_quantile", 4.0),
            ("98_quantile", 6.5),
            ("99_quantile", 9.0),
            ("999_quantile", 25.0),
        ] {
            let labels = vec![("type", ty.to_string()), ("name", name.to_string())];
            out.push((labels, Num::Double(s.m.latency_ms(s.t, mult * slow))));
        }
    }
    out
}

/// Queries queued in each group now: a few when the cluster is busy.
pub(super) fn group_queue_pending(s: &Scrape) -> Vec<Sample> {
    let busy = (s.m.load(s.t) - 1.0).max(0.0);
    GROUPS
        .iter()
        .map(|(name, share, _)| {
            let v = (busy * share * 8.0).floor() as u64;
            (vec![("name", name.to_string())], Num::Int(v))
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
