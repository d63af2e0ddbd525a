//! A tiny query engine over one information_schema view (tables,
//! materialized_views, loads, fe_metrics, be_metrics): what the module doc of
//! `sql` lists, no more.
//!
//! `lex.rs` splits the text, `parse.rs` builds a [`Query`], `run.rs` evaluates it
//! over the view's grid, and `values.rs` compares, matches and aggregates values.

mod lex;
mod parse;
mod run;
mod values;

use super::Answer;
use crate::proc::{Ctx, Val};

/// One select item.
#[derive(Debug, Clone)]
enum Item {
    Star,
    /// A column and its label.
    Col(String, String),
    /// Function (lowercase), argument (`None` for `*`), label.
    Agg(String, Option<String>, String),
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

#[derive(Debug)]
struct Query {
    view: String,
    items: Vec<Item>,
    /// ANDed together.
    conds: Vec<Cond>,
    group: Vec<String>,
    /// Label, column or `#position`, and whether descending.
    order: Vec<(String, bool)>,
    /// Offset and count.
    limit: Option<(usize, usize)>,
}

/// Parses and runs one `SELECT ... FROM information_schema.<view>`.
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
        ] {
            assert!(Query::parse(sql).is_ok(), "{sql}");
        }
        assert!(Query::parse("SELECT FROM information_schema.tables").is_err());
    }
}
