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
//! | `SHOW DATABASES` | `Database` |
//! | `SHOW PROCESSLIST`, `SHOW FULL PROCESSLIST` | Id, User, Host, Db, Command, ConnectionStartTime, Time, State, Info, IsPending |
//! | `SHOW ALTER TABLE COLUMN [FROM db]` | JobId, TableName, CreateTime, FinishTime, IndexName, IndexId, OriginIndexId, SchemaVersion, TransactionId, State, Msg, Progress, Timeout |
//! | `SHOW ALTER TABLE ROLLUP [FROM db]` | JobId, TableName, CreateTime, FinishedTime, BaseIndexName, RollupIndexName, RollupId, TransactionId, State, Msg, Progress, Timeout (no rows) |
//! | `SHOW BACKENDS`, `SHOW FRONTENDS`, `SHOW COMPUTE NODES`, `SHOW PROC '<path>'` | as `/api/show_proc` for that path; unknown path: 1064 `Unknown proc node path` |
//! | `SELECT <items> FROM information_schema.<t> [WHERE ...] [GROUP BY ...] [ORDER BY ...] [LIMIT n [OFFSET m] \| LIMIT m, n]` for `t` in tables, materialized_views, loads | see below |
//!
//! information_schema queries: `<items>` is `*` or a comma list of a column, `COUNT(*)`,
//! `COUNT(col)`, `SUM(col)`, `MIN(col)`, `MAX(col)`, each with an optional `[AS] alias`
//! (the column label is the alias, else the item as written). WHERE is an AND of
//! `col = | != | <> | < | <= | > | >= literal`, `col [NOT] IN (literals)`,
//! `col [NOT] LIKE 'pattern'`, `col IS [NOT] NULL`. ORDER BY takes labels, columns or
//! positions, each `ASC`/`DESC`. Columns of those views are as INTERFACES.md lists
//! them (TABLE_ROWS and DATA_LENGTH are BIGINT; DATA_LENGTH in bytes over replicas).
//!
//! A bare `SHOW ALTER TABLE` and anything else: error 1064 with StarRocks' wording.

use super::proc::{
    alter_grid, loads_grid, mvs_grid, proc, processlist, tables_grid, Ctx, Grid, Kind, Val,
};
use std::cmp::Ordering;

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

fn single(col: &str, v: Val) -> Answer {
    let kind = if matches!(v, Val::Int(_)) {
        Kind::Int
    } else {
        Kind::Str
    };
    Answer::Rows(Grid {
        cols: vec![(col.to_string(), kind)],
        rows: vec![vec![v]],
    })
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

pub fn execute(c: &Ctx, me: &Session, sql: &str) -> Answer {
    let sql = normalize(sql);
    let low = sql.to_ascii_lowercase();
    let spec = &c.sh.model.spec;
    if low.starts_with("set ") {
        return Answer::Ok;
    }
    match low.as_str() {
        "select 1" => return single("1", Val::Int(1)),
        "select current_version()" => {
            return single(
                "current_version()",
                Val::Str(spec.version.current_version()),
            )
        }
        "select version()" => return single("version()", Val::Str("5.1.0".into())),
        "select database()" => {
            return single(
                "database()",
                if me.db.is_empty() {
                    Val::Null
                } else {
                    Val::Str(me.db.clone())
                },
            )
        }
        "show databases" => {
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
            return Answer::Rows(g);
        }
        "show processlist" | "show full processlist" => {
            return Answer::Rows(processlist(c, me.id, &me.user, &me.db))
        }
        "show backends" => return show_proc(c, "/backends"),
        "show frontends" => return show_proc(c, "/frontends"),
        "show compute nodes" => return show_proc(c, "/compute_nodes"),
        "show alter table" => return syntax_error(&sql),
        _ => {}
    }
    if low.starts_with("select @@") {
        return variables(c, &sql);
    }
    if let Some(rest) = low.strip_prefix("show proc ") {
        let path = rest.trim().trim_matches(|ch| ch == '\'' || ch == '"');
        // Paths are case-sensitive on the FE: take them from the original text.
        let start = sql.len() - rest.len();
        let orig = sql[start..]
            .trim()
            .trim_matches(|ch| ch == '\'' || ch == '"');
        let _ = path;
        return show_proc(c, orig);
    }
    for (prefix, rollup) in [
        ("show alter table column", false),
        ("show alter table rollup", true),
    ] {
        if let Some(rest) = low.strip_prefix(prefix) {
            let rest = rest.trim();
            let db = if rest.is_empty() {
                None
            } else if let Some(d) = rest
                .strip_prefix("from ")
                .or_else(|| rest.strip_prefix("in "))
            {
                Some(d.trim().trim_matches('`').to_string())
            } else {
                return syntax_error(&sql);
            };
            if let Some(d) = &db {
                if !c
                    .sh
                    .model
                    .dbs
                    .iter()
                    .any(|x| x.name.eq_ignore_ascii_case(d))
                {
                    return Answer::Err(1049, format!("Unknown database '{d}'"));
                }
            }
            if rollup {
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
                return Answer::Rows(Grid {
                    cols: cols.iter().map(|x| (x.to_string(), Kind::Str)).collect(),
                    rows: Vec::new(),
                });
            }
            return Answer::Rows(alter_grid(c, db.as_deref()));
        }
    }
    if low.starts_with("select ") && low.contains(" from information_schema.") {
        return match Query::parse(&sql) {
            Ok(q) => q.run(c),
            Err(e) => e,
        };
    }
    syntax_error(&sql)
}

fn show_proc(c: &Ctx, path: &str) -> Answer {
    match proc(c, path) {
        Some(g) => Answer::Rows(g),
        None => analysis_error(&format!("Unknown proc node path: {path}")),
    }
}

fn variables(c: &Ctx, sql: &str) -> Answer {
    let body = &sql["select ".len()..];
    let body = match body.to_ascii_lowercase().rfind(" limit ") {
        Some(i) => &body[..i],
        None => body,
    };
    let spec = &c.sh.model.spec;
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
        let v = match name {
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
            other => return Answer::Err(1193, format!("Unknown system variable '{other}'")),
        };
        let kind = if matches!(v, Val::Int(_)) {
            Kind::Int
        } else {
            Kind::Str
        };
        g.cols.push((alias.unwrap_or(expr).to_string(), kind));
        g.rows[0].push(v);
    }
    Answer::Rows(g)
}

// ---- a tiny query engine over one information_schema view ----

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Num(i64),
    Sym(String),
}

fn tokenize(sql: &str) -> Result<Vec<Tok>, Answer> {
    let mut out = Vec::new();
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '\'' || ch == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != ch {
                s.push(chars[i]);
                i += 1;
            }
            if i >= chars.len() {
                return Err(syntax_error(sql));
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if ch.is_ascii_digit()
            || (ch == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push(Tok::Num(s.parse().map_err(|_| syntax_error(sql))?));
        } else if ch.is_alphanumeric() || ch == '_' || ch == '`' {
            let mut s = String::new();
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '`')
            {
                if chars[i] != '`' {
                    s.push(chars[i]);
                }
                i += 1;
            }
            out.push(Tok::Word(s));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["!=", "<>", "<=", ">="].contains(&two.as_str()) {
                out.push(Tok::Sym(two));
                i += 2;
            } else {
                out.push(Tok::Sym(ch.to_string()));
                i += 1;
            }
        }
    }
    Ok(out)
}

#[derive(Debug, Clone)]
enum Item {
    Star,
    Col(String, String),
    Agg(String, Option<String>, String),
}

#[derive(Debug, Clone)]
enum Cond {
    Cmp(String, String, Val),
    In(String, bool, Vec<Val>),
    Like(String, bool, String),
    Null(String, bool),
}

#[derive(Debug)]
struct Query {
    view: String,
    items: Vec<Item>,
    conds: Vec<Cond>,
    group: Vec<String>,
    order: Vec<(String, bool)>,
    limit: Option<(usize, usize)>,
}

struct P {
    toks: Vec<Tok>,
    i: usize,
    sql: String,
}

impl P {
    fn peek_kw(&self, kw: &str) -> bool {
        matches!(self.toks.get(self.i), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
    }
    fn kw(&mut self, kw: &str) -> bool {
        let hit = self.peek_kw(kw);
        if hit {
            self.i += 1;
        }
        hit
    }
    fn sym(&mut self, s: &str) -> bool {
        let hit = matches!(self.toks.get(self.i), Some(Tok::Sym(x)) if x == s);
        if hit {
            self.i += 1;
        }
        hit
    }
    fn err(&self) -> Answer {
        syntax_error(&self.sql)
    }
    fn word(&mut self) -> Result<String, Answer> {
        match self.toks.get(self.i) {
            Some(Tok::Word(w)) => {
                self.i += 1;
                Ok(w.clone())
            }
            _ => Err(self.err()),
        }
    }
    /// A column, maybe qualified (`t.col`, `information_schema.tables.col`).
    fn column(&mut self) -> Result<String, Answer> {
        let mut w = self.word()?;
        while self.sym(".") {
            w = self.word()?;
        }
        Ok(w)
    }
    fn literal(&mut self) -> Result<Val, Answer> {
        let v = match self.toks.get(self.i) {
            Some(Tok::Str(s)) => Val::Str(s.clone()),
            Some(Tok::Num(n)) => Val::Int(*n),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("null") => Val::Null,
            _ => return Err(self.err()),
        };
        self.i += 1;
        Ok(v)
    }
    fn number(&mut self) -> Result<usize, Answer> {
        match self.toks.get(self.i) {
            Some(Tok::Num(n)) if *n >= 0 => {
                self.i += 1;
                Ok(usize::try_from(*n).unwrap_or(usize::MAX))
            }
            _ => Err(self.err()),
        }
    }
    fn is_clause(&self) -> bool {
        ["from", "where", "group", "order", "limit"]
            .iter()
            .any(|k| self.peek_kw(k))
    }
}

impl Query {
    fn parse(sql: &str) -> Result<Query, Answer> {
        let mut p = P {
            toks: tokenize(sql)?,
            i: 0,
            sql: sql.to_string(),
        };
        if !p.kw("select") {
            return Err(p.err());
        }
        let mut items = Vec::new();
        loop {
            let item = if p.sym("*") {
                Item::Star
            } else {
                let name = p.column()?;
                if p.sym("(") {
                    let arg = if p.sym("*") { None } else { Some(p.column()?) };
                    if !p.sym(")") {
                        return Err(p.err());
                    }
                    let label = format!("{name}({})", arg.clone().unwrap_or_else(|| "*".into()));
                    Item::Agg(name.to_ascii_lowercase(), arg, label)
                } else {
                    Item::Col(name.clone(), name)
                }
            };
            let alias = if p.kw("as")
                || (matches!(p.toks.get(p.i), Some(Tok::Word(_))) && !p.is_clause())
            {
                Some(p.word()?)
            } else {
                None
            };
            items.push(match (item, alias) {
                (Item::Col(c, _), Some(a)) => Item::Col(c, a),
                (Item::Agg(f, arg, _), Some(a)) => Item::Agg(f, arg, a),
                (i, _) => i,
            });
            if !p.sym(",") {
                break;
            }
        }
        if !p.kw("from") || !p.kw("information_schema") || !p.sym(".") {
            return Err(p.err());
        }
        let view = p.word()?.to_ascii_lowercase();
        let mut q = Query {
            view,
            items,
            conds: Vec::new(),
            group: Vec::new(),
            order: Vec::new(),
            limit: None,
        };
        if p.kw("where") {
            loop {
                let col = p.column()?;
                let cond = if p.kw("is") {
                    let not = p.kw("not");
                    if !p.kw("null") {
                        return Err(p.err());
                    }
                    Cond::Null(col, !not)
                } else {
                    let not = p.kw("not");
                    if p.kw("in") {
                        if !p.sym("(") {
                            return Err(p.err());
                        }
                        let mut vals = vec![p.literal()?];
                        while p.sym(",") {
                            vals.push(p.literal()?);
                        }
                        if !p.sym(")") {
                            return Err(p.err());
                        }
                        Cond::In(col, !not, vals)
                    } else if p.kw("like") {
                        match p.literal()? {
                            Val::Str(s) => Cond::Like(col, !not, s),
                            _ => return Err(p.err()),
                        }
                    } else if not {
                        return Err(p.err());
                    } else {
                        let op = match p.toks.get(p.i) {
                            Some(Tok::Sym(s))
                                if ["=", "!=", "<>", "<", "<=", ">", ">="]
                                    .contains(&s.as_str()) =>
                            {
                                s.clone()
                            }
                            _ => return Err(p.err()),
                        };
                        p.i += 1;
                        Cond::Cmp(col, op, p.literal()?)
                    }
                };
                q.conds.push(cond);
                if !p.kw("and") {
                    break;
                }
            }
        }
        if p.kw("group") {
            if !p.kw("by") {
                return Err(p.err());
            }
            q.group.push(p.column()?);
            while p.sym(",") {
                q.group.push(p.column()?);
            }
        }
        if p.kw("order") {
            if !p.kw("by") {
                return Err(p.err());
            }
            loop {
                let key = match p.toks.get(p.i) {
                    Some(Tok::Num(n)) => {
                        p.i += 1;
                        format!("#{n}")
                    }
                    _ => p.column()?,
                };
                let desc = if p.kw("desc") {
                    true
                } else {
                    p.kw("asc");
                    false
                };
                q.order.push((key, desc));
                if !p.sym(",") {
                    break;
                }
            }
        }
        if p.kw("limit") {
            let a = p.number()?;
            if p.sym(",") {
                let b = p.number()?;
                q.limit = Some((a, b));
            } else if p.kw("offset") {
                let off = p.number()?;
                q.limit = Some((off, a));
            } else {
                q.limit = Some((0, a));
            }
        }
        if p.i != p.toks.len() {
            return Err(p.err());
        }
        Ok(q)
    }

    fn run(&self, c: &Ctx) -> Answer {
        let src = match self.view.as_str() {
            "tables" => tables_grid(c),
            "materialized_views" => mvs_grid(c),
            "loads" => loads_grid(c),
            other => return analysis_error(&format!("Unknown table 'information_schema.{other}'")),
        };
        let idx = |name: &str| {
            src.cols
                .iter()
                .position(|(n, _)| n.eq_ignore_ascii_case(name))
        };
        let need = |name: &str| {
            idx(name).ok_or_else(|| analysis_error(&format!("Column '{name}' cannot be resolved")))
        };
        // WHERE
        let mut conds = Vec::new();
        for cond in &self.conds {
            let col = match cond {
                Cond::Cmp(c, ..) | Cond::In(c, ..) | Cond::Like(c, ..) | Cond::Null(c, ..) => c,
            };
            match need(col) {
                Ok(i) => conds.push((i, cond)),
                Err(e) => return e,
            }
        }
        let rows: Vec<&Vec<Val>> = src
            .rows
            .iter()
            .filter(|r| conds.iter().all(|(i, cond)| matches(&r[*i], cond)))
            .collect();
        // Projection (and grouping)
        let mut cols: Vec<(String, Kind)> = Vec::new();
        enum Out {
            Col(usize),
            Agg(String, Option<usize>),
        }
        let mut outs = Vec::new();
        for item in &self.items {
            match item {
                Item::Star => {
                    for (i, col) in src.cols.iter().enumerate() {
                        cols.push(col.clone());
                        outs.push(Out::Col(i));
                    }
                }
                Item::Col(name, label) => match need(name) {
                    Ok(i) => {
                        cols.push((label.clone(), src.cols[i].1));
                        outs.push(Out::Col(i));
                    }
                    Err(e) => return e,
                },
                Item::Agg(f, arg, label) => {
                    if !["count", "sum", "min", "max"].contains(&f.as_str()) {
                        return analysis_error(&format!(
                            "No matching function with signature: {f}"
                        ));
                    }
                    let ai = match arg.as_deref().map(need) {
                        Some(Ok(i)) => Some(i),
                        Some(Err(e)) => return e,
                        None => None,
                    };
                    let kind = match (f.as_str(), ai) {
                        ("count", _) | ("sum", _) => Kind::Int,
                        (_, Some(i)) => src.cols[i].1,
                        _ => Kind::Int,
                    };
                    cols.push((label.clone(), kind));
                    outs.push(Out::Agg(f.clone(), ai));
                }
            }
        }
        let grouped = !self.group.is_empty() || outs.iter().any(|o| matches!(o, Out::Agg(..)));
        let mut out_rows: Vec<Vec<Val>> = Vec::new();
        if grouped {
            let mut keys = Vec::new();
            for g in &self.group {
                match need(g) {
                    Ok(i) => keys.push(i),
                    Err(e) => return e,
                }
            }
            let mut groups: Vec<(Vec<Val>, Vec<&Vec<Val>>)> = Vec::new();
            for r in &rows {
                let k: Vec<Val> = keys.iter().map(|i| r[*i].clone()).collect();
                match groups.iter_mut().find(|(gk, _)| *gk == k) {
                    Some((_, v)) => v.push(r),
                    None => groups.push((k, vec![r])),
                }
            }
            if groups.is_empty() && self.group.is_empty() {
                groups.push((Vec::new(), Vec::new()));
            }
            for (_, members) in groups {
                out_rows.push(
                    outs.iter()
                        .map(|o| match o {
                            Out::Col(i) => members.first().map_or(Val::Null, |r| r[*i].clone()),
                            Out::Agg(f, ai) => aggregate(f, *ai, &members),
                        })
                        .collect(),
                );
            }
        } else {
            out_rows = rows
                .iter()
                .map(|r| {
                    outs.iter()
                        .map(|o| match o {
                            Out::Col(i) => r[*i].clone(),
                            Out::Agg(..) => Val::Null,
                        })
                        .collect()
                })
                .collect();
        }
        // ORDER BY: output label, then source column among the outputs, or position.
        let mut order = Vec::new();
        for (key, desc) in &self.order {
            let pos = if let Some(n) = key.strip_prefix('#') {
                n.parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1 && *n <= cols.len())
                    .map(|n| n - 1)
            } else {
                cols.iter()
                    .position(|(l, _)| l.eq_ignore_ascii_case(key))
                    .or_else(|| {
                        let si = idx(key)?;
                        outs.iter()
                            .position(|o| matches!(o, Out::Col(i) if *i == si))
                    })
            };
            match pos {
                Some(p) => order.push((p, *desc)),
                None => return analysis_error(&format!("Column '{key}' cannot be resolved")),
            }
        }
        out_rows.sort_by(|a, b| {
            for (p, desc) in &order {
                let o = compare(&a[*p], &b[*p]);
                if o != Ordering::Equal {
                    return if *desc { o.reverse() } else { o };
                }
            }
            Ordering::Equal
        });
        if let Some((off, n)) = self.limit {
            out_rows = out_rows.into_iter().skip(off).take(n).collect();
        }
        Answer::Rows(Grid {
            cols,
            rows: out_rows,
        })
    }
}

fn aggregate(f: &str, col: Option<usize>, rows: &[&Vec<Val>]) -> Val {
    let vals = || {
        rows.iter()
            .filter_map(move |r| col.map(|i| &r[i]))
            .filter(|v| **v != Val::Null)
    };
    match f {
        "count" => Val::Int(match col {
            None => rows.len() as i64,
            Some(_) => vals().count() as i64,
        }),
        "sum" => {
            let mut any = false;
            let mut sum = 0i64;
            for v in vals() {
                if let Some(n) = as_int(v) {
                    sum = sum.saturating_add(n);
                    any = true;
                }
            }
            if any {
                Val::Int(sum)
            } else {
                Val::Null
            }
        }
        "min" => vals()
            .min_by(|a, b| compare(a, b))
            .cloned()
            .unwrap_or(Val::Null),
        _ => vals()
            .max_by(|a, b| compare(a, b))
            .cloned()
            .unwrap_or(Val::Null),
    }
}

fn as_int(v: &Val) -> Option<i64> {
    match v {
        Val::Int(n) => Some(*n),
        Val::Str(s) => s.parse().ok(),
        Val::Null => None,
    }
}

fn compare(a: &Val, b: &Val) -> Ordering {
    match (a, b) {
        (Val::Null, Val::Null) => Ordering::Equal,
        (Val::Null, _) => Ordering::Less,
        (_, Val::Null) => Ordering::Greater,
        (Val::Int(x), Val::Int(y)) => x.cmp(y),
        _ => match (as_int(a), as_int(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => a
                .text()
                .unwrap_or_default()
                .cmp(&b.text().unwrap_or_default()),
        },
    }
}

fn like(s: &str, pat: &str) -> bool {
    fn go(s: &[char], p: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('%', rest)) => (0..=s.len()).any(|i| go(&s[i..], rest)),
            Some(('_', rest)) => !s.is_empty() && go(&s[1..], rest),
            Some((c, rest)) => s.first() == Some(c) && go(&s[1..], rest),
        }
    }
    let s: Vec<char> = s.chars().collect();
    let p: Vec<char> = pat.chars().collect();
    go(&s, &p)
}

fn matches(v: &Val, cond: &Cond) -> bool {
    match cond {
        Cond::Null(_, want_null) => (*v == Val::Null) == *want_null,
        _ if *v == Val::Null => false,
        Cond::Cmp(_, op, lit) => {
            let o = compare(v, lit);
            match op.as_str() {
                "=" => o == Ordering::Equal,
                "!=" | "<>" => o != Ordering::Equal,
                "<" => o == Ordering::Less,
                "<=" => o != Ordering::Greater,
                ">" => o == Ordering::Greater,
                _ => o != Ordering::Less,
            }
        }
        Cond::In(_, yes, vals) => vals.iter().any(|x| compare(v, x) == Ordering::Equal) == *yes,
        Cond::Like(_, yes, pat) => like(&v.text().unwrap_or_default(), pat) == *yes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_likes() {
        assert_eq!(normalize("  /* x */ SELECT   1 ;\n"), "SELECT 1");
        assert!(like("orders", "ord%"));
        assert!(like("orders", "_rders"));
        assert!(!like("orders", "x%"));
    }

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
