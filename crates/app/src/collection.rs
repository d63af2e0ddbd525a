//! What the collector is doing, on the pages: its last tick on the cluster
//! list, a cluster's last collection and a "Collect now" button on its page.

use super::time::LocalTime;
use super::ui::ErrorNote;
use i18n::{fill, t_string, use_i18n, Locale};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use model::snapshot::{CollectorStatus, Snapshot};
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

/// The word for a collection's outcome (`OK`, `Partial`, `Failed`).
#[cfg(feature = "ssr")]
pub fn status_label(l: i18n::Locale, s: model::snapshot::CollectStatus) -> &'static str {
    use model::snapshot::CollectStatus;
    match s {
        CollectStatus::Ok => i18n::td_string!(l, pages.status_ok),
        CollectStatus::Partial => i18n::td_string!(l, pages.status_partial),
        CollectStatus::Failed => i18n::td_string!(l, pages.status_failed),
    }
}

/// One line under a page: when the collector last ran and how it went.
#[component]
pub fn CollectorStatusLine() -> impl IntoView {
    let status = Resource::new(|| (), |_| get_collector_status());
    view! {
        <Transition fallback=|| ()>
            {move || status.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
                Ok(s) => view! { <CollectorStatusText s/> }.into_any(),
            })}
        </Transition>
    }
}

/// The line itself, for a status at hand (the fleet's table brings its own).
#[component]
pub fn CollectorStatusText(s: CollectorStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted collector-status" data-testid="collector-status">{describe(i18n, &s)}</p> }
}

fn describe(i18n: I18nContext<Locale>, s: &CollectorStatus) -> AnyView {
    if !s.running && s.last_tick_at.is_none() {
        return view! { {tr!(pages.collector_not_running)} }.into_any();
    }
    let interval = s.interval_s;
    let every = crate::ui::said(move |l| {
        fill(
            ::leptos_i18n::td_string!(l, pages.collector_every),
            &[("n", &interval)],
        )
    });
    match s.last_tick_at {
        None => match s.next_tick_at {
            Some(at) => view! {
                {every} {tr!(pages.collector_first_at)} <LocalTime ms=at/>
                {tr!(pages.collector_first_at_end)}
            }
            .into_any(),
            None => view! { {every} {tr!(pages.collector_first_next)} }.into_any(),
        },
        Some(at) => {
            let (ms, ok, partial, failed) = (
                s.last_tick_duration_ms.unwrap_or(0),
                s.clusters_ok,
                s.clusters_partial,
                s.clusters_failed,
            );
            let tail = move || {
                fill(
                    t_string!(i18n, pages.collector_last_result),
                    &[
                        ("ms", &ms),
                        ("ok", &ok),
                        ("partial", &partial),
                        ("failed", &failed),
                    ],
                )
            };
            view! { {every} {tr!(pages.collector_last_run)} <LocalTime ms=at/> {tail} }.into_any()
        }
    }
}
