//! Demo mode: the built-in simulator serves three StarRocks clusters on loopback
//! and they are registered like any other, so a newcomer sees a working console
//! on the first run.

use crate::config::Config;
use anyhow::Context;
use model::{Cluster, ClusterDraft};
use registry::clusters::ClusterService;
use registry::AppError;
use sim::{ClusterSpec, Fault, PortPlan, Simulator};

/// Marks the clusters demo mode registered, so `--demo-if-empty` can tell them apart.
pub const DEMO_TAG: &str = "demo";
/// Fixed ports keep the registrations valid across restarts; taken ports fall back to free ones.
const DEMO_PORTS: PortPlan = PortPlan::From {
    http: 18030,
    mysql: 19030,
};

/// `--demo`, or `--demo-if-empty` with no cluster registered but demo ones.
pub async fn wanted(config: &Config, clusters: &ClusterService) -> Result<bool, AppError> {
    if config.demo {
        return Ok(true);
    }
    if !config.demo_if_empty {
        return Ok(false);
    }
    let registered = clusters.list().await?;
    Ok(registered.iter().all(is_demo))
}

fn specs() -> anyhow::Result<Vec<ClusterSpec>> {
    let mut healthy = ClusterSpec::profile("3.3-shared-nothing", 7)
        .context("missing simulator profile 3.3-shared-nothing")?;
    healthy.name = "demo-healthy".into();
    let mut shared = ClusterSpec::profile("3.3-shared-data", 11)
        .context("missing simulator profile 3.3-shared-data")?;
    shared.name = "demo-shared-data".into();
    let mut k8s =
        ClusterSpec::profile("3.3-k8s", 13).context("missing simulator profile 3.3-k8s")?;
    k8s.name = "demo-kubernetes".into();
    Ok(vec![healthy, shared, k8s])
}

/// Starts the simulator and registers (or re-points) the demo clusters.
pub async fn start(clusters: &ClusterService) -> anyhow::Result<Simulator> {
    let sim = match Simulator::start(specs()?, DEMO_PORTS).await {
        Ok(sim) => sim,
        Err(e) => {
            tracing::warn!(error = %e, "demo ports are taken; using free ones");
            Simulator::start(specs()?, PortPlan::Ephemeral)
                .await
                .context("cannot start the demo simulator")?
        }
    };
    if let Some(shared) = sim.clusters().get(1) {
        // The second demo cluster shows what a failing node looks like.
        shared.faults.set(Fault::BeDead(0));
    }
    let registered = clusters
        .list()
        .await
        .context("cannot list the registered clusters")?;
    for (i, c) in sim.clusters().iter().enumerate() {
        let draft = ClusterDraft {
            name: c.name.clone(),
            fe_host: c.http_addr.ip().to_string(),
            http_port: c.http_addr.port().to_string(),
            query_port: c.mysql_addr.port().to_string(),
            username: "root".into(),
            password: Some(String::new()),
            use_https: false,
            extra_fes: String::new(),
            description: match i {
                0 => "Simulated shared-nothing StarRocks 3.3 cluster (demo mode)".into(),
                1 => "Simulated shared-data StarRocks 3.3 cluster with one node down (demo mode)"
                    .into(),
                _ => "Simulated StarRocks 3.3 on Kubernetes, seen from outside: the pods' names \
                      do not resolve and the FE Service answers from each FE in turn (demo mode)"
                    .into(),
            },
            tags: DEMO_TAG.into(),
        };
        let Some(slot) = demo_slot(&registered, &c.name) else {
            tracing::warn!(cluster = %c.name, "a real cluster has this name and so has its -sim twin: the demo cluster is not registered");
            continue;
        };
        let draft = ClusterDraft {
            name: slot.name().to_string(),
            ..draft
        };
        let saved = match slot {
            Slot::Update(existing) => clusters.update(existing.id, &draft).await,
            Slot::Create(_) => clusters.create(&draft).await,
        };
        saved.with_context(|| format!("cannot register the demo cluster {}", draft.name))?;
        tracing::info!(cluster = %c.name, fe = %c.http_addr, mysql = %c.mysql_addr, "demo cluster ready");
    }
    Ok(sim)
}

/// Where a demo cluster goes in the registry.
enum Slot<'a> {
    /// Re-point the demo cluster registered by an earlier start.
    Update(&'a Cluster),
    /// Register it under this name.
    Create(String),
}

impl Slot<'_> {
    fn name(&self) -> &str {
        match self {
            Slot::Update(c) => &c.name,
            Slot::Create(name) => name,
        }
    }
}

fn is_demo(c: &Cluster) -> bool {
    c.tags.iter().any(|t| t == DEMO_TAG)
}

/// A demo cluster replaces only its own earlier registration (tagged `demo`).
/// A real cluster that happens to carry its name is never overwritten: the
/// demo one takes the name `<name>-sim` instead, or is left out when that is
/// taken by a real cluster too.
fn demo_slot<'a>(registered: &'a [Cluster], name: &str) -> Option<Slot<'a>> {
    let named = |n: &str| registered.iter().find(|r| r.name.eq_ignore_ascii_case(n));
    for candidate in [name.to_string(), format!("{name}-sim")] {
        match named(&candidate) {
            None => return Some(Slot::Create(candidate)),
            Some(c) if is_demo(c) => return Some(Slot::Update(c)),
            Some(_) => continue,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cluster(id: i64, name: &str, tags: &[&str]) -> Cluster {
        Cluster {
            id,
            name: name.into(),
            fe_host: "10.0.0.1".into(),
            http_port: 8030,
            query_port: 9030,
            username: "root".into(),
            has_password: true,
            use_https: false,
            extra_fes: Vec::new(),
            description: String::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn the_demo_never_overwrites_a_real_cluster_of_the_same_name() {
        let real = [cluster(1, "demo-healthy", &["prod"])];
        assert!(
            matches!(demo_slot(&real, "demo-healthy"), Some(Slot::Create(n)) if n == "demo-healthy-sim")
        );
        let earlier = [
            cluster(1, "demo-healthy", &["prod"]),
            cluster(2, "demo-healthy-sim", &["demo"]),
        ];
        assert!(matches!(demo_slot(&earlier, "demo-healthy"), Some(Slot::Update(c)) if c.id == 2));
        let own = [cluster(3, "Demo-Healthy", &["demo"])];
        assert!(matches!(demo_slot(&own, "demo-healthy"), Some(Slot::Update(c)) if c.id == 3));
        let both = [
            cluster(1, "demo-healthy", &[]),
            cluster(2, "demo-healthy-sim", &[]),
        ];
        assert!(demo_slot(&both, "demo-healthy").is_none());
        assert!(
            matches!(demo_slot(&[], "demo-healthy"), Some(Slot::Create(n)) if n == "demo-healthy")
        );
    }
}
