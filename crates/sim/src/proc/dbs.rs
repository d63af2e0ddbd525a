//! `/dbs`: system and user databases by id.

use super::{s, Ctx, Grid, Val};

/// System databases first, as the FE lists them.
fn system_dbs() -> [(u64, &'static str, usize); 3] {
    [
        (1, "information_schema", 54),
        (100, "sys", 6),
        (10_002, "_statistics_", 12),
    ]
}

pub(super) fn grid(c: &Ctx) -> Grid {
    let mut g = Grid::strings(&[
        "DbId",
        "DbName",
        "TableNum",
        "Quota",
        "LastConsistencyCheckTime",
        "ReplicaQuota",
    ]);
    let mut all: Vec<(u64, String, usize)> = system_dbs()
        .iter()
        .map(|(i, n, t)| (*i, n.to_string(), *t))
        .collect();
    all.extend(
        c.sh.model
            .dbs
            .iter()
            .map(|d| (d.id, d.name.clone(), d.tables.len())),
    );
    if crate::audit::present(&c.sh.model) {
        let last = c.sh.model.dbs.iter().map(|d| d.id).max().unwrap_or(10_100);
        all.push((last + 1_000, crate::audit::AUDIT_DB.to_string(), 1));
    }
    all.sort_by_key(|x| x.0);
    for (id, name, n) in all {
        g.rows.push(vec![
            s(id),
            s(name),
            s(n),
            s("8388608.000 TB"),
            Val::Null,
            s(i64::MAX),
        ]);
    }
    g
}
