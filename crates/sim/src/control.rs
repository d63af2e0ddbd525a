//! The `/_sim/faults` control API (see the module doc of `sim` for the protocol
//! and every fault's name; the operations-health ones, `routine_load_paused`,
//! `txn_pileup`, `checkpoint_stuck`, `rowset_explosion` and
//! `tablets_unhealthy`, take no parameter).

use super::faults::{Fault, Faults, MAX_BOMB_BYTES, MAX_NODES};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::time::Duration;

pub(crate) fn router<S: Clone + Send + Sync + 'static>(faults: Faults) -> Router<S> {
    Router::new()
        .route("/_sim/faults", get(list).post(set).delete(clear))
        .with_state(faults)
}

/// A fault as the control API writes it.
pub fn to_json(f: &Fault) -> Value {
    match f {
        Fault::BeDead(i) | Fault::FeDown(i) => json!({"fault": f.name(), "index": i}),
        Fault::Slow(d) | Fault::MysqlSlow(d) => {
            json!({"fault": f.name(), "ms": u64::try_from(d.as_millis()).unwrap_or(u64::MAX)})
        }
        Fault::MetricsBomb(n) | Fault::HugeError(n) => json!({"fault": f.name(), "bytes": n}),
        Fault::Redirect(to) => json!({"fault": f.name(), "to": to}),
        Fault::ManyNodes(n) | Fault::BusyQueries(n) => json!({"fault": f.name(), "count": n}),
        Fault::Drip(d) => {
            json!({"fault": f.name(), "ms": u64::try_from(d.as_millis()).unwrap_or(u64::MAX)})
        }
        _ => json!({"fault": f.name()}),
    }
}

/// Defaults of the optional parameters.
pub const DEFAULT_BOMB_BYTES: usize = 32 << 20;
pub const DEFAULT_ERROR_BYTES: usize = 30 << 20;
pub const DEFAULT_REDIRECT: &str = "http://127.0.0.1:9/elsewhere";
pub const DEFAULT_NODES: usize = 10_000;
pub const DEFAULT_DRIP_MS: u64 = 100;

/// An optional number `k` of `v`, at most `max`: `default` when absent.
fn opt_num(v: &Value, name: &str, k: &str, default: u64, max: u64) -> Result<u64, String> {
    let Some(n) = v.get(k) else {
        return Ok(default);
    };
    match n.as_u64() {
        Some(n) if n <= max => Ok(n),
        _ => Err(format!(
            "fault {name}: \"{k}\" must be a number up to {max}"
        )),
    }
}

/// A fault with optional parameters, `None` for another name.
fn with_defaults(v: &Value, name: &str) -> Option<Result<Fault, String>> {
    let size = |default: usize| {
        opt_num(v, name, "bytes", default as u64, MAX_BOMB_BYTES as u64).map(|n| n as usize)
    };
    Some(match name {
        "metrics_bomb" => size(DEFAULT_BOMB_BYTES).map(Fault::MetricsBomb),
        "huge_error" => size(DEFAULT_ERROR_BYTES).map(Fault::HugeError),
        "node_injection" => Ok(Fault::NodeInjection),
        "redirect" => match v.get("to") {
            None => Ok(Fault::Redirect(DEFAULT_REDIRECT.into())),
            Some(Value::String(to)) if HeaderValue::from_str(to).is_ok() => {
                Ok(Fault::Redirect(to.clone()))
            }
            Some(_) => Err("fault redirect: \"to\" must be a header-safe string".into()),
        },
        "many_nodes" => opt_num(v, name, "count", DEFAULT_NODES as u64, MAX_NODES as u64)
            .map(|n| Fault::ManyNodes(n as usize)),
        "busy_queries" => opt_num(
            v,
            name,
            "count",
            160,
            crate::faults::MAX_BUSY_QUERIES as u64,
        )
        .map(|n| Fault::BusyQueries(n as usize)),
        "drip" => opt_num(v, name, "ms", DEFAULT_DRIP_MS, 3_600_000)
            .map(|ms| Fault::Drip(Duration::from_millis(ms))),
        _ => return None,
    })
}

/// A fault from the control API's JSON; `Err` says what is wrong.
pub fn from_json(v: &Value) -> Result<Fault, String> {
    let name = v
        .get("fault")
        .and_then(Value::as_str)
        .ok_or("missing \"fault\"")?;
    let num = |k: &str| {
        v.get(k)
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("fault {name} needs a numeric \"{k}\""))
    };
    let index = || usize::try_from(num("index")?).map_err(|e| e.to_string());
    Ok(match name {
        "be_dead" => Fault::BeDead(index()?),
        "fe_down" => Fault::FeDown(index()?),
        "fe_refusing" => Fault::FeRefusing,
        "slow" => Fault::Slow(Duration::from_millis(num("ms")?)),
        "mysql_slow" => Fault::MysqlSlow(Duration::from_millis(num("ms")?)),
        "http500" => Fault::Http500,
        "garbage_body" => Fault::GarbageBody,
        "truncated_body" => Fault::TruncatedBody,
        "wrong_credentials" => Fault::WrongCredentials,
        "mysql_down" => Fault::MysqlDown,
        "fe_restart" => Fault::FeRestart,
        "routine_load_paused" => Fault::RoutineLoadPaused,
        "txn_pileup" => Fault::TxnPileup,
        "checkpoint_stuck" => Fault::CheckpointStuck,
        "rowset_explosion" => Fault::RowsetExplosion,
        "tablets_unhealthy" => Fault::TabletsUnhealthy,
        other => {
            return with_defaults(v, other)
                .unwrap_or_else(|| Err(format!("unknown fault {other:?}")))
        }
    })
}

fn answer(status: StatusCode, v: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        v.to_string(),
    )
        .into_response()
}

fn active(faults: &Faults) -> Response {
    let list: Vec<Value> = faults.active().iter().map(to_json).collect();
    answer(StatusCode::OK, json!({ "faults": list }))
}

async fn list(State(faults): State<Faults>) -> Response {
    active(&faults)
}

/// Whether the request says its body is JSON. A browser's simple cross-site
/// request (a form post) cannot say so, so only this switches faults.
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

fn not_json() -> Response {
    answer(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        json!({ "error": "Content-Type must be application/json" }),
    )
}

async fn set(State(faults): State<Faults>, headers: HeaderMap, body: String) -> Response {
    if !is_json(&headers) {
        return not_json();
    }
    let parsed = serde_json::from_str::<Value>(&body)
        .map_err(|e| e.to_string())
        .and_then(|v| from_json(&v).map(|f| (f, v.get("for_ms").and_then(Value::as_u64))));
    match parsed {
        Ok((fault, for_ms)) => {
            faults.set(fault.clone());
            if let Some(ms) = for_ms {
                let faults = faults.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    faults.clear(&fault);
                });
            }
            active(&faults)
        }
        Err(e) => answer(StatusCode::BAD_REQUEST, json!({ "error": e })),
    }
}

async fn clear(State(faults): State<Faults>, headers: HeaderMap) -> Response {
    if !is_json(&headers) {
        return not_json();
    }
    faults.clear_all();
    active(&faults)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip() {
        for f in [
            Fault::BeDead(2),
            Fault::FeDown(0),
            Fault::FeRefusing,
            Fault::Slow(Duration::from_millis(3000)),
            Fault::Http500,
            Fault::GarbageBody,
            Fault::TruncatedBody,
            Fault::WrongCredentials,
            Fault::MysqlDown,
            Fault::FeRestart,
            Fault::MetricsBomb(1_234),
            Fault::HugeError(99),
            Fault::NodeInjection,
            Fault::Redirect("https://elsewhere.example/x?y=1".into()),
            Fault::ManyNodes(7),
            Fault::BusyQueries(160),
            Fault::Drip(Duration::from_millis(5)),
            Fault::RoutineLoadPaused,
            Fault::TxnPileup,
            Fault::CheckpointStuck,
            Fault::RowsetExplosion,
            Fault::TabletsUnhealthy,
        ] {
            assert_eq!(from_json(&to_json(&f)), Ok(f));
        }
        assert!(from_json(&json!({"fault": "slow"})).is_err());
        assert!(from_json(&json!({"fault": "fe_down"})).is_err());
        assert_eq!(
            from_json(&json!({"fault": "fe_down", "index": 1})),
            Ok(Fault::FeDown(1))
        );
        assert!(from_json(&json!({"fault": "meteor"})).is_err());
        assert_eq!(
            to_json(&Fault::TabletsUnhealthy),
            json!({"fault": "tablets_unhealthy"})
        );
    }

    #[test]
    fn optional_parameters_have_defaults_and_limits() {
        let of = |v: Value| from_json(&v);
        assert_eq!(
            of(json!({"fault": "metrics_bomb"})),
            Ok(Fault::MetricsBomb(32 << 20))
        );
        assert_eq!(
            of(json!({"fault": "huge_error"})),
            Ok(Fault::HugeError(30 << 20))
        );
        assert_eq!(
            of(json!({"fault": "redirect"})),
            Ok(Fault::Redirect("http://127.0.0.1:9/elsewhere".into()))
        );
        assert_eq!(
            of(json!({"fault": "many_nodes"})),
            Ok(Fault::ManyNodes(10_000))
        );
        assert_eq!(
            of(json!({"fault": "drip"})),
            Ok(Fault::Drip(Duration::from_millis(100)))
        );
        assert!(of(json!({"fault": "metrics_bomb", "bytes": "big"})).is_err());
        assert!(of(json!({"fault": "huge_error", "bytes": (2u64 << 30)})).is_err());
        assert!(of(json!({"fault": "many_nodes", "count": -1})).is_err());
        assert!(of(json!({"fault": "redirect", "to": "a\nb"})).is_err());
        assert!(of(json!({"fault": "redirect", "to": 3})).is_err());
    }

    #[test]
    fn only_json_bodies_switch_faults() {
        let with = |ct: Option<&str>| {
            let mut h = HeaderMap::new();
            if let Some(ct) = ct {
                h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
            }
            is_json(&h)
        };
        assert!(with(Some("application/json")));
        assert!(with(Some("Application/JSON; charset=utf-8")));
        for ct in [
            None,
            Some("application/x-www-form-urlencoded"),
            Some("text/plain"),
            Some("multipart/form-data; boundary=x"),
            Some("application/jsonp"),
        ] {
            assert!(!with(ct), "{ct:?}");
        }
    }

    #[tokio::test]
    async fn a_form_post_changes_nothing() {
        let faults = Faults::new();
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let body = r#"{"fault":"http500"}"#.to_string();
        let r = set(State(faults.clone()), h.clone(), body.clone()).await;
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(faults.active().is_empty());
        faults.set(Fault::Http500);
        let r = clear(State(faults.clone()), h).await;
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(faults.active(), vec![Fault::Http500]);
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let r = clear(State(faults.clone()), h.clone()).await;
        assert_eq!(r.status(), StatusCode::OK);
        let r = set(State(faults.clone()), h, body).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(faults.active(), vec![Fault::Http500]);
    }
}
