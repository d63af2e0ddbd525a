//! The HTTP side of a cluster: FE `/metrics`, `/api/show_proc`, runtime info,
//! health and bootstrap, and each BE's `/metrics`.

use super::error::{excerpt, StarRocksError};
use super::wire::proc::{
    self, Backend, Bootstrap, ComputeNode, CurrentQuery, DbInfo, FeHealth, Frontend, JobCounts,
    RuntimeInfo, Statistic,
};
use super::wire::prometheus::Metrics;
use model::cluster::host_for_url;
use std::time::Duration;

/// Bodies larger than this are refused rather than buffered (a real FE
/// `/metrics` is about 45 KB; `show_proc` of a large cluster a few MB).
const MAX_BODY: usize = 32 * 1024 * 1024;

#[derive(Clone, Copy, Debug)]
pub struct HttpTimeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for HttpTimeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(2),
            request: Duration::from_secs(5),
        }
    }
}

/// Where and as whom to reach a cluster's FE.
#[derive(Clone)]
pub struct Endpoint {
    pub host: String,
    pub http_port: u16,
    pub query_port: u16,
    pub use_https: bool,
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("host", &self.host)
            .field("http_port", &self.http_port)
            .field("query_port", &self.query_port)
            .field("use_https", &self.use_https)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Builds the reqwest client every [`FeClient`] uses.
pub fn http_client(timeouts: HttpTimeouts) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        // No idle connections between ticks: measured with 1,000 simulated
        // clusters, keeping them cost ~280 MiB of RSS (and as many open files on
        // the FEs) for no gain in tick time (BENCHMARKS.md).
        .pool_max_idle_per_host(0)
        .user_agent(concat!("starrocks-overview/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// A client for one FE (and the BEs it lists). Cheap to clone.
#[derive(Clone)]
pub struct FeClient {
    http: reqwest::Client,
    scheme: &'static str,
    fe: String,
    username: String,
    password: String,
    timeouts: HttpTimeouts,
}

impl FeClient {
    pub fn new(endpoint: &Endpoint, timeouts: HttpTimeouts) -> Result<Self, StarRocksError> {
        let http = http_client(timeouts).map_err(|e| StarRocksError::Unreachable {
            target: endpoint.host.clone(),
            detail: format!("cannot set up an HTTP client: {e}"),
        })?;
        Ok(Self::with_client(http, endpoint, timeouts))
    }

    /// A client on a shared reqwest client: the collector builds one for every
    /// cluster instead of one per cluster per tick.
    pub fn with_client(http: reqwest::Client, endpoint: &Endpoint, timeouts: HttpTimeouts) -> Self {
        Self {
            http,
            scheme: if endpoint.use_https { "https" } else { "http" },
            fe: format!("{}:{}", host_for_url(&endpoint.host), endpoint.http_port),
            username: endpoint.username.clone(),
            password: endpoint.password.clone(),
            timeouts,
        }
    }

    /// GETs `path` on `authority` (host:port) with basic auth and returns the body.
    async fn get(&self, authority: &str, path: &str) -> Result<Vec<u8>, StarRocksError> {
        let url = format!("{}://{authority}{path}", self.scheme);
        let target = format!("{authority}{}", path.split('?').next().unwrap_or(path));
        let mut response = self
            .http
            .get(&url)
            .basic_auth(&self.username, Some(&self.password))
            .send()
            .await
            .map_err(|e| self.transport_error(&target, e))?;
        let status = response.status();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY {
                        return Err(StarRocksError::bad_payload(
                            &target,
                            format!("the answer is larger than {} MB", MAX_BODY / (1024 * 1024)),
                            &body,
                        ));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) if e.is_timeout() => return Err(self.transport_error(&target, e)),
                Err(_) => {
                    return Err(StarRocksError::bad_payload(
                        &target,
                        "the answer was cut off",
                        &body,
                    ));
                }
            }
        }
        if status.is_success() {
            return Ok(body);
        }
        let message = starrocks_message(&body);
        Err(match status.as_u16() {
            401 | 403 => StarRocksError::AuthFailed {
                target,
                message: message.unwrap_or_else(|| format!("HTTP {status}")),
            },
            404 => StarRocksError::NotFound { target },
            _ => StarRocksError::Server {
                target,
                message: format!(
                    "HTTP {}: {}",
                    status.as_u16(),
                    message.unwrap_or_else(|| excerpt(&body))
                ),
            },
        })
    }

    fn transport_error(&self, target: &str, e: reqwest::Error) -> StarRocksError {
        if e.is_timeout() {
            // reqwest reports a connect timeout as a timeout too; both mean "no answer in time".
            return StarRocksError::Timeout {
                target: target.to_string(),
                after: self.timeouts.request,
            };
        }
        StarRocksError::Unreachable {
            target: target.to_string(),
            detail: error_chain(&e),
        }
    }

    async fn fe_get(&self, path: &str) -> Result<Vec<u8>, StarRocksError> {
        self.get(&self.fe, path).await
    }

    fn target(&self, path: &str) -> String {
        format!("{}{path}", self.fe)
    }

    /// FE `/metrics` (Prometheus text).
    pub async fn metrics(&self) -> Result<Metrics, StarRocksError> {
        let body = self.fe_get("/metrics").await?;
        prometheus_body(&self.target("/metrics"), &body)
    }

    /// `/metrics` of another node of the cluster (an FE other than the one
    /// registered, or a BE) on the host and HTTP port that `/frontends` or
    /// `/backends` lists.
    pub async fn node_metrics(
        &self,
        host: &str,
        http_port: u16,
    ) -> Result<Metrics, StarRocksError> {
        let authority = format!("{}:{http_port}", host_for_url(host));
        let body = self.get(&authority, "/metrics").await?;
        prometheus_body(&format!("{authority}/metrics"), &body)
    }

    /// The path of `/api/show_proc` for a proc node.
    fn show_proc_path(proc_path: &str) -> String {
        let encoded: String = form_urlencoded::byte_serialize(proc_path.as_bytes()).collect();
        format!("/api/show_proc?path={encoded}")
    }

    /// The raw body of `/api/show_proc?path=...`.
    pub async fn show_proc(&self, proc_path: &str) -> Result<Vec<u8>, StarRocksError> {
        self.fe_get(&Self::show_proc_path(proc_path)).await
    }

    /// GETs an FE JSON endpoint and decodes it; a body that does not decode is a `BadPayload`.
    async fn fe_json<T>(
        &self,
        path: &str,
        parse: fn(&[u8]) -> Result<T, proc::FormatError>,
    ) -> Result<T, StarRocksError> {
        let body = self.fe_get(path).await?;
        let endpoint = path.split('?').next().unwrap_or(path);
        parse(&body)
            .map_err(|e| StarRocksError::bad_payload(&self.target(endpoint), e.message, &body))
    }

    async fn proc_typed<T>(
        &self,
        proc_path: &str,
        parse: fn(&[u8]) -> Result<T, proc::FormatError>,
    ) -> Result<T, StarRocksError> {
        self.fe_json(&Self::show_proc_path(proc_path), parse).await
    }

    pub async fn backends(&self) -> Result<Vec<Backend>, StarRocksError> {
        self.proc_typed("/backends", proc::backends).await
    }
    pub async fn compute_nodes(&self) -> Result<Vec<ComputeNode>, StarRocksError> {
        self.proc_typed("/compute_nodes", proc::compute_nodes).await
    }
    pub async fn frontends(&self) -> Result<Vec<Frontend>, StarRocksError> {
        self.proc_typed("/frontends", proc::frontends).await
    }
    pub async fn statistic(&self) -> Result<Statistic, StarRocksError> {
        self.proc_typed("/statistic", proc::statistic).await
    }
    pub async fn dbs(&self) -> Result<Vec<DbInfo>, StarRocksError> {
        self.proc_typed("/dbs", proc::dbs).await
    }
    pub async fn jobs(&self, db_id: i64) -> Result<Vec<JobCounts>, StarRocksError> {
        self.proc_typed(&format!("/jobs/{db_id}"), proc::jobs).await
    }
    pub async fn current_queries(&self) -> Result<Vec<CurrentQuery>, StarRocksError> {
        self.proc_typed("/current_queries", proc::current_queries)
            .await
    }

    pub async fn runtime_info(&self) -> Result<RuntimeInfo, StarRocksError> {
        self.fe_json("/api/show_runtime_info", proc::runtime_info)
            .await
    }

    pub async fn health(&self) -> Result<FeHealth, StarRocksError> {
        self.fe_json("/api/health", proc::fe_health).await
    }

    /// `/api/bootstrap`; an FE that says "not ready" becomes `NotReady`.
    pub async fn bootstrap(&self) -> Result<Bootstrap, StarRocksError> {
        let b = self.fe_json("/api/bootstrap", proc::bootstrap).await?;
        if b.is_ready() {
            Ok(b)
        } else {
            Err(StarRocksError::NotReady {
                target: self.target("/api/bootstrap"),
                message: b.msg.clone().unwrap_or_else(|| "not ready".into()),
            })
        }
    }
}

/// Prometheus text that yields no sample at all is not a metrics page
/// (a login form, a proxy error, garbage).
fn prometheus_body(target: &str, body: &[u8]) -> Result<Metrics, StarRocksError> {
    let text = String::from_utf8_lossy(body);
    let metrics = Metrics::parse(&text);
    if metrics.samples().is_empty() && !text.trim().is_empty() {
        return Err(StarRocksError::bad_payload(
            target,
            "this is not Prometheus text",
            body,
        ));
    }
    Ok(metrics)
}

/// StarRocks' own error text from a JSON body (`msg` or `message`), if any.
fn starrocks_message(body: &[u8]) -> Option<String> {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        return ["msg", "message"]
            .iter()
            .find_map(|k| v.get(*k).and_then(|m| m.as_str()).filter(|m| !m.is_empty()))
            .map(str::to_string);
    }
    // A short plain-text answer is StarRocks talking; an HTML page is not.
    let text = String::from_utf8_lossy(body).trim().to_string();
    (!text.is_empty() && text.len() < 300 && !text.starts_with('<')).then_some(text)
}

/// "error sending request: client error (Connect): tcp connect error: Connection refused"
/// reads better as its innermost causes.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.last().cloned().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starrocks_messages_are_taken_from_json_or_short_text() {
        assert_eq!(
            starrocks_message(br#"{"status":"FAILED","code":"1","msg":"Need auth information.","message":"Need auth information."}"#),
            Some("Need auth information.".into())
        );
        assert_eq!(
            starrocks_message(b"Access denied for root@127.0.0.1"),
            Some("Access denied for root@127.0.0.1".into())
        );
        assert_eq!(starrocks_message(b"<html>this is 404 page.</html>"), None);
        assert_eq!(
            starrocks_message(br#"{"status":"FAILED","code":"1"}"#),
            None
        );
    }

    #[test]
    fn ipv6_hosts_are_bracketed() {
        assert_eq!(host_for_url("::1"), "[::1]");
        assert_eq!(host_for_url("[::1]"), "[::1]");
        assert_eq!(host_for_url("fe1"), "fe1");
    }

    #[test]
    fn a_non_metrics_page_is_a_bad_payload() {
        let e = prometheus_body("fe:8030/metrics", b"<html><body>login</body></html>")
            .expect_err("html");
        assert_eq!(e.kind(), model::starrocks::ErrorKind::BadPayload);
        assert!(
            prometheus_body("x", b"").is_ok(),
            "an empty page is an empty set of metrics"
        );
    }

    #[test]
    fn endpoint_debug_hides_the_password() {
        let e = Endpoint {
            host: "h".into(),
            http_port: 1,
            query_port: 2,
            use_https: false,
            username: "u".into(),
            password: "secret-pw".into(),
        };
        assert!(!format!("{e:?}").contains("secret-pw"));
    }
}
