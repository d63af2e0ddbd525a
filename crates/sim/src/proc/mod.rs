//! The FE's tables: proc nodes (`/api/show_proc`, `SHOW PROC`, `SHOW BACKENDS`...)
//! and the information_schema views, built once per request from the model.
//! Running queries are per FE: [`Ctx::fe`] is the FE that answers.
//!
//! Columns follow INTERFACES.md in order and per version; values are already in
//! the FE's string formats.
//!
//! This file holds the table types ([`Grid`], [`Val`], [`Kind`]), the request
//! context and the proc path dispatch. Each proc path has its own module
//! (`backends`, `compute_nodes`, `frontends`, `dbs`, `statistic`, `jobs`,
//! `current_queries` with `global_current_queries`); so does each
//! information_schema view (`tables`, `columns`, `mvs`,
//! `loads`, and `node_metrics` for fe_metrics / be_metrics), `processlist`, the
//! schema change jobs (`alters`) that `SHOW ALTER TABLE`, `/jobs` and the FE
//! metrics share, and the routine load jobs (`routine_loads`) that `SHOW ROUTINE
//! LOAD` and the FE metrics share.

mod alters;
mod backends;
mod columns;
mod compute_nodes;
mod current_queries;
mod dbs;
mod frontends;
mod jobs;
mod loads;
mod mvs;
mod node_metrics;
mod processlist;
mod routine_loads;
mod statistic;
mod tables;

pub use alters::{alter_grid, alter_jobs};
pub use columns::columns_grid;
pub use frontends::fe_names;
pub use loads::{load_jobs, loads_grid};
pub use mvs::mvs_grid;
pub use node_metrics::{be_metrics_grid, fe_metrics_grid};
pub use processlist::processlist;
pub use routine_loads::{routine_load_count, routine_load_grid, routine_load_jobs};
pub use tables::tables_grid;

use super::deploy::{self, Role};
use super::faults::{View, HOSTILE_HOSTS};
use super::format::{datetime, pct1, pct2};
use super::profile::{Mode, Version};
use super::Shared;

/// How a column is typed on the MySQL wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Datetime,
    Double,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Str(String),
    /// A DOUBLE, written as the BE prints it (`4785.25`, `5000`).
    Float(f64),
}

impl Val {
    /// MySQL text-protocol value, `None` for NULL.
    pub fn text(&self) -> Option<String> {
        match self {
            Val::Null => None,
            Val::Int(i) => Some(i.to_string()),
            Val::Str(s) => Some(s.clone()),
            Val::Float(f) => Some(format!("{f}")),
        }
    }

    /// As a proc value: always a string, NULL spelled `NULL`.
    pub fn proc_text(&self) -> String {
        self.text().unwrap_or_else(|| "NULL".into())
    }
}

fn s(v: impl ToString) -> Val {
    Val::Str(v.to_string())
}

fn int(v: impl TryInto<i64>) -> Val {
    Val::Int(v.try_into().unwrap_or(i64::MAX))
}

fn dt(ms: i64) -> Val {
    Val::Str(datetime(ms))
}

/// A result table: named, typed columns and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub cols: Vec<(String, Kind)>,
    pub rows: Vec<Vec<Val>>,
}

impl Grid {
    fn strings(cols: &[&str]) -> Grid {
        Grid {
            cols: cols.iter().map(|c| (c.to_string(), Kind::Str)).collect(),
            rows: Vec::new(),
        }
    }

    fn typed(cols: &[(&str, Kind)]) -> Grid {
        Grid {
            cols: cols.iter().map(|(c, k)| (c.to_string(), *k)).collect(),
            rows: Vec::new(),
        }
    }

    /// The JSON body of `/api/show_proc`: objects with string values on 3.1+,
    /// arrays of strings on 3.0.
    pub fn proc_json(&self, version: Version) -> String {
        let mut out = String::from("[");
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match version {
                Version::V3_3 => {
                    out.push('{');
                    for (j, ((name, _), v)) in self.cols.iter().zip(row).enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        out.push_str(&super::format::json_str(name));
                        out.push(':');
                        out.push_str(&super::format::json_str(&v.proc_text()));
                    }
                    out.push('}');
                }
                Version::V3_0 => {
                    out.push('[');
                    for (j, v) in row.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        out.push_str(&super::format::json_str(&v.proc_text()));
                    }
                    out.push(']');
                }
            }
        }
        out.push(']');
        out
    }
}

/// Everything a table needs: the cluster, the time and the fault history.
pub struct Ctx<'a> {
    pub sh: &'a Shared,
    /// The FE that answers (its HTTP or MySQL listener): FE 0 is the leader
    /// unless it is down.
    pub fe: usize,
    pub t: i64,
    pub view: View,
}

impl Ctx<'_> {
    fn v(&self) -> Version {
        self.sh.model.spec.version
    }

    fn mode(&self) -> Mode {
        self.sh.model.spec.mode
    }

    fn alive(&self, be: usize) -> bool {
        self.view.dead_since(be).is_none()
    }

    /// Heartbeats every 5 s; a dead node's last one is from before it died.
    fn heartbeat(&self, be: usize) -> i64 {
        let at = self
            .view
            .dead_since(be)
            .map_or(self.t, |d| d.min(self.t) - 3_000);
        at.div_euclid(5_000) * 5_000
    }

    fn node_running(&self, be: usize) -> usize {
        if !self.alive(be) {
            return 0;
        }
        let n = self.sh.model.spec.backends;
        let q = self.sh.model.running_queries(self.t);
        q / n + usize::from(be < q % n)
    }

    /// NumRunningQueries, MemUsedPct and CpuUsedPct of a node: zeros when dead.
    fn usage(&self, be: usize) -> [Val; 3] {
        let m = &self.sh.model;
        let (mem, cpu) = if self.alive(be) {
            (
                m.mem_used(be, self.t) * 100.0 / m.mem_limit(be),
                m.cpu_pct(be, self.t),
            )
        } else {
            (0.0, 0.0)
        };
        [s(self.node_running(be)), s(pct2(mem)), s(pct1(cpu))]
    }
}

/// One row of a node list: which simulated node `k` it describes, as row `i`
/// naming `host`.
struct Row {
    i: usize,
    k: usize,
    host: String,
}

impl Ctx<'_> {
    /// The rows of a list of `n` nodes: one per node normally; one per
    /// [`HOSTILE_HOSTS`] entry with NodeInjection; with ManyNodes, when `many`,
    /// that many (on hostile hosts in turn if NodeInjection is on too, else on
    /// the deployment's host of row `i`). Row `i` describes node `i % n`: its
    /// ports and its figures.
    fn rows(&self, n: usize, many: bool, role: Role) -> Vec<Row> {
        let hostile = self.view.hostile_hosts;
        if n == 0 {
            return Vec::new();
        }
        let count = match self.view.many_nodes {
            Some(m) if many => m,
            _ if hostile => HOSTILE_HOSTS.len(),
            _ => n,
        };
        (0..count)
            .map(|i| Row {
                i,
                k: i % n,
                host: if hostile {
                    HOSTILE_HOSTS[i % HOSTILE_HOSTS.len()].to_string()
                } else {
                    deploy::host(&self.sh.model.spec, role, i)
                },
            })
            .collect()
    }
}

pub const HEARTBEAT_ERR: &str =
    "java.net.ConnectException: Connection refused (Connection refused)";

/// A proc path's table, `None` for a path the FE does not know.
pub fn proc(c: &Ctx, path: &str) -> Option<Grid> {
    let path = path.trim();
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    match path {
        "/backends" => Some(backends::grid(c)),
        "/compute_nodes" => Some(compute_nodes::grid(c)),
        "/frontends" => Some(frontends::grid(c)),
        "/dbs" => Some(dbs::grid(c)),
        "/statistic" => Some(statistic::grid(c)),
        "/jobs" => Some(jobs::grid(c)),
        "/current_queries" => Some(current_queries::grid(c)),
        "/global_current_queries" => current_queries::global(c),
        p => {
            let id: u64 = p.strip_prefix("/jobs/")?.parse().ok()?;
            jobs::of_db(c, id)
        }
    }
}
