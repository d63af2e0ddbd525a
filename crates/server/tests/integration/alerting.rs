//! Alert delivery (issue 17) with real receivers: a simulated cluster's
//! fault opens alerts, the collector and the alerts task run, and the sender
//! (driven by the test's clock) delivers to an HTTP receiver on loopback
//! that checks DingTalk's and Feishu's signatures, or to an SMTP server.

use crate::common::*;
use crate::receivers::{Mode, Receiver, Secrets, SmtpReceiver};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use sim::Fault;

const SECOND: i64 = 1_000;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

struct Bed {
    app: TestApp,
    cookie: String,
    sim: sim::Simulator,
    id: i64,
    /// The test's clock, a little after the wall's at the start.
    t: i64,
}

async fn bed(extra: &[&str]) -> Bed {
    let mut args = vec!["--public-url", "https://console.example.com/"];
    args.extend_from_slice(extra);
    let app = start_in(tempfile::tempdir().expect("tempdir"), &args).await;
    let cookie = app.admin_cookie().await;
    let sim = simulator_seeded(&["3.3-shared-nothing"], 17).await;
    let id = register_sim(&app, "prod-east", &sim.clusters()[0]).await;
    let t = now_ms();
    app.state.collector.tick(t).await.expect("first tick");
    app.state
        .overview
        .sync_alerts(&[id], t)
        .await
        .expect("sync");
    Bed {
        app,
        cookie,
        sim,
        id,
        t,
    }
}

impl Bed {
    async fn api(&self, method: Method, uri: &str, body: Option<Value>) -> Reply {
        self.app.send(method, uri, Some(&self.cookie), body).await
    }

    async fn channel(&self, body: Value) -> i64 {
        let r = self.api(Method::POST, "/api/channels", Some(body)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["id"].as_i64().expect("channel id")
    }

    /// One collection and the alerts task, `secs` after the last.
    async fn tick(&mut self, secs: i64) {
        self.t += secs * SECOND;
        self.app.state.collector.tick(self.t).await.expect("tick");
        self.app
            .state
            .overview
            .sync_alerts(&[self.id], self.t)
            .await
            .expect("sync");
    }

    /// One pass of the sender, `secs` after the test clock's now.
    async fn pass(&mut self, secs: i64) -> notify::sender::PassReport {
        self.t += secs * SECOND;
        self.app
            .state
            .notify
            .sender()
            .pass(self.t)
            .await
            .expect("pass")
    }

    /// The channel's delivery log, newest first.
    async fn log(&self, ch: i64) -> Value {
        let uri = format!("/api/channels/{ch}/deliveries?limit=1000");
        self.api(Method::GET, &uri, None).await.json()
    }

    fn fault(&self, f: Fault) {
        self.sim.clusters()[0].faults.set(f);
    }

    fn clear(&self) {
        self.sim.clusters()[0].faults.clear_all();
    }
}

fn webhook(rx: &Receiver) -> Value {
    json!({
        "name": "on-call",
        "kind": "webhook",
        "enabled": true,
        "url": rx.url("/webhook?token=hook-token-123"),
        "headers": "Authorization: Bearer header-secret-456",
    })
}

fn alertnames(body: &Value) -> Vec<String> {
    let mut names: Vec<String> = body["alerts"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["labels"]["alertname"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The body Alertmanager's webhook receivers read (its documented shape).
fn assert_alertmanager_shape(b: &Value) {
    assert_eq!(b["version"], "4", "{b}");
    assert!(matches!(b["status"].as_str(), Some("firing" | "resolved")));
    for key in ["receiver", "groupKey", "externalURL"] {
        assert!(b[key].is_string(), "{key} is a string: {b}");
    }
    assert!(b["truncatedAlerts"].is_u64());
    for key in ["groupLabels", "commonLabels", "commonAnnotations"] {
        let o = b[key].as_object().unwrap_or_else(|| panic!("{key}: {b}"));
        assert!(o.values().all(Value::is_string), "{key} maps strings");
    }
    let alerts = b["alerts"].as_array().expect("alerts[]");
    assert!(!alerts.is_empty());
    for a in alerts {
        assert!(matches!(a["status"].as_str(), Some("firing" | "resolved")));
        for key in ["labels", "annotations"] {
            let o = a[key].as_object().expect("an object");
            assert!(o.values().all(Value::is_string), "{key} maps strings: {a}");
        }
        for key in ["startsAt", "endsAt"] {
            let at = a[key].as_str().expect("a time");
            chrono::DateTime::parse_from_rfc3339(at).unwrap_or_else(|e| panic!("{key} {at}: {e}"));
        }
        assert!(a["generatorURL"].is_string());
        assert!(a["fingerprint"].as_str().is_some_and(|f| f.len() == 16));
    }
}

#[tokio::test]
async fn alerts_of_one_tick_go_out_in_one_message_and_their_end_in_one_more() {
    let rx = Receiver::start().await;
    let mut b = bed(&[]).await;
    let ch = b.channel(webhook(&rx)).await;
    // Alerts open before the faults (the simulator pauses a routine load now
    // and then) are told to a new channel after the group wait: first those.
    let earlier: Vec<String> = b
        .app
        .state
        .overview
        .alerts(b.id, b.t)
        .await
        .expect("alerts")
        .active
        .iter()
        .map(|a| a.rule.clone())
        .collect();
    b.pass(31).await;
    let before = rx.received().len();
    let since_faults = |rx: &Receiver| rx.received().split_off(before);

    // Two faults at once: their alerts open on the same tick.
    b.fault(Fault::BeDead(1));
    b.fault(Fault::TxnPileup);
    b.tick(30).await;
    let open = b
        .app
        .state
        .overview
        .alerts(b.id, b.t)
        .await
        .expect("alerts");
    let mut rules: Vec<String> = open
        .active
        .iter()
        .map(|a| a.rule.clone())
        .filter(|r| !earlier.contains(r))
        .collect();
    rules.sort();
    assert!(
        rules.len() >= 2 && rules.contains(&"transactions".to_string()),
        "{rules:?}"
    );

    // The group wait (30 s) holds them; then one message carries them all.
    let first = b.pass(0).await;
    assert_eq!(first.made, 0, "nothing before the group wait: {first:?}");
    assert_eq!(b.pass(28).await.made, 0);
    assert!(since_faults(&rx).is_empty());
    let r = b.pass(3).await;
    assert_eq!((r.made, r.delivered), (1, 1), "{r:?}");
    let got = since_faults(&rx);
    assert_eq!(got.len(), 1);
    let body = got[0].json();
    assert_alertmanager_shape(&body);
    assert_eq!(body["status"], "firing");
    assert_eq!(body["receiver"], "on-call");
    assert_eq!(alertnames(&body), rules);
    assert_eq!(body["commonLabels"]["cluster"], "prod-east");
    let link = body["alerts"][0]["generatorURL"]
        .as_str()
        .unwrap_or_default();
    assert!(
        link.starts_with(&format!(
            "https://console.example.com/clusters/{}/overview?from=",
            b.id
        )) && link.contains("&to="),
        "{link}"
    );
    // The custom header reached the receiver, with a stable message id.
    assert_eq!(
        got[0].header("authorization"),
        Some("Bearer header-secret-456")
    );
    let id = got[0]
        .header("x-starrocks-overview-message-id")
        .expect("message id")
        .to_string();

    // No duplicate for the same state change, however often the sender runs.
    for _ in 0..3 {
        b.pass(5).await;
    }
    b.tick(30).await;
    b.pass(31).await;
    assert_eq!(since_faults(&rx).len(), 1, "still one message");

    // Resolved: one message, with when it ended.
    b.clear();
    b.tick(30).await;
    b.tick(30).await;
    b.pass(1).await;
    let got = since_faults(&rx);
    assert_eq!(got.len(), 2, "one resolved message");
    let body = got[1].json();
    assert_alertmanager_shape(&body);
    assert_eq!(body["status"], "resolved");
    // Those that passed again (unhealthy tablets clone back later).
    let ended = alertnames(&body);
    assert!(ended.contains(&"transactions".to_string()), "{ended:?}");
    assert!(
        ended
            .iter()
            .all(|r| rules.contains(r) || earlier.contains(r)),
        "{ended:?}"
    );
    assert!(body["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .all(|a| a["status"] == "resolved"));
    assert_ne!(
        got[1].header("x-starrocks-overview-message-id"),
        Some(id.as_str())
    );
    for a in body["alerts"].as_array().expect("alerts") {
        assert_ne!(
            a["endsAt"], "0001-01-01T00:00:00Z",
            "a resolved alert has its end"
        );
    }

    // The delivery log has both attempts, with the receiver's status.
    let log = b.log(ch).await;
    let rows = log.as_array().expect("deliveries");
    assert_eq!(rows.len(), before + 2, "{log}");
    assert!(rows.iter().all(|d| d["ok"] == true && d["status"] == "200"));
    assert!(rows[0]["summary"]
        .as_str()
        .unwrap_or("")
        .contains("resolved"));
}

#[tokio::test]
async fn a_receiver_down_for_three_minutes_gets_every_message_once_and_in_order() {
    let rx = Receiver::start().await;
    let mut b = bed(&["--notify-group-wait-s", "0", "--notify-max-backoff-s", "20"]).await;
    let ch = b.channel(webhook(&rx)).await;
    rx.set_down(true);

    // Within the outage, an alert opens and resolves: two messages wait.
    b.fault(Fault::TxnPileup);
    b.tick(30).await;
    b.tick(30).await;
    b.pass(1).await;
    b.clear();
    b.tick(30).await;
    b.tick(30).await;
    let outage_end = b.t + 180 * SECOND;
    while b.t < outage_end {
        b.pass(5).await;
    }
    let failed = rx.received().len();
    assert!(failed >= 3, "the sender kept trying: {failed}");
    // The resolved message waits behind the firing one: never before it.
    assert!(rx.received().iter().all(|r| r.json()["status"] == "firing"));
    let channel = b
        .api(Method::GET, &format!("/api/channels/{ch}"), None)
        .await
        .json();
    assert_eq!(channel["failing"], true, "{channel}");
    assert_eq!(channel["pending"], 2);

    rx.set_down(false);
    for _ in 0..30 {
        b.pass(5).await;
    }
    // What arrived while it was up: each message once, firing then resolved.
    let log = b.log(ch).await;
    let delivered: Vec<&Value> = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|d| d["ok"] == true)
        .collect();
    assert_eq!(delivered.len(), 2, "{log}");
    let mut ids: Vec<&str> = delivered
        .iter()
        .filter_map(|d| d["message_id"].as_str())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 2);
    let ok: Vec<Value> = rx
        .received()
        .iter()
        .skip(failed)
        .filter(|r| r.json()["status"].is_string())
        .map(|r| r.json())
        .collect();
    let states: Vec<&str> = ok.iter().filter_map(|b| b["status"].as_str()).collect();
    assert_eq!(states.last(), Some(&"resolved"));
    assert_eq!(states.iter().filter(|s| **s == "resolved").count(), 1);
    let channel = b
        .api(Method::GET, &format!("/api/channels/{ch}"), None)
        .await
        .json();
    assert_eq!(
        (channel["failing"].clone(), channel["pending"].clone()),
        (json!(false), json!(0))
    );
}

#[tokio::test]
async fn a_silence_stops_sending_and_its_end_resumes_the_repeats() {
    let rx = Receiver::start().await;
    let mut b = bed(&["--notify-group-wait-s", "0", "--notify-repeat-s", "60"]).await;
    b.channel(webhook(&rx)).await;
    b.fault(Fault::TxnPileup);
    b.tick(30).await;
    b.tick(30).await;
    b.pass(1).await;
    // Other alerts of the cluster may come and go under load; this one is
    // counted.
    let told = |rx: &Receiver| {
        rx.received()
            .iter()
            .filter(|r| alertnames(&r.json()).contains(&"transactions".to_string()))
            .count()
    };
    assert_eq!(told(&rx), 1, "the alert is told");

    // A repeat after the interval.
    b.pass(61).await;
    b.pass(1).await;
    assert_eq!(told(&rx), 2, "repeated once after 60 s");

    let s = b
        .api(
            Method::POST,
            "/api/silences",
            Some(json!({"cluster_id": b.id, "rule": "transactions", "minutes": 60, "comment": "maintenance"})),
        )
        .await;
    assert_eq!(s.status, StatusCode::CREATED, "{}", s.body);
    let silence = s.json()["id"].as_i64().expect("silence id");
    // The alert stays open; the page says it is silenced; nothing is sent.
    b.pass(61).await;
    b.pass(61).await;
    assert_eq!(told(&rx), 2, "silenced: no repeat");
    let page = b.api(Method::GET, "/api/alerts", None).await.json();
    let a = page["active"]
        .as_array()
        .expect("active")
        .iter()
        .find(|a| a["rule"] == "transactions")
        .cloned();
    assert_eq!(a.expect("still open")["silenced_by"], silence);
    let overview = b
        .api(
            Method::GET,
            &format!("/api/clusters/{}/overview", b.id),
            None,
        )
        .await
        .json();
    assert_eq!(overview["silences"][0]["comment"], "maintenance");
    let fleet = b.api(Method::GET, "/api/fleet", None).await.json();
    assert!(
        fleet["clusters"][0]["silenced_until"].is_i64(),
        "{}",
        fleet["clusters"][0]
    );

    // Ending it: the still-firing alert is told again.
    let r = b
        .api(Method::POST, &format!("/api/silences/{silence}/end"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["active"], false);
    b.pass(61).await;
    b.pass(1).await;
    assert_eq!(told(&rx), 3, "resumed after the silence");
    let last = rx
        .received()
        .into_iter()
        .rfind(|r| alertnames(&r.json()).contains(&"transactions".to_string()))
        .expect("the resumed message");
    assert_eq!(last.json()["status"], "firing");
}

#[tokio::test]
async fn signed_robots_accept_the_test_message_and_refuse_a_wrong_secret() {
    let rx = Receiver::start_with(Secrets {
        dingtalk: Some("SECdingtalk-secret".into()),
        feishu: Some("feishu-secret".into()),
    })
    .await;
    let b = bed(&[]).await;
    let cases = [
        (
            "dingtalk",
            "/dingtalk?access_token=dt-token",
            "SECdingtalk-secret",
        ),
        ("feishu", "/feishu", "feishu-secret"),
    ];
    for (kind, path, secret) in cases {
        let id = b
            .channel(json!({"name": kind, "kind": kind, "enabled": true, "url": rx.url(path), "secret": secret}))
            .await;
        let r = b
            .api(Method::POST, &format!("/api/channels/{id}/test"), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["ok"], true, "{kind}: {}", r.body);
        // Held down, the button does not flood the group.
        let again = b
            .api(Method::POST, &format!("/api/channels/{id}/test"), None)
            .await;
        assert_eq!(
            again.status,
            StatusCode::TOO_MANY_REQUESTS,
            "{}",
            again.body
        );
        // The same robot with another secret: the service's refusal, in its words.
        let r = b
            .api(
                Method::PUT,
                &format!("/api/channels/{id}"),
                Some(json!({"name": kind, "kind": kind, "enabled": true, "secret": "wrong"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = b
            .api(Method::POST, &format!("/api/channels/{id}/test"), None)
            .await
            .json();
        assert_eq!(r["ok"], false, "{kind}: {r}");
        assert!(
            r["detail"].as_str().unwrap_or("").contains("sign"),
            "{kind}: {r}"
        );
    }
    // Secrets never come back: not the URL's token, not the signing secret.
    let list = b.api(Method::GET, "/api/channels", None).await.body;
    for secret in ["dt-token", "SECdingtalk-secret", "feishu-secret", "wrong"] {
        assert!(!list.contains(secret), "{secret} in {list}");
    }
    assert!(list.contains("\"has_secret\":true"));
}

#[tokio::test]
async fn an_email_channel_delivers_a_text_and_an_html_part_over_smtp() {
    let smtp = SmtpReceiver::start();
    let mut b = bed(&["--notify-group-wait-s", "0"]).await;
    b.channel(json!({
        "name": "mail", "kind": "email", "enabled": true,
        "smtp_host": smtp.host, "smtp_port": smtp.port.to_string(), "smtp_tls": "none",
        "email_from": "console@example.com", "email_to": "ops@example.com, dba@example.com",
        "lang": "zh-CN",
    }))
    .await;
    b.fault(Fault::TxnPileup);
    b.tick(30).await;
    b.tick(30).await;
    let r = b.pass(1).await;
    assert_eq!(r.delivered, 1, "{r:?}");
    let mails = smtp.received();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.to.len(), 2);
    let text = m.text();
    assert!(text.contains("multipart/alternative"), "{text}");
    assert!(text.contains("text/plain") && text.contains("text/html"));
    assert!(text.contains("Message-ID: <"), "{text}");
}

#[tokio::test]
async fn bad_channels_and_silences_are_refused_field_by_field() {
    let b = bed(&[]).await;
    let cases = [
        (
            json!({"name": "x", "kind": "webhook", "url": "not a url"}),
            "url",
        ),
        (
            json!({"name": "x", "kind": "pager", "url": "https://x.example.com"}),
            "kind",
        ),
        (
            json!({"name": "x", "kind": "email", "email_from": "a@example.com", "email_to": "b@example.com"}),
            "smtp_host",
        ),
        (
            json!({"name": "", "kind": "slack", "url": "https://hooks.slack.com/x"}),
            "name",
        ),
    ];
    for (body, field) in cases {
        let r = b
            .api(Method::POST, "/api/channels", Some(body.clone()))
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.body);
        assert!(
            r.json()["fields"][field].is_string(),
            "{field} named: {}",
            r.body
        );
    }
    let r = b
        .api(
            Method::POST,
            "/api/silences",
            Some(json!({"minutes": 60, "comment": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["fields"]["cluster_id"].is_string(), "{}", r.body);
    let r = b
        .api(
            Method::POST,
            "/api/silences",
            Some(json!({"cluster_id": b.id, "minutes": -5, "comment": "x"})),
        )
        .await;
    assert!(r.json()["fields"]["ends_at"].is_string(), "{}", r.body);
    let r = b.api(Method::GET, "/api/channels", None).await.json();
    assert_eq!(r, json!([]), "nothing was stored");
}

#[tokio::test]
async fn a_message_that_cannot_be_delivered_is_given_up_and_the_channel_shown_failing() {
    let rx = Receiver::start().await;
    let mut b = bed(&[
        "--notify-group-wait-s",
        "0",
        "--notify-give-up-s",
        "120",
        "--notify-max-backoff-s",
        "10",
    ])
    .await;
    let ch = b.channel(webhook(&rx)).await;
    rx.set_mode(Mode::Status(500, "boom".into()));
    b.fault(Fault::TxnPileup);
    b.tick(30).await;
    b.tick(30).await;
    for _ in 0..40 {
        b.pass(5).await;
    }
    let log = b.log(ch).await;
    let newest = &log[0];
    assert!(
        newest["detail"]
            .as_str()
            .unwrap_or("")
            .starts_with("gave up"),
        "{log}"
    );
    assert!(log
        .as_array()
        .expect("log")
        .iter()
        .skip(1)
        .all(|d| d["status"] == "500" && d["detail"] == "boom"));
    let c = b
        .api(Method::GET, &format!("/api/channels/{ch}"), None)
        .await
        .json();
    assert_eq!(
        (c["failing"].clone(), c["pending"].clone()),
        (json!(true), json!(0))
    );
}

/// The server binary on `dir`, collecting every 5 s, with a 15-s group wait.
fn start_binary(dir: &std::path::Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_starrocks-overview"))
        .args(["--listen", "127.0.0.1:0", "--log-level", "warn"])
        .args(["--collect-interval-s", "5", "--notify-group-wait-s", "15"])
        .arg("--data-dir")
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the server binary")
}

async fn firing_changes(db: &std::path::Path) -> i64 {
    use sqlx::{ConnectOptions, Connection};
    let Ok(mut conn) = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .read_only(true)
        .connect()
        .await
    else {
        return 0;
    };
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM alert_events WHERE state = 'firing'")
        .fetch_one(&mut conn)
        .await
        .unwrap_or(0);
    let _ = conn.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_9_between_an_alert_and_its_delivery_delivers_it_after_the_restart() {
    let rx = Receiver::start().await;
    let sim = simulator_seeded(&["3.3-shared-nothing"], 23).await;
    let app = start_in(tempfile::tempdir().expect("tempdir"), &[]).await;
    let cookie = app.admin_cookie().await;
    register_sim(&app, "prod-west", &sim.clusters()[0]).await;
    let r = app
        .send(
            Method::POST,
            "/api/channels",
            Some(&cookie),
            Some(webhook(&rx)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let TestApp { dir, state, .. } = app;
    state.pool.close().await;
    let db = dir.path().join("starrocks-overview.db");

    sim.clusters()[0].faults.set(Fault::TxnPileup);
    let mut server = start_binary(dir.path());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while firing_changes(&db).await == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Killed inside the group wait: the alert is open, nothing was sent.
    server.kill().expect("kill -9");
    let _ = server.wait();
    assert!(
        firing_changes(&db).await > 0,
        "the alert opened before the kill"
    );
    assert!(rx.received().is_empty(), "nothing was sent before the kill");

    let mut server = start_binary(dir.path());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while rx.received().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // A moment more: a duplicate would arrive now.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    server.kill().expect("kill -9");
    let _ = server.wait();
    let got = rx.received();
    assert_eq!(got.len(), 1, "delivered once after the restart");
    let body = got[0].json();
    assert_eq!(body["status"], "firing");
    assert!(
        alertnames(&body).contains(&"transactions".to_string()),
        "{body}"
    );
}

#[tokio::test]
async fn a_channel_added_during_an_incident_hears_of_the_alerts_open_now() {
    let rx = Receiver::start().await;
    let mut b = bed(&["--notify-group-wait-s", "0"]).await;
    b.fault(Fault::TxnPileup);
    b.tick(30).await;
    b.tick(30).await;
    // Routed before the channel exists: nobody to tell yet.
    b.pass(1).await;
    // Only critical alerts: the warning is not for this one.
    let critical = json!({"name": "pager", "kind": "webhook", "enabled": true,
        "min_level": "critical", "url": rx.url("/webhook")});
    b.channel(critical).await;
    b.channel(webhook(&rx)).await;
    b.pass(1).await;
    let got = rx.received();
    assert_eq!(
        got.len(),
        1,
        "the open warning, to the channel that takes warnings"
    );
    assert_eq!(got[0].json()["receiver"], "on-call");
    assert!(alertnames(&got[0].json()).contains(&"transactions".to_string()));
}

/// The same outage on the wall's clock, with the sender running as the
/// server runs it (a pass a second): the receiver refuses connections for 3
/// real minutes while an alert opens and resolves, then comes back on the
/// same address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_refusing_connections_for_three_real_minutes_gets_both_messages_once_in_order() {
    use std::time::{Duration, Instant};
    let rx = Receiver::start().await;
    let addr = rx.addr;
    let b = bed(&["--notify-group-wait-s", "0", "--notify-max-backoff-s", "20"]).await;
    let ch = b.channel(webhook(&rx)).await;
    rx.stop();
    let down = Instant::now();
    let sender = b.app.state.notify.sender().spawn();
    let (col, svc) = (b.app.state.collector.clone(), b.app.state.overview.clone());
    let tick = |col: collector::Collector, svc: overview::OverviewService, id: i64| async move {
        let t = now_ms();
        col.tick(t).await.expect("tick");
        svc.sync_alerts(&[id], t).await.expect("sync");
    };

    // Collections 6 s apart, as a server collecting every 5 s would make.
    b.fault(Fault::TxnPileup);
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_secs(6)).await;
        tick(col.clone(), svc.clone(), b.id).await;
    }
    tokio::time::sleep(Duration::from_secs(60)).await;
    b.clear();
    for _ in 0..2 {
        tokio::time::sleep(Duration::from_secs(6)).await;
        tick(col.clone(), svc.clone(), b.id).await;
    }
    let open = svc.alerts(b.id, now_ms()).await.expect("alerts");
    assert!(
        open.active.iter().all(|a| a.rule != "transactions"),
        "resolved"
    );
    tokio::time::sleep(Duration::from_secs(180).saturating_sub(down.elapsed())).await;

    let log = b.log(ch).await;
    let refused = log.as_array().expect("log");
    assert!(refused.len() >= 4, "tried again and again: {log}");
    assert!(refused.iter().all(|d| d["ok"] == false), "{log}");
    assert!(
        refused[0]["detail"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .contains("refused"),
        "{log}"
    );

    let back = Receiver::start_at(addr).await;
    // Until nothing waits for the channel any more.
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let c = b
            .api(Method::GET, &format!("/api/channels/{ch}"), None)
            .await
            .json();
        if c["pending"] == 0 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // A moment more: a repeat would arrive now.
    tokio::time::sleep(Duration::from_secs(3)).await;
    sender.abort();
    // Per alert (its start), what the receiver heard, in the order it arrived.
    let mut heard: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for m in back.received() {
        for a in m.json()["alerts"].as_array().into_iter().flatten() {
            if a["labels"]["alertname"] == "transactions" {
                heard
                    .entry(a["startsAt"].as_str().unwrap_or("").to_string())
                    .or_default()
                    .push(a["status"].as_str().unwrap_or("").to_string());
            }
        }
    }
    assert!(!heard.is_empty(), "the receiver heard of the alert");
    for (start, states) in &heard {
        assert_eq!(
            states,
            &["firing", "resolved"],
            "once each, in order: {start}"
        );
    }
    let ids: std::collections::HashSet<String> = back
        .received()
        .iter()
        .filter_map(|m| {
            m.header("x-starrocks-overview-message-id")
                .map(str::to_string)
        })
        .collect();
    assert_eq!(ids.len(), back.received().len(), "no message twice");
}
