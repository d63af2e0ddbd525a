//! Types that cross the wire, shared by the server and the browser build.

pub mod alerting;
pub mod api;
pub mod chart;
pub mod cluster;
pub mod error;
pub mod fe_address;
pub mod fleet;
pub mod format;
pub mod navigation;
pub mod node;
pub mod operations;
pub mod overview;
pub mod queries;
pub mod reach;
pub mod snapshot;
pub mod starrocks;
pub mod text;
pub mod thresholds;
pub mod user;

pub use cluster::{Cluster, ClusterDraft, ClusterFormData, FieldErrors, ValidCluster};
pub use error::{ApiError, ApiErrorKind};
pub use navigation::safe_next;
pub use user::UserInfo;
