//! `deliver` against real receivers on loopback (tests/support): an HTTP
//! server that answers like each service and checks their signatures the
//! way the services document, and a real SMTP server.

mod support;

use model::overview::HealthStatus;
use notify::{deliver, Notice, NoticeAlert, NoticeState, SmtpSettings, SmtpTls, Target};
use serde_json::Value;
use std::time::Duration;
use support::{Mode, Receiver, Secrets, SmtpReceiver};

const TIMEOUT: Duration = Duration::from_secs(5);

fn notice() -> Notice {
    Notice {
        id: "n-7-42".to_string(),
        channel: "ops".to_string(),
        cluster_id: 7,
        cluster: "prod-east".to_string(),
        tags: vec!["prod".to_string()],
        alerts: vec![
            NoticeAlert {
                alert_id: 1,
                state: NoticeState::Firing,
                rule: "be_alive".to_string(),
                level: HealthStatus::Critical,
                title: "BE alive".to_string(),
                reason: "1 of 3 BEs is not alive".to_string(),
                action: "Check the BE's log".to_string(),
                since: 1_796_671_805_123,
                ended: None,
                link: Some("http://console.test/clusters/7?from=1".to_string()),
            },
            NoticeAlert {
                alert_id: 2,
                state: NoticeState::Resolved,
                rule: "disk_usage".to_string(),
                level: HealthStatus::Warning,
                title: "Disk usage".to_string(),
                reason: "Disk 91% full".to_string(),
                action: "Free space".to_string(),
                since: 1_796_671_805_123,
                ended: Some(1_796_672_525_123),
                link: None,
            },
        ],
        link: Some("http://console.test/clusters/7".to_string()),
        created_at: 1_796_672_525_123,
        test: false,
        lang: "en".to_string(),
    }
}

fn http() -> reqwest::Client {
    // A proxy from the environment would stand between us and loopback.
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a plain HTTP client")
}

// --- Webhook ------------------------------------------------------------

#[tokio::test]
async fn webhook_gets_alertmanager_body_and_headers() {
    let rx = Receiver::start().await;
    let target = Target::Webhook {
        url: rx.url("/webhook"),
        headers: vec![
            ("Authorization".to_string(), "Bearer t0ken".to_string()),
            ("X-Team".to_string(), "dba".to_string()),
            ("bad header".to_string(), "skipped".to_string()),
            ("X-Bad-Value".to_string(), "a\r\nInjected: yes".to_string()),
        ],
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(out.ok, "{out:?}");
    assert!(!out.retry);
    assert_eq!(out.status.as_deref(), Some("200"));

    let got = rx.last();
    assert_eq!(got.method, "POST");
    assert_eq!(got.header("authorization"), Some("Bearer t0ken"));
    assert_eq!(got.header("x-team"), Some("dba"));
    assert_eq!(got.header("x-bad-value"), None);
    assert_eq!(got.header("injected"), None);
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(
        got.header("x-starrocks-overview-message-id"),
        Some("n-7-42")
    );
    assert_eq!(got.header("idempotency-key"), Some("n-7-42"));

    let body = got.json();
    let s = |v: &Value| v.is_string();
    for key in ["version", "groupKey", "status", "receiver", "externalURL"] {
        assert!(s(&body[key]), "{key} is not a string: {}", body[key]);
    }
    assert!(body["truncatedAlerts"].is_u64());
    for key in ["groupLabels", "commonLabels", "commonAnnotations"] {
        assert!(body[key].is_object(), "{key}");
        assert!(
            body[key].as_object().unwrap().values().all(s),
            "{key} values are strings"
        );
    }
    assert_eq!(body["version"], "4");
    assert_eq!(body["status"], "firing");
    assert_eq!(body["receiver"], "ops");
    assert_eq!(body["externalURL"], "http://console.test");
    let alerts = body["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 2);
    for a in alerts {
        for key in [
            "status",
            "startsAt",
            "endsAt",
            "generatorURL",
            "fingerprint",
        ] {
            assert!(s(&a[key]), "alert {key}: {}", a[key]);
        }
        for key in ["labels", "annotations"] {
            assert!(a[key].as_object().unwrap().values().all(s), "alert {key}");
        }
        for key in ["alertname", "cluster", "cluster_id", "severity", "tag_prod"] {
            assert!(s(&a["labels"][key]), "label {key}");
        }
        for key in ["summary", "description", "action", "message_id"] {
            assert!(s(&a["annotations"][key]), "annotation {key}");
        }
        assert_eq!(a["annotations"]["message_id"], "n-7-42");
    }
    assert_eq!(alerts[0]["status"], "firing");
    assert_eq!(alerts[0]["endsAt"], "0001-01-01T00:00:00Z");
    assert_eq!(alerts[1]["status"], "resolved");
    assert_eq!(alerts[1]["endsAt"], "2026-12-07T19:42:05.123Z");
}

#[tokio::test]
async fn webhook_503_is_retried() {
    let rx = Receiver::start().await;
    rx.set_down(true);
    let target = Target::Webhook {
        url: rx.url("/webhook"),
        headers: vec![],
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok);
    assert!(out.retry);
    assert_eq!(out.status.as_deref(), Some("503"));
    assert_eq!(out.detail, "upstream unavailable");

    rx.set_down(false);
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(out.ok, "{out:?}");
}

#[tokio::test]
async fn rate_limits_are_retried_and_other_refusals_are_not() {
    let rx = Receiver::start().await;
    let target = Target::Webhook {
        url: rx.url("/webhook"),
        headers: vec![],
    };
    rx.set_mode(Mode::Status(429, "slow down".to_string()));
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok && out.retry, "{out:?}");
    rx.set_mode(Mode::Status(401, "bad token".to_string()));
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok && !out.retry, "{out:?}");
    assert_eq!(out.status.as_deref(), Some("401"));
}

#[tokio::test]
async fn a_receiver_that_is_down_is_retried_with_a_readable_detail() {
    let target = Target::Webhook {
        url: support::refused_url(),
        headers: vec![],
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok);
    assert!(out.retry);
    assert_eq!(out.status, None);
    assert!(
        out.detail.to_lowercase().contains("connection refused"),
        "{}",
        out.detail
    );
    // The URL (robots carry tokens in it) stays out of the log.
    assert!(!out.detail.contains("127.0.0.1"), "{}", out.detail);
}

#[tokio::test]
async fn a_stopped_receiver_refuses_connections() {
    let rx = Receiver::start().await;
    rx.stop();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let target = Target::Slack {
        url: rx.url("/slack"),
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok && out.retry, "{out:?}");
}

#[tokio::test]
async fn a_slow_receiver_times_out() {
    let rx = Receiver::start().await;
    rx.set_mode(Mode::Slow(Duration::from_secs(10)));
    let target = Target::Webhook {
        url: rx.url("/webhook"),
        headers: vec![],
    };
    let started = std::time::Instant::now();
    let out = deliver(&http(), &target, &notice(), Duration::from_millis(300)).await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(!out.ok);
    assert!(out.retry);
    assert_eq!(out.status, None);
    assert!(
        out.detail.starts_with("timed out after 0.3 s"),
        "{}",
        out.detail
    );
}

#[tokio::test]
async fn an_invalid_url_is_not_retried() {
    let target = Target::Slack {
        url: "not a url".to_string(),
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok && !out.retry, "{out:?}");
}

#[tokio::test]
async fn a_huge_answer_is_read_up_to_its_cap() {
    let rx = Receiver::start().await;
    rx.set_mode(Mode::Status(500, "错".repeat(200_000)));
    let target = Target::Webhook {
        url: rx.url("/webhook"),
        headers: vec![],
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok && out.retry);
    assert_eq!(out.detail.chars().count(), 500);
}

#[tokio::test]
async fn an_endless_answer_is_cut_not_awaited() {
    let rx = support::Endless::start().await;
    let target = Target::Webhook {
        url: rx.url.clone(),
        headers: vec![],
    };
    let started = std::time::Instant::now();
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    // Stopped at the cap, long before the timeout would have ended it.
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(out.ok, "{out:?}");
    assert_eq!(out.detail.chars().count(), 500);
    assert!(out.detail.starts_with("xxxx"));
}

// --- DingTalk -----------------------------------------------------------

fn signed() -> Secrets {
    Secrets {
        dingtalk: Some("SECdingtalk-right".to_string()),
        feishu: Some("feishu-right".to_string()),
    }
}

#[tokio::test]
async fn dingtalk_signed_is_accepted() {
    let rx = Receiver::start_with(signed()).await;
    let target = Target::DingTalk {
        url: rx.url("/dingtalk?access_token=abc"),
        secret: Some("SECdingtalk-right".to_string()),
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(out.ok, "{out:?}");
    assert_eq!(out.status.as_deref(), Some("200"));
    assert!(out.detail.contains("\"errcode\":0"), "{}", out.detail);

    let got = rx.last();
    assert_eq!(got.param("access_token").as_deref(), Some("abc"));
    assert!(got.param("timestamp").is_some());
    let body = got.json();
    assert_eq!(body["msgtype"], "markdown");
    let text = body["markdown"]["text"].as_str().unwrap();
    assert!(text.starts_with("### [Critical] prod-east: 1 firing, 1 resolved"));
    assert!(text.contains("Resolved, lasted 12 min"));
}

#[tokio::test]
async fn dingtalk_with_the_wrong_secret_is_refused_for_good() {
    let rx = Receiver::start_with(signed()).await;
    let target = Target::DingTalk {
        url: rx.url("/dingtalk?access_token=abc"),
        secret: Some("SECdingtalk-wrong".to_string()),
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok);
    assert!(!out.retry);
    assert_eq!(out.status.as_deref(), Some("200"));
    assert!(out.detail.contains("sign not match"), "{}", out.detail);

    // A robot that requires signing refuses an unsigned message too.
    let unsigned = Target::DingTalk {
        url: rx.url("/dingtalk?access_token=abc"),
        secret: None,
    };
    let out = deliver(&http(), &unsigned, &notice(), TIMEOUT).await;
    assert!(!out.ok && !out.retry, "{out:?}");
}

#[tokio::test]
async fn dingtalk_without_signing() {
    let rx = Receiver::start().await;
    let target = Target::DingTalk {
        url: rx.url("/dingtalk?access_token=abc"),
        secret: None,
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(out.ok, "{out:?}");
    assert_eq!(rx.last().param("sign"), None);
}

// --- Feishu -------------------------------------------------------------

#[tokio::test]
async fn feishu_signed_is_accepted() {
    let rx = Receiver::start_with(signed()).await;
    let target = Target::Feishu {
        url: rx.url("/feishu"),
        secret: Some("feishu-right".to_string()),
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(out.ok, "{out:?}");
    let body = rx.last().json();
    assert_eq!(body["msg_type"], "interactive");
    assert!(body["timestamp"].is_string());
    assert!(body["sign"].is_string());
    assert_eq!(body["card"]["header"]["template"], "red");
}

#[tokio::test]
async fn feishu_with_the_wrong_secret_is_refused_for_good() {
    let rx = Receiver::start_with(signed()).await;
    let target = Target::Feishu {
        url: rx.url("/feishu"),
        secret: Some("feishu-wrong".to_string()),
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok);
    assert!(!out.retry);
    assert!(out.detail.contains("19021"), "{}", out.detail);
}

// --- WeCom and Slack ----------------------------------------------------

#[tokio::test]
async fn wecom_is_delivered() {
    let rx = Receiver::start().await;
    let target = Target::WeCom {
        url: rx.url("/wecom?key=k"),
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(out.ok, "{out:?}");
    let body = rx.last().json();
    assert_eq!(body["msgtype"], "markdown");
    let content = body["markdown"]["content"].as_str().unwrap();
    assert!(content.len() <= 4096);
    assert!(content.contains("<font color=\"warning\">"));
}

#[tokio::test]
async fn slack_is_delivered() {
    let rx = Receiver::start().await;
    let target = Target::Slack {
        url: rx.url("/slack"),
    };
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(out.ok, "{out:?}");
    assert_eq!(out.detail, "ok");
    let body = rx.last().json();
    assert_eq!(body["text"], "[Critical] prod-east: 1 firing, 1 resolved");
    assert_eq!(body["blocks"][0]["type"], "header");
}

// --- E-mail -------------------------------------------------------------

fn smtp(rx: &SmtpReceiver, to: &[&str]) -> Target {
    Target::Email(SmtpSettings {
        host: rx.host.clone(),
        port: rx.port,
        tls: SmtpTls::None,
        username: None,
        password: None,
        from: "StarRocks overview <alerts@overview.test>".to_string(),
        to: to.iter().map(|s| s.to_string()).collect(),
    })
}

#[tokio::test]
async fn email_arrives_with_both_parts() {
    let rx = SmtpReceiver::start();
    let target = smtp(&rx, &["ops@example.test", "dba@example.test"]);
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(out.ok, "{out:?}");
    assert_eq!(out.status.as_deref(), Some("250"));

    let mails = rx.received();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.from, "alerts@overview.test");
    assert_eq!(mail.to, ["ops@example.test", "dba@example.test"]);
    let raw = mail.text();
    assert!(
        raw.contains("Subject: [CRITICAL] prod-east: 1 firing, 1 resolved"),
        "{raw}"
    );
    assert!(
        raw.contains("Message-ID: <n-7-42@starrocks-overview>"),
        "{raw}"
    );
    assert!(raw.contains("multipart/alternative"));
    assert!(raw.contains("Content-Type: text/plain"));
    assert!(raw.contains("Content-Type: text/html"));
    assert!(raw.contains("1 of 3 BEs is not alive"));
}

#[tokio::test]
async fn email_to_a_rejected_recipient_is_refused_for_good() {
    let rx = SmtpReceiver::start_rejecting(&["nobody@example.test"]);
    let target = smtp(&rx, &["nobody@example.test"]);
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok);
    assert!(!out.retry);
    assert_eq!(out.status.as_deref(), Some("550"));
    assert!(out.detail.contains("No such user"), "{}", out.detail);
    assert!(rx.received().is_empty());
}

#[tokio::test]
async fn email_to_a_server_that_is_down_is_retried() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let target = Target::Email(SmtpSettings {
        host: "127.0.0.1".to_string(),
        port,
        tls: SmtpTls::None,
        username: None,
        password: None,
        from: "alerts@overview.test".to_string(),
        to: vec!["ops@example.test".to_string()],
    });
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok && out.retry, "{out:?}");
    assert_eq!(out.status, None);
    assert!(
        out.detail.to_lowercase().contains("refused"),
        "{}",
        out.detail
    );
}

#[tokio::test]
async fn email_with_a_bad_address_says_which() {
    let rx = SmtpReceiver::start();
    let target = smtp(&rx, &["ops@example.test", "not-an-address"]);
    let out = deliver(&http(), &target, &notice(), TIMEOUT).await;
    assert!(!out.ok && !out.retry, "{out:?}");
    assert!(out.detail.contains("\"not-an-address\""), "{}", out.detail);
}
