//! Where a channel delivers: its kind and the settings that carry secrets
//! (URLs with tokens, signing secrets, SMTP passwords). Stored sealed as
//! JSON; only [`Target::shown`] and friends reach the browser.

use serde::{Deserialize, Serialize};

/// How the SMTP connection is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (port 587); required.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: a relay on a trusted network or loopback only.
    None,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
    pub to: Vec<String>,
}

/// A channel's destination, one variant per service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// Alertmanager's webhook body, with optional extra headers
    /// (e.g. `Authorization: Bearer …`).
    Webhook {
        url: String,
        headers: Vec<(String, String)>,
    },
    /// A DingTalk custom robot; `secret` turns on its signed URL.
    #[serde(rename = "dingtalk")]
    DingTalk {
        url: String,
        secret: Option<String>,
    },
    /// A Feishu/Lark custom bot; `secret` adds its signature to the body.
    Feishu {
        url: String,
        secret: Option<String>,
    },
    /// A WeCom group robot.
    #[serde(rename = "wecom")]
    WeCom {
        url: String,
    },
    /// A Slack incoming webhook.
    Slack {
        url: String,
    },
    Email(SmtpSettings),
}

impl Target {
    /// The kind's key: `webhook`, `dingtalk`, `feishu`, `wecom`, `slack`, `email`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Webhook { .. } => "webhook",
            Self::DingTalk { .. } => "dingtalk",
            Self::Feishu { .. } => "feishu",
            Self::WeCom { .. } => "wecom",
            Self::Slack { .. } => "slack",
            Self::Email(_) => "email",
        }
    }
}
