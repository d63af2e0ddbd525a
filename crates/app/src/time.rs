//! Times in the browser's time zone and the reader's language. The server
//! cannot know that zone, so it renders UTC; once the page is hydrated the
//! text switches to local time.

use i18n::{t_string, use_i18n, Locale};
use leptos::prelude::*;
use model::format;

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    // public/assets/page.js, which every page loads.
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = srCharts, js_name = formatTime, catch)]
        pub fn format_time(ms: f64, lang: &str) -> Result<String, JsValue>;
        #[wasm_bindgen(js_namespace = srCharts, js_name = timeZone, catch)]
        pub fn time_zone() -> Result<String, JsValue>;
    }
}

/// `ms` in the browser's zone, or `None` on the server and without the script.
fn local_text(ms: i64, l: Locale) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        js::format_time(ms as f64, i18n::tag(l)).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ms, l);
        None
    }
}

/// The browser's time zone, e.g. `Europe/Berlin (CET)`.
pub fn local_zone() -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        js::time_zone().ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// A point in time: UTC from the server, local time after hydration, in the
/// page's language (and again after a switch).
#[component]
pub fn LocalTime(ms: i64) -> impl IntoView {
    let i18n = use_i18n();
    let utc = move || i18n::fmt::utc_time(i18n.get_locale(), ms);
    let text = RwSignal::new(i18n::fmt::utc_time(i18n.get_locale_untracked(), ms));
    Effect::new(move |_| {
        let l = i18n.get_locale();
        text.set(local_text(ms, l).unwrap_or_else(|| i18n::fmt::utc_time(l, ms)));
    });
    let iso = format::iso_utc(ms);
    view! { <time datetime=iso title=utc>{move || text.get()}</time> }
}

/// "5 min ago" / "5 分钟前", relative to `now`.
#[cfg(feature = "ssr")]
pub fn ago(l: Locale, now: i64, ms: i64) -> String {
    i18n::fmt::ago(l, now, ms)
}

/// Which zone the page's times are in, said once in the header: UTC as the
/// server renders, the browser's zone once hydrated.
#[component]
pub fn TimeZoneNote() -> impl IntoView {
    let i18n = use_i18n();
    let zone = RwSignal::new(None::<String>);
    Effect::new(move |_| zone.set(local_zone()));
    view! {
        <span class="muted small zone" data-testid="time-zone">
            // The zone's name (Asia/Shanghai) stays as the browser says it.
            {move || match zone.get() {
                Some(z) => {
                    let (before, after) = i18n::split_at(t_string!(i18n, overview.times_in), "zone");
                    view! { {before} <span translate="no">{z}</span> {after} }.into_any()
                }
                None => t_string!(i18n, overview.times_in_utc).into_any(),
            }}
        </span>
    }
}
