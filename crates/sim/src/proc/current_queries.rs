//! `/current_queries`: the running queries, with the 3.3 or the 3.0 columns.

use super::{dt, s, Ctx, Grid};
use crate::deploy::{self, Role};
use crate::format::capacity;
use crate::profile::Version;

/// A uuid-looking query id from a key.
fn query_id(c: &Ctx, key: u64) -> String {
    let a = (c.sh.model.rand(key) * 4_294_967_295.0) as u64;
    let b = (c.sh.model.rand(key + 1) * 4_294_967_295.0) as u64;
    format!(
        "{:08x}-{:04x}-11ef-{:04x}-{:012x}",
        a,
        b & 0xffff,
        (b >> 16) & 0xffff,
        a * 65_537 % 0xffff_ffff_ffff
    )
}

pub(super) fn grid(c: &Ctx) -> Grid {
    let m = &c.sh.model;
    let n = m.running_queries(c.t);
    let bucket = c.t.div_euclid(10_000) as u64;
    let v3 = c.v() == Version::V3_3;
    // The FE that holds the connections: the leader, on its listed host.
    let fe_ip = deploy::host(
        &m.spec,
        Role::Fe,
        c.view.leader(m.spec.frontends).unwrap_or(0),
    );
    let mut g = if v3 {
        Grid::strings(&[
            "StartTime",
            "feIp",
            "QueryId",
            "ConnectionId",
            "Database",
            "User",
            "ScanBytes",
            "ScanRows",
            "MemoryUsage",
            "DiskSpillSize",
            "CPUTime",
            "ExecTime",
            "ExecState",
            "Warehouse",
            "CustomQueryId",
            "ResourceGroup",
        ])
    } else {
        Grid::strings(&[
            "QueryId",
            "ConnectionId",
            "Database",
            "User",
            "ScanBytes",
            "ProcessRows",
            "CPUCostSeconds",
            "MemoryUsageBytes",
            "ExecTime",
        ])
    };
    for k in 0..n as u64 {
        let key = bucket * 131 + k * 7;
        let exec_ms = 200 + (m.rand(key + 2) * 20_000.0) as i64 + (c.t - bucket as i64 * 10_000);
        let rows = (m.rand(key + 3) * 8e6) as u64;
        let scan = rows as f64 * 21.6;
        let mem = 4e6 + m.rand(key + 4) * 4e8;
        let cpu_s = exec_ms as f64 / 1000.0 * (1.0 + m.rand(key + 5) * 8.0);
        let conn = 1000 + (m.rand(key + 6) * 5000.0) as u64;
        let db = m
            .dbs
            .get(k as usize % m.dbs.len().max(1))
            .map_or("sales".to_string(), |d| d.name.clone());
        let user = if k % 3 == 0 {
            "root".to_string()
        } else {
            format!("app_{}", k % 3)
        };
        let row = if v3 {
            vec![
                dt(c.t - exec_ms),
                s(&fe_ip),
                s(query_id(c, key)),
                s(conn),
                s(db),
                s(user),
                s(capacity(scan)),
                s(format!("{rows} rows")),
                s(capacity(mem)),
                s("0.000 B"),
                s(format!("{cpu_s:.3} s")),
                s(format!("{:.3} s", exec_ms as f64 / 1000.0)),
                s("RUNNING"),
                s("default_warehouse"),
                s(""),
                s(if k % 2 == 0 { "default_wg" } else { "rg_etl" }),
            ]
        } else {
            let two = |b: f64| {
                let t = capacity(b);
                let (num, unit) = t.split_once(' ').unwrap_or((&t, "B"));
                let num: f64 = num.parse().unwrap_or(0.0);
                format!("{num:.2} {unit}")
            };
            vec![
                s(query_id(c, key)),
                s(conn),
                s(db),
                s(user),
                s(two(scan)),
                s(format!("{rows} Rows")),
                s(format!("{cpu_s:.2} Seconds")),
                s(two(mem)),
                s(exec_ms),
            ]
        };
        g.rows.push(row);
    }
    g
}
