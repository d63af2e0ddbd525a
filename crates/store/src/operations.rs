//! Operations health rows (issue 15): `ops_snapshots` and
//! `resource_group_samples` per collection, `tablet_health_latest` per
//! database, written in the tick's transaction with the cluster's row.

use model::operations::{DbTablets, Operations, OpsSnapshot};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// The stored columns, in the order `write` binds them; the three names are
/// `ops_names` ids (migration 0013).
const OPS_COLUMNS: &str = "cluster_id, collected_at, tablets, replicas, tablets_unhealthy, \
    tablets_inconsistent, tablets_cloning, tablets_error_state, tablets_unhealthy_since, \
    tablets_scheduled, routine_loads_running, routine_loads_paused, routine_loads_need_schedule, \
    routine_loads_unstable, routine_loads_stopped, routine_loads_cancelled, txn_running_max, \
    txn_running_max_db_id, txn_rejected, txn_failed_pct, meta_log_count, meta_log_fe_id, safe_mode, \
    report_queue_size, rowsets_max, rowsets_max_be_id, compactions_failed, queries_running, \
    query_longest_ms";

/// What reads select from `ops_snapshots o`: [`OpsSnapshot`]'s fields, the
/// names looked up.
const OPS_READ: &str = "o.cluster_id, o.collected_at, o.tablets, o.replicas, o.tablets_unhealthy, \
    o.tablets_inconsistent, o.tablets_cloning, o.tablets_error_state, o.tablets_unhealthy_since, \
    o.tablets_scheduled, o.routine_loads_running, o.routine_loads_paused, \
    o.routine_loads_need_schedule, o.routine_loads_unstable, o.routine_loads_stopped, \
    o.routine_loads_cancelled, o.txn_running_max, \
    (SELECT name FROM ops_names n WHERE n.cluster_id = o.cluster_id AND n.id = o.txn_running_max_db_id) AS txn_running_max_db, \
    o.txn_rejected, o.txn_failed_pct, o.meta_log_count, \
    (SELECT name FROM ops_names n WHERE n.cluster_id = o.cluster_id AND n.id = o.meta_log_fe_id) AS meta_log_fe, \
    o.safe_mode, o.report_queue_size, o.rowsets_max, \
    (SELECT name FROM ops_names n WHERE n.cluster_id = o.cluster_id AND n.id = o.rowsets_max_be_id) AS rowsets_max_be, \
    o.compactions_failed, o.queries_running, o.query_longest_ms";

/// A cluster keeps at most this many names: one that sends a new database or
/// group name every tick cannot grow the table without end; past it, a new
/// name is stored as not known.
const MAX_NAMES_PER_CLUSTER: i64 = 10_000;

/// Names from a cluster (a database, a resource group, an FE) are kept to
/// this many characters.
const MAX_NAME_CHARS: usize = 200;

fn name(s: &str) -> String {
    s.chars().take(MAX_NAME_CHARS).collect()
}

/// The cluster's number for a name, made on first use (`None` for no name,
/// or when the cluster has [`MAX_NAMES_PER_CLUSTER`] already).
async fn name_id(
    tx: &mut Transaction<'_, Sqlite>,
    cluster_id: i64,
    value: Option<&str>,
) -> sqlx::Result<Option<i64>> {
    let Some(value) = value else { return Ok(None) };
    let value = name(value);
    let known: Option<i64> =
        sqlx::query_scalar("SELECT id FROM ops_names WHERE cluster_id = ? AND name = ?")
            .bind(cluster_id)
            .bind(&value)
            .fetch_optional(&mut **tx)
            .await?;
    if known.is_some() {
        return Ok(known);
    }
    let next: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM ops_names WHERE cluster_id = ?")
            .bind(cluster_id)
            .fetch_one(&mut **tx)
            .await?;
    if next > MAX_NAMES_PER_CLUSTER {
        return Ok(None);
    }
    sqlx::query("INSERT INTO ops_names (cluster_id, name, id) VALUES (?, ?, ?)")
        .bind(cluster_id)
        .bind(&value)
        .bind(next)
        .execute(&mut **tx)
        .await?;
    Ok(Some(next))
}

/// One collection's operations figures, in the tick's transaction.
pub async fn write(tx: &mut Transaction<'_, Sqlite>, ops: &Operations) -> sqlx::Result<()> {
    let s = &ops.snapshot;
    let since = unhealthy_since(tx, s).await?;
    let txn_db = name_id(tx, s.cluster_id, s.txn_running_max_db.as_deref()).await?;
    let meta_fe = name_id(tx, s.cluster_id, s.meta_log_fe.as_deref()).await?;
    let rowsets_be = name_id(tx, s.cluster_id, s.rowsets_max_be.as_deref()).await?;
    let sql = format!(
        "INSERT OR REPLACE INTO ops_snapshots ({OPS_COLUMNS}) VALUES \
         (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
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
        .bind(txn_db)
        .bind(s.txn_rejected)
        .bind(s.txn_failed_pct)
        .bind(s.meta_log_count)
        .bind(meta_fe)
        .bind(s.safe_mode)
        .bind(s.report_queue_size)
        .bind(s.rowsets_max)
        .bind(rowsets_be)
        .bind(s.compactions_failed)
        .bind(s.queries_running)
        .bind(s.query_longest_ms)
        .execute(&mut **tx)
        .await?;
    for g in &ops.groups {
        let Some(group) = name_id(tx, s.cluster_id, Some(&g.name)).await? else {
            continue;
        };
        sqlx::query(
            "INSERT OR REPLACE INTO resource_group_samples \
             (cluster_id, collected_at, group_id, queries, errors, p99_tenth_ms, queue_pending, queue_timeouts) \
             VALUES (?,?,?,?,?,?,?,?)",
        )
        .bind(s.cluster_id)
        .bind(s.collected_at)
        .bind(group)
        .bind(g.queries)
        .bind(g.errors)
        .bind(g.p99_ms.filter(|v| v.is_finite()).map(|ms| (ms * 10.0).round() as i64))
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
        "SELECT {OPS_READ} FROM ops_snapshots o WHERE o.cluster_id = ? \
         ORDER BY o.collected_at DESC LIMIT 1"
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
        "SELECT {OPS_READ} FROM ops_snapshots o WHERE o.cluster_id = ? AND o.collected_at >= ? \
         AND o.collected_at < ? ORDER BY o.collected_at"
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
        "DELETE FROM resource_group_samples WHERE cluster_id = ?1 AND (collected_at, group_id) IN \
         (SELECT collected_at, group_id FROM resource_group_samples WHERE cluster_id = ?1 \
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
        key: "queries_running",
        label: "Running queries, every FE",
        unit: "queries",
        aggregate: "max",
        expr: "queries_running",
    },
    OpsSeriesDef {
        key: "query_longest",
        label: "Longest running query",
        unit: "ms",
        aggregate: "max",
        expr: "query_longest_ms",
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
    let groups: Vec<(i64, String)> = sqlx::query_as(
        "SELECT r.group_id, n.name FROM resource_group_samples r \
         JOIN ops_names n ON n.cluster_id = r.cluster_id AND n.id = r.group_id \
         WHERE r.cluster_id = ? AND r.collected_at >= ? AND r.collected_at < ? \
         GROUP BY r.group_id ORDER BY SUM(COALESCE(r.queries, 0)) DESC, n.name LIMIT ?",
    )
    .bind(cluster_id)
    .bind(from)
    .bind(to)
    .bind(top)
    .fetch_all(pool)
    .await?;
    let per_second = 1000.0 / step.max(1) as f64;
    let mut out = Vec::new();
    for (rank, (group, name)) in groups.into_iter().enumerate() {
        let mut qps = vec![None; count];
        let mut p99 = vec![None; count];
        let rows = sqlx::query(
            "SELECT (collected_at - ?1) / ?2 AS b, CAST(SUM(queries) AS REAL), MAX(p99_tenth_ms) / 10.0 \
             FROM resource_group_samples WHERE cluster_id = ?3 AND group_id = ?4 \
             AND collected_at >= ?5 AND collected_at < ?6 GROUP BY b",
        )
        .bind(start)
        .bind(step.max(1))
        .bind(cluster_id)
        .bind(group)
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
        "SELECT n.name, r.queries, r.errors, r.p99_tenth_ms / 10.0 AS p99_ms, r.queue_pending, \
         r.queue_timeouts FROM resource_group_samples r \
         JOIN ops_names n ON n.cluster_id = r.cluster_id AND n.id = r.group_id \
         WHERE r.cluster_id = ?1 AND r.collected_at = \
         (SELECT MAX(collected_at) FROM resource_group_samples WHERE cluster_id = ?1) \
         ORDER BY COALESCE(r.queries, 0) DESC, n.name",
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

    fn group(name: &str, queries: i64, p99_ms: f64) -> model::operations::ResourceGroupSample {
        model::operations::ResourceGroupSample {
            name: name.into(),
            queries: Some(queries),
            errors: Some(0),
            p99_ms: Some(p99_ms),
            queue_pending: None,
            queue_timeouts: None,
        }
    }

    async fn write_ops(pool: &SqlitePool, ops: Operations) {
        let mut tx = pool.begin().await.expect("tx");
        write(&mut tx, &ops).await.expect("write");
        tx.commit().await.expect("commit");
    }

    #[tokio::test]
    async fn names_are_stored_once_and_read_back_with_their_rows() {
        let (_dir, pool) = pool().await;
        for (i, db) in ["sales", "sales", "logs"].iter().enumerate() {
            let mut o = OpsSnapshot::new(1, 30_000 * i as i64);
            o.txn_running_max = Some(10 + i as i64);
            o.txn_running_max_db = Some((*db).into());
            o.meta_log_fe = Some("fe-1.example:9010".into());
            o.rowsets_max_be = Some("be-2.example:9050".into());
            write_ops(
                &pool,
                Operations {
                    snapshot: o,
                    groups: vec![group("default_wg", 40, 12.345), group("rg_bi", 7, 0.25)],
                    ..Operations::default()
                },
            )
            .await;
        }
        let names: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ops_names")
            .fetch_one(&pool)
            .await
            .expect("count");
        assert_eq!(names, 6, "sales, logs, one FE, one BE, two groups");
        let rows = between(&pool, 1, 0, 90_000).await.expect("read");
        let dbs: Vec<_> = rows.iter().map(|o| o.txn_running_max_db.clone()).collect();
        assert_eq!(
            dbs,
            [
                Some("sales".into()),
                Some("sales".into()),
                Some("logs".into())
            ]
        );
        let newest = latest(&pool, 1).await.expect("read").expect("a row");
        assert_eq!(newest.meta_log_fe.as_deref(), Some("fe-1.example:9010"));
        assert_eq!(newest.rowsets_max_be.as_deref(), Some("be-2.example:9050"));
        let groups = latest_groups(&pool, 1).await.expect("groups");
        assert_eq!(groups[0].name, "default_wg");
        // Kept in tenths of a millisecond.
        assert_eq!(groups[0].p99_ms, Some(12.3));
        assert_eq!(groups[1].p99_ms, Some(0.3));
        let series = group_series(&pool, 1, 0, 90_000, 30_000, 5)
            .await
            .expect("series");
        assert_eq!(series[0].label, "default_wg");
        assert_eq!(series[1].values, [Some(12.3), Some(12.3), Some(12.3)]);
    }

    #[tokio::test]
    async fn a_cluster_that_invents_names_cannot_grow_the_dictionary_without_end() {
        let (_dir, pool) = pool().await;
        let mut tx = pool.begin().await.expect("tx");
        for i in 0..MAX_NAMES_PER_CLUSTER {
            let id = name_id(&mut tx, 1, Some(&format!("db_{i}")))
                .await
                .expect("id");
            assert_eq!(id, Some(i + 1));
        }
        assert_eq!(
            name_id(&mut tx, 1, Some("one_more")).await.expect("id"),
            None
        );
        // A known name still has its number.
        assert_eq!(
            name_id(&mut tx, 1, Some("db_7")).await.expect("id"),
            Some(8)
        );
        tx.commit().await.expect("commit");
    }

    #[tokio::test]
    async fn the_migration_keeps_the_names_of_rows_written_before_it() {
        // The tables as migration 0010 made them, with a row of each.
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("old.db").display());
        let old = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                url.parse::<sqlx::sqlite::SqliteConnectOptions>()
                    .expect("url")
                    .create_if_missing(true),
            )
            .await
            .expect("database");
        sqlx::raw_sql(
            "CREATE TABLE clusters (id INTEGER PRIMARY KEY);
             INSERT INTO clusters VALUES (1);
             CREATE TABLE ops_snapshots (cluster_id INTEGER NOT NULL, collected_at INTEGER NOT NULL,
               tablets INTEGER, replicas INTEGER, tablets_unhealthy INTEGER, tablets_inconsistent INTEGER,
               tablets_cloning INTEGER, tablets_error_state INTEGER, tablets_unhealthy_since INTEGER,
               tablets_scheduled INTEGER, routine_loads_running INTEGER, routine_loads_paused INTEGER,
               routine_loads_need_schedule INTEGER, routine_loads_unstable INTEGER,
               routine_loads_stopped INTEGER, routine_loads_cancelled INTEGER, txn_running_max INTEGER,
               txn_running_max_db TEXT, txn_rejected INTEGER, txn_failed_pct REAL, meta_log_count INTEGER,
               meta_log_fe TEXT, safe_mode INTEGER, report_queue_size INTEGER, rowsets_max INTEGER,
               rowsets_max_be TEXT, compactions_failed INTEGER, PRIMARY KEY (cluster_id, collected_at)) WITHOUT ROWID;
             CREATE TABLE resource_group_samples (cluster_id INTEGER NOT NULL, collected_at INTEGER NOT NULL,
               name TEXT NOT NULL, queries INTEGER, errors INTEGER, p99_ms REAL, queue_pending INTEGER,
               queue_timeouts INTEGER, PRIMARY KEY (cluster_id, collected_at, name)) WITHOUT ROWID;
             INSERT INTO ops_snapshots (cluster_id, collected_at, txn_running_max, txn_running_max_db,
               meta_log_count, meta_log_fe, rowsets_max, rowsets_max_be)
               VALUES (1, 30000, 950, 'sales', 150000, 'fe-0:9010', 900, 'be-0:9050');
             INSERT INTO resource_group_samples VALUES (1, 30000, 'rg_bi', 12, 1, 87.5, 0, 0);",
        )
        .execute(&old)
        .await
        .expect("old schema");
        sqlx::raw_sql(include_str!("../migrations/0013_ops_names.sql"))
            .execute(&old)
            .await
            .expect("migration 0013");
        sqlx::raw_sql(include_str!("../migrations/0014_queries.sql"))
            .execute(&old)
            .await
            .expect("migration 0014");
        let o = latest(&old, 1).await.expect("read").expect("the row");
        assert_eq!(
            (o.txn_running_max, o.txn_running_max_db.as_deref()),
            (Some(950), Some("sales"))
        );
        assert_eq!(o.meta_log_fe.as_deref(), Some("fe-0:9010"));
        assert_eq!(o.rowsets_max_be.as_deref(), Some("be-0:9050"));
        let groups = latest_groups(&old, 1).await.expect("groups");
        assert_eq!(
            (groups[0].name.as_str(), groups[0].queries, groups[0].p99_ms),
            ("rg_bi", Some(12), Some(87.5))
        );
    }
}
