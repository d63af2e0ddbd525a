//! Alert delivery (issue 17): notification channels, silences and the
//! delivery log, as the Alerts page and the REST API see them. A channel's
//! destination (a webhook URL with its token, a signing secret, an SMTP
//! password) never crosses the wire: `shown` says only where it points.

use crate::overview::Alert;
use serde::{Deserialize, Serialize};

/// The services a channel can deliver to, with their URL keys.
pub const CHANNEL_KINDS: &[&str] = &["webhook", "dingtalk", "feishu", "wecom", "slack", "email"];

/// A notification channel, without its secrets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Channel {
    pub id: i64,
    pub name: String,
    /// One of [`CHANNEL_KINDS`].
    pub kind: String,
    pub enabled: bool,
    /// `warning` (both levels) or `critical` (critical alerts only).
    pub min_level: String,
    /// `all`, `tags` or `clusters`.
    pub scope: String,
    /// The tags or cluster names `scope` selects.
    pub selected: Vec<String>,
    /// The language of its messages: `en` or `zh-CN`.
    pub lang: String,
    pub rate_per_minute: u32,
    /// Where it points, without tokens: `https://oapi.dingtalk.com/…`,
    /// `smtp.example.com:587 → ops@example.com`.
    pub shown: String,
    /// Whether a signing secret (DingTalk, Feishu) or an SMTP password is set.
    pub has_secret: bool,
    /// The names of a webhook's extra headers (their values are secret).
    pub header_names: Vec<String>,
    /// E-mail only: the non-secret SMTP settings, to edit them.
    pub smtp: Option<SmtpShown>,
    /// The last attempts all failed (at least 3 in a row, or the last one
    /// gave up).
    pub failing: bool,
    /// Messages waiting to be delivered.
    pub pending: i64,
    /// The newest attempt.
    pub last: Option<Delivery>,
    pub created_by: String,
    pub updated_at: i64,
}

/// An e-mail channel's settings that are not secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SmtpShown {
    pub host: String,
    pub port: u16,
    /// `starttls`, `tls` or `none`.
    pub tls: String,
    pub username: Option<String>,
    pub from: String,
    pub to: Vec<String>,
}

/// A channel as a form or an API client sends it. On an edit, an empty
/// `url`, `secret`, `headers` or `smtp_password` keeps the stored one;
/// `clear_secret` removes the signing secret or SMTP password.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ChannelInput {
    pub name: String,
    pub kind: String,
    pub enabled: bool,
    pub min_level: String,
    pub scope: String,
    /// Tags or cluster names, comma-separated.
    pub selected: String,
    pub lang: String,
    /// Empty: the service's default.
    pub rate_per_minute: String,
    /// The webhook or robot URL (all kinds but e-mail).
    pub url: String,
    /// DingTalk's or Feishu's signing secret.
    pub secret: String,
    pub clear_secret: bool,
    /// Webhook only: `Name: value`, one per line.
    pub headers: String,
    pub smtp_host: String,
    pub smtp_port: String,
    /// `starttls` (default), `tls` or `none`.
    pub smtp_tls: String,
    pub smtp_username: String,
    pub smtp_password: String,
    pub email_from: String,
    /// Recipients, comma-separated.
    pub email_to: String,
}

/// A silence: no notifications for a cluster, a rule, or a rule on a cluster
/// until `ends_at`. The alerts still open and resolve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Silence {
    pub id: i64,
    /// `None`: every cluster.
    pub cluster_id: Option<i64>,
    pub cluster_name: Option<String>,
    /// `None`: every rule.
    pub rule: Option<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub comment: String,
    pub created_by: String,
    /// Who ended it before its time.
    pub ended_by: Option<String>,
    /// In force now.
    pub active: bool,
}

/// A new silence: a cluster, a rule or both, and an end (`ends_at`, unix
/// ms, or `minutes` from now).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SilenceInput {
    pub cluster_id: Option<i64>,
    pub rule: Option<String>,
    pub ends_at: Option<i64>,
    pub minutes: Option<i64>,
    pub comment: String,
}

/// One attempt to deliver a message, or a "Send test".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: i64,
    pub channel_id: i64,
    pub channel_name: String,
    /// The message's stable id; `None` for a test.
    pub message_id: Option<String>,
    pub at: i64,
    /// 1 for the first attempt.
    pub attempt: i64,
    pub ok: bool,
    /// The HTTP status or SMTP reply code.
    pub status: Option<String>,
    /// The receiver's answer or the error, at most 500 characters.
    pub detail: String,
    /// Which alerts: `demo-healthy: be_alive firing`.
    pub summary: String,
}

/// What "Send test" got back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TestResult {
    pub ok: bool,
    pub status: Option<String>,
    pub detail: String,
}

/// An alert across the fleet, with its cluster and whether a silence
/// holds its notifications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FleetAlert {
    #[serde(flatten)]
    pub alert: Alert,
    pub cluster_name: String,
    /// The silence in force for it, if any.
    pub silenced_by: Option<i64>,
}

/// The Alerts page: everything at once.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertsOverview {
    /// Open alerts, critical first, oldest first.
    pub active: Vec<FleetAlert>,
    /// Resolved in the last 24 hours, newest first.
    pub resolved: Vec<FleetAlert>,
    pub channels: Vec<Channel>,
    /// In force or ended in the last 24 hours.
    pub silences: Vec<Silence>,
    /// The newest 100 attempts.
    pub deliveries: Vec<Delivery>,
    /// Whether `--public-url` is set (the messages carry links).
    pub links: bool,
}
