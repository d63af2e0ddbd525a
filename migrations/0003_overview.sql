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
