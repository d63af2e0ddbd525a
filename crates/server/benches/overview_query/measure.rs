//! The overview and fleet services timed in process, and one SQL form the
//! fleet page does not use.

use super::{cluster_ids, ms, percentile};
use model::overview::parse_window;
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

/// The sparkline as `GROUP BY cluster_id, minute`, the form `fleet` does not
/// use: how long SQLite takes to group (a count of the groups), and how long
/// the 60,000 result rows take through sqlx.
pub async fn grouped_sparkline(pool: &sqlx::SqlitePool, now: i64) {
    let start = (now - 3_600_000).div_euclid(60_000) * 60_000;
    let sql = "SELECT s.cluster_id, (s.collected_at - ?1) / 60000 AS b, AVG(s.qps)
         FROM clusters c CROSS JOIN metrics_snapshots s
           ON s.cluster_id = c.id AND s.collected_at >= ?1 AND s.collected_at < ?2
         GROUP BY s.cluster_id, b";
    let (mut counted, mut fetched) = (Vec::new(), Vec::new());
    let mut rows = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let _: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM ({sql})"))
            .bind(start)
            .bind(start + 3_600_000)
            .fetch_one(pool)
            .await
            .expect("count");
        counted.push(t.elapsed());
        let t = Instant::now();
        let r: Vec<(i64, i64, Option<f64>)> = sqlx::query_as(sql)
            .bind(start)
            .bind(start + 3_600_000)
            .fetch_all(pool)
            .await
            .expect("rows");
        fetched.push(t.elapsed());
        rows = r.len();
    }
    counted.sort();
    fetched.sort();
    println!(
        "not used: the sparkline as GROUP BY cluster_id, minute: p50 {:.2} ms in SQLite, {:.2} ms with its {rows} rows fetched",
        ms(percentile(&counted, 0.5)),
        ms(percentile(&fetched, 0.5)),
    );
}
