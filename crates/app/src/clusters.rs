use super::ui::{focus_first_invalid, ErrorNote, Field};
use i18n::{t_string, use_i18n, Locale};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::starrocks::{ConnectionReport, ErrorKind, ProblemReport};
use model::{ApiError, Cluster, ClusterDraft, ClusterFormData, FieldErrors};

#[server(prefix = "/sfn", endpoint = "list_clusters")]
pub async fn list_clusters() -> Result<Vec<Cluster>, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    Ok(state()?.clusters.list().await?)
}

#[server(prefix = "/sfn", endpoint = "get_cluster")]
pub async fn get_cluster(id: i64) -> Result<Cluster, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    Ok(state()?.clusters.get(id).await?)
}

/// Creates (no `id`) or updates a cluster from the form.
#[server(prefix = "/sfn", endpoint = "save_cluster")]
pub async fn save_cluster(id: Option<i64>, cluster: ClusterFormData) -> Result<Cluster, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    let state = state()?;
    let draft = cluster.into_draft(id.is_some());
    Ok(match id {
        Some(id) => state.clusters.update(id, &draft).await?,
        None => state.clusters.create(&draft).await?,
    })
}

/// Tries the connection the form describes, without saving it. On edit an
/// empty password means the stored one.
#[server(prefix = "/sfn", endpoint = "test_cluster_connection")]
pub async fn test_cluster_connection(
    id: Option<i64>,
    cluster: ClusterFormData,
) -> Result<ConnectionReport, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    let state = state()?;
    let draft = cluster.into_draft(id.is_some());
    let endpoint = state.clusters.draft_endpoint(&draft, id).await?;
    Ok(state.clusters.test_connection(&endpoint).await)
}

#[server(prefix = "/sfn", endpoint = "delete_cluster")]
pub async fn delete_cluster(id: i64) -> Result<(), ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    Ok(state()?.clusters.delete(id).await?)
}

/// The cluster named by the route's `:id`; `None` when the id is no number.
/// (Nothing in it is server-built text, so it need not follow the language.)
fn route_cluster() -> Resource<Option<Result<Cluster, ApiError>>> {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => Some(get_cluster(id).await),
                None => None,
            }
        },
    )
}

#[component]
pub fn NewClusterPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, clusters.add_title).to_string()/>
        <section class="card form-card">
            <h1>{tr!(clusters.add_heading)}</h1>
            <ClusterForm id=None initial=ClusterDraft::with_defaults()/>
        </section>
    }
}

#[component]
pub fn EditClusterPage() -> impl IntoView {
    let i18n = use_i18n();
    let cluster = route_cluster();
    let failed = move |message: Signal<String>| {
        view! {
            <h1>{tr!(clusters.edit_title)}</h1>
            <p class="alert error" role="alert">{move || message.get()}</p>
        }
    };
    view! {
        <Title text=move || t_string!(i18n, clusters.edit_title).to_string()/>
        <section class="card form-card">
            <Suspense fallback=move || view! { <p class="muted">{tr!(clusters.loading)}</p> }>
                {move || cluster.get().map(|r| match r {
                    Some(Ok(c)) => {
                        let name = c.name.clone();
                        view! {
                            <h1>{move || i18n::fill(t_string!(i18n, clusters.edit_heading), &[("name", &name)])}</h1>
                            <ClusterForm id=Some(c.id) initial=ClusterDraft::from_cluster(&c) has_password=c.has_password/>
                        }.into_any()
                    }
                    Some(Err(e)) => failed(Signal::stored(e.message)).into_any(),
                    None => failed(Signal::derive(move || {
                        t_string!(i18n, clusters.not_a_cluster_id).to_string()
                    }))
                    .into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ClusterForm(
    id: Option<i64>,
    initial: ClusterDraft,
    #[prop(optional)] has_password: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveCluster>::new();
    let test = ServerAction::<TestClusterConnection>::new();
    let errors = form_errors(save, test);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    focus_first_invalid(form_ref, errors);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            navigate("/clusters", Default::default());
        }
    });
    let editing = id.is_some();
    let ClusterDraft {
        name,
        fe_host,
        http_port,
        query_port,
        username,
        use_https,
        extra_fes,
        description,
        tags,
        ..
    } = initial;
    view! {
        <ActionForm action=save node_ref=form_ref attr:novalidate=true>
            {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string()/> })}
            <ClusterFieldset name description tags errors/>
            <FrontendFieldset fe_host http_port query_port use_https extra_fes errors/>
            <CredentialsFieldset username editing has_password errors/>
            <TestConnection id test form_ref/>
            {move || match save.value().get() {
                Some(Err(e)) if e.is_about_fields() => Some(view! {
                    <p class="alert error" role="alert">{tr!(clusters.not_saved)}</p>
                }.into_any()),
                Some(Err(e)) => Some(view! { <ErrorNote message=e.message/> }.into_any()),
                _ => None,
            }}
            <div class="form-actions">
                <button class="button primary" type="submit" disabled=move || save.pending().get()>
                    {move || if editing {
                        t_string!(i18n, clusters.save_changes)
                    } else {
                        t_string!(i18n, clusters.add_cluster)
                    }}
                </button>
                <a class="button" href="/clusters">{tr!(clusters.cancel)}</a>
            </div>
        </ActionForm>
    }
}

/// The field errors of the last save, else of the last connection test.
fn form_errors(
    save: ServerAction<SaveCluster>,
    test: ServerAction<TestClusterConnection>,
) -> Signal<FieldErrors> {
    Signal::derive(move || {
        let saved = match save.value().get() {
            Some(Err(e)) => e.field_errors(),
            _ => FieldErrors::default(),
        };
        if !saved.is_empty() {
            return saved;
        }
        match test.value().get() {
            Some(Err(e)) => e.field_errors(),
            _ => FieldErrors::default(),
        }
    })
}

/// The cluster's own fields: name, description and tags.
#[component]
fn ClusterFieldset(
    name: String,
    description: String,
    tags: String,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{tr!(clusters.legend_cluster)}</legend>
            <Field group="cluster" name="name" label=tr!(clusters.name)
                value=name required=true
                help=tr!(clusters.name_help) errors/>
            <Field group="cluster" name="description" label=tr!(clusters.description)
                value=description errors/>
            <Field group="cluster" name="tags" label=tr!(clusters.tags)
                value=tags
                help=tr!(clusters.tags_help) errors/>
        </fieldset>
    }
}

/// Where the frontend answers: host, both ports, and HTTP or HTTPS.
#[component]
fn FrontendFieldset(
    fe_host: String,
    http_port: String,
    query_port: String,
    use_https: bool,
    extra_fes: String,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{tr!(clusters.legend_frontend)}</legend>
            <Field group="cluster" name="fe_host" label=tr!(clusters.fe_host)
                value=fe_host required=true
                placeholder="fe1.example.com"
                help=tr!(clusters.fe_host_help) errors/>
            <div class="field-row">
                <Field group="cluster" name="http_port" label=tr!(clusters.http_port)
                    value=http_port required=true numeric=true
                    help=tr!(clusters.http_port_help) errors/>
                <Field group="cluster" name="query_port" label=tr!(clusters.query_port)
                    value=query_port required=true numeric=true
                    help=tr!(clusters.query_port_help) errors/>
            </div>
            <div class="field checkbox">
                <input id="field-use_https" type="checkbox" name="cluster[use_https]" checked=use_https/>
                <label for="field-use_https">{tr!(clusters.use_https)}</label>
            </div>
            <Field group="cluster" name="extra_fes" label=tr!(clusters.extra_fes)
                value=extra_fes rows=3
                placeholder="fe2.example.com\nfe3.example.com:8030:9030"
                help=tr!(clusters.extra_fes_help) errors/>
        </fieldset>
    }
}

/// User and password; on edit, the box that removes the stored password.
#[component]
fn CredentialsFieldset(
    username: String,
    editing: bool,
    has_password: bool,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let password_help = match (editing, has_password) {
        (true, true) => tr!(clusters.password_help_keep),
        (true, false) => tr!(clusters.password_help_none),
        (false, _) => tr!(clusters.password_help_new),
    };
    view! {
        <fieldset>
            <legend>{tr!(clusters.legend_credentials)}</legend>
            <Field group="cluster" name="username" label=tr!(clusters.username)
                value=username required=true autocomplete="off"
                help=tr!(clusters.username_help) errors/>
            <Field group="cluster" name="password" label=tr!(clusters.password)
                kind="password" autocomplete="new-password"
                help=password_help errors/>
            {editing.then(|| view! {
                <div class="field checkbox">
                    <input id="field-clear_password" type="checkbox" name="cluster[clear_password]"/>
                    <label for="field-clear_password">{tr!(clusters.clear_password)}</label>
                </div>
            })}
            <p class="help">{tr!(clusters.password_note)}</p>
        </fieldset>
    }
}

/// The "Test connection" button and its outcome.
#[component]
fn TestConnection(
    id: Option<i64>,
    test: ServerAction<TestClusterConnection>,
    form_ref: NodeRef<leptos::html::Form>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Runs only in the browser: reads what is typed now, including unsaved edits.
    let run_test = move |_| {
        let Some(form) = form_ref.get() else { return };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let get = |k: &str| data.get(&format!("cluster[{k}]")).as_string();
        test.dispatch(TestClusterConnection {
            id,
            cluster: ClusterFormData {
                name: get("name").unwrap_or_default(),
                fe_host: get("fe_host").unwrap_or_default(),
                http_port: get("http_port").unwrap_or_default(),
                query_port: get("query_port").unwrap_or_default(),
                username: get("username").unwrap_or_default(),
                password: get("password").unwrap_or_default(),
                clear_password: get("clear_password"),
                use_https: get("use_https"),
                extra_fes: get("extra_fes").unwrap_or_default(),
                description: get("description").unwrap_or_default(),
                tags: get("tags").unwrap_or_default(),
            },
        });
    };
    view! {
        <div class="test-connection" id="test-connection">
            <button type="button" class="button" on:click=run_test disabled=move || test.pending().get()>
                {move || if test.pending().get() {
                    t_string!(i18n, clusters.test.pending)
                } else {
                    t_string!(i18n, clusters.test.button)
                }}
            </button>
            <span class="muted small">{tr!(clusters.test.note)}</span>
        </div>
        <div aria-live="polite">
            {move || match test.value().get() {
                Some(Ok(report)) => Some(view! { <ConnectionResult report/> }.into_any()),
                Some(Err(e)) if e.is_about_fields() => Some(view! {
                    <p class="alert error" role="alert">{tr!(clusters.test.fix_fields)}</p>
                }.into_any()),
                Some(Err(e)) => Some(view! { <ErrorNote message=e.message/> }.into_any()),
                None => None,
            }}
        </div>
    }
}

/// The words of a problem's kind, in the page's language (reactive). The
/// kind itself travels as its JSON name; `ErrorKind::label` stays English.
fn kind_label(i18n: I18nContext<Locale>, kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Unreachable => t_string!(i18n, clusters.problem.unreachable),
        ErrorKind::Timeout => t_string!(i18n, clusters.problem.timeout),
        ErrorKind::AuthFailed => t_string!(i18n, clusters.problem.auth_failed),
        ErrorKind::NotFound => t_string!(i18n, clusters.problem.not_found),
        ErrorKind::BadPayload => t_string!(i18n, clusters.problem.bad_payload),
        ErrorKind::NotReady => t_string!(i18n, clusters.problem.not_ready),
        ErrorKind::ServerError => t_string!(i18n, clusters.problem.server_error),
    }
}

/// The outcome of "Test connection", side by side for HTTP and MySQL.
#[component]
fn ConnectionResult(report: ConnectionReport) -> impl IntoView {
    let i18n = use_i18n();
    // The problem's message is StarRocks' or the network's own text.
    let problem = move |side: &'static str, p: Option<ProblemReport>| {
        p.map(|p| {
            let kind = p.kind;
            view! {
                <li class="problem">
                    <strong>{move || i18n::fill(
                        t_string!(i18n, clusters.test.problem),
                        &[("side", &side), ("kind", &kind_label(i18n, kind))],
                    )}</strong>
                    " — " <span translate="no">{p.message}</span>
                </li>
            }
        })
    };
    let (shared_data, fe_alive, fe_total, nodes_alive, nodes_total, ms) = (
        report.shared_data,
        report.frontends_alive,
        report.frontends_total,
        report.nodes_alive,
        report.nodes_total,
        report.elapsed_ms,
    );
    let summary = move || {
        let template = if shared_data {
            t_string!(i18n, clusters.test.summary_compute_nodes)
        } else {
            t_string!(i18n, clusters.test.summary_backends)
        };
        i18n::fill(
            template,
            &[
                ("fe_alive", &fe_alive),
                ("fe_total", &fe_total),
                ("nodes_alive", &nodes_alive),
                ("nodes_total", &nodes_total),
                ("ms", &ms),
            ],
        )
    };
    // "Answered by {address}.": the address is a name, kept out of translation.
    let answered_by = move |part: usize| {
        let template = t_string!(i18n, clusters.test.answered_by);
        let (before, after) = i18n::split_at(template, "address");
        if part == 0 {
            before
        } else {
            after
        }
    };
    view! {
        <div class="connection-result card" class:ok=report.ok class:failed=!report.ok data-testid="connection-result">
            <p class="headline">
                {move || if report.ok {
                    t_string!(i18n, clusters.test.connected)
                } else {
                    t_string!(i18n, clusters.test.failed)
                }}
                {report.version.clone().map(|v| view! { " · " <span translate="no">{format!("StarRocks {v}")}</span> })}
            </p>
            {(report.http_error.is_none()).then(|| view! { <p class="muted">{summary}</p> })}
            {report.answered_by.clone().filter(|_| !report.addresses_not_answering.is_empty()).map(|by| view! {
                <p class="muted" data-testid="answered-by">
                    {move || answered_by(0)}<span translate="no">{by}</span>{move || answered_by(1)}
                </p>
            })}
            <ul>
                {problem("FE HTTP", report.http_error.clone())}
                {problem("MySQL", report.mysql_error.clone())}
                {report.addresses_not_answering.iter().map(|a| view! {
                    <li>
                        <strong>{tr!(clusters.test.did_not_answer)}</strong>
                        " — " <span translate="no">{a.clone()}</span>
                    </li>
                }).collect::<Vec<_>>()}
            </ul>
        </div>
    }
}

/// `/clusters/:id`: a cluster's page is its overview.
#[component]
pub fn ClusterRedirect() -> impl IntoView {
    let params = use_params_map();
    let target = params
        .read_untracked()
        .get("id")
        .map(|id| {
            format!(
                "/clusters/{}/overview",
                model::navigation::encode_component(&id)
            )
        })
        .unwrap_or_else(|| "/clusters".into());
    view! { <Redirect path=target/> }
}
