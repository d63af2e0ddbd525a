-- Operations rows repeated a cluster's names every tick: the database with
-- the most running transactions, the FE with the longest journal, the BE with
-- the most rowsets, each resource group's name. They are kept once per
-- cluster here and the rows refer to them by a small number, and resource
-- groups keep their p99 in tenths of a millisecond instead of a REAL: together
-- about 100 bytes less per cluster and tick (issue 15's budget is 150).

CREATE TABLE ops_names (
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    id         INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, name)
) WITHOUT ROWID;
CREATE UNIQUE INDEX ops_names_by_id ON ops_names (cluster_id, id);

INSERT INTO ops_names (cluster_id, name, id)
SELECT cluster_id, name, ROW_NUMBER() OVER (PARTITION BY cluster_id ORDER BY name)
FROM (
    SELECT cluster_id, txn_running_max_db AS name FROM ops_snapshots WHERE txn_running_max_db IS NOT NULL
    UNION SELECT cluster_id, meta_log_fe FROM ops_snapshots WHERE meta_log_fe IS NOT NULL
    UNION SELECT cluster_id, rowsets_max_be FROM ops_snapshots WHERE rowsets_max_be IS NOT NULL
    UNION SELECT cluster_id, name FROM resource_group_samples
);

CREATE TABLE ops_snapshots_new (
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
    txn_running_max_db_id       INTEGER,   -- ops_names.id
    txn_rejected                INTEGER,
    txn_failed_pct              REAL,
    meta_log_count              INTEGER,
    meta_log_fe_id              INTEGER,   -- ops_names.id
    safe_mode                   INTEGER,
    report_queue_size           INTEGER,
    rowsets_max                 INTEGER,
    rowsets_max_be_id           INTEGER,   -- ops_names.id
    compactions_failed          INTEGER,
    PRIMARY KEY (cluster_id, collected_at)
) WITHOUT ROWID;

INSERT INTO ops_snapshots_new
SELECT o.cluster_id, o.collected_at, o.tablets, o.replicas, o.tablets_unhealthy,
       o.tablets_inconsistent, o.tablets_cloning, o.tablets_error_state,
       o.tablets_unhealthy_since, o.tablets_scheduled, o.routine_loads_running,
       o.routine_loads_paused, o.routine_loads_need_schedule, o.routine_loads_unstable,
       o.routine_loads_stopped, o.routine_loads_cancelled, o.txn_running_max,
       (SELECT id FROM ops_names n WHERE n.cluster_id = o.cluster_id AND n.name = o.txn_running_max_db),
       o.txn_rejected, o.txn_failed_pct, o.meta_log_count,
       (SELECT id FROM ops_names n WHERE n.cluster_id = o.cluster_id AND n.name = o.meta_log_fe),
       o.safe_mode, o.report_queue_size, o.rowsets_max,
       (SELECT id FROM ops_names n WHERE n.cluster_id = o.cluster_id AND n.name = o.rowsets_max_be),
       o.compactions_failed
FROM ops_snapshots o;

DROP TABLE ops_snapshots;
ALTER TABLE ops_snapshots_new RENAME TO ops_snapshots;

CREATE TABLE resource_group_samples_new (
    cluster_id     INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    collected_at   INTEGER NOT NULL,
    group_id       INTEGER NOT NULL,   -- ops_names.id
    queries        INTEGER,
    errors         INTEGER,
    p99_tenth_ms   INTEGER,
    queue_pending  INTEGER,
    queue_timeouts INTEGER,
    PRIMARY KEY (cluster_id, collected_at, group_id)
) WITHOUT ROWID;

INSERT INTO resource_group_samples_new
SELECT r.cluster_id, r.collected_at,
       (SELECT id FROM ops_names n WHERE n.cluster_id = r.cluster_id AND n.name = r.name),
       r.queries, r.errors, CAST(ROUND(r.p99_ms * 10) AS INTEGER), r.queue_pending, r.queue_timeouts
FROM resource_group_samples r;

DROP TABLE resource_group_samples;
ALTER TABLE resource_group_samples_new RENAME TO resource_group_samples;
