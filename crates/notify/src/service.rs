//! What the Alerts page and the REST API ask of alert delivery: channels,
//! silences, the delivery log and the fleet's alerts, in one service.

use crate::channels::{self, ChannelRow};
use crate::sender::{now_ms, Sender};
use crate::silences;
use model::alerting::{
    AlertsOverview, Channel, ChannelInput, Delivery, FleetAlert, Silence, SilenceInput, TestResult,
};
use model::overview::DAY_MS;
use registry::secrets::SecretBox;
use registry::AppError;
use sqlx::SqlitePool;
use std::collections::HashMap;

/// How many failed attempts in a row make a channel "failing".
const FAILING_AFTER: usize = 3;

/// "Send test" at most once in this long per channel: a button held down
/// must not flood a chat group (the services would block the robot).
const TEST_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Clone)]
pub struct NotifyService {
    pool: SqlitePool,
    secrets: SecretBox,
    sender: Sender,
    tested: std::sync::Arc<std::sync::Mutex<HashMap<i64, std::time::Instant>>>,
}

type DeliveryRow = (
    i64,
    i64,
    String,
    Option<String>,
    i64,
    i64,
    bool,
    Option<String>,
    String,
    String,
);

fn delivery(
    (id, channel_id, channel_name, message_id, at, attempt, ok, status, detail, summary): DeliveryRow,
) -> Delivery {
    Delivery {
        id,
        channel_id,
        channel_name,
        message_id,
        at,
        attempt,
        ok,
        status,
        detail,
        summary,
    }
}

const DELIVERY_SELECT: &str = "SELECT d.id, d.channel_id, c.name, d.message_id, d.at, d.attempt, \
     d.ok, d.status, d.detail, d.summary FROM deliveries d JOIN channels c ON c.id = d.channel_id";

impl NotifyService {
    pub fn new(pool: SqlitePool, secrets: SecretBox, sender: Sender) -> Self {
        Self {
            pool,
            secrets,
            sender,
            tested: Default::default(),
        }
    }

    pub fn sender(&self) -> &Sender {
        &self.sender
    }

    /// Every channel with its state: pending messages, the last attempt,
    /// whether it is failing.
    pub async fn channels(&self) -> Result<Vec<Channel>, AppError> {
        let rows = channels::rows(&self.pool).await?;
        let pending: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
            "SELECT channel_id, COUNT(*) FROM messages WHERE state = 'pending' GROUP BY channel_id",
        )
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .collect();
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(
                self.view(r, pending.get(&r.id).copied().unwrap_or(0))
                    .await?,
            );
        }
        Ok(out)
    }

    async fn view(&self, r: &ChannelRow, pending: i64) -> Result<Channel, AppError> {
        let target = r.open(&self.secrets).ok();
        let mut c = r.view(target.as_ref());
        let recent: Vec<DeliveryRow> = sqlx::query_as(&format!(
            "{DELIVERY_SELECT} WHERE d.channel_id = ? AND d.message_id IS NOT NULL \
             ORDER BY d.at DESC, d.id DESC LIMIT {FAILING_AFTER}"
        ))
        .bind(r.id)
        .fetch_all(&self.pool)
        .await?;
        let recent: Vec<Delivery> = recent.into_iter().map(delivery).collect();
        let gave_up = recent
            .first()
            .is_some_and(|d| !d.ok && d.detail.starts_with("gave up"));
        c.failing = gave_up || (recent.len() == FAILING_AFTER && recent.iter().all(|d| !d.ok));
        let last: Option<DeliveryRow> = sqlx::query_as(&format!(
            "{DELIVERY_SELECT} WHERE d.channel_id = ? ORDER BY d.at DESC, d.id DESC LIMIT 1"
        ))
        .bind(r.id)
        .fetch_optional(&self.pool)
        .await?;
        c.last = last.map(delivery);
        c.pending = pending;
        Ok(c)
    }

    pub async fn channel(&self, id: i64) -> Result<Channel, AppError> {
        let r = channels::row(&self.pool, id).await?;
        let (pending,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM messages WHERE state = 'pending' AND channel_id = ?",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        self.view(&r, pending).await
    }

    pub async fn create(&self, input: &ChannelInput, user: &str) -> Result<Channel, AppError> {
        let valid = channels::validate(input, None).map_err(AppError::Validation)?;
        let id = channels::insert(&self.pool, &self.secrets, &valid, user, now_ms()).await?;
        self.sender.adopt(id, now_ms()).await?;
        tracing::info!(channel = %valid.name, kind = valid.target.kind(), user, "notification channel created");
        self.channel(id).await
    }

    pub async fn update(
        &self,
        id: i64,
        input: &ChannelInput,
        user: &str,
    ) -> Result<Channel, AppError> {
        let row = channels::row(&self.pool, id).await?;
        let stored = row.open(&self.secrets).ok();
        let valid = channels::validate(input, stored.as_ref()).map_err(AppError::Validation)?;
        channels::update(&self.pool, &self.secrets, id, &valid, now_ms()).await?;
        // A changed channel may be tested at once.
        if let Ok(mut tested) = self.tested.lock() {
            tested.remove(&id);
        }
        tracing::info!(channel = %valid.name, user, "notification channel changed");
        self.channel(id).await
    }

    pub async fn set_enabled(
        &self,
        id: i64,
        enabled: bool,
        user: &str,
    ) -> Result<Channel, AppError> {
        let r = sqlx::query("UPDATE channels SET enabled = ?, updated_at = ? WHERE id = ?")
            .bind(enabled)
            .bind(now_ms())
            .bind(id)
            .execute(&self.pool)
            .await?;
        if r.rows_affected() == 0 {
            return Err(channels::not_found(id));
        }
        tracing::info!(
            channel_id = id,
            enabled,
            user,
            "notification channel switched"
        );
        if enabled {
            self.sender.adopt(id, now_ms()).await?;
        }
        self.channel(id).await
    }

    pub async fn delete(&self, id: i64, user: &str) -> Result<(), AppError> {
        let r = sqlx::query("DELETE FROM channels WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        if r.rows_affected() == 0 {
            return Err(channels::not_found(id));
        }
        tracing::info!(channel_id = id, user, "notification channel deleted");
        Ok(())
    }

    pub async fn test(&self, id: i64) -> Result<TestResult, AppError> {
        if let Ok(mut tested) = self.tested.lock() {
            let now = std::time::Instant::now();
            if let Some(wait) = tested
                .get(&id)
                .and_then(|at| TEST_EVERY.checked_sub(now.duration_since(*at)))
            {
                return Err(AppError::TooSoon(wait));
            }
            tested.retain(|_, at| now.duration_since(*at) < TEST_EVERY);
            tested.insert(id, now);
        }
        self.sender.test(id).await
    }

    /// The newest attempts, of one channel or all.
    pub async fn deliveries(
        &self,
        channel_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Delivery>, AppError> {
        if let Some(id) = channel_id {
            channels::row(&self.pool, id).await?;
        }
        let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
            "{DELIVERY_SELECT} WHERE (? IS NULL OR d.channel_id = ?) \
             ORDER BY d.at DESC, d.id DESC LIMIT ?"
        ))
        .bind(channel_id)
        .bind(channel_id)
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(delivery).collect())
    }

    pub async fn silences(&self) -> Result<Vec<Silence>, AppError> {
        let now = now_ms();
        Ok(silences::list(&self.pool, now, now - DAY_MS).await?)
    }

    /// The silences in force now.
    pub async fn active_silences(&self) -> Result<Vec<Silence>, AppError> {
        Ok(silences::active(&self.pool, now_ms()).await?)
    }

    pub async fn silence(&self, input: &SilenceInput, user: &str) -> Result<Silence, AppError> {
        let now = now_ms();
        let valid = silences::validate(input, now).map_err(AppError::Validation)?;
        let id = silences::insert(&self.pool, &valid, user, now).await?;
        tracing::info!(silence = id, user, "silence created");
        let list = silences::list(&self.pool, now, now).await?;
        list.into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| AppError::internal("the new silence is not stored"))
    }

    pub async fn end_silence(&self, id: i64, user: &str) -> Result<Silence, AppError> {
        let s = silences::end(&self.pool, id, user, now_ms()).await?;
        tracing::info!(silence = id, user, "silence ended");
        Ok(s)
    }

    /// The fleet's alerts: open ones (critical first, oldest first) and
    /// those resolved in the last day, each with its silence.
    pub async fn fleet_alerts(&self) -> Result<(Vec<FleetAlert>, Vec<FleetAlert>), AppError> {
        let now = now_ms();
        let active = silences::active(&self.pool, now).await?;
        let rows = store::alerts::fleet(&self.pool, now - DAY_MS).await?;
        let (mut open, mut resolved) = (Vec::new(), Vec::new());
        for (stored, cluster_name) in rows {
            let alert = overview::localized(stored);
            let silenced_by = silences::matching(&active, alert.cluster_id, &alert.rule);
            let fa = FleetAlert {
                alert,
                cluster_name,
                silenced_by,
            };
            if fa.alert.resolved_at.is_none() {
                open.push(fa);
            } else {
                resolved.push(fa);
            }
        }
        resolved.sort_by_key(|a| std::cmp::Reverse(a.alert.resolved_at));
        resolved.truncate(200);
        Ok((open, resolved))
    }

    /// Everything the Alerts page shows.
    pub async fn overview(&self) -> Result<AlertsOverview, AppError> {
        let (active, resolved) = self.fleet_alerts().await?;
        Ok(AlertsOverview {
            active,
            resolved,
            channels: self.channels().await?,
            silences: self.silences().await?,
            deliveries: self.deliveries(None, 100).await?,
            links: self.sender.settings().public_url.is_some(),
        })
    }
}
