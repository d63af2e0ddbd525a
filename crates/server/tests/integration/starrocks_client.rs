//! The StarRocks client against the built-in simulator: every endpoint, every
//! statement, every fault, each ending in the error kind an operator can act on.

use model::starrocks::{ErrorKind, Stat};
use sim::{ClusterSpec, Fault, PortPlan, SimCluster, Simulator};
use starrocks::be::{cpu_jiffies, cpu_utilisation, disks};
use starrocks::error::StarRocksError;
use starrocks::http::{Endpoint, FeClient, HttpTimeouts};
use starrocks::probe::test_connection;
use starrocks::sql::{SqlClient, SqlTimeouts};
use std::time::{Duration, Instant};

const HTTP: HttpTimeouts = HttpTimeouts {
    connect: Duration::from_millis(500),
    request: Duration::from_millis(1500),
};
const SQL: SqlTimeouts = SqlTimeouts {
    connect: Duration::from_millis(1000),
    query: Duration::from_millis(3000),
};

async fn start(profile: &str) -> (Simulator, ClusterSpec) {
    let spec = ClusterSpec::profile(profile, 42).expect("profile");
    let sim = Simulator::start(vec![spec.clone()], PortPlan::Ephemeral)
        .await
        .expect("simulator");
    (sim, spec)
}

fn endpoint(c: &SimCluster, password: &str) -> Endpoint {
    Endpoint {
        host: c.http_addr.ip().to_string(),
        http_port: c.http_addr.port(),
        query_port: c.mysql_addr.port(),
        extra: Vec::new(),
        use_https: false,
        username: "root".into(),
        password: password.into(),
    }
}

fn cluster(sim: &Simulator) -> &SimCluster {
    sim.clusters().first().expect("one cluster")
}

fn kind<T: std::fmt::Debug>(r: Result<T, StarRocksError>) -> ErrorKind {
    r.expect_err("an error was expected").kind()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_http_endpoint_decodes_in_every_profile() {
    for profile in [
        "3.3-shared-nothing",
        "3.0-shared-nothing",
        "3.3-shared-data",
    ] {
        let (sim, spec) = start(profile).await;
        let c = cluster(&sim);
        let fe = FeClient::new(&endpoint(c, ""), HTTP).expect("client");

        let metrics = fe.metrics().await.expect("metrics");
        assert!(
            metrics.value("starrocks_fe_query_total", &[]).is_some(),
            "{profile}: query_total"
        );
        assert!(
            metrics
                .value("jvm_heap_size_bytes", &[("type", "max")])
                .is_some(),
            "{profile}: jvm heap"
        );

        let frontends = fe.frontends().await.expect("frontends");
        assert_eq!(frontends.len(), spec.frontends, "{profile}");
        assert_eq!(
            frontends.iter().filter(|f| f.is_leader()).count(),
            1,
            "{profile}: one leader"
        );

        let backends = fe.backends().await.expect("backends");
        let compute = fe.compute_nodes().await.expect("compute nodes");
        assert_eq!(
            backends.len() + compute.len(),
            spec.backends,
            "{profile}: every node listed"
        );
        for b in &backends {
            assert_eq!(b.alive, Some(true), "{profile}");
            assert!(b.total_bytes.unwrap_or(0) > 0, "{profile}: capacity parsed");
            let port = b.http_port.expect("BE http port");
            let host = b.ip.clone().expect("BE ip");
            let be = fe.node_metrics(&host, port).await.expect("BE metrics");
            let first = cpu_jiffies(&be).expect("BE cpu counters");
            tokio::time::sleep(Duration::from_millis(1100)).await;
            let again = fe
                .node_metrics(&host, port)
                .await
                .expect("BE metrics again");
            let busy = cpu_utilisation(&first, &cpu_jiffies(&again).expect("cpu"))
                .expect("the counters moved");
            assert!((0.0..=1.0).contains(&busy), "{profile}: utilisation {busy}");
            let disks = disks(&be);
            assert!(!disks.is_empty(), "{profile}: disks per path");
            assert!(
                disks.iter().all(|d| d.used_pct().is_some()),
                "{profile}: {disks:?}"
            );
        }
        if profile.ends_with("shared-data") {
            let nodes_report_disk = backends.iter().any(|b| b.data_used_reported().is_some());
            assert!(
                !nodes_report_disk,
                "shared-data nodes must read as 'not reported'"
            );
        }

        let dbs = fe.dbs().await.expect("dbs");
        assert!(dbs.len() >= spec.databases, "{profile}: {} dbs", dbs.len());
        let stats = fe.statistic().await.expect("statistic");
        assert!(stats.total.is_some(), "{profile}: the Total row");
        if let Some(db_id) = dbs.iter().find_map(|d| d.id) {
            fe.jobs(db_id).await.expect("jobs");
        }
        fe.current_queries().await.expect("current queries");
        assert!(fe.runtime_info().await.expect("runtime").max_mem.is_some());
        let health = fe.health().await.expect("health");
        assert_eq!(health.online_backend_num, health.total_backend_num);
        fe.bootstrap().await.expect("bootstrap ready");
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_statistic_comes_over_mysql() {
    let (sim, spec) = start("3.3-shared-nothing").await;
    let c = cluster(&sim);
    let sql = SqlClient::new(
        &c.mysql_addr.ip().to_string(),
        c.mysql_addr.port(),
        "root",
        "",
        SQL,
    );
    let version = sql.version().await.expect("version");
    assert!(version.starts_with("3.3"), "{version}");
    let s = sql.data_statistics().await.expect("statistics");
    let value = |name: &str, st: &Stat<u64>| {
        *st.value()
            .unwrap_or_else(|| panic!("{name} unavailable: {st:?}"))
    };
    // The profile's databases, and the AuditLoader's (its one table): a
    // real database that takes space like the others.
    assert_eq!(value("databases", &s.databases), spec.databases as u64 + 1);
    assert_eq!(
        value("tables", &s.tables),
        (spec.databases * spec.tables_per_db) as u64 + 1
    );
    assert!(value("total_bytes", &s.total_bytes) > 0);
    let top = s.top_tables.value().expect("top tables");
    assert!(!top.is_empty() && top.len() <= 20);
    assert!(
        top.windows(2).all(|w| w[0].bytes >= w[1].bytes),
        "largest first"
    );
    let mvs = s.materialized_views.value().expect("mvs");
    assert!(mvs.total > 0 && !mvs.failing.is_empty(), "{mvs:?}");
    assert!(s.schema_changes.value().is_some(), "{:?}", s.schema_changes);
    assert!(s.sessions.value().expect("sessions").connections >= 1);
    assert!(s.loads_running.value().is_some(), "{:?}", s.loads_running);
    assert_eq!(
        s.version.value().map(String::as_str),
        Some(version.as_str())
    );
    sql.disconnect().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_become_the_right_error_kind_within_the_timeout() {
    let (sim, _) = start("3.3-shared-nothing").await;
    let c = cluster(&sim);
    let fe = FeClient::new(&endpoint(c, ""), HTTP).expect("client");
    let sql = || {
        SqlClient::new(
            &c.mysql_addr.ip().to_string(),
            c.mysql_addr.port(),
            "root",
            "",
            SQL,
        )
    };
    let limit = HTTP.request + Duration::from_millis(700);

    let cases: Vec<(Fault, ErrorKind)> = vec![
        (Fault::Http500, ErrorKind::ServerError),
        (Fault::GarbageBody, ErrorKind::BadPayload),
        (Fault::TruncatedBody, ErrorKind::BadPayload),
        (Fault::WrongCredentials, ErrorKind::AuthFailed),
        (Fault::Slow(Duration::from_secs(4)), ErrorKind::Timeout),
        (Fault::FeRefusing, ErrorKind::Unreachable),
    ];
    for (fault, expected) in cases {
        c.faults.set(fault.clone());
        let started = Instant::now();
        let got = kind(fe.backends().await);
        assert_eq!(got, expected, "{fault:?}");
        assert!(
            started.elapsed() < limit,
            "{fault:?} took {:?}",
            started.elapsed()
        );
        c.faults.clear_all();
    }

    // FeRefusing closed the port; it is rebound in the background.
    let fe_back = async {
        while fe.health().await.is_err() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    assert!(
        tokio::time::timeout(Duration::from_secs(3), fe_back)
            .await
            .is_ok(),
        "the FE answers again within 3 s after FeRefusing clears"
    );

    c.faults.set(Fault::GarbageBody);
    let garbage = fe.metrics().await;
    assert_eq!(
        kind(garbage.clone()),
        ErrorKind::BadPayload,
        "garbage metrics: {garbage:?}"
    );
    c.faults.clear_all();

    c.faults.set(Fault::WrongCredentials);
    assert_eq!(
        kind(sql().version().await),
        ErrorKind::AuthFailed,
        "MySQL wrong password"
    );
    c.faults.clear_all();

    c.faults.set(Fault::MysqlDown);
    let started = Instant::now();
    assert_eq!(
        kind(sql().version().await),
        ErrorKind::Unreachable,
        "MySQL down"
    );
    assert!(started.elapsed() < SQL.connect + Duration::from_millis(700));
    c.faults.clear_all();
    let back = async {
        while sql().version().await.is_err() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    assert!(
        tokio::time::timeout(Duration::from_secs(3), back)
            .await
            .is_ok(),
        "MySQL back within 3 s after the fault clears"
    );

    c.faults.set(Fault::BeDead(0));
    let backends = fe.backends().await.expect("backends");
    assert_eq!(
        backends.iter().filter(|b| b.alive == Some(false)).count(),
        1
    );
    let dead = backends
        .iter()
        .find(|b| b.alive == Some(false))
        .expect("dead BE");
    let port = dead.http_port.expect("port");
    let got = kind(fe.node_metrics(&dead.ip.clone().expect("ip"), port).await);
    assert!(
        matches!(got, ErrorKind::Unreachable | ErrorKind::Timeout),
        "{got:?}"
    );
    let health = fe.health().await.expect("health");
    assert_eq!(
        health.online_backend_num.map(|n| n + 1),
        health.total_backend_num
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_port_is_unreachable_fast() {
    // A socket bound but never listening: connections are refused, and no
    // other test can take the port meanwhile (a bind-and-drop port can be).
    let reserved = tokio::net::TcpSocket::new_v4().expect("socket");
    reserved
        .bind("127.0.0.1:0".parse().expect("addr"))
        .expect("bind");
    let port = reserved.local_addr().expect("port").port();
    let ep = Endpoint {
        host: "127.0.0.1".into(),
        http_port: port,
        query_port: port,
        extra: Vec::new(),
        use_https: false,
        username: "root".into(),
        password: String::new(),
    };
    let started = Instant::now();
    let report = test_connection(&ep, HTTP, SQL).await;
    assert!(!report.ok);
    assert_eq!(
        report.http_error.map(|e| e.kind),
        Some(ErrorKind::Unreachable)
    );
    assert_eq!(
        report.mysql_error.map(|e| e.kind),
        Some(ErrorKind::Unreachable)
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(reserved);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_connection_reports_version_and_node_counts() {
    let (sim, spec) = start("3.3-shared-data").await;
    let c = cluster(&sim);
    c.faults.set(Fault::BeDead(0));
    let report = test_connection(&endpoint(c, ""), HTTP, SQL).await;
    assert!(report.ok, "{report:?}");
    assert!(report.shared_data);
    assert!(
        report
            .version
            .as_deref()
            .is_some_and(|v| v.starts_with("3.3")),
        "{report:?}"
    );
    assert_eq!(report.frontends_total as usize, spec.frontends);
    assert_eq!(report.nodes_total as usize, spec.backends);
    assert_eq!(
        report.nodes_alive + 1,
        report.nodes_total,
        "one node is down"
    );

    c.faults.set(Fault::WrongCredentials);
    let report = test_connection(&endpoint(c, "wrong"), HTTP, SQL).await;
    assert!(!report.ok);
    assert_eq!(
        report.http_error.map(|e| e.kind),
        Some(ErrorKind::AuthFailed)
    );
    assert_eq!(
        report.mysql_error.map(|e| e.kind),
        Some(ErrorKind::AuthFailed)
    );
    sim.shutdown().await;
}
