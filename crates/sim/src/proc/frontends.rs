//! `/frontends`: every FE, the leader first.

use super::{dt, s, Ctx, Grid};
use crate::state::EPOCH_MS;

/// The `ReplayedJournalId` every FE has reached.
fn journal_id(c: &Ctx) -> u64 {
    let m = &c.sh.model;
    (m.queries_between(EPOCH_MS, c.t) * 0.05) as u64
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
    let journal = journal_id(c);
    let fes = c.sh.fe_http.len().min(c.sh.fe_mysql.len());
    for super::Row { i, k: j, host } in c.rows(fes, false) {
        let (http, q) = (c.sh.fe_http[j], c.sh.fe_mysql[j]);
        let added = EPOCH_MS - 120 * 86_400_000 + j as i64 * 61_000;
        g.rows.push(vec![
            s(format!("{host}_{}_{added}", 9010 + j * 10)),
            s(host),
            s(9010 + j * 10),
            s(http.port()),
            s(q.port()),
            s(9020 + j * 10),
            s(if i == 0 { "LEADER" } else { "FOLLOWER" }),
            s(cluster_id),
            s(true),
            s(true),
            s(journal.saturating_sub(j as u64 * 3)),
            dt(c.t.div_euclid(5_000) * 5_000),
            s(true),
            s(""),
            dt(m.fe_start(j, c.t, &c.view)),
            s(m.spec.version.full()),
        ]);
    }
    g
}
