//! The store: the SQLite pool and its migrations, and the one repository of
//! collected history. Every SQL statement about snapshots, partials, daily
//! rows, counters, node lists, data statistics and alerts is here; the
//! collector writes through it and the overview reads through it, and neither
//! knows the other.
//!
//! Functions answer `sqlx::Result`: what an error means to a person is decided
//! by the service that called them.

pub mod activity;
pub mod alerts;
pub mod capacity;
pub mod counters;
pub mod data_stats;
pub mod db;
pub mod fleet;
pub mod housekeeping;
pub mod node_history;
pub mod operations;
pub mod partials;
pub mod series;
pub mod silences;
pub mod snapshots;
pub mod thresholds;
pub mod ticks;

pub use sqlx::SqlitePool;

/// Now as UTC unix milliseconds, the time unit of every stored row.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
