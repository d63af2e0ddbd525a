//! The sections of the overview page below its charts and above them: status
//! banner, health cards, key figures, alerts, nodes, data and capacity.

use super::charts::value_text;
use super::collection::status_label;
use super::time::{ago, LocalTime};
use super::ui::health_word;
use i18n::{fill, t_string, td_string, use_i18n, Locale};
use leptos::prelude::*;
use model::format;
use model::overview::{Alert, Capacity, ForecastState, HealthCard, HealthStatus, Kpi, Overview};
use model::snapshot::{CollectStatus, StoredDataStatistics};
use model::starrocks::Stat;

/// A unit the server gives with a figure, in the reader's words; one it
/// does not know (or already translated) is shown as it is.
pub fn unit_word(l: Locale, unit: &str) -> String {
    match unit {
        "queries/s" => td_string!(l, overview.unit_queries_per_s).into(),
        "queries" => td_string!(l, overview.unit_queries).into(),
        "dead" => td_string!(l, overview.unit_dead).into(),
        "score" => td_string!(l, overview.unit_score).into(),
        "per s" => td_string!(l, overview.unit_per_s).into(),
        "running" => td_string!(l, overview.unit_running).into(),
        "unhealthy" => td_string!(l, charts.unit_unhealthy).into(),
        "paused" => td_string!(l, charts.unit_paused).into(),
        "entries" => td_string!(l, charts.unit_entries).into(),
        "rowsets" => td_string!(l, charts.unit_rowsets).into(),
        other => other.into(),
    }
}

/// A figure with its unit, both in the reader's words.
fn figure(l: Locale, v: Option<f64>, unit: &str) -> String {
    value_text(l, v, &unit_word(l, unit))
}

/// When the data is from, and whether it is current, stale or not there yet.
#[component]
pub fn StatusBanner(o: Overview) -> impl IntoView {
    let i18n = use_i18n();
    let interval_ms = o.interval_ms;
    let now = o.now;
    match (&o.latest, &o.last_ok) {
        (None, _) => view! {
            <div class="banner info" role="status" data-testid="no-data">
                <strong>{tr!(overview.no_data_yet)}</strong>
                " "
                {move || {
                    let l = i18n.get_locale();
                    fill(
                        td_string!(l, overview.no_data_explained),
                        &[("interval", &i18n::fmt::duration(l, interval_ms))],
                    )
                }}
            </div>
        }
        .into_any(),
        (Some(latest), last_ok) if latest.status == CollectStatus::Failed => {
            let error = latest.error_message.clone();
            let kind = latest.error_kind.clone().unwrap_or_default();
            // ", failed (timeout): no answer": the kind is an identifier, kept as it is.
            let has_kind = !kind.is_empty();
            let failed = move |second: bool| {
                let l = i18n.get_locale();
                let error = error
                    .clone()
                    .unwrap_or_else(|| td_string!(l, overview.no_answer).to_string());
                let template = if has_kind {
                    td_string!(l, overview.latest_failed_kind)
                } else {
                    td_string!(l, overview.latest_failed)
                };
                let (before, after) = i18n::split_at(template, "kind");
                fill(if second { after } else { before }, &[("error", &error)])
            };
            let failed_after = failed.clone();
            view! {
                <div class="banner error" role="alert" data-testid="stale">
                    <strong>{tr!(overview.unreachable)}</strong>
                    " "
                    {tr!(overview.latest_failed_before)} <LocalTime ms=latest.collected_at/>
                    {move || failed(false)}
                    {has_kind.then(|| view! { <span translate="no">{kind}</span> })}
                    {move || failed_after(true)}
                    <br/>
                    {match last_ok {
                        Some(ok) => {
                            let at = ok.collected_at;
                            view! {
                                {tr!(overview.stale_before)}
                                <LocalTime ms=at/>
                                {move || {
                                    let l = i18n.get_locale();
                                    fill(td_string!(l, overview.stale_after), &[("ago", &ago(l, now, at))])
                                }}
                            }.into_any()
                        }
                        None => view! { {tr!(overview.never_succeeded)} }.into_any(),
                    }}
                </div>
            }
            .into_any()
        }
        (Some(latest), _) => {
            let at = latest.collected_at;
            let late = o.age_ms.unwrap_or(0) > 3 * o.interval_ms;
            let status = latest.status;
            let took = format::thousands(latest.duration_ms);
            let via = latest.reach.as_ref().and_then(|r| r.answered_by.clone());
            // How the collection reached the cluster, when it was not simply
            // every node at its own address through the first FE address:
            // said by the server, in the page's language.
            let reach = o.reach_note.clone();
            view! {
                <p class="collected" class:late=late data-testid="last-collected">
                    {tr!(overview.last_collected)} <LocalTime ms=at/>
                    {move || {
                        let l = i18n.get_locale();
                        fill(td_string!(l, overview.last_collected_age), &[("age", &ago(l, now, at))])
                    }}
                    <span class=format!("status status-{}", status.as_str())>
                        {move || status_label(i18n.get_locale(), status)}
                    </span>
                    {crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, overview.took), &[("ms", &took)]))}
                    {via.map(|a| view! {
                        {move || i18n::split_at(t_string!(i18n, overview.via), "address").0}
                        <span translate="no">{a}</span>
                        {move || i18n::split_at(t_string!(i18n, overview.via), "address").1}
                    })}
                    {latest.error_message.clone().map(|m| format!(" · {m}"))}
                    {late.then(|| view! { {tr!(overview.collector_late)} })}
                </p>
                {reach.map(|r| view! { <p class="collected reach" data-testid="reach-note">{r}</p> })}
            }
            .into_any()
        }
    }
}

#[component]
pub fn HealthCards(cards: Vec<HealthCard>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="health-cards" data-testid="health-cards">
            {cards.into_iter().map(|c| {
                let tip = format!("health-tip-{}", c.key);
                let tip_id = tip.clone();
                let (status, value, unit) = (c.status, c.value, c.unit.clone());
                view! {
                    <li class=format!("health-card health-{}", c.status.as_str()) tabindex="0"
                        data-card=c.key.clone() aria-describedby=tip.clone()>
                        <span class="title">{c.title}</span>
                        <span class="value">{move || figure(i18n.get_locale(), value, &unit)}</span>
                        <span class="status-word">{move || health_word(i18n.get_locale(), status)}</span>
                        <span class="tip" role="tooltip" id=tip_id>
                            <span class="reason">{crate::ui::quoting(&c.reason, &c.quoted)}</span>
                            <span class="action">{c.action.unwrap_or_default()}</span>
                        </span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn KpiList(kpis: Vec<Kpi>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="kpis" data-testid="kpis">
            {kpis.into_iter().map(|k| {
                let change_pct = k.change_pct;
                let class = match change_pct {
                    Some(c) if c >= 0.0 => "up",
                    Some(_) => "down",
                    None => "flat",
                };
                let change = move || match change_pct {
                    Some(c) => fill(
                        t_string!(i18n, overview.change_vs_previous),
                        &[("change", &format!("{}{}", if c >= 0.0 { "+" } else { "" }, format::number(c)))],
                    ),
                    None => t_string!(i18n, overview.no_previous).to_string(),
                };
                let (value, unit) = (k.value, k.unit.clone());
                view! {
                    <li class="kpi" data-kpi=k.key.clone()>
                        <span class="title">{k.label}</span>
                        <span class="value">{move || figure(i18n.get_locale(), value, &unit)}</span>
                        <span class=format!("change {class}")>{change}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The first thing on the page: the cluster's state and what to do, from
/// the worst open alert (its reason and action), or that none is open.
#[component]
pub fn StateBanner(o: Overview) -> impl IntoView {
    let i18n = use_i18n();
    let more = o.alerts.len().saturating_sub(1);
    match o.alerts.first().cloned() {
        Some(a) => {
            let level = a.level;
            view! {
                <section class=format!("state-banner health-{}", level.as_str()) role="alert"
                    data-testid="state-banner" data-level=level.as_str()>
                    <p class="state-line">
                        <strong class="state-word">{move || health_word(i18n.get_locale(), level)}</strong>
                        <strong class="state-title">{a.title}</strong>
                        <span class="muted small">{tr!(overview.since)}<LocalTime ms=a.since/></span>
                    </p>
                    <p class="state-reason">{crate::ui::quoting(&a.reason, &a.quoted)}</p>
                    <p class="state-action"><span class="label">{tr!(overview.what_to_do)}</span>{a.action}</p>
                    {(more > 0).then(|| view! {
                        <p class="small"><a href="#alerts-title">
                            {crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, overview.more_alerts), &[("n", &more)]))}
                        </a></p>
                    })}
                </section>
            }
            .into_any()
        }
        None => {
            let status = o.health.status;
            let unknown = status == HealthStatus::Unknown;
            view! {
                <section class=format!("state-banner health-{}", status.as_str()) role="status"
                    data-testid="state-banner" data-level=status.as_str()>
                    <p class="state-line">
                        <strong class="state-word">{move || health_word(i18n.get_locale(), status)}</strong>
                        <strong class="state-title">{tr!(overview.no_open_alerts)}</strong>
                    </p>
                    <p class="state-reason">
                        {move || if unknown { t_string!(i18n, overview.state_unknown) } else { t_string!(i18n, overview.state_ok) }}
                    </p>
                </section>
            }
            .into_any()
        }
    }
}

/// The silences that hold this cluster's notifications, under the banner:
/// its alerts still show, but nobody is being told.
#[component]
pub fn SilenceNote(silences: Vec<model::alerting::Silence>) -> impl IntoView {
    let until = silences.iter().map(|s| s.ends_at).max()?;
    let what: Vec<String> = silences
        .iter()
        .map(|s| {
            let rule = s.rule.clone().unwrap_or_else(|| "*".into());
            format!("{rule}: {} ({})", s.comment, s.created_by)
        })
        .collect();
    Some(view! {
        <p class="silence-note small" data-testid="silence-note">
            {tr!(overview.silenced_until)} " " <LocalTime ms=until/>
            " · " <a href="/alerts">{tr!(alerts.silences)}</a>
            <span class="muted" translate="no">" — " {what.join("; ")}</span>
        </p>
    })
}

/// One alert: level, rule, reason; since when, and how long a resolved one lasted.
fn alert_item(a: Alert) -> impl IntoView {
    let i18n = use_i18n();
    let level = a.level;
    let resolved = a.resolved_at.map(|to| {
        let lasted = to - a.since;
        view! {
            <span>{tr!(overview.resolved_at)}<LocalTime ms=to/></span>
            <span class="lasted">{crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, overview.lasted), &[("duration", &i18n::fmt::duration(l, lasted))]))}</span>
        }
    });
    let action = a.resolved_at.is_none().then_some(a.action);
    view! {
        <li class=format!("alert-item health-{}", level.as_str())>
            <span class=format!("pill health-{}", level.as_str())>
                {move || health_word(i18n.get_locale(), level)}
            </span>
            <strong>{a.title}</strong>
            <span class="reason">{crate::ui::quoting(&a.reason, &a.quoted)}</span>
            <div class="muted small">
                <span>{tr!(overview.since)}</span><LocalTime ms=a.since/>
                {resolved}
                {action.map(|action| view! { <span class="action">{action}</span> })}
            </div>
        </li>
    }
}

/// Alerts resolved in the last 24 h shown at most; the REST API lists them all.
const MAX_RESOLVED_SHOWN: usize = 20;

/// Open alerts, then those resolved in the last 24 h with how long each lasted.
#[component]
pub fn AlertList(alerts: Vec<Alert>, resolved: Vec<Alert>) -> impl IntoView {
    let n_resolved = resolved.len();
    let resolved_part = (n_resolved > 0).then(|| {
        view! {
            <h3 id="resolved-title">{crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, overview.resolved_alerts), &[("n", &n_resolved)]))}</h3>
            <ul class="alerts resolved" data-testid="resolved-alerts">
                {resolved.into_iter().take(MAX_RESOLVED_SHOWN).map(alert_item).collect_view()}
            </ul>
        }
    });
    view! {
        <section aria-labelledby="alerts-title" class="overview-section">
            {active_alerts(alerts)}
            {resolved_part}
        </section>
    }
}

fn active_alerts(alerts: Vec<Alert>) -> impl IntoView {
    let n = alerts.len();
    view! {
        <h2 id="alerts-title">{crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, overview.active_alerts), &[("n", &n)]))}</h2>
        {if alerts.is_empty() {
            view! { <p class="muted">{tr!(overview.no_alerts)}</p> }.into_any()
        } else {
            view! {
                <ul class="alerts" data-testid="alerts">
                    {alerts.into_iter().map(alert_item).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

fn pct(l: Locale, v: Option<f64>) -> String {
    value_text(l, v, "%")
}

/// A statistic's value, or why it is missing.
fn stat<T>(s: &Stat<T>, show: impl Fn(&T) -> String) -> AnyView {
    match s {
        Stat::Available { value } => view! { <span>{show(value)}</span> }.into_any(),
        Stat::Unavailable { reason } => {
            view! { <span class="muted" title=reason.clone()>{tr!(overview.not_available)}</span> }
                .into_any()
        }
    }
}

#[component]
pub fn DataStatisticsPanel(stats: Option<StoredDataStatistics>) -> impl IntoView {
    let i18n = use_i18n();
    let body = match stats {
        None => view! {
            <p class="muted">{tr!(overview.data_not_read)}</p>
        }
        .into_any(),
        Some(stored) => {
            let failed = stored.last_error.clone().map(|e| {
                let message = e.message;
                view! {
                    <p class="banner error small">
                        {tr!(overview.last_attempt_before)} <LocalTime ms=stored.attempted_at/>
                        {crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, overview.last_attempt_failed), &[("error", &message)]))}
                        {stored.collected_at.is_some().then(|| view! { {tr!(overview.from_last_good_read)} })}
                    </p>
                }
            });
            let figures = stored.stats.map(|s| {
                let top = match &s.top_tables {
                    Stat::Available { value } if !value.is_empty() => view! {
                        <table class="data compact" data-testid="top-tables">
                            <caption>{tr!(overview.largest_tables)}</caption>
                            <thead><tr>
                                <th scope="col">{tr!(overview.col_table)}</th>
                                <th scope="col" class="num">{tr!(overview.col_rows)}</th>
                                <th scope="col" class="num">{tr!(overview.col_size)}</th>
                            </tr></thead>
                            <tbody>
                                {value.iter().take(10).map(|t| view! {
                                    <tr>
                                        <th scope="row"><code>{format!("{}.{}", t.database, t.table)}</code></th>
                                        <td class="num">{t.rows.map(|r| format::thousands(r as i64)).unwrap_or_default()}</td>
                                        <td class="num">{format::bytes(t.bytes as f64)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Stat::Available { .. } => view! { <p class="muted">{tr!(overview.no_tables)}</p> }.into_any(),
                    Stat::Unavailable { reason } => {
                        let reason = reason.clone();
                        view! {
                            <p class="muted">
                                {crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, overview.largest_tables_unavailable), &[("reason", &reason)]))}
                            </p>
                        }.into_any()
                    }
                };
                let mvs = match &s.materialized_views {
                    Stat::Available { value } => {
                        let total = format::thousands(value.total as i64);
                        let (active, inactive) = (value.active, value.inactive);
                        view! {
                            <span>{move || fill(
                                t_string!(i18n, overview.mv_counts),
                                &[("total", &total), ("active", &active), ("inactive", &inactive)],
                            )}</span>
                            {(!value.failing.is_empty()).then(|| view! {
                                <span class="failing" data-testid="failing-mvs">
                                    {tr!(overview.mv_failing)}
                                    <span translate="no">{value.failing.join(", ")}</span>
                                </span>
                            })}
                        }.into_any()
                    }
                    other => stat(other, |_| String::new()),
                };
                let schema = match &s.schema_changes {
                    Stat::Available { value } => {
                        let (running, pending) = (value.running, value.pending);
                        view! {
                            <span>{move || fill(
                                t_string!(i18n, overview.schema_change_counts),
                                &[("running", &running), ("pending", &pending)],
                            )}</span>
                        }.into_any()
                    }
                    other => stat(other, |_| String::new()),
                };
                view! {
                    <dl class="facts">
                        <dt>{tr!(overview.databases)}</dt><dd>{stat(&s.databases, |v| format::thousands(*v as i64))}</dd>
                        <dt>{tr!(overview.tables)}</dt><dd>{stat(&s.tables, |v| format::thousands(*v as i64))}</dd>
                        <dt>{tr!(overview.total_size)}</dt><dd>{stat(&s.total_bytes, |v| format::bytes(*v as f64))}</dd>
                        <dt>{tr!(overview.materialized_views)}</dt><dd>{mvs}</dd>
                        <dt>{tr!(overview.schema_changes)}</dt>
                        <dd>{schema}</dd>
                    </dl>
                    {top}
                }
            });
            view! {
                {failed}
                {stored.collected_at.map(|at| view! { <p class="muted small">{tr!(overview.read_at)} <LocalTime ms=at/></p> })}
                {figures}
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="data-title" class="overview-section" data-testid="data-statistics">
            <h2 id="data-title">{tr!(overview.data)}</h2>
            {body}
        </section>
    }
    .into_any()
}

#[component]
pub fn CapacityPanel(capacity: Capacity) -> impl IntoView {
    let i18n = use_i18n();
    let c = capacity;
    let forecast = (c.state == ForecastState::Forecast).then(|| {
        let growth = c.growth_bytes_per_day;
        let (r2, hours, points) = (
            c.r_squared.map(format::number),
            format::number(c.span_hours),
            format::thousands(c.points as i64),
        );
        view! {
            <dl class="facts">
                <dt>{tr!(overview.growth)}</dt>
                <dd>{move || growth
                    .map(|g| fill(t_string!(i18n, overview.per_day), &[("bytes", &format::bytes(g))]))
                    .unwrap_or_default()}</dd>
                <dt>{tr!(overview.full_90)}</dt>
                <dd>{c.reaches_90_at.map(|t| view! { <LocalTime ms=t/> })}</dd>
                <dt>{tr!(overview.full)}</dt>
                <dd>{c.reaches_100_at.map(|t| view! { <LocalTime ms=t/> })}</dd>
                <dt>{tr!(overview.fit)}</dt>
                <dd>{move || {
                    let r = r2.clone().unwrap_or_else(|| t_string!(i18n, overview.no_value).to_string());
                    fill(
                        t_string!(i18n, overview.fit_text),
                        &[("r", &r), ("hours", &hours), ("points", &points)],
                    )
                }}</dd>
            </dl>
        }
    });
    let used = match (c.used_bytes, c.total_bytes) {
        (Some(u), Some(t)) => {
            let (used, total, pct_used) =
                (format::bytes(u as f64), format::bytes(t as f64), c.used_pct);
            Some(move || {
                let l = i18n.get_locale();
                fill(
                    td_string!(l, overview.used_of),
                    &[
                        ("used", &used),
                        ("total", &total),
                        ("pct", &pct(l, pct_used)),
                    ],
                )
            })
        }
        _ => None,
    };
    view! {
        <section aria-labelledby="capacity-title" class="overview-section" data-testid="capacity">
            <h2 id="capacity-title">{tr!(overview.capacity)}</h2>
            <p>{c.message.clone()}</p>
            {used.map(|u| view! { <p class="muted">{u}</p> })}
            {forecast}
        </section>
    }
}
