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
            spill_bytes: Some(0),
            cpu_seconds: Some(27.888),
            exec_seconds: Some(3.153),
            exec_state: Some("RUNNING".into()),
            start_time: at(2025, 3, 7, 2, 0, 19),
            fe_ip: Some("172.26.92.227".into()),
            warehouse: Some("default_warehouse".into()),
            resource_group: Some("rg1".into()),
            query_type: None,
            progress: None,
        }
    );
}

#[test]
fn current_query_rows_of_interfaces_section_7() {
    // The real rows INTERFACES.md §7 quotes, 3.3+ as an object and 3.0 as an array.
    let rows = json!([{
        "StartTime": "2025-03-07 02:16:04", "feIp": "172.26.92.227",
        "QueryId": "10db481c-fab7-11ef-8063-461f20abc3f0", "ConnectionId": "13",
        "Database": "tpcds_2", "User": "root", "ScanBytes": "120.573 MB",
        "ScanRows": "5859503 rows", "MemoryUsage": "225.893 MB", "DiskSpillSize": "0.000 B",
        "CPUTime": "47.878 s", "ExecTime": "4.077 s", "Warehouse": "default_warehouse",
        "CustomQueryId": "", "ResourceGroup": "rg1"
    }]);
    let q = one(current_queries(&body(rows)).expect("3.3 body"));
    assert_eq!(q.connection_id, Some(13));
    assert_eq!(q.cpu_seconds, Some(47.878));
    assert_eq!(q.exec_seconds, Some(4.077));
    assert_eq!(q.memory_bytes, Some(236_865_978));
    assert_eq!(q.fe_ip.as_deref(), Some("172.26.92.227"));
    assert_eq!(q.start_time, at(2025, 3, 7, 2, 16, 4));
    let rows = json!([[
        "7d543160-ae8b-11ed-8ebf-00163e00accc",
        "6",
        "tpcds_100g",
        "root",
        "13.02 GB",
        "487873176 Rows",
        "81.23 Seconds",
        "6.37 GB",
        "2090"
    ]]);
    let q = one(current_queries(&body(rows)).expect("3.0 body"));
    assert_eq!(
        q.query_id.as_deref(),
        Some("7d543160-ae8b-11ed-8ebf-00163e00accc")
    );
    assert_eq!(q.scan_bytes, Some(13_980_118_548));
    assert_eq!(q.scan_rows, Some(487_873_176));
    assert_eq!(q.cpu_seconds, Some(81.23));
    assert_eq!(q.memory_bytes, Some(6_839_735_419));
    assert_eq!(q.exec_seconds, Some(2.09));
    assert_eq!(q.fe_ip, None);
}

#[test]
fn current_query_3_1_columns_and_newer_extras() {
    // 3.1: StartTime first, no feIp, no Warehouse/ResourceGroup; newer builds
    // append QueryType and ExecProgress. Unknown columns are ignored.
    let rows = json!([{
        "StartTime": "2024-01-02 03:04:05", "QueryId": "q-31", "ConnectionId": "77",
        "Database": "ssb", "User": "etl", "ScanBytes": "1.000 KB", "ScanRows": "10 rows",
        "MemoryUsage": "2.000 MB", "DiskSpillSize": "1.500 GB", "CPUTime": "0.250 s",
        "ExecTime": "120.500 s", "QueryType": "INSERT", "ExecProgress": "42.05%",
        "SomethingNew": "x"
    }]);
    let q = one(current_queries(&body(rows)).expect("3.1 body"));
    assert_eq!(q.connection_id, Some(77));
    assert_eq!(q.scan_bytes, Some(1024));
    assert_eq!(q.spill_bytes, Some(1_610_612_736));
    assert_eq!(q.exec_seconds, Some(120.5));
    assert_eq!(q.fe_ip, None);
    assert_eq!(q.resource_group, None);
    assert_eq!(q.query_type.as_deref(), Some("INSERT"));
    assert_eq!(q.progress.as_deref(), Some("42.05%"));
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
