use super::*;

/// 2026-12-07 19:30:05.123 UTC
const SINCE: i64 = 1_796_671_805_123;

fn alert(rule: &str, level: HealthStatus, state: NoticeState) -> NoticeAlert {
    NoticeAlert {
        alert_id: 1,
        state,
        rule: rule.to_string(),
        level,
        title: "BE alive".to_string(),
        reason: "1 of 3 BEs is not alive".to_string(),
        action: "Check the BE's log".to_string(),
        since: SINCE,
        ended: (state == NoticeState::Resolved).then_some(SINCE + 12 * 60_000),
        link: Some("https://console.example:8443/clusters/7?from=1&to=2".to_string()),
    }
}

fn notice(alerts: Vec<NoticeAlert>) -> Notice {
    Notice {
        id: "n-42".to_string(),
        channel: "ops".to_string(),
        cluster_id: 7,
        cluster: "prod-east".to_string(),
        tags: vec!["prod".to_string(), "team-a".to_string()],
        alerts,
        link: Some("https://console.example:8443/clusters/7".to_string()),
        created_at: SINCE + 60_000,
        test: false,
        lang: "en".to_string(),
    }
}

fn two_firing() -> Notice {
    notice(vec![
        alert("be_alive", HealthStatus::Critical, NoticeState::Firing),
        alert("disk_usage", HealthStatus::Warning, NoticeState::Repeat),
    ])
}

fn resolved_one() -> Notice {
    notice(vec![alert(
        "be_alive",
        HealthStatus::Warning,
        NoticeState::Resolved,
    )])
}

/// A cluster that tries every trick: links, mentions, tags, emphasis.
fn hostile() -> Notice {
    let mut n = two_firing();
    n.cluster = "<!channel> [x](http://evil.example) <at user_id=\"all\"></at> @all *b* _i_ `c`"
        .to_string();
    for a in &mut n.alerts {
        a.title = "<b>title</b> [t](http://evil.example)".to_string();
        a.reason = "reason <@U123> & [r](http://evil.example)\n### injected heading".to_string();
    }
    n
}

fn many(count: usize) -> Notice {
    let alerts = (0..count)
        .map(|i| {
            let mut a = alert(
                &format!("rule_{i}"),
                HealthStatus::Warning,
                NoticeState::Firing,
            );
            a.reason = "r".repeat(2_000);
            a.action = "a".repeat(2_000);
            a
        })
        .collect();
    notice(alerts)
}

fn is_str(v: &Value) -> bool {
    v.is_string()
}

// --- Alertmanager -------------------------------------------------------

#[test]
fn alertmanager_has_every_field_with_its_type() {
    let body = alertmanager(&two_firing());
    for key in ["version", "groupKey", "status", "receiver", "externalURL"] {
        assert!(is_str(&body[key]), "{key}: {}", body[key]);
    }
    assert_eq!(body["version"], "4");
    assert_eq!(body["truncatedAlerts"], 0);
    assert_eq!(body["status"], "firing");
    assert_eq!(body["receiver"], "ops");
    assert_eq!(body["groupLabels"], json!({ "cluster": "prod-east" }));
    assert_eq!(body["externalURL"], "https://console.example:8443");
    assert_eq!(
        body["groupKey"],
        "{}/{receiver=\"ops\"}:{cluster=\"prod-east\"}"
    );
    let alerts = body["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 2);
    let a = &alerts[0];
    assert_eq!(a["status"], "firing");
    assert_eq!(a["labels"]["alertname"], "be_alive");
    assert_eq!(a["labels"]["cluster"], "prod-east");
    assert_eq!(a["labels"]["cluster_id"], "7");
    assert_eq!(a["labels"]["severity"], "critical");
    assert_eq!(a["labels"]["tag_prod"], "true");
    assert_eq!(a["labels"]["tag_team_a"], "true");
    assert_eq!(a["annotations"]["summary"], "BE alive");
    assert_eq!(a["annotations"]["description"], "1 of 3 BEs is not alive");
    assert_eq!(a["annotations"]["action"], "Check the BE's log");
    assert_eq!(a["annotations"]["message_id"], "n-42");
    assert_eq!(a["startsAt"], "2026-12-07T19:30:05.123Z");
    assert_eq!(a["endsAt"], "0001-01-01T00:00:00Z");
    assert_eq!(
        a["generatorURL"],
        "https://console.example:8443/clusters/7?from=1&to=2"
    );
    let fp = a["fingerprint"].as_str().unwrap();
    assert_eq!(fp.len(), 16);
    assert!(fp.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(alerts[1]["labels"]["severity"], "warning");
    // A repeat is still firing in Alertmanager's terms.
    assert_eq!(alerts[1]["status"], "firing");
}

#[test]
fn alertmanager_common_labels_are_those_all_alerts_share() {
    let body = alertmanager(&two_firing());
    let common = body["commonLabels"].as_object().unwrap();
    assert_eq!(common["cluster"], "prod-east");
    assert_eq!(common["cluster_id"], "7");
    assert_eq!(common["tag_prod"], "true");
    assert!(!common.contains_key("alertname"));
    assert!(!common.contains_key("severity"));
    assert_eq!(body["commonAnnotations"]["summary"], "BE alive");
    assert_eq!(body["commonAnnotations"]["message_id"], "n-42");

    let one = alertmanager(&resolved_one());
    assert_eq!(one["commonLabels"]["alertname"], "be_alive");
    assert_eq!(one["commonLabels"]["severity"], "warning");
}

#[test]
fn alertmanager_resolved_alerts_end() {
    let body = alertmanager(&resolved_one());
    assert_eq!(body["status"], "resolved");
    assert_eq!(body["alerts"][0]["status"], "resolved");
    assert_eq!(body["alerts"][0]["endsAt"], "2026-12-07T19:42:05.123Z");
}

#[test]
fn alertmanager_fingerprint_is_stable_per_cluster_and_rule() {
    let a = fingerprint(7, "be_alive");
    assert_eq!(a, fingerprint(7, "be_alive"));
    assert_ne!(a, fingerprint(8, "be_alive"));
    assert_ne!(a, fingerprint(7, "disk_usage"));
    // The same alert keeps its fingerprint from firing to resolved.
    let firing = alertmanager(&two_firing());
    let resolved = alertmanager(&resolved_one());
    assert_eq!(
        firing["alerts"][0]["fingerprint"],
        resolved["alerts"][0]["fingerprint"]
    );
}

#[test]
fn alertmanager_without_links_has_empty_urls() {
    let mut n = two_firing();
    n.link = None;
    for a in &mut n.alerts {
        a.link = None;
    }
    let body = alertmanager(&n);
    assert_eq!(body["externalURL"], "");
    assert_eq!(body["alerts"][0]["generatorURL"], "");
}

#[test]
fn alertmanager_counts_what_it_leaves_out() {
    let body = alertmanager(&many(52));
    assert_eq!(body["alerts"].as_array().unwrap().len(), 50);
    assert_eq!(body["truncatedAlerts"], 2);
    let reason = body["alerts"][0]["annotations"]["description"]
        .as_str()
        .unwrap();
    assert_eq!(reason.chars().count(), 1_000);
}

#[test]
fn alertmanager_marks_test_messages() {
    let mut n = two_firing();
    n.test = true;
    assert_eq!(alertmanager(&n)["commonLabels"]["test"], "true");
}

// --- DingTalk -----------------------------------------------------------

#[test]
fn dingtalk_markdown_names_cluster_level_and_count() {
    let body = dingtalk(&two_firing());
    assert_eq!(body["msgtype"], "markdown");
    let title = body["markdown"]["title"].as_str().unwrap();
    assert_eq!(title, "[Critical] prod-east: 2 alerts firing");
    let text = body["markdown"]["text"].as_str().unwrap();
    assert!(text.starts_with("### [Critical] prod-east: 2 alerts firing\n\n"));
    for needle in [
        "[Firing] BE alive",
        "[Repeat] BE alive",
        "- **Level**: Critical",
        "- **Rule**: BE alive",
        "- **Reason**: 1 of 3 BEs is not alive",
        "- **What to do**: Check the BE's log",
        "- **Since**: 2026-12-07 19:30:05 UTC",
        "[Open the overview](https://console.example:8443/clusters/7)",
        // each alert's own window, different from the notice's
        "- [Open the overview](https://console.example:8443/clusters/7?from=1&to=2)",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
}

#[test]
fn dingtalk_resolved_says_how_long_it_lasted() {
    let text = dingtalk(&resolved_one())["markdown"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.starts_with("### [Resolved] prod-east: 1 alert resolved"));
    assert!(text.contains("**Resolved, lasted 12 min**"), "{text}");
}

#[test]
fn dingtalk_in_chinese() {
    let mut n = resolved_one();
    n.lang = "zh-CN".to_string();
    let text = dingtalk(&n)["markdown"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    for needle in [
        "### [已恢复] prod-east：已恢复 1 条",
        "**集群**：prod-east",
        "**级别**：警告",
        "**规则**：BE alive",
        "**原因**：",
        "**处理建议**：",
        "**开始于**：2026-12-07 19:30:05 UTC",
        "**已恢复，持续 12 分钟**",
        "[打开概览](",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
}

#[test]
fn dingtalk_lists_at_most_fifty_alerts() {
    let text = dingtalk(&many(60))["markdown"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.len() <= 20_000, "{} bytes", text.len());
    assert!(text.contains("more alerts"), "no 'and N more'");
}

#[test]
fn markdown_dialects_neutralise_a_hostile_cluster() {
    let n = hostile();
    let texts = [
        dingtalk(&n)["markdown"]["text"]
            .as_str()
            .unwrap()
            .to_string(),
        wecom(&n)["markdown"]["content"]
            .as_str()
            .unwrap()
            .to_string(),
        feishu(&n, None)["card"]["elements"].to_string(),
    ];
    for text in texts {
        assert!(!text.contains("](http://evil"), "link injected: {text}");
        assert!(!text.contains("<at"), "mention injected: {text}");
        assert!(!text.contains("@all"), "mention injected: {text}");
        assert!(!text.contains("<b>"), "tag injected: {text}");
        assert!(!text.contains("<!channel>"), "{text}");
        assert!(!text.contains("\n### injected"), "heading injected: {text}");
        assert!(
            text.contains("evil.example"),
            "the text itself stays readable"
        );
    }
}

// --- Feishu -------------------------------------------------------------

#[test]
fn feishu_card_shape_and_colors() {
    let body = feishu(&two_firing(), None);
    assert_eq!(body["msg_type"], "interactive");
    let header = &body["card"]["header"];
    assert_eq!(header["title"]["tag"], "plain_text");
    assert_eq!(
        header["title"]["content"],
        "[Critical] prod-east: 2 alerts firing"
    );
    assert_eq!(header["template"], "red");
    assert!(body.get("sign").is_none());
    assert!(body.get("timestamp").is_none());
    let elements = body["card"]["elements"].as_array().unwrap();
    assert!(elements
        .iter()
        .any(|e| e["tag"] == "div" && e["text"]["tag"] == "lark_md"));
    let action = elements.last().unwrap();
    assert_eq!(action["tag"], "action");
    assert_eq!(action["actions"][0]["tag"], "button");
    assert_eq!(
        action["actions"][0]["url"],
        "https://console.example:8443/clusters/7"
    );
    assert_eq!(action["actions"][0]["text"]["content"], "Open the overview");

    let mut warning = two_firing();
    warning.alerts[0].level = HealthStatus::Warning;
    assert_eq!(
        feishu(&warning, None)["card"]["header"]["template"],
        "orange"
    );
    assert_eq!(
        feishu(&resolved_one(), None)["card"]["header"]["template"],
        "green"
    );
}

#[test]
fn feishu_signed_adds_timestamp_and_sign() {
    let body = feishu(&two_firing(), Some((1_765_135_805, "c2lnbg==".to_string())));
    assert_eq!(body["timestamp"], "1765135805");
    assert_eq!(body["sign"], "c2lnbg==");
}

#[test]
fn feishu_without_a_link_has_no_button() {
    let mut n = two_firing();
    n.link = None;
    for a in &mut n.alerts {
        a.link = None;
    }
    let body = feishu(&n, None);
    assert!(!body.to_string().contains("\"action\""));
}

#[test]
fn feishu_cards_stay_small() {
    let mut n = many(60);
    for a in &mut n.alerts {
        a.reason = "告".repeat(2_000);
    }
    let body = feishu(&n, Some((1, "s".to_string())));
    let size = serde_json::to_vec(&body).unwrap().len();
    assert!(size <= 20 * 1024, "{size} bytes");
    assert!(body.to_string().contains("more alerts"));
}

// --- WeCom --------------------------------------------------------------

#[test]
fn wecom_markdown_colors_firing_and_resolved() {
    let body = wecom(&two_firing());
    assert_eq!(body["msgtype"], "markdown");
    let content = body["markdown"]["content"].as_str().unwrap();
    assert!(content.starts_with("### [Critical] prod-east: 2 alerts firing"));
    assert!(content.contains("<font color=\"warning\">Critical</font>"));
    assert!(content.contains("[Open the overview](https://console.example:8443/clusters/7)"));

    let resolved = wecom(&resolved_one());
    let content = resolved["markdown"]["content"].as_str().unwrap();
    assert!(content.contains("<font color=\"info\">Resolved, lasted 12 min</font>"));
}

#[test]
fn wecom_stays_within_4096_bytes() {
    let body = wecom(&many(60));
    let content = body["markdown"]["content"].as_str().unwrap();
    assert!(content.len() <= 4_096, "{} bytes", content.len());
    assert!(content.contains("more alerts"));

    // A single alert too long on its own is cut at a character boundary.
    let mut n = many(1);
    n.alerts[0].reason = "告".repeat(1_000);
    n.alerts[0].action = "警".repeat(1_000);
    let body = wecom(&n);
    let content = body["markdown"]["content"].as_str().unwrap();
    assert!(content.len() <= 4_096 && content.len() > 4_000);
}

// --- Slack --------------------------------------------------------------

#[test]
fn slack_blocks_with_fallback_and_link() {
    let body = slack(&two_firing());
    assert_eq!(body["text"], "[Critical] prod-east: 2 alerts firing");
    let blocks = body["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["type"], "header");
    assert_eq!(blocks[0]["text"]["type"], "plain_text");
    assert_eq!(blocks[1]["type"], "section");
    assert_eq!(blocks[1]["text"]["type"], "mrkdwn");
    let first = blocks[1]["text"]["text"].as_str().unwrap();
    assert!(first.starts_with("*[Firing] BE alive*"), "{first}");
    assert!(first.contains("*Reason*: 1 of 3 BEs is not alive"));
    let last = blocks.last().unwrap()["text"]["text"].as_str().unwrap();
    assert_eq!(
        last,
        "<https://console.example:8443/clusters/7|Open the overview>"
    );
}

#[test]
fn slack_escapes_control_characters() {
    let body = slack(&hostile());
    let all = body.to_string();
    assert!(!all.contains("<!channel>"));
    assert!(!all.contains("<@U123>"));
    assert!(all.contains("&lt;!channel&gt;"));
    assert!(all.contains("&lt;@U123&gt; &amp;"));
}

#[test]
fn slack_stays_within_fifty_blocks() {
    let body = slack(&many(60));
    let blocks = body["blocks"].as_array().unwrap();
    assert!(blocks.len() <= 50, "{} blocks", blocks.len());
    let more = blocks[blocks.len() - 2]["text"]["text"].as_str().unwrap();
    assert_eq!(more, "…and 15 more alerts");
    for b in blocks.iter().skip(1) {
        assert!(b["text"]["text"].as_str().unwrap().chars().count() <= 3_000);
    }
}

// --- E-mail -------------------------------------------------------------

#[test]
fn email_subjects() {
    assert_eq!(
        email(&two_firing()).subject,
        "[CRITICAL] prod-east: 2 alerts firing"
    );
    assert_eq!(
        email(&resolved_one()).subject,
        "[RESOLVED] prod-east: BE alive"
    );
    let mut zh = two_firing();
    zh.lang = "zh-CN".to_string();
    assert_eq!(email(&zh).subject, "[严重] prod-east：告警中 2 条");
    let mut test = resolved_one();
    test.test = true;
    assert_eq!(
        email(&test).subject,
        "[TEST] [RESOLVED] prod-east: BE alive"
    );
}

#[test]
fn email_text_and_html_parts() {
    let mail = email(&resolved_one());
    for needle in [
        "[Resolved] prod-east: 1 alert resolved",
        "Cluster: prod-east",
        "Reason: 1 of 3 BEs is not alive",
        "What to do: Check the BE's log",
        "Since: 2026-12-07 19:30:05 UTC",
        "Resolved, lasted 12 min",
        "Open the overview: https://console.example:8443/clusters/7",
    ] {
        assert!(mail.text.contains(needle), "{needle:?} in {}", mail.text);
    }
    assert!(mail.html.starts_with("<!DOCTYPE html>"));
    assert!(mail.html.contains("<table"));
    assert!(mail.html.contains("Check the BE&#39;s log"));
    assert!(mail
        .html
        .contains("<a href=\"https://console.example:8443/clusters/7\""));
}

#[test]
fn email_html_escapes_the_cluster() {
    let mail = email(&hostile());
    assert!(!mail.html.contains("<b>"));
    assert!(!mail.html.contains("<at "));
    assert!(!mail.html.contains("<!channel>"));
    assert!(mail.html.contains("&lt;b&gt;title&lt;/b&gt;"));
}

// --- Everything ---------------------------------------------------------

#[test]
fn test_messages_say_so_everywhere() {
    let mut n = two_firing();
    n.test = true;
    let texts = [
        dingtalk(&n).to_string(),
        feishu(&n, None).to_string(),
        wecom(&n).to_string(),
        slack(&n).to_string(),
        email(&n).text,
        email(&n).html,
    ];
    for text in texts {
        assert!(
            text.contains("Test message: [Critical] prod-east"),
            "{text}"
        );
        assert!(text.contains("This is a test message"), "{text}");
    }
    n.lang = "zh-CN".to_string();
    assert!(dingtalk(&n)
        .to_string()
        .contains("测试消息：[严重] prod-east"));
}

#[test]
fn mixed_notices_count_both() {
    let n = notice(vec![
        alert("a", HealthStatus::Warning, NoticeState::Firing),
        alert("b", HealthStatus::Critical, NoticeState::Resolved),
    ]);
    // A resolved critical alert does not make the message critical.
    assert_eq!(
        slack(&n)["text"],
        "[Warning] prod-east: 1 firing, 1 resolved"
    );
}

#[test]
fn an_empty_notice_does_not_panic() {
    let n = notice(Vec::new());
    let _ = alertmanager(&n);
    let _ = dingtalk(&n);
    let _ = feishu(&n, None);
    let _ = wecom(&n);
    let _ = slack(&n);
    let _ = email(&n);
}
