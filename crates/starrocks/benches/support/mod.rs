//! A realistic FE `/metrics` body for the parser benchmarks, written the way
//! a 3.3 leader FE writes it (INTERFACES.md section 1): JVM families with the
//! two-space `# HELP  `/`# TYPE  ` quirk, `node_info` with a TYPE line only,
//! `starrocks_fe_*` counters and gauges with labels joined by `", "`,
//! per-backend tablet gauges for 40 backends, Codahale summaries with an
//! empty HELP, and per-database catalog gauges that bring the body to about
//! 45 KB.

use std::fmt::Write;

pub const BACKENDS: usize = 40;
pub const TARGET_BYTES: usize = 45 * 1024;

fn family(out: &mut String, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn jvm_family(out: &mut String, name: &str, help: &str, types: &[(&str, &str)]) {
    let _ = writeln!(out, "# HELP  {name} {help}");
    let _ = writeln!(out, "# TYPE  {name} gauge");
    for (t, v) in types {
        let _ = writeln!(out, "{name}{{type=\"{t}\"}} {v}");
    }
}

pub fn fe_metrics_body() -> String {
    let mut out = String::with_capacity(TARGET_BYTES + 1024);
    jvm_families(&mut out);
    node_info(&mut out);
    fe_counters(&mut out);
    fe_gauges(&mut out);
    query_latency(&mut out);
    backend_tablets(&mut out);
    jobs(&mut out);
    labelled_gauges(&mut out);
    codahale_summaries(&mut out);
    with_db_families(out)
}

/// JVM memory, GC and thread families, with the two-space HELP/TYPE quirk.
fn jvm_families(out: &mut String) {
    jvm_family(
        out,
        "jvm_heap_size_bytes",
        "jvm heap stat",
        &[
            ("max", "8589934592"),
            ("committed", "4294967296"),
            ("used", "2147483648"),
        ],
    );
    jvm_family(
        out,
        "jvm_non_heap_size_bytes",
        "jvm non heap stat",
        &[("committed", "268435456"), ("used", "251658240")],
    );
    for gen in ["young", "old"] {
        jvm_family(
            out,
            &format!("jvm_{gen}_size_bytes"),
            &format!("jvm {gen} gen stat"),
            &[
                ("used", "1.5E9"),
                ("committed", "2147483648"),
                ("peak_used", "2.0E9"),
                ("max", "4294967296"),
            ],
        );
    }
    jvm_family(
        out,
        "jvm_direct_buffer_pool_size_bytes",
        "jvm direct buffer pool stat",
        &[
            ("count", "231"),
            ("used", "16777216"),
            ("capacity", "16777215"),
        ],
    );
    jvm_family(
        out,
        "jvm_young_gc",
        "jvm young gc stat",
        &[("count", "12890"), ("time", "345678")],
    );
    jvm_family(
        out,
        "jvm_old_gc",
        "jvm old gc stat",
        &[("count", "3"), ("time", "1280")],
    );
    jvm_family(
        out,
        "jvm_thread",
        "jvm thread stat",
        &[("count", "412"), ("peak_count", "530")],
    );
}

/// `node_info`: a TYPE line and no HELP.
fn node_info(out: &mut String) {
    let _ = writeln!(out, "# TYPE  node_info gauge");
    for (t, s, v) in [
        ("fe_node_num", "total", 3),
        ("fe_node_num", "alive", 3),
        ("be_node_num", "total", BACKENDS),
        ("be_node_num", "alive", BACKENDS - 1),
        ("be_node_num", "decommissioned", 0),
        ("broker_node_num", "dead", 0),
        ("cn_node_num", "total", 0),
        ("cn_node_num", "alive", 0),
    ] {
        let _ = writeln!(out, "node_info{{type=\"{t}\", state=\"{s}\"}} {v}");
    }
    let _ = writeln!(out, "node_info{{type=\"is_master\"}} 1");
}

/// `starrocks_fe_*` counters without labels.
fn fe_counters(out: &mut String) {
    let counters = [
        ("request_total", "total request", 98_765_432u64),
        ("query_total", "total query", 12_345_678),
        ("query_err", "total error query", 1_234),
        ("query_success", "total success query", 12_344_444),
        ("query_timeout", "total timeout query", 17),
        ("slow_query", "total slow query", 321),
        ("query_analysis_err", "total analysis error query", 560),
        ("query_internal_err", "total internal error query", 3),
        ("query_queue_pending", "pending query", 0),
        ("query_queue_total", "total query queued", 0),
        ("query_queue_timeout", "total query timeout in queue", 0),
        ("load_add", "total load submit", 45_678),
        ("load_finished", "total load finished", 45_600),
        ("routine_load_paused", "counter of routine load paused", 2),
        (
            "routine_load_rows",
            "total rows of routine load",
            9_876_543_210,
        ),
        (
            "routine_load_receive_bytes",
            "total received bytes of routine load",
            1_234_567_890_123,
        ),
        (
            "routine_load_error_rows",
            "total error rows of routine load",
            12,
        ),
        ("txn_begin", "counter of beginning transaction", 456_789),
        ("txn_success", "counter of success transaction", 456_700),
        ("txn_failed", "counter of failed transaction", 89),
        ("txn_reject", "counter of rejected transaction", 0),
        (
            "edit_log_write",
            "counter of edit log write into bdbje",
            8_765_432,
        ),
        (
            "edit_log_read",
            "counter of edit log read from bdbje",
            8_765_000,
        ),
        ("edit_log_size_bytes", "size of edit log", 987_654_321),
        ("image_write", "counter of image generated", 120),
        (
            "image_push",
            "counter of image succeeded in pushing to other frontends",
            240,
        ),
        ("unfinished_backup_job", "current unfinished backup job", 0),
        (
            "unfinished_restore_job",
            "current unfinished restore job",
            0,
        ),
    ];
    for (name, help, v) in counters {
        let name = format!("starrocks_fe_{name}");
        family(out, &name, help, "counter");
        let _ = writeln!(out, "{name} {v}");
    }
}

/// `starrocks_fe_*` gauges without labels.
fn fe_gauges(out: &mut String) {
    for (name, help, v) in [
        ("qps", "query per second", "153.26666666666668"),
        ("rps", "request per second", "1208.0666666666666"),
        ("query_err_rate", "query error rate", "0.06666666666666667"),
        (
            "query_internal_err_rate",
            "query internal error rate",
            "0.0",
        ),
        (
            "query_analysis_err_rate",
            "query analysis error rate",
            "0.0",
        ),
        ("query_timeout_rate", "query timeout rate", "0.0"),
        (
            "max_tablet_compaction_score",
            "max tablet compaction score of all backends",
            "12",
        ),
        (
            "max_journal_id",
            "max journal id of this frontends",
            "1.2345678E7",
        ),
        ("meta_log_count", "meta log total count", "54321"),
        (
            "editlog_stacked_num",
            "counter of edit log that are stacked",
            "0",
        ),
        (
            "scheduled_tablet_num",
            "number of tablets being scheduled",
            "4",
        ),
        ("report_queue_size", "report queue size", "0"),
        ("connection_total", "total connection", "87"),
        ("database_num", "count of database", "24"),
    ] {
        let name = format!("starrocks_fe_{name}");
        family(out, &name, help, "gauge");
        let _ = writeln!(out, "{name} {v}");
    }
}

/// The query latency gauge, one sample per quantile.
fn query_latency(out: &mut String) {
    family(
        out,
        "starrocks_fe_query_latency",
        "mean of query latency",
        "gauge",
    );
    for (t, v) in [
        ("mean", "35.2"),
        ("50_quantile", "12.0"),
        ("75_quantile", "25.0"),
        ("90_quantile", "80.0"),
        ("95_quantile", "150.0"),
        ("99_quantile", "1200.0"),
        ("999_quantile", "9800.0"),
    ] {
        let _ = writeln!(out, "starrocks_fe_query_latency{{type=\"{t}\"}} {v}");
    }
}

/// Tablet gauges, one sample per backend.
fn backend_tablets(out: &mut String) {
    family(out, "starrocks_fe_tablet_num", "tablet number", "gauge");
    for i in 0..BACKENDS {
        let _ = writeln!(
            out,
            "starrocks_fe_tablet_num{{backend=\"10.20.{}.{}:9050\"}} {}",
            i / 10,
            i % 10 + 11,
            21_000 + i * 37
        );
    }
    family(
        out,
        "starrocks_fe_tablet_max_compaction_score",
        "tablet max compaction score",
        "gauge",
    );
    for i in 0..BACKENDS {
        let _ = writeln!(
            out,
            "starrocks_fe_tablet_max_compaction_score{{backend=\"10.20.{}.{}:9050\"}} {}",
            i / 10,
            i % 10 + 11,
            (i * 7) % 23
        );
    }
}

/// Load and alter job counts by type and state.
fn jobs(out: &mut String) {
    family(out, "starrocks_fe_job", "job statistics", "gauge");
    for t in ["BROKER", "SPARK", "INSERT", "STREAM_LOAD", "ROUTINE_LOAD"] {
        for s in [
            "UNKNOWN",
            "PENDING",
            "ETL",
            "LOADING",
            "COMMITTED",
            "FINISHED",
            "CANCELLED",
        ] {
            let _ = writeln!(
                out,
                "starrocks_fe_job{{job=\"load\", type=\"{t}\", state=\"{s}\"}} 0"
            );
        }
    }
    for t in ["SCHEMA_CHANGE", "ROLLUP"] {
        let _ = writeln!(
            out,
            "starrocks_fe_job{{job=\"alter\", type=\"{t}\", state=\"running\"}} 1"
        );
    }
}

/// Routine load jobs, SNMP, memory and safe mode: small labelled gauges.
fn labelled_gauges(out: &mut String) {
    family(
        out,
        "starrocks_fe_routine_load_jobs",
        "routine load jobs",
        "gauge",
    );
    for s in [
        "NEED_SCHEDULE",
        "RUNNING",
        "PAUSED",
        "STOPPED",
        "CANCELLED",
        "UNSTABLE",
    ] {
        let _ = writeln!(out, "starrocks_fe_routine_load_jobs{{state=\"{s}\"}} 1");
    }
    family(out, "starrocks_fe_snmp", "snmp statistics", "gauge");
    for n in [
        "tcp_retrans_segs",
        "tcp_in_errs",
        "tcp_in_segs",
        "tcp_out_segs",
    ] {
        let _ = writeln!(out, "starrocks_fe_snmp{{name=\"{n}\"}} 123456789");
    }
    family(out, "starrocks_fe_memory", "memory statistics", "gauge");
    for t in [
        "tablet_count",
        "tablet_bytes",
        "replica_count",
        "txn_count",
        "txn_bytes",
        "query_detail_count",
    ] {
        let _ = writeln!(out, "starrocks_fe_memory{{type=\"{t}\"}} 4.5678E7");
    }
    family(out, "starrocks_fe_safe_mode", "safe mode flag", "gauge");
    let _ = writeln!(out, "starrocks_fe_safe_mode{{type=\"safe_mode\"}} 0");
}

/// Codahale summaries, with an empty HELP.
fn codahale_summaries(out: &mut String) {
    for name in [
        "starrocks_fe_editlog_write_latency_ms",
        "starrocks_fe_journal_write_batch",
        "starrocks_fe_journal_write_bytes",
        "starrocks_fe_journal_write_latency_ms",
        "starrocks_fe_query_latency_ms",
    ] {
        let _ = writeln!(out, "# HELP {name} ");
        let _ = writeln!(out, "# TYPE {name} summary");
        for q in ["0.75", "0.95", "0.98", "0.99", "0.999"] {
            let _ = writeln!(out, "{name}{{quantile=\"{q}\"}} 12.5");
        }
        let _ = writeln!(out, "{name}_sum 1.23456789E8");
        let _ = writeln!(out, "{name}_count 9876543");
    }
}

/// Appends per-database catalog gauges, for as many databases as it takes
/// to reach the target size.
fn with_db_families(mut out: String) -> String {
    let mut dbs = 0;
    loop {
        let tail = db_families(dbs);
        if out.len() + tail.len() >= TARGET_BYTES {
            out.push_str(&tail);
            return out;
        }
        dbs += 1;
    }
}

fn db_families(dbs: u64) -> String {
    let mut out = String::new();
    family(
        &mut out,
        "starrocks_fe_table_num",
        "number of tables",
        "gauge",
    );
    for db in 0..dbs {
        let _ = writeln!(
            out,
            "starrocks_fe_table_num{{db_name=\"analytics_db_{db:03}\"}} {}",
            db * 3 + 1
        );
    }
    family(
        &mut out,
        "starrocks_fe_db_size_bytes",
        "size of database in bytes",
        "gauge",
    );
    for db in 0..dbs {
        let _ = writeln!(
            out,
            "starrocks_fe_db_size_bytes{{db_name=\"analytics_db_{db:03}\"}} {}",
            1_234_567_890u64 + db * 98_765
        );
    }
    out
}
