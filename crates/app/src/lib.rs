//! The Leptos app: the pages, each module with its components and, beside
//! them, the server functions they call (thin: session, input, one service
//! call). Built twice: `ssr` for the server (with `ssr::` and the services
//! below it) and `hydrate` for the browser (the `frontend` crate).

/// A translated text (`tr!(ns.key)`) as one reactive type, `Signal<&'static
/// str>`, that follows the language switch. Every text shares that type's
/// render and hydration code; a closure per text (`move || t_string!(..)`,
/// or leptos_i18n's `t!`) instantiates it once per call site, which grew the
/// wasm by about 200 KB for the whole console.
macro_rules! tr {
    ($($key:ident).+) => {
        $crate::ui::text(|l| ::leptos_i18n::td_string!(l, $($key).+))
    };
}

mod account;
#[cfg(feature = "ssr")]
mod alerts_html;
mod alerts_page;
mod api_docs;
mod charts;
mod clusters;
mod collection;
mod fleet;
#[cfg(feature = "ssr")]
mod fleet_table;
mod language;
mod layout;
mod login;
mod node_page;
mod nodes;
mod not_found;
#[cfg(feature = "ssr")]
mod operations_html;
mod overview;
#[cfg(feature = "ssr")]
mod overview_html;
#[cfg(feature = "ssr")]
mod overview_parts;
#[cfg(feature = "ssr")]
mod queries_html;
mod queries_page;
mod refresh;
mod routes;
mod thresholds_page;
mod time;
mod ui;

#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub use ssr::AppState;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        // `lang` (and `dir`) come from the language provider in `App`.
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" type="image/svg+xml" href="/assets/favicon.svg"/>
                // Times in the browser's zone, and the door to the charts,
                // deferred so that it runs before the hydration module and
                // blocks nothing. It fetches charts.js, and that ECharts, on the
                // first chart a page draws: pages without charts fetch neither.
                <script defer src="/assets/page.js" data-charts="/assets/charts.js"
                    data-echarts="/assets/vendor/echarts/echarts.min.js"></script>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "ssr")]
    provide_context(routes::Preloaded::default());
    // Effects run only in the browser, after hydration: the marker tells tests
    // (and curious operators) that the page is interactive.
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
            // Milliseconds since navigation start: the hydration budget's measure.
            if let Some(ms) = window().performance().map(|p| p.now()) {
                let _ = root.set_attribute("data-hydrated-ms", &format!("{ms:.0}"));
            }
        }
    });
    view! {
        // The language the server decided for this request (see the server's
        // locale middleware, which hands it to the provider as the request's
        // Accept-Language): the page is rendered in it from the first byte,
        // and the browser hydrates in the same one (it reads `<html lang>`).
        <i18n::I18nContextProvider>
        <Stylesheet id="leptos" href="/pkg/starrocks-overview.css"/>
        <Title formatter=|text: String| {
            if text.is_empty() { "StarRocks Overview".to_string() } else { format!("{text} · StarRocks Overview") }
        }/>
        <Router>
            <Routes fallback=not_found::NotFound>
                <Route path=path!("/login") view={Lazy::<routes::Login>::new()}/>
                <ParentRoute path=path!("") view=layout::Layout>
                    <Route path=path!("") view=|| view! { <Redirect path="/clusters"/> }/>
                    <Route path=path!("clusters") view={Lazy::<routes::Fleet>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("clusters/new") view={Lazy::<routes::NewCluster>::new()}/>
                    <Route path=path!("clusters/:id") view=clusters::ClusterRedirect/>
                    <Route path=path!("clusters/:id/overview") view={Lazy::<routes::Overview>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("clusters/:id/nodes/:node") view={Lazy::<routes::Node>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("clusters/:id/edit") view={Lazy::<routes::EditCluster>::new()}/>
                    <Route path=path!("clusters/:id/thresholds") view={Lazy::<routes::ClusterThresholds>::new()}/>
                    <Route path=path!("thresholds") view={Lazy::<routes::ClusterThresholds>::new()}/>
                    <Route path=path!("clusters/:id/queries") view={Lazy::<routes::Queries>::new()}/>
                    <Route path=path!("alerts") view={Lazy::<routes::Alerts>::new()}/>
                    <Route path=path!("account/password") view={Lazy::<routes::ChangePassword>::new()}/>
                    <Route path=path!("api-docs") view={Lazy::<routes::ApiDocs>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
        </i18n::I18nContextProvider>
    }
}
