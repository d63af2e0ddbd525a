//! One collection's worth of raw readings from a cluster, fetched concurrently.
//! Nothing here computes rates; `derive` turns readings into a snapshot.

use chrono::NaiveDateTime;
use model::overview::{NodeCount, NodeInfo, Nodes};
use model::reach::{MetricsPath, Reach, ReachWhy};
use model::starrocks::ErrorKind;
use model::text::clip_error;
use starrocks::error::StarRocksError;
use starrocks::http::FeClient;
use starrocks::sql::SqlClient;
use starrocks::wire::proc::{Backend, ComputeNode, Frontend, RuntimeInfo};
use starrocks::wire::prometheus::Metrics;
use std::collections::HashMap;
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
        last_heartbeat: time_text(f.last_heartbeat),
        error: f.err_msg.clone().filter(|e| !e.is_empty()),
    }
}

fn backend_info(b: &Backend) -> NodeInfo {
    NodeInfo {
        kind: "be".into(),
        name: node_key(b.id, b.ip.as_deref(), b.http_port),
        host: b.ip.clone(),
        role: None,
        alive: b.alive.unwrap_or(false),
        version: b.version.clone(),
        disk_used_pct: b.max_disk_used_pct.or(b.used_pct),
        tablets: b.tablet_num,
        cpu_pct: b.cpu_used_pct,
        mem_pct: b.mem_used_pct,
        last_heartbeat: time_text(b.last_heartbeat),
        error: b.err_msg.clone().filter(|e| !e.is_empty()),
    }
}

fn compute_node_info(c: &ComputeNode) -> NodeInfo {
    NodeInfo {
        kind: "cn".into(),
        name: node_key(c.id, c.ip.as_deref(), c.http_port),
        host: c.ip.clone(),
        role: c.warehouse_name.clone(),
        alive: c.alive.unwrap_or(false),
        version: c.version.clone(),
        disk_used_pct: None,
        tablets: c.tablet_num,
        cpu_pct: c.cpu_used_pct,
        mem_pct: c.mem_used_pct,
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
enum Target {
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

/// An address that could not be reached is tried again after this long
/// (5 min), not on every tick: meanwhile its node is read another way.
pub const REPROBE_MS: i64 = 5 * 60_000;

/// What the collector remembers of how to reach one cluster between ticks.
#[derive(Clone, Debug, Default)]
pub struct ReachMemory {
    /// Registered FE address (index) → when it last did not answer.
    pub addresses_down: HashMap<usize, i64>,
    /// Node (FE name, BE id) → when its listed address last could not be reached.
    pub direct_down: HashMap<String, i64>,
}

impl ReachMemory {
    /// The registered addresses to try, in order: those that did not fail
    /// within [`REPROBE_MS`]; all of them when every one did.
    pub fn address_order(&self, count: usize, now: i64) -> Vec<usize> {
        let up: Vec<usize> = (0..count)
            .filter(|i| !self.recently(self.addresses_down.get(i), now))
            .collect();
        if up.is_empty() {
            (0..count).collect()
        } else {
            up
        }
    }

    fn recently(&self, since: Option<&i64>, now: i64) -> bool {
        since.is_some_and(|t| now - t < REPROBE_MS)
    }

    fn skip_direct(&self, key: &str, now: i64) -> bool {
        self.recently(self.direct_down.get(key), now)
    }

    /// Only an address that cannot be reached is remembered as such; an
    /// answer that was wrong is asked again next time.
    fn direct_result(&mut self, key: &str, error: Option<&StarRocksError>, now: i64) {
        match error.map(StarRocksError::kind) {
            Some(ErrorKind::Unreachable | ErrorKind::Timeout) => {
                self.direct_down.insert(key.to_string(), now);
            }
            _ => {
                self.direct_down.remove(key);
            }
        }
    }
}

/// Where a cluster's answers come from this tick: the FE that answered, and a
/// MySQL client on it for the `information_schema` metrics tables, used only
/// when some node cannot be read directly.
pub struct Sources<'a> {
    pub client: &'a FeClient,
    pub sql: &'a SqlClient,
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
    let (backends, runtime) = tokio::join!(client.backends(), client.runtime_info());
    let mut problems = Vec::new();
    let runtime = runtime.map_err(|e| problems.push(e)).ok();
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
    fn put(&mut self, target: Target, metrics: Metrics, at: i64, path: MetricsPath) {
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

    /// Alive nodes within the fan-out whose metrics are still missing.
    fn missing(&self, fanout: Fanout) -> (Vec<usize>, Vec<usize>) {
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

/// The nodes the direct reads missed: the only FE through the registered
/// address; then every node over MySQL; then, for FEs, the registered
/// address once more when its answer names the FE (the leader says so).
async fn read_the_rest(sources: &Sources<'_>, r: &mut ClusterReading, fanout: Fanout) {
    let (fes, nodes) = r.missing(fanout);
    let alive_fes = r.frontends.iter().filter(|f| f.info.alive).count();
    if fes.len() == 1 && alive_fes == 1 {
        // One FE: whatever answers at the registered address is that FE.
        if let Ok(m) = sources.client.metrics().await {
            r.put(Target::Fe(fes[0]), m, now_ms(), MetricsPath::Registered);
        }
    }
    let (fes, nodes) = (
        fes.into_iter()
            .filter(|i| r.frontends[*i].metrics.is_none())
            .collect::<Vec<_>>(),
        nodes,
    );
    let mut mysql_error = None;
    if !fes.is_empty() {
        match sources.sql.fe_metrics().await {
            Ok(mut by_name) => {
                let at = now_ms();
                for i in &fes {
                    if let Some(m) = by_name.remove(&r.frontends[*i].info.name) {
                        r.put(Target::Fe(*i), m, at, MetricsPath::Mysql);
                    }
                }
            }
            Err(e) => mysql_error = Some(e),
        }
    }
    if !nodes.is_empty() {
        match sources.sql.be_metrics().await {
            Ok(mut by_id) => {
                for i in &nodes {
                    let key = r
                        .nodes
                        .as_ref()
                        .and_then(|n| n.get(*i))
                        .map(|n| n.info.name.clone());
                    if let Some(m) = key.and_then(|k| by_id.remove(&k)) {
                        r.put(Target::Node(*i), m, now_ms(), MetricsPath::Mysql);
                    }
                }
            }
            Err(e) => mysql_error = mysql_error.or(Some(e)),
        }
    }
    let (fes, _) = r.missing(fanout);
    if !fes.is_empty() {
        if let Ok(m) = sources.client.metrics().await {
            if let Some(i) = identify(r, &m).filter(|i| fes.contains(i)) {
                r.put(Target::Fe(i), m, now_ms(), MetricsPath::Registered);
            }
        }
    }
    r.reach.mysql_error = mysql_error.map(|e| clip_error(&e.to_string()));
}

/// Which FE an answer of the registered address came from, when that can be
/// told: only the leader writes `node_info{type="is_master"} 1`, and with a
/// single other FE alive, an answer without it is that one's. Otherwise it
/// could be any FE, and counters of two FEs must never make one rate.
fn identify(r: &ClusterReading, m: &Metrics) -> Option<usize> {
    // Written without the `starrocks_fe_` prefix, like the JVM lines.
    let master = m
        .value("node_info", &[("type", "is_master")])
        .is_some_and(|v| v >= 1.0);
    let alive = |f: &&FeReading| f.info.alive;
    if master {
        return r.frontends.iter().position(|f| f.leader && f.info.alive);
    }
    let others: Vec<usize> = (r.frontends.iter().enumerate())
        .filter(|(_, f)| alive(f) && !f.leader)
        .map(|(i, _)| i)
        .collect();
    match others.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// Counts the paths, and keeps as problems the direct errors of nodes no
/// path could read, and every wrong answer (a node that cannot be reached
/// but was read another way is not a problem: the reach says it; a node that
/// answers its own port wrongly is one, even when MySQL filled its figures).
fn account(
    r: &mut ClusterReading,
    fanout: Fanout,
    direct_errors: Vec<(Target, StarRocksError)>,
    skipped_unreachable: bool,
) {
    let (fes, nodes) = r.missing(fanout);
    let mut unreachable = skipped_unreachable;
    for (target, e) in direct_errors {
        let cannot_reach = matches!(e.kind(), ErrorKind::Unreachable | ErrorKind::Timeout);
        unreachable |= cannot_reach;
        let still_missing = match target {
            Target::Fe(i) => fes.contains(&i),
            Target::Node(i) => nodes.contains(&i),
        };
        if still_missing || !cannot_reach {
            r.problems.push(e);
        }
    }
    for f in r
        .frontends
        .iter()
        .take(fanout.max_nodes)
        .filter(|f| f.info.alive)
    {
        r.reach.fe.alive += 1;
        if let Some(p) = f.path {
            r.reach.fe.add(p);
        }
    }
    for n in (r.nodes.iter().flatten().take(fanout.max_nodes)).filter(|n| n.info.alive) {
        r.reach.be.alive += 1;
        if let Some(p) = n.path {
            r.reach.be.add(p);
        }
    }
    let all_direct = r.reach.fe.direct == r.reach.fe.alive && r.reach.be.direct == r.reach.be.alive;
    if all_direct {
        return;
    }
    let missing = !fes.is_empty() || !nodes.is_empty();
    r.reach.why = Some(match (unreachable, missing) {
        (true, false) => ReachWhy::Unreachable,
        (true, true) => ReachWhy::UnreachableMissing,
        (false, _) => ReachWhy::BadAnswers,
    });
}
