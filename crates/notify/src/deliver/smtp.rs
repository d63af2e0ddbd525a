//! One attempt over SMTP.

use super::{chain, cut, seconds, Outcome};
use crate::{format, Notice, SmtpSettings, SmtpTls};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

type Transport = AsyncSmtpTransport<Tokio1Executor>;

pub(super) async fn send(s: &SmtpSettings, n: &Notice, timeout: Duration) -> Outcome {
    let message = match message(s, n) {
        Ok(m) => m,
        Err(detail) => return refused(detail),
    };
    let transport = match transport(s, timeout) {
        Ok(t) => t,
        Err(e) => return from_error(&e),
    };
    // lettre's timeout bounds each read and write; this bounds the whole
    // conversation, so a server that answers slowly line by line is cut too.
    match tokio::time::timeout(timeout, transport.send(message)).await {
        Ok(Ok(reply)) => Outcome {
            ok: true,
            status: Some(reply.code().to_string()),
            detail: cut(&reply.message().collect::<Vec<_>>().join(" ")),
            retry: false,
        },
        Ok(Err(e)) => from_error(&e),
        Err(_) => Outcome {
            ok: false,
            status: None,
            detail: format!(
                "timed out after {}: the SMTP server did not finish",
                seconds(timeout)
            ),
            retry: true,
        },
    }
}

/// A failure no retry can mend: the channel's settings are wrong.
fn refused(detail: String) -> Outcome {
    Outcome {
        ok: false,
        status: None,
        detail: cut(&detail),
        retry: false,
    }
}

fn message(s: &SmtpSettings, n: &Notice) -> Result<Message, String> {
    let mail = format::email(n);
    let from: Mailbox = s
        .from
        .trim()
        .parse()
        .map_err(|e| format!("the sender address {:?} does not parse: {e}", s.from))?;
    if s.to.is_empty() {
        return Err("the channel has no recipient address".to_string());
    }
    let mut builder = Message::builder()
        .from(from)
        .subject(mail.subject)
        .message_id(Some(message_id(&n.id)));
    for to in &s.to {
        let mailbox: Mailbox = to
            .trim()
            .parse()
            .map_err(|e| format!("the recipient address {to:?} does not parse: {e}"))?;
        builder = builder.to(mailbox);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
        .map_err(|e| format!("the message could not be built: {e}"))
}

/// `<id@starrocks-overview>`, stable over retries like the HTTP channels'
/// message-id header, so a mail system can drop a repeat. Characters a
/// Message-ID may not hold become `-`.
fn message_id(id: &str) -> String {
    let local: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.+=".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("<{local}@starrocks-overview>")
}

fn transport(s: &SmtpSettings, timeout: Duration) -> Result<Transport, SmtpError> {
    let host = s.host.trim();
    let builder = match s.tls {
        SmtpTls::Starttls => Transport::starttls_relay(host)?,
        SmtpTls::Tls => Transport::relay(host)?,
        SmtpTls::None => Transport::builder_dangerous(host),
    };
    let mut builder = builder.port(s.port).timeout(Some(timeout));
    if let Some(user) = s.username.as_deref().filter(|u| !u.is_empty()) {
        let password = s.password.clone().unwrap_or_default();
        builder = builder.credentials(Credentials::new(user.to_string(), password));
    }
    Ok(builder.build())
}

/// 5xx replies (no such mailbox, relay denied, bad credentials) stay
/// refused; 4xx replies, lost connections and timeouts may pass later.
fn from_error(e: &SmtpError) -> Outcome {
    Outcome {
        ok: false,
        status: e.status().map(|code| code.to_string()),
        detail: cut(&describe(e)),
        retry: !(e.is_permanent() || e.is_client()),
    }
}

/// lettre's error and its causes on one line.
fn describe(e: &SmtpError) -> String {
    chain(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(from: &str, to: &[&str]) -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".into(),
            port: 25,
            tls: SmtpTls::None,
            username: None,
            password: None,
            from: from.into(),
            to: to.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn notice() -> Notice {
        Notice {
            id: "n 1/2".into(),
            channel: "mail".into(),
            cluster_id: 1,
            cluster: "prod".into(),
            tags: vec![],
            alerts: vec![],
            link: None,
            created_at: 0,
            test: true,
            lang: "en".into(),
        }
    }

    #[test]
    fn message_ids_are_safe() {
        assert_eq!(message_id("n-42"), "<n-42@starrocks-overview>");
        assert_eq!(message_id("a b<c>@d"), "<a-b-c--d@starrocks-overview>");
    }

    #[test]
    fn addresses_that_do_not_parse_say_which() {
        let err = message(&settings("not an address", &["a@example.com"]), &notice())
            .err()
            .unwrap();
        assert!(err.contains("sender address \"not an address\""), "{err}");
        let err = message(
            &settings("a@example.com", &["ok@example.com", "bad@"]),
            &notice(),
        )
        .err()
        .unwrap();
        assert!(err.contains("recipient address \"bad@\""), "{err}");
        let err = message(&settings("a@example.com", &[]), &notice())
            .err()
            .unwrap();
        assert!(err.contains("no recipient"), "{err}");
    }

    #[test]
    fn a_good_message_builds_with_both_parts() {
        let m = message(
            &settings("Overview <alerts@example.com>", &["ops@example.com"]),
            &notice(),
        )
        .unwrap();
        let raw = String::from_utf8(m.formatted()).unwrap();
        assert!(
            raw.contains("Message-ID: <n-1-2@starrocks-overview>"),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain"));
        assert!(raw.contains("text/html"));
    }
}
