//! The server: configuration, start-up, the REST API and the session guard
//! around everything, the demo, and the console's own health and metrics. It
//! puts the layers together; the layers themselves are the crates it uses
//! (README, "Layout").

pub mod auth;
pub mod caching;
pub mod config;
pub mod demo;
pub mod http;
pub mod locale;
pub mod private_files;
pub mod security;
pub mod startup;
pub mod telemetry;

pub use app::AppState;
pub use registry::AppError;
