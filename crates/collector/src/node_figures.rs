//! Each node's own figures, for its row in the node tables and its history
//! (`node_snapshots`): what StarRocks lists, completed from the node's own
//! metrics the way the cluster's averages are. A dead node has no live
//! figures: StarRocks keeps listing its last CPU as 0 %, which is not a
//! reading.

use super::derive::Memory;
use super::read::{ClusterReading, FeReading, NodeReading};
use model::overview::{NodeInfo, Nodes};
use starrocks::be::{cpu_jiffies, cpu_utilisation};
use starrocks::wire::prometheus::Metrics;

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

/// The node lists of `reading` (at most `max` of each) with every node's
/// figures. Call it before `derive::snapshot`, which moves the CPU counters
/// in `memory` on: a node's CPU from its counters is their delta since then.
pub fn node_lists(reading: &ClusterReading, memory: &Memory, max: usize) -> Nodes {
    let mut nodes = reading.node_lists(max);
    let leader = reading
        .frontends
        .iter()
        .find(|f| f.leader)
        .and_then(|f| f.metrics.as_ref());
    for (info, fe) in nodes.frontends.iter_mut().zip(&reading.frontends) {
        fe_figures(info, fe);
    }
    let listed = reading.nodes.as_deref().unwrap_or_default();
    for (info, node) in nodes.backends.iter_mut().zip(listed) {
        node_figures(info, node, memory, leader);
    }
    nodes
}

fn clear_live(info: &mut NodeInfo) {
    info.cpu_pct = None;
    info.mem_pct = None;
    info.disk_used_pct = None;
    info.compaction_score = None;
}

/// An FE reports no CPU and no disk; its memory is its JVM heap.
fn fe_figures(info: &mut NodeInfo, fe: &FeReading) {
    clear_live(info);
    if !info.alive {
        return;
    }
    info.mem_pct = fe.metrics.as_ref().and_then(|m| {
        let used = finite(m.value("jvm_heap_size_bytes", &[("type", "used")]))?;
        let max = finite(m.value("jvm_heap_size_bytes", &[("type", "max")]))?;
        (max > 0.0).then(|| used * 100.0 / max)
    });
}

fn node_figures(
    info: &mut NodeInfo,
    node: &NodeReading,
    memory: &Memory,
    leader: Option<&Metrics>,
) {
    if !info.alive {
        clear_live(info);
        return;
    }
    let m = node.metrics.as_ref();
    let from_jiffies = || {
        let now = cpu_jiffies(m?)?;
        let then = memory.cpu.get(&node.info.name)?;
        cpu_utilisation(then, &now).map(|u| u * 100.0)
    };
    info.cpu_pct = finite(info.cpu_pct).or_else(from_jiffies);
    let from_process = || {
        let used = finite(m?.value("starrocks_be_process_mem_bytes", &[]))?;
        let limit = node.mem_limit_bytes.filter(|l| *l > 0)? as f64;
        Some(used * 100.0 / limit)
    };
    info.mem_pct = finite(info.mem_pct).or_else(from_process);
    info.disk_used_pct = finite(info.disk_used_pct);
    info.compaction_score = if info.kind == "be" {
        compaction_score(m, leader, info)
    } else {
        None
    };
}

/// The node's own highest score, else what the leader FE keeps for it
/// (`tablet_max_compaction_score{backend="host:heartbeat_port"}`).
fn compaction_score(
    own: Option<&Metrics>,
    leader: Option<&Metrics>,
    info: &NodeInfo,
) -> Option<f64> {
    let own = own.and_then(|m| {
        [
            "starrocks_be_tablet_cumulative_max_compaction_score",
            "starrocks_be_tablet_base_max_compaction_score",
        ]
        .into_iter()
        .filter_map(|name| finite(m.value(name, &[])))
        .reduce(f64::max)
    });
    own.or_else(|| {
        let backend = format!("{}:{}", info.host.as_deref()?, info.port?);
        finite(leader?.value(
            "starrocks_fe_tablet_max_compaction_score",
            &[("backend", &backend)],
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::reach::MetricsPath;
    use starrocks::be::CpuJiffies;

    fn be(name: &str, alive: bool, metrics: Option<&str>) -> NodeReading {
        NodeReading {
            info: NodeInfo {
                host: Some("10.0.0.1".into()),
                port: Some(9050),
                cpu_pct: Some(0.0),
                disk_used_pct: Some(40.0),
                ..NodeInfo::named("be", name, alive)
            },
            addr: None,
            mem_limit_bytes: Some(1000),
            total_bytes: None,
            avail_bytes: None,
            metrics: metrics.map(Metrics::parse),
            path: Some(MetricsPath::Direct),
        }
    }

    fn reading(nodes: Vec<NodeReading>, leader: Option<&str>) -> ClusterReading {
        let fe = FeReading {
            info: NodeInfo::named("fe", "fe1", true),
            leader: true,
            addr: None,
            metrics: leader.map(Metrics::parse),
            fetched_at: 0,
            path: None,
        };
        let mut r = ClusterReading::of_frontends(vec![fe]);
        r.nodes = Some(nodes);
        r
    }

    #[test]
    fn a_dead_node_has_no_live_figures() {
        let r = reading(vec![be("1", false, None)], None);
        let n = &node_lists(&r, &Memory::default(), 10).backends[0];
        assert_eq!((n.cpu_pct, n.mem_pct, n.disk_used_pct), (None, None, None));
        assert_eq!(n.port, Some(9050));
    }

    #[test]
    fn figures_come_from_the_list_then_the_node_then_the_leader() {
        let own = "starrocks_be_process_mem_bytes 250\n\
                   starrocks_be_tablet_cumulative_max_compaction_score 12\n\
                   starrocks_be_tablet_base_max_compaction_score 30\n\
                   starrocks_be_cpu{mode=\"idle\"} 150\nstarrocks_be_cpu{mode=\"user\"} 250\n";
        let leader = "starrocks_fe_tablet_max_compaction_score{backend=\"10.0.0.1:9050\"} 7\n\
                      jvm_heap_size_bytes{type=\"used\"} 30\njvm_heap_size_bytes{type=\"max\"} 120\n";
        let mut a = be("1", true, Some(own));
        a.info.cpu_pct = None;
        let b = be("2", true, None);
        let r = reading(vec![a, b], Some(leader));
        let mut memory = Memory::default();
        memory.cpu.insert(
            "1".into(),
            CpuJiffies {
                idle: 100.0,
                total: 200.0,
            },
        );
        let nodes = node_lists(&r, &memory, 10);
        let (a, b) = (&nodes.backends[0], &nodes.backends[1]);
        // 200 jiffies passed, 50 of them idle.
        assert_eq!(a.cpu_pct, Some(75.0));
        assert_eq!(a.mem_pct, Some(25.0));
        assert_eq!(a.compaction_score, Some(30.0));
        // Listed CPU as StarRocks gives it; the score the leader keeps for it.
        assert_eq!(b.cpu_pct, Some(0.0));
        assert_eq!(b.mem_pct, None);
        assert_eq!(b.compaction_score, Some(7.0));
        assert_eq!(nodes.frontends[0].mem_pct, Some(25.0));
        assert_eq!(nodes.frontends[0].cpu_pct, None);
    }
}
