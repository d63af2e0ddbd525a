//! The AuditLoader table as a console reads it: detection, the statements the
//! console sends (over a real MySQL connection) on Full, Old and no-table
//! clusters, and the properties of the generated day.

use super::audit::datetime;
use super::proc::{Ctx, Grid, Val};
use super::queries_tests::{mysql, server_error};
use super::sql::{execute, Answer, Session};
use super::tests::shared_of;
use super::{ClusterSpec, PortPlan, Shared, Simulator};
use mysql_async::prelude::Queryable;
use mysql_async::Row;
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

const TBL: &str = "starrocks_audit_db__.starrocks_audit_tbl__";
const HINT: &str = "/*+ SET_VAR(query_timeout = 15) */";

/// The statements the console sends, with `<range>` for the time range.
fn statements() -> Vec<(&'static str, String)> {
    let s = |sql: &str| sql.replace("HINT", HINT).replace("TBL", TBL);
    vec![
        ("slow", s("SELECT HINT queryId, `timestamp`, user, db, clientIp, queryTime, scanBytes, scanRows, cpuCostNs, memCostBytes, state, errorCode, feIp, digest, stmt FROM TBL WHERE <range> AND isQuery = 1 AND queryTime >= 5000 ORDER BY `timestamp` DESC LIMIT 200")),
        ("top", s("SELECT HINT digest, COUNT(*) AS n, SUM(queryTime) AS total_ms, PERCENTILE_APPROX(queryTime, 0.95) AS p95_ms, SUM(scanBytes) AS scan_bytes, ANY_VALUE(stmt) AS example FROM TBL WHERE <range> AND isQuery = 1 AND digest != '' GROUP BY digest ORDER BY total_ms DESC LIMIT 50")),
        ("errors_by_digest", s("SELECT HINT digest, COUNT(*) AS errors FROM TBL WHERE <range> AND isQuery = 1 AND state = 'ERR' AND digest != '' GROUP BY digest ORDER BY errors DESC LIMIT 500")),
        ("no_digest", s("SELECT HINT stmt, queryTime, scanBytes, state FROM TBL WHERE <range> AND isQuery = 1 AND digest = '' ORDER BY queryTime DESC LIMIT 5000")),
        ("all_stmts", s("SELECT HINT stmt, queryTime, scanBytes, state FROM TBL WHERE <range> AND isQuery = 1 ORDER BY queryTime DESC LIMIT 5000")),
        ("users", s("SELECT HINT user, COUNT(*) AS n, SUM(queryTime) AS total_ms, SUM(scanBytes) AS scan_bytes, SUM(cpuCostNs) AS cpu_ns FROM TBL WHERE <range> AND isQuery = 1 GROUP BY user ORDER BY total_ms DESC LIMIT 50")),
        ("clients", s("SELECT HINT SUBSTRING_INDEX(clientIp, ':', 1) AS client, COUNT(*) AS n, SUM(queryTime) AS total_ms, SUM(scanBytes) AS scan_bytes, SUM(cpuCostNs) AS cpu_ns FROM TBL WHERE <range> AND isQuery = 1 GROUP BY SUBSTRING_INDEX(clientIp, ':', 1) ORDER BY total_ms DESC LIMIT 50")),
        ("error_codes", s("SELECT HINT errorCode, COUNT(*) AS n, ANY_VALUE(stmt) AS example, MAX(`timestamp`) AS last_seen FROM TBL WHERE <range> AND isQuery = 1 AND state = 'ERR' GROUP BY errorCode ORDER BY n DESC LIMIT 50")),
        ("relations", s("SELECT HINT QueriedRelations, queryTime FROM TBL WHERE <range> AND isQuery = 1 AND QueriedRelations IS NOT NULL LIMIT 20000")),
        ("recent", s("SELECT HINT stmt, queryTime FROM TBL WHERE <range> AND isQuery = 1 ORDER BY `timestamp` DESC LIMIT 5000")),
    ]
}

fn range(from_ms: i64, to_ms: i64) -> String {
    format!(
        "`timestamp` >= '{}' AND `timestamp` < '{}'",
        datetime(from_ms),
        datetime(to_ms)
    )
}

fn names(rows: &[Row]) -> Vec<String> {
    rows.first()
        .map(|r| {
            r.columns_ref()
                .iter()
                .map(|c| c.name_str().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn int(r: &Row, col: &str) -> i64 {
    r.get::<i64, _>(col)
        .unwrap_or_else(|| panic!("{col} is not an integer"))
}

fn text(r: &Row, col: &str) -> String {
    r.get::<String, _>(col)
        .unwrap_or_else(|| panic!("{col} is not text"))
}

fn non_increasing(v: &[i64]) -> bool {
    v.windows(2).all(|w| w[0] >= w[1])
}

fn is_digest(d: &str) -> bool {
    d.len() == 32 && d.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_datetime(d: &str) -> bool {
    d.len() == 19 && super::audit::parse_datetime(d).is_some()
}

/// The last day, as the console asks for it.
fn last_day() -> String {
    let now = super::now_ms();
    range(now - 86_400_000, now)
}

async fn start(profile: &str, seed: u64) -> Simulator {
    let spec = ClusterSpec::profile(profile, seed).expect("profile");
    Simulator::start(vec![spec], PortPlan::Ephemeral)
        .await
        .expect("start")
}

async fn detection(conn: &mut mysql_async::Conn) -> (Vec<String>, Vec<String>) {
    let tables: Vec<String> = conn
        .query("SELECT TABLE_NAME FROM information_schema.tables WHERE TABLE_SCHEMA = 'starrocks_audit_db__'")
        .await
        .expect("tables");
    let cols: Vec<String> = conn
        .query("SELECT COLUMN_NAME FROM information_schema.columns WHERE TABLE_SCHEMA = 'starrocks_audit_db__' AND TABLE_NAME = 'starrocks_audit_tbl__'")
        .await
        .expect("columns");
    (tables, cols)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_statements_on_a_full_table() {
    let sim = start("3.3-shared-nothing", 3).await;
    let c = &sim.clusters()[0];
    let mut conn = mysql(c.mysql_addr, "root", "").await.expect("login");
    let (tables, cols) = detection(&mut conn).await;
    assert_eq!(tables, ["starrocks_audit_tbl__"]);
    assert_eq!(cols.len(), 29);
    assert_eq!(&cols[..3], ["queryId", "timestamp", "queryType"]);
    assert_eq!(cols[21], "digest");
    assert_eq!(cols[27], "QueriedRelations");
    let dbs: Vec<String> = conn.query("SHOW DATABASES").await.expect("dbs");
    assert!(dbs.contains(&"starrocks_audit_db__".to_string()));

    let day = last_day();
    let mut got: HashMap<&str, Vec<Row>> = HashMap::new();
    for (name, sql) in statements() {
        let sql = sql.replace("<range>", &day);
        let t0 = Instant::now();
        let rows: Vec<Row> = conn
            .query(&sql)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        println!(
            "{name}: {} rows in {:?} over MySQL",
            rows.len(),
            t0.elapsed()
        );
        assert!(!rows.is_empty(), "{name}: no rows");
        got.insert(name, rows);
    }

    let slow = &got["slow"];
    assert_eq!(
        names(slow),
        [
            "queryId",
            "timestamp",
            "user",
            "db",
            "clientIp",
            "queryTime",
            "scanBytes",
            "scanRows",
            "cpuCostNs",
            "memCostBytes",
            "state",
            "errorCode",
            "feIp",
            "digest",
            "stmt"
        ]
    );
    assert!(slow.len() <= 200 && slow.len() >= 50, "{}", slow.len());
    let stamps: Vec<String> = slow.iter().map(|r| text(r, "timestamp")).collect();
    assert!(stamps.iter().all(|s| is_datetime(s)));
    assert!(stamps.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let now = datetime(super::now_ms());
    assert!(stamps[0] <= now);
    for r in slow {
        assert!(int(r, "queryTime") >= 5000);
        for col in ["scanBytes", "scanRows", "cpuCostNs", "memCostBytes"] {
            assert!(int(r, col) >= 0);
        }
        assert!(["EOF", "ERR"].contains(&text(r, "state").as_str()));
        assert!(text(r, "clientIp").starts_with("10."));
        let d = text(r, "digest");
        assert!(d.is_empty() || is_digest(&d), "{d}");
    }

    let top = &got["top"];
    assert_eq!(
        names(top),
        ["digest", "n", "total_ms", "p95_ms", "scan_bytes", "example"]
    );
    let totals: Vec<i64> = top.iter().map(|r| int(r, "total_ms")).collect();
    assert!(non_increasing(&totals), "{totals:?}");
    assert!(top.len() <= 50 && top.len() >= 10);
    for r in top {
        assert!(is_digest(&text(r, "digest")));
        let n = int(r, "n");
        let p95: f64 = r.get("p95_ms").expect("a double");
        assert!(n > 0 && p95 > 0.0 && p95 <= int(r, "total_ms") as f64);
        assert!(text(r, "example")
            .to_ascii_uppercase()
            .starts_with("SELECT"));
    }

    let errs = &got["errors_by_digest"];
    assert_eq!(names(errs), ["digest", "errors"]);
    let counts: Vec<i64> = errs.iter().map(|r| int(r, "errors")).collect();
    assert!(non_increasing(&counts));

    for name in ["no_digest", "all_stmts"] {
        let rows = &got[name];
        assert_eq!(names(rows), ["stmt", "queryTime", "scanBytes", "state"]);
        let times: Vec<i64> = rows.iter().map(|r| int(r, "queryTime")).collect();
        assert!(non_increasing(&times), "{name}");
        assert!(rows.len() <= 5000);
    }
    // The queries without a digest are about a tenth of all.
    let all: i64 = got["users"].iter().map(|r| int(r, "n")).sum();
    let none = got["no_digest"].len() as f64;
    assert!(
        none > all as f64 * 0.04 && none < all as f64 * 0.2,
        "{none} of {all}"
    );

    let users = &got["users"];
    assert_eq!(
        names(users),
        ["user", "n", "total_ms", "scan_bytes", "cpu_ns"]
    );
    let who: BTreeSet<String> = users.iter().map(|r| text(r, "user")).collect();
    assert!(who.len() >= 4 && who.contains("root"), "{who:?}");
    assert!(non_increasing(
        &users.iter().map(|r| int(r, "total_ms")).collect::<Vec<_>>()
    ));

    let clients = &got["clients"];
    assert_eq!(
        names(clients),
        ["client", "n", "total_ms", "scan_bytes", "cpu_ns"]
    );
    let n_clients: i64 = clients.iter().map(|r| int(r, "n")).sum();
    assert_eq!(n_clients, all);
    for r in clients {
        let ip = text(r, "client");
        assert!(ip.starts_with("10.") && !ip.contains(':'), "{ip}");
    }
    assert!(clients.len() >= 5);

    let codes = &got["error_codes"];
    assert_eq!(names(codes), ["errorCode", "n", "example", "last_seen"]);
    let known = [
        "ANALYSIS_ERR",
        "MEM_LIMIT_EXCEEDED",
        "EXEC_TIME_OUT",
        "CANCELLED",
        "INTERNAL_ERROR",
        "INTERNAL_ERR",
    ];
    let mut errors = 0;
    for r in codes {
        assert!(known.contains(&text(r, "errorCode").as_str()));
        assert!(is_datetime(&text(r, "last_seen")));
        errors += int(r, "n");
    }
    // About 2 % of the queries fail.
    assert!(
        errors as f64 > all as f64 * 0.01 && (errors as f64) < all as f64 * 0.035,
        "{errors} of {all}"
    );

    let rels = &got["relations"];
    assert_eq!(names(rels), ["QueriedRelations", "queryTime"]);
    let mut tables_seen = BTreeSet::new();
    for r in rels {
        let v: serde_json::Value =
            serde_json::from_str(&text(r, "QueriedRelations")).expect("a JSON array");
        for t in v.as_array().expect("array") {
            let t = t.as_str().expect("string");
            assert!(t.starts_with("default_catalog."), "{t}");
            assert_eq!(t.split('.').count(), 3);
            tables_seen.insert(t.to_string());
        }
    }
    assert!(tables_seen.len() >= 10, "{tables_seen:?}");
    assert!(got["recent"].len() <= 5000);

    // Medians below the 95th percentiles, per statement.
    let p: Vec<Row> = conn
        .query(format!("SELECT {HINT} digest, PERCENTILE_APPROX(queryTime, 0.5) AS p50, PERCENTILE_APPROX(queryTime, 0.95) AS p95 FROM {TBL} WHERE {day} AND isQuery = 1 AND digest != '' GROUP BY digest"))
        .await
        .expect("percentiles");
    assert!(p.len() > 10);
    for r in &p {
        let (p50, p95): (f64, f64) = (r.get("p50").expect("p50"), r.get("p95").expect("p95"));
        assert!(p95 >= p50, "{p50} {p95}");
    }

    // The 24-hour aggregate, timed.
    let top_sql = statements()[1].1.replace("<range>", &day);
    let t0 = Instant::now();
    let _: Vec<Row> = conn.query(&top_sql).await.expect("top");
    let took = t0.elapsed();
    println!("24-hour top statements over MySQL: {took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");

    let e = server_error(&mut conn, &format!("SELECT nope FROM {TBL} WHERE {day}")).await;
    assert_eq!(e.code, 1064);
    assert!(e.message.contains("Column 'nope' cannot be resolved"));
    conn.disconnect().await.expect("bye");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_table_lacks_the_newer_columns() {
    let sim = start("3.0-shared-nothing", 4).await;
    let c = &sim.clusters()[0];
    let mut conn = mysql(c.mysql_addr, "root", "").await.expect("login");
    let (tables, cols) = detection(&mut conn).await;
    assert_eq!(tables, ["starrocks_audit_tbl__"]);
    assert_eq!(cols.len(), 22);
    assert_eq!(cols.last().map(String::as_str), Some("digest"));
    let day = last_day();
    for (name, sql) in statements() {
        let sql = sql.replace("<range>", &day);
        if name == "relations" {
            let e = server_error(&mut conn, &sql).await;
            assert_eq!(e.code, 1064);
            assert_eq!(
                e.message,
                "Getting analyzing error. Detail message: Column 'QueriedRelations' cannot be resolved."
            );
            continue;
        }
        let rows: Vec<Row> = conn
            .query(&sql)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!rows.is_empty(), "{name}");
        if name == "error_codes" {
            // 3.0 wrote only the BE's status codes; the FE's errors are empty.
            let codes: BTreeSet<String> = rows.iter().map(|r| text(r, "errorCode")).collect();
            assert!(codes.contains(""), "{codes:?}");
            assert!(!codes.contains("ANALYSIS_ERR"));
        }
    }
    conn.disconnect().await.expect("bye");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_plugin_the_database_is_unknown() {
    for profile in ["3.3-shared-data", "3.3-k8s"] {
        let sim = start(profile, 5).await;
        let c = &sim.clusters()[0];
        let mut conn = mysql(c.mysql_addr, "root", "").await.expect("login");
        let (tables, cols) = detection(&mut conn).await;
        assert!(tables.is_empty() && cols.is_empty(), "{profile}");
        let day = last_day();
        for (name, sql) in statements() {
            let e = server_error(&mut conn, &sql.replace("<range>", &day)).await;
            assert_eq!(e.code, 1064, "{name}");
            assert_eq!(
                e.message,
                "Getting analyzing error. Detail message: Unknown database 'starrocks_audit_db__'."
            );
        }
        let e = server_error(&mut conn, "USE starrocks_audit_db__").await;
        assert_eq!(e.code, 1049);
        conn.disconnect().await.expect("bye");
        sim.shutdown().await;
    }
}

// ---- the generated day, without the network ----

/// 2026-12-07 16:00:00 UTC.
const T: i64 = 1_796_659_200_000 + 16 * 3_600_000;

fn run(sh: &Shared, t: i64, sql: &str) -> Grid {
    let c = Ctx {
        sh,
        fe: 0,
        t,
        view: sh.faults.view(),
    };
    let me = Session {
        id: 1,
        user: "root".into(),
        db: String::new(),
    };
    match execute(&c, &me, sql) {
        Answer::Rows(g) => g,
        other => panic!("{sql}: {other:?}"),
    }
}

fn one_int(g: &Grid) -> i64 {
    match g.rows.first().and_then(|r| r.first()) {
        Some(Val::Int(n)) => *n,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_day_looks_like_a_real_one() {
    let sh = shared_of("3.3-shared-nothing", 9);
    let day = range(T - 86_400_000, T);
    let count = |cond: &str| {
        one_int(&run(
            &sh,
            T,
            &format!("SELECT COUNT(*) FROM {TBL} WHERE {day}{cond}"),
        ))
    };
    let rows = count("");
    // About 0.3 statements a second.
    assert!((20_000..32_000).contains(&rows), "{rows}");
    let queries = count(" AND isQuery = 1");
    let slow = count(" AND isQuery = 1 AND queryTime >= 5000") as f64 / queries as f64;
    assert!((0.02..0.045).contains(&slow), "slow share {slow}");
    let minute = count(" AND isQuery = 1 AND queryTime > 60000");
    assert!((3..80).contains(&minute), "{minute} above a minute");
    let connections = count(" AND queryType = 'connection' AND isQuery = 0");
    assert!(connections > rows / 50, "{connections}");
    assert_eq!(
        count(" AND queryType = 'slow_query'"),
        count(" AND queryTime > 5000 AND queryType != 'connection'")
    );
    let inserts = count(" AND stmt LIKE 'INSERT INTO %' AND isQuery = 0");
    assert!(inserts > 500, "{inserts}");
    let errors = count(" AND state = 'ERR'") as f64 / (rows - connections) as f64;
    assert!((0.012..0.03).contains(&errors), "{errors}");

    // The busy afternoon (UTC) has more than the night.
    let hour = |h: i64| {
        let from = T - 86_400_000 + h * 3_600_000;
        one_int(&run(
            &sh,
            T,
            &format!(
                "SELECT COUNT(*) FROM {TBL} WHERE {}",
                range(from, from + 3_600_000)
            ),
        ))
    };
    let hours: Vec<i64> = (0..24).map(hour).collect();
    let (lo, hi) = (
        hours.iter().min().copied().unwrap_or(0),
        hours.iter().max().copied().unwrap_or(0),
    );
    assert!(hi as f64 > lo as f64 * 1.8, "{hours:?}");
}

/// A statement with its literals replaced: what a digest stands for.
fn shape(stmt: &str) -> String {
    let mut out = String::new();
    let mut chars = stmt.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    while let Some(ch) = chars.next() {
        if ch == '\'' {
            flush(&mut word, &mut out);
            for c in chars.by_ref() {
                if c == '\'' {
                    break;
                }
            }
            out.push('?');
        } else if ch.is_alphanumeric() || ch == '_' {
            word.push(ch);
        } else {
            flush(&mut word, &mut out);
            out.push(ch);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[test]
fn digests_stand_for_statement_shapes() {
    let sh = shared_of("3.3-shared-nothing", 12);
    let g = run(
        &sh,
        T,
        &format!(
            "SELECT digest, stmt, db FROM {TBL} WHERE {} AND digest != ''",
            range(T - 6 * 3_600_000, T)
        ),
    );
    let mut by_digest: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut by_shape: HashMap<String, BTreeSet<String>> = HashMap::new();
    for r in &g.rows {
        let (d, stmt) = (r[0].proc_text(), r[1].proc_text());
        assert!(is_digest(&d));
        by_digest.entry(d.clone()).or_default().insert(shape(&stmt));
        by_shape.entry(shape(&stmt)).or_default().insert(d);
    }
    assert!(by_digest.len() > 30, "{}", by_digest.len());
    for (d, shapes) in &by_digest {
        assert_eq!(shapes.len(), 1, "{d}: {shapes:?}");
    }
    for (s, digests) in &by_shape {
        assert_eq!(digests.len(), 1, "{s}: {digests:?}");
    }
    // Some shapes repeat a lot: a console has top statements to show.
    let mut sizes: Vec<usize> = g
        .rows
        .iter()
        .fold(HashMap::new(), |mut m: HashMap<String, usize>, r| {
            *m.entry(r[0].proc_text()).or_default() += 1;
            m
        })
        .into_values()
        .collect();
    sizes.sort_unstable();
    assert!(sizes.last().copied().unwrap_or(0) > 100, "{sizes:?}");
}

#[test]
fn rows_appear_after_the_loader_flushes_and_never_from_the_future() {
    let sh = shared_of("3.3-shared-nothing", 2);
    let window = range(T - 3_600_000, T + 3_600_000);
    let at = |t: i64| {
        run(
            &sh,
            t,
            &format!("SELECT COUNT(*) AS n, MAX(`timestamp`) AS last FROM {TBL} WHERE {window}"),
        )
    };
    let now = at(T);
    let last = now.rows[0][1].proc_text();
    assert!(last <= datetime(T), "{last}");
    // Nothing of the last few seconds yet; all of it two minutes on.
    assert!(last < datetime(T - 1_000), "{last}");
    let later = at(T + 120_000);
    let (n0, n1) = (now.rows[0][0].clone(), later.rows[0][0].clone());
    let (Val::Int(n0), Val::Int(n1)) = (n0, n1) else {
        panic!("counts");
    };
    assert!(n1 > n0);
    let settled = one_int(&run(
        &sh,
        T + 600_000,
        &format!(
            "SELECT COUNT(*) FROM {TBL} WHERE {}",
            range(T - 3_600_000, T - 400_000)
        ),
    ));
    let early = one_int(&run(
        &sh,
        T,
        &format!(
            "SELECT COUNT(*) FROM {TBL} WHERE {}",
            range(T - 3_600_000, T - 400_000)
        ),
    ));
    assert_eq!(settled, early, "old rows are all in");
    // The same seed and time, the same rows.
    let a = run(
        &sh,
        T,
        &format!(
            "SELECT * FROM {TBL} WHERE {} ORDER BY `timestamp`",
            range(T - 600_000, T)
        ),
    );
    let b = run(
        &shared_of("3.3-shared-nothing", 2),
        T,
        &format!(
            "SELECT * FROM {TBL} WHERE {} ORDER BY `timestamp`",
            range(T - 600_000, T)
        ),
    );
    assert_eq!(a, b);
    assert!(!a.rows.is_empty());
}

#[test]
fn a_day_is_evaluated_quickly() {
    let sh = shared_of("3.3-shared-nothing", 1);
    let day = range(T - 86_400_000, T);
    for (name, sql) in statements() {
        let sql = sql.replace("<range>", &day);
        let t0 = Instant::now();
        let g = run(&sh, T, &sql);
        let took = t0.elapsed();
        println!("{name}: {} rows in {took:?}", g.rows.len());
        assert!(took < Duration::from_secs(5), "{name}: {took:?}");
    }
}

#[test]
fn the_query_engine_takes_the_new_forms() {
    let sh = shared_of("3.3-shared-nothing", 1);
    let day = range(T - 3_600_000, T);
    // A date literal is its midnight; backquoted names; ORDER BY an expression.
    let g = run(
        &sh,
        T,
        &format!("SELECT /*+ SET_VAR(query_timeout = 15) */ `user`, COUNT(*) FROM `starrocks_audit_db__`.`starrocks_audit_tbl__` WHERE `timestamp` >= '2026-12-07' AND {day} GROUP BY `user` ORDER BY COUNT(*) DESC"),
    );
    assert_eq!(g.cols[1].0, "COUNT(*)");
    assert!(g.rows.len() >= 4);
    let g = run(
        &sh,
        T,
        &format!("SELECT SUBSTRING_INDEX(clientIp, ':', 1), AVG(queryTime) AS mean, MIN(`timestamp`) first FROM {TBL} WHERE {day} GROUP BY SUBSTRING_INDEX(clientIp, ':', 1) ORDER BY 1 LIMIT 3"),
    );
    assert_eq!(g.cols[0].0, "SUBSTRING_INDEX(clientIp, ':', 1)");
    assert_eq!(g.rows.len(), 3);
    assert!(matches!(g.rows[0][1], Val::Float(_)));
    assert!(is_datetime(&g.rows[0][2].proc_text()));
    // Unknown tables and functions are the FE's analysis errors.
    let c = Ctx {
        sh: &sh,
        fe: 0,
        t: T,
        view: sh.faults.view(),
    };
    let me = Session {
        id: 1,
        user: "root".into(),
        db: String::new(),
    };
    let err = |sql: &str| match execute(&c, &me, sql) {
        Answer::Err(code, msg) => (code, msg),
        other => panic!("{sql}: {other:?}"),
    };
    assert_eq!(
        err("SELECT * FROM starrocks_audit_db__.nope").1,
        "Getting analyzing error. Detail message: Unknown table 'starrocks_audit_db__.nope'."
    );
    assert!(err(&format!("SELECT MEDIAN(queryTime) FROM {TBL}"))
        .1
        .contains("No matching function"));
    assert!(
        err(&format!("SELECT PERCENTILE_APPROX(queryTime) FROM {TBL}"))
            .1
            .contains("No matching function")
    );
    // information_schema.columns lists nothing else.
    let g = run(
        &sh,
        T,
        "SELECT COUNT(*) FROM information_schema.columns WHERE TABLE_SCHEMA = 'sales'",
    );
    assert_eq!(one_int(&g), 0);
}

#[test]
fn the_statements_are_sql_a_parser_reads() {
    use sqlparser::dialect::MySqlDialect;
    use sqlparser::parser::Parser;
    let sh = shared_of("3.3-shared-nothing", 5);
    let g = run(
        &sh,
        T,
        &format!(
            "SELECT stmt, isQuery, state, errorCode FROM {TBL} WHERE {} AND queryType != 'connection'",
            range(T - 3 * 3_600_000, T)
        ),
    );
    let mut parsed = 0;
    let mut broken = 0;
    for r in &g.rows {
        let stmt = r[0].proc_text();
        let upper = stmt.to_ascii_uppercase();
        if !(upper.starts_with("SELECT ")
            || upper.starts_with("INSERT ")
            || upper.starts_with("SELET"))
        {
            continue;
        }
        let ok = Parser::parse_sql(&MySqlDialect {}, &stmt).is_ok();
        if upper.starts_with("SELET") {
            // A syntax error: no query, state ERR.
            assert!(!ok, "{stmt}");
            assert_eq!(
                (r[1].clone(), r[2].proc_text()),
                (Val::Int(0), "ERR".into())
            );
            broken += 1;
        } else {
            assert!(ok, "{stmt}");
            parsed += 1;
        }
    }
    assert!(parsed > 1_000, "{parsed}");
    assert!(broken > 0, "no syntax errors in three hours");
}
