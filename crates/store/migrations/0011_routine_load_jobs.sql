-- Routine load jobs (issue 15): the newest `SHOW ALL ROUTINE LOAD` of each
-- cluster, a row per job, replaced by each read (every few minutes, with the
-- data statistics). The overview lists them, paused first, with StarRocks'
-- reason, and the routine load card names the paused ones.
CREATE TABLE routine_load_jobs (
    cluster_id  INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    database    TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    table_name  TEXT,
    state       TEXT    NOT NULL,
    reason      TEXT,
    error_rows  INTEGER,
    lag         INTEGER,
    pause_time  TEXT,
    read_at     INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, database, name)
) WITHOUT ROWID;
