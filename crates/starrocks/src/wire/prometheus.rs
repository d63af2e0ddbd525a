//! A small parser for the Prometheus text that FE and BE `/metrics` return.
//!
//! Our own, because the crates we tried misread real StarRocks output (see
//! `BUILDING.md`): the FE joins labels with `", "`, writes `# TYPE  name`
//! with two spaces for JVM families, leaves HELP empty with a trailing
//! space, and label values may hold `,`, `=`, `}` and escapes. This parser
//! reads all of that, never fails and never panics: a line it cannot read is
//! counted in [`Metrics::skipped_lines`] and the rest of the body still
//! counts, because one odd line must not blank a whole dashboard.

use serde::{Deserialize, Serialize};

/// What a `# TYPE` line declared for a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetricType {
    Counter,
    Gauge,
    Summary,
    Histogram,
    /// `untyped`, or a word this parser does not know.
    Untyped,
}

impl MetricType {
    fn from_word(word: &str) -> Self {
        match word {
            "counter" => Self::Counter,
            "gauge" => Self::Gauge,
            "summary" => Self::Summary,
            "histogram" => Self::Histogram,
            _ => Self::Untyped,
        }
    }
}

/// One line of the body: a name, its labels in the order written, a value.
/// Summary lines keep their own names (`x_sum`, `x_count`, and `x` with a
/// `quantile` label), exactly as on the wire. A trailing timestamp is read
/// and dropped: StarRocks does not write one, and callers use fetch time.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

impl Sample {
    /// The value of the label `key`, unescaped.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn has_labels(&self, wanted: &[(&str, &str)]) -> bool {
        wanted.iter().all(|(k, v)| self.label(k) == Some(*v))
    }
}

/// Every sample of one `/metrics` body, in body order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    samples: Vec<Sample>,
    types: Vec<(String, MetricType)>,
    skipped: usize,
}

impl Metrics {
    /// Reads a whole body. Blank lines, HELP lines and unknown `#` comments
    /// are ignored; a sample or TYPE line that cannot be read is counted and
    /// skipped. Accepts `\n` and `\r\n` line ends.
    pub fn parse(text: &str) -> Metrics {
        // One allocation for the sample list: there are never more samples
        // than lines.
        let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
        let mut metrics = Metrics {
            samples: Vec::with_capacity(lines),
            types: Vec::new(),
            skipped: 0,
        };
        // Labels are gathered here and then copied into a Vec of exactly
        // their number: most samples have one label, and a growing Vec
        // would reserve four.
        let mut scratch = Vec::new();
        for line in text.split('\n') {
            let line = line.trim_matches(|c: char| c.is_ascii_whitespace());
            if line.is_empty() {
                continue;
            }
            if let Some(comment) = line.strip_prefix('#') {
                metrics.read_comment(comment);
            } else if let Some(sample) = parse_sample(line, &mut scratch) {
                metrics.samples.push(sample);
            } else {
                metrics.skipped += 1;
            }
        }
        metrics
    }

    /// `# TYPE name kind` is remembered (first declaration wins when a
    /// family is written twice); `# HELP` and other comments say nothing we
    /// use.
    fn read_comment(&mut self, comment: &str) {
        let mut words = comment.split_ascii_whitespace();
        if words.next() != Some("TYPE") {
            return;
        }
        match (words.next(), words.next(), words.next()) {
            (Some(name), Some(kind), None) if is_metric_name(name) => {
                if !self.types.iter().any(|(known, _)| known == name) {
                    self.types
                        .push((name.to_owned(), MetricType::from_word(kind)));
                }
            }
            _ => self.skipped += 1,
        }
    }

    /// All samples, in body order.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// The samples named exactly `name`.
    pub fn find<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Sample> {
        self.samples.iter().filter(move |s| s.name == name)
    }

    /// The value of the first sample named `name` whose labels include all of
    /// `labels` (it may have more).
    pub fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        self.find(name)
            .find(|s| s.has_labels(labels))
            .map(|s| s.value)
    }

    /// The sum over every sample named `name` whose labels include all of
    /// `labels`; `None` when there is none, so "absent" never reads as 0.
    pub fn sum(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        self.find(name)
            .filter(|s| s.has_labels(labels))
            .fold(None, |acc, s| Some(acc.unwrap_or(0.0) + s.value))
    }

    /// The declared type of a family. A summary's or histogram's `_sum`,
    /// `_count` and `_bucket` samples answer with their family's type.
    pub fn metric_type(&self, name: &str) -> Option<MetricType> {
        let declared = |n: &str| {
            self.types
                .iter()
                .find(|(known, _)| known == n)
                .map(|(_, t)| *t)
        };
        if let Some(t) = declared(name) {
            return Some(t);
        }
        ["_sum", "_count", "_bucket"].iter().find_map(|suffix| {
            let family = name.strip_suffix(suffix)?;
            declared(family).filter(|t| matches!(t, MetricType::Summary | MetricType::Histogram))
        })
    }

    /// How many lines looked like samples or TYPE lines but could not be
    /// read. Non-zero means the body was not quite what we expect: worth a
    /// log line, not an error.
    pub fn skipped_lines(&self) -> usize {
        self.skipped
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b':'
}

fn is_metric_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_name_byte) && !s.as_bytes()[0].is_ascii_digit()
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    i
}

/// `name{labels} value [timestamp]`, or `None` if the line is not that.
/// Delimiters are ASCII, so every index used to slice `line` sits on a char
/// boundary even when label values hold other UTF-8.
fn parse_sample(line: &str, scratch: &mut Vec<(String, String)>) -> Option<Sample> {
    scratch.clear();
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() && is_name_byte(b[i]) {
        i += 1;
    }
    let name = &line[..i];
    if !is_metric_name(name) {
        return None;
    }
    i = skip_spaces(b, i);
    if b.get(i) == Some(&b'{') {
        i = parse_labels(line, i + 1, scratch)?;
    }
    let mut rest = line[i..].split_ascii_whitespace();
    let value = parse_value(rest.next()?)?;
    if let Some(timestamp) = rest.next() {
        timestamp.parse::<i64>().ok()?;
    }
    if rest.next().is_some() {
        return None;
    }
    // Not `mem::take`: that would hand over the scratch buffer's spare room.
    let mut labels = Vec::with_capacity(scratch.len());
    labels.append(scratch);
    Some(Sample {
        name: name.to_owned(),
        labels,
        value,
    })
}

/// Reads `k="v", k2="v2"}` from just after the `{`; returns the index after
/// the `}`. Pairs may be joined by `,` or `, ` and a trailing comma is fine.
fn parse_labels(line: &str, mut i: usize, labels: &mut Vec<(String, String)>) -> Option<usize> {
    let b = line.as_bytes();
    loop {
        i = skip_spaces(b, i);
        if *b.get(i)? == b'}' {
            return Some(i + 1);
        }
        let key_start = i;
        while i < b.len() && is_name_byte(b[i]) {
            i += 1;
        }
        if i == key_start {
            return None;
        }
        let key = &line[key_start..i];
        i = skip_spaces(b, i);
        if b.get(i) != Some(&b'=') {
            return None;
        }
        i = skip_spaces(b, i + 1);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let (value, next) = parse_quoted(line, i + 1)?;
        labels.push((key.to_owned(), value));
        i = skip_spaces(b, next);
        match *b.get(i)? {
            b',' => i += 1,
            b'}' => return Some(i + 1),
            _ => return None,
        }
    }
}

/// Reads a label value up to its closing quote, undoing `\\`, `\"` and
/// `\n`. Another backslash is kept as written. Returns the value and the
/// index after the closing quote. Allocates once unless there are escapes.
fn parse_quoted(line: &str, start: usize) -> Option<(String, usize)> {
    let b = line.as_bytes();
    let mut unescaped: Option<String> = None;
    let mut segment = start;
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let value = match unescaped {
                    Some(mut s) => {
                        s.push_str(&line[segment..i]);
                        s
                    }
                    None => line[segment..i].to_owned(),
                };
                return Some((value, i + 1));
            }
            b'\\' => {
                let s = unescaped.get_or_insert_with(String::new);
                s.push_str(&line[segment..i]);
                let replacement = match *b.get(i + 1)? {
                    b'n' => Some('\n'),
                    b'\\' => Some('\\'),
                    b'"' => Some('"'),
                    _ => None,
                };
                match replacement {
                    Some(c) => {
                        s.push(c);
                        i += 2;
                    }
                    None => {
                        s.push('\\');
                        i += 1;
                    }
                }
                segment = i;
            }
            _ => i += 1,
        }
    }
    None
}

/// Rust's float syntax covers what FE and BE write: integers, Java doubles
/// (`0.0`, `1.5E7`, `1.0E-4`), `NaN`, `+Inf`, `-Inf`, and Java's `Infinity`.
fn parse_value(s: &str) -> Option<f64> {
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FE_SAMPLE: &str =
        include_str!("../../fixtures/fe_metrics_query_latency_gauge_3.3.6_issue53332.txt");
    const BE_SAMPLE: &str =
        include_str!("../../fixtures/be_metrics_mem_TYPE_lines_2.x_issue7008.txt");

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
        let m = Metrics::parse(
            "starrocks_be_cpu{mode=\"idle\"} 10\nstarrocks_be_cpu{mode=\"user\"} 5\n",
        );
        assert_eq!(m.sum("starrocks_be_cpu", &[]), Some(15.0));
        assert_eq!(m.sum("starrocks_be_cpu", &[("mode", "steal")]), None);
        assert_eq!(m.sum("missing", &[]), None);
        assert_eq!(m.value("starrocks_be_cpu", &[("mode", "user")]), Some(5.0));
        assert_eq!(m.value("starrocks_be_cpu", &[("nope", "user")]), None);
    }

    #[test]
    fn timestamps_crlf_blank_lines_and_comments() {
        let body =
            "# a free comment\r\n\r\n# EOF\r\nup 1 1700000000000\r\n  \r\nq{a=\"b\"} 2.5 -5\r\n";
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
}
