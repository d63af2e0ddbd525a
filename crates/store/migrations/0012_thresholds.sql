-- Health thresholds changed from StarRocks' defaults (issue 15): for every
-- cluster (global_thresholds) or for one (cluster_thresholds). A rule without
-- a row inherits: the cluster's own, else the global, else the default.
CREATE TABLE global_thresholds (
    rule       TEXT PRIMARY KEY,
    warning    REAL,
    critical   REAL,
    changed_by TEXT    NOT NULL,
    changed_at INTEGER NOT NULL
);

CREATE TABLE cluster_thresholds (
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    rule       TEXT    NOT NULL,
    warning    REAL,
    critical   REAL,
    changed_by TEXT    NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, rule)
) WITHOUT ROWID;

-- Who changed which thresholds and when; kept when a cluster is deleted.
-- cluster_id NULL: the global thresholds. Values NULL: inherited.
CREATE TABLE threshold_changes (
    id           INTEGER PRIMARY KEY,
    cluster_id   INTEGER,
    rule         TEXT    NOT NULL,
    old_warning  REAL,
    old_critical REAL,
    new_warning  REAL,
    new_critical REAL,
    changed_by   TEXT    NOT NULL,
    changed_at   INTEGER NOT NULL
);
CREATE INDEX threshold_changes_by_cluster ON threshold_changes (cluster_id, changed_at);
