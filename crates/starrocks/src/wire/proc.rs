//! Bodies of FE `GET /api/show_proc?path=...` and of the small FE status
//! endpoints (`/api/show_runtime_info`, `/api/health`, `/api/bootstrap`).
//!
//! `show_proc` answers in two shapes: 3.1+ sends an array of objects whose
//! values are all strings; 3.0 and older send an array of arrays with no
//! column names, which only the column order of that version can decode.
//! Both go through one generic [`rows`] decoder into [`Row`]s looked up by
//! column name, and the typed rows below read the columns they know by name:
//! columns move between minor versions, so unknown ones are ignored and
//! missing ones are `None`, never an error.

use super::values::{
    parse_bool, parse_capacity, parse_datetime, parse_int, parse_millis, parse_percent, parse_rows,
    parse_seconds,
};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// The body was not what the endpoint sends: not JSON, or JSON of another
/// shape (a forwarding failure arrives as plain text, a proxy may answer with
/// HTML). The excerpt lets an operator see what came back instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub message: String,
    /// The first 200 characters of the body (invalid UTF-8 replaced).
    pub excerpt: String,
}

const EXCERPT_CHARS: usize = 200;

impl FormatError {
    fn new(message: impl Into<String>, body: &[u8]) -> Self {
        // Four bytes per char at most: never decode more than needed.
        let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
        let excerpt = String::from_utf8_lossy(head)
            .chars()
            .take(EXCERPT_CHARS)
            .collect();
        Self {
            message: message.into(),
            excerpt,
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; the response began with: {:?}",
            self.message, self.excerpt
        )
    }
}

impl std::error::Error for FormatError {}

// --- column orders of the array-of-arrays shape (3.0 and older) ----------

/// /backends in 3.0 (2.x rows end at CpuCores and decode as a prefix).
pub const BACKENDS_COLUMNS_V30: &[&str] = &[
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
    "NumRunningQueries",
    "MemUsedPct",
    "CpuUsedPct",
];

/// /compute_nodes: the 3.2 order documented in INTERFACES.md, used for the
/// array shape as the best known layout (shorter rows decode as a prefix).
pub const COMPUTE_NODES_COLUMNS_V30: &[&str] = &[
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
    "NumRunningQueries",
    "MemUsedPct",
    "CpuUsedPct",
    "HasStoragePath",
    "StarletPort",
    "WorkerId",
];

/// /frontends in 3.0 (and in the 2.x builds that already dropped HostName).
pub const FRONTENDS_COLUMNS_V30: &[&str] = &[
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
];

/// /frontends in early 2.x, with HostName and IsMaster (the inherited
/// layout; reconstructed, not seen in a real StarRocks body). Told apart
/// from [`FRONTENDS_COLUMNS_V30`] by its third cell, a host name rather than
/// the edit-log port.
pub const FRONTENDS_COLUMNS_V2: &[&str] = &[
    "Name",
    "IP",
    "HostName",
    "EditLogPort",
    "HttpPort",
    "QueryPort",
    "RpcPort",
    "Role",
    "IsMaster",
    "ClusterId",
    "Join",
    "Alive",
    "ReplayedJournalId",
    "LastHeartbeat",
    "IsHelper",
    "ErrMsg",
    "StartTime",
    "Version",
];

pub const DBS_COLUMNS: &[&str] = &[
    "DbId",
    "DbName",
    "TableNum",
    "Quota",
    "LastConsistencyCheckTime",
    "ReplicaQuota",
];

pub const STATISTIC_COLUMNS: &[&str] = &[
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
];

pub const JOBS_COLUMNS: &[&str] = &[
    "JobType",
    "Pending",
    "Running",
    "Finished",
    "Cancelled",
    "Total",
];

/// /current_queries in 3.0 (3.3+ sends objects with other columns).
pub const CURRENT_QUERIES_COLUMNS_V30: &[&str] = &[
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

// --- the generic row decoder ----------------------------------------------

/// One row of a show_proc answer, by column name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    cells: Vec<(String, String)>,
}

impl Row {
    /// The cell of `column` as text; `None` if the row has no such column
    /// or the cell was JSON `null`. Numbers and booleans come as their text.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.as_str())
    }

    /// Column names and cells in body order.
    pub fn cells(&self) -> impl Iterator<Item = (&str, &str)> {
        self.cells.iter().map(|(c, v)| (c.as_str(), v.as_str()))
    }

    /// The first of several spellings of a column that is present.
    fn any(&self, columns: &[&str]) -> Option<&str> {
        columns.iter().find_map(|c| self.get(c))
    }

    /// Free text; empty and `NULL` (how the FE prints "unknown") are `None`.
    fn text(&self, columns: &[&str]) -> Option<String> {
        let s = self.any(columns)?.trim();
        (!s.is_empty() && s != "NULL").then(|| s.to_owned())
    }

    fn int(&self, column: &str) -> Option<i64> {
        self.get(column).and_then(parse_int)
    }

    fn port(&self, column: &str) -> Option<u16> {
        self.int(column).and_then(|p| u16::try_from(p).ok())
    }

    fn bool(&self, column: &str) -> Option<bool> {
        self.get(column).and_then(parse_bool)
    }

    fn bytes(&self, column: &str) -> Option<u64> {
        self.get(column).and_then(parse_capacity)
    }

    fn pct(&self, column: &str) -> Option<f64> {
        self.get(column).and_then(parse_percent)
    }

    fn time(&self, column: &str) -> Option<NaiveDateTime> {
        self.get(column).and_then(parse_datetime)
    }
}

/// A JSON scalar as the text the FE would have written; `null` is absent.
fn cell_text(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        nested @ (Value::Array(_) | Value::Object(_)) => Some(nested.to_string()),
    }
}

fn json(body: &[u8]) -> Result<Value, FormatError> {
    let trimmed = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    serde_json::from_slice(trimmed).map_err(|e| FormatError::new(format!("not JSON ({e})"), body))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes a show_proc body of either shape. Rows that are arrays are named
/// by `array_columns` position by position: a shorter row gets a prefix of
/// the columns, the extra cells of a longer one are dropped. `[]` (also the
/// answer to an unknown path) is an empty list.
pub fn rows(body: &[u8], array_columns: &[&str]) -> Result<Vec<Row>, FormatError> {
    rows_with(body, |_| array_columns)
}

/// [`rows`], with the array layout chosen per row from its cells, for nodes
/// whose old layouts differ (2.x /frontends).
fn rows_with<'c>(
    body: &[u8],
    layout: impl Fn(&[Option<String>]) -> &'c [&'c str],
) -> Result<Vec<Row>, FormatError> {
    let items = match json(body)? {
        Value::Array(items) => items,
        other => {
            let message = format!("expected a JSON array of rows, got {}", kind(&other));
            return Err(FormatError::new(message, body));
        }
    };
    let mut rows = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let cells = match item {
            Value::Object(map) => map
                .into_iter()
                .filter_map(|(column, value)| Some((column, cell_text(value)?)))
                .collect(),
            Value::Array(values) => {
                let values: Vec<Option<String>> = values.into_iter().map(cell_text).collect();
                let columns = layout(&values);
                columns
                    .iter()
                    .zip(values)
                    .filter_map(|(column, value)| Some(((*column).to_owned(), value?)))
                    .collect()
            }
            other => {
                let message = format!(
                    "row {} is {}, not an object or an array",
                    index + 1,
                    kind(&other)
                );
                return Err(FormatError::new(message, body));
            }
        };
        rows.push(Row { cells });
    }
    Ok(rows)
}

fn json_object(body: &[u8]) -> Result<Map<String, Value>, FormatError> {
    match json(body)? {
        Value::Object(map) => Ok(map),
        other => {
            let message = format!("expected a JSON object, got {}", kind(&other));
            Err(FormatError::new(message, body))
        }
    }
}

/// A field of a status object as text, whether Gson wrote it as a string or
/// a number.
fn field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).cloned().and_then(cell_text)
}

fn field_int(map: &Map<String, Value>, key: &str) -> Option<i64> {
    field(map, key).as_deref().and_then(parse_int)
}

// --- /backends --------------------------------------------------------------

/// One BE, from /backends (SHOW BACKENDS).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Backend {
    pub id: Option<i64>,
    pub ip: Option<String>,
    pub heartbeat_port: Option<u16>,
    pub be_port: Option<u16>,
    pub http_port: Option<u16>,
    pub brpc_port: Option<u16>,
    pub last_start_time: Option<NaiveDateTime>,
    pub last_heartbeat: Option<NaiveDateTime>,
    pub alive: Option<bool>,
    pub system_decommissioned: Option<bool>,
    pub tablet_num: Option<i64>,
    /// As reported; see [`Backend::data_used_reported`] before showing it.
    pub data_used_bytes: Option<u64>,
    pub avail_bytes: Option<u64>,
    pub total_bytes: Option<u64>,
    pub used_pct: Option<f64>,
    pub max_disk_used_pct: Option<f64>,
    pub err_msg: Option<String>,
    pub version: Option<String>,
    pub data_total_bytes: Option<u64>,
    pub data_used_pct: Option<f64>,
    pub cpu_cores: Option<i64>,
    /// 3.3+, printed without a space (`6.207GB`).
    pub mem_limit_bytes: Option<u64>,
    pub num_running_queries: Option<i64>,
    pub mem_used_pct: Option<f64>,
    pub cpu_used_pct: Option<f64>,
    pub location: Option<String>,
    pub starlet_port: Option<u16>,
    pub worker_id: Option<i64>,
}

fn is_shared_data(starlet_port: Option<u16>, worker_id: Option<i64>) -> bool {
    starlet_port.is_some_and(|p| p != 0) || worker_id.is_some_and(|w| w > 0)
}

impl Backend {
    fn from_row(row: &Row) -> Self {
        Self {
            id: row.int("BackendId"),
            ip: row.text(&["IP", "Host"]),
            heartbeat_port: row.port("HeartbeatPort"),
            be_port: row.port("BePort"),
            http_port: row.port("HttpPort"),
            brpc_port: row.port("BrpcPort"),
            last_start_time: row.time("LastStartTime"),
            last_heartbeat: row.time("LastHeartbeat"),
            alive: row.bool("Alive"),
            system_decommissioned: row.bool("SystemDecommissioned"),
            tablet_num: row.int("TabletNum"),
            data_used_bytes: row.bytes("DataUsedCapacity"),
            avail_bytes: row.bytes("AvailCapacity"),
            total_bytes: row.bytes("TotalCapacity"),
            used_pct: row.pct("UsedPct"),
            max_disk_used_pct: row.pct("MaxDiskUsedPct"),
            err_msg: row.text(&["ErrMsg"]),
            version: row.text(&["Version"]),
            data_total_bytes: row.bytes("DataTotalCapacity"),
            data_used_pct: row.pct("DataUsedPct"),
            cpu_cores: row.int("CpuCores"),
            mem_limit_bytes: row.bytes("MemLimit"),
            num_running_queries: row.int("NumRunningQueries"),
            mem_used_pct: row.pct("MemUsedPct"),
            cpu_used_pct: row.pct("CpuUsedPct"),
            location: row.text(&["Location", "location"]),
            starlet_port: row.port("StarletPort"),
            worker_id: row.int("WorkerId"),
        }
    }

    /// A node of a shared-data cluster: its data lives in object storage.
    pub fn is_shared_data(&self) -> bool {
        is_shared_data(self.starlet_port, self.worker_id)
    }

    /// DataUsedCapacity as something to show. Shared-data nodes report
    /// `0.000 B` because their data is not on local disks; that is "not
    /// reported" (`None`), not an empty disk.
    pub fn data_used_reported(&self) -> Option<u64> {
        match self.data_used_bytes {
            Some(0) if self.is_shared_data() => None,
            other => other,
        }
    }
}

/// /backends.
pub fn backends(body: &[u8]) -> Result<Vec<Backend>, FormatError> {
    Ok(rows(body, BACKENDS_COLUMNS_V30)?
        .iter()
        .map(Backend::from_row)
        .collect())
}

// --- /compute_nodes ------------------------------------------------------------

/// One CN, from /compute_nodes (SHOW COMPUTE NODES).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ComputeNode {
    pub id: Option<i64>,
    pub ip: Option<String>,
    pub heartbeat_port: Option<u16>,
    pub be_port: Option<u16>,
    pub http_port: Option<u16>,
    pub brpc_port: Option<u16>,
    pub last_start_time: Option<NaiveDateTime>,
    pub last_heartbeat: Option<NaiveDateTime>,
    pub alive: Option<bool>,
    pub system_decommissioned: Option<bool>,
    pub err_msg: Option<String>,
    pub version: Option<String>,
    pub cpu_cores: Option<i64>,
    pub mem_limit_bytes: Option<u64>,
    pub num_running_queries: Option<i64>,
    pub mem_used_pct: Option<f64>,
    pub cpu_used_pct: Option<f64>,
    pub has_storage_path: Option<bool>,
    pub starlet_port: Option<u16>,
    pub worker_id: Option<i64>,
    pub warehouse_name: Option<String>,
    pub tablet_num: Option<i64>,
    pub location: Option<String>,
}

impl ComputeNode {
    fn from_row(row: &Row) -> Self {
        Self {
            id: row.int("ComputeNodeId"),
            ip: row.text(&["IP", "Host"]),
            heartbeat_port: row.port("HeartbeatPort"),
            be_port: row.port("BePort"),
            http_port: row.port("HttpPort"),
            brpc_port: row.port("BrpcPort"),
            last_start_time: row.time("LastStartTime"),
            last_heartbeat: row.time("LastHeartbeat"),
            alive: row.bool("Alive"),
            system_decommissioned: row.bool("SystemDecommissioned"),
            err_msg: row.text(&["ErrMsg"]),
            version: row.text(&["Version"]),
            cpu_cores: row.int("CpuCores"),
            mem_limit_bytes: row.bytes("MemLimit"),
            num_running_queries: row.int("NumRunningQueries"),
            mem_used_pct: row.pct("MemUsedPct"),
            cpu_used_pct: row.pct("CpuUsedPct"),
            has_storage_path: row.bool("HasStoragePath"),
            starlet_port: row.port("StarletPort"),
            worker_id: row.int("WorkerId"),
            warehouse_name: row.text(&["WarehouseName"]),
            tablet_num: row.int("TabletNum"),
            location: row.text(&["Location", "location"]),
        }
    }

    /// A node of a shared-data cluster (has a starlet port or worker id).
    pub fn is_shared_data(&self) -> bool {
        is_shared_data(self.starlet_port, self.worker_id)
    }
}

/// /compute_nodes.
pub fn compute_nodes(body: &[u8]) -> Result<Vec<ComputeNode>, FormatError> {
    Ok(rows(body, COMPUTE_NODES_COLUMNS_V30)?
        .iter()
        .map(ComputeNode::from_row)
        .collect())
}

// --- /frontends ---------------------------------------------------------------

/// One FE, from /frontends (SHOW FRONTENDS).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Frontend {
    pub name: Option<String>,
    pub ip: Option<String>,
    pub edit_log_port: Option<u16>,
    pub http_port: Option<u16>,
    pub query_port: Option<u16>,
    pub rpc_port: Option<u16>,
    /// LEADER, FOLLOWER or OBSERVER.
    pub role: Option<String>,
    /// Only early 2.x has it; there the leader's Role reads FOLLOWER.
    pub is_master: Option<bool>,
    pub cluster_id: Option<i64>,
    pub join: Option<bool>,
    pub alive: Option<bool>,
    pub replayed_journal_id: Option<i64>,
    pub last_heartbeat: Option<NaiveDateTime>,
    pub is_helper: Option<bool>,
    pub err_msg: Option<String>,
    pub start_time: Option<NaiveDateTime>,
    pub version: Option<String>,
}

impl Frontend {
    fn from_row(row: &Row) -> Self {
        Self {
            name: row.text(&["Name"]),
            ip: row.text(&["IP", "HostName", "Host"]),
            edit_log_port: row.port("EditLogPort"),
            http_port: row.port("HttpPort"),
            query_port: row.port("QueryPort"),
            rpc_port: row.port("RpcPort"),
            role: row.text(&["Role"]),
            is_master: row.bool("IsMaster"),
            cluster_id: row.int("ClusterId"),
            join: row.bool("Join"),
            alive: row.bool("Alive"),
            replayed_journal_id: row.int("ReplayedJournalId"),
            last_heartbeat: row.time("LastHeartbeat"),
            is_helper: row.bool("IsHelper"),
            err_msg: row.text(&["ErrMsg"]),
            start_time: row.time("StartTime"),
            version: row.text(&["Version"]),
        }
    }

    /// The FE that writes the metadata journal: Role LEADER, or (2.x)
    /// IsMaster true.
    pub fn is_leader(&self) -> bool {
        self.role
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("LEADER"))
            || self.is_master == Some(true)
    }
}

/// /frontends.
pub fn frontends(body: &[u8]) -> Result<Vec<Frontend>, FormatError> {
    let layout = |cells: &[Option<String>]| {
        // EditLogPort (an integer) is the third cell from 2.5 on; early 2.x
        // has the host name there.
        let third_is_port = cells
            .get(2)
            .and_then(|c| c.as_deref())
            .is_some_and(|c| parse_int(c).is_some());
        if cells.len() >= FRONTENDS_COLUMNS_V2.len() && !third_is_port {
            FRONTENDS_COLUMNS_V2
        } else {
            FRONTENDS_COLUMNS_V30
        }
    };
    Ok(rows_with(body, layout)?
        .iter()
        .map(Frontend::from_row)
        .collect())
}

// --- /dbs, /statistic, /jobs/<dbId> -------------------------------------------

/// One database, from /dbs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DbInfo {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub table_num: Option<i64>,
    /// The data quota; the default `8388608.000 TB` means "no quota".
    pub quota_bytes: Option<u64>,
    pub last_consistency_check_time: Option<NaiveDateTime>,
    pub replica_quota: Option<i64>,
}

/// /dbs.
pub fn dbs(body: &[u8]) -> Result<Vec<DbInfo>, FormatError> {
    Ok(rows(body, DBS_COLUMNS)?
        .iter()
        .map(|row| DbInfo {
            id: row.int("DbId"),
            name: row.text(&["DbName"]),
            table_num: row.int("TableNum"),
            quota_bytes: row.bytes("Quota"),
            last_consistency_check_time: row.time("LastConsistencyCheckTime"),
            replica_quota: row.int("ReplicaQuota"),
        })
        .collect())
}

/// One database's tablet health, from /statistic.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DbStatistic {
    /// `None` on the total row.
    pub db_id: Option<i64>,
    /// `None` on the total row (the FE puts the database count there).
    pub db_name: Option<String>,
    pub table_num: Option<i64>,
    pub partition_num: Option<i64>,
    pub index_num: Option<i64>,
    pub tablet_num: Option<i64>,
    pub replica_num: Option<i64>,
    pub unhealthy_tablet_num: Option<i64>,
    pub inconsistent_tablet_num: Option<i64>,
    pub cloning_tablet_num: Option<i64>,
    pub error_state_tablet_num: Option<i64>,
}

/// /statistic: the per-database rows and the FE's own `Total` row, kept
/// apart so that nobody sums the total into itself.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Statistic {
    pub dbs: Vec<DbStatistic>,
    pub total: Option<DbStatistic>,
    /// The number of databases, as the total row states it.
    pub db_count: Option<i64>,
}

/// /statistic.
pub fn statistic(body: &[u8]) -> Result<Statistic, FormatError> {
    let mut out = Statistic::default();
    for row in rows(body, STATISTIC_COLUMNS)? {
        let is_total = row
            .get("DbId")
            .is_some_and(|id| id.trim().eq_ignore_ascii_case("Total"));
        let mut stat = DbStatistic {
            db_id: row.int("DbId"),
            db_name: row.text(&["DbName"]),
            table_num: row.int("TableNum"),
            partition_num: row.int("PartitionNum"),
            index_num: row.int("IndexNum"),
            tablet_num: row.int("TabletNum"),
            replica_num: row.int("ReplicaNum"),
            unhealthy_tablet_num: row.int("UnhealthyTabletNum"),
            inconsistent_tablet_num: row.int("InconsistentTabletNum"),
            cloning_tablet_num: row.int("CloningTabletNum"),
            error_state_tablet_num: row.int("ErrorStateTabletNum"),
        };
        if is_total {
            out.db_count = row.int("DbName");
            stat.db_name = None;
            out.total = Some(stat);
        } else {
            out.dbs.push(stat);
        }
    }
    Ok(out)
}

/// Job counts of one kind in one database, from /jobs/<dbId>.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JobCounts {
    /// load, rollup, schema_change or export.
    pub job_type: Option<String>,
    pub pending: Option<i64>,
    pub running: Option<i64>,
    pub finished: Option<i64>,
    pub cancelled: Option<i64>,
    pub total: Option<i64>,
}

/// /jobs/<dbId>.
pub fn jobs(body: &[u8]) -> Result<Vec<JobCounts>, FormatError> {
    Ok(rows(body, JOBS_COLUMNS)?
        .iter()
        .map(|row| JobCounts {
            job_type: row.text(&["JobType"]),
            pending: row.int("Pending"),
            running: row.int("Running"),
            finished: row.int("Finished"),
            cancelled: row.int("Cancelled"),
            total: row.int("Total"),
        })
        .collect())
}

// --- /current_queries ------------------------------------------------------------

/// One running query, from /current_queries (3.0 to 3.2 and 3.3+ columns).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CurrentQuery {
    pub query_id: Option<String>,
    pub connection_id: Option<i64>,
    pub database: Option<String>,
    pub user: Option<String>,
    pub scan_bytes: Option<u64>,
    pub scan_rows: Option<i64>,
    pub memory_bytes: Option<u64>,
    pub cpu_seconds: Option<f64>,
    /// Wall time so far (3.0 to 3.2 send milliseconds, 3.3+ `3.153 s`).
    pub exec_seconds: Option<f64>,
    /// 3.3+ only.
    pub exec_state: Option<String>,
    /// 3.3+ only.
    pub start_time: Option<NaiveDateTime>,
    /// 3.3+ only: the FE the query came in through.
    pub fe_ip: Option<String>,
    pub warehouse: Option<String>,
    pub resource_group: Option<String>,
}

/// /current_queries.
pub fn current_queries(body: &[u8]) -> Result<Vec<CurrentQuery>, FormatError> {
    Ok(rows(body, CURRENT_QUERIES_COLUMNS_V30)?
        .iter()
        .map(|row| CurrentQuery {
            query_id: row.text(&["QueryId"]),
            connection_id: row.int("ConnectionId"),
            database: row.text(&["Database"]),
            user: row.text(&["User"]),
            scan_bytes: row.bytes("ScanBytes"),
            scan_rows: row.any(&["ScanRows", "ProcessRows"]).and_then(parse_rows),
            memory_bytes: row
                .any(&["MemoryUsage", "MemoryUsageBytes"])
                .and_then(parse_capacity),
            cpu_seconds: row
                .any(&["CPUTime", "CPUCostSeconds"])
                .and_then(parse_seconds),
            exec_seconds: row.get("ExecTime").and_then(parse_millis),
            exec_state: row.text(&["ExecState"]),
            start_time: row.time("StartTime"),
            fe_ip: row.text(&["feIp", "FeIp"]),
            warehouse: row.text(&["Warehouse"]),
            resource_group: row.text(&["ResourceGroup"]),
        })
        .collect())
}

// --- /api/show_runtime_info, /api/health, /api/bootstrap -----------------------

/// FE JVM figures from /api/show_runtime_info (Gson writes them as strings).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RuntimeInfo {
    pub free_mem: Option<u64>,
    pub total_mem: Option<u64>,
    pub max_mem: Option<u64>,
    pub thread_cnt: Option<u64>,
}

/// /api/show_runtime_info.
pub fn runtime_info(body: &[u8]) -> Result<RuntimeInfo, FormatError> {
    let map = json_object(body)?;
    let number = |key: &str| field(&map, key).and_then(|v| v.trim().parse().ok());
    Ok(RuntimeInfo {
        free_mem: number("free_mem"),
        total_mem: number("total_mem"),
        max_mem: number("max_mem"),
        thread_cnt: number("thread_cnt"),
    })
}

/// FE /api/health: how many BEs the FE sees online.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FeHealth {
    pub online_backend_num: Option<i64>,
    pub total_backend_num: Option<i64>,
    pub status: Option<String>,
}

impl FeHealth {
    /// The FE said `"status":"OK"`.
    pub fn is_ok(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("OK"))
    }
}

/// /api/health (key order is not guaranteed; numbers may be strings).
pub fn fe_health(body: &[u8]) -> Result<FeHealth, FormatError> {
    let map = json_object(body)?;
    Ok(FeHealth {
        online_backend_num: field_int(&map, "online_backend_num"),
        total_backend_num: field_int(&map, "total_backend_num"),
        status: field(&map, "status"),
    })
}

/// FE /api/bootstrap: whether the FE has finished starting.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Bootstrap {
    pub status: Option<String>,
    pub msg: Option<String>,
    /// Only sent when the request carried cluster_id and token.
    pub fe_version: Option<String>,
    pub replayed_journal_id: Option<i64>,
    pub query_port: Option<i64>,
    pub rpc_port: Option<i64>,
    pub fe_start_time: Option<i64>,
}

impl Bootstrap {
    /// False only for the FE's own "not ready" answer (status FAILED, msg
    /// `not ready`); any other answer means the FE is up and serving HTTP.
    pub fn is_ready(&self) -> bool {
        let failed = self
            .status
            .as_deref()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("FAILED"));
        let not_ready = self
            .msg
            .as_deref()
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("not ready"));
        !(failed && not_ready)
    }
}

/// /api/bootstrap.
pub fn bootstrap(body: &[u8]) -> Result<Bootstrap, FormatError> {
    let map = json_object(body)?;
    Ok(Bootstrap {
        status: field(&map, "status"),
        msg: field(&map, "msg"),
        fe_version: field(&map, "feVersion"),
        replayed_journal_id: field_int(&map, "replayedJournalId"),
        query_port: field_int(&map, "queryPort"),
        rpc_port: field_int(&map, "rpcPort"),
        fe_start_time: field_int(&map, "feStartTime"),
    })
}

#[cfg(test)]
mod tests;
