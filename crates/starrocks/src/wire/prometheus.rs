//! A small parser for the Prometheus text that FE and BE `/metrics` return.
//!
//! Our own, because the crates we tried misread real StarRocks output (see
//! `BUILDING.md`): the FE joins labels with `", "`, writes `# TYPE  name`
//! with two spaces for JVM families, leaves HELP empty with a trailing
//! space, and label values may hold `,`, `=`, `}` and escapes. This parser
//! reads all of that, never fails and never panics: a line it cannot read is
//! counted in [`Metrics::skipped_lines`] and the rest of the body still
//! counts, because one odd line must not blank a whole dashboard.
//!
//! The body comes from a cluster and is not trusted: parsing is linear in its
//! length (a TYPE line is appended to a list, never compared with the earlier
//! ones; the families are indexed in one pass, with SipHash and random keys,
//! only when [`Metrics::metric_type`] is first asked), and [`Limits`] bounds
//! the bytes read and the samples and TYPE lines kept. A body over a limit is
//! read up to it and [`Metrics::truncated`] says so.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

/// How much of one `/metrics` body is read. The HTTP client refuses a body
/// larger than `max_body_bytes` before parsing; [`Metrics::parse_with`]
/// reads at most that many bytes (whole lines) and keeps at most
/// `max_samples` samples and as many TYPE lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Default 8 MiB (a real FE body is about 45 KB, a BE one a few hundred).
    pub max_body_bytes: usize,
    /// Default 200,000.
    pub max_samples: usize,
}

impl Limits {
    pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
    pub const DEFAULT_MAX_SAMPLES: usize = 200_000;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            max_samples: Self::DEFAULT_MAX_SAMPLES,
        }
    }
}

/// A sample line with more labels than this is not StarRocks writing (it
/// writes at most four): it is skipped, so one line cannot cost unbounded
/// memory per byte of body.
const MAX_LABELS_PER_SAMPLE: usize = 64;

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
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    samples: Vec<Sample>,
    /// Every readable TYPE line, in body order: parsing only appends, so a
    /// body of many families costs no lookups and no growing hash table.
    declared: Vec<(Box<str>, MetricType)>,
    /// The first declaration of each family, built from `declared` in one
    /// pass when a type is first asked for.
    types: OnceLock<HashMap<Box<str>, MetricType>>,
    skipped: usize,
    truncated: bool,
}

/// The same body read the same way; whether the type index was built yet
/// does not count.
impl PartialEq for Metrics {
    fn eq(&self, other: &Self) -> bool {
        self.samples == other.samples
            && self.declared == other.declared
            && self.skipped == other.skipped
            && self.truncated == other.truncated
    }
}

/// Whether reading goes on after a line.
enum Read {
    More,
    Full,
}

impl Metrics {
    /// Reads a whole body within the default [`Limits`]. Blank lines, HELP
    /// lines and unknown `#` comments are ignored; a sample or TYPE line that
    /// cannot be read is counted and skipped. Accepts `\n` and `\r\n` line ends.
    pub fn parse(text: &str) -> Metrics {
        Self::parse_with(text, Limits::default())
    }

    /// Reads at most `limits.max_body_bytes` of `text` (whole lines) and stops
    /// at `limits.max_samples` samples or declared families; either way
    /// [`Metrics::truncated`] is then true. Linear in the bytes read.
    pub fn parse_with(text: &str, limits: Limits) -> Metrics {
        let (text, cut) = whole_lines_within(text, limits.max_body_bytes);
        // One allocation for the sample list: there are never more samples
        // than lines, nor more than the cap.
        let lines = text.bytes().filter(|&b| b == b'\n').count() + 1;
        let mut metrics = Metrics {
            samples: Vec::with_capacity(lines.min(limits.max_samples)),
            truncated: cut,
            ..Metrics::default()
        };
        // Labels are gathered here and then copied into a Vec of exactly
        // their number: most samples have one label, and a growing Vec
        // would reserve four.
        let mut scratch = Vec::new();
        for line in text.split('\n') {
            let line = line.trim_matches(|c: char| c.is_ascii_whitespace());
            if let Read::Full = metrics.read_line(line, &mut scratch, limits) {
                metrics.truncated = true;
                break;
            }
        }
        metrics
    }

    fn read_line(
        &mut self,
        line: &str,
        scratch: &mut Vec<(String, String)>,
        limits: Limits,
    ) -> Read {
        if line.is_empty() {
            return Read::More;
        }
        if let Some(comment) = line.strip_prefix('#') {
            return self.read_comment(comment, limits);
        }
        if self.samples.len() >= limits.max_samples {
            return Read::Full;
        }
        match parse_sample(line, scratch) {
            Some(sample) => self.samples.push(sample),
            None => self.skipped += 1,
        }
        Read::More
    }

    /// `# TYPE name kind` is remembered (the first declaration wins when a
    /// family is written twice, see [`Metrics::metric_type`]); `# HELP` and
    /// other comments say nothing we use.
    fn read_comment(&mut self, comment: &str, limits: Limits) -> Read {
        let mut words = comment.split_ascii_whitespace();
        if words.next() != Some("TYPE") {
            return Read::More;
        }
        match (words.next(), words.next(), words.next()) {
            (Some(name), Some(kind), None) if is_metric_name(name) => {
                if self.declared.len() >= limits.max_samples {
                    return Read::Full;
                }
                self.declared
                    .push((name.into(), MetricType::from_word(kind)));
            }
            _ => self.skipped += 1,
        }
        Read::More
    }

    /// All samples, in body order.
    /// Samples read elsewhere (the `fe_metrics` table), with no TYPE lines.
    pub fn from_samples(samples: Vec<Sample>) -> Metrics {
        Metrics {
            samples,
            ..Metrics::default()
        }
    }

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

    /// The declared type of a family (its first TYPE line). A summary's or
    /// histogram's `_sum`, `_count` and `_bucket` samples answer with their
    /// family's type. The first call indexes the families in one pass; each
    /// call after that is a few hash lookups.
    pub fn metric_type(&self, name: &str) -> Option<MetricType> {
        let types = self.types.get_or_init(|| {
            let mut first = HashMap::with_capacity(self.declared.len());
            for (name, kind) in &self.declared {
                first.entry(name.clone()).or_insert(*kind);
            }
            first
        });
        let declared = |n: &str| types.get(n).copied();
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

    /// Whether the body went past a [`Limits`] cap: only what came before the
    /// cap was read. Worth saying next to the figures, which may be partial.
    pub fn truncated(&self) -> bool {
        self.truncated
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends at a line
/// end (all of `text` if it fits), and whether anything was cut.
fn whole_lines_within(text: &str, max: usize) -> (&str, bool) {
    if text.len() <= max {
        return (text, false);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end).unwrap_or_default();
    if text.as_bytes().get(end) == Some(&b'\n') {
        return (head, true);
    }
    (head.rfind('\n').map_or("", |i| &head[..i]), true)
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
        if labels.len() >= MAX_LABELS_PER_SAMPLE {
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
mod scaling_tests;
#[cfg(test)]
mod tests;
