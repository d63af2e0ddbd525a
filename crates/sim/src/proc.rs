//! The FE's tables: proc nodes (`/api/show_proc`, `SHOW PROC`, `SHOW BACKENDS`...)
//! and the information_schema views, built once per request from the model.
//!
//! Columns follow INTERFACES.md in order and per version; values are already in
//! the FE's string formats.

use super::faults::View;
use super::format::{capacity, datetime, mem_limit, pct1, pct2};
use super::profile::{Mode, Version};
use super::state::EPOCH_MS;
use super::Shared;

/// How a column is typed on the MySQL wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    Int,
    Datetime,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Str(String),
}

impl Val {
    /// MySQL text-protocol value, `None` for NULL.
    pub fn text(&self) -> Option<String> {
        match self {
            Val::Null => None,
            Val::Int(i) => Some(i.to_string()),
            Val::Str(s) => Some(s.clone()),
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
        "/backends" => Some(backends(c)),
        "/compute_nodes" => Some(compute_nodes(c)),
        "/frontends" => Some(frontends(c)),
        "/dbs" => Some(dbs(c)),
        "/statistic" => Some(statistic(c)),
        "/jobs" => Some(jobs(c)),
        "/current_queries" => Some(current_queries(c)),
        p => {
            let id: u64 = p.strip_prefix("/jobs/")?.parse().ok()?;
            jobs_of(c, id)
        }
    }
}

fn backends(c: &Ctx) -> Grid {
    let v = c.v();
    let mut cols = vec![
        "BackendId",
        "IP",
        "HeartbeatPort",
        "BePort",
        "HttpPort",
        "BrpcPort",
        "LastStartTime",
        "LastHeartbeat",
        "Alive",
        "SystemDecommissioned",
        "ClusterDecommissioned",
        "TabletNum",
        "DataUsedCapacity",
        "AvailCapacity",
        "TotalCapacity",
        "UsedPct",
        "MaxDiskUsedPct",
        "ErrMsg",
        "Version",
        "Status",
        "DataTotalCapacity",
        "DataUsedPct",
        "CpuCores",
    ];
    if v == Version::V3_3 {
        cols.push("MemLimit");
    }
    cols.extend(["NumRunningQueries", "MemUsedPct", "CpuUsedPct"]);
    if v == Version::V3_3 {
        cols.extend(["DataCacheMetrics", "Location"]);
    }
    let mut g = Grid::strings(&cols);
    if c.mode() == Mode::SharedData {
        return g;
    }
    let m = &c.sh.model;
    for (k, addr) in c.sh.be_http.iter().enumerate() {
        let alive = c.alive(k);
        let d = m.disk(k, c.t);
        let used_pct = (d.total - d.avail) * 100.0 / d.total;
        let data_total = d.data_used + d.avail;
        let report = c.heartbeat(k).div_euclid(60_000) * 60_000;
        let mut row = vec![
            s(10_001 + k),
            s("127.0.0.1"),
            s(9050 + k * 10),
            s(9060 + k * 10),
            s(addr.port()),
            s(8060 + k * 10),
            dt(m.be_start(k, c.t)),
            dt(c.heartbeat(k)),
            s(alive),
            s(false),
            s(false),
            s(m.tablets_on(k)),
            s(capacity(d.data_used)),
            s(capacity(d.avail)),
            s(capacity(d.total)),
            s(pct2(used_pct)),
            s(pct2(used_pct)),
            s(if alive { "" } else { HEARTBEAT_ERR }),
            s(m.spec.version.full()),
            s(format!(
                "{{\"lastSuccessReportTabletsTime\":\"{}\"}}",
                datetime(report)
            )),
            s(capacity(data_total)),
            s(pct2(d.data_used * 100.0 / data_total.max(1.0))),
            s(m.cores(k)),
        ];
        if v == Version::V3_3 {
            row.push(s(mem_limit(m.mem_limit(k))));
        }
        let (mem, cpu) = if alive {
            (
                m.mem_used(k, c.t) * 100.0 / m.mem_limit(k),
                m.cpu_pct(k, c.t),
            )
        } else {
            (0.0, 0.0)
        };
        row.extend([s(c.node_running(k)), s(pct2(mem)), s(pct1(cpu))]);
        if v == Version::V3_3 {
            row.extend([s("N/A"), s("")]);
        }
        g.rows.push(row);
    }
    g
}

fn compute_nodes(c: &Ctx) -> Grid {
    let v = c.v();
    let mut cols = vec![
        "ComputeNodeId",
        "IP",
        "HeartbeatPort",
        "BePort",
        "HttpPort",
        "BrpcPort",
        "LastStartTime",
        "LastHeartbeat",
        "Alive",
        "SystemDecommissioned",
        "ClusterDecommissioned",
        "ErrMsg",
        "Version",
        "CpuCores",
    ];
    if v == Version::V3_3 {
        cols.push("MemLimit");
    }
    cols.extend(["NumRunningQueries", "MemUsedPct", "CpuUsedPct"]);
    if v == Version::V3_3 {
        cols.push("DataCacheMetrics");
    }
    cols.push("HasStoragePath");
    cols.extend(["StarletPort", "WorkerId"]);
    if v == Version::V3_3 {
        cols.extend(["WarehouseName", "TabletNum"]);
    }
    let mut g = Grid::strings(&cols);
    if c.mode() == Mode::SharedNothing {
        return g;
    }
    let m = &c.sh.model;
    for (k, addr) in c.sh.be_http.iter().enumerate() {
        let alive = c.alive(k);
        let mut row = vec![
            s(10_001 + k),
            s("127.0.0.1"),
            s(9050 + k * 10),
            s(9060 + k * 10),
            s(addr.port()),
            s(8060 + k * 10),
            dt(m.be_start(k, c.t)),
            dt(c.heartbeat(k)),
            s(alive),
            s(false),
            s(false),
            s(if alive { "" } else { HEARTBEAT_ERR }),
            s(m.spec.version.full()),
            s(m.cores(k)),
        ];
        if v == Version::V3_3 {
            row.push(s(mem_limit(m.mem_limit(k))));
        }
        let (mem, cpu) = if alive {
            (
                m.mem_used(k, c.t) * 100.0 / m.mem_limit(k),
                m.cpu_pct(k, c.t),
            )
        } else {
            (0.0, 0.0)
        };
        row.extend([s(c.node_running(k)), s(pct2(mem)), s(pct1(cpu))]);
        if v == Version::V3_3 {
            let d = m.disk(k, c.t);
            let cache = (d.total - d.avail) / 1024f64.powi(3);
            let cap = d.total * 0.2 / 1024f64.powi(3);
            row.push(s(format!(
                "Status: Normal, DiskUsage: {:.2}GB/{:.2}GB, MemUsage: 0.00GB/0.00GB",
                cache.min(cap),
                cap
            )));
        }
        row.extend([s(true), s(9070 + k * 10), s(k + 1)]);
        if v == Version::V3_3 {
            row.extend([s("default_warehouse"), s(m.tablets_on(k))]);
        }
        g.rows.push(row);
    }
    g
}

/// The `ReplayedJournalId` every FE has reached.
fn journal_id(c: &Ctx) -> u64 {
    let m = &c.sh.model;
    (m.queries_between(EPOCH_MS, c.t) * 0.05) as u64
}

fn frontends(c: &Ctx) -> Grid {
    let mut g = Grid::strings(&[
        "Name",
        "IP",
        "EditLogPort",
        "HttpPort",
        "QueryPort",
        "RpcPort",
        "Role",
        "ClusterId",
        "Join",
        "Alive",
        "ReplayedJournalId",
        "LastHeartbeat",
        "IsHelper",
        "ErrMsg",
        "StartTime",
        "Version",
    ]);
    let m = &c.sh.model;
    let cluster_id = 100_000_000 + (m.rand(11) * 1_900_000_000.0) as u64;
    let journal = journal_id(c);
    for (j, (http, q)) in c.sh.fe_http.iter().zip(&c.sh.fe_mysql).enumerate() {
        let added = EPOCH_MS - 120 * 86_400_000 + j as i64 * 61_000;
        g.rows.push(vec![
            s(format!("127.0.0.1_{}_{added}", 9010 + j * 10)),
            s("127.0.0.1"),
            s(9010 + j * 10),
            s(http.port()),
            s(q.port()),
            s(9020 + j * 10),
            s(if j == 0 { "LEADER" } else { "FOLLOWER" }),
            s(cluster_id),
            s(true),
            s(true),
            s(journal.saturating_sub(j as u64 * 3)),
            dt(c.t.div_euclid(5_000) * 5_000),
            s(true),
            s(""),
            dt(m.fe_start(j, c.t, &c.view)),
            s(m.spec.version.full()),
        ]);
    }
    g
}

/// System databases first, as the FE lists them.
fn system_dbs() -> [(u64, &'static str, usize); 3] {
    [
        (1, "information_schema", 54),
        (100, "sys", 6),
        (10_002, "_statistics_", 12),
    ]
}

fn dbs(c: &Ctx) -> Grid {
    let mut g = Grid::strings(&[
        "DbId",
        "DbName",
        "TableNum",
        "Quota",
        "LastConsistencyCheckTime",
        "ReplicaQuota",
    ]);
    let mut all: Vec<(u64, String, usize)> = system_dbs()
        .iter()
        .map(|(i, n, t)| (*i, n.to_string(), *t))
        .collect();
    all.extend(
        c.sh.model
            .dbs
            .iter()
            .map(|d| (d.id, d.name.clone(), d.tables.len())),
    );
    all.sort_by_key(|x| x.0);
    for (id, name, n) in all {
        g.rows.push(vec![
            s(id),
            s(name),
            s(n),
            s("8388608.000 TB"),
            Val::Null,
            s(i64::MAX),
        ]);
    }
    g
}

fn statistic(c: &Ctx) -> Grid {
    let mut g = Grid::strings(&[
        "DbId",
        "DbName",
        "TableNum",
        "PartitionNum",
        "IndexNum",
        "TabletNum",
        "ReplicaNum",
        "UnhealthyTabletNum",
        "InconsistentTabletNum",
        "CloningTabletNum",
        "ErrorStateTabletNum",
    ]);
    let m = &c.sh.model;
    let dead = c.view.dead.len() as u64;
    let nbe = m.spec.backends as u64;
    let mut rows: Vec<(String, String, [u64; 9])> = vec![
        ("1".into(), "information_schema".into(), [0; 9]),
        ("100".into(), "sys".into(), [0; 9]),
    ];
    for d in &m.dbs {
        let tables = d.tables.len() as u64;
        let parts: u64 = d.tables.iter().map(|t| t.partitions).sum();
        let tablets: u64 = d.tables.iter().map(|t| t.partitions * t.buckets).sum();
        let replicas = tablets * m.replicas();
        let unhealthy = (tablets * dead.min(m.replicas()) / nbe.max(1)).min(tablets);
        rows.push((
            d.id.to_string(),
            d.name.clone(),
            [
                tables,
                parts,
                tables,
                tablets,
                replicas,
                unhealthy,
                0,
                unhealthy / 10,
                0,
            ],
        ));
    }
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    let mut total = [0u64; 9];
    for (id, name, v) in &rows {
        for (t, x) in total.iter_mut().zip(v) {
            *t += x;
        }
        let mut row = vec![s(id), s(name)];
        row.extend(v.iter().map(s));
        g.rows.push(row);
    }
    let mut row = vec![s("Total"), s(rows.len())];
    row.extend(total.iter().map(s));
    g.rows.push(row);
    g
}

fn jobs(c: &Ctx) -> Grid {
    let mut g = Grid::strings(&["DbId", "DbName"]);
    g.rows.push(vec![s(10_002), s("_statistics_")]);
    g.rows.push(vec![s(1), s("information_schema")]);
    for d in &c.sh.model.dbs {
        g.rows.push(vec![s(d.id), s(&d.name)]);
    }
    g
}

fn jobs_of(c: &Ctx, db: u64) -> Option<Grid> {
    let m = &c.sh.model;
    let known = db == 1 || db == 10_002 || m.dbs.iter().any(|d| d.id == db);
    if !known {
        return None;
    }
    let mut g = Grid::strings(&[
        "JobType",
        "Pending",
        "Running",
        "Finished",
        "Cancelled",
        "Total",
    ]);
    let loads: Vec<LoadJob> = load_jobs(c).into_iter().filter(|l| l.db_id == db).collect();
    let alters: Vec<AlterJob> = alter_jobs(c)
        .into_iter()
        .filter(|a| a.db_id == db)
        .collect();
    let count = |st: &[&str], states: &mut dyn Iterator<Item = &str>| {
        states.filter(|x| st.contains(x)).count()
    };
    let l = |st: &[&str]| count(st, &mut loads.iter().map(|x| x.state));
    let a = |st: &[&str]| count(st, &mut alters.iter().map(|x| x.state));
    let lrow = [
        l(&["PENDING"]),
        l(&["LOADING", "ETL"]),
        l(&["FINISHED"]),
        l(&["CANCELLED"]),
    ];
    let arow = [
        a(&["PENDING", "WAITING_TXN"]),
        a(&["RUNNING"]),
        a(&["FINISHED"]),
        a(&["CANCELLED"]),
    ];
    for (name, r) in [
        ("load", lrow),
        ("rollup", [0; 4]),
        ("schema_change", arow),
        ("export", [0; 4]),
    ] {
        let total: usize = r.iter().sum();
        let mut row = vec![s(name)];
        row.extend(r.iter().map(s));
        row.push(s(total));
        g.rows.push(row);
    }
    Some(g)
}

/// A uuid-looking query id from a key.
fn query_id(c: &Ctx, key: u64) -> String {
    let a = (c.sh.model.rand(key) * 4_294_967_295.0) as u64;
    let b = (c.sh.model.rand(key + 1) * 4_294_967_295.0) as u64;
    format!(
        "{:08x}-{:04x}-11ef-{:04x}-{:012x}",
        a,
        b & 0xffff,
        (b >> 16) & 0xffff,
        a * 65_537 % 0xffff_ffff_ffff
    )
}

fn current_queries(c: &Ctx) -> Grid {
    let m = &c.sh.model;
    let n = m.running_queries(c.t);
    let bucket = c.t.div_euclid(10_000) as u64;
    let v3 = c.v() == Version::V3_3;
    let mut g = if v3 {
        Grid::strings(&[
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
        ])
    } else {
        Grid::strings(&[
            "QueryId",
            "ConnectionId",
            "Database",
            "User",
            "ScanBytes",
            "ProcessRows",
            "CPUCostSeconds",
            "MemoryUsageBytes",
            "ExecTime",
        ])
    };
    for k in 0..n as u64 {
        let key = bucket * 131 + k * 7;
        let exec_ms = 200 + (m.rand(key + 2) * 20_000.0) as i64 + (c.t - bucket as i64 * 10_000);
        let rows = (m.rand(key + 3) * 8e6) as u64;
        let scan = rows as f64 * 21.6;
        let mem = 4e6 + m.rand(key + 4) * 4e8;
        let cpu_s = exec_ms as f64 / 1000.0 * (1.0 + m.rand(key + 5) * 8.0);
        let conn = 1000 + (m.rand(key + 6) * 5000.0) as u64;
        let db = m
            .dbs
            .get(k as usize % m.dbs.len().max(1))
            .map_or("sales".to_string(), |d| d.name.clone());
        let user = if k % 3 == 0 {
            "root".to_string()
        } else {
            format!("app_{}", k % 3)
        };
        let row = if v3 {
            vec![
                dt(c.t - exec_ms),
                s("127.0.0.1"),
                s(query_id(c, key)),
                s(conn),
                s(db),
                s(user),
                s(capacity(scan)),
                s(format!("{rows} rows")),
                s(capacity(mem)),
                s("0.000 B"),
                s(format!("{cpu_s:.3} s")),
                s(format!("{:.3} s", exec_ms as f64 / 1000.0)),
                s("RUNNING"),
                s("default_warehouse"),
                s(""),
                s(if k % 2 == 0 { "default_wg" } else { "rg_etl" }),
            ]
        } else {
            let two = |b: f64| {
                let t = capacity(b);
                let (num, unit) = t.split_once(' ').unwrap_or((&t, "B"));
                let num: f64 = num.parse().unwrap_or(0.0);
                format!("{num:.2} {unit}")
            };
            vec![
                s(query_id(c, key)),
                s(conn),
                s(db),
                s(user),
                s(two(scan)),
                s(format!("{rows} Rows")),
                s(format!("{cpu_s:.2} Seconds")),
                s(two(mem)),
                s(exec_ms),
            ]
        };
        g.rows.push(row);
    }
    g
}

/// One schema change job.
pub struct AlterJob {
    pub db_id: u64,
    pub db: String,
    pub state: &'static str,
    pub row: Vec<Val>,
}

/// Schema change jobs: one finished per table pair, one RUNNING whose progress
/// moves every hour, one PENDING and one CANCELLED.
pub fn alter_jobs(c: &Ctx) -> Vec<AlterJob> {
    let m = &c.sh.model;
    let mut out = Vec::new();
    let hour = c.t.div_euclid(3_600_000);
    for (i, d) in m.dbs.iter().enumerate() {
        for (j, t) in d.tables.iter().enumerate().step_by(3) {
            let state = match (i, j) {
                (0, 0) => "RUNNING",
                (1, 0) => "PENDING",
                (2, 0) => "CANCELLED",
                _ => "FINISHED",
            };
            let job_id = t.id
                + 50_000
                + if state == "RUNNING" {
                    hour as u64 % 1000
                } else {
                    0
                };
            let create = match state {
                "RUNNING" => hour * 3_600_000 + 120_000,
                "PENDING" => c.t - 45_000,
                _ => t.created_ms + 86_400_000 * (1 + j as i64),
            };
            let create = create.min(c.t);
            let progress = if state == "RUNNING" {
                let done = ((c.t - create).max(0) * 48 / 3_600_000).min(47);
                s(format!("{done}/48"))
            } else {
                Val::Null
            };
            let finish = match state {
                "FINISHED" | "CANCELLED" => dt(create + 600_000),
                _ => Val::Null,
            };
            let msg = if state == "CANCELLED" {
                "Cancelled by user"
            } else {
                ""
            };
            let row = vec![
                int(job_id),
                s(&t.name),
                dt(create),
                finish,
                s(&t.name),
                int(t.id + 1),
                int(t.id + 2),
                s("1:0"),
                int(t.id * 3 + 7),
                s(state),
                s(msg),
                progress,
                int(86_400),
            ];
            out.push(AlterJob {
                db_id: d.id,
                db: d.name.clone(),
                state,
                row,
            });
        }
    }
    out
}

/// SchemaChangeProcDir columns (`SHOW ALTER TABLE COLUMN`).
pub fn alter_grid(c: &Ctx, db: Option<&str>) -> Grid {
    let mut g = Grid::typed(&[
        ("JobId", Kind::Int),
        ("TableName", Kind::Str),
        ("CreateTime", Kind::Datetime),
        ("FinishTime", Kind::Datetime),
        ("IndexName", Kind::Str),
        ("IndexId", Kind::Int),
        ("OriginIndexId", Kind::Int),
        ("SchemaVersion", Kind::Str),
        ("TransactionId", Kind::Int),
        ("State", Kind::Str),
        ("Msg", Kind::Str),
        ("Progress", Kind::Str),
        ("Timeout", Kind::Int),
    ]);
    g.rows = alter_jobs(c)
        .into_iter()
        .filter(|a| db.is_none_or(|d| d.eq_ignore_ascii_case(&a.db)))
        .map(|a| a.row)
        .collect();
    g
}

/// One load job.
pub struct LoadJob {
    pub db_id: u64,
    pub kind: &'static str,
    pub state: &'static str,
    pub row: Vec<Val>,
}

/// Load jobs: finished broker/insert loads, one LOADING broker load, one
/// CANCELLED with an error, one PENDING spark load. Labels move every 10 min.
pub fn load_jobs(c: &Ctx) -> Vec<LoadJob> {
    let m = &c.sh.model;
    let slot = c.t.div_euclid(600_000);
    let mut out = Vec::new();
    for (i, d) in m.dbs.iter().enumerate() {
        let plan: &[(&str, &str)] = match i {
            0 => &[
                ("BROKER", "FINISHED"),
                ("BROKER", "LOADING"),
                ("INSERT", "FINISHED"),
            ],
            1 => &[("INSERT", "FINISHED"), ("BROKER", "CANCELLED")],
            2 => &[("SPARK", "PENDING"), ("INSERT", "FINISHED")],
            _ => &[("INSERT", "FINISHED")],
        };
        for (j, (kind, state)) in plan.iter().enumerate() {
            let id = d.id * 1000 + slot as u64 % 1000 * 10 + j as u64;
            let create = slot * 600_000 - 300_000 * j as i64;
            let rows = (m.rand(id) * 5e6) as i64;
            let tbl = d
                .tables
                .get(j % d.tables.len().max(1))
                .map_or("t", |t| t.name.as_str());
            let (progress, etl_start, load_start, load_finish, err) = match *state {
                "FINISHED" => (
                    "ETL:100%; LOAD:100%",
                    dt(create + 1_000),
                    dt(create + 2_000),
                    dt(create + 62_000),
                    Val::Null,
                ),
                "LOADING" => (
                    "ETL:100%; LOAD:37%",
                    dt(create + 1_000),
                    dt(create + 2_000),
                    Val::Null,
                    Val::Null,
                ),
                "CANCELLED" => (
                    "ETL:100%; LOAD:0%",
                    dt(create + 1_000),
                    Val::Null,
                    Val::Null,
                    s("type:ETL_QUALITY_UNSATISFIED; msg:quality not good enough to cancel"),
                ),
                _ => (
                    "ETL:0%; LOAD:0%",
                    Val::Null,
                    Val::Null,
                    Val::Null,
                    Val::Null,
                ),
            };
            let label = format!("{}_{}_{}", kind.to_lowercase(), tbl, create / 1000);
            let row = vec![
                int(id),
                s(&label),
                s(&d.name),
                s(*state),
                s(progress),
                s(*kind),
                s("NORMAL"),
                int(rows),
                int(if *state == "CANCELLED" { rows / 5 } else { 0 }),
                int(0),
                int(if *state == "FINISHED" { rows } else { 0 }),
                Val::Null,
                s(format!(
                    "resource:N/A; timeout(s):14400; max_filter_ratio:0.0; table:{tbl}"
                )),
                dt(create),
                etl_start.clone(),
                etl_start,
                load_start,
                load_finish,
                s(format!(
                    "{{\"Unfinished backends\":{{}},\"ScannedRows\":{rows},\"TaskNumber\":1}}"
                )),
                err,
                s(""),
                s(""),
                Val::Null,
            ];
            out.push(LoadJob {
                db_id: d.id,
                kind,
                state,
                row,
            });
        }
    }
    out
}

pub fn loads_grid(c: &Ctx) -> Grid {
    let mut g = Grid::typed(&[
        ("JOB_ID", Kind::Int),
        ("LABEL", Kind::Str),
        ("DATABASE_NAME", Kind::Str),
        ("STATE", Kind::Str),
        ("PROGRESS", Kind::Str),
        ("TYPE", Kind::Str),
        ("PRIORITY", Kind::Str),
        ("SCAN_ROWS", Kind::Int),
        ("FILTERED_ROWS", Kind::Int),
        ("UNSELECTED_ROWS", Kind::Int),
        ("SINK_ROWS", Kind::Int),
        ("ETL_INFO", Kind::Str),
        ("TASK_INFO", Kind::Str),
        ("CREATE_TIME", Kind::Datetime),
        ("ETL_START_TIME", Kind::Datetime),
        ("ETL_FINISH_TIME", Kind::Datetime),
        ("LOAD_START_TIME", Kind::Datetime),
        ("LOAD_FINISH_TIME", Kind::Datetime),
        ("JOB_DETAILS", Kind::Str),
        ("ERROR_MSG", Kind::Str),
        ("TRACKING_URL", Kind::Str),
        ("TRACKING_SQL", Kind::Str),
        ("REJECTED_RECORD_PATH", Kind::Str),
    ]);
    g.rows = load_jobs(c).into_iter().map(|l| l.row).collect();
    g
}

/// information_schema.tables: user tables, `_statistics_` tables and a few of
/// information_schema's own views.
pub fn tables_grid(c: &Ctx) -> Grid {
    let m = &c.sh.model;
    let mut g = Grid::typed(&[
        ("TABLE_CATALOG", Kind::Str),
        ("TABLE_SCHEMA", Kind::Str),
        ("TABLE_NAME", Kind::Str),
        ("TABLE_TYPE", Kind::Str),
        ("ENGINE", Kind::Str),
        ("VERSION", Kind::Int),
        ("ROW_FORMAT", Kind::Str),
        ("TABLE_ROWS", Kind::Int),
        ("AVG_ROW_LENGTH", Kind::Int),
        ("DATA_LENGTH", Kind::Int),
        ("MAX_DATA_LENGTH", Kind::Int),
        ("INDEX_LENGTH", Kind::Int),
        ("DATA_FREE", Kind::Int),
        ("AUTO_INCREMENT", Kind::Int),
        ("CREATE_TIME", Kind::Datetime),
        ("UPDATE_TIME", Kind::Datetime),
        ("CHECK_TIME", Kind::Datetime),
        ("TABLE_COLLATION", Kind::Str),
        ("CHECKSUM", Kind::Int),
        ("CREATE_OPTIONS", Kind::Str),
        ("TABLE_COMMENT", Kind::Str),
    ]);
    let engine = match c.mode() {
        Mode::SharedNothing => "StarRocks",
        Mode::SharedData => "StarRocks",
    };
    for view in [
        "tables",
        "columns",
        "schemata",
        "materialized_views",
        "loads",
        "be_tablets",
    ] {
        g.rows.push(vec![
            s("def"),
            s("information_schema"),
            s(view),
            s("SYSTEM VIEW"),
            s("MEMORY"),
            Val::Null,
            Val::Null,
            int(0),
            int(0),
            int(0),
            int(0),
            int(0),
            int(0),
            Val::Null,
            Val::Null,
            Val::Null,
            Val::Null,
            s("utf8_general_ci"),
            Val::Null,
            s(""),
            s(""),
        ]);
    }
    let stats = [
        ("column_statistics", 12_000i64),
        ("histogram_statistics", 300),
        ("table_statistic_v1", 4_000),
    ];
    for (i, (name, rows)) in stats.iter().enumerate() {
        g.rows.push(vec![
            s("def"),
            s("_statistics_"),
            s(*name),
            s("BASE TABLE"),
            s(engine),
            Val::Null,
            Val::Null,
            int(*rows),
            int(220),
            int(rows * 220 * m.replicas() as i64),
            int(0),
            int(0),
            int(0),
            Val::Null,
            dt(EPOCH_MS - 200 * 86_400_000 + i as i64),
            dt(c.t.div_euclid(3_600_000) * 3_600_000),
            Val::Null,
            s("utf8_general_ci"),
            Val::Null,
            s(""),
            s(""),
        ]);
    }
    for d in &m.dbs {
        for t in &d.tables {
            let upd = c.t - (m.rand(t.id) * 3_600_000.0) as i64;
            g.rows.push(vec![
                s("def"),
                s(&d.name),
                s(&t.name),
                s("BASE TABLE"),
                s(engine),
                Val::Null,
                Val::Null,
                int(m.table_rows(t, c.t)),
                int(m.avg_row_len(t)),
                int(m.table_bytes(t, c.t)),
                int(0),
                int(0),
                int(0),
                Val::Null,
                dt(t.created_ms),
                dt(upd.div_euclid(1000) * 1000),
                Val::Null,
                s("utf8_general_ci"),
                Val::Null,
                s(""),
                s(""),
            ]);
        }
    }
    g
}

/// information_schema.materialized_views: one per database, the second one
/// FAILED with an error, the third inactive.
pub fn mvs_grid(c: &Ctx) -> Grid {
    let m = &c.sh.model;
    let cols = [
        "MATERIALIZED_VIEW_ID",
        "TABLE_SCHEMA",
        "TABLE_NAME",
        "REFRESH_TYPE",
        "IS_ACTIVE",
        "INACTIVE_REASON",
        "PARTITION_TYPE",
        "TASK_ID",
        "TASK_NAME",
        "LAST_REFRESH_START_TIME",
        "LAST_REFRESH_FINISHED_TIME",
        "LAST_REFRESH_DURATION",
        "LAST_REFRESH_STATE",
        "LAST_REFRESH_FORCE_REFRESH",
        "LAST_REFRESH_START_PARTITION",
        "LAST_REFRESH_END_PARTITION",
        "LAST_REFRESH_BASE_REFRESH_PARTITIONS",
        "LAST_REFRESH_MV_REFRESH_PARTITIONS",
        "LAST_REFRESH_ERROR_CODE",
        "LAST_REFRESH_ERROR_MESSAGE",
        "TABLE_ROWS",
        "MATERIALIZED_VIEW_DEFINITION",
    ];
    let mut g = Grid::strings(&cols);
    let hour = c.t.div_euclid(3_600_000) * 3_600_000;
    for (i, d) in m.dbs.iter().enumerate() {
        let Some(base) = d.tables.first() else {
            continue;
        };
        let name = format!("mv_{}_daily", base.name);
        let id = base.id + 90_000;
        let (active, reason, state, code, msg) = match i % 4 {
            1 => ("true", "", "FAILED", "-1", format!(
                "Refresh materialized view {name} failed after retrying 1 times(try-lock 0 times), error-msg : Memory of query_pool exceed limit. Pipeline Backend: 127.0.0.1, fragment: 6f1e..., Used: 6.1GB, Limit: 6.0GB"
            )),
            2 => ("false", "base-table dropped: ods_tmp", "SKIPPED", "0", String::new()),
            _ => ("true", "", "SUCCESS", "0", String::new()),
        };
        let dur = 2.0 + m.rand(id) * 60.0;
        g.rows.push(vec![
            s(id),
            s(&d.name),
            s(&name),
            s("ASYNC"),
            s(active),
            s(reason),
            s("RANGE"),
            s(id + 1),
            s(format!("mv-{id}")),
            dt(hour),
            dt(hour + (dur * 1000.0) as i64),
            s(format!("{dur:.3}")),
            s(state),
            s("false"),
            s("p20250101"),
            s("p20251231"),
            s(format!("{{{}={{p20251124}}}}", base.name)),
            s("[p20251124]"),
            s(code),
            s(msg),
            s(m.table_rows(base, c.t) / 24),
            s(format!(
                "CREATE MATERIALIZED VIEW `{name}` REFRESH ASYNC EVERY(INTERVAL 1 HOUR) AS SELECT date_trunc('day', dt) AS d, count(*) AS c FROM `{}`.`{}` GROUP BY 1;",
                d.name, base.name
            )),
        ]);
    }
    g
}

/// `SHOW PROCESSLIST`: the caller's own session plus a few seeded ones.
pub fn processlist(c: &Ctx, me: u32, user: &str, db: &str) -> Grid {
    let mut g = Grid::typed(&[
        ("Id", Kind::Int),
        ("User", Kind::Str),
        ("Host", Kind::Str),
        ("Db", Kind::Str),
        ("Command", Kind::Str),
        ("ConnectionStartTime", Kind::Datetime),
        ("Time", Kind::Int),
        ("State", Kind::Str),
        ("Info", Kind::Str),
        ("IsPending", Kind::Str),
    ]);
    let m = &c.sh.model;
    let n = m.running_queries(c.t) + 2;
    for k in 0..n {
        let id = 1 + k as i64 * 3;
        let since = c.t - 60_000 - (m.rand(900 + k as u64) * 7_200_000.0) as i64;
        let busy = k < n - 2;
        let db = m
            .dbs
            .get(k % m.dbs.len().max(1))
            .map_or("", |d| d.name.as_str());
        g.rows.push(vec![
            int(id),
            s(if k % 2 == 0 { "app_1" } else { "etl" }),
            s(format!("127.0.0.1:{}", 40_000 + k * 17)),
            s(db),
            s(if busy { "Query" } else { "Sleep" }),
            dt(since),
            int(if busy {
                (m.rand(950 + k as u64) * 30.0) as i64
            } else {
                (c.t - since) / 1000
            }),
            s("OK"),
            s(if busy {
                "SELECT count(*) FROM orders WHERE dt >= '2025-11-01'"
            } else {
                ""
            }),
            s("false"),
        ]);
    }
    g.rows.push(vec![
        int(i64::from(me)),
        s(user),
        s("127.0.0.1:50000"),
        s(db),
        s("Query"),
        dt(c.t),
        int(0),
        s("OK"),
        s("SHOW PROCESSLIST"),
        s("false"),
    ]);
    g
}
