//! `KILL [QUERY | CONNECTION] <ConnectionId>`: StarRocks' StmtExecutor.handleKill
//! on the FE the session is connected to.
//!
//! - The FE runs a query on that connection: the query is killed (gone from
//!   every listing from then on) and the answer is an OK packet; a user who is
//!   not an admin may only kill their own: error 1095 (HY000)
//!   `You are not owner of thread <id>` (ErrorCode.ERR_KILL_DENIED_ERROR).
//! - The id is the session's own: OK (StarRocks kills itself; the simulator
//!   keeps the session).
//! - Otherwise error 1094 (HY000) `Unknown thread id: <id>`
//!   (ErrorCode.ERR_NO_SUCH_THREAD).
//!
//! A non-numeric id is a syntax error.

use super::{syntax_error, Answer, Session};
use crate::proc::Ctx;
use crate::queries::{is_admin, running};

/// `None` when `low` is not a KILL statement.
pub(super) fn kill(c: &Ctx, me: &Session, sql: &str, low: &str) -> Option<Answer> {
    let rest = low.strip_prefix("kill ")?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    let id = match words.as_slice() {
        [id] | ["query" | "connection", id] => *id,
        _ => return Some(syntax_error(sql)),
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Some(syntax_error(sql));
    }
    // INTEGER_VALUE: a number too large for a connection id names none.
    let id: u64 = id.parse().unwrap_or(u64::MAX);
    let queries = running(c.sh, c.fe, c.t, &c.view);
    let Some(q) = queries.iter().find(|q| u64::from(q.conn) == id) else {
        if id == u64::from(me.id) {
            return Some(Answer::Ok);
        }
        return Some(Answer::Err(1094, format!("Unknown thread id: {id}")));
    };
    if q.user != me.user && !is_admin(c.sh, &me.user) {
        return Some(Answer::Err(
            1095,
            format!("You are not owner of thread {id}"),
        ));
    }
    c.sh.killed.add(q);
    Some(Answer::Ok)
}
