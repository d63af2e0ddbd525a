//! `cluster_latest` against the reads it replaced: the same lines, versions
//! and sparklines from the same rows, whether the ticks kept it or the
//! migration filled it from older history.

use super::*;
use crate::snapshots::{write_tick, Collected};
use model::overview::NodeInfo;
use model::reach::{PathCounts, Reach};
use model::starrocks::ErrorKind;

const NOW: i64 = 1_800_000_000_000 / MINUTE_MS * MINUTE_MS + 25_000;

async fn pool() -> (tempfile::TempDir, SqlitePool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let pool = crate::db::connect(&url).await.expect("database");
    (dir, pool)
}

async fn register(pool: &SqlitePool, name: &str, extra_fes: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO clusters (name, fe_host, http_port, query_port, username, password_enc,
           use_https, description, tags, created_at, updated_at, extra_fes)
         VALUES (?1, 'fe.example', 8030, 9030, 'root', x'00', ?2, 'about ' || ?1, 'a,b', 0, 0, ?3)
         RETURNING id",
    )
    .bind(name)
    .bind(name.len().is_multiple_of(2))
    .bind(extra_fes)
    .fetch_one(pool)
    .await
    .expect("register")
}

fn ok(id: i64, at: i64, qps: f64) -> Snapshot {
    let mut s = Snapshot::empty(id, at, CollectStatus::Ok);
    s.qps = Some(qps);
    s.latency_p99_ms = Some(100.0 + qps / 7.0);
    s.fe_total = Some(3);
    s.fe_alive = Some(3);
    s.be_total = Some(4);
    s.be_alive = Some(3);
    s.disk_total_bytes = Some(1_000_000);
    s.disk_used_bytes = Some(at % 1_000_000);
    s.reach = Some(Reach {
        answered_by: Some("fe.example:8030".into()),
        fe: PathCounts {
            alive: 3,
            direct: 3,
            ..PathCounts::default()
        },
        ..Reach::default()
    });
    s
}

fn failed(id: i64, at: i64, message: &str) -> Snapshot {
    Snapshot::failed(id, at, ErrorKind::Unreachable, message.into())
}

fn fe(role: Option<&str>, version: Option<&str>) -> NodeInfo {
    NodeInfo {
        role: role.map(str::to_string),
        version: version.map(str::to_string),
        ..NodeInfo::named("fe", "fe", true)
    }
}

fn nodes(fes: Vec<NodeInfo>) -> Nodes {
    Nodes {
        frontends: fes,
        ..Nodes::default()
    }
}

/// Writes each snapshot in a tick of its own, as the collector does.
async fn write(pool: &SqlitePool, rows: Vec<(Snapshot, Option<Nodes>)>) {
    for (snapshot, nodes) in rows {
        let c = Collected {
            ops: None,
            snapshot,
            counters: Vec::new(),
            nodes,
        };
        write_tick(pool, &[c]).await.expect("tick");
    }
}

/// The reads `fleet()` made before `cluster_latest` (issue 6), as they were:
/// two seeks per cluster into `metrics_snapshots`, the node lists, and an hour
/// of rows for the sparkline.
mod before {
    use super::*;

    const FIGURES: &str = "json_object('collected_at', m.collected_at, 'status', m.status, \
        'error_message', m.error_message, \
        'qps', CASE WHEN abs(m.qps) < 1e300 THEN m.qps END, \
        'latency_p99_ms', CASE WHEN abs(m.latency_p99_ms) < 1e300 THEN m.latency_p99_ms END, \
        'fe_total', m.fe_total, 'fe_alive', m.fe_alive, 'be_total', m.be_total, \
        'be_alive', m.be_alive, 'disk_total_bytes', m.disk_total_bytes, \
        'disk_used_bytes', m.disk_used_bytes, 'reach', json(m.reach))";

    pub async fn clusters(pool: &SqlitePool) -> Vec<serde_json::Value> {
        let sql = format!(
            "WITH t AS MATERIALIZED (
               SELECT c.id, c.name, c.description, c.tags, c.fe_host, c.http_port, c.use_https,
                 CASE WHEN c.extra_fes = '' THEN 0
                   ELSE length(c.extra_fes) - length(replace(c.extra_fes, char(10), '')) + 1
                 END AS extra_fes,
                 (SELECT MAX(m.collected_at) FROM metrics_snapshots m
                   WHERE m.cluster_id = c.id) AS latest_at,
                 (SELECT m.collected_at FROM metrics_snapshots m
                   WHERE m.cluster_id = c.id AND m.status <> 'failed'
                   ORDER BY m.collected_at DESC LIMIT 1) AS ok_at
               FROM clusters c)
             SELECT json_group_array(json_object(
               'id', t.id, 'name', t.name, 'description', t.description, 'tags', t.tags,
               'fe_host', t.fe_host, 'http_port', t.http_port, 'extra_fes', t.extra_fes,
               'use_https', CASE WHEN t.use_https THEN json('true') ELSE json('false') END,
               'latest', (SELECT {FIGURES} FROM metrics_snapshots m
                 WHERE m.cluster_id = t.id AND m.collected_at = t.latest_at),
               'last_ok', (SELECT {FIGURES} FROM metrics_snapshots m
                 WHERE m.cluster_id = t.id AND m.collected_at = t.ok_at)))
             FROM t"
        );
        let json: String = sqlx::query_scalar(&sql)
            .fetch_one(pool)
            .await
            .expect("clusters");
        serde_json::from_str(&json).expect("json")
    }

    #[derive(Deserialize)]
    struct Frontends {
        #[serde(default)]
        frontends: Vec<FrontendVersion>,
    }

    #[derive(Deserialize)]
    struct FrontendVersion {
        role: Option<String>,
        version: Option<String>,
    }

    fn leader_version(json: &str) -> Option<String> {
        let fes = serde_json::from_str::<Frontends>(json).ok()?.frontends;
        let with_version = || fes.iter().filter(|f| f.version.is_some());
        with_version()
            .find(|f| f.role.as_deref() == Some("LEADER"))
            .or_else(|| with_version().next())
            .and_then(|f| f.version.clone())
    }

    pub async fn versions(pool: &SqlitePool) -> HashMap<i64, String> {
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT cluster_id, nodes FROM cluster_nodes")
                .fetch_all(pool)
                .await
                .expect("nodes");
        rows.into_iter()
            .filter_map(|(id, json)| Some((id, leader_version(&json)?)))
            .collect()
    }

    fn minute_averages(minutes: &str, qps: &str) -> Vec<Option<f64>> {
        let mut sum = [0i128; SPARKLINE_POINTS];
        let mut count = [0u32; SPARKLINE_POINTS];
        for (minute, qps) in minutes.split(',').zip(qps.split(',')) {
            let (Ok(minute), Ok(qps)) = (minute.parse::<usize>(), qps.parse::<i64>()) else {
                continue;
            };
            if minute < SPARKLINE_POINTS {
                sum[minute] += i128::from(qps);
                count[minute] += 1;
            }
        }
        sum.iter()
            .zip(count)
            .map(|(s, n)| (n > 0).then(|| *s as f64 / f64::from(n) / QPS_SCALE))
            .collect()
    }

    pub async fn qps_by_minute(pool: &SqlitePool, start: i64) -> HashMap<i64, Vec<Option<f64>>> {
        let rows: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT c.id, group_concat((s.collected_at - ?1) / ?2),
               group_concat(CAST(round(s.qps * ?4) AS INTEGER))
             FROM clusters c CROSS JOIN metrics_snapshots s
               ON s.cluster_id = c.id AND s.collected_at >= ?1 AND s.collected_at < ?3
             WHERE s.qps IS NOT NULL
             GROUP BY c.id",
        )
        .bind(start)
        .bind(MINUTE_MS)
        .bind(start + SPARKLINE_POINTS as i64 * MINUTE_MS)
        .bind(QPS_SCALE)
        .fetch_all(pool)
        .await
        .expect("sparkline");
        rows.into_iter()
            .filter_map(|(id, minutes, qps)| Some((id, minute_averages(&minutes?, &qps?))))
            .collect()
    }
}

/// A line as the fleet uses it: everything but `qps_minutes`, which is
/// compared as the sparkline it draws.
type Seen = (ClusterLine, Vec<Option<f64>>);

async fn seen_now(pool: &SqlitePool, start: i64) -> Vec<Seen> {
    clusters(pool)
        .await
        .expect("clusters")
        .into_iter()
        .map(|mut l| {
            let spark = sparkline(l.qps_from, &l.qps_minutes, start);
            (l.qps_from, l.qps_minutes) = (0, String::new());
            (l, spark)
        })
        .collect()
}

async fn seen_before(pool: &SqlitePool, start: i64) -> Vec<Seen> {
    let versions = before::versions(pool).await;
    let mut qps = before::qps_by_minute(pool, start).await;
    let pick = |v: &serde_json::Value, keys: &[&str]| {
        v.as_object().map(|o| {
            keys.iter()
                .map(|k| (k.to_string(), o[*k].clone()))
                .collect::<serde_json::Map<_, _>>()
        })
    };
    let mut lines: Vec<Seen> = before::clusters(pool)
        .await
        .into_iter()
        .map(|mut v| {
            let id = v["id"].as_i64().expect("id");
            v["latest"] = serde_json::json!(pick(
                &v["latest"],
                &["collected_at", "status", "error_message", "reach"]
            ));
            v["last_ok"] = serde_json::json!(pick(
                &v["last_ok"],
                &[
                    "collected_at",
                    "qps",
                    "latency_p99_ms",
                    "fe_total",
                    "fe_alive",
                    "be_total",
                    "be_alive",
                    "disk_total_bytes",
                    "disk_used_bytes"
                ]
            ));
            v["version"] = serde_json::json!(versions.get(&id));
            v["qps_from"] = serde_json::json!(0);
            v["qps_minutes"] = serde_json::json!("");
            let line: ClusterLine = serde_json::from_value(v).expect("line");
            let spark = qps
                .remove(&id)
                .unwrap_or_else(|| vec![None; SPARKLINE_POINTS]);
            (line, spark)
        })
        .collect();
    lines.sort_by_cached_key(|(l, _)| (l.name.to_ascii_lowercase(), l.id));
    lines
}

/// A fleet of every case the page knows, written tick by tick; answers the
/// ids by name.
async fn fleet_of_every_case(pool: &SqlitePool) -> HashMap<&'static str, i64> {
    let mut ids = HashMap::new();
    for (name, extra) in [
        ("steady", ""),
        ("Down-after-ok", "fe2.example\nfe3.example:8031"),
        ("never", ""),
        ("empty", "fe2.example"),
        ("fast", ""),
        ("versions", ""),
        ("huge", ""),
        ("rewritten", ""),
    ] {
        ids.insert(name, register(pool, name, extra).await);
    }
    let leader = || {
        nodes(vec![
            fe(Some("FOLLOWER"), Some("3.3.4")),
            fe(Some("LEADER"), Some("3.3.5")),
        ])
    };
    // 70 minutes at 30 s, with fractions that survive the millionths; the
    // last tick read the node lists.
    let id = ids["steady"];
    let n = 140;
    write(
        pool,
        (0..n)
            .map(|i| {
                let s = ok(
                    id,
                    NOW - 25_000 - (n - 1 - i) * 30_000,
                    100.0 + i as f64 * 1.37,
                );
                (s, (i == n - 1).then(leader))
            })
            .collect(),
    )
    .await;
    // Good rows, then failures with an error longer than what is kept.
    let id = ids["Down-after-ok"];
    let mut rows: Vec<_> = (0..20)
        .map(|i| (ok(id, NOW - 900_000 + i * 30_000, 42.5), None))
        .collect();
    rows[19].1 = Some(leader());
    let long = "connection refused ".repeat(60);
    for i in 0..10 {
        rows.push((failed(id, NOW - 300_000 + i * 30_000, &long), None));
    }
    write(pool, rows).await;
    let id = ids["never"];
    write(
        pool,
        (0..3)
            .map(|i| (failed(id, NOW - 90_000 + i * 30_000, "login refused"), None))
            .collect(),
    )
    .await;
    // Every 5 s, plus a "collect now" at an odd time written after a newer
    // tick, which must not become the newest row.
    let id = ids["fast"];
    let mut rows: Vec<_> = (0..800)
        .map(|i| {
            let at = NOW - 4_000_000 + i * 5_000;
            let mut s = ok(id, at, (i % 37) as f64 / 3.0);
            if i % 50 == 7 {
                s = failed(id, at, "timed out");
            }
            if i % 61 == 3 {
                s.qps = None;
            }
            (s, None)
        })
        .collect();
    let late = ok(id, NOW - 4_000_000 + 790 * 5_000 + 1_234, 9_999.5);
    rows.push((late, None));
    write(pool, rows).await;
    // Node lists: no leader, then a leader, then none with a version (no
    // version), then a tick without node lists (the last one stays).
    let id = ids["versions"];
    write(
        pool,
        vec![
            (
                ok(id, NOW - 120_000, 1.0),
                Some(nodes(vec![
                    fe(None, None),
                    fe(Some("FOLLOWER"), Some("3.1.0")),
                ])),
            ),
            (ok(id, NOW - 90_000, 2.0), Some(leader())),
            (
                ok(id, NOW - 60_000, 3.0),
                Some(nodes(vec![fe(Some("LEADER"), None)])),
            ),
            (
                ok(id, NOW - 30_000, 4.0),
                Some(nodes(vec![fe(None, Some("3.2.9"))])),
            ),
            (failed(id, NOW - 5_000, "no answer"), None),
        ],
    )
    .await;
    // Rates a hostile cluster could report: beyond 64-bit millionths, and
    // beyond JSON's range.
    let id = ids["huge"];
    let mut inf = ok(id, NOW - 70_000, f64::INFINITY);
    inf.latency_p99_ms = Some(f64::INFINITY);
    write(
        pool,
        vec![
            (ok(id, NOW - 130_000, 1e15), None),
            (ok(id, NOW - 100_000, 3e14), None),
            (inf, None),
        ],
    )
    .await;
    // The same row written twice: its second value replaces the first.
    let id = ids["rewritten"];
    write(
        pool,
        vec![
            (ok(id, NOW - 95_000, 10.0), None),
            (ok(id, NOW - 35_000, 20.0), None),
            (ok(id, NOW - 35_000, 30.0), None),
        ],
    )
    .await;
    ids
}

/// The sparkline windows compared: now, a minute and a half later, and while
/// the collector stood still for 40 minutes.
fn starts() -> [i64; 3] {
    [
        sparkline_start(NOW),
        sparkline_start(NOW + 90_000),
        sparkline_start(NOW + 40 * MINUTE_MS),
    ]
}

#[tokio::test]
async fn the_fleet_reads_what_it_read_before_from_the_same_rows() {
    let (_dir, pool) = pool().await;
    let ids = fleet_of_every_case(&pool).await;
    for start in starts() {
        let now = seen_now(&pool, start).await;
        assert_eq!(now.len(), ids.len());
        assert_eq!(now, seen_before(&pool, start).await);
    }
    // What the cases are about, so that a comparison of two empty answers
    // cannot pass.
    let now = seen_now(&pool, starts()[0]).await;
    let line = |name: &str| &now.iter().find(|(l, _)| l.name == name).expect(name).0;
    let spark = |name: &str| &now.iter().find(|(l, _)| l.name == name).expect(name).1;
    let steady = line("steady");
    assert_eq!(steady.version.as_deref(), Some("3.3.5"));
    assert!(spark("steady").iter().all(Option::is_some));
    let down = line("Down-after-ok");
    assert_eq!(down.extra_fes, 2);
    let latest = down.latest.as_ref().expect("latest");
    assert_eq!(latest.status, CollectStatus::Failed);
    assert_eq!(latest.collected_at, NOW - 30_000);
    assert!(latest
        .error_message
        .as_ref()
        .expect("error")
        .ends_with("[…]"));
    assert_eq!(
        down.last_ok.as_ref().map(|f| f.collected_at),
        Some(NOW - 330_000)
    );
    assert_eq!(down.last_ok.as_ref().and_then(|f| f.qps), Some(42.5));
    assert_eq!(line("never").last_ok, None);
    assert_eq!(
        (
            line("empty").latest.as_ref(),
            line("empty").version.as_ref()
        ),
        (None, None)
    );
    assert_eq!(
        line("fast").latest.as_ref().map(|l| l.collected_at),
        Some(NOW - 4_000_000 + 799 * 5_000),
        "a late row does not become the newest"
    );
    assert_eq!(line("versions").version.as_deref(), Some("3.2.9"));
    assert_eq!(line("huge").last_ok.as_ref().map(|f| f.qps), Some(None));
    assert!(spark("huge").iter().flatten().any(|q| *q > 9e12));
    assert!(spark("rewritten").contains(&Some(30.0)));
    assert!(!spark("rewritten").contains(&Some(25.0)));
}

/// The part of the migration that fills `cluster_latest` from older history.
fn backfill() -> &'static str {
    let sql = include_str!("../../migrations/0007_cluster_latest.sql");
    let at = sql.find("-- backfill:").expect("the backfill");
    &sql[at..]
}

/// `cluster_latest` as text, each minute's average as the number it reads as
/// (the ticks and the migration write the same numbers in different digits).
async fn table(pool: &SqlitePool) -> Vec<String> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT json_array(cluster_id, collected_at, status, error_message, reach, ok_at, qps,
           latency_p99_ms, fe_total, fe_alive, be_total, be_alive, disk_total_bytes,
           disk_used_bytes, version, qps_from), qps_minutes
         FROM cluster_latest ORDER BY cluster_id",
    )
    .fetch_all(pool)
    .await
    .expect("cluster_latest");
    rows.into_iter()
        .map(|(figures, minutes)| {
            let entries: Vec<String> = minutes
                .split(',')
                .map(|e| match e {
                    "" => String::new(),
                    e => format!("{:x}", e.parse::<f64>().expect(e).to_bits()),
                })
                .collect();
            format!("{figures} {}", entries.join(","))
        })
        .collect()
}

#[tokio::test]
async fn the_migration_fills_cluster_latest_as_the_ticks_keep_it() {
    let (_dir, pool) = pool().await;
    fleet_of_every_case(&pool).await;
    let kept = table(&pool).await;
    assert_eq!(kept.len(), 7, "every cluster with a snapshot: {kept:#?}");
    sqlx::query("DELETE FROM cluster_latest")
        .execute(&pool)
        .await
        .expect("delete");
    sqlx::query(backfill())
        .execute(&pool)
        .await
        .expect("backfill");
    assert_eq!(table(&pool).await, kept);
    for start in starts() {
        assert_eq!(
            seen_now(&pool, start).await,
            seen_before(&pool, start).await
        );
    }
}

#[tokio::test]
async fn the_migration_skips_node_lists_it_cannot_read() {
    let (_dir, pool) = pool().await;
    let id = register(&pool, "odd", "").await;
    write(&pool, vec![(ok(id, NOW, 1.0), None)]).await;
    for nodes in [
        "not json",
        r#"{"frontends": "x"}"#,
        r#"{"frontends": ["x", 1, {"version": 7}, {"role": "LEADER"}]}"#,
    ] {
        sqlx::query("INSERT OR REPLACE INTO cluster_nodes (cluster_id, collected_at, nodes) VALUES (?, 0, ?)")
            .bind(id)
            .bind(nodes)
            .execute(&pool)
            .await
            .expect("nodes");
        sqlx::query("DELETE FROM cluster_latest")
            .execute(&pool)
            .await
            .expect("delete");
        sqlx::query(backfill()).execute(&pool).await.expect(nodes);
        let version: Option<String> =
            sqlx::query_scalar("SELECT version FROM cluster_latest WHERE cluster_id = ?")
                .bind(id)
                .fetch_one(&pool)
                .await
                .expect("row");
        assert_eq!(version, None, "{nodes}");
    }
}

#[tokio::test]
async fn ticks_keep_cluster_latest_in_step_and_a_deleted_cluster_takes_its_row() {
    let (_dir, pool) = pool().await;
    let id = register(&pool, "one", "").await;
    let other = register(&pool, "other", "").await;
    let latest = |pool: SqlitePool| async move {
        clusters(&pool)
            .await
            .expect("clusters")
            .into_iter()
            .find(|l| l.name == "one")
            .expect("one")
    };
    assert_eq!(
        latest(pool.clone()).await.latest,
        None,
        "before the first tick"
    );

    write(&pool, vec![(ok(id, NOW - 60_000, 12.0), None)]).await;
    let l = latest(pool.clone()).await;
    assert_eq!(l.latest.as_ref().map(|a| a.status), Some(CollectStatus::Ok));
    assert_eq!(
        l.last_ok.as_ref().map(|f| (f.collected_at, f.qps)),
        Some((NOW - 60_000, Some(12.0)))
    );

    // A failed tick: the status follows, the figures stay the last success's.
    write(&pool, vec![(failed(id, NOW - 30_000, "refused"), None)]).await;
    let l = latest(pool.clone()).await;
    let attempt = l.latest.as_ref().expect("latest");
    assert_eq!(
        (
            attempt.collected_at,
            attempt.status,
            attempt.error_message.as_deref()
        ),
        (NOW - 30_000, CollectStatus::Failed, Some("refused"))
    );
    assert_eq!(
        l.last_ok.as_ref().map(|f| (f.collected_at, f.be_alive)),
        Some((NOW - 60_000, Some(3)))
    );

    // A partial collection is a success; a tick of several clusters keeps each.
    let mut partial = ok(id, NOW, 14.0);
    partial.status = CollectStatus::Partial;
    partial.be_alive = Some(2);
    let c = |snapshot| Collected {
        ops: None,
        snapshot,
        counters: Vec::new(),
        nodes: None,
    };
    write_tick(&pool, &[c(partial), c(ok(other, NOW, 1.0))])
        .await
        .expect("tick");
    let l = latest(pool.clone()).await;
    assert_eq!(
        l.latest.as_ref().map(|a| a.status),
        Some(CollectStatus::Partial)
    );
    assert_eq!(
        l.last_ok.as_ref().map(|f| (f.collected_at, f.be_alive)),
        Some((NOW, Some(2)))
    );
    assert_eq!(
        sparkline(l.qps_from, &l.qps_minutes, sparkline_start(NOW + MINUTE_MS))[58..],
        [Some(12.0), Some(14.0)],
        "a failed row adds nothing to its minute"
    );

    // Deleting the cluster deletes its row; the other's stays.
    sqlx::query("DELETE FROM clusters WHERE id = ?")
        .bind(id)
        .execute(&pool)
        .await
        .expect("delete");
    let rows: Vec<i64> = sqlx::query_scalar("SELECT cluster_id FROM cluster_latest")
        .fetch_all(&pool)
        .await
        .expect("rows");
    assert_eq!(rows, [other]);
}

#[test]
fn a_minute_is_set_replaced_or_emptied_and_old_minutes_leave() {
    assert_eq!(with_minute(("", 0), 2, Some(5.5), 0), ",,5.5");
    assert_eq!(with_minute(("1,,5", 0), 2, Some(7.0), 0), "1,,7");
    assert_eq!(with_minute(("1,,5", 0), 1, Some(2.0), 0), "1,2,5");
    assert_eq!(
        with_minute(("1,,5", 0), 2, None, 0),
        "1",
        "no trailing gaps"
    );
    // The first minute kept moves on: minute 8 leaves, 10 moves to the front.
    assert_eq!(with_minute(("1,,5", 8), 11, Some(0.25), 10), "5,0.25");
    assert_eq!(
        with_minute(("1,,5", 8), 9, Some(3.0), 10),
        "5",
        "too old to keep"
    );
    // At most 62 minutes from the first.
    assert_eq!(with_minute(("", 0), 62, Some(1.0), 0), "");
    assert_eq!(
        with_minute(("", 0), 61, Some(1.0), 0).split(',').count(),
        62
    );
}

#[test]
fn a_minute_averages_its_millionths_without_overflow() {
    assert_eq!(minute_average("1500000 2500000"), Some(2.0));
    assert_eq!(minute_average("1 2 x"), Some(1.5e-6));
    assert_eq!(
        minute_average("9223372036854775807 9223372036854775807"),
        Some(i64::MAX as f64 / 1e6)
    );
    assert_eq!(minute_average(""), None);
}

#[test]
fn the_sparkline_places_each_minute_of_the_hour_and_keeps_gaps() {
    let start = 1_000 * MINUTE_MS;
    // Minute 0 of the hour is the third from minute 998; the minutes before
    // the hour and after it, and what does not read as a number, are skipped.
    let mut minutes = vec![
        "7".to_string(),
        "1".into(),
        "2".into(),
        "".into(),
        "4.25".into(),
        "y".into(),
    ];
    minutes.resize(61, "3".into());
    minutes.push("9223372036854.775".into());
    minutes.push("9".into());
    let v = sparkline(998, &minutes.join(","), start);
    assert_eq!(v.len(), SPARKLINE_POINTS);
    assert_eq!(&v[..5], &[Some(2.0), None, Some(4.25), None, Some(3.0)]);
    assert_eq!(v[59], Some(9_223_372_036_854.775));
    // Stored from a minute after the hour began: the first points are gaps.
    assert_eq!(
        &sparkline(1_002, "5,6", start)[..4],
        &[None, None, Some(5.0), Some(6.0)]
    );
    assert!(sparkline(998, "", start).iter().all(Option::is_none));
    assert!(sparkline(2_000, "1", start).iter().all(Option::is_none));
}

#[test]
fn the_sparkline_is_the_last_sixty_whole_minutes() {
    let minute = 1_800_000_000_000 / MINUTE_MS * MINUTE_MS;
    assert_eq!(sparkline_start(minute), minute - HOUR_MS);
    assert_eq!(sparkline_start(minute + 59_999), minute - HOUR_MS);
}

#[test]
fn the_version_is_the_leaders() {
    let fes = nodes(vec![
        fe(Some("FOLLOWER"), Some("3.3.1")),
        fe(Some("LEADER"), Some("3.3.2")),
    ]);
    assert_eq!(leader_version(&fes).as_deref(), Some("3.3.2"));
    let fes = nodes(vec![
        fe(Some("LEADER"), None),
        fe(Some("FOLLOWER"), Some("3.1.0")),
    ]);
    assert_eq!(leader_version(&fes).as_deref(), Some("3.1.0"));
    assert_eq!(leader_version(&nodes(vec![])), None);
}
