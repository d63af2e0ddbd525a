//! One node's own page, `/clusters/:id/nodes/:node`: what the cluster lists
//! about it, and its CPU, memory, disk and (a BE's) compaction score over the
//! range in the URL, the same `range`/`from`/`to` as the overview's.

use super::charts::ChartPanel;
use super::nodes::{alive_pill, heartbeat};
use super::overview::ViewQuery;
use super::refresh;
use super::time::LocalTime;
use super::ui::ErrorNote;
use i18n::{fill, td_string, use_i18n, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::chart::ChartOption;
use model::node::{self, NodeView};
use model::overview::PRESETS;
use model::{ApiError, ApiErrorKind};

/// A node of a cluster over the range in the URL (`range`, or `from`/`to`).
#[server(prefix = "/sfn", endpoint = "get_node")]
pub async fn get_node(
    id: i64,
    node: String,
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<NodeView, ApiError> {
    use crate::ssr::context::{state, user};
    use model::overview::parse_window;
    use registry::AppError;
    use store::now_ms;
    user().await?;
    let now = now_ms();
    let window = parse_window(range.as_deref(), from.as_deref(), to.as_deref(), now)
        .map_err(AppError::BadRequest)?;
    let mut view = state()?.overview.node(id, &node, &window, now).await?;
    let l = i18n::current();
    for s in &mut view.series {
        if let Some(label) = series_label(l, &s.key) {
            s.label = label.to_string();
        }
    }
    Ok(view)
}

/// Every chart a node page draws, each once.
#[cfg(feature = "ssr")]
const NODE_CHARTS: [model::chart::ChartDef; 5] = [
    node::CHART_CPU,
    node::CHART_MEMORY,
    node::CHART_HEAP,
    node::CHART_DISK,
    node::CHART_COMPACTION,
];

/// A node series' name in `l`.
#[cfg(feature = "ssr")]
fn series_label(l: Locale, key: &str) -> Option<&'static str> {
    Some(match key {
        node::SERIES_CPU => td_string!(l, nodes.series_cpu),
        node::SERIES_MEMORY => td_string!(l, nodes.series_mem),
        node::SERIES_HEAP => td_string!(l, nodes.series_heap),
        node::SERIES_DISK => td_string!(l, nodes.series_disk),
        node::SERIES_COMPACTION => td_string!(l, nodes.series_compaction),
        _ => return None,
    })
}

/// The ECharts options of a node's charts in the request's language: the
/// overview's options of the same charts, with the node's series named.
#[server(prefix = "/sfn", endpoint = "node_chart_options")]
pub async fn node_chart_options() -> Result<Vec<ChartOption>, ApiError> {
    crate::ssr::context::user().await?;
    let l = i18n::current();
    Ok(NODE_CHARTS
        .iter()
        .map(|def| {
            let mut option = crate::ssr::chart_options::build(l, def);
            if let Some(series) = option["series"].as_array_mut() {
                for s in series {
                    let name = s["id"].as_str().and_then(|k| series_label(l, k));
                    if let Some(name) = name {
                        s["name"] = name.into();
                    }
                }
            }
            ChartOption {
                key: def.key.to_string(),
                option: option.to_string(),
            }
        })
        .collect())
}

/// The page of node `key` of cluster `id`, on the window of `q` (and its
/// refresh period). Keys are URL-safe as they are (`model::node::node_key`).
pub fn node_url(id: i64, key: &str, q: &ViewQuery) -> String {
    with_query(format!("/clusters/{id}/nodes/{key}"), q)
}

fn overview_url(id: i64, q: &ViewQuery) -> String {
    with_query(format!("/clusters/{id}/overview"), q)
}

fn with_query(path: String, q: &ViewQuery) -> String {
    match q.to_query() {
        query if query.is_empty() => path,
        query => format!("{path}?{query}"),
    }
}

#[component]
pub fn NodePage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::routes::preload_chunks("node");
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    // The node and the view in the URL. Leaving for another page drops the
    // `node` parameter before this page is gone: the last node's view stays,
    // so nothing here refetches or re-renders from values about to be disposed.
    let here = Memo::new(
        move |prev: Option<&(Option<i64>, Option<String>, ViewQuery)>| {
            let p = params.read();
            match (prev, p.get("node")) {
                (Some(prev), None) => prev.clone(),
                (_, key) => (
                    p.get("id").and_then(|s| s.parse::<i64>().ok()),
                    key,
                    ViewQuery::from_query(&query.read()),
                ),
            }
        },
    );
    let id = Memo::new(move |_| here.with(|h| h.0));
    let key = Memo::new(move |_| here.with(|h| h.1.clone()));
    let view_q = Memo::new(move |_| here.with(|h| h.2.clone()));
    let tick = RwSignal::new(0u64);
    let data = Resource::new(
        move || {
            let v = view_q.get();
            (
                i18n.get_locale(),
                id.get(),
                key.get(),
                v.range,
                v.from,
                v.to,
                tick.get(),
            )
        },
        |(l, id, key, range, from, to, _)| async move {
            match (id, key) {
                (Some(id), Some(key)) => get_node(id, key, range, from, to).await,
                _ => Err(ApiError::new(
                    ApiErrorKind::NotFound,
                    td_string!(l, nodes.not_a_node),
                )),
            }
        },
    );
    let options = Resource::new(move || i18n.get_locale(), |_| node_chart_options());
    refresh::every(
        move || view_q.with(|v| v.refresh_seconds()),
        move || tick.update(|t| *t += 1),
    );
    follow_zoom(id, key, view_q);
    // One title for the page's life, outside the part that re-renders with
    // each range: a title inside it was left in leptos_meta's stack after a
    // re-render, and read, disposed, on the next page (a panic).
    let named = RwSignal::new(None::<(String, String)>);
    let title = move || {
        let l = i18n.get_locale();
        match named.get() {
            Some((node, cluster)) => fill(
                td_string!(l, nodes.page_title),
                &[("node", &node), ("cluster", &cluster)],
            ),
            None => td_string!(l, nodes.title).to_string(),
        }
    };
    view! {
        <Title text=title/>
        <Transition fallback=move || view! { <p class="muted">{tr!(nodes.loading)}</p> }>
            {move || Suspend::new(async move {
                let opts = options.await.unwrap_or_default();
                match data.await {
                    Ok(v) => {
                        let name = v.node.as_ref().map_or_else(|| v.key.clone(), node::label);
                        named.set(Some((name, v.cluster_name.clone())));
                        view! { <NodeBody v opts view_q/> }.into_any()
                    }
                    Err(e) => {
                        named.set(None);
                        view! { <NodeMissing e id view_q/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A box zoom on a chart (public/assets/charts.js) becomes a from/to in the URL.
fn follow_zoom(id: Memo<Option<i64>>, key: Memo<Option<String>>, view_q: Memo<ViewQuery>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let navigate = leptos_router::hooks::use_navigate();
        let listener = window_event_listener_untyped("chart-zoom", move |ev| {
            let Some(detail) = ev
                .dyn_ref::<web_sys::CustomEvent>()
                .and_then(|e| e.detail().as_string())
            else {
                return;
            };
            let mut parts = detail.split(',').map(|p| p.parse::<i64>().ok());
            if let (Some(Some(from)), Some(Some(to)), Some(id), Some(key)) = (
                parts.next(),
                parts.next(),
                id.get_untracked(),
                key.get_untracked(),
            ) {
                let q = ViewQuery {
                    range: None,
                    from: Some(from.to_string()),
                    to: Some(to.to_string()),
                    ..view_q.get_untracked()
                };
                navigate(&node_url(id, &key, &q), Default::default());
            }
        });
        on_cleanup(move || listener.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, key, view_q);
}

/// An unknown cluster or node: said plainly, answered as a 404.
#[component]
fn NodeMissing(e: ApiError, id: Memo<Option<i64>>, view_q: Memo<ViewQuery>) -> impl IntoView {
    let missing = e.kind == ApiErrorKind::NotFound;
    #[cfg(feature = "ssr")]
    if missing {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    let heading = if missing {
        tr!(nodes.not_found)
    } else {
        tr!(nodes.title)
    };
    let back = move || match id.get() {
        Some(id) => overview_url(id, &view_q.get()),
        None => "/clusters".to_string(),
    };
    view! {
        <div class="page-head"><h1>{heading}</h1></div>
        <div data-testid="node-missing"><ErrorNote message=e.message/></div>
        <p><a class="button" href=back>{tr!(nodes.back_to_overview)}</a></p>
    }
}

/// The word for a node's kind: "Backend (BE)".
fn kind_word(l: Locale, kind: &str) -> &'static str {
    match kind {
        "fe" => td_string!(l, nodes.kind_fe),
        "cn" => td_string!(l, nodes.kind_cn),
        _ => td_string!(l, nodes.kind_be),
    }
}

/// Why a chart of this node has nothing to draw when the node cannot report it.
fn not_reported(l: Locale, kind: &str, chart: &str) -> Option<String> {
    let text = match (kind, chart) {
        ("fe", "cpu") => td_string!(l, nodes.fe_no_cpu),
        ("fe", "disk") => td_string!(l, nodes.fe_no_disk),
        ("cn", "disk") => td_string!(l, nodes.cn_no_disk),
        _ => return None,
    };
    Some(text.to_string())
}

#[component]
fn NodeBody(v: NodeView, opts: Vec<ChartOption>, view_q: Memo<ViewQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let id = v.cluster_id;
    let name = v.node.as_ref().map_or_else(|| v.key.clone(), node::label);
    let kind = v.kind.clone();
    let head_kind = kind.clone();
    let (window, step_ms) = (v.window.clone(), v.step_ms);
    let step_text = {
        let daily = window.daily;
        crate::ui::said(move |l| {
            let template = if daily {
                ::leptos_i18n::td_string!(l, nodes.step_daily)
            } else {
                ::leptos_i18n::td_string!(l, nodes.step)
            };
            fill(template, &[("step", &i18n::fmt::duration(l, step_ms))])
        })
    };
    let l = i18n.get_locale_untracked();
    let charts = node::charts(&kind)
        .iter()
        .map(|def| {
            let option = opts
                .iter()
                .find(|c| c.key == def.key)
                .map(|c| c.option.clone());
            let note = not_reported(l, &kind, def.key);
            view! {
                <ChartPanel def trends=v.series.clone() window=window.clone() option note/>
            }
        })
        .collect_view();
    view! {
        <nav class="muted small crumbs" aria-label=tr!(nodes.title)>
            <a href="/clusters">{tr!(nodes.crumb_clusters)}</a>" / "
            <a href=move || overview_url(id, &view_q.get()) translate="no" data-testid="node-cluster">{v.cluster_name.clone()}</a>
        </nav>
        <div class="page-head">
            <div>
                <h1 translate="no" data-testid="node-title">{name}</h1>
                <p class="muted small">
                    {move || kind_word(i18n.get_locale(), &head_kind)} " "
                    {v.node.as_ref().map(|n| alive_pill(n.alive))}
                </p>
            </div>
        </div>
        {v.node.is_none().then(|| view! { <p class="alert warning" role="status">{tr!(nodes.not_listed)}</p> })}
        {v.node.clone().map(|n| view! { <NodeFacts n listed_at=v.listed_at zone_offset_ms=v.zone_offset_ms/> })}
        <NodeRange v=v.clone() view_q/>
        <section aria-labelledby="node-history-title" class="overview-section" data-testid="node-history">
            <h2 id="node-history-title">{tr!(nodes.history)} " " <span class="muted small">{step_text}</span></h2>
            <div class="charts">{charts}</div>
        </section>
    }
}

/// What the newest node list says about the node.
#[component]
fn NodeFacts(
    n: model::overview::NodeInfo,
    listed_at: Option<i64>,
    zone_offset_ms: i64,
) -> impl IntoView {
    let fe = n.kind == "fe";
    let address = node::address(&n).or_else(|| n.host.clone());
    let row =
        |dt: Signal<&'static str>, dd: AnyView| view! { <dt>{dt}</dt><dd translate="no">{dd}</dd> };
    let tablets = n.tablets.map(|t| model::format::count(Some(t)));
    view! {
        <dl class="facts" data-testid="node-facts">
            {row(if fe { tr!(nodes.fact_name) } else { tr!(nodes.fact_id) }, n.name.clone().into_any())}
            {address.map(|a| row(tr!(nodes.fact_address), a.into_any()))}
            {n.role.clone().map(|r| row(tr!(nodes.fact_role), r.into_any()))}
            {n.version.clone().map(|v| row(tr!(nodes.fact_version), v.into_any()))}
            <dt>{tr!(nodes.fact_heartbeat)}</dt><dd>{heartbeat(&n, zone_offset_ms)}</dd>
            {tablets.map(|t| row(tr!(nodes.fact_tablets), t.into_any()))}
            {n.error.clone().map(|e| row(tr!(nodes.fact_error), e.into_any()))}
            {listed_at.map(|ms| view! { <dt>{tr!(nodes.fact_listed)}</dt><dd><LocalTime ms/></dd> })}
        </dl>
    }
}

/// The presets as links on the node's page; a zoomed window shows its span.
#[component]
fn NodeRange(v: NodeView, view_q: Memo<ViewQuery>) -> impl IntoView {
    let (id, key) = (v.cluster_id, v.key.clone());
    let current = v.window.preset.clone();
    let presets = PRESETS
        .iter()
        .map(|(preset, _, _)| {
            let selected = current.as_deref() == Some(*preset);
            let key = key.clone();
            let href = move || {
                let q = ViewQuery {
                    range: Some(preset.to_string()),
                    from: None,
                    to: None,
                    ..view_q.get()
                };
                node_url(id, &key, &q)
            };
            view! {
                <a class="range-option" class:selected=selected translate="no"
                    aria-current=selected.then_some("true") href=href>{*preset}</a>
            }
        })
        .collect_view();
    let custom = current.is_none().then(|| {
        view! {
            <span class="range-custom" data-testid="custom-range">
                <LocalTime ms=v.window.from/> " – " <LocalTime ms=v.window.to/>
            </span>
        }
    });
    view! {
        <div class="range-bar">
            <nav class="range-options" aria-label=tr!(nodes.time_range)>
                {presets}
                {custom}
            </nav>
            <super::charts::ZoomBar window=v.window.clone() now=v.now/>
        </div>
    }
}
