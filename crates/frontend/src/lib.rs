//! The browser build: the wasm module that hydrates the pages the server
//! rendered. Everything it shows is in the `app` crate.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy: the page being hydrated may first fetch its wasm chunk (see
    // the app's `routes`).
    leptos::mount::hydrate_lazy(app::App);
}
