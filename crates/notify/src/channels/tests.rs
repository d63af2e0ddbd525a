use super::*;

fn webhook() -> ChannelInput {
    ChannelInput {
        name: "ops".into(),
        kind: "webhook".into(),
        enabled: true,
        url: "https://hooks.example.com/alerts?token=abc".into(),
        headers: "Authorization: Bearer t0k3n".into(),
        ..ChannelInput::default()
    }
}

#[test]
fn a_webhook_with_defaults_and_its_header() {
    let v = validate(&webhook(), None).expect("valid");
    assert_eq!(v.min_level, "warning");
    assert_eq!(v.scope, "all");
    assert_eq!(v.lang, "en");
    assert_eq!(v.rate_per_minute, 3000);
    assert_eq!(
        v.target,
        Target::Webhook {
            url: "https://hooks.example.com/alerts?token=abc".into(),
            headers: vec![("Authorization".into(), "Bearer t0k3n".into())],
        }
    );
    // The token stays out of what the browser sees.
    assert_eq!(v.shown(), "https://hooks.example.com/…");
}

#[test]
fn bad_fields_are_named() {
    let input = ChannelInput {
        name: "".into(),
        kind: "pager".into(),
        url: "ftp://x".into(),
        min_level: "info".into(),
        scope: "tags".into(),
        rate_per_minute: "0".into(),
        ..ChannelInput::default()
    };
    let e = validate(&input, None).expect_err("invalid");
    for field in ["name", "kind", "min_level", "selected", "rate_per_minute"] {
        assert!(e.get(field).is_some(), "{field} not named: {e:?}");
    }
    let e = validate(
        &ChannelInput {
            url: "not a url".into(),
            ..webhook()
        },
        None,
    )
    .expect_err("bad url");
    assert!(e.get("url").is_some());
    let e = validate(
        &ChannelInput {
            headers: "no colon here".into(),
            ..webhook()
        },
        None,
    )
    .expect_err("bad header");
    assert!(e.get("headers").is_some());
}

#[test]
fn an_email_channel_needs_its_smtp_host_and_addresses() {
    let input = ChannelInput {
        name: "mail".into(),
        kind: "email".into(),
        email_from: "console@example.com".into(),
        email_to: "ops@example.com, not-an-address".into(),
        ..ChannelInput::default()
    };
    let e = validate(&input, None).expect_err("invalid");
    assert!(e.get("smtp_host").is_some());
    assert!(e.get("email_to").is_some());
    let ok = ChannelInput {
        smtp_host: "smtp.example.com".into(),
        smtp_tls: "tls".into(),
        email_to: "ops@example.com, dba@example.com".into(),
        smtp_username: "console".into(),
        smtp_password: "pw".into(),
        ..input
    };
    let v = validate(&ok, None).expect("valid");
    let Target::Email(s) = &v.target else {
        panic!("not e-mail: {:?}", v.target)
    };
    assert_eq!(s.port, 465, "implicit TLS defaults to 465");
    assert_eq!(s.to.len(), 2);
    assert_eq!(s.password.as_deref(), Some("pw"));
}

#[test]
fn an_edit_keeps_the_secrets_the_form_left_empty() {
    let stored = Target::DingTalk {
        url: "https://oapi.dingtalk.com/robot/send?access_token=SECRET".into(),
        secret: Some("SEC123".into()),
    };
    let edit = ChannelInput {
        name: "dt".into(),
        kind: "dingtalk".into(),
        ..ChannelInput::default()
    };
    let v = validate(&edit, Some(&stored)).expect("valid");
    assert_eq!(v.target, stored);
    let cleared = validate(
        &ChannelInput {
            clear_secret: true,
            ..edit.clone()
        },
        Some(&stored),
    )
    .expect("valid");
    assert!(matches!(
        cleared.target,
        Target::DingTalk { secret: None, .. }
    ));
    // Another kind does not inherit the old URL.
    let e = validate(
        &ChannelInput {
            kind: "slack".into(),
            ..edit
        },
        Some(&stored),
    )
    .expect_err("a new kind needs its URL");
    assert!(e.get("url").is_some());
}
