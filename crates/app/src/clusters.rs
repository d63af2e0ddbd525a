use super::ui::{ErrorNote, Field};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::starrocks::{ConnectionReport, ProblemReport};
use model::{ApiError, ApiErrorKind, Cluster, ClusterDraft, ClusterFormData, FieldErrors};

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

/// The cluster named by the route's `:id`.
fn route_cluster() -> Resource<Result<Cluster, ApiError>> {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_cluster(id).await,
                None => Err(ApiError::new(
                    ApiErrorKind::BadRequest,
                    "That is not a cluster id.",
                )),
            }
        },
    )
}

#[component]
pub fn NewClusterPage() -> impl IntoView {
    view! {
        <Title text="Add cluster"/>
        <section class="card form-card">
            <h1>"Add a cluster"</h1>
            <ClusterForm id=None initial=ClusterDraft::with_defaults()/>
        </section>
    }
}

#[component]
pub fn EditClusterPage() -> impl IntoView {
    let cluster = route_cluster();
    view! {
        <Title text="Edit cluster"/>
        <section class="card form-card">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || cluster.get().map(|r| match r {
                    Ok(c) => view! {
                        <h1>{format!("Edit {}", c.name)}</h1>
                        <ClusterForm id=Some(c.id) initial=ClusterDraft::from_cluster(&c) has_password=c.has_password/>
                    }.into_any(),
                    Err(e) => view! { <h1>"Edit cluster"</h1><ErrorNote message=e.message/> }.into_any(),
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
    let save = ServerAction::<SaveCluster>::new();
    let test = ServerAction::<TestClusterConnection>::new();
    let errors = form_errors(save, test);
    let form_ref = NodeRef::<leptos::html::Form>::new();
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
                    <p class="alert error" role="alert">"Nothing was saved: correct the fields marked above."</p>
                }.into_any()),
                Some(Err(e)) => Some(view! { <ErrorNote message=e.message/> }.into_any()),
                _ => None,
            }}
            <div class="form-actions">
                <button class="button primary" type="submit" disabled=move || save.pending().get()>
                    {if editing { "Save changes" } else { "Add cluster" }}
                </button>
                <a class="button" href="/clusters">"Cancel"</a>
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
            <legend>"Cluster"</legend>
            <Field group="cluster" name="name" label="Name" value=name required=true
                help="Unique; shown in lists and titles." errors/>
            <div class="field">
                <label for="field-description">"Description"</label>
                <input id="field-description" name="cluster[description]" value=description/>
                <p class="field-error" role="alert">{move || errors.with(|e| e.get("description").map(str::to_string))}</p>
            </div>
            <Field group="cluster" name="tags" label="Tags" value=tags
                help="Optional, separated by commas, for example: prod, team-a" errors/>
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
            <legend>"Frontend (FE)"</legend>
            <Field group="cluster" name="fe_host" label="FE host" value=fe_host required=true
                placeholder="fe1.example.com"
                help="Host name or IP address of a frontend, without http:// and without a port." errors/>
            <div class="field-row">
                <Field group="cluster" name="http_port" label="HTTP port" value=http_port required=true
                    help="FE http_port, 8030 by default." errors/>
                <Field group="cluster" name="query_port" label="MySQL port" value=query_port required=true
                    help="FE query_port, 9030 by default." errors/>
            </div>
            <div class="field checkbox">
                <input id="field-use_https" type="checkbox" name="cluster[use_https]" checked=use_https/>
                <label for="field-use_https">"Use HTTPS for the FE HTTP port"</label>
            </div>
            <div class="field">
                <label for="field-extra_fes">"More FE addresses"</label>
                <textarea id="field-extra_fes" name="cluster[extra_fes]" rows="3"
                    placeholder="fe2.example.com\nfe3.example.com:8030:9030"
                    aria-describedby="help-extra_fes">{extra_fes}</textarea>
                <p class="help" id="help-extra_fes">"Optional: other FEs (or a load balancer) to fail over to when the address above does not answer, tried in this order. One a line: host, host:http_port or host:http_port:mysql_port; the ports above are used when left out."</p>
                <p class="field-error" role="alert">{move || errors.with(|e| e.get("extra_fes").map(str::to_string))}</p>
            </div>
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
    let password_help = if editing {
        if has_password {
            "Leave empty to keep the stored password, unless you add an FE address or change a port, HTTPS or the user: then enter it again."
        } else {
            "No password is stored. Leave empty to keep it that way."
        }
    } else {
        "Leave empty for a user without a password (a fresh StarRocks' root)."
    };
    view! {
        <fieldset>
            <legend>"Credentials"</legend>
            <Field group="cluster" name="username" label="User" value=username required=true
                autocomplete="off" help="A StarRocks user that may read metrics and system tables." errors/>
            <Field group="cluster" name="password" label="Password" kind="password" autocomplete="new-password"
                help=password_help errors/>
            {editing.then(|| view! {
                <div class="field checkbox">
                    <input id="field-clear_password" type="checkbox" name="cluster[clear_password]"/>
                    <label for="field-clear_password">"Remove the stored password"</label>
                </div>
            })}
            <p class="help">"The password is stored encrypted and is never shown again."</p>
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
                {move || if test.pending().get() { "Testing…" } else { "Test connection" }}
            </button>
            <span class="muted small">"Asks the FE for its nodes over HTTP and for its version over MySQL. Nothing is saved."</span>
        </div>
        <div aria-live="polite">
            {move || match test.value().get() {
                Some(Ok(report)) => Some(view! { <ConnectionResult report/> }.into_any()),
                Some(Err(e)) if e.is_about_fields() => Some(view! {
                    <p class="alert error" role="alert">"Correct the fields marked above to test the connection."</p>
                }.into_any()),
                Some(Err(e)) => Some(view! { <ErrorNote message=e.message/> }.into_any()),
                None => None,
            }}
        </div>
    }
}

/// The outcome of "Test connection", side by side for HTTP and MySQL.
#[component]
fn ConnectionResult(report: ConnectionReport) -> impl IntoView {
    let problem = |side: &'static str, p: Option<ProblemReport>| {
        p.map(|p| {
            view! {
                <li class="problem">
                    <strong>{format!("{side}: {}", p.kind.label())}</strong>
                    " — " {p.message}
                </li>
            }
        })
    };
    let nodes = if report.shared_data {
        "compute nodes"
    } else {
        "backends"
    };
    let summary = format!(
        "{}/{} frontends alive · {}/{} {nodes} alive · {} ms",
        report.frontends_alive,
        report.frontends_total,
        report.nodes_alive,
        report.nodes_total,
        report.elapsed_ms
    );
    view! {
        <div class="connection-result card" class:ok=report.ok class:failed=!report.ok data-testid="connection-result">
            <p class="headline">
                {if report.ok { "Connected" } else { "Connection failed" }}
                {report.version.clone().map(|v| format!(" · StarRocks {v}"))}
            </p>
            {(report.http_error.is_none()).then(|| view! { <p class="muted">{summary}</p> })}
            {report.answered_by.clone().filter(|_| !report.addresses_not_answering.is_empty()).map(|by| view! {
                <p class="muted" data-testid="answered-by">{format!("Answered by {by}.")}</p>
            })}
            <ul>
                {problem("FE HTTP", report.http_error.clone())}
                {problem("MySQL", report.mysql_error.clone())}
                {report.addresses_not_answering.iter().map(|a| view! {
                    <li><strong>"Did not answer"</strong>" — "{a.clone()}</li>
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
