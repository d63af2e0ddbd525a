//! Cluster profiles: which StarRocks release and layout a simulated cluster imitates.

/// StarRocks release line. It decides the wire shapes (3.0: show_proc arrays of
/// arrays; 3.3: arrays of objects, MemLimit, newer /current_queries columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3_0,
    V3_3,
}

impl Version {
    /// The release number, as in `current_version()`.
    pub fn release(self) -> &'static str {
        match self {
            Version::V3_0 => "3.0.9",
            Version::V3_3 => "3.3.10",
        }
    }

    /// The short commit hash the build carries.
    pub fn hash(self) -> &'static str {
        match self {
            Version::V3_0 => "f2cbbb8",
            Version::V3_3 => "227b0b3",
        }
    }

    /// `3.3.10-227b0b3`: the Version column and `@@version_comment`.
    pub fn full(self) -> String {
        format!("{}-{}", self.release(), self.hash())
    }

    /// `3.3.10 227b0b3`: what `SELECT current_version()` returns.
    pub fn current_version(self) -> String {
        format!("{} {}", self.release(), self.hash())
    }

    /// The release as (major, minor, patch), for the features below.
    fn number(self) -> (u32, u32, u32) {
        match self {
            Version::V3_0 => (3, 0, 9),
            Version::V3_3 => (3, 3, 10),
        }
    }

    /// `information_schema.fe_metrics` and `be_metrics` exist (3.1 on; older
    /// releases answer "Unknown table").
    pub fn has_metrics_tables(self) -> bool {
        self.number() >= (3, 1, 0)
    }

    /// The FE's JSON metrics (what `fe_metrics` reads) include the histograms and
    /// `node_info`: 3.2.14+, 3.3.8+ and 3.4+ (#53735, #54361). Before, its JSON
    /// visitor skipped both.
    pub fn json_has_histograms(self) -> bool {
        let n = self.number();
        n >= (3, 3, 8) || ((3, 2, 14)..(3, 3, 0)).contains(&n)
    }
}

/// How the cluster is deployed, which decides the host names and ports the node
/// lists show. The simulator's listeners are on 127.0.0.1 either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deployment {
    /// Processes on one host: the lists name 127.0.0.1 and the listeners' ports.
    Direct,
    /// Pods of the StarRocks Kubernetes operator seen from outside the cluster:
    /// the lists name pod DNS names (under the `.invalid` TLD, so no lookup
    /// leaves the machine) with the operator's default ports, and one Service
    /// address spreads HTTP requests over the FEs.
    Kubernetes,
}

/// Storage architecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// BEs store the data: /backends lists them, /compute_nodes is empty.
    SharedNothing,
    /// Data in object storage: the nodes are compute nodes (/compute_nodes, with
    /// StarletPort and WorkerId) and /backends is empty.
    SharedData,
}

/// Whether the cluster has the AuditLoader plugin's table
/// (`starrocks_audit_db__.starrocks_audit_tbl__`), and with which columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuditTable {
    /// Every column INTERFACES.md §7 lists: up to `digest`, then
    /// `planCpuCosts`, `planMemCosts`, `pendingTimeMs`, `candidateMVs`,
    /// `hitMvs`, `QueriedRelations` (filled) and `warehouse`.
    Full,
    /// An older plugin's table: `queryId` up to and including `digest`.
    Old,
    /// No plugin installed: the database does not exist.
    #[default]
    None,
}

/// Everything that defines one simulated cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSpec {
    pub name: String,
    pub version: Version,
    pub mode: Mode,
    pub frontends: usize,
    /// BEs, or compute nodes in shared-data.
    pub backends: usize,
    pub deployment: Deployment,
    pub databases: usize,
    pub tables_per_db: usize,
    pub seed: u64,
    pub user: String,
    pub password: String,
    /// The AuditLoader table, if any (see [`AuditTable`]).
    pub audit_table: AuditTable,
}

/// The profile names [`ClusterSpec::profile`] knows, default first.
pub const PROFILES: &[&str] = &[
    "3.3-shared-nothing",
    "3.0-shared-nothing",
    "3.3-shared-data",
    "3.3-k8s",
];

impl ClusterSpec {
    /// A named profile with login root / "" and the given seed; `None` for an unknown name.
    /// The audit table: Full on 3.3-shared-nothing, Old on 3.0-shared-nothing,
    /// none on 3.3-shared-data and 3.3-k8s.
    pub fn profile(name: &str, seed: u64) -> Option<ClusterSpec> {
        use Deployment::{Direct, Kubernetes};
        let (version, mode, backends, deployment, audit_table) = match name {
            "3.3-shared-nothing" => (
                Version::V3_3,
                Mode::SharedNothing,
                3,
                Direct,
                AuditTable::Full,
            ),
            "3.0-shared-nothing" => (
                Version::V3_0,
                Mode::SharedNothing,
                3,
                Direct,
                AuditTable::Old,
            ),
            "3.3-shared-data" => (Version::V3_3, Mode::SharedData, 2, Direct, AuditTable::None),
            "3.3-k8s" => (
                Version::V3_3,
                Mode::SharedNothing,
                3,
                Kubernetes,
                AuditTable::None,
            ),
            _ => return None,
        };
        Some(ClusterSpec {
            name: format!("sim-{name}-{seed}"),
            version,
            mode,
            frontends: 3,
            backends,
            deployment,
            databases: 4,
            tables_per_db: 6,
            seed,
            user: "root".into(),
            password: String::new(),
            audit_table,
        })
    }
}

impl Default for ClusterSpec {
    fn default() -> Self {
        // The first profile always exists; spelled out so no unwrap is needed.
        ClusterSpec {
            name: "sim-3.3-shared-nothing-0".into(),
            version: Version::V3_3,
            mode: Mode::SharedNothing,
            frontends: 3,
            backends: 3,
            deployment: Deployment::Direct,
            databases: 4,
            tables_per_db: 6,
            seed: 0,
            user: "root".into(),
            password: String::new(),
            audit_table: AuditTable::Full,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_exist_and_default_matches_first() {
        for p in PROFILES {
            assert!(ClusterSpec::profile(p, 1).is_some(), "{p}");
        }
        assert!(ClusterSpec::profile("2.5", 1).is_none());
        assert_eq!(
            ClusterSpec::profile(PROFILES[0], 0),
            Some(ClusterSpec::default())
        );
        assert_eq!(Version::V3_3.current_version(), "3.3.10 227b0b3");
        let k8s = ClusterSpec::profile("3.3-k8s", 2).unwrap_or_default();
        assert_eq!(k8s.name, "sim-3.3-k8s-2");
        assert_eq!(
            (k8s.version, k8s.mode, k8s.frontends, k8s.backends),
            (Version::V3_3, Mode::SharedNothing, 3, 3)
        );
        assert_eq!(k8s.deployment, Deployment::Kubernetes);
        let audit = |p: &str| ClusterSpec::profile(p, 1).map(|s| s.audit_table);
        assert_eq!(audit("3.3-shared-nothing"), Some(AuditTable::Full));
        assert_eq!(audit("3.0-shared-nothing"), Some(AuditTable::Old));
        assert_eq!(audit("3.3-shared-data"), Some(AuditTable::None));
        assert_eq!(audit("3.3-k8s"), Some(AuditTable::None));
        assert_eq!(ClusterSpec::default().audit_table, AuditTable::Full);
    }

    #[test]
    fn features_follow_the_release() {
        assert!(!Version::V3_0.has_metrics_tables());
        assert!(Version::V3_3.has_metrics_tables());
        assert!(!Version::V3_0.json_has_histograms());
        assert!(Version::V3_3.json_has_histograms());
    }
}
