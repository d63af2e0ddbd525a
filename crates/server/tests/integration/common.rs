//! An in-process server on a temporary data directory, driven through its router.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use clap::Parser;
use http_body_util::BodyExt;
use serde_json::Value;
use starrocks_overview::config::Config;
use starrocks_overview::startup::{leptos_options, prepare, router};
use starrocks_overview::AppState;
use tempfile::TempDir;
use tower::ServiceExt;

pub const ADMIN_PASSWORD: &str = "first-admin-pw";
pub const NEW_ADMIN_PASSWORD: &str = "a-much-better-passphrase";

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub dir: TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
    /// The `name=value` part of the session cookie this reply sets.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("sro_session="))
            .map(|c| c.split(';').next().unwrap_or_default().to_string())
    }
    pub fn set_cookie_header(&self) -> String {
        self.headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

pub fn config_for(dir: &std::path::Path, extra: &[&str]) -> Config {
    let mut args = vec![
        "starrocks-overview".to_string(),
        "--data-dir".into(),
        dir.display().to_string(),
        "--admin-password".into(),
        ADMIN_PASSWORD.into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Config::parse_from(args)
}

pub async fn start_in(dir: TempDir, extra: &[&str]) -> TestApp {
    let config = config_for(dir.path(), extra);
    let prepared = prepare(&config, leptos_options().expect("leptos options"))
        .await
        .expect("prepare");
    TestApp {
        router: router(&prepared, &config),
        state: prepared.state.clone(),
        dir,
    }
}

pub async fn start() -> TestApp {
    start_in(tempfile::tempdir().expect("tempdir"), &[]).await
}

impl TestApp {
    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        cookie: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        let req = match body {
            Some(v) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        self.raw(req).await
    }

    pub async fn raw(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn login(&self, user: &str, password: &str) -> Reply {
        self.send(
            Method::POST,
            "/api/auth/login",
            None,
            Some(serde_json::json!({ "username": user, "password": password })),
        )
        .await
    }

    /// Signs in as the bootstrap admin and completes the forced password change.
    pub async fn admin_cookie(&self) -> String {
        let r = self.login("admin", ADMIN_PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let cookie = r.session_cookie().expect("session cookie");
        let r = self
            .send(
                Method::POST,
                "/api/auth/password",
                Some(&cookie),
                Some(serde_json::json!({ "current_password": ADMIN_PASSWORD, "new_password": NEW_ADMIN_PASSWORD })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.session_cookie().unwrap_or(cookie)
    }
}

impl TestApp {
    /// Registers a cluster on 127.0.0.1 (user root, no password) and returns its id.
    pub async fn register_local(&self, name: &str, http_port: u16, query_port: u16) -> i64 {
        let draft = model::ClusterDraft {
            name: name.into(),
            fe_host: "127.0.0.1".into(),
            http_port: http_port.to_string(),
            query_port: query_port.to_string(),
            username: "root".into(),
            password: None,
            use_https: false,
            extra_fes: String::new(),
            description: String::new(),
            tags: String::new(),
        };
        self.state
            .clusters
            .create(&draft)
            .await
            .expect("register")
            .id
    }
}

impl TestApp {
    /// The newest snapshot of a cluster; there must be one.
    pub async fn latest(&self, id: i64) -> model::snapshot::Snapshot {
        store::snapshots::latest(&self.state.pool, id)
            .await
            .expect("read")
            .expect("a snapshot")
    }

    /// A collector of its own that tells nobody about its ticks.
    pub async fn quiet_collector(&self, cfg: collector::CollectorConfig) -> collector::Collector {
        collector::Collector::new(
            self.state.pool.clone(),
            self.state.clusters.clone(),
            cfg,
            None,
        )
        .await
        .expect("collector")
    }
}

/// A simulator with a cluster per profile, seeded from `seed` up, on
/// ephemeral ports.
pub async fn simulator_seeded(profiles: &[&str], seed: u64) -> sim::Simulator {
    let specs = profiles
        .iter()
        .enumerate()
        .map(|(i, p)| sim::ClusterSpec::profile(p, seed + i as u64).expect("profile"))
        .collect();
    sim::Simulator::start(specs, sim::PortPlan::Ephemeral)
        .await
        .expect("simulator")
}

/// Registers a simulated cluster on its loopback ports.
pub async fn register_sim(app: &TestApp, name: &str, c: &sim::SimCluster) -> i64 {
    app.register_local(name, c.http_addr.port(), c.mysql_addr.port())
        .await
}
