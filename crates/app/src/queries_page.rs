//! `/clusters/:id/queries` (issue 16): what runs now on every FE (sortable,
//! filtered, refreshed, each query stoppable after a question that names
//! it), the audit table's history over a range (slow statements, top
//! statements, users, client addresses, tables and errors), and the
//! activity log. Everything the page shows is in its URL. The server renders
//! the content (app::queries_html); this page keeps the stop, the URL's
//! controls and the refresh.

use super::ui::ErrorNote;
use i18n::{fill, td_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use model::queries::ActivityEntry;
use model::ApiError;
use serde::{Deserialize, Serialize};

/// The running part of the page: the cluster's name and the HTML.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunningHtml {
    pub cluster_name: String,
    pub html: String,
}

/// The page's URL as the server functions take it: the query string.
#[cfg(feature = "ssr")]
fn page_query(query: &str) -> PageQuery {
    let map = ParamsMap::from_iter(
        form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned())),
    );
    PageQuery::from_query(&map)
}

#[server(prefix = "/sfn", endpoint = "get_running_queries")]
pub async fn get_running_queries(
    id: i64,
    lang: String,
    query: String,
) -> Result<RunningHtml, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    let state = state()?;
    let cluster = state.clusters.get(id).await?;
    let running = state.queries.running(id).await.map_err(|e| e.message());
    let activity = state.queries.activity(id).await?;
    let l = i18n::from_tag(&lang).unwrap_or_else(i18n::current);
    let html = crate::queries_html::render_running(l, id, running, activity, &page_query(&query));
    Ok(RunningHtml {
        cluster_name: cluster.name,
        html,
    })
}

#[server(prefix = "/sfn", endpoint = "get_query_history")]
pub async fn get_query_history(id: i64, lang: String, query: String) -> Result<String, ApiError> {
    use crate::ssr::context::{state, user};
    use registry::AppError;
    user().await?;
    let state = state()?;
    let q = page_query(&query);
    let w = model::overview::parse_window(
        q.range
            .as_deref()
            .or(Some(DEFAULT_RANGE))
            .filter(|_| q.from.is_none() && q.to.is_none()),
        q.from.as_deref(),
        q.to.as_deref(),
        store::now_ms(),
    )
    .map_err(AppError::BadRequest)?;
    let min_ms = q
        .min_ms
        .as_deref()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|v| (0..=86_400_000).contains(v))
        .unwrap_or(model::queries::DEFAULT_MIN_MS);
    let h = state.queries.history(id, &w, min_ms).await?;
    let l = i18n::from_tag(&lang).unwrap_or_else(i18n::current);
    Ok(crate::queries_html::render_history(l, id, h, &q))
}

#[server(prefix = "/sfn", endpoint = "stop_query")]
pub async fn stop_query(
    id: i64,
    connection_id: i64,
    fe: String,
    query_id: Option<String>,
    user: Option<String>,
    run_ms: Option<i64>,
) -> Result<ActivityEntry, ApiError> {
    use crate::ssr::context::state;
    let me = crate::ssr::context::user().await?;
    let state = state()?;
    let req = model::queries::KillRequest {
        fe,
        query_id,
        user,
        run_ms,
    };
    Ok(state
        .queries
        .kill(id, connection_id, &req, &me.username)
        .await?)
}

#[cfg(feature = "ssr")]
pub const DEFAULT_RANGE: &str = "24h";
/// Refresh periods of the running list: off by default (it asks every FE).
pub const REFRESH: &[(&str, u32)] = &[("off", 0), ("5s", 5), ("15s", 15), ("30s", 30)];

/// The page's state, as its URL says it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageQuery {
    pub range: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub min_ms: Option<String>,
    pub refresh: Option<String>,
    pub sort: Option<String>,
    /// `asc`; descending otherwise.
    pub dir: Option<String>,
    pub user: Option<String>,
    pub db: Option<String>,
    pub fe: Option<String>,
}

impl PageQuery {
    pub fn from_query(q: &ParamsMap) -> Self {
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        PageQuery {
            range: get("range"),
            from: get("from"),
            to: get("to"),
            min_ms: get("min_ms"),
            refresh: get("refresh").filter(|r| r != "off"),
            sort: get("sort"),
            dir: get("dir"),
            user: get("user"),
            db: get("db"),
            fe: get("fe"),
        }
    }

    pub fn to_query(&self) -> String {
        let enc = |v: &str| model::navigation::encode_component(v);
        [
            ("range", &self.range),
            ("from", &self.from),
            ("to", &self.to),
            ("min_ms", &self.min_ms),
            ("refresh", &self.refresh),
            ("sort", &self.sort),
            ("dir", &self.dir),
            ("user", &self.user),
            ("db", &self.db),
            ("fe", &self.fe),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", enc(v))))
        .collect::<Vec<_>>()
        .join("&")
    }

    pub fn url(&self, id: i64) -> String {
        let q = self.to_query();
        if q.is_empty() {
            format!("/clusters/{id}/queries")
        } else {
            format!("/clusters/{id}/queries?{q}")
        }
    }

    pub(crate) fn refresh_seconds(&self) -> u32 {
        let key = self.refresh.as_deref().unwrap_or("off");
        REFRESH
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, s)| *s)
    }
}

/// A stop the question's button confirmed: what it carries.
#[derive(Clone, Debug, PartialEq)]
struct Confirmed {
    connection_id: i64,
    fe: String,
    query_id: Option<String>,
    user: Option<String>,
    run_ms: Option<i64>,
}

fn confirmed_stop(ev: &leptos::ev::MouseEvent) -> Option<Confirmed> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let b = ev
            .target()?
            .dyn_into::<web_sys::Element>()
            .ok()?
            .closest("[data-confirm-delete]")
            .ok()??;
        Some(Confirmed {
            connection_id: b.get_attribute("data-confirm-delete")?.parse().ok()?,
            fe: b.get_attribute("data-fe")?,
            query_id: b.get_attribute("data-query"),
            user: b.get_attribute("data-user"),
            run_ms: b.get_attribute("data-run").and_then(|r| r.parse().ok()),
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

/// A control of the server's toolbar that changed: its URL parameter and value.
fn changed_control(ev: &leptos::ev::Event) -> Option<(String, String)> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let el = ev.target()?.dyn_into::<web_sys::HtmlSelectElement>().ok()?;
        Some((el.get_attribute("data-url-param")?, el.value()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

#[component]
pub fn QueriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let page_q = Memo::new(move |_| PageQuery::from_query(&query.read()));
    let tick = RwSignal::new(0u64);
    let stopped = RwSignal::new(0u64);
    let stop_note = RwSignal::new(None::<Result<String, String>>);
    // Sorting, filtering and the refresh period are the server's rendering of
    // the same answer: a new URL asks again (which is fresh data too).
    let running = Resource::new(
        move || {
            (
                i18n.get_locale(),
                id.get(),
                page_q.get(),
                tick.get(),
                stopped.get(),
            )
        },
        |(l, id, q, _, _)| get_running_queries(id, i18n::tag(l).to_string(), q.to_query()),
    );
    let history_key = Memo::new(move |_| {
        let q = page_q.get();
        (q.range, q.from, q.to, q.min_ms)
    });
    let history = Resource::new(
        move || (i18n.get_locale(), id.get(), history_key.get()),
        move |(l, id, _)| {
            get_query_history(
                id,
                i18n::tag(l).to_string(),
                page_q.get_untracked().to_query(),
            )
        },
    );
    crate::refresh::every(
        move || page_q.with(|q| q.refresh_seconds()),
        move || {
            // Not while a stop question is open under the user's hands.
            if !crate::refresh::present(".stop-question:not([hidden])") {
                tick.update(|t| *t += 1);
            }
        },
    );
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(c) = confirmed_stop(&ev) {
            let id = id.get_untracked();
            leptos::task::spawn_local(async move {
                let r = stop_query(id, c.connection_id, c.fe, c.query_id, c.user, c.run_ms).await;
                stop_note.set(Some(r.map(|e| e.target).map_err(|e| e.message)));
                stopped.update(|s| *s += 1);
            });
        }
    };
    let navigate = use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        if let Some((param, value)) = changed_control(&ev) {
            let mut q = page_q.get_untracked();
            // "All" and "off" are the defaults, out of the URL.
            let default = value.is_empty() || (param == "refresh" && value == "off");
            let v = (!default).then_some(value);
            match param.as_str() {
                "user" => q.user = v,
                "db" => q.db = v,
                "fe" => q.fe = v,
                "refresh" => q.refresh = v,
                _ => return,
            }
            navigate(&q.url(id.get_untracked()), Default::default());
        }
    };
    view! {
        <Title text=tr!(pages.q_title)/>
        <div class="page-head">
            // The cluster's name comes with the running queries; read inside a
            // Transition so the server waits for it and hydration matches.
            <Transition fallback=move || view! { <h1>{tr!(pages.q_title)}</h1> }>
                {move || running.get().map(|r| match r {
                    Ok(r) => view! { <h1>{fill(td_string!(i18n.get_locale(), pages.q_heading), &[("name", &r.cluster_name)])}</h1> }.into_any(),
                    Err(_) => view! { <h1>{tr!(pages.q_title)}</h1> }.into_any(),
                })}
            </Transition>
            <a class="button" href=move || format!("/clusters/{}/overview", id.get())>{tr!(nodes.back_to_overview)}</a>
        </div>
        {move || stop_note.get().map(|r| match r {
            Ok(target) => view! { <p class="alert info" role="status" data-testid="stop-result">{tr!(pages.q_stopped)} " " {target}</p> }.into_any(),
            Err(message) => view! { <p class="alert error" role="alert" data-testid="stop-result">{message}</p> }.into_any(),
        })}
        <Transition fallback=move || view! { <p class="muted">{tr!(pages.q_loading)}</p> }>
            {move || running.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
                Ok(v) => view! {
                    <div class="fragment" data-local-times="" data-delete-questions=""
                        on:click=on_click on:change=on_change.clone() inner_html=v.html></div>
                }.into_any(),
            })}
        </Transition>
        <Transition fallback=move || view! { <p class="muted">{tr!(pages.q_history_loading)}</p> }>
            {move || history.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
                Ok(html) => view! { <div class="fragment" data-local-times="" inner_html=html></div> }.into_any(),
            })}
        </Transition>
    }
}
