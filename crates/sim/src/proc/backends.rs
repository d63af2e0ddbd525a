//! `/backends`: the BEs of a shared-nothing cluster (empty in shared-data).

use super::{dt, s, Ctx, Grid, HEARTBEAT_ERR};
use crate::deploy::{be_ports, Role};
use crate::format::{capacity, datetime, mem_limit, pct2};
use crate::profile::{Mode, Version};

pub(super) fn grid(c: &Ctx) -> Grid {
    let v = c.v();
    let mut cols = vec![
        "BackendId",
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
        "TabletNum",
        "DataUsedCapacity",
        "AvailCapacity",
        "TotalCapacity",
        "UsedPct",
        "MaxDiskUsedPct",
        "ErrMsg",
        "Version",
        "Status",
        "DataTotalCapacity",
        "DataUsedPct",
        "CpuCores",
    ];
    if v == Version::V3_3 {
        cols.push("MemLimit");
    }
    cols.extend(["NumRunningQueries", "MemUsedPct", "CpuUsedPct"]);
    if v == Version::V3_3 {
        cols.extend(["DataCacheMetrics", "Location"]);
    }
    let mut g = Grid::strings(&cols);
    if c.mode() == Mode::SharedData {
        return g;
    }
    let m = &c.sh.model;
    for super::Row { i, k, host } in c.rows(c.sh.be_http.len(), true, Role::Be) {
        let ports = be_ports(c.sh, k);
        let alive = c.alive(k);
        let d = m.disk(k, c.t);
        let used_pct = (d.total - d.avail) * 100.0 / d.total;
        let data_total = d.data_used + d.avail;
        let report = c.heartbeat(k).div_euclid(60_000) * 60_000;
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
            s(m.tablets_on(k)),
            s(capacity(d.data_used)),
            s(capacity(d.avail)),
            s(capacity(d.total)),
            s(pct2(used_pct)),
            s(pct2(used_pct)),
            s(if alive { "" } else { HEARTBEAT_ERR }),
            s(m.spec.version.full()),
            s(format!(
                "{{\"lastSuccessReportTabletsTime\":\"{}\"}}",
                datetime(report)
            )),
            s(capacity(data_total)),
            s(pct2(d.data_used * 100.0 / data_total.max(1.0))),
            s(m.cores(k)),
        ];
        if v == Version::V3_3 {
            row.push(s(mem_limit(m.mem_limit(k))));
        }
        row.extend(c.usage(k));
        if v == Version::V3_3 {
            row.extend([s("N/A"), s("")]);
        }
        g.rows.push(row);
    }
    g
}
