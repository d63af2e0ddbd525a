//! The queries each FE is running, and the ones killed over MySQL.
//!
//! Every FE holds its own connections, so each one runs its own queries: FE `j`
//! has seven *lanes* (connections that run one query after another). Two are
//! long lanes: a query every 8 to 14 minutes (the period is seeded per FE) that
//! runs 80 to 95 % of it, the second lane half a period behind the first, so
//! every FE always runs at least one query, and one that has run for more than
//! 60 s. Five are short lanes (periods of about 6 s to 75 s) that run a query
//! in a cycle with a probability that follows the cluster's load.
//!
//! A query is a pure function of (seed, FE, lane, cycle): it keeps its QueryId,
//! ConnectionId, user, database and start time from one poll to the next while
//! its ExecTime, scanned rows, CPU time and memory grow, and disappears when it
//! ends (or when its FE restarts). ConnectionIds are `1000 + 8 × (cycle mod
//! 5000) + lane`: distinct within an FE at any time.
//!
//! `KILL [QUERY | CONNECTION] <id>` on an FE that runs a query on connection
//! `id` remembers (FE, connection, start) in [`Killed`]; the query is gone from
//! every listing from then on.

use super::faults::View;
use super::state::Model;
use super::Shared;
use std::collections::VecDeque;
use std::sync::Mutex;

/// A second login besides the cluster's own user: it may log in over MySQL
/// and HTTP but is not an admin (show_proc answers it 401, and it may not kill
/// another user's query).
pub const VIEWER_USER: &str = "viewer";
/// [`VIEWER_USER`]'s password.
pub const VIEWER_PASSWORD: &str = "viewer";

/// Whether `user` may do what the FE keeps to admins (show_proc over HTTP,
/// killing another user's query): the cluster's own user (root by default).
pub fn is_admin(sh: &Shared, user: &str) -> bool {
    user == sh.model.spec.user && user != VIEWER_USER
}

const LONG_LANES: usize = 2;
const SHORT_PERIODS_S: [f64; 5] = [6.0, 10.0, 18.0, 35.0, 75.0];
/// Lanes per FE; ConnectionIds leave room for 8.
const LANES: usize = LONG_LANES + SHORT_PERIODS_S.len();
const _: () = assert!(LANES <= 8);

/// One running query of one FE.
#[derive(Debug, Clone, PartialEq)]
pub struct RunningQuery {
    pub fe: usize,
    pub conn: u32,
    pub query_id: String,
    pub user: &'static str,
    pub db: String,
    pub start_ms: i64,
    pub exec_ms: i64,
    pub scan_rows: u64,
    pub scan_bytes: f64,
    pub mem_bytes: f64,
    pub spill_bytes: f64,
    pub cpu_s: f64,
    pub resource_group: &'static str,
}

/// A uniform number in [0, 1) for field `field` of cycle `cycle` of a lane.
fn r(m: &Model, fe: usize, lane: usize, cycle: i64, field: u64) -> f64 {
    let key = (0x5Au64 << 56)
        ^ ((fe as u64) << 52)
        ^ ((lane as u64) << 46)
        ^ (((cycle as u64) & ((1 << 42) - 1)) << 4)
        ^ field;
    m.rand(key)
}

/// A lane's period and phase (ms).
fn lane_timing(m: &Model, fe: usize, lane: usize) -> (i64, i64) {
    if lane < LONG_LANES {
        let period = 480_000 + (r(m, fe, 0, 0, 1) * 360_000.0) as i64;
        let phase = (r(m, fe, 0, 0, 2) * period as f64) as i64 + lane as i64 * period / 2;
        (period, phase)
    } else {
        let base = SHORT_PERIODS_S[lane - LONG_LANES];
        let period = (base * 1000.0 * (0.7 + 0.6 * r(m, fe, lane, 0, 1))) as i64;
        let phase = (r(m, fe, lane, 0, 2) * period as f64) as i64;
        (period, phase)
    }
}

const SHORT_USERS: [&str; 6] = [
    "root",
    "bi_reader",
    "bi_reader",
    "analyst",
    "etl_loader",
    "bi_reader",
];
const LONG_USERS: [&str; 3] = ["analyst", "bi_reader", "etl_loader"];

/// A uuid-looking (version 1, as the FE makes them) query id: the time of
/// the start, a random clock sequence and the FE's node part.
fn query_id(m: &Model, fe: usize, lane: usize, cycle: i64, start_ms: i64) -> String {
    let ticks = (start_ms as u64).wrapping_mul(10_000);
    let node = (r(m, fe, 7, 0, 9) * 281_474_976_710_655.0) as u64;
    let mid = (r(m, fe, lane, cycle, 10) * 65_535.0) as u64;
    let seq = 0x8000 | (r(m, fe, lane, cycle, 11) * 16_383.0) as u64;
    format!(
        "{:08x}-{:04x}-11ef-{:04x}-{:012x}",
        ticks & 0xffff_ffff,
        mid,
        seq,
        node
    )
}

/// The query lane `lane` of FE `fe` runs at `t`, if any.
fn on_lane(m: &Model, fe: usize, lane: usize, t: i64) -> Option<RunningQuery> {
    let (period, phase) = lane_timing(m, fe, lane);
    let cycle = (t - phase).div_euclid(period);
    let start = phase + cycle * period;
    let long = lane < LONG_LANES;
    let u = |field| r(m, fe, lane, cycle, field);
    let dur = if long {
        period as f64 * (0.8 + 0.15 * u(3))
    } else {
        if u(4) >= (0.3 * m.load(start)).min(0.9) {
            return None;
        }
        period as f64 * (0.15 + 0.8 * u(3))
    };
    let exec_ms = t - start;
    if exec_ms as f64 >= dur {
        return None;
    }
    let user = if lane == 0 {
        "etl_loader"
    } else if long {
        LONG_USERS[(u(5) * LONG_USERS.len() as f64) as usize % LONG_USERS.len()]
    } else {
        SHORT_USERS[(u(5) * SHORT_USERS.len() as f64) as usize % SHORT_USERS.len()]
    };
    let db = m
        .dbs
        .get((u(6) * m.dbs.len() as f64) as usize % m.dbs.len().max(1))
        .map_or_else(|| "sales".to_string(), |d| d.name.clone());
    let secs = exec_ms as f64 / 1000.0;
    let rate = if long {
        2e5 + u(7) * 2.8e6
    } else {
        1e5 + u(7) * 4.9e6
    };
    let rows = (rate * secs).floor();
    let row_bytes = 20.0 + u(8) * 100.0;
    let mem_cap = if long {
        256.0 * 1024.0 * 1024.0 * (1.0 + u(12) * 23.0)
    } else {
        8.0 * 1024.0 * 1024.0 * (1.0 + u(12) * 127.0)
    };
    let spill = if long && u(13) < 0.3 {
        (secs - 60.0).max(0.0) * 5.0 * 1024.0 * 1024.0
    } else {
        0.0
    };
    let conn = 1000 + 8 * cycle.rem_euclid(5000) as u32 + lane as u32;
    Some(RunningQuery {
        fe,
        conn,
        query_id: query_id(m, fe, lane, cycle, start),
        user,
        db,
        start_ms: start,
        exec_ms,
        scan_rows: rows as u64,
        scan_bytes: (rows * row_bytes).floor(),
        mem_bytes: (mem_cap * (secs / 10.0).clamp(0.05, 1.0)).floor(),
        spill_bytes: spill.floor(),
        cpu_s: secs * (1.0 + u(14) * 11.0),
        resource_group: match user {
            "etl_loader" => "rg_etl",
            "bi_reader" => "rg_bi",
            _ => "default_wg",
        },
    })
}

/// Query `i` of the ones [`crate::Fault::BusyQueries`] adds to FE `fe`:
/// each runs for most of a ten-minute cycle of its own phase, with its own
/// connection id (from 100,000 on, beyond the lanes').
fn busy_query(m: &Model, fe: usize, i: usize, t: i64) -> Option<RunningQuery> {
    const CYCLE: i64 = 600_000;
    let phase = (r(m, fe, 8, i as i64, 20) * CYCLE as f64) as i64;
    let cycle = (t - phase).div_euclid(CYCLE);
    let start = phase + cycle * CYCLE;
    let exec_ms = t - start;
    if exec_ms >= CYCLE * 9 / 10 {
        return None;
    }
    let secs = exec_ms as f64 / 1000.0;
    let rows = (5e5 * secs).floor();
    let user = SHORT_USERS[i % SHORT_USERS.len()];
    Some(RunningQuery {
        fe,
        conn: 100_000 + i as u32,
        query_id: query_id(m, fe, 8 + (i % 8), cycle * 10_007 + i as i64, start),
        user,
        db: m
            .dbs
            .get(i % m.dbs.len().max(1))
            .map_or_else(|| "sales".to_string(), |d| d.name.clone()),
        start_ms: start,
        exec_ms,
        scan_rows: rows as u64,
        scan_bytes: rows * 64.0,
        mem_bytes: 64.0 * 1024.0 * 1024.0,
        spill_bytes: 0.0,
        cpu_s: secs * 2.0,
        resource_group: "default_wg",
    })
}

/// What FE `fe` runs at `t`, oldest first: none started before the FE did,
/// none killed.
pub fn running(sh: &Shared, fe: usize, t: i64, view: &View) -> Vec<RunningQuery> {
    let m = &sh.model;
    let since = m.fe_start(fe, t, view);
    let busy = view.busy_queries.unwrap_or(0);
    let mut out: Vec<RunningQuery> = (0..LANES)
        .filter_map(|lane| on_lane(m, fe, lane, t))
        .chain((0..busy).filter_map(|i| busy_query(m, fe, i, t)))
        .filter(|q| q.start_ms >= since && !sh.killed.contains(q))
        .collect();
    out.sort_by_key(|q| (q.start_ms, q.conn));
    out
}

/// How many kills [`Killed`] remembers; older ones are forgotten (their
/// queries have long ended).
const MAX_KILLED: usize = 4_096;

/// The queries killed over MySQL, by (FE, ConnectionId, start).
#[derive(Debug, Default)]
pub struct Killed(Mutex<VecDeque<(usize, u32, i64)>>);

impl Killed {
    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(usize, u32, i64)>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn add(&self, q: &RunningQuery) {
        let mut k = self.lock();
        if k.len() >= MAX_KILLED {
            k.pop_front();
        }
        k.push_back((q.fe, q.conn, q.start_ms));
    }

    pub fn contains(&self, q: &RunningQuery) -> bool {
        self.lock().contains(&(q.fe, q.conn, q.start_ms))
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }
}
