//! The overview's operations section (issue 15), rendered by the server with
//! the rest of the figures (app::overview_html): the operations charts with
//! StarRocks' alert thresholds; Ingestion: the routine load jobs (paused
//! first) and the tablets per database (unhealthy first); and the resource
//! groups of the newest collection.

use super::overview_html::chart_panels;
use i18n::{td_string, use_i18n, Locale};
use leptos::prelude::*;
use model::chart::{ChartOption, OPS_CHARTS};
use model::format;
use model::operations::{DbTablets, OperationsView, ResourceGroupSample, RoutineLoadJob};

/// A count, or "not reported" in `l`: never 0 for a figure not reported.
fn reported(l: Locale, v: Option<i64>) -> String {
    match v {
        Some(_) => format::count(v),
        None => td_string!(l, overview.not_reported).into(),
    }
}

#[component]
pub fn OperationsSection(ops: OperationsView, opts: Vec<ChartOption>) -> impl IntoView {
    let charts = chart_panels(OPS_CHARTS, &ops.series, &ops.window, &opts, |_| None);
    view! {
        <section aria-labelledby="operations-title" class="overview-section" data-testid="operations">
            <h2 id="operations-title">{tr!(overview.operations)}</h2>
            <p class="muted small">{tr!(overview.operations_note)}</p>
            <div class="charts">{charts}</div>
            <section aria-labelledby="ingestion-title" data-testid="ingestion">
                <h3 id="ingestion-title">{tr!(overview.ingestion)}</h3>
                <RoutineLoadTable jobs=ops.routine_loads.clone()/>
                <TabletsTable dbs=ops.databases.clone() read=ops.latest.as_ref().is_some_and(|o| o.tablets.is_some())/>
            </section>
            <GroupsTable groups=ops.resource_groups.clone()/>
        </section>
    }
}

/// At most this many jobs are listed; the paused ones come first.
const MAX_JOBS: usize = 100;

#[component]
fn RoutineLoadTable(jobs: Vec<RoutineLoadJob>) -> impl IntoView {
    if jobs.is_empty() {
        return view! { <p class="muted">{tr!(overview.no_routine_loads)}</p> }.into_any();
    }
    let rows = jobs
        .into_iter()
        .take(MAX_JOBS)
        .map(|j| {
            let paused = j.paused();
            let pill = if paused { "pill health-warning" } else { "pill" };
            view! {
                <tr class:bad=paused>
                    <th scope="row" translate="no"><code>{format!("{}.{}", j.database, j.name)}</code></th>
                    <td translate="no"><code>{j.table_name.unwrap_or_default()}</code></td>
                    <td><span class=pill translate="no">{j.state}</span></td>
                    <td class="reason" translate="no">{j.reason.unwrap_or_default()}</td>
                    <td class="num" data-value=j.error_rows.map(|v| v.to_string())>{format::count(j.error_rows)}</td>
                    <td class="num" data-value=j.lag.map(|v| v.to_string())>{format::count(j.lag)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            // Sorted by public/assets/page.js when a header is pressed.
            <table class="data compact" data-testid="routine-loads" data-sortable="">
                <caption>{tr!(overview.routine_load_jobs)}</caption>
                <thead><tr>
                    <th scope="col"><button type="button" class="sort" data-sort-col="0">{tr!(overview.col_job)}</button></th>
                    <th scope="col"><button type="button" class="sort" data-sort-col="1">{tr!(overview.col_table)}</button></th>
                    <th scope="col"><button type="button" class="sort" data-sort-col="2">{tr!(overview.col_state)}</button></th>
                    <th scope="col">{tr!(overview.col_reason)}</th>
                    <th scope="col" class="num"><button type="button" class="sort" data-sort-col="4">{tr!(overview.col_error_rows)}</button></th>
                    <th scope="col" class="num"><button type="button" class="sort" data-sort-col="5">{tr!(overview.col_lag)}</button></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// At most this many databases are listed; the unhealthy ones come first.
const MAX_DBS: usize = 50;

#[component]
fn TabletsTable(dbs: Vec<DbTablets>, read: bool) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    if dbs.is_empty() {
        let text = if read {
            td_string!(l, overview.no_tables)
        } else {
            td_string!(l, overview.no_tablets_read)
        };
        return view! { <p class="muted">{text}</p> }.into_any();
    }
    let rows = dbs
        .into_iter()
        .take(MAX_DBS)
        .map(|d| {
            let bad = d.unhealthy.unwrap_or(0) + d.error_state.unwrap_or(0) > 0;
            view! {
                <tr class:bad=bad>
                    <th scope="row" translate="no"><code>{d.db_name}</code></th>
                    <td class="num">{format::count(d.tablets)}</td>
                    <td class="num">{reported(l, d.replicas)}</td>
                    <td class="num">{reported(l, d.unhealthy)}</td>
                    <td class="num">{reported(l, d.cloning)}</td>
                    <td class="num">{reported(l, d.error_state)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data compact" data-testid="tablets-per-db">
                <caption>{tr!(overview.tablets_per_db)}</caption>
                <thead><tr>
                    <th scope="col">{tr!(overview.col_database)}</th>
                    <th scope="col" class="num">{tr!(overview.col_tablets)}</th>
                    <th scope="col" class="num">{tr!(overview.col_replicas)}</th>
                    <th scope="col" class="num">{tr!(overview.col_unhealthy)}</th>
                    <th scope="col" class="num">{tr!(overview.col_cloning)}</th>
                    <th scope="col" class="num">{tr!(overview.col_error_state)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn GroupsTable(groups: Vec<ResourceGroupSample>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    if groups.is_empty() {
        return view! { <p class="muted">{tr!(overview.no_resource_groups)}</p> }.into_any();
    }
    let rows = groups
        .into_iter()
        .map(|g| {
            view! {
                <tr>
                    <th scope="row" translate="no"><code>{g.name}</code></th>
                    <td class="num">{reported(l, g.queries)}</td>
                    <td class="num">{reported(l, g.errors)}</td>
                    <td class="num">{format::with_unit(g.p99_ms, "ms")}</td>
                    <td class="num">{reported(l, g.queue_pending)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data compact" data-testid="resource-groups">
                <caption>{tr!(overview.resource_groups)}</caption>
                <thead><tr>
                    <th scope="col">{tr!(overview.col_group)}</th>
                    <th scope="col" class="num">{tr!(overview.col_queries)}</th>
                    <th scope="col" class="num">{tr!(overview.col_errors)}</th>
                    <th scope="col" class="num">{tr!(overview.col_p99)}</th>
                    <th scope="col" class="num">{tr!(overview.col_queued)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}
