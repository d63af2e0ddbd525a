//! `/clusters/:id/thresholds` and `/thresholds`: the health rules' thresholds
//! of one cluster or of every cluster, each rule its own small form (an empty
//! field inherits), and who changed what and when. The same service as
//! `PUT /api/clusters/{id}/thresholds` and `PUT /api/thresholds`.

use super::time::LocalTime;
use super::ui::ErrorNote;
use i18n::{fill, td_string, use_i18n, Locale, MsgKey};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use model::thresholds::{ThresholdChange, Thresholds};
use model::ApiError;
use serde::{Deserialize, Serialize};

/// What the page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThresholdsView {
    /// `None` on the page of every cluster's thresholds.
    pub cluster_name: Option<String>,
    pub thresholds: Thresholds,
    pub changes: Vec<ThresholdChange>,
}

#[server(prefix = "/sfn", endpoint = "get_thresholds")]
pub async fn get_thresholds(id: Option<i64>) -> Result<ThresholdsView, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    let state = state()?;
    let cluster_name = match id {
        Some(id) => Some(state.clusters.get(id).await?.name),
        None => None,
    };
    let thresholds = store::thresholds::load(&state.pool, id)
        .await
        .map_err(registry::AppError::from)?;
    let changes = store::thresholds::changes(&state.pool, id, 50)
        .await
        .map_err(registry::AppError::from)?;
    Ok(ThresholdsView {
        cluster_name,
        thresholds,
        changes,
    })
}

/// Saves one rule's thresholds for a cluster, or (no `id`) for every cluster;
/// empty fields inherit.
#[server(prefix = "/sfn", endpoint = "save_threshold")]
pub async fn save_threshold(
    id: Option<i64>,
    rule: String,
    warning: Option<String>,
    critical: Option<String>,
) -> Result<(), ApiError> {
    use crate::ssr::context::{state, user};
    use model::thresholds::{validate, RuleThresholdUpdate, ThresholdsUpdate};
    use model::FieldErrors;
    use registry::AppError;
    let me = user().await?;
    let state = state()?;
    if let Some(id) = id {
        state.clusters.get(id).await?;
    }
    let mut errors = FieldErrors::default();
    let mut number = |level: &str, v: Option<String>| -> Option<f64> {
        let v = v.filter(|v| !v.trim().is_empty())?;
        match v.trim().parse::<f64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add(
                    &format!("{rule}.{level}"),
                    i18n::say!(pages.th_not_a_number),
                );
                None
            }
        }
    };
    let update = ThresholdsUpdate {
        rules: vec![RuleThresholdUpdate {
            rule: rule.clone(),
            warning: number("warning", warning),
            critical: number("critical", critical),
        }],
    };
    if let Err(fields) = validate(&update) {
        for (k, v) in fields {
            errors.add(&k, v);
        }
    }
    if !errors.0.is_empty() {
        return Err(AppError::Validation(errors).into());
    }
    store::thresholds::save(&state.pool, id, &update, &me.username, store::now_ms())
        .await
        .map_err(AppError::from)?;
    Ok(())
}

/// A rule's title in `l`, as its health card says it.
fn rule_title(l: Locale, rule: &str) -> &'static str {
    let key = match rule {
        "disk" => MsgKey::TitleDisk,
        "compaction" => MsgKey::TitleCompaction,
        "jvm_heap" => MsgKey::TitleJvmHeap,
        "cpu" => MsgKey::TitleCpu,
        "error_rate" => MsgKey::TitleErrorRate,
        "transactions" => MsgKey::TitleTransactions,
        "txn_failed" => MsgKey::TitleTxnFailed,
        "metadata" => MsgKey::TitleMetadata,
        "rowsets" => MsgKey::TitleRowsets,
        _ => return "",
    };
    key.template(l)
}

/// A threshold for reading (`100,000`).
fn number(v: Option<f64>) -> String {
    v.map(model::format::threshold).unwrap_or_default()
}

/// A threshold for a number input, which takes no separators (`100000`).
fn plain(v: Option<f64>) -> String {
    number(v).replace(',', "")
}

#[component]
pub fn ThresholdsPage() -> impl IntoView {
    let params = use_params_map();
    // No id: the page of every cluster's thresholds. An id that is not a
    // number asks for cluster 0, which never exists: the server answers "not
    // found" in the reader's words.
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .map(|s| s.parse::<i64>().unwrap_or(0))
    });
    let save = ServerAction::<SaveThreshold>::new();
    let view_of = Resource::new(
        move || (id.get(), save.version().get()),
        |(id, _)| get_thresholds(id),
    );
    view! {
        <Title text=tr!(pages.th_title)/>
        <Transition fallback=|| ()>
            {move || view_of.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
                Ok(v) => view! { <ThresholdsBody v id=id.get_untracked() save/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn ThresholdsBody(
    v: ThresholdsView,
    id: Option<i64>,
    save: ServerAction<SaveThreshold>,
) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    // The rows this page sets: a cluster's own, or the global ones.
    let scope = if id.is_some() { "cluster" } else { "global" };
    let rows = v
        .thresholds
        .rules
        .clone()
        .into_iter()
        .map(|r| {
            let rule = r.rule.clone();
            let own = r.source == scope;
            let source = match r.source.as_str() {
                "cluster" => td_string!(l, pages.th_source_cluster),
                "global" => td_string!(l, pages.th_source_global),
                _ => td_string!(l, pages.th_source_default),
            };
            let default = match (r.default_warning, r.default_critical) {
                (Some(w), Some(c)) => format!("{} / {} {}", number(Some(w)), number(Some(c)), r.unit),
                (Some(w), None) => format!("{} {}", number(Some(w)), r.unit),
                _ => String::new(),
            };
            let has_critical = r.default_critical.is_some();
            let (warning, critical) = if own { (plain(r.warning), plain(r.critical)) } else { (String::new(), String::new()) };
            let placeholder_w = plain(r.warning);
            let placeholder_c = plain(r.critical);
            let error_of = {
                let rule = rule.clone();
                move || match save.value().get() {
                    Some(Err(e)) if save.input().get().is_none() => e
                        .field_errors()
                        .0
                        .iter()
                        .filter(|(k, _)| k.starts_with(&format!("{rule}.")) || **k == rule)
                        .map(|(_, m)| m.clone())
                        .next(),
                    _ => None,
                }
            };
            let title = rule_title(l, &rule);
            let (w_id, c_id) = (format!("w-{rule}"), format!("c-{rule}"));
            let w_label = format!("{title} {}", td_string!(l, pages.th_warning));
            let c_label = format!("{title} {}", td_string!(l, pages.th_critical));
            let unit = r.unit.clone();
            let rule_value = rule.clone();
            view! {
                <tr data-rule=rule>
                    <th scope="row">{title}</th>
                    <td class="num">{default}</td>
                    <td>{source}</td>
                    <td>
                        <ActionForm action=save attr:class="threshold-form">
                            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
                            <input type="hidden" name="rule" value=rule_value/>
                            <label class="sr-only" for=w_id.clone()>{w_label}</label>
                            <input id=w_id name="warning" type="number" step="any" min="0"
                                value=warning placeholder=placeholder_w inputmode="decimal"/>
                            {has_critical.then(|| view! {
                                <label class="sr-only" for=c_id.clone()>{c_label.clone()}</label>
                                <input id=c_id.clone() name="critical" type="number" step="any" min="0"
                                    value=critical.clone() placeholder=placeholder_c.clone() inputmode="decimal"/>
                            })}
                            " " <span class="muted small">{unit}</span> " "
                            <button class="button small primary" type="submit">{td_string!(l, pages.th_save)}</button>
                            {move || error_of().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                        </ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let changes = v.changes.clone();
    view! {
        {match (id, v.cluster_name.clone()) {
            (Some(id), Some(name)) => view! {
                <div class="page-head">
                    <h1>{fill(td_string!(l, pages.th_heading), &[("name", &name)])}</h1>
                    <a class="button" href=format!("/clusters/{id}/overview")>{td_string!(l, nodes.back_to_overview)}</a>
                </div>
                <p class="muted">{tr!(pages.th_intro)} " " <a href="/thresholds" data-testid="global-thresholds-link">{tr!(pages.th_global_link)}</a></p>
            }.into_any(),
            _ => view! {
                <div class="page-head">
                    <h1>{tr!(pages.th_global_heading)}</h1>
                    <a class="button" href="/clusters">{tr!(pages.th_back_to_fleet)}</a>
                </div>
                <p class="muted">{tr!(pages.th_global_intro)}</p>
            }.into_any(),
        }}
        {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! { <p class="alert info" role="status">{tr!(pages.th_saved)}</p> })}
        {move || match save.value().get() {
            Some(Err(e)) if !e.is_about_fields() => Some(view! { <ErrorNote message=e.message/> }),
            _ => None,
        }}
        <div class="table-wrap">
            <table class="data thresholds" data-testid="thresholds">
                <thead><tr>
                    <th scope="col">{tr!(pages.th_rule)}</th>
                    <th scope="col" class="num">{tr!(pages.th_default)}</th>
                    <th scope="col">{tr!(pages.th_source)}</th>
                    <th scope="col">{tr!(pages.th_warning)} " / " {tr!(pages.th_critical)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <h2>{tr!(pages.th_changes)}</h2>
        {if changes.is_empty() {
            view! { <p class="muted">{tr!(pages.th_no_changes)}</p> }.into_any()
        } else {
            view! { <ChangesTable changes/> }.into_any()
        }}
    }
}

#[component]
fn ChangesTable(changes: Vec<ThresholdChange>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let pair = |w: Option<f64>, c: Option<f64>| match (w, c) {
        (None, None) => td_string!(l, pages.th_reset).to_string(),
        (w, None) => number(w),
        (w, c) => format!("{} / {}", number(w), number(c)),
    };
    let rows = changes
        .into_iter()
        .map(|c| {
            let scope = if c.cluster_id.is_some() {
                td_string!(l, pages.th_source_cluster)
            } else {
                td_string!(l, pages.th_source_global)
            };
            view! {
                <tr>
                    <td><LocalTime ms=c.changed_at/></td>
                    <td translate="no">{c.changed_by}</td>
                    <td>{scope}</td>
                    <td>{rule_title(l, &c.rule)}</td>
                    <td class="num">{pair(c.old_warning, c.old_critical)}</td>
                    <td class="num">{pair(c.new_warning, c.new_critical)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data compact" data-testid="threshold-changes">
                <thead><tr>
                    <th scope="col">{tr!(pages.th_when)}</th>
                    <th scope="col">{tr!(pages.th_who)}</th>
                    <th scope="col">{tr!(pages.th_scope)}</th>
                    <th scope="col">{tr!(pages.th_rule)}</th>
                    <th scope="col" class="num">{tr!(pages.th_from)}</th>
                    <th scope="col" class="num">{tr!(pages.th_to)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
