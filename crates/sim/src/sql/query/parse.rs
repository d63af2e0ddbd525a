//! Recursive descent over the tokens: `SELECT items FROM db.table [WHERE conds]
//! [GROUP BY exprs] [ORDER BY keys] [LIMIT ...]`. Any deviation is the FE's
//! syntax error for the whole statement.

use super::lex::{tokenize, Tok};
use super::{Cond, Expr, Item, Key, Query};
use crate::proc::Val;
use crate::sql::{syntax_error, Answer};

/// The parser: tokens and a cursor.
struct P {
    toks: Vec<Tok>,
    i: usize,
    sql: String,
}

/// Words that end a select item (so they are no alias).
const CLAUSES: [&str; 5] = ["from", "where", "group", "order", "limit"];

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    fn peek_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
    }
    fn kw(&mut self, kw: &str) -> bool {
        let hit = self.peek_kw(kw);
        if hit {
            self.i += 1;
        }
        hit
    }
    fn peek_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Some(Tok::Sym(x)) if x == s)
    }
    fn sym(&mut self, s: &str) -> bool {
        let hit = self.peek_sym(s);
        if hit {
            self.i += 1;
        }
        hit
    }
    fn err(&self) -> Answer {
        syntax_error(&self.sql)
    }
    fn word(&mut self) -> Result<String, Answer> {
        match self.peek() {
            Some(Tok::Word(w)) => {
                let w = w.clone();
                self.i += 1;
                Ok(w)
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
        let v = match self.peek() {
            Some(Tok::Str(s)) => Val::Str(s.clone()),
            Some(Tok::Num(n)) => Val::Int(*n),
            Some(Tok::Dec(d, _)) => Val::Float(*d),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("null") => Val::Null,
            _ => return Err(self.err()),
        };
        self.i += 1;
        Ok(v)
    }
    fn number(&mut self) -> Result<usize, Answer> {
        match self.peek() {
            Some(Tok::Num(n)) if *n >= 0 => {
                let n = usize::try_from(*n).unwrap_or(usize::MAX);
                self.i += 1;
                Ok(n)
            }
            _ => Err(self.err()),
        }
    }
    fn is_clause(&self) -> bool {
        CLAUSES.iter().any(|k| self.peek_kw(k))
    }
    /// `a, b, ...` of whatever `one` reads.
    fn list<T>(
        &mut self,
        mut one: impl FnMut(&mut P) -> Result<T, Answer>,
    ) -> Result<Vec<T>, Answer> {
        let mut out = vec![one(self)?];
        while self.sym(",") {
            out.push(one(self)?);
        }
        Ok(out)
    }

    /// A literal, a column or `f(args)` (`f(*)`, `f()`).
    fn expr(&mut self) -> Result<Expr, Answer> {
        let lit = match self.peek() {
            Some(Tok::Str(s)) => Some((Val::Str(s.clone()), format!("'{s}'"))),
            Some(Tok::Num(n)) => Some((Val::Int(*n), n.to_string())),
            Some(Tok::Dec(d, text)) => Some((Val::Float(*d), text.clone())),
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("null") => {
                Some((Val::Null, "NULL".into()))
            }
            _ => None,
        };
        if let Some((v, text)) = lit {
            self.i += 1;
            return Ok(Expr::Lit(v, text));
        }
        let name = self.column()?;
        if !self.sym("(") {
            return Ok(Expr::Col(name));
        }
        let args = if self.sym("*") {
            vec![Expr::Star]
        } else if self.peek_sym(")") {
            Vec::new()
        } else {
            self.list(P::expr)?
        };
        if !self.sym(")") {
            return Err(self.err());
        }
        Ok(Expr::Call(name, args))
    }

    /// `*` or an expression with an optional `[AS] alias`.
    fn item(&mut self) -> Result<Item, Answer> {
        if self.sym("*") {
            return Ok(Item::Star);
        }
        let e = self.expr()?;
        let alias =
            if self.kw("as") || (matches!(self.peek(), Some(Tok::Word(_))) && !self.is_clause()) {
                Some(self.word()?)
            } else {
                None
            };
        let label = alias.unwrap_or_else(|| e.label());
        Ok(Item::Expr(e, label))
    }

    /// One WHERE condition: IS [NOT] NULL, [NOT] IN (...), [NOT] LIKE, or a comparison.
    fn cond(&mut self) -> Result<Cond, Answer> {
        let col = self.column()?;
        if self.kw("is") {
            let not = self.kw("not");
            if !self.kw("null") {
                return Err(self.err());
            }
            return Ok(Cond::Null(col, !not));
        }
        let not = self.kw("not");
        if self.kw("in") {
            if !self.sym("(") {
                return Err(self.err());
            }
            let vals = self.list(P::literal)?;
            if !self.sym(")") {
                return Err(self.err());
            }
            Ok(Cond::In(col, !not, vals))
        } else if self.kw("like") {
            match self.literal()? {
                Val::Str(s) => Ok(Cond::Like(col, !not, s)),
                _ => Err(self.err()),
            }
        } else if not {
            Err(self.err())
        } else {
            let op = match self.peek() {
                Some(Tok::Sym(s))
                    if ["=", "!=", "<>", "<", "<=", ">", ">="].contains(&s.as_str()) =>
                {
                    s.clone()
                }
                _ => return Err(self.err()),
            };
            self.i += 1;
            Ok(Cond::Cmp(col, op, self.literal()?))
        }
    }

    /// `WHERE c AND c ...`, or nothing.
    fn where_clause(&mut self) -> Result<Vec<Cond>, Answer> {
        let mut conds = Vec::new();
        if self.kw("where") {
            conds.push(self.cond()?);
            while self.kw("and") {
                conds.push(self.cond()?);
            }
        }
        Ok(conds)
    }

    /// `GROUP BY expr, ...`, or nothing.
    fn group_by(&mut self) -> Result<Vec<Expr>, Answer> {
        if !self.kw("group") {
            return Ok(Vec::new());
        }
        if !self.kw("by") {
            return Err(self.err());
        }
        self.list(P::expr)
    }

    /// `ORDER BY key [ASC|DESC], ...`, or nothing.
    fn order_by(&mut self) -> Result<Vec<(Key, bool)>, Answer> {
        if !self.kw("order") {
            return Ok(Vec::new());
        }
        if !self.kw("by") {
            return Err(self.err());
        }
        self.list(|p| {
            let key = match p.peek() {
                Some(Tok::Num(n)) => {
                    let key = Key::Pos(*n);
                    p.i += 1;
                    key
                }
                _ => Key::Expr(p.expr()?),
            };
            let desc = if p.kw("desc") {
                true
            } else {
                p.kw("asc");
                false
            };
            Ok((key, desc))
        })
    }

    /// `LIMIT n`, `LIMIT m, n`, `LIMIT n OFFSET m` as (offset, count), or nothing.
    fn limit(&mut self) -> Result<Option<(usize, usize)>, Answer> {
        if !self.kw("limit") {
            return Ok(None);
        }
        let a = self.number()?;
        Ok(Some(if self.sym(",") {
            (a, self.number()?)
        } else if self.kw("offset") {
            (self.number()?, a)
        } else {
            (0, a)
        }))
    }
}

impl Query {
    pub(super) fn parse(sql: &str) -> Result<Query, Answer> {
        let mut p = P {
            toks: tokenize(sql)?,
            i: 0,
            sql: sql.to_string(),
        };
        if !p.kw("select") {
            return Err(p.err());
        }
        let items = p.list(P::item)?;
        if !p.kw("from") {
            return Err(p.err());
        }
        let db = p.word()?.to_ascii_lowercase();
        if !p.sym(".") {
            return Err(p.err());
        }
        let q = Query {
            db,
            table: p.word()?,
            items,
            conds: p.where_clause()?,
            group: p.group_by()?,
            order: p.order_by()?,
            limit: p.limit()?,
        };
        if p.i != p.toks.len() {
            return Err(p.err());
        }
        Ok(q)
    }
}
