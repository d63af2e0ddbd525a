//! Command-line flags, each with an environment fallback.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug, Clone)]
#[command(
    name = "starrocks-overview",
    version,
    about = "A web console for StarRocks clusters: health, trends, nodes, storage and capacity.",
    long_about = "A web console for StarRocks clusters. Serves the pages and the REST API on --listen \
and keeps its state (users, clusters, sessions) in SQLite under --data-dir.\n\n\
On the first start with no users it creates the account `admin` with --admin-password, or with a \
random password printed once in the log; that account must choose a new password at first login."
)]
pub struct Config {
    /// Address and port to serve the web console and the REST API on.
    #[arg(long, env = "SRO_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Directory for the SQLite database and the secret key; created if missing.
    #[arg(long, env = "SRO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// SQLite URL (for example sqlite:///var/lib/sro/app.db); overrides the file in --data-dir.
    #[arg(long, env = "SRO_DATABASE_URL")]
    pub database_url: Option<String>,

    /// File holding the 32-byte key that encrypts cluster passwords (base64). Created with
    /// mode 0600 when missing. Default: <data-dir>/secret.key. Keep a copy: without it the
    /// stored cluster passwords cannot be read.
    #[arg(long, env = "SRO_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,

    /// Password for the `admin` account created on the first start. Without it a random
    /// one is generated and printed once in the log. Ignored once any user exists.
    #[arg(long, env = "SRO_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Log filter: error, warn, info, debug, trace, or a tracing directive such as
    /// `starrocks_overview=debug,info`.
    #[arg(long, env = "SRO_LOG_LEVEL", default_value = "info")]
    pub log_level: String,

    /// Log lines as text for people, or as JSON objects (one per line) for log shippers.
    #[arg(long, env = "SRO_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Serve `/metrics` (the console's own Prometheus metrics) without a session, for a
    /// Prometheus server to scrape. Without it `/metrics` needs a signed-in session.
    #[arg(long, env = "SRO_METRICS_PUBLIC")]
    pub metrics_public: bool,

    /// Reverse proxies in front of the console, as a comma-separated list of addresses and
    /// CIDR ranges (for example `10.0.0.0/8,192.168.1.5`). Only from these peers is
    /// `X-Forwarded-For` believed, for telling clients apart in sign-in throttling.
    #[arg(long, env = "SRO_TRUSTED_PROXY", value_parser = parse_trusted_proxies, default_value = "")]
    pub trusted_proxy: registry::sessions::TrustedProxies,

    /// Mark the session cookie `Secure`: set this when users reach the console over HTTPS
    /// (for example behind a TLS-terminating proxy).
    #[arg(long, env = "SRO_SECURE_COOKIE")]
    pub secure_cookie: bool,

    /// Connect timeout towards StarRocks FEs and BEs (HTTP and MySQL), in milliseconds.
    #[arg(long, env = "SRO_STARROCKS_CONNECT_TIMEOUT_MS", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(100..=60_000))]
    pub starrocks_connect_timeout_ms: u64,

    /// Timeout of one HTTP request to StarRocks, in milliseconds.
    #[arg(long, env = "SRO_STARROCKS_REQUEST_TIMEOUT_MS", default_value_t = 5000, value_parser = clap::value_parser!(u64).range(100..=300_000))]
    pub starrocks_request_timeout_ms: u64,

    /// Timeout of one SQL statement sent to StarRocks over MySQL, in milliseconds.
    #[arg(long, env = "SRO_STARROCKS_QUERY_TIMEOUT_MS", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(100..=600_000))]
    pub starrocks_query_timeout_ms: u64,

    /// Start the built-in StarRocks simulator and register three demo clusters
    /// (a healthy shared-nothing 3.3 cluster, a shared-data cluster with a node
    /// down, and a cluster on Kubernetes whose pods the console cannot reach).
    #[arg(long, env = "SRO_DEMO")]
    pub demo: bool,

    /// Like --demo, but only when no real cluster is registered (what `make run` uses).
    #[arg(long, env = "SRO_DEMO_IF_EMPTY")]
    pub demo_if_empty: bool,

    /// Seconds between two collections of every cluster (at least 5). Ticks are aligned
    /// to multiples of this interval.
    #[arg(long, env = "SRO_COLLECT_INTERVAL_S", default_value_t = 30, value_parser = clap::value_parser!(u64).range(5..=3600))]
    pub collect_interval_s: u64,

    /// Clusters collected at the same time in one tick.
    #[arg(long, env = "SRO_COLLECT_CONCURRENCY", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub collect_concurrency: u64,

    /// Seconds between two reads of a cluster's data statistics over MySQL (databases,
    /// tables, sizes, materialized views, schema changes, sessions).
    #[arg(long, env = "SRO_STATS_INTERVAL_S", default_value_t = 600, value_parser = clap::value_parser!(u64).range(30..=86_400))]
    pub stats_interval_s: u64,

    /// One deadline, in seconds, for a cluster's whole data statistics read over MySQL;
    /// what is not read by then is shown as not read.
    #[arg(long, env = "SRO_STATS_DEADLINE_S", default_value_t = 60, value_parser = clap::value_parser!(u64).range(5..=3600))]
    pub stats_deadline_s: u64,

    /// The largest `/metrics` body read from an FE or BE, in bytes; a larger answer is a
    /// `bad_payload` error for that node. Samples per body are capped at 200,000.
    #[arg(long, env = "SRO_MAX_METRICS_BYTES", default_value_t = 8 * 1024 * 1024, value_parser = clap::value_parser!(u64).range(65_536..=268_435_456))]
    pub max_metrics_bytes: u64,

    /// The most FEs, and the most BEs or compute nodes, whose metrics are read per cluster
    /// per collection (16 at a time); a longer node list is cut, and the page says so.
    #[arg(long, env = "SRO_MAX_NODES", default_value_t = 500, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_nodes: u64,

    /// Days of raw snapshots kept (one row per cluster per collection).
    #[arg(long, env = "SRO_RETENTION_RAW_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u64).range(1..=365))]
    pub retention_raw_days: u64,

    /// Days of daily rollups kept.
    #[arg(long, env = "SRO_RETENTION_DAILY_DAYS", default_value_t = 90, value_parser = clap::value_parser!(u64).range(1..=3650))]
    pub retention_daily_days: u64,

    /// Most points per series in the overview's trends; the bucket step is the smallest
    /// round interval (30 s, 1 m, 5 m, 15 m, 1 h, ...) that keeps a series within it.
    #[arg(long, env = "SRO_MAX_POINTS", default_value_t = 720, value_parser = clap::value_parser!(i64).range(10..=10_000))]
    pub max_points: i64,

    /// Do not start the background collector (the pages then show only what is stored).
    #[arg(long, env = "SRO_NO_COLLECTOR")]
    pub no_collector: bool,

    /// The console's address as operators reach it, e.g. https://console.example.com:
    /// notifications link to the cluster's overview there. Without it they carry no link.
    #[arg(long, env = "SRO_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,

    /// How long a cluster's first alert waits for others to go out in the same message, in seconds.
    #[arg(long, env = "SRO_NOTIFY_GROUP_WAIT_S", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub notify_group_wait_s: u64,

    /// How often a firing alert is notified again, in seconds (default 4 h).
    #[arg(long, env = "SRO_NOTIFY_REPEAT_S", default_value_t = 14_400, value_parser = clap::value_parser!(u64).range(5..=604_800))]
    pub notify_repeat_s: u64,

    /// How long a notification is retried before it is given up, in seconds (default 24 h).
    #[arg(long, env = "SRO_NOTIFY_GIVE_UP_S", default_value_t = 86_400, value_parser = clap::value_parser!(u64).range(60..=604_800))]
    pub notify_give_up_s: u64,

    /// The longest wait between two attempts to deliver a notification, in seconds.
    #[arg(long, env = "SRO_NOTIFY_MAX_BACKOFF_S", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub notify_max_backoff_s: u64,

    /// How long a session stays valid without activity, in hours.
    #[arg(long, env = "SRO_SESSION_HOURS", default_value_t = 168, value_parser = clap::value_parser!(u32).range(1..=8760))]
    pub session_hours: u32,
}

/// An http(s) origin, with an optional path prefix, without a query.
fn parse_public_url(s: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(s.trim()).map_err(|e| {
        format!("{s:?} is not a URL ({e}); write it like https://console.example.com")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "{s:?} must start with https:// or http:// and name a host"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{s:?} must not have a query or a fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn parse_trusted_proxies(s: &str) -> Result<registry::sessions::TrustedProxies, String> {
    s.parse()
}

/// How log lines are written.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    pub fn starrocks_timeouts(&self) -> registry::clusters::StarRocksTimeouts {
        use std::time::Duration;
        let connect = Duration::from_millis(self.starrocks_connect_timeout_ms);
        registry::clusters::StarRocksTimeouts {
            http: starrocks::http::HttpTimeouts {
                connect,
                request: Duration::from_millis(self.starrocks_request_timeout_ms),
            },
            sql: starrocks::sql::SqlTimeouts {
                connect,
                query: Duration::from_millis(self.starrocks_query_timeout_ms),
            },
        }
    }

    pub fn collector(&self) -> collector::CollectorConfig {
        use std::time::Duration;
        let mut c =
            collector::CollectorConfig::with_interval(Duration::from_secs(self.collect_interval_s));
        c.concurrency = self.collect_concurrency as usize;
        c.stats_every = Duration::from_secs(self.stats_interval_s);
        c.retention.raw = Duration::from_secs(self.retention_raw_days * 86_400);
        c.retention.daily = Duration::from_secs(self.retention_daily_days * 86_400);
        c.stats_deadline = Duration::from_secs(self.stats_deadline_s);
        c.metrics_limits.max_body_bytes =
            usize::try_from(self.max_metrics_bytes).unwrap_or(usize::MAX);
        c.fanout.max_nodes = usize::try_from(self.max_nodes).unwrap_or(usize::MAX);
        c
    }

    pub fn notify(&self) -> notify::Settings {
        use std::time::Duration;
        notify::Settings {
            group_wait: Duration::from_secs(self.notify_group_wait_s),
            repeat: Duration::from_secs(self.notify_repeat_s),
            give_up: Duration::from_secs(self.notify_give_up_s),
            max_backoff: Duration::from_secs(self.notify_max_backoff_s),
            backoff: Duration::from_secs(5).min(Duration::from_secs(self.notify_max_backoff_s)),
            public_url: self.public_url.clone(),
            ..notify::Settings::default()
        }
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir.join("starrocks-overview.db").display()
            )
        })
    }

    pub fn secret_key_path(&self) -> PathBuf {
        self.secret_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("secret.key"))
    }
}

/// The top-level command line: serve the console (no subcommand, the flags of
/// [`Config`]) or run the StarRocks simulator (`sim`).
#[derive(Parser, Debug, Clone)]
#[command(
    name = "starrocks-overview",
    version,
    about = "A web console for StarRocks clusters: health, trends, nodes, storage and capacity.",
    long_about = "A web console for StarRocks clusters. Without a subcommand it serves the pages and \
the REST API on --listen and keeps its state (users, clusters, sessions) in SQLite under --data-dir.\n\n\
On the first start with no users it creates the account `admin` with --admin-password, or with a \
random password printed once in the log; that account must choose a new password at first login.\n\n\
`starrocks-overview sim` runs simulated StarRocks clusters for demos and tests instead.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: Config,
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum Command {
    /// Run simulated StarRocks clusters (FE HTTP, FE MySQL and BE HTTP ports on 127.0.0.1)
    /// until Ctrl-C. Cluster i uses FE HTTP ports from http-port + 100*i, BE HTTP ports from
    /// http-port + 100*i + 10 and MySQL ports from mysql-port + 100*i. Faults can be switched
    /// with GET/POST/DELETE /_sim/faults on any FE HTTP port.
    Sim(sim::SimArgs),
}
