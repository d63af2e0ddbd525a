//! Real receivers for the notification channels' tests, on loopback.
//!
//! [`Receiver`] is one HTTP server standing in for every HTTP service at
//! once: `/webhook` (Alertmanager-style), `/dingtalk`, `/feishu`, `/wecom`
//! and `/slack`, each answering the way the service does. The DingTalk and
//! Feishu routes check signatures the way those services document them
//! (computed here, independently of `notify::sign`), so a test proves the
//! sender and the service agree rather than the sender and itself.
//! [`SmtpReceiver`] is a real SMTP server (mailin-embedded) that records
//! the mails it accepts and can refuse chosen recipients.
//!
//! Meant to be reused by other integration tests: add `mod support;` (with
//! this folder copied or symlinked under the test crate's `tests/`), then
//!
//! ```ignore
//! let rx = support::Receiver::start().await;
//! let target = notify::Target::Slack { url: rx.url("/slack") };
//! // … deliver, then look at rx.received() …
//! rx.set_down(true); // every route answers 503 from now on
//! ```
//!
//! Every server lives as long as its value (HTTP) or the test process
//! (SMTP: mailin-embedded cannot be stopped, and its thread dies with the
//! test binary).

#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::task::JoinHandle;

/// One request a [`Receiver`] got.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: Method,
    /// The route without its slash: `webhook`, `dingtalk`, …
    pub route: String,
    /// The raw query string (DingTalk's `timestamp` and `sign` ride here).
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    /// The body as JSON (`Value::Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// One query parameter, percent-decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        params(self.query.as_deref()).remove(name)
    }
}

/// How a [`Receiver`] answers, whatever the route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// As the service would.
    Normal,
    /// This status with this body (e.g. 503, or 429 for a rate limit).
    Status(u16, String),
    /// Waits this long before answering normally (for timeouts).
    Slow(Duration),
}

/// The signing secrets a receiver's robots were set up with; `None` accepts
/// unsigned messages as a robot without signing does.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    pub dingtalk: Option<String>,
    pub feishu: Option<String>,
}

#[derive(Clone)]
struct Shared {
    got: Arc<Mutex<Vec<Received>>>,
    mode: Arc<Mutex<Mode>>,
    secrets: Arc<Secrets>,
}

/// An HTTP server on 127.0.0.1 that records what it is sent.
pub struct Receiver {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub url: String,
    pub addr: SocketAddr,
    pub got: Arc<Mutex<Vec<Received>>>,
    mode: Arc<Mutex<Mode>>,
    task: JoinHandle<()>,
}

impl Receiver {
    /// Robots without signing.
    pub async fn start() -> Self {
        Self::start_with(Secrets::default()).await
    }

    /// A receiver on a given address: the same one again after [`stop`],
    /// as a restarted service comes back where it was.
    ///
    /// [`stop`]: Receiver::stop
    pub async fn start_at(addr: SocketAddr) -> Self {
        Self::serve(Secrets::default(), addr).await
    }

    /// Robots that require signatures with these secrets.
    pub async fn start_with(secrets: Secrets) -> Self {
        Self::serve(secrets, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    async fn serve(secrets: Secrets, addr: SocketAddr) -> Self {
        let shared = Shared {
            got: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Normal)),
            secrets: Arc::new(secrets),
        };
        let app = Router::new()
            .route("/{route}", any(handle))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            url: format!("http://{addr}"),
            addr,
            got: shared.got,
            mode: shared.mode,
            task,
        }
    }

    /// The URL of one route, e.g. `rx.url("/dingtalk?access_token=t")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    pub fn set_mode(&self, mode: Mode) {
        *lock(&self.mode) = mode;
    }

    /// `true`: every route answers 503 until set back with `false`.
    pub fn set_down(&self, down: bool) {
        self.set_mode(if down {
            Mode::Status(503, "upstream unavailable".to_string())
        } else {
            Mode::Normal
        });
    }

    /// Closes the server: from now on connecting is refused.
    pub fn stop(&self) {
        self.task.abort();
    }

    /// A copy of what arrived so far.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.got).clone()
    }

    /// The last request, which a test usually just made.
    pub fn last(&self) -> Received {
        self.received().pop().expect("the receiver got no request")
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A server that answers `200` and then streams its body without end (up
/// to 64 MiB, to stay bounded), for checking that the sender stops reading.
pub struct Endless {
    pub url: String,
    task: JoinHandle<()>,
}

impl Endless {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(stream_forever(socket));
            }
        });
        Self {
            url: format!("http://{addr}/webhook"),
            task,
        }
    }
}

impl Drop for Endless {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn stream_forever(mut socket: tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n";
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = format!("1000\r\n{}\r\n", "x".repeat(0x1000));
    for _ in 0..16 * 1024 {
        if socket.write_all(chunk.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// A loopback URL where nothing listens: connecting is refused.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}/webhook")
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A test that panicked while holding the lock must not hide the others' results.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn handle(
    State(shared): State<Shared>,
    Path(route): Path<String>,
    RawQuery(query): RawQuery,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received = Received {
        method,
        route: route.clone(),
        query,
        headers,
        body,
    };
    lock(&shared.got).push(received.clone());
    let mode = lock(&shared.mode).clone();
    match mode {
        Mode::Normal => {}
        Mode::Status(code, body) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, body).into_response();
        }
        Mode::Slow(wait) => tokio::time::sleep(wait).await,
    }
    match route.as_str() {
        "webhook" => StatusCode::OK.into_response(),
        "dingtalk" => axum::Json(dingtalk(&shared.secrets, &received)).into_response(),
        "feishu" => axum::Json(feishu(&shared.secrets, &received)).into_response(),
        "wecom" => axum::Json(json!({ "errcode": 0, "errmsg": "ok" })).into_response(),
        "slack" => "ok".into_response(),
        _ => (StatusCode::NOT_FOUND, "no such route").into_response(),
    }
}

/// DingTalk's check: base64(HMAC-SHA256(key = secret,
/// message = "timestamp\nsecret")) must equal the URL-decoded `sign`, and the
/// timestamp (ms) must be within an hour of now. Refusals come with HTTP 200.
fn dingtalk(secrets: &Secrets, r: &Received) -> Value {
    if let Some(secret) = &secrets.dingtalk {
        let ts = r.param("timestamp").unwrap_or_default();
        let sign = r.param("sign").unwrap_or_default();
        let expected = STANDARD.encode(hmac(
            secret.as_bytes(),
            format!("{ts}\n{secret}").as_bytes(),
        ));
        let fresh = ts
            .parse::<i64>()
            .is_ok_and(|ms| (now_ms() - ms).abs() < 3_600_000);
        if sign != expected || !fresh {
            return json!({ "errcode": 310000, "errmsg": "sign not match" });
        }
    }
    if r.json().get("msgtype").is_none() {
        return json!({ "errcode": 40035, "errmsg": "缺少参数 json" });
    }
    json!({ "errcode": 0, "errmsg": "ok" })
}

/// Feishu's check: base64(HMAC-SHA256(key = "timestamp\nsecret", message =
/// empty)) must equal the body's `sign`; the body's `timestamp` (seconds, a
/// string) within an hour of now.
fn feishu(secrets: &Secrets, r: &Received) -> Value {
    let body = r.json();
    if let Some(secret) = &secrets.feishu {
        let ts = match &body["timestamp"] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        let sign = body["sign"].as_str().unwrap_or_default();
        let expected = STANDARD.encode(hmac(format!("{ts}\n{secret}").as_bytes(), b""));
        let fresh = ts
            .parse::<i64>()
            .is_ok_and(|s| (now_ms() / 1000 - s).abs() < 3_600);
        if sign != expected || !fresh {
            return json!({
                "code": 19021,
                "msg": "sign match fail or timestamp is not within one hour from current time",
            });
        }
    }
    if body.get("msg_type").is_none() {
        return json!({ "code": 19001, "msg": "param invalid: incoming webhook access token invalid" });
    }
    json!({ "code": 0, "msg": "success", "data": {} })
}

fn hmac(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

fn params(query: Option<&str>) -> HashMap<String, String> {
    let Some(query) = query else {
        return HashMap::new();
    };
    query
        .split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}

/// Query decoding as a server does it (`+` is a space, `%2B` a plus): the
/// point of DingTalk's URL-encoded `sign` is surviving exactly this.
fn decode(s: &str) -> Option<String> {
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

// --- SMTP ---------------------------------------------------------------

/// One mail an [`SmtpReceiver`] accepted.
#[derive(Clone, Debug)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent after DATA: headers and body.
    pub data: Vec<u8>,
}

impl Mail {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// A plain SMTP server (no TLS, no AUTH) on 127.0.0.1.
pub struct SmtpReceiver {
    pub host: String,
    pub port: u16,
    pub got: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpReceiver {
    /// Accepts every recipient.
    pub fn start() -> Self {
        Self::start_rejecting(&[])
    }

    /// Answers `550` to RCPT TO for these addresses.
    pub fn start_rejecting(rejected: &[&str]) -> Self {
        let got = Arc::new(Mutex::new(Vec::new()));
        let handler = SmtpHandler {
            got: got.clone(),
            rejected: Arc::new(rejected.iter().map(|s| s.to_lowercase()).collect()),
            from: String::new(),
            to: Vec::new(),
            data: Vec::new(),
        };
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().expect("local address").port();
        let mut server = mailin_embedded::Server::new(handler);
        server
            .with_name("receiver.test")
            .with_num_threads(2)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self {
            host: "127.0.0.1".to_string(),
            port,
            got,
        }
    }

    pub fn received(&self) -> Vec<Mail> {
        lock(&self.got).clone()
    }
}

#[derive(Clone)]
struct SmtpHandler {
    got: Arc<Mutex<Vec<Mail>>>,
    rejected: Arc<Vec<String>>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl mailin_embedded::Handler for SmtpHandler {
    fn rcpt(&mut self, to: &str) -> mailin_embedded::Response {
        let address = to.trim_matches(['<', '>']).to_lowercase();
        if self.rejected.contains(&address) {
            mailin_embedded::Response::custom(550, "5.1.1 No such user here".to_string())
        } else {
            mailin_embedded::response::OK
        }
    }

    fn data_start(
        &mut self,
        _domain: &str,
        from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.from = from.to_string();
        self.to = to.to_vec();
        self.data.clear();
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        lock(&self.got).push(Mail {
            from: std::mem::take(&mut self.from),
            to: std::mem::take(&mut self.to),
            data: std::mem::take(&mut self.data),
        });
        mailin_embedded::response::OK
    }
}
