//! The sender: routes the outbox's alert changes to the channels, groups a
//! cluster's changes into one message per channel, and delivers messages
//! with retries. Everything it decides is in SQLite before it acts, so a
//! restart resumes where it stopped and nothing is sent twice under two ids.
//!
//! One pass ([`Sender::pass`]):
//! 1. route: each new `alert_events` row becomes a pending change of the
//!    channels that take it (scope and level);
//! 2. repeats: alerts still firing after the repeat interval, and alerts a
//!    silence held back once it has ended, become pending again;
//! 3. group: a channel's pending changes of one cluster, once the first is
//!    due (the group wait), become one message, unless a silence holds them;
//! 4. deliver: the oldest pending message of each channel and cluster (so
//!    an alert's messages arrive in order), within the channel's rate.

use crate::channels::{self, ChannelRow};
use crate::deliver::{deliver, Outcome};
use crate::notice::{Notice, NoticeAlert, NoticeState};
use crate::silences;
use model::alerting::{Silence, TestResult};
use model::overview::HealthStatus;
use registry::secrets::SecretBox;
use sqlx::SqlitePool;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The sender's timing. Defaults are the issue's: a 30-s group wait, a 4-h
/// repeat, giving up after 24 h.
#[derive(Clone, Debug)]
pub struct Settings {
    /// How long the first change of a cluster waits for others to join it.
    pub group_wait: Duration,
    /// How often a firing alert is said again.
    pub repeat: Duration,
    /// How long a message is retried before it is given up.
    pub give_up: Duration,
    /// One attempt's limit.
    pub attempt_timeout: Duration,
    /// The first retry's wait; it doubles per attempt up to `max_backoff`.
    pub backoff: Duration,
    pub max_backoff: Duration,
    /// How often a pass runs.
    pub every: Duration,
    /// The console's address as operators reach it, for links.
    pub public_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            group_wait: Duration::from_secs(30),
            repeat: Duration::from_secs(4 * 3600),
            give_up: Duration::from_secs(24 * 3600),
            attempt_timeout: Duration::from_secs(10),
            backoff: Duration::from_secs(5),
            max_backoff: Duration::from_secs(600),
            every: Duration::from_secs(1),
            public_url: None,
        }
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// A token bucket per channel: `rate` messages a minute, bursts of a tenth.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn burst(rate_per_minute: i64) -> f64 {
        (rate_per_minute.max(1) as f64 / 10.0).max(1.0)
    }

    fn full(rate_per_minute: i64, now: Instant) -> Self {
        Self {
            tokens: Self::burst(rate_per_minute),
            at: now,
        }
    }

    /// One message's token, if the rate has one to give now.
    fn take(&mut self, rate_per_minute: i64, now: Instant) -> bool {
        let per_second = rate_per_minute.max(1) as f64 / 60.0;
        let refill = now.saturating_duration_since(self.at).as_secs_f64() * per_second;
        self.tokens = (self.tokens + refill).min(Self::burst(rate_per_minute));
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[derive(Clone)]
pub struct Sender {
    pool: SqlitePool,
    secrets: SecretBox,
    http: reqwest::Client,
    settings: Arc<Settings>,
    buckets: Arc<Mutex<HashMap<i64, Bucket>>>,
    /// The minute of the last sweep.
    swept: Arc<std::sync::atomic::AtomicI64>,
}

/// A pending change as `channel_alerts` holds it, with its alert.
#[derive(Debug, sqlx::FromRow)]
struct Pending {
    channel_id: i64,
    alert_id: i64,
    cluster_id: i64,
    pending: String,
    due_at: i64,
    rule: Option<String>,
    level: Option<String>,
    title: Option<String>,
    reason: Option<String>,
    action: Option<String>,
    said: Option<String>,
    opened_at: Option<i64>,
    resolved_at: Option<i64>,
}

/// The head of one channel and cluster's queue.
#[derive(Debug, sqlx::FromRow)]
struct Message {
    id: String,
    channel_id: i64,
    cluster_id: i64,
    notice: String,
    summary: String,
    created_at: i64,
    attempts: i64,
    next_at: i64,
}

/// What one pass did, for tests and logs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassReport {
    pub routed: usize,
    pub made: usize,
    pub silenced: usize,
    pub attempted: usize,
    pub delivered: usize,
}

impl Sender {
    pub fn new(pool: SqlitePool, secrets: SecretBox, settings: Settings) -> Self {
        // A redirect to another host would carry the robot's token there.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("starrocks-overview/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        Self {
            pool,
            secrets,
            http,
            settings: Arc::new(settings),
            buckets: Arc::default(),
            swept: Arc::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Runs a pass every `settings.every` until the runtime ends.
    pub fn spawn(&self) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(me.settings.every);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                if let Err(e) = me.pass(now_ms()).await {
                    tracing::warn!(error = %e, "notifications: a pass failed; trying again");
                }
            }
        })
    }

    pub async fn pass(&self, now: i64) -> sqlx::Result<PassReport> {
        let minute = now / 60_000;
        if self
            .swept
            .swap(minute, std::sync::atomic::Ordering::Relaxed)
            != minute
        {
            self.sweep(now).await?;
        }
        let mut report = PassReport {
            routed: self.route(now).await?,
            ..PassReport::default()
        };
        self.repeats(now).await?;
        let (made, silenced) = self.group(now).await?;
        report.made = made;
        report.silenced = silenced;
        let (attempted, delivered) = self.deliver_due(now).await?;
        report.attempted = attempted;
        report.delivered = delivered;
        Ok(report)
    }

    /// Once a minute: what is done and old goes. Sent and given-up messages
    /// and the delivery log stay 30 days; what a channel said about an alert
    /// stays while the alert is open or resolved less than a day ago.
    async fn sweep(&self, now: i64) -> sqlx::Result<()> {
        const KEEP_MS: i64 = 30 * 24 * 3_600_000;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query("DELETE FROM messages WHERE state <> 'pending' AND done_at < ?")
            .bind(now - KEEP_MS)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM deliveries WHERE at < ?")
            .bind(now - KEEP_MS)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM channel_alerts WHERE pending IS NULL AND NOT EXISTS \
             (SELECT 1 FROM alerts a WHERE a.id = channel_alerts.alert_id \
              AND (a.resolved_at IS NULL OR a.resolved_at > ?))",
        )
        .bind(now - 24 * 3_600_000)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// Step 1: the outbox's new changes become the channels' pending ones.
    async fn route(&self, now: i64) -> sqlx::Result<usize> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (cursor,): (i64,) = sqlx::query_as("SELECT last_event FROM notify_cursor WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let events: Vec<(i64, i64, i64, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT e.id, e.alert_id, e.cluster_id, e.state, e.at, a.level FROM alert_events e \
             LEFT JOIN alerts a ON a.id = e.alert_id WHERE e.id > ? ORDER BY e.id LIMIT 10000",
        )
        .bind(cursor)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = events.last().map(|e| e.0) else {
            return Ok(0);
        };
        let channels: Vec<ChannelRow> = sqlx::query_as(&format!(
            "SELECT {} FROM channels WHERE enabled = 1",
            channels::ROW_COLUMNS
        ))
        .fetch_all(&mut *tx)
        .await?;
        let clusters: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT id, name, tags FROM clusters")
                .fetch_all(&mut *tx)
                .await?;
        let clusters: HashMap<i64, (String, Vec<String>)> = clusters
            .into_iter()
            .map(|(id, name, tags)| (id, (name, model::cluster::stored_tags(&tags))))
            .collect();
        let wait = ms(self.settings.group_wait);
        let mut routed = 0;
        for (_, alert_id, cluster_id, state, at, level) in &events {
            // A deleted cluster's alerts are gone with it.
            let (Some((name, tags)), Some(level)) = (clusters.get(cluster_id), level) else {
                continue;
            };
            for c in channels.iter().filter(|c| selects(c, name, tags)) {
                if state == "firing" {
                    if !level_taken(&c.min_level, level) {
                        continue;
                    }
                    sqlx::query(
                        "INSERT INTO channel_alerts (channel_id, alert_id, cluster_id, pending, due_at) \
                         VALUES (?, ?, ?, 'firing', ?) ON CONFLICT (channel_id, alert_id) DO UPDATE \
                         SET pending = 'firing', due_at = MIN(COALESCE(due_at, excluded.due_at), excluded.due_at)",
                    )
                    .bind(c.id)
                    .bind(alert_id)
                    .bind(cluster_id)
                    .bind(at + wait)
                    .execute(&mut *tx)
                    .await?;
                } else {
                    // Resolved: said only where the firing was said; a change
                    // still waiting (opened and resolved within the group
                    // wait) is dropped with nothing said.
                    sqlx::query(
                        "UPDATE channel_alerts SET \
                           pending = CASE WHEN told = 'firing' THEN 'resolved' ELSE NULL END, \
                           due_at = CASE WHEN told = 'firing' THEN ? ELSE NULL END \
                         WHERE channel_id = ? AND alert_id = ?",
                    )
                    .bind(*at)
                    .bind(c.id)
                    .bind(alert_id)
                    .execute(&mut *tx)
                    .await?;
                }
                routed += 1;
            }
        }
        sqlx::query("UPDATE notify_cursor SET last_event = ? WHERE id = 1")
            .bind(last)
            .execute(&mut *tx)
            .await?;
        // The outbox keeps a day of changes for inspection, not forever.
        sqlx::query("DELETE FROM alert_events WHERE id <= ? AND at < ?")
            .bind(last)
            .bind(now - 24 * 3_600_000)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(routed)
    }

    /// A channel created or switched on takes the alerts open now that it
    /// selects, as if they had just opened: an operator who adds a channel
    /// during an incident hears of it. Those it was already told stay as
    /// they are.
    pub async fn adopt(&self, channel_id: i64, now: i64) -> sqlx::Result<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let channel: Option<ChannelRow> = sqlx::query_as(&format!(
            "SELECT {} FROM channels WHERE id = ? AND enabled = 1",
            channels::ROW_COLUMNS
        ))
        .bind(channel_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(channel) = channel else {
            return Ok(());
        };
        let open: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
            "SELECT a.id, a.cluster_id, a.level, c.name, c.tags FROM alerts a \
             JOIN clusters c ON c.id = a.cluster_id WHERE a.resolved_at IS NULL",
        )
        .fetch_all(&mut *tx)
        .await?;
        let due = now + ms(self.settings.group_wait);
        for (alert_id, cluster_id, level, name, tags) in open {
            let tags = model::cluster::stored_tags(&tags);
            if !selects(&channel, &name, &tags) || !level_taken(&channel.min_level, &level) {
                continue;
            }
            sqlx::query(
                "INSERT INTO channel_alerts (channel_id, alert_id, cluster_id, pending, due_at) \
                 VALUES (?, ?, ?, 'firing', ?) ON CONFLICT (channel_id, alert_id) DO NOTHING",
            )
            .bind(channel_id)
            .bind(alert_id)
            .bind(cluster_id)
            .bind(due)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }

    /// Step 2: firing alerts said long enough ago, and those a silence held
    /// back whose silence has ended, are pending again.
    async fn repeats(&self, now: i64) -> sqlx::Result<()> {
        let repeat = ms(self.settings.repeat);
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        // Not while a message to the same channel and cluster still waits:
        // after an outage, one message, not one per interval.
        sqlx::query(
            "UPDATE channel_alerts SET pending = 'repeat', due_at = ? \
             WHERE pending IS NULL AND told = 'firing' AND told_at <= ? \
             AND alert_id IN (SELECT id FROM alerts WHERE resolved_at IS NULL) \
             AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.state = 'pending' \
                 AND m.channel_id = channel_alerts.channel_id AND m.cluster_id = channel_alerts.cluster_id)",
        )
        .bind(now)
        .bind(now - repeat)
        .execute(&mut *tx)
        .await?;
        let held: Vec<(i64, i64, i64, String)> = sqlx::query_as(
            "SELECT ca.channel_id, ca.alert_id, ca.cluster_id, a.rule FROM channel_alerts ca \
             JOIN alerts a ON a.id = ca.alert_id \
             WHERE ca.pending IS NULL AND ca.told = 'silenced' AND a.resolved_at IS NULL",
        )
        .fetch_all(&mut *tx)
        .await?;
        if !held.is_empty() {
            let active = silences::active(&self.pool, now).await?;
            for (channel_id, alert_id, cluster_id, rule) in held {
                if silences::matching(&active, cluster_id, &rule).is_none() {
                    sqlx::query(
                        "UPDATE channel_alerts SET pending = 'firing', due_at = ? \
                         WHERE channel_id = ? AND alert_id = ?",
                    )
                    .bind(now)
                    .bind(channel_id)
                    .bind(alert_id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await
    }

    /// Step 3: due changes become messages, one per channel and cluster.
    async fn group(&self, now: i64) -> sqlx::Result<(usize, usize)> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let due: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT DISTINCT channel_id, cluster_id FROM channel_alerts \
             WHERE pending IS NOT NULL AND due_at <= ?",
        )
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        if due.is_empty() {
            return Ok((0, 0));
        }
        let rows: Vec<Pending> = sqlx::query_as(
            "SELECT ca.channel_id, ca.alert_id, ca.cluster_id, ca.pending, ca.due_at, a.rule, \
             a.level, a.title, a.reason, a.action, a.said, a.opened_at, a.resolved_at \
             FROM channel_alerts ca LEFT JOIN alerts a ON a.id = ca.alert_id \
             WHERE ca.pending IS NOT NULL ORDER BY ca.channel_id, ca.cluster_id, a.opened_at",
        )
        .fetch_all(&mut *tx)
        .await?;
        let channels: HashMap<i64, ChannelRow> = sqlx::query_as::<_, ChannelRow>(&format!(
            "SELECT {} FROM channels",
            channels::ROW_COLUMNS
        ))
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
        let clusters: HashMap<i64, (String, String)> =
            sqlx::query_as::<_, (i64, String, String)>("SELECT id, name, tags FROM clusters")
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .map(|(id, n, t)| (id, (n, t)))
                .collect();
        let active = silences::active(&self.pool, now).await?;
        let mut groups: BTreeMap<(i64, i64), Vec<Pending>> = BTreeMap::new();
        for p in rows {
            groups
                .entry((p.channel_id, p.cluster_id))
                .or_default()
                .push(p);
        }
        let (mut made, mut silenced) = (0, 0);
        for key in due {
            let Some(changes) = groups.remove(&key) else {
                continue;
            };
            let (channel_id, cluster_id) = key;
            let channel = channels.get(&channel_id).filter(|c| c.enabled);
            let cluster = clusters.get(&cluster_id);
            let mut alerts = Vec::new();
            for p in &changes {
                let told = match p.pending.as_str() {
                    "resolved" => "resolved",
                    _ => "firing",
                };
                let held = p
                    .rule
                    .as_deref()
                    .and_then(|r| silences::matching(&active, cluster_id, r));
                let gone = channel.is_none() || cluster.is_none() || p.rule.is_none();
                let told = if gone {
                    // A disabled channel or a deleted cluster: nothing to say.
                    "dropped"
                } else if held.is_some() {
                    silenced += 1;
                    if told == "firing" {
                        "silenced"
                    } else {
                        "resolved"
                    }
                } else {
                    if let Some(c) = channel {
                        alerts.push(self.notice_alert(p, c, cluster_id));
                    }
                    told
                };
                sqlx::query(
                    "UPDATE channel_alerts SET pending = NULL, due_at = NULL, told = ?, told_at = ? \
                     WHERE channel_id = ? AND alert_id = ?",
                )
                .bind(told)
                .bind(now)
                .bind(channel_id)
                .bind(p.alert_id)
                .execute(&mut *tx)
                .await?;
            }
            let (Some(channel), Some((name, tags))) = (channel, cluster) else {
                continue;
            };
            if alerts.is_empty() {
                continue;
            }
            alerts.sort_by_key(|a| (a.state == NoticeState::Resolved, a.since));
            let notice = Notice {
                id: message_id(),
                channel: channel.name.clone(),
                cluster_id,
                cluster: name.clone(),
                tags: model::cluster::stored_tags(tags),
                link: self.link(
                    cluster_id,
                    alerts.iter().map(|a| a.since).min().unwrap_or(now),
                    alerts.iter().filter_map(|a| a.ended).max().unwrap_or(now),
                ),
                alerts,
                created_at: now,
                test: false,
                lang: channel.lang.clone(),
            };
            let summary = summary(&notice);
            let json = serde_json::to_string(&notice).unwrap_or_default();
            sqlx::query(
                "INSERT INTO messages (id, channel_id, cluster_id, notice, summary, created_at, \
                 state, attempts, next_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
            )
            .bind(&notice.id)
            .bind(channel_id)
            .bind(cluster_id)
            .bind(json)
            .bind(summary)
            .bind(now)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            made += 1;
        }
        tx.commit().await?;
        Ok((made, silenced))
    }

    fn notice_alert(&self, p: &Pending, channel: &ChannelRow, cluster_id: i64) -> NoticeAlert {
        let locale = i18n::from_tag(&channel.lang).unwrap_or(i18n::Locale::en);
        let said = overview::health::Said::stored(p.said.as_deref());
        let (title, reason, action) = match said {
            Some(s) => (
                s.title.text_in(locale),
                s.reason.text_in(locale),
                s.action.map(|a| a.text_in(locale)).unwrap_or_default(),
            ),
            None => (
                p.title.clone().unwrap_or_default(),
                p.reason.clone().unwrap_or_default(),
                p.action.clone().unwrap_or_default(),
            ),
        };
        let since = p.opened_at.unwrap_or(p.due_at);
        let state = match p.pending.as_str() {
            "resolved" => NoticeState::Resolved,
            "repeat" => NoticeState::Repeat,
            _ => NoticeState::Firing,
        };
        let ended = (state == NoticeState::Resolved)
            .then_some(p.resolved_at)
            .flatten();
        NoticeAlert {
            alert_id: p.alert_id,
            state,
            rule: p.rule.clone().unwrap_or_default(),
            level: store::alerts::level_of(p.level.as_deref().unwrap_or("warning")),
            title,
            reason,
            action,
            since,
            ended,
            link: self.link(cluster_id, since, ended.unwrap_or_else(now_ms)),
        }
    }

    /// The cluster's overview from half an hour before the incident to a
    /// little after it: the picture an operator opens the link for.
    fn link(&self, cluster_id: i64, from: i64, to: i64) -> Option<String> {
        let base = self.settings.public_url.as_deref()?.trim_end_matches('/');
        let from = from - 30 * 60_000;
        let to = to + 5 * 60_000;
        Some(format!(
            "{base}/clusters/{cluster_id}/overview?from={from}&to={to}"
        ))
    }

    /// Step 4: the head of each channel and cluster's queue, when due and
    /// within the channel's rate.
    async fn deliver_due(&self, now: i64) -> sqlx::Result<(usize, usize)> {
        let queued: Vec<Message> = sqlx::query_as(
            "SELECT id, channel_id, cluster_id, notice, summary, created_at, attempts, next_at \
             FROM messages WHERE state = 'pending' ORDER BY channel_id, cluster_id, created_at, rowid",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut heads: Vec<Message> = Vec::new();
        for m in queued {
            let same_queue = heads
                .last()
                .is_some_and(|h| h.channel_id == m.channel_id && h.cluster_id == m.cluster_id);
            if !same_queue {
                heads.push(m);
            }
        }
        heads.retain(|m| m.next_at <= now);
        if heads.is_empty() {
            return Ok((0, 0));
        }
        let channels: HashMap<i64, ChannelRow> = channels::rows(&self.pool)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let give_up = ms(self.settings.give_up);
        let mut work = tokio::task::JoinSet::new();
        let limit = Arc::new(tokio::sync::Semaphore::new(16));
        let mut attempted = 0;
        for m in heads {
            let Some(channel) = channels.get(&m.channel_id) else {
                continue;
            };
            if now - m.created_at >= give_up {
                self.finish(&m, now, None).await?;
                continue;
            }
            if !self.take_token(channel) {
                continue;
            }
            let target = match channel.open(&self.secrets) {
                Ok(t) => t,
                Err(e) => {
                    tracing::error!(channel = %channel.name, error = %e, "notifications: the channel's destination cannot be opened");
                    continue;
                }
            };
            let notice: Notice = match serde_json::from_str(&m.notice) {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(message = %m.id, error = %e, "notifications: a stored message is unreadable; giving it up");
                    self.finish(&m, now, None).await?;
                    continue;
                }
            };
            attempted += 1;
            let me = self.clone();
            let permit = limit.clone();
            work.spawn(async move {
                let _permit = permit.acquire_owned().await;
                let outcome =
                    deliver(&me.http, &target, &notice, me.settings.attempt_timeout).await;
                (m, outcome)
            });
        }
        let mut delivered = 0;
        while let Some(done) = work.join_next().await {
            let Ok((m, outcome)) = done else { continue };
            if outcome.ok {
                delivered += 1;
            }
            // The pass's clock, not the wall's: tests drive the sender
            // through hours in moments, and a pass takes moments.
            self.finish(&m, now, Some(outcome)).await?;
        }
        Ok((attempted, delivered))
    }

    /// Records an attempt (or giving up, `outcome` None) and moves the
    /// message on: sent, retried later, or given up.
    async fn finish(&self, m: &Message, now: i64, outcome: Option<Outcome>) -> sqlx::Result<()> {
        let attempt = m.attempts + 1;
        let give_up_at = m.created_at + ms(self.settings.give_up);
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        match &outcome {
            Some(o) => {
                let retry_at = now + backoff(&self.settings, attempt);
                let state = if o.ok {
                    "sent"
                } else if o.retry && retry_at < give_up_at {
                    "pending"
                } else {
                    "gave_up"
                };
                // The last attempt says it was the last, and why.
                let said = if state == "gave_up" {
                    let why = if o.retry {
                        format!(
                            "gave up after {attempt} attempts in {} min: ",
                            ms(self.settings.give_up) / 60_000
                        )
                    } else {
                        format!("gave up after {attempt} attempts (trying again cannot help): ")
                    };
                    Outcome {
                        detail: why + &o.detail,
                        ..o.clone()
                    }
                } else {
                    o.clone()
                };
                let summary = &m.summary;
                log(
                    &mut tx,
                    m.channel_id,
                    Some(&m.id),
                    now,
                    attempt,
                    &said,
                    summary,
                )
                .await?;
                sqlx::query(
                    "UPDATE messages SET state = ?, attempts = ?, next_at = ?, \
                     done_at = CASE WHEN ? = 'pending' THEN NULL ELSE ? END WHERE id = ?",
                )
                .bind(state)
                .bind(attempt)
                .bind(retry_at)
                .bind(state)
                .bind(now)
                .bind(&m.id)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                let o = Outcome {
                    ok: false,
                    status: None,
                    detail: format!("gave up after {} attempts", m.attempts),
                    retry: false,
                };
                log(
                    &mut tx,
                    m.channel_id,
                    Some(&m.id),
                    now,
                    m.attempts,
                    &o,
                    &m.summary,
                )
                .await?;
                sqlx::query("UPDATE messages SET state = 'gave_up', done_at = ? WHERE id = ?")
                    .bind(now)
                    .bind(&m.id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await
    }

    fn take_token(&self, channel: &ChannelRow) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let now = Instant::now();
        buckets
            .entry(channel.id)
            .or_insert_with(|| Bucket::full(channel.rate_per_minute, now))
            .take(channel.rate_per_minute, now)
    }

    /// "Send test": a sample message to the channel now, outside the queue,
    /// logged like an attempt.
    pub async fn test(&self, channel_id: i64) -> Result<TestResult, registry::AppError> {
        let channel = channels::row(&self.pool, channel_id).await?;
        let target = channel
            .open(&self.secrets)
            .map_err(registry::AppError::internal)?;
        let now = now_ms();
        // The sample links to the Alerts page, where its log line is.
        let link = self
            .settings
            .public_url
            .as_deref()
            .map(|u| format!("{}/alerts", u.trim_end_matches('/')));
        let notice = sample(&channel, now, link);
        let outcome = deliver(&self.http, &target, &notice, self.settings.attempt_timeout).await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        log(&mut tx, channel_id, None, now_ms(), 1, &outcome, "test").await?;
        tx.commit().await?;
        Ok(TestResult {
            ok: outcome.ok,
            status: outcome.status,
            detail: outcome.detail,
        })
    }
}

/// The silences that hold `rule` on `cluster_id` (for the pages).
pub fn silenced_by(active: &[Silence], cluster_id: i64, rule: &str) -> Option<i64> {
    silences::matching(active, cluster_id, rule)
}

fn sample(channel: &ChannelRow, now: i64, link: Option<String>) -> Notice {
    let zh = channel.lang == "zh-CN";
    Notice {
        id: message_id(),
        channel: channel.name.clone(),
        cluster_id: 0,
        cluster: "example-cluster".into(),
        tags: Vec::new(),
        alerts: vec![NoticeAlert {
            alert_id: 0,
            state: NoticeState::Firing,
            rule: "test".into(),
            level: HealthStatus::Warning,
            title: if zh { "测试告警" } else { "Test alert" }.into(),
            reason: if zh {
                "这是一条测试消息：通道可以送达。"
            } else {
                "This is a test message: the channel delivers."
            }
            .into(),
            action: if zh {
                "无需处理。"
            } else {
                "Nothing to do."
            }
            .into(),
            since: now,
            ended: None,
            link: None,
        }],
        link,
        created_at: now,
        test: true,
        lang: channel.lang.clone(),
    }
}

async fn log(
    tx: &mut sqlx::SqliteConnection,
    channel_id: i64,
    message_id: Option<&str>,
    at: i64,
    attempt: i64,
    o: &Outcome,
    summary: &str,
) -> sqlx::Result<()> {
    let detail: String = o.detail.chars().take(500).collect();
    sqlx::query(
        "INSERT INTO deliveries (channel_id, message_id, at, attempt, ok, status, detail, summary) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(channel_id)
    .bind(message_id)
    .bind(at)
    .bind(attempt)
    .bind(o.ok)
    .bind(&o.status)
    .bind(detail)
    .bind(summary)
    .execute(tx)
    .await?;
    Ok(())
}

/// Exponential backoff with full jitter: a random wait up to `backoff ·
/// 2^(attempt-1)`, at most `max_backoff`, at least a second, so that many
/// channels that failed together do not retry together.
fn backoff(s: &Settings, attempt: i64) -> i64 {
    use rand::Rng;
    let exp = u32::try_from(attempt.clamp(1, 20) - 1).unwrap_or(0);
    let cap = ms(s.backoff)
        .saturating_mul(1_i64 << exp)
        .min(ms(s.max_backoff))
        .max(1_000);
    rand::thread_rng().gen_range(cap / 2..=cap)
}

fn level_taken(min_level: &str, level: &str) -> bool {
    min_level != "critical" || level == "critical"
}

fn selects(c: &ChannelRow, cluster: &str, tags: &[String]) -> bool {
    let selected = c.selected();
    match c.scope.as_str() {
        "tags" => selected.iter().any(|s| tags.iter().any(|t| t == s)),
        "clusters" => selected.iter().any(|s| s == cluster),
        _ => true,
    }
}

/// A random 128-bit id, as hex: stable over retries (it is stored).
fn message_id() -> String {
    use rand::Rng;
    let n: u128 = rand::thread_rng().gen();
    format!("{n:032x}")
}

fn summary(n: &Notice) -> String {
    let parts: Vec<String> = n
        .alerts
        .iter()
        .map(|a| {
            let state = match a.state {
                NoticeState::Firing => "firing",
                NoticeState::Repeat => "repeat",
                NoticeState::Resolved => "resolved",
            };
            format!("{} {state}", a.rule)
        })
        .collect();
    format!("{}: {}", n.cluster, parts.join(", "))
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_stops_at_the_cap() {
        let s = Settings::default();
        for attempt in 1..=12 {
            let cap = (5_000_i64 << (attempt - 1)).min(600_000);
            for _ in 0..50 {
                let b = backoff(&s, attempt);
                assert!(
                    b >= cap / 2 && b <= cap,
                    "attempt {attempt}: {b} not in [{}, {cap}]",
                    cap / 2
                );
            }
        }
    }

    #[test]
    fn a_critical_channel_takes_critical_alerts_only() {
        assert!(level_taken("warning", "warning"));
        assert!(level_taken("warning", "critical"));
        assert!(!level_taken("critical", "warning"));
        assert!(level_taken("critical", "critical"));
    }

    #[test]
    fn a_robot_limited_to_20_a_minute_gets_a_burst_of_2_then_about_one_every_3_s() {
        let t0 = Instant::now();
        let mut b = Bucket::full(20, t0);
        assert!(b.take(20, t0));
        assert!(b.take(20, t0));
        assert!(!b.take(20, t0), "the burst is spent");
        assert!(!b.take(20, t0 + Duration::from_millis(2_900)));
        assert!(b.take(20, t0 + Duration::from_millis(3_050)));
        // A minute later: full again, not 20 at once.
        let later = t0 + Duration::from_secs(60);
        assert!(b.take(20, later) && b.take(20, later) && !b.take(20, later));
    }

    #[test]
    fn message_ids_differ() {
        assert_ne!(message_id(), message_id());
        assert_eq!(message_id().len(), 32);
    }
}
