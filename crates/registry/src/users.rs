//! Console accounts: sign-in, password changes, the bootstrap admin.

use crate::{now_ms, passwords, throttle, AppError};
use model::user::{check_new_password, MAX_PASSWORD_LEN};
use model::{FieldErrors, UserInfo};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;
use sqlx::SqlitePool;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// argon2 verifications performed (sign-ins and password changes).
    verifications: Arc<AtomicU64>,
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
    locale: Option<String>,
}

impl From<&UserRow> for UserInfo {
    fn from(r: &UserRow) -> Self {
        UserInfo {
            id: r.id,
            username: r.username.clone(),
            must_change_password: r.must_change_password,
            locale: r.locale.clone(),
        }
    }
}

/// Hashes within the process-wide bound on concurrent argon2 work.
async fn hash_bounded(password: String) -> Result<String, AppError> {
    passwords::hash_bounded(password)
        .await
        .map_err(AppError::internal)
}

impl UserService {
    pub async fn new(pool: SqlitePool) -> Result<Self, AppError> {
        let dummy = hash_bounded(passwords::random_password()).await?;
        Ok(Self {
            pool,
            throttle: Arc::new(throttle::LoginThrottle::default()),
            dummy_hash: Arc::new(dummy),
            sign_in_failures: Family::default(),
            verifications: Arc::default(),
        })
    }

    /// How many argon2 verifications this service has performed.
    pub fn verifications(&self) -> u64 {
        self.verifications.load(Ordering::Relaxed)
    }

    /// Verifies within the process-wide bound on concurrent argon2 work, and counts it.
    async fn verify(&self, password: String, hash: String) -> Result<bool, AppError> {
        self.verifications.fetch_add(1, Ordering::Relaxed);
        passwords::verify_bounded(password, hash)
            .await
            .map_err(AppError::internal)
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
        let hash = hash_bounded(password).await?;
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
        let row: Option<(i64, String, bool, i64, Option<String>)> = sqlx::query_as(
            "SELECT id, username, must_change_password, session_epoch, locale FROM users WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            row.map(|(id, username, must_change_password, epoch, locale)| {
                (
                    UserInfo {
                        id,
                        username,
                        must_change_password,
                        locale,
                    },
                    epoch,
                )
            }),
        )
    }

    /// Reserves the attempt in the throttle, then checks the password. An
    /// attempt the throttle refuses costs no argon2 verification; every other
    /// failure costs one, whether or not the user exists.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        client: &str,
    ) -> Result<UserInfo, AppError> {
        let attempt = match self.throttle.begin(username, client, Instant::now()) {
            Ok(attempt) => attempt,
            Err(wait) => {
                self.count_failure("throttled");
                return Err(AppError::Throttled(wait));
            }
        };
        if !attempt.delay().is_zero() {
            tokio::time::sleep(attempt.delay()).await;
        }
        let username = username.trim();
        let row: Option<UserRow> = if username.is_empty() || username.len() > 64 {
            None
        } else {
            sqlx::query_as(
                "SELECT id, username, password_hash, must_change_password, locale FROM users WHERE username = ?",
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
        let ok = self.verify(password, hash).await? && row.is_some();
        match row {
            Some(r) if ok => {
                attempt.succeeded();
                Ok(UserInfo::from(&r))
            }
            _ => {
                tracing::warn!(client, "failed sign-in");
                self.count_failure("invalid_credentials");
                match attempt.failed(Instant::now()) {
                    // The attempt that triggers the lock already says so.
                    Some(wait) => Err(AppError::Throttled(wait)),
                    None => Err(AppError::InvalidCredentials),
                }
            }
        }
    }

    /// Stores the language the user chose (`en` or `zh-CN`); any other tag
    /// is refused and nothing changes.
    pub async fn set_locale(&self, user_id: i64, tag: &str) -> Result<(), AppError> {
        let Some(locale) = i18n::LOCALES.into_iter().find(|l| i18n::tag(*l) == tag) else {
            return Err(AppError::Validation(FieldErrors::single(
                "locale",
                i18n::Msg::new(i18n::MsgKey::UnknownLanguage).text(),
            )));
        };
        sqlx::query("UPDATE users SET locale = ?, updated_at = ? WHERE id = ?")
            .bind(i18n::tag(locale))
            .bind(now_ms())
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
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
            "SELECT id, username, password_hash, must_change_password, locale FROM users WHERE id = ?",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(AppError::Unauthenticated)?;
        let mut errors = FieldErrors::default();
        if !self
            .verify(current.to_string(), row.password_hash.clone())
            .await?
        {
            errors.add("current_password", i18n::say!(forms.current_password_wrong));
        }
        if let Err(msg) = check_new_password(&row.username, new) {
            errors.add("new_password", msg);
        } else if new == current {
            errors.add("new_password", i18n::say!(forms.password_unchanged));
        }
        if let Some(confirm) = confirm {
            if confirm != new {
                errors.add("confirm_password", i18n::say!(forms.passwords_differ));
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let hash = hash_bounded(new.to_string()).await?;
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
            locale: row.locale,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWORD: &str = "the-right-Passphrase-1";

    async fn service() -> (UserService, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let pool = store::db::connect(&url).await.expect("database");
        let users = UserService::new(pool).await.expect("service");
        users.bootstrap_admin(Some(PASSWORD)).await.expect("admin");
        (users, dir)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sign_in_flood_is_refused_without_verifying() {
        let (users, _dir) = service().await;
        let tasks: Vec<_> = (0..100)
            .map(|i| {
                let users = users.clone();
                tokio::spawn(async move {
                    users
                        .login("admin", &format!("wrong-{i}"), "203.0.113.7")
                        .await
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for t in tasks {
            let r = t.await.expect("task");
            statuses.push(r.expect_err("a wrong password").status().as_u16());
        }
        assert!(
            statuses.iter().all(|s| *s == 401 || *s == 429),
            "{statuses:?}"
        );
        let verified = users.verifications();
        println!("{verified} argon2 verifications for a burst of 100");
        assert!(
            verified <= u64::from(throttle::FREE_FAILURES) + 2,
            "{verified} argon2 verifications for a burst of 100"
        );
    }

    #[tokio::test]
    async fn lockout_of_one_client_does_not_lock_out_another() {
        let (users, _dir) = service().await;
        for _ in 0..10 {
            let e = users
                .login("admin", "guess", "198.51.100.66")
                .await
                .expect_err("wrong password");
            assert!(matches!(
                e,
                AppError::InvalidCredentials | AppError::Throttled(_)
            ));
        }
        assert!(
            matches!(
                users.login("admin", PASSWORD, "198.51.100.66").await,
                Err(AppError::Throttled(_))
            ),
            "the guessing client is locked out"
        );
        let user = users
            .login("admin", PASSWORD, "192.0.2.10")
            .await
            .expect("another client signs in");
        assert_eq!(user.username, "admin");
    }

    #[tokio::test]
    async fn a_flood_from_one_address_locks_that_address() {
        let (users, _dir) = service().await;
        let attacker = "203.0.113.99";
        let free = throttle::ADDRESS_FREE_FAILURES;
        for i in 1..free {
            let e = users
                .login(&format!("user{i}"), "guess", attacker)
                .await
                .expect_err("unknown user");
            assert!(
                matches!(e, AppError::InvalidCredentials),
                "failure {i} of {free} across user names is not locked yet: {e:?}"
            );
        }
        let e = users
            .login("last-guess", "guess", attacker)
            .await
            .expect_err("unknown user");
        assert!(matches!(e, AppError::Throttled(_)), "failure {free}: {e:?}");
        assert!(
            matches!(
                users.login("admin", PASSWORD, attacker).await,
                Err(AppError::Throttled(_))
            ),
            "the address is locked, whatever the user name"
        );
        assert!(
            matches!(
                users.login("fresh", "guess", "192.0.2.10").await,
                Err(AppError::InvalidCredentials)
            ),
            "another address is not"
        );
        users
            .login("admin", PASSWORD, "192.0.2.10")
            .await
            .expect("nor is the account");
    }
}
