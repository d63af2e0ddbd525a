//! Running queries as a console sees them: per FE, stable from poll to poll,
//! the global list, the 3.0 units, KILL over a real MySQL connection and the
//! viewer login.

use super::faults::{Fault, View};
use super::proc::{proc, Ctx, Grid};
use super::profile::Version;
use super::queries::{running, VIEWER_PASSWORD, VIEWER_USER};
use super::tests::shared_of;
use super::{ClusterSpec, PortPlan, Shared, Simulator};
use base64::Engine;
use mysql_async::prelude::Queryable;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// 2026-12-07 16:00:00 UTC.
const T: i64 = 1_796_659_200_000 + 16 * 3_600_000;

fn ctx(sh: &Shared, fe: usize, t: i64) -> Ctx<'_> {
    Ctx {
        sh,
        fe,
        t,
        view: View::default(),
    }
}

/// The rows of a grid as column name → text.
fn maps(g: &Grid) -> Vec<HashMap<String, String>> {
    g.rows
        .iter()
        .map(|r| {
            g.cols
                .iter()
                .zip(r)
                .map(|((n, _), v)| (n.clone(), v.proc_text()))
                .collect()
        })
        .collect()
}

fn listing(sh: &Shared, fe: usize, t: i64, path: &str) -> Vec<HashMap<String, String>> {
    maps(&proc(&ctx(sh, fe, t), path).expect(path))
}

fn secs(text: &str) -> f64 {
    text.strip_suffix(" s")
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("not seconds: {text}"))
}

#[test]
fn each_fe_lists_its_own_queries_and_they_persist() {
    let sh = shared_of("3.3-shared-nothing", 11);
    let fe0 = listing(&sh, 0, T, "/current_queries");
    let fe1 = listing(&sh, 1, T, "/current_queries");
    assert!(!fe0.is_empty() && !fe1.is_empty());
    assert_eq!(fe0[0].len(), 16);
    let ids = |l: &[HashMap<String, String>]| -> BTreeSet<String> {
        l.iter().map(|q| q["QueryId"].clone()).collect()
    };
    assert!(ids(&fe0).is_disjoint(&ids(&fe1)), "{fe0:?} {fe1:?}");
    for q in &fe0 {
        assert_eq!(q["feIp"], "127.0.0.1");
        assert_eq!(q["ExecState"], "RUNNING");
        assert!(q["ScanRows"].ends_with(" rows"));
    }
    // Distinct connections within an FE, oldest first.
    let conns: BTreeSet<&String> = fe0.iter().map(|q| &q["ConnectionId"]).collect();
    assert_eq!(conns.len(), fe0.len());
    let starts: Vec<&String> = fe0.iter().map(|q| &q["StartTime"]).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");

    // Ten seconds later the long query is the same query, further along.
    let long = fe0
        .iter()
        .max_by(|a, b| secs(&a["ExecTime"]).total_cmp(&secs(&b["ExecTime"])))
        .expect("a query");
    assert!(secs(&long["ExecTime"]) > 60.0, "{long:?}");
    let later = listing(&sh, 0, T + 10_000, "/current_queries");
    let same = later
        .iter()
        .find(|q| q["QueryId"] == long["QueryId"])
        .expect("still running");
    for k in ["ConnectionId", "User", "Database", "StartTime", "feIp"] {
        assert_eq!(same[k], long[k], "{k}");
    }
    let grew = secs(&same["ExecTime"]) - secs(&long["ExecTime"]);
    assert!((grew - 10.0).abs() < 0.001, "{grew}");
    assert!(secs(&same["CPUTime"]) > secs(&long["CPUTime"]));

    // The global list is every FE's, at once.
    let global = listing(&sh, 2, T, "/global_current_queries");
    let fe2 = listing(&sh, 2, T, "/current_queries");
    let mut union = ids(&fe0);
    union.extend(ids(&fe1));
    union.extend(ids(&fe2));
    assert_eq!(ids(&global), union);
    assert_eq!(global.len(), fe0.len() + fe1.len() + fe2.len());
    let users: BTreeSet<String> = (0..60)
        .flat_map(|i| listing(&sh, i % 3, T + i as i64 * 97_000, "/current_queries"))
        .map(|q| q["User"].clone())
        .collect();
    assert!(
        users.contains("root") && users.len() >= 4,
        "users {users:?}"
    );
}

#[test]
fn every_fe_always_runs_something_and_a_long_query() {
    for seed in [1, 2, 3] {
        let sh = shared_of("3.3-shared-nothing", seed);
        for i in 0..2_000 {
            let t = T + i * 7_919;
            let mut longest = 0;
            for fe in 0..3 {
                let q = running(&sh, fe, t, &View::default());
                assert!(!q.is_empty(), "seed {seed}: FE {fe} idle at {t}");
                longest = longest.max(q.iter().map(|q| q.exec_ms).max().unwrap_or(0));
            }
            assert!(
                longest > 60_000,
                "seed {seed}: nothing past a minute at {t}"
            );
        }
    }
}

#[test]
fn a_down_fe_is_left_out_of_the_global_list() {
    let sh = shared_of("3.3-shared-nothing", 4);
    sh.faults.set_at(Fault::FeDown(1), T - 1_000);
    let c = Ctx {
        sh: &sh,
        fe: 0,
        t: T,
        view: sh.faults.view(),
    };
    let global = maps(&proc(&c, "/global_current_queries").expect("global"));
    let fe1: BTreeSet<String> = running(&sh, 1, T, &View::default())
        .into_iter()
        .map(|q| q.query_id)
        .collect();
    assert!(!global.is_empty());
    assert!(global.iter().all(|q| !fe1.contains(&q["QueryId"])));
}

#[test]
fn three_zero_lists_in_the_old_units_and_has_no_global_list() {
    let sh = shared_of("3.0-shared-nothing", 6);
    let c = ctx(&sh, 0, T);
    let g = proc(&c, "/current_queries").expect("current");
    let body: Value = serde_json::from_str(&g.proc_json(Version::V3_0)).expect("json");
    let rows = body.as_array().expect("array");
    assert!(!rows.is_empty());
    for r in rows {
        let r: Vec<&str> = r
            .as_array()
            .expect("row")
            .iter()
            .map(|v| v.as_str().expect("string"))
            .collect();
        assert_eq!(r.len(), 9);
        let (num, unit) = r[4].split_once(' ').expect("ScanBytes");
        assert_eq!(num.split_once('.').map(|x| x.1.len()), Some(2), "{}", r[4]);
        assert!(["B", "KB", "MB", "GB", "TB"].contains(&unit));
        assert!(r[5]
            .strip_suffix(" Rows")
            .is_some_and(|n| n.parse::<u64>().is_ok()));
        assert!(r[6]
            .strip_suffix(" Seconds")
            .is_some_and(|n| n.split_once('.').map(|x| x.1.len()) == Some(2)));
        assert!(r[8].parse::<u64>().is_ok(), "ExecTime {}", r[8]);
    }
    assert!(proc(&c, "/global_current_queries").is_none());
}

// ---- over the network ----

/// One HTTP GET as `user:pass`: status and body.
async fn get(addr: SocketAddr, path: &str, user: &str, pass: &str) -> (u16, String) {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: sim\r\nAuthorization: Basic {auth}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut raw))
        .await
        .expect("answer in time")
        .expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|x| x.parse().ok())
        .expect("status");
    (status, body.to_string())
}

/// A MySQL session on `addr`.
pub(crate) async fn mysql(
    addr: SocketAddr,
    user: &str,
    pass: &str,
) -> Result<mysql_async::Conn, mysql_async::Error> {
    let opts = mysql_async::OptsBuilder::default()
        .ip_or_hostname(addr.ip().to_string())
        .tcp_port(addr.port())
        .user(Some(user))
        .pass(Some(pass))
        .prefer_socket(false);
    tokio::time::timeout(Duration::from_secs(5), mysql_async::Conn::new(opts))
        .await
        .expect("connect in time")
}

/// The server error of a statement that must fail.
pub(crate) async fn server_error(
    conn: &mut mysql_async::Conn,
    sql: &str,
) -> mysql_async::ServerError {
    match conn.query_drop(sql).await {
        Err(mysql_async::Error::Server(e)) => e,
        other => panic!("{sql}: {other:?}"),
    }
}

/// `SHOW PROC '/current_queries'` as (ConnectionId, User, ExecTime s).
async fn show_queries(conn: &mut mysql_async::Conn) -> Vec<(u64, String, f64)> {
    let rows: Vec<mysql_async::Row> = conn
        .query("SHOW PROC '/current_queries'")
        .await
        .expect("show proc");
    rows.iter()
        .map(|r| {
            let id: String = r.get("ConnectionId").expect("ConnectionId");
            let exec: String = r.get("ExecTime").expect("ExecTime");
            (
                id.parse().expect("numeric id"),
                r.get("User").expect("User"),
                secs(&exec),
            )
        })
        .collect()
}

fn conn_ids(body: &str) -> BTreeSet<String> {
    let v: Value = serde_json::from_str(body).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .map(|q| q["ConnectionId"].as_str().expect("id").to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_query_over_mysql_and_the_viewer_login() {
    let spec = ClusterSpec::profile("3.3-shared-nothing", 13).expect("profile");
    let sim = Simulator::start(vec![spec], PortPlan::Ephemeral)
        .await
        .expect("start");
    let c = &sim.clusters()[0];
    let (fe1_http, fe1_sql) = (c.fe_http_addrs[1], c.fe_mysql_addrs[1]);

    // Each FE's listener lists that FE's queries.
    let (st, body0) = get(
        c.fe_http_addrs[0],
        "/api/show_proc?path=/current_queries",
        "root",
        "",
    )
    .await;
    assert_eq!(st, 200);
    let v: Value = serde_json::from_str(&body0).expect("json");
    let q0: BTreeSet<String> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|q| q["QueryId"].as_str().expect("id").to_string())
        .collect();
    let (_, body1) = get(fe1_http, "/api/show_proc?path=/current_queries", "root", "").await;
    let v: Value = serde_json::from_str(&body1).expect("json");
    let q1: BTreeSet<String> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|q| q["QueryId"].as_str().expect("id").to_string())
        .collect();
    assert!(!q0.is_empty() && !q1.is_empty() && q0.is_disjoint(&q1));

    let mut root = mysql(fe1_sql, "root", "").await.expect("root logs in");
    // The longest query; should it end between the listing and the KILL
    // (1094), the next listing's.
    let mut victim = None;
    for _ in 0..10 {
        let before = show_queries(&mut root).await;
        let (id, _, _) = before
            .iter()
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .cloned()
            .expect("FE 1 runs something");
        match root.query_drop(format!("KILL QUERY {id}")).await {
            Ok(()) => {
                victim = Some(id);
                break;
            }
            Err(mysql_async::Error::Server(e)) if e.code == 1094 => continue,
            Err(e) => panic!("KILL QUERY {id}: {e}"),
        }
    }
    let victim = victim.expect("KILL QUERY answers OK");
    let after = show_queries(&mut root).await;
    assert!(after.iter().all(|q| q.0 != victim), "{after:?}");
    let (_, http1) = get(fe1_http, "/api/show_proc?path=/current_queries", "root", "").await;
    assert!(!conn_ids(&http1).contains(&victim.to_string()));
    assert_eq!(c.model.spec.frontends, 3);

    // Unknown ids, StarRocks' words; a word is a syntax error.
    let e = server_error(&mut root, "KILL QUERY 987654").await;
    assert_eq!((e.code, e.state.as_str()), (1094, "HY000"));
    assert_eq!(e.message, "Unknown thread id: 987654");
    let e = server_error(&mut root, "KILL 987655").await;
    assert_eq!(e.message, "Unknown thread id: 987655");
    let e = server_error(&mut root, "KILL QUERY abc").await;
    assert_eq!(e.code, 1064);
    assert!(e.message.contains("Getting syntax error"), "{}", e.message);
    // FE 0 does not hold FE 1's connections.
    let (_, http0) = get(
        c.fe_http_addrs[0],
        "/api/show_proc?path=/current_queries",
        "root",
        "",
    )
    .await;
    let on0 = conn_ids(&http0);
    if let Some((other, _, _)) = after.iter().find(|q| !on0.contains(&q.0.to_string())) {
        let mut at0 = mysql(c.fe_mysql_addrs[0], "root", "").await.expect("FE 0");
        let e = server_error(&mut at0, &format!("KILL {other}")).await;
        assert_eq!(e.code, 1094);
        at0.disconnect().await.expect("bye");
    }

    // The viewer logs in but is no admin (on FE 0, where nothing was killed:
    // it always runs something).
    let mut viewer = mysql(c.fe_mysql_addrs[0], VIEWER_USER, VIEWER_PASSWORD)
        .await
        .expect("viewer logs in");
    let mut denied = None;
    for _ in 0..10 {
        let (other, user, _) = show_queries(&mut viewer)
            .await
            .into_iter()
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .expect("someone else's query");
        assert_ne!(user, VIEWER_USER);
        let e = server_error(&mut viewer, &format!("KILL QUERY {other}")).await;
        if e.code == 1094 {
            continue; // it ended meanwhile
        }
        assert_eq!((e.code, e.state.as_str()), (1095, "HY000"));
        assert_eq!(e.message, format!("You are not owner of thread {other}"));
        denied = Some(other);
        break;
    }
    assert!(denied.is_some(), "a denied kill");
    assert!(mysql(fe1_sql, VIEWER_USER, "wrong").await.is_err());
    let (st, body) = get(
        fe1_http,
        "/api/show_proc?path=/current_queries",
        VIEWER_USER,
        VIEWER_PASSWORD,
    )
    .await;
    assert_eq!(
        (st, body.as_str()),
        (401, r#"{"status":"FAILED","code":"1"}"#)
    );
    let (st, _) = get(
        fe1_http,
        "/api/show_proc?path=/current_queries",
        VIEWER_USER,
        "nope",
    )
    .await;
    assert_eq!(st, 401);
    let (st, _) = get(fe1_http, "/metrics", VIEWER_USER, VIEWER_PASSWORD).await;
    assert_eq!(st, 200);

    // The global list (3.3) and its absence on 3.0.
    let (st, global) = get(
        fe1_http,
        "/api/show_proc?path=/global_current_queries",
        "root",
        "",
    )
    .await;
    assert_eq!(st, 200);
    assert!(!conn_ids(&global).is_empty());
    viewer.disconnect().await.expect("bye");
    root.disconnect().await.expect("bye");
    sim.shutdown().await;

    let spec = ClusterSpec::profile("3.0-shared-nothing", 13).expect("profile");
    let sim = Simulator::start(vec![spec], PortPlan::Ephemeral)
        .await
        .expect("start");
    let c = &sim.clusters()[0];
    let (st, body) = get(
        c.http_addr,
        "/api/show_proc?path=/global_current_queries",
        "root",
        "",
    )
    .await;
    assert_eq!((st, body.as_str()), (200, "[]"));
    let mut root = mysql(c.mysql_addr, "root", "").await.expect("root");
    let e = server_error(&mut root, "SHOW PROC '/global_current_queries'").await;
    assert!(
        e.message.contains("Unknown proc node path"),
        "{}",
        e.message
    );
    root.disconnect().await.expect("bye");
    sim.shutdown().await;
}

#[test]
fn kills_are_remembered_per_fe_and_bounded() {
    let sh = shared_of("3.3-shared-nothing", 8);
    let q = running(&sh, 2, T, &View::default());
    let first = q[0].clone();
    sh.killed.add(&first);
    let again = running(&sh, 2, T + 1_000, &View::default());
    assert!(again.iter().all(|x| x.query_id != first.query_id));
    // The same connection id on another FE is another query.
    assert!(!sh.killed.contains(&super::queries::RunningQuery {
        fe: 1,
        ..first.clone()
    }));
    for i in 0..5_000 {
        sh.killed.add(&super::queries::RunningQuery {
            start_ms: i,
            ..first.clone()
        });
    }
    assert_eq!(sh.killed.len(), 4_096);
}

#[test]
fn a_busy_cluster_runs_many_more_queries_on_each_fe_with_their_own_connections() {
    let sh = shared_of("3.3-shared-nothing", 12);
    let view = View {
        busy_queries: Some(200),
        ..View::default()
    };
    for fe in 0..3 {
        let quiet = running(&sh, fe, T, &View::default()).len();
        let busy = running(&sh, fe, T, &view);
        // 90 % of a ten-minute cycle each: about 180 of the 200 at any time.
        assert!(
            busy.len() >= quiet + 150,
            "fe {fe}: {} vs {quiet}",
            busy.len()
        );
        let conns: BTreeSet<u32> = busy.iter().map(|q| q.conn).collect();
        assert_eq!(conns.len(), busy.len(), "one connection a query");
        let ids: BTreeSet<&str> = busy.iter().map(|q| q.query_id.as_str()).collect();
        assert_eq!(ids.len(), busy.len(), "one id a query");
        // The same queries ten seconds later, running longer.
        let later = running(&sh, fe, T + 10_000, &view);
        let same = later
            .iter()
            .filter(|q| {
                busy.iter()
                    .any(|b| b.query_id == q.query_id && q.exec_ms == b.exec_ms + 10_000)
            })
            .count();
        assert!(same * 10 >= busy.len() * 9, "{same} of {}", busy.len());
    }
}
