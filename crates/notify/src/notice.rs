//! A notification: one message to one channel about one cluster's alerts.

use model::overview::HealthStatus;
use serde::{Deserialize, Serialize};

/// What happened to an alert that a notification reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeState {
    /// It opened (or its level rose).
    Firing,
    /// Still failing after the repeat interval.
    Repeat,
    /// It passed again; `ended` says when.
    Resolved,
}

/// One alert in a notification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticeAlert {
    pub alert_id: i64,
    pub state: NoticeState,
    /// The health rule's key, e.g. `be_alive`.
    pub rule: String,
    /// Warning or critical.
    pub level: HealthStatus,
    pub title: String,
    pub reason: String,
    pub action: String,
    /// Unix ms the alert opened.
    pub since: i64,
    /// Unix ms it resolved (resolved alerts only).
    pub ended: Option<i64>,
    /// The cluster's overview at the incident's window, when the console
    /// knows its public address (`--public-url`).
    pub link: Option<String>,
}

/// One message to one channel: a cluster's alerts that changed together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// Stable over retries, so a receiver can drop a repeat.
    pub id: String,
    /// The channel's name (Alertmanager's `receiver`).
    pub channel: String,
    pub cluster_id: i64,
    pub cluster: String,
    /// The cluster's tags, as labels.
    pub tags: Vec<String>,
    /// Firing and repeats first, then resolved ones; never empty.
    pub alerts: Vec<NoticeAlert>,
    /// The cluster's overview over the window of all these alerts.
    pub link: Option<String>,
    /// Unix ms the message was made.
    pub created_at: i64,
    /// A sample from "Send test", not a real alert.
    pub test: bool,
    /// The channel's language for the message's own words: `en` or `zh-CN`
    /// (the alerts' title, reason and action arrive already in it).
    pub lang: String,
}

impl Notice {
    /// Whether any alert is still failing (Alertmanager's group `status`).
    pub fn firing(&self) -> bool {
        self.alerts.iter().any(|a| a.state != NoticeState::Resolved)
    }

    /// The worst level among the alerts.
    pub fn worst(&self) -> HealthStatus {
        if self
            .alerts
            .iter()
            .any(|a| a.level == HealthStatus::Critical && a.state != NoticeState::Resolved)
        {
            HealthStatus::Critical
        } else {
            HealthStatus::Warning
        }
    }
}
