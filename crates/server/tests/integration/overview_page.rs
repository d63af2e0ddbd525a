//! The overview page as an operator woken at night reads it (issue 14): the
//! worst open alert first, with its reason and what to do; alerts resolved in
//! the last 24 h with how long each lasted.

use crate::common::*;
use crate::overview::{cluster, ok_row, service, write};
use axum::http::{Method, StatusCode};
use store::now_ms;

const MINUTE: i64 = 60_000;

/// Where `needle` first appears in the page, for "comes before" checks.
fn at(body: &str, needle: &str) -> usize {
    body.find(needle)
        .unwrap_or_else(|| panic!("{needle} not on the page"))
}

#[tokio::test]
async fn the_worst_open_alert_leads_the_page_with_its_reason_and_action() {
    let app = start().await;
    let id = cluster(&app, "night").await;
    let svc = service(&app);
    let t = now_ms();
    // A disk warning first, a dead BE (critical) ten minutes later.
    let mut warn = ok_row(id, t - 20 * MINUTE, 5.0);
    warn.disk_max_pct = Some(85.0);
    write(&app, vec![warn.clone()]).await;
    svc.sync_alerts(&[id], t - 20 * MINUTE).await.expect("sync");
    let mut both = warn;
    both.collected_at = t - 10 * MINUTE;
    both.be_alive = Some(2);
    write(&app, vec![both]).await;
    svc.sync_alerts(&[id], t - 10 * MINUTE).await.expect("sync");

    let w = model::overview::parse_window(Some("1h"), None, None, t).expect("1h");
    let o = svc.overview(id, &w, t).await.expect("overview");
    let levels: Vec<&str> = o.alerts.iter().map(|a| a.level.as_str()).collect();
    assert_eq!(
        levels,
        ["critical", "warning"],
        "the worst first, though opened later"
    );

    let cookie = app.admin_cookie().await;
    let r = app
        .send(
            Method::GET,
            &format!("/clusters/{id}/overview"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let banner = at(&r.body, "data-testid=\"state-banner\"");
    let banner_html = &r.body[banner..banner + 1500.min(r.body.len() - banner)];
    assert!(
        banner_html.contains("data-level=\"critical\""),
        "{banner_html}"
    );
    assert!(banner_html.contains(&o.alerts[0].reason), "{banner_html}");
    assert!(banner_html.contains("What to do: "), "{banner_html}");
    assert!(banner_html.contains(&o.alerts[0].action), "{banner_html}");
    assert!(
        banner_html.contains("More open alerts below: 1"),
        "{banner_html}"
    );
    // Above the range bar, then the alerts, the health cards, the key figures.
    assert!(banner < at(&r.body, "class=\"range-bar\""));
    assert!(at(&r.body, "id=\"alerts-title\"") < at(&r.body, "id=\"health-title\""));
    assert!(at(&r.body, "id=\"health-title\"") < at(&r.body, "id=\"kpi-title\""));
}

#[tokio::test]
async fn alerts_resolved_today_are_listed_with_how_long_they_lasted() {
    let app = start().await;
    let id = cluster(&app, "calm").await;
    let svc = service(&app);
    let t = now_ms();
    let mut full = ok_row(id, t - 20 * MINUTE, 5.0);
    full.disk_max_pct = Some(85.0);
    write(&app, vec![full]).await;
    svc.sync_alerts(&[id], t - 20 * MINUTE).await.expect("sync");
    write(&app, vec![ok_row(id, t - 5 * MINUTE, 5.0)]).await;
    svc.sync_alerts(&[id], t - 5 * MINUTE).await.expect("sync");

    let w = model::overview::parse_window(Some("1h"), None, None, t).expect("1h");
    let o = svc.overview(id, &w, t).await.expect("overview");
    assert!(o.alerts.is_empty());
    assert_eq!(o.recently_resolved.len(), 1);
    let r0 = &o.recently_resolved[0];
    assert_eq!(r0.resolved_at.map(|to| to - r0.since), Some(15 * MINUTE));

    let cookie = app.admin_cookie().await;
    let r = app
        .send(
            Method::GET,
            &format!("/clusters/{id}/overview"),
            Some(&cookie),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("No open alerts"), "the banner says so");
    let list = at(&r.body, "data-testid=\"resolved-alerts\"");
    assert!(r.body.contains("Resolved in the last 24 h (1)"));
    assert!(
        r.body[list..].contains("lasted 15 min"),
        "{}",
        &r.body[list..]
    );
    assert!(r.body[list..].contains("Disk"));
}
