//! Query insights (issue 16): what runs now on a cluster (read live, every
//! FE at once), stopping a query (recorded in the activity log), and the
//! query history of the AuditLoader table. Everything here asks StarRocks at
//! the time of the request; the collector keeps only the per-tick counts.

use model::overview::Window;
use model::queries::{
    ActivityEntry, AuditSource, KillRequest, QueryHistory, RunningQueries, SlowQueries, SlowQuery,
    TopBy, TopList, TopQueries, TopRow, STATEMENT_CHARS,
};
use registry::clusters::ClusterService;
use registry::AppError;
use sqlx::SqlitePool;
use starrocks::audit::{self, Columns, Zone};
use starrocks::error::StarRocksError;
use starrocks::failover;
use starrocks::http::{http_client, Endpoint, FeClient};
use starrocks::sql::{SqlClient, SqlRow};
use starrocks::wire::proc::Frontend;
use std::collections::BTreeMap;
use std::time::Duration;

/// Everything one history request may take on the MySQL side.
const AUDIT_DEADLINE: Duration = Duration::from_secs(20);
/// Actions listed by the activity log.
pub const ACTIVITY_LIMIT: i64 = 200;

#[derive(Clone)]
pub struct QueryService {
    pool: SqlitePool,
    clusters: ClusterService,
    http: reqwest::Client,
}

fn refused(e: StarRocksError) -> AppError {
    AppError::StarRocks(e.to_string())
}

fn clip(s: &str) -> String {
    s.chars().take(STATEMENT_CHARS).collect()
}

fn int(r: &SqlRow, c: &str) -> Option<i64> {
    let v = r.get(c)?.trim();
    v.parse::<i64>().ok().or_else(|| {
        v.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| f as i64)
    })
}

fn float(r: &SqlRow, c: &str) -> Option<f64> {
    r.get(c)?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
}

fn text(r: &SqlRow, c: &str) -> Option<String> {
    r.get(c).map(clip)
}

/// A run time in words for the activity log: `3 min 5 s`.
fn duration_words(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

impl QueryService {
    pub fn new(pool: SqlitePool, clusters: ClusterService) -> Result<Self, AppError> {
        let http = http_client(clusters.timeouts().http).map_err(AppError::internal)?;
        Ok(Self {
            pool,
            clusters,
            http,
        })
    }

    /// The first registered FE address that lists the FEs.
    async fn frontends(&self, id: i64) -> Result<(Endpoint, FeClient, Vec<Frontend>), AppError> {
        let endpoint = self.clusters.endpoint(id).await?;
        let timeouts = self.clusters.timeouts().http;
        let answered = failover::first_answer(
            &endpoint,
            failover::in_order(&endpoint),
            |at: Endpoint| async move {
                let client = FeClient::with_client(self.http.clone(), &at, timeouts);
                let frontends = client.frontends().await?;
                Ok((client, frontends))
            },
        )
        .await
        .map_err(|tried| AppError::StarRocks(failover::none_answered(&tried).1))?;
        let (client, frontends) = answered.value;
        Ok((endpoint, client, frontends))
    }

    /// Every alive FE's running queries, longest first. When no FE lists
    /// them (the login lacks the privilege, say), StarRocks' words.
    pub async fn running(&self, id: i64) -> Result<RunningQueries, AppError> {
        let (_, client, frontends) = self.frontends(id).await?;
        let read =
            starrocks::running::read(&client, &frontends, starrocks::running::Prefer::EachFe).await;
        if read.none_answered() {
            let why: Vec<String> = read
                .frontends
                .iter()
                .map(|f| format!("{}: {}", f.fe, f.error.clone().unwrap_or_default()))
                .collect();
            return Err(AppError::StarRocks(format!(
                "No FE listed its running queries. {}",
                why.join("; ")
            )));
        }
        Ok(RunningQueries {
            cluster_id: id,
            read_at: store::now_ms(),
            queries: read.queries,
            frontends: read.frontends,
            global: read.global,
        })
    }

    /// `KILL QUERY <connection_id>` on the FE that holds the connection, over
    /// its MySQL port from the node list; recorded whatever the outcome.
    pub async fn kill(
        &self,
        id: i64,
        connection_id: i64,
        req: &KillRequest,
        username: &str,
    ) -> Result<ActivityEntry, AppError> {
        let cluster = self.clusters.get(id).await?;
        let (endpoint, client, frontends) = self.frontends(id).await?;
        // The FE named by the list the operator saw: by its node-list key, or
        // the registered address when the list came from there.
        let fe = frontends
            .iter()
            .find(|f| starrocks::running::fe_key(f).as_deref() == Some(req.fe.as_str()));
        let (host, port) = match fe {
            Some(f) => match (f.ip.clone(), f.query_port) {
                (Some(ip), Some(port)) => (ip, port),
                _ => {
                    return Err(AppError::BadRequest(format!(
                        "The FE {} lists no MySQL port.",
                        req.fe
                    )))
                }
            },
            None if req.fe == client.authority() => (endpoint.host.clone(), endpoint.query_port),
            None => {
                return Err(AppError::BadRequest(format!(
                    "No FE {} in the cluster's FE list.",
                    req.fe
                )))
            }
        };
        let sql = SqlClient::new(
            &host,
            port,
            &endpoint.username,
            &endpoint.password,
            self.clusters.timeouts().sql,
        );
        let outcome = sql.kill_query(connection_id).await;
        sql.close_soon();
        let mut target = format!("connection {connection_id} on FE {}", req.fe);
        let details: Vec<String> = [
            req.query_id.as_ref().map(|q| format!("query {q}")),
            req.user.as_ref().map(|u| format!("user {u}")),
            req.run_ms
                .map(|ms| format!("running {}", duration_words(ms))),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !details.is_empty() {
            target.push_str(&format!(" ({})", details.join(", ")));
        }
        let (ok, result) = match &outcome {
            Ok(()) => (true, "stopped".to_string()),
            Err(e) => (false, e.to_string()),
        };
        let at = store::now_ms();
        let entry = store::activity::NewActivity {
            at,
            cluster_id: id,
            cluster_name: &cluster.name,
            username,
            action: "kill_query",
            target: &target,
            ok,
            result: &result,
        };
        let entry_id = store::activity::record(&self.pool, &entry).await?;
        tracing::info!(
            cluster = id,
            user = username,
            connection_id,
            ok,
            "kill query"
        );
        match outcome {
            Err(e) => Err(refused(e)),
            Ok(()) => Ok(ActivityEntry {
                id: entry_id,
                at,
                cluster_id: id,
                username: username.to_string(),
                action: "kill_query".into(),
                target,
                ok,
                result,
            }),
        }
    }

    pub async fn activity(&self, id: i64) -> Result<Vec<ActivityEntry>, AppError> {
        self.clusters.get(id).await?;
        Ok(store::activity::of_cluster(&self.pool, id, ACTIVITY_LIMIT).await?)
    }

    /// A MySQL session for the history, the audit table's columns (none when
    /// it is absent) and the cluster's time zone.
    async fn audit(&self, id: i64) -> Result<(SqlClient, Columns, Zone, AuditSource), AppError> {
        let endpoint = self.clusters.endpoint(id).await?;
        let sql = failover::sql_session(&endpoint, self.clusters.timeouts().sql, AUDIT_DEADLINE)
            .await
            .map_err(refused)?;
        let columns: Vec<String> = sql
            .query(&audit::columns_statement())
            .await
            .map_err(refused)?
            .iter()
            .filter_map(|r| r.first().map(str::to_string))
            .collect();
        let zone_name = sql.time_zone().await.ok();
        let zone = Zone::parse(zone_name.as_deref().unwrap_or("UTC"));
        let source = AuditSource {
            present: !columns.is_empty(),
            columns: columns.clone(),
            time_zone: zone_name,
        };
        Ok((sql, Columns::new(columns), zone, source))
    }

    fn local_window(zone: &Zone, w: &Window) -> Result<audit::Window, AppError> {
        zone.window(w.from, w.to)
            .ok_or_else(|| AppError::BadRequest("The range is outside the calendar.".into()))
    }

    /// Statements at or above `min_ms` in the window, newest first.
    pub async fn slow(&self, id: i64, w: &Window, min_ms: i64) -> Result<SlowQueries, AppError> {
        let (sql, columns, zone, source) = self.audit(id).await?;
        let mut out = SlowQueries {
            source,
            from: w.from,
            to: w.to,
            min_ms,
            queries: Vec::new(),
        };
        if columns.is_empty() {
            return Ok(out);
        }
        let local = Self::local_window(&zone, w)?;
        out.queries = slow_rows(&sql, &columns, &zone, &local, min_ms)
            .await
            .map_err(refused)?;
        sql.close_soon();
        Ok(out)
    }

    /// The slow statements and every top list of a window, over one session:
    /// what the Queries page shows. A part StarRocks fails is said in
    /// `errors`; the others still come.
    pub async fn history(
        &self,
        id: i64,
        w: &Window,
        min_ms: i64,
    ) -> Result<QueryHistory, AppError> {
        let (sql, columns, zone, source) = self.audit(id).await?;
        let mut out = QueryHistory {
            source,
            from: w.from,
            to: w.to,
            min_ms,
            ..QueryHistory::default()
        };
        if columns.is_empty() {
            return Ok(out);
        }
        let local = Self::local_window(&zone, w)?;
        match slow_rows(&sql, &columns, &zone, &local, min_ms).await {
            Ok(rows) => out.slow = rows,
            Err(e) => out.errors.push(e.to_string()),
        }
        for by in TopBy::ALL {
            match top_list(&sql, &columns, &zone, &local, by).await {
                Ok(list) => out.tops.push(list),
                Err(e) => out.errors.push(e.to_string()),
            }
        }
        sql.close_soon();
        Ok(out)
    }
}

async fn slow_rows(
    sql: &SqlClient,
    columns: &Columns,
    zone: &Zone,
    local: &audit::Window,
    min_ms: i64,
) -> Result<Vec<SlowQuery>, StarRocksError> {
    let rows = sql
        .query(&audit::slow_statement(columns, local, min_ms))
        .await?;
    Ok(rows
        .iter()
        .map(|r| SlowQuery {
            at: r.get("timestamp").and_then(|t| zone.datetime_ms(t)),
            query_id: text(r, "queryId"),
            user: text(r, "user"),
            database: text(r, "db"),
            client: text(r, "clientIp"),
            query_ms: int(r, "queryTime"),
            scan_bytes: int(r, "scanBytes"),
            scan_rows: int(r, "scanRows"),
            cpu_ms: float(r, "cpuCostNs").map(|ns| ns / 1e6),
            memory_bytes: int(r, "memCostBytes"),
            state: text(r, "state"),
            error_code: text(r, "errorCode").filter(|c| !c.is_empty()),
            fe: text(r, "feIp"),
            digest: text(r, "digest").filter(|d| !d.is_empty()),
            statement: text(r, "stmt"),
        })
        .collect())
}

impl QueryService {
    /// A top list of the window.
    pub async fn top(&self, id: i64, w: &Window, by: TopBy) -> Result<TopQueries, AppError> {
        let (sql, columns, zone, source) = self.audit(id).await?;
        let mut out = TopQueries {
            source,
            from: w.from,
            to: w.to,
            list: TopList {
                by,
                ..TopList::default()
            },
        };
        if columns.is_empty() {
            return Ok(out);
        }
        let local = Self::local_window(&zone, w)?;
        out.list = top_list(&sql, &columns, &zone, &local, by)
            .await
            .map_err(refused)?;
        sql.close_soon();
        Ok(out)
    }
}

async fn top_list(
    sql: &SqlClient,
    columns: &Columns,
    zone: &Zone,
    local: &audit::Window,
    by: TopBy,
) -> Result<TopList, StarRocksError> {
    match by {
        TopBy::Statement => top_statements(sql, columns, local).await,
        TopBy::User | TopBy::Client => top_who(sql, by, local).await,
        TopBy::Error => top_errors(sql, zone, local).await,
        TopBy::Table => top_tables(sql, columns, local).await,
    }
}

/// By digest where the table has them; the statements without one grouped
/// by their normalised text (and said to be so).
async fn top_statements(
    sql: &SqlClient,
    columns: &Columns,
    w: &audit::Window,
) -> Result<TopList, StarRocksError> {
    let mut rows: Vec<TopRow> = Vec::new();
    if columns.has("digest") {
        rows = sql
            .query(&audit::by_digest_statement(w))
            .await?
            .iter()
            .map(|r| TopRow {
                key: r.get("digest").unwrap_or_default().to_string(),
                count: int(r, "n").unwrap_or(0),
                total_ms: int(r, "total_ms"),
                p95_ms: float(r, "p95_ms"),
                scan_bytes: int(r, "scan_bytes"),
                example: text(r, "example"),
                ..TopRow::default()
            })
            .collect();
        let errors: BTreeMap<String, i64> = sql
            .query(&audit::digest_errors_statement(w))
            .await?
            .iter()
            .filter_map(|r| Some((r.get("digest")?.to_string(), int(r, "errors")?)))
            .collect();
        audit::merge_errors(&mut rows, &errors);
    }
    let sample = sql.query(&audit::undigested_statement(columns, w)).await?;
    let mut tally = audit::Tally::default();
    let mut unparsed = 0;
    for r in &sample {
        let stmt = r.get("stmt").unwrap_or_default();
        let Some(key) = audit::normalise(stmt) else {
            unparsed += 1;
            continue;
        };
        let key = clip(&key);
        let failed = r.get("state") == Some("ERR");
        tally.add(
            key,
            int(r, "queryTime").unwrap_or(0),
            int(r, "scanBytes").unwrap_or(0),
            failed,
            Some(&clip(stmt)),
        );
    }
    let approximate = !sample.is_empty();
    rows.extend(tally.top(audit::TOP_LIMIT));
    rows.sort_by(|a, b| b.total_ms.cmp(&a.total_ms).then(a.key.cmp(&b.key)));
    rows.truncate(audit::TOP_LIMIT);
    Ok(TopList {
        by: TopBy::Statement,
        rows,
        approximate,
        sampled: approximate.then_some(sample.len() as i64),
        unparsed: approximate.then_some(unparsed),
    })
}

/// Users or client addresses: the top ones by total time and the top ones
/// by count, together (ordered by total time; the page sorts by either).
async fn top_who(sql: &SqlClient, by: TopBy, w: &audit::Window) -> Result<TopList, StarRocksError> {
    let client = by == TopBy::Client;
    let key = if client { "client" } else { "user" };
    let mut rows: Vec<TopRow> = Vec::new();
    for by_count in [false, true] {
        for r in sql
            .query(&audit::by_who_statement(client, by_count, w))
            .await?
        {
            let k = r.get(key).unwrap_or_default().to_string();
            if rows.iter().any(|x| x.key == k) {
                continue;
            }
            rows.push(TopRow {
                key: k,
                count: int(&r, "n").unwrap_or(0),
                total_ms: int(&r, "total_ms"),
                scan_bytes: int(&r, "scan_bytes"),
                cpu_ms: float(&r, "cpu_ns").map(|ns| ns / 1e6),
                ..TopRow::default()
            });
        }
    }
    rows.sort_by(|a, b| b.total_ms.cmp(&a.total_ms).then(a.key.cmp(&b.key)));
    Ok(TopList {
        by,
        rows,
        ..TopList::default()
    })
}

async fn top_errors(
    sql: &SqlClient,
    zone: &Zone,
    w: &audit::Window,
) -> Result<TopList, StarRocksError> {
    let rows = sql
        .query(&audit::errors_statement(w))
        .await?
        .iter()
        .map(|r| TopRow {
            key: r.get("errorCode").unwrap_or_default().to_string(),
            count: int(r, "n").unwrap_or(0),
            errors: int(r, "n"),
            example: text(r, "example"),
            last_at: r.get("last_seen").and_then(|t| zone.datetime_ms(t)),
            ..TopRow::default()
        })
        .collect();
    Ok(TopList {
        by: TopBy::Error,
        rows,
        ..TopList::default()
    })
}

/// From `QueriedRelations` where the server fills it, else from the
/// statements' text with a real SQL parser (approximate, and said so).
async fn top_tables(
    sql: &SqlClient,
    columns: &Columns,
    w: &audit::Window,
) -> Result<TopList, StarRocksError> {
    let mut tally = audit::Tally::default();
    if columns.has("QueriedRelations") {
        let rows = sql.query(&audit::relations_statement(w)).await?;
        if !rows.is_empty() {
            for r in &rows {
                let ms = int(r, "queryTime").unwrap_or(0);
                for t in audit::relations(r.get("QueriedRelations").unwrap_or("[]")) {
                    tally.add(t, ms, 0, false, None);
                }
            }
            return Ok(TopList {
                by: TopBy::Table,
                rows: without_scan(tally.top(audit::TOP_LIMIT)),
                sampled: Some(rows.len() as i64),
                ..TopList::default()
            });
        }
    }
    let rows = sql.query(&audit::recent_statements_statement(w)).await?;
    let mut unparsed = 0;
    for r in &rows {
        let ms = int(r, "queryTime").unwrap_or(0);
        match audit::tables_of(r.get("stmt").unwrap_or_default(), r.get("db")) {
            Some(tables) => {
                for t in tables {
                    tally.add(t, ms, 0, false, None);
                }
            }
            None => unparsed += 1,
        }
    }
    Ok(TopList {
        by: TopBy::Table,
        rows: without_scan(tally.top(audit::TOP_LIMIT)),
        approximate: true,
        sampled: Some(rows.len() as i64),
        unparsed: Some(unparsed),
    })
}

/// Tables carry no scan bytes or errors of their own (a statement reads several).
fn without_scan(rows: Vec<TopRow>) -> Vec<TopRow> {
    rows.into_iter()
        .map(|r| TopRow {
            scan_bytes: None,
            errors: None,
            ..r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_times_in_words() {
        assert_eq!(duration_words(4_077), "4 s");
        assert_eq!(duration_words(185_000), "3 min 5 s");
        assert_eq!(duration_words(7_380_000), "2 h 3 min");
    }
}
