//! The browser build: the wasm module that hydrates the pages the server
//! rendered. Everything it shows is in the `app` crate.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
