//! Values as the query engine sees them: integers compare as integers (also
//! when written as strings), NULL sorts first and matches no comparison.

use super::Cond;
use crate::proc::Val;
use std::cmp::Ordering;

pub(super) fn aggregate(f: &str, col: Option<usize>, rows: &[&Vec<Val>]) -> Val {
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

pub(super) fn compare(a: &Val, b: &Val) -> Ordering {
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

pub(super) fn matches(v: &Val, cond: &Cond) -> bool {
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
    fn likes() {
        assert!(like("orders", "ord%"));
        assert!(like("orders", "_rders"));
        assert!(!like("orders", "x%"));
    }
}
