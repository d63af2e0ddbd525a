//! The HTTP side of a cluster: FE `/metrics`, `/api/show_proc`, runtime info,
//! health and bootstrap, and each BE's `/metrics`.
//!
//! What a cluster sends is untrusted, node addresses included: every URL is
//! built with [`Url`]'s setters from a fixed base and a host that passes
//! [`check_host`], so the credentials go only to the registered FE and to the
//! nodes it lists; redirects are never followed; every body is read up to a
//! cap, an error answer's only up to [`MAX_ERROR_BODY`].

use super::error::{excerpt, StarRocksError};
use super::pool;
use super::wire::proc::{
    self, Backend, Bootstrap, ComputeNode, CurrentQuery, DbInfo, FeHealth, Frontend, JobCounts,
    RuntimeInfo, Statistic,
};
use super::wire::prometheus::{Limits, Metrics};
pub use answers::MAX_ERROR_BODY;
use answers::{
    error_body, error_chain, redirect_error, size_text, status_error, MAX_LOCATION_CHARS,
};
use model::cluster::{check_host, host_for_url};
use model::fe_address::FeAddress;
use model::text::clip;
use reqwest::Url;
use std::time::Duration;

/// Bodies larger than this are refused rather than buffered (`show_proc` of
/// a large cluster is a few MB). `/metrics` has its own cap, [`Limits`].
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

/// Where and as whom to reach a cluster's FE: the first address and the
/// ones to fail over to, in order.
#[derive(Clone)]
pub struct Endpoint {
    pub host: String,
    pub http_port: u16,
    pub query_port: u16,
    /// More FE addresses, tried in order after the first.
    pub extra: Vec<FeAddress>,
    pub use_https: bool,
    pub username: String,
    pub password: String,
}

impl Endpoint {
    /// The first address.
    pub fn first(&self) -> FeAddress {
        FeAddress {
            host: self.host.clone(),
            http_port: self.http_port,
            query_port: self.query_port,
        }
    }

    /// Every address, first to last.
    pub fn addresses(&self) -> Vec<FeAddress> {
        std::iter::once(self.first())
            .chain(self.extra.iter().cloned())
            .collect()
    }

    /// The same login at one address only.
    pub fn at(&self, address: &FeAddress) -> Endpoint {
        Endpoint {
            host: address.host.clone(),
            http_port: address.http_port,
            query_port: address.query_port,
            extra: Vec::new(),
            use_https: self.use_https,
            username: self.username.clone(),
            password: self.password.clone(),
        }
    }
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("host", &self.host)
            .field("http_port", &self.http_port)
            .field("query_port", &self.query_port)
            .field("extra", &self.extra)
            .field("use_https", &self.use_https)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Builds the reqwest client every [`FeClient`] uses. It never follows a
/// redirect: a 3xx answer is an error that names where it pointed.
pub fn http_client(timeouts: HttpTimeouts) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .redirect(reqwest::redirect::Policy::none())
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
    https: bool,
    fe_host: String,
    fe_port: u16,
    username: String,
    password: String,
    timeouts: HttpTimeouts,
    limits: Limits,
}

/// Names under `.invalid` never resolve (RFC 6761 asks resolvers to say so
/// at once): not worth a lookup that may wait on a DNS server.
fn is_special_invalid(host: &str) -> bool {
    let h = host.trim_end_matches('.');
    h.len()
        .checked_sub(8)
        .and_then(|start| h.get(start..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(".invalid"))
}

/// `host:port` as written in a URL and in error messages.
fn authority(host: &str, port: u16) -> String {
    format!("{}:{port}", host_for_url(host))
}

impl FeClient {
    pub fn new(endpoint: &Endpoint, timeouts: HttpTimeouts) -> Result<Self, StarRocksError> {
        let http = http_client(timeouts).map_err(|e| {
            StarRocksError::unreachable(
                &endpoint.host,
                format!("cannot set up an HTTP client: {e}"),
            )
        })?;
        Ok(Self::with_client(http, endpoint, timeouts))
    }

    /// A client on a shared reqwest client: the collector builds one for every
    /// cluster instead of one per cluster per tick. Build it with
    /// [`http_client`], which follows no redirects.
    pub fn with_client(http: reqwest::Client, endpoint: &Endpoint, timeouts: HttpTimeouts) -> Self {
        Self {
            http,
            https: endpoint.use_https,
            fe_host: endpoint.host.clone(),
            fe_port: endpoint.http_port,
            username: endpoint.username.clone(),
            password: endpoint.password.clone(),
            timeouts,
            limits: Limits::default(),
        }
    }

    /// The same client with other caps for `/metrics` bodies (the default is
    /// [`Limits::default`]).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// `scheme://host:port/path?query` from a fixed base and the setters of
    /// [`Url`], for a host that is a host and nothing else.
    fn url(
        &self,
        host: &str,
        port: u16,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Url, String> {
        check_host(host)?;
        let base = if self.https {
            "https://fe.invalid/"
        } else {
            "http://fe.invalid/"
        };
        let mut url = Url::parse(base).map_err(|e| e.to_string())?;
        url.set_host(Some(&host_for_url(host)))
            .map_err(|e| e.to_string())?;
        url.set_port(Some(port))
            .map_err(|()| "this URL cannot have a port".to_string())?;
        url.set_path(path);
        if query.is_empty() {
            url.set_query(None);
        } else {
            let mut pairs = url.query_pairs_mut();
            pairs.clear();
            for (key, value) in query {
                pairs.append_pair(key, value);
            }
        }
        Ok(url)
    }

    /// GETs `path` on `host:port` with basic auth and returns the body, of at
    /// most `max_body` bytes.
    async fn get(
        &self,
        host: &str,
        port: u16,
        path: &str,
        query: &[(&str, &str)],
        max_body: usize,
    ) -> Result<Vec<u8>, StarRocksError> {
        let target = format!("{}{path}", authority(host, port));
        let url = self.url(host, port, path, query).map_err(|reason| {
            StarRocksError::unreachable(&target, format!("not an address to ask: {reason}"))
        })?;
        let response = self
            .http
            .get(url.clone())
            .basic_auth(&self.username, Some(&self.password))
            .send()
            .await
            .map_err(|e| self.transport_error(&target, e))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(redirect_error(&target, status, response.headers()));
        }
        if response.url() != &url {
            // Only a client not built by `http_client` follows redirects.
            let came_from = clip(response.url().as_str(), MAX_LOCATION_CHARS);
            return Err(StarRocksError::bad_payload(
                &target,
                format!("the answer came from {came_from}; redirects are not followed"),
                b"",
            ));
        }
        if !status.is_success() {
            let body = error_body(response).await;
            return Err(status_error(&target, status, &body));
        }
        self.body(&target, response, max_body).await
    }

    /// The whole body of a successful answer; larger than `max` is an error.
    async fn body(
        &self,
        target: &str,
        mut response: reqwest::Response,
        max: usize,
    ) -> Result<Vec<u8>, StarRocksError> {
        let too_large = |body: &[u8]| {
            StarRocksError::bad_payload(
                target,
                format!("the answer is larger than {}", size_text(max)),
                body,
            )
        };
        if response.content_length().is_some_and(|n| n > max as u64) {
            return Err(too_large(b""));
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if chunk.len() > max - body.len() {
                        return Err(too_large(&body));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) if e.is_timeout() => return Err(self.transport_error(target, e)),
                Err(_) => {
                    return Err(StarRocksError::bad_payload(
                        target,
                        "the answer was cut off",
                        &body,
                    ));
                }
            }
        }
    }

    fn transport_error(&self, target: &str, e: reqwest::Error) -> StarRocksError {
        if e.is_timeout() {
            // reqwest reports a connect timeout as a timeout too; both mean "no answer in time".
            return StarRocksError::timeout(target, self.timeouts.request);
        }
        StarRocksError::unreachable(target, error_chain(&e))
    }

    async fn fe_get(&self, path: &str, query: &[(&str, &str)]) -> Result<Vec<u8>, StarRocksError> {
        self.get(&self.fe_host, self.fe_port, path, query, MAX_BODY)
            .await
    }

    /// `host:port` of the FE this client asks.
    pub fn authority(&self) -> String {
        authority(&self.fe_host, self.fe_port)
    }

    fn target(&self, path: &str) -> String {
        format!("{}{path}", authority(&self.fe_host, self.fe_port))
    }

    /// FE `/metrics` (Prometheus text), parsed off the async workers.
    pub async fn metrics(&self) -> Result<Metrics, StarRocksError> {
        self.metrics_of(&self.fe_host, self.fe_port).await
    }

    /// `/metrics` of another node of the cluster (an FE other than the one
    /// registered, or a BE) on the host and HTTP port that `/frontends` or
    /// `/backends` lists. A listed host that is not a host (a path, a port,
    /// user info, a scheme) is a `BadPayload` and nothing is asked.
    pub async fn node_metrics(
        &self,
        host: &str,
        http_port: u16,
    ) -> Result<Metrics, StarRocksError> {
        self.check_node(host, http_port)?;
        self.metrics_of(host, http_port).await
    }

    /// Whether a node address from a node list may be asked at all.
    fn check_node(&self, host: &str, http_port: u16) -> Result<(), StarRocksError> {
        if let Err(reason) = check_host(host) {
            return Err(StarRocksError::bad_payload(
                &self.target(""),
                format!(
                    "the FE lists a node address that is not a host: {} ({reason})",
                    excerpt(host.as_bytes())
                ),
                host.as_bytes(),
            ));
        }
        if is_special_invalid(host) {
            return Err(StarRocksError::unreachable(
                &authority(host, http_port),
                "the name ends in .invalid, which never resolves (RFC 6761)",
            ));
        }
        Ok(())
    }

    /// The queries running on another FE of the cluster (`/current_queries`
    /// lists only the FE asked), at the host and HTTP port `/frontends` lists.
    pub async fn node_current_queries(
        &self,
        host: &str,
        http_port: u16,
    ) -> Result<Vec<CurrentQuery>, StarRocksError> {
        self.check_node(host, http_port)?;
        let path = "/api/show_proc";
        let body = self
            .get(
                host,
                http_port,
                path,
                &[("path", "/current_queries")],
                MAX_BODY,
            )
            .await?;
        proc::current_queries(&body).map_err(|e| {
            StarRocksError::bad_payload(
                &format!("{}{path}", authority(host, http_port)),
                e.message,
                &body,
            )
        })
    }

    /// Every FE's running queries in one answer (3.3+; older servers answer
    /// `[]` for a path they do not know).
    pub async fn global_current_queries(&self) -> Result<Vec<CurrentQuery>, StarRocksError> {
        self.proc_typed("/global_current_queries", proc::current_queries)
            .await
    }

    async fn metrics_of(&self, host: &str, port: u16) -> Result<Metrics, StarRocksError> {
        let body = self
            .get(host, port, "/metrics", &[], self.limits.max_body_bytes)
            .await?;
        let target = format!("{}/metrics", authority(host, port));
        parse_metrics(target, body, self.limits).await
    }

    /// The raw body of `/api/show_proc?path=...`.
    pub async fn show_proc(&self, proc_path: &str) -> Result<Vec<u8>, StarRocksError> {
        self.fe_get("/api/show_proc", &[("path", proc_path)]).await
    }

    /// GETs an FE JSON endpoint and decodes it; a body that does not decode is a `BadPayload`.
    async fn fe_json<T>(
        &self,
        path: &str,
        query: &[(&str, &str)],
        parse: fn(&[u8]) -> Result<T, proc::FormatError>,
    ) -> Result<T, StarRocksError> {
        let body = self.fe_get(path, query).await?;
        parse(&body).map_err(|e| StarRocksError::bad_payload(&self.target(path), e.message, &body))
    }

    async fn proc_typed<T>(
        &self,
        proc_path: &str,
        parse: fn(&[u8]) -> Result<T, proc::FormatError>,
    ) -> Result<T, StarRocksError> {
        self.fe_json("/api/show_proc", &[("path", proc_path)], parse)
            .await
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
    /// `/statistic` as the leader FE counts it: replica health exists only
    /// there, and `forward=true` has the FE asked pass the request on.
    pub async fn statistic_from_leader(&self) -> Result<Statistic, StarRocksError> {
        let path = "/api/show_proc";
        self.fe_json(
            path,
            &[("path", "/statistic"), ("forward", "true")],
            proc::statistic,
        )
        .await
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
        self.fe_json("/api/show_runtime_info", &[], proc::runtime_info)
            .await
    }

    pub async fn health(&self) -> Result<FeHealth, StarRocksError> {
        self.fe_json("/api/health", &[], proc::fe_health).await
    }

    /// `/api/bootstrap`; an FE that says "not ready" becomes `NotReady`.
    pub async fn bootstrap(&self) -> Result<Bootstrap, StarRocksError> {
        let b = self.fe_json("/api/bootstrap", &[], proc::bootstrap).await?;
        if b.is_ready() {
            Ok(b)
        } else {
            Err(StarRocksError::not_ready(
                &self.target("/api/bootstrap"),
                b.msg.clone().unwrap_or_else(|| "not ready".into()),
            ))
        }
    }
}

/// Parses a `/metrics` body on the blocking pool (see [`pool`]).
async fn parse_metrics(
    target: String,
    body: Vec<u8>,
    limits: Limits,
) -> Result<Metrics, StarRocksError> {
    let on_pool = target.clone();
    match pool::run(move || prometheus_body(&on_pool, &body, limits)).await {
        Ok(parsed) => parsed,
        Err(e) => Err(StarRocksError::bad_payload(
            &target,
            format!("the body could not be parsed: {e}"),
            b"",
        )),
    }
}

/// Prometheus text that yields no sample at all is not a metrics page
/// (a login form, a proxy error, garbage).
fn prometheus_body(target: &str, body: &[u8], limits: Limits) -> Result<Metrics, StarRocksError> {
    let text = String::from_utf8_lossy(body);
    let metrics = Metrics::parse_with(&text, limits);
    if metrics.samples().is_empty() && !text.trim().is_empty() {
        return Err(StarRocksError::bad_payload(
            target,
            "this is not Prometheus text",
            body,
        ));
    }
    Ok(metrics)
}

mod answers;
#[cfg(test)]
mod tests;
