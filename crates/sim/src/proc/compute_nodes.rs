//! `/compute_nodes`: the CNs of a shared-data cluster (empty in shared-nothing).

use super::{dt, s, Ctx, Grid, HEARTBEAT_ERR};
use crate::deploy::{be_ports, Role};
use crate::format::mem_limit;
use crate::profile::{Mode, Version};

pub(super) fn grid(c: &Ctx) -> Grid {
    let v = c.v();
    let mut cols = vec![
        "ComputeNodeId",
        "IP",
        "HeartbeatPort",
        "BePort",
        "HttpPort",
        "BrpcPort",
        "LastStartTime",
        "LastHeartbeat",
        "Alive",
        "SystemDecommissioned",
        "ClusterDecommissioned",
        "ErrMsg",
        "Version",
        "CpuCores",
    ];
    if v == Version::V3_3 {
        cols.push("MemLimit");
    }
    cols.extend(["NumRunningQueries", "MemUsedPct", "CpuUsedPct"]);
    if v == Version::V3_3 {
        cols.push("DataCacheMetrics");
    }
    cols.push("HasStoragePath");
    cols.extend(["StarletPort", "WorkerId"]);
    if v == Version::V3_3 {
        cols.extend(["WarehouseName", "TabletNum"]);
    }
    let mut g = Grid::strings(&cols);
    if c.mode() == Mode::SharedNothing {
        return g;
    }
    let m = &c.sh.model;
    for super::Row { i, k, host } in c.rows(c.sh.be_http.len(), true, Role::Be) {
        let ports = be_ports(c.sh, k);
        let alive = c.alive(k);
        let mut row = vec![
            s(10_001 + i),
            s(host),
            s(ports.heartbeat),
            s(ports.be),
            s(ports.http),
            s(ports.brpc),
            dt(m.be_start(k, c.t)),
            dt(c.heartbeat(k)),
            s(alive),
            s(false),
            s(false),
            s(if alive { "" } else { HEARTBEAT_ERR }),
            s(m.spec.version.full()),
            s(m.cores(k)),
        ];
        if v == Version::V3_3 {
            row.push(s(mem_limit(m.mem_limit(k))));
        }
        row.extend(c.usage(k));
        if v == Version::V3_3 {
            let d = m.disk(k, c.t);
            let cache = (d.total - d.avail) / 1024f64.powi(3);
            let cap = d.total * 0.2 / 1024f64.powi(3);
            row.push(s(format!(
                "Status: Normal, DiskUsage: {:.2}GB/{:.2}GB, MemUsage: 0.00GB/0.00GB",
                cache.min(cap),
                cap
            )));
        }
        row.extend([s(true), s(ports.starlet), s(i + 1)]);
        if v == Version::V3_3 {
            row.extend([s("default_warehouse"), s(m.tablets_on(k))]);
        }
        g.rows.push(row);
    }
    g
}
