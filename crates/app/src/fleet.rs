//! The fleet page, `/clusters`: every registered cluster at a glance, sortable
//! by any column (the order lives in the URL), each linking to its overview.

use super::charts::Sparkline;
use super::clusters::DeleteCluster;
use super::collection::CollectorStatusLine;
use super::refresh;
use super::time::{ago, LocalTime};
use super::ui::ErrorNote;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use model::fleet::{Fleet, FleetRow};
use model::format;
use model::ApiError;
use std::cmp::Ordering;

#[server(prefix = "/sfn", endpoint = "get_fleet")]
pub async fn get_fleet() -> Result<Fleet, ApiError> {
    use crate::ssr::context::{state, user};
    use store::now_ms;
    user().await?;
    Ok(state()?.overview.fleet(now_ms()).await?)
}

/// The page refetches itself this often, the collector's default interval, so a
/// fleet left open on a wall screen stays current.
pub const FLEET_REFRESH_S: u32 = 30;

/// Sortable columns: URL key, header, whether the first click sorts descending.
const COLUMNS: &[(&str, &str, bool)] = &[
    ("name", "Cluster", false),
    ("status", "Status", true),
    ("version", "Version", false),
    ("fe", "FE alive", true),
    ("be", "BE/CN alive", true),
    ("qps", "QPS", true),
    ("p99", "p99", true),
    ("disk", "Disk", true),
    ("alerts", "Alerts", true),
];

/// Known values first in the asked order; unknown ones always last.
fn by_option<T: PartialOrd>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => {
            let o = a.partial_cmp(&b).unwrap_or(Ordering::Equal);
            if desc {
                o.reverse()
            } else {
                o
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn dead(alive: Option<i64>, total: Option<i64>) -> Option<i64> {
    Some(total? - alive?)
}

/// Sorts in place by `key`; ties (and unknown keys) fall back to the name.
pub fn sort_rows(rows: &mut [FleetRow], key: &str, desc: bool) {
    rows.sort_by(|a, b| {
        let o = match key {
            // HealthStatus orders healthy, unknown, warning, critical.
            "status" => by_option(Some(a.status), Some(b.status), desc),
            "version" => by_option(a.version.as_ref(), b.version.as_ref(), desc),
            // Most dead nodes first when descending.
            "fe" => by_option(
                dead(a.fe_alive, a.fe_total),
                dead(b.fe_alive, b.fe_total),
                desc,
            ),
            "be" => by_option(
                dead(a.be_alive, a.be_total),
                dead(b.be_alive, b.be_total),
                desc,
            ),
            "qps" => by_option(a.qps, b.qps, desc),
            "p99" => by_option(a.latency_p99_ms, b.latency_p99_ms, desc),
            "disk" => by_option(a.disk_used_pct, b.disk_used_pct, desc),
            "alerts" => by_option(Some(a.active_alerts), Some(b.active_alerts), desc),
            "name" if desc => b.name.to_lowercase().cmp(&a.name.to_lowercase()),
            _ => Ordering::Equal,
        };
        o.then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
}

fn alive_of(alive: Option<i64>, total: Option<i64>) -> String {
    match (alive, total) {
        (Some(a), Some(t)) => format!("{a}/{t}"),
        _ => "n/a".into(),
    }
}

#[component]
pub fn FleetPage() -> impl IntoView {
    let delete = ServerAction::<DeleteCluster>::new();
    let tick = RwSignal::new(0u64);
    let fleet = Resource::new(
        move || (delete.version().get(), tick.get()),
        |_| get_fleet(),
    );
    // The cluster whose deletion waits for confirmation: kept here, so the
    // refresh that rebuilds the rows keeps the question open.
    let confirming = RwSignal::new(None::<i64>);
    refresh::every(
        || FLEET_REFRESH_S,
        move || {
            // Not under a keyboard user's focus, nor while a deletion is asked.
            if confirming.get_untracked().is_none() && !refresh::focus_within(".fleet") {
                tick.update(|t| *t += 1);
            }
        },
    );
    let query = use_query_map();
    // The worst clusters first unless the URL asks otherwise.
    let sort = Memo::new(move |_| {
        let q = query.read();
        let key = q
            .get("sort")
            .filter(|k| COLUMNS.iter().any(|(c, _, _)| c == k))
            .unwrap_or_else(|| "status".into());
        let desc = match q.get("dir").as_deref() {
            Some("asc") => false,
            Some("desc") => true,
            _ => COLUMNS.iter().any(|(c, _, d)| *c == key && *d),
        };
        (key, desc)
    });
    view! {
        <Title text="Clusters"/>
        <div class="page-head">
            <h1>"Clusters"</h1>
            <a class="button primary" href="/clusters/new">"Add cluster"</a>
        </div>
        <p class="muted small" data-testid="fleet-refresh">
            {format!("Updates every {FLEET_REFRESH_S} s while the page is open.")}
        </p>
        {move || delete.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorNote message=e.message/> })}
        <Transition fallback=|| view! { <p class="muted">"Loading clusters…"</p> }>
            {move || fleet.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
                Ok(f) if f.clusters.is_empty() => view! {
                    <div class="card empty">
                        <h2>"No clusters yet"</h2>
                        <p>"Register a StarRocks cluster by its frontend (FE) host, its HTTP port (8030) and its MySQL port (9030)."</p>
                        <a class="button primary" href="/clusters/new">"Add your first cluster"</a>
                    </div>
                }.into_any(),
                Ok(f) => {
                    let (key, desc) = sort.get();
                    let mut rows = f.clusters;
                    sort_rows(&mut rows, &key, desc);
                    view! { <FleetTable rows now=f.now sort_key=key desc delete confirming/> }.into_any()
                }
            })}
        </Transition>
        <CollectorStatusLine/>
    }
}

#[component]
fn FleetTable(
    rows: Vec<FleetRow>,
    now: i64,
    sort_key: String,
    desc: bool,
    delete: ServerAction<DeleteCluster>,
    confirming: RwSignal<Option<i64>>,
) -> impl IntoView {
    let headers = COLUMNS
        .iter()
        .map(|(key, label, first_desc)| {
            let active = *key == sort_key;
            let next_desc = if active { !desc } else { *first_desc };
            let href = format!(
                "/clusters?sort={key}&dir={}",
                if next_desc { "desc" } else { "asc" }
            );
            let aria = active.then_some(if desc { "descending" } else { "ascending" });
            let arrow = if active {
                if desc {
                    " ▼"
                } else {
                    " ▲"
                }
            } else {
                ""
            };
            let class = match *key {
                "qps" | "p99" | "disk" | "alerts" => "num",
                "version" | "fe" => "wide-only",
                _ => "",
            };
            view! {
                <th scope="col" class=class aria-sort=aria>
                    <a href=href class="sort">{*label}{arrow}</a>
                </th>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="data fleet" data-testid="fleet">
                <thead>
                    <tr>
                        {headers}
                        <th scope="col" class="wide-only">"Last hour"</th>
                        <th scope="col"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! { <FleetLine row=r now delete confirming/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn FleetLine(
    row: FleetRow,
    now: i64,
    delete: ServerAction<DeleteCluster>,
    confirming: RwSignal<Option<i64>>,
) -> impl IntoView {
    let id = row.cluster_id;
    let name = row.name.clone();
    let top = row
        .qps_last_hour
        .values
        .iter()
        .flatten()
        .fold(0.0f64, |a, b| a.max(*b));
    let status = row.status.as_str();
    let hi = if top > 0.0 { top * 1.1 } else { 1.0 };
    let collected = row.collected_at.map(|at| {
        view! {
            <div class="muted small">
                "Collected " <LocalTime ms=at/> {format!(" ({})", ago(i18n::use_i18n().get_locale_untracked(), now, at))}
            </div>
        }
    });
    view! {
        <tr data-cluster=row.name.clone() class:stale=row.stale>
            <th scope="row">
                <a href=format!("/clusters/{id}/overview")>{row.name.clone()}</a>
                <div class="muted small"><code>{row.http_url.clone()}</code></div>
                {(!row.description.is_empty()).then(|| view! { <div class="muted small">{row.description.clone()}</div> })}
                <div>{row.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</div>
            </th>
            <td>
                <span class=format!("pill health-{status}") title=row.status_reason.clone()>{status}</span>
                <div class="small status-reason">{row.status_reason.clone()}</div>
                {collected}
            </td>
            <td class="wide-only">{row.version.clone().unwrap_or_else(|| "n/a".into())}</td>
            <td class="wide-only num">{alive_of(row.fe_alive, row.fe_total)}</td>
            <td class="num">{alive_of(row.be_alive, row.be_total)}</td>
            <td class="num">{format::with_unit(row.qps, "")}</td>
            <td class="num">{format::with_unit(row.latency_p99_ms, "ms")}</td>
            <td class="num">{match row.disk_used_pct {
                Some(p) => format::with_unit(Some(p), "%"),
                None if row.collected_at.is_some() => "not reported".into(),
                None => "n/a".into(),
            }}</td>
            <td class="num">{format::thousands(row.active_alerts)}</td>
            <td class="wide-only spark-cell">
                <Sparkline series=vec![row.qps_last_hour.clone()] lo=0.0 hi/>
            </td>
            <td class="actions">
                <Show
                    when=move || confirming.get() == Some(id)
                    fallback=move || view! {
                        <a class="button small" href=format!("/clusters/{id}/edit")>"Edit"</a>
                        <button class="button small danger-outline" type="button" on:click=move |_| confirming.set(Some(id))>
                            "Delete"
                        </button>
                    }
                >
                    <div class="confirm" role="alertdialog" aria-label="Confirm deletion">
                        <span>{format!("Delete \"{name}\" and all its collected history? This cannot be undone.")}</span>
                        <button class="button small danger" type="button"
                            on:click=move |_| {
                                confirming.set(None);
                                delete.dispatch(DeleteCluster { id });
                            }>
                            "Delete cluster"
                        </button>
                        <button class="button small" type="button" on:click=move |_| confirming.set(None)>"Cancel"</button>
                    </div>
                </Show>
            </td>
        </tr>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::overview::{HealthStatus, Series};

    fn row(name: &str, status: HealthStatus, qps: Option<f64>) -> FleetRow {
        FleetRow {
            cluster_id: 1,
            name: name.into(),
            description: String::new(),
            tags: vec![],
            http_url: String::new(),
            status,
            status_reason: String::new(),
            version: None,
            fe_alive: Some(3),
            fe_total: Some(3),
            be_alive: Some(3),
            be_total: Some(3),
            qps,
            latency_p99_ms: None,
            disk_used_pct: None,
            collected_at: None,
            stale: false,
            error: None,
            active_alerts: 0,
            qps_last_hour: Series {
                key: "qps".into(),
                label: String::new(),
                unit: String::new(),
                aggregate: "avg".into(),
                start: 0,
                step_ms: 60_000,
                values: vec![],
            },
        }
    }

    fn names(rows: &[FleetRow]) -> Vec<&str> {
        rows.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn worst_status_first_then_by_name() {
        let mut rows = vec![
            row("b", HealthStatus::Healthy, None),
            row("c", HealthStatus::Critical, None),
            row("a", HealthStatus::Healthy, None),
            row("d", HealthStatus::Warning, None),
        ];
        sort_rows(&mut rows, "status", true);
        assert_eq!(names(&rows), ["c", "d", "a", "b"]);
    }

    #[test]
    fn unknown_figures_sort_last_both_ways() {
        let mut rows = vec![
            row("none", HealthStatus::Healthy, None),
            row("low", HealthStatus::Healthy, Some(1.0)),
            row("high", HealthStatus::Healthy, Some(900.0)),
        ];
        sort_rows(&mut rows, "qps", true);
        assert_eq!(names(&rows), ["high", "low", "none"]);
        sort_rows(&mut rows, "qps", false);
        assert_eq!(names(&rows), ["low", "high", "none"]);
    }

    #[test]
    fn dead_nodes_first_when_descending() {
        let mut a = row("a", HealthStatus::Healthy, None);
        let mut b = row("b", HealthStatus::Critical, None);
        b.be_alive = Some(1);
        a.be_alive = Some(3);
        let mut rows = vec![a, b];
        sort_rows(&mut rows, "be", true);
        assert_eq!(names(&rows), ["b", "a"]);
    }
}
