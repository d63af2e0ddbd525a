//! Times in the browser's time zone. The server cannot know that zone, so it
//! renders UTC; once the page is hydrated the text switches to local time with
//! the zone's name.

use leptos::prelude::*;
use model::format;

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = srCharts, js_name = formatTime, catch)]
        pub fn format_time(ms: f64) -> Result<String, JsValue>;
        #[wasm_bindgen(js_namespace = srCharts, js_name = timeZone, catch)]
        pub fn time_zone() -> Result<String, JsValue>;
    }
}

pub use model::format::utc_text;

/// `ms` in the browser's zone, or `None` on the server and without the script.
fn local_text(ms: i64) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        js::format_time(ms as f64).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ms;
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

/// A point in time: UTC from the server, local time after hydration.
#[component]
pub fn LocalTime(ms: i64) -> impl IntoView {
    let text = RwSignal::new(utc_text(ms));
    Effect::new(move |_| {
        if let Some(local) = local_text(ms) {
            text.set(local);
        }
    });
    let iso = format::iso_utc(ms);
    view! { <time datetime=iso title=utc_text(ms)>{move || text.get()}</time> }
}

/// "5 min ago", relative to `now`.
pub fn ago(now: i64, ms: i64) -> String {
    format!("{} ago", format::duration(now - ms))
}
