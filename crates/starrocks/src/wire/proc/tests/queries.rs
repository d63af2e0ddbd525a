use super::{at, body, one};
use crate::wire::proc::{current_queries, CurrentQuery};
use serde_json::json;

// --- the real samples --------------------------------------------------------

#[test]
fn current_query_3_3_from_the_show_proc_docs() {
    // show proc '/current_queries' from show_proc_examples_docs_3.x.txt.
    let rows = json!([{
        "StartTime": "2025-03-07 02:00:19", "feIp": "172.26.92.227",
        "QueryId": "ddbd69b9-fab4-11ef-8063-461f20abc3f0", "ConnectionId": "11",
        "Database": "tpcds_2", "User": "root", "ScanBytes": "120.573 MB",
        "ScanRows": "5859503 rows", "MemoryUsage": "296.432 MB", "DiskSpillSize": "0.000 B",
        "CPUTime": "27.888 s", "ExecTime": "3.153 s", "ExecState": "RUNNING",
        "Warehouse": "default_warehouse", "CustomQueryId": "", "ResourceGroup": "rg1"
    }]);
    let q = one(current_queries(&body(rows)).expect("docs body"));
    assert_eq!(
        q,
        CurrentQuery {
            query_id: Some("ddbd69b9-fab4-11ef-8063-461f20abc3f0".into()),
            connection_id: Some(11),
            database: Some("tpcds_2".into()),
            user: Some("root".into()),
            scan_bytes: Some(126_429_954),
            scan_rows: Some(5_859_503),
            memory_bytes: Some(310_831_481),
            cpu_seconds: Some(27.888),
            exec_seconds: Some(3.153),
            exec_state: Some("RUNNING".into()),
            start_time: at(2025, 3, 7, 2, 0, 19),
            fe_ip: Some("172.26.92.227".into()),
            warehouse: Some("default_warehouse".into()),
            resource_group: Some("rg1".into()),
        }
    );
}

// --- generated edge cases ------------------------------------------------------------

#[test]
fn current_query_3_0_columns() {
    let rows = json!([[
        "a1b2",
        "42",
        "db1",
        "alice",
        "37.88 MB",
        "1075769 Rows",
        "11.13 Seconds",
        "1.5 GB",
        "2345"
    ]]);
    let q = one(current_queries(&body(rows)).expect("body"));
    assert_eq!(q.query_id.as_deref(), Some("a1b2"));
    assert_eq!(q.connection_id, Some(42));
    assert_eq!(q.scan_bytes, Some(39_720_059));
    assert_eq!(q.scan_rows, Some(1_075_769));
    assert_eq!(q.cpu_seconds, Some(11.13));
    assert_eq!(q.memory_bytes, Some(1_610_612_736));
    assert_eq!(q.exec_seconds, Some(2.345));
    assert_eq!(q.exec_state, None);
    assert_eq!(q.start_time, None);
}
