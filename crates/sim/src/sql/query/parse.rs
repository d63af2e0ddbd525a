//! Recursive descent over the tokens: `SELECT items FROM information_schema.view
//! [WHERE conds] [GROUP BY cols] [ORDER BY keys] [LIMIT ...]`. Any deviation is
//! the FE's syntax error for the whole statement.

use super::lex::{tokenize, Tok};
use super::{Cond, Item, Query};
use crate::proc::Val;
use crate::sql::{syntax_error, Answer};

/// The parser: tokens and a cursor.
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

    /// `*`, a column or `f(col | *)`, with an optional `[AS] alias`.
    fn item(&mut self) -> Result<Item, Answer> {
        let item = if self.sym("*") {
            Item::Star
        } else {
            let name = self.column()?;
            if self.sym("(") {
                let arg = if self.sym("*") {
                    None
                } else {
                    Some(self.column()?)
                };
                if !self.sym(")") {
                    return Err(self.err());
                }
                let label = format!("{name}({})", arg.clone().unwrap_or_else(|| "*".into()));
                Item::Agg(name.to_ascii_lowercase(), arg, label)
            } else {
                Item::Col(name.clone(), name)
            }
        };
        let alias = if self.kw("as")
            || (matches!(self.toks.get(self.i), Some(Tok::Word(_))) && !self.is_clause())
        {
            Some(self.word()?)
        } else {
            None
        };
        Ok(match (item, alias) {
            (Item::Col(c, _), Some(a)) => Item::Col(c, a),
            (Item::Agg(f, arg, _), Some(a)) => Item::Agg(f, arg, a),
            (i, _) => i,
        })
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
            let op = match self.toks.get(self.i) {
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

    /// `GROUP BY col, ...`, or nothing.
    fn group_by(&mut self) -> Result<Vec<String>, Answer> {
        if !self.kw("group") {
            return Ok(Vec::new());
        }
        if !self.kw("by") {
            return Err(self.err());
        }
        self.list(P::column)
    }

    /// `ORDER BY key [ASC|DESC], ...`, or nothing; a position is kept as `#n`.
    fn order_by(&mut self) -> Result<Vec<(String, bool)>, Answer> {
        if !self.kw("order") {
            return Ok(Vec::new());
        }
        if !self.kw("by") {
            return Err(self.err());
        }
        self.list(|p| {
            let key = match p.toks.get(p.i) {
                Some(Tok::Num(n)) => {
                    let key = format!("#{n}");
                    p.i += 1;
                    key
                }
                _ => p.column()?,
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
        if !p.kw("from") || !p.kw("information_schema") || !p.sym(".") {
            return Err(p.err());
        }
        let q = Query {
            view: p.word()?.to_ascii_lowercase(),
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
