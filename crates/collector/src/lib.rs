//! The background collector: every registered cluster, every interval, into
//! SQLite. The dashboard reads only what this writes.
//!
//! - Ticks are aligned to the interval (:00, :30, ...). A tick that overruns
//!   makes the next boundaries be skipped, never bunched.
//! - Clusters are collected concurrently, at most `concurrency` at a time, each
//!   under a deadline shorter than the interval, so a slow or broken cluster only
//!   ever costs its own row (status `failed`, with the error).
//! - All rows of one tick are written in one transaction.
//! - MySQL-side data statistics run on their own schedule (every few minutes),
//!   outside the ticks, a few clusters at a time.
//! - Daily rollups and retention run after ticks, at most hourly, and once at
//!   start-up to catch up on days missed while the server was down.

pub mod derive;
pub mod metrics;
pub mod node_figures;
pub mod operations;
pub mod reach;
pub mod read;

use self::derive::Memory;
use self::metrics::{CollectorMetrics, KindLabel};
use model::reach::AddressProblem;
use model::snapshot::{CollectStatus, CollectorStatus, Snapshot};
use model::starrocks::ErrorKind;
use model::text::clip_error;
use registry::clusters::{ClusterService, StarRocksTimeouts};
use registry::AppError;
use sqlx::SqlitePool;
use starrocks::error::StarRocksError;
use starrocks::failover;
use starrocks::http::{http_client, Endpoint, FeClient};
use starrocks::wire::prometheus::Limits;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use store::housekeeping::{self, Retention};
use store::snapshots::{self, Collected};
use store::ticks::{TickSender, TickWritten};
use store::{counters, data_stats, now_ms};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// How the collector runs (from the command line).
#[derive(Clone, Debug)]
pub struct CollectorConfig {
    pub interval: Duration,
    /// Clusters collected at the same time.
    pub concurrency: usize,
    /// How long one cluster's collection may take before it is written as failed.
    pub deadline: Duration,
    /// How often each cluster's MySQL-side statistics are refreshed.
    pub stats_every: Duration,
    /// Clusters whose statistics are read at the same time.
    pub stats_concurrency: usize,
    pub retention: Retention,
    /// Shortest gap between two on-demand collections of one cluster.
    pub collect_now_gap: Duration,
    /// The most of a cluster's nodes read per tick, and how many at once.
    pub fanout: read::Fanout,
    /// Bounds of one `/metrics` body (size, samples).
    pub metrics_limits: Limits,
    /// One deadline for a cluster's whole data statistics read over MySQL.
    pub stats_deadline: Duration,
}

impl CollectorConfig {
    pub fn with_interval(interval: Duration) -> Self {
        Self {
            interval,
            concurrency: 64,
            deadline: interval.mul_f64(0.8),
            stats_every: Duration::from_secs(600),
            stats_concurrency: 4,
            retention: Retention {
                raw: Duration::from_secs(7 * 86_400),
                daily: Duration::from_secs(90 * 86_400),
            },
            collect_now_gap: Duration::from_secs(10),
            fanout: read::Fanout::default(),
            metrics_limits: Limits::default(),
            stats_deadline: Duration::from_secs(60),
        }
    }
}

/// What one tick did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TickReport {
    pub at: i64,
    pub duration: Duration,
    pub ok: u32,
    pub partial: u32,
    pub failed: u32,
    pub written: usize,
}

/// Cheap to clone handle on the one collector of the server.
#[derive(Clone)]
pub struct Collector {
    inner: Arc<Inner>,
}

struct Inner {
    pool: SqlitePool,
    clusters: ClusterService,
    config: CollectorConfig,
    timeouts: StarRocksTimeouts,
    /// One connection pool for every cluster's HTTP side.
    http: reqwest::Client,
    memory: Mutex<HashMap<i64, Memory>>,
    status: Mutex<CollectorStatus>,
    /// Last on-demand collection per cluster (unix ms).
    manual: Mutex<HashMap<i64, i64>>,
    /// One tick at a time, and an on-demand collection never inside a tick's write.
    ticking: tokio::sync::Mutex<()>,
    /// Told after each write (the alerts task listens).
    ticks: Option<TickSender>,
    metrics: CollectorMetrics,
    /// When this collector was made: before its first tick it counts as ticking.
    started_at: i64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding these leaves plain data behind; keep going with it.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Collector {
    /// Sets up the collector and loads the counters it remembered before a
    /// restart. After each write it tells `ticks`, when given.
    pub async fn new(
        pool: SqlitePool,
        clusters: ClusterService,
        config: CollectorConfig,
        ticks: Option<TickSender>,
    ) -> anyhow::Result<Self> {
        use anyhow::Context;
        let timeouts = clusters.timeouts();
        let http =
            http_client(timeouts.http).context("cannot set up the HTTP client for StarRocks")?;
        let memory = counters::load(&pool)
            .await
            .context("cannot read the collector's counters")?
            .into_iter()
            .map(|(id, fes)| {
                let memory = Memory {
                    fes,
                    ..Memory::default()
                };
                (id, memory)
            })
            .collect();
        let status = CollectorStatus {
            interval_s: config.interval.as_secs(),
            ..CollectorStatus::default()
        };
        Ok(Self {
            inner: Arc::new(Inner {
                pool,
                clusters,
                config,
                timeouts,
                http,
                memory: Mutex::new(memory),
                status: Mutex::new(status),
                manual: Mutex::new(HashMap::new()),
                ticking: tokio::sync::Mutex::new(()),
                ticks,
                metrics: CollectorMetrics::default(),
                started_at: now_ms(),
            }),
        })
    }

    pub fn config(&self) -> &CollectorConfig {
        &self.inner.config
    }

    pub fn status(&self) -> CollectorStatus {
        lock(&self.inner.status).clone()
    }

    pub fn metrics(&self) -> &CollectorMetrics {
        &self.inner.metrics
    }

    /// Whether the collector keeps time: it runs and its last tick (or, before
    /// the first, its start) is at most two intervals old. What `/readyz` asks.
    pub fn is_ticking(&self, now: i64) -> bool {
        let status = self.status();
        let since = status.last_tick_at.unwrap_or(self.inner.started_at);
        status.running && now - since <= 2 * self.inner.config.interval.as_millis() as i64
    }

    /// Collects every registered cluster once, as of `at` (unix ms), and writes
    /// the rows in one transaction.
    pub async fn tick(&self, at: i64) -> Result<TickReport, AppError> {
        let _one_at_a_time = self.inner.ticking.lock().await;
        let started = Instant::now();
        let endpoints = self.inner.clusters.endpoints().await?;
        let limit = Arc::new(Semaphore::new(self.inner.config.concurrency.max(1)));
        let mut tasks = JoinSet::new();
        for (id, endpoint) in endpoints {
            let me = self.clone();
            let limit = limit.clone();
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await;
                me.collect_one(id, &endpoint, at).await
            });
        }
        let mut collected = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(c) => collected.push(c),
                Err(e) => tracing::error!(error = %e, "a cluster collection panicked"),
            }
        }
        let written = snapshots::write_tick(&self.inner.pool, &collected).await?;
        let ids: Vec<i64> = collected.iter().map(|c| c.snapshot.cluster_id).collect();
        self.announce(at, ids).await;
        let mut report = TickReport {
            at,
            duration: started.elapsed(),
            written,
            ..TickReport::default()
        };
        for c in &collected {
            match c.snapshot.status {
                CollectStatus::Ok => report.ok += 1,
                CollectStatus::Partial => report.partial += 1,
                CollectStatus::Failed => report.failed += 1,
            }
        }
        {
            let mut s = lock(&self.inner.status);
            s.last_tick_at = Some(at);
            s.last_tick_duration_ms = Some(report.duration.as_millis() as u64);
            s.clusters_ok = report.ok;
            s.clusters_partial = report.partial;
            s.clusters_failed = report.failed;
        }
        self.inner.metrics.tick(
            report.duration.as_secs_f64(),
            report.ok,
            report.partial,
            report.failed,
        );
        tracing::debug!(
            ok = report.ok,
            partial = report.partial,
            failed = report.failed,
            ms = report.duration.as_millis() as u64,
            "collector tick"
        );
        Ok(report)
    }

    /// Reads a cluster under the collection deadline, failing over from one
    /// registered FE address to the next; a failure as its kind and message.
    async fn read(
        &self,
        id: i64,
        endpoint: &Endpoint,
    ) -> Result<read::ClusterReading, (ErrorKind, String)> {
        let mut memory = lock(&self.inner.memory)
            .get(&id)
            .map(|m| m.reach.clone())
            .unwrap_or_default();
        let deadline = self.inner.config.deadline;
        let outcome =
            tokio::time::timeout(deadline, self.read_failing_over(endpoint, &mut memory)).await;
        lock(&self.inner.memory).entry(id).or_default().reach = memory;
        match outcome {
            Err(_) => Err((
                ErrorKind::Timeout,
                format!(
                    "the collection did not finish within {} s",
                    deadline.as_secs_f64()
                ),
            )),
            Ok(result) => result,
        }
    }

    async fn read_failing_over(
        &self,
        endpoint: &Endpoint,
        memory: &mut reach::ReachMemory,
    ) -> Result<read::ClusterReading, (ErrorKind, String)> {
        let now = now_ms();
        let order = memory.address_order(endpoint.extra.len() + 1, now);
        let answered = failover::first_answer(endpoint, order, |at: Endpoint| async move {
            let client =
                FeClient::with_client(self.inner.http.clone(), &at, self.inner.timeouts.http)
                    .with_limits(self.inner.config.metrics_limits);
            let frontends = client.frontends().await?;
            Ok((client, frontends, at))
        })
        .await;
        let failed = match &answered {
            Ok(a) => &a.failed,
            Err(tried) => tried,
        };
        for t in failed {
            memory.addresses_down.insert(t.index, now);
        }
        let answered = answered.map_err(|tried| failover::none_answered(&tried))?;
        memory.addresses_down.remove(&answered.index);
        let (client, frontends, at) = answered.value;
        let sources = read::Sources {
            client: &client,
            at: &at,
            sql_timeouts: self.inner.timeouts.sql,
        };
        let mut reading =
            read::read_cluster(&sources, frontends, self.inner.config.fanout, memory).await;
        reading.reach.answered_by = Some(answered.address.http_authority());
        reading.reach.failed = answered
            .failed
            .iter()
            .map(|t| AddressProblem {
                address: t.address.http_authority(),
                error: clip_error(&t.error.to_string()),
            })
            .collect();
        Ok(reading)
    }

    /// One cluster, under the deadline. Never fails: a failure is a row too.
    async fn collect_one(&self, id: i64, endpoint: &Endpoint, at: i64) -> Collected {
        let started = Instant::now();
        let outcome = self.read(id, endpoint).await;
        let duration_ms = started.elapsed().as_millis() as i64;
        match outcome {
            Ok(reading) => {
                let mut memory = lock(&self.inner.memory);
                let m = memory.entry(id).or_default();
                // Before `derive` moves the CPU counters on: each node's CPU is their delta.
                let nodes =
                    node_figures::node_lists(&reading, m, self.inner.config.fanout.max_nodes);
                let mut s = derive::snapshot(id, at, &reading, m);
                s.duration_ms = duration_ms;
                let ops =
                    operations::operations(&s, &reading, reading.statistic.as_ref(), &mut m.ops);
                if m.ops.jobs_changed(ops.snapshot.routine_loads_paused, at) {
                    let (me, endpoint) = (self.clone(), endpoint.clone());
                    tokio::spawn(async move { me.refresh_routine_loads(id, &endpoint).await });
                }
                let counters = m.fes.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                tracing::debug!(cluster = id, "collected");
                Collected {
                    snapshot: s,
                    counters,
                    nodes: Some(nodes),
                    ops: Some(ops),
                }
            }
            Err((kind, message)) => {
                tracing::warn!(cluster = id, kind = kind.as_str(), error = %message, "collection failed");
                self.inner
                    .metrics
                    .errors
                    .get_or_create(&KindLabel {
                        kind: kind.as_str(),
                    })
                    .inc();
                let mut snapshot = Snapshot::failed(id, at, kind, message);
                snapshot.duration_ms = duration_ms;
                Collected {
                    snapshot,
                    counters: Vec::new(),
                    nodes: None,
                    ops: None,
                }
            }
        }
    }

    /// Collects one cluster now (the dashboard's refresh button): its metrics
    /// row and its data statistics. At most once per `collect_now_gap` per cluster.
    pub async fn collect_now(&self, id: i64) -> Result<Snapshot, AppError> {
        let now = now_ms();
        {
            let gap = self.inner.config.collect_now_gap.as_millis() as i64;
            let mut manual = lock(&self.inner.manual);
            if let Some(last) = manual.get(&id) {
                let wait = last + gap - now;
                if wait > 0 {
                    return Err(AppError::TooSoon(Duration::from_millis(wait as u64)));
                }
            }
            manual.insert(id, now);
        }
        let endpoint = self.inner.clusters.endpoint(id).await?;
        let (collected, _) = tokio::join!(
            self.collect_one(id, &endpoint, now),
            // "Collect now" answers within the collection deadline: the
            // statistics get no more time than that here.
            self.refresh_data_statistics(
                id,
                &endpoint,
                self.inner
                    .config
                    .stats_deadline
                    .min(self.inner.config.deadline)
            )
        );
        let _no_tick_in_between = self.inner.ticking.lock().await;
        snapshots::write_tick(&self.inner.pool, std::slice::from_ref(&collected)).await?;
        self.announce(now, vec![id]).await;
        Ok(collected.snapshot)
    }

    /// Tells the listener (if any) that rows of `at` were written, and waits
    /// (at most one interval) until it has handled them: the alerts then agree
    /// with the rows when a tick or a "collect now" is over, as a page reloaded
    /// right after it expects.
    async fn announce(&self, at: i64, cluster_ids: Vec<i64>) {
        let Some(ticks) = &self.inner.ticks else {
            return;
        };
        let (done, handled) = tokio::sync::oneshot::channel();
        let tick = TickWritten {
            at,
            cluster_ids,
            done: Some(done),
        };
        if ticks.send(tick).await.is_err() {
            tracing::warn!("nobody listens to the collector's ticks: alerts are not updated");
            return;
        }
        if tokio::time::timeout(self.inner.config.interval, handled)
            .await
            .is_err()
        {
            tracing::warn!("the alerts of a tick took longer than an interval");
        }
    }

    /// Reads and stores one cluster's MySQL-side statistics; a cluster whose
    /// MySQL port fails keeps its last good statistics and records why.
    pub async fn refresh_data_statistics(&self, id: i64, endpoint: &Endpoint, deadline: Duration) {
        let at = now_ms();
        // The deadline bounds every statement; this bounds connecting too
        // (to each registered address in turn, when the first does not answer).
        let whole = deadline + self.inner.timeouts.sql.connect;
        let timeouts = self.inner.timeouts.sql;
        let read = async {
            let sql = failover::sql_session(endpoint, timeouts, deadline).await?;
            let result = sql.data_statistics().await;
            // The routine load jobs with them, within the same deadline.
            match sql.routine_loads().await {
                Ok(jobs) => {
                    if let Err(e) =
                        store::operations::replace_routine_loads(&self.inner.pool, id, at, &jobs)
                            .await
                    {
                        tracing::warn!(cluster = id, error = %e, "cannot store routine load jobs");
                    }
                }
                Err(e) => tracing::warn!(cluster = id, error = %e, "routine load jobs not read"),
            }
            sql.close_soon();
            result
        };
        let result = match tokio::time::timeout(whole, read).await {
            Ok(result) => result,
            Err(_) => Err(StarRocksError::timeout(
                &format!("{}:{} (MySQL)", endpoint.host, endpoint.query_port),
                deadline,
            )),
        };
        let written = match result {
            Ok(stats) => data_stats::save_data_statistics(&self.inner.pool, id, at, &stats).await,
            Err(e) => {
                tracing::warn!(cluster = id, error = %e, "data statistics failed");
                data_stats::save_data_statistics_error(&self.inner.pool, id, at, &e.report()).await
            }
        };
        if let Err(e) = written {
            // Most likely the cluster was deleted meanwhile (foreign key).
            tracing::warn!(cluster = id, error = %e, "cannot store data statistics");
        }
    }

    /// Reads and stores one cluster's routine load jobs alone, when a job
    /// paused or resumed between the data statistics' reads. A failure keeps
    /// the last list; the next regular read tries again.
    async fn refresh_routine_loads(&self, id: i64, endpoint: &Endpoint) {
        let at = now_ms();
        let deadline = self.inner.config.stats_deadline;
        let timeouts = self.inner.timeouts.sql;
        let read = async {
            let sql = failover::sql_session(endpoint, timeouts, deadline).await?;
            let jobs = sql.routine_loads().await;
            sql.close_soon();
            jobs
        };
        match tokio::time::timeout(deadline + timeouts.connect, read).await {
            Ok(Ok(jobs)) => {
                if let Err(e) =
                    store::operations::replace_routine_loads(&self.inner.pool, id, at, &jobs).await
                {
                    tracing::warn!(cluster = id, error = %e, "cannot store routine load jobs");
                }
            }
            Ok(Err(e)) => tracing::warn!(cluster = id, error = %e, "routine load jobs not read"),
            Err(_) => tracing::warn!(
                cluster = id,
                "routine load jobs not read within the deadline"
            ),
        }
    }

    /// Statistics of every cluster whose last attempt is older than `stats_every`.
    pub async fn refresh_due_statistics(&self) -> Result<usize, AppError> {
        let attempts = data_stats::data_statistics_attempts(&self.inner.pool).await?;
        let every = self.inner.config.stats_every.as_millis() as i64;
        let now = now_ms();
        let due: Vec<(i64, Endpoint)> = self
            .inner
            .clusters
            .endpoints()
            .await?
            .into_iter()
            .filter(|(id, _)| attempts.get(id).is_none_or(|at| now - at >= every))
            .collect();
        let count = due.len();
        let limit = Arc::new(Semaphore::new(self.inner.config.stats_concurrency.max(1)));
        let mut tasks = JoinSet::new();
        for (id, endpoint) in due {
            let me = self.clone();
            let limit = limit.clone();
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await;
                me.refresh_data_statistics(id, &endpoint, me.inner.config.stats_deadline)
                    .await;
            });
        }
        while tasks.join_next().await.is_some() {}
        Ok(count)
    }

    /// Rollup of finished days and retention, as of `now`.
    pub async fn housekeeping(&self, now: i64) -> Result<(), AppError> {
        let rolled =
            housekeeping::rollup(&self.inner.pool, now, self.inner.config.interval.as_secs())
                .await?;
        let deleted =
            housekeeping::apply_retention(&self.inner.pool, now, self.inner.config.retention)
                .await?;
        self.inner.metrics.retention_deleted.inc_by(deleted);
        if rolled > 0 || deleted > 0 {
            tracing::info!(rolled, deleted, "collector housekeeping");
        }
        Ok(())
    }

    /// Runs the collector until the process ends.
    pub fn spawn(&self) -> tokio::task::JoinHandle<()> {
        let me = self.clone();
        tokio::spawn(async move { me.run().await })
    }

    async fn run(self) {
        lock(&self.inner.status).running = true;
        if let Err(e) = self.housekeeping(now_ms()).await {
            tracing::warn!(error = %e, "start-up housekeeping failed");
        }
        let stats = self.clone();
        tokio::spawn(async move { stats.run_statistics().await });

        let interval = self.inner.config.interval.as_millis() as i64;
        let mut last_housekeeping = now_ms();
        let mut next = next_boundary(now_ms(), interval);
        loop {
            lock(&self.inner.status).next_tick_at = Some(next);
            let wait = (next - now_ms()).max(0) as u64;
            tokio::time::sleep(Duration::from_millis(wait)).await;
            if let Err(e) = self.tick(next).await {
                tracing::warn!(error = %e, "collector tick could not be written");
            }
            let now = now_ms();
            // Hourly, and right after each UTC midnight for the daily rollup.
            if now - last_housekeeping >= 3_600_000
                || housekeeping::day_start(now) != housekeeping::day_start(last_housekeeping)
            {
                last_housekeeping = now;
                if let Err(e) = self.housekeeping(now).await {
                    tracing::warn!(error = %e, "collector housekeeping failed");
                }
            }
            let following = next_boundary(now, interval);
            let skipped = ((following - next) / interval - 1).max(0) as u64;
            if skipped > 0 {
                lock(&self.inner.status).ticks_skipped += skipped;
                self.inner.metrics.ticks_skipped.inc_by(skipped);
                tracing::warn!(skipped, "collector tick overran; skipping missed ticks");
            }
            next = following;
        }
    }

    async fn run_statistics(self) {
        loop {
            if let Err(e) = self.refresh_due_statistics().await {
                tracing::warn!(error = %e, "data statistics round failed");
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
    }
}

/// What a cluster reports right now, read directly (not from history).
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LiveSummary {
    /// As a collection would store it; rates are the FEs' own 15-second gauges
    /// (`qps`, `rps`, `query_err_rate`) since there is no previous reading.
    pub snapshot: Snapshot,
}

impl Collector {
    /// Reads the cluster now, every FE and node at the same time, without storing anything.
    pub async fn live_summary(&self, id: i64, endpoint: &Endpoint) -> LiveSummary {
        let at = now_ms();
        let started = Instant::now();
        let mut snapshot = match self.read(id, endpoint).await {
            Ok(reading) => {
                let mut s = derive::snapshot(id, at, &reading, &mut Memory::default());
                let gauge = |name: &str| {
                    reading
                        .frontends
                        .iter()
                        .filter_map(|f| f.metrics.as_ref()?.value(name, &[]))
                        .filter(|v| v.is_finite())
                        .reduce(|a, b| a + b)
                };
                s.qps = gauge("starrocks_fe_qps");
                s.rps = gauge("starrocks_fe_rps");
                let fes = reading
                    .frontends
                    .iter()
                    .filter(|f| f.metrics.is_some())
                    .count();
                s.error_rate = gauge("starrocks_fe_query_err_rate").map(|r| r / fes.max(1) as f64);
                s
            }
            Err((kind, message)) => Snapshot::failed(id, at, kind, message),
        };
        snapshot.duration_ms = started.elapsed().as_millis() as i64;
        LiveSummary { snapshot }
    }
}

/// The first multiple of `interval` strictly after `now`.
pub fn next_boundary(now: i64, interval: i64) -> i64 {
    (now.div_euclid(interval) + 1) * interval
}

#[cfg(test)]
mod tests {
    use super::next_boundary;

    #[test]
    fn ticks_align_to_the_interval() {
        assert_eq!(next_boundary(1_000, 30_000), 30_000);
        assert_eq!(next_boundary(30_000, 30_000), 60_000);
        assert_eq!(next_boundary(59_999, 30_000), 60_000);
    }
}
