//! The integration tests, as one test binary. Each test file used to be its own
//! binary, and each linked the whole server (about 1.5 GB apiece with debug
//! info), which filled the CI disk; one binary links it once.

mod common;
/// Real notification receivers, shared with the notify crate's own tests.
#[path = "../../../notify/tests/support/mod.rs"]
mod receivers;

mod alerting;
mod auth;
mod browser_answers;
mod clusters;
mod collector;
mod connection;
mod crash;
mod fleet;
mod hostile;
mod language;
mod nodes;
mod operability;
mod operations;
mod overview;
mod overview_page;
mod queries;
mod reach;
mod security;
mod sim;
mod starrocks_client;
