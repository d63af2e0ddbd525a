//! The fleet page: every registered cluster on one line, with its status and
//! why. The reads are the store's (`store::fleet`: one `cluster_latest` row per
//! cluster and the open alerts); this puts each line together.

use super::{health, OverviewService};
use model::cluster::{fe_http_url, stored_tags};
use model::fleet::{Fleet, FleetRow};
use model::overview::{HealthCard, HealthStatus, Series, MINUTE_MS};
use model::snapshot::{CollectStatus, Snapshot};
use registry::AppError;
use store::fleet::{clusters, open_alerts, sparkline, sparkline_start, ClusterLine, OpenAlert};

/// A status line is cut after this many characters; the row's `error` keeps
/// the whole error message.
const MAX_REASON_CHARS: usize = 160;

/// At most `max` characters of `s`, with an ellipsis when cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", s[..cut].trim_end()),
        None => s.to_string(),
    }
}

/// The status of a cluster and why, in one line, from its collection card
/// (`None` before the first collection) and its open alerts: the card while the
/// cluster does not answer (the alerts were about older rows), else the worst
/// open alert.
fn status_of(
    collection: Option<&HealthCard>,
    alerts: &[OpenAlert],
) -> (HealthStatus, String, Vec<String>) {
    let Some(collection) = collection else {
        return (
            HealthStatus::Unknown,
            i18n::say!(status.fleet_no_collection),
            Vec::new(),
        );
    };
    let worst_alert = alerts.iter().map(|a| a.level).max();
    if collection.status != HealthStatus::Healthy
        && worst_alert.is_none_or(|w| collection.status >= w)
    {
        return (
            collection.status,
            shorten(&collection.reason, MAX_REASON_CHARS),
            collection.quoted.clone(),
        );
    }
    let Some(worst) = alerts.iter().map(|a| a.level).max() else {
        return (
            HealthStatus::Healthy,
            i18n::say!(status.fleet_all_pass),
            Vec::new(),
        );
    };
    let mut worst_alerts = alerts.iter().filter(|a| a.level == worst);
    let (mut reason, quoted) = worst_alerts
        .next()
        .map(|a| {
            let (title, reason, quoted) = words(a);
            let line = i18n::say!(status.fleet_alert, title = title, reason = reason);
            (line, quoted)
        })
        .unwrap_or_default();
    let others: Vec<String> = worst_alerts.map(|a| words(a).0).collect();
    if !others.is_empty() {
        reason.push_str(&i18n::say!(
            status.fleet_also,
            titles = others.join(i18n::say!(msg.sep_comma).as_str())
        ));
    }
    (worst, reason, quoted)
}

/// An alert's title and reason in the language being served, and the parts
/// of the reason that are the cluster's own words (a job's name, StarRocks'
/// English reason), which no translation touches.
fn words(a: &OpenAlert) -> (String, String, Vec<String>) {
    match health::Said::stored(a.said.as_deref()) {
        Some(said) => (said.title.text(), said.reason.text(), said.reason.quoted()),
        None => (a.title.clone(), a.reason.clone(), Vec::new()),
    }
}

fn row(
    cluster: ClusterLine,
    alerts: &[OpenAlert],
    start: i64,
    now: i64,
    interval_ms: i64,
) -> FleetRow {
    let id = cluster.id;
    let qps = sparkline(cluster.qps_from, &cluster.qps_minutes, start);
    let latest = cluster.latest.map(|f| f.into_snapshot(id));
    let last_ok = cluster.last_ok.map(|f| f.into_snapshot(id));
    let collection = latest
        .as_ref()
        .map(|l| health::collection_card(now, interval_ms, Some(l), last_ok.as_ref()));
    let (status, status_reason, status_quoted) = status_of(collection.as_ref(), alerts);
    // The figures are not from a recent successful collection: the latest
    // failed, or the collector has not reached the cluster for a while.
    let stale = collection
        .as_ref()
        .is_some_and(|c| c.status != HealthStatus::Healthy);
    let error = latest
        .as_ref()
        .filter(|l| l.status == CollectStatus::Failed)
        .and_then(|l| l.error_message.clone());
    let ok = last_ok.as_ref();
    // The alerts come worst and oldest first.
    let (ops_problem, ops_quoted) = alerts
        .iter()
        .find(|a| health::operations::RULES.contains(&a.rule.as_str()))
        .map(|a| {
            let (title, reason, quoted) = words(a);
            (Some(format!("{title}: {reason}")), quoted)
        })
        .unwrap_or_default();
    FleetRow {
        cluster_id: id,
        http_url: {
            let first = fe_http_url(cluster.use_https, &cluster.fe_host, cluster.http_port);
            match cluster.extra_fes {
                0 => first,
                1 => i18n::say!(status.fleet_one_more_fe, url = first),
                n => i18n::say!(status.fleet_more_fes, url = first, n = n),
            }
        },
        name: cluster.name,
        description: cluster.description,
        tags: stored_tags(&cluster.tags),
        status,
        status_reason,
        version: cluster.version,
        fe_alive: ok.and_then(|s| s.fe_alive),
        fe_total: ok.and_then(|s| s.fe_total),
        be_alive: ok.and_then(|s| s.be_alive),
        be_total: ok.and_then(|s| s.be_total),
        qps: ok.and_then(|s| s.qps),
        latency_p99_ms: ok.and_then(|s| s.latency_p99_ms),
        disk_used_pct: ok.and_then(Snapshot::disk_used_pct),
        collected_at: latest.as_ref().map(|s| s.collected_at),
        last_success_at: ok.map(|s| s.collected_at),
        stale,
        error,
        active_alerts: alerts.len() as i64,
        ops_problem,
        quoted: [status_quoted, ops_quoted].concat(),
        silenced_until: None,
        qps_last_hour: Series {
            key: "qps".into(),
            label: i18n::say!(status.kpi_qps),
            unit: "queries/s".into(),
            aggregate: "avg".into(),
            start,
            step_ms: MINUTE_MS,
            values: qps,
        },
    }
}

impl OverviewService {
    /// Every registered cluster, ordered by name, as the fleet page shows it.
    pub async fn fleet(&self, now: i64) -> Result<Fleet, AppError> {
        let start = sparkline_start(now);
        let (lines, alerts, silenced) = tokio::join!(
            clusters(&self.pool),
            open_alerts(&self.pool),
            store::silences::silenced_until(&self.pool, now)
        );
        let (alerts, silenced) = (alerts?, silenced?);
        let clusters = lines?
            .into_iter()
            .map(|line| {
                let alerts = alerts.get(&line.id).map_or(&[][..], Vec::as_slice);
                let until = silenced.get(&line.id).copied();
                FleetRow {
                    silenced_until: until,
                    ..row(line, alerts, start, now, self.interval_ms)
                }
            })
            .collect();
        Ok(Fleet { now, clusters })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(level: HealthStatus, title: &str, reason: &str) -> OpenAlert {
        OpenAlert {
            rule: "disk".into(),
            level,
            title: title.into(),
            reason: reason.into(),
            said: None,
        }
    }

    const INTERVAL: i64 = 30_000;
    const NOW: i64 = 1_800_000_000_000;

    /// The collection card of a cluster whose newest row, collected `ago` ms
    /// before now, has `status`, and whose last good row is `ok_ago` ms old.
    fn collection(
        status: CollectStatus,
        error: Option<&str>,
        ago: i64,
        ok_ago: Option<i64>,
    ) -> HealthCard {
        let mut latest = Snapshot::empty(1, NOW - ago, status);
        latest.error_message = error.map(str::to_string);
        let last_ok = ok_ago.map(|a| Snapshot::empty(1, NOW - a, CollectStatus::Ok));
        health::collection_card(NOW, INTERVAL, Some(&latest), last_ok.as_ref())
    }

    /// The status and its line, without the cluster's words.
    fn line(c: Option<&HealthCard>, alerts: &[OpenAlert]) -> (HealthStatus, String) {
        let (status, reason, _) = status_of(c, alerts);
        (status, reason)
    }

    #[test]
    fn the_status_line_says_why() {
        use HealthStatus::*;
        assert_eq!(line(None, &[]).0, Unknown);
        let fine = collection(CollectStatus::Ok, None, 10_000, Some(10_000));
        assert_eq!(
            line(Some(&fine), &[]),
            (Healthy, "All health rules pass.".to_string())
        );
        let alerts = [
            alert(Critical, "Nodes", "1 of 3 BE/CN dead: 10.0.0.3 (10003)."),
            alert(Critical, "Disk", "The fullest BE disk is 93.0 % used."),
            alert(Warning, "CPU", "Average BE CPU is 95 %."),
        ];
        assert_eq!(
            line(Some(&fine), &alerts),
            (
                Critical,
                "Nodes: 1 of 3 BE/CN dead: 10.0.0.3 (10003). Also: Disk.".to_string()
            )
        );
        assert_eq!(
            line(Some(&fine), &alerts[2..]),
            (Warning, "CPU: Average BE CPU is 95 %.".to_string())
        );
        // Unreachable for 4 intervals: the overview's critical collection card
        // outranks the alerts, which were about older rows.
        let down = collection(
            CollectStatus::Failed,
            Some("connection refused"),
            10_000,
            Some(4 * INTERVAL),
        );
        assert_eq!(
            line(Some(&down), &alerts[2..]),
            (
                Critical,
                "No successful collection for 120 s (4 intervals): connection refused".to_string()
            )
        );
        // One failed collection is the card's warning, as on the overview; a
        // critical alert still outranks it.
        let once = collection(CollectStatus::Failed, None, 10_000, Some(INTERVAL + 10_000));
        assert_eq!(
            line(Some(&once), &alerts[2..]),
            (Warning, "The last collection failed: no answer".to_string())
        );
        assert_eq!(line(Some(&once), &alerts[..1]).0, Critical);
        // A good row, but the collector has not reached the cluster for 10
        // minutes (the console was down): critical, as on the overview.
        let old = collection(CollectStatus::Ok, None, 600_000, Some(600_000));
        assert_eq!(line(Some(&old), &[]).0, Critical);
        let never = collection(CollectStatus::Failed, Some(&"x".repeat(500)), 10_000, None);
        let (status, reason) = line(Some(&never), &[]);
        assert_eq!(status, Critical);
        assert!(
            reason.starts_with("No collection has succeeded yet: xxx"),
            "{reason}"
        );
        assert!(reason.chars().count() <= MAX_REASON_CHARS + 1, "{reason}");
    }

    #[test]
    fn long_reasons_are_shortened() {
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("ééé", 2), "éé…");
    }
}
