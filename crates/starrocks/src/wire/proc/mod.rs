//! Bodies of FE `GET /api/show_proc?path=...` and of the small FE status
//! endpoints (`/api/show_runtime_info`, `/api/health`, `/api/bootstrap`).
//!
//! `show_proc` answers in two shapes: 3.1+ sends an array of objects whose
//! values are all strings; 3.0 and older send an array of arrays with no
//! column names, which only the column order of that version can decode.
//! Both go through one generic [`rows()`] decoder into [`Row`]s looked up by
//! column name, and the typed rows read the columns they know by name:
//! columns move between minor versions, so unknown ones are ignored and
//! missing ones are `None`, never an error.
//!
//! - `rows`: the generic decoder, [`Row`] and [`FormatError`];
//! - `nodes`: /backends, /compute_nodes and /frontends;
//! - `statistics`: /dbs, /statistic and `/jobs/<dbId>`;
//! - `queries`: /current_queries;
//! - `status`: the FE status endpoints, JSON objects rather than rows.
//!
//! Everything public is re-exported here, so callers name it
//! `wire::proc::...` whichever module holds it.

mod nodes;
mod queries;
mod rows;
mod statistics;
mod status;

pub use nodes::{
    backends, compute_nodes, frontends, Backend, ComputeNode, Frontend, BACKENDS_COLUMNS_V30,
    COMPUTE_NODES_COLUMNS_V30, FRONTENDS_COLUMNS_V2, FRONTENDS_COLUMNS_V30,
};
pub use queries::{current_queries, CurrentQuery, CURRENT_QUERIES_COLUMNS_V30};
pub use rows::{rows, FormatError, Row};
pub use statistics::{
    dbs, jobs, statistic, DbInfo, DbStatistic, JobCounts, Statistic, DBS_COLUMNS, JOBS_COLUMNS,
    STATISTIC_COLUMNS,
};
pub use status::{bootstrap, fe_health, runtime_info, Bootstrap, FeHealth, RuntimeInfo};

#[cfg(test)]
mod tests;
