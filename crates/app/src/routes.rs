//! Each page as a lazy route: with `cargo leptos build --split` its view code
//! becomes a wasm chunk of its own, fetched when the page is first shown, so
//! a page downloads the shared runtime and itself, not the whole console
//! (the fleet page never loads the overview's charts code). The pages load
//! their data in their own components, as before; on the first load the
//! server has already rendered it, so the chunk is all the browser waits for.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident => $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    };
}

lazy_page!(
    /// `/login`
    Login => super::login::LoginPage
);
lazy_page!(
    /// `/clusters`, the landing page.
    Fleet => super::fleet::FleetPage
);
lazy_page!(
    /// `/clusters/:id/overview`
    Overview => super::overview::OverviewPage
);
lazy_page!(
    /// `/clusters/:id/nodes/:node`, one node's own view.
    Node => super::node_page::NodePage
);
lazy_page!(
    /// `/clusters/new`
    NewCluster => super::clusters::NewClusterPage
);
lazy_page!(
    /// `/clusters/:id/thresholds` and `/thresholds` (every cluster's)
    ClusterThresholds => super::thresholds_page::ThresholdsPage
);
lazy_page!(
    /// `/clusters/:id/queries`
    Queries => super::queries_page::QueriesPage
);
lazy_page!(
    /// `/alerts`
    Alerts => super::alerts_page::AlertsPage
);
lazy_page!(
    /// `/clusters/:id/edit`
    EditCluster => super::clusters::EditClusterPage
);
lazy_page!(
    /// `/account/password`
    ChangePassword => super::account::ChangePasswordPage
);
lazy_page!(
    /// `/api-docs`
    ApiDocs => super::api_docs::ApiDocsPage
);

/// The pages whose chunks this response already asked for: an async route's
/// component can run more than once while the server renders it. Provided by
/// the app for each response.
#[cfg(feature = "ssr")]
#[derive(Clone, Default)]
pub struct Preloaded(std::sync::Arc<std::sync::Mutex<std::collections::HashSet<String>>>);

/// Asks the browser to fetch a page's wasm chunks (`page`, e.g. "overview", as
/// in the split manifest's `__overview_view_…`) with the main module instead of
/// after it. Leptos writes these links itself only for routes rendered in
/// order; for the `SsrMode::Async` pages (fleet, overview, node) it writes
/// none, and the chunks then wait for the main module. With the page's chunks
/// in one file (`scripts/bundle-chunks.mjs`) the link names that file and
/// public/assets/page.js answers the chunk fetches from it: one request
/// instead of thirty, which on a phone's network is about a second
/// (BENCHMARKS.md, "Dashboard craft (issue 14): what a page transfers").
/// Called from the page's component on the server; the links land in
/// `<head>` through the meta context.
#[cfg(feature = "ssr")]
pub fn preload_chunks(page: &str) {
    use leptos_meta::Link;
    let first = use_context::<Preloaded>().is_none_or(|p| {
        p.0.lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(page.to_string())
    });
    let Some(manifest) = use_context::<leptos::WasmSplitManifest>().filter(|_| first) else {
        return;
    };
    let Some(read) = manifest.0.try_read_value() else {
        return;
    };
    let (pkg, splits, split_js) = &*read;
    let prefix = format!("__{page}_view_");
    let Some((split, chunks)) = splits.iter().find(|(key, _)| key.starts_with(&prefix)) else {
        return;
    };
    // Leptos sometimes registers the page's chunks too (the lazy view does it
    // before the page's component runs, when it finds the response's
    // context): withdrawn, so the browser never fetches them twice.
    if let Some(prefetches) = use_context::<leptos::PrefetchLazyFn>() {
        if let Some(mut set) = prefetches.0.try_write_value() {
            set.retain(|key| !key.starts_with(&prefix));
        }
    }
    // Rendered for their effect: a meta component registers with the
    // response's head instead of returning HTML.
    let _ = view! { <Link rel="modulepreload" href=format!("{pkg}/{split_js}") crossorigin="anonymous"/> }
        .to_html();
    let bundle = format!("{split}.chunks.bin");
    let bundled = crate::ssr::context::state().is_ok_and(|s| {
        let o = &s.leptos_options;
        std::path::Path::new(o.site_root.as_ref())
            .join(o.site_pkg_dir.as_ref())
            .join(&bundle)
            .is_file()
    });
    if bundled {
        let _ = view! {
            <Link rel="preload" href=format!("{pkg}/{bundle}") as_="fetch"
                crossorigin="anonymous" attr:data-chunks=chunks.join(" ")/>
        }
        .to_html();
        return;
    }
    for chunk in chunks {
        let _ = view! {
            <Link rel="preload" href=format!("{pkg}/{chunk}.wasm") as_="fetch"
                type_="application/wasm" crossorigin="anonymous"/>
        }
        .to_html();
    }
}
