-- History written by the background collector. Every table references
-- clusters(id) ON DELETE CASCADE: deleting a cluster deletes its history.
-- Times are UTC unix milliseconds. WITHOUT ROWID keeps each row in the
-- primary-key b-tree only (no second copy in an index), which matters at
-- 20,160 rows per cluster per week.

-- One row per cluster per collection, failed collections included (they are
-- the gaps and the downtime the dashboard shows). Rates and "in the interval"
-- counts come from counter deltas against the previous collection; NULL means
-- "not known for this collection" (first one, FE restart, endpoint missing).
CREATE TABLE metrics_snapshots (
    cluster_id       INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    collected_at     INTEGER NOT NULL,
    -- 'ok', 'partial' (some endpoint failed) or 'failed' (cluster unreachable)
    status           TEXT    NOT NULL,
    error_kind       TEXT,
    error_message    TEXT,
    duration_ms      INTEGER NOT NULL,
    qps              REAL,
    rps              REAL,
    latency_p50_ms   REAL,
    latency_p95_ms   REAL,
    latency_p99_ms   REAL,
    queries          INTEGER,
    query_errors     INTEGER,
    query_timeouts   INTEGER,
    -- share of the interval's queries that failed, 0 to 1
    error_rate       REAL,
    fe_total         INTEGER,
    fe_alive         INTEGER,
    -- backends, or compute nodes on a shared-data cluster
    be_total         INTEGER,
    be_alive         INTEGER,
    cpu_avg_pct      REAL,
    cpu_max_pct      REAL,
    mem_avg_pct      REAL,
    mem_max_pct      REAL,
    -- summed over the cluster; NULL when not reported (shared-data)
    disk_total_bytes INTEGER,
    disk_used_bytes  INTEGER,
    disk_max_pct     REAL,
    tablets          INTEGER,
    compaction_score_max REAL,
    txn_begin        INTEGER,
    txn_success      INTEGER,
    txn_failed       INTEGER,
    txn_running      INTEGER,
    loads_running    INTEGER,
    loads_finished   INTEGER,
    jvm_heap_used_bytes INTEGER,
    jvm_heap_max_bytes  INTEGER,
    connections      INTEGER,
    PRIMARY KEY (cluster_id, collected_at)
) WITHOUT ROWID;

-- One row per cluster per UTC day, rolled up from metrics_snapshots after
-- midnight (and at start-up for days missed while the server was down).
CREATE TABLE daily_snapshots (
    cluster_id        INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    -- UTC midnight that starts the day
    day               INTEGER NOT NULL,
    samples           INTEGER NOT NULL,
    qps_avg           REAL,
    qps_max           REAL,
    p99_avg_ms        REAL,
    p99_max_ms        REAL,
    queries           INTEGER,
    query_errors      INTEGER,
    cpu_avg_pct       REAL,
    cpu_max_pct       REAL,
    mem_avg_pct       REAL,
    mem_max_pct       REAL,
    disk_avg_pct      REAL,
    disk_max_pct      REAL,
    disk_used_end_bytes  INTEGER,
    disk_total_end_bytes INTEGER,
    -- disk used at day end minus the previous day end (or the day's first reading)
    data_growth_bytes INTEGER,
    -- share of collections with the cluster reachable and every node alive
    availability_pct  REAL    NOT NULL,
    downtime_s        INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, day)
) WITHOUT ROWID;

-- The latest MySQL-side statistics of each cluster (gathered every few minutes,
-- not every tick). Each statistic has its value and, when it could not be read,
-- why (<name>_error). A failed attempt keeps the last good values and records
-- last_error_*.
CREATE TABLE data_statistics (
    cluster_id        INTEGER PRIMARY KEY REFERENCES clusters(id) ON DELETE CASCADE,
    collected_at      INTEGER,
    attempted_at      INTEGER NOT NULL,
    last_error_kind   TEXT,
    last_error_message TEXT,
    version           TEXT,
    version_error     TEXT,
    databases         INTEGER,
    databases_error   TEXT,
    tables            INTEGER,
    tables_error      TEXT,
    total_bytes       INTEGER,
    total_bytes_error TEXT,
    -- JSON array of {database, table, rows, bytes}, largest first, at most 20
    top_tables        TEXT,
    top_tables_error  TEXT,
    mv_total          INTEGER,
    mv_active         INTEGER,
    mv_inactive       INTEGER,
    -- JSON array of "db.mv" whose last refresh failed
    mv_failing        TEXT,
    mv_error          TEXT,
    schema_changes_running INTEGER,
    schema_changes_pending INTEGER,
    schema_changes_error   TEXT,
    connections       INTEGER,
    active_users      INTEGER,
    sessions_error    TEXT,
    loads_running     INTEGER,
    loads_running_error TEXT
);

-- The collector's memory of each FE's cumulative counters, so rates continue
-- across a restart of the console instead of starting with a gap.
CREATE TABLE collector_counters (
    cluster_id    INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    -- FE name as /frontends lists it (host_editlogport_timestamp)
    fe            TEXT    NOT NULL,
    at            INTEGER NOT NULL,
    request_total INTEGER,
    query_total   INTEGER,
    query_err     INTEGER,
    query_timeout INTEGER,
    txn_begin     INTEGER,
    txn_success   INTEGER,
    txn_failed    INTEGER,
    load_finished INTEGER,
    PRIMARY KEY (cluster_id, fe)
) WITHOUT ROWID;
