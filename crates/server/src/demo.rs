//! Demo mode: the built-in simulator serves two StarRocks clusters on loopback
//! and they are registered like any other, so a newcomer sees a working console
//! on the first run.

use crate::config::Config;
use anyhow::Context;
use model::ClusterDraft;
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
    Ok(registered
        .iter()
        .all(|c| c.tags.iter().any(|t| t == DEMO_TAG)))
}

fn specs() -> anyhow::Result<Vec<ClusterSpec>> {
    let mut healthy = ClusterSpec::profile("3.3-shared-nothing", 7)
        .context("missing simulator profile 3.3-shared-nothing")?;
    healthy.name = "demo-healthy".into();
    let mut shared = ClusterSpec::profile("3.3-shared-data", 11)
        .context("missing simulator profile 3.3-shared-data")?;
    shared.name = "demo-shared-data".into();
    Ok(vec![healthy, shared])
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
            description: if i == 0 {
                "Simulated shared-nothing StarRocks 3.3 cluster (demo mode)".into()
            } else {
                "Simulated shared-data StarRocks 3.3 cluster with one node down (demo mode)".into()
            },
            tags: DEMO_TAG.into(),
        };
        let saved = match registered
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(&c.name))
        {
            Some(existing) => clusters.update(existing.id, &draft).await,
            None => clusters.create(&draft).await,
        };
        saved.with_context(|| format!("cannot register the demo cluster {}", c.name))?;
        tracing::info!(cluster = %c.name, fe = %c.http_addr, mysql = %c.mysql_addr, "demo cluster ready");
    }
    Ok(sim)
}
