//! One chart: an inline SVG sparkline rendered with the page (useful before
//! hydration and without JavaScript), replaced by the ECharts chart once the
//! browser has drawn it (public/assets/page.js finds the canvas and its data
//! attributes, fetches charts.js on the first chart, and charts.js ECharts), with an accessible name and a text summary; and
//! the bar that zooms every chart of a page, from the keyboard too.

use i18n::{fill, td_string, use_i18n, Locale};
use leptos::prelude::*;
use model::chart::{series_label, ChartDef, Threshold};
use model::format;
use model::overview::{Series, Window, DAY_MS, MINUTE_MS};

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

/// The y range a sparkline shows: the same as the ECharts chart's.
pub fn y_range(def: &ChartDef, series: &[&Series]) -> (f64, f64) {
    def.y_bounds(series.iter().flat_map(|s| s.values.iter().flatten()))
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

/// Latest value of each series: the chart's legend, under the plot.
#[component]
fn Latest(def: &'static ChartDef, series: Vec<Series>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="chart-latest">
            {series.into_iter().enumerate().map(|(i, s)| {
                let value = s.latest();
                let text = move || {
                    let l = i18n.get_locale();
                    value_text(l, value, def.unit_text(l))
                };
                // A name the cluster gave (a resource group) is kept as written.
                let named_by_cluster = series_label(i18n.get_locale_untracked(), &s.key).is_none();
                view! {
                    <li>
                        <span class=format!("swatch spark-{i}")></span>
                        <span translate=named_by_cluster.then_some("no")>{move || series_name(i18n.get_locale(), &s)}</span>
                        ": " <strong data-latest=def.key>{text}</strong>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The lowest and highest known value of a series.
fn min_max(s: &Series) -> (Option<f64>, Option<f64>) {
    s.values
        .iter()
        .flatten()
        .filter(|v| v.is_finite())
        .fold((None, None), |(lo, hi), v| {
            (
                Some(lo.map_or(*v, |lo: f64| lo.min(*v))),
                Some(hi.map_or(*v, |hi: f64| hi.max(*v))),
            )
        })
}

/// What a chart shows, in words for a screen reader: each series' latest,
/// lowest and highest value in the range.
pub fn summary(l: Locale, def: &ChartDef, series: &[Series]) -> String {
    let unit = def.unit_text(l);
    series
        .iter()
        .map(|s| {
            let (lo, hi) = min_max(s);
            fill(
                td_string!(l, charts.summary),
                &[
                    ("series", &series_name(l, s)),
                    ("latest", &value_text(l, s.latest(), unit)),
                    ("min", &value_text(l, lo, unit)),
                    ("max", &value_text(l, hi, unit)),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A chart of `def`'s series over `window`. `option` is the ECharts option
/// from the server; `note` replaces the chart when it cannot show anything
/// (a shared-data cluster's disk).
#[component]
pub fn ChartPanel(
    def: &'static ChartDef,
    trends: Vec<Series>,
    window: Window,
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
    // What public/assets/page.js hands to charts.js to draw this chart,
    // wherever the canvas comes from: the server's HTML, a fragment the page
    // inserted, or the browser's own render.
    let unit = def.unit_text(i18n.get_locale_untracked());
    let (option, data) = match (&note, has_data, option) {
        (None, true, Some(option)) => (
            Some(option),
            Some(serde_json::to_string(&series).unwrap_or_else(|_| "[]".into())),
        ),
        _ => (None, None),
    };
    let (from, to) = (window.from, window.to);
    let body = match (&note, has_data) {
        (Some(note), _) => view! { <p class="chart-note">{note.clone()}</p> }.into_any(),
        (None, false) => view! {
            <p class="chart-note">{tr!(overview.no_chart_data)}</p>
        }
        .into_any(),
        (None, true) => {
            let summary_id = format!("chart-{}-summary", def.key);
            let words = series.clone();
            view! {
                <div class="chart-canvas" role="img" data-option=option data-series=data
                    data-from=from data-to=to data-unit=unit
                    aria-label=move || def.title(i18n.get_locale()) aria-describedby=summary_id.clone()></div>
                <p class="sr-only" id=summary_id>{move || summary(i18n.get_locale(), def, &words)}</p>
                <div class="chart-fallback">
                    <Sparkline series=series.clone() lo hi thresholds=def.thresholds/>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <figure class="chart" data-chart=def.key>
            <figcaption>
                <h3>{move || def.title(i18n.get_locale())}</h3>
                <span class="muted small">{move || def.unit_text(i18n.get_locale())}</span>
            </figcaption>
            <div class="chart-body">{body}</div>
            <Latest def series/>
        </figure>
    }
    .into_any()
}

/// The shortest window "Zoom in" goes to.
const MIN_ZOOM_MS: i64 = 5 * MINUTE_MS;
/// The longest window "Zoom out" goes to: the longest preset.
const MAX_ZOOM_MS: i64 = 90 * DAY_MS;

/// Half the span: a window that ends now (a preset) keeps its end, where
/// the news is; a chosen one keeps its middle. `None` below five minutes.
pub fn zoomed_in(w: &Window) -> Option<(i64, i64)> {
    let half = w.span() / 2;
    if half < MIN_ZOOM_MS {
        return None;
    }
    Some(if w.preset.is_some() {
        (w.to - half, w.to)
    } else {
        let from = w.from + half / 2;
        (from, from + half)
    })
}

/// Twice the span around the same middle, not past now, at most 90 days.
/// `None` when the window is that long already.
pub fn zoomed_out(w: &Window, now: i64) -> Option<(i64, i64)> {
    if w.span() >= MAX_ZOOM_MS {
        return None;
    }
    let span = (w.span() * 2).min(MAX_ZOOM_MS);
    let to = (w.to + (span - w.span()) / 2).min(now.max(w.to));
    Some((to - span, to))
}

/// Zoom in, zoom out, and "select a range" (a box drawn on any chart; a
/// toggle, so that a finger's drag over a chart scrolls the page). The
/// buttons carry their target range; charts.js turns a click into the same
/// `chart-zoom` event a box sends, and the page puts the range in its URL.
#[component]
pub fn ZoomBar(window: Window, now: i64) -> impl IntoView {
    let range = |r: Option<(i64, i64)>| r.map(|(from, to)| format!("{from},{to}"));
    let zoom_in = range(zoomed_in(&window));
    let zoom_out = range(zoomed_out(&window, now));
    view! {
        <span class="zoom-bar" role="group" aria-label=tr!(charts.zoom_bar)>
            <button type="button" class="button small" data-zoom="in" disabled=zoom_in.is_none()
                data-range=zoom_in>{tr!(charts.zoom_in)}</button>
            <button type="button" class="button small" data-zoom="out" disabled=zoom_out.is_none()
                data-range=zoom_out>{tr!(charts.zoom_out)}</button>
            <button type="button" class="button small" data-zoom="box" aria-pressed="false">{tr!(charts.box_zoom)}</button>
            <span class="zoom-hint muted small" aria-live="polite">{tr!(charts.box_zoom_hint)}</span>
        </span>
    }
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

    fn series(key: &str, values: &[Option<f64>]) -> Series {
        Series {
            key: key.into(),
            label: key.into(),
            unit: String::new(),
            aggregate: "avg".into(),
            start: 0,
            step_ms: 30_000,
            values: values.to_vec(),
        }
    }

    #[test]
    fn the_error_rate_is_scaled_to_its_data_and_fullness_to_100() {
        let def = model::chart::chart_def("errors").expect("errors");
        let low = series("error_rate", &[Some(0.5), None, Some(0.2)]);
        // 0.5 % is not a flat line at the bottom of 0-100 %, nor is 0.02 % a wave.
        assert_eq!(y_range(def, &[&low]), (0.0, 1.0));
        let high = series("error_rate", &[Some(30.0)]);
        let (_, top) = y_range(def, &[&high]);
        assert!((33.0..34.0).contains(&top), "{top}");
        let disk = model::chart::chart_def("disk").expect("disk");
        assert_eq!(y_range(disk, &[&low]), (0.0, 100.0));
    }

    #[test]
    fn the_summary_says_latest_lowest_and_highest_in_both_languages() {
        let def = model::chart::chart_def("throughput").expect("chart");
        let qps = series("qps", &[Some(12.0), None, Some(3.5), Some(8.25)]);
        let empty = series("rps", &[None, None]);
        let en = summary(Locale::en, def, &[qps.clone(), empty]);
        assert_eq!(
            en,
            "Queries per second: latest 8.25 per s, lowest 3.50 per s, highest 12.0 per s in this range. \
             Requests per second: latest n/a, lowest n/a, highest n/a in this range."
        );
        let zh = summary(Locale::zh_CN, def, &[qps]);
        assert!(zh.starts_with("每秒查询数：最新 8.25 次/秒"), "{zh}");
    }

    #[test]
    fn zooming_halves_or_doubles_the_window() {
        let hour = 3_600_000;
        let now = 100 * hour;
        let live = Window {
            from: now - hour,
            to: now,
            preset: Some("1h".into()),
            daily: false,
        };
        // The last hour zooms into its latest half; a chosen window into its middle.
        assert_eq!(zoomed_in(&live), Some((now - hour / 2, now)));
        let chosen = Window {
            preset: None,
            ..live.clone()
        };
        assert_eq!(
            zoomed_in(&chosen),
            Some((now - 3 * hour / 4, now - hour / 4))
        );
        // Out: twice the span, never past now.
        assert_eq!(zoomed_out(&live, now), Some((now - 2 * hour, now)));
        let past = Window {
            from: now - 4 * hour,
            to: now - 3 * hour,
            preset: None,
            daily: false,
        };
        assert_eq!(
            zoomed_out(&past, now),
            Some((now - 4 * hour - hour / 2, now - 2 * hour - hour / 2))
        );
        // Limits: five minutes, ninety days.
        let short = Window {
            from: now - 9 * MINUTE_MS,
            ..live.clone()
        };
        assert_eq!(zoomed_in(&short), None);
        let long = Window {
            from: now - 90 * DAY_MS,
            ..live
        };
        assert_eq!(zoomed_out(&long, now), None);
    }
}
