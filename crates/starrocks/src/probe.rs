//! "Test connection": both sides of a cluster at once, in a few seconds.

use super::http::{Endpoint, FeClient, HttpTimeouts};
use super::sql::{SqlClient, SqlTimeouts};
use model::starrocks::ConnectionReport;
use std::time::Instant;

/// Asks the FE for its frontends, backends and compute nodes over HTTP and
/// for its version over MySQL, concurrently. Never fails: problems are in the report.
pub async fn test_connection(
    endpoint: &Endpoint,
    http: HttpTimeouts,
    sql: SqlTimeouts,
) -> ConnectionReport {
    let started = Instant::now();
    let http_side = async {
        let fe = FeClient::new(endpoint, http)?;
        let (frontends, backends, compute_nodes) =
            tokio::join!(fe.frontends(), fe.backends(), fe.compute_nodes());
        let frontends = frontends?;
        let backends = backends?;
        // Older versions have no compute nodes; their absence is not a failure.
        let compute_nodes = compute_nodes.unwrap_or_default();
        Ok::<_, super::error::StarRocksError>((frontends, backends, compute_nodes))
    };
    let mysql = SqlClient::new(
        &endpoint.host,
        endpoint.query_port,
        &endpoint.username,
        &endpoint.password,
        sql,
    );
    let (http_result, version) = tokio::join!(http_side, mysql.version());
    mysql.disconnect().await;

    let mut report = ConnectionReport {
        ok: http_result.is_ok() && version.is_ok(),
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        version: None,
        shared_data: false,
        frontends_alive: 0,
        frontends_total: 0,
        nodes_alive: 0,
        nodes_total: 0,
        http_error: None,
        mysql_error: None,
    };
    match &version {
        Ok(v) => report.version = Some(v.clone()),
        Err(e) => report.mysql_error = Some(e.report()),
    }
    match http_result {
        Ok((frontends, backends, compute_nodes)) => {
            let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            report.frontends_total = count(frontends.len());
            report.frontends_alive =
                count(frontends.iter().filter(|f| f.alive == Some(true)).count());
            report.nodes_total = count(backends.len() + compute_nodes.len());
            report.nodes_alive = count(
                backends.iter().filter(|b| b.alive == Some(true)).count()
                    + compute_nodes
                        .iter()
                        .filter(|c| c.alive == Some(true))
                        .count(),
            );
            report.shared_data =
                !compute_nodes.is_empty() || backends.iter().any(|b| b.is_shared_data());
            if report.version.is_none() {
                report.version = frontends.iter().find_map(|f| f.version.clone());
            }
        }
        Err(e) => report.http_error = Some(e.report()),
    }
    report
}
