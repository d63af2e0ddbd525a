//! Evaluates a [`Query`]: resolves every name against the table's columns
//! (errors in the order the FE's analyzer reports them: WHERE, select items,
//! GROUP BY, ORDER BY), reads the rows (for the audit table, only the WHERE
//! clause's `timestamp` range, and only the columns the query uses), filters,
//! groups (hashing the keys), projects, sorts and limits.

use super::source::Source;
use super::values::{aggregate, compare, matches, substring_index, Agg};
use super::{Cond, Expr, Item, Key, Query};
use crate::audit::{self, parse_datetime};
use crate::proc::{Ctx, Grid, Kind, Val};
use crate::sql::{analysis_error, kind_of, Answer};
use std::cmp::Ordering;
use std::collections::HashMap;

type Row = Vec<Val>;

/// Output labels and wire types.
type Columns = Vec<(String, Kind)>;

/// A resolved scalar expression.
#[derive(Debug, Clone)]
enum R {
    Col(usize),
    Lit(Val),
    SubstringIndex(Box<[R; 3]>),
}

/// What an output column computes.
#[derive(Debug, Clone)]
enum Out {
    Scalar(R),
    /// The aggregate over the argument (`None`: rows, as `COUNT(*)`).
    Agg(Agg, Option<R>),
}

fn unresolved(name: &str) -> Answer {
    analysis_error(&format!("Column '{name}' cannot be resolved"))
}

fn no_function(f: &str) -> Answer {
    analysis_error(&format!(
        "No matching function with signature: {}",
        f.to_ascii_lowercase()
    ))
}

/// A source column by name, case-insensitively.
fn position(cols: &[(String, Kind)], name: &str) -> Option<usize> {
    cols.iter().position(|(n, _)| n.eq_ignore_ascii_case(name))
}

fn resolve(cols: &[(String, Kind)], e: &Expr) -> Result<R, Answer> {
    match e {
        Expr::Col(name) => position(cols, name)
            .map(R::Col)
            .ok_or_else(|| unresolved(name)),
        Expr::Lit(v, _) => Ok(R::Lit(v.clone())),
        Expr::Star => Err(unresolved("*")),
        Expr::Call(f, args) => {
            if !f.eq_ignore_ascii_case("substring_index") || args.len() != 3 {
                return Err(no_function(f));
            }
            let a = resolve(cols, &args[0])?;
            let b = resolve(cols, &args[1])?;
            let n = resolve(cols, &args[2])?;
            Ok(R::SubstringIndex(Box::new([a, b, n])))
        }
    }
}

fn kind(cols: &[(String, Kind)], r: &R) -> Kind {
    match r {
        R::Col(i) => cols[*i].1,
        R::Lit(v) => kind_of(v),
        R::SubstringIndex(_) => Kind::Str,
    }
}

fn eval(r: &R, row: &[Val]) -> Val {
    match r {
        R::Col(i) => row[*i].clone(),
        R::Lit(v) => v.clone(),
        R::SubstringIndex(args) => {
            let [s, d, n] = &**args;
            match (eval(s, row), eval(d, row), eval(n, row)) {
                (Val::Null, ..) | (_, Val::Null, _) | (.., Val::Null) => Val::Null,
                (s, d, Val::Int(n)) => Val::Str(substring_index(
                    &s.text().unwrap_or_default(),
                    &d.text().unwrap_or_default(),
                    n,
                )),
                _ => Val::Null,
            }
        }
    }
}

fn columns_of(r: &R, out: &mut Vec<usize>) {
    match r {
        R::Col(i) => out.push(*i),
        R::Lit(_) => {}
        R::SubstringIndex(args) => args.iter().for_each(|a| columns_of(a, out)),
    }
}

/// A hashable group key value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyVal {
    Null,
    Int(i64),
    Str(String),
    Float(u64),
}

impl From<Val> for KeyVal {
    fn from(v: Val) -> KeyVal {
        match v {
            Val::Null => KeyVal::Null,
            Val::Int(i) => KeyVal::Int(i),
            Val::Str(s) => KeyVal::Str(s),
            Val::Float(f) => KeyVal::Float(f.to_bits()),
        }
    }
}

/// A `timestamp` range [lo, hi) in ms the WHERE clause implies (the FE
/// prunes partitions the same way); the conditions still filter every row.
fn time_range(cols: &[(String, Kind)], conds: &[(usize, Cond)]) -> (i64, i64) {
    let (mut lo, mut hi) = (i64::MIN / 2, i64::MAX / 2);
    for (i, cond) in conds {
        let Cond::Cmp(_, op, Val::Str(lit)) = cond else {
            continue;
        };
        if !cols[*i].0.eq_ignore_ascii_case("timestamp") {
            continue;
        }
        let Some(t) = parse_datetime(lit) else {
            continue;
        };
        match op.as_str() {
            ">=" => lo = lo.max(t),
            ">" => lo = lo.max(t + 1000),
            "<" => hi = hi.min(t),
            "<=" => hi = hi.min(t + 1000),
            "=" => {
                lo = lo.max(t);
                hi = hi.min(t + 1000);
            }
            _ => {}
        }
    }
    (lo, hi)
}

/// A DATETIME compared with a date: the date is its midnight.
fn datetime_literal(kind: Kind, v: &Val) -> Val {
    match v {
        Val::Str(s) if kind == Kind::Datetime && s.len() == 10 && parse_datetime(s).is_some() => {
            Val::Str(format!("{s} 00:00:00"))
        }
        other => other.clone(),
    }
}

fn normalize_cond(kind: Kind, cond: &Cond) -> Cond {
    match cond {
        Cond::Cmp(c, op, v) => Cond::Cmp(c.clone(), op.clone(), datetime_literal(kind, v)),
        Cond::In(c, yes, vals) => Cond::In(
            c.clone(),
            *yes,
            vals.iter().map(|v| datetime_literal(kind, v)).collect(),
        ),
        other => other.clone(),
    }
}

/// What a query needs, resolved against the table's columns.
struct Plan {
    conds: Vec<(usize, Cond)>,
    cols: Columns,
    /// The outputs: one per column, then hidden ones that only sort (ORDER BY
    /// a column the query does not select).
    outs: Vec<Out>,
    group: Vec<R>,
    order: Vec<(usize, bool)>,
    needed: Vec<bool>,
}

impl Query {
    pub(super) fn run(&self, c: &Ctx) -> Answer {
        match self.evaluate(c) {
            Ok(g) => Answer::Rows(g),
            Err(e) => e,
        }
    }

    fn evaluate(&self, c: &Ctx) -> Result<Grid, Answer> {
        let src = Source::open(c, &self.db, &self.table)?;
        let plan = self.plan(src.cols())?;
        let rows = self.rows(c, src, &plan);
        let grouped = !self.group.is_empty() || plan.outs.iter().any(|o| matches!(o, Out::Agg(..)));
        let mut out_rows = if grouped {
            grouped_rows(&plan, &rows)
        } else {
            rows.iter()
                .map(|r| {
                    plan.outs
                        .iter()
                        .map(|o| match o {
                            Out::Scalar(e) => eval(e, r),
                            Out::Agg(..) => Val::Null,
                        })
                        .collect()
                })
                .collect()
        };
        out_rows.sort_by(|a: &Row, b: &Row| {
            for (p, desc) in &plan.order {
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
        let shown = plan.cols.len();
        if plan.outs.len() > shown {
            for r in &mut out_rows {
                r.truncate(shown);
            }
        }
        Ok(Grid {
            cols: plan.cols,
            rows: out_rows,
        })
    }

    /// Resolves the WHERE conditions, the select items, GROUP BY and ORDER BY.
    fn plan(&self, src: &[(String, Kind)]) -> Result<Plan, Answer> {
        let mut conds = Vec::new();
        for cond in &self.conds {
            let i = position(src, cond.column()).ok_or_else(|| unresolved(cond.column()))?;
            conds.push((i, normalize_cond(src[i].1, cond)));
        }
        let mut cols: Columns = Vec::new();
        let mut outs = Vec::new();
        let mut exprs = Vec::new();
        for item in &self.items {
            match item {
                Item::Star => {
                    for (i, col) in src.iter().enumerate() {
                        cols.push(col.clone());
                        outs.push(Out::Scalar(R::Col(i)));
                        exprs.push(Some(Expr::Col(col.0.clone())));
                    }
                }
                Item::Expr(e, label) => {
                    let (out, k) = output(src, e)?;
                    cols.push((label.clone(), k));
                    outs.push(out);
                    exprs.push(Some(e.clone()));
                }
            }
        }
        let mut group = Vec::new();
        for g in &self.group {
            let r = match g {
                // GROUP BY may name a select item's alias.
                Expr::Col(name) if position(src, name).is_none() => cols
                    .iter()
                    .zip(&outs)
                    .find_map(|((l, _), o)| match o {
                        Out::Scalar(r) if l.eq_ignore_ascii_case(name) => Some(r.clone()),
                        _ => None,
                    })
                    .ok_or_else(|| unresolved(name))?,
                _ => resolve(src, g)?,
            };
            group.push(r);
        }
        let grouped = !self.group.is_empty() || outs.iter().any(|o| matches!(o, Out::Agg(..)));
        let order = self.sort_keys(src, &cols, &mut outs, &exprs, grouped)?;
        let mut needed = vec![false; src.len()];
        let mut used = Vec::new();
        for (i, _) in &conds {
            used.push(*i);
        }
        for o in &outs {
            match o {
                Out::Scalar(r) | Out::Agg(_, Some(r)) => columns_of(r, &mut used),
                Out::Agg(_, None) => {}
            }
        }
        for r in &group {
            columns_of(r, &mut used);
        }
        for i in used {
            needed[i] = true;
        }
        Ok(Plan {
            conds,
            cols,
            outs,
            group,
            order,
            needed,
        })
    }

    /// ORDER BY keys as output positions: an output label, then a source
    /// column among the outputs, then an expression among the outputs, or a
    /// 1-based position. Without grouping, a column that is not selected
    /// sorts too: it becomes a hidden output.
    fn sort_keys(
        &self,
        src: &[(String, Kind)],
        cols: &[(String, Kind)],
        outs: &mut Vec<Out>,
        exprs: &[Option<Expr>],
        grouped: bool,
    ) -> Result<Vec<(usize, bool)>, Answer> {
        let mut order = Vec::new();
        for (key, desc) in &self.order {
            let pos = match key {
                Key::Pos(n) => usize::try_from(*n)
                    .ok()
                    .filter(|n| *n >= 1 && *n <= cols.len())
                    .map(|n| n - 1),
                Key::Expr(Expr::Col(name)) => cols
                    .iter()
                    .position(|(l, _)| l.eq_ignore_ascii_case(name))
                    .or_else(|| {
                        let si = position(src, name)?;
                        let at = outs
                            .iter()
                            .position(|o| matches!(o, Out::Scalar(R::Col(i)) if *i == si));
                        if at.is_some() || grouped {
                            return at;
                        }
                        outs.push(Out::Scalar(R::Col(si)));
                        Some(outs.len() - 1)
                    }),
                Key::Expr(e) => exprs
                    .iter()
                    .position(|x| x.as_ref().is_some_and(|x| x.same(e))),
            };
            match pos {
                Some(p) => order.push((p, *desc)),
                None => {
                    let name = match key {
                        Key::Pos(n) => n.to_string(),
                        Key::Expr(e) => e.label(),
                    };
                    return Err(unresolved(&name));
                }
            }
        }
        Ok(order)
    }

    /// The rows every WHERE condition holds for, with the needed columns
    /// filled (the others NULL for the audit table).
    fn rows(&self, c: &Ctx, src: Source, plan: &Plan) -> Vec<Row> {
        let pass = |r: &[Val]| plan.conds.iter().all(|(i, cond)| matches(&r[*i], cond));
        match src {
            Source::View(g) => g.rows.into_iter().filter(|r| pass(r)).collect(),
            Source::Audit(cols) => {
                let (lo, hi) = time_range(&cols, &plan.conds);
                audit::scan(c, lo, hi)
                    .into_iter()
                    .filter(|rec| {
                        plan.conds
                            .iter()
                            .all(|(i, cond)| matches(&rec.val(c, *i), cond))
                    })
                    .map(|rec| {
                        plan.needed
                            .iter()
                            .enumerate()
                            .map(|(i, n)| if *n { rec.val(c, i) } else { Val::Null })
                            .collect()
                    })
                    .collect()
            }
        }
    }
}

/// A select item's output and its wire type.
fn output(src: &[(String, Kind)], e: &Expr) -> Result<(Out, Kind), Answer> {
    let Expr::Call(f, args) = e else {
        let r = resolve(src, e)?;
        let k = kind(src, &r);
        return Ok((Out::Scalar(r), k));
    };
    let lower = f.to_ascii_lowercase();
    let Some(agg) = Agg::named(&lower) else {
        let r = resolve(src, e)?;
        let k = kind(src, &r);
        return Ok((Out::Scalar(r), k));
    };
    let (agg, arg) = match (agg, args.as_slice()) {
        (Agg::Count, [Expr::Star]) => (Agg::Count, None),
        (Agg::Percentile(_), [a, Expr::Lit(p, _)]) => {
            let p = match p {
                Val::Float(x) => *x,
                Val::Int(n) => *n as f64,
                _ => return Err(no_function(f)),
            };
            if !(0.0..=1.0).contains(&p) {
                return Err(no_function(f));
            }
            (Agg::Percentile(p), Some(resolve(src, a)?))
        }
        (Agg::Percentile(_), _) => return Err(no_function(f)),
        (agg, [a]) if !matches!(a, Expr::Star) => (agg, Some(resolve(src, a)?)),
        _ => return Err(no_function(f)),
    };
    let arg_kind = arg.as_ref().map(|r| kind(src, r));
    let k = match agg {
        Agg::Count => Kind::Int,
        Agg::Sum if arg_kind == Some(Kind::Double) => Kind::Double,
        Agg::Sum => Kind::Int,
        Agg::Avg | Agg::Percentile(_) => Kind::Double,
        Agg::Min | Agg::Max | Agg::AnyValue => arg_kind.unwrap_or(Kind::Str),
    };
    Ok((Out::Agg(agg, arg), k))
}

/// One row per group, in order of first appearance; with aggregates but no
/// GROUP BY, one row even over no rows. A plain column takes its first value.
fn grouped_rows(plan: &Plan, rows: &[Row]) -> Vec<Row> {
    let mut index: HashMap<Vec<KeyVal>, usize> = HashMap::new();
    let mut groups: Vec<Vec<&Row>> = Vec::new();
    for r in rows {
        let k: Vec<KeyVal> = plan.group.iter().map(|g| eval(g, r).into()).collect();
        match index.get(&k) {
            Some(i) => groups[*i].push(r),
            None => {
                index.insert(k, groups.len());
                groups.push(vec![r]);
            }
        }
    }
    if groups.is_empty() && plan.group.is_empty() {
        groups.push(Vec::new());
    }
    groups
        .into_iter()
        .map(|members| {
            plan.outs
                .iter()
                .map(|o| match o {
                    Out::Scalar(e) => members.first().map_or(Val::Null, |r| eval(e, r)),
                    Out::Agg(f, arg) => {
                        let vals: Option<Vec<Val>> = arg
                            .as_ref()
                            .map(|e| members.iter().map(|r| eval(e, r)).collect());
                        aggregate(*f, vals.as_deref(), members.len())
                    }
                })
                .collect()
        })
        .collect()
}
