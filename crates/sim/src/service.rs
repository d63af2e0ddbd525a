//! The Kubernetes Service in front of the FEs of a [`Deployment::Kubernetes`]
//! cluster: one HTTP address that hands each request to the next FE in turn,
//! as kube-proxy or a load balancer does. A client reading through it sees a
//! different FE on successive requests (request 0 → FE 0, request 1 → FE 1, …),
//! each answering with its own router: its own `/metrics` counters, the same
//! lists, the control API.
//!
//! A down FE ([`Fault::FeDown`]) is out of the rotation, as a pod failing its
//! readiness probe leaves the Service's endpoints. With no FE to answer (all
//! down, or `fe_refusing`) the listener closes, as a Service without endpoints
//! refuses connections.
//!
//! [`Deployment::Kubernetes`]: crate::profile::Deployment::Kubernetes

use super::faults::{Fault, Faults};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Router;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

/// The FEs a request may go to now, in order.
fn up(faults: &Faults, fes: usize) -> Vec<usize> {
    (0..fes)
        .filter(|j| !faults.is_active(&Fault::FeDown(*j)))
        .collect()
}

/// Whether the Service has no FE to send to: its listener closes meanwhile.
pub(crate) fn refusing(faults: &Faults, fes: usize) -> bool {
    faults.is_active(&Fault::FeRefusing) || up(faults, fes).is_empty()
}

/// The Service: every path, every method, to the FE routers in turn.
pub(crate) fn router(fes: Vec<Router>, faults: Faults) -> Router {
    let fes = Arc::new(fes);
    let next = Arc::new(AtomicUsize::new(0));
    Router::new().fallback(move |req: Request| {
        let (fes, next, faults) = (fes.clone(), next.clone(), faults.clone());
        async move {
            let up = up(&faults, fes.len());
            if up.is_empty() {
                // Only between the last FE going down and the listener closing.
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
            let pick = up[next.fetch_add(1, Ordering::Relaxed) % up.len()];
            match fes.get(pick) {
                Some(fe) => match fe.clone().oneshot(req).await {
                    Ok(r) => r,
                    Err(never) => match never {},
                },
                None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
            }
        }
    })
}
