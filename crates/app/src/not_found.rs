use leptos::prelude::*;
use leptos_meta::Title;

/// The page for an address no route knows.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="centered">
            <NotFoundCard/>
        </main>
    }
}

/// "Page not found" with a way back, answered as a 404: also what a page
/// shows, inside the signed-in frame, for a thing that does not exist (an
/// unknown cluster's overview).
#[component]
pub fn NotFoundCard() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=tr!(pages.not_found_title)/>
        <div class="card narrow">
            <h1>{tr!(pages.not_found_heading)}</h1>
            <p>{tr!(pages.not_found_text)}</p>
            <p><a class="button" href="/clusters">{tr!(pages.not_found_back)}</a></p>
        </div>
    }
}
