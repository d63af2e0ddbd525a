//! What the collector is doing, on the pages: its last tick on the cluster
//! list, a cluster's last collection and a "Collect now" button on its page.

use super::time::LocalTime;
use super::ui::ErrorNote;
use leptos::prelude::*;
use model::snapshot::{CollectStatus, CollectorStatus, Snapshot};
use model::ApiError;

#[server(prefix = "/sfn", endpoint = "collector_status")]
pub async fn get_collector_status() -> Result<CollectorStatus, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    Ok(state()?.collector.status())
}

#[server(prefix = "/sfn", endpoint = "collect_now")]
pub async fn collect_now(id: i64) -> Result<Snapshot, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    let state = state()?;
    state.clusters.get(id).await?;
    Ok(state.collector.collect_now(id).await?)
}

pub fn status_label(s: CollectStatus) -> &'static str {
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
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
                Ok(s) => view! { <p class="muted collector-status" data-testid="collector-status">{describe(&s)}</p> }.into_any(),
            })}
        </Transition>
    }
}

fn describe(s: &CollectorStatus) -> AnyView {
    if !s.running && s.last_tick_at.is_none() {
        return "The collector is not running: no new history is recorded.".into_any();
    }
    let every = format!("Collector: every {} s", s.interval_s);
    match s.last_tick_at {
        None => match s.next_tick_at {
            Some(at) => view! { {every} "; the first collection runs at " <LocalTime ms=at/> "." }
                .into_any(),
            None => {
                view! { {every} "; the first collection runs at the next interval." }.into_any()
            }
        },
        Some(at) => {
            let tail = format!(
                " in {} ms · {} ok, {} partial, {} failed",
                s.last_tick_duration_ms.unwrap_or(0),
                s.clusters_ok,
                s.clusters_partial,
                s.clusters_failed
            );
            view! { {every} " · last run " <LocalTime ms=at/> {tail} }.into_any()
        }
    }
}
