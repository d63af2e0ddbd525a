//! The console reporting on itself: `/healthz` (the process answers),
//! `/readyz` (it can do its job), `/metrics` (Prometheus text), and one
//! middleware that logs every request at debug and counts it.

use app::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;
use store::now_ms;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    /// The route's pattern (`/api/clusters/{id}`), never the raw path, so the
    /// number of series stays bounded whatever clients ask for.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

type Durations = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn request_histogram() -> Histogram {
    // 1 ms to about 33 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// The console's metrics: its own HTTP figures and gauges read at scrape
/// time, plus what the collector and the accounts register.
pub struct Telemetry {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Durations,
    database_bytes: Gauge,
    collector_lag: Gauge,
    collector_running: Gauge,
    password_checks: Gauge,
}

impl Telemetry {
    pub fn new(state: &AppState) -> Self {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let durations: Durations = Family::new_with_constructor(request_histogram);
        let database_bytes = Gauge::default();
        let collector_lag = Gauge::default();
        let collector_running = Gauge::default();
        let password_checks = Gauge::default();
        registry.register(
            "sro_password_checks",
            "argon2 password verifications since start (sign-ins and password changes)",
            password_checks.clone(),
        );
        registry.register(
            "sro_http_requests",
            "HTTP requests by method, route and status",
            requests.clone(),
        );
        registry.register(
            "sro_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route",
            durations.clone(),
        );
        registry.register(
            "sro_database_size_bytes",
            "Size of the SQLite database file",
            database_bytes.clone(),
        );
        registry.register(
            "sro_collector_lag_seconds",
            "Age of the collector's last tick (alert when over two intervals)",
            collector_lag.clone(),
        );
        registry.register(
            "sro_collector_running",
            "1 while the background collector runs",
            collector_running.clone(),
        );
        state.collector.metrics().register(&mut registry);
        state.users.register_metrics(&mut registry);
        Self {
            registry,
            requests,
            durations,
            database_bytes,
            collector_lag,
            collector_running,
            password_checks,
        }
    }

    fn observe(&self, method: &'static str, route: String, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: route.clone(),
                status,
            })
            .inc();
        self.durations
            .get_or_create(&RouteLabels { method, route })
            .observe(seconds);
    }

    /// The text a scrape gets, with the gauges read now.
    async fn render(&self, state: &AppState) -> Result<String, std::fmt::Error> {
        match store::db::size_bytes(&state.pool).await {
            Ok(bytes) => {
                self.database_bytes.set(bytes);
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the database size"),
        }
        self.password_checks
            .set(i64::try_from(state.users.verifications()).unwrap_or(i64::MAX));
        let status = state.collector.status();
        self.collector_running.set(i64::from(status.running));
        if let Some(at) = status.last_tick_at {
            self.collector_lag.set((now_ms() - at).max(0) / 1000);
        }
        let mut out = String::new();
        prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

/// A method as a label: the usual ones by name, anything else as `other`.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The route a request matched, as a label; static files are one route.
fn route_label(req: &Request) -> String {
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path.starts_with("/assets/") {
        return "static".into();
    }
    req.extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".into(), |m| m.as_str().to_string())
}

/// Logs each request at debug (method, route, status, latency) and counts it.
pub async fn observe(
    Extension(telemetry): Extension<Arc<Telemetry>>,
    req: Request,
    next: Next,
) -> Response {
    let method = method_label(req.method());
    let route = route_label(&req);
    let started = Instant::now();
    let response = next.run(req).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    tracing::debug!(
        method,
        route = %route,
        status,
        ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    telemetry.observe(method, route, status, elapsed.as_secs_f64());
    response
}

/// `GET /metrics`: Prometheus text format 0.0.4.
pub async fn metrics(
    State(state): State<AppState>,
    Extension(telemetry): Extension<Arc<Telemetry>>,
) -> Response {
    match telemetry.render(&state).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// `GET /healthz`: the process is up and answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// What `/readyz` found, check by check.
#[derive(Serialize)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: &'static str,
    pub database: String,
    pub migrations: String,
    pub collector: String,
}

/// `GET /readyz`: 200 when the database answers, its schema is this build's
/// and the collector ticks (within two intervals; or it is switched off), else
/// 503. Two small queries: cheap enough for a load balancer's probe.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let (database, migrations) = match store::db::pending_migrations(&state.pool).await {
        Ok(0) => ("ok".to_string(), "ok".to_string()),
        Ok(n) => ("ok".to_string(), format!("{n} migration(s) not applied")),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            (
                "the database does not answer".to_string(),
                "unknown".to_string(),
            )
        }
    };
    let status = state.collector.status();
    let collector = if !status.running {
        "off".to_string()
    } else if state.collector.is_ticking(now_ms()) {
        "ok".to_string()
    } else {
        let age = status.last_tick_at.map_or("no tick yet".to_string(), |at| {
            format!("last tick {} s ago", (now_ms() - at) / 1000)
        });
        format!("stalled: {age}, interval {} s", status.interval_s)
    };
    let ready =
        database == "ok" && migrations == "ok" && matches!(collector.as_str(), "ok" | "off");
    let code = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Readiness {
        status: if ready { "ready" } else { "not_ready" },
        database,
        migrations,
        collector,
    };
    (code, Json(body))
}
