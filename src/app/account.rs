use super::ui::{error_text, go_to, ErrorNote, Field};
use crate::model::{FieldErrors, FormResult};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Changes the signed-in user's password; answers the URL to load next.
#[server(prefix = "/sfn", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm_password: String,
    next: Option<String>,
) -> Result<FormResult<String>, ServerFnError> {
    use crate::model::safe_next;
    use crate::server::fn_context::{session, state, user};
    use crate::server::AppError;
    let state = state()?;
    let me = user().await?;
    match state
        .users
        .change_password(
            me.id,
            &current_password,
            &new_password,
            Some(&confirm_password),
        )
        .await
    {
        Ok(updated) => {
            crate::server::auth::sign_in(&state, &session().await?, &updated).await?;
            Ok(FormResult::Done(safe_next(next.as_deref())))
        }
        Err(AppError::Validation(f)) => Ok(FormResult::Invalid(f)),
        Err(e) => Err(e.into()),
    }
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
        Some(Ok(r)) => r.field_errors(),
        _ => FieldErrors::default(),
    });
    Effect::new(move |_| {
        if let Some(Ok(FormResult::Done(target))) = action.value().get() {
            go_to(&target);
        }
    });
    view! {
        <Title text="Change password"/>
        <section class="card narrow">
            <h1>"Change your password"</h1>
            <p class="muted">"Your other sessions, in other browsers or devices, are signed out when it changes."</p>
            <Transition fallback=|| ()>
                {move || forced().then(|| view! {
                    <p class="alert info">"This account still has its first password. Choose your own before you continue."</p>
                })}
            </Transition>
            <ActionForm action=action>
                <input type="hidden" name="next" value=next/>
                <Field name="current_password" label="Current password" kind="password"
                    autocomplete="current-password" required=true errors/>
                <Field name="new_password" label="New password" kind="password"
                    autocomplete="new-password" required=true
                    help="At least 10 characters, not your user name." errors/>
                <Field name="confirm_password" label="New password again" kind="password"
                    autocomplete="new-password" required=true errors/>
                {move || match action.value().get() {
                    Some(Err(e)) => Some(view! { <ErrorNote message=error_text(&e)/> }),
                    _ => None,
                }}
                <button class="button primary" type="submit" disabled=move || action.pending().get()>
                    "Change password"
                </button>
            </ActionForm>
        </section>
    }
}
