//! The registry: who may sign in and which clusters exist. Console accounts
//! (argon2 password hashes, sign-in throttling, the session keys), registered
//! StarRocks clusters (their connection settings, AES-GCM-encrypted
//! passwords, connection tests), and the server's one error type, which every
//! service above returns.

pub mod clusters;
pub mod error;
pub mod passwords;
pub mod secrets;
pub mod sessions;
pub mod throttle;
pub mod users;

pub use error::AppError;
pub use store::now_ms;
