//! The small FE status endpoints, each a JSON object rather than show_proc
//! rows: /api/show_runtime_info, /api/health and /api/bootstrap.

use super::rows::{field, field_int, json_object, FormatError};
use serde::{Deserialize, Serialize};

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
