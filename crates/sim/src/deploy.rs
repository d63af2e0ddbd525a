//! Where the node lists say each node is: the host names and ports that
//! `/frontends`, `/backends`, `/compute_nodes`, the FE metrics' `backend` labels
//! and `fe_metrics.FE_ID` show, per [`Deployment`].
//!
//! Direct clusters name 127.0.0.1 and the ports the simulator listens on, so a
//! client can follow the lists. Kubernetes clusters name what the StarRocks
//! operator's pods register with (their headless "search" Service's DNS names)
//! and the operator's default ports, exactly what a client outside Kubernetes
//! reads and cannot reach: the names end in `.invalid` (RFC 6761), so following
//! them fails at once, on this machine.

use super::profile::{ClusterSpec, Deployment, Mode};
use super::Shared;

/// Which list a node is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Fe,
    /// A BE, or a compute node in shared-data.
    Be,
}

/// The namespace and cluster name of the operator's default Helm install.
const K8S_CLUSTER: &str = "kube-starrocks";
const K8S_NAMESPACE: &str = "starrocks";

/// The host of node `i` of a list: `kube-starrocks-fe-0.kube-starrocks-fe-search.starrocks.svc.invalid`
/// (`-be-` for BEs, `-cn-` for compute nodes) on Kubernetes, else `127.0.0.1`.
pub(crate) fn host(spec: &ClusterSpec, role: Role, i: usize) -> String {
    match spec.deployment {
        Deployment::Direct => "127.0.0.1".into(),
        Deployment::Kubernetes => {
            let kind = match (role, spec.mode) {
                (Role::Fe, _) => "fe",
                (Role::Be, Mode::SharedNothing) => "be",
                (Role::Be, Mode::SharedData) => "cn",
            };
            format!(
                "{K8S_CLUSTER}-{kind}-{i}.{K8S_CLUSTER}-{kind}-search.{K8S_NAMESPACE}.svc.invalid"
            )
        }
    }
}

/// The ports `/frontends` lists for an FE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FePorts {
    pub edit_log: u16,
    pub http: u16,
    pub query: u16,
    pub rpc: u16,
}

/// FE `j`'s ports: the operator's defaults on Kubernetes (every pod has its own
/// address), else distinct per FE with the listeners' HTTP and MySQL ports.
pub(crate) fn fe_ports(sh: &Shared, j: usize) -> FePorts {
    match sh.model.spec.deployment {
        Deployment::Kubernetes => FePorts {
            edit_log: 9010,
            http: 8030,
            query: 9030,
            rpc: 9020,
        },
        Deployment::Direct => {
            let step = 10 * j as u16;
            FePorts {
                edit_log: 9010 + step,
                http: sh.fe_http.get(j).map_or(0, |a| a.port()),
                query: sh.fe_mysql.get(j).map_or(0, |a| a.port()),
                rpc: 9020 + step,
            }
        }
    }
}

/// The ports `/backends` and `/compute_nodes` list for a backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BePorts {
    pub heartbeat: u16,
    pub be: u16,
    pub http: u16,
    pub brpc: u16,
    pub starlet: u16,
}

/// Backend `k`'s ports, as [`fe_ports`] decides them.
pub(crate) fn be_ports(sh: &Shared, k: usize) -> BePorts {
    match sh.model.spec.deployment {
        Deployment::Kubernetes => BePorts {
            heartbeat: 9050,
            be: 9060,
            http: 8040,
            brpc: 8060,
            starlet: 9070,
        },
        Deployment::Direct => {
            let step = 10 * k as u16;
            BePorts {
                heartbeat: 9050 + step,
                be: 9060 + step,
                http: sh.be_http.get(k).map_or(0, |a| a.port()),
                brpc: 8060 + step,
                starlet: 9070 + step,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_names_are_pod_dns_names_under_invalid() {
        let k8s = ClusterSpec::profile("3.3-k8s", 1).unwrap_or_default();
        assert_eq!(
            host(&k8s, Role::Fe, 2),
            "kube-starrocks-fe-2.kube-starrocks-fe-search.starrocks.svc.invalid"
        );
        assert_eq!(
            host(&k8s, Role::Be, 0),
            "kube-starrocks-be-0.kube-starrocks-be-search.starrocks.svc.invalid"
        );
        let sd = ClusterSpec {
            mode: Mode::SharedData,
            ..k8s
        };
        assert!(host(&sd, Role::Be, 1).starts_with("kube-starrocks-cn-1.kube-starrocks-cn-search."));
        assert_eq!(host(&ClusterSpec::default(), Role::Fe, 2), "127.0.0.1");
    }
}
