//! The generic show_proc decoder: a body of either shape into [`Row`]s
//! looked up by column name, the [`FormatError`] for a body of neither
//! shape, and the JSON helpers the small FE status objects share.

use crate::wire::values::{parse_bool, parse_capacity, parse_datetime, parse_int, parse_percent};
use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use std::fmt;

/// The body was not what the endpoint sends: not JSON, or JSON of another
/// shape (a forwarding failure arrives as plain text, a proxy may answer with
/// HTML). The excerpt lets an operator see what came back instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub message: String,
    /// The first 200 characters of the body (invalid UTF-8 replaced).
    pub excerpt: String,
}

const EXCERPT_CHARS: usize = 200;

impl FormatError {
    fn new(message: impl Into<String>, body: &[u8]) -> Self {
        // Four bytes per char at most: never decode more than needed.
        let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
        let excerpt = String::from_utf8_lossy(head)
            .chars()
            .take(EXCERPT_CHARS)
            .collect();
        Self {
            message: message.into(),
            excerpt,
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; the response began with: {:?}",
            self.message, self.excerpt
        )
    }
}

impl std::error::Error for FormatError {}

/// One row of a show_proc answer, by column name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    cells: Vec<(String, String)>,
}

impl Row {
    /// The cell of `column` as text; `None` if the row has no such column
    /// or the cell was JSON `null`. Numbers and booleans come as their text.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.as_str())
    }

    /// Column names and cells in body order.
    pub fn cells(&self) -> impl Iterator<Item = (&str, &str)> {
        self.cells.iter().map(|(c, v)| (c.as_str(), v.as_str()))
    }

    /// The first of several spellings of a column that is present.
    pub(super) fn any(&self, columns: &[&str]) -> Option<&str> {
        columns.iter().find_map(|c| self.get(c))
    }

    /// Free text; empty and `NULL` (how the FE prints "unknown") are `None`.
    pub(super) fn text(&self, columns: &[&str]) -> Option<String> {
        let s = self.any(columns)?.trim();
        (!s.is_empty() && s != "NULL").then(|| s.to_owned())
    }

    pub(super) fn int(&self, column: &str) -> Option<i64> {
        self.get(column).and_then(parse_int)
    }

    pub(super) fn port(&self, column: &str) -> Option<u16> {
        self.int(column).and_then(|p| u16::try_from(p).ok())
    }

    pub(super) fn bool(&self, column: &str) -> Option<bool> {
        self.get(column).and_then(parse_bool)
    }

    pub(super) fn bytes(&self, column: &str) -> Option<u64> {
        self.get(column).and_then(parse_capacity)
    }

    pub(super) fn pct(&self, column: &str) -> Option<f64> {
        self.get(column).and_then(parse_percent)
    }

    pub(super) fn time(&self, column: &str) -> Option<NaiveDateTime> {
        self.get(column).and_then(parse_datetime)
    }
}

/// A JSON scalar as the text the FE would have written; `null` is absent.
fn cell_text(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        nested @ (Value::Array(_) | Value::Object(_)) => Some(nested.to_string()),
    }
}

fn json(body: &[u8]) -> Result<Value, FormatError> {
    let trimmed = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    serde_json::from_slice(trimmed).map_err(|e| FormatError::new(format!("not JSON ({e})"), body))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes a show_proc body of either shape. Rows that are arrays are named
/// by `array_columns` position by position: a shorter row gets a prefix of
/// the columns, the extra cells of a longer one are dropped. `[]` (also the
/// answer to an unknown path) is an empty list.
pub fn rows(body: &[u8], array_columns: &[&str]) -> Result<Vec<Row>, FormatError> {
    rows_with(body, |_| array_columns)
}

/// [`rows`], with the array layout chosen per row from its cells, for nodes
/// whose old layouts differ (2.x /frontends).
pub(super) fn rows_with<'c>(
    body: &[u8],
    layout: impl Fn(&[Option<String>]) -> &'c [&'c str],
) -> Result<Vec<Row>, FormatError> {
    let items = match json(body)? {
        Value::Array(items) => items,
        other => {
            let message = format!("expected a JSON array of rows, got {}", kind(&other));
            return Err(FormatError::new(message, body));
        }
    };
    let mut rows = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let cells = match item {
            Value::Object(map) => map
                .into_iter()
                .filter_map(|(column, value)| Some((column, cell_text(value)?)))
                .collect(),
            Value::Array(values) => {
                let values: Vec<Option<String>> = values.into_iter().map(cell_text).collect();
                let columns = layout(&values);
                columns
                    .iter()
                    .zip(values)
                    .filter_map(|(column, value)| Some(((*column).to_owned(), value?)))
                    .collect()
            }
            other => {
                let message = format!(
                    "row {} is {}, not an object or an array",
                    index + 1,
                    kind(&other)
                );
                return Err(FormatError::new(message, body));
            }
        };
        rows.push(Row { cells });
    }
    Ok(rows)
}

// --- the JSON objects of the FE status endpoints -------------------------

pub(super) fn json_object(body: &[u8]) -> Result<Map<String, Value>, FormatError> {
    match json(body)? {
        Value::Object(map) => Ok(map),
        other => {
            let message = format!("expected a JSON object, got {}", kind(&other));
            Err(FormatError::new(message, body))
        }
    }
}

/// A field of a status object as text, whether Gson wrote it as a string or
/// a number.
pub(super) fn field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).cloned().and_then(cell_text)
}

pub(super) fn field_int(map: &Map<String, Value>, key: &str) -> Option<i64> {
    field(map, key).as_deref().and_then(parse_int)
}
