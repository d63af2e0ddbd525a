//! The overview and fleet services timed in process, and what the fleet's
//! `cluster_latest` costs a tick.

use super::{cluster_ids, ms, percentile};
use model::overview::parse_window;
use model::snapshot::{CollectStatus, Snapshot};
use starrocks_overview::startup::Prepared;
use starrocks_overview::AppState;
use std::time::{Duration, Instant};
use store::snapshots;

/// `OverviewService::fleet` 50 times (after one call to warm the page cache),
/// then the same answer serialised to JSON, timed apart.
pub async fn fleet(state: &AppState, now: i64, what: &str) {
    let first = state.overview.fleet(now).await.expect("fleet");
    let rows = first.clusters.len();
    let down = first.clusters.iter().filter(|r| r.stale).count();
    let alerting = first
        .clusters
        .iter()
        .filter(|r| r.active_alerts > 0)
        .count();
    let (mut times, mut json_times) = (Vec::new(), Vec::new());
    let mut json = 0;
    for _ in 0..50 {
        let t = Instant::now();
        let f = state.overview.fleet(now).await.expect("fleet");
        times.push(t.elapsed());
        let t = Instant::now();
        json = serde_json::to_vec(&f).expect("json").len();
        json_times.push(t.elapsed());
    }
    times.sort();
    json_times.sort();
    println!(
        "fleet, {what}: p50 {:.2} ms, p95 {:.2} ms, {rows} rows ({down} unreachable, {alerting} with alerts); JSON {json} bytes in {:.2} ms (p50)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(percentile(&json_times, 0.5)),
    );
    // Its parts one at a time: the query of the lines and its parsing, the
    // open alerts, and the sparklines drawn from the lines' minutes.
    let start = store::fleet::sparkline_start(now);
    let mut parts: [Vec<Duration>; 4] = Default::default();
    for _ in 0..50 {
        let t = Instant::now();
        let json = store::fleet::lines_json(&state.pool).await.expect("lines");
        parts[0].push(t.elapsed());
        let t = Instant::now();
        let lines = store::fleet::parse_lines(&json).expect("parse");
        parts[1].push(t.elapsed());
        let t = Instant::now();
        let _ = store::fleet::open_alerts(&state.pool)
            .await
            .expect("alerts");
        parts[2].push(t.elapsed());
        let t = Instant::now();
        for l in &lines {
            std::hint::black_box(store::fleet::sparkline(l.qps_from, &l.qps_minutes, start));
        }
        parts[3].push(t.elapsed());
    }
    let p50 = |v: &mut Vec<Duration>| {
        v.sort();
        ms(percentile(v, 0.5))
    };
    println!(
        "  its parts alone (p50): the lines' query {:.2} ms ({} bytes of JSON) and parsing {:.2} ms, open alerts {:.2} ms, sparklines {:.2} ms",
        p50(&mut parts[0]),
        store::fleet::lines_json(&state.pool).await.map_or(0, |j| j.len()),
        p50(&mut parts[1]),
        p50(&mut parts[2]),
        p50(&mut parts[3]),
    );
}

/// Per range, the overview of many clusters and the same window as raw rows;
/// then the parts of one `3d` overview.
pub async fn overview(prepared: &Prepared, now: i64) {
    let state = prepared.state.clone();
    let pool = state.pool.clone();
    let ids = cluster_ids(&pool).await;

    println!(
        "{:<6} {:>9} {:>9} {:>10} {:>7} | {:>12} {:>12} {:>12}",
        "range", "p50 ms", "p95 ms", "JSON bytes", "points", "raw p50 ms", "raw rows", "raw JSON"
    );
    for range in ["24h", "3d", "7d", "30d"] {
        let window = parse_window(Some(range), None, None, now).expect("range");
        // Warm the page cache once per range.
        let _ = state.overview.overview(ids[0], &window, now).await;
        let mut times = Vec::new();
        let mut json = 0;
        let mut points = 0;
        for round in 0..3 {
            for id in ids.iter().skip(round).step_by(2) {
                let t = Instant::now();
                let o = state
                    .overview
                    .overview(*id, &window, now)
                    .await
                    .expect("overview");
                let body = serde_json::to_vec(&o).expect("json");
                times.push(t.elapsed());
                json = body.len();
                points = o.trends.first().map_or(0, |s| s.values.len());
            }
        }
        times.sort();
        let mut raw_times = Vec::new();
        let (mut raw_rows, mut raw_json) = (0, 0);
        if !window.daily {
            for id in ids.iter().take(20) {
                let t = Instant::now();
                let rows = snapshots::between(&pool, *id, window.from, window.to)
                    .await
                    .expect("rows");
                let body = serde_json::to_vec(&rows).expect("json");
                raw_times.push(t.elapsed());
                raw_rows = rows.len();
                raw_json = body.len();
            }
            raw_times.sort();
        }
        println!(
            "{range:<6} {:>9.2} {:>9.2} {:>10} {:>7} | {:>12} {:>12} {:>12}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            json,
            points,
            if raw_times.is_empty() {
                "-".into()
            } else {
                format!("{:.2}", ms(percentile(&raw_times, 0.5)))
            },
            raw_rows,
            raw_json
        );
    }

    // Where the time of one overview goes (3d), part by part.
    let window = parse_window(Some("3d"), None, None, now).expect("range");
    let mut parts: Vec<(&str, Vec<Duration>)> = Vec::new();
    macro_rules! part {
        ($name:expr, $call:expr) => {{
            let mut v = Vec::new();
            for id in &ids {
                let t = Instant::now();
                let _ = $call(*id).await;
                v.push(t.elapsed());
            }
            v.sort();
            parts.push(($name, v));
        }};
    }
    let o = &state.overview;
    part!("health", |id| o.health(id, now));
    part!("capacity", |id| o.capacity(id, now));
    part!("performance trends", |id| o.performance(id, &window));
    part!("resource trends", |id| o.resources(id, &window));
    part!("nodes", |id| o.nodes(id));
    part!("alerts", |id| o.alerts(id, now));
    for (name, v) in parts {
        println!("3d part {name:<20} p50 {:.2} ms", ms(percentile(&v, 0.5)));
    }
}

/// What keeping `cluster_latest` adds to a tick of every cluster of `pool`:
/// `store::fleet::keep_latest` after each new row, timed alone, in a
/// transaction rolled back afterwards (5 ticks, the median).
pub async fn latest_upkeep(pool: &sqlx::SqlitePool, now: i64) {
    let ids = cluster_ids(pool).await;
    let mut times = Vec::new();
    for round in 1..=5 {
        let at = now / 30_000 * 30_000 + round * 30_000;
        let mut tx = pool.begin().await.expect("transaction");
        let mut rows = Vec::new();
        for &id in &ids {
            sqlx::query(
                "INSERT INTO metrics_snapshots (cluster_id, collected_at, status, duration_ms, qps) \
                 VALUES (?, ?, 'ok', 40, 123.5)",
            )
            .bind(id)
            .bind(at)
            .execute(&mut *tx)
            .await
            .expect("row");
            let mut s = Snapshot::empty(id, at, CollectStatus::Ok);
            s.qps = Some(123.5);
            rows.push(s);
        }
        let t = Instant::now();
        for s in &rows {
            store::fleet::keep_latest(&mut tx, s, None)
                .await
                .expect("cluster_latest");
        }
        times.push(t.elapsed());
        tx.rollback().await.expect("rollback");
    }
    times.sort();
    let median = percentile(&times, 0.5);
    println!(
        "cluster_latest upkeep, a tick of {} clusters: {:.1} ms ({:.1} µs a cluster, median of 5)",
        ids.len(),
        ms(median),
        ms(median) * 1000.0 / ids.len().max(1) as f64,
    );
}
