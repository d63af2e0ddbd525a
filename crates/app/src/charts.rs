//! One chart of the overview: an inline SVG sparkline rendered with the page
//! (useful before hydration and without JavaScript), replaced by the ECharts
//! chart once the browser has drawn it.

use i18n::{td_string, use_i18n, Locale};
use leptos::prelude::*;
use model::chart::{series_label, ChartDef, Threshold};
use model::format;
use model::overview::{Series, Window};

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// public/assets/charts.js; false while ECharts is not loaded.
        #[wasm_bindgen(js_namespace = srCharts, js_name = render, catch)]
        pub fn render(
            el: &web_sys::Element,
            option: &str,
            series: &str,
            from: f64,
            to: f64,
            unit: &str,
        ) -> Result<bool, JsValue>;
    }
}

/// A value and its unit, or the language's word for a missing value.
pub fn value_text(l: Locale, v: Option<f64>, unit: &str) -> String {
    match v {
        None => td_string!(l, overview.no_value).into(),
        v => format::with_unit(v, unit),
    }
}

/// A series' name in `l`, as the chart's own legend says it; the server's
/// label for a series the charts do not know.
fn series_name(l: Locale, s: &Series) -> String {
    series_label(l, &s.key).map_or_else(|| s.label.clone(), String::from)
}

/// Sparkline geometry: a wide, flat box the SVG stretches to its container.
const W: f64 = 600.0;
const H: f64 = 120.0;
/// Points per sparkline: enough for the shape, small enough for the page.
const SPARK_POINTS: usize = 150;

/// Averages `values` down to at most `n` buckets; a bucket without a value stays a gap.
pub fn downsample(values: &[Option<f64>], n: usize) -> Vec<Option<f64>> {
    if values.len() <= n || n == 0 {
        return values.to_vec();
    }
    (0..n)
        .map(|b| {
            let lo = b * values.len() / n;
            let hi = ((b + 1) * values.len() / n).max(lo + 1);
            let (sum, count) = values[lo..hi]
                .iter()
                .flatten()
                .fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
            (count > 0).then(|| sum / count as f64)
        })
        .collect()
}

/// An SVG path through the values; a gap lifts the pen, a lone point is a dot.
pub fn path(values: &[Option<f64>], lo: f64, hi: f64) -> String {
    let n = values.len().max(2) - 1;
    let span = if hi > lo { hi - lo } else { 1.0 };
    let mut d = String::new();
    let mut pen_down = false;
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) if v.is_finite() => {
                let x = i as f64 * W / n as f64;
                let y = H - (v - lo) / span * H;
                d.push_str(&format!(
                    "{}{x:.1} {y:.1}",
                    if pen_down { 'L' } else { 'M' }
                ));
                let next_missing = !matches!(values.get(i + 1), Some(Some(_)));
                if !pen_down && next_missing {
                    // A point between two gaps: a short stroke so it shows.
                    d.push_str("h2");
                }
                pen_down = true;
            }
            _ => pen_down = false,
        }
    }
    d
}

/// The y range a sparkline shows: percent charts 0–100, others from 0 to the top value.
pub fn y_range(def: &ChartDef, series: &[&Series]) -> (f64, f64) {
    if def.percent {
        return (0.0, 100.0);
    }
    let top = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .chain(def.thresholds.iter().map(|t| &t.value))
        .fold(0.0f64, |a, b| a.max(*b));
    (0.0, if top > 0.0 { top * 1.1 } else { 1.0 })
}

/// The series as lines in one box from `lo` to `hi`, with dashed threshold lines.
#[component]
pub fn Sparkline(
    series: Vec<Series>,
    lo: f64,
    hi: f64,
    #[prop(optional)] thresholds: &'static [Threshold],
) -> impl IntoView {
    let lines = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let d = path(&downsample(&s.values, SPARK_POINTS), lo, hi);
            view! { <path class=format!("spark-line spark-{i}") d=d/> }
        })
        .collect_view();
    let thresholds = thresholds
        .iter()
        .filter(|t| t.value <= hi)
        .map(|t: &Threshold| {
            let y = format!("{:.1}", H - (t.value - lo) / (hi - lo) * H);
            view! { <line class=format!("spark-threshold {}", t.level) x1="0" x2=W.to_string() y1=y.clone() y2=y/> }
        })
        .collect_view();
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {W} {H}") preserveAspectRatio="none" aria-hidden="true">
            {thresholds}
            {lines}
        </svg>
    }
}

/// Latest value of each series, the legend of the server-rendered chart.
#[component]
fn Latest(def: &'static ChartDef, series: Vec<Series>, step_ms: i64) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="chart-latest">
            {series.into_iter().enumerate().map(|(i, s)| {
                let value = s.latest();
                let text = move || {
                    let l = i18n.get_locale();
                    value_text(l, value, &def.unit_text(l, Some(step_ms)))
                };
                view! {
                    <li>
                        <span class=format!("swatch spark-{i}")></span>
                        {move || series_name(i18n.get_locale(), &s)} ": " <strong data-latest=def.key>{text}</strong>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// A chart of `def`'s series over `window`. `option` is the ECharts option
/// from the server; `note` replaces the chart when it cannot show anything
/// (a shared-data cluster's disk).
#[component]
pub fn ChartPanel(
    def: &'static ChartDef,
    trends: Vec<Series>,
    window: Window,
    step_ms: i64,
    option: Option<String>,
    note: Option<String>,
) -> impl IntoView {
    let series: Vec<Series> = def
        .series
        .iter()
        .filter_map(|k| trends.iter().find(|s| s.key == *k).cloned())
        .collect();
    let i18n = use_i18n();
    let has_data = series.iter().any(|s| s.latest().is_some());
    let (lo, hi) = y_range(def, &series.iter().collect::<Vec<_>>());
    let drawn = RwSignal::new(false);
    let canvas = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        let data = serde_json::to_string(&series).unwrap_or_else(|_| "[]".into());
        let unit = def.unit_text(i18n.get_locale_untracked(), Some(step_ms));
        let (from, to) = (window.from as f64, window.to as f64);
        let show = note.is_none() && has_data;
        Effect::new(move |_| {
            let (Some(el), Some(option), true) = (canvas.get(), option.as_ref(), show) else {
                return;
            };
            if let Ok(true) = js::render(&el, option, &data, from, to, &unit) {
                drawn.set(true);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (option, &window);
    let body = match (&note, has_data) {
        (Some(note), _) => view! { <p class="chart-note">{note.clone()}</p> }.into_any(),
        (None, false) => view! {
            <p class="chart-note">{tr!(overview.no_chart_data)}</p>
        }
        .into_any(),
        (None, true) => view! {
            <div class="chart-canvas" node_ref=canvas></div>
            <div class="chart-fallback">
                <Sparkline series=series.clone() lo hi thresholds=def.thresholds/>
            </div>
        }
        .into_any(),
    };
    view! {
        <figure class="chart" class:drawn=move || drawn.get() data-chart=def.key>
            <figcaption>
                <h3>{move || def.title(i18n.get_locale())}</h3>
                <span class="muted small">{move || def.unit_text(i18n.get_locale(), Some(step_ms))}</span>
            </figcaption>
            <div class="chart-body">{body}</div>
            <Latest def series step_ms/>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downsampling_averages_and_keeps_gaps() {
        let v: Vec<Option<f64>> = vec![Some(1.0), Some(3.0), None, None, Some(5.0), None];
        assert_eq!(downsample(&v, 3), vec![Some(2.0), None, Some(5.0)]);
        assert_eq!(downsample(&v, 10), v);
    }

    #[test]
    fn a_gap_lifts_the_pen() {
        let d = path(
            &[Some(0.0), Some(1.0), None, Some(1.0), Some(0.0)],
            0.0,
            1.0,
        );
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert!(d.starts_with("M0.0 120.0L150.0 0.0M450.0"), "{d}");
        // A lone point between gaps still draws.
        let d = path(&[None, Some(1.0), None], 0.0, 1.0);
        assert!(d.contains("h2"), "{d}");
        assert_eq!(path(&[None, None], 0.0, 1.0), "");
    }
}
