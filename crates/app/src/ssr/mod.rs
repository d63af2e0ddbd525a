//! The server side of the app (the `ssr` build only): what server functions
//! reach through the request, and the chart options they serve.

pub mod chart_options;
pub mod context;
pub mod state;

pub use state::AppState;
