use super::ui::go_to;
use i18n::{t, t_string, use_i18n};
use leptos::prelude::*;
use leptos_router::components::Outlet;
use model::ApiError;
use model::UserInfo;

#[server(prefix = "/sfn", endpoint = "whoami")]
pub async fn whoami() -> Result<UserInfo, ApiError> {
    crate::ssr::context::user().await
}

#[server(prefix = "/sfn", endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    let session = crate::ssr::context::session().await?;
    registry::sessions::sign_out(&session).await?;
    Ok(())
}

/// The frame of every signed-in page: the top bar and the page below it.
#[component]
pub fn Layout() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| whoami());
    let sign_out = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            go_to("/login");
        }
    });
    view! {
        <header class="topbar">
            <a class="brand" href="/clusters" translate="no">"StarRocks Overview"</a>
            <nav aria-label=move || t_string!(i18n, pages.nav_main)>
                <a href="/clusters">{t!(i18n, pages.nav_clusters)}</a>
            </nav>
            <div class="spacer"></div>
            <Transition fallback=|| ()>
                {move || me.get().and_then(|r| r.ok()).map(|u| view! {
                    <span class="user" translate="no" title=move || t_string!(i18n, pages.signed_in_as)>{u.username}</span>
                })}
            </Transition>
            <super::language::LanguageSwitch account=true/>
            <a href="/api-docs">{t!(i18n, pages.api)}</a>
            <a href="/account/password">{t!(i18n, pages.password)}</a>
            <ActionForm action=sign_out attr:class="inline">
                <button type="submit" class="button subtle">{t!(i18n, pages.sign_out)}</button>
            </ActionForm>
        </header>
        <main class="page">
            <Outlet/>
        </main>
    }
}
