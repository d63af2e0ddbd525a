use super::ui::{focus_first_invalid, go_to, ErrorNote, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::{ApiError, FieldErrors};

/// Changes the signed-in user's password; answers the URL to load next.
#[server(prefix = "/sfn", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
    next: Option<String>,
) -> Result<String, ApiError> {
    use crate::ssr::context::{session, state, user};
    use model::safe_next;
    let state = state()?;
    let me = user().await?;
    let updated = state
        .users
        .change_password(
            me.id,
            &current_password,
            &new_password,
            Some(&confirm_password),
        )
        .await?;
    registry::sessions::sign_in(&state.users, &session().await?, &updated).await?;
    Ok(safe_next(next.as_deref()))
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let me = Resource::new(|| (), |_| super::layout::whoami());
    let forced = move || {
        me.get()
            .and_then(|r| r.ok())
            .is_some_and(|u| u.must_change_password)
    };
    let action = ServerAction::<ChangePassword>::new();
    let errors = Signal::derive(move || match action.value().get() {
        Some(Err(e)) => e.field_errors(),
        _ => FieldErrors::default(),
    });
    let form_ref = NodeRef::<leptos::html::Form>::new();
    focus_first_invalid(form_ref, errors);
    Effect::new(move |_| {
        if let Some(Ok(target)) = action.value().get() {
            go_to(&target);
        }
    });
    view! {
        <Title text=tr!(login.pw_title)/>
        <section class="card narrow">
            <h1>{tr!(login.pw_heading)}</h1>
            <p class="muted">{tr!(login.pw_intro)}</p>
            <Transition fallback=|| ()>
                {move || forced().then(|| view! {
                    <p class="alert info">{tr!(login.pw_first)}</p>
                })}
            </Transition>
            <ActionForm action=action node_ref=form_ref>
                <input type="hidden" name="next" value=next/>
                <Field name="current_password" label=tr!(login.pw_current) kind="password"
                    autocomplete="current-password" required=true errors/>
                <Field name="new_password" label=tr!(login.pw_new) kind="password"
                    autocomplete="new-password" required=true
                    help=tr!(login.pw_new_help) errors/>
                <Field name="confirm_password" label=tr!(login.pw_again) kind="password"
                    autocomplete="new-password" required=true errors/>
                {move || match action.value().get() {
                    Some(Err(e)) if !e.is_about_fields() => Some(view! { <ErrorNote message=e.message/> }),
                    _ => None,
                }}
                <button class="button primary" type="submit" disabled=move || action.pending().get()>
                    {tr!(login.pw_submit)}
                </button>
            </ActionForm>
        </section>
    }
}
