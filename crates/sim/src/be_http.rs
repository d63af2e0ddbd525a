//! One backend's HTTP port: /metrics (BE style) and /api/health.
//!
//! The `/metrics` body is written from a table of families. It follows the BE's
//! Prometheus writer, which clients parse as is: families sorted by name, only
//! `# TYPE` lines, labels sorted by name and joined with `,`, integer values.

use super::faults::View;
use super::format::series;
use super::hostile;
use super::ops;
use super::state::{Disk, Model};
use super::Shared;
use axum::body::Body;
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

/// The BE's `/metrics`, or what the Redirect, MetricsBomb and Drip faults make of it.
async fn metrics(State(b): State<Be>) -> Response {
    let faults = &b.sh.faults;
    if let Some(to) = faults.redirect() {
        return hostile::redirect(&to);
    }
    let body = match faults.metrics_bomb() {
        Some(bytes) => Body::from(hostile::metrics_bomb(bytes)),
        None => Body::from(be_metrics(
            &b.sh.model,
            b.be,
            crate::now_ms(),
            &faults.view(),
        )),
    };
    let resp = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        body,
    )
        .into_response();
    match faults.drip() {
        Some(every) => hostile::drip(resp, every).await,
        None => resp,
    }
}

type Sample = (Vec<(&'static str, String)>, i64);

/// One scrape of one backend: what the families read.
struct Scrape<'a> {
    m: &'a Model,
    be: usize,
    t: i64,
    /// The faults' history (`rowset_explosion`).
    view: &'a View,
    load: f64,
    /// Seconds since this backend started.
    up_s: f64,
    /// This backend's share of the queries since it started: the I/O counters
    /// are multiples of it.
    work: f64,
    mem: f64,
    disk: Disk,
}

impl<'a> Scrape<'a> {
    fn new(m: &'a Model, be: usize, t: i64, view: &'a View) -> Scrape<'a> {
        let start = m.be_start(be, t);
        Scrape {
            m,
            be,
            t,
            view,
            load: m.load(t),
            up_s: ((t - start).max(0) / 1000) as f64,
            work: m.queries_between(start, t) / m.spec.backends as f64,
            mem: m.mem_used(be, t),
            disk: m.disk(be, t),
        }
    }

    fn score(&self) -> f64 {
        self.m.compaction_score(self.be, self.t)
    }
}

/// How a family's samples are computed; values are truncated to integers.
enum Samples {
    /// One unlabelled value.
    One(fn(&Scrape) -> f64),
    /// One value on the storage path.
    Path(fn(&Scrape) -> f64),
    /// `work × factor` on one device.
    Device(&'static str, f64),
    /// `work × factor` for each value of one label.
    Split(&'static str, &'static [(&'static str, f64)]),
    /// Anything else.
    Rows(fn(&Scrape) -> Vec<Sample>),
}
use Samples::{Device, One, Path, Rows, Split};

impl Samples {
    fn of(&self, s: &Scrape) -> Vec<Sample> {
        match self {
            One(v) => vec![(vec![], v(s) as i64)],
            Path(v) => vec![(vec![("path", s.m.storage_path().to_string())], v(s) as i64)],
            Device(dev, f) => vec![(vec![("device", dev.to_string())], (s.work * f) as i64)],
            Split(label, parts) => parts
                .iter()
                .map(|(value, f)| (vec![(*label, value.to_string())], (s.work * f) as i64))
                .collect(),
            Rows(rows) => rows(s),
        }
    }
}

/// A `starrocks_be_` family.
struct Family {
    name: &'static str,
    counter: bool,
    samples: Samples,
}

const fn counter(name: &'static str, samples: Samples) -> Family {
    Family {
        name,
        counter: true,
        samples,
    }
}

const fn gauge(name: &'static str, samples: Samples) -> Family {
    Family {
        name,
        counter: false,
        samples,
    }
}

const NVME: &str = "nvme0n1";
const ETH: &str = "eth0";

// One family a line (the output is sorted, so the order here is by topic):
// memory as shares of the process, I/O as multiples of `work`, gauges that
// follow the load or the compaction score.
#[rustfmt::skip]
static FAMILIES: &[Family] = &[
    counter("cpu", Rows(cpu)),
    gauge("process_mem_bytes", One(|s| s.mem)),
    gauge("query_mem_bytes", One(|s| s.m.query_mem(s.be, s.t))),
    gauge("load_mem_bytes", One(|s| s.mem * 0.04 * s.load)),
    gauge("metadata_mem_bytes", One(|s| s.mem * 0.06)),
    gauge("tablet_metadata_mem_bytes", One(|s| s.mem * 0.02)),
    gauge("rowset_metadata_mem_bytes", One(|s| s.mem * 0.015)),
    gauge("segment_metadata_mem_bytes", One(|s| s.mem * 0.01)),
    gauge("column_metadata_mem_bytes", One(|s| s.mem * 0.008)),
    gauge("tablet_schema_mem_bytes", One(|s| s.mem * 0.001)),
    gauge("compaction_mem_bytes", One(|s| s.mem * 0.03 * s.score() / 41.0)),
    gauge("schema_change_mem_bytes", One(|_| 0.0)),
    gauge("storage_page_cache_mem_bytes", One(|s| s.mem * 0.2)),
    gauge("update_mem_bytes", One(|s| s.mem * 0.01)),
    gauge("column_pool_mem_bytes", One(|s| s.mem * 0.005)),
    gauge("jemalloc_allocated_bytes", One(|s| s.mem * 0.97)),
    gauge("jemalloc_active_bytes", One(|s| s.mem * 0.98)),
    gauge("jemalloc_resident_bytes", One(|s| s.mem * 1.01)),
    gauge("jemalloc_mapped_bytes", One(|s| s.mem * 1.05)),
    gauge("jemalloc_metadata_bytes", One(|s| s.mem * 0.01)),
    gauge("jemalloc_retained_bytes", One(|s| s.mem * 0.3)),
    gauge("disks_total_capacity", Path(|s| s.disk.total)),
    gauge("disks_avail_capacity", Path(|s| s.disk.avail)),
    gauge("disks_data_used_capacity", Path(|s| s.disk.data_used)),
    gauge("disks_state", Path(|_| 1.0)),
    counter("disk_reads_completed", Device(NVME, 12.0)),
    counter("disk_bytes_read", Device(NVME, 4.1e6)),
    counter("disk_read_time_ms", Device(NVME, 3.0)),
    counter("disk_writes_completed", Device(NVME, 4.0)),
    counter("disk_bytes_written", Device(NVME, 9.0e5)),
    counter("disk_write_time_ms", Device(NVME, 2.0)),
    counter("disk_io_time_ms", Device(NVME, 4.0)),
    counter("disk_io_time_weigthed", Device(NVME, 6.0)),
    counter("network_receive_bytes", Device(ETH, 2.2e5)),
    counter("network_receive_packets", Device(ETH, 160.0)),
    counter("network_send_bytes", Device(ETH, 2.9e5)),
    counter("network_send_packets", Device(ETH, 190.0)),
    gauge("fd_num_limit", One(|_| 6_553_600.0)),
    gauge("fd_num_used", One(|s| 9_000.0 + 2_000.0 * s.load)),
    gauge("process_fd_num_used", One(|s| 7_500.0 + 1_800.0 * s.load)),
    gauge("process_fd_num_limit_soft", One(|_| 655_350.0)),
    gauge("process_fd_num_limit_hard", One(|_| 655_350.0)),
    gauge("process_thread_num", One(|s| 1_400.0 + 200.0 * s.load)),
    counter("fragment_requests_total", One(|s| s.work * 3.0)),
    counter("fragment_request_duration_us", One(|s| s.work * 3.0 * 42_000.0)),
    counter("http_requests_total", One(|s| s.up_s / 15.0)),
    counter("http_request_send_bytes", One(|s| s.up_s / 15.0 * 52_000.0)),
    counter("query_scan_bytes", One(|s| s.work * 2.3e7)),
    counter("query_scan_rows", One(|s| s.work * 1.1e6)),
    counter("memtable_flush_total", One(|s| s.work * 0.02)),
    counter("memtable_flush_duration_us", One(|s| s.work * 0.02 * 95_000.0)),
    counter("push_requests_total", Split("status", &[("SUCCESS", 0.01), ("FAIL", 0.0001)])),
    counter("engine_requests_total", Rows(engine_requests)),
    counter("compaction_deltas_total", Split("type", &[("base", 0.002), ("cumulative", 0.04), ("update", 0.004)])),
    counter("compaction_bytes_total", Split("type", &[("base", 9.0e4), ("cumulative", 3.0e5), ("update", 4.0e4)])),
    counter("txn_request", Split("type", &[("begin", 0.03), ("commit", 0.0295), ("rollback", 0.0004), ("exec", 0.03)])),
    counter("load_rows", One(|s| s.work * 400.0)),
    counter("load_bytes", One(|s| s.work * 90_000.0)),
    gauge("tablet_cumulative_max_compaction_score", One(|s| s.score())),
    gauge("tablet_base_max_compaction_score", One(|s| s.m.base_compaction_score(s.be, s.t))),
    gauge("tablet_update_max_compaction_score", One(|_| 0.0)),
    gauge("max_tablet_rowset_num", One(|s| ops::max_rowsets(s.be, s.t, s.view, s.score() * 2.0 + 3.0))),
    gauge("wait_cumulative_compaction_task_num", One(|s| (s.score() / 10.0).floor())),
    gauge("running_cumulative_compaction_task_num", One(|s| if s.score() > 20.0 { 2.0 } else { 0.0 })),
    gauge("wait_base_compaction_task_num", One(|_| 0.0)),
    gauge("running_base_compaction_task_num", One(|_| 0.0)),
    gauge("query_scan_bytes_per_second", One(|s| s.m.qps(s.t) / s.m.spec.backends as f64 * 2.3e7)),
    gauge("max_disk_io_util_percent", One(|s| 8.0 + 30.0 * s.load)),
    gauge("max_network_send_bytes_rate", One(|s| s.m.qps(s.t) * 2.9e5 / s.m.spec.backends as f64)),
    gauge("max_network_receive_bytes_rate", One(|s| s.m.qps(s.t) * 2.2e5 / s.m.spec.backends as f64)),
    gauge("plan_fragment_count", One(|s| s.load * 12.0)),
    gauge("load_channel_count", One(|s| s.load * 2.0)),
    gauge("tablet_writer_count", One(|s| s.load * 8.0)),
    gauge("data_stream_receiver_count", One(|s| s.load * 10.0)),
    gauge("fragment_endpoint_count", One(|s| s.load * 10.0)),
    gauge("active_scan_context_count", One(|_| 0.0)),
    gauge("result_buffer_block_count", One(|s| s.load * 3.0)),
    gauge("routine_load_task_count", One(|_| 2.0)),
    gauge("unused_rowsets_count", One(|_| 0.0)),
    gauge("resource_group_running_queries", Rows(resource_groups)),
];

const POOLS: [&str; 4] = [
    "async_delta_writer",
    "memtable_flush",
    "publish_version",
    "segment_flush",
];

/// What every pool in [`POOLS`] reports, as `<pool>_<name>`.
#[rustfmt::skip]
static POOL_FAMILIES: &[Family] = &[
    gauge("threadpool_size", One(|_| 16.0)),
    gauge("queue_count", One(|_| 0.0)),
    gauge("running_threads", One(|s| s.load * 2.0)),
    gauge("active_threads", One(|s| s.load * 2.0)),
    counter("executed_tasks_total", One(|s| s.work * 0.05)),
];

fn cpu(s: &Scrape) -> Vec<Sample> {
    s.m.cpu_jiffies(s.be, s.t)
        .into_iter()
        .map(|(mode, v)| {
            let v = i64::try_from(v).unwrap_or(i64::MAX);
            (vec![("mode", mode.to_string())], v)
        })
        .collect()
}

/// Total and failed (0.2 %) requests of each storage engine task type,
/// labels `status` and `type` (sorted, as the BE writes them).
fn engine_requests(s: &Scrape) -> Vec<Sample> {
    let mut out = Vec::new();
    for (ty, f) in [
        ("base_compaction", 0.0004),
        ("cumulative_compaction", 0.004),
        ("update_compaction", 0.0008),
        ("publish", 0.03),
        ("report_tablet", 0.00001),
        ("clone", 0.0),
    ] {
        for (status, share) in [("total", 1.0), ("failed", 0.002)] {
            let labels = vec![("status", status.into()), ("type", ty.to_string())];
            out.push((labels, (s.work * f * share) as i64));
        }
    }
    out
}

fn resource_groups(s: &Scrape) -> Vec<Sample> {
    vec![
        (vec![("name", "default_wg".into())], (s.load * 3.0) as i64),
        (vec![("name", "rg_etl".into())], (s.load * 1.0) as i64),
    ]
}

/// Every family of one backend at `t`, sorted by name (without the
/// `starrocks_be_` prefix), with whether it is a counter and its samples,
/// labels sorted by name.
fn families(m: &Model, be: usize, t: i64, view: &View) -> Vec<(String, bool, Vec<Sample>)> {
    let s = Scrape::new(m, be, t, view);
    let mut fams: Vec<(String, &Family)> =
        FAMILIES.iter().map(|f| (f.name.to_string(), f)).collect();
    for pool in POOLS {
        for f in POOL_FAMILIES {
            fams.push((format!("{pool}_{}", f.name), f));
        }
    }
    fams.sort_by(|a, b| a.0.cmp(&b.0));
    fams.into_iter()
        .map(|(name, f)| {
            let mut samples = f.samples.of(&s);
            for (labels, _) in &mut samples {
                labels.sort_by(|a, b| a.0.cmp(b.0));
            }
            (name, f.counter, samples)
        })
        .collect()
}

/// The BE's Prometheus text at `t`, with the faults' history `view`.
pub fn be_metrics(m: &Model, be: usize, t: i64, view: &View) -> String {
    let mut out = String::with_capacity(16 * 1024);
    for (name, counter, samples) in families(m, be, t, view) {
        let name = format!("starrocks_be_{name}");
        out.push_str("# TYPE ");
        out.push_str(&name);
        out.push_str(if counter { " counter\n" } else { " gauge\n" });
        for (labels, v) in &samples {
            series(&mut out, &name, labels, ",", &v.to_string());
        }
    }
    out
}

/// One backend's samples at `t` as `information_schema.be_metrics` has them:
/// the name without the `starrocks_be_` prefix (the BE's visitor writes the
/// registry name), the labels as `k=v` joined with `,` (empty when none), the
/// value. The same figures as [`be_metrics`] at the same `t`.
pub(crate) fn be_samples(m: &Model, be: usize, t: i64, view: &View) -> Vec<(String, String, i64)> {
    let mut out = Vec::new();
    for (name, _, samples) in families(m, be, t, view) {
        for (labels, v) in samples {
            let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push((name.clone(), labels.join(","), v));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::ClusterSpec;

    #[test]
    fn families_sorted_with_sorted_labels() {
        let m = Model::new(ClusterSpec::default());
        let text = be_metrics(&m, 1, 1_764_000_000_000, &View::default());
        let mut names: Vec<&str> = Vec::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                names.push(rest.split(' ').next().unwrap_or(""));
                continue;
            }
            assert!(!line.starts_with('#'), "{line}");
            let (name, rest) = line.split_once(['{', ' ']).unwrap_or((line, ""));
            assert_eq!(Some(&name), names.last(), "{line}");
            if let Some((labels, _)) = rest.split_once('}') {
                let keys: Vec<&str> = labels
                    .split(',')
                    .filter_map(|l| l.split('=').next())
                    .collect();
                assert!(keys.windows(2).all(|w| w[0] < w[1]), "{line}");
            }
        }
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert!(names.contains(&"starrocks_be_segment_flush_executed_tasks_total"));
        assert!(text
            .contains("starrocks_be_engine_requests_total{status=\"failed\",type=\"publish\"} "));
    }
}
