//! The simulator process: healthy clusters, and with `--hostile` one more
//! cluster per hostile fault. Prints `name http_port mysql_port` per cluster,
//! then `ready`, and serves until its standard input closes.

use sim::{ClusterSpec, Fault, PortPlan, Simulator};
use std::io::{Read, Write};
use std::time::Duration;

/// The hostile clusters, by name, and what each one does.
pub fn hostile_faults() -> Vec<(&'static str, Fault)> {
    vec![
        ("hostile-metrics-bomb", Fault::MetricsBomb(32 * 1024 * 1024)),
        ("hostile-huge-error", Fault::HugeError(30 * 1024 * 1024)),
        ("hostile-node-injection", Fault::NodeInjection),
        (
            "hostile-redirect",
            Fault::Redirect("http://127.0.0.1:9/elsewhere".into()),
        ),
        ("hostile-many-nodes", Fault::ManyNodes(10_000)),
        ("hostile-drip", Fault::Drip(Duration::from_millis(100))),
    ]
}

pub fn serve(healthy: usize, hostile: bool) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let mut specs: Vec<ClusterSpec> = (0..healthy)
            .map(|i| {
                let mut s = ClusterSpec::profile("3.3-shared-nothing", i as u64).expect("profile");
                s.name = format!("healthy-{i:03}");
                s
            })
            .collect();
        let faults = if hostile {
            hostile_faults()
        } else {
            Vec::new()
        };
        for (i, (name, _)) in faults.iter().enumerate() {
            let mut s =
                ClusterSpec::profile("3.3-shared-nothing", 1000 + i as u64).expect("profile");
            s.name = name.to_string();
            specs.push(s);
        }
        let sim = Simulator::start(specs, PortPlan::Ephemeral)
            .await
            .expect("simulator");
        for (c, (_, fault)) in sim.clusters()[healthy..].iter().zip(faults) {
            c.faults.set(fault);
        }
        let mut out = std::io::stdout().lock();
        for c in sim.clusters() {
            let _ = writeln!(
                out,
                "{} {} {}",
                c.name,
                c.http_addr.port(),
                c.mysql_addr.port()
            );
        }
        let _ = writeln!(out, "ready");
        let _ = out.flush();
        drop(out);
        let _ = tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await;
        sim.shutdown().await;
    });
}
