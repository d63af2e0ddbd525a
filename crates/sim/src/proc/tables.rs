//! information_schema.tables: a few of information_schema's own views, the
//! `_statistics_` tables, the user tables, then the AuditLoader table when the
//! cluster has it.

use super::{dt, int, s, Ctx, Grid, Kind, Val};
use crate::audit;
use crate::state::EPOCH_MS;

const COLUMNS: [(&str, Kind); 21] = [
    ("TABLE_CATALOG", Kind::Str),
    ("TABLE_SCHEMA", Kind::Str),
    ("TABLE_NAME", Kind::Str),
    ("TABLE_TYPE", Kind::Str),
    ("ENGINE", Kind::Str),
    ("VERSION", Kind::Int),
    ("ROW_FORMAT", Kind::Str),
    ("TABLE_ROWS", Kind::Int),
    ("AVG_ROW_LENGTH", Kind::Int),
    ("DATA_LENGTH", Kind::Int),
    ("MAX_DATA_LENGTH", Kind::Int),
    ("INDEX_LENGTH", Kind::Int),
    ("DATA_FREE", Kind::Int),
    ("AUTO_INCREMENT", Kind::Int),
    ("CREATE_TIME", Kind::Datetime),
    ("UPDATE_TIME", Kind::Datetime),
    ("CHECK_TIME", Kind::Datetime),
    ("TABLE_COLLATION", Kind::Str),
    ("CHECKSUM", Kind::Int),
    ("CREATE_OPTIONS", Kind::Str),
    ("TABLE_COMMENT", Kind::Str),
];

/// The same in shared-nothing and shared-data.
const ENGINE: &str = "StarRocks";

/// What varies between rows; the other columns are as the FE fills them.
struct Row<'a> {
    schema: &'a str,
    name: &'a str,
    kind: &'a str,
    engine: &'a str,
    rows: Val,
    avg_row_len: Val,
    data_len: Val,
    created: Val,
    updated: Val,
}

impl Row<'_> {
    fn vals(self) -> Vec<Val> {
        vec![
            s("def"),
            s(self.schema),
            s(self.name),
            s(self.kind),
            s(self.engine),
            Val::Null,
            Val::Null,
            self.rows,
            self.avg_row_len,
            self.data_len,
            int(0),
            int(0),
            int(0),
            Val::Null,
            self.created,
            self.updated,
            Val::Null,
            s("utf8_general_ci"),
            Val::Null,
            s(""),
            s(""),
        ]
    }
}

/// The whole view: system views, then `_statistics_`, then user tables.
pub fn tables_grid(c: &Ctx) -> Grid {
    let mut g = Grid::typed(&COLUMNS);
    g.rows.extend(system_views());
    g.rows.extend(statistics_tables(c));
    g.rows.extend(user_tables(c));
    g.rows.extend(audit_table(c));
    g
}

/// The AuditLoader table, when the cluster has it: written every minute.
fn audit_table(c: &Ctx) -> Option<Vec<Val>> {
    let m = &c.sh.model;
    if !audit::present(m) {
        return None;
    }
    let rows = audit::approx_rows(c.t);
    Some(
        Row {
            schema: audit::AUDIT_DB,
            name: audit::AUDIT_TBL,
            kind: "BASE TABLE",
            engine: ENGINE,
            rows: int(rows),
            avg_row_len: int(420),
            data_len: int(rows * 420 * m.replicas() as i64),
            created: dt(EPOCH_MS - 120 * 86_400_000),
            updated: dt(c.t.div_euclid(60_000) * 60_000),
        }
        .vals(),
    )
}

/// information_schema's own views: empty, in memory, no times.
fn system_views() -> Vec<Vec<Val>> {
    [
        "tables",
        "columns",
        "schemata",
        "materialized_views",
        "loads",
        "be_tablets",
    ]
    .iter()
    .map(|view| {
        Row {
            schema: "information_schema",
            name: view,
            kind: "SYSTEM VIEW",
            engine: "MEMORY",
            rows: int(0),
            avg_row_len: int(0),
            data_len: int(0),
            created: Val::Null,
            updated: Val::Null,
        }
        .vals()
    })
    .collect()
}

/// `_statistics_`: fixed row counts, updated on the hour.
fn statistics_tables(c: &Ctx) -> Vec<Vec<Val>> {
    let m = &c.sh.model;
    let stats = [
        ("column_statistics", 12_000i64),
        ("histogram_statistics", 300),
        ("table_statistic_v1", 4_000),
    ];
    stats
        .iter()
        .enumerate()
        .map(|(i, (name, rows))| {
            Row {
                schema: "_statistics_",
                name,
                kind: "BASE TABLE",
                engine: ENGINE,
                rows: int(*rows),
                avg_row_len: int(220),
                data_len: int(rows * 220 * m.replicas() as i64),
                created: dt(EPOCH_MS - 200 * 86_400_000 + i as i64),
                updated: dt(c.t.div_euclid(3_600_000) * 3_600_000),
            }
            .vals()
        })
        .collect()
}

/// The model's tables, each updated at a seeded moment of the last hour.
fn user_tables(c: &Ctx) -> Vec<Vec<Val>> {
    let m = &c.sh.model;
    let mut out = Vec::new();
    for d in &m.dbs {
        for t in &d.tables {
            let upd = c.t - (m.rand(t.id) * 3_600_000.0) as i64;
            let row = Row {
                schema: &d.name,
                name: &t.name,
                kind: "BASE TABLE",
                engine: ENGINE,
                rows: int(m.table_rows(t, c.t)),
                avg_row_len: int(m.avg_row_len(t)),
                data_len: int(m.table_bytes(t, c.t)),
                created: dt(t.created_ms),
                updated: dt(upd.div_euclid(1000) * 1000),
            };
            out.push(row.vals());
        }
    }
    out
}
