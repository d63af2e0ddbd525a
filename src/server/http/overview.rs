//! The overview over REST: every part of the dashboard for any time range, the
//! alerts, and two live calls that ask StarRocks directly.

use super::{parse_id, AppError, AppState};
use crate::model::overview::{parse_window, Alerts, Capacity, Health, Overview, Trends, Window};
use crate::model::snapshot::StoredDataStatistics;
use crate::model::starrocks::ConnectionReport;
use crate::server::collector::LiveSummary;
use crate::server::now_ms;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;

/// `?range=24h`, or `?from=...&to=...` (epoch ms or `now-6h`).
#[derive(Deserialize, Default)]
pub struct RangeQuery {
    range: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl RangeQuery {
    fn window(&self, now: i64) -> Result<Window, AppError> {
        parse_window(
            self.range.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
            now,
        )
        .map_err(AppError::BadRequest)
    }
}

/// A query string that does not decode (for example `range` twice) is a 400 too.
fn query(
    q: Result<Query<RangeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<RangeQuery, AppError> {
    q.map(|Query(q)| q)
        .map_err(|e| AppError::BadRequest(format!("The query string cannot be read: {e}")))
}

pub async fn overview(
    State(state): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<RangeQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Overview>, AppError> {
    let id = parse_id(&id)?;
    let now = now_ms();
    let window = query(q)?.window(now)?;
    Ok(Json(state.overview.overview(id, &window, now).await?))
}

pub async fn health(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Health>, AppError> {
    let id = parse_id(&id)?;
    Ok(Json(state.overview.health(id, now_ms()).await?))
}

macro_rules! trends_handler {
    ($name:ident) => {
        pub async fn $name(
            State(state): State<AppState>,
            Path(id): Path<String>,
            q: Result<Query<RangeQuery>, axum::extract::rejection::QueryRejection>,
        ) -> Result<Json<Trends>, AppError> {
            let id = parse_id(&id)?;
            let window = query(q)?.window(now_ms())?;
            Ok(Json(state.overview.$name(id, &window).await?))
        }
    };
}

trends_handler!(performance);
trends_handler!(resources);
trends_handler!(transactions);
trends_handler!(compaction);

pub async fn data_statistics(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Option<StoredDataStatistics>>, AppError> {
    let id = parse_id(&id)?;
    Ok(Json(state.overview.data_statistics(id).await?))
}

pub async fn capacity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Capacity>, AppError> {
    let id = parse_id(&id)?;
    Ok(Json(state.overview.capacity(id, now_ms()).await?))
}

pub async fn alerts(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Alerts>, AppError> {
    let id = parse_id(&id)?;
    Ok(Json(state.overview.alerts(id, now_ms()).await?))
}

/// Reachability and node counts now: the HTTP and MySQL sides asked at the same time.
pub async fn live_health(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ConnectionReport>, AppError> {
    let id = parse_id(&id)?;
    let endpoint = state.clusters.endpoint(id).await?;
    Ok(Json(state.clusters.test_connection(&endpoint).await))
}

/// The cluster's metrics now, read from every FE and BE at the same time.
pub async fn live_summary(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<LiveSummary>, AppError> {
    let id = parse_id(&id)?;
    let endpoint = state.clusters.endpoint(id).await?;
    Ok(Json(state.collector.live_summary(id, &endpoint).await))
}
