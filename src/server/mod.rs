//! Everything that runs only on the server: configuration, the database,
//! secrets, authentication, the services and the HTTP surface.

pub mod auth;
pub mod charts;
pub mod clusters;
pub mod collector;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod fn_context;
pub mod http;
pub mod overview;
pub mod passwords;
pub mod secrets;
pub mod sim;
pub mod starrocks;
pub mod startup;
pub mod state;
pub mod throttle;
pub mod users;

pub use error::AppError;
pub use state::AppState;

/// Now as UTC unix milliseconds, the time unit of every stored row.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
