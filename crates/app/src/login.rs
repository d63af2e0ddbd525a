use super::ui::go_to;
use i18n::{t_string, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::{ApiError, ApiErrorKind};

/// Signs in and answers with the URL to load next: the `next` the user was
/// sent from (local paths only), or the password page when it must change.
#[server(prefix = "/sfn", endpoint = "login")]
pub async fn login(
    username: String,
    password: String,
    next: Option<String>,
) -> Result<String, ApiError> {
    use crate::ssr::context::{client_addr, session, state};
    use model::navigation::landing_for;
    use model::safe_next;
    use registry::sessions::sign_in;
    let state = state()?;
    let session = session().await?;
    let user = state
        .users
        .login(&username, &password, &client_addr(&state))
        .await?;
    sign_in(&state.users, &session, &user).await?;
    Ok(landing_for(&user, &safe_next(next.as_deref())))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let action = ServerAction::<Login>::new();
    Effect::new(move |_| {
        if let Some(Ok(target)) = action.value().get() {
            go_to(&target);
        }
    });
    // A refused password: the keyboard goes back to it, selected, to type again.
    let password = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        let refused = action
            .value()
            .with(|r| matches!(r, Some(Err(e)) if e.kind == ApiErrorKind::InvalidCredentials));
        if let (true, Some(input)) = (refused, password.get_untracked()) {
            let _ = input.focus();
            input.select();
        }
    });
    let error = move || {
        action
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.message)
    };
    view! {
        <Title text=tr!(login.title)/>
        <main class="centered">
            <div class="card narrow login-card">
                <super::language::LanguageSwitch/>
                <h1 class="brand-title" translate="no">"StarRocks Overview"</h1>
                <p class="muted">{tr!(login.intro)}</p>
                <ActionForm action=action>
                    <input type="hidden" name="next" value=next/>
                    <div class="field">
                        <label for="username">{tr!(login.username)}</label>
                        <input id="username" name="username" autocomplete="username" required autofocus/>
                    </div>
                    <div class="field">
                        <label for="password">{tr!(login.password)}</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required node_ref=password/>
                    </div>
                    {move || error().map(|m| view! { <p class="alert error" role="alert">{m}</p> })}
                    <button class="button primary wide" type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() {
                            t_string!(i18n, login.submitting)
                        } else {
                            t_string!(i18n, login.submit)
                        }}
                    </button>
                </ActionForm>
                <p class="help">
                    {tr!(login.first_start_user)} <code>"admin"</code>
                    {tr!(login.first_start_flag)} <code>"--admin-password"</code>
                    {tr!(login.first_start_log)}
                </p>
            </div>
        </main>
    }
}
