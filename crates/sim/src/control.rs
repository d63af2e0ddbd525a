//! The `/_sim/faults` control API (see the module doc of `sim` for the protocol).

use super::faults::{Fault, Faults};
use axum::extract::State;
use axum::http::{header, StatusCode};
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
        Fault::BeDead(i) => json!({"fault": f.name(), "index": i}),
        Fault::Slow(d) => {
            json!({"fault": f.name(), "ms": u64::try_from(d.as_millis()).unwrap_or(u64::MAX)})
        }
        _ => json!({"fault": f.name()}),
    }
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
    Ok(match name {
        "be_dead" => Fault::BeDead(usize::try_from(num("index")?).map_err(|e| e.to_string())?),
        "fe_refusing" => Fault::FeRefusing,
        "slow" => Fault::Slow(Duration::from_millis(num("ms")?)),
        "http500" => Fault::Http500,
        "garbage_body" => Fault::GarbageBody,
        "truncated_body" => Fault::TruncatedBody,
        "wrong_credentials" => Fault::WrongCredentials,
        "mysql_down" => Fault::MysqlDown,
        "fe_restart" => Fault::FeRestart,
        other => return Err(format!("unknown fault {other:?}")),
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

async fn set(State(faults): State<Faults>, body: String) -> Response {
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

async fn clear(State(faults): State<Faults>) -> Response {
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
            Fault::FeRefusing,
            Fault::Slow(Duration::from_millis(3000)),
            Fault::Http500,
            Fault::GarbageBody,
            Fault::TruncatedBody,
            Fault::WrongCredentials,
            Fault::MysqlDown,
            Fault::FeRestart,
        ] {
            assert_eq!(from_json(&to_json(&f)), Ok(f));
        }
        assert!(from_json(&json!({"fault": "slow"})).is_err());
        assert!(from_json(&json!({"fault": "meteor"})).is_err());
    }
}
