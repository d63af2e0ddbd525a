//! One attempt to deliver a notice.
//!
//! Nothing a receiver sends can make this panic: answers are read up to a
//! cap, parsed leniently, and every failure becomes an [`Outcome`] whose
//! `retry` says whether the outbox should try again.

mod smtp;

use crate::{format, sign, Notice, Target};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// What the receiver answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub ok: bool,
    /// The HTTP status (`"200"`) or SMTP reply code (`"250"`), when one came.
    pub status: Option<String>,
    /// The receiver's answer or the error, at most 500 characters.
    pub detail: String,
    /// Whether trying again later can help (a refused signature cannot).
    pub retry: bool,
}

/// The receiver's answer kept in the delivery log.
pub const MAX_DETAIL_CHARS: usize = 500;
/// More than any robot's answer; a receiver streaming a huge page is cut.
const MAX_BODY_BYTES: usize = 64 * 1024;
/// Sent with every HTTP delivery so a receiver can drop a retried repeat.
pub const MESSAGE_ID_HEADER: &str = "x-starrocks-overview-message-id";

/// The chat services' error codes that mean "later": rate limits and
/// "system busy". Any other code (a bad signature, a missing keyword, a
/// revoked token) fails the same way however often it is tried.
const DINGTALK_RETRY: &[i64] = &[-1, 130_101];
const FEISHU_RETRY: &[i64] = &[11_232, 9_499];
const WECOM_RETRY: &[i64] = &[-1, 45_009];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Service {
    Webhook,
    DingTalk,
    Feishu,
    WeCom,
    Slack,
}

/// Sends `notice` to `target` once, giving up after `timeout`.
pub async fn deliver(
    http: &reqwest::Client,
    target: &Target,
    notice: &Notice,
    timeout: Duration,
) -> Outcome {
    let post = Post {
        http,
        notice,
        timeout,
    };
    match target {
        Target::Webhook { url, headers } => {
            let body = format::alertmanager(notice);
            post.send(url, &body, headers, Service::Webhook).await
        }
        Target::DingTalk { url, secret } => {
            // Signed at each attempt: DingTalk refuses a timestamp over an
            // hour old, and a retry can come later than that.
            let url = match non_empty(secret) {
                Some(secret) => sign::dingtalk_url(url, secret, now_ms()),
                None => url.clone(),
            };
            let body = format::dingtalk(notice);
            post.send(&url, &body, &[], Service::DingTalk).await
        }
        Target::Feishu { url, secret } => {
            let signed = non_empty(secret).map(|secret| {
                let ts = now_ms() / 1000;
                (ts, sign::feishu(secret, ts))
            });
            let body = format::feishu(notice, signed);
            post.send(url, &body, &[], Service::Feishu).await
        }
        Target::WeCom { url } => {
            let body = format::wecom(notice);
            post.send(url, &body, &[], Service::WeCom).await
        }
        Target::Slack { url } => {
            let body = format::slack(notice);
            post.send(url, &body, &[], Service::Slack).await
        }
        Target::Email(settings) => smtp::send(settings, notice, timeout).await,
    }
}

/// A secret pasted with a stray space or newline still signs; an empty one
/// means the robot has signing off.
fn non_empty(secret: &Option<String>) -> Option<&str> {
    secret.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// What every HTTP delivery of one notice shares.
struct Post<'a> {
    http: &'a reqwest::Client,
    notice: &'a Notice,
    timeout: Duration,
}

impl Post<'_> {
    async fn send(
        &self,
        url: &str,
        body: &Value,
        extra: &[(String, String)],
        service: Service,
    ) -> Outcome {
        let response = self
            .http
            .post(url)
            .timeout(self.timeout)
            .headers(headers(self.notice, extra))
            .json(body)
            .send()
            .await;
        let mut response = match response {
            Ok(r) => r,
            Err(e) => return self.failed(e),
        };
        let status = response.status();
        let (body, read_error) = read_capped(&mut response).await;
        let (ok, retry) = judge(service, status, &body);
        let mut detail = answer(status, &body);
        let broke_off = read_error.is_some();
        if let Some(e) = read_error {
            detail = format!("{detail} (reading the answer failed: {})", describe(e));
        }
        Outcome {
            ok,
            // An answer that broke off (timeout, reset) is worth another try
            // even when its status alone would not be.
            retry: retry || (!ok && broke_off),
            status: Some(status.as_u16().to_string()),
            detail: cut(&detail),
        }
    }

    fn failed(&self, e: reqwest::Error) -> Outcome {
        // A URL reqwest cannot even build a request for stays broken.
        let retry = !e.is_builder();
        let timed_out = e.is_timeout();
        let mut detail = describe(e);
        if timed_out {
            detail = format!("timed out after {} ({detail})", seconds(self.timeout));
        }
        Outcome {
            ok: false,
            status: None,
            detail: cut(&detail),
            retry,
        }
    }
}

/// Our headers, then the channel's own; a header name or value that HTTP
/// does not allow is left out rather than failing the delivery.
fn headers(n: &Notice, extra: &[(String, String)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    if let Ok(id) = HeaderValue::from_str(&n.id) {
        map.insert(HeaderName::from_static(MESSAGE_ID_HEADER), id.clone());
        map.insert(HeaderName::from_static("idempotency-key"), id);
    }
    for (name, value) in extra {
        let name = HeaderName::from_bytes(name.trim().as_bytes());
        let value = HeaderValue::from_str(value.trim());
        if let (Ok(name), Ok(mut value)) = (name, value) {
            // Typically `Authorization: Bearer …`: kept out of debug output.
            value.set_sensitive(true);
            map.insert(name, value);
        }
    }
    map
}

/// Reads the answer up to [`MAX_BODY_BYTES`], then stops: a receiver that
/// streams forever costs one capped buffer, not memory without bound.
async fn read_capped(response: &mut reqwest::Response) -> (Vec<u8>, Option<reqwest::Error>) {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_BODY_BYTES - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if body.len() >= MAX_BODY_BYTES {
                    return (body, None);
                }
            }
            Ok(None) => return (body, None),
            Err(e) => return (body, Some(e)),
        }
    }
}

/// `(ok, retry)` for an answer.
fn judge(service: Service, status: StatusCode, body: &[u8]) -> (bool, bool) {
    if !status.is_success() {
        let retry = status == StatusCode::REQUEST_TIMEOUT
            || status == StatusCode::TOO_MANY_REQUESTS
            || status.is_server_error();
        return (false, retry);
    }
    match service {
        Service::Webhook | Service::Slack => (true, false),
        Service::DingTalk => by_code(body, &["errcode"], DINGTALK_RETRY),
        Service::WeCom => by_code(body, &["errcode"], WECOM_RETRY),
        // `StatusCode` is the older bot API's field.
        Service::Feishu => by_code(body, &["code", "StatusCode"], FEISHU_RETRY),
    }
}

/// The chat robots answer 200 for refusals too; their JSON code decides.
fn by_code(body: &[u8], fields: &[&str], retry_codes: &[i64]) -> (bool, bool) {
    let code = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|json| fields.iter().find_map(|f| json.get(*f)?.as_i64()));
    match code {
        Some(0) => (true, false),
        Some(code) => (false, retry_codes.contains(&code)),
        // Not the robot's JSON: a proxy or a captive page in between, which
        // may well be gone at the next attempt.
        None => (false, true),
    }
}

/// The receiver's answer as the log shows it; its status line when empty.
fn answer(status: StatusCode, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        status.to_string()
    } else {
        text.to_string()
    }
}

/// An error and its causes on one line ("… tcp connect error: Connection
/// refused"), without the URL: robots' URLs carry their access tokens.
fn describe(e: reqwest::Error) -> String {
    chain(&e.without_url())
}

/// An error and its causes on one line, each cause once.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = cause.source();
    }
    out
}

fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// At most [`MAX_DETAIL_CHARS`] characters (not bytes: the answers are
/// often Chinese).
fn cut(s: &str) -> String {
    format::text::cap_chars(s, MAX_DETAIL_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_decides_retry_before_the_body() {
        let s = |c: u16| StatusCode::from_u16(c).unwrap();
        assert_eq!(judge(Service::Webhook, s(204), b""), (true, false));
        assert_eq!(judge(Service::Webhook, s(503), b""), (false, true));
        assert_eq!(judge(Service::Webhook, s(408), b""), (false, true));
        assert_eq!(judge(Service::Slack, s(429), b""), (false, true));
        assert_eq!(judge(Service::Slack, s(404), b"no_service"), (false, false));
        assert_eq!(judge(Service::Webhook, s(401), b""), (false, false));
    }

    #[test]
    fn chat_services_answer_in_their_json() {
        let ok = StatusCode::OK;
        let ding = |b: &str| judge(Service::DingTalk, ok, b.as_bytes());
        assert_eq!(ding(r#"{"errcode":0,"errmsg":"ok"}"#), (true, false));
        assert_eq!(
            ding(r#"{"errcode":310000,"errmsg":"sign not match"}"#),
            (false, false)
        );
        assert_eq!(
            ding(r#"{"errcode":130101,"errmsg":"send too fast"}"#),
            (false, true)
        );
        let feishu = |b: &str| judge(Service::Feishu, ok, b.as_bytes());
        assert_eq!(feishu(r#"{"code":0,"msg":"success"}"#), (true, false));
        assert_eq!(
            feishu(r#"{"StatusCode":0,"StatusMessage":"success"}"#),
            (true, false)
        );
        assert_eq!(
            feishu(r#"{"code":19021,"msg":"sign match fail"}"#),
            (false, false)
        );
        assert_eq!(
            feishu(r#"{"code":11232,"msg":"frequency limited"}"#),
            (false, true)
        );
        assert_eq!(
            feishu(r#"{"code":9499,"msg":"Bad Request"}"#),
            (false, true)
        );
        let wecom = |b: &str| judge(Service::WeCom, ok, b.as_bytes());
        assert_eq!(wecom(r#"{"errcode":0,"errmsg":"ok"}"#), (true, false));
        assert_eq!(
            wecom(r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#),
            (false, true)
        );
        assert_eq!(
            wecom(r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#),
            (false, false)
        );
        // A 200 that is not the robot's JSON: something in between.
        assert_eq!(wecom("<html>login</html>"), (false, true));
        assert_eq!(wecom(r#"{"errcode":"x"}"#), (false, true));
    }

    #[test]
    fn details_are_cut_by_characters() {
        let long = "错".repeat(700);
        let d = cut(&long);
        assert_eq!(d.chars().count(), MAX_DETAIL_CHARS);
    }

    #[test]
    fn empty_answers_show_the_status_line() {
        assert_eq!(
            answer(StatusCode::SERVICE_UNAVAILABLE, b"  "),
            "503 Service Unavailable"
        );
        assert_eq!(answer(StatusCode::OK, b"\xff ok"), "\u{fffd} ok");
    }

    #[test]
    fn bad_custom_headers_are_skipped() {
        let n = crate::Notice {
            id: "n-1".into(),
            channel: "c".into(),
            cluster_id: 1,
            cluster: "x".into(),
            tags: vec![],
            alerts: vec![],
            link: None,
            created_at: 0,
            test: false,
            lang: "en".into(),
        };
        let extra = vec![
            ("Authorization".to_string(), "Bearer t".to_string()),
            ("bad name".to_string(), "v".to_string()),
            ("X-Ok".to_string(), "line\nbreak".to_string()),
            (String::new(), "v".to_string()),
        ];
        let map = headers(&n, &extra);
        assert_eq!(map.get("authorization").unwrap(), "Bearer t");
        assert_eq!(map.get(MESSAGE_ID_HEADER).unwrap(), "n-1");
        assert_eq!(map.get("idempotency-key").unwrap(), "n-1");
        assert!(map.get("x-ok").is_none());
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn timeouts_read_in_seconds() {
        assert_eq!(seconds(Duration::from_secs(10)), "10 s");
        assert_eq!(seconds(Duration::from_millis(300)), "0.3 s");
    }
}
