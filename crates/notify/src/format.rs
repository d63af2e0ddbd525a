//! Each service's message body for a [`Notice`].
//!
//! Every chat message opens with one line naming the cluster, the worst
//! level and how many alerts (see [`text::headline`]); each alert then shows
//! its state, level, rule title, reason, what to do, since when, and for a
//! resolved one how long it lasted. Whatever a cluster controls is escaped
//! for the dialect at hand ([`text`]).

pub mod text;

use crate::{Notice, NoticeAlert, NoticeState};
use model::overview::HealthStatus;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use text::Words;

/// Alertmanager writes this for an alert that has not ended.
const NOT_ENDED: &str = "0001-01-01T00:00:00Z";
/// WeCom refuses markdown content over 4096 bytes.
const WECOM_MAX_BYTES: usize = 4_096;
/// The alerts' share of a DingTalk message: the robots refuse overlong
/// messages (about 20,000 bytes), and the headline and links need room too.
const DINGTALK_BUDGET: usize = 18_000;
/// The alerts' share of a Feishu card: custom bots take request bodies up to
/// 20 KB, and each alert's element adds JSON around its text.
const FEISHU_BUDGET: usize = 14_000;
/// Slack allows 50 blocks a message: the header, a test note, the "more"
/// line and the link leave this many for alerts.
const SLACK_MAX_ALERTS: usize = 45;
/// Slack's limits for a header's plain text and a section's mrkdwn.
const SLACK_HEADER_CHARS: usize = 150;
const SLACK_SECTION_CHARS: usize = 3_000;
/// Room kept for the "and N more" line when fitting alerts in a budget.
const MORE_LINE_BYTES: usize = 120;

/// One alert's content, already escaped for a dialect; the dialects differ
/// only in how they lay it out.
struct AlertView {
    state: &'static str,
    level: &'static str,
    title: String,
    reason: String,
    action: String,
    since: String,
    /// "Resolved, lasted 12 min" for a resolved alert.
    resolved: Option<String>,
    link: Option<String>,
    resolved_state: bool,
}

impl AlertView {
    fn new(n: &Notice, w: &Words, a: &NoticeAlert, escape: fn(&str) -> String) -> Self {
        Self {
            state: w.state(a.state),
            level: w.level_of(a.level),
            title: escape(&text::one_line(&a.title)),
            reason: escape(&text::field(&a.reason)),
            action: escape(&text::field(&a.action)),
            since: text::utc(a.since),
            resolved: text::lasted(a).map(|ms| w.resolved_after(ms)),
            link: text::alert_link(n, a),
            resolved_state: a.state == NoticeState::Resolved,
        }
    }

    /// The label/value lines every dialect shows, in order.
    fn lines(&self, w: &Words) -> Vec<(&'static str, String)> {
        let mut out = vec![
            (w.level, self.level.to_string()),
            (w.rule, self.title.clone()),
        ];
        if !self.reason.is_empty() {
            out.push((w.reason, self.reason.clone()));
        }
        if !self.action.is_empty() {
            out.push((w.action, self.action.clone()));
        }
        out.push((w.since, self.since.clone()));
        out
    }
}

fn views(n: &Notice, w: &Words, max: usize, escape: fn(&str) -> String) -> (Vec<AlertView>, usize) {
    let (shown, more) = text::listed(n, max);
    let views = shown
        .iter()
        .map(|a| AlertView::new(n, w, a, escape))
        .collect();
    (views, more)
}

/// Keeps whole alert blocks while they fit in `budget` bytes, so a long
/// message loses alerts (counted in "and N more") rather than a cut one.
fn fit(blocks: Vec<String>, more: usize, budget: usize) -> (Vec<String>, usize) {
    let total = blocks.len();
    let mut used = 0;
    let mut kept = Vec::with_capacity(total);
    for block in blocks {
        if !kept.is_empty() && used + block.len() + MORE_LINE_BYTES > budget {
            break;
        }
        used += block.len();
        kept.push(block);
    }
    let dropped = total - kept.len();
    (kept, more + dropped)
}

// --- Alertmanager -------------------------------------------------------

/// Prometheus Alertmanager's webhook body (version 4), so anything that
/// takes Alertmanager's webhooks (PagerDuty bridges, alert routers, custom
/// scripts) takes ours.
pub fn alertmanager(n: &Notice) -> Value {
    let (shown, truncated) = text::listed(n, text::MAX_ALERTS);
    let alerts: Vec<Value> = shown.iter().map(|a| am_alert(n, a)).collect();
    let labels: Vec<Map<String, Value>> = shown.iter().map(|a| am_labels(n, a)).collect();
    let annotations: Vec<Map<String, Value>> = shown.iter().map(|a| am_annotations(n, a)).collect();
    json!({
        "version": "4",
        "groupKey": format!(
            "{{}}/{{receiver={}}}:{{cluster={}}}",
            go_quote(&n.channel),
            go_quote(&n.cluster)
        ),
        "truncatedAlerts": truncated,
        "status": if n.firing() { "firing" } else { "resolved" },
        "receiver": n.channel,
        "groupLabels": { "cluster": n.cluster },
        "commonLabels": common(&labels),
        "commonAnnotations": common(&annotations),
        "externalURL": external_url(n),
        "alerts": alerts,
    })
}

fn am_alert(n: &Notice, a: &NoticeAlert) -> Value {
    let resolved = a.state == NoticeState::Resolved;
    let ends = match (resolved, a.ended) {
        (true, Some(end)) => text::rfc3339(end),
        (true, None) => text::rfc3339(n.created_at),
        (false, _) => NOT_ENDED.to_string(),
    };
    json!({
        "status": if resolved { "resolved" } else { "firing" },
        "labels": am_labels(n, a),
        "annotations": am_annotations(n, a),
        "startsAt": text::rfc3339(a.since),
        "endsAt": ends,
        "generatorURL": a.link.clone().unwrap_or_default(),
        "fingerprint": fingerprint(n.cluster_id, &a.rule),
    })
}

fn am_labels(n: &Notice, a: &NoticeAlert) -> Map<String, Value> {
    let mut labels = Map::new();
    labels.insert("alertname".into(), a.rule.clone().into());
    labels.insert("cluster".into(), n.cluster.clone().into());
    labels.insert("cluster_id".into(), n.cluster_id.to_string().into());
    let severity = match a.level {
        HealthStatus::Critical => "critical",
        _ => "warning",
    };
    labels.insert("severity".into(), severity.into());
    for tag in &n.tags {
        labels.insert(format!("tag_{}", label_name(tag)), "true".into());
    }
    if n.test {
        // Lets a receiver's routing drop or divert the console's samples.
        labels.insert("test".into(), "true".into());
    }
    labels
}

fn am_annotations(n: &Notice, a: &NoticeAlert) -> Map<String, Value> {
    let mut annotations = Map::new();
    annotations.insert("summary".into(), a.title.clone().into());
    annotations.insert(
        "description".into(),
        text::cap_chars(&a.reason, text::MAX_FIELD_CHARS).into(),
    );
    annotations.insert(
        "action".into(),
        text::cap_chars(&a.action, text::MAX_FIELD_CHARS).into(),
    );
    annotations.insert("message_id".into(), n.id.clone().into());
    annotations
}

/// The entries every map has with the same value (Alertmanager's
/// `commonLabels` and `commonAnnotations`).
fn common(maps: &[Map<String, Value>]) -> Map<String, Value> {
    let Some((first, rest)) = maps.split_first() else {
        return Map::new();
    };
    let mut out = first.clone();
    out.retain(|k, v| rest.iter().all(|m| m.get(k) == Some(v)));
    out
}

/// A tag as a Prometheus label name's tail: tags may hold `-`, spaces or
/// Chinese, label names only `[A-Za-z0-9_]`.
fn label_name(tag: &str) -> String {
    tag.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A label value quoted the way Alertmanager's group keys quote them.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// Stable over an alert's life, so a receiver can group its firing and
/// resolved messages: the first 8 bytes of SHA-256 over cluster and rule.
fn fingerprint(cluster_id: i64, rule: &str) -> String {
    let digest = Sha256::digest(format!("{cluster_id}\0{rule}").as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The console's origin, from whichever link the notice has.
fn external_url(n: &Notice) -> String {
    let link = n
        .link
        .as_deref()
        .or_else(|| n.alerts.iter().find_map(|a| a.link.as_deref()));
    link.and_then(|l| reqwest::Url::parse(l).ok())
        .map(|u| u.origin().ascii_serialization())
        .filter(|origin| origin != "null")
        .unwrap_or_default()
}

// --- DingTalk -----------------------------------------------------------

/// A DingTalk custom robot's markdown message.
pub fn dingtalk(n: &Notice) -> Value {
    let w = text::words(&n.lang);
    let cluster = text::markdown(&n.cluster);
    let headline = text::headline(n, w, &cluster);
    let (alerts, more) = views(n, w, text::MAX_ALERTS, text::markdown);
    let blocks = alerts.iter().map(|v| dingtalk_alert(w, v)).collect();
    let (blocks, more) = fit(blocks, more, DINGTALK_BUDGET);

    let mut parts = vec![format!("### {headline}")];
    if n.test {
        parts.push(format!("**{}**", w.test_note));
    }
    parts.push(format!("**{}**{}{cluster}", w.cluster, w.colon));
    parts.extend(blocks);
    if more > 0 {
        parts.push(w.more(more));
    }
    if let Some(link) = text::notice_link(n) {
        parts.push(format!("[{}]({link})", w.open));
    }
    json!({
        "msgtype": "markdown",
        // The title is what the chat list and the phone's notification show.
        "markdown": { "title": headline, "text": parts.join("\n\n") },
    })
}

fn dingtalk_alert(w: &Words, v: &AlertView) -> String {
    let mut lines = vec!["---".to_string(), format!("#### [{}] {}", v.state, v.title)];
    for (label, value) in v.lines(w) {
        lines.push(format!("- **{label}**{}{value}", w.colon));
    }
    if let Some(resolved) = &v.resolved {
        lines.push(format!("- **{resolved}**"));
    }
    if let Some(link) = &v.link {
        lines.push(format!("- [{}]({link})", w.open));
    }
    lines.join("\n\n")
}

// --- Feishu -------------------------------------------------------------

/// A Feishu/Lark interactive card; `signed` is `(timestamp_s, sign)` for a
/// bot with signature verification on.
pub fn feishu(n: &Notice, signed: Option<(i64, String)>) -> Value {
    let w = text::words(&n.lang);
    let headline = text::headline(n, w, &text::one_line(&n.cluster));
    let (alerts, more) = views(n, w, text::MAX_ALERTS, text::markdown);
    let blocks = alerts.iter().map(|v| feishu_alert(w, v)).collect();
    let (blocks, more) = fit(blocks, more, FEISHU_BUDGET);

    let mut elements = Vec::new();
    if n.test {
        elements.push(lark_div(format!("**{}**", w.test_note)));
    }
    elements.push(lark_div(format!(
        "**{}**{}{}",
        w.cluster,
        w.colon,
        text::markdown(&n.cluster)
    )));
    for block in blocks {
        elements.push(json!({ "tag": "hr" }));
        elements.push(lark_div(block));
    }
    if more > 0 {
        elements.push(lark_div(w.more(more)));
    }
    if let Some(link) = text::notice_link(n) {
        elements.push(json!({
            "tag": "action",
            "actions": [{
                "tag": "button",
                "text": { "tag": "plain_text", "content": w.open },
                "type": "primary",
                "url": link,
            }],
        }));
    }

    let mut body = json!({
        "msg_type": "interactive",
        "card": {
            "config": { "wide_screen_mode": true },
            "header": {
                // plain_text renders no markup, so the cluster's name needs no escaping here.
                "title": { "tag": "plain_text", "content": headline },
                "template": feishu_color(n),
            },
            "elements": elements,
        },
    });
    if let (Some((ts, sign)), Some(obj)) = (signed, body.as_object_mut()) {
        obj.insert("timestamp".into(), ts.to_string().into());
        obj.insert("sign".into(), sign.into());
    }
    body
}

fn feishu_color(n: &Notice) -> &'static str {
    match (n.firing(), n.worst()) {
        (false, _) => "green",
        (true, HealthStatus::Critical) => "red",
        (true, _) => "orange",
    }
}

fn lark_div(content: String) -> Value {
    json!({ "tag": "div", "text": { "tag": "lark_md", "content": content } })
}

fn feishu_alert(w: &Words, v: &AlertView) -> String {
    let mut lines = vec![format!("**[{}] {}**", v.state, v.title)];
    for (label, value) in v.lines(w) {
        lines.push(format!("**{label}**{}{value}", w.colon));
    }
    if let Some(resolved) = &v.resolved {
        lines.push(format!("**{resolved}**"));
    }
    if let Some(link) = &v.link {
        lines.push(format!("[{}]({link})", w.open));
    }
    lines.join("\n")
}

// --- WeCom --------------------------------------------------------------

/// A WeCom group robot's markdown message, within its 4096-byte limit.
pub fn wecom(n: &Notice) -> Value {
    let w = text::words(&n.lang);
    let cluster = text::markdown(&n.cluster);
    let headline = text::headline(n, w, &cluster);
    let (alerts, more) = views(n, w, text::MAX_ALERTS, text::markdown);

    let mut head = vec![format!("### {headline}")];
    if n.test {
        head.push(format!("**{}**", w.test_note));
    }
    head.push(format!("> {}{}{cluster}", w.cluster, w.colon));
    let link = text::notice_link(n).map(|l| format!("[{}]({l})", w.open));
    let fixed =
        head.iter().map(String::len).sum::<usize>() + link.as_ref().map_or(0, String::len) + 16;

    let blocks = alerts.iter().map(|v| wecom_alert(w, v)).collect();
    let (blocks, more) = fit(blocks, more, WECOM_MAX_BYTES.saturating_sub(fixed));

    let mut parts = head;
    parts.extend(blocks);
    if more > 0 {
        parts.push(w.more(more));
    }
    parts.extend(link);
    let content = parts.join("\n");
    // One alert can still be too long on its own (two 1,000-character
    // Chinese fields are 6 KB); WeCom would refuse the whole message.
    let content = text::cut_bytes(&content, WECOM_MAX_BYTES);
    json!({ "msgtype": "markdown", "markdown": { "content": content } })
}

fn wecom_alert(w: &Words, v: &AlertView) -> String {
    let color = if v.resolved_state { "info" } else { "warning" };
    let mut lines = vec![format!(
        "**<font color=\"{color}\">[{}]</font> {}**",
        v.state, v.title
    )];
    for (label, value) in v.lines(w) {
        let value = if label == w.level {
            format!("<font color=\"{color}\">{value}</font>")
        } else {
            value
        };
        lines.push(format!("> {label}{}{value}", w.colon));
    }
    if let Some(resolved) = &v.resolved {
        lines.push(format!("> <font color=\"info\">{resolved}</font>"));
    }
    if let Some(link) = &v.link {
        lines.push(format!("> [{}]({link})", w.open));
    }
    lines.join("\n")
}

// --- Slack --------------------------------------------------------------

/// A Slack incoming webhook's message: Block Kit, with `text` as the
/// notification's fallback.
pub fn slack(n: &Notice) -> Value {
    let w = text::words(&n.lang);
    // Slack decodes its three entities in plain_text as well, and the
    // header is also what some clients show in a notification.
    let fallback = text::headline(n, w, &text::slack(&n.cluster));
    let (alerts, more) = views(n, w, SLACK_MAX_ALERTS, text::slack);

    let mut blocks = vec![json!({
        "type": "header",
        "text": { "type": "plain_text", "text": text::cap_chars(&fallback, SLACK_HEADER_CHARS) },
    })];
    if n.test {
        blocks.push(slack_section(format!("*{}*", w.test_note)));
    }
    for v in &alerts {
        blocks.push(slack_section(slack_alert(w, v)));
    }
    if more > 0 {
        blocks.push(slack_section(w.more(more)));
    }
    if let Some(link) = text::notice_link(n) {
        blocks.push(slack_section(format!("<{link}|{}>", w.open)));
    }
    json!({ "text": fallback, "blocks": blocks })
}

fn slack_section(mrkdwn: String) -> Value {
    json!({
        "type": "section",
        "text": { "type": "mrkdwn", "text": text::cap_chars(&mrkdwn, SLACK_SECTION_CHARS) },
    })
}

fn slack_alert(w: &Words, v: &AlertView) -> String {
    let mut lines = vec![format!("*[{}] {}*", v.state, v.title)];
    for (label, value) in v.lines(w) {
        lines.push(format!("*{label}*{}{value}", w.colon));
    }
    if let Some(resolved) = &v.resolved {
        lines.push(format!("*{resolved}*"));
    }
    if let Some(link) = &v.link {
        lines.push(format!("<{link}|{}>", w.open));
    }
    lines.join("\n")
}

// --- E-mail -------------------------------------------------------------

/// An e-mail's subject and its two alternative bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn email(n: &Notice) -> Email {
    let w = text::words(&n.lang);
    Email {
        subject: email_subject(n, w),
        text: email_text(n, w),
        html: email_html(n, w),
    }
}

/// "[CRITICAL] prod-east: 2 alerts firing", or the alert's title when there
/// is only one: "[RESOLVED] prod-east: BE alive".
fn email_subject(n: &Notice, w: &Words) -> String {
    let level = if n.firing() {
        w.level_of(n.worst())
    } else {
        w.resolved
    };
    let level = if w.zh {
        level.to_string()
    } else {
        level.to_uppercase()
    };
    let (firing, resolved) = text::split_counts(n);
    let what = match n.alerts.as_slice() {
        [only] => text::one_line(&only.title),
        _ => w.counts(firing, resolved),
    };
    let test = if n.test {
        let t = if w.zh {
            w.test.to_string()
        } else {
            "TEST".to_string()
        };
        format!("[{t}] ")
    } else {
        String::new()
    };
    format!(
        "{test}[{level}] {}{}{what}",
        text::one_line(&n.cluster),
        w.colon
    )
}

fn email_text(n: &Notice, w: &Words) -> String {
    let (alerts, more) = views(n, w, text::MAX_ALERTS, |s| s.to_string());
    let mut out = vec![text::headline(n, w, &text::one_line(&n.cluster))];
    if n.test {
        out.push(w.test_note.to_string());
    }
    out.push(format!(
        "{}{}{}",
        w.cluster,
        w.colon,
        text::one_line(&n.cluster)
    ));
    for v in &alerts {
        let mut block = vec![format!("[{}] {}", v.state, v.title)];
        for (label, value) in v.lines(w) {
            block.push(format!("  {label}{}{value}", w.colon));
        }
        if let Some(resolved) = &v.resolved {
            block.push(format!("  {resolved}"));
        }
        if let Some(link) = &v.link {
            block.push(format!("  {}{}{link}", w.open, w.colon));
        }
        out.push(block.join("\n"));
    }
    if more > 0 {
        out.push(w.more(more));
    }
    if let Some(link) = text::notice_link(n) {
        out.push(format!("{}{}{link}", w.open, w.colon));
    }
    out.join("\n\n") + "\n"
}

fn email_html(n: &Notice, w: &Words) -> String {
    let (alerts, more) = views(n, w, text::MAX_ALERTS, text::html);
    let cluster = text::html(&text::one_line(&n.cluster));
    let color = match feishu_color(n) {
        "green" => "#2e7d32",
        "red" => "#c62828",
        _ => "#ef6c00",
    };
    let mut out = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>\
         <body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222\">",
    );
    out.push_str(&format!(
        "<h2 style=\"color:{color};margin:0 0 12px\">{}</h2>",
        text::headline(n, w, &cluster)
    ));
    if n.test {
        out.push_str(&format!(
            "<p style=\"background:#e3f2fd;padding:8px\"><strong>{}</strong></p>",
            text::html(w.test_note)
        ));
    }
    out.push_str(&format!(
        "<p><strong>{}</strong>{}{cluster}</p>",
        w.cluster, w.colon
    ));
    for v in &alerts {
        out.push_str(&email_html_alert(w, v));
    }
    if more > 0 {
        out.push_str(&format!("<p>{}</p>", text::html(&w.more(more))));
    }
    if let Some(link) = text::notice_link(n) {
        out.push_str(&format!(
            "<p><a href=\"{}\" style=\"color:#1565c0\">{}</a></p>",
            text::html(&link),
            w.open
        ));
    }
    out.push_str("</body></html>");
    out
}

fn email_html_alert(w: &Words, v: &AlertView) -> String {
    let cell = "padding:4px 8px;border:1px solid #ddd;vertical-align:top";
    let mut out = format!(
        "<table style=\"border-collapse:collapse;margin:12px 0;min-width:480px\">\
         <tr><th colspan=\"2\" style=\"{cell};text-align:left;background:#f5f5f5\">[{}] {}</th></tr>",
        v.state, v.title
    );
    for (label, value) in v.lines(w) {
        out.push_str(&format!(
            "<tr><td style=\"{cell};white-space:nowrap\"><strong>{label}</strong></td><td style=\"{cell}\">{value}</td></tr>"
        ));
    }
    if let Some(resolved) = &v.resolved {
        out.push_str(&format!(
            "<tr><td colspan=\"2\" style=\"{cell};color:#2e7d32\"><strong>{resolved}</strong></td></tr>"
        ));
    }
    if let Some(link) = &v.link {
        out.push_str(&format!(
            "<tr><td colspan=\"2\" style=\"{cell}\"><a href=\"{}\">{}</a></td></tr>",
            text::html(link),
            w.open
        ));
    }
    out.push_str("</table>");
    out
}

#[cfg(test)]
mod tests;
