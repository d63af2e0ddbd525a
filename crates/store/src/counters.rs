//! Each FE's last cumulative counters (`collector_counters`), so that rates
//! continue across a restart of the console.

use sqlx::{Sqlite, SqlitePool, Transaction};
use std::collections::HashMap;

/// The cumulative counters of one FE at one time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FeCounters {
    pub at: i64,
    pub request_total: Option<i64>,
    pub query_total: Option<i64>,
    pub query_err: Option<i64>,
    pub query_timeout: Option<i64>,
    pub txn_begin: Option<i64>,
    pub txn_success: Option<i64>,
    pub txn_failed: Option<i64>,
    pub load_finished: Option<i64>,
}

impl FeCounters {
    fn fields(&self) -> [Option<i64>; 8] {
        [
            self.request_total,
            self.query_total,
            self.query_err,
            self.query_timeout,
            self.txn_begin,
            self.txn_success,
            self.txn_failed,
            self.load_finished,
        ]
    }

    /// Any counter lower than before: the FE restarted in between.
    pub fn restarted_since(&self, before: &FeCounters) -> bool {
        self.fields()
            .iter()
            .zip(before.fields())
            .any(|(now, then)| matches!((now, then), (Some(n), Some(t)) if *n < t))
    }
}

pub(crate) async fn upsert(
    tx: &mut Transaction<'_, Sqlite>,
    cluster_id: i64,
    fe: &str,
    c: &FeCounters,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT OR REPLACE INTO collector_counters (cluster_id, fe, at, request_total, \
         query_total, query_err, query_timeout, txn_begin, txn_success, txn_failed, load_finished) \
         VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    )
    .bind(cluster_id)
    .bind(fe)
    .bind(c.at)
    .bind(c.request_total)
    .bind(c.query_total)
    .bind(c.query_err)
    .bind(c.query_timeout)
    .bind(c.txn_begin)
    .bind(c.txn_success)
    .bind(c.txn_failed)
    .bind(c.load_finished)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every cluster's remembered FE counters, to continue rates after a restart.
pub async fn load(pool: &SqlitePool) -> sqlx::Result<HashMap<i64, HashMap<String, FeCounters>>> {
    type Row = (
        i64,
        String,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT cluster_id, fe, at, request_total, query_total, query_err, query_timeout, \
         txn_begin, txn_success, txn_failed, load_finished FROM collector_counters",
    )
    .fetch_all(pool)
    .await?;
    let mut out: HashMap<i64, HashMap<String, FeCounters>> = HashMap::new();
    for r in rows {
        let c = FeCounters {
            at: r.2,
            request_total: r.3,
            query_total: r.4,
            query_err: r.5,
            query_timeout: r.6,
            txn_begin: r.7,
            txn_success: r.8,
            txn_failed: r.9,
            load_finished: r.10,
        };
        out.entry(r.0).or_default().insert(r.1, c);
    }
    Ok(out)
}
