//! Snapshot rows (`metrics_snapshots`), one per cluster per collection, and
//! the node lists of the newest reading (`cluster_nodes`); a tick's rows are
//! written in one transaction with their partials and counters.

use crate::counters::{self, FeCounters};
use crate::partials::{rollup, ROLLUP_RES};
use model::overview::Nodes;
use model::snapshot::Snapshot;
use model::text::clip_error;
use sqlx::{Sqlite, SqlitePool, Transaction};

const SNAPSHOT_COLUMNS: &str = "cluster_id, collected_at, status, error_kind, error_message, \
    duration_ms, qps, rps, latency_p50_ms, latency_p95_ms, latency_p99_ms, queries, query_errors, \
    query_timeouts, error_rate, fe_total, fe_alive, be_total, be_alive, cpu_avg_pct, cpu_max_pct, \
    mem_avg_pct, mem_max_pct, disk_total_bytes, disk_used_bytes, disk_max_pct, tablets, \
    compaction_score_max, txn_begin, txn_success, txn_failed, txn_running, loads_running, \
    loads_finished, jvm_heap_used_bytes, jvm_heap_max_bytes, connections, reach";

/// What one finished collection leaves behind: its row and, after a reading,
/// each FE's counters.
pub struct Collected {
    pub snapshot: Snapshot,
    pub counters: Vec<(String, FeCounters)>,
    /// The node lists, when the collection read them.
    pub nodes: Option<Nodes>,
    /// The operations figures, when the collection read the cluster.
    pub ops: Option<model::operations::Operations>,
}

async fn insert_snapshot(tx: &mut Transaction<'_, Sqlite>, s: &Snapshot) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT OR REPLACE INTO metrics_snapshots ({SNAPSHOT_COLUMNS}) VALUES \
         (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    );
    sqlx::query(&sql)
        .bind(s.cluster_id)
        .bind(s.collected_at)
        .bind(s.status)
        .bind(&s.error_kind)
        // Whatever the error said, at most 500 characters of it are kept.
        .bind(s.error_message.as_deref().map(clip_error))
        .bind(s.duration_ms)
        .bind(s.qps)
        .bind(s.rps)
        .bind(s.latency_p50_ms)
        .bind(s.latency_p95_ms)
        .bind(s.latency_p99_ms)
        .bind(s.queries)
        .bind(s.query_errors)
        .bind(s.query_timeouts)
        .bind(s.error_rate)
        .bind(s.fe_total)
        .bind(s.fe_alive)
        .bind(s.be_total)
        .bind(s.be_alive)
        .bind(s.cpu_avg_pct)
        .bind(s.cpu_max_pct)
        .bind(s.mem_avg_pct)
        .bind(s.mem_max_pct)
        .bind(s.disk_total_bytes)
        .bind(s.disk_used_bytes)
        .bind(s.disk_max_pct)
        .bind(s.tablets)
        .bind(s.compaction_score_max)
        .bind(s.txn_begin)
        .bind(s.txn_success)
        .bind(s.txn_failed)
        .bind(s.txn_running)
        .bind(s.loads_running)
        .bind(s.loads_finished)
        .bind(s.jvm_heap_used_bytes)
        .bind(s.jvm_heap_max_bytes)
        .bind(s.connections)
        .bind(s.reach.as_ref().and_then(|r| serde_json::to_string(r).ok()))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes every row of one tick in one transaction: a crash loses the whole
/// tick or nothing. A cluster deleted while its collection ran is skipped
/// (its rows would violate the foreign key) instead of failing the tick.
pub async fn write_tick(pool: &SqlitePool, collected: &[Collected]) -> sqlx::Result<usize> {
    // IMMEDIATE: the write lock from the start. A deferred transaction that
    // reads first (the cluster ids) and writes after fails at once with
    // SQLITE_BUSY_SNAPSHOT when another writer (a routine-load re-read, the
    // data statistics) committed in between; waiting for the lock instead is
    // what the busy timeout is for.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let ids: std::collections::HashSet<i64> = sqlx::query_scalar("SELECT id FROM clusters")
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .collect();
    let mut written = 0;
    for c in collected {
        if !ids.contains(&c.snapshot.cluster_id) {
            continue;
        }
        insert_snapshot(&mut tx, &c.snapshot).await?;
        for res in ROLLUP_RES {
            let bucket = c.snapshot.collected_at.div_euclid(res) * res;
            rollup(&mut *tx, c.snapshot.cluster_id, res, bucket, bucket + res).await?;
        }
        for (fe, fe_counters) in &c.counters {
            counters::upsert(&mut tx, c.snapshot.cluster_id, fe, fe_counters).await?;
        }
        if let Some(nodes) = &c.nodes {
            if let Ok(json) = serde_json::to_string(nodes) {
                sqlx::query(
                    "INSERT OR REPLACE INTO cluster_nodes (cluster_id, collected_at, nodes) VALUES (?, ?, ?)",
                )
                .bind(c.snapshot.cluster_id)
                .bind(c.snapshot.collected_at)
                .bind(json)
                .execute(&mut *tx)
                .await?;
            }
            // Each node's own history, in the same transaction.
            crate::node_history::write(
                &mut tx,
                c.snapshot.cluster_id,
                c.snapshot.collected_at,
                nodes,
            )
            .await?;
        }
        if let Some(ops) = &c.ops {
            crate::operations::write(&mut tx, ops).await?;
        }
        // The fleet page's row of the cluster (issue 14), in the same transaction.
        crate::fleet::keep_latest(&mut tx, &c.snapshot, c.nodes.as_ref()).await?;
        written += 1;
    }
    tx.commit().await?;
    Ok(written)
}

/// The newest snapshot of a cluster.
pub async fn latest(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Option<Snapshot>> {
    sqlx::query_as(&format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM metrics_snapshots WHERE cluster_id = ? \
         ORDER BY collected_at DESC LIMIT 1"
    ))
    .bind(cluster_id)
    .fetch_optional(pool)
    .await
}

/// The newest snapshot that is not failed: the last known state of a cluster
/// that is unreachable now.
pub async fn latest_ok(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Option<Snapshot>> {
    sqlx::query_as(&format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM metrics_snapshots WHERE cluster_id = ? \
         AND status <> 'failed' ORDER BY collected_at DESC LIMIT 1"
    ))
    .bind(cluster_id)
    .fetch_optional(pool)
    .await
}

/// The node lists of the newest collection that read them.
pub async fn nodes(pool: &SqlitePool, cluster_id: i64) -> sqlx::Result<Option<Nodes>> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT collected_at, nodes FROM cluster_nodes WHERE cluster_id = ?")
            .bind(cluster_id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(at, json)| {
        let mut n: Nodes = serde_json::from_str(&json).ok()?;
        n.collected_at = Some(at);
        Some(n)
    }))
}

/// Snapshots of a cluster in `[from, to)`, oldest first.
pub async fn between(
    pool: &SqlitePool,
    cluster_id: i64,
    from: i64,
    to: i64,
) -> sqlx::Result<Vec<Snapshot>> {
    sqlx::query_as(&format!(
        "SELECT {SNAPSHOT_COLUMNS} FROM metrics_snapshots WHERE cluster_id = ? \
         AND collected_at >= ? AND collected_at < ? ORDER BY collected_at"
    ))
    .bind(cluster_id)
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await
}
