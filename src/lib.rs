//! starrocks-overview: a web console for StarRocks operators.
//!
//! `model` is compiled into both builds (server and wasm); `app` holds the Leptos
//! pages and the server functions beside them; `server` is everything that touches
//! the network, the database or secrets and exists only in the `ssr` build.

pub mod app;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
