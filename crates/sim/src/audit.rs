//! The AuditLoader plugin's table, `starrocks_audit_db__.starrocks_audit_tbl__`,
//! on clusters whose [`AuditTable`] says it is installed.
//!
//! Nothing is stored: time is cut into 1.5 s slots and each slot holds at most
//! one audit row, derived from (seed, slot index) alone, so any time range is
//! produced on demand (a day is 57,600 slots). A slot holds a row with a
//! probability that follows the cluster's day curve ([`Model::load`]): about
//! 0.3 statements a second on average. About 4 % are `connection` rows
//! (isQuery 0, no statement); the others are statements of five users
//! (`dashboard_svc`, `bi_reader`, `etl_loader`, `analyst`, `root`) over the
//! model's tables, from a dozen shapes: point lookups, daily counts, top-N
//! aggregations with string and number literals, joins, a three-table join,
//! window functions, LIKE searches, `INSERT INTO ... SELECT` (isQuery 0, as
//! for any DML), `SELECT @@version_comment`, SHOW and SET statements.
//!
//! - `timestamp` is when the statement started (UTC), `queryTime` log-normal
//!   per shape: about 3 % at 5 s or more, a few a day above 60 s (and the
//!   timeouts, at 300 s). `queryType` is `slow_query` when queryTime is above
//!   5000 (the plugin's `qe_slow_log_ms`, compared with `>`), else `query`;
//!   `connection` for connections.
//! - About 2 % of the statements fail: state `ERR` and in `errorCode` what the
//!   FE writes there. 3.3 writes ConnectContext.getNormalizedErrorCode(): the
//!   BE's TStatusCode name when the BE failed (`MEM_LIMIT_EXCEEDED`,
//!   `CANCELLED`, `INTERNAL_ERROR`), else the FE's QueryState.ErrType
//!   (`ANALYSIS_ERR`, `EXEC_TIME_OUT`, `INTERNAL_ERR`). 3.0 wrote only the BE's
//!   code (`TIMEOUT` for a timeout) and an empty string for the FE's errors.
//!   A fifth of the analysis errors are syntax errors: the statement did not
//!   parse, so isQuery is 0 and the digest empty. Other states: `EOF` for
//!   SELECT and SHOW, `OK` for INSERT, SET and connections.
//! - `digest` is 32 hex digits, equal for statements that differ only in their
//!   literals (and different otherwise), empty for the `analyst` user
//!   (whose client does not turn on `enable_sql_digest`: about 10 % of the
//!   queries), for SHOW, SET and connection rows, and for syntax errors.
//! - `QueriedRelations` (Full only) is a JSON array of
//!   `default_catalog.<db>.<table>` for SELECT and INSERT (`[]` for a SELECT
//!   without tables), NULL otherwise.
//! - `feIp` is the host of the FE that ran it; `clientIp` `10.x.y.z:port`.
//! - A row appears when its FE's loader next flushes after the statement
//!   ended (every 60 s, a seeded phase per FE): nothing from the future, and
//!   rows show up to a minute late. The table keeps 30 days (and today), as
//!   the plugin's `dynamic_partition.start = -30`.

use crate::deploy::{self, Role};
use crate::proc::{Ctx, Kind, Val};
use crate::profile::{AuditTable, Version};
use crate::state::Model;
use std::fmt::Write;

pub const AUDIT_DB: &str = "starrocks_audit_db__";
pub const AUDIT_TBL: &str = "starrocks_audit_tbl__";

/// One column of the table: name, wire type, and information_schema.columns'
/// DATA_TYPE and COLUMN_TYPE.
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub data_type: &'static str,
    pub column_type: &'static str,
}

const fn col(
    name: &'static str,
    kind: Kind,
    data_type: &'static str,
    column_type: &'static str,
) -> Column {
    Column {
        name,
        kind,
        data_type,
        column_type,
    }
}

/// Every column of the newest plugin's table, in order.
const COLUMNS: [Column; 29] = [
    col("queryId", Kind::Str, "varchar", "varchar(64)"),
    col("timestamp", Kind::Datetime, "datetime", "datetime"),
    col("queryType", Kind::Str, "varchar", "varchar(12)"),
    col("clientIp", Kind::Str, "varchar", "varchar(32)"),
    col("user", Kind::Str, "varchar", "varchar(64)"),
    col("authorizedUser", Kind::Str, "varchar", "varchar(64)"),
    col("resourceGroup", Kind::Str, "varchar", "varchar(64)"),
    col("catalog", Kind::Str, "varchar", "varchar(32)"),
    col("db", Kind::Str, "varchar", "varchar(96)"),
    col("state", Kind::Str, "varchar", "varchar(8)"),
    col("errorCode", Kind::Str, "varchar", "varchar(512)"),
    col("queryTime", Kind::Int, "bigint", "bigint(20)"),
    col("scanBytes", Kind::Int, "bigint", "bigint(20)"),
    col("scanRows", Kind::Int, "bigint", "bigint(20)"),
    col("returnRows", Kind::Int, "bigint", "bigint(20)"),
    col("cpuCostNs", Kind::Int, "bigint", "bigint(20)"),
    col("memCostBytes", Kind::Int, "bigint", "bigint(20)"),
    col("stmtId", Kind::Int, "int", "int(11)"),
    col("isQuery", Kind::Int, "tinyint", "tinyint(4)"),
    col("feIp", Kind::Str, "varchar", "varchar(128)"),
    col("stmt", Kind::Str, "varchar", "varchar(1048576)"),
    col("digest", Kind::Str, "varchar", "varchar(32)"),
    col("planCpuCosts", Kind::Double, "double", "double"),
    col("planMemCosts", Kind::Double, "double", "double"),
    col("pendingTimeMs", Kind::Int, "bigint", "bigint(20)"),
    col("candidateMVs", Kind::Str, "varchar", "varchar(65533)"),
    col("hitMvs", Kind::Str, "varchar", "varchar(65533)"),
    col(
        "QueriedRelations",
        Kind::Str,
        "array",
        "array<varchar(65533)>",
    ),
    col("warehouse", Kind::Str, "varchar", "varchar(128)"),
];

/// The older plugin's columns: up to and including `digest`.
const OLD_COLUMNS: usize = 22;

const QUERY_ID: usize = 0;
const TIMESTAMP: usize = 1;
const QUERY_TYPE: usize = 2;
const CLIENT_IP: usize = 3;
const USER: usize = 4;
const AUTHORIZED_USER: usize = 5;
const RESOURCE_GROUP: usize = 6;
const CATALOG: usize = 7;
const DB: usize = 8;
const STATE: usize = 9;
const ERROR_CODE: usize = 10;
const QUERY_TIME: usize = 11;
const SCAN_BYTES: usize = 12;
const SCAN_ROWS: usize = 13;
const RETURN_ROWS: usize = 14;
const CPU_COST_NS: usize = 15;
const MEM_COST_BYTES: usize = 16;
const STMT_ID: usize = 17;
const IS_QUERY: usize = 18;
const FE_IP: usize = 19;
const STMT: usize = 20;
const DIGEST: usize = 21;
const PLAN_CPU: usize = 22;
const PLAN_MEM: usize = 23;
const PENDING: usize = 24;
const CANDIDATE_MVS: usize = 25;
const HIT_MVS: usize = 26;
const RELATIONS: usize = 27;
const WAREHOUSE: usize = 28;

/// Whether the cluster has the audit database and table.
pub fn present(m: &Model) -> bool {
    m.spec.audit_table != AuditTable::None
}

/// The columns of a table of this column set (none when there is no table).
pub fn columns(set: AuditTable) -> &'static [Column] {
    match set {
        AuditTable::Full => &COLUMNS,
        AuditTable::Old => &COLUMNS[..OLD_COLUMNS],
        AuditTable::None => &[],
    }
}

const SLOT_MS: i64 = 1_500;
/// The plugin's `max_batch_interval_sec`.
const FLUSH_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;
const RETENTION_DAYS: i64 = 30;
/// Rows per slot at load 1: 0.3 a second on average.
const PER_SLOT: f64 = 0.45;
const CONNECTION_SHARE: f64 = 0.04;
const ERROR_SHARE: f64 = 0.02;
/// The plugin's `qe_slow_log_ms`.
const SLOW_MS: i64 = 5_000;

/// What a statement is, which decides isQuery, state and digest.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    Select,
    Insert,
    Show,
    Set,
}

/// One statement shape.
struct Tpl {
    sort: Sort,
    /// Median queryTime (ms) and the log-normal's sigma.
    median_ms: f64,
    sigma: f64,
    /// Tables it reads (and writes, for INSERT).
    tables: usize,
    /// Rows scanned per ms of queryTime (0: none).
    rows_per_ms: f64,
    /// Median memory (MB).
    mem_mb: f64,
}

const fn tpl(
    sort: Sort,
    median_ms: f64,
    sigma: f64,
    tables: usize,
    rows_per_ms: f64,
    mem_mb: f64,
) -> Tpl {
    Tpl {
        sort,
        median_ms,
        sigma,
        tables,
        rows_per_ms,
        mem_mb,
    }
}

const LOOKUP: usize = 0;
const DAILY: usize = 1;
const TOP_N: usize = 2;
const JOIN: usize = 3;
const HEAVY: usize = 4;
const COUNTER: usize = 5;
const ETL: usize = 6;
const VERSION: usize = 7;
const SHOW: usize = 8;
const SET: usize = 9;
const WINDOW: usize = 10;
const SEARCH: usize = 11;

const TPLS: [Tpl; 12] = [
    tpl(Sort::Select, 12.0, 0.7, 1, 0.0, 2.0),
    tpl(Sort::Select, 180.0, 0.8, 1, 20_000.0, 40.0),
    tpl(Sort::Select, 450.0, 0.9, 1, 25_000.0, 120.0),
    tpl(Sort::Select, 1_100.0, 1.0, 2, 30_000.0, 600.0),
    tpl(Sort::Select, 8_000.0, 0.8, 3, 40_000.0, 2_500.0),
    tpl(Sort::Select, 35.0, 0.7, 1, 30_000.0, 8.0),
    tpl(Sort::Insert, 12_000.0, 0.9, 2, 15_000.0, 1_200.0),
    tpl(Sort::Select, 1.0, 0.4, 0, 0.0, 0.0),
    tpl(Sort::Show, 3.0, 0.5, 0, 0.0, 0.0),
    tpl(Sort::Set, 1.0, 0.3, 0, 0.0, 0.0),
    tpl(Sort::Select, 1_800.0, 0.9, 1, 20_000.0, 900.0),
    tpl(Sort::Select, 700.0, 1.0, 1, 25_000.0, 60.0),
];

/// One application user: its share of the statements, where it connects
/// from, its resource group and the shapes it sends.
struct AppUser {
    name: &'static str,
    weight: f64,
    /// `10.{a}.{b}.{c0 + k}` for k below `hosts`.
    net: (u8, u8, u8),
    hosts: u8,
    group: &'static str,
    /// Its client qualifies tables with the database.
    qualify: bool,
    /// Its client turns on `enable_sql_digest`.
    digest: bool,
    tpls: &'static [(usize, f64)],
}

const USERS: [AppUser; 5] = [
    AppUser {
        name: "dashboard_svc",
        weight: 0.30,
        net: (20, 1, 11),
        hosts: 3,
        group: "rg_bi",
        qualify: true,
        digest: true,
        tpls: &[(COUNTER, 0.45), (DAILY, 0.30), (TOP_N, 0.25)],
    },
    AppUser {
        name: "bi_reader",
        weight: 0.30,
        net: (20, 3, 21),
        hosts: 6,
        group: "rg_bi",
        qualify: false,
        digest: true,
        tpls: &[
            (TOP_N, 0.40),
            (DAILY, 0.15),
            (JOIN, 0.22),
            (WINDOW, 0.10),
            (HEAVY, 0.04),
            (SEARCH, 0.08),
        ],
    },
    AppUser {
        name: "etl_loader",
        weight: 0.17,
        net: (30, 0, 5),
        hosts: 2,
        group: "rg_etl",
        qualify: true,
        digest: true,
        tpls: &[(ETL, 0.55), (LOOKUP, 0.25), (SHOW, 0.05), (SET, 0.15)],
    },
    AppUser {
        name: "analyst",
        weight: 0.09,
        net: (40, 7, 30),
        hosts: 4,
        group: "default_wg",
        qualify: false,
        digest: false,
        tpls: &[
            (JOIN, 0.35),
            (SEARCH, 0.30),
            (LOOKUP, 0.15),
            (HEAVY, 0.10),
            (TOP_N, 0.10),
        ],
    },
    AppUser {
        name: "root",
        weight: 0.14,
        net: (0, 0, 2),
        hosts: 2,
        group: "default_wg",
        qualify: false,
        digest: true,
        tpls: &[(VERSION, 0.45), (SHOW, 0.20), (LOOKUP, 0.25), (SET, 0.10)],
    },
];

/// How a statement failed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fail {
    Analysis,
    Memory,
    Timeout,
    Cancelled,
    BeInternal,
    FeInternal,
}

/// The failures, their shares, and what 3.3 and 3.0 write into errorCode.
const FAILS: [(Fail, f64, &str, &str); 6] = [
    (Fail::Analysis, 0.45, "ANALYSIS_ERR", ""),
    (
        Fail::Memory,
        0.15,
        "MEM_LIMIT_EXCEEDED",
        "MEM_LIMIT_EXCEEDED",
    ),
    (Fail::Timeout, 0.05, "EXEC_TIME_OUT", "TIMEOUT"),
    (Fail::Cancelled, 0.12, "CANCELLED", "CANCELLED"),
    (Fail::BeInternal, 0.13, "INTERNAL_ERROR", "INTERNAL_ERROR"),
    (Fail::FeInternal, 0.10, "INTERNAL_ERR", ""),
];

/// The session variable `query_timeout` (s) the timeouts hit.
const QUERY_TIMEOUT_MS: i64 = 300_000;

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A uniform number in [0, 1) for field `f` of slot `slot`.
fn u(m: &Model, slot: i64, f: u64) -> f64 {
    m.rand(0xA0D1_0000_0000_0000 ^ ((slot as u64) << 7) ^ f)
}

/// Index into `weights` (pairs of anything and a weight summing to about 1).
fn pick<T>(weights: &[(T, f64)], x: f64) -> usize {
    let total: f64 = weights.iter().map(|w| w.1).sum();
    let mut acc = 0.0;
    for (i, w) in weights.iter().enumerate() {
        acc += w.1 / total;
        if x < acc {
            return i;
        }
    }
    weights.len().saturating_sub(1)
}

/// A standard normal from two uniforms (Box–Muller).
fn normal(a: f64, b: f64) -> f64 {
    (-2.0 * (1.0 - a).ln()).sqrt() * (std::f64::consts::TAU * b).cos()
}

/// One audit row, as numbers; the strings come from [`Rec::val`].
#[derive(Debug, Clone, Copy)]
pub struct Rec {
    slot: i64,
    ts_ms: i64,
    user: usize,
    /// `None` for a connection row.
    tpl: Option<usize>,
    db: usize,
    variant: u64,
    fe: usize,
    fail: Option<usize>,
    syntax: bool,
    query_ms: i64,
    scan_rows: i64,
    scan_bytes: i64,
    return_rows: i64,
    cpu_ns: i64,
    mem_bytes: i64,
}

/// When FE `fe`'s loader flushes next at or after `t`.
fn next_flush(m: &Model, fe: usize, t: i64) -> i64 {
    let phase = (m.rand(0xA0D2_0000_0000_0000 ^ fe as u64) * FLUSH_MS as f64) as i64;
    phase + (t - phase + FLUSH_MS - 1).div_euclid(FLUSH_MS) * FLUSH_MS
}

/// The first moment the table keeps at `now`: midnight 30 days ago.
fn kept_from(now: i64) -> i64 {
    (now.div_euclid(DAY_MS) - RETENTION_DAYS) * DAY_MS
}

/// The row of slot `slot`, if it has one (whether or not it is visible yet).
fn rec(m: &Model, slot: i64) -> Option<Rec> {
    let start = slot * SLOT_MS;
    if u(m, slot, 0) >= PER_SLOT * m.load(start) {
        return None;
    }
    let ts_ms = start + (u(m, slot, 1) * SLOT_MS as f64) as i64;
    let user = pick(&USERS.map(|x| ((), x.weight)), u(m, slot, 3));
    let fe = (u(m, slot, 7) * m.spec.frontends as f64) as usize % m.spec.frontends.max(1);
    let db = (u(m, slot, 5) * m.dbs.len() as f64) as usize % m.dbs.len().max(1);
    let mut r = Rec {
        slot,
        ts_ms,
        user,
        tpl: None,
        db,
        variant: (u(m, slot, 6).powi(2) * 3.0) as u64,
        fe,
        fail: None,
        syntax: false,
        query_ms: 0,
        scan_rows: 0,
        scan_bytes: 0,
        return_rows: 0,
        cpu_ns: 0,
        mem_bytes: 0,
    };
    if u(m, slot, 2) < CONNECTION_SHARE {
        return Some(r);
    }
    let au = &USERS[user];
    let t = au.tpls[pick(au.tpls, u(m, slot, 4))].0;
    r.tpl = Some(t);
    let tp = &TPLS[t];
    let z = normal(u(m, slot, 11), u(m, slot, 12));
    let mut ms = (tp.median_ms.ln() + tp.sigma * z).exp();
    let mut work = 1.0;
    if u(m, slot, 8) < ERROR_SHARE && !matches!(tp.sort, Sort::Show | Sort::Set) {
        let f = pick(&FAILS.map(|x| ((), x.1)), u(m, slot, 9));
        r.fail = Some(f);
        match FAILS[f].0 {
            Fail::Analysis => {
                r.syntax = u(m, slot, 10) < 0.2;
                ms = 1.0 + u(m, slot, 10) * 40.0;
                work = 0.0;
            }
            Fail::Timeout => {
                ms = (QUERY_TIMEOUT_MS as f64) + u(m, slot, 10) * 2_000.0;
            }
            Fail::FeInternal => {
                ms *= 0.1;
                work = 0.0;
            }
            Fail::Memory | Fail::Cancelled | Fail::BeInternal => {
                work = 0.2 + 0.8 * u(m, slot, 10);
                ms *= work;
            }
        }
    }
    r.query_ms = ms.round().max(0.0) as i64;
    let scanned = if t == LOOKUP {
        1.0 + (u(m, slot, 13) * 500.0).floor()
    } else {
        (r.query_ms as f64 * tp.rows_per_ms * (0.3 + 1.4 * u(m, slot, 13))).floor()
    };
    r.scan_rows = (scanned * work) as i64;
    r.scan_bytes = (r.scan_rows as f64 * (16.0 + 100.0 * u(m, slot, 14))) as i64;
    let x = u(m, slot, 15);
    r.return_rows = if r.fail.is_some() {
        0
    } else {
        match t {
            LOOKUP | COUNTER | VERSION => 1,
            DAILY => 1 + (x * 60.0) as i64,
            TOP_N => [10, 20, 50, 100][(u(m, slot, 26) * 4.0) as usize % 4],
            JOIN | SEARCH => (x * 100.0) as i64,
            HEAVY => 12 + (x * 400.0) as i64,
            SHOW => 3 + (x * 30.0) as i64,
            WINDOW => 1_000 + (x * 99_000.0) as i64,
            _ => 0,
        }
    };
    let parallel = if tp.rows_per_ms > 0.0 {
        0.3 + 5.7 * u(m, slot, 16)
    } else {
        0.05 + 0.2 * u(m, slot, 16)
    };
    r.cpu_ns = (r.query_ms as f64 * 1e6 * parallel * work.max(0.05)) as i64;
    r.mem_bytes = if tp.mem_mb > 0.0 && work > 0.0 {
        let z = normal(u(m, slot, 17), u(m, slot, 18));
        ((tp.mem_mb.ln() + 0.8 * z).exp() * 1024.0 * 1024.0 * work) as i64
    } else {
        0
    };
    Some(r)
}

/// The rows whose `timestamp` is in [`lo`, `hi`) that the table holds at the
/// context's time, oldest first.
pub fn scan(c: &Ctx, lo: i64, hi: i64) -> Vec<Rec> {
    let m = &c.sh.model;
    if !present(m) {
        return Vec::new();
    }
    let now = c.t;
    let lo = lo.max(kept_from(now));
    let hi = hi.min(now);
    if hi <= lo {
        return Vec::new();
    }
    let mut out = Vec::new();
    for slot in lo.div_euclid(SLOT_MS)..=(hi - 1).div_euclid(SLOT_MS) {
        let Some(r) = rec(m, slot) else { continue };
        if r.ts_ms < lo || r.ts_ms >= hi {
            continue;
        }
        if next_flush(m, r.fe, r.ts_ms + r.query_ms) > now {
            continue;
        }
        out.push(r);
    }
    out
}

/// About how many rows the table holds at `now` (information_schema.tables).
pub fn approx_rows(now: i64) -> i64 {
    let secs = (now - kept_from(now)) as f64 / 1000.0;
    (secs * PER_SLOT / (SLOT_MS as f64 / 1000.0)) as i64
}

/// A version-1 uuid of the statement's start (as the FE makes query ids).
fn uuid1(m: &Model, r: &Rec) -> String {
    let ticks = (r.ts_ms as u64).wrapping_mul(10_000);
    let node = (m.rand(0xA0D3_0000_0000_0000 ^ r.fe as u64) * 281_474_976_710_655.0) as u64;
    format!(
        "{:08x}-{:04x}-11ef-{:04x}-{:012x}",
        ticks & 0xffff_ffff,
        (u(m, r.slot, 40) * 65_535.0) as u64,
        0x8000 | (u(m, r.slot, 41) * 16_383.0) as u64,
        node
    )
}

/// A version-4 uuid (Java's UUID.randomUUID()).
fn uuid4(m: &Model, r: &Rec) -> String {
    let a = mix(r.slot as u64 ^ 0xA0D4);
    let b = mix(a ^ m.spec.seed);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

impl Rec {
    fn user(&self) -> &'static AppUser {
        &USERS[self.user]
    }

    fn tpl(&self) -> Option<&'static Tpl> {
        self.tpl.map(|t| &TPLS[t])
    }

    fn sort(&self) -> Option<Sort> {
        self.tpl().map(|t| t.sort)
    }

    fn is_query(&self) -> bool {
        self.sort() == Some(Sort::Select) && !self.syntax
    }

    /// The tables the shape reads (and writes): distinct tables of its
    /// database, fixed by (template, database, variant).
    fn tables<'m>(&self, m: &'m Model) -> Vec<&'m str> {
        let Some(t) = self.tpl else {
            return Vec::new();
        };
        let Some(db) = m.dbs.get(self.db) else {
            return Vec::new();
        };
        let n = db.tables.len();
        let mut out: Vec<&str> = Vec::new();
        let mut k = 0u64;
        while out.len() < TPLS[t].tables.min(n) {
            let h = mix(((t as u64) << 40) ^ ((self.db as u64) << 20) ^ (self.variant << 8) ^ k);
            let name = db.tables[(h % n as u64) as usize].name.as_str();
            if !out.contains(&name) {
                out.push(name);
            }
            k += 1;
        }
        out
    }

    fn db_name<'m>(&self, m: &'m Model) -> &'m str {
        m.dbs.get(self.db).map_or("", |d| d.name.as_str())
    }

    /// The session database: none for connections and root's SET and SHOW.
    fn session_db<'m>(&self, m: &'m Model) -> &'m str {
        match self.sort() {
            None => "",
            Some(Sort::Show | Sort::Set) if self.user().name == "root" => "",
            _ => self.db_name(m),
        }
    }

    fn digest(&self, m: &Model) -> String {
        let Some(t) = self.tpl else {
            return String::new();
        };
        let dml = matches!(TPLS[t].sort, Sort::Select | Sort::Insert);
        if !dml || self.syntax || !self.user().digest {
            return String::new();
        }
        // The statement without its literals: the template and the tables as
        // written (with the database when the client qualifies them).
        let mut key = ((t as u64) << 40) ^ 0x00D1_6E57;
        let mut feed = |text: &str| {
            for b in text.bytes() {
                key = mix(key ^ u64::from(b));
            }
            key = mix(key ^ 0x2C);
        };
        if self.user().qualify {
            feed(self.db_name(m));
        }
        for name in self.tables(m) {
            feed(name);
        }
        format!("{:016x}{:016x}", mix(key), mix(key ^ 0x5eed))
    }

    /// `2026-12-06` for the day `days_back` days before the statement.
    fn day(&self, days_back: i64) -> String {
        let d = datetime(self.ts_ms - days_back * DAY_MS);
        d[..10].to_string()
    }

    fn stmt(&self, m: &Model) -> String {
        let Some(t) = self.tpl else {
            return String::new();
        };
        let slot = self.slot;
        let x = |f: u64| u(m, slot, f);
        let db = self.db_name(m);
        let names = self.tables(m);
        let q = |name: &str| {
            if self.user().qualify {
                format!("{db}.{name}")
            } else {
                name.to_string()
            }
        };
        let t1 = q(names.first().copied().unwrap_or("orders"));
        let t2 = q(names.get(1).copied().unwrap_or("customers"));
        let t3 = q(names.get(2).copied().unwrap_or("payments"));
        let key1 = names.first().copied().unwrap_or("orders");
        let key3 = names.get(2).copied().unwrap_or("payments");
        let status = ["PAID", "SHIPPED", "REFUNDED", "PENDING"][(x(27) * 4.0) as usize % 4];
        let text = match t {
            LOOKUP => format!(
                "SELECT * FROM {t1} WHERE id = {}",
                100_000 + (x(25) * 9_000_000.0) as i64
            ),
            DAILY => format!(
                "SELECT dt, COUNT(*) AS cnt FROM {t1} WHERE dt >= '{}' GROUP BY dt ORDER BY dt",
                self.day(1 + (x(25) * 30.0) as i64)
            ),
            TOP_N => format!(
                "SELECT region, SUM(amount) AS total FROM {t1} WHERE dt BETWEEN '{}' AND '{}' AND status = '{status}' GROUP BY region ORDER BY total DESC LIMIT {}",
                self.day(7 + (x(25) * 30.0) as i64),
                self.day((x(28) * 3.0) as i64),
                [10, 20, 50, 100][(x(26) * 4.0) as usize % 4]
            ),
            JOIN => format!(
                "SELECT a.user_id, COUNT(DISTINCT b.id) AS n FROM {t1} a JOIN {t2} b ON b.{key1}_id = a.id WHERE a.dt = '{}' GROUP BY a.user_id HAVING COUNT(DISTINCT b.id) > {} ORDER BY n DESC LIMIT 100",
                self.day((x(25) * 7.0) as i64),
                1 + (x(26) * 20.0) as i64
            ),
            HEAVY => format!(
                "SELECT c.region, DATE_TRUNC('month', a.created_at) AS month, SUM(a.amount) AS revenue, COUNT(*) AS orders FROM {t1} a JOIN {t2} b ON a.id = b.{key1}_id JOIN {t3} c ON c.id = b.{key3}_id WHERE a.created_at >= '{} 00:00:00' GROUP BY c.region, month ORDER BY revenue DESC",
                self.day(90 + (x(25) * 275.0) as i64)
            ),
            COUNTER => format!(
                "SELECT COUNT(*) FROM {t1} WHERE created_at >= '{}'",
                datetime((self.ts_ms - (x(25) * 3_600_000.0) as i64).div_euclid(60_000) * 60_000)
            ),
            ETL => format!(
                "INSERT INTO {t2} SELECT id, user_id, amount, status, dt FROM {t1} WHERE dt = '{}' AND status IN ('PAID', 'SHIPPED')",
                self.day(1)
            ),
            VERSION => "select @@version_comment limit 1".to_string(),
            SHOW => ["SHOW DATABASES", "SHOW PROC '/backends'", "SHOW FRONTENDS", "SHOW TABLES"]
                [(x(25) * 4.0) as usize % 4]
                .to_string(),
            SET => format!("SET query_timeout = {}", [60, 300, 600, 3600][(x(25) * 4.0) as usize % 4]),
            WINDOW => format!(
                "SELECT user_id, amount, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC) AS rn FROM {t1} WHERE dt = '{}'",
                self.day((x(25) * 3.0) as i64)
            ),
            _ => format!(
                "SELECT id, name, status FROM {t1} WHERE name LIKE '%{}%' AND amount > {} LIMIT 100",
                ["phone", "shoes", "coffee", "laptop", "gift card"][(x(25) * 5.0) as usize % 5],
                [0, 10, 99, 500, 1000][(x(26) * 5.0) as usize % 5]
            ),
        };
        if self.syntax {
            // What the client sent did not parse.
            return text
                .replacen("SELECT", "SELET", 1)
                .replacen("select", "selet", 1);
        }
        text
    }

    fn relations(&self, m: &Model) -> Val {
        if !matches!(self.sort(), Some(Sort::Select | Sort::Insert)) || self.syntax {
            return Val::Null;
        }
        let db = self.db_name(m);
        let mut s = String::from("[");
        for (i, t) in self.tables(m).iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            let _ = write!(s, "\"default_catalog.{db}.{t}\"");
        }
        s.push(']');
        Val::Str(s)
    }

    fn state(&self) -> &'static str {
        match (self.fail, self.sort()) {
            (Some(_), _) => "ERR",
            (None, Some(Sort::Select | Sort::Show)) => "EOF",
            _ => "OK",
        }
    }

    /// Column `col` of the row, as the FE answers it.
    pub fn val(&self, c: &Ctx, col: usize) -> Val {
        let m = &c.sh.model;
        let s = |x: &str| Val::Str(x.to_string());
        let statement = self.tpl.is_some();
        match col {
            QUERY_ID if statement => Val::Str(uuid1(m, self)),
            QUERY_ID => Val::Str(format!("connection-{}", uuid4(m, self))),
            TIMESTAMP => Val::Str(datetime(self.ts_ms)),
            QUERY_TYPE if !statement => s("connection"),
            QUERY_TYPE if self.query_ms > SLOW_MS => s("slow_query"),
            QUERY_TYPE => s("query"),
            CLIENT_IP => {
                let au = self.user();
                let (a, b, c0) = au.net;
                let host = u32::from(c0) + (u(m, self.slot, 19) * f64::from(au.hosts)) as u32;
                let port = 30_000 + (u(m, self.slot, 20) * 31_000.0) as u32;
                Val::Str(format!("10.{a}.{b}.{host}:{port}"))
            }
            USER => s(self.user().name),
            AUTHORIZED_USER => Val::Str(format!("'{}'@'%'", self.user().name)),
            RESOURCE_GROUP if statement => s(self.user().group),
            RESOURCE_GROUP => s(""),
            CATALOG => s("default_catalog"),
            DB => s(self.session_db(m)),
            STATE => s(self.state()),
            ERROR_CODE => s(match self.fail {
                Some(f) if m.spec.version == Version::V3_3 => FAILS[f].2,
                Some(f) => FAILS[f].3,
                None => "",
            }),
            QUERY_TIME => Val::Int(self.query_ms),
            SCAN_BYTES => Val::Int(self.scan_bytes),
            SCAN_ROWS => Val::Int(self.scan_rows),
            RETURN_ROWS => Val::Int(self.return_rows),
            CPU_COST_NS => Val::Int(self.cpu_ns),
            MEM_COST_BYTES => Val::Int(self.mem_bytes),
            STMT_ID if statement => Val::Int(1 + (u(m, self.slot, 21) * 200_000.0) as i64),
            STMT_ID => Val::Int(0),
            IS_QUERY => Val::Int(i64::from(self.is_query())),
            FE_IP => Val::Str(deploy::host(&m.spec, Role::Fe, self.fe)),
            STMT => Val::Str(self.stmt(m)),
            DIGEST => Val::Str(self.digest(m)),
            PLAN_CPU | PLAN_MEM if self.is_query() && self.fail.is_none() => {
                let rows = self.scan_rows.max(1) as f64;
                let v = if col == PLAN_CPU {
                    rows * (4.0 + 8.0 * u(m, self.slot, 24))
                } else {
                    rows * (8.0 + 40.0 * u(m, self.slot, 24))
                };
                Val::Float((v * 10.0).round() / 10.0)
            }
            PLAN_CPU | PLAN_MEM => Val::Float(0.0),
            PENDING if self.is_query() && u(m, self.slot, 22) < 0.04 => {
                Val::Int((u(m, self.slot, 23) * 5_000.0) as i64)
            }
            PENDING => Val::Int(-1),
            CANDIDATE_MVS | HIT_MVS => s(""),
            RELATIONS => self.relations(m),
            WAREHOUSE => s("default_warehouse"),
            _ => Val::Null,
        }
    }
}

// ---- dates, fast (a day of rows formats 30,000 of them) ----

fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `yyyy-MM-dd HH:mm:ss` (UTC) of unix ms.
pub fn datetime(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Unix ms of `yyyy-MM-dd` or `yyyy-MM-dd HH:mm:ss` (UTC); `None` otherwise.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let t = text.trim();
    let num = |a: usize, b: usize| -> Option<i64> {
        let part = t.get(a..b)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if t.len() != 10 && t.len() != 19 {
        return None;
    }
    if t.get(4..5) != Some("-") || t.get(7..8) != Some("-") {
        return None;
    }
    let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let (h, mi, s) = if t.len() == 19 {
        if t.get(10..11) != Some(" ") || t.get(13..14) != Some(":") || t.get(16..17) != Some(":") {
            return None;
        }
        (num(11, 13)?, num(14, 16)?, num(17, 19)?)
    } else {
        (0, 0, 0)
    };
    Some((days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for ms in [0, 1_764_000_000_000, 1_796_659_200_000, 951_782_400_000] {
            let text = datetime(ms);
            assert_eq!(text, crate::format::datetime(ms));
            assert_eq!(parse_datetime(&text), Some(ms));
        }
        assert_eq!(
            parse_datetime("2026-12-06"),
            parse_datetime("2026-12-06 00:00:00")
        );
        assert_eq!(parse_datetime("2026-13-06"), None);
        assert_eq!(parse_datetime("yesterday"), None);
    }
}
