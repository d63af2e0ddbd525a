//! Splits a statement into words, string, integer and decimal literals, and
//! symbols. Backquotes are dropped from words; `!=`, `<>`, `<=`, `>=` are one
//! symbol; comments (`/* ... */`, optimizer hints `/*+ ... */` included, and
//! `-- ...`) are skipped.

use crate::sql::{syntax_error, Answer};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Word(String),
    Str(String),
    Num(i64),
    /// A decimal literal and its text.
    Dec(f64, String),
    Sym(String),
}

pub(super) fn tokenize(sql: &str) -> Result<Vec<Tok>, Answer> {
    let mut out = Vec::new();
    let chars: Vec<char> = sql.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && at(i + 1) == Some('/')) {
                i += 1;
            }
            if i >= chars.len() {
                return Err(syntax_error(sql));
            }
            i += 2;
        } else if ch == '-' && at(i + 1) == Some('-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
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
            || (ch == '-' && at(i + 1).is_some_and(|c| c.is_ascii_digit()))
        {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let decimal = at(i) == Some('.') && at(i + 1).is_some_and(|c| c.is_ascii_digit());
            if decimal {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let s: String = chars[start..i].iter().collect();
            if decimal {
                let v: f64 = s.parse().map_err(|_| syntax_error(sql))?;
                out.push(Tok::Dec(v, s));
            } else {
                out.push(Tok::Num(s.parse().map_err(|_| syntax_error(sql))?));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_hints_and_reads_decimals() {
        let t =
            tokenize("SELECT /*+ SET_VAR(query_timeout = 15) */ `timestamp`, 0.95 -- x").unwrap();
        assert_eq!(
            t,
            vec![
                Tok::Word("SELECT".into()),
                Tok::Word("timestamp".into()),
                Tok::Sym(",".into()),
                Tok::Dec(0.95, "0.95".into()),
            ]
        );
    }
}
