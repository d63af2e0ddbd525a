//! Small pieces shared by the pages.

use i18n::{use_i18n, Locale};
use leptos::either::Either;
use leptos::prelude::*;
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

/// A labelled input (or, with `rows`, a text area) with its help text and its
/// error right below it. The error is about the value that was sent: it goes
/// away as soon as the field is edited, and comes back with the next answer.
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
    /// Digits only: phones show the number pad. Still a text input, so what
    /// was typed reaches the server and its message says what is wrong.
    #[prop(optional)]
    numeric: bool,
    /// A text area of this many rows instead of an input.
    #[prop(optional)]
    rows: u32,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let help_id = format!("{id}-help");
    let edited = RwSignal::new(false);
    // Every answer (even the same one again) shows its errors afresh.
    Effect::new(move |_| {
        errors.track();
        edited.set(false);
    });
    let on_input = move |_| {
        if !edited.get_untracked() {
            edited.set(true);
        }
    };
    let error = Memo::new(move |_| {
        if edited.get() {
            return None;
        }
        errors.with(|e| e.get(name).map(str::to_string))
    });
    let form_name = if group.is_empty() {
        name.to_string()
    } else {
        format!("{group}[{name}]")
    };
    let described_by = {
        let error_id = error_id.clone();
        let help_id = help_id.clone();
        Signal::derive(move || {
            let mut ids = Vec::new();
            if help.is_some() {
                ids.push(help_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        })
    };
    let invalid = move || {
        if error.with(Option::is_some) {
            "true"
        } else {
            "false"
        }
    };
    let placeholder = (!placeholder.is_empty()).then_some(placeholder);
    let control = if rows > 0 {
        Either::Left(view! {
            <textarea id=id.clone() name=form_name rows=rows required=required placeholder=placeholder
                aria-invalid=invalid aria-describedby=described_by on:input=on_input>{value}</textarea>
        })
    } else {
        Either::Right(view! {
            <input
                id=id.clone()
                name=form_name
                type=kind
                value=value
                required=required
                autocomplete=(!autocomplete.is_empty()).then_some(autocomplete)
                placeholder=placeholder
                inputmode=numeric.then_some("numeric")
                pattern=numeric.then_some("[0-9]*")
                aria-invalid=invalid
                aria-describedby=described_by
                on:input=on_input
            />
        })
    };
    view! {
        <div class="field" class:invalid=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            {control}
            {help.map(|help| view! { <p class="help" id=help_id>{help}</p> })}
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// After an answer with field errors, the keyboard goes to the first field
/// to fix (in the form's order), so a keyboard or screen reader user starts
/// where the work is.
pub fn focus_first_invalid(form: NodeRef<leptos::html::Form>, errors: Signal<FieldErrors>) {
    Effect::new(move |_| {
        if errors.with(|e| e.is_empty()) {
            return;
        }
        let Some(form) = form.get_untracked() else {
            return;
        };
        // After the fields have drawn their new `aria-invalid`.
        request_animation_frame(move || {
            use wasm_bindgen::JsCast;
            if let Some(field) = form
                .query_selector("[aria-invalid=true]")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = field.focus();
            }
        });
    });
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

#[cfg(feature = "ssr")]
/// A health status as people read it: `critical` / 严重 (`as_str()` stays the
/// name of its CSS class and data attribute).
pub fn health_word(l: Locale, s: model::overview::HealthStatus) -> &'static str {
    use model::overview::HealthStatus;
    match s {
        HealthStatus::Healthy => ::leptos_i18n::td_string!(l, common.status_healthy),
        HealthStatus::Warning => ::leptos_i18n::td_string!(l, common.status_warning),
        HealthStatus::Critical => ::leptos_i18n::td_string!(l, common.status_critical),
        HealthStatus::Unknown => ::leptos_i18n::td_string!(l, common.status_unknown),
    }
}

/// `text` with the parts in `quoted` (a cluster's names and words inside a
/// translated sentence) in `translate="no"` spans, so neither a browser's
/// translation nor a reader takes them for the page's own words.
// The overview's sections that call it are rendered by the server only.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
pub fn quoting(text: &str, quoted: &[String]) -> impl IntoView {
    let mut parts: Vec<(String, bool)> = Vec::new();
    let mut rest = text;
    // The earliest match first, the longest where two start together.
    while let Some((at, q)) = quoted
        .iter()
        .filter(|q| !q.is_empty())
        .filter_map(|q| rest.find(q.as_str()).map(|at| (at, q)))
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())))
    {
        if at > 0 {
            parts.push((rest[..at].to_string(), false));
        }
        parts.push((q.clone(), true));
        rest = &rest[at + q.len()..];
    }
    if !rest.is_empty() {
        parts.push((rest.to_string(), false));
    }
    parts
        .into_iter()
        .map(|(t, data)| {
            if data {
                view! { <span translate="no">{t}</span> }.into_any()
            } else {
                t.into_any()
            }
        })
        .collect_view()
}
