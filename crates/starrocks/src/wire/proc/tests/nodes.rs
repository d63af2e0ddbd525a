use super::{at, body, one};
use crate::wire::proc::{backends, compute_nodes, frontends, Backend, BACKENDS_COLUMNS_V30};
use serde_json::json;

const PR_24334: &str =
    include_str!("../../../../fixtures/api_show_proc_backends_json_before_after_pr24334.txt");

/// The JSON line of the PR #24334 sample that starts with `prefix`.
fn sample_line(prefix: &str) -> &'static str {
    PR_24334
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix} in the sample"))
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

// --- generated edge cases ------------------------------------------------------------

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
fn typed_rows_survive_a_serde_round_trip() {
    let list = backends(sample_line("[{").as_bytes()).expect("3.1 body");
    let text = serde_json::to_string(&list).expect("serialise");
    let back: Vec<Backend> = serde_json::from_str(&text).expect("deserialise");
    assert_eq!(back, list);
}
