//! One collection's worth of raw readings from a cluster, fetched concurrently.
//! Nothing here computes rates; `derive` turns readings into a snapshot.

use super::reach::{account, read_the_rest, ReachMemory};
use chrono::NaiveDateTime;
use model::overview::{NodeCount, NodeInfo, Nodes};
use model::reach::{MetricsPath, Reach};
use starrocks::error::StarRocksError;
use starrocks::http::Endpoint;
use starrocks::http::FeClient;
use starrocks::sql::{SqlClient, SqlTimeouts};
use starrocks::wire::proc::{Backend, ComputeNode, Frontend, RuntimeInfo, Statistic};
use starrocks::wire::prometheus::Metrics;
use std::sync::Arc;
use store::now_ms;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

fn time_text(t: Option<NaiveDateTime>) -> Option<String> {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
}

fn fe_info(f: &Frontend, i: usize) -> NodeInfo {
    NodeInfo {
        kind: "fe".into(),
        name: frontend_name(f, i),
        host: f.ip.clone(),
        port: None,
        role: if is_leader(f) {
            Some("LEADER".into())
        } else {
            f.role.clone()
        },
        alive: f.alive.unwrap_or(false),
        version: f.version.clone(),
        disk_used_pct: None,
        tablets: None,
        cpu_pct: None,
        mem_pct: None,
        compaction_score: None,
        last_heartbeat: time_text(f.last_heartbeat),
        error: f.err_msg.clone().filter(|e| !e.is_empty()),
    }
}

fn backend_info(b: &Backend) -> NodeInfo {
    NodeInfo {
        kind: "be".into(),
        name: node_key(b.id, b.ip.as_deref(), b.http_port),
        host: b.ip.clone(),
        port: b.heartbeat_port,
        role: None,
        alive: b.alive.unwrap_or(false),
        version: b.version.clone(),
        disk_used_pct: b.max_disk_used_pct.or(b.used_pct),
        tablets: b.tablet_num,
        cpu_pct: b.cpu_used_pct,
        mem_pct: b.mem_used_pct,
        compaction_score: None,
        last_heartbeat: time_text(b.last_heartbeat),
        error: b.err_msg.clone().filter(|e| !e.is_empty()),
    }
}

fn compute_node_info(c: &ComputeNode) -> NodeInfo {
    NodeInfo {
        kind: "cn".into(),
        name: node_key(c.id, c.ip.as_deref(), c.http_port),
        host: c.ip.clone(),
        port: c.heartbeat_port,
        role: c.warehouse_name.clone(),
        alive: c.alive.unwrap_or(false),
        version: c.version.clone(),
        disk_used_pct: None,
        tablets: c.tablet_num,
        cpu_pct: c.cpu_used_pct,
        mem_pct: c.mem_used_pct,
        compaction_score: None,
        last_heartbeat: time_text(c.last_heartbeat),
        error: c.err_msg.clone().filter(|e| !e.is_empty()),
    }
}

/// One FE and, if it is alive and answered, its `/metrics`.
pub struct FeReading {
    /// The FE as the node table shows it; `info.name` is the key its counters
    /// are kept under.
    pub info: NodeInfo,
    pub leader: bool,
    /// Host and HTTP port StarRocks lists for it.
    pub addr: Option<(String, u16)>,
    pub metrics: Option<Metrics>,
    /// When the metrics came back (unix ms): rates divide by the time between
    /// two readings of the same FE, not between two ticks.
    pub fetched_at: i64,
    pub path: Option<MetricsPath>,
}

/// One backend or compute node as `/backends` or `/compute_nodes` lists it,
/// and its own `/metrics` when it is alive and answered.
pub struct NodeReading {
    /// The node as the node table shows it; `info.name` (BackendId or
    /// ComputeNodeId, else host:port) is the key of its CPU jiffies.
    pub info: NodeInfo,
    /// Host and HTTP port of the node itself, for its `/metrics`.
    pub addr: Option<(String, u16)>,
    pub mem_limit_bytes: Option<u64>,
    /// `None` on shared-data, where nothing on the node's disk is the data.
    pub total_bytes: Option<u64>,
    pub avail_bytes: Option<u64>,
    pub metrics: Option<Metrics>,
    pub path: Option<MetricsPath>,
}

/// Everything one collection read; `problems` lists what failed without
/// failing the whole collection (it makes the row "partial").
pub struct ClusterReading {
    pub frontends: Vec<FeReading>,
    /// `None` when neither `/backends` nor `/compute_nodes` answered.
    pub nodes: Option<Vec<NodeReading>>,
    pub shared_data: bool,
    pub runtime: Option<RuntimeInfo>,
    /// The leader's `/statistic` (tablets and their health per database).
    pub statistic: Option<Statistic>,
    /// Queries running on every FE, and the longest one's run time (ms);
    /// `None` when no FE said.
    pub running: (Option<i64>, Option<i64>),
    pub problems: Vec<StarRocksError>,
    /// How the nodes' metrics were read (the collector adds which registered
    /// address answered).
    pub reach: Reach,
}

impl ClusterReading {
    /// FE and BE/CN rows for the overview's node tables: at most `max` of
    /// each, and how many were listed when that was more.
    pub fn node_lists(&self, max: usize) -> Nodes {
        let backends = self.nodes.as_deref().unwrap_or_default();
        let listed = NodeCount {
            frontends: self.frontends.len(),
            backends: backends.len(),
        };
        Nodes {
            collected_at: None,
            frontends: self
                .frontends
                .iter()
                .take(max)
                .map(|f| f.info.clone())
                .collect(),
            backends: backends.iter().take(max).map(|n| n.info.clone()).collect(),
            listed: (listed.frontends > max || listed.backends > max).then_some(listed),
        }
    }
}

impl NodeReading {
    fn from_backend(b: Backend) -> Self {
        Self {
            info: backend_info(&b),
            addr: b.ip.zip(b.http_port),
            mem_limit_bytes: b.mem_limit_bytes,
            total_bytes: b.total_bytes.filter(|t| *t > 0),
            avail_bytes: b.avail_bytes,
            metrics: None,
            path: None,
        }
    }

    fn from_compute_node(c: ComputeNode) -> Self {
        Self {
            info: compute_node_info(&c),
            addr: c.ip.zip(c.http_port),
            mem_limit_bytes: c.mem_limit_bytes,
            // Compute nodes keep data in object storage: no disk capacity is reported.
            total_bytes: None,
            avail_bytes: None,
            metrics: None,
            path: None,
        }
    }
}

fn node_key(id: Option<i64>, ip: Option<&str>, port: Option<u16>) -> String {
    match id {
        Some(id) => id.to_string(),
        None => format!("{}:{}", ip.unwrap_or("?"), port.unwrap_or(0)),
    }
}

fn frontend_name(f: &Frontend, i: usize) -> String {
    f.name
        .clone()
        .or_else(|| {
            f.ip.as_ref()
                .map(|ip| format!("{ip}:{}", f.http_port.unwrap_or(0)))
        })
        .unwrap_or_else(|| format!("fe{i}"))
}

fn is_leader(f: &Frontend) -> bool {
    f.is_master == Some(true)
        || f.role
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("LEADER") || r.eq_ignore_ascii_case("MASTER"))
}

/// What a metrics fetch is for, so its answer lands in the right place.
#[derive(Clone, Copy)]
pub(crate) enum Target {
    Fe(usize),
    Node(usize),
}

/// How much of a cluster one collection reads.
#[derive(Clone, Copy, Debug)]
pub struct Fanout {
    /// Nodes (FEs, and BEs or CNs, each) whose metrics are read per tick: a
    /// cluster listing 10,000 nodes gets the first ones read, not 10,000 requests.
    pub max_nodes: usize,
    /// Metrics requests to one cluster's nodes at the same time.
    pub concurrency: usize,
}

impl Default for Fanout {
    fn default() -> Self {
        Self {
            max_nodes: 500,
            concurrency: 16,
        }
    }
}

/// Where a cluster's answers come from this tick: the FE that answered, and a
/// MySQL client on it for the `information_schema` metrics tables, used only
/// when some node cannot be read directly.
pub struct Sources<'a> {
    pub client: &'a FeClient,
    /// The registered address that answered, with the login.
    pub at: &'a Endpoint,
    pub sql_timeouts: SqlTimeouts,
}

impl Sources<'_> {
    /// A MySQL client on the address that answered; it connects on first use.
    pub fn sql_client(&self) -> SqlClient {
        let at = self.at;
        SqlClient::new(
            &at.host,
            at.query_port,
            &at.username,
            &at.password,
            self.sql_timeouts,
        )
    }
}

/// Reads one cluster whose FE list `frontends` already came back from
/// `sources.client`. Node metrics come directly from each node when its
/// listed address answers, else over MySQL, else (an FE) through the
/// registered address when the answer can be told to be that FE's.
pub async fn read_cluster(
    sources: &Sources<'_>,
    frontends: Vec<Frontend>,
    fanout: Fanout,
    memory: &mut ReachMemory,
) -> ClusterReading {
    let client = sources.client;
    let (backends, runtime, statistic, running) = tokio::join!(
        client.backends(),
        client.runtime_info(),
        client.statistic_from_leader(),
        starrocks::running::read(client, &frontends, starrocks::running::Prefer::Global)
    );
    let mut problems = Vec::new();
    let runtime = runtime.map_err(|e| problems.push(e)).ok();
    let statistic = statistic.map_err(|e| problems.push(e)).ok();
    let (nodes, shared_data) = node_list(client, backends, &mut problems).await;
    let mut reading = ClusterReading {
        frontends: frontends
            .iter()
            .enumerate()
            .map(|(i, f)| FeReading {
                info: fe_info(f, i),
                leader: is_leader(f),
                addr: f.ip.clone().zip(f.http_port),
                metrics: None,
                fetched_at: 0,
                path: None,
            })
            .collect(),
        nodes,
        shared_data,
        runtime,
        statistic,
        running: starrocks::running::summary(&running),
        problems,
        reach: Reach::default(),
    };
    let now = now_ms();
    let (direct_errors, skipped) = read_directly(client, &mut reading, fanout, memory, now).await;
    read_the_rest(sources, &mut reading, fanout).await;
    account(&mut reading, fanout, direct_errors, skipped);
    reading
}

/// The backends, or on shared-data the compute nodes.
async fn node_list(
    client: &FeClient,
    backends: Result<Vec<Backend>, StarRocksError>,
    problems: &mut Vec<StarRocksError>,
) -> (Option<Vec<NodeReading>>, bool) {
    match backends {
        Ok(b) if !b.is_empty() => (
            Some(b.into_iter().map(NodeReading::from_backend).collect()),
            false,
        ),
        // A shared-data cluster lists its nodes as compute nodes, with /backends empty.
        Ok(_) => match client.compute_nodes().await {
            Ok(c) => {
                let shared = !c.is_empty();
                (
                    Some(c.into_iter().map(NodeReading::from_compute_node).collect()),
                    shared,
                )
            }
            Err(e) => {
                problems.push(e);
                (Some(Vec::new()), false)
            }
        },
        Err(e) => {
            problems.push(e);
            (None, false)
        }
    }
}

/// Each alive node's own `/metrics` at its listed address, at most
/// `fanout.concurrency` at once; addresses that could not be reached lately
/// are not asked. Answers the errors, by target, for nodes not read, and
/// whether any node was not asked for that reason.
async fn read_directly(
    client: &FeClient,
    r: &mut ClusterReading,
    fanout: Fanout,
    memory: &mut ReachMemory,
    now: i64,
) -> (Vec<(Target, StarRocksError)>, bool) {
    let mut fetches = JoinSet::new();
    let permits = Arc::new(Semaphore::new(fanout.concurrency.max(1)));
    let mut asked: Vec<(Target, String, String, u16)> = Vec::new();
    for (i, f) in r.frontends.iter().enumerate().take(fanout.max_nodes) {
        if let (true, Some((ip, port))) = (f.info.alive, f.addr.clone()) {
            asked.push((Target::Fe(i), f.info.name.clone(), ip, port));
        }
    }
    for (i, n) in r.nodes.iter().flatten().enumerate().take(fanout.max_nodes) {
        if let (true, Some((ip, port))) = (n.info.alive, n.addr.clone()) {
            asked.push((Target::Node(i), n.info.name.clone(), ip, port));
        }
    }
    let mut skipped = false;
    for (target, key, ip, port) in asked {
        if memory.skip_direct(&key, now) {
            skipped = true;
            continue;
        }
        let (c, permits) = (client.clone(), permits.clone());
        fetches.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let got = c.node_metrics(&ip, port).await;
            (target, key, got, now_ms())
        });
    }
    let mut errors = Vec::new();
    while let Some(joined) = fetches.join_next().await {
        // A panicking fetch is a bug, not a StarRocks answer: count it as missing.
        let Ok((target, key, got, at)) = joined else {
            continue;
        };
        memory.direct_result(&key, got.as_ref().err(), at);
        match got {
            Ok(m) => r.put(target, m, at, MetricsPath::Direct),
            Err(e) => errors.push((target, e)),
        }
    }
    (errors, skipped)
}

impl ClusterReading {
    /// A reading of these FEs alone, for tests.
    #[cfg(test)]
    pub(crate) fn of_frontends(frontends: Vec<FeReading>) -> Self {
        Self {
            frontends,
            nodes: None,
            shared_data: false,
            runtime: None,
            statistic: None,
            running: (None, None),
            problems: Vec::new(),
            reach: Reach::default(),
        }
    }

    pub(crate) fn put(&mut self, target: Target, metrics: Metrics, at: i64, path: MetricsPath) {
        match target {
            Target::Fe(i) => {
                if let Some(f) = self.frontends.get_mut(i) {
                    f.metrics = Some(metrics);
                    f.fetched_at = at;
                    f.path = Some(path);
                }
            }
            Target::Node(i) => {
                if let Some(n) = self.nodes.as_mut().and_then(|n| n.get_mut(i)) {
                    n.metrics = Some(metrics);
                    n.path = Some(path);
                }
            }
        }
    }

    /// The key a metrics table gives a node under: the FE's name, the
    /// backend's id.
    pub(crate) fn key(&self, target: Target) -> Option<&str> {
        match target {
            Target::Fe(i) => self.frontends.get(i).map(|f| f.info.name.as_str()),
            Target::Node(i) => (self.nodes.as_ref()?.get(i)).map(|n| n.info.name.as_str()),
        }
    }

    /// Alive nodes within the fan-out whose metrics are still missing.
    pub(crate) fn missing(&self, fanout: Fanout) -> (Vec<usize>, Vec<usize>) {
        let fes = (self.frontends.iter().enumerate().take(fanout.max_nodes))
            .filter(|(_, f)| f.info.alive && f.metrics.is_none())
            .map(|(i, _)| i)
            .collect();
        let nodes = (self
            .nodes
            .iter()
            .flatten()
            .enumerate()
            .take(fanout.max_nodes))
        .filter(|(_, n)| n.info.alive && n.metrics.is_none())
        .map(|(i, _)| i)
        .collect();
        (fes, nodes)
    }
}
