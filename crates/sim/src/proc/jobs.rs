//! `/jobs` (databases that have jobs) and `/jobs/<db id>` (job counts by type).

use super::alters::{alter_jobs, AlterJob};
use super::loads::{load_jobs, LoadJob};
use super::{s, Ctx, Grid};

pub(super) fn grid(c: &Ctx) -> Grid {
    let mut g = Grid::strings(&["DbId", "DbName"]);
    g.rows.push(vec![s(10_002), s("_statistics_")]);
    g.rows.push(vec![s(1), s("information_schema")]);
    for d in &c.sh.model.dbs {
        g.rows.push(vec![s(d.id), s(&d.name)]);
    }
    g
}

pub(super) fn of_db(c: &Ctx, db: u64) -> Option<Grid> {
    let m = &c.sh.model;
    let known = db == 1 || db == 10_002 || m.dbs.iter().any(|d| d.id == db);
    if !known {
        return None;
    }
    let mut g = Grid::strings(&[
        "JobType",
        "Pending",
        "Running",
        "Finished",
        "Cancelled",
        "Total",
    ]);
    let loads: Vec<LoadJob> = load_jobs(c).into_iter().filter(|l| l.db_id == db).collect();
    let alters: Vec<AlterJob> = alter_jobs(c)
        .into_iter()
        .filter(|a| a.db_id == db)
        .collect();
    let count = |st: &[&str], states: &mut dyn Iterator<Item = &str>| {
        states.filter(|x| st.contains(x)).count()
    };
    let l = |st: &[&str]| count(st, &mut loads.iter().map(|x| x.state));
    let a = |st: &[&str]| count(st, &mut alters.iter().map(|x| x.state));
    let lrow = [
        l(&["PENDING"]),
        l(&["LOADING", "ETL"]),
        l(&["FINISHED"]),
        l(&["CANCELLED"]),
    ];
    let arow = [
        a(&["PENDING", "WAITING_TXN"]),
        a(&["RUNNING"]),
        a(&["FINISHED"]),
        a(&["CANCELLED"]),
    ];
    for (name, r) in [
        ("load", lrow),
        ("rollup", [0; 4]),
        ("schema_change", arow),
        ("export", [0; 4]),
    ] {
        let total: usize = r.iter().sum();
        let mut row = vec![s(name)];
        row.extend(r.iter().map(s));
        row.push(s(total));
        g.rows.push(row);
    }
    Some(g)
}
