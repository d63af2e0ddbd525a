//! Each node's own history: a row per listed node per collection
//! (`node_snapshots`) and partials per 5 and 15 minutes (`node_rollup`), both
//! written in the tick's transaction, so a long range of one node reads its
//! cluster's partials, not every row; daily partials are rolled up from the
//! 15-minute ones after midnight, as the cluster's daily rows are. The keys
//! are time-major, as the cluster's: a tick writes each cluster's node rows
//! side by side. Retention follows the cluster's.

use crate::partials::ROLLUP_RES;
use crate::series::{source, Source};
use model::node::{self, key_of};
use model::overview::{NodeInfo, Nodes, Series, Window, DAY_MS};
use sqlx::{Row, SqliteConnection, SqlitePool};
use std::collections::HashSet;

/// The resolutions of `node_rollup` the ticks keep: the cluster's partials.
/// Days (`DAY_MS`) are rolled up after midnight ([`rollup_day`]).
pub const NODE_ROLLUP_RES: [i64; 2] = ROLLUP_RES;

/// Nodes per statement: 2 partial rows of 12 values each stay far below
/// SQLite's 32,766 variables.
const CHUNK: usize = 100;

/// One node's figures at one collection, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSample {
    pub node: String,
    pub alive: bool,
    pub cpu_pct: Option<f64>,
    pub mem_pct: Option<f64>,
    pub disk_pct: Option<f64>,
    pub compaction_score: Option<f64>,
}

impl NodeSample {
    /// A dead node's figures are not readings, whatever the list said.
    pub fn of(n: &NodeInfo) -> Self {
        let live = |v: Option<f64>| v.filter(|v| n.alive && v.is_finite());
        Self {
            node: key_of(n),
            alive: n.alive,
            cpu_pct: live(n.cpu_pct),
            mem_pct: live(n.mem_pct),
            disk_pct: live(n.disk_used_pct),
            compaction_score: live(n.compaction_score),
        }
    }
}

fn placeholders(rows: usize, per_row: usize) -> String {
    let one = format!("({})", vec!["?"; per_row].join(","));
    vec![one; rows].join(",")
}

async fn insert_raw(
    conn: &mut SqliteConnection,
    cluster_id: i64,
    at: i64,
    rows: &[NodeSample],
) -> sqlx::Result<u64> {
    let sql = format!(
        "INSERT INTO node_snapshots (cluster_id, node, collected_at, alive, cpu_pct, mem_pct, \
         disk_pct, compaction_score) VALUES {} ON CONFLICT DO NOTHING",
        placeholders(rows.len(), 8)
    );
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(cluster_id)
            .bind(&r.node)
            .bind(at)
            .bind(r.alive)
            .bind(r.cpu_pct)
            .bind(r.mem_pct)
            .bind(r.disk_pct)
            .bind(r.compaction_score);
    }
    Ok(q.execute(&mut *conn).await?.rows_affected())
}

/// Adds rows of `at` to their partials at every resolution.
async fn add_to_partials(
    conn: &mut SqliteConnection,
    cluster_id: i64,
    at: i64,
    rows: &[NodeSample],
) -> sqlx::Result<()> {
    // SQLite's two-argument MAX is NULL when either is: keep the other.
    let sql = format!(
        "INSERT INTO node_rollup (cluster_id, node, res, bucket, rows_total, rows_alive, \
           cpu_sum, cpu_n, mem_sum, mem_n, disk_max, compaction_max) VALUES {} \
         ON CONFLICT (cluster_id, node, res, bucket) DO UPDATE SET \
           rows_total = rows_total + 1, \
           rows_alive = rows_alive + excluded.rows_alive, \
           cpu_sum = COALESCE(cpu_sum + excluded.cpu_sum, cpu_sum, excluded.cpu_sum), \
           cpu_n = cpu_n + excluded.cpu_n, \
           mem_sum = COALESCE(mem_sum + excluded.mem_sum, mem_sum, excluded.mem_sum), \
           mem_n = mem_n + excluded.mem_n, \
           disk_max = COALESCE(MAX(disk_max, excluded.disk_max), disk_max, excluded.disk_max), \
           compaction_max = COALESCE(MAX(compaction_max, excluded.compaction_max), \
             compaction_max, excluded.compaction_max)",
        placeholders(rows.len() * NODE_ROLLUP_RES.len(), 12)
    );
    let mut q = sqlx::query(&sql);
    for res in NODE_ROLLUP_RES {
        let bucket = at.div_euclid(res) * res;
        for r in rows {
            q = q
                .bind(cluster_id)
                .bind(&r.node)
                .bind(res)
                .bind(bucket)
                .bind(1_i64)
                .bind(r.alive)
                .bind(r.cpu_pct)
                .bind(i64::from(r.cpu_pct.is_some()))
                .bind(r.mem_pct)
                .bind(i64::from(r.mem_pct.is_some()))
                .bind(r.disk_pct)
                .bind(r.compaction_score);
        }
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

/// Rebuilds one node's partial bucket from its raw rows: for the rare write
/// that repeats part of an earlier one (the same node and time), which
/// adding would count twice.
pub async fn recompute(
    conn: &mut SqliteConnection,
    cluster_id: i64,
    node: &str,
    res: i64,
    bucket: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT OR REPLACE INTO node_rollup (cluster_id, node, res, bucket, rows_total, \
           rows_alive, cpu_sum, cpu_n, mem_sum, mem_n, disk_max, compaction_max) \
         SELECT ?1, ?2, ?3, ?4, COUNT(*), SUM(alive), SUM(cpu_pct), COUNT(cpu_pct), \
           SUM(mem_pct), COUNT(mem_pct), MAX(disk_pct), MAX(compaction_score) \
         FROM node_snapshots WHERE cluster_id = ?1 AND node = ?2 \
           AND collected_at >= ?4 AND collected_at < ?4 + ?3 \
         HAVING COUNT(*) > 0",
    )
    .bind(cluster_id)
    .bind(node)
    .bind(res)
    .bind(bucket)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes a row per listed node at `at` and adds it to the node's 5- and
/// 15-minute partials;
/// call it inside the tick's transaction. A node listed twice is written
/// once; rows already there (the same collection written again) are kept and
/// not counted again. Returns the rows written.
pub async fn write(
    conn: &mut SqliteConnection,
    cluster_id: i64,
    at: i64,
    nodes: &Nodes,
) -> sqlx::Result<u64> {
    let mut seen = HashSet::new();
    let rows: Vec<NodeSample> = nodes
        .frontends
        .iter()
        .chain(&nodes.backends)
        .map(NodeSample::of)
        .filter(|s| seen.insert(s.node.clone()))
        .collect();
    let mut written = 0;
    for chunk in rows.chunks(CHUNK) {
        let inserted = insert_raw(conn, cluster_id, at, chunk).await?;
        written += inserted;
        if inserted == chunk.len() as u64 {
            add_to_partials(conn, cluster_id, at, chunk).await?;
        } else if inserted > 0 {
            for r in chunk {
                for res in NODE_ROLLUP_RES {
                    recompute(conn, cluster_id, &r.node, res, at.div_euclid(res) * res).await?;
                }
            }
        }
    }
    Ok(written)
}

/// Rolls up one UTC day of a cluster's nodes from their 15-minute partials
/// (which sum and count, so the day's averages are exact); called after the
/// day, with the cluster's daily row. Rolling up a day again replaces it.
pub async fn rollup_day(pool: &SqlitePool, cluster_id: i64, day: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "INSERT OR REPLACE INTO node_rollup (cluster_id, node, res, bucket, rows_total, \
           rows_alive, cpu_sum, cpu_n, mem_sum, mem_n, disk_max, compaction_max) \
         SELECT cluster_id, node, ?3, ?2, SUM(rows_total), SUM(rows_alive), SUM(cpu_sum), \
           SUM(cpu_n), SUM(mem_sum), SUM(mem_n), MAX(disk_max), MAX(compaction_max) \
         FROM node_rollup WHERE cluster_id = ?1 AND res = ?4 AND bucket >= ?2 \
           AND bucket < ?2 + ?3 \
         GROUP BY node",
    )
    .bind(cluster_id)
    .bind(day)
    .bind(DAY_MS)
    .bind(NODE_ROLLUP_RES[1])
    .execute(pool)
    .await?
    .rows_affected())
}

/// What a series of a node is made of.
#[derive(Clone, Copy, Debug)]
pub struct NodeSeriesDef {
    pub key: &'static str,
    /// In English, as the store names things; the pages say it in their language.
    pub label: &'static str,
    pub unit: &'static str,
    /// `avg` or `max` per bucket.
    pub aggregate: &'static str,
    /// The bucket's value over `node_snapshots` rows.
    pub raw: &'static str,
    /// The bucket's value over `node_rollup` partials.
    pub rollup: &'static str,
}

#[rustfmt::skip]
pub const CPU: NodeSeriesDef = NodeSeriesDef { key: node::SERIES_CPU, label: "CPU used", unit: "%", aggregate: "avg", raw: "AVG(cpu_pct)", rollup: "SUM(cpu_sum) / SUM(cpu_n)" };
#[rustfmt::skip]
pub const MEMORY: NodeSeriesDef = NodeSeriesDef { key: node::SERIES_MEMORY, label: "Memory used", unit: "%", aggregate: "avg", raw: "AVG(mem_pct)", rollup: "SUM(mem_sum) / SUM(mem_n)" };
#[rustfmt::skip]
pub const HEAP: NodeSeriesDef = NodeSeriesDef { key: node::SERIES_HEAP, label: "JVM heap used", ..MEMORY };
#[rustfmt::skip]
pub const DISK: NodeSeriesDef = NodeSeriesDef { key: node::SERIES_DISK, label: "Disk used, fullest disk", unit: "%", aggregate: "max", raw: "MAX(disk_pct)", rollup: "MAX(disk_max)" };
#[rustfmt::skip]
pub const COMPACTION: NodeSeriesDef = NodeSeriesDef { key: node::SERIES_COMPACTION, label: "Max compaction score", unit: "score", aggregate: "max", raw: "MAX(compaction_score)", rollup: "MAX(compaction_max)" };

/// The series of a node of `kind`: an FE's memory is its JVM heap, and only
/// a BE has a compaction score.
pub fn defs(kind: &str) -> &'static [NodeSeriesDef] {
    match kind {
        "fe" => &[CPU, HEAP, DISK],
        "be" => &[CPU, MEMORY, DISK, COMPACTION],
        _ => &[CPU, MEMORY, DISK],
    }
}

/// One node's series over `window`, a bucket per `step`, in one query: raw
/// rows for short steps, the partials for steps of 5 or 15 minutes, the
/// daily partials for daily windows. A bucket without a figure is a gap.
pub async fn series(
    pool: &SqlitePool,
    cluster_id: i64,
    node: &str,
    window: &Window,
    step: i64,
    defs: &[NodeSeriesDef],
) -> sqlx::Result<Vec<Series>> {
    let step = step.max(1);
    let start = window.from.div_euclid(step) * step;
    let buckets = ((window.to - start + step - 1) / step).max(0) as usize;
    let mut out: Vec<Series> = defs
        .iter()
        .map(|d| Series {
            key: d.key.into(),
            label: d.label.into(),
            unit: d.unit.into(),
            aggregate: d.aggregate.into(),
            start,
            step_ms: step,
            values: vec![None; buckets],
        })
        .collect();
    if defs.is_empty() || buckets == 0 {
        return Ok(out);
    }
    let (res, lower) = match source(window, step) {
        Source::Raw => (None, window.from),
        Source::Rollup(res) => (Some(res), window.from.div_euclid(res) * res),
        Source::Daily => (Some(DAY_MS), start),
    };
    let columns: Vec<String> = defs
        .iter()
        .map(|d| {
            format!(
                "CAST({} AS REAL)",
                if res.is_some() { d.rollup } else { d.raw }
            )
        })
        .collect();
    let (table, time) = match res {
        None => ("node_snapshots", "collected_at"),
        Some(_) => ("node_rollup", "bucket"),
    };
    let sql = format!(
        "SELECT ({time} - ?1) / ?2 AS b, {} FROM {table} \
         WHERE cluster_id = ?3 AND node = ?4{} AND {time} >= ?5 AND {time} < ?6 GROUP BY b",
        columns.join(", "),
        if res.is_some() { " AND res = ?7" } else { "" }
    );
    let mut q = sqlx::query(&sql)
        .bind(start)
        .bind(step)
        .bind(cluster_id)
        .bind(node)
        .bind(lower)
        .bind(window.to);
    if let Some(res) = res {
        q = q.bind(res);
    }
    for row in q.fetch_all(pool).await? {
        let b: i64 = row.try_get(0)?;
        let Some(i) = usize::try_from(b).ok().filter(|i| *i < buckets) else {
            continue;
        };
        for (k, s) in out.iter_mut().enumerate() {
            let v: Option<f64> = row.try_get(k + 1)?;
            s.values[i] = v.filter(|v| v.is_finite());
        }
    }
    Ok(out)
}

/// Whether the store holds any history of the node: every row is in a
/// 15-minute partial, and older ones in a daily one.
pub async fn known(pool: &SqlitePool, cluster_id: i64, node: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM node_rollup WHERE cluster_id = ? \
         AND res IN (900000, 86400000) AND node = ?)",
    )
    .bind(cluster_id)
    .bind(node)
    .fetch_one(pool)
    .await
}

/// Deletes a cluster's node rows and 5- and 15-minute partials older than
/// `raw_cutoff`, and daily partials older than `daily_cutoff`: the cluster's
/// own retention, a small batch at a time, each a range of the primary key.
pub async fn apply_retention(
    pool: &SqlitePool,
    cluster_id: i64,
    raw_cutoff: i64,
    daily_cutoff: i64,
) -> sqlx::Result<u64> {
    let mut deleted = crate::housekeeping::delete_batches(
        pool,
        "DELETE FROM node_snapshots WHERE cluster_id = ?1 AND (collected_at, node) IN \
         (SELECT collected_at, node FROM node_snapshots WHERE cluster_id = ?1 \
          AND collected_at < ?2 ORDER BY collected_at LIMIT ?3)",
        cluster_id,
        raw_cutoff,
    )
    .await?;
    for (res, cutoff) in [
        (NODE_ROLLUP_RES[0], raw_cutoff),
        (NODE_ROLLUP_RES[1], raw_cutoff),
        (DAY_MS, daily_cutoff),
    ] {
        deleted += crate::housekeeping::delete_batches(
            pool,
            &format!(
                "DELETE FROM node_rollup WHERE cluster_id = ?1 AND res = {res} AND (bucket, node) IN \
                 (SELECT bucket, node FROM node_rollup WHERE cluster_id = ?1 AND res = {res} \
                  AND bucket < ?2 ORDER BY bucket LIMIT ?3)"
            ),
            cluster_id,
            cutoff,
        )
        .await?;
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests;
