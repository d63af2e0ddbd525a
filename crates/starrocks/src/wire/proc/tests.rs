use super::*;
use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::json;

const PR_24334: &str =
    include_str!("../../../fixtures/api_show_proc_backends_json_before_after_pr24334.txt");
const UNKNOWN_PROC_PATH: &str = include_str!(
    "../../../fixtures/mysql_error_unknown_proc_path_3.5.15_starrocks-admin_issue39.txt"
);

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, mo, d).and_then(|date| date.and_hms_opt(h, mi, s))
}

/// The JSON line of the PR #24334 sample that starts with `prefix`.
fn sample_line(prefix: &str) -> &'static str {
    PR_24334
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix} in the sample"))
}

fn one<T: std::fmt::Debug>(mut list: Vec<T>) -> T {
    assert_eq!(list.len(), 1, "{list:?}");
    list.remove(0)
}

fn body(value: serde_json::Value) -> Vec<u8> {
    value.to_string().into_bytes()
}

// --- the real samples --------------------------------------------------------

#[test]
fn backends_3_1_objects_from_pr_24334() {
    let be = one(backends(sample_line("[{").as_bytes()).expect("3.1 body"));
    assert_eq!(be.id, Some(10003));
    assert_eq!(be.ip.as_deref(), Some("192.168.7.221"));
    assert_eq!(
        (be.heartbeat_port, be.be_port, be.http_port, be.brpc_port),
        (Some(9050), Some(9060), Some(8048), Some(8060))
    );
    assert_eq!(be.last_start_time, at(2023, 5, 27, 18, 37, 17));
    assert_eq!(be.last_heartbeat, at(2023, 5, 27, 18, 37, 37));
    assert_eq!(be.alive, Some(true));
    assert_eq!(be.system_decommissioned, Some(false));
    assert_eq!(be.tablet_num, Some(42));
    assert_eq!(be.data_used_bytes, Some(13_573));
    assert_eq!(be.data_used_reported(), Some(13_573));
    assert_eq!(be.avail_bytes, Some(168_603_236_172)); // 157.024 GB
    assert_eq!(be.total_bytes, Some(210_304_147_390)); // 195.861 GB
    assert_eq!(be.used_pct, Some(19.83));
    assert_eq!(be.max_disk_used_pct, Some(19.83));
    assert_eq!(be.err_msg, None);
    assert_eq!(be.version.as_deref(), Some("JSON-410e4c8"));
    assert_eq!(be.data_total_bytes, Some(168_603_236_172));
    assert_eq!(be.data_used_pct, Some(0.0));
    assert_eq!(be.cpu_cores, Some(16));
    assert_eq!(be.mem_limit_bytes, None);
    assert_eq!(be.num_running_queries, Some(0));
    assert_eq!(be.mem_used_pct, Some(0.1));
    assert_eq!(be.cpu_used_pct, Some(0.0));
    assert_eq!(be.location, None);
    assert!(!be.is_shared_data());
}

#[test]
fn backends_3_0_arrays_from_pr_24334() {
    let be = one(backends(sample_line("[[").as_bytes()).expect("3.0 body"));
    assert_eq!(be.id, Some(10003));
    assert_eq!(be.last_start_time, at(2023, 5, 27, 13, 2, 41));
    assert_eq!(be.last_heartbeat, at(2023, 5, 27, 18, 19, 30));
    assert_eq!(be.data_used_bytes, Some(13_573));
    assert_eq!(be.avail_bytes, Some(168_604_309_914)); // 157.025 GB
    assert_eq!(be.used_pct, Some(19.83));
    assert_eq!(be.version.as_deref(), Some("DEV-MAIN-f2dc764"));
    assert_eq!(be.cpu_cores, Some(16));
    assert_eq!(be.num_running_queries, Some(0));
    assert_eq!(be.mem_used_pct, Some(0.1));
    assert_eq!(be.cpu_used_pct, Some(0.0));
}

#[test]
fn both_shapes_of_pr_24334_agree_where_the_node_did_not_change() {
    let before = one(backends(sample_line("[[").as_bytes()).expect("3.0 body"));
    let mut after = one(backends(sample_line("[{").as_bytes()).expect("3.1 body"));
    // Between the two curls the BE restarted with another build and 1 MB of
    // free space moved; everything else must read the same.
    after.last_start_time = before.last_start_time;
    after.last_heartbeat = before.last_heartbeat;
    after.avail_bytes = before.avail_bytes;
    after.data_total_bytes = before.data_total_bytes;
    after.version.clone_from(&before.version);
    assert_eq!(before, after);
}

#[test]
fn an_array_row_and_the_same_values_as_an_object_decode_equal() {
    let array: serde_json::Value = serde_json::from_str(sample_line("[[")).expect("sample is JSON");
    let cells = array[0].as_array().cloned().unwrap_or_default();
    assert_eq!(cells.len(), BACKENDS_COLUMNS_V30.len());
    let object: serde_json::Map<String, serde_json::Value> = BACKENDS_COLUMNS_V30
        .iter()
        .map(|c| (*c).to_owned())
        .zip(cells)
        .collect();
    assert_eq!(
        backends(&body(json!([object]))).expect("objects"),
        backends(sample_line("[[").as_bytes()).expect("arrays")
    );
}

#[test]
fn backends_2_x_rows_end_at_cpu_cores() {
    // Values of backend 10002 from show_backends_table_docs_example_2022.txt
    // (a mysql client table, not JSON), laid out as the 2.x FE sends them
    // over HTTP: an array of 23 strings.
    let row = json!([[
        "10002",
        "x.x.x.x",
        "9254",
        "9260",
        "8238",
        "8260",
        "2022-09-08 14:37:10",
        "2022-09-08 15:14:21",
        "true",
        "false",
        "false",
        "21753",
        "25.122 GB",
        "1.088 TB",
        "1.968 TB",
        "44.72 %",
        "44.72 %",
        "",
        "MAIN-RELEASE-d094052",
        "{\"lastSuccessReportTabletsTime\":\"2022-09-08 15:14:13\"}",
        "1.113 TB",
        "2.20 %",
        "16"
    ]]);
    let be = one(backends(&body(row)).expect("2.x body"));
    assert_eq!(be.id, Some(10002));
    assert_eq!(be.tablet_num, Some(21_753));
    assert_eq!(be.data_used_bytes, Some(26_974_542_103));
    assert_eq!(be.total_bytes, Some(2_163_838_883_463));
    assert_eq!(be.used_pct, Some(44.72));
    assert_eq!(be.data_used_pct, Some(2.2));
    assert_eq!(be.cpu_cores, Some(16));
    assert_eq!(be.num_running_queries, None);
    assert_eq!(be.mem_used_pct, None);
    assert_eq!(be.cpu_used_pct, None);
}

#[test]
fn backend_from_the_show_proc_docs_with_its_unit_lost() {
    // SHOW PROC '/backends'\G from show_proc_examples_docs_3.x.txt, as the
    // 3.1+ HTTP object; the doc lost the unit of "0.000 ".
    let row = json!([{
        "BackendId": "10004", "IP": "xxx.xx.92.200", "HeartbeatPort": "9354",
        "BePort": "9360", "HttpPort": "8338", "BrpcPort": "8360",
        "LastStartTime": "2023-04-21 09:56:10", "LastHeartbeat": "2023-04-21 09:56:10",
        "Alive": "true", "SystemDecommissioned": "false", "ClusterDecommissioned": "false",
        "TabletNum": "2199", "DataUsedCapacity": "0.000 ", "AvailCapacity": "584.578 GB",
        "TotalCapacity": "1.968 TB", "UsedPct": "71.00 %", "MaxDiskUsedPct": "71.00 %",
        "ErrMsg": "", "Version": "BRANCH-3.0-RELEASE-8eb8705",
        "Status": "{\"lastSuccessReportTabletsTime\":\"N/A\"}",
        "DataTotalCapacity": "584.578 GB", "DataUsedPct": "0.00 %", "CpuCores": "16",
        "NumRunningQueries": "0", "MemUsedPct": "0.52 %", "CpuUsedPct": "0.0 %"
    }]);
    let be = one(backends(&body(row)).expect("docs body"));
    assert_eq!(be.data_used_bytes, Some(0));
    // Not a shared-data node, so a zero is a real zero.
    assert_eq!(be.data_used_reported(), Some(0));
    assert_eq!(be.used_pct, Some(71.0));
    assert_eq!(be.mem_used_pct, Some(0.52));
}

#[test]
fn compute_node_from_the_3_3_docs() {
    // SHOW COMPUTE NODES\G from show_compute_nodes_G_3.3.0rc_docs.txt, as
    // the HTTP object.
    let row = json!([{
        "ComputeNodeId": "10001", "IP": "x.x.x.x", "HeartbeatPort": "9050",
        "BePort": "9060", "HttpPort": "8040", "BrpcPort": "8060",
        "LastStartTime": "2024-05-14 15:45:34", "LastHeartbeat": "2024-05-14 15:47:59",
        "Alive": "true", "SystemDecommissioned": "false", "ClusterDecommissioned": "false",
        "ErrMsg": "", "Version": "3.3.0-rc01-3b8cb0c", "CpuCores": "4",
        "NumRunningQueries": "0", "MemUsedPct": "1.95 %", "CpuUsedPct": "0.0 %",
        "HasStoragePath": "true", "StarletPort": "8167", "WorkerId": "1",
        "WarehouseName": "default_warehouse", "TabletNum": "58"
    }]);
    let cn = one(compute_nodes(&body(row)).expect("docs body"));
    assert_eq!(cn.id, Some(10001));
    assert_eq!(cn.last_heartbeat, at(2024, 5, 14, 15, 47, 59));
    assert_eq!(cn.cpu_cores, Some(4));
    assert_eq!(cn.mem_used_pct, Some(1.95));
    assert_eq!(cn.has_storage_path, Some(true));
    assert_eq!(cn.starlet_port, Some(8167));
    assert_eq!(cn.worker_id, Some(1));
    assert_eq!(cn.warehouse_name.as_deref(), Some("default_warehouse"));
    assert_eq!(cn.tablet_num, Some(58));
    assert_eq!(cn.err_msg, None);
    assert!(cn.is_shared_data());
}

#[test]
fn dbs_from_the_show_proc_docs() {
    // show proc "/dbs" from show_proc_examples_docs_3.x.txt, in the 3.0
    // array shape.
    let rows = json!([
        [
            "1",
            "information_schema",
            "54",
            "8388608.000 TB",
            "NULL",
            "9223372036854775807"
        ],
        [
            "100",
            "sys",
            "6",
            "8388608.000 TB",
            "NULL",
            "9223372036854775807"
        ],
        [
            "10001",
            "_statistics_",
            "12",
            "8388608.000 TB",
            "NULL",
            "9223372036854775807"
        ],
        [
            "10015",
            "test",
            "1",
            "8388608.000 TB",
            "NULL",
            "9223372036854775807"
        ]
    ]);
    let list = dbs(&body(rows)).expect("docs body");
    assert_eq!(list.len(), 4);
    assert_eq!(
        list[3],
        DbInfo {
            id: Some(10015),
            name: Some("test".into()),
            table_num: Some(1),
            quota_bytes: Some(1u64 << 63),
            last_consistency_check_time: None,
            replica_quota: Some(i64::MAX),
        }
    );
}

#[test]
fn statistic_keeps_the_total_row_apart() {
    // SHOW PROC '/statistic' from show_proc_examples_docs_3.x.txt (two of
    // its database rows and the Total row), as 3.1+ objects.
    let row = |id: &str, name: &str, n: [&str; 9]| {
        json!({
            "DbId": id, "DbName": name, "TableNum": n[0], "PartitionNum": n[1],
            "IndexNum": n[2], "TabletNum": n[3], "ReplicaNum": n[4],
            "UnhealthyTabletNum": n[5], "InconsistentTabletNum": n[6],
            "CloningTabletNum": n[7], "ErrorStateTabletNum": n[8]
        })
    };
    let rows = json!([
        row(
            "10004",
            "_statistics_",
            ["3", "3", "3", "30", "60", "0", "0", "0", "0"]
        ),
        row(
            "10002",
            "zq_test",
            ["8", "8", "8", "5043", "7063", "0", "0", "0", "2"]
        ),
        row(
            "Total",
            "6",
            ["12", "12", "12", "5076", "7126", "0", "0", "0", "2"]
        )
    ]);
    let stat = statistic(&body(rows)).expect("docs body");
    assert_eq!(stat.dbs.len(), 2);
    assert_eq!(stat.dbs[1].db_name.as_deref(), Some("zq_test"));
    assert_eq!(stat.dbs[1].error_state_tablet_num, Some(2));
    assert_eq!(stat.db_count, Some(6));
    let total = stat.total.expect("a total row");
    assert_eq!(total.db_id, None);
    assert_eq!(total.db_name, None);
    assert_eq!(total.tablet_num, Some(5076));
    assert_eq!(total.replica_num, Some(7126));
}

#[test]
fn statistic_without_a_total_row() {
    let stat = statistic(b"[]").expect("empty");
    assert!(stat.dbs.is_empty());
    assert_eq!(stat.total, None);
    assert_eq!(stat.db_count, None);
}

#[test]
fn jobs_from_the_show_proc_docs() {
    // SHOW PROC '/jobs/10005' from show_proc_examples_docs_3.x.txt, 3.0 arrays.
    let rows = json!([
        ["load", "0", "0", "3", "0", "3"],
        ["rollup", "0", "0", "0", "0", "0"],
        ["schema_change", "0", "0", "0", "0", "0"],
        ["export", "0", "0", "0", "0", "0"]
    ]);
    let list = jobs(&body(rows)).expect("docs body");
    assert_eq!(list.len(), 4);
    assert_eq!(
        list[0],
        JobCounts {
            job_type: Some("load".into()),
            pending: Some(0),
            running: Some(0),
            finished: Some(3),
            cancelled: Some(0),
            total: Some(3),
        }
    );
}

#[test]
fn frontend_from_the_show_proc_docs() {
    // SHOW PROC '/frontends' from show_proc_examples_docs_3.x.txt, 3.0 array.
    let rows = json!([[
        "xxx.xx.xx.xxx_9009_1600088918395",
        "xxx.xx.xx.xxx",
        "9009",
        "7390",
        "0",
        "0",
        "FOLLOWER",
        "1747363037",
        "false",
        "false",
        "0",
        "NULL",
        "true",
        "got exception",
        "NULL",
        "NULL"
    ]]);
    let fe = one(frontends(&body(rows)).expect("docs body"));
    assert_eq!(fe.name.as_deref(), Some("xxx.xx.xx.xxx_9009_1600088918395"));
    assert_eq!(fe.edit_log_port, Some(9009));
    assert_eq!(fe.http_port, Some(7390));
    assert_eq!(fe.query_port, Some(0));
    assert_eq!(fe.role.as_deref(), Some("FOLLOWER"));
    assert_eq!(fe.cluster_id, Some(1_747_363_037));
    assert_eq!(fe.join, Some(false));
    assert_eq!(fe.alive, Some(false));
    assert_eq!(fe.replayed_journal_id, Some(0));
    assert_eq!(fe.last_heartbeat, None);
    assert_eq!(fe.is_helper, Some(true));
    assert_eq!(fe.err_msg.as_deref(), Some("got exception"));
    assert_eq!(fe.start_time, None);
    assert_eq!(fe.version, None);
    assert!(!fe.is_leader());
}

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

#[test]
fn a_mysql_error_text_is_a_format_error_that_shows_what_came() {
    // Not an HTTP body, but exactly the kind of plain text a caller may get
    // instead of JSON (compare "Failed to forward stmt: ...").
    let err = backends(UNKNOWN_PROC_PATH.as_bytes()).expect_err("not JSON");
    assert!(err.message.starts_with("not JSON"), "{}", err.message);
    assert!(err
        .excerpt
        .starts_with("# source: GitHub issue jlon/starrocks-admin#39"));
    assert_eq!(err.excerpt.chars().count(), 200);
    assert!(err.to_string().starts_with("not JSON"));
}

// --- generated edge cases ------------------------------------------------------------

#[test]
fn an_empty_array_is_an_empty_list() {
    assert_eq!(backends(b"[]"), Ok(vec![]));
    assert_eq!(frontends(b" [ ]\n"), Ok(vec![]));
    assert_eq!(compute_nodes(b"[]"), Ok(vec![]));
    assert_eq!(current_queries(b"[]"), Ok(vec![]));
    assert_eq!(rows(b"[]", &[]), Ok(vec![]));
}

#[test]
fn shared_data_nodes_report_zero_data_used_as_not_reported() {
    let row = json!([{
        "BackendId": "10001", "DataUsedCapacity": "0.000 B", "TotalCapacity": "0.000 B",
        "StarletPort": "9070", "WorkerId": "3", "MemLimit": "6.207GB"
    }]);
    let be = one(backends(&body(row)).expect("body"));
    assert!(be.is_shared_data());
    assert_eq!(be.data_used_bytes, Some(0));
    assert_eq!(be.data_used_reported(), None);
    assert_eq!(be.mem_limit_bytes, Some(6_664_715_502));

    // A shared-nothing node in a build that prints the columns empty or 0.
    let row = json!([{ "DataUsedCapacity": "0.000 B", "StarletPort": "0", "WorkerId": "" }]);
    let be = one(backends(&body(row)).expect("body"));
    assert!(!be.is_shared_data());
    assert_eq!(be.data_used_reported(), Some(0));

    // A shared-data node that does report a figure keeps it.
    let row = json!([{ "DataUsedCapacity": "1.000 KB", "StarletPort": "9070" }]);
    assert_eq!(
        one(backends(&body(row)).expect("body")).data_used_reported(),
        Some(1024)
    );
}

#[test]
fn missing_columns_are_none_and_unknown_ones_are_ignored() {
    let row = json!([{ "BackendId": "7", "SomethingNew": "x", "Alive": "false" }]);
    let be = one(backends(&body(row)).expect("body"));
    assert_eq!(
        be,
        Backend {
            id: Some(7),
            alive: Some(false),
            ..Backend::default()
        }
    );
}

#[test]
fn longer_array_rows_drop_their_extra_cells() {
    let mut cells: Vec<String> = (0..30).map(|i| i.to_string()).collect();
    cells[0] = "10003".into();
    let decoded = one(rows(&body(json!([cells])), BACKENDS_COLUMNS_V30).expect("body"));
    assert_eq!(decoded.cells().count(), BACKENDS_COLUMNS_V30.len());
    assert_eq!(decoded.get("BackendId"), Some("10003"));
    assert_eq!(decoded.get("CpuUsedPct"), Some("25"));
}

#[test]
fn rows_of_mixed_shapes_in_one_body_both_decode() {
    let decoded = rows(br#"[{"A":"1"},["2"]]"#, &["A"]).expect("body");
    assert_eq!(decoded[0].get("A"), Some("1"));
    assert_eq!(decoded[1].get("A"), Some("2"));
}

#[test]
fn non_string_scalars_are_read_as_their_text() {
    let row = json!([{
        "BackendId": 10003, "Alive": true, "SystemDecommissioned": false,
        "TabletNum": 42, "UsedPct": 19.83, "ErrMsg": null, "Location": null,
        "HttpPort": 8040
    }]);
    let be = one(backends(&body(row)).expect("body"));
    assert_eq!(be.id, Some(10003));
    assert_eq!(be.alive, Some(true));
    assert_eq!(be.system_decommissioned, Some(false));
    assert_eq!(be.tablet_num, Some(42));
    assert_eq!(be.used_pct, Some(19.83));
    assert_eq!(be.http_port, Some(8040));
    assert_eq!(be.err_msg, None);

    let decoded = one(rows(
        br#"[[1, true, null, 2.5, {"k":"v"}]]"#,
        &["a", "b", "c", "d", "e"],
    )
    .expect("body"));
    assert_eq!(decoded.get("a"), Some("1"));
    assert_eq!(decoded.get("b"), Some("true"));
    assert_eq!(decoded.get("c"), None);
    assert_eq!(decoded.get("d"), Some("2.5"));
    assert_eq!(decoded.get("e"), Some(r#"{"k":"v"}"#));
}

#[test]
fn unreadable_cells_are_none_not_zero() {
    let row = json!([{
        "BackendId": "x", "HeartbeatPort": "70000", "Alive": "yes",
        "DataUsedCapacity": "lots", "UsedPct": "N/A", "LastHeartbeat": "NULL"
    }]);
    let be = one(backends(&body(row)).expect("body"));
    assert_eq!(be, Backend::default());
}

#[test]
fn frontends_of_4_x_have_a_leading_id_column() {
    let row = json!([{
        "Id": "1", "Name": "10.0.0.1_9010_1700000000000", "IP": "10.0.0.1",
        "EditLogPort": "9010", "HttpPort": "8030", "QueryPort": "9030", "RpcPort": "9020",
        "Role": "LEADER", "ClusterId": "123", "Join": "true", "Alive": "true",
        "ReplayedJournalId": "9876", "LastHeartbeat": "2025-01-02 03:04:05",
        "IsHelper": "true", "ErrMsg": "", "StartTime": "2025-01-01 00:00:00",
        "Version": "4.0.1-abcdef0"
    }]);
    let fe = one(frontends(&body(row)).expect("body"));
    assert!(fe.is_leader());
    assert_eq!(fe.query_port, Some(9030));
    assert_eq!(fe.replayed_journal_id, Some(9876));
    assert_eq!(fe.start_time, at(2025, 1, 1, 0, 0, 0));
    assert_eq!(fe.version.as_deref(), Some("4.0.1-abcdef0"));
}

#[test]
fn frontends_of_early_2_x_mark_the_leader_with_is_master() {
    let row = json!([[
        "h1_9010_1600000000000",
        "10.0.0.1",
        "h1.example",
        "9010",
        "8030",
        "9030",
        "9020",
        "FOLLOWER",
        "true",
        "123",
        "true",
        "true",
        "55",
        "2021-01-02 03:04:05",
        "true",
        "",
        "2021-01-01 00:00:00",
        "2.0.1"
    ]]);
    let fe = one(frontends(&body(row)).expect("body"));
    assert_eq!(fe.ip.as_deref(), Some("10.0.0.1"));
    assert_eq!(fe.edit_log_port, Some(9010));
    assert_eq!(fe.is_master, Some(true));
    assert_eq!(fe.role.as_deref(), Some("FOLLOWER"));
    assert!(fe.is_leader());
    assert_eq!(fe.version.as_deref(), Some("2.0.1"));

    let follower = json!([{ "Role": "FOLLOWER", "IsMaster": "false" }]);
    assert!(!one(frontends(&body(follower)).expect("body")).is_leader());
}

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

#[test]
fn wrong_shapes_are_format_errors() {
    for (text, expected) in [
        (
            &b"{\"status\":\"FAILED\"}"[..],
            "expected a JSON array of rows, got an object",
        ),
        (b"\"hello\"", "expected a JSON array of rows, got a string"),
        (b"[1]", "row 1 is a number, not an object or an array"),
        (
            b"[[], \"x\"]",
            "row 2 is a string, not an object or an array",
        ),
    ] {
        let err = rows(text, &[]).expect_err("wrong shape");
        assert_eq!(err.message, expected);
        assert_eq!(err.excerpt.as_bytes(), text);
    }
    for text in [
        &b""[..],
        b"Failed to forward stmt: connection refused",
        b"<html>this is 404 page.</html>",
        b"[{\"a\":",
        b"\xff\xfe[]",
    ] {
        let err = backends(text).expect_err("not JSON");
        assert!(err.message.starts_with("not JSON"), "{}", err.message);
    }
}

#[test]
fn a_byte_order_mark_is_tolerated() {
    assert_eq!(backends(b"\xEF\xBB\xBF[]"), Ok(vec![]));
}

#[test]
fn the_excerpt_stops_at_200_chars_on_a_char_boundary() {
    let text = "é".repeat(500);
    let err = backends(text.as_bytes()).expect_err("not JSON");
    assert_eq!(err.excerpt, "é".repeat(200));
    // Invalid UTF-8 is replaced, not a panic.
    let err = backends(&[0xC3; 10]).expect_err("not JSON");
    assert!(err.excerpt.contains('\u{FFFD}'));
    assert!(err.to_string().contains("not JSON"));
}

#[test]
fn runtime_info_reads_gson_strings_and_numbers() {
    let info = runtime_info(
        br#"{"free_mem":"123456","total_mem":"2147483648","thread_cnt":"87","max_mem":8589934592}"#,
    )
    .expect("body");
    assert_eq!(
        info,
        RuntimeInfo {
            free_mem: Some(123_456),
            total_mem: Some(2_147_483_648),
            max_mem: Some(8_589_934_592),
            thread_cnt: Some(87),
        }
    );
    assert_eq!(runtime_info(b"{}"), Ok(RuntimeInfo::default()));
    assert!(runtime_info(b"[]").is_err());
}

#[test]
fn fe_health_in_any_key_order() {
    let a = fe_health(br#"{"online_backend_num":3,"total_backend_num":4,"status":"OK"}"#);
    let b = fe_health(br#"{"status":"OK","total_backend_num":"4","online_backend_num":"3"}"#);
    assert_eq!(a, b);
    let health = a.expect("body");
    assert_eq!(health.online_backend_num, Some(3));
    assert_eq!(health.total_backend_num, Some(4));
    assert!(health.is_ok());
    assert!(fe_health(b"this is 404 page.").is_err());
}

#[test]
fn bootstrap_tells_a_starting_fe_from_a_ready_one() {
    let ready = bootstrap(
        br#"{"replayedJournalId":0,"queryPort":0,"rpcPort":0,"feStartTime":0,"status":"OK","code":"0","msg":"Success","message":"OK"}"#,
    )
    .expect("body");
    assert!(ready.is_ready());
    assert_eq!(ready.fe_version, None);
    assert_eq!(ready.query_port, Some(0));

    let with_token = bootstrap(
        br#"{"replayedJournalId":812,"queryPort":9030,"rpcPort":9020,"feStartTime":1700000000000,"feVersion":"3.3.10-227b0b3","status":"OK","code":"0","msg":"Success","message":"OK"}"#,
    )
    .expect("body");
    assert_eq!(with_token.fe_version.as_deref(), Some("3.3.10-227b0b3"));
    assert_eq!(with_token.replayed_journal_id, Some(812));
    assert_eq!(with_token.fe_start_time, Some(1_700_000_000_000));

    let starting =
        bootstrap(br#"{"status":"FAILED","code":"1","msg":"not ready","message":"not ready"}"#)
            .expect("body");
    assert!(!starting.is_ready());

    let refused =
        bootstrap(br#"{"status":"FAILED","code":"1","msg":"invalid token"}"#).expect("body");
    assert!(refused.is_ready());
}

#[test]
fn typed_rows_survive_a_serde_round_trip() {
    let list = backends(sample_line("[{").as_bytes()).expect("3.1 body");
    let text = serde_json::to_string(&list).expect("serialise");
    let back: Vec<Backend> = serde_json::from_str(&text).expect("deserialise");
    assert_eq!(back, list);
}

// --- property tests --------------------------------------------------------------------

fn every_parser(bytes: &[u8]) {
    let _ = rows(bytes, BACKENDS_COLUMNS_V30);
    let _ = backends(bytes);
    let _ = compute_nodes(bytes);
    let _ = frontends(bytes);
    let _ = dbs(bytes);
    let _ = statistic(bytes);
    let _ = jobs(bytes);
    let _ = current_queries(bytes);
    let _ = runtime_info(bytes);
    let _ = fe_health(bytes);
    let _ = bootstrap(bytes);
}

fn json_scalar() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        any::<String>().prop_map(serde_json::Value::from),
        "[0-9. ]{0,12}(B|KB|GB|TB|PB|%| %|rows| s|ms)?".prop_map(serde_json::Value::from),
        "(true|false|NULL|N/A|Total|LEADER|)".prop_map(serde_json::Value::from),
    ]
}

proptest! {
    #[test]
    fn no_parser_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        every_parser(&bytes);
    }

    #[test]
    fn no_parser_panics_on_any_array_rows(
        rows in prop::collection::vec(prop::collection::vec(json_scalar(), 0..40), 0..4)
    ) {
        every_parser(&body(json!(rows)));
    }

    #[test]
    fn no_parser_panics_on_any_object_rows(
        rows in prop::collection::vec(
            prop::collection::btree_map(
                prop::sample::select(
                    BACKENDS_COLUMNS_V30.iter()
                        .chain(FRONTENDS_COLUMNS_V2)
                        .chain(CURRENT_QUERIES_COLUMNS_V30)
                        .chain(&["Location", "StarletPort", "WorkerId", "MemLimit", "ScanRows",
                                 "CPUTime", "MemoryUsage", "StartTime", "status", "msg",
                                 "free_mem", "online_backend_num"])
                        .map(|c| (*c).to_owned())
                        .collect::<Vec<_>>(),
                ),
                json_scalar(),
                0..20,
            ),
            0..4,
        )
    ) {
        every_parser(&body(json!(rows)));
        if let Some(first) = rows.first() {
            every_parser(&body(json!(first)));
        }
    }
}
