//! The FE MySQL port: StarRocks' columns for every statement the simulator knows,
//! and a real password check.

use super::{connect, start};
use mysql_async::prelude::Queryable;
use sim::{ClusterSpec, Fault, PortPlan, Simulator};

async fn columns(conn: &mut mysql_async::Conn, sql: &str) -> (Vec<String>, Vec<mysql_async::Row>) {
    let mut r = conn
        .query_iter(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let cols = r
        .columns_ref()
        .iter()
        .map(|c| c.name_str().to_string())
        .collect();
    let rows = r.collect::<mysql_async::Row>().await.expect("rows");
    (cols, rows)
}

#[tokio::test]
async fn mysql_answers_with_starrocks_columns() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    let mut conn = connect(c, "")
        .await
        .expect("login root with empty password");
    assert_eq!(conn.server_version(), (5, 1, 0));
    let v: Option<String> = conn
        .query_first("SELECT current_version()")
        .await
        .expect("q");
    assert_eq!(v.as_deref(), Some("3.3.10 227b0b3"));
    let v: Option<String> = conn
        .query_first("select @@version_comment limit 1")
        .await
        .expect("q");
    assert_eq!(v.as_deref(), Some("3.3.10-227b0b3"));
    let v: Option<String> = conn.query_first("SELECT version()").await.expect("q");
    assert_eq!(v.as_deref(), Some("5.1.0"));
    let (cols, _) = columns(
        &mut conn,
        "SELECT @@max_allowed_packet, @@wait_timeout, @@socket",
    )
    .await;
    assert_eq!(cols, ["@@max_allowed_packet", "@@wait_timeout", "@@socket"]);

    let (cols, rows) = columns(&mut conn, "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, TABLE_ROWS, DATA_LENGTH FROM information_schema.tables WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA = 'sales' ORDER BY DATA_LENGTH DESC LIMIT 3").await;
    assert_eq!(
        cols,
        [
            "TABLE_SCHEMA",
            "TABLE_NAME",
            "TABLE_TYPE",
            "TABLE_ROWS",
            "DATA_LENGTH"
        ]
    );
    assert_eq!(rows.len(), 3);
    let sizes: Vec<i64> = rows
        .iter()
        .map(|r| r.get::<i64, _>(4).unwrap_or(-1))
        .collect();
    assert!(
        sizes.windows(2).all(|w| w[0] >= w[1]) && sizes[0] > 0,
        "{sizes:?}"
    );

    let (cols, rows) = columns(&mut conn, "select table_schema, count(*) as tables, sum(data_length) as bytes from information_schema.tables where table_schema not in ('information_schema', '_statistics_') group by table_schema order by table_schema").await;
    assert_eq!(cols, ["table_schema", "tables", "bytes"]);
    // The profile's four databases and the AuditLoader's.
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].get::<i64, _>(1), Some(6));

    let (cols, rows) = columns(
        &mut conn,
        "SELECT * FROM information_schema.materialized_views",
    )
    .await;
    assert_eq!(cols.len(), 22);
    assert!(cols.contains(&"LAST_REFRESH_ERROR_MESSAGE".to_string()));
    let state = cols
        .iter()
        .position(|c| c == "LAST_REFRESH_STATE")
        .expect("state col");
    let states: Vec<String> = rows
        .iter()
        .filter_map(|r| r.get::<String, _>(state))
        .collect();
    assert!(states.contains(&"FAILED".to_string()));
    let (_, inactive) = columns(&mut conn, "SELECT TABLE_NAME, INACTIVE_REASON FROM information_schema.materialized_views WHERE IS_ACTIVE = 'false'").await;
    assert!(!inactive.is_empty());

    let (cols, rows) = columns(&mut conn, "SELECT JOB_ID, LABEL, DATABASE_NAME, STATE, PROGRESS, TYPE FROM information_schema.loads WHERE STATE = 'LOADING'").await;
    assert_eq!(
        cols,
        [
            "JOB_ID",
            "LABEL",
            "DATABASE_NAME",
            "STATE",
            "PROGRESS",
            "TYPE"
        ]
    );
    assert!(!rows.is_empty());

    let (cols, _) = columns(&mut conn, "SHOW PROCESSLIST").await;
    assert_eq!(
        cols,
        [
            "Id",
            "User",
            "Host",
            "Db",
            "Command",
            "ConnectionStartTime",
            "Time",
            "State",
            "Info",
            "IsPending"
        ]
    );
    let (cols, rows) = columns(&mut conn, "SHOW ALTER TABLE COLUMN FROM sales").await;
    assert_eq!(
        cols,
        [
            "JobId",
            "TableName",
            "CreateTime",
            "FinishTime",
            "IndexName",
            "IndexId",
            "OriginIndexId",
            "SchemaVersion",
            "TransactionId",
            "State",
            "Msg",
            "Progress",
            "Timeout"
        ]
    );
    let states: Vec<String> = rows.iter().filter_map(|r| r.get::<String, _>(9)).collect();
    assert!(states.contains(&"RUNNING".to_string()), "{states:?}");
    let (cols, rows) = columns(&mut conn, "SHOW BACKENDS").await;
    assert_eq!(cols.len(), 29);
    assert_eq!(rows.len(), 3);
    let (cols, _) = columns(&mut conn, "SHOW PROC '/dbs'").await;
    assert_eq!(
        cols,
        [
            "DbId",
            "DbName",
            "TableNum",
            "Quota",
            "LastConsistencyCheckTime",
            "ReplicaQuota"
        ]
    );
    let (cols, _) = columns(&mut conn, "SHOW DATABASES").await;
    assert_eq!(cols, ["Database"]);
    conn.query_drop("USE sales").await.expect("use");
    conn.query_drop("SET NAMES utf8").await.expect("set");

    for (sql, needle) in [
        ("SHOW PROC '/tables'", "Unknown proc node path: /tables"),
        ("SHOW ALTER TABLE", "Getting syntax error"),
        ("FROBNICATE everything", "Getting syntax error"),
        (
            "SELECT nope FROM information_schema.tables",
            "cannot be resolved",
        ),
    ] {
        match conn.query_drop(sql).await {
            Err(mysql_async::Error::Server(e)) => {
                assert_eq!(e.code, 1064, "{sql}");
                assert!(e.message.contains(needle), "{sql}: {}", e.message);
            }
            other => panic!("{sql}: {other:?}"),
        }
    }
    // The session survives errors.
    let one: Option<i64> = conn.query_first("SELECT 1").await.expect("q");
    assert_eq!(one, Some(1));
    conn.disconnect().await.expect("disconnect");
    sim.shutdown().await;
}

#[tokio::test]
async fn mysql_checks_the_password_for_real() {
    let mut spec = ClusterSpec::profile("3.0-shared-nothing", 5).expect("profile");
    spec.password = "s3cret".into();
    let sim = Simulator::start(vec![spec], PortPlan::Ephemeral)
        .await
        .expect("start");
    let c = &sim.clusters()[0];
    let mut conn = connect(c, "s3cret").await.expect("right password");
    let v: Option<String> = conn
        .query_first("SELECT current_version()")
        .await
        .expect("q");
    assert_eq!(v.as_deref(), Some("3.0.9 f2cbbb8"));
    conn.disconnect().await.expect("disconnect");
    for pw in ["", "wrong"] {
        match connect(c, pw).await {
            Err(mysql_async::Error::Server(e)) => {
                assert!(e.code == 1045 || e.code == 1698, "{e:?}")
            }
            other => panic!("password {pw:?}: {other:?}"),
        }
    }
    c.faults.set(Fault::WrongCredentials);
    assert!(connect(c, "s3cret").await.is_err());
    sim.shutdown().await;
}
