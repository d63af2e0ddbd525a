//! When the disks fill up: a least-squares line through cluster disk used over
//! the last 7 days (hourly averages of raw rows, and day-end values of daily rows
//! older than the raw history).

use model::overview::{Capacity, ForecastState, DAY_MS, HOUR_MS};
use model::snapshot::Snapshot;
use sqlx::SqlitePool;

const FIT_SPAN_MS: i64 = 7 * DAY_MS;
const MIN_SPAN_MS: i64 = DAY_MS;

/// `(t, used bytes)` points of the last 7 days before `now`, oldest first.
pub async fn points(pool: &SqlitePool, cluster_id: i64, now: i64) -> sqlx::Result<Vec<(i64, f64)>> {
    store::capacity::disk_used_points(pool, cluster_id, now - FIT_SPAN_MS, now).await
}

/// Slope (per ms), intercept at `t0` and r² of the least-squares line.
fn fit(points: &[(i64, f64)]) -> Option<(f64, f64, Option<f64>)> {
    let t0 = points.first()?.0;
    let n = points.len() as f64;
    let xs: Vec<f64> = points.iter().map(|p| (p.0 - t0) as f64).collect();
    let mx = xs.iter().sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = xs
        .iter()
        .zip(points)
        .map(|(x, p)| (x - mx) * (p.1 - my))
        .sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let ss_tot: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
    let ss_res: f64 = xs
        .iter()
        .zip(points)
        .map(|(x, p)| (p.1 - (intercept + slope * x)).powi(2))
        .sum();
    let r2 = (ss_tot > 0.0).then(|| (1.0 - ss_res / ss_tot).clamp(0.0, 1.0));
    Some((slope, intercept, r2))
}

/// The forecast from `points` and the newest successful snapshot.
pub fn forecast(points: &[(i64, f64)], last_ok: Option<&Snapshot>) -> Capacity {
    let total = last_ok.and_then(|s| s.disk_total_bytes);
    let used = last_ok.and_then(|s| s.disk_used_bytes);
    let mut c = Capacity {
        state: ForecastState::NotEnoughData,
        message: String::new(),
        used_bytes: used,
        total_bytes: total,
        used_pct: last_ok.and_then(|s| s.disk_used_pct()),
        growth_bytes_per_day: None,
        reaches_90_at: None,
        reaches_100_at: None,
        r_squared: None,
        span_hours: 0.0,
        points: points.len(),
    };
    if last_ok.is_some_and(|s| s.disk_total_bytes.is_none() && s.be_total.unwrap_or(0) > 0)
        && points.is_empty()
    {
        c.state = ForecastState::NotReported;
        c.message = i18n::say!(status.forecast_not_reported);
        return c;
    }
    let span = match (points.first(), points.last()) {
        (Some(a), Some(b)) => b.0 - a.0,
        _ => 0,
    };
    c.span_hours = span as f64 / HOUR_MS as f64;
    if span < MIN_SPAN_MS {
        c.message = i18n::say!(
            status.forecast_too_short,
            hours = format!("{:.1}", c.span_hours)
        );
        return c;
    }
    let Some((slope, intercept, r2)) = fit(points) else {
        c.message = i18n::say!(status.forecast_too_few);
        return c;
    };
    c.r_squared = r2;
    let per_day = slope * DAY_MS as f64;
    c.growth_bytes_per_day = Some(per_day);
    let Some(total) = total.filter(|t| *t > 0) else {
        c.state = ForecastState::NotReported;
        c.message = i18n::say!(status.forecast_no_capacity);
        return c;
    };
    if per_day <= 0.0 {
        c.state = ForecastState::NoGrowth;
        c.message = i18n::say!(status.forecast_no_growth);
        return c;
    }
    let t0 = points[0].0;
    let last = points[points.len() - 1].0;
    let reach = |share: f64| {
        let target = total as f64 * share;
        let t = t0 as f64 + (target - intercept) / slope;
        // Already past it: reached as of the newest reading.
        (t.max(last as f64)).round() as i64
    };
    c.reaches_90_at = Some(reach(0.9));
    c.reaches_100_at = Some(reach(1.0));
    c.state = ForecastState::Forecast;
    c.message = i18n::say!(
        status.forecast_growing,
        gb = format!("{:.1}", per_day / 1e9),
        hours = format!("{:.0}", c.span_hours)
    );
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::snapshot::CollectStatus;

    fn snap(used: i64, total: i64) -> Snapshot {
        let mut s = Snapshot::empty(1, 0, CollectStatus::Ok);
        s.disk_used_bytes = Some(used);
        s.disk_total_bytes = Some(total);
        s.be_total = Some(3);
        s
    }

    #[test]
    fn exactly_linear_growth_gives_exact_dates() {
        // 500 GB used of 1 TB, growing 10 GB a day, hourly points over 3 days.
        let t0 = 1_800_000_000_000;
        let per_hour = 10e9 / 24.0;
        let pts: Vec<(i64, f64)> = (0..=72)
            .map(|h| (t0 + h * HOUR_MS, 470e9 + per_hour * h as f64))
            .collect();
        let c = forecast(&pts, Some(&snap(500_000_000_000, 1_000_000_000_000)));
        assert_eq!(c.state, ForecastState::Forecast);
        assert!((c.growth_bytes_per_day.expect("growth") - 10e9).abs() < 1.0);
        assert!(c.r_squared.expect("r2") > 0.999_999);
        // 900 GB is 430 GB above the first point: 43 days after t0.
        assert_eq!(c.reaches_90_at, Some(t0 + 43 * DAY_MS));
        assert_eq!(c.reaches_100_at, Some(t0 + 53 * DAY_MS));
    }

    #[test]
    fn flat_data_has_no_date_and_short_history_no_number() {
        let t0 = 1_800_000_000_000;
        let flat: Vec<(i64, f64)> = (0..=48).map(|h| (t0 + h * HOUR_MS, 5e11)).collect();
        let c = forecast(&flat, Some(&snap(500_000_000_000, 1_000_000_000_000)));
        assert_eq!(c.state, ForecastState::NoGrowth);
        assert_eq!(c.reaches_90_at, None);
        let short: Vec<(i64, f64)> = (0..23)
            .map(|h| (t0 + h * HOUR_MS, 5e11 + h as f64))
            .collect();
        let c = forecast(&short, Some(&snap(500_000_000_000, 1_000_000_000_000)));
        assert_eq!(c.state, ForecastState::NotEnoughData);
        assert_eq!(c.growth_bytes_per_day, None);
        assert!(c.message.contains("Not enough data yet"));
    }

    #[test]
    fn shared_data_says_it_reports_no_disk_use() {
        let mut s = Snapshot::empty(1, 0, CollectStatus::Ok);
        s.be_total = Some(3);
        let c = forecast(&[], Some(&s));
        assert_eq!(c.state, ForecastState::NotReported);
        assert!(c.message.contains("shared-data"));
    }
}
