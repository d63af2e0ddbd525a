//! The overview's node tables: frontends, then backends and compute nodes.

use super::charts::value_text;
use i18n::{fill, t_string, use_i18n, Locale};
use leptos::prelude::*;
use model::format;
use model::overview::{NodeInfo, Nodes};

fn pct(l: Locale, v: Option<f64>) -> String {
    value_text(l, v, "%")
}

fn alive(n: &NodeInfo) -> impl IntoView {
    let i18n = use_i18n();
    let up = n.alive;
    view! {
        <span class=if up { "status status-ok" } else { "status status-failed" }>
            {move || if up { t_string!(i18n, overview.alive) } else { t_string!(i18n, overview.dead) }}
        </span>
    }
}

/// Says so when the cluster listed more nodes than one collection reads.
fn cut_note(nodes: &Nodes, compute: bool) -> Option<impl IntoView> {
    let i18n = use_i18n();
    let listed = nodes.listed?;
    let frontends = format::count(Some(listed.frontends as i64));
    let backends = format::count(Some(listed.backends as i64));
    let max = format::count(Some(nodes.frontends.len().max(nodes.backends.len()) as i64));
    let text = move || {
        let template = if compute {
            t_string!(i18n, overview.nodes_cut_compute)
        } else {
            t_string!(i18n, overview.nodes_cut_backends)
        };
        let filled = fill(
            template,
            &[
                ("frontends", &frontends),
                ("backends", &backends),
                ("max", &max),
            ],
        );
        // The option's name stays code in every language.
        let (before, after) = i18n::split_at(&filled, "flag");
        (before.to_string(), after.to_string())
    };
    let text = Memo::new(move |_| text());
    Some(view! {
        <p class="alert warning" role="status" data-testid="nodes-cut">
            {move || text.get().0}<code>"--max-nodes"</code>{move || text.get().1}
        </p>
    })
}

#[component]
pub fn NodeTables(nodes: Nodes) -> impl IntoView {
    let i18n = use_i18n();
    let compute = !nodes.backends.is_empty() && nodes.backends.iter().all(|n| n.kind == "cn");
    let fe_rows = nodes
        .frontends
        .iter()
        .map(|n| {
            view! {
                <tr class:dead=!n.alive data-node=n.name.clone()>
                    <th scope="row" translate="no">{n.name.clone()}</th>
                    <td translate="no">{n.role.clone().unwrap_or_default()}</td>
                    <td>{alive(n)}</td>
                    <td translate="no">{n.version.clone().unwrap_or_default()}</td>
                    <td class="wide-only">{n.last_heartbeat.clone().unwrap_or_default()}</td>
                    <td class="wide-only" translate="no">{n.error.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let be_rows = nodes
        .backends
        .iter()
        .map(|n| {
            let (disk, tablets, cpu, mem) = (n.disk_used_pct, n.tablets, n.cpu_pct, n.mem_pct);
            view! {
                <tr class:dead=!n.alive data-node=n.name.clone()>
                    <th scope="row" translate="no">{n.name.clone()}</th>
                    <td>{alive(n)}</td>
                    <td class="wide-only" translate="no">{n.version.clone().unwrap_or_default()}</td>
                    <td class="num">{move || pct(i18n.get_locale(), disk)}</td>
                    <td class="num">{move || match tablets {
                        Some(t) => format::count(Some(t)),
                        None => t_string!(i18n, overview.no_value).to_string(),
                    }}</td>
                    <td class="num">{move || pct(i18n.get_locale(), cpu)}</td>
                    <td class="num">{move || pct(i18n.get_locale(), mem)}</td>
                    <td class="wide-only">{n.last_heartbeat.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let (n_fe, n_be) = (nodes.frontends.len(), nodes.backends.len());
    let be_caption = move || {
        let template = if compute {
            t_string!(i18n, overview.compute_nodes)
        } else {
            t_string!(i18n, overview.backends)
        };
        fill(template, &[("n", &n_be)])
    };
    view! {
        <section aria-labelledby="nodes-title" class="overview-section">
            <h2 id="nodes-title">{tr!(overview.nodes)}</h2>
            {nodes.collected_at.is_none().then(|| view! { <p class="muted">{tr!(overview.nodes_not_read)}</p> })}
            {cut_note(&nodes, compute)}
            <div class="table-wrap">
                <table class="data" data-testid="frontends">
                    <caption>{crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, overview.frontends), &[("n", &n_fe)]))}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(overview.col_name)}</th><th scope="col">{tr!(overview.col_role)}</th>
                        <th scope="col">{tr!(overview.col_alive)}</th>
                        <th scope="col">{tr!(overview.col_version)}</th>
                        <th scope="col" class="wide-only">{tr!(overview.col_last_heartbeat)}</th>
                        <th scope="col" class="wide-only">{tr!(overview.col_error)}</th>
                    </tr></thead>
                    <tbody>{fe_rows}</tbody>
                </table>
            </div>
            <div class="table-wrap">
                <table class="data" data-testid="backends">
                    <caption>{be_caption}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(overview.col_name)}</th><th scope="col">{tr!(overview.col_alive)}</th>
                        <th scope="col" class="wide-only">{tr!(overview.col_version)}</th>
                        <th scope="col" class="num">{tr!(overview.col_disk)}</th>
                        <th scope="col" class="num">{tr!(overview.col_tablets)}</th>
                        <th scope="col" class="num">{tr!(overview.col_cpu)}</th>
                        <th scope="col" class="num">{tr!(overview.col_memory)}</th>
                        <th scope="col" class="wide-only">{tr!(overview.col_last_heartbeat)}</th>
                    </tr></thead>
                    <tbody>{be_rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
