//! SELECTs without FROM: the constants and functions clients send on connect, and
//! `SELECT @@var[, ...]` over the session variables the FE reports.

use super::{kind_of, Answer, Session};
use crate::proc::{Ctx, Grid, Val};

/// One row of one column.
fn single(col: &str, v: Val) -> Answer {
    Answer::Rows(Grid {
        cols: vec![(col.to_string(), kind_of(&v))],
        rows: vec![vec![v]],
    })
}

/// `SELECT 1`, `current_version()`, `version()`, `database()`; `None` for anything else.
pub(super) fn constant(c: &Ctx, me: &Session, low: &str) -> Option<Answer> {
    let spec = &c.sh.model.spec;
    Some(match low {
        "select 1" => single("1", Val::Int(1)),
        "select current_version()" => single(
            "current_version()",
            Val::Str(spec.version.current_version()),
        ),
        "select version()" => single("version()", Val::Str("5.1.0".into())),
        "select database()" => single(
            "database()",
            if me.db.is_empty() {
                Val::Null
            } else {
                Val::Str(me.db.clone())
            },
        ),
        _ => return None,
    })
}

/// `SELECT @@a, @@session.b AS x [LIMIT n]`: one row, a column per item, labelled
/// with the alias or the item as written. An unknown variable fails the whole query.
pub(super) fn variables(c: &Ctx, sql: &str) -> Answer {
    let body = &sql["select ".len()..];
    let body = match body.to_ascii_lowercase().rfind(" limit ") {
        Some(i) => &body[..i],
        None => body,
    };
    let mut g = Grid {
        cols: Vec::new(),
        rows: vec![Vec::new()],
    };
    for item in body.split(',') {
        let item = item.trim();
        let (expr, alias) = match item.to_ascii_lowercase().find(" as ") {
            Some(i) => (
                item[..i].trim(),
                Some(item[i + 4..].trim().trim_matches('`')),
            ),
            None => (item, None),
        };
        let lower = expr.to_ascii_lowercase();
        let name = lower
            .trim_start_matches("@@")
            .trim_start_matches("session.")
            .trim_start_matches("global.");
        let Some(v) = variable(c, name) else {
            return Answer::Err(1193, format!("Unknown system variable '{name}'"));
        };
        g.cols
            .push((alias.unwrap_or(expr).to_string(), kind_of(&v)));
        g.rows[0].push(v);
    }
    Answer::Rows(g)
}

/// A session variable's value, `None` for one the FE does not know.
fn variable(c: &Ctx, name: &str) -> Option<Val> {
    let spec = &c.sh.model.spec;
    Some(match name {
        "version" => Val::Str("5.1.0".into()),
        "version_comment" => Val::Str(spec.version.full()),
        "max_allowed_packet" => Val::Int(33_554_432),
        "wait_timeout" | "interactive_timeout" => Val::Int(28_800),
        "socket" | "init_connect" => Val::Null,
        "license" => Val::Str("Apache License 2.0".into()),
        "lower_case_table_names" | "performance_schema" => Val::Int(0),
        "time_zone" | "system_time_zone" => Val::Str("UTC".into()),
        "character_set_client"
        | "character_set_connection"
        | "character_set_results"
        | "character_set_server" => Val::Str("utf8".into()),
        "collation_connection" | "collation_server" | "collation_database" => {
            Val::Str("utf8_general_ci".into())
        }
        "auto_increment_increment" => Val::Int(1),
        "sql_mode" => Val::Str("ONLY_FULL_GROUP_BY".into()),
        "tx_isolation" | "transaction_isolation" => Val::Str("REPEATABLE-READ".into()),
        "query_timeout" => Val::Int(300),
        "net_write_timeout" => Val::Int(60),
        "sql_select_limit" => Val::Int(9_223_372_036_854_775_807),
        "language" => Val::Str("/starrocks/share/english/".into()),
        _ => return None,
    })
}
