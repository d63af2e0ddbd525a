//! A page that renders the REST API's OpenAPI document: every endpoint, its
//! parameters and its answers, with a link to the JSON itself.

use super::ui::ErrorNote;
use leptos::prelude::*;
use leptos_meta::Title;
use model::api::ApiOperation;
use model::ApiError;

#[server(prefix = "/sfn", endpoint = "api_operations")]
pub async fn api_operations() -> Result<Vec<ApiOperation>, ApiError> {
    use crate::ssr::context::{state, user};
    user().await?;
    Ok(state()?.api_operations.as_ref().clone())
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
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
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
