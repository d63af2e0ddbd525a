-- Each node's own history (issue 14): one row per listed node (FE, BE or CN)
-- per collection that read the node lists, written in the tick's transaction
-- with the cluster's row. `node` is the node's stable key
-- (model::node::node_key: `be-<BackendId>`, `cn-<ComputeNodeId>`,
-- `fe-<name>`). A figure the node did not report, and every live figure of a
-- dead node, is NULL: a gap, never 0. Kept as long as metrics_snapshots.
-- The key is time-major like metrics_snapshots': a tick's rows of one
-- cluster sit side by side, so a tick dirties a page per cluster, not one per
-- node; one node's window is read as its cluster's window, filtered.
CREATE TABLE node_snapshots (
    cluster_id       INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    node             TEXT    NOT NULL,
    collected_at     INTEGER NOT NULL,
    alive            INTEGER NOT NULL,
    cpu_pct          REAL,
    -- BE/CN: process memory used; FE: JVM heap used
    mem_pct          REAL,
    -- BE: the fullest disk; NULL on CNs and FEs, which report none
    disk_pct         REAL,
    -- BE: the highest tablet compaction score
    compaction_score REAL,
    PRIMARY KEY (cluster_id, collected_at, node)
) WITHOUT ROWID;

-- Partials of node_snapshots per 5 and 15 minutes (res 300000 and 900000,
-- added to in the same transaction as the rows, kept as long as they are)
-- and per UTC day (res 86400000, rolled up from the 15-minute partials after
-- midnight like daily_snapshots, and kept as long): a long range of one node
-- reads a partial per bucket and node of its cluster, not every row.
-- Averages are sum and count, so buckets of any multiple of the resolution
-- combine exactly.
CREATE TABLE node_rollup (
    cluster_id     INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    node           TEXT    NOT NULL,
    res            INTEGER NOT NULL,
    bucket         INTEGER NOT NULL,
    rows_total     INTEGER NOT NULL,
    rows_alive     INTEGER NOT NULL,
    cpu_sum REAL, cpu_n INTEGER NOT NULL,
    mem_sum REAL, mem_n INTEGER NOT NULL,
    disk_max       REAL,
    compaction_max REAL,
    PRIMARY KEY (cluster_id, res, bucket, node)
) WITHOUT ROWID;
