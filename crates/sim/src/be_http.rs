//! One backend's HTTP port: /metrics (BE style) and /api/health.

use super::format::series;
use super::state::Model;
use super::Shared;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

#[derive(Clone)]
struct Be {
    sh: Arc<Shared>,
    be: usize,
}

pub(crate) fn router(sh: Arc<Shared>, be: usize) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/api/health", get(health))
        .with_state(Be { sh, be })
}

async fn health() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        "{\"status\": \"OK\",\"msg\": \"To Be Added\"}",
    )
        .into_response()
}

async fn metrics(State(b): State<Be>) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        be_metrics(&b.sh.model, b.be, crate::now_ms()),
    )
        .into_response()
}

struct Fam {
    name: String,
    counter: bool,
    rows: Vec<(Vec<(&'static str, String)>, i64)>,
}

/// The BE's Prometheus text at `t`: families sorted by name, only `# TYPE` lines,
/// labels sorted by name and joined with `,`.
pub fn be_metrics(m: &Model, be: usize, t: i64) -> String {
    let mut fams: Vec<Fam> = Vec::new();
    let mut add = |name: &str, counter: bool, rows: Vec<(Vec<(&'static str, String)>, i64)>| {
        fams.push(Fam {
            name: format!("starrocks_be_{name}"),
            counter,
            rows,
        });
    };
    let one = |v: f64| vec![(vec![], v as i64)];
    let load = m.load(t);
    let up_s = ((t - m.be_start(be, t)).max(0) / 1000) as f64;
    let work = m.queries_between(m.be_start(be, t), t) / m.spec.backends as f64;

    add(
        "cpu",
        true,
        m.cpu_jiffies(be, t)
            .into_iter()
            .map(|(mode, v)| {
                (
                    vec![("mode", mode.to_string())],
                    i64::try_from(v).unwrap_or(i64::MAX),
                )
            })
            .collect(),
    );
    let mem = m.mem_used(be, t);
    add("process_mem_bytes", false, one(mem));
    add("query_mem_bytes", false, one(m.query_mem(be, t)));
    add("load_mem_bytes", false, one(mem * 0.04 * load));
    add("metadata_mem_bytes", false, one(mem * 0.06));
    add("tablet_metadata_mem_bytes", false, one(mem * 0.02));
    add("rowset_metadata_mem_bytes", false, one(mem * 0.015));
    add("segment_metadata_mem_bytes", false, one(mem * 0.01));
    add("column_metadata_mem_bytes", false, one(mem * 0.008));
    add("tablet_schema_mem_bytes", false, one(mem * 0.001));
    add(
        "compaction_mem_bytes",
        false,
        one(mem * 0.03 * m.compaction_score(be, t) / 41.0),
    );
    add("schema_change_mem_bytes", false, one(0.0));
    add("storage_page_cache_mem_bytes", false, one(mem * 0.2));
    add("update_mem_bytes", false, one(mem * 0.01));
    add("column_pool_mem_bytes", false, one(mem * 0.005));
    add("jemalloc_allocated_bytes", false, one(mem * 0.97));
    add("jemalloc_active_bytes", false, one(mem * 0.98));
    add("jemalloc_resident_bytes", false, one(mem * 1.01));
    add("jemalloc_mapped_bytes", false, one(mem * 1.05));
    add("jemalloc_metadata_bytes", false, one(mem * 0.01));
    add("jemalloc_retained_bytes", false, one(mem * 0.3));

    let d = m.disk(be, t);
    let path = || vec![("path", m.storage_path().to_string())];
    add(
        "disks_total_capacity",
        false,
        vec![(path(), d.total as i64)],
    );
    add(
        "disks_avail_capacity",
        false,
        vec![(path(), d.avail as i64)],
    );
    add(
        "disks_data_used_capacity",
        false,
        vec![(path(), d.data_used as i64)],
    );
    add("disks_state", false, vec![(path(), 1)]);

    let dev = || vec![("device", "nvme0n1".to_string())];
    add(
        "disk_reads_completed",
        true,
        vec![(dev(), (work * 12.0) as i64)],
    );
    add(
        "disk_bytes_read",
        true,
        vec![(dev(), (work * 4.1e6) as i64)],
    );
    add(
        "disk_read_time_ms",
        true,
        vec![(dev(), (work * 3.0) as i64)],
    );
    add(
        "disk_writes_completed",
        true,
        vec![(dev(), (work * 4.0) as i64)],
    );
    add(
        "disk_bytes_written",
        true,
        vec![(dev(), (work * 9.0e5) as i64)],
    );
    add(
        "disk_write_time_ms",
        true,
        vec![(dev(), (work * 2.0) as i64)],
    );
    add("disk_io_time_ms", true, vec![(dev(), (work * 4.0) as i64)]);
    add(
        "disk_io_time_weigthed",
        true,
        vec![(dev(), (work * 6.0) as i64)],
    );
    let eth = || vec![("device", "eth0".to_string())];
    add(
        "network_receive_bytes",
        true,
        vec![(eth(), (work * 2.2e5) as i64)],
    );
    add(
        "network_receive_packets",
        true,
        vec![(eth(), (work * 160.0) as i64)],
    );
    add(
        "network_send_bytes",
        true,
        vec![(eth(), (work * 2.9e5) as i64)],
    );
    add(
        "network_send_packets",
        true,
        vec![(eth(), (work * 190.0) as i64)],
    );

    add("fd_num_limit", false, one(6_553_600.0));
    add("fd_num_used", false, one(9_000.0 + 2_000.0 * load));
    add("process_fd_num_used", false, one(7_500.0 + 1_800.0 * load));
    add("process_fd_num_limit_soft", false, one(655_350.0));
    add("process_fd_num_limit_hard", false, one(655_350.0));
    add("process_thread_num", false, one(1_400.0 + 200.0 * load));

    add("fragment_requests_total", true, one(work * 3.0));
    add(
        "fragment_request_duration_us",
        true,
        one(work * 3.0 * 42_000.0),
    );
    add("http_requests_total", true, one(up_s / 15.0));
    add("http_request_send_bytes", true, one(up_s / 15.0 * 52_000.0));
    add("query_scan_bytes", true, one(work * 2.3e7));
    add("query_scan_rows", true, one(work * 1.1e6));
    add("memtable_flush_total", true, one(work * 0.02));
    add(
        "memtable_flush_duration_us",
        true,
        one(work * 0.02 * 95_000.0),
    );
    add(
        "push_requests_total",
        true,
        vec![
            (vec![("status", "SUCCESS".into())], (work * 0.01) as i64),
            (vec![("status", "FAIL".into())], (work * 0.0001) as i64),
        ],
    );
    let mut engine = Vec::new();
    for (ty, f) in [
        ("base_compaction", 0.0004),
        ("cumulative_compaction", 0.004),
        ("publish", 0.03),
        ("report_tablet", 0.00001),
        ("clone", 0.0),
    ] {
        engine.push((
            vec![("status", "total".into()), ("type", ty.to_string())],
            (work * f) as i64,
        ));
        engine.push((
            vec![("status", "failed".into()), ("type", ty.to_string())],
            (work * f * 0.002) as i64,
        ));
    }
    add("engine_requests_total", true, engine);
    add(
        "compaction_deltas_total",
        true,
        vec![
            (vec![("type", "base".into())], (work * 0.002) as i64),
            (vec![("type", "cumulative".into())], (work * 0.04) as i64),
        ],
    );
    add(
        "compaction_bytes_total",
        true,
        vec![
            (vec![("type", "base".into())], (work * 9.0e4) as i64),
            (vec![("type", "cumulative".into())], (work * 3.0e5) as i64),
        ],
    );
    add(
        "txn_request",
        true,
        ["begin", "commit", "rollback", "exec"]
            .iter()
            .zip([0.03, 0.0295, 0.0004, 0.03])
            .map(|(ty, f)| (vec![("type", ty.to_string())], (work * f) as i64))
            .collect(),
    );
    add("load_rows", true, one(work * 400.0));
    add("load_bytes", true, one(work * 90_000.0));

    add(
        "tablet_cumulative_max_compaction_score",
        false,
        one(m.compaction_score(be, t)),
    );
    add(
        "tablet_base_max_compaction_score",
        false,
        one(m.base_compaction_score(be, t)),
    );
    add("tablet_update_max_compaction_score", false, one(0.0));
    add(
        "max_tablet_rowset_num",
        false,
        one(m.compaction_score(be, t) * 2.0 + 3.0),
    );
    add(
        "wait_cumulative_compaction_task_num",
        false,
        one((m.compaction_score(be, t) / 10.0).floor()),
    );
    add(
        "running_cumulative_compaction_task_num",
        false,
        one(if m.compaction_score(be, t) > 20.0 {
            2.0
        } else {
            0.0
        }),
    );
    add("wait_base_compaction_task_num", false, one(0.0));
    add("running_base_compaction_task_num", false, one(0.0));
    add(
        "query_scan_bytes_per_second",
        false,
        one(m.qps(t) / m.spec.backends as f64 * 2.3e7),
    );
    add("max_disk_io_util_percent", false, one(8.0 + 30.0 * load));
    add(
        "max_network_send_bytes_rate",
        false,
        one(m.qps(t) * 2.9e5 / m.spec.backends as f64),
    );
    add(
        "max_network_receive_bytes_rate",
        false,
        one(m.qps(t) * 2.2e5 / m.spec.backends as f64),
    );
    add("plan_fragment_count", false, one(load * 12.0));
    add("load_channel_count", false, one(load * 2.0));
    add("tablet_writer_count", false, one(load * 8.0));
    add("data_stream_receiver_count", false, one(load * 10.0));
    add("fragment_endpoint_count", false, one(load * 10.0));
    add("active_scan_context_count", false, one(0.0));
    add("result_buffer_block_count", false, one(load * 3.0));
    add("routine_load_task_count", false, one(2.0));
    add("unused_rowsets_count", false, one(0.0));
    for pool in [
        "async_delta_writer",
        "memtable_flush",
        "publish_version",
        "segment_flush",
    ] {
        add(&format!("{pool}_threadpool_size"), false, one(16.0));
        add(&format!("{pool}_queue_count"), false, one(0.0));
        add(&format!("{pool}_running_threads"), false, one(load * 2.0));
        add(&format!("{pool}_active_threads"), false, one(load * 2.0));
        add(
            &format!("{pool}_executed_tasks_total"),
            true,
            one(work * 0.05),
        );
    }
    add(
        "resource_group_running_queries",
        false,
        vec![
            (vec![("name", "default_wg".into())], (load * 3.0) as i64),
            (vec![("name", "rg_etl".into())], (load * 1.0) as i64),
        ],
    );

    fams.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = String::with_capacity(16 * 1024);
    for f in &mut fams {
        out.push_str("# TYPE ");
        out.push_str(&f.name);
        out.push_str(if f.counter { " counter\n" } else { " gauge\n" });
        for (labels, v) in &mut f.rows {
            labels.sort_by(|a, b| a.0.cmp(b.0));
            series(&mut out, &f.name, labels, ",", &v.to_string());
        }
    }
    out
}
