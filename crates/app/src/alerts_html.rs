//! The Alerts page's content rendered by the server as HTML (issue 17), as
//! the Queries page's is: the fleet's open alerts (each silenceable), the
//! last day's resolutions, the notification channels (each with its edit
//! form, test, switch and delete), the silences and the delivery log. The
//! page (app::alerts_page) inserts it and sends its forms and buttons;
//! public/assets/page.js shows a channel form's fields for its service and
//! asks the delete question in the row.

use super::queries_html::html_in;
use super::time::LocalTime;
use i18n::{fill, td_string, use_i18n, Locale};
use leptos::prelude::*;
use model::alerting::{AlertsOverview, Channel, ChannelInput, Delivery, FleetAlert, Silence};
use model::overview::HealthStatus;
use model::FieldErrors;

/// A cluster and a rule to silence, for the forms' choices.
#[derive(Clone, Debug, Default)]
pub struct Choices {
    pub clusters: Vec<(i64, String)>,
    pub rules: Vec<(String, String)>,
}

/// The whole page's content.
pub fn render(l: Locale, page: AlertsOverview, choices: Choices) -> String {
    html_in(l, move || {
        let choices = StoredValue::new(choices);
        view! {
            <ActiveAlerts alerts=page.active.clone() choices/>
            <Resolved alerts=page.resolved.clone()/>
            <Channels channels=page.channels.clone() links=page.links/>
            <Silences silences=page.silences.clone() choices/>
            <DeliveryLog deliveries=page.deliveries.clone()/>
        }
        .into_any()
    })
}

/// A channel form again, with the values sent and the fields' errors.
pub fn render_channel_form(
    l: Locale,
    id: Option<i64>,
    input: ChannelInput,
    errors: FieldErrors,
) -> String {
    html_in(l, move || {
        view! { <ChannelForm id input errors/> }.into_any()
    })
}

/// A silence form again, with the values sent and the fields' errors.
pub fn render_silence_form(
    l: Locale,
    at: SilenceAt,
    values: SilenceValues,
    errors: FieldErrors,
    choices: Choices,
) -> String {
    html_in(l, move || {
        view! { <SilenceForm at values errors choices=StoredValue::new(choices)/> }.into_any()
    })
}

/// Where a silence form is: on an alert's row (its cluster and rule fixed)
/// or the page's own (both chosen).
#[derive(Clone, Debug, PartialEq)]
pub enum SilenceAt {
    Alert { alert_id: i64 },
    Page,
}

/// What a silence form holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SilenceValues {
    pub cluster_id: String,
    pub rule: String,
    pub minutes: String,
    pub comment: String,
}

fn level_word(l: Locale, level: HealthStatus) -> &'static str {
    match level {
        HealthStatus::Critical => td_string!(l, alerts.critical),
        _ => td_string!(l, alerts.warning),
    }
}

fn level_pill(l: Locale, level: HealthStatus) -> impl IntoView {
    let class = format!("pill health-{}", level.as_str());
    view! { <span class=class>{level_word(l, level)}</span> }
}

/// "1 h 5 min", "3 min", "40 s".
fn lasted(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (d, h, m) = (s / 86_400, (s / 3600) % 24, (s / 60) % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s} s"),
        (0, 0, m) => format!("{m} min"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

#[component]
fn ActiveAlerts(alerts: Vec<FleetAlert>, choices: StoredValue<Choices>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let empty = alerts.is_empty();
    let rows = alerts
        .into_iter()
        .map(|a| {
            let overview = format!("/clusters/{}/overview", a.alert.cluster_id);
            let values = SilenceValues {
                cluster_id: a.alert.cluster_id.to_string(),
                rule: a.alert.rule.clone(),
                ..SilenceValues::default()
            };
            let state = match a.silenced_by {
                Some(_) => view! { <span class="pill" data-testid="silenced">{td_string!(l, alerts.silenced)}</span> }.into_any(),
                None => view! {
                    <details class="inline-form">
                        <summary class="button small">{td_string!(l, alerts.silence)}</summary>
                        <SilenceForm at=SilenceAt::Alert { alert_id: a.alert.id } values errors=FieldErrors::default() choices/>
                    </details>
                }.into_any(),
            };
            let cluster = a.cluster_name.clone();
            view! {
                <tr data-alert=a.alert.id data-rule=a.alert.rule.clone() data-cluster=cluster>
                    <td>{level_pill(l, a.alert.level)}</td>
                    <td translate="no"><a href=overview>{a.cluster_name}</a></td>
                    <td>
                        <strong>{a.alert.title}</strong>
                        <div class="reason">{a.alert.reason}</div>
                    </td>
                    <td class="nowrap"><LocalTime ms=a.alert.since/></td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="active-title" class="overview-section">
            <h2 id="active-title">{td_string!(l, alerts.active)}</h2>
            {if empty {
                view! { <p class="muted" data-testid="no-alerts">{td_string!(l, alerts.none_active)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="data compact" data-testid="active-alerts">
                            <thead><tr>
                                <th scope="col">{td_string!(l, alerts.level)}</th>
                                <th scope="col">{td_string!(l, alerts.cluster)}</th>
                                <th scope="col">{td_string!(l, alerts.rule)}</th>
                                <th scope="col">{td_string!(l, alerts.since)}</th>
                                <th scope="col">{td_string!(l, alerts.notifications)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Resolved(alerts: Vec<FleetAlert>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    if alerts.is_empty() {
        return ().into_any();
    }
    let rows = alerts
        .into_iter()
        .map(|a| {
            let end = a.alert.resolved_at.unwrap_or(a.alert.since);
            view! {
                <tr>
                    <td>{level_pill(l, a.alert.level)}</td>
                    <td translate="no">{a.cluster_name}</td>
                    <td>{a.alert.title}</td>
                    <td class="nowrap"><LocalTime ms=a.alert.since/></td>
                    <td class="nowrap"><LocalTime ms=end/></td>
                    <td class="nowrap">{lasted(end - a.alert.since)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="resolved-title" class="overview-section">
            <h2 id="resolved-title">{td_string!(l, alerts.resolved)}</h2>
            <div class="table-wrap">
                <table class="data compact" data-testid="resolved-alerts">
                    <thead><tr>
                        <th scope="col">{td_string!(l, alerts.level)}</th>
                        <th scope="col">{td_string!(l, alerts.cluster)}</th>
                        <th scope="col">{td_string!(l, alerts.rule)}</th>
                        <th scope="col">{td_string!(l, alerts.since)}</th>
                        <th scope="col">{td_string!(l, alerts.resolved_at)}</th>
                        <th scope="col">{td_string!(l, alerts.lasted)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

fn kind_label(l: Locale, kind: &str) -> &'static str {
    match kind {
        "webhook" => td_string!(l, alerts.kind_webhook),
        "dingtalk" => td_string!(l, alerts.kind_dingtalk),
        "feishu" => td_string!(l, alerts.kind_feishu),
        "wecom" => td_string!(l, alerts.kind_wecom),
        "slack" => td_string!(l, alerts.kind_slack),
        _ => td_string!(l, alerts.kind_email),
    }
}

#[component]
fn Channels(channels: Vec<Channel>, links: bool) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let rows = channels
        .into_iter()
        .map(|c| {
            let state = if !c.enabled {
                view! { <span class="pill">{td_string!(l, alerts.disabled)}</span> }.into_any()
            } else if c.failing {
                view! { <span class="pill health-critical" data-testid="failing">{td_string!(l, alerts.failing)}</span> }.into_any()
            } else {
                view! { <span class="pill health-healthy">{td_string!(l, alerts.enabled)}</span> }.into_any()
            };
            let pending = (c.pending > 0).then(|| {
                view! { <div class="muted">{fill(td_string!(l, alerts.pending), &[("n", &c.pending)])}</div> }
            });
            let last = c.last.clone().map(|d| {
                let word = if d.ok { td_string!(l, alerts.ok) } else { td_string!(l, alerts.failed) };
                view! { <div><LocalTime ms=d.at/> " · " {word} " " {d.status.unwrap_or_default()}</div> }
            });
            let scope = match c.scope.as_str() {
                "all" => td_string!(l, alerts.scope_all).to_string(),
                "tags" => fill(td_string!(l, alerts.scope_tags_list), &[("list", &c.selected.join(", "))]),
                _ => fill(td_string!(l, alerts.scope_clusters_list), &[("list", &c.selected.join(", "))]),
            };
            let level = if c.min_level == "critical" {
                td_string!(l, alerts.critical_only)
            } else {
                td_string!(l, alerts.warning_and_critical)
            };
            let question = fill(td_string!(l, alerts.delete_question), &[("name", &c.name)]);
            let (switch_act, switch_label) = if c.enabled {
                ("disable", td_string!(l, alerts.disable))
            } else {
                ("enable", td_string!(l, alerts.enable))
            };
            let input = channel_input(&c);
            view! {
                <tr data-channel=c.name.clone()>
                    <td translate="no"><strong>{c.name.clone()}</strong></td>
                    <td>{kind_label(l, &c.kind)}</td>
                    <td translate="no" class="reason">{c.shown.clone()}</td>
                    <td>{level}<div class="muted">{scope}</div></td>
                    <td>{state}{pending}</td>
                    <td class="nowrap">{last}</td>
                    <td class="actions">
                        <div class="row-actions">
                            <button type="button" class="button small" data-act="test" data-id=c.id>{td_string!(l, alerts.send_test)}</button>
                            " "
                            <button type="button" class="button small" data-act=switch_act data-id=c.id>{switch_label}</button>
                            " "
                            <button type="button" class="button small" data-delete=c.id>{td_string!(l, alerts.delete)}</button>
                        </div>
                        <div class="confirm" role="alertdialog" aria-label=td_string!(l, alerts.delete) hidden>
                            <p>{question}</p>
                            <button type="button" class="button small danger" data-act="delete" data-id=c.id>{td_string!(l, alerts.delete_confirm)}</button>
                            " "
                            <button type="button" class="button small" data-cancel-delete="">{td_string!(l, alerts.cancel)}</button>
                        </div>
                        <details class="inline-form">
                            <summary class="button small">{td_string!(l, alerts.edit)}</summary>
                            <ChannelForm id=Some(c.id) input errors=FieldErrors::default()/>
                        </details>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="channels-title" class="overview-section">
            <h2 id="channels-title">{td_string!(l, alerts.channels)}</h2>
            {(!links).then(|| view! { <p class="muted" data-testid="no-public-url">{td_string!(l, alerts.no_public_url)}</p> })}
            <div class="table-wrap">
                <table class="data compact" data-testid="channels" data-delete-questions="">
                    <thead><tr>
                        <th scope="col">{td_string!(l, alerts.name)}</th>
                        <th scope="col">{td_string!(l, alerts.service)}</th>
                        <th scope="col">{td_string!(l, alerts.sends_to)}</th>
                        <th scope="col">{td_string!(l, alerts.receives)}</th>
                        <th scope="col">{td_string!(l, alerts.state)}</th>
                        <th scope="col">{td_string!(l, alerts.last_delivery)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(l, alerts.actions)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <details class="new-form" data-testid="new-channel">
                <summary class="button">{td_string!(l, alerts.new_channel)}</summary>
                <ChannelForm id=None input=ChannelInput { enabled: true, kind: "webhook".into(), ..ChannelInput::default() } errors=FieldErrors::default()/>
            </details>
        </section>
    }
}

/// A stored channel as its edit form starts: secrets left empty (kept).
fn channel_input(c: &Channel) -> ChannelInput {
    let smtp = c.smtp.clone();
    ChannelInput {
        name: c.name.clone(),
        kind: c.kind.clone(),
        enabled: c.enabled,
        min_level: c.min_level.clone(),
        scope: c.scope.clone(),
        selected: c.selected.join(", "),
        lang: c.lang.clone(),
        rate_per_minute: c.rate_per_minute.to_string(),
        smtp_host: smtp.as_ref().map(|s| s.host.clone()).unwrap_or_default(),
        smtp_port: smtp
            .as_ref()
            .map(|s| s.port.to_string())
            .unwrap_or_default(),
        smtp_tls: smtp.as_ref().map(|s| s.tls.clone()).unwrap_or_default(),
        smtp_username: smtp
            .as_ref()
            .and_then(|s| s.username.clone())
            .unwrap_or_default(),
        email_from: smtp.as_ref().map(|s| s.from.clone()).unwrap_or_default(),
        email_to: smtp.map(|s| s.to.join(", ")).unwrap_or_default(),
        ..ChannelInput::default()
    }
}

/// A labelled input with its help and its error, ids unique per form.
#[component]
fn Input(
    form: String,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] help: Option<&'static str>,
    value: String,
    errors: FieldErrors,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] rows: u32,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let error = errors.get(name).map(str::to_string);
    let mut described = Vec::new();
    if help.is_some() {
        described.push(format!("{id}-help"));
    }
    if error.is_some() {
        described.push(format!("{id}-error"));
    }
    let described = (!described.is_empty()).then(|| described.join(" "));
    let invalid = error.is_some().then_some("true");
    let control = if rows > 0 {
        view! { <textarea id=id.clone() name=name rows=rows aria-invalid=invalid aria-describedby=described.clone() placeholder=placeholder>{value}</textarea> }.into_any()
    } else {
        view! { <input id=id.clone() name=name type=kind value=value aria-invalid=invalid aria-describedby=described.clone() placeholder=placeholder autocomplete="off"/> }.into_any()
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {control}
            {help.map(|h| view! { <p class="help" id=format!("{id}-help")>{h}</p> })}
            {error.map(|e| view! { <p class="field-error" id=format!("{id}-error") role="alert">{e}</p> })}
        </div>
    }
}

/// A select of `(value, label)` options.
#[component]
fn Choice(
    form: String,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    value: String,
    errors: FieldErrors,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let error = errors.get(name).map(str::to_string);
    let invalid = error.is_some().then_some("true");
    let described = error.is_some().then(|| format!("{id}-error"));
    let options = options
        .into_iter()
        .map(|(v, text)| {
            let selected = v == value;
            view! { <option value=v selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id.clone() name=name aria-invalid=invalid aria-describedby=described>{options}</select>
            {error.map(|e| view! { <p class="field-error" id=format!("{id}-error") role="alert">{e}</p> })}
        </div>
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(v, t)| (v.to_string(), t.to_string()))
        .collect()
}

/// A channel's form: new (`id` None) or an edit. Fields of other services
/// are hidden by page.js as the service changes (and ignored by the server).
#[component]
fn ChannelForm(id: Option<i64>, input: ChannelInput, errors: FieldErrors) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let form = format!("ch-{}", id.map_or("new".to_string(), |i| i.to_string()));
    let kind = input.kind.clone();
    let shows = move |kinds: &str| kinds.split(' ').any(|k| k == kind);
    let kinds: Vec<(String, String)> = model::alerting::CHANNEL_KINDS
        .iter()
        .map(|k| (k.to_string(), kind_label(l, k).to_string()))
        .collect();
    let editing = id.is_some();
    let kept = editing.then_some(td_string!(l, alerts.kept_if_empty));
    let summary = (!errors.is_empty()).then(|| {
        view! { <p class="alert error" role="alert">{td_string!(l, alerts.fix_fields)}</p> }
    });
    let hidden_unless = move |kinds: &'static str| (!shows(kinds)).then_some("");
    view! {
        <form class="form channel-form" data-form="channel" data-id=id.map(|i| i.to_string()).unwrap_or_default() novalidate="">
            {summary}
            <Input form=form.clone() name="name" label=td_string!(l, alerts.name) value=input.name.clone() errors=errors.clone()/>
            <Choice form=form.clone() name="kind" label=td_string!(l, alerts.service) options=kinds value=input.kind.clone() errors=errors.clone()/>
            <fieldset data-kinds="webhook dingtalk feishu wecom slack" hidden=hidden_unless("webhook dingtalk feishu wecom slack")>
                <Input form=form.clone() name="url" label=td_string!(l, alerts.url) help=kept.unwrap_or(td_string!(l, alerts.url_help)) value=String::new() errors=errors.clone() kind="url"/>
            </fieldset>
            <fieldset data-kinds="dingtalk feishu" hidden=hidden_unless("dingtalk feishu")>
                <Input form=form.clone() name="secret" label=td_string!(l, alerts.secret) help=td_string!(l, alerts.secret_help) value=String::new() errors=errors.clone() kind="password"/>
            </fieldset>
            <fieldset data-kinds="webhook" hidden=hidden_unless("webhook")>
                <Input form=form.clone() name="headers" label=td_string!(l, alerts.headers) help=td_string!(l, alerts.headers_help) value=String::new() errors=errors.clone() rows=2 placeholder="Authorization: Bearer …"/>
            </fieldset>
            <fieldset data-kinds="email" hidden=hidden_unless("email")>
                <Input form=form.clone() name="smtp_host" label=td_string!(l, alerts.smtp_host) value=input.smtp_host.clone() errors=errors.clone() placeholder="smtp.example.com"/>
                <Input form=form.clone() name="smtp_port" label=td_string!(l, alerts.smtp_port) help=td_string!(l, alerts.smtp_port_help) value=input.smtp_port.clone() errors=errors.clone()/>
                <Choice form=form.clone() name="smtp_tls" label=td_string!(l, alerts.smtp_tls)
                    options=pairs(&[("starttls", td_string!(l, alerts.tls_starttls)), ("tls", td_string!(l, alerts.tls_implicit)), ("none", td_string!(l, alerts.tls_none))])
                    value=input.smtp_tls.clone() errors=errors.clone()/>
                <Input form=form.clone() name="smtp_username" label=td_string!(l, alerts.smtp_username) value=input.smtp_username.clone() errors=errors.clone()/>
                <Input form=form.clone() name="smtp_password" label=td_string!(l, alerts.smtp_password) help=kept.unwrap_or("") value=String::new() errors=errors.clone() kind="password"/>
                <Input form=form.clone() name="email_from" label=td_string!(l, alerts.email_from) value=input.email_from.clone() errors=errors.clone() placeholder="console@example.com"/>
                <Input form=form.clone() name="email_to" label=td_string!(l, alerts.email_to) help=td_string!(l, alerts.email_to_help) value=input.email_to.clone() errors=errors.clone()/>
            </fieldset>
            <Choice form=form.clone() name="min_level" label=td_string!(l, alerts.receives)
                options=pairs(&[("warning", td_string!(l, alerts.warning_and_critical)), ("critical", td_string!(l, alerts.critical_only))])
                value=input.min_level.clone() errors=errors.clone()/>
            <Choice form=form.clone() name="scope" label=td_string!(l, alerts.from_clusters)
                options=pairs(&[("all", td_string!(l, alerts.scope_all)), ("tags", td_string!(l, alerts.scope_tags)), ("clusters", td_string!(l, alerts.scope_clusters))])
                value=input.scope.clone() errors=errors.clone()/>
            <Input form=form.clone() name="selected" label=td_string!(l, alerts.selected) help=td_string!(l, alerts.selected_help) value=input.selected.clone() errors=errors.clone()/>
            <Choice form=form.clone() name="lang" label=td_string!(l, alerts.language)
                options=pairs(&[("en", "English"), ("zh-CN", "中文")])
                value=input.lang.clone() errors=errors.clone()/>
            <Input form=form.clone() name="rate_per_minute" label=td_string!(l, alerts.rate) help=td_string!(l, alerts.rate_help) value=input.rate_per_minute.clone() errors=errors.clone()/>
            <div class="field checkbox">
                <input type="checkbox" id=format!("{form}-enabled") name="enabled" value="true" checked=input.enabled/>
                <label for=format!("{form}-enabled")>{td_string!(l, alerts.enabled)}</label>
            </div>
            {editing.then(|| view! {
                <div class="field checkbox">
                    <input type="checkbox" id=format!("{form}-clear") name="clear_secret" value="true"/>
                    <label for=format!("{form}-clear")>{td_string!(l, alerts.clear_secret)}</label>
                </div>
            })}
            <div class="form-actions">
                <button type="submit" class="button primary">{td_string!(l, alerts.save)}</button>
            </div>
        </form>
    }
}

#[component]
fn Silences(silences: Vec<Silence>, choices: StoredValue<Choices>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let rows = silences
        .into_iter()
        .map(|s| {
            let cluster = s.cluster_name.clone().unwrap_or_else(|| td_string!(l, alerts.all_clusters).to_string());
            let rule = s.rule.clone().unwrap_or_else(|| td_string!(l, alerts.all_rules).to_string());
            let state = if s.active {
                view! {
                    <button type="button" class="button small" data-act="end" data-id=s.id>{td_string!(l, alerts.end_silence)}</button>
                }.into_any()
            } else {
                let by = s.ended_by.clone().map(|b| fill(td_string!(l, alerts.ended_by), &[("who", &b)]));
                view! { <span class="muted">{td_string!(l, alerts.ended)} " " {by}</span> }.into_any()
            };
            view! {
                <tr data-silence=s.id class:muted=!s.active>
                    <td translate="no">{cluster}</td>
                    <td translate="no">{rule}</td>
                    <td class="nowrap"><LocalTime ms=s.ends_at/></td>
                    <td>{s.comment}</td>
                    <td translate="no">{s.created_by}</td>
                    <td>{state}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="silences-title" class="overview-section">
            <h2 id="silences-title">{td_string!(l, alerts.silences)}</h2>
            <p class="muted">{td_string!(l, alerts.silences_help)}</p>
            <div class="table-wrap">
                <table class="data compact" data-testid="silences">
                    <thead><tr>
                        <th scope="col">{td_string!(l, alerts.cluster)}</th>
                        <th scope="col">{td_string!(l, alerts.rule)}</th>
                        <th scope="col">{td_string!(l, alerts.until)}</th>
                        <th scope="col">{td_string!(l, alerts.comment)}</th>
                        <th scope="col">{td_string!(l, alerts.by)}</th>
                        <th scope="col">{td_string!(l, alerts.state)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <details class="new-form">
                <summary class="button">{td_string!(l, alerts.new_silence)}</summary>
                <SilenceForm at=SilenceAt::Page values=SilenceValues::default() errors=FieldErrors::default() choices/>
            </details>
        </section>
    }
}

/// The durations a silence offers, in minutes.
const DURATIONS: [i64; 5] = [60, 240, 1440, 4320, 10080];

fn duration_label(l: Locale, minutes: i64) -> String {
    if minutes < 1440 {
        fill(td_string!(l, alerts.hours), &[("n", &(minutes / 60))])
    } else {
        fill(td_string!(l, alerts.days), &[("n", &(minutes / 1440))])
    }
}

#[component]
fn SilenceForm(
    at: SilenceAt,
    values: SilenceValues,
    errors: FieldErrors,
    choices: StoredValue<Choices>,
) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let (form, alert_id) = match at {
        SilenceAt::Alert { alert_id } => (format!("si-{alert_id}"), Some(alert_id)),
        SilenceAt::Page => ("si-new".to_string(), None),
    };
    let durations: Vec<(String, String)> = DURATIONS
        .iter()
        .map(|m| (m.to_string(), duration_label(l, *m)))
        .collect();
    let minutes = if values.minutes.is_empty() {
        "240".to_string()
    } else {
        values.minutes.clone()
    };
    let targets = match alert_id {
        Some(_) => view! {
            <input type="hidden" name="cluster_id" value=values.cluster_id.clone()/>
            <input type="hidden" name="rule" value=values.rule.clone()/>
            <Choice form=form.clone() name="scope" label=td_string!(l, alerts.silence_what)
                options=pairs(&[("both", td_string!(l, alerts.this_rule_here)), ("cluster", td_string!(l, alerts.whole_cluster)), ("rule", td_string!(l, alerts.rule_everywhere))])
                value="both".to_string() errors=errors.clone()/>
        }
        .into_any(),
        None => {
            let mut clusters = vec![(String::new(), td_string!(l, alerts.all_clusters).to_string())];
            let mut rules = vec![(String::new(), td_string!(l, alerts.all_rules).to_string())];
            choices.with_value(|c| {
                clusters.extend(c.clusters.iter().map(|(id, n)| (id.to_string(), n.clone())));
                rules.extend(c.rules.iter().cloned());
            });
            view! {
                <Choice form=form.clone() name="cluster_id" label=td_string!(l, alerts.cluster) options=clusters value=values.cluster_id.clone() errors=errors.clone()/>
                <Choice form=form.clone() name="rule" label=td_string!(l, alerts.rule) options=rules value=values.rule.clone() errors=errors.clone()/>
            }
            .into_any()
        }
    };
    let summary = (!errors.is_empty()).then(|| {
        view! { <p class="alert error" role="alert">{td_string!(l, alerts.fix_fields)}</p> }
    });
    view! {
        <form class="form silence-form" data-form="silence" data-alert=alert_id.map(|i| i.to_string()).unwrap_or_default() novalidate="">
            {summary}
            {targets}
            <Choice form=form.clone() name="minutes" label=td_string!(l, alerts.for_how_long) options=durations value=minutes errors=errors.clone()/>
            {errors.get("ends_at").map(|e| view! { <p class="field-error" role="alert">{e.to_string()}</p> })}
            <Input form=form.clone() name="comment" label=td_string!(l, alerts.comment) help=td_string!(l, alerts.comment_help) value=values.comment.clone() errors=errors.clone()/>
            <div class="form-actions">
                <button type="submit" class="button primary">{td_string!(l, alerts.silence)}</button>
            </div>
        </form>
    }
}

#[component]
fn DeliveryLog(deliveries: Vec<Delivery>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let rows = deliveries
        .into_iter()
        .map(|d| {
            let word = if d.ok {
                td_string!(l, alerts.ok)
            } else {
                td_string!(l, alerts.failed)
            };
            let what = if d.message_id.is_none() {
                td_string!(l, alerts.test_message).to_string()
            } else {
                d.summary.clone()
            };
            let channel = d.channel_name.clone();
            view! {
                <tr class:bad=!d.ok data-channel=channel>
                    <td class="nowrap"><LocalTime ms=d.at/></td>
                    <td translate="no">{d.channel_name}</td>
                    <td translate="no">{what}</td>
                    <td class="num">{d.attempt}</td>
                    <td>{word}</td>
                    <td translate="no">{d.status.unwrap_or_default()}</td>
                    <td class="reason" translate="no">{d.detail}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="log-title" class="overview-section">
            <h2 id="log-title">{td_string!(l, alerts.log)}</h2>
            <div class="table-wrap">
                <table class="data compact" data-testid="deliveries">
                    <thead><tr>
                        <th scope="col">{td_string!(l, alerts.when)}</th>
                        <th scope="col">{td_string!(l, alerts.channel)}</th>
                        <th scope="col">{td_string!(l, alerts.message)}</th>
                        <th scope="col">{td_string!(l, alerts.attempt)}</th>
                        <th scope="col">{td_string!(l, alerts.result)}</th>
                        <th scope="col">{td_string!(l, alerts.status)}</th>
                        <th scope="col">{td_string!(l, alerts.answer)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
