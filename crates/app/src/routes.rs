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
