//! What the console learns from a StarRocks cluster, as pages and the API see it.

use serde::{Deserialize, Serialize};

/// Why talking to a cluster failed, in terms an operator can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Connection refused, no route, DNS failure: is the host and port right, is the FE up?
    Unreachable,
    /// Connected, but no answer in time: overloaded FE or a firewall dropping packets.
    Timeout,
    /// 401/403 or MySQL 1045/1698: user or password wrong, or the user lacks privileges.
    AuthFailed,
    /// 404: the endpoint does not exist on this StarRocks version.
    NotFound,
    /// An answer that is not what StarRocks sends: another service on that port, or a proxy page.
    BadPayload,
    /// The FE is starting or replaying its journal.
    NotReady,
    /// StarRocks answered with an error of its own (HTTP 5xx, or a failed statement).
    ServerError,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unreachable => "unreachable",
            Self::Timeout => "timeout",
            Self::AuthFailed => "auth_failed",
            Self::NotFound => "not_found",
            Self::BadPayload => "bad_payload",
            Self::NotReady => "not_ready",
            Self::ServerError => "server_error",
        }
    }

    /// A short heading for the page.
    pub fn label(self) -> &'static str {
        match self {
            Self::Unreachable => "Unreachable",
            Self::Timeout => "Timed out",
            Self::AuthFailed => "Authentication failed",
            Self::NotFound => "Not found",
            Self::BadPayload => "Unexpected answer",
            Self::NotReady => "Not ready",
            Self::ServerError => "StarRocks error",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Unreachable,
            Self::Timeout,
            Self::AuthFailed,
            Self::NotFound,
            Self::BadPayload,
            Self::NotReady,
            Self::ServerError,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// A failure with its kind and the message to show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProblemReport {
    pub kind: ErrorKind,
    pub message: String,
}

/// One statistic that may be missing (a table that does not exist on this
/// version, a privilege the user lacks) without failing the others.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Stat<T> {
    Available { value: T },
    Unavailable { reason: String },
}

impl<T> Stat<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Available { value } => Some(value),
            Self::Unavailable { .. } => None,
        }
    }
}

/// What "Test connection" found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConnectionReport {
    /// Both the HTTP and the MySQL side answered.
    pub ok: bool,
    pub elapsed_ms: u64,
    /// From `current_version()` over MySQL, else from the frontends list.
    pub version: Option<String>,
    pub shared_data: bool,
    pub frontends_alive: u32,
    pub frontends_total: u32,
    /// Backends, or compute nodes on a shared-data cluster.
    pub nodes_alive: u32,
    pub nodes_total: u32,
    /// The FE HTTP side (`/api/show_proc`), if it failed.
    pub http_error: Option<ProblemReport>,
    /// The MySQL side (query port), if it failed.
    pub mysql_error: Option<ProblemReport>,
    /// The registered FE address whose HTTP side answered (`host:http_port`).
    #[serde(default)]
    pub answered_by: Option<String>,
    /// Registered addresses tried first that did not answer, each with why.
    #[serde(default)]
    pub addresses_not_answering: Vec<String>,
}

/// A table and its size, for "largest tables".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TableSize {
    pub database: String,
    pub table: String,
    pub rows: Option<u64>,
    /// DATA_LENGTH: bytes summed over replicas.
    pub bytes: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MvSummary {
    pub total: u64,
    pub active: u64,
    pub inactive: u64,
    /// Names (`db.mv`) whose last refresh failed.
    pub failing: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SchemaChangeSummary {
    pub running: u64,
    pub pending: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionSummary {
    pub connections: u64,
    /// Distinct users with a statement running.
    pub active_users: u64,
}

/// Everything gathered over the MySQL protocol, statistic by statistic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DataStatistics {
    pub version: Stat<String>,
    pub databases: Stat<u64>,
    pub tables: Stat<u64>,
    pub total_bytes: Stat<u64>,
    pub top_tables: Stat<Vec<TableSize>>,
    pub materialized_views: Stat<MvSummary>,
    pub schema_changes: Stat<SchemaChangeSummary>,
    pub sessions: Stat<SessionSummary>,
    pub loads_running: Stat<u64>,
}
