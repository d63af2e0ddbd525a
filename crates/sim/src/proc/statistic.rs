//! `/statistic`: tablet health per database, sorted by name, and a Total row.

use super::{s, Ctx, Grid};

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
    let dead = c.view.dead.len() as u64;
    let nbe = m.spec.backends as u64;
    let mut rows: Vec<(String, String, [u64; 9])> = vec![
        ("1".into(), "information_schema".into(), [0; 9]),
        ("100".into(), "sys".into(), [0; 9]),
    ];
    for d in &m.dbs {
        let tables = d.tables.len() as u64;
        let parts: u64 = d.tables.iter().map(|t| t.partitions).sum();
        let tablets: u64 = d.tables.iter().map(|t| t.partitions * t.buckets).sum();
        let replicas = tablets * m.replicas();
        let unhealthy = (tablets * dead.min(m.replicas()) / nbe.max(1)).min(tablets);
        rows.push((
            d.id.to_string(),
            d.name.clone(),
            [
                tables,
                parts,
                tables,
                tablets,
                replicas,
                unhealthy,
                0,
                unhealthy / 10,
                0,
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
