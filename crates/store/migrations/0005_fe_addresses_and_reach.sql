-- More FE addresses per cluster, tried in order after the first: one
-- `host:http_port:query_port` a line (issue 12). Existing clusters keep theirs.
ALTER TABLE clusters ADD COLUMN extra_fes TEXT NOT NULL DEFAULT '';
-- How each collection reached the cluster (JSON, model::snapshot::Reach):
-- which FE address answered, which did not, and by which path each node's
-- metrics were read. NULL for rows written before.
ALTER TABLE metrics_snapshots ADD COLUMN reach TEXT;
