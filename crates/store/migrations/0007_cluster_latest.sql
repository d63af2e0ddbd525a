-- The fleet page's line of each cluster (issue 14), kept by the collector in
-- the tick's transaction: what the fleet shows of the newest snapshot and of
-- the newest one that did not fail, the leader FE's version and the newest
-- hour of QPS per minute. The fleet page, the landing page, reads one row per
-- cluster instead of two seeks, a node list and an hour of metrics_snapshots.
CREATE TABLE cluster_latest (
    cluster_id       INTEGER PRIMARY KEY REFERENCES clusters(id) ON DELETE CASCADE,
    -- the newest snapshot, failed or not
    collected_at     INTEGER NOT NULL,
    status           TEXT    NOT NULL,
    error_message    TEXT,
    reach            TEXT,
    -- the newest snapshot that did not fail (all NULL until one): the figures
    -- a row shows while the cluster does not answer
    ok_at            INTEGER,
    qps              REAL,
    latency_p99_ms   REAL,
    fe_total         INTEGER,
    fe_alive         INTEGER,
    be_total         INTEGER,
    be_alive         INTEGER,
    disk_total_bytes INTEGER,
    disk_used_bytes  INTEGER,
    -- the leader FE's version (else the first FE's that has one) in the
    -- newest node list
    version          TEXT,
    -- The average QPS of each minute from 61 before the newest snapshot's
    -- (minute = collected_at / 60000) on: qps_from is that first minute,
    -- qps_minutes the averages of it and each next minute separated by
    -- commas, empty for a minute without a QPS. The average is that of the
    -- rows' QPS rounded to millionths, as the sparkline always drew it.
    qps_from         INTEGER NOT NULL DEFAULT 0,
    qps_minutes      TEXT    NOT NULL DEFAULT ''
);

-- backfill: an upgraded console shows its fleet at once, before the first tick.
WITH RECURSIVE minute(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM minute WHERE k < 61)
INSERT INTO cluster_latest (cluster_id, collected_at, status, error_message, reach, ok_at, qps,
    latency_p99_ms, fe_total, fe_alive, be_total, be_alive, disk_total_bytes, disk_used_bytes,
    version, qps_from, qps_minutes)
SELECT n.cluster_id, n.collected_at, n.status, n.error_message, n.reach,
    o.collected_at, o.qps, o.latency_p99_ms, o.fe_total, o.fe_alive, o.be_total, o.be_alive,
    o.disk_total_bytes, o.disk_used_bytes,
    (SELECT json_extract(f.value, '$.version')
       FROM cluster_nodes cn, json_each(CASE
           WHEN NOT json_valid(cn.nodes) THEN '[]'
           WHEN json_type(cn.nodes, '$.frontends') = 'array' THEN json_extract(cn.nodes, '$.frontends')
           ELSE '[]' END) f
       WHERE cn.cluster_id = n.cluster_id
         AND CASE WHEN f.type = 'object' THEN json_type(f.value, '$.version') END = 'text'
       ORDER BY json_extract(f.value, '$.role') IS 'LEADER' DESC, f.key
       LIMIT 1),
    n.collected_at / 60000 - 61,
    -- total() never overflows, and adds integers exactly up to 2^53
    -- millionths; 17 digits read back as the same double.
    ifnull((SELECT rtrim(group_concat(CASE WHEN q.rows IS NULL THEN ''
           ELSE printf('%!.17g', q.total / q.rows / 1000000.0) END, ',' ORDER BY minute.k), ',')
       FROM minute LEFT JOIN (
         SELECT s.collected_at / 60000 AS minute,
           total(CAST(round(s.qps * 1000000.0) AS INTEGER)) AS total, count(*) AS rows
         FROM metrics_snapshots s
         WHERE s.cluster_id = n.cluster_id AND s.qps IS NOT NULL
           AND s.collected_at >= (n.collected_at / 60000 - 61) * 60000
         GROUP BY 1) q ON q.minute = n.collected_at / 60000 - 61 + minute.k), '')
FROM (SELECT c.id,
        (SELECT MAX(m.collected_at) FROM metrics_snapshots m WHERE m.cluster_id = c.id) AS latest_at,
        (SELECT m.collected_at FROM metrics_snapshots m
          WHERE m.cluster_id = c.id AND m.status <> 'failed'
          ORDER BY m.collected_at DESC LIMIT 1) AS ok_at
      FROM clusters c) t
JOIN metrics_snapshots n ON n.cluster_id = t.id AND n.collected_at = t.latest_at
LEFT JOIN metrics_snapshots o ON o.cluster_id = t.id AND o.collected_at = t.ok_at;
