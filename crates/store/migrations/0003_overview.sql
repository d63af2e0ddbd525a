-- The node list of each cluster as last collected (latest only, one row per
-- cluster): JSON of {"frontends": [...], "backends": [...]}, read by the
-- overview's node tables.
CREATE TABLE cluster_nodes (
    cluster_id   INTEGER PRIMARY KEY REFERENCES clusters(id) ON DELETE CASCADE,
    collected_at INTEGER NOT NULL,
    nodes        TEXT    NOT NULL
);

-- Health-rule violations. A row opens when a rule starts failing and gets
-- resolved_at when it passes again; "since when" survives a restart.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    cluster_id  INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    rule        TEXT    NOT NULL,
    -- 'warning' or 'critical'
    level       TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    opened_at   INTEGER NOT NULL,
    resolved_at INTEGER
);
CREATE INDEX alerts_open ON alerts (cluster_id, resolved_at);

-- Partials of metrics_snapshots per 5 and per 15 minutes (res = 300000 or
-- 900000 ms), kept by the collector in the same transaction as the rows.
-- Overview windows whose step is a multiple of 15 minutes (3d, 7d) read the
-- 15-minute partials, those with 5-minute steps (24h) the 5-minute ones: a
-- 3-day window is 288 rows instead of 8,640. Averages are stored as sum and
-- count so that buckets of any multiple of the resolution combine exactly.
CREATE TABLE metrics_rollup (
    cluster_id        INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    res               INTEGER NOT NULL,
    bucket            INTEGER NOT NULL,
    rows_total        INTEGER NOT NULL,
    rows_ok           INTEGER NOT NULL,
    qps_sum REAL, qps_n INTEGER, qps_max REAL,
    rps_sum REAL, rps_n INTEGER,
    p50_sum REAL, p50_n INTEGER,
    p95_max REAL,
    p99_sum REAL, p99_n INTEGER, p99_max REAL,
    error_rate_sum REAL, error_rate_n INTEGER,
    cpu_avg_sum REAL, cpu_avg_n INTEGER, cpu_max REAL,
    mem_avg_sum REAL, mem_avg_n INTEGER, mem_max REAL,
    disk_pct_sum REAL, disk_pct_n INTEGER, disk_pct_max REAL,
    disk_max REAL,
    disk_used_sum REAL, disk_used_n INTEGER,
    heap_pct_max REAL,
    txn_begin INTEGER, txn_success INTEGER, txn_failed INTEGER,
    txn_running_sum REAL, txn_running_n INTEGER,
    loads_running_sum REAL, loads_running_n INTEGER,
    loads_finished INTEGER,
    queries INTEGER,
    query_errors INTEGER,
    compaction_max REAL,
    PRIMARY KEY (cluster_id, res, bucket)
) WITHOUT ROWID;
