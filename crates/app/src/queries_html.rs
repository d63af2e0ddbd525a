//! The Queries page's content rendered by the server as HTML (issue 16), as
//! the fleet and the overview are: the running queries (sorted and filtered
//! by the URL, each with its stop question), the activity log, and the audit
//! table's history. The page (app::queries_page) inserts it; its wasm keeps
//! only the stop itself and the URL's controls, and public/assets/page.js
//! asks the stop question in the row and writes the times in the reader's zone.

use super::queries_page::{PageQuery, DEFAULT_RANGE, REFRESH};
use super::time::LocalTime;
use i18n::{fill, td_string, use_i18n, Locale};
use leptos::prelude::*;
use model::format;
use model::queries::{ActivityEntry, QueryHistory, RunningQueries, RunningQuery, TopBy, TopList};

impl PageQuery {
    pub(crate) fn sort_key(&self) -> &str {
        self.sort.as_deref().unwrap_or("run")
    }

    pub(crate) fn ascending(&self) -> bool {
        match self.dir.as_deref() {
            Some("asc") => true,
            Some("desc") => false,
            _ => !largest_first(self.sort_key()),
        }
    }

    /// Sorting by `key`: figures largest first, names from A; again by the
    /// same key turns the order around. Run time, longest first, is the
    /// default and stays out of the URL.
    pub(crate) fn sorted_by(&self, key: &str) -> Self {
        let asc = if self.sort_key() == key {
            !self.ascending()
        } else {
            !largest_first(key)
        };
        let default = key == "run" && !asc;
        PageQuery {
            sort: (!default).then(|| key.to_string()),
            dir: (!default).then(|| if asc { "asc" } else { "desc" }.to_string()),
            ..self.clone()
        }
    }
}

/// Columns whose first sort puts the largest first.
fn largest_first(key: &str) -> bool {
    matches!(
        key,
        "start" | "conn" | "run" | "cpu" | "mem" | "scan" | "rows" | "spill"
    )
}

/// The history's ranges: the audit table is read live, so not months.
const RANGES: &[&str] = &["1h", "6h", "24h", "3d", "7d"];

/// Renders `v` in `l` with the page's i18n context, as app::overview_html does.
pub(crate) fn html_in(l: Locale, v: impl FnOnce() -> AnyView) -> String {
    let owner = Owner::current().map_or_else(Owner::new, |o| o.child());
    let html = owner.with(|| {
        provide_context(leptos_i18n::context::init_i18n_subcontext::<Locale>(Some(
            Signal::stored(l),
        )));
        v().to_html()
    });
    owner.cleanup();
    html
}

/// The running queries (or StarRocks' refusal) and the activity log.
pub fn render_running(
    l: Locale,
    id: i64,
    running: Result<RunningQueries, String>,
    activity: Vec<ActivityEntry>,
    q: &PageQuery,
) -> String {
    let q = q.clone();
    html_in(l, move || {
        view! {
            <section aria-labelledby="running-title" class="overview-section">
                <h2 id="running-title">{td_string!(l, pages.q_running)}</h2>
                {match running {
                    Err(message) => view! {
                        <p class="alert error" role="alert" data-testid="running-refused">{message}</p>
                    }.into_any(),
                    Ok(r) => view! { <RunningTable r id q/> }.into_any(),
                }}
            </section>
            <ActivityLog entries=activity/>
        }
        .into_any()
    })
}

/// The audit table's history of the window.
pub fn render_history(l: Locale, id: i64, h: QueryHistory, q: &PageQuery) -> String {
    let q = q.clone();
    html_in(l, move || view! { <HistorySection h id q/> }.into_any())
}

/// The running queries' columns, by their URL key.
const COLUMNS: [&str; 14] = [
    "start",
    "fe",
    "query",
    "conn",
    "user",
    "db",
    "group",
    "warehouse",
    "run",
    "cpu",
    "mem",
    "scan",
    "rows",
    "spill",
];

fn column_label(l: Locale, key: &str) -> &'static str {
    match key {
        "start" => td_string!(l, pages.q_col_start),
        "fe" => td_string!(l, pages.q_col_fe),
        "query" => td_string!(l, pages.q_col_query),
        "conn" => td_string!(l, pages.q_col_connection),
        "user" => td_string!(l, pages.q_col_user),
        "db" => td_string!(l, pages.q_col_database),
        "group" => td_string!(l, pages.q_col_group),
        "warehouse" => td_string!(l, pages.q_col_warehouse),
        "run" => td_string!(l, pages.q_col_run),
        "cpu" => td_string!(l, pages.q_col_cpu),
        "mem" => td_string!(l, pages.q_col_memory),
        "scan" => td_string!(l, pages.q_col_scan_bytes),
        "rows" => td_string!(l, pages.q_col_scan_rows),
        _ => td_string!(l, pages.q_col_spill),
    }
}

/// How two running queries compare by a column.
fn compare(key: &str, a: &RunningQuery, b: &RunningQuery) -> std::cmp::Ordering {
    match key {
        "start" => a.start_time.cmp(&b.start_time),
        "fe" => a.fe.cmp(&b.fe),
        "query" => a.query_id.cmp(&b.query_id),
        "conn" => a.connection_id.cmp(&b.connection_id),
        "user" => a.user.cmp(&b.user),
        "db" => a.database.cmp(&b.database),
        "group" => a.resource_group.cmp(&b.resource_group),
        "warehouse" => a.warehouse.cmp(&b.warehouse),
        "cpu" => a.cpu_ms.cmp(&b.cpu_ms),
        "mem" => a.memory_bytes.cmp(&b.memory_bytes),
        "scan" => a.scan_bytes.cmp(&b.scan_bytes),
        "rows" => a.scan_rows.cmp(&b.scan_rows),
        "spill" => a.spill_bytes.cmp(&b.spill_bytes),
        _ => a.run_ms.cmp(&b.run_ms),
    }
}

fn bytes(v: Option<u64>) -> String {
    v.map(|b| format::bytes(b as f64)).unwrap_or_default()
}

fn ms_words(l: Locale, v: Option<i64>) -> String {
    match v {
        Some(ms) if ms < 1000 => format!("{ms} ms"),
        Some(ms) => i18n::fmt::duration(l, ms),
        None => String::new(),
    }
}

/// The first line of a statement, cut for a table cell.
fn short(stmt: &str) -> String {
    let one: String = stmt.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 120 {
        format!("{}…", one.chars().take(120).collect::<String>())
    } else {
        one
    }
}

#[component]
fn RunningTable(r: RunningQueries, id: i64, q: PageQuery) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let distinct = |f: fn(&RunningQuery) -> Option<String>| {
        let mut v: Vec<String> = r.queries.iter().filter_map(f).collect();
        v.sort();
        v.dedup();
        v
    };
    let users = distinct(|q| q.user.clone());
    let dbs = distinct(|q| q.database.clone());
    let fes = distinct(|q| Some(q.fe.clone()));
    let mut rows: Vec<RunningQuery> = r
        .queries
        .iter()
        .filter(|x| q.user.as_ref().is_none_or(|u| x.user.as_ref() == Some(u)))
        .filter(|x| q.db.as_ref().is_none_or(|d| x.database.as_ref() == Some(d)))
        .filter(|x| q.fe.as_ref().is_none_or(|f| &x.fe == f))
        .cloned()
        .collect();
    let key = q.sort_key().to_string();
    let ascending = q.ascending();
    rows.sort_by(|a, b| {
        if ascending {
            compare(&key, a, b)
        } else {
            compare(&key, b, a)
        }
    });
    let failed: Vec<_> = r
        .frontends
        .iter()
        .filter(|f| f.error.is_some())
        .cloned()
        .collect();
    // The controls change the URL (app::queries_page listens for `change`).
    let select = |name: &'static str,
                  label: &'static str,
                  values: Vec<String>,
                  current: Option<String>| {
        let id = format!("filter-{name}");
        view! {
            <label for=id.clone()>{label}</label>
            <select id=id name=name data-url-param=name>
                <option value="" selected=current.is_none()>{td_string!(l, pages.q_all)}</option>
                {values.into_iter().map(|v| {
                    let selected = current.as_deref() == Some(v.as_str());
                    view! { <option value=v.clone() selected=selected translate="no">{v.clone()}</option> }
                }).collect_view()}
            </select>
        }
    };
    let refresh_now = q.refresh.clone().unwrap_or_else(|| "off".into());
    let headers = COLUMNS
        .iter()
        .map(|key| {
            let sorted = q.sort_key() == *key;
            let aria = sorted.then_some(if ascending { "ascending" } else { "descending" });
            let href = q.sorted_by(key).url(id);
            let num = matches!(
                *key,
                "conn" | "run" | "cpu" | "mem" | "scan" | "rows" | "spill"
            );
            view! {
                <th scope="col" class:num=num aria-sort=aria>
                    <a href=href data-sort=*key>{column_label(l, key)}</a>
                </th>
            }
        })
        .collect_view();
    let count = rows.len();
    let body_rows = rows
        .into_iter()
        .map(|x| view! { <RunningRow x/> })
        .collect_view();
    view! {
        <div class="toolbar" data-testid="running-filters">
            {select("user", td_string!(l, pages.q_col_user), users, q.user.clone())}
            {select("db", td_string!(l, pages.q_col_database), dbs, q.db.clone())}
            {select("fe", td_string!(l, pages.q_col_fe), fes, q.fe.clone())}
            <label for="queries-refresh">{td_string!(l, pages.q_refresh)}</label>
            <select id="queries-refresh" name="refresh" data-url-param="refresh">
                {REFRESH.iter().map(|(k, s)| {
                    let label = if *s == 0 { td_string!(l, overview.refresh_off).to_string() } else { i18n::fmt::duration(l, i64::from(*s) * 1000) };
                    view! { <option value=*k selected=refresh_now == *k>{label}</option> }
                }).collect_view()}
            </select>
        </div>
        <p class="muted small" data-testid="running-summary">
            {fill(td_string!(l, pages.q_running_summary), &[("n", &count), ("fes", &r.frontends.len())])}
            " " <LocalTime ms=r.read_at/>
        </p>
        {(!failed.is_empty()).then(|| view! {
            <ul class="alert warning" data-testid="fe-errors">
                {failed.into_iter().map(|f| view! { <li><code translate="no">{f.fe}</code> ": " {f.error.unwrap_or_default()}</li> }).collect_view()}
            </ul>
        })}
        <div class="table-wrap">
            <table class="data compact" data-testid="running">
                <thead><tr>{headers}<th scope="col"><span class="sr-only">{td_string!(l, pages.q_actions)}</span></th></tr></thead>
                <tbody>{body_rows}</tbody>
            </table>
        </div>
        {(count == 0).then(|| view! { <p class="muted">{td_string!(l, pages.q_none_running)}</p> })}
    }
}

/// One running query; its Stop asks first, in the row (public/assets/page.js
/// swaps the two states), and the question's button carries what the stop
/// needs and what the activity log records.
#[component]
fn RunningRow(x: RunningQuery) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let run = ms_words(l, x.run_ms);
    let question = fill(
        td_string!(l, pages.q_stop_question),
        &[
            ("query", &x.query_id),
            ("user", &x.user.clone().unwrap_or_default()),
            ("run", &run),
        ],
    );
    let stop = x.connection_id.map(|conn| {
        view! {
            <div class="row-actions">
                <button type="button" class="button small" data-delete=conn>{td_string!(l, pages.q_stop)}</button>
            </div>
            <div class="confirm stop-question" role="alertdialog" aria-label=td_string!(l, pages.q_stop) hidden>
                <p>{question.clone()}</p>
                <button type="button" class="button small danger" data-confirm-delete=conn
                    data-fe=x.fe.clone() data-query=x.query_id.clone() data-user=x.user.clone()
                    data-run=x.run_ms.map(|v| v.to_string())>{td_string!(l, pages.q_stop_confirm)}</button>
                " "
                <button type="button" class="button small" data-cancel-delete="">{td_string!(l, pages.q_cancel)}</button>
            </div>
        }
    });
    view! {
        <tr data-query=x.query_id.clone()>
            <td class="nowrap">{x.start_time.clone()}</td>
            <td translate="no"><code>{x.fe.clone()}</code></td>
            <td translate="no"><code class="small">{x.query_id.clone()}</code></td>
            <td class="num">{x.connection_id.map(|c| c.to_string())}</td>
            <td translate="no">{x.user.clone()}</td>
            <td translate="no">{x.database.clone()}</td>
            <td translate="no">{x.resource_group.clone()}</td>
            <td translate="no">{x.warehouse.clone()}</td>
            <td class="num" data-testid="run-time" data-value=x.run_ms.map(|v| v.to_string())>{run.clone()}</td>
            <td class="num">{ms_words(l, x.cpu_ms)}</td>
            <td class="num">{bytes(x.memory_bytes)}</td>
            <td class="num">{bytes(x.scan_bytes)}</td>
            <td class="num">{format::count(x.scan_rows)}</td>
            <td class="num">{bytes(x.spill_bytes)}</td>
            <td class="actions">{stop}</td>
        </tr>
    }
}

#[component]
fn ActivityLog(entries: Vec<ActivityEntry>) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let rows = entries
        .into_iter()
        .map(|e| {
            let outcome = if e.ok {
                td_string!(l, pages.q_ok)
            } else {
                td_string!(l, pages.q_refused)
            };
            view! {
                <tr class:bad=!e.ok>
                    <td><LocalTime ms=e.at/></td>
                    <td translate="no">{e.username}</td>
                    <td translate="no">{e.target}</td>
                    <td>{outcome}</td>
                    <td class="reason" translate="no">{e.result}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="activity-title" class="overview-section">
            <h2 id="activity-title">{td_string!(l, pages.q_activity)}</h2>
            <div class="table-wrap">
                <table class="data compact" data-testid="activity">
                    <thead><tr>
                        <th scope="col">{td_string!(l, pages.th_when)}</th>
                        <th scope="col">{td_string!(l, pages.th_who)}</th>
                        <th scope="col">{td_string!(l, pages.q_what)}</th>
                        <th scope="col">{td_string!(l, pages.q_outcome)}</th>
                        <th scope="col">{td_string!(l, pages.q_answer)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn HistorySection(h: QueryHistory, id: i64, q: PageQuery) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let current = if q.from.is_some() || q.to.is_some() {
        None
    } else {
        Some(q.range.clone().unwrap_or_else(|| DEFAULT_RANGE.into()))
    };
    let ranges = RANGES
        .iter()
        .map(|r| {
            let selected = current.as_deref() == Some(*r);
            let href = PageQuery {
                range: (*r != DEFAULT_RANGE).then(|| r.to_string()),
                from: None,
                to: None,
                ..q.clone()
            }
            .url(id);
            view! {
                <a class="range-option" class:selected=selected aria-current=selected.then_some("true") translate="no" href=href>{*r}</a>
            }
        })
        .collect_view();
    let hidden = |name: &'static str, v: Option<String>| {
        v.map(|v| view! { <input type="hidden" name=name value=v/> })
    };
    let content = if !h.source.present {
        view! {
            <div class="card" data-testid="audit-absent">
                <p>{td_string!(l, pages.q_audit_absent)}</p>
                <ol>
                    <li>{td_string!(l, pages.q_audit_step1)}</li>
                    <li>{td_string!(l, pages.q_audit_step2)}</li>
                    <li>{td_string!(l, pages.q_audit_step3)}</li>
                </ol>
            </div>
        }
        .into_any()
    } else {
        let tops = h
            .tops
            .iter()
            .cloned()
            .map(|t| view! { <TopTable t/> })
            .collect_view();
        view! {
            {(!h.errors.is_empty()).then(|| view! {
                <ul class="alert warning">{h.errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
            })}
            <SlowTable h=h.clone()/>
            {tops}
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="history-title" class="overview-section" data-testid="history">
            <h2 id="history-title">{td_string!(l, pages.q_history)}</h2>
            <div class="range-bar">
                <nav class="range-options" aria-label=td_string!(l, overview.time_range)>{ranges}</nav>
                <form method="get" action=format!("/clusters/{id}/queries") class="inline-form">
                    {hidden("range", q.range.clone())}
                    {hidden("from", q.from.clone())}
                    {hidden("to", q.to.clone())}
                    {hidden("refresh", q.refresh.clone())}
                    <label for="min-ms">{td_string!(l, pages.q_min_ms)}</label>
                    <input id="min-ms" name="min_ms" type="number" min="0" step="100" inputmode="numeric"
                        value=h.min_ms.to_string()/>
                    <button class="button small" type="submit">{td_string!(l, pages.q_apply)}</button>
                </form>
            </div>
            <p class="muted small">
                <LocalTime ms=h.from/> " – " <LocalTime ms=h.to/>
                {h.source.time_zone.clone().map(|z| view! { " · " {fill(td_string!(l, pages.q_cluster_zone), &[("zone", &z)])} })}
            </p>
            {content}
        </section>
    }
}

#[component]
fn SlowTable(h: QueryHistory) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let copy = td_string!(l, pages.q_copy);
    let copied = td_string!(l, pages.q_copied);
    let empty = h.slow.is_empty();
    let rows = h
        .slow
        .into_iter()
        .map(|s| {
            let stmt = s.statement.clone().unwrap_or_default();
            let failed = s.state.as_deref() == Some("ERR");
            view! {
                <tr class:bad=failed>
                    <td class="nowrap">{s.at.map(|ms| view! { <LocalTime ms/> })}</td>
                    <td translate="no">{s.user}</td>
                    <td translate="no">{s.database}</td>
                    <td class="num">{ms_words(l, s.query_ms)}</td>
                    <td class="num">{s.scan_bytes.map(|b| format::bytes(b as f64))}</td>
                    <td class="num">{ms_words(l, s.cpu_ms.map(|c| c as i64))}</td>
                    <td class="num">{s.memory_bytes.map(|b| format::bytes(b as f64))}</td>
                    <td translate="no">{s.state}</td>
                    <td translate="no">{s.error_code}</td>
                    <td class="statement" translate="no">
                        <details>
                            <summary><code>{short(&stmt)}</code></summary>
                            <pre>{stmt.clone()}</pre>
                            <button type="button" class="button small" data-copy="" data-copied=copied>{copy}</button>
                        </details>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{fill(td_string!(l, pages.q_slow), &[("ms", &format::thousands(h.min_ms))])}</h3>
        {if empty {
            view! { <p class="muted" data-testid="slow-empty">{td_string!(l, pages.q_no_slow)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data compact" data-testid="slow">
                        <thead><tr>
                            <th scope="col">{td_string!(l, pages.th_when)}</th>
                            <th scope="col">{td_string!(l, pages.q_col_user)}</th>
                            <th scope="col">{td_string!(l, pages.q_col_database)}</th>
                            <th scope="col" class="num">{td_string!(l, pages.q_col_time)}</th>
                            <th scope="col" class="num">{td_string!(l, pages.q_col_scan_bytes)}</th>
                            <th scope="col" class="num">{td_string!(l, pages.q_col_cpu)}</th>
                            <th scope="col" class="num">{td_string!(l, pages.q_col_memory)}</th>
                            <th scope="col">{td_string!(l, pages.q_col_state)}</th>
                            <th scope="col">{td_string!(l, pages.q_col_error)}</th>
                            <th scope="col">{td_string!(l, pages.q_col_statement)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

#[component]
fn TopTable(t: TopList) -> impl IntoView {
    let l = use_i18n().get_locale_untracked();
    let (title, key_label) = match t.by {
        TopBy::Statement => (
            td_string!(l, pages.q_top_statements),
            td_string!(l, pages.q_col_statement),
        ),
        TopBy::User => (
            td_string!(l, pages.q_top_users),
            td_string!(l, pages.q_col_user),
        ),
        TopBy::Client => (
            td_string!(l, pages.q_top_clients),
            td_string!(l, pages.q_col_client),
        ),
        TopBy::Table => (
            td_string!(l, pages.q_top_tables),
            td_string!(l, pages.q_col_table),
        ),
        TopBy::Error => (
            td_string!(l, pages.q_top_errors),
            td_string!(l, pages.q_col_error),
        ),
    };
    let statements = t.by == TopBy::Statement;
    let errors = t.by == TopBy::Error;
    let note = t.approximate.then(|| {
        let text = match t.by {
            TopBy::Table => td_string!(l, pages.q_tables_approximate),
            _ => td_string!(l, pages.q_statements_normalised),
        };
        view! {
            <p class="muted small" data-testid="approximate">
                {text} " "
                {fill(td_string!(l, pages.q_sampled), &[("n", &format::count(t.sampled)), ("unparsed", &format::count(t.unparsed))])}
            </p>
        }
    });
    let rows = t
        .rows
        .into_iter()
        .map(|r| {
            let example = r.example.clone();
            let key_cell = if statements || errors {
                let shown = if statements { example.clone().unwrap_or_else(|| r.key.clone()) } else { r.key.clone() };
                view! {
                    <th scope="row" translate="no" class="statement">
                        <details>
                            <summary><code>{if statements { short(&shown) } else { shown.clone() }}</code></summary>
                            <pre>{example.clone().unwrap_or_default()}</pre>
                        </details>
                    </th>
                }
                .into_any()
            } else {
                view! { <th scope="row" translate="no"><code>{r.key.clone()}</code></th> }.into_any()
            };
            view! {
                <tr>
                    {key_cell}
                    <td class="num" data-value=r.count.to_string()>{format::thousands(r.count)}</td>
                    <td class="num" data-value=r.total_ms.map(|v| v.to_string())>{ms_words(l, r.total_ms)}</td>
                    <td class="num" data-value=r.p95_ms.map(|v| v.to_string())>{r.p95_ms.map(|p| ms_words(l, Some(p as i64)))}</td>
                    <td class="num" data-value=r.scan_bytes.map(|v| v.to_string())>{r.scan_bytes.map(|b| format::bytes(b as f64))}</td>
                    <td class="num" data-value=r.errors.map(|v| v.to_string())>{r.errors.map(format::thousands)}</td>
                    <td>{r.last_at.map(|ms| view! { <LocalTime ms/> })}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{title}</h3>
        {note}
        <div class="table-wrap">
            // Sorted by public/assets/page.js when a header is pressed: by
            // count or by total time, say.
            <table class="data compact" data-sortable="" data-testid=format!("top-{}", t.by.as_str())>
                <thead><tr>
                    <th scope="col">{key_label}</th>
                    <th scope="col" class="num" aria-sort=errors.then_some("descending")><button type="button" class="sort" data-sort-col="1">{td_string!(l, pages.q_col_count)}</button></th>
                    <th scope="col" class="num" aria-sort=(!errors).then_some("descending")><button type="button" class="sort" data-sort-col="2">{td_string!(l, pages.q_col_total)}</button></th>
                    <th scope="col" class="num"><button type="button" class="sort" data-sort-col="3">{td_string!(l, pages.q_col_p95)}</button></th>
                    <th scope="col" class="num"><button type="button" class="sort" data-sort-col="4">{td_string!(l, pages.q_col_scan_bytes)}</button></th>
                    <th scope="col" class="num"><button type="button" class="sort" data-sort-col="5">{td_string!(l, pages.q_col_errors)}</button></th>
                    <th scope="col">{td_string!(l, pages.q_col_last)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_keeps_the_view_and_sorting_again_turns_the_order() {
        let q = PageQuery {
            range: Some("6h".into()),
            user: Some("etl loader".into()),
            ..PageQuery::default()
        };
        assert_eq!(q.url(3), "/clusters/3/queries?range=6h&user=etl%20loader");
        let by_user = q.sorted_by("user");
        assert_eq!(
            (by_user.sort.as_deref(), by_user.dir.as_deref()),
            (Some("user"), Some("asc"))
        );
        let again = by_user.sorted_by("user");
        assert_eq!(again.dir.as_deref(), Some("desc"));
        assert_eq!(q.sorted_by("mem").dir.as_deref(), Some("desc"));
        // Run time, longest first, is the default and stays out of the URL;
        // pressed again, it turns.
        assert_eq!(
            PageQuery::default().sorted_by("run").dir.as_deref(),
            Some("asc")
        );
        let back = PageQuery::default().sorted_by("run").sorted_by("run");
        assert_eq!((back.sort, back.dir), (None, None));
    }
}
