//! The fleet page, `/clusters`: every registered cluster at a glance, sortable
//! by any column (the order lives in the URL), each linking to its overview.
//!
//! The landing page is kept light: the server renders the table as HTML
//! (app::fleet_table) and the browser inserts it as it comes, so this page's
//! wasm holds only the refresh, the sort in the URL and the deletion
//! (public/assets/page.js asks the question in the row).

use super::clusters::delete_cluster;
use super::refresh;
use super::ui::ErrorNote;
use i18n::{fill, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::ApiError;

/// The fleet table and the collector's line as HTML in the language `lang` (a
/// tag, `zh-CN`), sorted by the URL's `sort` and `dir`.
#[server(prefix = "/sfn", endpoint = "get_fleet_view")]
pub async fn get_fleet_view(
    lang: String,
    sort: Option<String>,
    dir: Option<String>,
) -> Result<String, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    let state = state()?;
    let fleet = state.overview.fleet(store::now_ms()).await?;
    let l = i18n::from_tag(&lang).unwrap_or_else(i18n::current);
    Ok(crate::fleet_table::render(
        l,
        fleet,
        Some(state.collector.status()),
        sort.as_deref(),
        dir.as_deref(),
    ))
}

/// The page refetches itself this often, the collector's default interval, so a
/// fleet left open on a wall screen stays current.
pub const FLEET_REFRESH_S: u32 = 30;

#[component]
pub fn FleetPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::routes::preload_chunks("fleet");
    let i18n = use_i18n();
    let tick = RwSignal::new(0u64);
    // Bumped by a deletion: the table is fetched again without the cluster.
    let deleted = RwSignal::new(0u64);
    let delete_error = RwSignal::new(None::<String>);
    let query = use_query_map();
    let sort = Memo::new(move |_| {
        let q = query.read();
        (q.get("sort"), q.get("dir"))
    });
    // The locale too: the table and the status reasons are the server's words.
    let fleet = Resource::new(
        move || (i18n.get_locale(), sort.get(), deleted.get(), tick.get()),
        |(l, (sort, dir), _, _)| get_fleet_view(i18n::tag(l).to_string(), sort, dir),
    );
    refresh::every(
        || FLEET_REFRESH_S,
        move || {
            // Not under a keyboard user's focus, nor while a deletion is asked
            // (public/assets/page.js shows the question in the row).
            if !refresh::focus_within(".fleet")
                && !refresh::present(".fleet .confirm:not([hidden])")
            {
                tick.update(|t| *t += 1);
            }
        },
    );
    // The question's own button deletes; asking and cancelling are the
    // page script's (the HTML is the server's, and so is its behaviour).
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(id) = confirmed_deletion(&ev) {
            leptos::task::spawn_local(async move {
                match delete_cluster(id).await {
                    Ok(()) => delete_error.set(None),
                    Err(e) => delete_error.set(Some(e.message)),
                }
                deleted.update(|d| *d += 1);
            });
        }
    };
    view! {
        <Title text=tr!(fleet.title)/>
        <div class="page-head">
            <h1>{tr!(fleet.title)}</h1>
            <span class="actions">
                <a class="button" href="/thresholds" data-testid="fleet-thresholds">{tr!(pages.th_fleet_link)}</a>
                " "
                <a class="button primary" href="/clusters/new">{tr!(fleet.add_cluster)}</a>
            </span>
        </div>
        <p class="muted small" data-testid="fleet-refresh">
            {crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, fleet.refresh_note), &[("n", &FLEET_REFRESH_S)]))}
        </p>
        {move || delete_error.get().map(|message| view! { <ErrorNote message/> })}
        <Transition fallback=move || view! { <p class="muted">{tr!(fleet.loading)}</p> }>
            {move || fleet.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
                Ok(html) => view! {
                    <div class="fleet-body" data-local-times="" data-delete-questions="" on:click=on_click inner_html=html></div>
                }.into_any(),
            })}
        </Transition>
    }
}

/// The cluster whose deletion a click confirmed: the question's "Delete
/// cluster" button carries its id.
fn confirmed_deletion(ev: &leptos::ev::MouseEvent) -> Option<i64> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()?
            .dyn_into::<web_sys::Element>()
            .ok()?
            .closest("[data-confirm-delete]")
            .ok()??
            .get_attribute("data-confirm-delete")?
            .parse()
            .ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}
