//! The REST API as the API page lists it.

use serde::{Deserialize, Serialize};

/// One operation of the OpenAPI document, flattened for the page.
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
