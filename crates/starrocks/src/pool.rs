//! Parsing off the async workers: a `/metrics` body of several MiB takes
//! milliseconds of CPU, so it runs on tokio's blocking pool, at most about
//! one parse per core at a time across the process. A flood of huge bodies
//! queues here instead of pinning every worker.

use super::wire::prometheus::{Limits, Metrics};
use std::num::NonZeroUsize;
use std::sync::OnceLock;
use tokio::sync::Semaphore;
use tokio::task::JoinError;

/// How many parses may run at once: the number of cores this process may use.
pub fn parse_parallelism() -> usize {
    std::thread::available_parallelism().map_or(2, NonZeroUsize::get)
}

fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| Semaphore::new(parse_parallelism()))
}

/// Runs `work` on the blocking pool once one of the [`parse_parallelism`]
/// permits is free; waiting for one costs no thread. `Err` only if `work`
/// panicked or the runtime is shutting down.
pub(crate) async fn run<T, F>(work: F) -> Result<T, JoinError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    // The semaphore is never closed, so this always holds a permit; it is
    // released when `work` returns, even if the caller stopped waiting.
    let permit = permits().acquire().await;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
}

/// [`Metrics::parse_with`] on the blocking pool, bounded as [`run`] says.
/// `Err` only if the runtime is shutting down (the parser does not panic).
pub async fn parse_metrics_blocking(body: Vec<u8>, limits: Limits) -> Result<Metrics, JoinError> {
    run(move || Metrics::parse_with(&String::from_utf8_lossy(&body), limits)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test(flavor = "current_thread")]
    async fn quadratic_parse_runs_off_the_async_worker() {
        let worker = std::thread::current().id();
        let parsed_on = run(|| std::thread::current().id()).await.expect("run");
        assert_ne!(parsed_on, worker);
        let m = parse_metrics_blocking(b"a 1\nb{x=\"y\"} 2\n".to_vec(), Limits::default())
            .await
            .expect("parse");
        assert_eq!(m.samples().len(), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn quadratic_parse_a_flood_of_bodies_queues_at_about_one_per_core() {
        let cores = parse_parallelism();
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..cores * 4 {
            let (running, most) = (running.clone(), most.clone());
            tasks.spawn(run(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("task").expect("work");
        }
        let most = most.load(Ordering::SeqCst);
        assert!(
            most >= 1 && most <= cores,
            "{most} ran at once on {cores} cores"
        );
    }
}
