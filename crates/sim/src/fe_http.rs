//! The FE HTTP port: /metrics, /api/show_proc, /api/health, /api/show_runtime_info,
//! /api/bootstrap, the HTTP faults, and the /_sim control API.

use super::faults::{Fault, View};
use super::format::{java_double, json_str, series};
use super::proc::{alter_jobs, load_jobs, proc, Ctx};
use super::profile::{Mode, Version};
use super::Shared;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

#[derive(Clone)]
pub(crate) struct Fe {
    pub sh: Arc<Shared>,
    pub fe: usize,
}

impl Fe {
    fn ctx(&self, t: i64) -> Ctx<'_> {
        Ctx {
            sh: &self.sh,
            t,
            view: self.sh.faults.view(),
        }
    }
}

pub(crate) fn router(sh: Arc<Shared>, fe: usize) -> Router {
    let state = Fe { sh, fe };
    Router::new()
        .route("/metrics", get(metrics))
        .route("/api/show_proc", get(show_proc))
        .route("/api/health", get(health))
        .route("/api/show_runtime_info", get(runtime_info))
        .route("/api/bootstrap", get(bootstrap))
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), http_faults))
        .merge(super::control::router(state.sh.faults.clone()))
        .with_state(state)
}

fn now() -> i64 {
    crate::now_ms()
}

const JSON: &str = "application/json";

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, JSON)], body).into_response()
}

/// RestBaseResult failure: `{"status":"FAILED","code":"1","msg":m,"message":m}`.
pub fn failed(msg: &str) -> String {
    let m = json_str(msg);
    format!("{{\"status\":\"FAILED\",\"code\":\"1\",\"msg\":{m},\"message\":{m}}}")
}

/// Applies Slow, Http500, GarbageBody and TruncatedBody to every FE answer.
async fn http_faults(State(fe): State<Fe>, req: Request, next: Next) -> Response {
    let faults = &fe.sh.faults;
    if let Some(d) = faults.slow() {
        tokio::time::sleep(d).await;
    }
    if faults.is_active(&Fault::Http500) {
        return json(
            StatusCode::INTERNAL_SERVER_ERROR,
            failed("java.lang.IllegalStateException: simulated internal error"),
        );
    }
    if faults.is_active(&Fault::GarbageBody) {
        let mut bytes = vec![0u8; 96];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
        bytes[0] = 0xff;
        return (StatusCode::OK, [(header::CONTENT_TYPE, JSON)], bytes).into_response();
    }
    let resp = next.run(req).await;
    if !faults.is_active(&Fault::TruncatedBody) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html")],
        "this is 404 page.",
    )
        .into_response()
}

/// HTTP Basic as the FE checks it: `Some` is the 401 to send instead of the answer.
fn check_auth(sh: &Shared, headers: &HeaderMap) -> Option<Response> {
    let creds = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|b| String::from_utf8(b).ok());
    let unauthorized = |msg: &str| {
        let mut r = json(StatusCode::UNAUTHORIZED, failed(msg));
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"\""),
        );
        r
    };
    let Some(creds) = creds else {
        return Some(unauthorized("Need auth information."));
    };
    let (user, pass) = creds.split_once(':').unwrap_or((&creds, ""));
    let user = user.split('@').next().unwrap_or(user);
    let spec = &sh.model.spec;
    if sh.faults.is_active(&Fault::WrongCredentials) || user != spec.user || pass != spec.password {
        return Some(unauthorized(&format!("Access denied for {user}@127.0.0.1")));
    }
    None
}

async fn show_proc(
    State(fe): State<Fe>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = check_auth(&fe.sh, &headers) {
        return r;
    }
    let path = q.get("path").map(String::as_str).unwrap_or("");
    let ctx = fe.ctx(now());
    let body = match proc(&ctx, path) {
        Some(g) => g.proc_json(fe.sh.model.spec.version),
        None => "[]".into(),
    };
    json(StatusCode::OK, body)
}

async fn health(State(fe): State<Fe>) -> Response {
    let spec = &fe.sh.model.spec;
    let total = match spec.mode {
        Mode::SharedNothing => spec.backends,
        Mode::SharedData => 0,
    };
    let dead = fe
        .sh
        .faults
        .view()
        .dead
        .iter()
        .filter(|(i, _)| *i < total)
        .count();
    json(
        StatusCode::OK,
        format!(
            "{{\"online_backend_num\":{},\"total_backend_num\":{total},\"status\":\"OK\"}}",
            total - dead
        ),
    )
}

/// JVM heap figures of one FE at `t`: (max, committed, used).
fn heap(m: &super::state::Model, fe: usize, t: i64) -> (u64, u64, u64) {
    let max = 8u64 << 30;
    let committed = 6u64 << 30;
    // GC saw tooth: fills over ~3 minutes, then drops.
    let x = ((t as f64 / 1000.0) / (150.0 + fe as f64 * 20.0)).fract();
    let used = (1.2 + 2.5 * x + 0.3 * m.load(t)) * (1u64 << 30) as f64;
    (max, committed, used as u64)
}

async fn runtime_info(State(fe): State<Fe>) -> Response {
    let (max, committed, used) = heap(&fe.sh.model, fe.fe, now());
    let threads = 420 + (fe.sh.model.load(now()) * 40.0) as u64;
    json(
        StatusCode::OK,
        format!(
            "{{\"free_mem\":\"{}\",\"total_mem\":\"{committed}\",\"thread_cnt\":\"{threads}\",\"max_mem\":\"{max}\"}}",
            committed - used.min(committed)
        ),
    )
}

async fn bootstrap() -> Response {
    json(
        StatusCode::OK,
        "{\"replayedJournalId\":0,\"queryPort\":0,\"rpcPort\":0,\"feStartTime\":0,\"status\":\"OK\",\"code\":\"0\",\"msg\":\"Success\",\"message\":\"OK\"}".into(),
    )
}

async fn metrics(State(fe): State<Fe>) -> Response {
    let body = fe_metrics(&fe.sh, fe.fe, now(), &fe.sh.faults.view());
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain")], body).into_response()
}

type Labels<'a> = Vec<(&'a str, String)>;

/// One FE family: HELP (when `help` is some), TYPE, series joined with `", "`.
fn family(out: &mut String, name: &str, help: Option<&str>, kind: &str, rows: &[(Labels, String)]) {
    if let Some(h) = help {
        let _ = writeln!(out, "# HELP {name} {h}");
    }
    let _ = writeln!(out, "# TYPE {name} {kind}");
    for (labels, v) in rows {
        series(out, name, labels, ", ", v);
    }
}

/// A JVM family: two spaces after `# HELP` / `# TYPE` (the FE's Joiner quirk).
fn jvm(out: &mut String, name: &str, help: &str, rows: &[(&str, u64)]) {
    let _ = writeln!(out, "# HELP  {name} {help}");
    let _ = writeln!(out, "# TYPE  {name} gauge");
    for (ty, v) in rows {
        series(out, name, &[("type", ty.to_string())], ", ", &v.to_string());
    }
}

fn one(v: impl ToString) -> Vec<(Labels<'static>, String)> {
    vec![(vec![], v.to_string())]
}

/// A summary family (quantiles 0.75..0.999, `_sum` double, `_count` long).
fn summary(out: &mut String, name: &str, count: u64, mean: f64, mults: [f64; 5]) {
    let _ = writeln!(out, "# HELP {name} ");
    let _ = writeln!(out, "# TYPE {name} summary");
    for (q, m) in ["0.75", "0.95", "0.98", "0.99", "0.999"].iter().zip(mults) {
        let v = if count == 0 {
            0.0
        } else {
            (mean * m * 1000.0).round() / 1000.0
        };
        series(
            out,
            name,
            &[("quantile", q.to_string())],
            ", ",
            &java_double(v),
        );
    }
    let _ = writeln!(out, "{name}_sum {}", java_double(count as f64 * mean));
    let _ = writeln!(out, "{name}_count {count}");
}

/// The FE's Prometheus text at `t` (JVM first, then StarRocks families,
/// summaries sorted by name, node_info last).
pub fn fe_metrics(sh: &Shared, fe_idx: usize, t: i64, view: &View) -> String {
    let m = &sh.model;
    let spec = &m.spec;
    let leader = fe_idx == 0;
    let c = m.fe_counters(fe_idx, t, view);
    let up_s = ((t - c.start_ms).max(0) / 1000) as u64;
    let mut o = String::with_capacity(48 * 1024);

    let (max, committed, used) = heap(m, fe_idx, t);
    jvm(
        &mut o,
        "jvm_heap_size_bytes",
        "jvm heap stat",
        &[("max", max), ("committed", committed), ("used", used)],
    );
    jvm(
        &mut o,
        "jvm_non_heap_size_bytes",
        "jvm non heap stat",
        &[("committed", 310 << 20), ("used", 296 << 20)],
    );
    jvm(
        &mut o,
        "jvm_young_size_bytes",
        "jvm young mem pool stat",
        &[
            ("used", used / 3),
            ("committed", committed / 3),
            ("peak_used", committed / 3),
            ("max", 0),
        ],
    );
    jvm(
        &mut o,
        "jvm_old_size_bytes",
        "jvm old mem pool stat",
        &[
            ("used", used - used / 3),
            ("committed", committed - committed / 3),
            ("peak_used", max / 2),
            ("max", max),
        ],
    );
    jvm(
        &mut o,
        "jvm_direct_buffer_pool_size_bytes",
        "jvm direct buffer pool stat",
        &[
            ("count", 212),
            ("used", 19_234_567),
            ("capacity", 19_234_566),
        ],
    );
    jvm(
        &mut o,
        "jvm_young_gc",
        "jvm young gc stat",
        &[("count", up_s / 25), ("time", up_s / 25 * 18)],
    );
    jvm(
        &mut o,
        "jvm_old_gc",
        "jvm old gc stat",
        &[("count", up_s / 40_000), ("time", up_s / 40_000 * 900)],
    );
    jvm(
        &mut o,
        "jvm_thread",
        "jvm thread stat",
        &[("count", 430), ("peak_count", 512)],
    );

    let p = "starrocks_fe_";
    let users = ["root", "app_1", "etl"];
    let conns: Vec<(Labels, String)> = match spec.version {
        Version::V3_3 => users
            .iter()
            .enumerate()
            .map(|(i, u)| {
                (
                    vec![("user", u.to_string())],
                    ((m.load(t) * 6.0) as usize / (i + 1) + 1).to_string(),
                )
            })
            .collect(),
        Version::V3_0 => one((m.load(t) * 9.0) as usize + 1),
    };
    family(
        &mut o,
        &format!("{p}connection_total"),
        Some("total connection"),
        "gauge",
        &conns,
    );
    let counters: Vec<(&str, &str, u64)> = {
        let mut v = vec![
            ("request_total", "total request", c.request_total),
            ("query_total", "total query", c.query_total),
            ("query_err", "total error query", c.query_err),
            (
                "query_analysis_err",
                "total analysis error query",
                c.query_analysis_err,
            ),
        ];
        if spec.version == Version::V3_3 {
            v.push((
                "query_internal_err",
                "total internal error query",
                c.query_err - c.query_analysis_err.min(c.query_err),
            ));
        }
        v.extend([
            ("query_success", "total success query", c.query_success),
            ("query_timeout", "total timeout query", c.query_timeout),
            ("slow_query", "total slow query", c.slow_query),
            ("query_queue_pending", "total pending query", 0),
            (
                "query_queue_total",
                "total history queued queries",
                c.query_total / 500,
            ),
            (
                "query_queue_timeout",
                "total history query for timeout in queue",
                0,
            ),
            ("load_add", "total load submit", c.load_add),
            ("load_finished", "total load finished", c.load_finished),
            ("routine_load_paused", "counter of routine load paused", 0),
            (
                "routine_load_rows",
                "total rows of routine load",
                c.load_add * 5_000,
            ),
            (
                "routine_load_receive_bytes",
                "total received bytes of routine load",
                c.load_add * 1_100_000,
            ),
            (
                "routine_load_error_rows",
                "total error rows of routine load",
                c.load_add / 50,
            ),
            (
                "txn_begin",
                "counter of beginning transactions",
                c.txn_begin,
            ),
            (
                "txn_success",
                "counter of success transactions",
                c.txn_success,
            ),
            ("txn_failed", "counter of failed transactions", c.txn_failed),
            (
                "txn_reject",
                "counter of rejected transactions",
                c.txn_reject,
            ),
            (
                "edit_log_write",
                "counter of edit log write into bdbje",
                c.edit_log_write,
            ),
            (
                "edit_log_read",
                "counter of edit log read from bdbje",
                c.edit_log_read,
            ),
            (
                "edit_log_size_bytes",
                "size of edit log",
                c.edit_log_write * 870,
            ),
            ("image_write", "counter of image generated", c.image_write),
            (
                "image_push",
                "counter of image succeeded in pushing to other frontends",
                if leader { c.image_write * 2 } else { 0 },
            ),
            ("unfinished_backup_job", "current unfinished backup job", 0),
            (
                "unfinished_restore_job",
                "current unfinished restore job",
                0,
            ),
        ]);
        v
    };
    for (name, help, v) in counters {
        family(
            &mut o,
            &format!("{p}{name}"),
            Some(help),
            "counter",
            &one(v),
        );
    }

    let qps = m.fe_qps(fe_idx, t);
    family(
        &mut o,
        &format!("{p}qps"),
        Some("query per second"),
        "gauge",
        &one(java_double(qps)),
    );
    family(
        &mut o,
        &format!("{p}rps"),
        Some("request per second"),
        "gauge",
        &one(java_double((qps * 1.35 * 100.0).round() / 100.0)),
    );
    family(
        &mut o,
        &format!("{p}query_err_rate"),
        Some("query error rate"),
        "gauge",
        &one(java_double((qps * m.err_frac() * 1000.0).round() / 1000.0)),
    );
    let lat: Vec<(Labels, String)> = [
        ("mean", 1.0),
        ("50_quantile", 0.6),
        ("75_quantile", 1.2),
        ("90_quantile", 2.5),
        ("95_quantile", 4.0),
        ("99_quantile", 9.0),
        ("999_quantile", 25.0),
    ]
    .iter()
    .map(|(ty, mult)| {
        (
            vec![("type", ty.to_string())],
            java_double(m.latency_ms(t, *mult)),
        )
    })
    .collect();
    family(
        &mut o,
        &format!("{p}query_latency"),
        Some("mean of query latency"),
        "gauge",
        &lat,
    );

    let nbe = spec.backends;
    let scores: Vec<f64> = (0..nbe).map(|k| m.compaction_score(k, t)).collect();
    let max_score = scores.iter().copied().fold(0.0, f64::max);
    family(
        &mut o,
        &format!("{p}max_tablet_compaction_score"),
        Some("max tablet compaction score of all backends"),
        "gauge",
        &one(max_score as u64),
    );
    let backend = |k: usize| ("backend", format!("127.0.0.1:{}", 9050 + k * 10));
    let tn: Vec<(Labels, String)> = (0..nbe)
        .map(|k| (vec![backend(k)], m.tablets_on(k).to_string()))
        .collect();
    family(
        &mut o,
        &format!("{p}tablet_num"),
        Some("tablet number"),
        "gauge",
        &tn,
    );
    let ts: Vec<(Labels, String)> = (0..nbe)
        .map(|k| (vec![backend(k)], (scores[k] as u64).to_string()))
        .collect();
    family(
        &mut o,
        &format!("{p}tablet_max_compaction_score"),
        Some("tablet max compaction score"),
        "gauge",
        &ts,
    );

    let journal = (m.queries_between(super::state::EPOCH_MS, t) * 0.05) as u64;
    family(
        &mut o,
        &format!("{p}max_journal_id"),
        Some("max journal id of this frontends"),
        "gauge",
        &one(journal),
    );
    family(
        &mut o,
        &format!("{p}meta_log_count"),
        Some("meta log total count"),
        "gauge",
        &one(journal % 100_000),
    );
    family(
        &mut o,
        &format!("{p}editlog_stacked_num"),
        Some("counter of edit log that are stacked"),
        "gauge",
        &one(0),
    );
    family(
        &mut o,
        &format!("{p}scheduled_tablet_num"),
        Some("number of tablets being scheduled"),
        "gauge",
        &one(if leader { view.dead.len() * 3 } else { 0 }),
    );
    family(
        &mut o,
        &format!("{p}report_queue_size"),
        Some("report queue size"),
        "gauge",
        &one(0),
    );

    let ctx = Ctx {
        sh,
        t,
        view: view.clone(),
    };
    let loads = if leader { load_jobs(&ctx) } else { Vec::new() };
    let alters = if leader { alter_jobs(&ctx) } else { Vec::new() };
    let mut jobs: Vec<(Labels, String)> = Vec::new();
    for ty in [
        "HADOOP",
        "MINI",
        "INSERT",
        "BROKER",
        "DELETE",
        "SPARK",
        "LOCAL_FILE",
        "UNKNOWN",
    ] {
        for st in [
            "UNKNOWN",
            "PENDING",
            "ETL",
            "LOADING",
            "COMMITTED",
            "FINISHED",
            "CANCELLED",
            "QUEUEING",
        ] {
            let n = loads
                .iter()
                .filter(|l| l.kind == ty && l.state == st)
                .count();
            jobs.push((
                vec![
                    ("job", "load".into()),
                    ("type", ty.into()),
                    ("state", st.into()),
                ],
                n.to_string(),
            ));
        }
    }
    let running = alters
        .iter()
        .filter(|a| a.state == "RUNNING" || a.state == "PENDING")
        .count();
    jobs.push((
        vec![
            ("job", "alter".into()),
            ("type", "ROLLUP".into()),
            ("state", "running".into()),
        ],
        "0".into(),
    ));
    jobs.push((
        vec![
            ("job", "alter".into()),
            ("type", "SCHEMA_CHANGE".into()),
            ("state", "running".into()),
        ],
        running.to_string(),
    ));
    family(
        &mut o,
        &format!("{p}job"),
        Some("job statistics"),
        "gauge",
        &jobs,
    );
    let rl: Vec<(Labels, String)> = [
        "NEED_SCHEDULE",
        "RUNNING",
        "PAUSED",
        "STOPPED",
        "CANCELLED",
        "UNSTABLE",
    ]
    .iter()
    .map(|s| {
        (
            vec![("state", s.to_string())],
            if *s == "RUNNING" && leader { "2" } else { "0" }.to_string(),
        )
    })
    .collect();
    family(
        &mut o,
        &format!("{p}routine_load_jobs"),
        Some("routine load jobs"),
        "gauge",
        &rl,
    );
    let snmp: Vec<(Labels, String)> = [
        ("tcp_retrans_segs", 0.0004),
        ("tcp_in_errs", 0.00001),
        ("tcp_in_segs", 1.0),
        ("tcp_out_segs", 1.1),
    ]
    .iter()
    .map(|(n, f)| {
        (
            vec![("name", n.to_string())],
            ((m.queries_between(c.start_ms, t) * 40.0 * f) as u64).to_string(),
        )
    })
    .collect();
    family(
        &mut o,
        &format!("{p}snmp"),
        Some("All snmp metrics"),
        "gauge",
        &snmp,
    );
    family(
        &mut o,
        &format!("{p}safe_mode"),
        Some("safe mode flag"),
        "gauge",
        &[(vec![("type", "safe_mode".into())], "0".into())],
    );
    family(
        &mut o,
        &format!("{p}database_num"),
        Some("count of database"),
        "gauge",
        &one(m.dbs.len() + 3),
    );
    let tables: Vec<(Labels, String)> = m
        .dbs
        .iter()
        .map(|d| {
            (
                vec![("db_name", d.name.clone())],
                d.tables.len().to_string(),
            )
        })
        .collect();
    family(
        &mut o,
        &format!("{p}table_num"),
        Some("count of table"),
        "gauge",
        &tables,
    );
    let sizes: Vec<(Labels, String)> = m
        .dbs
        .iter()
        .map(|d| {
            (
                vec![("db_name", d.name.clone())],
                d.tables
                    .iter()
                    .map(|x| m.table_bytes(x, t))
                    .sum::<u64>()
                    .to_string(),
            )
        })
        .collect();
    family(
        &mut o,
        &format!("{p}db_size_bytes"),
        Some("size of database"),
        "gauge",
        &sizes,
    );
    let mut pools: Vec<(Labels, String)> = Vec::new();
    for pool in [
        "mysql_worker",
        "query_deploy",
        "task_run",
        "compaction_dispatch",
        "publish_version",
        "report_handler",
    ] {
        pools.push((
            vec![("name", pool.to_string()), ("type", "pool_size".into())],
            "64".into(),
        ));
        pools.push((
            vec![
                ("name", pool.to_string()),
                ("type", "active_thread_num".into()),
            ],
            ((m.load(t) * 4.0) as u64).to_string(),
        ));
        pools.push((
            vec![("name", pool.to_string()), ("type", "task_in_queue".into())],
            "0".into(),
        ));
    }
    family(
        &mut o,
        &format!("{p}thread_pool"),
        Some("thread pool metric"),
        "gauge",
        &pools,
    );

    let lat_mean = m.latency_ms(t, 1.0);
    let mults = [1.2, 4.0, 6.5, 9.0, 25.0];
    let small = [1.1, 1.6, 2.0, 2.4, 4.0];
    if spec.version == Version::V3_3 {
        summary(
            &mut o,
            &format!("{p}deploy_plan_fragments_latency_ms"),
            c.query_total,
            2.1,
            small,
        );
    }
    summary(
        &mut o,
        &format!("{p}editlog_write_latency_ms"),
        c.edit_log_write,
        1.4,
        small,
    );
    summary(
        &mut o,
        &format!("{p}journal_write_batch"),
        c.edit_log_write / 3,
        3.0,
        small,
    );
    summary(
        &mut o,
        &format!("{p}journal_write_bytes"),
        c.edit_log_write / 3,
        2_600.0,
        small,
    );
    summary(
        &mut o,
        &format!("{p}journal_write_latency_ms"),
        c.edit_log_write / 3,
        1.9,
        small,
    );
    summary(
        &mut o,
        &format!("{p}query_latency_ms"),
        c.query_total,
        lat_mean,
        mults,
    );
    if spec.version == Version::V3_3 {
        summary(
            &mut o,
            &format!("{p}shortcircuit_latency_ms"),
            0,
            0.0,
            small,
        );
    }

    let dead = view.dead.iter().filter(|(i, _)| *i < nbe).count();
    let (be_total, cn_total) = match spec.mode {
        Mode::SharedNothing => (nbe, 0),
        Mode::SharedData => (0, nbe),
    };
    let (be_alive, cn_alive) = match spec.mode {
        Mode::SharedNothing => (nbe - dead, 0),
        Mode::SharedData => (0, nbe - dead),
    };
    o.push_str("# TYPE  node_info gauge\n");
    let ni = |o: &mut String, ty: &str, st: Option<&str>, v: usize| {
        let mut l = vec![("type", ty.to_string())];
        if let Some(s) = st {
            l.push(("state", s.to_string()));
        }
        series(o, "node_info", &l, ", ", &v.to_string());
    };
    ni(&mut o, "fe_node_num", Some("total"), spec.frontends);
    ni(&mut o, "fe_node_num", Some("alive"), spec.frontends);
    ni(&mut o, "be_node_num", Some("total"), be_total);
    ni(&mut o, "be_node_num", Some("alive"), be_alive);
    ni(&mut o, "be_node_num", Some("decommissioned"), 0);
    ni(&mut o, "broker_node_num", Some("dead"), 0);
    ni(&mut o, "cn_node_num", Some("total"), cn_total);
    ni(&mut o, "cn_node_num", Some("alive"), cn_alive);
    if leader {
        ni(&mut o, "is_master", None, 1);
    }
    o
}
