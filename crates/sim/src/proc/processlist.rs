//! `SHOW PROCESSLIST`.

use super::{dt, int, s, Ctx, Grid, Kind};

/// `SHOW PROCESSLIST`: the caller's own session plus a few seeded ones.
pub fn processlist(c: &Ctx, me: u32, user: &str, db: &str) -> Grid {
    let mut g = Grid::typed(&[
        ("Id", Kind::Int),
        ("User", Kind::Str),
        ("Host", Kind::Str),
        ("Db", Kind::Str),
        ("Command", Kind::Str),
        ("ConnectionStartTime", Kind::Datetime),
        ("Time", Kind::Int),
        ("State", Kind::Str),
        ("Info", Kind::Str),
        ("IsPending", Kind::Str),
    ]);
    let m = &c.sh.model;
    let n = m.running_queries(c.t) + 2;
    for k in 0..n {
        let id = 1 + k as i64 * 3;
        let since = c.t - 60_000 - (m.rand(900 + k as u64) * 7_200_000.0) as i64;
        let busy = k < n - 2;
        let db = m
            .dbs
            .get(k % m.dbs.len().max(1))
            .map_or("", |d| d.name.as_str());
        g.rows.push(vec![
            int(id),
            s(if k % 2 == 0 { "app_1" } else { "etl" }),
            s(format!("127.0.0.1:{}", 40_000 + k * 17)),
            s(db),
            s(if busy { "Query" } else { "Sleep" }),
            dt(since),
            int(if busy {
                (m.rand(950 + k as u64) * 30.0) as i64
            } else {
                (c.t - since) / 1000
            }),
            s("OK"),
            s(if busy {
                "SELECT count(*) FROM orders WHERE dt >= '2025-11-01'"
            } else {
                ""
            }),
            s("false"),
        ]);
    }
    g.rows.push(vec![
        int(i64::from(me)),
        s(user),
        s("127.0.0.1:50000"),
        s(db),
        s("Query"),
        dt(c.t),
        int(0),
        s("OK"),
        s("SHOW PROCESSLIST"),
        s("false"),
    ]);
    g
}
