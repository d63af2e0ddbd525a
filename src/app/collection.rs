//! What the collector is doing, on the pages: its last tick on the cluster
//! list, a cluster's last collection and a "Collect now" button on its page.

use super::ui::{error_text, ErrorNote};
use crate::model::snapshot::{CollectStatus, CollectorStatus, Snapshot};
use leptos::prelude::*;

#[server(prefix = "/sfn", endpoint = "collector_status")]
pub async fn get_collector_status() -> Result<CollectorStatus, ServerFnError> {
    use crate::server::fn_context::{state, user};
    user().await?;
    Ok(state()?.collector.status())
}

#[server(prefix = "/sfn", endpoint = "latest_snapshot")]
pub async fn latest_snapshot(id: i64) -> Result<Option<Snapshot>, ServerFnError> {
    use crate::server::collector::store;
    use crate::server::fn_context::{state, user};
    use crate::server::AppError;
    user().await?;
    let state = state()?;
    state.clusters.get(id).await?;
    Ok(store::latest(&state.pool, id)
        .await
        .map_err(AppError::from)?)
}

#[server(prefix = "/sfn", endpoint = "collect_now")]
pub async fn collect_now(id: i64) -> Result<Snapshot, ServerFnError> {
    use crate::server::fn_context::{state, user};
    user().await?;
    let state = state()?;
    state.clusters.get(id).await?;
    Ok(state.collector.collect_now(id).await?)
}

/// `2026-11-26 18:00:30 UTC`: the same text on the server and after hydration.
pub fn utc_text(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "unknown time".into())
}

fn status_label(s: CollectStatus) -> &'static str {
    match s {
        CollectStatus::Ok => "OK",
        CollectStatus::Partial => "Partial",
        CollectStatus::Failed => "Failed",
    }
}

/// One line under the cluster list: when the collector last ran and how it went.
#[component]
pub fn CollectorStatusLine() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_collector_status());
    view! {
        <Transition fallback=|| ()>
            {move || status.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=error_text(&e)/> }.into_any(),
                Ok(s) => view! { <p class="muted collector-status" data-testid="collector-status">{describe(&s)}</p> }.into_any(),
            })}
        </Transition>
    }
}

fn describe(s: &CollectorStatus) -> String {
    if !s.running && s.last_tick_at.is_none() {
        return "The collector is not running: no new history is recorded.".into();
    }
    match s.last_tick_at {
        None => format!(
            "Collector: every {} s; the first collection runs at {}.",
            s.interval_s,
            s.next_tick_at
                .map(utc_text)
                .unwrap_or_else(|| "the next interval".into())
        ),
        Some(at) => format!(
            "Collector: every {} s · last run {} in {} ms · {} ok, {} partial, {} failed",
            s.interval_s,
            utc_text(at),
            s.last_tick_duration_ms.unwrap_or(0),
            s.clusters_ok,
            s.clusters_partial,
            s.clusters_failed
        ),
    }
}

/// A cluster's last collection with its status and error, and "Collect now".
#[component]
pub fn LastCollection(id: i64) -> impl IntoView {
    let collect = ServerAction::<CollectNow>::new();
    let latest = Resource::new(
        move || collect.version().get(),
        move |_| latest_snapshot(id),
    );
    view! {
        <div class="last-collection" data-testid="last-collection">
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || latest.get().map(|r| match r {
                    Err(e) => view! { <ErrorNote message=error_text(&e)/> }.into_any(),
                    Ok(None) => view! {
                        <p class="muted">"Not collected yet: data appears within one collector interval, or press Collect now."</p>
                    }.into_any(),
                    Ok(Some(s)) => view! {
                        <p>
                            "Last collected " <time>{utc_text(s.collected_at)}</time> " · "
                            <span class=format!("status status-{}", s.status.as_str())>{status_label(s.status)}</span>
                            {format!(" · {} ms", s.duration_ms)}
                        </p>
                        {s.error_message.clone().map(|m| view! { <p class="error-detail">{m}</p> })}
                    }.into_any(),
                })}
            </Transition>
            <ActionForm action=collect>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="button" disabled=move || collect.pending().get()>
                    {move || if collect.pending().get() { "Collecting…" } else { "Collect now" }}
                </button>
            </ActionForm>
            {move || collect.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote message=error_text(&e)/> })}
        </div>
    }
}
