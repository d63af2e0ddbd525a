//! `/statistic`: tablet health per database, sorted by name, and a Total row.
//!
//! The health columns come from [`tablet_health`]: dead backends and
//! `tablets_unhealthy` make tablets unhealthy, and they heal after either
//! clears, over as long as it lasted (at most two minutes). Shared-data
//! clusters keep no replicas: ReplicaNum and every health column are 0 there,
//! as StarRocks reports them.

use super::{s, Ctx, Grid};
use crate::ops::{db_tablets, tablet_health};
use crate::profile::Mode;

pub(super) fn grid(c: &Ctx) -> Grid {
    let mut g = Grid::strings(&[
        "DbId",
        "DbName",
        "TableNum",
        "PartitionNum",
        "IndexNum",
        "TabletNum",
        "ReplicaNum",
        "UnhealthyTabletNum",
        "InconsistentTabletNum",
        "CloningTabletNum",
        "ErrorStateTabletNum",
    ]);
    let m = &c.sh.model;
    let replicas_per_tablet = match m.spec.mode {
        Mode::SharedNothing => m.replicas(),
        Mode::SharedData => 0,
    };
    let health = tablet_health(m, c.t, &c.view);
    let mut rows: Vec<(String, String, [u64; 9])> = vec![
        ("1".into(), "information_schema".into(), [0; 9]),
        ("100".into(), "sys".into(), [0; 9]),
    ];
    for (d, h) in m.dbs.iter().zip(&health) {
        let tables = d.tables.len() as u64;
        let parts: u64 = d.tables.iter().map(|t| t.partitions).sum();
        let tablets = db_tablets(d);
        rows.push((
            d.id.to_string(),
            d.name.clone(),
            [
                tables,
                parts,
                tables,
                tablets,
                tablets * replicas_per_tablet,
                h.unhealthy,
                h.inconsistent,
                h.cloning,
                h.error_state,
            ],
        ));
    }
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    let mut total = [0u64; 9];
    for (id, name, v) in &rows {
        for (t, x) in total.iter_mut().zip(v) {
            *t += x;
        }
        let mut row = vec![s(id), s(name)];
        row.extend(v.iter().map(s));
        g.rows.push(row);
    }
    let mut row = vec![s("Total"), s(rows.len())];
    row.extend(total.iter().map(s));
    g.rows.push(row);
    g
}
