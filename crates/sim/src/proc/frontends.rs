//! `/frontends`: every FE, FE 0 first. The leader is FE 0, or the next FE up
//! while it is down ([`crate::faults::View::leader`]); a down FE is listed by
//! the others with Alive false and the leader's heartbeat error.

use super::{dt, s, Ctx, Grid};
use crate::deploy::{fe_ports, Role};
use crate::state::EPOCH_MS;

/// The ErrMsg of an FE the leader's heartbeat (HTTP `/api/bootstrap`) cannot
/// reach: the ConnectException's message, which HeartbeatMgr keeps as is.
pub const FE_HEARTBEAT_ERR: &str = "Connection refused (Connection refused)";

/// The `ReplayedJournalId` every FE has reached at `t` (a down FE: when it went down).
fn journal_id(c: &Ctx, t: i64) -> u64 {
    let m = &c.sh.model;
    (m.queries_between(EPOCH_MS, t) * 0.05) as u64
}

/// The FE Name: `<host>_<EditLogPort>_<ms it was added>`, fixed per FE.
fn name(c: &Ctx, host: &str, j: usize) -> String {
    let added = EPOCH_MS - 120 * 86_400_000 + j as i64 * 61_000;
    format!("{host}_{}_{added}", fe_ports(c.sh, j).edit_log)
}

fn fe_count(c: &Ctx) -> usize {
    c.sh.fe_http.len().min(c.sh.fe_mysql.len())
}

/// FE `j`'s Name as row `j` of the list shows it, for each FE: what
/// `information_schema.fe_metrics` writes in FE_ID.
pub fn fe_names(c: &Ctx) -> Vec<String> {
    let n = fe_count(c);
    c.rows(n, false, Role::Fe)
        .into_iter()
        .take(n)
        .map(|r| name(c, &r.host, r.k))
        .collect()
}

/// Heartbeats every 5 s; a down FE's last one is from before it went down.
fn heartbeat(c: &Ctx, j: usize) -> i64 {
    let at = c.view.fe_down_since(j).map_or(c.t, |d| d.min(c.t) - 3_000);
    at.div_euclid(5_000) * 5_000
}

pub(super) fn grid(c: &Ctx) -> Grid {
    let mut g = Grid::strings(&[
        "Name",
        "IP",
        "EditLogPort",
        "HttpPort",
        "QueryPort",
        "RpcPort",
        "Role",
        "ClusterId",
        "Join",
        "Alive",
        "ReplayedJournalId",
        "LastHeartbeat",
        "IsHelper",
        "ErrMsg",
        "StartTime",
        "Version",
    ]);
    let m = &c.sh.model;
    let cluster_id = 100_000_000 + (m.rand(11) * 1_900_000_000.0) as u64;
    let fes = fe_count(c);
    let leader = c.view.leader(fes);
    for super::Row { i, k: j, host } in c.rows(fes, false, Role::Fe) {
        let ports = fe_ports(c.sh, j);
        let down = c.view.fe_down_since(j).is_some();
        let hb = heartbeat(c, j);
        g.rows.push(vec![
            s(name(c, &host, j)),
            s(host),
            s(ports.edit_log),
            s(ports.http),
            s(ports.query),
            s(ports.rpc),
            s(if Some(i) == leader {
                "LEADER"
            } else {
                "FOLLOWER"
            }),
            s(cluster_id),
            s(true),
            s(!down),
            s(journal_id(c, if down { hb } else { c.t }).saturating_sub(j as u64 * 3)),
            dt(hb),
            s(true),
            s(if down { FE_HEARTBEAT_ERR } else { "" }),
            dt(m.fe_start(j, c.t, &c.view)),
            s(m.spec.version.full()),
        ]);
    }
    g
}
