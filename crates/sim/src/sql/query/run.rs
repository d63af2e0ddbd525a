//! Evaluates a [`Query`] over its view's grid: WHERE, projection (with grouping
//! and aggregates), ORDER BY, LIMIT. Errors come in that order, as the FE's
//! analyzer reports the first thing it cannot resolve.

use super::values::{aggregate, compare, matches};
use super::{Item, Query};
use crate::proc::{
    be_metrics_grid, fe_metrics_grid, loads_grid, mvs_grid, tables_grid, Ctx, Grid, Kind, Val,
};
use crate::sql::{analysis_error, Answer};
use std::cmp::Ordering;

/// What an output column is: a source column, or an aggregate over one (or `*`).
enum Out {
    Col(usize),
    Agg(String, Option<usize>),
}

type Row = Vec<Val>;

/// Output labels and wire types.
type Columns = Vec<(String, Kind)>;

/// The view's full grid. fe_metrics and be_metrics exist from 3.1 on; before,
/// they are unknown tables like any other.
fn source(c: &Ctx, view: &str) -> Result<Grid, Answer> {
    let metrics = c.sh.model.spec.version.has_metrics_tables();
    match view {
        "tables" => Ok(tables_grid(c)),
        "materialized_views" => Ok(mvs_grid(c)),
        "loads" => Ok(loads_grid(c)),
        "fe_metrics" if metrics => Ok(fe_metrics_grid(c)),
        "be_metrics" if metrics => Ok(be_metrics_grid(c)),
        other => Err(analysis_error(&format!(
            "Unknown table 'information_schema.{other}'"
        ))),
    }
}

/// A source column by name, case-insensitively.
fn position(src: &Grid, name: &str) -> Option<usize> {
    src.cols
        .iter()
        .position(|(n, _)| n.eq_ignore_ascii_case(name))
}

fn resolve(src: &Grid, name: &str) -> Result<usize, Answer> {
    position(src, name)
        .ok_or_else(|| analysis_error(&format!("Column '{name}' cannot be resolved")))
}

impl Query {
    pub(super) fn run(&self, c: &Ctx) -> Answer {
        match self.evaluate(c) {
            Ok(g) => Answer::Rows(g),
            Err(e) => e,
        }
    }

    fn evaluate(&self, c: &Ctx) -> Result<Grid, Answer> {
        let src = source(c, &self.view)?;
        let rows = self.filter(&src)?;
        let (cols, outs) = self.project(&src)?;
        let grouped = !self.group.is_empty() || outs.iter().any(|o| matches!(o, Out::Agg(..)));
        let mut out_rows = if grouped {
            self.grouped(&src, &rows, &outs)?
        } else {
            rows.iter()
                .map(|r| {
                    outs.iter()
                        .map(|o| match o {
                            Out::Col(i) => r[*i].clone(),
                            Out::Agg(..) => Val::Null,
                        })
                        .collect()
                })
                .collect()
        };
        let order = self.sort_keys(&src, &cols, &outs)?;
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
        Ok(Grid {
            cols,
            rows: out_rows,
        })
    }

    /// The rows every WHERE condition holds for.
    fn filter<'g>(&self, src: &'g Grid) -> Result<Vec<&'g Row>, Answer> {
        let mut conds = Vec::new();
        for cond in &self.conds {
            conds.push((resolve(src, cond.column())?, cond));
        }
        Ok(src
            .rows
            .iter()
            .filter(|r| conds.iter().all(|(i, cond)| matches(&r[*i], cond)))
            .collect())
    }

    /// Output columns (label and type) and what each one computes.
    fn project(&self, src: &Grid) -> Result<(Columns, Vec<Out>), Answer> {
        let mut cols: Columns = Vec::new();
        let mut outs = Vec::new();
        for item in &self.items {
            match item {
                Item::Star => {
                    for (i, col) in src.cols.iter().enumerate() {
                        cols.push(col.clone());
                        outs.push(Out::Col(i));
                    }
                }
                Item::Col(name, label) => {
                    let i = resolve(src, name)?;
                    cols.push((label.clone(), src.cols[i].1));
                    outs.push(Out::Col(i));
                }
                Item::Agg(f, arg, label) => {
                    if !["count", "sum", "min", "max"].contains(&f.as_str()) {
                        return Err(analysis_error(&format!(
                            "No matching function with signature: {f}"
                        )));
                    }
                    let ai = arg.as_deref().map(|a| resolve(src, a)).transpose()?;
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
        Ok((cols, outs))
    }

    /// One row per group, in order of first appearance; with aggregates but no
    /// GROUP BY, one row even over no rows. A plain column takes its first value.
    fn grouped(&self, src: &Grid, rows: &[&Row], outs: &[Out]) -> Result<Vec<Row>, Answer> {
        let mut keys = Vec::new();
        for g in &self.group {
            keys.push(resolve(src, g)?);
        }
        let mut groups: Vec<(Row, Vec<&Row>)> = Vec::new();
        for r in rows {
            let k: Row = keys.iter().map(|i| r[*i].clone()).collect();
            match groups.iter_mut().find(|(gk, _)| *gk == k) {
                Some((_, v)) => v.push(r),
                None => groups.push((k, vec![r])),
            }
        }
        if groups.is_empty() && self.group.is_empty() {
            groups.push((Vec::new(), Vec::new()));
        }
        Ok(groups
            .into_iter()
            .map(|(_, members)| {
                outs.iter()
                    .map(|o| match o {
                        Out::Col(i) => members.first().map_or(Val::Null, |r| r[*i].clone()),
                        Out::Agg(f, ai) => aggregate(f, *ai, &members),
                    })
                    .collect()
            })
            .collect())
    }

    /// ORDER BY keys as output positions: an output label, then a source column
    /// among the outputs, or a 1-based position.
    fn sort_keys(
        &self,
        src: &Grid,
        cols: &[(String, Kind)],
        outs: &[Out],
    ) -> Result<Vec<(usize, bool)>, Answer> {
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
                        let si = position(src, key)?;
                        outs.iter()
                            .position(|o| matches!(o, Out::Col(i) if *i == si))
                    })
            };
            match pos {
                Some(p) => order.push((p, *desc)),
                None => {
                    return Err(analysis_error(&format!(
                        "Column '{key}' cannot be resolved"
                    )))
                }
            }
        }
        Ok(order)
    }
}
