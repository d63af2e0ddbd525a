use super::ui::go_to;
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
            <nav aria-label=tr!(pages.nav_main)>
                <a href="/clusters">{tr!(pages.nav_clusters)}</a>
                <a href="/alerts">{tr!(alerts.title)}</a>
            </nav>
            <div class="spacer"></div>
            <super::time::TimeZoneNote/>
            <Transition fallback=|| ()>
                {move || me.get().and_then(|r| r.ok()).map(|u| view! {
                    <span class="user" translate="no" title=tr!(pages.signed_in_as)>{u.username}</span>
                })}
            </Transition>
            <super::language::LanguageSwitch account=true/>
            <a href="/api-docs">{tr!(pages.api)}</a>
            <a href="/account/password">{tr!(pages.password)}</a>
            <ActionForm action=sign_out attr:class="inline">
                <button type="submit" class="button subtle">{tr!(pages.sign_out)}</button>
            </ActionForm>
        </header>
        <main class="page">
            <Outlet/>
        </main>
    }
}
