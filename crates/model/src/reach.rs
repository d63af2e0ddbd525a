//! How one collection reached a cluster: which registered FE address
//! answered, which did not, and by which path each node's metrics came. On
//! Kubernetes, behind NAT or in containers the addresses StarRocks lists for
//! its nodes are often not reachable from the console; the collector then
//! reads their metrics another way, and the overview says so.

use i18n::{Msg, MsgKey as K};
use serde::{Deserialize, Serialize};

/// Where a node's metrics were read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MetricsPath {
    /// The node's own HTTP port, at the address StarRocks lists.
    Direct,
    /// A registered FE address (the only FE, or a load balancer whose answer
    /// could be told to come from this FE).
    Registered,
    /// `information_schema.fe_metrics` / `be_metrics` over MySQL.
    Mysql,
}

/// How many nodes of one kind were alive, and whose metrics came by each path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PathCounts {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub alive: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub direct: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub registered: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mysql: u32,
}

/// Zeros are left out of the stored JSON: it is on every snapshot row.
fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl PathCounts {
    pub fn read(&self) -> u32 {
        self.direct + self.registered + self.mysql
    }

    pub fn add(&mut self, path: MetricsPath) {
        match path {
            MetricsPath::Direct => self.direct += 1,
            MetricsPath::Registered => self.registered += 1,
            MetricsPath::Mysql => self.mysql += 1,
        }
    }

    /// "3 directly, 2 over MySQL": the paths that were used.
    pub fn describe(&self) -> Msg {
        let parts: Vec<Msg> = [
            (self.direct, K::PathDirect),
            (self.registered, K::PathRegistered),
            (self.mysql, K::PathMysql),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, how)| Msg::new(how).arg("n", n))
        .collect();
        if parts.is_empty() {
            K::PathNone.into()
        } else {
            Msg::new(K::Quoted).list("text", parts, K::SepComma)
        }
    }
}

/// Why some node metrics did not come directly. Stored as a word, not as
/// the sentence: the reach is on every snapshot row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReachWhy {
    /// The listed addresses cannot be reached; every node was read another way.
    Unreachable,
    /// The listed addresses cannot be reached, and some nodes not at all.
    UnreachableMissing,
    /// Nodes answered their own `/metrics` wrongly; read another way where possible.
    BadAnswers,
}

impl ReachWhy {
    pub fn sentence(self) -> Msg {
        match self {
            Self::Unreachable => K::WhyUnreachable,
            Self::UnreachableMissing => K::WhyUnreachableMissing,
            Self::BadAnswers => K::WhyBadAnswers,
        }
        .into()
    }
}

/// A registered FE address that did not answer, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AddressProblem {
    /// `host:http_port`.
    pub address: String,
    pub error: String,
}

/// The reach of one collection, stored with its snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Reach {
    /// The registered FE address that answered (`host:http_port`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
    /// Registered addresses tried before it that did not answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<AddressProblem>,
    /// FEs: alive, and whose metrics were read by which path.
    #[serde(default)]
    pub fe: PathCounts,
    /// Backends (compute nodes on shared-data) likewise.
    #[serde(default)]
    pub be: PathCounts,
    /// Why node metrics were not read directly, when they were not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<ReachWhy>,
    /// Why `information_schema.fe_metrics`/`be_metrics` could not be read,
    /// when they were needed and failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mysql_error: Option<String>,
}

impl Reach {
    /// What an operator should know, in words, when figures are missing or
    /// came another way than directly; `None` when every alive node was read
    /// directly through the first address. In the language being served.
    pub fn summary(&self) -> Option<String> {
        self.summary_msg().map(|m| m.text())
    }

    /// The same as a message, for what is stored (an alert's reason).
    pub fn summary_msg(&self) -> Option<Msg> {
        let mut parts = Vec::new();
        if let Some(by) = &self.answered_by {
            for f in &self.failed {
                parts.push(
                    Msg::new(K::ReachAddressFailed)
                        .arg("address", &f.address)
                        .arg("error", &f.error)
                        .arg("by", by),
                );
            }
        }
        for (what, c) in [("FE", &self.fe), ("BE", &self.be)] {
            if c.alive == 0 {
                continue;
            }
            let m = if c.read() == 0 {
                Msg::new(K::ReachNoneRead)
            } else if c.read() < c.alive {
                Msg::new(K::ReachSomeRead)
                    .arg("read", c.read())
                    .part("paths", c.describe())
            } else if c.direct < c.alive {
                Msg::new(K::ReachAllOtherWay).part("paths", c.describe())
            } else {
                continue;
            };
            parts.push(m.arg("what", what).arg("alive", c.alive));
        }
        if parts.is_empty() {
            return None;
        }
        if let Some(why) = self.why {
            parts.push(why.sentence());
        }
        if let Some(e) = &self.mysql_error {
            parts.push(Msg::new(K::MysqlMetricsFailed).arg("error", e));
        }
        Some(Msg::new(K::Quoted).list("text", parts, K::SepSentence))
    }

    /// Query figures (QPS, latency, errors, connections, heap) came from no
    /// FE although some are alive.
    pub fn no_fe_metrics(&self) -> bool {
        self.fe.alive > 0 && self.fe.read() == 0
    }

    pub fn no_be_metrics(&self) -> bool {
        self.be.alive > 0 && self.be.read() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fully_direct_collection_needs_no_words() {
        let r = Reach {
            answered_by: Some("fe1:8030".into()),
            fe: PathCounts {
                alive: 3,
                direct: 3,
                ..PathCounts::default()
            },
            be: PathCounts {
                alive: 3,
                direct: 3,
                ..PathCounts::default()
            },
            ..Reach::default()
        };
        assert_eq!(r.summary(), None);
        assert!(!r.no_fe_metrics());
    }

    #[test]
    fn partial_and_missing_metrics_are_said_with_their_path() {
        let r = Reach {
            answered_by: Some("fe2:8030".into()),
            failed: vec![AddressProblem {
                address: "fe1:8030".into(),
                error: "connection refused".into(),
            }],
            fe: PathCounts {
                alive: 5,
                registered: 2,
                ..PathCounts::default()
            },
            be: PathCounts {
                alive: 3,
                ..PathCounts::default()
            },
            why: Some(ReachWhy::UnreachableMissing),
            mysql_error: None,
        };
        let s = r.summary().expect("words");
        assert!(s.contains("FE address fe1:8030 did not answer (connection refused); collected through fe2:8030."), "{s}");
        assert!(
            s.contains("FE metrics from 2 of 5 FEs (2 through the registered address)."),
            "{s}"
        );
        assert!(
            s.contains("No BE metrics could be read from any of 3 alive BEs."),
            "{s}"
        );
        assert!(r.no_be_metrics() && !r.no_fe_metrics());
    }
}
