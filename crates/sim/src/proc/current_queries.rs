//! `/current_queries` (the answering FE's running queries) and
//! `/global_current_queries` (every alive FE's, 3.3 only), with the 3.3 or the
//! 3.0 columns. The queries come from [`crate::queries`].

use super::{dt, s, Ctx, Grid, Val};
use crate::deploy::{self, Role};
use crate::format::capacity;
use crate::profile::Version;
use crate::queries::{running, RunningQuery};

const V33: [&str; 16] = [
    "StartTime",
    "feIp",
    "QueryId",
    "ConnectionId",
    "Database",
    "User",
    "ScanBytes",
    "ScanRows",
    "MemoryUsage",
    "DiskSpillSize",
    "CPUTime",
    "ExecTime",
    "ExecState",
    "Warehouse",
    "CustomQueryId",
    "ResourceGroup",
];

const V30: [&str; 9] = [
    "QueryId",
    "ConnectionId",
    "Database",
    "User",
    "ScanBytes",
    "ProcessRows",
    "CPUCostSeconds",
    "MemoryUsageBytes",
    "ExecTime",
];

/// The old (3.0) byte format: two decimals, `13.02 GB`.
fn two(bytes: f64) -> String {
    let t = capacity(bytes);
    let (num, unit) = t.split_once(' ').unwrap_or((&t, "B"));
    let num: f64 = num.parse().unwrap_or(0.0);
    format!("{num:.2} {unit}")
}

fn row(c: &Ctx, q: &RunningQuery) -> Vec<Val> {
    if c.v() == Version::V3_3 {
        vec![
            dt(q.start_ms),
            s(deploy::host(&c.sh.model.spec, Role::Fe, q.fe)),
            s(&q.query_id),
            s(q.conn),
            s(&q.db),
            s(q.user),
            s(capacity(q.scan_bytes)),
            s(format!("{} rows", q.scan_rows)),
            s(capacity(q.mem_bytes)),
            s(capacity(q.spill_bytes)),
            s(format!("{:.3} s", q.cpu_s)),
            s(format!("{:.3} s", q.exec_ms as f64 / 1000.0)),
            s("RUNNING"),
            s("default_warehouse"),
            s(""),
            s(q.resource_group),
        ]
    } else {
        vec![
            s(&q.query_id),
            s(q.conn),
            s(&q.db),
            s(q.user),
            s(two(q.scan_bytes)),
            s(format!("{} Rows", q.scan_rows)),
            s(format!("{:.2} Seconds", q.cpu_s)),
            s(two(q.mem_bytes)),
            s(q.exec_ms),
        ]
    }
}

fn grid_of(c: &Ctx, queries: &[RunningQuery]) -> Grid {
    let mut g = if c.v() == Version::V3_3 {
        Grid::strings(&V33)
    } else {
        Grid::strings(&V30)
    };
    g.rows = queries.iter().map(|q| row(c, q)).collect();
    g
}

/// The answering FE's queries, oldest first.
pub(super) fn grid(c: &Ctx) -> Grid {
    grid_of(c, &running(c.sh, c.fe, c.t, &c.view))
}

/// Every alive FE's queries, oldest first; `None` before 3.3 (an unknown path).
pub(super) fn global(c: &Ctx) -> Option<Grid> {
    if c.v() != Version::V3_3 {
        return None;
    }
    let mut all: Vec<RunningQuery> = (0..c.sh.model.spec.frontends)
        .filter(|j| c.view.fe_down_since(*j).is_none())
        .flat_map(|j| running(c.sh, j, c.t, &c.view))
        .collect();
    all.sort_by_key(|q| (q.start_ms, q.fe, q.conn));
    Some(grid_of(c, &all))
}
