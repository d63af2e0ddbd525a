//! `/alerts` (issue 17): the fleet's alerts and where they are sent. The
//! server renders the content (app::alerts_html); this page sends its forms
//! (a form the server refuses comes back with its fields' errors) and its
//! buttons (send test, enable, disable, delete, end a silence), then asks
//! for the content again.

use super::ui::ErrorNote;
use i18n::use_i18n;
use leptos::prelude::*;
use leptos_meta::Title;
use model::ApiError;
use serde::{Deserialize, Serialize};

/// What a form's submission came to: done (with a note), or the form again
/// with its errors.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormAnswer {
    pub ok: bool,
    pub note: String,
    /// The form with the values sent and the errors, when not `ok`.
    pub html: String,
}

/// Every field name the page's forms have.
const FIELDS: &[&str] = &[
    "name",
    "kind",
    "url",
    "secret",
    "clear_secret",
    "headers",
    "smtp_host",
    "smtp_port",
    "smtp_tls",
    "smtp_username",
    "smtp_password",
    "email_from",
    "email_to",
    "min_level",
    "scope",
    "selected",
    "lang",
    "rate_per_minute",
    "enabled",
    "cluster_id",
    "rule",
    "minutes",
    "comment",
];

#[cfg(feature = "ssr")]
fn choices(clusters: Vec<model::Cluster>) -> crate::alerts_html::Choices {
    crate::alerts_html::Choices {
        clusters: clusters.into_iter().map(|c| (c.id, c.name)).collect(),
        rules: overview::health::rule_titles()
            .into_iter()
            .map(|(k, t)| (k.to_string(), t))
            .collect(),
    }
}

#[server(prefix = "/sfn", endpoint = "get_alerts_html")]
pub async fn get_alerts_html(lang: String) -> Result<String, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    let state = state()?;
    let l = i18n::from_tag(&lang).unwrap_or_else(i18n::current);
    let page = i18n::scope(l, state.notify.overview()).await?;
    let clusters = state.clusters.list().await?;
    Ok(crate::alerts_html::render(l, page, choices(clusters)))
}

#[server(prefix = "/sfn", endpoint = "submit_alerts_form")]
pub async fn submit_alerts_form(
    lang: String,
    form: String,
    id: Option<i64>,
    fields: Vec<(String, String)>,
) -> Result<FormAnswer, ApiError> {
    use crate::alerts_html::{render_channel_form, render_silence_form, SilenceAt, SilenceValues};
    use crate::ssr::context::{state, user};
    use registry::AppError;
    let me = user().await?;
    let state = state()?;
    let l = i18n::from_tag(&lang).unwrap_or_else(i18n::current);
    let get = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let errors_of = |e: &AppError| e.field_errors().cloned();
    match form.as_str() {
        "channel" => {
            let input = model::alerting::ChannelInput {
                name: get("name"),
                kind: get("kind"),
                enabled: get("enabled") == "true",
                min_level: get("min_level"),
                scope: get("scope"),
                selected: get("selected"),
                lang: get("lang"),
                rate_per_minute: get("rate_per_minute"),
                url: get("url"),
                secret: get("secret"),
                clear_secret: get("clear_secret") == "true",
                headers: get("headers"),
                smtp_host: get("smtp_host"),
                smtp_port: get("smtp_port"),
                smtp_tls: get("smtp_tls"),
                smtp_username: get("smtp_username"),
                smtp_password: get("smtp_password"),
                email_from: get("email_from"),
                email_to: get("email_to"),
            };
            let saved = i18n::scope(l, async {
                match id {
                    Some(id) => state.notify.update(id, &input, &me.username).await,
                    None => state.notify.create(&input, &me.username).await,
                }
            })
            .await;
            match saved {
                Ok(c) => Ok(FormAnswer {
                    ok: true,
                    note: i18n::fill(i18n::td_string!(l, alerts.saved), &[("name", &c.name)]),
                    html: String::new(),
                }),
                Err(e) => match errors_of(&e) {
                    Some(errors) => Ok(FormAnswer {
                        ok: false,
                        note: String::new(),
                        html: render_channel_form(l, id, input, errors),
                    }),
                    None => Err(e.into()),
                },
            }
        }
        "silence" => {
            let values = SilenceValues {
                cluster_id: get("cluster_id"),
                rule: get("rule"),
                minutes: get("minutes"),
                comment: get("comment"),
            };
            let scope = get("scope");
            let mut input = model::alerting::SilenceInput {
                cluster_id: values.cluster_id.trim().parse().ok(),
                rule: Some(values.rule.clone()).filter(|r| !r.trim().is_empty()),
                ends_at: None,
                minutes: Some(values.minutes.trim().parse().unwrap_or(0)),
                comment: values.comment.clone(),
            };
            match scope.as_str() {
                "cluster" => input.rule = None,
                "rule" => input.cluster_id = None,
                _ => {}
            }
            let made = i18n::scope(l, state.notify.silence(&input, &me.username)).await;
            match made {
                Ok(_) => Ok(FormAnswer {
                    ok: true,
                    note: i18n::td_string!(l, alerts.silenced_note).to_string(),
                    html: String::new(),
                }),
                Err(e) => match errors_of(&e) {
                    Some(errors) => {
                        let at = match id {
                            Some(alert_id) => SilenceAt::Alert { alert_id },
                            None => SilenceAt::Page,
                        };
                        let clusters = state.clusters.list().await?;
                        Ok(FormAnswer {
                            ok: false,
                            note: String::new(),
                            html: render_silence_form(l, at, values, errors, choices(clusters)),
                        })
                    }
                    None => Err(e.into()),
                },
            }
        }
        _ => Err(AppError::BadRequest(format!("no form {form:?}")).into()),
    }
}

#[server(prefix = "/sfn", endpoint = "alerts_act")]
pub async fn alerts_act(lang: String, act: String, id: i64) -> Result<String, ApiError> {
    use crate::ssr::context::{state, user};
    use i18n::{fill, td_string};
    use registry::AppError;
    let me = user().await?;
    let state = state()?;
    let l = i18n::from_tag(&lang).unwrap_or_else(i18n::current);
    let n = &state.notify;
    i18n::scope(l, async {
        Ok(match act.as_str() {
            "test" => {
                let r = n.test(id).await?;
                let status = r.status.unwrap_or_default();
                let key = if r.ok {
                    td_string!(l, alerts.test_ok)
                } else {
                    td_string!(l, alerts.test_failed)
                };
                fill(key, &[("status", &status), ("answer", &r.detail)])
            }
            "enable" | "disable" => {
                let c = n.set_enabled(id, act == "enable", &me.username).await?;
                let key = if c.enabled {
                    td_string!(l, alerts.now_enabled)
                } else {
                    td_string!(l, alerts.now_disabled)
                };
                fill(key, &[("name", &c.name)])
            }
            "delete" => {
                n.delete(id, &me.username).await?;
                td_string!(l, alerts.deleted).to_string()
            }
            "end" => {
                n.end_silence(id, &me.username).await?;
                td_string!(l, alerts.silence_ended).to_string()
            }
            _ => return Err(AppError::BadRequest(format!("no action {act:?}")).into()),
        })
    })
    .await
}

/// A form sent: which (`channel` or `silence`), its channel's or alert's
/// id, and its fields.
struct Submitted {
    form: String,
    id: Option<i64>,
    fields: Vec<(String, String)>,
}

/// The form a submit event came from, and its fields.
fn submitted(ev: &leptos::ev::SubmitEvent) -> Option<Submitted> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let form = ev.target()?.dyn_into::<web_sys::HtmlFormElement>().ok()?;
        let kind = form.get_attribute("data-form")?;
        let id = form
            .get_attribute(if kind == "channel" {
                "data-id"
            } else {
                "data-alert"
            })
            .and_then(|v| v.parse().ok());
        let data = web_sys::FormData::new_with_form(&form).ok()?;
        let fields = FIELDS
            .iter()
            .filter_map(|k| data.get(k).as_string().map(|v| (k.to_string(), v)))
            .collect();
        Some(Submitted {
            form: kind,
            id,
            fields,
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, FIELDS);
        None
    }
}

/// Puts the server's form (with its errors) in place of the one sent.
fn replace_form(ev: &leptos::ev::SubmitEvent, html: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            form.set_outer_html(html);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, html);
    }
}

/// The button of the content that was clicked: its action and id.
fn clicked(ev: &leptos::ev::MouseEvent) -> Option<(String, i64)> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let b = ev
            .target()?
            .dyn_into::<web_sys::Element>()
            .ok()?
            .closest("[data-act]")
            .ok()??;
        Some((
            b.get_attribute("data-act")?,
            b.get_attribute("data-id")?.parse().ok()?,
        ))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

#[component]
pub fn AlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    let tick = RwSignal::new(0u64);
    let note = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let content = Resource::new(
        move || (i18n.get_locale(), tick.get()),
        |(l, _)| get_alerts_html(i18n::tag(l).to_string()),
    );
    let lang = move || i18n::tag(i18n.get_locale_untracked()).to_string();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let Some(Submitted { form, id, fields }) = submitted(&ev) else {
            return;
        };
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = submit_alerts_form(lang(), form, id, fields).await;
            busy.set(false);
            match r {
                Ok(a) if a.ok => {
                    note.set(Some(Ok(a.note)));
                    tick.update(|t| *t += 1);
                }
                Ok(a) => replace_form(&ev, &a.html),
                Err(e) => note.set(Some(Err(e.message))),
            }
        });
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some((act, id)) = clicked(&ev) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let r = alerts_act(lang(), act, id).await;
            busy.set(false);
            note.set(Some(r.map_err(|e| e.message)));
            tick.update(|t| *t += 1);
        });
    };
    view! {
        <Title text=tr!(alerts.title)/>
        <div class="page-head">
            <h1>{tr!(alerts.title)}</h1>
            <a class="button" href="/clusters">{tr!(alerts.back_to_fleet)}</a>
        </div>
        {move || note.get().map(|r| match r {
            Ok(text) => view! { <p class="alert info" role="status" data-testid="alerts-note">{text}</p> }.into_any(),
            Err(message) => view! { <p class="alert error" role="alert" data-testid="alerts-note">{message}</p> }.into_any(),
        })}
        <Transition fallback=move || view! { <p class="muted">{tr!(alerts.loading)}</p> }>
            {move || content.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
                Ok(html) => view! {
                    <div class="fragment" data-local-times="" data-delete-questions="" data-channel-forms=""
                        aria-busy=move || busy.get().to_string()
                        on:submit=on_submit on:click=on_click inner_html=html></div>
                }.into_any(),
            })}
        </Transition>
    }
}
