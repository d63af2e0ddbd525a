//! The overview's node tables: frontends, then backends or compute nodes.
//! Each node opens its own page (`node_page`) on the overview's range. The
//! tables are rendered by the server only (app::overview_html); the pill
//! and the heartbeat serve the node's page too.

use super::time::LocalTime;
use i18n::{t_string, use_i18n};
use leptos::prelude::*;
use model::node::heartbeat_ms;
use model::overview::NodeInfo;
#[cfg(feature = "ssr")]
pub use tables::NodeTables;

/// "alive" or "dead" in the status colours.
pub fn alive_pill(up: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=if up { "status status-ok" } else { "status status-failed" }>
            {move || if up { t_string!(i18n, nodes.alive) } else { t_string!(i18n, nodes.dead) }}
        </span>
    }
}

/// The last heartbeat in the page's time format and zone; as StarRocks
/// wrote it when it cannot be read as a time.
pub fn heartbeat(n: &NodeInfo, zone_offset_ms: i64) -> impl IntoView {
    match heartbeat_ms(n, zone_offset_ms) {
        Some(ms) => view! { <LocalTime ms/> }.into_any(),
        None => n.last_heartbeat.clone().unwrap_or_default().into_any(),
    }
}

#[cfg(feature = "ssr")]
mod tables {
    use super::super::charts::value_text;
    use super::super::node_page::node_url;
    use super::super::overview::ViewQuery;
    use super::{alive_pill, heartbeat};
    use i18n::{fill, t_string, use_i18n, Locale};
    use leptos::prelude::*;
    use model::format;
    use model::node::{key_of, label, zone_offset_ms};
    use model::overview::{NodeInfo, Nodes};

    /// A live figure: "—" for a dead node, whose last figures StarRocks keeps
    /// listing (a CPU of 0 %) though nothing was read.
    fn live(l: Locale, alive: bool, v: Option<f64>) -> String {
        if alive {
            value_text(l, v, "%")
        } else {
            "—".into()
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
                t_string!(i18n, nodes.nodes_cut_compute)
            } else {
                t_string!(i18n, nodes.nodes_cut_backends)
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

    /// The tables of cluster `id`'s nodes; a node's page opens on the overview's
    /// view `view_q`.
    #[component]
    pub fn NodeTables(nodes: Nodes, id: i64, view_q: ViewQuery) -> impl IntoView {
        let i18n = use_i18n();
        let link = |n: &NodeInfo| node_url(id, &key_of(n), &view_q);
        let offset = zone_offset_ms(&nodes);
        let compute = !nodes.backends.is_empty() && nodes.backends.iter().all(|n| n.kind == "cn");
        let fe_rows = nodes
            .frontends
            .iter()
            .map(|n| {
                view! {
                    <tr class:dead=!n.alive data-node=n.name.clone()>
                        <td>{alive_pill(n.alive)}</td>
                        <th scope="row" translate="no"><a href=link(n) title=tr!(nodes.open_node)>{n.name.clone()}</a></th>
                        <td translate="no">{n.role.clone().unwrap_or_default()}</td>
                        <td translate="no">{n.version.clone().unwrap_or_default()}</td>
                        <td class="wide-only">{heartbeat(n, offset)}</td>
                        <td class="wide-only" translate="no">{n.error.clone().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        let be_rows = nodes
            .backends
            .iter()
            .map(|n| {
                let (disk, tablets, cpu, mem, up) =
                    (n.disk_used_pct, n.tablets, n.cpu_pct, n.mem_pct, n.alive);
                let figure = move |v: Option<f64>| move || live(i18n.get_locale(), up, v);
                let name = label(n);
                // The id too, when the address names the node.
                let id_note = (name != n.name).then(|| {
                    let id = n.name.clone();
                    view! {
                        <span class="muted small">" "{crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, nodes.node_id), &[("id", &id)]))}</span>
                    }
                });
                let dead_title = move || (!up).then(|| t_string!(i18n, nodes.dead_figure));
                view! {
                    <tr class:dead=!up data-node=n.name.clone() data-address=model::node::address(n)>
                        <td>{alive_pill(up)}</td>
                        <th scope="row" translate="no"><a href=link(n) title=tr!(nodes.open_node)>{name}</a>{id_note}</th>
                        <td class="wide-only" translate="no">{n.version.clone().unwrap_or_default()}</td>
                        <td class="num" title=dead_title data-figure="disk">{figure(disk)}</td>
                        <td class="num">{move || match tablets {
                            Some(t) => format::count(Some(t)),
                            None => t_string!(i18n, overview.no_value).to_string(),
                        }}</td>
                        <td class="num" title=dead_title data-figure="cpu">{figure(cpu)}</td>
                        <td class="num" title=dead_title data-figure="memory">{figure(mem)}</td>
                        <td class="wide-only">{heartbeat(n, offset)}</td>
                    </tr>
                }
            })
            .collect_view();
        let (n_fe, n_be) = (nodes.frontends.len(), nodes.backends.len());
        let be_caption = move || {
            let template = if compute {
                t_string!(i18n, nodes.compute_nodes)
            } else {
                t_string!(i18n, nodes.backends)
            };
            fill(template, &[("n", &n_be)])
        };
        view! {
            <section aria-labelledby="nodes-title" class="overview-section">
                <h2 id="nodes-title">{tr!(nodes.nodes)}</h2>
                {nodes.collected_at.is_none().then(|| view! { <p class="muted">{tr!(nodes.nodes_not_read)}</p> })}
                {cut_note(&nodes, compute)}
                <div class="table-wrap">
                    <table class="data" data-testid="frontends">
                        <caption>{crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, nodes.frontends), &[("n", &n_fe)]))}</caption>
                        <thead><tr>
                            <th scope="col">{tr!(nodes.col_alive)}</th>
                            <th scope="col">{tr!(nodes.col_name)}</th><th scope="col">{tr!(nodes.col_role)}</th>
                            <th scope="col">{tr!(nodes.col_version)}</th>
                            <th scope="col" class="wide-only">{tr!(nodes.col_last_heartbeat)}</th>
                            <th scope="col" class="wide-only">{tr!(nodes.col_error)}</th>
                        </tr></thead>
                        <tbody>{fe_rows}</tbody>
                    </table>
                </div>
                <div class="table-wrap">
                    <table class="data" data-testid="backends">
                        <caption>{be_caption}</caption>
                        <thead><tr>
                            <th scope="col">{tr!(nodes.col_alive)}</th>
                            <th scope="col">{tr!(nodes.col_node)}</th>
                            <th scope="col" class="wide-only">{tr!(nodes.col_version)}</th>
                            <th scope="col" class="num">{tr!(nodes.col_disk)}</th>
                            <th scope="col" class="num">{tr!(nodes.col_tablets)}</th>
                            <th scope="col" class="num">{tr!(nodes.col_cpu)}</th>
                            <th scope="col" class="num">{tr!(nodes.col_memory)}</th>
                            <th scope="col" class="wide-only">{tr!(nodes.col_last_heartbeat)}</th>
                        </tr></thead>
                        <tbody>{be_rows}</tbody>
                    </table>
                </div>
            </section>
        }
        .into_any()
    }
}
