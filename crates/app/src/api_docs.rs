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
        <Title text=tr!(pages.api_title)/>
        <div class="page-head">
            <h1>{tr!(pages.api_title)}</h1>
            <a class="button" href="/api/openapi.json" rel="external" translate="no">"OpenAPI JSON"</a>
        </div>
        <p class="muted">
            {tr!(pages.api_intro)} <code>"{\"error\", \"message\"}"</code> {tr!(pages.api_intro_end)}
        </p>
        <Transition fallback=move || view! { <p class="muted">{tr!(pages.loading)}</p> }>
            {move || ops.get().map(|r| match r {
                Err(e) => view! { <ErrorNote message=e.message/> }.into_any(),
                Ok(list) => view! {
                    <div class="table-wrap">
                        <table class="data api-ops" data-testid="api-operations">
                            <thead><tr>
                                <th scope="col">{tr!(pages.api_method)}</th>
                                <th scope="col">{tr!(pages.api_path)}</th>
                                <th scope="col" class="wide-only">{tr!(pages.api_group)}</th>
                                <th scope="col">{tr!(pages.api_what)}</th>
                                <th scope="col" class="wide-only">{tr!(pages.api_answers)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|o| view! {
                                    <tr>
                                        <td><code>{o.method}</code></td>
                                        <td>
                                            <code>{o.path}</code>
                                            {(!o.params.is_empty()).then(|| view! { <div class="muted">{tr!(pages.api_params)}<span translate="no">{o.params.join(", ")}</span></div> })}
                                        </td>
                                        <td class="wide-only" translate="no">{o.tag}</td>
                                        <td translate="no">{o.summary}</td>
                                        <td class="wide-only" translate="no"><ul class="plain">{o.responses.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul></td>
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
