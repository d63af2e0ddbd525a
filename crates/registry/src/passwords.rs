//! Console account passwords: argon2id hashes in PHC format.
//!
//! Each hash or verification takes about 19 MiB and tens of milliseconds of
//! one core. [`hash_bounded`] and [`verify_bounded`] run them on blocking
//! threads, at most [`max_concurrent`] at a time in the whole process (a
//! semaphore of about the number of cores): a burst of sign-ins queues,
//! so memory stays flat instead of growing by 19 MiB per request.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

static HASHING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(max_concurrent()));
/// Hashes and verifications running now, and the most ever at once.
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// How many hashes or verifications may run at once: the number of cores
/// (`std::thread::available_parallelism`), 2 when it cannot be told.
pub fn max_concurrent() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `work` on a blocking thread once a hashing permit is free; the permit
/// travels with the work, so an abandoned request cannot start more.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let permit = HASHING
        .acquire()
        .await
        .map_err(|e| format!("hashing semaphore: {e}"))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        let out = work();
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        out
    })
    .await
    .map_err(|e| format!("hashing task: {e}"))
}

/// [`hash`] on a blocking thread, within the process-wide bound.
pub async fn hash_bounded(password: String) -> Result<String, String> {
    bounded(move || hash(&password)).await?
}

/// [`verify`] on a blocking thread, within the process-wide bound.
pub async fn verify_bounded(password: String, phc: String) -> Result<bool, String> {
    bounded(move || verify(&password, &phc)).await
}

/// Hashes with argon2id and the crate's defaults (m=19 MiB, t=2, p=1, OWASP's
/// baseline). CPU-heavy: call from `spawn_blocking`.
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("hashing failed: {e}"))
}

/// True when `password` matches `phc`. A malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A random password for the bootstrap account: 20 characters, about 119 bits.
pub fn random_password() -> String {
    use rand::distributions::Alphanumeric;
    use rand::Rng;
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_and_rejects() {
        let h = hash("correct horse battery").expect("hash");
        assert!(h.starts_with("$argon2id$"), "argon2id expected: {h}");
        assert!(!h.contains("correct horse"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("", &h));
    }

    #[test]
    fn same_password_gets_different_salts() {
        assert_ne!(
            hash("same-password").expect("a"),
            hash("same-password").expect("b")
        );
    }

    #[test]
    fn malformed_hash_never_matches() {
        assert!(!verify("x", "not a hash"));
        assert!(!verify("", ""));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn hashing_is_bounded_by_the_number_of_cores() {
        let phc = hash("bounded").expect("hash");
        let tasks: Vec<_> = (0..4 * max_concurrent() + 4)
            .map(|i| tokio::spawn(verify_bounded(format!("wrong-{i}"), phc.clone())))
            .collect();
        for t in tasks {
            assert_eq!(t.await.expect("task"), Ok(false));
        }
        let peak = PEAK.load(Ordering::SeqCst);
        assert!(
            (1..=max_concurrent()).contains(&peak),
            "{peak} at once, {} allowed",
            max_concurrent()
        );
        assert_eq!(verify_bounded("bounded".into(), phc).await, Ok(true));
    }

    #[test]
    fn random_passwords_are_long_and_distinct() {
        let a = random_password();
        assert_eq!(a.len(), 20);
        assert_ne!(a, random_password());
    }
}
