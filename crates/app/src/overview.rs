//! A cluster's overview page: the range, refresh period and zoom live in the
//! URL, the server renders the page for it, and the browser refetches through
//! a server function when any of them changes.

use super::collection::{CollectNow, CollectorStatusLine};
use super::refresh;
use super::ui::ErrorNote;
use i18n::{fill, t_string, td_string, use_i18n, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use model::overview::{Window, PRESETS};
use model::{ApiError, ApiErrorKind};
use serde::{Deserialize, Serialize};

/// Everything the overview shows for the range in the URL (`range`, or `from`/`to`).
#[cfg(feature = "ssr")]
async fn get_overview(
    id: i64,
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
) -> Result<model::overview::Overview, ApiError> {
    use crate::ssr::context::{state, user};
    use model::overview::parse_window;
    use registry::AppError;
    use store::now_ms;
    user().await?;
    let now = now_ms();
    let window = parse_window(range.as_deref(), from.as_deref(), to.as_deref(), now)
        .map_err(AppError::BadRequest)?;
    Ok(state()?.overview.overview(id, &window, now).await?)
}

/// The overview as the page shows it: what its head and range bar need, and
/// the rest as HTML the server rendered (app::overview_html), which the
/// browser inserts as it comes. The wasm carries neither the figures' types
/// nor their views.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverviewView {
    pub cluster_id: i64,
    pub cluster_name: String,
    pub window: Window,
    pub step_ms: i64,
    pub now: i64,
    /// The state banner: the worst open alert and what to do.
    pub banner: String,
    /// Everything under the range bar.
    pub body: String,
}

/// The overview for the URL's view in the language `lang` (a tag, `zh-CN`).
#[server(prefix = "/sfn", endpoint = "get_overview_view")]
pub async fn get_overview_view(
    id: i64,
    lang: String,
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
    refresh: Option<String>,
) -> Result<OverviewView, ApiError> {
    let view_q = ViewQuery {
        range: range.clone(),
        from: from.clone(),
        to: to.clone(),
        refresh,
    };
    let o = get_overview(id, range, from, to).await?;
    let l = i18n::from_tag(&lang).unwrap_or_else(i18n::current);
    let opts = chart_options_in(l);
    Ok(crate::overview_html::render(l, o, &opts, &view_q))
}

/// The ECharts options of every chart in `l`; they never change while the
/// server runs.
#[cfg(feature = "ssr")]
fn chart_options_in(l: Locale) -> Vec<model::chart::ChartOption> {
    crate::ssr::chart_options::options(l).to_vec()
}

/// Auto-refresh periods: the URL value, seconds (0: off). The label is the
/// period in the reader's units.
pub const REFRESH: &[(&str, u32)] = &[
    ("off", 0),
    ("15s", 15),
    ("30s", 30),
    ("1m", 60),
    ("5m", 300),
];

/// The overview follows a live cluster like the fleet page: every 30 s unless
/// the URL says otherwise (`refresh=off` stops it); the default stays out of
/// the URL.
pub const DEFAULT_REFRESH: &str = "30s";

/// A refresh period's label: "Off", "15 s", "1 min".
fn refresh_label(l: Locale, seconds: u32) -> String {
    if seconds == 0 {
        td_string!(l, overview.refresh_off).to_string()
    } else {
        i18n::fmt::duration(l, i64::from(seconds) * 1000)
    }
}

/// The view a URL describes: a preset range or a from/to, and a refresh period.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewQuery {
    pub range: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub refresh: Option<String>,
}

impl ViewQuery {
    pub fn from_query(q: &ParamsMap) -> Self {
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        ViewQuery {
            range: get("range"),
            from: get("from"),
            to: get("to"),
            refresh: get("refresh").filter(|r| r != DEFAULT_REFRESH),
        }
    }

    /// The URL's period: none means the default, an unknown one means off.
    pub fn refresh_key(&self) -> &str {
        self.refresh.as_deref().unwrap_or(DEFAULT_REFRESH)
    }

    pub fn refresh_seconds(&self) -> u32 {
        let key = self.refresh_key();
        REFRESH
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, s)| *s)
    }

    fn custom(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// The query string of this view, without the leading `?`.
    pub fn to_query(&self) -> String {
        let enc = |v: &str| model::navigation::encode_component(v);
        let mut parts = Vec::new();
        if self.custom() {
            if let Some(f) = &self.from {
                parts.push(format!("from={}", enc(f)));
            }
            if let Some(t) = &self.to {
                parts.push(format!("to={}", enc(t)));
            }
        } else if let Some(r) = &self.range {
            parts.push(format!("range={}", enc(r)));
        }
        if let Some(r) = &self.refresh {
            parts.push(format!("refresh={}", enc(r)));
        }
        parts.join("&")
    }

    fn with_range(&self, range: &str) -> Self {
        ViewQuery {
            range: Some(range.to_string()),
            from: None,
            to: None,
            refresh: self.refresh.clone(),
        }
    }

    fn with_window(&self, from: i64, to: i64) -> Self {
        ViewQuery {
            range: None,
            from: Some(from.to_string()),
            to: Some(to.to_string()),
            refresh: self.refresh.clone(),
        }
    }

    fn with_refresh(&self, refresh: &str) -> Self {
        ViewQuery {
            refresh: (refresh != DEFAULT_REFRESH).then(|| refresh.to_string()),
            ..self.clone()
        }
    }
}

pub fn overview_url(id: i64, q: &ViewQuery) -> String {
    let query = q.to_query();
    if query.is_empty() {
        format!("/clusters/{id}/overview")
    } else {
        format!("/clusters/{id}/overview?{query}")
    }
}

/// Twice the span around the same middle, not past now.
fn zoomed_out(w: &Window, now: i64) -> (i64, i64) {
    let span = w.span() * 2;
    let to = (w.to + w.span() / 2).min(now);
    (to - span, to)
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::routes::preload_chunks("overview");
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let view_q = Memo::new(move |_| ViewQuery::from_query(&query.read()));
    let collect = ServerAction::<CollectNow>::new();
    let tick = RwSignal::new(0u64);
    // What the page asks for; the overview shown is for `shown`. "Updating…"
    // is the difference, not the Transition's pending state, which stayed up
    // after some loads until the next click.
    let wanted = Memo::new(move |_| {
        let v = view_q.get();
        (
            // What the server words (health, figures) follows the language.
            i18n.get_locale(),
            id.get(),
            v.range,
            v.from,
            v.to,
            tick.get(),
            collect.version().get(),
        )
    });
    let shown = RwSignal::new(None);
    let pending = Signal::derive(move || shown.with(|s| s.as_ref() != Some(&wanted.get())));
    let overview = Resource::new(
        move || wanted.get(),
        move |(l, id, range, from, to, _, _)| async move {
            // The node links carry the refresh period the URL has now.
            let refresh = view_q.get_untracked().refresh;
            match id {
                Some(id) => {
                    get_overview_view(id, i18n::tag(l).to_string(), range, from, to, refresh).await
                }
                None => Err(ApiError::new(
                    ApiErrorKind::BadRequest,
                    td_string!(l, overview.not_a_cluster_id),
                )),
            }
        },
    );
    refresh::every(
        move || view_q.with(|v| v.refresh_seconds()),
        move || {
            // Not while the keyboard is on a health card (a re-render would
            // close the card's reason being read), nor while "Select a range"
            // is on (a re-render would drop the box being dragged).
            if !refresh::focus_within(".health-cards") && !refresh::present(".chart-box-zoom") {
                tick.update(|t| *t += 1);
            }
        },
    );
    follow_zoom(id, view_q);
    view! {
        <Transition fallback=move || view! { <p class="muted">{tr!(overview.loading)}</p> }>
            {move || Suspend::new(async move {
                let answer = overview.await;
                // Awaiting waits for the newest request, so this is what is shown.
                shown.set(Some(wanted.get_untracked()));
                match answer {
                    Err(e) if e.kind == ApiErrorKind::NotFound => {
                        view! { <crate::not_found::NotFoundCard/> }.into_any()
                    }
                    Err(e) => view! {
                        <Title text=tr!(overview.title)/>
                        <div class="page-head"><h1>{tr!(overview.title)}</h1></div>
                        <ErrorNote message=e.message/>
                        <p><a href="/clusters">{tr!(overview.back_to_clusters)}</a></p>
                    }.into_any(),
                    Ok(v) => view! { <OverviewBody v view_q collect pending/> }.into_any(),
                }
            })}
        </Transition>
        <CollectorStatusLine/>
    }
}

/// A box zoom on any chart (public/assets/charts.js) becomes a from/to in the URL.
fn follow_zoom(id: Memo<Option<i64>>, view_q: Memo<ViewQuery>) {
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
            if let (Some(Some(from)), Some(Some(to)), Some(id)) =
                (parts.next(), parts.next(), id.get_untracked())
            {
                let q = view_q.get_untracked().with_window(from, to);
                navigate(&overview_url(id, &q), Default::default());
            }
        });
        on_cleanup(move || listener.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, view_q);
}

#[component]
fn RangeBar(id: i64, window: Window, now: i64, view_q: Memo<ViewQuery>) -> impl IntoView {
    let i18n = use_i18n();
    let current = window.preset.clone();
    let presets = PRESETS
        .iter()
        .map(|(name, _, _)| {
            let selected = current.as_deref() == Some(*name);
            view! {
                <a class="range-option" class:selected=selected translate="no"
                    aria-current=selected.then_some("true")
                    href=move || overview_url(id, &view_q.get().with_range(name))>{*name}</a>
            }
        })
        .collect_view();
    let custom = current.is_none().then(|| {
        let (from, to) = zoomed_out(&window, now);
        view! {
            <span class="range-custom" data-testid="custom-range">
                <super::time::LocalTime ms=window.from/> " – " <super::time::LocalTime ms=window.to/>
            </span>
            <a class="button small" href=move || overview_url(id, &view_q.get().with_window(from, to))>{tr!(overview.zoom_out)}</a>
        }
    });
    let navigate = leptos_router::hooks::use_navigate();
    let on_refresh = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        navigate(
            &overview_url(id, &view_q.get_untracked().with_refresh(&value)),
            Default::default(),
        );
    };
    // The refresh period is not part of the data: back and forward change it
    // without a new overview, so the control follows the URL itself.
    let refresh = move || view_q.with(|v| v.refresh_key().to_string());
    view! {
        <div class="range-bar">
            <nav class="range-options" aria-label=tr!(overview.time_range)>
                {presets}
                {custom}
            </nav>
            <div class="refresh">
                <label for="refresh">{tr!(overview.auto_refresh)}</label>
                <select id="refresh" on:change=on_refresh prop:value=refresh>
                    {REFRESH.iter().map(|(k, seconds)| view! {
                        <option value=*k selected=move || refresh() == *k>
                            {move || refresh_label(i18n.get_locale(), *seconds)}
                        </option>
                    }).collect_view()}
                </select>
            </div>
        </div>
    }
}

#[component]
fn OverviewBody(
    v: OverviewView,
    view_q: Memo<ViewQuery>,
    collect: ServerAction<CollectNow>,
    pending: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let window = v.window.clone();
    let window_text = Signal::derive(move || window_text(i18n.get_locale(), &window));
    let (window, step_ms) = (v.window.clone(), v.step_ms);
    let step_text = Signal::derive(move || step_text(i18n.get_locale(), step_ms, &window));
    let name = v.cluster_name.clone();
    let title = crate::ui::said(move |l| {
        fill(
            ::leptos_i18n::td_string!(l, overview.page_title),
            &[("name", &name)],
        )
    });
    view! {
        <Title text=title/>
        <OverviewHead id=v.cluster_id name=v.cluster_name.clone() window_text step_text collect pending/>
        {move || collect.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote message=e.message/> })}
        // What is wrong and what to do first, then the view's controls, then
        // the figures (app::overview_html has their order).
        <div class="fragment" data-local-times="" inner_html=v.banner></div>
        <RangeBar id=v.cluster_id window=v.window.clone() now=v.now view_q/>
        <div class="fragment" data-local-times="" inner_html=v.body></div>
    }
    .into_any()
}

/// "last 24h", or "custom range of 2 h" for a from/to. English names a
/// preset as its button does; Chinese writes its span in words.
pub fn window_text(l: Locale, w: &Window) -> String {
    match &w.preset {
        Some(p) => {
            let range = match l {
                Locale::en => p.clone(),
                _ => i18n::fmt::duration(l, w.span()),
            };
            fill(td_string!(l, overview.window_last), &[("range", &range)])
        }
        None => fill(
            td_string!(l, overview.window_custom),
            &[("duration", &i18n::fmt::duration(l, w.span()))],
        ),
    }
}

/// "one point per 1 min", and whether the points are daily rollups.
fn step_text(l: Locale, step_ms: i64, w: &Window) -> String {
    let template = if w.daily {
        td_string!(l, overview.step_daily)
    } else {
        td_string!(l, overview.step)
    };
    fill(template, &[("step", &i18n::fmt::duration(l, step_ms))])
}

/// The cluster's name, what the page shows, and "Collect now".
#[component]
fn OverviewHead(
    id: i64,
    name: String,
    window_text: Signal<String>,
    step_text: Signal<String>,
    collect: ServerAction<CollectNow>,
    pending: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page-head overview-head">
            <div>
                <h1 translate="no">{name}</h1>
                <p class="muted small">
                    {move || fill(
                        t_string!(i18n, overview.head_line),
                        &[("window", &window_text.get()), ("step", &step_text.get())],
                    )}
                    <a href=format!("/clusters/{id}/edit")>{tr!(overview.edit_cluster)}</a>
                </p>
            </div>
            <div class="head-actions">
                // The same nodes whatever `pending` is: the server may render
                // while the transition still counts as pending and the browser
                // hydrates after it settled, and a text node where hydration
                // expects none is a fatal hydration error (seen in CI).
                <span class="muted small" aria-live="polite">
                    <span hidden=move || !pending.get()>{tr!(overview.updating)}</span>
                </span>
                <ActionForm action=collect attr:class="inline">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button" disabled=move || collect.pending().get()
                        title=tr!(overview.collect_title)>
                        {move || if collect.pending().get() {
                            t_string!(i18n, overview.collecting)
                        } else {
                            t_string!(i18n, overview.collect_now)
                        }}
                    </button>
                </ActionForm>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&'static str, &str)]) -> ParamsMap {
        let mut q = ParamsMap::new();
        for (k, v) in pairs {
            q.insert(*k, v.to_string());
        }
        q
    }

    #[test]
    fn a_view_survives_the_round_trip_through_its_url() {
        let v = ViewQuery::from_query(&query(&[("range", "3d"), ("refresh", "15s")]));
        assert_eq!(v.to_query(), "range=3d&refresh=15s");
        assert_eq!(v.refresh_seconds(), 15);
        let z = v.with_window(1000, 2000);
        assert_eq!(z.to_query(), "from=1000&to=2000&refresh=15s");
        assert_eq!(z.with_range("1h").to_query(), "range=1h&refresh=15s");
        assert_eq!(v.with_refresh("off").to_query(), "range=3d&refresh=off");
        assert_eq!(v.with_refresh("30s").to_query(), "range=3d");
        assert_eq!(
            overview_url(7, &ViewQuery::default()),
            "/clusters/7/overview"
        );
    }

    #[test]
    fn refresh_is_30_s_unless_the_url_says_otherwise() {
        assert_eq!(ViewQuery::default().refresh_seconds(), 30);
        let v = ViewQuery::from_query(&query(&[("refresh", "30s")]));
        assert_eq!((v.refresh_seconds(), v.to_query().as_str()), (30, ""));
        let v = ViewQuery::from_query(&query(&[("refresh", "off")]));
        assert_eq!(
            (v.refresh_seconds(), v.to_query().as_str()),
            (0, "refresh=off")
        );
        let v = ViewQuery::from_query(&query(&[("refresh", "2s")]));
        assert_eq!(v.refresh_seconds(), 0);
    }

    #[test]
    fn window_step_and_refresh_texts_in_both_languages() {
        let day = 24 * 3_600_000;
        let mut w = Window {
            from: 0,
            to: day,
            preset: Some("24h".into()),
            daily: false,
        };
        assert_eq!(window_text(Locale::en, &w), "last 24h");
        assert_eq!(window_text(Locale::zh_CN, &w), "最近 1 天");
        assert_eq!(step_text(Locale::en, 60_000, &w), "one point per 1 min");
        assert_eq!(step_text(Locale::zh_CN, 60_000, &w), "每 1 分钟一个数据点");
        w.preset = None;
        w.daily = true;
        assert_eq!(window_text(Locale::en, &w), "custom range of 1 d");
        assert_eq!(
            step_text(Locale::en, day, &w),
            "one point per 1 d (daily rollups)"
        );
        let labels: Vec<String> = REFRESH
            .iter()
            .map(|(_, s)| refresh_label(Locale::en, *s))
            .collect();
        assert_eq!(labels, ["Off", "15 s", "30 s", "1 min", "5 min"]);
        assert_eq!(refresh_label(Locale::zh_CN, 0), "关闭");
    }

    #[test]
    fn zooming_out_doubles_the_span_and_stops_at_now() {
        let w = Window {
            from: 1000,
            to: 2000,
            preset: None,
            daily: false,
        };
        assert_eq!(zoomed_out(&w, 10_000), (500, 2500));
        assert_eq!(zoomed_out(&w, 2100), (100, 2100));
    }
}
