//! A faithful StarRocks simulator: FE HTTP, BE HTTP and the FE MySQL port of one or
//! more clusters, generated from a seeded model that moves with wall-clock time.
//!
//! Demo mode, the integration tests and the benchmarks run against it, and the real
//! client is written against the same wire formats, so every body follows
//! `INTERFACES.md` (column order, string formats, Prometheus quirks) rather than
//! what would be convenient. Nothing here parses StarRocks output: it only writes it.
//!
//! # Listeners
//! Everything binds 127.0.0.1. Per cluster: one HTTP and one MySQL listener per FE
//! (FE 0 is the leader; [`SimCluster::http_addr`] and [`SimCluster::mysql_addr`] are
//! the leader's) and one HTTP listener per backend (compute node in shared-data).
//!
//! A Kubernetes cluster ([`Deployment::Kubernetes`], profile `3.3-k8s`) models the
//! StarRocks operator's pods seen from outside Kubernetes. It has one more HTTP
//! listener, its **Service** ([`SimCluster::service_addr`], and then also
//! [`SimCluster::http_addr`]): every request to it (every FE route: `/metrics`,
//! `/api/show_proc`, `/api/health`, `/_sim/faults`, ...) is answered by the next
//! FE's router in turn (request 0 by FE 0, request 1 by FE 1, ...), skipping FEs
//! that are `fe_down`; it refuses connections while no FE can answer (all down, or
//! `fe_refusing`). [`SimCluster::fe_http_addrs`] stay the per-FE listeners and
//! [`SimCluster::mysql_addr`] the leader FE's MySQL port. The node lists name pods
//! that nothing here listens at: FE `j` is
//! `kube-starrocks-fe-{j}.kube-starrocks-fe-search.starrocks.svc.invalid` with
//! EditLogPort 9010, HttpPort 8030, QueryPort 9030, RpcPort 9020 and Name
//! `{host}_9010_{ms it was added}`; BE `k` is
//! `kube-starrocks-be-{k}.kube-starrocks-be-search.starrocks.svc.invalid` with
//! HeartbeatPort 9050, BePort 9060, HttpPort 8040, BrpcPort 8060 (the operator's
//! defaults; `.invalid` is RFC 6761's, so no lookup leaves the machine).
//!
//! # information_schema.fe_metrics / be_metrics (3.1 on)
//! Over MySQL, every alive FE's and BE's metrics, from the same figures as its
//! `/metrics` at the same time (a down FE and a `be_dead` BE have no rows):
//! - `fe_metrics`: `FE_ID` (the FE's SHOW FRONTENDS `Name`), `NAME` (no
//!   `starrocks_fe_` prefix: `query_total`; histograms as
//!   `starrocks_fe_query.latency.ms`), `LABELS` (the JSON tags, `metric` included:
//!   `{"metric":"query_latency","type":"99_quantile"}`), `VALUE` (BIGINT, truncated);
//! - `be_metrics`: `BE_ID` (BIGINT BackendId), `NAME` (no `starrocks_be_` prefix),
//!   `LABELS` (`k=v,k2=v2`, empty when none), `VALUE` (BIGINT, truncated).
//!
//! 3.0 answers them as it answers every unknown table (error 1064, "Unknown table").
//!
//! # Logins
//! MySQL and HTTP Basic take the spec's user and password (root, empty, in the
//! profiles), an admin, and [`VIEWER_USER`] / [`VIEWER_PASSWORD`]
//! (`viewer` / `viewer`), who is not: `/api/show_proc` answers it HTTP 401 with
//! `{"status":"FAILED","code":"1"}`, and its `KILL` of another user's query is
//! error 1095. `wrong_credentials` refuses both.
//!
//! # Running queries, per FE
//! Each FE runs its own queries (see `queries.rs`): `/api/show_proc?path=/current_queries`
//! on FE `j`'s HTTP port, and `SHOW PROC '/current_queries'` on its MySQL port, list
//! only FE `j`'s, oldest first, with `feIp` its listed host (3.3 columns; 3.0 the
//! old arrays: `13.02 GB`, `N Rows`, `81.23 Seconds`, ExecTime in ms). A query keeps
//! its QueryId, ConnectionId, User, Database and StartTime from poll to poll while
//! ExecTime, ScanRows, CPUTime and MemoryUsage grow; it ends, and others start,
//! deterministically from the seed and the time. Every FE always runs at least one,
//! and one that has run longer than 60 s (two ETL or BI lanes of 8 to 14 minutes per
//! FE); short ones follow the load. Users: root, etl_loader, bi_reader, analyst.
//! ConnectionIds are distinct within an FE. An FE that restarts (`fe_restart`)
//! drops its queries; a down FE answers nothing.
//!
//! `/global_current_queries` (3.3 only; 3.0 answers `[]` over HTTP and "Unknown
//! proc node path" over MySQL, as for any unknown path) lists every alive FE's.
//!
//! `KILL QUERY <id>` / `KILL <id>` over MySQL on FE `j`: when FE `j` runs a query on
//! connection `id`, an OK packet, and the query is gone from every listing from then
//! on (the cluster remembers the last 4,096 kills); else 1094 (HY000) `Unknown
//! thread id: <id>`; a non-admin killing another user's query: 1095 (HY000) `You are
//! not owner of thread <id>` (StarRocks' ErrorCode ERR_NO_SUCH_THREAD and
//! ERR_KILL_DENIED_ERROR).
//!
//! # Query history: the AuditLoader table
//! [`ClusterSpec::audit_table`] says whether the cluster has
//! `starrocks_audit_db__.starrocks_audit_tbl__` and with which columns:
//! [`AuditTable::Full`] (every column of INTERFACES.md §7, `QueriedRelations` filled:
//! 3.3-shared-nothing), [`AuditTable::Old`] (`queryId` to `digest`: 3.0-shared-nothing)
//! or [`AuditTable::None`] (3.3-shared-data, 3.3-k8s). When present, the database is
//! in `SHOW DATABASES`, `/dbs` and `USE`, the table in information_schema.tables and
//! its columns in information_schema.columns; when absent every statement naming the
//! table fails with 1064 `Getting analyzing error. Detail message: Unknown database
//! 'starrocks_audit_db__'.` (what 3.3 answers for a SELECT; `USE` says 1049).
//!
//! Rows are derived from (seed, 1.5 s slot) for any time range, never stored: about
//! 0.3 statements a second following the day curve, log-normal queryTime (about 3 %
//! at 5 s or more, a few above 60 s, timeouts at 300 s), about 2 % errors with the
//! errorCode the FE writes (3.3: `ANALYSIS_ERR`, `MEM_LIMIT_EXCEEDED`,
//! `EXEC_TIME_OUT`, `CANCELLED`, `INTERNAL_ERROR`, `INTERNAL_ERR`; 3.0: the BE's code
//! or empty), connection rows, five users, a digest per statement shape (empty for
//! about 10 % of the queries), rows visible only once the FE's loader has flushed
//! (every 60 s) after the statement ended, 30 days kept. See `audit.rs`, and the
//! module doc of `sql` for the SELECT forms the query engine takes.
//!
//! # Port plan
//! [`PortPlan::Ephemeral`] binds every listener on port 0. [`PortPlan::From`] with
//! bases `http` and `mysql` gives cluster `i`:
//! - FE `j` HTTP: `http + 100*i + j` (j < 10),
//! - BE `k` HTTP: `http + 100*i + 10 + k` (k < 89),
//! - the Kubernetes Service (Kubernetes clusters only): `http + 100*i + 99`,
//! - FE `j` MySQL: `mysql + 100*i + j`.
//!
//! Each cluster owns a block of 100 ports in each range, so clusters never collide;
//! [`Simulator::start`] refuses plans whose HTTP and MySQL blocks overlap or pass 65535.
//! A listener closed by a fault is rebound on the same port when the fault clears.
//!
//! # Control API (FE HTTP port of every FE and the Service, unauthenticated, loopback only)
//! - `GET /_sim/faults` → `{"faults":[{"fault":"be_dead","index":0},{"fault":"slow","ms":3000}]}`
//! - `POST /_sim/faults` with `{"fault":NAME, "index":N?, "ms":N?, "for_ms":N?}`; NAME is
//!   one of `be_dead` (needs `index`), `fe_down` (needs `index`), `fe_refusing`,
//!   `slow` (needs `ms`), `mysql_slow` (needs `ms`: every MySQL statement answered
//!   that much later), `http500`, `garbage_body`, `truncated_body`,
//!   `wrong_credentials`, `mysql_down`, `fe_restart`, one of the operations-health
//!   faults or one of the hostile faults below.
//!   `fe_down` closes FE `index`'s HTTP and MySQL listeners (rebound when it clears);
//!   the other FEs list it with Alive `false` and ErrMsg
//!   `Connection refused (Connection refused)`, and while FE 0 is down the first FE
//!   up (FE 1) leads: Role LEADER in the lists, `node_info{type="is_master"} 1` in
//!   its `/metrics`, the leader's jobs.
//!   `for_ms` clears the fault again after that many milliseconds: needed for
//!   `fe_refusing`, which closes the very port the control API is served on.
//!   Answers the active list as for GET; 400 with `{"error":...}` on a bad body.
//! - `DELETE /_sim/faults` clears every fault and answers the (empty) list.
//!
//! `POST` and `DELETE` need `Content-Type: application/json` (parameters such as
//! `; charset=utf-8` allowed) and answer 415 with `{"error":...}`, changing nothing,
//! without it: a web page cannot switch faults with a form post or a simple
//! cross-site request. `curl -H 'Content-Type: application/json' ...`.
//!
//! These paths are never affected by the HTTP faults (slow, 500, garbage, truncated,
//! and the hostile ones).
//!
//! # Operations-health faults (no parameters)
//! Each moves the figures an official StarRocks alert rule watches past its
//! threshold; the database they pick is the model's first one (`sales`), the
//! job the first routine load job (on its first table), the backend BE 0.
//! - `routine_load_paused`: that job is PAUSED: `routine_load_jobs{state="PAUSED"}` 1
//!   and RUNNING one less (3.0: its per-job line says `state="PAUSED"`), its
//!   `SHOW ROUTINE LOAD` row has PauseTime, ReasonOfStateChanged
//!   `ErrorReason{errCode = 102, msg='current error rows is more than max error num'}`,
//!   an ErrorLogUrls and a TrackingSQL; `routine_load_paused` counts one more.
//! - `txn_pileup`: `txn_running{db="sales"}` 950 (on 3.3, which has the family),
//!   and every FE's `txn_failed` and `txn_begin` grow by a quarter of the
//!   transactions plus 0.1/s, so failed / (success + failed) over any interval
//!   inside it is above 5 % and `rate(txn_failed[5m]) * 100 > 5`.
//! - `checkpoint_stuck`: every FE's `meta_log_count` is 150,000 plus the journal
//!   written since it was set (normally a saw tooth below 50,000: a checkpoint
//!   every 50,000 entries).
//! - `rowset_explosion`: BE 0's `max_tablet_rowset_num` is 900, plus one every 10 s.
//! - `tablets_unhealthy`: `/statistic` lists an eighth (at least 6) of `sales`'
//!   tablets unhealthy, up to 3 in error state and a quarter cloning, the Total
//!   row with them; the leader's `scheduled_tablet_num` counts them.
//!
//! Clearing one restores its figures on the next scrape, except tablets: after
//! `tablets_unhealthy` or `be_dead` clears, what they made unhealthy falls
//! linearly to 0 (half of it cloning), and `scheduled_tablet_num` with it, over
//! as long as the fault lasted, at most two minutes (a fault on for a second
//! heals within a second; one on for ten minutes takes two). Counters (`routine_load_paused`, `txn_failed`, `txn_begin`) keep what
//! they counted. Shared-data clusters count no replica health: ReplicaNum and
//! every health column of `/statistic` stay 0 there whatever the faults.
//!
//! Without faults, every two hours an operator pauses one routine load job for
//! 3 to 8 minutes (`ErrorReason{errCode = 100, msg='User root pauses routine load
//! job'}`), after which it is NEED_SCHEDULE for 10 s, then RUNNING again.
//!
//! # Hostile faults
//! Each has an optional parameter (with its default); the list answers it.
//! - `metrics_bomb` (`bytes`, 32 MiB, at most 1 GiB): FE and BE `/metrics` answer
//!   distinct gauges, `# TYPE bomb_00000001 gauge` then `bomb_00000001{l="v"} 1`, up to
//!   `bytes` bytes. The body is built once per size and shared by every answer.
//! - `huge_error` (`bytes`, 30 MiB, at most 1 GiB): every FE HTTP request answers
//!   StarRocks' 401 (`WWW-Authenticate: Basic realm=""`, body
//!   `{"status":"FAILED","code":"1","msg":M,"message":"Access denied for root@127.0.0.1"}`)
//!   whose `msg` is `bytes` bytes of text. MySQL logins are not affected.
//! - `node_injection`: `/backends`, `/compute_nodes` and `/frontends` (and their
//!   `SHOW` statements) list one row per [`HOSTILE_HOSTS`] entry in `IP` (and in the FE
//!   `Name`): `169.254.169.254/latest/meta-data/#`, `user:pass@evil.example`,
//!   `10.0.0.1:9999`, `http://evil.example`, `evil.example/x?y` and a normal `127.0.0.1`.
//!   Row `i` carries the ports and figures of node `i % n`, so every other column
//!   stays valid.
//! - `redirect` (`to`, `http://127.0.0.1:9/elsewhere`): every FE HTTP answer and BE
//!   `/metrics` is `302 Found` with `Location: to` and an empty body.
//! - `busy_queries` (`count`, 160, at most 10,000): every alive FE runs `count`
//!   more queries, each for most of a ten-minute cycle of its own, with
//!   ConnectionIds from 100,000 up: a busy cluster for the running-queries figures.
//! - `many_nodes` (`count`, 10,000, at most 1,000,000): `/backends` (`/compute_nodes`
//!   in shared-data) lists `count` nodes, ids 10001 up, on 127.0.0.1, alive unless the
//!   node they stand for is `be_dead`. Row `i` has the `HttpPort` (and the other ports
//!   and figures) of the real backend `i % n`: the ports cycle over listeners that
//!   answer, so a collector fanning out to every row makes `count` real requests.
//!   With `node_injection` too, the rows cycle over the hostile hosts.
//! - `drip` (`ms`, 100): FE HTTP answers and BE `/metrics` bodies are sent one byte
//!   every `ms` milliseconds (headers at once, no `Content-Length`).
//!
//! On the FE port `slow` applies first, then the first of `redirect`, `huge_error`,
//! `http500` and `garbage_body` answers instead of the route, then `truncated_body`
//! and last `drip`.

mod audit;
#[cfg(test)]
mod audit_tests;
mod be_http;
mod control;
mod deploy;
mod faults;
mod fe_http;
mod format;
mod hostile;
#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod k8s_tests;
mod mysql;
mod native_auth;
mod net;
mod ops;
#[cfg(test)]
mod ops_tests;
mod proc;
mod profile;
mod queries;
#[cfg(test)]
mod queries_tests;
mod service;
mod sql;
mod state;

pub use faults::{Fault, Faults, HOSTILE_HOSTS, MAX_BOMB_BYTES, MAX_NODES, TOO_MANY_ERROR_ROWS};
pub use profile::{AuditTable, ClusterSpec, Deployment, Mode, Version, PROFILES};
pub use queries::{VIEWER_PASSWORD, VIEWER_USER};
pub use state::Model;

use anyhow::{anyhow, bail, Context};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Where the simulator's listeners go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortPlan {
    /// Every listener on 127.0.0.1:0 (tests).
    Ephemeral,
    /// Fixed ports derived from two bases; see the module doc for the scheme.
    From { http: u16, mysql: u16 },
}

/// One running simulated cluster, as a client sees it.
#[derive(Clone)]
pub struct SimCluster {
    pub name: String,
    /// The cluster's HTTP address: the leader FE's (FE 0) listener, or on
    /// Kubernetes the Service ([`SimCluster::service_addr`]).
    pub http_addr: SocketAddr,
    /// The Kubernetes Service listener, which hands requests to the FEs in turn;
    /// `None` unless the cluster is [`Deployment::Kubernetes`].
    pub service_addr: Option<SocketAddr>,
    /// MySQL port of the leader FE.
    pub mysql_addr: SocketAddr,
    /// HTTP port of each backend (compute node in shared-data), in BackendId order.
    pub be_http_addrs: Vec<SocketAddr>,
    /// HTTP port of every FE, leader first.
    pub fe_http_addrs: Vec<SocketAddr>,
    /// MySQL port of every FE, leader first.
    pub fe_mysql_addrs: Vec<SocketAddr>,
    /// Fault switches for this cluster.
    pub faults: Faults,
    /// The model behind the answers, for tests that inject time.
    pub model: Arc<Model>,
}

/// Running simulator. Dropping it or calling [`Simulator::shutdown`] stops every listener.
pub struct Simulator {
    clusters: Vec<SimCluster>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

/// What every listener of one cluster shares.
pub(crate) struct Shared {
    pub model: Arc<Model>,
    pub faults: Faults,
    pub fe_http: Vec<SocketAddr>,
    pub fe_mysql: Vec<SocketAddr>,
    pub be_http: Vec<SocketAddr>,
    /// The running queries killed over MySQL (`KILL [QUERY] id`).
    pub killed: queries::Killed,
}

/// The ports one cluster uses in a fixed plan: FE `j` at HTTP offset `j`, BE
/// `k` at `MAX_FE + k` (10..=98), the Kubernetes Service at `SERVICE`.
const BLOCK: u32 = 100;
const MAX_FE: usize = 10;
const MAX_BE: usize = 89;
const SERVICE: usize = 99;
const _: () = assert!(MAX_FE + MAX_BE <= SERVICE && SERVICE < BLOCK as usize);

fn planned(base: u16, cluster: usize, offset: usize) -> anyhow::Result<u16> {
    let port = u32::from(base) + BLOCK * cluster as u32 + offset as u32;
    u16::try_from(port).map_err(|_| anyhow!("port {port} is out of range"))
}

async fn bind(
    plan: PortPlan,
    port: impl Fn() -> anyhow::Result<u16>,
) -> anyhow::Result<TcpListener> {
    let port = match plan {
        PortPlan::Ephemeral => 0,
        PortPlan::From { .. } => port()?,
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))
}

fn local(l: &TcpListener) -> anyhow::Result<SocketAddr> {
    l.local_addr().context("cannot read a listener's address")
}

impl Simulator {
    /// Binds every listener of every cluster, then starts serving. Fails without
    /// leaving anything running when a spec or a port is unusable.
    pub async fn start(specs: Vec<ClusterSpec>, ports: PortPlan) -> anyhow::Result<Simulator> {
        if let PortPlan::From { http, mysql } = ports {
            let span = BLOCK * specs.len() as u32;
            let (h, m) = (u32::from(http), u32::from(mysql));
            if h < m + span && m < h + span {
                bail!(
                    "http base {http} and mysql base {mysql} overlap: each cluster needs {BLOCK} ports in each range"
                );
            }
        }
        if specs.len() > 100 {
            net::set_poll_for(specs.len());
        }
        let (stop, _) = watch::channel(false);
        let mut clusters = Vec::new();
        let mut tasks = Vec::new();
        for (i, spec) in specs.into_iter().enumerate() {
            if spec.frontends == 0 || spec.frontends > MAX_FE {
                bail!("{}: frontends must be 1..={MAX_FE}", spec.name);
            }
            if spec.backends == 0 || spec.backends > MAX_BE {
                bail!("{}: backends must be 1..={MAX_BE}", spec.name);
            }
            let (hb, mb) = match ports {
                PortPlan::From { http, mysql } => (http, mysql),
                PortPlan::Ephemeral => (0, 0),
            };
            let mut fe_http = Vec::new();
            let mut fe_mysql = Vec::new();
            let mut be_http = Vec::new();
            for j in 0..spec.frontends {
                fe_http.push(bind(ports, || planned(hb, i, j)).await?);
                fe_mysql.push(bind(ports, || planned(mb, i, j)).await?);
            }
            for k in 0..spec.backends {
                be_http.push(bind(ports, || planned(hb, i, MAX_FE + k)).await?);
            }
            let service = match spec.deployment {
                Deployment::Kubernetes => Some(bind(ports, || planned(hb, i, SERVICE)).await?),
                Deployment::Direct => None,
            };
            let service_addr = service.as_ref().map(local).transpose()?;
            let addrs = |v: &[TcpListener]| v.iter().map(local).collect::<Result<Vec<_>, _>>();
            let name = spec.name.clone();
            let model = Arc::new(Model::new(spec));
            let shared = Arc::new(Shared {
                model: model.clone(),
                faults: Faults::new(),
                fe_http: addrs(&fe_http)?,
                fe_mysql: addrs(&fe_mysql)?,
                be_http: addrs(&be_http)?,
                killed: queries::Killed::default(),
            });
            let fe_routers: Vec<_> = (0..fe_http.len())
                .map(|j| fe_http::router(shared.clone(), j))
                .collect();
            for (j, (l, router)) in fe_http.into_iter().zip(fe_routers.clone()).enumerate() {
                let faults = shared.faults.clone();
                tasks.push(tokio::spawn(net::supervise_http(
                    l,
                    router,
                    move || {
                        faults.is_active(&Fault::FeRefusing) || faults.is_active(&Fault::FeDown(j))
                    },
                    shared.faults.clone(),
                    stop.subscribe(),
                )));
            }
            if let Some(l) = service {
                let fes = fe_routers.len();
                let faults = shared.faults.clone();
                tasks.push(tokio::spawn(net::supervise_http(
                    l,
                    service::router(fe_routers, shared.faults.clone()),
                    move || service::refusing(&faults, fes),
                    shared.faults.clone(),
                    stop.subscribe(),
                )));
            }
            for (j, l) in fe_mysql.into_iter().enumerate() {
                tasks.push(tokio::spawn(mysql::supervise(
                    l,
                    shared.clone(),
                    j,
                    stop.subscribe(),
                )));
            }
            for (k, l) in be_http.into_iter().enumerate() {
                let router = be_http::router(shared.clone(), k);
                let faults = shared.faults.clone();
                tasks.push(tokio::spawn(net::supervise_http(
                    l,
                    router,
                    move || faults.is_active(&Fault::BeDead(k)),
                    shared.faults.clone(),
                    stop.subscribe(),
                )));
            }
            tracing::info!(cluster = %name, http = %shared.fe_http[0], mysql = %shared.fe_mysql[0], "simulated cluster listening");
            clusters.push(SimCluster {
                name,
                http_addr: service_addr.unwrap_or(shared.fe_http[0]),
                service_addr,
                mysql_addr: shared.fe_mysql[0],
                be_http_addrs: shared.be_http.clone(),
                fe_http_addrs: shared.fe_http.clone(),
                fe_mysql_addrs: shared.fe_mysql.clone(),
                faults: shared.faults.clone(),
                model,
            });
        }
        Ok(Simulator {
            clusters,
            stop,
            tasks,
        })
    }

    pub fn clusters(&self) -> &[SimCluster] {
        &self.clusters
    }

    /// Stops every listener and waits (at most a few seconds) for them to close.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        let tasks = std::mem::take(&mut self.tasks);
        for t in tasks {
            let abort = t.abort_handle();
            if tokio::time::timeout(Duration::from_secs(3), t)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Wall-clock unix milliseconds: the simulated metrics move with real time.
fn now_ms() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// The flags of `starrocks-overview sim`.
#[derive(clap::Args, Debug, Clone)]
pub struct SimArgs {
    /// First FE HTTP port; each cluster takes a block of 100 ports from here.
    #[arg(long, default_value_t = 8030)]
    pub http_port: u16,

    /// First FE MySQL port; each cluster takes a block of 100 ports from here.
    #[arg(long, default_value_t = 9030)]
    pub mysql_port: u16,

    /// Cluster profile: 3.3-shared-nothing, 3.0-shared-nothing, 3.3-shared-data or
    /// 3.3-k8s (FE HTTP through a Kubernetes-like Service).
    #[arg(long, default_value = "3.3-shared-nothing")]
    pub profile: String,

    /// How many clusters of that profile to run.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=50))]
    pub clusters: u16,

    /// Seed of the first cluster; cluster i uses seed + i. Same seed, same numbers.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Log filter, as for the server.
    #[arg(long, env = "SRO_LOG_LEVEL", default_value = "info")]
    pub log_level: String,
}

/// `starrocks-overview sim`: starts the clusters, prints where they listen, runs
/// until Ctrl-C. Logging is the caller's to set up (from `log_level`).
pub async fn run_cli(args: SimArgs) -> anyhow::Result<()> {
    let mut specs = Vec::new();
    for i in 0..u64::from(args.clusters) {
        let seed = args.seed.wrapping_add(i);
        let spec = ClusterSpec::profile(&args.profile, seed).ok_or_else(|| {
            anyhow!(
                "unknown profile {:?}; known: {}",
                args.profile,
                PROFILES.join(", ")
            )
        })?;
        specs.push(spec);
    }
    let sim = Simulator::start(
        specs,
        PortPlan::From {
            http: args.http_port,
            mysql: args.mysql_port,
        },
    )
    .await?;
    for c in sim.clusters() {
        let bes: Vec<String> = c
            .be_http_addrs
            .iter()
            .map(|a| format!("http://{a}"))
            .collect();
        let fe = if c.service_addr.is_some() {
            "Service"
        } else {
            "FE"
        };
        println!(
            "{}: {fe} http://{}  MySQL {}  BE {}  (login root, empty password; viewer/viewer)",
            c.name,
            c.http_addr,
            c.mysql_addr,
            bes.join(" ")
        );
    }
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::faults::View;
    use super::proc::{proc, Ctx};
    use super::*;

    const T: i64 = 1_764_000_000_000;

    pub(crate) fn shared(seed: u64) -> Shared {
        shared_of("3.3-shared-nothing", seed)
    }

    /// A cluster of `profile` whose listeners would be on 8030.., 9030.., 8040...
    pub(crate) fn shared_of(profile: &str, seed: u64) -> Shared {
        let spec = ClusterSpec::profile(profile, seed).expect("profile");
        let a = |p: usize| SocketAddr::from((Ipv4Addr::LOCALHOST, p as u16));
        Shared {
            fe_http: (0..spec.frontends).map(|j| a(8030 + j)).collect(),
            fe_mysql: (0..spec.frontends).map(|j| a(9030 + j)).collect(),
            be_http: (0..spec.backends).map(|k| a(8040 + k)).collect(),
            model: Arc::new(Model::new(spec)),
            faults: Faults::new(),
            killed: queries::Killed::default(),
        }
    }

    /// The first minute from `t` on that starts half an hour in which no
    /// operator pauses a routine load job (pauses last 3 minutes or more, so
    /// minutes are fine enough): a test of the faults sees the jobs RUNNING
    /// unless a fault says otherwise.
    pub(crate) fn calm(sh: &Shared, t: i64) -> i64 {
        let jobs = proc::routine_load_count(&sh.model);
        let quiet = |x: i64| {
            (0..=30).all(|i| ops::operator_pause(&sh.model, jobs, x + i * 60_000).is_none())
        };
        (0..24 * 60)
            .map(|i| t + i * 60_000)
            .find(|x| quiet(*x))
            .unwrap_or(t)
    }

    fn all(sh: &Shared, view: &View, t: i64) -> String {
        let ctx = Ctx {
            sh,
            fe: 0,
            t,
            view: view.clone(),
        };
        let mut out = fe_http::fe_metrics(sh, 0, t, view);
        out.push_str(&be_http::be_metrics(&sh.model, 0, t, view));
        for p in ["/backends", "/frontends", "/statistic", "/current_queries"] {
            out.push_str(
                &proc(&ctx, p)
                    .map(|g| g.proc_json(Version::V3_3))
                    .unwrap_or_default(),
            );
        }
        out
    }

    #[test]
    fn same_seed_same_bytes() {
        let v = View::default();
        assert_eq!(all(&shared(4), &v, T), all(&shared(4), &v, T));
        assert_ne!(all(&shared(4), &v, T), all(&shared(5), &v, T));
    }

    fn counter(text: &str, name: &str) -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(u64::MAX)
    }

    #[test]
    fn metrics_counters_grow_and_restart_resets_them() {
        let sh = shared(8);
        let mut v = View::default();
        let mut last = 0;
        for i in 0..50 {
            let m = fe_http::fe_metrics(&sh, 0, T + i * 15_000, &v);
            let q = counter(&m, "starrocks_fe_query_total");
            assert!(q >= last && q != u64::MAX);
            last = q;
        }
        v.restarts.push(T + 50 * 15_000);
        let m = fe_http::fe_metrics(&sh, 0, T + 50 * 15_000 + 2_000, &v);
        let after = counter(&m, "starrocks_fe_query_total");
        // Two seconds of one FE's share of the load: a few hundred at most.
        assert!(after < 1_000 && after * 100 < last, "{after} vs {last}");
        let follower = fe_http::fe_metrics(&sh, 1, T + 50 * 15_000 + 2_000, &v);
        assert!(counter(&follower, "starrocks_fe_query_total") > 1_000);
    }
}
