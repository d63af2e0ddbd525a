//! How a collection reaches the nodes it could not read directly: what the
//! collector remembers between ticks (addresses that did not answer), the
//! fallbacks (MySQL's `information_schema` metrics tables, the registered
//! address when its answer names the FE), and the count of each node's path
//! that the snapshot keeps.

use super::read::{ClusterReading, Fanout, FeReading, Sources, Target};
use model::reach::{MetricsPath, ReachWhy};
use model::starrocks::ErrorKind;
use model::text::clip_error;
use starrocks::error::StarRocksError;
use starrocks::wire::prometheus::Metrics;
use std::collections::HashMap;
use store::now_ms;

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

fn recently(since: Option<&i64>, now: i64) -> bool {
    since.is_some_and(|t| now - t < REPROBE_MS)
}

impl ReachMemory {
    /// The registered addresses in the order to try them: those that did not
    /// fail within [`REPROBE_MS`] first, then those that did, so an address
    /// that failed lately is asked only when nothing else answered.
    pub fn address_order(&self, count: usize, now: i64) -> Vec<usize> {
        let (up, down): (Vec<usize>, Vec<usize>) =
            (0..count).partition(|i| !recently(self.addresses_down.get(i), now));
        up.into_iter().chain(down).collect()
    }

    pub(crate) fn skip_direct(&self, key: &str, now: i64) -> bool {
        recently(self.direct_down.get(key), now)
    }

    /// Only an address that cannot be reached is remembered as such; an
    /// answer that was wrong is asked again next time.
    pub(crate) fn direct_result(&mut self, key: &str, error: Option<&StarRocksError>, now: i64) {
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

/// The nodes the direct reads missed. The only FE alive is asked at the
/// registered address first (it is that FE); then every missing node over
/// MySQL, on a connection opened only now; then, for FEs still missing, the
/// registered address when its answer names the FE. The registered
/// `/metrics` is fetched once at most.
pub(crate) async fn read_the_rest(sources: &Sources<'_>, r: &mut ClusterReading, fanout: Fanout) {
    let (fes, _) = r.missing(fanout);
    let single_fe = r.frontends.iter().filter(|f| f.info.alive).count() == 1;
    let registered_first = single_fe && !fes.is_empty();
    if registered_first {
        from_registered(sources, r, &fes).await;
    }
    let (fes, nodes) = r.missing(fanout);
    if !fes.is_empty() || !nodes.is_empty() {
        let sql = sources.sql_client();
        let mut error = None;
        if !fes.is_empty() {
            match sql.fe_metrics().await {
                Ok(by_name) => put_found(r, fes.iter().map(|i| Target::Fe(*i)), by_name),
                Err(e) => error = Some(e),
            }
        }
        if !nodes.is_empty() {
            match sql.be_metrics().await {
                Ok(by_id) => put_found(r, nodes.iter().map(|i| Target::Node(*i)), by_id),
                Err(e) => error = error.or(Some(e)),
            }
        }
        sql.disconnect().await;
        r.reach.mysql_error = error.map(|e| clip_error(&e.to_string()));
    }
    let (fes, _) = r.missing(fanout);
    if !registered_first && !fes.is_empty() {
        from_registered(sources, r, &fes).await;
    }
}

/// The metrics of `targets` found (by node key) in what a metrics table gave.
fn put_found(
    r: &mut ClusterReading,
    targets: impl Iterator<Item = Target>,
    mut found: HashMap<String, Metrics>,
) {
    let at = now_ms();
    for target in targets {
        let key = r.key(target).map(str::to_string);
        if let Some(m) = key.and_then(|k| found.remove(&k)) {
            r.put(target, m, at, MetricsPath::Mysql);
        }
    }
}

/// The registered address's `/metrics`, kept for the FE it can be told to
/// come from when that FE is among `missing`.
async fn from_registered(sources: &Sources<'_>, r: &mut ClusterReading, missing: &[usize]) {
    if let Ok(m) = sources.client.metrics().await {
        if let Some(i) = identify(r, &m).filter(|i| missing.contains(i)) {
            r.put(Target::Fe(i), m, now_ms(), MetricsPath::Registered);
        }
    }
}

/// Which FE an answer of the registered address came from, when that can be
/// told: with one FE alive it is that one; only the leader writes
/// `node_info{type="is_master"} 1`; and with a single other FE alive, an
/// answer without it is that one's. Otherwise it could be any FE, and
/// counters of two FEs must never make one rate.
fn identify(r: &ClusterReading, m: &Metrics) -> Option<usize> {
    let alive: Vec<(usize, &FeReading)> = (r.frontends.iter().enumerate())
        .filter(|(_, f)| f.info.alive)
        .collect();
    if let [(only, _)] = alive.as_slice() {
        return Some(*only);
    }
    // Written without the `starrocks_fe_` prefix, like the JVM lines.
    let master = m
        .value("node_info", &[("type", "is_master")])
        .is_some_and(|v| v >= 1.0);
    let mut candidates = alive.iter().filter(|(_, f)| f.leader == master);
    match (candidates.next(), candidates.next()) {
        (Some((i, _)), None) => Some(*i),
        _ => None,
    }
}

/// Counts the paths, and keeps as problems the direct errors of nodes no
/// path could read, and every wrong answer (a node that cannot be reached
/// but was read another way is not a problem: the reach says it; a node that
/// answers its own port wrongly is one, even when MySQL filled its figures).
pub(crate) fn account(
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

#[cfg(test)]
mod tests {
    use super::*;
    use model::overview::NodeInfo;

    fn fe(name: &str, leader: bool, alive: bool) -> FeReading {
        FeReading {
            info: NodeInfo::named("fe", name, alive),
            leader,
            addr: None,
            metrics: None,
            fetched_at: 0,
            path: None,
        }
    }

    #[test]
    fn reaching_real_clusters_a_load_balancer_answer_is_only_used_when_it_names_its_fe() {
        let leader =
            Metrics::parse("node_info{type=\"is_master\"} 1\nstarrocks_fe_query_total 5\n");
        let other = Metrics::parse("starrocks_fe_query_total 7\n");
        let three = ClusterReading::of_frontends(vec![
            fe("a", true, true),
            fe("b", false, true),
            fe("c", false, true),
        ]);
        assert_eq!(identify(&three, &leader), Some(0));
        // Either follower could have answered: never a rate across two FEs.
        assert_eq!(identify(&three, &other), None);
        let two = ClusterReading::of_frontends(vec![
            fe("a", true, true),
            fe("b", false, true),
            fe("c", false, false),
        ]);
        assert_eq!(identify(&two, &other), Some(1), "the only other FE alive");
    }

    #[test]
    fn reaching_real_clusters_unreachable_addresses_wait_before_the_next_try() {
        let mut m = ReachMemory::default();
        let down = StarRocksError::unreachable("fe-0.invalid:8030", "never resolves");
        m.direct_result("fe-0", Some(&down), 1_000);
        assert!(m.skip_direct("fe-0", 1_000 + REPROBE_MS - 1));
        assert!(!m.skip_direct("fe-0", 1_000 + REPROBE_MS));
        // A wrong answer is asked again next time.
        let wrong = StarRocksError::bad_payload("fe-1:8030", "not metrics", b"x");
        m.direct_result("fe-1", Some(&wrong), 1_000);
        assert!(!m.skip_direct("fe-1", 1_001));
        // Registered addresses: the ones that failed lately are asked last.
        m.addresses_down.insert(0, 1_000);
        assert_eq!(m.address_order(3, 2_000), vec![1, 2, 0]);
        m.addresses_down.extend([(1, 1_000), (2, 1_000)]);
        assert_eq!(m.address_order(3, 2_000), vec![0, 1, 2]);
        assert_eq!(m.address_order(3, 1_000 + REPROBE_MS), vec![0, 1, 2]);
    }
}
