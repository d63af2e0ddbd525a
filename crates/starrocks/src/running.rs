//! The queries running now on every FE of a cluster (issue 16), for the
//! Queries page and the collector's per-tick count.
//!
//! `/current_queries` lists only the FE asked, so each alive FE is asked at
//! its listed address, at the same time: the list then says exactly which FE
//! holds each query (the one to stop it on). A 3.3+ cluster answers
//! `/global_current_queries` for every FE at once; its rows name their FE only
//! by IP (`feIp`), so it serves where one request is worth more than the
//! attribution (the collector's per-tick count) or where the FEs' own
//! addresses cannot be reached (Kubernetes from outside). When neither
//! answers, the FE behind the registered address is asked alone.

use crate::http::FeClient;
use crate::wire::proc::{CurrentQuery, Frontend};
use model::queries::{FeAnswer, RunningQuery};
use tokio::task::JoinSet;

/// FEs asked for their queries, at most: a list of thousands is not a cluster.
pub const MAX_FES: usize = 64;
/// Queries kept of one FE's answer.
pub const MAX_QUERIES_PER_FE: usize = 5000;

/// The key of an FE: the host and HTTP port its node list gives.
pub fn fe_key(f: &Frontend) -> Option<String> {
    Some(format!("{}:{}", f.ip.as_deref()?, f.http_port?))
}

/// Whether the FEs run 3.3 or later (`3.3.10-227b0b3`, `3.3.10 227b0b3`).
fn at_least_3_3(frontends: &[Frontend]) -> bool {
    frontends.iter().any(|f| {
        let Some(v) = f.version.as_deref() else {
            return false;
        };
        let mut parts = v
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .split(|c: char| !c.is_ascii_digit())
            .map(|p| p.parse::<u32>().unwrap_or(0));
        let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        (major, minor) >= (3, 3)
    })
}

/// One listing row as the console shows it, `fe` the FE that listed it.
pub fn running_query(fe: &str, q: CurrentQuery) -> RunningQuery {
    let ms = |s: Option<f64>| {
        s.filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| (s * 1000.0).round() as i64)
    };
    RunningQuery {
        fe: fe.to_string(),
        fe_ip: q.fe_ip,
        query_id: q.query_id.unwrap_or_default(),
        connection_id: q.connection_id,
        user: q.user,
        database: q.database,
        resource_group: q.resource_group.filter(|g| !g.is_empty()),
        warehouse: q.warehouse.filter(|w| !w.is_empty()),
        start_time: q
            .start_time
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
        run_ms: ms(q.exec_seconds),
        cpu_ms: ms(q.cpu_seconds),
        memory_bytes: q.memory_bytes,
        scan_bytes: q.scan_bytes,
        scan_rows: q.scan_rows,
        spill_bytes: q.spill_bytes,
        state: q.exec_state,
    }
}

/// What one read of every FE found.
#[derive(Debug, Default)]
pub struct RunningRead {
    /// Longest running first.
    pub queries: Vec<RunningQuery>,
    pub frontends: Vec<FeAnswer>,
    pub global: bool,
}

impl RunningRead {
    /// One FE's answer: its queries (at most [`MAX_QUERIES_PER_FE`]), or why not.
    fn add(&mut self, fe: String, got: Result<Vec<CurrentQuery>, crate::error::StarRocksError>) {
        match got {
            Ok(list) => {
                let kept = list.len().min(MAX_QUERIES_PER_FE);
                self.queries.extend(
                    list.into_iter()
                        .take(MAX_QUERIES_PER_FE)
                        .map(|q| running_query(&fe, q)),
                );
                self.frontends.push(FeAnswer {
                    fe,
                    queries: Some(kept),
                    error: None,
                });
            }
            Err(e) => self.frontends.push(FeAnswer {
                fe,
                queries: None,
                error: Some(e.to_string()),
            }),
        }
    }

    /// Whether no FE answered at all.
    pub fn none_answered(&self) -> bool {
        self.frontends.iter().all(|f| f.queries.is_none())
    }
}

/// The FE of a `feIp` in a global listing: the listed FE with that address.
fn fe_of_ip(frontends: &[Frontend], ip: Option<&str>) -> String {
    let Some(ip) = ip else {
        return String::new();
    };
    frontends
        .iter()
        .find(|f| f.ip.as_deref() == Some(ip))
        .and_then(fe_key)
        .unwrap_or_else(|| ip.to_string())
}

/// How to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    /// Each FE at its own address; the global listing only when some FE
    /// cannot be reached (the Queries page: which FE holds a query matters).
    EachFe,
    /// The global listing first (the collector: one request a tick).
    Global,
}

/// The global listing of a 3.3+ cluster as the console's rows.
async fn global(client: &FeClient, frontends: &[Frontend]) -> Option<RunningRead> {
    if !at_least_3_3(frontends) {
        return None;
    }
    let list = client.global_current_queries().await.ok()?;
    let mut out = RunningRead {
        global: true,
        ..RunningRead::default()
    };
    for q in list.into_iter().take(MAX_QUERIES_PER_FE * MAX_FES) {
        let fe = fe_of_ip(frontends, q.fe_ip.as_deref());
        out.queries.push(running_query(&fe, q));
    }
    for f in frontends
        .iter()
        .filter(|f| f.alive != Some(false))
        .take(MAX_FES)
    {
        let key = fe_key(f).unwrap_or_default();
        let n = out.queries.iter().filter(|q| q.fe == key).count();
        out.frontends.push(FeAnswer {
            fe: key,
            queries: Some(n),
            error: None,
        });
    }
    sort(&mut out.queries);
    Some(out)
}

/// Every alive FE's running queries, merged, longest first.
pub async fn read(client: &FeClient, frontends: &[Frontend], prefer: Prefer) -> RunningRead {
    if prefer == Prefer::Global {
        if let Some(out) = global(client, frontends).await {
            return out;
        }
    }
    let mut out = RunningRead::default();
    let mut asks = JoinSet::new();
    for f in frontends
        .iter()
        .filter(|f| f.alive != Some(false))
        .take(MAX_FES)
    {
        let (Some(key), Some(ip), Some(port)) = (fe_key(f), f.ip.clone(), f.http_port) else {
            continue;
        };
        let c = client.clone();
        asks.spawn(async move { (key, c.node_current_queries(&ip, port).await) });
    }
    while let Some(joined) = asks.join_next().await {
        let Ok((fe, got)) = joined else { continue };
        out.add(fe, got);
    }
    if out.frontends.iter().any(|f| f.queries.is_none()) {
        // Some FE cannot be reached at its own address: the global listing
        // has them all, named by IP.
        if let Some(all) = global(client, frontends).await {
            return all;
        }
    }
    if out.none_answered() {
        // The FEs' own addresses are out of reach: the FE behind the
        // registered address can still say what it runs.
        let fe = client.authority();
        out.add(fe, client.current_queries().await);
    }
    out.frontends.sort_by(|a, b| a.fe.cmp(&b.fe));
    sort(&mut out.queries);
    out
}

fn sort(queries: &mut [RunningQuery]) {
    queries.sort_by(|a, b| {
        b.run_ms
            .cmp(&a.run_ms)
            .then_with(|| a.query_id.cmp(&b.query_id))
    });
}

/// How many queries run, and the longest one's time: the collector's figures.
pub fn summary(r: &RunningRead) -> (Option<i64>, Option<i64>) {
    if r.none_answered() {
        return (None, None);
    }
    let n = r.queries.len() as i64;
    let longest = r.queries.iter().filter_map(|q| q.run_ms).max().unwrap_or(0);
    (Some(n), Some(longest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fe(ip: &str, port: u16, version: &str) -> Frontend {
        Frontend {
            ip: Some(ip.into()),
            http_port: Some(port),
            version: Some(version.into()),
            alive: Some(true),
            ..Frontend::default()
        }
    }

    #[test]
    fn versions_that_have_the_global_listing() {
        assert!(at_least_3_3(&[fe("a", 1, "3.3.10-227b0b3")]));
        assert!(at_least_3_3(&[fe("a", 1, "4.0.1")]));
        assert!(!at_least_3_3(&[fe("a", 1, "3.2.9 abc")]));
        assert!(!at_least_3_3(&[fe("a", 1, "3.0.9")]));
        assert!(!at_least_3_3(&[fe("a", 1, "")]));
    }

    #[test]
    fn a_global_row_names_its_fe_by_the_node_list() {
        let list = [fe("10.0.0.1", 8030, "3.3.1"), fe("10.0.0.2", 8030, "3.3.1")];
        assert_eq!(fe_of_ip(&list, Some("10.0.0.2")), "10.0.0.2:8030");
        assert_eq!(fe_of_ip(&list, Some("10.9.9.9")), "10.9.9.9");
    }

    #[test]
    fn a_listing_row_in_the_consoles_units() {
        let q = running_query(
            "10.0.0.1:8030",
            CurrentQuery {
                query_id: Some("q".into()),
                exec_seconds: Some(3.153),
                cpu_seconds: Some(f64::NAN),
                resource_group: Some(String::new()),
                ..CurrentQuery::default()
            },
        );
        assert_eq!(
            (q.run_ms, q.cpu_ms, q.resource_group),
            (Some(3153), None, None)
        );
    }
}
