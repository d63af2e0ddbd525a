//! "Test connection": both sides of a cluster at once, in a few seconds.

use super::failover::{first_answer, first_error, in_order, sql_client};
use super::http::{Endpoint, FeClient, HttpTimeouts};
use super::sql::SqlTimeouts;
use model::starrocks::ConnectionReport;
use model::text::clip_error;
use std::time::Instant;

/// Asks the FE for its frontends, backends and compute nodes over HTTP and
/// for its version over MySQL, concurrently. Never fails: problems are in the report.
pub async fn test_connection(
    endpoint: &Endpoint,
    http: HttpTimeouts,
    sql: SqlTimeouts,
) -> ConnectionReport {
    let started = Instant::now();
    // Each side fails over from one registered address to the next.
    let http_side = async {
        let answered = first_answer(endpoint, in_order(endpoint), |at| async move {
            let fe = FeClient::new(&at, http)?;
            let (frontends, backends, compute_nodes) =
                tokio::join!(fe.frontends(), fe.backends(), fe.compute_nodes());
            // Older versions have no compute nodes; their absence is not a failure.
            Ok((frontends?, backends?, compute_nodes.unwrap_or_default()))
        })
        .await
        .map_err(|tried| first_error(tried, "HTTP"))?;
        Ok::<_, super::error::StarRocksError>(answered)
    };
    let mysql_side = async {
        let picked = sql_client(endpoint, sql)
            .await
            .map_err(|tried| first_error(tried, "MySQL"))?;
        let version = picked.value.version().await;
        picked.value.disconnect().await;
        version.map(|v| (v, picked.failed))
    };
    let (http_result, version) = tokio::join!(http_side, mysql_side);
    let mut skipped: Vec<String> = Vec::new();
    if let Ok(a) = &http_result {
        skipped.extend(
            a.failed
                .iter()
                .map(|t| format!("{} (HTTP): {}", t.address.http_authority(), t.error)),
        );
    }
    if let Ok((_, failed)) = &version {
        skipped.extend(
            failed
                .iter()
                .map(|t| format!("{} (MySQL): {}", t.address.query_authority(), t.error)),
        );
    }
    let answered_by = http_result
        .as_ref()
        .ok()
        .map(|a| a.address.http_authority());
    let http_result = http_result.map(|a| a.value);
    let version = version.map(|(v, _)| v);

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
        answered_by,
        addresses_not_answering: skipped.into_iter().map(|t| clip_error(&t)).collect(),
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
