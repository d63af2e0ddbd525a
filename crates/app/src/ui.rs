//! Small pieces shared by the pages.

use i18n::{use_i18n, Locale};
use leptos::prelude::*;
use model::overview::HealthStatus;
use model::FieldErrors;

/// A full page load, used after signing in or out so every part of the page
/// (header, menus) is rendered afresh for the new session.
pub fn go_to(url: &str) {
    let _ = window().location().set_href(url);
}

/// An alert box for a failed call.
#[component]
pub fn ErrorNote(message: String) -> impl IntoView {
    view! { <p class="alert error" role="alert">{message}</p> }
}

/// A labelled input with its help text and its error right below it.
#[component]
pub fn Field(
    /// The form field name, also the key in `FieldErrors`.
    name: &'static str,
    /// Posts the value as `group[name]`, for a server function taking a struct.
    #[prop(optional)]
    group: &'static str,
    /// Reactive, so a language switch changes it in place:
    /// `label=tr!(ns.key)`.
    #[prop(into)]
    label: Signal<String>,
    #[prop(optional, into)] help: Option<Signal<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] placeholder: &'static str,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let error = move || errors.with(|e| e.get(name).map(str::to_string));
    let form_name = if group.is_empty() {
        name.to_string()
    } else {
        format!("{group}[{name}]")
    };
    let described_by = {
        let error_id = error_id.clone();
        let help_id = help_id.clone();
        move || {
            let mut ids = Vec::new();
            if help.is_some() {
                ids.push(help_id.clone());
            }
            if error().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:invalid=move || error().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=form_name
                type=kind
                value=value
                required=required
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                placeholder=(!placeholder.is_empty()).then_some(placeholder)
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby=described_by
            />
            {help.map(|help| view! { <p class="help" id=help_id>{help}</p> })}
            <p class="field-error" id=error_id role="alert">{error}</p>
        </div>
    }
}

/// See `tr!`: the text of `f` in the page's language, as a signal.
pub fn text(f: fn(Locale) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || f(i18n.get_locale()))
}

/// A computed text in the page's language (`said(move |l| fill(..))`), as a
/// signal: like `tr!`, every such text shares one render type.
pub fn said(f: impl Fn(Locale) -> String + Send + Sync + 'static) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || f(i18n.get_locale()))
}

/// A health status as people read it: `critical` / 严重 (`as_str()` stays the
/// name of its CSS class and data attribute).
pub fn health_word(l: Locale, s: HealthStatus) -> &'static str {
    match s {
        HealthStatus::Healthy => ::leptos_i18n::td_string!(l, common.status_healthy),
        HealthStatus::Warning => ::leptos_i18n::td_string!(l, common.status_warning),
        HealthStatus::Critical => ::leptos_i18n::td_string!(l, common.status_critical),
        HealthStatus::Unknown => ::leptos_i18n::td_string!(l, common.status_unknown),
    }
}
