use super::*;
use proptest::prelude::*;

const FE_SAMPLE: &str =
    include_str!("../../../fixtures/fe_metrics_query_latency_gauge_3.3.6_issue53332.txt");
const BE_SAMPLE: &str =
    include_str!("../../../fixtures/be_metrics_mem_TYPE_lines_2.x_issue7008.txt");

fn labels(s: &Sample) -> Vec<(&str, &str)> {
    s.labels
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[test]
fn fe_query_latency_sample_from_issue_53332() {
    let m = Metrics::parse(FE_SAMPLE);
    assert_eq!(m.skipped_lines(), 0);
    assert_eq!(m.samples().len(), 7);
    assert_eq!(
        m.metric_type("starrocks_fe_query_latency"),
        Some(MetricType::Gauge)
    );
    let types: Vec<&str> = m
        .find("starrocks_fe_query_latency")
        .filter_map(|s| s.label("type"))
        .collect();
    assert_eq!(
        types,
        [
            "mean",
            "50_quantile",
            "75_quantile",
            "90_quantile",
            "95_quantile",
            "99_quantile",
            "999_quantile"
        ]
    );
    assert_eq!(
        m.value("starrocks_fe_query_latency", &[("type", "99_quantile")]),
        Some(0.0)
    );
}

#[test]
fn be_memory_sample_from_issue_7008() {
    let m = Metrics::parse(BE_SAMPLE);
    // The date line pasted above the metrics is the one unreadable line.
    assert_eq!(m.skipped_lines(), 1);
    assert_eq!(m.samples().len(), 8);
    assert_eq!(
        m.value("starrocks_be_process_mem_bytes", &[]),
        Some(37_779_812_304.0)
    );
    // A negative gauge (the bug that issue is about) is still a value.
    assert_eq!(
        m.value("starrocks_be_tablet_meta_mem_bytes", &[]),
        Some(-11_119_511_963.0)
    );
    assert_eq!(
        m.metric_type("starrocks_be_update_mem_bytes"),
        Some(MetricType::Gauge)
    );
    assert!(m.samples().iter().all(|s| s.labels.is_empty()));
}

#[test]
fn jvm_families_with_two_spaces_and_node_info_without_help() {
    let body = "# HELP  jvm_heap_size_bytes jvm heap stat\n\
                # TYPE  jvm_heap_size_bytes gauge\n\
                jvm_heap_size_bytes{type=\"max\"} 8589934592\n\
                jvm_heap_size_bytes{type=\"used\"} 1.5E9\n\
                # TYPE  node_info gauge\n\
                node_info{type=\"be_node_num\", state=\"alive\"} 3\n\
                node_info{type=\"is_master\"} 1\n";
    let m = Metrics::parse(body);
    assert_eq!(m.skipped_lines(), 0);
    assert_eq!(
        m.metric_type("jvm_heap_size_bytes"),
        Some(MetricType::Gauge)
    );
    assert_eq!(m.metric_type("node_info"), Some(MetricType::Gauge));
    assert_eq!(
        m.value("jvm_heap_size_bytes", &[("type", "used")]),
        Some(1.5e9)
    );
    assert_eq!(
        m.value("node_info", &[("type", "be_node_num"), ("state", "alive")]),
        Some(3.0)
    );
    assert_eq!(m.value("node_info", &[("type", "is_master")]), Some(1.0));
}

#[test]
fn empty_help_with_trailing_space_and_a_summary() {
    let body = "# HELP starrocks_fe_query_latency_ms \n\
                # TYPE starrocks_fe_query_latency_ms summary\n\
                starrocks_fe_query_latency_ms{quantile=\"0.75\"} 12.0\n\
                starrocks_fe_query_latency_ms{quantile=\"0.999\"} 1.0E-4\n\
                starrocks_fe_query_latency_ms_sum 1234.5\n\
                starrocks_fe_query_latency_ms_count 42\n";
    let m = Metrics::parse(body);
    assert_eq!(m.skipped_lines(), 0);
    assert_eq!(m.samples().len(), 4);
    assert_eq!(
        m.value("starrocks_fe_query_latency_ms", &[("quantile", "0.999")]),
        Some(1.0e-4)
    );
    assert_eq!(
        m.value("starrocks_fe_query_latency_ms_sum", &[]),
        Some(1234.5)
    );
    assert_eq!(
        m.value("starrocks_fe_query_latency_ms_count", &[]),
        Some(42.0)
    );
    assert_eq!(
        m.metric_type("starrocks_fe_query_latency_ms_count"),
        Some(MetricType::Summary)
    );
    // A gauge's _count is not a summary part.
    assert_eq!(m.metric_type("jvm_thread_count"), None);
}

#[test]
fn fe_and_be_label_separators_read_the_same() {
    let fe = Metrics::parse("x{job=\"load\", type=\"BROKER\", state=\"FINISHED\"} 7\n");
    let be = Metrics::parse("x{job=\"load\",type=\"BROKER\",state=\"FINISHED\"} 7\n");
    assert_eq!(fe, be);
    let s = &fe.samples()[0];
    assert_eq!(
        labels(s),
        [("job", "load"), ("type", "BROKER"), ("state", "FINISHED")]
    );
}

#[test]
fn label_values_with_delimiters_and_escapes() {
    let body = r#"t{db_name="a,b=c}", tbl_name="say \"hi\"", path="C:\\data\nx", odd="\t"} 1"#;
    let m = Metrics::parse(body);
    assert_eq!(m.skipped_lines(), 0);
    let s = &m.samples()[0];
    assert_eq!(s.label("db_name"), Some("a,b=c}"));
    assert_eq!(s.label("tbl_name"), Some("say \"hi\""));
    assert_eq!(s.label("path"), Some("C:\\data\nx"));
    assert_eq!(s.label("odd"), Some("\\t"));
    assert_eq!(s.value, 1.0);
}

#[test]
fn unicode_label_values_survive() {
    let m = Metrics::parse("t{user=\"usér_名前\"} 2\n");
    assert_eq!(m.samples()[0].label("user"), Some("usér_名前"));
}

#[test]
fn java_doubles_and_special_values() {
    let body = "a 1.5E7\nb 1.0E-4\nc NaN\nd +Inf\ne -Inf\nf 9223372036854775807\ng -3\nh Infinity\ni 0.0\n";
    let m = Metrics::parse(body);
    assert_eq!(m.skipped_lines(), 0);
    assert_eq!(m.value("a", &[]), Some(1.5e7));
    assert_eq!(m.value("b", &[]), Some(1.0e-4));
    assert!(m.value("c", &[]).is_some_and(f64::is_nan));
    assert_eq!(m.value("d", &[]), Some(f64::INFINITY));
    assert_eq!(m.value("e", &[]), Some(f64::NEG_INFINITY));
    assert_eq!(m.value("f", &[]), Some(9.223_372_036_854_776e18));
    assert_eq!(m.value("g", &[]), Some(-3.0));
    assert_eq!(m.value("h", &[]), Some(f64::INFINITY));
    assert_eq!(m.value("i", &[]), Some(0.0));
}

#[test]
fn a_family_written_twice_keeps_all_samples_and_its_first_type() {
    let body = "# TYPE starrocks_fe_tablet_num gauge\n\
                starrocks_fe_tablet_num{backend=\"10.0.0.1:9050\"} 100\n\
                # TYPE starrocks_fe_tablet_num gauge\n\
                starrocks_fe_tablet_num{backend=\"10.0.0.2:9050\"} 250\n";
    let m = Metrics::parse(body);
    assert_eq!(m.find("starrocks_fe_tablet_num").count(), 2);
    assert_eq!(m.sum("starrocks_fe_tablet_num", &[]), Some(350.0));
    assert_eq!(
        m.value("starrocks_fe_tablet_num", &[("backend", "10.0.0.2:9050")]),
        Some(250.0)
    );
    assert_eq!(
        m.metric_type("starrocks_fe_tablet_num"),
        Some(MetricType::Gauge)
    );
}

#[test]
fn sum_and_value_say_none_when_nothing_matches() {
    let m =
        Metrics::parse("starrocks_be_cpu{mode=\"idle\"} 10\nstarrocks_be_cpu{mode=\"user\"} 5\n");
    assert_eq!(m.sum("starrocks_be_cpu", &[]), Some(15.0));
    assert_eq!(m.sum("starrocks_be_cpu", &[("mode", "steal")]), None);
    assert_eq!(m.sum("missing", &[]), None);
    assert_eq!(m.value("starrocks_be_cpu", &[("mode", "user")]), Some(5.0));
    assert_eq!(m.value("starrocks_be_cpu", &[("nope", "user")]), None);
}

#[test]
fn timestamps_crlf_blank_lines_and_comments() {
    let body = "# a free comment\r\n\r\n# EOF\r\nup 1 1700000000000\r\n  \r\nq{a=\"b\"} 2.5 -5\r\n";
    let m = Metrics::parse(body);
    assert_eq!(m.skipped_lines(), 0);
    assert_eq!(m.value("up", &[]), Some(1.0));
    assert_eq!(m.value("q", &[("a", "b")]), Some(2.5));
    assert_eq!(m.samples()[1].labels, [("a".to_owned(), "b".to_owned())]);
}

#[test]
fn unreadable_lines_are_counted_and_the_rest_still_counts() {
    let body = "good 1\n\
                1bad 2\n\
                noval\n\
                x{a=\"unterminated} 3\n\
                y{a=b} 4\n\
                z 1 notatimestamp\n\
                w 1 2 3\n\
                v{a=\"1\" b=\"2\"} 5\n\
                # TYPE\n\
                # TYPE only_name\n\
                # TYPE too many words here\n\
                also_good{} 6\n";
    let m = Metrics::parse(body);
    assert_eq!(m.skipped_lines(), 10);
    assert_eq!(m.value("good", &[]), Some(1.0));
    assert_eq!(m.value("also_good", &[]), Some(6.0));
    assert_eq!(m.samples().len(), 2);
}

#[test]
fn an_empty_body_has_no_samples() {
    let m = Metrics::parse("");
    assert!(m.samples().is_empty());
    assert_eq!(m.skipped_lines(), 0);
}

// --- property tests -------------------------------------------------

/// Writes samples the way FE or BE would, with the given separator.
fn write(samples: &[Sample], separator: &str, with_timestamps: bool, exp: bool) -> String {
    let mut out = String::new();
    for s in samples {
        out.push_str(&format!("# TYPE {} gauge\n", s.name));
        out.push_str(&s.name);
        if !s.labels.is_empty() {
            out.push('{');
            let pairs: Vec<String> = s
                .labels
                .iter()
                .map(|(k, v)| {
                    let escaped = v
                        .replace('\\', "\\\\")
                        .replace('"', "\\\"")
                        .replace('\n', "\\n");
                    format!("{k}=\"{escaped}\"")
                })
                .collect();
            out.push_str(&pairs.join(separator));
            out.push('}');
        }
        let value = if s.value.is_nan() {
            "NaN".to_owned()
        } else if s.value == f64::INFINITY {
            "+Inf".to_owned()
        } else if s.value == f64::NEG_INFINITY {
            "-Inf".to_owned()
        } else if exp {
            format!("{:E}", s.value)
        } else {
            format!("{}", s.value)
        };
        out.push(' ');
        out.push_str(&value);
        if with_timestamps {
            out.push_str(" 1700000000000");
        }
        out.push('\n');
    }
    out
}

fn sample_strategy() -> impl Strategy<Value = Sample> {
    let value = prop_oneof![
        any::<f64>(),
        any::<i64>().prop_map(|i| i as f64),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
    ];
    (
        "[a-zA-Z_:][a-zA-Z0-9_:]{0,30}",
        prop::collection::vec(("[a-zA-Z_][a-zA-Z0-9_]{0,12}", any::<String>()), 0..5),
        value,
    )
        .prop_map(|(name, labels, value)| Sample {
            name,
            labels,
            value,
        })
}

fn same(a: &Sample, b: &Sample) -> bool {
    a.name == b.name
        && a.labels == b.labels
        && (a.value == b.value || (a.value.is_nan() && b.value.is_nan()))
}

proptest! {
    #[test]
    fn parse_never_panics_on_any_text(text in any::<String>()) {
        let m = Metrics::parse(&text);
        prop_assert!(m.samples().len() + m.skipped_lines() <= text.lines().count() + 1);
    }

    #[test]
    fn parse_never_panics_on_metric_like_text(
        text in r#"([a-z_{}=", \\\n\r#0-9.E+-]|TYPE|HELP|NaN|Inf){0,200}"#
    ) {
        let _ = Metrics::parse(&text);
    }

    #[test]
    fn written_samples_read_back_unchanged(
        samples in prop::collection::vec(sample_strategy(), 0..20),
        be_style in any::<bool>(),
        with_timestamps in any::<bool>(),
        exp in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let mut text = write(&samples, if be_style { "," } else { ", " }, with_timestamps, exp);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        let m = Metrics::parse(&text);
        prop_assert_eq!(m.skipped_lines(), 0);
        prop_assert_eq!(m.samples().len(), samples.len());
        for (read, written) in m.samples().iter().zip(&samples) {
            prop_assert!(same(read, written), "{:?} != {:?}", read, written);
        }
    }
}
