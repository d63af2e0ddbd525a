//! The FE HTTP port: /metrics, /api/show_proc, /api/health, /api/show_runtime_info,
//! /api/bootstrap, the HTTP faults, and the /_sim control API.
//!
//! The `/metrics` body is written from the tables in `metrics.rs`; this file
//! holds the routes, Basic auth and the fault layer.

mod metrics;

pub(crate) use metrics::{fe_json, fe_metrics};

use super::faults::{Fault, Faults};
use super::format::json_str;
use super::hostile;
use super::proc::{proc, Ctx};
use super::profile::Mode;
use super::queries::{is_admin, VIEWER_PASSWORD, VIEWER_USER};
use super::Shared;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use metrics::heap;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone)]
pub(crate) struct Fe {
    pub sh: Arc<Shared>,
    pub fe: usize,
}

impl Fe {
    fn ctx(&self, t: i64) -> Ctx<'_> {
        Ctx {
            sh: &self.sh,
            fe: self.fe,
            t,
            view: self.sh.faults.view(),
        }
    }
}

pub(crate) fn router(sh: Arc<Shared>, fe: usize) -> Router {
    let state = Fe { sh, fe };
    Router::new()
        .route("/metrics", get(metrics))
        .route("/api/show_proc", get(show_proc))
        .route("/api/health", get(health))
        .route("/api/show_runtime_info", get(runtime_info))
        .route("/api/bootstrap", get(bootstrap))
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), http_faults))
        .merge(super::control::router(state.sh.faults.clone()))
        .with_state(state)
}

fn now() -> i64 {
    crate::now_ms()
}

const JSON: &str = "application/json";

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, JSON)], body).into_response()
}

/// RestBaseResult failure: `{"status":"FAILED","code":"1","msg":m,"message":m}`.
pub fn failed(msg: &str) -> String {
    let m = json_str(msg);
    format!("{{\"status\":\"FAILED\",\"code\":\"1\",\"msg\":{m},\"message\":{m}}}")
}

/// Applies the HTTP faults to every FE answer: Slow first; then the first of
/// Redirect, HugeError, Http500 and GarbageBody answers instead of the route;
/// otherwise TruncatedBody cuts the route's answer; Drip sends whatever came out.
async fn http_faults(State(fe): State<Fe>, req: Request, next: Next) -> Response {
    let faults = &fe.sh.faults;
    if let Some(d) = faults.slow() {
        tokio::time::sleep(d).await;
    }
    let resp = match instead(faults) {
        Some(r) => r,
        None => truncated(faults, next.run(req).await).await,
    };
    match faults.drip() {
        Some(every) => hostile::drip(resp, every).await,
        None => resp,
    }
}

/// The answer a fault gives instead of the route's, if any.
fn instead(faults: &Faults) -> Option<Response> {
    if let Some(to) = faults.redirect() {
        return Some(hostile::redirect(&to));
    }
    if let Some(bytes) = faults.huge_error() {
        return Some(hostile::huge_error(bytes));
    }
    if faults.is_active(&Fault::Http500) {
        return Some(json(
            StatusCode::INTERNAL_SERVER_ERROR,
            failed("java.lang.IllegalStateException: simulated internal error"),
        ));
    }
    if faults.is_active(&Fault::GarbageBody) {
        let mut bytes = vec![0u8; 96];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
        bytes[0] = 0xff;
        return Some((StatusCode::OK, [(header::CONTENT_TYPE, JSON)], bytes).into_response());
    }
    None
}

/// The answer with its body cut in half while TruncatedBody is on.
async fn truncated(faults: &Faults, resp: Response) -> Response {
    if !faults.is_active(&Fault::TruncatedBody) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html")],
        "this is 404 page.",
    )
        .into_response()
}

/// HTTP Basic as the FE checks it: the user, or the 401 to send instead of the
/// answer. The cluster's user and [`VIEWER_USER`] log in.
fn check_auth(sh: &Shared, headers: &HeaderMap) -> Result<String, Box<Response>> {
    let creds = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok());
    let unauthorized = |msg: &str| {
        let mut r = json(StatusCode::UNAUTHORIZED, failed(msg));
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"\""),
        );
        r
    };
    let Some(creds) = creds else {
        return Err(Box::new(unauthorized("Need auth information.")));
    };
    let (user, pass) = creds.split_once(':').unwrap_or((&creds, ""));
    let user = user.split('@').next().unwrap_or(user);
    let spec = &sh.model.spec;
    let known = (user == spec.user && pass == spec.password)
        || (user == VIEWER_USER && pass == VIEWER_PASSWORD);
    if sh.faults.is_active(&Fault::WrongCredentials) || !known {
        return Err(Box::new(unauthorized(&format!(
            "Access denied for {user}@127.0.0.1"
        ))));
    }
    Ok(user.to_string())
}

/// What show_proc answers a user without the admin role: 401 and a FAILED
/// body without a message (the AccessDeniedException has none).
fn not_admin() -> Response {
    json(
        StatusCode::UNAUTHORIZED,
        "{\"status\":\"FAILED\",\"code\":\"1\"}".into(),
    )
}

async fn show_proc(
    State(fe): State<Fe>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let user = match check_auth(&fe.sh, &headers) {
        Ok(user) => user,
        Err(r) => return *r,
    };
    if !is_admin(&fe.sh, &user) {
        return not_admin();
    }
    let path = q.get("path").map(String::as_str).unwrap_or("");
    let ctx = fe.ctx(now());
    let body = match proc(&ctx, path) {
        Some(g) => g.proc_json(fe.sh.model.spec.version),
        None => "[]".into(),
    };
    json(StatusCode::OK, body)
}

async fn health(State(fe): State<Fe>) -> Response {
    let spec = &fe.sh.model.spec;
    let total = match spec.mode {
        Mode::SharedNothing => spec.backends,
        Mode::SharedData => 0,
    };
    let dead = fe
        .sh
        .faults
        .view()
        .dead
        .iter()
        .filter(|(i, _)| *i < total)
        .count();
    json(
        StatusCode::OK,
        format!(
            "{{\"online_backend_num\":{},\"total_backend_num\":{total},\"status\":\"OK\"}}",
            total - dead
        ),
    )
}

async fn runtime_info(State(fe): State<Fe>) -> Response {
    let (max, committed, used) = heap(&fe.sh.model, fe.fe, now());
    let threads = 420 + (fe.sh.model.load(now()) * 40.0) as u64;
    json(
        StatusCode::OK,
        format!(
            "{{\"free_mem\":\"{}\",\"total_mem\":\"{committed}\",\"thread_cnt\":\"{threads}\",\"max_mem\":\"{max}\"}}",
            committed - used.min(committed)
        ),
    )
}

async fn bootstrap() -> Response {
    json(
        StatusCode::OK,
        "{\"replayedJournalId\":0,\"queryPort\":0,\"rpcPort\":0,\"feStartTime\":0,\"status\":\"OK\",\"code\":\"0\",\"msg\":\"Success\",\"message\":\"OK\"}".into(),
    )
}

async fn metrics(State(fe): State<Fe>) -> Response {
    if let Some(bytes) = fe.sh.faults.metrics_bomb() {
        let body = Body::from(hostile::metrics_bomb(bytes));
        return (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], body).into_response();
    }
    let body = fe_metrics(&fe.sh, fe.fe, now(), &fe.sh.faults.view());
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], body).into_response()
}
