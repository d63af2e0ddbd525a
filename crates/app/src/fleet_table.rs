//! The fleet table, rendered by the server as HTML: sortable by any column
//! (the order lives in the URL), one line per cluster linking to its
//! overview. The browser inserts the HTML as it comes (app::fleet), so its
//! wasm carries none of this; the Delete buttons carry `data-` attributes
//! that the page's one click handler answers.

use super::charts::Sparkline;
use super::collection::CollectorStatusText;
use super::time::{ago, LocalTime};
use super::ui::health_word;
use i18n::{fill, t_string, td_string, use_i18n, Locale};
use leptos::prelude::*;
use model::fleet::{Fleet, FleetRow};
use model::format;
use model::snapshot::CollectorStatus;
use std::cmp::Ordering;

/// The table (or the empty fleet's card) and the collector's line as HTML in
/// `l`, sorted by `sort` (`None`: the worst clusters first) in `dir`.
pub fn render(
    l: Locale,
    fleet: Fleet,
    collector: Option<CollectorStatus>,
    sort: Option<&str>,
    dir: Option<&str>,
) -> String {
    let (key, desc) = sort_of(sort, dir);
    // The components read the language from the context a page has; this
    // render has its own owner, so the context lives as long as the render.
    let owner = Owner::current().map_or_else(Owner::new, |o| o.child());
    let html = owner.with(|| {
        provide_context(leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(
            Signal::stored(l),
        )));
        let collector = collector.map(|s| view! { <CollectorStatusText s/> });
        if fleet.clusters.is_empty() {
            return view! {
                <div class="card empty">
                    <h2>{tr!(fleet.empty_title)}</h2>
                    <p>{tr!(fleet.empty_text)}</p>
                    <a class="button primary" href="/clusters/new">{tr!(fleet.empty_add)}</a>
                </div>
                {collector}
            }
            .to_html();
        }
        let mut rows = fleet.clusters;
        sort_rows(&mut rows, &key, desc);
        view! { <FleetTable rows now=fleet.now sort_key=key desc/> {collector} }.to_html()
    });
    owner.cleanup();
    html
}

/// The column and direction the URL asks for; the worst clusters first
/// when it asks for none (or for a column that does not exist).
pub fn sort_of(sort: Option<&str>, dir: Option<&str>) -> (String, bool) {
    let key = sort
        .filter(|k| COLUMNS.iter().any(|(c, _, _)| c == k))
        .unwrap_or("status")
        .to_string();
    let desc = match dir {
        Some("asc") => false,
        Some("desc") => true,
        _ => COLUMNS.iter().any(|(c, _, d)| *c == key && *d),
    };
    (key, desc)
}

/// A column's header in a language.
type Header = fn(Locale) -> &'static str;

/// Sortable columns: URL key, header, whether the first click sorts descending.
const COLUMNS: &[(&str, Header, bool)] = &[
    ("name", |l| td_string!(l, fleet.col_name), false),
    ("status", |l| td_string!(l, fleet.col_status), true),
    ("version", |l| td_string!(l, fleet.col_version), false),
    ("fe", |l| td_string!(l, fleet.col_fe), true),
    ("be", |l| td_string!(l, fleet.col_be), true),
    ("qps", |l| td_string!(l, fleet.col_qps), true),
    ("p99", |l| td_string!(l, fleet.col_p99), true),
    ("disk", |l| td_string!(l, fleet.col_disk), true),
    ("alerts", |l| td_string!(l, fleet.col_alerts), true),
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

fn alive_of(l: Locale, alive: Option<i64>, total: Option<i64>) -> String {
    match (alive, total) {
        (Some(a), Some(t)) => format!("{a}/{t}"),
        _ => td_string!(l, fleet.n_a).into(),
    }
}

/// The class of an alive count: `partial` when some nodes are down (the
/// warning colour), `down` when none is alive.
fn alive_class(alive: Option<i64>, total: Option<i64>) -> &'static str {
    match (alive, total) {
        (Some(0), Some(t)) if t > 0 => "num alive down",
        (Some(a), Some(t)) if a < t => "num alive partial",
        _ => "num alive",
    }
}

/// The newest collection (`collected_at`) failed: the row's figures are
/// those of the last success, if any.
fn attempt_failed(collected_at: Option<i64>, last_success_at: Option<i64>) -> bool {
    collected_at.is_some() && last_success_at != collected_at
}

/// The alive counts shown are the last success's while the newest attempt
/// failed: they say so.
fn counts_stale(collected_at: Option<i64>, last_success_at: Option<i64>) -> bool {
    attempt_failed(collected_at, last_success_at) && last_success_at.is_some()
}

/// What a row says of its collection when the newest attempt failed: when the
/// figures it shows were collected, "last success 26 s ago · last attempt
/// failed". `None` while the newest attempt succeeded.
fn failed_attempt_line(
    l: Locale,
    now: i64,
    collected_at: Option<i64>,
    last_success_at: Option<i64>,
) -> Option<String> {
    if !attempt_failed(collected_at, last_success_at) {
        return None;
    }
    Some(match last_success_at {
        Some(at) => fill(
            td_string!(l, fleet.last_success_failed),
            &[("ago", &ago(l, now, at))],
        ),
        None => td_string!(l, fleet.never_succeeded_failed).into(),
    })
}

#[component]
fn FleetTable(rows: Vec<FleetRow>, now: i64, sort_key: String, desc: bool) -> impl IntoView {
    let i18n = use_i18n();
    let headers = COLUMNS
        .iter()
        .map(|&(key, label, first_desc)| {
            let active = key == sort_key;
            let next_desc = if active { !desc } else { first_desc };
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
            let class = match key {
                "qps" | "p99" | "disk" | "alerts" => "num",
                "version" | "fe" => "wide-only",
                _ => "",
            };
            view! {
                <th scope="col" class=class aria-sort=aria>
                    <a href=href class="sort">{move || label(i18n.get_locale())}{arrow}</a>
                </th>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap fleet-wrap">
            <table class="data fleet" data-testid="fleet">
                <thead>
                    // On a phone the header is the line of sort links the
                    // cards are ordered by.
                    <tr data-label=tr!(fleet.sort_by)>
                        {headers}
                        <th scope="col" class="nosort">{tr!(fleet.col_operations)}</th>
                        <th scope="col" class="wide-only nosort">{tr!(fleet.last_hour)}</th>
                        <th scope="col" class="nosort"><span class="sr-only">{tr!(fleet.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! { <FleetLine row=r now/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn FleetLine(row: FleetRow, now: i64) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.cluster_id;
    let name = row.name.clone();
    let top = row
        .qps_last_hour
        .values
        .iter()
        .flatten()
        .fold(0.0f64, |a, b| a.max(*b));
    let health = row.status;
    let status = health.as_str();
    let hi = if top > 0.0 { top * 1.1 } else { 1.0 };
    let version = row.version.clone();
    let (fe_alive, fe_total, be_alive, be_total) =
        (row.fe_alive, row.fe_total, row.be_alive, row.be_total);
    let (disk, collected_at) = (row.disk_used_pct, row.collected_at);
    // The question names the cluster, kept as written (not translated).
    let confirm_text = move || {
        let template = t_string!(i18n, fleet.confirm_text);
        let (before, after) = i18n::split_at(template, "name");
        view! { {before} <span translate="no">{name.clone()}</span> {after} }
    };
    let last_success_at = row.last_success_at;
    let failed = attempt_failed(collected_at, last_success_at);
    let collected = match collected_at {
        Some(_) if failed => Some(view! {
            <div class="small attempt-failed" data-testid="attempt">
                {crate::ui::said(move |l| failed_attempt_line(l, now, collected_at, last_success_at).unwrap_or_default())}
            </div>
        }.into_any()),
        Some(at) => Some(view! {
            <div class="muted small">
                {tr!(fleet.collected)} <LocalTime ms=at/>
                {crate::ui::said(move |l| fill(::leptos_i18n::td_string!(l, fleet.collected_ago), &[("ago", &ago(l, now, at))]))}
            </div>
        }.into_any()),
        None => None,
    };
    let stale_counts = counts_stale(collected_at, last_success_at);
    let stale_note = move || {
        stale_counts.then(|| view! { <span class="stale-note">{tr!(fleet.stale_counts)}</span> })
    };
    // Each cell names its column, the label of a card on a phone. The rows are
    // rebuilt when the language changes (the fleet is fetched again).
    let l = i18n.get_locale_untracked();
    let label = |i: usize| (COLUMNS[i].1)(l);
    view! {
        <tr data-cluster=row.name.clone() class:stale=row.stale>
            <th scope="row">
                <a href=format!("/clusters/{id}/overview") translate="no">{row.name.clone()}</a>
                <div class="muted small"><code>{row.http_url.clone()}</code></div>
                {(!row.description.is_empty()).then(|| view! { <div class="muted small" translate="no">{row.description.clone()}</div> })}
                <div>{row.tags.iter().map(|t| view! { <span class="tag" translate="no">{t.clone()}</span> }).collect_view()}</div>
            </th>
            <td>
                <span class=format!("pill health-{status}") title=row.status_reason.clone()>{move || health_word(i18n.get_locale(), health)}</span>
                <div class="small status-reason">{crate::ui::quoting(&row.status_reason, &row.quoted)}</div>
                {row.silenced_until.map(|until| view! {
                    <div class="small muted" data-testid="silenced">{td_string!(l, fleet.silenced_until)} " " <super::time::LocalTime ms=until/></div>
                })}
                {collected}
            </td>
            <td class="wide-only version" translate="no" data-label=label(2)>{move || version.clone().unwrap_or_else(|| t_string!(i18n, fleet.n_a).into())}</td>
            <td class=format!("wide-only {}", alive_class(fe_alive, fe_total)) data-label=label(3)>
                {move || alive_of(i18n.get_locale(), fe_alive, fe_total)}{stale_note}
            </td>
            <td class=alive_class(be_alive, be_total) data-label=label(4)>
                {move || alive_of(i18n.get_locale(), be_alive, be_total)}{stale_note}
            </td>
            <td class="num" data-label=label(5)>{format::with_unit(row.qps, "")}</td>
            <td class="num" data-label=label(6)>{format::with_unit(row.latency_p99_ms, "ms")}</td>
            <td class="num" data-label=label(7)>{move || match disk {
                Some(p) => format::with_unit(Some(p), "%"),
                None if collected_at.is_some() => t_string!(i18n, fleet.not_reported).into(),
                None => t_string!(i18n, fleet.n_a).into(),
            }}</td>
            <td class="num" data-label=label(8)>{format::thousands(row.active_alerts)}</td>
            // The worst open operations alert, in words; a dash when none.
            <td class="small ops-problem" data-label=td_string!(l, fleet.col_operations) data-testid="ops-problem">
                {match &row.ops_problem {
                    Some(p) => crate::ui::quoting(p, &row.quoted).into_any(),
                    None => "—".into_any(),
                }}
            </td>
            <td class="wide-only spark-cell" data-label=td_string!(l, fleet.last_hour)>
                <Sparkline series=vec![row.qps_last_hour.clone()] lo=0.0 hi/>
            </td>
            // Both states of the row's actions: app::fleet's click handler
            // swaps them (Delete asks first, in the row).
            <td class="actions">
                <div class="row-actions">
                    <a class="button small" href=format!("/clusters/{id}/edit")>{tr!(fleet.edit)}</a>
                    <button class="button small danger-outline" type="button" data-delete=id>
                        {tr!(fleet.delete)}
                    </button>
                </div>
                <div class="confirm" role="alertdialog" aria-label=tr!(fleet.confirm_label) hidden>
                    <span>{confirm_text}</span>
                    <button class="button small danger" type="button" data-confirm-delete=id>
                        {tr!(fleet.delete_cluster)}
                    </button>
                    <button class="button small" type="button" data-cancel-delete="">{tr!(fleet.cancel)}</button>
                </div>
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
            last_success_at: None,
            stale: false,
            error: None,
            active_alerts: 0,
            ops_problem: None,
            quoted: Vec::new(),
            silenced_until: None,
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

    // A Chinese page quotes StarRocks' English reason and a job's name as
    // they are; they are marked so neither a translator nor a reader takes
    // them for the page's own words.
    #[tokio::test]
    async fn the_clusters_own_words_in_a_reason_are_marked_untranslated() {
        let _ = any_spawner::Executor::init_tokio();
        let reason =
            "ErrorReason{errCode = 102, msg='current error rows is more than max error num'}";
        let mut r = row("a", HealthStatus::Warning, None);
        r.status_reason = format!("例行导入：作业 clicks_from_kafka 已暂停：{reason}");
        r.ops_problem = Some(format!("例行导入：作业 clicks_from_kafka 已暂停：{reason}"));
        r.quoted = vec!["clicks_from_kafka".into(), reason.into()];
        let html = render(
            Locale::zh_CN,
            Fleet {
                clusters: vec![r],
                now: 0,
            },
            None,
            None,
            None,
        );
        // In the status line and in the Operations column.
        let marked = |w: &str| {
            html.matches(&format!(r#"<span translate="no">{w}"#))
                .count()
        };
        assert_eq!(marked("clicks_from_kafka"), 2, "{html}");
        assert_eq!(marked(reason), 2, "{html}");
        assert!(html.contains("例行导入：作业 "), "{html}");
    }

    // On the server's runtime, as a server function renders it.
    #[tokio::test]
    async fn the_server_renders_the_table_in_the_readers_language_with_its_delete_question() {
        let _ = any_spawner::Executor::init_tokio();
        let fleet = |clusters| Fleet { clusters, now: 0 };
        let mut critical = row("b-critical", HealthStatus::Critical, None);
        critical.cluster_id = 7;
        let rows = vec![row("a-healthy", HealthStatus::Healthy, Some(1.0)), critical];
        let html = render(Locale::zh_CN, fleet(rows.clone()), None, None, None);
        assert!(html.contains("集群") && html.contains("状态"), "{html}");
        // The worst first, its Delete naming the cluster, the question hidden
        // until asked and naming the cluster as written.
        let (worst, healthy) = (html.find("b-critical"), html.find("a-healthy"));
        assert!(worst < healthy, "{html}");
        assert!(html.contains(r#"data-delete="7""#), "{html}");
        assert!(html.contains(r#"data-confirm-delete="7""#), "{html}");
        assert!(
            html.contains(r#"role="alertdialog""#) && html.contains(" hidden"),
            "{html}"
        );
        assert!(
            html.contains("确定删除“<span translate=\"no\">b-critical"),
            "{html}"
        );
        // The URL's order, and the header link that reverses it.
        let html = render(Locale::en, fleet(rows), None, Some("name"), Some("desc"));
        assert!(html.find("b-critical") < html.find("a-healthy"), "{html}");
        assert!(html.contains("/clusters?sort=name&amp;dir=asc"), "{html}");
        assert!(html.contains(">Cluster"), "{html}");
        let empty = render(Locale::en, fleet(vec![]), None, None, None);
        assert!(
            empty.contains(r#"href="/clusters/new""#) && !empty.contains("<table"),
            "{empty}"
        );
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
    fn a_failed_attempt_says_when_the_figures_were_collected() {
        let now = 1_800_000_000_000;
        let line = |l, collected, success| failed_attempt_line(l, now, collected, success);
        // The newest attempt succeeded (or none was made): the row says when
        // it collected, as before.
        assert_eq!(line(Locale::en, Some(now - 5_000), Some(now - 5_000)), None);
        assert_eq!(line(Locale::en, None, None), None);
        assert_eq!(
            line(Locale::en, Some(now - 1_000), Some(now - 26_000)).as_deref(),
            Some("Last success 26 s ago · last attempt failed")
        );
        assert_eq!(
            line(Locale::zh_CN, Some(now - 1_000), Some(now - 26_000)).as_deref(),
            Some("上次成功采集：26 秒前 · 最近一次采集失败")
        );
        assert_eq!(
            line(Locale::en, Some(now), None).as_deref(),
            Some("No successful collection yet · last attempt failed")
        );
        assert_eq!(
            line(Locale::zh_CN, Some(now), None).as_deref(),
            Some("尚无成功的采集 · 最近一次采集失败")
        );
    }

    #[test]
    fn counts_from_before_a_failed_attempt_are_stale() {
        let now = 1_800_000_000_000;
        assert!(counts_stale(Some(now), Some(now - 30_000)));
        assert!(
            !counts_stale(Some(now), Some(now)),
            "from the newest attempt"
        );
        assert!(!counts_stale(Some(now), None), "no counts to mark");
        assert!(!counts_stale(None, None));
    }

    #[test]
    fn some_nodes_down_is_a_warning_none_alive_is_critical() {
        assert_eq!(alive_class(Some(3), Some(3)), "num alive");
        assert_eq!(alive_class(Some(1), Some(2)), "num alive partial");
        assert_eq!(alive_class(Some(0), Some(2)), "num alive down");
        assert_eq!(alive_class(Some(0), Some(0)), "num alive");
        assert_eq!(alive_class(None, Some(3)), "num alive");
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
