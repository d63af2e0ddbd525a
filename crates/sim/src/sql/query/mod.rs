//! A tiny query engine over one table: an information_schema view (tables,
//! columns, materialized_views, loads, fe_metrics, be_metrics) or the
//! AuditLoader table (`starrocks_audit_db__.starrocks_audit_tbl__`): what the
//! module doc of `sql` lists, no more.
//!
//! `lex.rs` splits the text, `parse.rs` builds a [`Query`], `run.rs` evaluates it
//! over the table's rows, `values.rs` compares, matches and aggregates values,
//! and `source.rs` opens the table (building the view, or generating the
//! audit rows of the WHERE clause's time range only).

mod lex;
mod parse;
mod run;
mod source;
mod values;

use super::Answer;
use crate::proc::{Ctx, Val};

/// An expression of a select item, GROUP BY or ORDER BY.
#[derive(Debug, Clone)]
enum Expr {
    /// A column, as written (the last part of a qualified name).
    Col(String),
    /// A literal and its text.
    Lit(Val, String),
    /// `*`, as the argument of `COUNT(*)`.
    Star,
    /// A function call: the name as written and the arguments.
    Call(String, Vec<Expr>),
}

impl Expr {
    /// The text a column gets without an alias: the expression as written.
    fn label(&self) -> String {
        match self {
            Expr::Col(c) => c.clone(),
            Expr::Lit(_, text) => text.clone(),
            Expr::Star => "*".into(),
            Expr::Call(f, args) => {
                let args: Vec<String> = args.iter().map(Expr::label).collect();
                format!("{f}({})", args.join(", "))
            }
        }
    }

    /// The same expression, whatever the case of names.
    fn same(&self, other: &Expr) -> bool {
        match (self, other) {
            (Expr::Col(a), Expr::Col(b)) => a.eq_ignore_ascii_case(b),
            (Expr::Lit(a, _), Expr::Lit(b, _)) => a == b,
            (Expr::Star, Expr::Star) => true,
            (Expr::Call(f, a), Expr::Call(g, b)) => {
                f.eq_ignore_ascii_case(g)
                    && a.len() == b.len()
                    && a.iter().zip(b).all(|(x, y)| x.same(y))
            }
            _ => false,
        }
    }
}

/// One select item.
#[derive(Debug, Clone)]
enum Item {
    Star,
    /// An expression and its label.
    Expr(Expr, String),
}

/// One WHERE condition on a column.
#[derive(Debug, Clone)]
enum Cond {
    /// Column, operator, literal.
    Cmp(String, String, Val),
    /// Column, `true` for IN (`false` for NOT IN), literals.
    In(String, bool, Vec<Val>),
    /// Column, `true` for LIKE (`false` for NOT LIKE), pattern.
    Like(String, bool, String),
    /// Column, `true` for IS NULL (`false` for IS NOT NULL).
    Null(String, bool),
}

impl Cond {
    fn column(&self) -> &str {
        match self {
            Cond::Cmp(c, ..) | Cond::In(c, ..) | Cond::Like(c, ..) | Cond::Null(c, ..) => c,
        }
    }
}

/// An ORDER BY key.
#[derive(Debug, Clone)]
enum Key {
    /// A 1-based output position.
    Pos(i64),
    /// A label, a column or an expression among the outputs.
    Expr(Expr),
}

#[derive(Debug)]
struct Query {
    /// The database (lowercase) and the table as written.
    db: String,
    table: String,
    items: Vec<Item>,
    /// ANDed together.
    conds: Vec<Cond>,
    group: Vec<Expr>,
    /// Key and whether descending.
    order: Vec<(Key, bool)>,
    /// Offset and count.
    limit: Option<(usize, usize)>,
}

/// Whether the (lowercased) SELECT names a table this engine answers:
/// `FROM information_schema.<view>` or `FROM starrocks_audit_db__.<table>`.
pub(super) fn handles(low: &str) -> bool {
    let low = low.replace('`', "");
    low.contains(" from information_schema.")
        || low.contains(&format!(" from {}.", crate::audit::AUDIT_DB))
}

/// Parses and runs one `SELECT ... FROM <db>.<table>`.
pub(super) fn answer(c: &Ctx, sql: &str) -> Answer {
    match Query::parse(sql) {
        Ok(q) => q.run(c),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_shapes() {
        for sql in [
            "SELECT * FROM information_schema.tables",
            "SELECT TABLE_SCHEMA, COUNT(*) AS n, SUM(DATA_LENGTH) bytes FROM information_schema.tables WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('_statistics_') GROUP BY TABLE_SCHEMA ORDER BY bytes DESC LIMIT 5",
            "select table_name from information_schema.tables where table_schema like 's%' order by 1 limit 2, 3",
            "SELECT * FROM information_schema.materialized_views WHERE LAST_REFRESH_STATE IS NOT NULL LIMIT 1 OFFSET 1",
            "SELECT /*+ SET_VAR(query_timeout = 15) */ SUBSTRING_INDEX(clientIp, ':', 1) AS client, COUNT(*) AS n FROM starrocks_audit_db__.starrocks_audit_tbl__ WHERE `timestamp` >= '2026-12-06 16:00:00' GROUP BY SUBSTRING_INDEX(clientIp, ':', 1) ORDER BY n DESC LIMIT 50",
            "SELECT digest, PERCENTILE_APPROX(queryTime, 0.95) AS p95_ms FROM `starrocks_audit_db__`.`starrocks_audit_tbl__` WHERE digest != '' GROUP BY digest",
        ] {
            assert!(Query::parse(sql).is_ok(), "{sql}");
        }
        assert!(Query::parse("SELECT FROM information_schema.tables").is_err());
        assert!(Query::parse("SELECT a FROM tables").is_err());
    }
}
