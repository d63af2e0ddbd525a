//! What the databases hold and do: /dbs, /statistic (tablet health per
//! database) and `/jobs/<dbId>` (job counts).

use super::rows::{rows, FormatError};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

// --- column orders of the array-of-arrays shape (3.0 and older) ----------

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
