//! Query history from the AuditLoader plugin's table
//! (`starrocks_audit_db__.starrocks_audit_tbl__`, INTERFACES.md §7): the
//! statements the console sends, built here only, and what it makes of the
//! answers.
//!
//! Every statement is bounded: a time filter on the partition column
//! (`timestamp`), a `LIMIT`, a statement timeout in a hint, and only columns
//! the table has. Statements are filtered with `isQuery`, never `queryType`
//! (which is `query`, `slow_query` or `connection`).

use chrono::{NaiveDateTime, Offset, TimeZone};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::ControlFlow;

pub const AUDIT_DB: &str = "starrocks_audit_db__";
pub const AUDIT_TABLE: &str = "starrocks_audit_tbl__";
const FROM: &str = "starrocks_audit_db__.starrocks_audit_tbl__";

/// What StarRocks may spend on one statement of ours.
pub const TIMEOUT_S: u32 = 15;
pub const SLOW_LIMIT: usize = 200;
pub const TOP_LIMIT: usize = 50;
/// Per-digest error counts read to merge into the top statements.
pub const DIGEST_ERRORS_LIMIT: usize = 500;
/// Statements read to group by their normalised text or to find their tables.
pub const SAMPLE_LIMIT: usize = 5000;
/// Rows of `QueriedRelations` read for the top tables.
pub const RELATIONS_LIMIT: usize = 20_000;

/// The columns the console reads when the table has them, in its order.
pub const SLOW_COLUMNS: &[&str] = &[
    "queryId",
    "timestamp",
    "user",
    "db",
    "clientIp",
    "queryTime",
    "scanBytes",
    "scanRows",
    "cpuCostNs",
    "memCostBytes",
    "state",
    "errorCode",
    "feIp",
    "digest",
    "stmt",
];

/// The columns of the audit table, as `information_schema.columns` lists them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns(Vec<String>);

impl Columns {
    pub fn new(names: Vec<String>) -> Self {
        Columns(names)
    }
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|c| c.eq_ignore_ascii_case(name))
    }
    pub fn names(&self) -> &[String] {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A window of the table, in the cluster's local time (its DATETIMEs are).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
}

/// The cluster's time zone as `@@time_zone` says it: an IANA name, an
/// offset (`+08:00`), or `UTC`/`SYSTEM` (read as UTC: the sim and containers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Zone {
    Named(chrono_tz::Tz),
    Offset(chrono::FixedOffset),
}

impl Zone {
    pub fn parse(s: &str) -> Zone {
        let s = s.trim();
        if let Ok(tz) = s.parse::<chrono_tz::Tz>() {
            return Zone::Named(tz);
        }
        let offset = |s: &str| -> Option<chrono::FixedOffset> {
            let (sign, rest) = match s.as_bytes().first()? {
                b'+' => (1, &s[1..]),
                b'-' => (-1, &s[1..]),
                _ => return None,
            };
            let (h, m) = rest.split_once(':')?;
            let secs = h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60;
            chrono::FixedOffset::east_opt(sign * secs)
        };
        Zone::Offset(offset(s).unwrap_or_else(|| chrono::Utc.fix()))
    }

    /// UTC unix milliseconds as the cluster's local time.
    pub fn local(&self, ms: i64) -> Option<NaiveDateTime> {
        let utc = chrono::DateTime::from_timestamp_millis(ms)?;
        Some(match self {
            Zone::Named(tz) => utc.with_timezone(tz).naive_local(),
            Zone::Offset(o) => utc.with_timezone(o).naive_local(),
        })
    }

    /// A local time of the cluster as UTC unix milliseconds (the earlier one
    /// when a clock change makes it twice).
    pub fn utc_ms(&self, local: NaiveDateTime) -> Option<i64> {
        let t = match self {
            Zone::Named(tz) => tz
                .from_local_datetime(&local)
                .earliest()?
                .timestamp_millis(),
            Zone::Offset(o) => o.from_local_datetime(&local).earliest()?.timestamp_millis(),
        };
        Some(t)
    }

    /// A DATETIME the table wrote (`2026-12-07 08:00:00`, maybe with
    /// fractions of a second) as UTC milliseconds.
    pub fn datetime_ms(&self, text: &str) -> Option<i64> {
        let local = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S%.f").ok()?;
        self.utc_ms(local)
    }

    /// A window of UTC milliseconds in local time.
    pub fn window(&self, from_ms: i64, to_ms: i64) -> Option<Window> {
        Some(Window {
            from: self.local(from_ms)?,
            to: self.local(to_ms)?,
        })
    }
}

fn hint() -> String {
    format!("/*+ SET_VAR(query_timeout = {TIMEOUT_S}) */")
}

fn range(w: &Window) -> String {
    format!(
        "`timestamp` >= '{}' AND `timestamp` < '{}'",
        w.from.format("%Y-%m-%d %H:%M:%S"),
        w.to.format("%Y-%m-%d %H:%M:%S")
    )
}

/// A column for a select list: backquoted where it is a keyword.
fn col(c: &str) -> String {
    if c.eq_ignore_ascii_case("timestamp") {
        "`timestamp`".into()
    } else {
        c.into()
    }
}

/// Whether the table is there: its columns (none when it is not).
pub fn columns_statement() -> String {
    format!(
        "SELECT COLUMN_NAME FROM information_schema.columns WHERE TABLE_SCHEMA = '{AUDIT_DB}' \
         AND TABLE_NAME = '{AUDIT_TABLE}'"
    )
}

/// Statements at or above `min_ms`, newest first; only columns the table has.
pub fn slow_statement(c: &Columns, w: &Window, min_ms: i64) -> String {
    let list: Vec<String> = SLOW_COLUMNS
        .iter()
        .filter(|n| c.has(n))
        .map(|n| col(n))
        .collect();
    format!(
        "SELECT {} {} FROM {FROM} WHERE {} AND isQuery = 1 AND queryTime >= {} \
         ORDER BY `timestamp` DESC LIMIT {SLOW_LIMIT}",
        hint(),
        list.join(", "),
        range(w),
        min_ms.max(0)
    )
}

/// Statements grouped by digest, by total time.
pub fn by_digest_statement(w: &Window) -> String {
    format!(
        "SELECT {} digest, COUNT(*) AS n, SUM(queryTime) AS total_ms, \
         PERCENTILE_APPROX(queryTime, 0.95) AS p95_ms, SUM(scanBytes) AS scan_bytes, \
         ANY_VALUE(stmt) AS example FROM {FROM} WHERE {} AND isQuery = 1 AND digest != '' \
         GROUP BY digest ORDER BY total_ms DESC LIMIT {TOP_LIMIT}",
        hint(),
        range(w)
    )
}

/// Failed statements per digest.
pub fn digest_errors_statement(w: &Window) -> String {
    format!(
        "SELECT {} digest, COUNT(*) AS errors FROM {FROM} WHERE {} AND isQuery = 1 \
         AND state = 'ERR' AND digest != '' GROUP BY digest ORDER BY errors DESC \
         LIMIT {DIGEST_ERRORS_LIMIT}",
        hint(),
        range(w)
    )
}

/// The statements without a digest (or all, on a table without the column),
/// slowest first, to group by their normalised text here.
pub fn undigested_statement(c: &Columns, w: &Window) -> String {
    let digest = if c.has("digest") {
        " AND digest = ''"
    } else {
        ""
    };
    format!(
        "SELECT {} stmt, queryTime, scanBytes, state FROM {FROM} WHERE {} AND isQuery = 1{digest} \
         ORDER BY queryTime DESC LIMIT {SAMPLE_LIMIT}",
        hint(),
        range(w)
    )
}

/// Users or client addresses by total time.
///
/// `by_count`: the most statements first instead of the most time, so a
/// user with many quick statements is not missed by the time ranking.
pub fn by_who_statement(by_client: bool, by_count: bool, w: &Window) -> String {
    let (item, group) = if by_client {
        (
            "SUBSTRING_INDEX(clientIp, ':', 1) AS client",
            "SUBSTRING_INDEX(clientIp, ':', 1)",
        )
    } else {
        ("user", "user")
    };
    format!(
        "SELECT {} {item}, COUNT(*) AS n, SUM(queryTime) AS total_ms, SUM(scanBytes) AS scan_bytes, \
         SUM(cpuCostNs) AS cpu_ns FROM {FROM} WHERE {} AND isQuery = 1 GROUP BY {group} \
         ORDER BY {} DESC LIMIT {TOP_LIMIT}",
        hint(),
        range(w),
        if by_count { "n" } else { "total_ms" }
    )
}

/// Failed statements by error code, with an example and the last time.
pub fn errors_statement(w: &Window) -> String {
    format!(
        "SELECT {} errorCode, COUNT(*) AS n, ANY_VALUE(stmt) AS example, \
         MAX(`timestamp`) AS last_seen FROM {FROM} WHERE {} AND isQuery = 1 AND state = 'ERR' \
         GROUP BY errorCode ORDER BY n DESC LIMIT {TOP_LIMIT}",
        hint(),
        range(w)
    )
}

/// The tables each statement read, where the server fills `QueriedRelations`.
pub fn relations_statement(w: &Window) -> String {
    format!(
        "SELECT {} QueriedRelations, queryTime FROM {FROM} WHERE {} AND isQuery = 1 \
         AND QueriedRelations IS NOT NULL LIMIT {RELATIONS_LIMIT}",
        hint(),
        range(w)
    )
}

/// The newest statements, to find their tables in their text.
pub fn recent_statements_statement(w: &Window) -> String {
    format!(
        "SELECT {} stmt, db, queryTime FROM {FROM} WHERE {} AND isQuery = 1 \
         ORDER BY `timestamp` DESC LIMIT {SAMPLE_LIMIT}",
        hint(),
        range(w)
    )
}

/// Every statement shape the console sends about the audit table, with
/// example arguments: the SQL-parser test reads each.
pub fn every_statement() -> Vec<String> {
    let all = Columns::new(SLOW_COLUMNS.iter().map(|c| c.to_string()).collect());
    let old = Columns::new(vec!["queryId".into(), "timestamp".into(), "stmt".into()]);
    let w = Window {
        from: NaiveDateTime::default(),
        to: NaiveDateTime::default() + chrono::Duration::days(1),
    };
    vec![
        columns_statement(),
        slow_statement(&all, &w, 5000),
        slow_statement(&old, &w, 0),
        by_digest_statement(&w),
        digest_errors_statement(&w),
        undigested_statement(&all, &w),
        undigested_statement(&old, &w),
        by_who_statement(false, false, &w),
        by_who_statement(true, false, &w),
        by_who_statement(false, true, &w),
        by_who_statement(true, true, &w),
        errors_statement(&w),
        relations_statement(&w),
        recent_statements_statement(&w),
    ]
}

// --- what the console makes of the statements ------------------------------

fn dialect() -> sqlparser::dialect::MySqlDialect {
    sqlparser::dialect::MySqlDialect {}
}

/// A statement with its literals as `?` and its spacing made one: statements
/// that differ only in values group together. Lists of values become one `?`.
/// `None` when the text cannot even be tokenized.
pub fn normalise(stmt: &str) -> Option<String> {
    use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};
    let tokens = Tokenizer::new(&dialect(), stmt).tokenize().ok()?;
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut space = false;
    for t in tokens {
        let text = match t {
            Token::Whitespace(Whitespace::SingleLineComment { .. })
            | Token::Whitespace(Whitespace::MultiLineComment(_))
            | Token::Whitespace(_) => {
                space = true;
                continue;
            }
            Token::Number(..)
            | Token::SingleQuotedString(_)
            | Token::DoubleQuotedString(_)
            | Token::NationalStringLiteral(_)
            | Token::HexStringLiteral(_) => "?".to_string(),
            Token::SemiColon => continue,
            other => other.to_string(),
        };
        // `?, ?, ?` (an IN list, VALUES rows) as one `?`.
        let n = out.len();
        if text == "?" && n >= 2 && out[n - 1] == "," && out[n - 2] == "?" {
            out.pop();
            space = false;
            continue;
        }
        if space
            && !out.is_empty()
            && text != ","
            && text != ")"
            && out.last().is_some_and(|l| l != "(")
        {
            out.push(" ".into());
        }
        space = false;
        out.push(text);
    }
    let s: String = out.concat();
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// The tables a statement reads or writes, as `db.table` (the statement's
/// database where it names none), by a real SQL parser; `None` when the
/// parser cannot read it (counted, never guessed). Names of the statement's
/// own WITH queries are not tables.
pub fn tables_of(stmt: &str, db: Option<&str>) -> Option<Vec<String>> {
    use sqlparser::ast::{visit_relations, Query, Visit, Visitor};
    let statements = sqlparser::parser::Parser::parse_sql(&dialect(), stmt).ok()?;

    struct Ctes(HashSet<String>);
    impl Visitor for Ctes {
        type Break = ();
        fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
            if let Some(with) = &q.with {
                for c in &with.cte_tables {
                    self.0.insert(c.alias.name.value.to_ascii_lowercase());
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut ctes = Ctes(HashSet::new());
    let _ = statements.visit(&mut ctes);

    let mut found: Vec<String> = Vec::new();
    let _ = visit_relations(&statements, |name| {
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| p.to_string().trim_matches('`').to_string())
            .collect();
        let key = match parts.as_slice() {
            [t] if ctes.0.contains(&t.to_ascii_lowercase()) => None,
            [t] => Some(match db {
                Some(db) if !db.is_empty() => format!("{db}.{t}"),
                _ => t.clone(),
            }),
            [d, t] => Some(format!("{d}.{t}")),
            [c, d, t] if c.eq_ignore_ascii_case("default_catalog") => Some(format!("{d}.{t}")),
            more => Some(more.join(".")),
        };
        if let Some(k) = key {
            if !found.contains(&k) {
                found.push(k);
            }
        }
        ControlFlow::<()>::Continue(())
    });
    Some(found)
}

/// `QueriedRelations` as the server writes it (`["default_catalog.db1.tbl1"]`)
/// as `db.table` names; the default catalog is left out.
pub fn relations(value: &str) -> Vec<String> {
    let Ok(list) = serde_json::from_str::<Vec<String>>(value) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for r in list {
        let r = r.strip_prefix("default_catalog.").unwrap_or(&r).to_string();
        if !r.is_empty() && !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

/// Sums per key: statements and their time.
#[derive(Debug, Default)]
pub struct Tally {
    groups: HashMap<String, Group>,
}

/// One group of a [`Tally`]: its statements' times (for the p95; at most
/// [`SAMPLE_LIMIT`] or [`RELATIONS_LIMIT`] rows are read, so this is bounded),
/// scanned bytes, failures and an example.
#[derive(Debug, Default)]
struct Group {
    times: Vec<i64>,
    scan: i64,
    errors: i64,
    example: Option<String>,
}

impl Tally {
    /// One statement of `key`: its time, scanned bytes, whether it failed, and
    /// an example of the group.
    pub fn add(&mut self, key: String, ms: i64, scan: i64, failed: bool, example: Option<&str>) {
        let g = self.groups.entry(key).or_insert_with(|| Group {
            example: example.map(str::to_string),
            ..Group::default()
        });
        g.times.push(ms);
        g.scan = g.scan.saturating_add(scan);
        g.errors += i64::from(failed);
    }

    /// The groups by total time, the `limit` largest, each with its p95.
    pub fn top(self, limit: usize) -> Vec<model::queries::TopRow> {
        let mut rows: Vec<model::queries::TopRow> = self
            .groups
            .into_iter()
            .map(|(key, mut g)| {
                g.times.sort_unstable();
                // The nearest rank: the smallest time at or above 95 % of them.
                let rank = (g.times.len() * 95).div_ceil(100).max(1) - 1;
                model::queries::TopRow {
                    key,
                    count: g.times.len() as i64,
                    total_ms: Some(g.times.iter().fold(0i64, |a, t| a.saturating_add(*t))),
                    p95_ms: g.times.get(rank).map(|t| *t as f64),
                    scan_bytes: Some(g.scan),
                    errors: Some(g.errors),
                    example: g.example,
                    ..Default::default()
                }
            })
            .collect();
        rows.sort_by(|a, b| b.total_ms.cmp(&a.total_ms).then(a.key.cmp(&b.key)));
        rows.truncate(limit);
        rows
    }
}

/// Puts the failed statements per digest (a second answer) on the top
/// statements' lines.
pub fn merge_errors(rows: &mut [model::queries::TopRow], errors: &BTreeMap<String, i64>) {
    for r in rows {
        r.errors = Some(errors.get(&r.key).copied().unwrap_or(0));
    }
}

#[cfg(test)]
mod tests;
