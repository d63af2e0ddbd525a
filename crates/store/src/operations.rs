//! Operations health rows (issue 15): `ops_snapshots` and
//! `resource_group_samples` per collection, `tablet_health_latest` per
//! database, written in the tick's transaction with the cluster's row.

use model::operations::{DbTablets, Operations, OpsSnapshot};
use sqlx::{Sqlite, SqlitePool, Transaction};

const OPS_COLUMNS: &str = "cluster_id, collected_at, tablets, replicas, tablets_unhealthy, \
    tablets_inconsistent, tablets_cloning, tablets_error_state, tablets_unhealthy_since, \
    tablets_scheduled, routine_loads_running, routine_loads_paused, routine_loads_need_schedule, \
    routine_loads_unstable, routine_loads_stopped, routine_loads_cancelled, txn_running_max, \
    txn_running_max_db, txn_rejected, txn_failed_pct, meta_log_count, meta_log_fe, safe_mode, \
    report_queue_size, rowsets_max, rowsets_max_be, compactions_failed";

/// Names from a cluster (a database, a resource group, an FE) are kept to
/// this many characters.
const MAX_NAME_CHARS: usize = 200;

fn name(s: &str) -> String {
    s.chars().take(MAX_NAME_CHARS).collect()
}

/// One collection's operations figures, in the tick's transaction.
pub async fn write(tx: &mut Transaction<'_, Sqlite>, ops: &Operations) -> sqlx::Result<()> {
    let s = &ops.snapshot;
    let since = unhealthy_since(tx, s).await?;
    let sql = format!(
        "INSERT OR REPLACE INTO ops_snapshots ({OPS_COLUMNS}) VALUES \
         (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    );
    sqlx::query(&sql)
        .bind(s.cluster_id)
        .bind(s.collected_at)
        .bind(s.tablets)
        .bind(s.replicas)
        .bind(s.tablets_unhealthy)
        .bind(s.tablets_inconsistent)
        .bind(s.tablets_cloning)
        .bind(s.tablets_error_state)
        .bind(since)
        .bind(s.tablets_scheduled)
        .bind(s.routine_loads_running)
        .bind(s.routine_loads_paused)
        .bind(s.routine_loads_need_schedule)
        .bind(s.routine_loads_unstable)
        .bind(s.routine_loads_stopped)
        .bind(s.routine_loads_cancelled)
        .bind(s.txn_running_max)
        .bind(s.txn_running_max_db.as_deref().map(name))
        .bind(s.txn_rejected)
        .bind(s.txn_failed_pct)
        .bind(s.meta_log_count)
        .bind(s.meta_log_fe.as_deref().map(name))
        .bind(s.safe_mode)
        .bind(s.report_queue_size)
        .bind(s.rowsets_max)
        .bind(s.rowsets_max_be.as_deref().map(name))
        .bind(s.compactions_failed)
        .execute(&mut **tx)
        .await?;
    for g in &ops.groups {
        sqlx::query(
            "INSERT OR REPLACE INTO resource_group_samples \
             (cluster_id, collected_at, name, queries, errors, p99_ms, queue_pending, queue_timeouts) \
             VALUES (?,?,?,?,?,?,?,?)",
        )
        .bind(s.cluster_id)
        .bind(s.collected_at)
        .bind(name(&g.name))
        .bind(g.queries)
        .bind(g.errors)
        .bind(g.p99_ms)
        .bind(g.queue_pending)
        .bind(g.queue_timeouts)
        .execute(&mut **tx)
        .await?;
    }
    if let Some(dbs) = &ops.dbs {
        sqlx::query("DELETE FROM tablet_health_latest WHERE cluster_id = ?")
            .bind(s.cluster_id)
            .execute(&mut **tx)
            .await?;
        for d in dbs {
            sqlx::query(
                "INSERT OR REPLACE INTO tablet_health_latest \
                 (cluster_id, db_name, collected_at, tablets, replicas, unhealthy, inconsistent, \
                  cloning, error_state) VALUES (?,?,?,?,?,?,?,?,?)",
            )
            .bind(s.cluster_id)
            .bind(name(&d.db_name))
            .bind(s.collected_at)
            .bind(d.tablets)
            .bind(d.replicas)
            .bind(d.unhealthy)
            .bind(d.inconsistent)
            .bind(d.cloning)
            .bind(d.error_state)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Since when tablets have been unhealthy: the collector counts a streak from
/// its own memory, which a restart of the console empties; a streak that the
/// stored row before this one was already in keeps that row's start.
async fn unhealthy_since(
    tx: &mut Transaction<'_, Sqlite>,
    s: &OpsSnapshot,
) -> sqlx::Result<Option<i64>> {
    let (Some(n), Some(mine)) = (s.tablets_unhealthy, s.tablets_unhealthy_since) else {
        return Ok(s.tablets_unhealthy_since);
    };
    if n <= 0 {
        return Ok(Some(mine));
    }
    let before: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT tablets_unhealthy, tablets_unhealthy_since FROM ops_snapshots \
         WHERE cluster_id = ? AND collected_at < ? ORDER BY collected_at DESC LIMIT 1",
    )
    .bind(s.cluster_id)
    .bind(s.collected_at)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(Some(match before {
        Some((Some(was), Some(start))) if was > 0 && start < mine => start,
        _ => mine,
    }))
}

/// The newest operations row of a cluster.
pub async fn latest(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Option<OpsSnapshot>> {
    sqlx::query_as(&format!(
        "SELECT {OPS_COLUMNS} FROM ops_snapshots WHERE cluster_id = ? \
         ORDER BY collected_at DESC LIMIT 1"
    ))
    .bind(cluster_id)
    .fetch_optional(pool)
    .await
}

/// Operations rows with `from <= collected_at < to`, oldest first.
pub async fn between(
    pool: &SqlitePool,
    cluster_id: i64,
    from: i64,
    to: i64,
) -> sqlx::Result<Vec<OpsSnapshot>> {
    sqlx::query_as(&format!(
        "SELECT {OPS_COLUMNS} FROM ops_snapshots WHERE cluster_id = ? AND collected_at >= ? \
         AND collected_at < ? ORDER BY collected_at"
    ))
    .bind(cluster_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}

/// The newest tablets per database, unhealthy ones first, then by name.
pub async fn db_tablets(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Vec<DbTablets>> {
    sqlx::query_as(
        "SELECT db_name, tablets, replicas, unhealthy, inconsistent, cloning, error_state \
         FROM tablet_health_latest WHERE cluster_id = ? \
         ORDER BY COALESCE(unhealthy, 0) + COALESCE(error_state, 0) DESC, db_name",
    )
    .bind(cluster_id)
    .fetch_all(pool)
    .await
}

/// Deletes one cluster's operations rows older than `cutoff`, a batch at a time.
pub async fn apply_retention(pool: &SqlitePool, id: i64, cutoff: i64) -> sqlx::Result<u64> {
    let mut deleted = crate::housekeeping::delete_batches(
        pool,
        "DELETE FROM ops_snapshots WHERE cluster_id = ?1 AND collected_at IN \
         (SELECT collected_at FROM ops_snapshots WHERE cluster_id = ?1 AND collected_at < ?2 \
          ORDER BY collected_at LIMIT ?3)",
        id,
        cutoff,
    )
    .await?;
    deleted += crate::housekeeping::delete_batches(
        pool,
        "DELETE FROM resource_group_samples WHERE cluster_id = ?1 AND (collected_at, name) IN \
         (SELECT collected_at, name FROM resource_group_samples WHERE cluster_id = ?1 \
          AND collected_at < ?2 ORDER BY collected_at LIMIT ?3)",
        id,
        cutoff,
    )
    .await?;
    Ok(deleted)
}

/// A chart over `ops_snapshots`: `expr` per row, aggregated per bucket.
pub struct OpsSeriesDef {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// `max`, `avg`, or `rate`: the interval counts summed per bucket and
    /// served per second, so the unit does not change with the range.
    pub aggregate: &'static str,
    pub expr: &'static str,
}

pub const OPS_SERIES: &[OpsSeriesDef] = &[
    OpsSeriesDef {
        key: "tablets_unhealthy",
        label: "Unhealthy tablets",
        unit: "tablets",
        aggregate: "max",
        expr: "tablets_unhealthy",
    },
    OpsSeriesDef {
        key: "tablets_cloning",
        label: "Cloning tablets",
        unit: "tablets",
        aggregate: "max",
        expr: "tablets_cloning",
    },
    OpsSeriesDef {
        key: "routine_loads_running",
        label: "Routine loads running",
        unit: "jobs",
        aggregate: "max",
        expr: "routine_loads_running",
    },
    OpsSeriesDef {
        key: "routine_loads_paused",
        label: "Routine loads paused",
        unit: "jobs",
        aggregate: "max",
        expr: "routine_loads_paused",
    },
    OpsSeriesDef {
        key: "routine_loads_need_schedule",
        label: "Routine loads waiting",
        unit: "jobs",
        aggregate: "max",
        expr: "routine_loads_need_schedule",
    },
    OpsSeriesDef {
        key: "txn_running_max",
        label: "Running transactions (largest database)",
        unit: "transactions",
        aggregate: "max",
        expr: "txn_running_max",
    },
    OpsSeriesDef {
        key: "txn_failed_pct",
        label: "Failed transactions",
        unit: "%",
        aggregate: "avg",
        expr: "txn_failed_pct",
    },
    OpsSeriesDef {
        key: "meta_log_count",
        label: "Metadata journal since checkpoint",
        unit: "entries",
        aggregate: "max",
        expr: "meta_log_count",
    },
    OpsSeriesDef {
        key: "rowsets_max",
        label: "Max rowsets per tablet",
        unit: "rowsets",
        aggregate: "max",
        expr: "rowsets_max",
    },
    OpsSeriesDef {
        key: "compactions_failed",
        label: "Failed compactions",
        unit: "per s",
        aggregate: "rate",
        expr: "compactions_failed",
    },
];

/// The bucket grid of a window: aligned starts, so every chart of a page
/// shares its x axis.
fn grid(from: i64, to: i64, step: i64) -> (i64, usize) {
    let step = step.max(1);
    let start = from.div_euclid(step) * step;
    let count = usize::try_from((to - start + step - 1) / step).unwrap_or(0);
    (start, count)
}

fn aggregate_sql(aggregate: &str, expr: &str) -> String {
    match aggregate {
        "avg" => format!("CAST(AVG({expr}) AS REAL)"),
        "rate" => format!("CAST(SUM({expr}) AS REAL)"),
        _ => format!("CAST(MAX({expr}) AS REAL)"),
    }
}

/// The operations charts of a window, `step` ms per bucket; a bucket without
/// a row (or whose rows did not report the figure) is `None`: a gap.
pub async fn series(
    pool: &SqlitePool,
    cluster_id: i64,
    from: i64,
    to: i64,
    step: i64,
) -> sqlx::Result<Vec<model::overview::Series>> {
    use sqlx::Row;
    let (start, count) = grid(from, to, step);
    let mut out: Vec<model::overview::Series> = OPS_SERIES
        .iter()
        .map(|d| model::overview::Series {
            key: d.key.into(),
            label: d.label.into(),
            unit: d.unit.into(),
            aggregate: d.aggregate.into(),
            start,
            step_ms: step,
            values: vec![None; count],
        })
        .collect();
    if count == 0 {
        return Ok(out);
    }
    let columns: Vec<String> = OPS_SERIES
        .iter()
        .map(|d| aggregate_sql(d.aggregate, d.expr))
        .collect();
    let sql = format!(
        "SELECT (collected_at - ?1) / ?2 AS b, {} FROM ops_snapshots \
         WHERE cluster_id = ?3 AND collected_at >= ?4 AND collected_at < ?5 GROUP BY b",
        columns.join(", ")
    );
    let rows = sqlx::query(&sql)
        .bind(start)
        .bind(step.max(1))
        .bind(cluster_id)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
    let per_second = 1000.0 / step.max(1) as f64;
    for row in rows {
        let b: i64 = row.try_get(0)?;
        let Ok(b) = usize::try_from(b) else { continue };
        if b >= count {
            continue;
        }
        for (i, (d, s)) in OPS_SERIES.iter().zip(out.iter_mut()).enumerate() {
            let v: Option<f64> = row.try_get(i + 1)?;
            s.values[b] = if d.aggregate == "rate" {
                v.map(|v| v * per_second)
            } else {
                v
            };
        }
    }
    Ok(out)
}

/// Per resource group, for the `top` busiest groups of the window: queries
/// per second (`rg_qps_<rank>`) and the worst p99 (`rg_p99_<rank>`), per
/// bucket, each series labelled with its group's name; rank 1 is the busiest.
pub async fn group_series(
    pool: &SqlitePool,
    cluster_id: i64,
    from: i64,
    to: i64,
    step: i64,
    top: i64,
) -> sqlx::Result<Vec<model::overview::Series>> {
    use sqlx::Row;
    let (start, count) = grid(from, to, step);
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM resource_group_samples WHERE cluster_id = ? AND collected_at >= ? \
         AND collected_at < ? GROUP BY name ORDER BY SUM(COALESCE(queries, 0)) DESC, name LIMIT ?",
    )
    .bind(cluster_id)
    .bind(from)
    .bind(to)
    .bind(top)
    .fetch_all(pool)
    .await?;
    let per_second = 1000.0 / step.max(1) as f64;
    let mut out = Vec::new();
    for (rank, name) in names.into_iter().enumerate() {
        let mut qps = vec![None; count];
        let mut p99 = vec![None; count];
        let rows = sqlx::query(
            "SELECT (collected_at - ?1) / ?2 AS b, CAST(SUM(queries) AS REAL), CAST(MAX(p99_ms) AS REAL) \
             FROM resource_group_samples WHERE cluster_id = ?3 AND name = ?4 \
             AND collected_at >= ?5 AND collected_at < ?6 GROUP BY b",
        )
        .bind(start)
        .bind(step.max(1))
        .bind(cluster_id)
        .bind(&name)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?;
        for row in rows {
            let b: i64 = row.try_get(0)?;
            let Ok(b) = usize::try_from(b) else { continue };
            if b >= count {
                continue;
            }
            let q: Option<f64> = row.try_get(1)?;
            qps[b] = q.map(|q| q * per_second);
            p99[b] = row.try_get(2)?;
        }
        for (kind, unit, aggregate, values) in
            [("qps", "queries/s", "rate", qps), ("p99", "ms", "max", p99)]
        {
            out.push(model::overview::Series {
                key: format!("rg_{kind}_{}", rank + 1),
                label: name.clone(),
                unit: unit.into(),
                aggregate: aggregate.into(),
                start,
                step_ms: step,
                values,
            });
        }
    }
    Ok(out)
}

/// The resource groups of the newest collection that wrote any.
pub async fn latest_groups(
    pool: &SqlitePool,
    cluster_id: i64,
) -> sqlx::Result<Vec<model::operations::ResourceGroupSample>> {
    sqlx::query_as(
        "SELECT name, queries, errors, p99_ms, queue_pending, queue_timeouts \
         FROM resource_group_samples WHERE cluster_id = ?1 AND collected_at = \
         (SELECT MAX(collected_at) FROM resource_group_samples WHERE cluster_id = ?1) \
         ORDER BY COALESCE(queries, 0) DESC, name",
    )
    .bind(cluster_id)
    .fetch_all(pool)
    .await
}

/// Replaces a cluster's routine load jobs with those of one read.
pub async fn replace_routine_loads(
    pool: &SqlitePool,
    cluster_id: i64,
    at: i64,
    jobs: &[model::operations::RoutineLoadJob],
) -> sqlx::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM routine_load_jobs WHERE cluster_id = ?")
        .bind(cluster_id)
        .execute(&mut *tx)
        .await?;
    for j in jobs {
        sqlx::query(
            "INSERT OR REPLACE INTO routine_load_jobs (cluster_id, database, name, table_name, \
             state, reason, error_rows, lag, pause_time, read_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        )
        .bind(cluster_id)
        .bind(name(&j.database))
        .bind(name(&j.name))
        .bind(j.table_name.as_deref().map(name))
        .bind(name(&j.state))
        .bind(j.reason.as_deref().map(model::text::clip_error))
        .bind(j.error_rows)
        .bind(j.lag)
        .bind(j.pause_time.as_deref().map(name))
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// A cluster's routine load jobs as last read: paused first, then by
/// database and name.
pub async fn routine_loads(
    pool: &SqlitePool,
    cluster_id: i64,
) -> sqlx::Result<Vec<model::operations::RoutineLoadJob>> {
    sqlx::query_as(
        "SELECT database, name, table_name, state, reason, error_rows, lag, pause_time \
         FROM routine_load_jobs WHERE cluster_id = ? \
         ORDER BY state <> 'PAUSED', database, name",
    )
    .bind(cluster_id)
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pool() -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let pool = crate::db::connect(&url).await.expect("database");
        sqlx::query(
            "INSERT INTO clusters (id, name, fe_host, http_port, query_port, username, password_enc,
               use_https, description, tags, created_at, updated_at, extra_fes)
             VALUES (1, 'c', 'fe.example', 8030, 9030, 'root', x'00', 0, '', '', 0, 0, '')",
        )
        .execute(&pool)
        .await
        .expect("cluster");
        (dir, pool)
    }

    async fn put(pool: &SqlitePool, at: i64, unhealthy: i64, since: Option<i64>) -> Option<i64> {
        let mut o = OpsSnapshot::new(1, at);
        o.tablets_unhealthy = Some(unhealthy);
        o.tablets_unhealthy_since = since;
        let mut tx = pool.begin().await.expect("tx");
        write(
            &mut tx,
            &Operations {
                snapshot: o,
                ..Operations::default()
            },
        )
        .await
        .expect("write");
        tx.commit().await.expect("commit");
        latest(pool, 1)
            .await
            .expect("read")
            .and_then(|o| o.tablets_unhealthy_since)
    }

    #[tokio::test]
    async fn an_unhealthy_streak_survives_a_restart_of_the_console() {
        let (_dir, pool) = pool().await;
        assert_eq!(put(&pool, 1_000, 4, Some(1_000)).await, Some(1_000));
        // The console restarted: its memory says the streak began now.
        assert_eq!(put(&pool, 31_000, 4, Some(31_000)).await, Some(1_000));
        // Healthy in between: a new streak is a new streak.
        assert_eq!(put(&pool, 61_000, 0, None).await, None);
        assert_eq!(put(&pool, 91_000, 2, Some(91_000)).await, Some(91_000));
    }
}
