//! Query insights (issue 16): the queries running now on every FE, what the
//! console did to a cluster (the activity log), and the query history of the
//! AuditLoader plugin's table. Figures a server does not send are `None`.

use serde::{Deserialize, Serialize};

/// One running query, as the FE that holds its connection lists it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunningQuery {
    /// The FE that listed it, as `host:http_port` of the node list (the key
    /// to kill it with).
    pub fe: String,
    /// The FE's address as StarRocks wrote it in `feIp` (3.3+).
    pub fe_ip: Option<String>,
    pub query_id: String,
    pub connection_id: Option<i64>,
    pub user: Option<String>,
    pub database: Option<String>,
    pub resource_group: Option<String>,
    pub warehouse: Option<String>,
    /// As the FE wrote it (its own time zone): `2025-03-07 02:16:04`.
    pub start_time: Option<String>,
    pub run_ms: Option<i64>,
    pub cpu_ms: Option<i64>,
    pub memory_bytes: Option<u64>,
    pub scan_bytes: Option<u64>,
    pub scan_rows: Option<i64>,
    pub spill_bytes: Option<u64>,
    pub state: Option<String>,
}

/// How one FE answered the running-queries request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FeAnswer {
    pub fe: String,
    /// How many queries it listed; `None` when it did not answer.
    pub queries: Option<usize>,
    /// Why not, in StarRocks' or the network's words.
    pub error: Option<String>,
}

/// Every alive FE's running queries at one moment, merged.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunningQueries {
    pub cluster_id: i64,
    /// UTC unix milliseconds of the read.
    pub read_at: i64,
    /// Longest running first.
    pub queries: Vec<RunningQuery>,
    pub frontends: Vec<FeAnswer>,
    /// `true` when the list came from `/global_current_queries` (one request
    /// for every FE, 3.3+).
    pub global: bool,
}

/// Which FE holds the connection of a query to stop.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct KillRequest {
    /// `fe` of the [`RunningQuery`].
    pub fe: String,
    /// Shown in the activity log: what the operator saw when deciding.
    #[serde(default)]
    pub query_id: Option<String>,
    #[serde(default)]
    pub user: Option<String>,
    #[serde(default)]
    pub run_ms: Option<i64>,
}

/// One thing the console did to a cluster, as recorded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ActivityEntry {
    pub id: i64,
    /// UTC unix milliseconds.
    pub at: i64,
    pub cluster_id: i64,
    /// Who did it.
    pub username: String,
    /// What kind of action: `kill_query`.
    pub action: String,
    /// What it was done to, in words: `connection 42 on 10.0.0.1:8030 (query …, user etl, running 3 min)`.
    pub target: String,
    pub ok: bool,
    /// StarRocks' answer, or why it could not be asked.
    pub result: String,
}

/// The audit table as the console found it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditSource {
    /// `starrocks_audit_db__.starrocks_audit_tbl__` exists.
    pub present: bool,
    /// Its columns (older plugin versions lack the later ones).
    pub columns: Vec<String>,
    /// The cluster's time zone the table's DATETIMEs are in, as read.
    pub time_zone: Option<String>,
}

/// One slow statement of the audit table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlowQuery {
    /// UTC unix milliseconds (the table's DATETIME read in the cluster's zone).
    pub at: Option<i64>,
    pub query_id: Option<String>,
    pub user: Option<String>,
    pub database: Option<String>,
    pub client: Option<String>,
    pub query_ms: Option<i64>,
    pub scan_bytes: Option<i64>,
    pub scan_rows: Option<i64>,
    pub cpu_ms: Option<f64>,
    pub memory_bytes: Option<i64>,
    pub state: Option<String>,
    pub error_code: Option<String>,
    pub fe: Option<String>,
    pub digest: Option<String>,
    /// The statement, cut to [`STATEMENT_CHARS`].
    pub statement: Option<String>,
}

/// Slow statements take at least this long unless the URL says otherwise:
/// StarRocks' own `qe_slow_log_ms` (what the audit table calls `slow_query`).
pub const DEFAULT_MIN_MS: i64 = 5000;

/// The statement text kept of a row: enough to recognise and copy the usual
/// statement, bounded against megabyte-long ones.
pub const STATEMENT_CHARS: usize = 4000;

/// What a top list groups by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TopBy {
    #[default]
    Statement,
    User,
    Client,
    Table,
    Error,
}

impl TopBy {
    pub const ALL: [TopBy; 5] = [
        TopBy::Statement,
        TopBy::User,
        TopBy::Client,
        TopBy::Table,
        TopBy::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TopBy::Statement => "statement",
            TopBy::User => "user",
            TopBy::Client => "client",
            TopBy::Table => "table",
            TopBy::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<TopBy> {
        TopBy::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// One line of a top list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TopRow {
    /// The digest, the normalised statement, the user, the client address,
    /// the table (`db.table`) or the error code.
    pub key: String,
    pub count: i64,
    pub total_ms: Option<i64>,
    pub p95_ms: Option<f64>,
    pub scan_bytes: Option<i64>,
    pub cpu_ms: Option<f64>,
    pub errors: Option<i64>,
    /// A statement of the group (statements, errors), cut.
    pub example: Option<String>,
    /// Errors: when it last happened, UTC unix milliseconds.
    pub last_at: Option<i64>,
}

/// A top list over a window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TopList {
    pub by: TopBy,
    pub rows: Vec<TopRow>,
    /// Tables read from the statements' text (no `QueriedRelations`), or
    /// statements grouped by their normalised text: say so.
    pub approximate: bool,
    /// Statements read to build the list, and those the SQL parser could not read.
    pub sampled: Option<i64>,
    pub unparsed: Option<i64>,
}

/// The slow statements of a window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlowQueries {
    pub source: AuditSource,
    /// The window, UTC unix milliseconds.
    pub from: i64,
    pub to: i64,
    pub min_ms: i64,
    /// Newest first, at most 200.
    pub queries: Vec<SlowQuery>,
}

/// A top list of a window.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TopQueries {
    pub source: AuditSource,
    pub from: i64,
    pub to: i64,
    pub list: TopList,
}

/// The slow statements and every top list of a window: the Queries page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct QueryHistory {
    pub source: AuditSource,
    pub from: i64,
    pub to: i64,
    pub min_ms: i64,
    pub slow: Vec<SlowQuery>,
    /// In [`TopBy::ALL`]'s order; a list StarRocks failed is missing and
    /// said in `errors`.
    pub tops: Vec<TopList>,
    pub errors: Vec<String>,
}
