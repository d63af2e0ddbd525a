//! The nodes of a cluster: /backends, /compute_nodes and /frontends, with
//! the column orders their array-of-arrays shape (3.0 and older) is read by.

use super::rows::{rows, rows_with, FormatError, Row};
use crate::wire::values::parse_int;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

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
