use i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=move || t_string!(i18n, pages.not_found_title)/>
        <main class="centered">
            <div class="card narrow">
                <h1>{t!(i18n, pages.not_found_heading)}</h1>
                <p>{t!(i18n, pages.not_found_text)}</p>
                <p><a class="button" href="/clusters">{t!(i18n, pages.not_found_back)}</a></p>
            </div>
        </main>
    }
}
