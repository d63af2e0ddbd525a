-- Query insights (issue 16).

-- What the console did to a cluster (a query stopped, ...): who, when, what,
-- and StarRocks' answer. Kept when the cluster is deleted (its name with it):
-- an activity log that forgets is not one.
CREATE TABLE activity_log (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    cluster_id   INTEGER NOT NULL,
    cluster_name TEXT    NOT NULL,
    username     TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    target       TEXT    NOT NULL,
    ok           INTEGER NOT NULL,
    result       TEXT    NOT NULL
);
CREATE INDEX activity_log_by_cluster ON activity_log (cluster_id, at);

-- Running queries per collection, every FE: how many, and the longest.
ALTER TABLE ops_snapshots ADD COLUMN queries_running INTEGER;
ALTER TABLE ops_snapshots ADD COLUMN query_longest_ms INTEGER;
