//! The SQL the simulated FE understands. Matching is case-insensitive, ignores
//! extra whitespace, a trailing `;` and leading `/* ... */` comments.
//!
//! | statement | result columns |
//! |---|---|
//! | `SET ...` | OK packet |
//! | `SELECT 1` | `1` |
//! | `SELECT current_version()` | `current_version()` → `3.3.10 227b0b3` |
//! | `SELECT version()` | `version()` → `5.1.0` |
//! | `SELECT database()` | `database()` |
//! | `SELECT @@var[, @@var ...] [LIMIT 1]` (also `@@session.`/`@@global.`, `AS alias`) | `@@var` each; known: version, version_comment, max_allowed_packet, wait_timeout, interactive_timeout, socket, license, lower_case_table_names, time_zone, system_time_zone, character_set_client/connection/results/server, collation_connection, auto_increment_increment, sql_mode, tx_isolation, transaction_isolation, query_timeout, net_write_timeout, sql_select_limit, language, init_connect, performance_schema; others: error 1193 |
//! | `SHOW DATABASES` | `Database`: the system ones, the model's, then `starrocks_audit_db__` when the cluster has the audit table |
//! | `SHOW PROCESSLIST`, `SHOW FULL PROCESSLIST` | Id, User, Host, Db, Command, ConnectionStartTime, Time, State, Info, IsPending |
//! | `SHOW ALTER TABLE COLUMN [FROM db] [LIMIT n]` | JobId, TableName, CreateTime, FinishTime, IndexName, IndexId, OriginIndexId, SchemaVersion, TransactionId, State, Msg, Progress, Timeout |
//! | `SHOW ALTER TABLE ROLLUP [FROM db]` | JobId, TableName, CreateTime, FinishedTime, BaseIndexName, RollupIndexName, RollupId, TransactionId, State, Msg, Progress, Timeout (no rows) |
//! | `SHOW [ALL] ROUTINE LOAD [FROM db \| FOR [db.]name]` (no database: the session's; none: 1064 "No database selected"; unknown: 1049) | Id, Name, CreateTime, PauseTime, EndTime, DbName, TableName, State, DataSourceType, CurrentTaskNum, JobProperties, DataSourceProperties, CustomProperties, Statistic, Progress, TimestampProgress, ReasonOfStateChanged, ErrorLogUrls, TrackingSQL, OtherMsg; 3.3 adds LatestSourcePosition, OffsetLag, TimestampLag. All VARCHAR; times `yyyy-MM-dd HH:mm:ss` or `NULL` |
//! | `SHOW BACKENDS`, `SHOW FRONTENDS`, `SHOW COMPUTE NODES`, `SHOW PROC '<path>'` | as `/api/show_proc` for that path (`/current_queries`: the FE the session is on; `/global_current_queries`: every alive FE's, 3.3 only); unknown path: 1064 `Unknown proc node path` |
//! | `KILL [QUERY \| CONNECTION] <ConnectionId>` | OK packet when this FE runs a query on that connection (it is gone from every listing after); 1094 `Unknown thread id: <id>`; 1095 `You are not owner of thread <id>` for a non-admin killing another user's query; a non-numeric id: syntax error (see `kill.rs`) |
//! | `SELECT <items> FROM information_schema.<t> [WHERE ...] [GROUP BY ...] [ORDER BY ...] [LIMIT n [OFFSET m] \| LIMIT m, n]` for `t` in tables, columns, materialized_views, loads, fe_metrics, be_metrics (the last two from 3.1 on) | see below |
//! | the same `FROM starrocks_audit_db__.starrocks_audit_tbl__` | the AuditLoader table when the cluster has one ([`crate::AuditTable`]); without: 1064 `Getting analyzing error. Detail message: Unknown database 'starrocks_audit_db__'.` |
//!
//! Queries on one table: a comment or optimizer hint anywhere (`SELECT /*+
//! SET_VAR(query_timeout = 15) */ ...`) is ignored, names may be backquoted
//! (`` `timestamp` ``), and the table is written `db.table`. `<items>` is `*` or a
//! comma list of expressions, each with an optional `[AS] alias` (the column label
//! is the alias, else the expression as written): a column, a literal,
//! `SUBSTRING_INDEX(expr, 'delim', n)`, or an aggregate over a column: `COUNT(*)`,
//! `COUNT(col)`, `SUM(col)`, `MIN(col)`, `MAX(col)`, `AVG(col)` (DOUBLE),
//! `ANY_VALUE(col)`, `PERCENTILE_APPROX(col, p)` (DOUBLE, the interpolated
//! percentile of the group's values). WHERE is an AND of
//! `col = | != | <> | < | <= | > | >= literal`, `col [NOT] IN (literals)`,
//! `col [NOT] LIKE 'pattern'`, `col IS [NOT] NULL`; a DATETIME column compares with
//! `'yyyy-MM-dd HH:mm:ss'` (or `'yyyy-MM-dd'`, its midnight). GROUP BY takes
//! expressions (`GROUP BY SUBSTRING_INDEX(clientIp, ':', 1)`) or aliases. ORDER BY
//! takes labels, columns (without GROUP BY also columns not selected), selected
//! expressions or positions, each `ASC`/`DESC`. Unknown columns: 1064 `Column 'x'
//! cannot be resolved`; unknown functions or arities: 1064 `No matching function
//! with signature: f`; unknown tables: 1064 `Unknown table 'db.t'`. Integers are
//! BIGINT on the wire, aggregates DOUBLE where said, datetimes `yyyy-MM-dd HH:mm:ss`.
//!
//! Columns of those views are as INTERFACES.md lists them (TABLE_ROWS and
//! DATA_LENGTH are BIGINT; DATA_LENGTH in bytes over replicas; fe_metrics is FE_ID,
//! NAME, LABELS, VALUE BIGINT and be_metrics BE_ID BIGINT, NAME, LABELS, VALUE
//! BIGINT, as the crate doc describes). `columns` (TABLE_CATALOG, TABLE_SCHEMA,
//! TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION BIGINT, COLUMN_DEFAULT, IS_NULLABLE,
//! DATA_TYPE, CHARACTER_MAXIMUM_LENGTH BIGINT, COLUMN_TYPE, COLUMN_KEY,
//! COLUMN_COMMENT) lists the audit table's columns in its column set, nothing
//! else. The audit table's columns and rows: see `crate::audit` and the crate doc.
//!
//! A bare `SHOW ALTER TABLE` and anything else: error 1064 with StarRocks' wording.
//!
//! Layout: this file normalizes a statement and dispatches it by kind; `select.rs`
//! answers SELECTs without FROM (constants and `@@` variables), `show.rs` the SHOW
//! statements, `kill.rs` KILL, and `query/` is the tiny query engine over
//! information_schema and the audit table.

mod kill;
mod query;
mod select;
mod show;

use super::proc::{Ctx, Grid, Kind, Val};

/// What a statement produces.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Rows(Grid),
    Ok,
    Err(u16, String),
}

/// The connection's view of itself.
pub struct Session {
    pub id: u32,
    pub user: String,
    pub db: String,
}

fn syntax_error(sql: &str) -> Answer {
    let first = sql.split_whitespace().next().unwrap_or("");
    Answer::Err(
        1064,
        format!("Getting syntax error at line 1, column 0. Detail message: Unexpected input '{first}', the most similar input is {{<EOF>, ';'}}."),
    )
}

fn analysis_error(msg: &str) -> Answer {
    Answer::Err(
        1064,
        format!("Getting analyzing error. Detail message: {msg}."),
    )
}

/// How a value is typed on the wire: integers as integers, doubles as
/// doubles, the rest as strings.
fn kind_of(v: &Val) -> Kind {
    match v {
        Val::Int(_) => Kind::Int,
        Val::Float(_) => Kind::Double,
        _ => Kind::Str,
    }
}

/// Strips comments, whitespace runs and the trailing `;`.
fn normalize(sql: &str) -> String {
    let mut s = sql.trim();
    while let Some(rest) = s.strip_prefix("/*") {
        s = rest.split_once("*/").map_or("", |(_, r)| r).trim();
    }
    let s = s.trim_end_matches(|c: char| c == ';' || c.is_whitespace());
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Answers one statement. `sql` keeps the original case (proc paths and aliases
/// are case-sensitive); `low` is what statements are recognised by.
pub fn execute(c: &Ctx, me: &Session, sql: &str) -> Answer {
    let sql = normalize(sql);
    let low = sql.to_ascii_lowercase();
    if low.starts_with("set ") {
        return Answer::Ok;
    }
    if let Some(a) = select::constant(c, me, &low) {
        return a;
    }
    if let Some(a) = show::fixed(c, me, &sql, &low) {
        return a;
    }
    if low.starts_with("select @@") {
        return select::variables(c, &sql);
    }
    if let Some(rest) = low.strip_prefix("show proc ") {
        return show::proc_path(c, &sql, rest);
    }
    if let Some(a) = show::alter(c, &sql, &low) {
        return a;
    }
    if let Some(a) = show::routine_load(c, me, &sql, &low) {
        return a;
    }
    if let Some(a) = kill::kill(c, me, &sql, &low) {
        return a;
    }
    if low.starts_with("select ") && query::handles(&low) {
        return query::answer(c, &sql);
    }
    syntax_error(&sql)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes() {
        assert_eq!(normalize("  /* x */ SELECT   1 ;\n"), "SELECT 1");
    }
}
