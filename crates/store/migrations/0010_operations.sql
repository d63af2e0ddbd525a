-- Operations health (issue 15): tablets, routine loads, transactions,
-- metadata, BE rowsets and compactions, one row per successful collection
-- beside the cluster's metrics_snapshots row, written in the tick's
-- transaction and kept as long. A figure not reported is NULL, never 0.
CREATE TABLE ops_snapshots (
    cluster_id                  INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    collected_at                INTEGER NOT NULL,
    tablets                     INTEGER,
    replicas                    INTEGER,
    tablets_unhealthy           INTEGER,
    tablets_inconsistent        INTEGER,
    tablets_cloning             INTEGER,
    tablets_error_state         INTEGER,
    tablets_unhealthy_since     INTEGER,
    tablets_scheduled           INTEGER,
    routine_loads_running       INTEGER,
    routine_loads_paused        INTEGER,
    routine_loads_need_schedule INTEGER,
    routine_loads_unstable      INTEGER,
    routine_loads_stopped       INTEGER,
    routine_loads_cancelled     INTEGER,
    txn_running_max             INTEGER,
    txn_running_max_db          TEXT,
    txn_rejected                INTEGER,
    txn_failed_pct              REAL,
    meta_log_count              INTEGER,
    meta_log_fe                 TEXT,
    safe_mode                   INTEGER,
    report_queue_size           INTEGER,
    rowsets_max                 INTEGER,
    rowsets_max_be              TEXT,
    compactions_failed          INTEGER,
    PRIMARY KEY (cluster_id, collected_at)
) WITHOUT ROWID;

-- Each resource group per collection: queries and errors in the interval,
-- the worst FE's p99, its queue. Kept as long as ops_snapshots.
CREATE TABLE resource_group_samples (
    cluster_id     INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    collected_at   INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    queries        INTEGER,
    errors         INTEGER,
    p99_ms         REAL,
    queue_pending  INTEGER,
    queue_timeouts INTEGER,
    PRIMARY KEY (cluster_id, collected_at, name)
) WITHOUT ROWID;

-- The newest /statistic of each cluster, a row per database: replaced by each
-- collection that read it (the tablets-per-database table shows the newest).
CREATE TABLE tablet_health_latest (
    cluster_id   INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    db_name      TEXT    NOT NULL,
    collected_at INTEGER NOT NULL,
    tablets      INTEGER,
    replicas     INTEGER,
    unhealthy    INTEGER,
    inconsistent INTEGER,
    cloning      INTEGER,
    error_state  INTEGER,
    PRIMARY KEY (cluster_id, db_name)
) WITHOUT ROWID;
