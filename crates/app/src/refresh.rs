//! Periodic refetching shared by the pages that follow a live cluster.

use leptos::prelude::*;

/// Runs `on_tick` every `seconds()` seconds (0 stops it), following the
/// signals `seconds` reads; a page bumps a signal its resource reads there.
/// Only the browser runs it: effects do not run while the server renders.
pub fn every(seconds: impl Fn() -> u32 + 'static, on_tick: impl Fn() + Clone + 'static) {
    let handle = StoredValue::new(None::<IntervalHandle>);
    Effect::new(move |_| {
        let seconds = seconds();
        if let Some(h) = handle.get_value() {
            h.clear();
        }
        handle.set_value(None);
        if seconds > 0 {
            let h = set_interval_with_handle(
                on_tick.clone(),
                std::time::Duration::from_secs(u64::from(seconds)),
            )
            .ok();
            handle.set_value(h);
        }
    });
    on_cleanup(move || {
        if let Some(h) = handle.get_value() {
            h.clear();
        }
    });
}

/// Whether keyboard focus is inside the element matching `selector`: a page
/// that re-renders under the user's focus would throw them back to the top.
pub fn focus_within(selector: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
            .and_then(|e| e.closest(selector).ok().flatten())
            .is_some()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = selector;
        false
    }
}

/// Whether the page has an element matching `selector` now.
pub fn present(selector: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(selector).ok().flatten())
            .is_some()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = selector;
        false
    }
}
