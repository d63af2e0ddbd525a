//! What every format shares: the message's own words in the channel's
//! language, times and durations, length caps, and the escaping that keeps a
//! cluster's text (its name, a reason quoting an FE's error…) from turning
//! into markup, links or mentions in the receiver.

use crate::{Notice, NoticeAlert, NoticeState};
use chrono::{DateTime, SecondsFormat};
use model::overview::HealthStatus;

/// An alert's reason and action at most this long: a stack trace in a
/// reason should not push the rest of the message past the services' limits.
pub const MAX_FIELD_CHARS: usize = 1_000;
/// Alerts listed in one message; the rest are counted ("and N more").
pub const MAX_ALERTS: usize = 50;

/// The message's own labels in one language.
pub struct Words {
    pub zh: bool,
    pub cluster: &'static str,
    pub level: &'static str,
    pub warning: &'static str,
    pub critical: &'static str,
    pub rule: &'static str,
    pub reason: &'static str,
    pub action: &'static str,
    pub since: &'static str,
    pub resolved: &'static str,
    pub lasted: &'static str,
    pub open: &'static str,
    pub test: &'static str,
    pub test_note: &'static str,
    pub firing: &'static str,
    pub repeat: &'static str,
    /// Between a label and its value.
    pub colon: &'static str,
    /// Between "Resolved" and "lasted …".
    pub comma: &'static str,
}

const EN: Words = Words {
    zh: false,
    cluster: "Cluster",
    level: "Level",
    warning: "Warning",
    critical: "Critical",
    rule: "Rule",
    reason: "Reason",
    action: "What to do",
    since: "Since",
    resolved: "Resolved",
    lasted: "lasted",
    open: "Open the overview",
    test: "Test message",
    test_note: "This is a test message sent from the console; no alert is open.",
    firing: "Firing",
    repeat: "Repeat",
    colon: ": ",
    comma: ", ",
};

const ZH: Words = Words {
    zh: true,
    cluster: "集群",
    level: "级别",
    warning: "警告",
    critical: "严重",
    rule: "规则",
    reason: "原因",
    action: "处理建议",
    since: "开始于",
    resolved: "已恢复",
    lasted: "持续",
    open: "打开概览",
    test: "测试消息",
    test_note: "这是从控制台发送的测试消息，并没有告警发生。",
    firing: "告警中",
    repeat: "仍在告警",
    colon: "：",
    comma: "，",
};

/// The words for a channel's `lang`; anything but Chinese is English, so a
/// channel saved with a language the console later drops still gets words.
pub fn words(lang: &str) -> &'static Words {
    if lang.eq_ignore_ascii_case("zh-CN") || lang.eq_ignore_ascii_case("zh") {
        &ZH
    } else {
        &EN
    }
}

impl Words {
    pub fn level_of(&self, level: HealthStatus) -> &'static str {
        match level {
            HealthStatus::Critical => self.critical,
            _ => self.warning,
        }
    }

    pub fn state(&self, state: NoticeState) -> &'static str {
        match state {
            NoticeState::Firing => self.firing,
            NoticeState::Repeat => self.repeat,
            NoticeState::Resolved => self.resolved,
        }
    }

    /// "2 alerts firing", "1 alert resolved", "2 firing, 1 resolved".
    pub fn counts(&self, firing: usize, resolved: usize) -> String {
        let plural = |n: usize| if n == 1 { "alert" } else { "alerts" };
        match (self.zh, firing, resolved) {
            (true, f, 0) => format!("告警中 {f} 条"),
            (true, 0, r) => format!("已恢复 {r} 条"),
            (true, f, r) => format!("告警中 {f} 条，已恢复 {r} 条"),
            (false, f, 0) => format!("{f} {} firing", plural(f)),
            (false, 0, r) => format!("{r} {} resolved", plural(r)),
            (false, f, r) => format!("{f} firing, {r} resolved"),
        }
    }

    pub fn more(&self, n: usize) -> String {
        if self.zh {
            format!("……另有 {n} 条告警未列出")
        } else if n == 1 {
            "…and 1 more alert".to_string()
        } else {
            format!("…and {n} more alerts")
        }
    }

    /// "Resolved, lasted 12 min".
    pub fn resolved_after(&self, ms: i64) -> String {
        format!(
            "{}{}{} {}",
            self.resolved,
            self.comma,
            self.lasted,
            self.duration(ms)
        )
    }

    /// The two largest units: "1 h 5 min", "3 min 20 s", "1 小时 5 分钟".
    pub fn duration(&self, ms: i64) -> String {
        let secs = ms.max(0) / 1000;
        let units: [(i64, &str, &str); 4] = [
            (86_400, "d", "天"),
            (3_600, "h", "小时"),
            (60, "min", "分钟"),
            (1, "s", "秒"),
        ];
        let unit = |i: usize| if self.zh { units[i].2 } else { units[i].1 };
        let first = units
            .iter()
            .position(|(size, _, _)| secs >= *size)
            .unwrap_or(units.len() - 1);
        let (size, _, _) = units[first];
        let mut out = format!("{} {}", secs / size, unit(first));
        if let Some(&(next, _, _)) = units.get(first + 1) {
            let rest = (secs % size) / next;
            if rest > 0 {
                out.push_str(&format!(" {rest} {}", unit(first + 1)));
            }
        }
        out
    }
}

/// The message's first line: test marker, worst level (or "Resolved"),
/// cluster and how many alerts, e.g. "[Critical] prod-east: 2 alerts firing".
/// The cluster's name is passed in already escaped for the dialect.
pub fn headline(n: &Notice, w: &Words, cluster: &str) -> String {
    let (firing, resolved) = split_counts(n);
    let level = if n.firing() {
        w.level_of(n.worst())
    } else {
        w.resolved
    };
    let test = if n.test {
        format!("{}{}", w.test, w.colon)
    } else {
        String::new()
    };
    format!(
        "{test}[{level}] {cluster}{}{}",
        w.colon,
        w.counts(firing, resolved)
    )
}

pub fn split_counts(n: &Notice) -> (usize, usize) {
    let resolved = n
        .alerts
        .iter()
        .filter(|a| a.state == NoticeState::Resolved)
        .count();
    (n.alerts.len() - resolved, resolved)
}

/// The alerts a message lists and how many it leaves out.
pub fn listed(n: &Notice, max: usize) -> (&[NoticeAlert], usize) {
    let shown = n.alerts.len().min(max);
    (&n.alerts[..shown], n.alerts.len() - shown)
}

/// "2026-12-07 19:30:05 UTC"; UTC because the receivers' readers may sit in
/// any time zone and the console shows the same instant.
pub fn utc(ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(t) => t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        None => format!("{ms} ms"),
    }
}

/// RFC 3339 with milliseconds, as Alertmanager writes `startsAt`.
pub fn rfc3339(ms: i64) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => "0001-01-01T00:00:00Z".to_string(),
    }
}

/// At most `max` characters, the last one an ellipsis when cut.
pub fn cap_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// At most `max` bytes, cut at a character boundary (WeCom counts bytes).
pub fn cut_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A reason or action as the formats show it: capped, and on one line so it
/// cannot start a heading or a list item of its own.
pub fn field(s: &str) -> String {
    cap_chars(&one_line(s), MAX_FIELD_CHARS)
}

pub fn one_line(s: &str) -> String {
    s.split(['\n', '\r', '\t'])
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Neutralises a cluster's text for the chat Markdown dialects (DingTalk,
/// Feishu's lark_md, WeCom). Their renderers differ and none documents a
/// reliable backslash escape, so the characters that make links, images,
/// emphasis, code, HTML tags (`<font>`, `<at>`) and mentions become their
/// full-width look-alikes, which every renderer shows as plain text.
pub fn markdown(s: &str) -> String {
    one_line(s)
        .chars()
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            '<' => '＜',
            '>' => '＞',
            '*' => '＊',
            '_' => '＿',
            '`' => '｀',
            '~' => '～',
            '@' => '＠',
            '#' => '＃',
            '|' => '｜',
            other => other,
        })
        .collect()
}

/// Slack's own escaping: only `&`, `<` and `>` are special, and escaping
/// them is what stops `<!channel>`, `<@U…>` and `<url|text>`.
pub fn slack(s: &str) -> String {
    one_line(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// A link the formats may put in a message: only http(s), and with the
/// characters that would end a Markdown `(url)`, a Slack `<url|text>` or an
/// HTML attribute percent-encoded, so even a console address with odd
/// characters cannot break out of the link.
pub fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '\'' => out.push_str("%27"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            '|' => out.push_str("%7C"),
            c if c.is_control() => {}
            other => out.push(other),
        }
    }
    Some(out)
}

/// The link a message ends with: the notice's, else the only alert's.
pub fn notice_link(n: &Notice) -> Option<String> {
    let only_alert = match n.alerts.as_slice() {
        [only] => only.link.as_deref(),
        _ => None,
    };
    n.link.as_deref().or(only_alert).and_then(safe_url)
}

/// An alert's own link, when it adds something to the notice's.
pub fn alert_link(n: &Notice, a: &NoticeAlert) -> Option<String> {
    let link = a.link.as_deref()?;
    if n.alerts.len() == 1 || n.link.as_deref() == Some(link) {
        return None;
    }
    safe_url(link)
}

/// How long a resolved alert lasted.
pub fn lasted(a: &NoticeAlert) -> Option<i64> {
    match (a.state, a.ended) {
        (NoticeState::Resolved, Some(end)) => Some(end - a.since),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_the_two_largest_units() {
        let en = words("en");
        assert_eq!(en.duration(0), "0 s");
        assert_eq!(en.duration(45_000), "45 s");
        assert_eq!(en.duration(200_000), "3 min 20 s");
        assert_eq!(en.duration(12 * 60_000), "12 min");
        assert_eq!(en.duration(3_900_000), "1 h 5 min");
        assert_eq!(en.duration(90_061_000), "1 d 1 h");
        assert_eq!(en.duration(-5), "0 s");
        let zh = words("zh-CN");
        assert_eq!(zh.duration(3_900_000), "1 小时 5 分钟");
        assert_eq!(zh.duration(200_000), "3 分钟 20 秒");
    }

    #[test]
    fn unknown_languages_fall_back_to_english() {
        assert!(!words("fr").zh);
        assert!(!words("").zh);
        assert!(words("zh-CN").zh);
    }

    #[test]
    fn times_are_utc() {
        // 2026-12-07 19:30:05.123 UTC
        let ms = 1_796_671_805_123;
        assert_eq!(utc(ms), "2026-12-07 19:30:05 UTC");
        assert_eq!(rfc3339(ms), "2026-12-07T19:30:05.123Z");
    }

    #[test]
    fn caps_count_characters_and_cut_bytes_at_boundaries() {
        let long = "告".repeat(1_500);
        let capped = cap_chars(&long, MAX_FIELD_CHARS);
        assert_eq!(capped.chars().count(), MAX_FIELD_CHARS);
        assert!(capped.ends_with('…'));
        assert_eq!(cap_chars("short", 10), "short");
        // "告" is three bytes: four bytes hold only one.
        assert_eq!(cut_bytes("告告", 4), "告");
        assert_eq!(cut_bytes("ab", 4), "ab");
    }

    #[test]
    fn markdown_neutralises_links_tags_and_mentions() {
        let s = markdown("[x](http://evil) <at id=all></at> @all **b** _i_ `c`\n### h");
        for bad in ['[', ']', '<', '>', '@', '*', '_', '`', '\n', '#'] {
            assert!(!s.contains(bad), "{bad:?} left in {s}");
        }
    }

    #[test]
    fn slack_escapes_its_three_characters() {
        assert_eq!(
            slack("<!channel> & <@U1>"),
            "&lt;!channel&gt; &amp; &lt;@U1&gt;"
        );
    }

    #[test]
    fn html_escapes_quotes_too() {
        assert_eq!(
            html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn only_http_links_survive_and_cannot_break_out() {
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(
            safe_url("https://c.example/x?a=(1)|<b> c").as_deref(),
            Some("https://c.example/x?a=%281%29%7C%3Cb%3E%20c")
        );
    }
}
