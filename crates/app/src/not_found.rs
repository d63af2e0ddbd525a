use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=tr!(pages.not_found_title)/>
        <main class="centered">
            <div class="card narrow">
                <h1>{tr!(pages.not_found_heading)}</h1>
                <p>{tr!(pages.not_found_text)}</p>
                <p><a class="button" href="/clusters">{tr!(pages.not_found_back)}</a></p>
            </div>
        </main>
    }
}
