-- The FEs' open connections in the 5- and 15-minute partials, as a sum and a
-- count like the other averages, so that the overview's connections chart
-- reads the partials at 24h, 3d and 7d instead of every raw row.
ALTER TABLE metrics_rollup ADD COLUMN connections_sum REAL;
ALTER TABLE metrics_rollup ADD COLUMN connections_n INTEGER;

-- The partials written before, from their raw rows.
UPDATE metrics_rollup SET connections_sum = agg.s, connections_n = agg.n
FROM (
    SELECT cluster_id, 300000 AS res, collected_at / 300000 * 300000 AS bucket,
           SUM(connections) AS s, COUNT(connections) AS n
    FROM metrics_snapshots GROUP BY cluster_id, bucket
    UNION ALL
    SELECT cluster_id, 900000 AS res, collected_at / 900000 * 900000 AS bucket,
           SUM(connections) AS s, COUNT(connections) AS n
    FROM metrics_snapshots GROUP BY cluster_id, bucket
) AS agg
WHERE metrics_rollup.cluster_id = agg.cluster_id
  AND metrics_rollup.res = agg.res
  AND metrics_rollup.bucket = agg.bucket;
