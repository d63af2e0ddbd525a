//! information_schema.columns: the AuditLoader table's columns, in its column
//! set (the simulator models no other table's schema); no rows without it.

use super::{int, s, Ctx, Grid, Kind, Val};
use crate::audit::{self, AUDIT_DB, AUDIT_TBL};

const COLUMNS: [(&str, Kind); 12] = [
    ("TABLE_CATALOG", Kind::Str),
    ("TABLE_SCHEMA", Kind::Str),
    ("TABLE_NAME", Kind::Str),
    ("COLUMN_NAME", Kind::Str),
    ("ORDINAL_POSITION", Kind::Int),
    ("COLUMN_DEFAULT", Kind::Str),
    ("IS_NULLABLE", Kind::Str),
    ("DATA_TYPE", Kind::Str),
    ("CHARACTER_MAXIMUM_LENGTH", Kind::Int),
    ("COLUMN_TYPE", Kind::Str),
    ("COLUMN_KEY", Kind::Str),
    ("COLUMN_COMMENT", Kind::Str),
];

/// The view; the audit table's key is DUPLICATE KEY(queryId, timestamp, queryType).
pub fn columns_grid(c: &Ctx) -> Grid {
    let mut g = Grid::typed(&COLUMNS);
    for (i, col) in audit::columns(c.sh.model.spec.audit_table)
        .iter()
        .enumerate()
    {
        let len = col
            .column_type
            .strip_prefix("varchar(")
            .and_then(|x| x.strip_suffix(')'))
            .and_then(|x| x.parse::<i64>().ok());
        g.rows.push(vec![
            s("def"),
            s(AUDIT_DB),
            s(AUDIT_TBL),
            s(col.name),
            int(i as i64 + 1),
            Val::Null,
            s(if col.name == "timestamp" { "NO" } else { "YES" }),
            s(col.data_type),
            len.map_or(Val::Null, Val::Int),
            s(col.column_type),
            s(if i < 3 { "DUP" } else { "" }),
            s(""),
        ]);
    }
    g
}
