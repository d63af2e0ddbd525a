//! Talking to StarRocks: wire formats, the HTTP and MySQL clients, and
//! "Test connection".

pub mod audit;
pub mod be;
pub mod error;
pub mod failover;
pub mod http;
pub mod pool;
pub mod probe;
pub mod running;
pub mod sql;
pub mod wire;
