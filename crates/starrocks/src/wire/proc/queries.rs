//! The queries running now: /current_queries.

use super::rows::{rows, FormatError};
use crate::wire::values::{parse_capacity, parse_millis, parse_rows, parse_seconds};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

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
    /// 3.1+: what the query spilled to disk.
    pub spill_bytes: Option<u64>,
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
    /// Newer builds: `QueryType` and `ExecProgress` (e.g. `42.05%`).
    pub query_type: Option<String>,
    pub progress: Option<String>,
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
            spill_bytes: row.bytes("DiskSpillSize"),
            cpu_seconds: row
                .any(&["CPUTime", "CPUCostSeconds"])
                .and_then(parse_seconds),
            exec_seconds: row.get("ExecTime").and_then(parse_millis),
            exec_state: row.text(&["ExecState"]),
            start_time: row.time("StartTime"),
            fe_ip: row.text(&["feIp", "FeIp"]),
            warehouse: row.text(&["Warehouse"]),
            resource_group: row.text(&["ResourceGroup"]),
            query_type: row.text(&["QueryType"]),
            progress: row.text(&["ExecProgress"]),
        })
        .collect())
}
