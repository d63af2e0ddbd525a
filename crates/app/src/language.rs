//! The language switch: in the header, and on the sign-in page. The page
//! changes in place (no reload, the URL with its view stays), and the choice
//! is kept with the account and in the `lang` cookie.

use i18n::{native_name, tag, use_i18n, Locale, LOCALES};
use leptos::prelude::*;
use model::ApiError;

/// Stores the signed-in user's language.
#[server(prefix = "/sfn", endpoint = "set_language")]
pub async fn set_language(locale: String) -> Result<(), ApiError> {
    use crate::ssr::context::{state, user};
    let me = user().await?;
    state()?.users.set_locale(me.id, &locale).await?;
    Ok(())
}

/// Keeps the choice in this browser's `lang` cookie (for the sign-in page,
/// and for whoever is not signed in).
fn remember(l: Locale) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(doc) = document().dyn_ref::<web_sys::HtmlDocument>() {
            let _ = doc.set_cookie(&i18n::cookie_value(l));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = l;
}

/// Buttons for each language; the current one is pressed. With `account`,
/// the choice is stored with the signed-in user before the page changes, so
/// what the page fetches next is already rendered in the new language.
#[component]
pub fn LanguageSwitch(#[prop(optional)] account: bool) -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |l: Locale| {
        if i18n.get_locale_untracked() == l {
            return;
        }
        remember(l);
        if account {
            leptos::task::spawn_local(async move {
                // A failure to store it still switches this page; the cookie keeps it.
                let _ = set_language(tag(l).to_string()).await;
                i18n.set_locale(l);
            });
        } else {
            i18n.set_locale(l);
        }
    };
    let buttons = LOCALES
        .into_iter()
        .map(|l| {
            view! {
                <button type="button" class="lang" lang=tag(l) translate="no"
                    aria-pressed=move || (i18n.get_locale() == l).to_string()
                    on:click=move |_| choose(l)>
                    {native_name(l)}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="lang-switch" role="group" aria-label=tr!(common.language)
            data-testid="language-switch">
            {buttons}
        </div>
    }
}
