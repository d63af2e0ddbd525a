//! What StarRocks sends, turned into Rust values: pure parsing, no I/O.
//!
//! Every parser here takes text or bytes exactly as they came off the wire and
//! never panics on them: a cluster that misbehaves (or a proxy in front of it)
//! must show up as a readable error or a missing value, not a crashed server.
//! The formats are described in `shared/starrocks/INTERFACES.md`; the real
//! samples the tests run on live in `crates/starrocks/fixtures/`.

pub mod metrics_table;
pub mod proc;
pub mod prometheus;
pub mod values;
