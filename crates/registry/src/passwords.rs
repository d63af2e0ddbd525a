//! Console account passwords: argon2id hashes in PHC format.
//!
//! Each hash or verification takes about 19 MiB and tens of milliseconds of
//! one core. [`hash_bounded`] and [`verify_bounded`] run them on a small pool
//! of [`max_concurrent`] dedicated threads (about the number of cores), fed
//! by a queue: a burst of sign-ins queues, so memory stays flat instead of
//! growing by 19 MiB per request. Dedicated threads matter as much as the
//! bound: the allocator keeps a freed 19 MiB block in the arena of the thread
//! that used it, so hashing on whichever of tokio's (up to 512) blocking
//! threads is free would leave one such block behind per thread.

use argon2::password_hash::{
    self, rand_core::OsRng, Output, ParamsString, PasswordHash, Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{LazyLock, Mutex};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// The queue of the hashing threads; they start with the first job.
static HASHERS: LazyLock<Mutex<mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (tx, rx) = mpsc::channel::<Job>();
    let rx = std::sync::Arc::new(Mutex::new(rx));
    for i in 0..max_concurrent() {
        let rx = rx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("password-hash-{i}"))
            .spawn(move || loop {
                // The lock is held only while taking the next job.
                let job = match rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start password hashing thread {i}: {e}");
        }
    }
    Mutex::new(tx)
});
/// Hashes and verifications running now, and the most ever at once.
static RUNNING: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// How many hashes or verifications may run at once: the number of cores
/// (`std::thread::available_parallelism`), 2 when it cannot be told.
pub fn max_concurrent() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Runs `work` on one of the hashing threads, in turn. Work whose caller
/// stopped waiting (a closed connection) is skipped when its turn comes, so
/// abandoned requests cost no hashing.
async fn bounded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move || {
        if tx.is_closed() {
            return;
        }
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        let out = work();
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        let _ = tx.send(out);
    });
    HASHERS
        .lock()
        .map_err(|_| "hashing queue poisoned".to_string())?
        .send(job)
        .map_err(|_| "no hashing thread is running".to_string())?;
    rx.await
        .map_err(|_| "the hashing thread stopped before answering".to_string())
}

/// [`hash`] on a hashing thread, within the process-wide bound.
pub async fn hash_bounded(password: String) -> Result<String, String> {
    bounded(move || hash(&password)).await?
}

/// [`verify`] on a hashing thread, within the process-wide bound.
pub async fn verify_bounded(password: String, phc: String) -> Result<bool, String> {
    bounded(move || verify(&password, &phc)).await
}

thread_local! {
    /// argon2's working memory (19 MiB with the defaults), allocated once
    /// per hashing thread and reused, so repeated sign-ins allocate nothing
    /// large and the allocator has nothing to keep.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Working memory above this (64 MiB) is allocated for the one call and
/// freed: only a hash with unusual parameters needs it.
const MAX_KEPT_BLOCKS: usize = 64 * 1024;

fn with_blocks<T>(count: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    if count > MAX_KEPT_BLOCKS {
        return work(&mut vec![Block::default(); count]);
    }
    BLOCKS.with(|kept| {
        let mut kept = kept.borrow_mut();
        if kept.len() < count {
            kept.resize(count, Block::default());
        }
        work(&mut kept[..count])
    })
}

/// The raw argon2 output of `password` with `salt`, `len` bytes long.
fn compute(
    argon: &Argon2,
    password: &[u8],
    salt: &Salt,
    len: usize,
) -> password_hash::Result<Output> {
    let mut salt_buf = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_buf)?;
    with_blocks(argon.params().block_count(), |blocks| {
        Output::init_with(len, |out| {
            Ok(argon.hash_password_into_with_memory(password, salt, out, blocks)?)
        })
    })
}

/// Hashes with argon2id and the crate's defaults (m=19 MiB, t=2, p=1, OWASP's
/// baseline). CPU-heavy: call [`hash_bounded`] from async code.
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let argon = Argon2::default();
    let failed = |e: password_hash::Error| format!("hashing failed: {e}");
    let output = compute(
        &argon,
        password.as_bytes(),
        &salt.as_salt(),
        Params::DEFAULT_OUTPUT_LEN,
    )
    .map_err(failed)?;
    let phc = PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: ParamsString::try_from(argon.params()).map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// True when `password` matches `phc` (compared in constant time). A
/// malformed stored hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params);
    compute(&argon, password.as_bytes(), &salt, expected.len()).is_ok_and(|out| out == expected)
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
    fn hashes_of_the_crate_and_ours_verify_each_other() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // Accounts stored before verification reused its memory still sign in.
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"older account", &salt)
            .expect("hash")
            .to_string();
        assert!(verify("older account", &theirs));
        assert!(!verify("older accounT", &theirs));
        let ours = hash("newer account").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("phc");
        assert!(Argon2::default()
            .verify_password(b"newer account", &parsed)
            .is_ok());
        // Other parameters (a cheaper hash, argon2i) are honoured too.
        let cheap = Argon2::new(
            Algorithm::Argon2i,
            Version::V0x13,
            Params::new(1024, 1, 1, Some(16)).expect("params"),
        )
        .hash_password(b"cheap", &salt)
        .expect("hash")
        .to_string();
        assert!(verify("cheap", &cheap));
        assert!(!verify("cheaP", &cheap));
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn argon2_flood_runs_on_a_few_dedicated_threads() {
        // Each thread that hashes keeps a 19 MiB block in its allocator
        // arena, so the number of distinct threads bounds the memory.
        let tasks: Vec<_> = (0..64)
            .map(|_| tokio::spawn(bounded(|| std::thread::current().id())))
            .collect();
        let mut threads = std::collections::HashSet::new();
        for t in tasks {
            threads.insert(t.await.expect("task").expect("ran"));
        }
        assert!(
            (1..=max_concurrent()).contains(&threads.len()),
            "{} threads for {} allowed",
            threads.len(),
            max_concurrent()
        );
    }

    #[test]
    fn random_passwords_are_long_and_distinct() {
        let a = random_password();
        assert_eq!(a.len(), 20);
        assert_ne!(a, random_password());
    }
}
