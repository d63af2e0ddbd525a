//! The FE HTTP port (show_proc, health, runtime info, bootstrap, /metrics) and the
//! BE /metrics, in the shapes INTERFACES.md gives.

use super::{all_strings, client, get, objects, proc, start, JsonBody};
use serde_json::Value;

#[tokio::test]
async fn show_proc_3_3_objects_with_string_values() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    let bes = objects(&proc(c, "/backends").await);
    assert_eq!(bes.len(), 3);
    all_strings(&bes);
    assert_eq!(bes[0].len(), 29);
    // Key order is the FE's column order (serde_json's Map sorts, so read the raw text).
    let raw = client()
        .get(format!(
            "http://{}/api/show_proc?path=/backends",
            c.http_addr
        ))
        .basic_auth("root", Some(""))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("body");
    assert!(
        raw.starts_with(r#"[{"BackendId":"10001","IP":"127.0.0.1","HeartbeatPort":"9050","#),
        "{raw}"
    );
    let at = |k: &str| raw.find(&format!("\"{k}\":")).unwrap_or(usize::MAX);
    assert!(at("CpuCores") < at("MemLimit") && at("MemLimit") < at("NumRunningQueries"));
    assert!(at("DataCacheMetrics") < at("Location") && at("Location") < at("BackendId\":\"10002"));
    for (i, b) in bes.iter().enumerate() {
        assert_eq!(b["IP"], "127.0.0.1");
        assert_eq!(b["HttpPort"], c.be_http_addrs[i].port().to_string());
        assert_eq!(b["Alive"], "true");
        assert_eq!(b["Version"], "3.3.10-227b0b3");
        let mem = b["MemLimit"].as_str().unwrap_or_default();
        assert!(mem.ends_with("GB") && !mem.contains(' '), "{mem}");
        let cap = b["TotalCapacity"].as_str().unwrap_or_default();
        assert!(cap.ends_with(" TB") || cap.ends_with(" GB"), "{cap}");
        assert!(b["UsedPct"].as_str().unwrap_or_default().ends_with(" %"));
        let cpu = b["CpuUsedPct"].as_str().unwrap_or_default();
        assert_eq!(cpu.split_once('.').map(|(_, d)| d.len()), Some(3), "{cpu}");
        assert_eq!(b["LastHeartbeat"].as_str().map(str::len), Some(19));
    }
    let fes = objects(&proc(c, "/frontends").await);
    all_strings(&fes);
    assert_eq!(fes.len(), 3);
    assert_eq!(fes[0]["Role"], "LEADER");
    assert_eq!(fes[0]["HttpPort"], c.http_addr.port().to_string());
    assert_eq!(fes[0]["QueryPort"], c.mysql_addr.port().to_string());
    assert_eq!(fes[0].len(), 16);
    assert_eq!(proc(c, "/compute_nodes").await, Value::Array(vec![]));
    let dbs = objects(&proc(c, "/dbs").await);
    assert_eq!(dbs[0]["DbName"], "information_schema");
    assert_eq!(dbs[0]["Quota"], "8388608.000 TB");
    let stat = objects(&proc(c, "/statistic").await);
    let total = stat.last().expect("total row");
    assert_eq!(total["DbId"], "Total");
    assert_eq!(total["DbName"], (stat.len() - 1).to_string());
    let jobs = objects(&proc(c, "/jobs").await);
    let db = jobs.iter().find(|j| j["DbName"] == "sales").expect("sales");
    let per = objects(
        &proc(
            c,
            &format!("/jobs/{}", db["DbId"].as_str().unwrap_or_default()),
        )
        .await,
    );
    let types: Vec<&str> = per.iter().filter_map(|r| r["JobType"].as_str()).collect();
    assert_eq!(types, ["load", "rollup", "schema_change", "export"]);
    let q = objects(&proc(c, "/current_queries").await);
    assert!(!q.is_empty());
    assert_eq!(q[0].len(), 16);
    assert!(q[0]["ScanRows"]
        .as_str()
        .unwrap_or_default()
        .ends_with(" rows"));
    assert_eq!(proc(c, "/tables").await, Value::Array(vec![]));
    assert_eq!(proc(c, "/jobs/999999").await, Value::Array(vec![]));
    sim.shutdown().await;
}

#[tokio::test]
async fn show_proc_3_0_arrays_in_column_order() {
    let sim = start("3.0-shared-nothing").await;
    let c = &sim.clusters()[0];
    let bes = proc(c, "/backends").await;
    let rows = bes.as_array().expect("array");
    assert_eq!(rows.len(), 3);
    for (i, r) in rows.iter().enumerate() {
        let r = r.as_array().expect("row array");
        assert_eq!(r.len(), 26);
        assert!(r.iter().all(Value::is_string));
        assert_eq!(r[1], "127.0.0.1");
        assert_eq!(r[4], c.be_http_addrs[i].port().to_string());
        assert_eq!(r[18], "3.0.9-f2cbbb8");
    }
    let q = proc(c, "/current_queries").await;
    let first = q
        .as_array()
        .and_then(|a| a.first())
        .and_then(Value::as_array)
        .expect("query row");
    assert_eq!(first.len(), 9);
    assert!(first[5].as_str().unwrap_or_default().ends_with(" Rows"));
    let fes = proc(c, "/frontends").await;
    assert_eq!(fes[0].as_array().map(Vec::len), Some(16));
    sim.shutdown().await;
}

#[tokio::test]
async fn shared_data_lists_compute_nodes() {
    let sim = start("3.3-shared-data").await;
    let c = &sim.clusters()[0];
    assert_eq!(proc(c, "/backends").await, Value::Array(vec![]));
    let cns = objects(&proc(c, "/compute_nodes").await);
    assert_eq!(cns.len(), 2);
    all_strings(&cns);
    assert!(cns[0].contains_key("StarletPort") && cns[0].contains_key("WorkerId"));
    assert_eq!(cns[1]["HttpPort"], c.be_http_addrs[1].port().to_string());
    let m = get(format!("http://{}/metrics", c.http_addr))
        .await
        .text()
        .await
        .expect("body");
    assert!(m.contains("node_info{type=\"cn_node_num\", state=\"total\"} 2\n"));
    sim.shutdown().await;
}

#[tokio::test]
async fn show_proc_needs_basic_auth() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    let r = get(format!(
        "http://{}/api/show_proc?path=/backends",
        c.http_addr
    ))
    .await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Basic realm=\"\"");
    assert_eq!(
        r.text().await.expect("body"),
        r#"{"status":"FAILED","code":"1","msg":"Need auth information.","message":"Need auth information."}"#
    );
    let r = client()
        .get(format!(
            "http://{}/api/show_proc?path=/backends",
            c.http_addr
        ))
        .basic_auth("root", Some("nope"))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 401);
    assert!(r
        .text()
        .await
        .expect("body")
        .contains("Access denied for root@127.0.0.1"));
    sim.shutdown().await;
}

#[tokio::test]
async fn health_runtime_and_bootstrap() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    let h = get(format!("http://{}/api/health", c.http_addr))
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(
        h,
        r#"{"online_backend_num":3,"total_backend_num":3,"status":"OK"}"#
    );
    let info: Value = get(format!("http://{}/api/show_runtime_info", c.http_addr))
        .await
        .json_value()
        .await;
    for k in ["free_mem", "total_mem", "thread_cnt", "max_mem"] {
        assert!(info[k].is_string(), "{k}");
    }
    let b = get(format!("http://{}/api/bootstrap", c.http_addr))
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(
        b,
        r#"{"replayedJournalId":0,"queryPort":0,"rpcPort":0,"feStartTime":0,"status":"OK","code":"0","msg":"Success","message":"OK"}"#
    );
    let be = get(format!("http://{}/api/health", c.be_http_addrs[0]))
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(be, r#"{"status": "OK","msg": "To Be Added"}"#);
    let nf = get(format!("http://{}/api/v1/databases", c.http_addr)).await;
    assert_eq!(nf.status(), 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn fe_metrics_follow_the_fe_format() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    let r = get(format!("http://{}/metrics", c.http_addr)).await;
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/plain"));
    let m = r.text().await.expect("body");
    assert!(m.len() > 15_000, "body is {} bytes", m.len());
    assert!(m.contains(
        "# HELP  jvm_heap_size_bytes jvm heap stat\n# TYPE  jvm_heap_size_bytes gauge\n"
    ));
    assert!(m.contains("jvm_heap_size_bytes{type=\"max\"} 8589934592\n"));
    assert!(m.contains("# TYPE  node_info gauge\n"));
    assert!(!m.contains("# HELP  node_info"));
    assert!(m.contains("node_info{type=\"is_master\"} 1\n"));
    assert!(m.contains("node_info{type=\"be_node_num\", state=\"alive\"} 3\n"));
    assert!(m.contains(
        "# HELP starrocks_fe_query_latency_ms \n# TYPE starrocks_fe_query_latency_ms summary\n"
    ));
    for q in ["0.75", "0.95", "0.98", "0.99", "0.999"] {
        assert!(
            m.contains(&format!(
                "starrocks_fe_query_latency_ms{{quantile=\"{q}\"}} "
            )),
            "{q}"
        );
    }
    assert!(!m.contains("quantile=\"0.5\""));
    assert!(m.contains("\nstarrocks_fe_query_latency_ms_sum "));
    assert!(m.contains("\nstarrocks_fe_query_latency_ms_count "));
    for name in [
        "request_total",
        "query_total",
        "query_err",
        "query_success",
        "query_timeout",
        "slow_query",
        "txn_begin",
        "txn_success",
        "txn_failed",
        "load_add",
        "load_finished",
    ] {
        assert!(
            m.contains(&format!("# TYPE starrocks_fe_{name} counter\n")),
            "{name}"
        );
    }
    for name in [
        "qps",
        "rps",
        "query_err_rate",
        "max_tablet_compaction_score",
        "connection_total",
    ] {
        assert!(
            m.contains(&format!("# TYPE starrocks_fe_{name} gauge\n")),
            "{name}"
        );
    }
    assert!(m.contains("starrocks_fe_job{job=\"load\", type=\"BROKER\", state=\"LOADING\"} 1\n"));
    assert!(
        m.contains("starrocks_fe_job{job=\"alter\", type=\"SCHEMA_CHANGE\", state=\"running\"} ")
    );
    assert!(m.contains("starrocks_fe_tablet_num{backend=\"127.0.0.1:9050\"} "));
    assert!(m.contains("starrocks_fe_query_latency{type=\"99_quantile\"} "));
    assert!(m.contains("starrocks_fe_connection_total{user=\"root\"} "));
    // A double of 1e7 and more prints in Java's scientific form.
    let sum = m
        .lines()
        .find(|l| l.starts_with("starrocks_fe_journal_write_bytes_sum "))
        .expect("sum");
    assert!(sum.contains('E'), "{sum}");
    // Every family is declared once.
    let types: Vec<&str> = m.lines().filter(|l| l.starts_with("# TYPE")).collect();
    let mut uniq = types.clone();
    uniq.sort_unstable();
    uniq.dedup();
    assert_eq!(types.len(), uniq.len());
    let follower = get(format!("http://{}/metrics", c.fe_http_addrs[1]))
        .await
        .text()
        .await
        .expect("body");
    assert!(!follower.contains("is_master"));
    sim.shutdown().await;
}

#[tokio::test]
async fn be_metrics_follow_the_be_format() {
    let sim = start("3.3-shared-nothing").await;
    let c = &sim.clusters()[0];
    let r = get(format!("http://{}/metrics", c.be_http_addrs[0])).await;
    assert_eq!(r.headers()["content-type"], "text/plain; version=0.0.4");
    let m = r.text().await.expect("body");
    assert!(!m.contains("# HELP"));
    assert!(m.contains("# TYPE starrocks_be_cpu counter\nstarrocks_be_cpu{mode=\"user\"} "));
    assert!(m.contains("starrocks_be_disks_total_capacity{path=\"/data/starrocks/storage\"} "));
    assert!(m.contains("starrocks_be_engine_requests_total{status=\"total\",type=\"publish\"} "));
    for name in [
        "process_mem_bytes",
        "query_mem_bytes",
        "disks_avail_capacity",
        "disks_data_used_capacity",
        "disks_state",
        "tablet_cumulative_max_compaction_score",
        "tablet_base_max_compaction_score",
        "fd_num_used",
    ] {
        assert!(
            m.contains(&format!("# TYPE starrocks_be_{name} gauge\n")),
            "{name}"
        );
    }
    let names: Vec<&str> = m
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split(' ').next())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    for l in m.lines().filter(|l| l.contains('{')) {
        assert!(!l.contains(", "), "{l}");
        let inner = &l[l.find('{').unwrap_or(0) + 1..l.find('}').unwrap_or(0)];
        let keys: Vec<&str> = inner
            .split(',')
            .filter_map(|kv| kv.split('=').next())
            .collect();
        let mut sk = keys.clone();
        sk.sort_unstable();
        assert_eq!(keys, sk, "{l}");
    }
    sim.shutdown().await;
}
