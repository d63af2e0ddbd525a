//! The SHOW statements: databases, processlist, the proc-backed ones (BACKENDS,
//! FRONTENDS, COMPUTE NODES, PROC), ALTER TABLE COLUMN / ROLLUP and ROUTINE LOAD.

use super::{analysis_error, syntax_error, Answer, Session};
use crate::proc::{alter_grid, proc, processlist, routine_load_grid, Ctx, Grid, Kind, Val};

/// The SHOW statements that take no argument; `None` when `low` is none of them.
pub(super) fn fixed(c: &Ctx, me: &Session, sql: &str, low: &str) -> Option<Answer> {
    Some(match low {
        "show databases" => databases(c),
        "show processlist" | "show full processlist" => {
            Answer::Rows(processlist(c, me.id, &me.user, &me.db))
        }
        "show backends" => show_proc(c, "/backends"),
        "show frontends" => show_proc(c, "/frontends"),
        "show compute nodes" => show_proc(c, "/compute_nodes"),
        "show alter table" => syntax_error(sql),
        _ => return None,
    })
}

/// System databases first, then the model's, then the AuditLoader's.
fn databases(c: &Ctx) -> Answer {
    let mut g = Grid {
        cols: vec![("Database".into(), Kind::Str)],
        rows: Vec::new(),
    };
    for n in ["_statistics_", "information_schema", "sys"] {
        g.rows.push(vec![Val::Str(n.into())]);
    }
    g.rows.extend(
        c.sh.model
            .dbs
            .iter()
            .map(|d| vec![Val::Str(d.name.clone())]),
    );
    if crate::audit::present(&c.sh.model) {
        g.rows.push(vec![Val::Str(crate::audit::AUDIT_DB.into())]);
    }
    Answer::Rows(g)
}

/// `SHOW PROC '<path>'`; `rest` is what follows `show proc ` in the lowercased text.
pub(super) fn proc_path(c: &Ctx, sql: &str, rest: &str) -> Answer {
    // Paths are case-sensitive on the FE: take them from the original text.
    let start = sql.len() - rest.len();
    let path = sql[start..]
        .trim()
        .trim_matches(|ch| ch == '\'' || ch == '"');
    show_proc(c, path)
}

fn show_proc(c: &Ctx, path: &str) -> Answer {
    match proc(c, path) {
        Some(g) => Answer::Rows(g),
        None => analysis_error(&format!("Unknown proc node path: {path}")),
    }
}

/// `SHOW ALTER TABLE COLUMN|ROLLUP [FROM|IN db] [LIMIT n]`; `None` when `low` is neither.
pub(super) fn alter(c: &Ctx, sql: &str, low: &str) -> Option<Answer> {
    let (rest, rollup) = if let Some(rest) = low.strip_prefix("show alter table column") {
        (rest, false)
    } else {
        (low.strip_prefix("show alter table rollup")?, true)
    };
    // `... LIMIT n` keeps the first n jobs, as StarRocks does.
    let (rest, limit) = match rest.trim().rsplit_once(" limit ") {
        Some((before, n)) => match n.trim().parse::<usize>() {
            Ok(n) => (before.trim(), Some(n)),
            Err(_) => return Some(syntax_error(sql)),
        },
        None => (rest.trim(), None),
    };
    let db = if rest.is_empty() {
        None
    } else if let Some(d) = rest
        .strip_prefix("from ")
        .or_else(|| rest.strip_prefix("in "))
    {
        Some(d.trim().trim_matches('`').to_string())
    } else {
        return Some(syntax_error(sql));
    };
    if let Some(d) = &db {
        if !db_known(c, d) {
            return Some(Answer::Err(1049, format!("Unknown database '{d}'")));
        }
    }
    let mut grid = if rollup {
        rollup_grid()
    } else {
        alter_grid(c, db.as_deref())
    };
    if let Some(n) = limit {
        grid.rows.truncate(n);
    }
    Some(Answer::Rows(grid))
}

/// RollupProcDir columns: the simulated cluster runs no rollup jobs.
fn rollup_grid() -> Grid {
    let cols = [
        "JobId",
        "TableName",
        "CreateTime",
        "FinishedTime",
        "BaseIndexName",
        "RollupIndexName",
        "RollupId",
        "TransactionId",
        "State",
        "Msg",
        "Progress",
        "Timeout",
    ];
    Grid {
        cols: cols.iter().map(|x| (x.to_string(), Kind::Str)).collect(),
        rows: Vec::new(),
    }
}

/// Whether `db` names a database of the cluster (system ones included).
fn db_known(c: &Ctx, db: &str) -> bool {
    ["_statistics_", "information_schema", "sys"]
        .iter()
        .any(|x| x.eq_ignore_ascii_case(db))
        || c.sh
            .model
            .dbs
            .iter()
            .any(|x| x.name.eq_ignore_ascii_case(db))
        || (db == crate::audit::AUDIT_DB && crate::audit::present(&c.sh.model))
}

/// `SHOW [ALL] ROUTINE LOAD [FOR [db.]name | FROM db]`; `None` when `low` is
/// not one. Without a database it takes the session's, and with none answers
/// StarRocks' analysis error "No database selected".
pub(super) fn routine_load(c: &Ctx, me: &Session, sql: &str, low: &str) -> Option<Answer> {
    let rest = low
        .strip_prefix("show all routine load")
        .or_else(|| low.strip_prefix("show routine load"))?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    // Names keep their case: take them from the original text (the lowercased
    // text has the same byte positions).
    let orig = sql.get(sql.len() - rest.len()..).unwrap_or("").trim();
    let unquote = |x: &str| x.trim().trim_matches('`').to_string();
    let (db, name) = if orig.is_empty() {
        (None, None)
    } else if orig.len() > 5 && orig[..5].eq_ignore_ascii_case("from ") {
        (Some(unquote(&orig[5..])), None)
    } else if orig.len() > 4 && orig[..4].eq_ignore_ascii_case("for ") {
        match orig[4..].trim().split_once('.') {
            Some((d, n)) => (Some(unquote(d)), Some(unquote(n))),
            None => (None, Some(unquote(&orig[4..]))),
        }
    } else {
        return Some(syntax_error(sql));
    };
    if db
        .as_deref()
        .is_some_and(|d| d.is_empty() || d.contains(char::is_whitespace))
        || name
            .as_deref()
            .is_some_and(|n| n.is_empty() || n.contains(char::is_whitespace))
    {
        return Some(syntax_error(sql));
    }
    let db = match db {
        Some(d) => d,
        None if !me.db.is_empty() => me.db.clone(),
        None => return Some(analysis_error("No database selected")),
    };
    if !db_known(c, &db) {
        return Some(Answer::Err(1049, format!("Unknown database '{db}'")));
    }
    Some(Answer::Rows(routine_load_grid(c, &db, name.as_deref())))
}
