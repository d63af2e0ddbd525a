//! Values as the query engine sees them: numbers compare as numbers (also
//! when written as strings), NULL sorts first and matches no comparison; the
//! aggregate and scalar functions.

use super::Cond;
use crate::proc::Val;
use std::cmp::Ordering;

/// The aggregate functions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Agg {
    Count,
    Sum,
    Min,
    Max,
    Avg,
    AnyValue,
    /// PERCENTILE_APPROX at this fraction.
    Percentile(f64),
}

impl Agg {
    /// The aggregate a (lowercase) function name is, `None` for another.
    pub(super) fn named(f: &str) -> Option<Agg> {
        Some(match f {
            "count" => Agg::Count,
            "sum" => Agg::Sum,
            "min" => Agg::Min,
            "max" => Agg::Max,
            "avg" => Agg::Avg,
            "any_value" => Agg::AnyValue,
            "percentile_approx" => Agg::Percentile(0.5),
            _ => return None,
        })
    }
}

/// The aggregate of `vals` (one per member of the group; `None` counts rows).
pub(super) fn aggregate(f: Agg, vals: Option<&[Val]>, members: usize) -> Val {
    let Some(vals) = vals else {
        return Val::Int(members as i64);
    };
    let present = || vals.iter().filter(|v| **v != Val::Null);
    match f {
        Agg::Count => Val::Int(present().count() as i64),
        Agg::Sum => {
            let mut any = false;
            let mut float = false;
            let mut sum = 0i64;
            let mut fsum = 0.0;
            for v in present() {
                match v {
                    Val::Float(x) => {
                        float = true;
                        fsum += x;
                        any = true;
                    }
                    _ => {
                        if let Some(n) = as_int(v) {
                            sum = sum.saturating_add(n);
                            fsum += n as f64;
                            any = true;
                        }
                    }
                }
            }
            match (any, float) {
                (false, _) => Val::Null,
                (true, true) => Val::Float(fsum),
                (true, false) => Val::Int(sum),
            }
        }
        Agg::Min => present()
            .min_by(|a, b| compare(a, b))
            .cloned()
            .unwrap_or(Val::Null),
        Agg::Max => present()
            .max_by(|a, b| compare(a, b))
            .cloned()
            .unwrap_or(Val::Null),
        Agg::AnyValue => present().next().cloned().unwrap_or(Val::Null),
        Agg::Avg => {
            let nums: Vec<f64> = present().filter_map(as_num).collect();
            if nums.is_empty() {
                Val::Null
            } else {
                Val::Float(nums.iter().sum::<f64>() / nums.len() as f64)
            }
        }
        Agg::Percentile(p) => {
            let mut nums: Vec<f64> = present().filter_map(as_num).collect();
            if nums.is_empty() {
                return Val::Null;
            }
            nums.sort_by(f64::total_cmp);
            let rank = p.clamp(0.0, 1.0) * (nums.len() - 1) as f64;
            let (lo, hi) = (rank.floor() as usize, rank.ceil() as usize);
            let v = nums[lo] + (nums[hi] - nums[lo]) * (rank - lo as f64);
            Val::Float((v * 1000.0).round() / 1000.0)
        }
    }
}

fn as_int(v: &Val) -> Option<i64> {
    match v {
        Val::Int(n) => Some(*n),
        Val::Str(s) => s.parse().ok(),
        Val::Float(_) | Val::Null => None,
    }
}

fn as_num(v: &Val) -> Option<f64> {
    match v {
        Val::Int(n) => Some(*n as f64),
        Val::Float(x) => Some(*x),
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
        (Val::Float(_), _) | (_, Val::Float(_)) => match (as_num(a), as_num(b)) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            _ => text_cmp(a, b),
        },
        _ => match (as_int(a), as_int(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => text_cmp(a, b),
        },
    }
}

fn text_cmp(a: &Val, b: &Val) -> Ordering {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => x.cmp(y),
        _ => a
            .text()
            .unwrap_or_default()
            .cmp(&b.text().unwrap_or_default()),
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

/// SUBSTRING_INDEX(s, delim, count): what comes before the count-th `delim`
/// (from the right when count is negative); all of `s` when there are fewer.
pub(super) fn substring_index(s: &str, delim: &str, count: i64) -> String {
    if delim.is_empty() || count == 0 {
        return String::new();
    }
    let k = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    if count > 0 {
        match s.match_indices(delim).nth(k - 1) {
            Some((i, _)) => s[..i].to_string(),
            None => s.to_string(),
        }
    } else {
        match s.rmatch_indices(delim).nth(k - 1) {
            Some((i, _)) => s[i + delim.len()..].to_string(),
            None => s.to_string(),
        }
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

    #[test]
    fn substring_indexes() {
        assert_eq!(substring_index("10.20.1.11:40123", ":", 1), "10.20.1.11");
        assert_eq!(substring_index("a.b.c", ".", 2), "a.b");
        assert_eq!(substring_index("a.b.c", ".", -1), "c");
        assert_eq!(substring_index("abc", ":", 1), "abc");
        assert_eq!(substring_index("abc", ":", 0), "");
    }

    #[test]
    fn percentiles_interpolate() {
        let vals: Vec<Val> = (1..=101).map(Val::Int).collect();
        assert_eq!(
            aggregate(Agg::Percentile(0.95), Some(&vals), vals.len()),
            Val::Float(96.0)
        );
        assert_eq!(
            aggregate(Agg::Percentile(0.5), Some(&vals), vals.len()),
            Val::Float(51.0)
        );
        assert_eq!(aggregate(Agg::Percentile(0.5), Some(&[]), 0), Val::Null);
        assert_eq!(
            aggregate(Agg::Sum, Some(&[Val::Int(2), Val::Null, Val::Int(3)]), 3),
            Val::Int(5)
        );
    }
}
