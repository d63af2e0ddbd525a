//! Listeners that close while a fault says so and come back on the same port.

use super::faults::Faults;
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How often a listener looks at its fault switch besides being notified.
static POLL_MS: AtomicU64 = AtomicU64::new(100);

/// Every 100 ms for up to 100 clusters, once a second beyond.
pub(crate) fn set_poll_for(clusters: usize) {
    POLL_MS.store(if clusters > 100 { 1000 } else { 100 }, Ordering::Relaxed);
}
use tokio::net::TcpListener;
use tokio::sync::watch;

/// Resolves when `refuse()` becomes true, or the simulator stops.
async fn until(
    want: bool,
    refuse: &(impl Fn() -> bool + Send + Sync),
    changes: &mut watch::Receiver<u64>,
    stop: &mut watch::Receiver<bool>,
) -> bool {
    loop {
        if *stop.borrow() {
            return false;
        }
        if refuse() == want {
            return true;
        }
        // The notification is the fast path; the periodic look makes a close
        // happen even if a notification was coalesced away under load (seen in
        // loaded test runs with a 1 s look). Large simulators look less often:
        // 1,000 clusters have 9,000 listeners.
        tokio::select! {
            r = changes.changed() => if r.is_err() { return false },
            r = stop.changed() => if r.is_err() { return false },
            _ = tokio::time::sleep(Duration::from_millis(POLL_MS.load(Ordering::Relaxed))) => {}
        }
    }
}

/// Binds `addr` again, retrying while the port is still in TIME_WAIT or similar.
async fn rebind(addr: SocketAddr, stop: &watch::Receiver<bool>) -> Option<TcpListener> {
    let mut wait = Duration::from_millis(20);
    loop {
        if *stop.borrow() {
            return None;
        }
        match TcpListener::bind(addr).await {
            Ok(l) => return Some(l),
            Err(e) => {
                tracing::warn!(%addr, error = %e, "simulator cannot rebind yet");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(1));
            }
        }
    }
}

/// Serves with `serve(listener, closed)` while `refuse()` is false; closes the
/// listener (connections refused) while it is true; rebinds the same port after.
pub(crate) async fn supervise<F, Fut>(
    first: TcpListener,
    refuse: impl Fn() -> bool + Send + Sync,
    faults: Faults,
    mut stop: watch::Receiver<bool>,
    serve: F,
) where
    F: Fn(TcpListener, watch::Receiver<bool>) -> Fut,
    Fut: Future<Output = ()>,
{
    let Ok(addr) = first.local_addr() else { return };
    let mut changes = faults.subscribe();
    let mut listener = Some(first);
    loop {
        // A fault set before this task first ran: a listener held while waiting
        // would still complete handshakes into its backlog, so drop it now.
        if refuse() {
            listener = None;
        }
        if !until(false, &refuse, &mut changes, &mut stop).await {
            return;
        }
        let l = match listener.take() {
            Some(l) => l,
            None => match rebind(addr, &stop).await {
                Some(l) => l,
                None => return,
            },
        };
        // `closed` turns true when the listener must go (fault or stop).
        let (close_tx, close_rx) = watch::channel(false);
        let server = serve(l, close_rx);
        tokio::pin!(server);
        let mut c2 = changes.clone();
        let mut s2 = stop.clone();
        tokio::select! {
            _ = &mut server => return,
            _ = until(true, &refuse, &mut c2, &mut s2) => {}
        }
        let _ = close_tx.send(true);
        // Let in-flight answers finish, but never hang on a slow client.
        let _ = tokio::time::timeout(Duration::from_secs(2), server).await;
        tracing::info!(%addr, "simulator listener closed");
        if *stop.borrow() {
            return;
        }
    }
}

/// [`supervise`] for an axum router.
pub(crate) async fn supervise_http(
    first: TcpListener,
    router: Router,
    refuse: impl Fn() -> bool + Send + Sync,
    faults: Faults,
    stop: watch::Receiver<bool>,
) {
    supervise(first, refuse, faults, stop, move |l, mut closed| {
        let router = router.clone();
        async move {
            let shutdown = async move {
                while !*closed.borrow() {
                    if closed.changed().await.is_err() {
                        break;
                    }
                }
            };
            if let Err(e) = axum::serve(l, router)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::warn!(error = %e, "simulator HTTP listener failed");
            }
        }
    })
    .await
}
