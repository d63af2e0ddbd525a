//! The sections of the overview page below its charts and above them: status
//! banner, health cards, key figures, alerts, nodes, data and capacity.

use super::collection::status_label;
use super::time::{ago, LocalTime};
use leptos::prelude::*;
use model::format;
use model::overview::{Alert, Capacity, ForecastState, HealthCard, Kpi, NodeInfo, Nodes, Overview};
use model::snapshot::{CollectStatus, StoredDataStatistics};
use model::starrocks::Stat;

/// When the data is from, and whether it is current, stale or not there yet.
#[component]
pub fn StatusBanner(o: Overview) -> impl IntoView {
    let interval = format::duration(o.interval_ms);
    match (&o.latest, &o.last_ok) {
        (None, _) => view! {
            <div class="banner info" role="status" data-testid="no-data">
                <strong>"No data yet. "</strong>
                {format!("The collector reads every cluster every {interval}: this one's first figures appear within one interval. \
                    Press Collect now to read it at once.")}
            </div>
        }
        .into_any(),
        (Some(latest), last_ok) if latest.status == CollectStatus::Failed => {
            let error = latest
                .error_message
                .clone()
                .unwrap_or_else(|| "no answer".into());
            let kind = latest.error_kind.clone().unwrap_or_default();
            view! {
                <div class="banner error" role="alert" data-testid="stale">
                    <strong>"Unreachable. "</strong>
                    "The latest collection, " <LocalTime ms=latest.collected_at/> ", failed"
                    {(!kind.is_empty()).then(|| format!(" ({kind})"))} ": " {error}
                    <br/>
                    {match last_ok {
                        Some(ok) => view! {
                            "The figures below are stale: the last known data, collected "
                            <LocalTime ms=ok.collected_at/> {format!(" ({}).", ago(i18n::use_i18n().get_locale_untracked(), o.now, ok.collected_at))}
                        }.into_any(),
                        None => "No collection of this cluster has succeeded yet.".into_any(),
                    }}
                </div>
            }
            .into_any()
        }
        (Some(latest), _) => {
            let age = ago(i18n::use_i18n().get_locale_untracked(), o.now, latest.collected_at);
            let late = o.age_ms.unwrap_or(0) > 3 * o.interval_ms;
            // How the collection reached the cluster, when it was not simply
            // every node at its own address through the first FE address.
            let reach = latest.reach.as_ref().and_then(|r| r.summary());
            view! {
                <p class="collected" class:late=late data-testid="last-collected">
                    "Last collected " <LocalTime ms=latest.collected_at/> {format!(" ({age}) · ")}
                    <span class=format!("status status-{}", latest.status.as_str())>{status_label(latest.status)}</span>
                    {format!(" in {} ms", format::thousands(latest.duration_ms))}
                    {latest.reach.as_ref().and_then(|r| r.answered_by.clone()).map(|a| format!(" via {a}"))}
                    {latest.error_message.clone().map(|m| format!(" · {m}"))}
                    {late.then_some(" · the collector is late: check its status below.")}
                </p>
                {reach.map(|r| view! { <p class="collected reach" data-testid="reach-note">{r}</p> })}
            }
            .into_any()
        }
    }
}

#[component]
pub fn HealthCards(cards: Vec<HealthCard>) -> impl IntoView {
    view! {
        <ul class="health-cards" data-testid="health-cards">
            {cards.into_iter().map(|c| {
                let tip = format!("health-tip-{}", c.key);
                let tip_id = tip.clone();
                view! {
                    <li class=format!("health-card health-{}", c.status.as_str()) tabindex="0"
                        data-card=c.key.clone() aria-describedby=tip.clone()>
                        <span class="title">{c.title}</span>
                        <span class="value">{format::with_unit(c.value, &c.unit)}</span>
                        <span class="status-word">{c.status.as_str()}</span>
                        <span class="tip" role="tooltip" id=tip_id>
                            <span class="reason">{c.reason}</span>
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
    view! {
        <ul class="kpis" data-testid="kpis">
            {kpis.into_iter().map(|k| {
                let (change, class) = match k.change_pct {
                    Some(c) => (format!("{}{} % vs previous", if c >= 0.0 { "+" } else { "" }, format::number(c)),
                        if c >= 0.0 { "up" } else { "down" }),
                    None => ("no previous period".to_string(), "flat"),
                };
                view! {
                    <li class="kpi" data-kpi=k.key.clone()>
                        <span class="title">{k.label}</span>
                        <span class="value">{format::with_unit(k.value, &k.unit)}</span>
                        <span class=format!("change {class}")>{change}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn AlertList(alerts: Vec<Alert>) -> impl IntoView {
    view! {
        <section aria-labelledby="alerts-title" class="overview-section">
            <h2 id="alerts-title">{format!("Active alerts ({})", alerts.len())}</h2>
            {if alerts.is_empty() {
                view! { <p class="muted">"None: every health rule passes, or has no data to judge."</p> }.into_any()
            } else {
                view! {
                    <ul class="alerts" data-testid="alerts">
                        {alerts.into_iter().map(|a| view! {
                            <li class=format!("alert-item health-{}", a.level.as_str())>
                                <span class=format!("pill health-{}", a.level.as_str())>{a.level.as_str()}</span>
                                <strong>{a.title}</strong>
                                <span class="reason">{a.reason}</span>
                                <div class="muted small">
                                    <span>"Since "</span><LocalTime ms=a.since/>
                                    <span class="action">{a.action}</span>
                                </div>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

fn pct(v: Option<f64>) -> String {
    format::with_unit(v, "%")
}

fn alive(n: &NodeInfo) -> impl IntoView {
    view! {
        <span class=if n.alive { "status status-ok" } else { "status status-failed" }>
            {if n.alive { "alive" } else { "dead" }}
        </span>
    }
}

/// Says so when the cluster listed more nodes than one collection reads.
fn cut_note(nodes: &Nodes, be_title: &str) -> Option<impl IntoView> {
    let listed = nodes.listed?;
    let text = format!(
        "The cluster lists {} frontends and {} {}; each collection reads the first {} of each \
         (--max-nodes), so the tables and the figures cover those only.",
        format::count(Some(listed.frontends as i64)),
        format::count(Some(listed.backends as i64)),
        be_title.to_lowercase(),
        format::count(Some(nodes.frontends.len().max(nodes.backends.len()) as i64)),
    );
    Some(view! { <p class="alert warning" role="status" data-testid="nodes-cut">{text}</p> })
}

#[component]
pub fn NodeTables(nodes: Nodes) -> impl IntoView {
    let compute = !nodes.backends.is_empty() && nodes.backends.iter().all(|n| n.kind == "cn");
    let be_title = if compute { "Compute nodes" } else { "Backends" };
    let fe_rows = nodes
        .frontends
        .iter()
        .map(|n| {
            view! {
                <tr class:dead=!n.alive data-node=n.name.clone()>
                    <th scope="row">{n.name.clone()}</th>
                    <td>{n.role.clone().unwrap_or_default()}</td>
                    <td>{alive(n)}</td>
                    <td>{n.version.clone().unwrap_or_default()}</td>
                    <td class="wide-only">{n.last_heartbeat.clone().unwrap_or_default()}</td>
                    <td class="wide-only">{n.error.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let be_rows = nodes
        .backends
        .iter()
        .map(|n| {
            view! {
                <tr class:dead=!n.alive data-node=n.name.clone()>
                    <th scope="row">{n.name.clone()}</th>
                    <td>{alive(n)}</td>
                    <td class="wide-only">{n.version.clone().unwrap_or_default()}</td>
                    <td class="num">{pct(n.disk_used_pct)}</td>
                    <td class="num">{format::count(n.tablets)}</td>
                    <td class="num">{pct(n.cpu_pct)}</td>
                    <td class="num">{pct(n.mem_pct)}</td>
                    <td class="wide-only">{n.last_heartbeat.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="nodes-title" class="overview-section">
            <h2 id="nodes-title">"Nodes"</h2>
            {nodes.collected_at.is_none().then(|| view! { <p class="muted">"The node lists have not been read yet."</p> })}
            {cut_note(&nodes, be_title)}
            <div class="table-wrap">
                <table class="data" data-testid="frontends">
                    <caption>{format!("Frontends ({})", nodes.frontends.len())}</caption>
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Alive"</th>
                        <th scope="col">"Version"</th><th scope="col" class="wide-only">"Last heartbeat"</th>
                        <th scope="col" class="wide-only">"Error"</th>
                    </tr></thead>
                    <tbody>{fe_rows}</tbody>
                </table>
            </div>
            <div class="table-wrap">
                <table class="data" data-testid="backends">
                    <caption>{format!("{be_title} ({})", nodes.backends.len())}</caption>
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Alive"</th><th scope="col" class="wide-only">"Version"</th>
                        <th scope="col" class="num">"Disk"</th><th scope="col" class="num">"Tablets"</th>
                        <th scope="col" class="num">"CPU"</th><th scope="col" class="num">"Memory"</th>
                        <th scope="col" class="wide-only">"Last heartbeat"</th>
                    </tr></thead>
                    <tbody>{be_rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// A statistic's value, or why it is missing.
fn stat<T>(s: &Stat<T>, show: impl Fn(&T) -> String) -> AnyView {
    match s {
        Stat::Available { value } => view! { <span>{show(value)}</span> }.into_any(),
        Stat::Unavailable { reason } => {
            view! { <span class="muted" title=reason.clone()>"not available"</span> }.into_any()
        }
    }
}

#[component]
pub fn DataStatisticsPanel(stats: Option<StoredDataStatistics>) -> impl IntoView {
    let body = match stats {
        None => view! {
            <p class="muted">"Not read yet: the collector reads databases, tables and materialized views over MySQL every 10 minutes."</p>
        }
        .into_any(),
        Some(stored) => {
            let failed = stored.last_error.clone().map(|e| {
                view! {
                    <p class="banner error small">
                        "The last attempt, " <LocalTime ms=stored.attempted_at/> ", failed: " {e.message}
                        {stored.collected_at.is_some().then_some(" The figures below are from the last good read.")}
                    </p>
                }
            });
            let figures = stored.stats.map(|s| {
                let top = match &s.top_tables {
                    Stat::Available { value } if !value.is_empty() => view! {
                        <table class="data compact" data-testid="top-tables">
                            <caption>"Largest tables"</caption>
                            <thead><tr><th scope="col">"Table"</th><th scope="col" class="num">"Rows"</th><th scope="col" class="num">"Size"</th></tr></thead>
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
                    Stat::Available { .. } => view! { <p class="muted">"No tables yet."</p> }.into_any(),
                    Stat::Unavailable { reason } => view! { <p class="muted">{format!("Largest tables not available: {reason}")}</p> }.into_any(),
                };
                let mvs = match &s.materialized_views {
                    Stat::Available { value } => view! {
                        <span>{format!("{} ({} active, {} inactive)", format::thousands(value.total as i64), value.active, value.inactive)}</span>
                        {(!value.failing.is_empty()).then(|| view! {
                            <span class="failing" data-testid="failing-mvs">
                                {format!(" · failing: {}", value.failing.join(", "))}
                            </span>
                        })}
                    }.into_any(),
                    other => stat(other, |_| String::new()),
                };
                view! {
                    <dl class="facts">
                        <dt>"Databases"</dt><dd>{stat(&s.databases, |v| format::thousands(*v as i64))}</dd>
                        <dt>"Tables"</dt><dd>{stat(&s.tables, |v| format::thousands(*v as i64))}</dd>
                        <dt>"Total size"</dt><dd>{stat(&s.total_bytes, |v| format::bytes(*v as f64))}</dd>
                        <dt>"Materialized views"</dt><dd>{mvs}</dd>
                        <dt>"Schema changes"</dt>
                        <dd>{stat(&s.schema_changes, |v| format!("{} running, {} pending", v.running, v.pending))}</dd>
                    </dl>
                    {top}
                }
            });
            view! {
                {failed}
                {stored.collected_at.map(|at| view! { <p class="muted small">"Read " <LocalTime ms=at/></p> })}
                {figures}
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="data-title" class="overview-section" data-testid="data-statistics">
            <h2 id="data-title">"Data"</h2>
            {body}
        </section>
    }
    .into_any()
}

#[component]
pub fn CapacityPanel(capacity: Capacity) -> impl IntoView {
    let c = capacity;
    let forecast = (c.state == ForecastState::Forecast).then(|| {
        view! {
            <dl class="facts">
                <dt>"Growth"</dt>
                <dd>{c.growth_bytes_per_day.map(|g| format!("{} per day", format::bytes(g))).unwrap_or_default()}</dd>
                <dt>"90 % full"</dt>
                <dd>{c.reaches_90_at.map(|t| view! { <LocalTime ms=t/> })}</dd>
                <dt>"Full"</dt>
                <dd>{c.reaches_100_at.map(|t| view! { <LocalTime ms=t/> })}</dd>
                <dt>"Fit"</dt>
                <dd>{format!("R² {} over {} h, {} points", c.r_squared.map(format::number).unwrap_or_else(|| "n/a".into()),
                    format::number(c.span_hours), format::thousands(c.points as i64))}</dd>
            </dl>
        }
    });
    let used = match (c.used_bytes, c.total_bytes) {
        (Some(u), Some(t)) => Some(format!(
            "{} of {} used ({})",
            format::bytes(u as f64),
            format::bytes(t as f64),
            pct(c.used_pct)
        )),
        _ => None,
    };
    view! {
        <section aria-labelledby="capacity-title" class="overview-section" data-testid="capacity">
            <h2 id="capacity-title">"Capacity forecast"</h2>
            <p>{c.message.clone()}</p>
            {used.map(|u| view! { <p class="muted">{u}</p> })}
            {forecast}
        </section>
    }
}
