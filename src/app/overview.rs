//! The overview's server functions, and the health summary shown on a cluster's
//! page until the full dashboard lands.

use super::ui::{error_text, ErrorNote};
use crate::model::overview::{HealthCard, Kpi, Overview};
use leptos::prelude::*;

/// Everything the overview shows for the range in the URL (`range`, or `from`/`to`).
#[server(prefix = "/sfn", endpoint = "get_overview")]
pub async fn get_overview(
    id: i64,
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<Overview, ServerFnError> {
    use crate::model::overview::parse_window;
    use crate::server::fn_context::{state, user};
    use crate::server::{now_ms, AppError};
    user().await?;
    let now = now_ms();
    let window = parse_window(range.as_deref(), from.as_deref(), to.as_deref(), now)
        .map_err(AppError::BadRequest)?;
    Ok(state()?.overview.overview(id, &window, now).await?)
}

fn number(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "n/a".into(),
        Some(v) if v.abs() >= 100.0 => format!("{v:.0} {unit}"),
        Some(v) => format!("{v:.1} {unit}"),
    }
}

#[component]
fn Card(card: HealthCard) -> impl IntoView {
    let hover = card.reason.clone();
    view! {
        <li class=format!("health-card health-{}", card.status.as_str()) tabindex="0" title=hover>
            <span class="title">{card.title}</span>
            <span class="value">{number(card.value, &card.unit)}</span>
            <span class="reason">{card.reason}</span>
        </li>
    }
}

#[component]
fn KpiItem(kpi: Kpi) -> impl IntoView {
    let change = kpi
        .change_pct
        .map(|c| format!("{c:+.1} % vs previous period"))
        .unwrap_or_else(|| "no previous period".into());
    view! {
        <li class="kpi">
            <span class="title">{kpi.label}</span>
            <span class="value">{number(kpi.value, &kpi.unit)}</span>
            <span class="muted">{change}</span>
        </li>
    }
}

/// Health status, score, the rule cards and the KPIs of `range`.
#[component]
pub fn HealthSummary(id: i64, range: Signal<String>) -> impl IntoView {
    let overview = Resource::new(
        move || range.get(),
        move |r| get_overview(id, Some(r), None, None),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading health…"</p> }>
            {move || overview.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=error_text(&e)/> }.into_any(),
                Ok(o) => view! {
                    <div class="health-summary" data-testid="health-summary">
                        <p class=format!("health-status health-{}", o.health.status.as_str())>
                            {format!("Health: {} · score {}", o.health.status.as_str(), o.health.score)}
                        </p>
                        <ul class="health-cards">
                            {o.health.cards.into_iter().map(|c| view! { <Card card=c/> }).collect_view()}
                        </ul>
                        <ul class="kpis">
                            {o.kpis.into_iter().map(|k| view! { <KpiItem kpi=k/> }).collect_view()}
                        </ul>
                        <p class="muted">{o.capacity.message}</p>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}
