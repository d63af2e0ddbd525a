//! Splits a statement into words, string and integer literals, and symbols.
//! Backquotes are dropped from words; `!=`, `<>`, `<=`, `>=` are one symbol.

use crate::sql::{syntax_error, Answer};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Word(String),
    Str(String),
    Num(i64),
    Sym(String),
}

pub(super) fn tokenize(sql: &str) -> Result<Vec<Tok>, Answer> {
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
