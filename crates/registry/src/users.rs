//! Console accounts: sign-in, password changes, the bootstrap admin.

use crate::{now_ms, passwords, throttle, AppError};
use model::user::{check_new_password, MAX_PASSWORD_LEN};
use model::{FieldErrors, UserInfo};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;
use sqlx::SqlitePool;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone)]
pub struct UserService {
    pool: SqlitePool,
    throttle: Arc<throttle::LoginThrottle>,
    /// Verified against when the user name is unknown, so both failures take as long.
    dummy_hash: Arc<String>,
    /// Refused sign-ins by reason, for the console's `/metrics`.
    sign_in_failures: Family<ReasonLabel, Counter>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    /// invalid_credentials, or throttled (refused before the password was checked).
    pub reason: &'static str,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    password_hash: String,
    must_change_password: bool,
}

impl From<&UserRow> for UserInfo {
    fn from(r: &UserRow) -> Self {
        UserInfo {
            id: r.id,
            username: r.username.clone(),
            must_change_password: r.must_change_password,
        }
    }
}

async fn hash_blocking(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

async fn verify_blocking(password: String, hash: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || passwords::verify(&password, &hash))
        .await
        .map_err(AppError::internal)
}

impl UserService {
    pub async fn new(pool: SqlitePool) -> Result<Self, AppError> {
        let dummy = hash_blocking(passwords::random_password()).await?;
        Ok(Self {
            pool,
            throttle: Arc::new(throttle::LoginThrottle::default()),
            dummy_hash: Arc::new(dummy),
            sign_in_failures: Family::default(),
        })
    }

    /// Adds the sign-in failure counter to the console's metrics.
    pub fn register_metrics(&self, registry: &mut Registry) {
        registry.register(
            "sro_sign_in_failures",
            "Refused sign-ins by reason",
            self.sign_in_failures.clone(),
        );
    }

    fn count_failure(&self, reason: &'static str) {
        self.sign_in_failures
            .get_or_create(&ReasonLabel { reason })
            .inc();
    }

    /// Creates `admin` when there are no users. Returns the generated password
    /// when none was given, so the caller can print it once.
    pub async fn bootstrap_admin(
        &self,
        password: Option<&str>,
    ) -> Result<Option<String>, AppError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        if count > 0 {
            return Ok(None);
        }
        let (password, generated) = match password {
            Some(p) if !p.is_empty() => (p.to_string(), None),
            _ => {
                let p = passwords::random_password();
                (p.clone(), Some(p))
            }
        };
        let hash = hash_blocking(password).await?;
        let now = now_ms();
        sqlx::query(
            "INSERT INTO users (username, password_hash, must_change_password, created_at, updated_at)
             VALUES ('admin', ?, 1, ?, ?)",
        )
        .bind(hash)
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(generated)
    }

    /// The user and their session epoch, which a password change bumps: a
    /// session signed in under an older epoch is no longer valid.
    pub async fn get_with_epoch(&self, id: i64) -> Result<Option<(UserInfo, i64)>, AppError> {
        let row: Option<(i64, String, bool, i64)> = sqlx::query_as(
            "SELECT id, username, must_change_password, session_epoch FROM users WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, username, must_change_password, epoch)| {
            (
                UserInfo {
                    id,
                    username,
                    must_change_password,
                },
                epoch,
            )
        }))
    }

    /// Checks the throttle, then the password. Every failure costs one argon2
    /// verification whether or not the user exists.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client: &str,
    ) -> Result<UserInfo, AppError> {
        let keys = throttle::keys(username, client);
        if let Err(wait) = self.throttle.check(&keys, Instant::now()) {
            self.count_failure("throttled");
            return Err(AppError::Throttled(wait));
        }
        let username = username.trim();
        let row: Option<UserRow> = if username.is_empty() || username.len() > 64 {
            None
        } else {
            sqlx::query_as(
                "SELECT id, username, password_hash, must_change_password FROM users WHERE username = ?",
            )
            .bind(username)
            .fetch_optional(&self.pool)
            .await?
        };
        let hash = row
            .as_ref()
            .map(|r| r.password_hash.clone())
            .unwrap_or_else(|| self.dummy_hash.as_ref().clone());
        let password = password
            .chars()
            .take(MAX_PASSWORD_LEN + 1)
            .collect::<String>();
        let ok = verify_blocking(password, hash).await? && row.is_some();
        match row {
            Some(r) if ok => {
                self.throttle.record_success(&keys[0]);
                Ok(UserInfo::from(&r))
            }
            _ => {
                tracing::warn!(client, "failed sign-in");
                self.count_failure("invalid_credentials");
                match self.throttle.record_failure(&keys, Instant::now()) {
                    // The attempt that triggers the lock already says so.
                    Some(wait) => Err(AppError::Throttled(wait)),
                    None => Err(AppError::InvalidCredentials),
                }
            }
        }
    }

    /// Changes the user's own password after checking the current one.
    pub async fn change_password(
        &self,
        user_id: i64,
        current: &str,
        new: &str,
        confirm: Option<&str>,
    ) -> Result<UserInfo, AppError> {
        let row: UserRow = sqlx::query_as(
            "SELECT id, username, password_hash, must_change_password FROM users WHERE id = ?",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(AppError::Unauthenticated)?;
        let mut errors = FieldErrors::default();
        if !verify_blocking(current.to_string(), row.password_hash.clone()).await? {
            errors.add("current_password", "This is not your current password.");
        }
        if let Err(msg) = check_new_password(&row.username, new) {
            errors.add("new_password", msg);
        } else if new == current {
            errors.add(
                "new_password",
                "Choose a password different from the current one.",
            );
        }
        if let Some(confirm) = confirm {
            if confirm != new {
                errors.add("confirm_password", "The two new passwords differ.");
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let hash = hash_blocking(new.to_string()).await?;
        sqlx::query(
            "UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ?, \
             session_epoch = session_epoch + 1 WHERE id = ?",
        )
        .bind(hash)
        .bind(now_ms())
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        tracing::info!(user = %row.username, "password changed; the user's other sessions end");
        Ok(UserInfo {
            id: row.id,
            username: row.username,
            must_change_password: false,
        })
    }
}
