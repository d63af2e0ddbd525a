//! The MySQL-protocol side of a cluster: version and data statistics.
//!
//! Every statement here is bounded (LIMIT, per-statement timeout) because it
//! runs against production FEs on a schedule. A statistic whose statement fails
//! (a table missing on this version, a privilege the user lacks) becomes
//! `Stat::Unavailable` with the server's reason; the others still count.

use super::error::StarRocksError;
use super::wire::metrics_table;
use super::wire::prometheus::Metrics;
use model::operations::RoutineLoadJob;
use model::starrocks::{
    DataStatistics, MvSummary, SchemaChangeSummary, SessionSummary, Stat, TableSize,
};
use model::text::{clip, MAX_ERROR_CHARS};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, OptsBuilder, Pool, PoolConstraints, PoolOpts, Value};
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// Schemas that StarRocks creates for itself.
/// Databases asked for their routine load jobs, and jobs kept, per read.
pub const MAX_ROUTINE_LOAD_DBS: usize = 200;
pub const MAX_ROUTINE_LOAD_JOBS: usize = 2_000;

/// A name as a MySQL identifier: in backticks, a backtick doubled.
pub fn quote_identifier(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// One row of `SHOW ROUTINE LOAD`, by column name: the error rows from its
/// `Statistic` JSON, the lag summed over `OffsetLag`'s partitions. Anything
/// missing or unreadable is `None`.
pub fn routine_load_job(db: &str, r: &SqlRow) -> RoutineLoadJob {
    let text = |c: &str| {
        r.get(c)
            .map(str::trim)
            .filter(|v| !v.is_empty() && !v.eq_ignore_ascii_case("NULL"))
            .map(|v| clip(v, MAX_ERROR_CHARS))
    };
    let json = |c: &str| {
        r.get(c)
            .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())
    };
    let number = |v: &serde_json::Value| {
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse::<i64>().ok()))
    };
    let error_rows = json("Statistic").and_then(|v| v.get("errorRows").and_then(number));
    let lag = json("OffsetLag").and_then(|v| {
        let parts = v.as_object()?;
        parts
            .values()
            .filter_map(number)
            .filter(|n| *n >= 0)
            .try_fold(0i64, |a, b| a.checked_add(b))
    });
    RoutineLoadJob {
        database: text("DbName").unwrap_or_else(|| db.to_string()),
        name: text("Name").unwrap_or_default(),
        table_name: text("TableName"),
        state: text("State").unwrap_or_default().to_ascii_uppercase(),
        reason: text("ReasonOfStateChanged"),
        error_rows,
        lag,
        pause_time: text("PauseTime"),
    }
}

const SYSTEM_SCHEMAS: &[&str] = &[
    "information_schema",
    "_statistics_",
    "sys",
    "starrocks_monitor",
];
/// The same list as a SQL condition on TABLE_SCHEMA.
const USER_TABLES: &str = "TABLE_TYPE = 'BASE TABLE' \
    AND TABLE_SCHEMA NOT IN ('information_schema', '_statistics_', 'sys', 'starrocks_monitor')";
/// Schema changes are listed per database; a cluster with more is sampled.
const MAX_DATABASES_FOR_ALTER_JOBS: usize = 200;
/// Rows kept of one answer: listings that StarRocks cannot limit (SHOW
/// PROCESSLIST) are read as a stream and cut here, so memory stays bounded.
pub const MAX_ROWS: usize = 10_000;
/// Schema change jobs listed per database (`SHOW ALTER ... LIMIT`).
const ALTER_JOBS_PER_DATABASE: usize = 1_000;
pub const TOP_TABLES: usize = 20;

#[derive(Clone, Copy, Debug)]
pub struct SqlTimeouts {
    pub connect: Duration,
    pub query: Duration,
}

impl Default for SqlTimeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(2),
            query: Duration::from_secs(10),
        }
    }
}

/// A small pool (at most two connections) to one cluster's query port.
pub struct SqlClient {
    pool: Pool,
    target: String,
    timeouts: SqlTimeouts,
    /// When set, no statement runs past this instant (the deadline's length
    /// beside it): a whole read (the data statistics) has one deadline, not
    /// one per statement.
    until: Option<(Instant, Duration)>,
}

/// A result row addressed by column name, values as text.
#[derive(Debug, Clone)]
pub struct SqlRow {
    cells: Vec<(String, Option<String>)>,
}

impl SqlRow {
    /// The value of `column` (case-insensitive); `None` when absent or NULL.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(column))
            .and_then(|(_, v)| v.as_deref())
    }
    pub fn first(&self) -> Option<&str> {
        self.cells.first().and_then(|(_, v)| v.as_deref())
    }
    pub fn u64(&self, column: &str) -> Option<u64> {
        let v = self.get(column)?.trim();
        v.parse::<u64>().ok().or_else(|| {
            v.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        })
    }
}

/// A cell's text is kept to this many bytes: a statement column of the audit
/// table may hold a megabyte, and rows are kept by the thousand.
pub const MAX_CELL_BYTES: usize = 64 * 1024;

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::NULL => None,
        Value::Bytes(b) => {
            Some(String::from_utf8_lossy(&b[..b.len().min(MAX_CELL_BYTES)]).into_owned())
        }
        Value::Int(i) => Some(i.to_string()),
        Value::UInt(u) => Some(u.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Double(d) => Some(d.to_string()),
        Value::Date(y, mo, d, h, mi, s, _) => {
            Some(format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"))
        }
        Value::Time(neg, d, h, m, s, _) => Some(format!(
            "{}{}:{m:02}:{s:02}",
            if *neg { "-" } else { "" },
            u64::from(*d) * 24 + u64::from(*h)
        )),
    }
}

/// The rows of `sql`, read as a stream: at most `max` are kept, the rest read
/// and dropped, so a huge answer costs time (bounded by the caller's timeout)
/// but not memory.
async fn read_rows(
    conn: &mut Conn,
    sql: &str,
    max: usize,
) -> Result<Vec<SqlRow>, mysql_async::Error> {
    let mut result = conn.query_iter(sql).await?;
    let mut rows = Vec::new();
    while let Some(row) = result.next().await? {
        if rows.len() < max {
            rows.push(sql_row(&row));
        }
    }
    Ok(rows)
}

/// A driver row as cells addressed by column name.
fn sql_row(row: &mysql_async::Row) -> SqlRow {
    let cells = row
        .columns_ref()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                c.name_str().into_owned(),
                row.as_ref(i).and_then(value_text),
            )
        })
        .collect();
    SqlRow { cells }
}

fn table_row<'a>(r: &'a SqlRow, id: &str) -> metrics_table::Row<'a> {
    metrics_table::Row {
        node: r.get(id),
        name: r.get("NAME"),
        labels: r.get("LABELS"),
        value: r.get("VALUE"),
    }
}

/// Access denied (1045), StarRocks' 1698 as sent by some servers, or SQLSTATE 28000.
fn is_auth_error(e: &mysql_async::ServerError) -> bool {
    e.code == 1045 || e.code == 1698 || e.state == "28000"
}

impl SqlClient {
    pub fn new(host: &str, port: u16, user: &str, password: &str, timeouts: SqlTimeouts) -> Self {
        let constraints = PoolConstraints::new(0, 2).unwrap_or_default();
        let opts = OptsBuilder::default()
            .ip_or_hostname(
                host.trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_string(),
            )
            .tcp_port(port)
            .user(Some(user.to_string()))
            .pass(Some(password.to_string()))
            // Setting these skips mysql_async's probe query, which StarRocks may not answer.
            .prefer_socket(false)
            .max_allowed_packet(Some(16 * 1024 * 1024))
            .wait_timeout(Some(28_800))
            .pool_opts(PoolOpts::default().with_constraints(constraints));
        Self {
            pool: Pool::new(opts),
            target: format!("{host}:{port} (MySQL)"),
            timeouts,
            until: None,
        }
    }

    /// Every statement from now on ends within `deadline` of now: what is
    /// not read by then is reported as not read, the rest still counts.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.until = Some((Instant::now() + deadline, deadline));
        self
    }

    /// The time one statement may take: the query timeout, or less near the deadline.
    fn statement_timeout(&self) -> Result<Duration, StarRocksError> {
        let Some((until, deadline)) = self.until else {
            return Ok(self.timeouts.query);
        };
        match until.checked_duration_since(Instant::now()) {
            Some(left) if !left.is_zero() => Ok(left.min(self.timeouts.query)),
            // Not asked at all: the whole read's deadline has passed.
            _ => Err(StarRocksError::timeout(&self.target, deadline)),
        }
    }

    /// Opens a connection (kept in the client's pool for the next
    /// statement): whether this address lets us in at all.
    pub async fn check(&self) -> Result<(), StarRocksError> {
        self.conn().await.map(drop)
    }

    pub async fn disconnect(self) {
        let _ = self.pool.disconnect().await;
    }

    /// Ends the session in the background: saying goodbye to a slow server
    /// is not worth waiting for.
    pub fn close_soon(self) {
        tokio::spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(5), self.disconnect()).await;
        });
    }

    async fn conn(&self) -> Result<Conn, StarRocksError> {
        match tokio::time::timeout(self.timeouts.connect, self.pool.get_conn()).await {
            Err(_) => Err(StarRocksError::timeout(&self.target, self.timeouts.connect)),
            Ok(Ok(c)) => Ok(c),
            Ok(Err(e)) => Err(self.connect_error(e)),
        }
    }

    /// The error for what the driver reported. Server texts can be of any
    /// length: the constructors clip them.
    fn connect_error(&self, e: mysql_async::Error) -> StarRocksError {
        let target = &self.target;
        match e {
            mysql_async::Error::Server(s) if is_auth_error(&s) => {
                StarRocksError::auth_failed(target, s.message)
            }
            mysql_async::Error::Server(s) => server_error(target, &s),
            mysql_async::Error::Io(io) => StarRocksError::unreachable(target, io.to_string()),
            other => StarRocksError::unreachable(target, other.to_string()),
        }
    }

    /// Runs one statement with the query timeout (shortened near the
    /// deadline), keeping at most [`MAX_ROWS`] rows of its answer.
    pub async fn rows(&self, conn: &mut Conn, sql: &str) -> Result<Vec<SqlRow>, StarRocksError> {
        let timeout = self.statement_timeout()?;
        match tokio::time::timeout(timeout, read_rows(conn, sql, MAX_ROWS)).await {
            Err(_) => Err(StarRocksError::timeout(&self.target, timeout)),
            Ok(Err(mysql_async::Error::Server(s))) => Err(server_error(&self.target, &s)),
            Ok(Err(e)) => Err(self.connect_error(e)),
            Ok(Ok(rows)) => Ok(rows),
        }
    }

    /// One statement's rows (at most [`MAX_ROWS`]) on a connection of the pool.
    pub async fn query(&self, sql: &str) -> Result<Vec<SqlRow>, StarRocksError> {
        let mut conn = self.conn().await?;
        self.rows(&mut conn, sql).await
    }

    /// `KILL QUERY <id>` on this FE: stops the query of connection `id`
    /// (connection ids are the FE's own). StarRocks' refusal is a `Server`
    /// error with its words.
    pub async fn kill_query(&self, connection_id: i64) -> Result<(), StarRocksError> {
        self.query(&format!("KILL QUERY {connection_id}"))
            .await
            .map(drop)
    }

    /// The session's time zone (`@@time_zone`): the audit table's DATETIMEs
    /// are written in it.
    pub async fn time_zone(&self) -> Result<String, StarRocksError> {
        let rows = self.query("SELECT @@time_zone").await?;
        Ok(rows
            .first()
            .and_then(|r| r.first())
            .unwrap_or("UTC")
            .to_string())
    }

    /// `current_version()` (for example "3.3.10 227b0b3"), or `@@version_comment`
    /// on builds without that function.
    pub async fn version(&self) -> Result<String, StarRocksError> {
        let mut conn = self.conn().await?;
        self.version_on(&mut conn).await
    }

    async fn version_on(&self, conn: &mut Conn) -> Result<String, StarRocksError> {
        match self.rows(conn, "SELECT current_version()").await {
            Ok(rows) => {
                if let Some(v) = rows.first().and_then(SqlRow::first) {
                    return Ok(v.trim().to_string());
                }
            }
            Err(StarRocksError::Server { .. }) => {}
            Err(e) => return Err(e),
        }
        let rows = self.rows(conn, "SELECT @@version_comment").await?;
        rows.first()
            .and_then(SqlRow::first)
            .map(|v| {
                v.trim()
                    .trim_start_matches("StarRocks version ")
                    .to_string()
            })
            .ok_or_else(|| {
                StarRocksError::bad_payload(&self.target, "no version in the answer", b"")
            })
    }

    /// The metrics the collector reads of every alive FE, keyed by the FE's
    /// `Name`, from `information_schema.fe_metrics` (see [`metrics_table`]).
    pub async fn fe_metrics(&self) -> Result<HashMap<String, Metrics>, StarRocksError> {
        let rows = self
            .metrics_rows("FE_ID", "fe_metrics", metrics_table::FE_NAMES)
            .await?;
        Ok(metrics_table::fe_metrics(
            rows.iter().map(|r| table_row(r, "FE_ID")),
        ))
    }

    /// The metrics the collector reads of every alive backend, keyed by
    /// BackendId, from `information_schema.be_metrics`.
    pub async fn be_metrics(&self) -> Result<HashMap<String, Metrics>, StarRocksError> {
        let rows = self
            .metrics_rows("BE_ID", "be_metrics", metrics_table::BE_NAMES)
            .await?;
        Ok(metrics_table::be_metrics(
            rows.iter().map(|r| table_row(r, "BE_ID")),
        ))
    }

    async fn metrics_rows(
        &self,
        id: &str,
        table: &str,
        names: &[&str],
    ) -> Result<Vec<SqlRow>, StarRocksError> {
        // The names are this crate's constants, never input: quoting them is enough.
        let list: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
        let mut conn = self.conn().await?;
        self.rows(
            &mut conn,
            &format!(
                "SELECT {id}, NAME, LABELS, VALUE FROM information_schema.{table} \
                 WHERE NAME IN ({})",
                list.join(", ")
            ),
        )
        .await
    }

    /// Gathers every statistic; fails only when no connection can be made.
    pub async fn data_statistics(&self) -> Result<DataStatistics, StarRocksError> {
        let mut conn = self.conn().await?;
        let version = stat(self.version_on(&mut conn).await);
        let schemas = self.user_databases(&mut conn).await;
        let databases = match &schemas {
            Ok(s) => Stat::Available {
                value: s.len() as u64,
            },
            Err(e) => unavailable(e),
        };
        let (tables, total_bytes) = match self
            .rows(
                &mut conn,
                &format!(
                    "SELECT COUNT(*) AS table_count, SUM(DATA_LENGTH) AS data_bytes \
                     FROM information_schema.tables WHERE {USER_TABLES}"
                ),
            )
            .await
        {
            Ok(rows) => {
                let row = rows.first();
                (
                    Stat::Available {
                        value: row.and_then(|r| r.u64("table_count")).unwrap_or(0),
                    },
                    Stat::Available {
                        value: row.and_then(|r| r.u64("data_bytes")).unwrap_or(0),
                    },
                )
            }
            Err(e) => (unavailable(&e), unavailable(&e)),
        };
        let top_tables = stat(self.top_tables(&mut conn).await);
        let materialized_views = stat(self.materialized_views(&mut conn).await);
        let schema_changes = match &schemas {
            Ok(s) => stat(self.schema_changes(&mut conn, s).await),
            Err(e) => unavailable(e),
        };
        let sessions = stat(self.sessions(&mut conn).await);
        let loads_running = stat(
            self.rows(
                &mut conn,
                "SELECT COUNT(*) AS running FROM information_schema.loads \
                 WHERE STATE IN ('PENDING', 'QUEUEING', 'ETL', 'LOADING')",
            )
            .await
            .map(|rows| rows.first().and_then(|r| r.u64("running")).unwrap_or(0)),
        );
        drop(conn);
        Ok(DataStatistics {
            version,
            databases,
            tables,
            total_bytes,
            top_tables,
            materialized_views,
            schema_changes,
            sessions,
            loads_running,
        })
    }

    /// Every routine load job of the user databases (`SHOW ALL ROUTINE LOAD
    /// FROM <db>`, a statement per database: StarRocks answers it for one
    /// database at a time), at most [`MAX_ROUTINE_LOAD_DBS`] databases and
    /// [`MAX_ROUTINE_LOAD_JOBS`] jobs. A database whose answer fails is
    /// skipped; the whole fails only when no database could be listed.
    pub async fn routine_loads(&self) -> Result<Vec<RoutineLoadJob>, StarRocksError> {
        let mut conn = self.conn().await?;
        let dbs = self.user_databases(&mut conn).await?;
        let mut jobs = Vec::new();
        for db in dbs.iter().take(MAX_ROUTINE_LOAD_DBS) {
            let sql = format!("SHOW ALL ROUTINE LOAD FROM {}", quote_identifier(db));
            match self.rows(&mut conn, &sql).await {
                Ok(rows) => jobs.extend(rows.iter().map(|r| routine_load_job(db, r))),
                // A timeout leaves no time for the next database.
                Err(e) if e.kind() == model::starrocks::ErrorKind::Timeout => return Err(e),
                Err(_) => continue,
            }
            if jobs.len() >= MAX_ROUTINE_LOAD_JOBS {
                jobs.truncate(MAX_ROUTINE_LOAD_JOBS);
                break;
            }
        }
        Ok(jobs)
    }

    async fn user_databases(&self, conn: &mut Conn) -> Result<Vec<String>, StarRocksError> {
        let rows = self.rows(conn, "SHOW DATABASES").await?;
        Ok(rows
            .iter()
            .filter_map(|r| r.get("Database").map(str::to_string))
            .filter(|s| !SYSTEM_SCHEMAS.iter().any(|sys| sys.eq_ignore_ascii_case(s)))
            .collect())
    }

    async fn top_tables(&self, conn: &mut Conn) -> Result<Vec<TableSize>, StarRocksError> {
        let sql = format!(
            "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, DATA_LENGTH FROM information_schema.tables \
             WHERE {USER_TABLES} ORDER BY DATA_LENGTH DESC LIMIT {TOP_TABLES}"
        );
        Ok(self
            .rows(conn, &sql)
            .await?
            .iter()
            .map(|r| TableSize {
                database: r.get("TABLE_SCHEMA").unwrap_or_default().to_string(),
                table: r.get("TABLE_NAME").unwrap_or_default().to_string(),
                rows: r.u64("TABLE_ROWS"),
                bytes: r.u64("DATA_LENGTH").unwrap_or(0),
            })
            .collect())
    }

    async fn materialized_views(&self, conn: &mut Conn) -> Result<MvSummary, StarRocksError> {
        let rows = self
            .rows(
                conn,
                "SELECT TABLE_SCHEMA, TABLE_NAME, IS_ACTIVE, LAST_REFRESH_STATE \
                 FROM information_schema.materialized_views LIMIT 10000",
            )
            .await?;
        let mut s = MvSummary::default();
        for r in &rows {
            s.total += 1;
            if r.get("IS_ACTIVE")
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
            {
                s.active += 1;
            } else {
                s.inactive += 1;
            }
            if r.get("LAST_REFRESH_STATE")
                .is_some_and(|v| v.eq_ignore_ascii_case("FAILED"))
            {
                s.failing.push(format!(
                    "{}.{}",
                    r.get("TABLE_SCHEMA").unwrap_or_default(),
                    r.get("TABLE_NAME").unwrap_or_default()
                ));
            }
        }
        Ok(s)
    }

    /// `SHOW ALTER TABLE COLUMN` is per database; unfinished jobs are counted.
    async fn schema_changes(
        &self,
        conn: &mut Conn,
        dbs: &[String],
    ) -> Result<SchemaChangeSummary, StarRocksError> {
        let mut s = SchemaChangeSummary::default();
        for db in dbs.iter().take(MAX_DATABASES_FOR_ALTER_JOBS) {
            let sql = format!(
                "SHOW ALTER TABLE COLUMN FROM `{}` LIMIT {ALTER_JOBS_PER_DATABASE}",
                db.replace('`', "``")
            );
            for r in self.rows(conn, &sql).await? {
                match r.get("State").map(str::to_ascii_uppercase).as_deref() {
                    Some("PENDING") | Some("WAITING_TXN") => s.pending += 1,
                    Some("RUNNING") | Some("FINISHED_REWRITING") => s.running += 1,
                    _ => {}
                }
            }
        }
        Ok(s)
    }

    async fn sessions(&self, conn: &mut Conn) -> Result<SessionSummary, StarRocksError> {
        let rows = self.rows(conn, "SHOW PROCESSLIST").await?;
        let active: BTreeSet<&str> = rows
            .iter()
            .filter(|r| {
                r.get("Command").is_some_and(|c| {
                    !c.eq_ignore_ascii_case("Sleep") && !c.eq_ignore_ascii_case("Daemon")
                })
            })
            .filter_map(|r| r.get("User"))
            .collect();
        Ok(SessionSummary {
            connections: rows.len() as u64,
            active_users: active.len() as u64,
        })
    }
}

fn stat<T>(r: Result<T, StarRocksError>) -> Stat<T> {
    match r {
        Ok(value) => Stat::Available { value },
        Err(e) => unavailable(&e),
    }
}

/// A statistic that failed, with the (clipped) reason.
fn unavailable<T>(e: &StarRocksError) -> Stat<T> {
    Stat::Unavailable { reason: e.text() }
}

/// A MySQL server error as `message (code)`. The message is the server's
/// and may be megabytes: it is clipped with room left for the code.
fn server_error(target: &str, s: &mysql_async::ServerError) -> StarRocksError {
    let message = clip(&s.message, MAX_ERROR_CHARS - 20);
    StarRocksError::server(target, format!("{message} ({})", s.code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::starrocks::ErrorKind;
    use model::text::CUT_MARK;

    fn server(code: u16, state: &str, message: String) -> mysql_async::Error {
        mysql_async::Error::Server(mysql_async::ServerError {
            code,
            message,
            state: state.into(),
        })
    }

    fn texts(e: &StarRocksError) -> Vec<&str> {
        match e {
            StarRocksError::Server { target, message }
            | StarRocksError::AuthFailed { target, message } => vec![target, message],
            StarRocksError::Unreachable { target, detail } => vec![target, detail],
            other => panic!("unexpected {other:?}"),
        }
    }

    fn row(cells: &[(&str, Option<&str>)]) -> SqlRow {
        SqlRow {
            cells: cells
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
                .collect(),
        }
    }

    #[test]
    fn a_paused_routine_load_row_gives_its_reason_error_rows_and_lag() {
        // SHOW ROUTINE LOAD's columns (3.3 adds OffsetLag), as StarRocks
        // writes them: Statistic and OffsetLag are JSON strings.
        let r = row(&[
            ("Id", Some("10204")),
            ("Name", Some("orders_from_kafka")),
            ("PauseTime", Some("2026-12-07 03:10:42")),
            ("DbName", Some("sales")),
            ("TableName", Some("orders")),
            ("State", Some("PAUSED")),
            ("Statistic", Some(r#"{"receivedBytes":1234,"errorRows":10,"committedTaskNum":5,"loadedRows":1000}"#)),
            ("ReasonOfStateChanged", Some("ErrorReason{errCode = 102, msg='current error rows is more than max error num'}")),
            ("OffsetLag", Some(r#"{"0":"12","1":"3"}"#)),
            ("Extra", Some("ignored")),
        ]);
        let j = routine_load_job("sales", &r);
        assert_eq!(j.name, "orders_from_kafka");
        assert_eq!(j.table_name.as_deref(), Some("orders"));
        assert!(j.paused());
        assert!(j
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("max error num")));
        assert_eq!(j.error_rows, Some(10));
        assert_eq!(j.lag, Some(15));
        assert_eq!(j.pause_time.as_deref(), Some("2026-12-07 03:10:42"));

        // 3.0: no OffsetLag, a running job with NULL times and an empty reason;
        // a Statistic that is not JSON is not a number.
        let r = row(&[
            ("Name", Some("clicks")),
            ("State", Some("RUNNING")),
            ("PauseTime", Some("NULL")),
            ("ReasonOfStateChanged", Some("")),
            ("Statistic", Some("not json")),
        ]);
        let j = routine_load_job("logs", &r);
        assert_eq!(j.database, "logs");
        assert_eq!(
            (j.reason, j.pause_time, j.error_rows, j.lag),
            (None, None, None, None)
        );
    }

    #[test]
    fn identifiers_are_quoted_with_backticks() {
        assert_eq!(quote_identifier("sales"), "`sales`");
        assert_eq!(quote_identifier("we`ird"), "`we``ird`");
    }

    #[tokio::test]
    async fn unbounded_error_texts_mysql_server_errors_are_clipped_and_keep_their_code() {
        let client = SqlClient::new("fe1", 9030, "root", "", SqlTimeouts::default());
        let most = MAX_ERROR_CHARS + CUT_MARK.chars().count();
        let huge = "ü".repeat(4 * 1024 * 1024);
        for (e, kind) in [
            (server(1064, "42000", huge.clone()), ErrorKind::ServerError),
            (server(1045, "28000", huge.clone()), ErrorKind::AuthFailed),
            (
                mysql_async::Error::Io(std::io::Error::other(huge.clone()).into()),
                ErrorKind::Unreachable,
            ),
        ] {
            let e = client.connect_error(e);
            assert_eq!(e.kind(), kind);
            for text in texts(&e) {
                assert!(
                    text.chars().count() <= most,
                    "{} chars",
                    text.chars().count()
                );
            }
            assert!(stat::<()>(Err(e.clone())) != Stat::Available { value: () });
        }
        let e = server_error(
            &client.target,
            &mysql_async::ServerError {
                code: 1064,
                message: huge,
                state: "42000".into(),
            },
        );
        let StarRocksError::Server { message, .. } = &e else {
            panic!("{e:?}")
        };
        assert!(message.starts_with("üü"), "cut on a character boundary");
        assert!(
            message.ends_with(&format!("{CUT_MARK} (1064)")),
            "{message}"
        );
        assert!(message.chars().count() <= MAX_ERROR_CHARS);
        // A short one reads as before.
        let e = client.connect_error(server(1146, "42S02", "Table 'x' doesn't exist".into()));
        assert_eq!(
            e.to_string(),
            "fe1:9030 (MySQL) answered with an error: Table 'x' doesn't exist (1146)"
        );
        client.disconnect().await;
    }
}
