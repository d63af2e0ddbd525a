//! The overview's figures, rendered by the server as HTML: the state banner,
//! then the collection's status, the alerts, the health cards, the key
//! figures, the charts, the nodes, the data statistics and the capacity.
//! The browser inserts the HTML as it comes (app::overview), so its wasm
//! carries none of this: public/assets/page.js writes the times in the
//! browser's zone and draws the charts from their canvases' attributes, and
//! charts.js answers the zoom buttons.

use super::charts::{ChartPanel, ZoomBar};
use super::nodes::NodeTables;
use super::operations_html::OperationsSection;
use super::overview::{window_text, OverviewView, ViewQuery};
use super::overview_parts::{
    AlertList, CapacityPanel, DataStatisticsPanel, HealthCards, KpiList, SilenceNote, StateBanner,
    StatusBanner,
};
use super::ui::health_word;
use i18n::{fill, t_string, td_string, use_i18n, Locale};
use leptos::prelude::*;
use model::chart::{ChartDef, ChartOption, CHARTS};
use model::overview::{ForecastState, Health, Overview, Series, Window};

/// The overview `o` in `l`, for the view `view_q` (the node links keep it).
pub fn render(l: Locale, o: Overview, opts: &[ChartOption], view_q: &ViewQuery) -> OverviewView {
    // The components read the language from the context a page has; this
    // render has its own owner, so the context lives as long as the render.
    let owner = Owner::current().map_or_else(Owner::new, |o| o.child());
    let (banner, body) = owner.with(|| {
        provide_context(leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(
            Signal::stored(l),
        )));
        let banner = view! {
            <StateBanner o=o.clone()/>
            <SilenceNote silences=o.silences.clone()/>
        }
        .to_html();
        let body =
            view! { <OverviewFigures o=o.clone() opts=opts.to_vec() view_q=view_q.clone()/> }
                .to_html();
        (banner, body)
    });
    owner.cleanup();
    OverviewView {
        cluster_id: o.cluster_id,
        cluster_name: o.cluster_name,
        window: o.window,
        step_ms: o.step_ms,
        now: o.now,
        banner,
        body,
    }
}

/// Everything under the range bar, in the order an operator woken at night
/// needs: whether the data is current, every open alert, the health cards,
/// then the figures.
#[component]
fn OverviewFigures(o: Overview, opts: Vec<ChartOption>, view_q: ViewQuery) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let ops_opts = opts.clone();
    let stale = o
        .latest
        .as_ref()
        .is_some_and(|s| s.status == model::snapshot::CollectStatus::Failed);
    let disk_note = (o.capacity.state == ForecastState::NotReported)
        .then(|| td_string!(l, overview.shared_data_disk).to_string());
    let against = fill(
        td_string!(l, overview.against_before),
        &[("window", &window_text(l, &o.window))],
    );
    view! {
        <StatusBanner o=o.clone()/>
        <div class="overview" class:stale=stale data-testid="overview">
            <AlertList alerts=o.alerts.clone() resolved=o.recently_resolved.clone()/>
            <HealthSection health=o.health.clone() custom=o.custom_thresholds.clone() id=o.cluster_id/>
            <section aria-labelledby="kpi-title" class="overview-section">
                <h2 id="kpi-title">{tr!(overview.key_figures)} " " <span class="muted small">{against}</span></h2>
                <KpiList kpis=o.kpis.clone()/>
            </section>
            <TrendsSection trends=o.trends.clone() window=o.window.clone() now=o.now opts disk_note/>
            <OperationsSection ops=o.operations.clone() opts=ops_opts/>
            <NodeTables nodes=o.nodes.clone() id=o.cluster_id view_q/>
            <DataStatisticsPanel stats=o.data_statistics.clone()/>
            <CapacityPanel capacity=o.capacity.clone()/>
        </div>
    }
}

/// The health status, its score, and a card per rule.
#[component]
fn HealthSection(health: Health, custom: Vec<String>, id: i64) -> impl IntoView {
    let i18n = use_i18n();
    // Said when a rule does not use StarRocks' figures: a card that stays
    // green may be green by choice.
    let custom = (!custom.is_empty()).then(|| {
        let l = i18n.get_locale_untracked();
        // The rules by their cards' titles, in the reader's language.
        let rules = custom
            .iter()
            .map(|k| {
                health
                    .cards
                    .iter()
                    .find(|c| &c.key == k)
                    .map_or_else(|| k.clone(), |c| c.title.clone())
            })
            .collect::<Vec<_>>()
            .join(td_string!(l, overview.list_sep));
        view! {
            <p class="muted small" data-testid="custom-thresholds">
                {fill(td_string!(l, overview.custom_thresholds), &[("rules", &rules)])}
            </p>
        }
    });
    let (status, score) = (health.status, health.score);
    view! {
        <section aria-labelledby="health-title" class="overview-section">
            <h2 id="health-title">
                {tr!(overview.health)} " "
                <span class=format!("pill health-{}", status.as_str()) data-testid="health-status">
                    {move || health_word(i18n.get_locale(), status)}
                </span>
                <span class="muted small">
                    {move || format!(" {}", fill(t_string!(i18n, overview.score), &[("score", &score)]))}
                </span>
            </h2>
            {custom}
            <p class="small"><a href=format!("/clusters/{id}/thresholds") data-testid="thresholds-link">{tr!(pages.th_link)}</a>
                " · " <a href=format!("/clusters/{id}/queries") data-testid="queries-link">{tr!(pages.q_link)}</a></p>
            <HealthCards cards=health.cards/>
        </section>
    }
}

/// A chart panel per definition of `defs`, each with its ECharts option from
/// `opts` and the note `note` gives it (shown instead of the chart).
pub fn chart_panels(
    defs: &'static [ChartDef],
    trends: &[Series],
    window: &Window,
    opts: &[ChartOption],
    note: impl Fn(&ChartDef) -> Option<String>,
) -> impl IntoView {
    defs.iter()
        .map(|def| {
            let option = opts
                .iter()
                .find(|c| c.key == def.key)
                .map(|c| c.option.clone());
            let note = note(def);
            view! {
                <ChartPanel def trends=trends.to_vec() window=window.clone() option note/>
            }
        })
        .collect_view()
}

/// A chart per definition in `CHARTS`, each with its ECharts option.
#[component]
fn TrendsSection(
    trends: Vec<Series>,
    window: Window,
    /// "Zoom out" stops at now.
    now: i64,
    opts: Vec<ChartOption>,
    /// Said under the disk chart when the cluster reports no disk use.
    disk_note: Option<String>,
) -> impl IntoView {
    let charts = chart_panels(CHARTS, &trends, &window, &opts, |def| {
        (def.key == "disk").then(|| disk_note.clone()).flatten()
    });
    view! {
        <section aria-labelledby="trends-title" class="overview-section">
            <div class="charts-head">
                <h2 id="trends-title">{tr!(overview.trends)}</h2>
                <ZoomBar window now/>
            </div>
            <div class="charts">{charts}</div>
        </section>
    }
}
