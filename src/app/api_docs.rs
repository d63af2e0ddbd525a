//! A page that renders the REST API's OpenAPI document: every endpoint, its
//! parameters and its answers, with a link to the JSON itself.

use super::ui::{error_text, ErrorNote};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// One operation of the document, flattened for the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiOperation {
    pub method: String,
    pub path: String,
    pub tag: String,
    pub summary: String,
    pub params: Vec<String>,
    /// `200: The cluster`, ...
    pub responses: Vec<String>,
}

#[server(prefix = "/sfn", endpoint = "api_operations")]
pub async fn api_operations() -> Result<Vec<ApiOperation>, ServerFnError> {
    use crate::server::fn_context::user;
    use crate::server::http::openapi::ApiDoc;
    use utoipa::openapi::path::HttpMethod;
    use utoipa::OpenApi;
    user().await?;
    let doc = ApiDoc::openapi();
    let mut out = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        let ops = [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Delete, &item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let method = match method {
                HttpMethod::Get => "GET",
                HttpMethod::Post => "POST",
                HttpMethod::Put => "PUT",
                _ => "DELETE",
            };
            out.push(ApiOperation {
                method: method.into(),
                path: path.clone(),
                tag: op
                    .tags
                    .as_ref()
                    .and_then(|t| t.first().cloned())
                    .unwrap_or_default(),
                summary: op
                    .summary
                    .clone()
                    .or_else(|| op.description.clone())
                    .unwrap_or_default(),
                params: op
                    .parameters
                    .iter()
                    .flatten()
                    .map(|p| p.name.clone())
                    .collect(),
                responses: op
                    .responses
                    .responses
                    .iter()
                    .map(|(status, r)| match r {
                        utoipa::openapi::RefOr::T(r) => format!("{status}: {}", r.description),
                        utoipa::openapi::RefOr::Ref(_) => status.clone(),
                    })
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| (&a.tag, &a.path, &a.method).cmp(&(&b.tag, &b.path, &b.method)));
    Ok(out)
}

#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let ops = Resource::new(|| (), |_| api_operations());
    view! {
        <Title text="REST API"/>
        <div class="page-head">
            <h1>"REST API"</h1>
            <a class="button" href="/api/openapi.json" rel="external">"OpenAPI JSON"</a>
        </div>
        <p class="muted">"JSON in and out; every endpoint but sign-in needs the session cookie. Errors are {\"error\", \"message\"}."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || ops.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=error_text(&e)/> }.into_any(),
                Ok(list) => view! {
                    <div class="table-wrap">
                        <table class="data api-ops" data-testid="api-operations">
                            <thead><tr>
                                <th scope="col">"Method"</th>
                                <th scope="col">"Path"</th>
                                <th scope="col" class="wide-only">"Group"</th>
                                <th scope="col">"What"</th>
                                <th scope="col" class="wide-only">"Answers"</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|o| view! {
                                    <tr>
                                        <td><code>{o.method}</code></td>
                                        <td>
                                            <code>{o.path}</code>
                                            {(!o.params.is_empty()).then(|| view! { <div class="muted">{format!("parameters: {}", o.params.join(", "))}</div> })}
                                        </td>
                                        <td class="wide-only">{o.tag}</td>
                                        <td>{o.summary}</td>
                                        <td class="wide-only"><ul class="plain">{o.responses.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}
