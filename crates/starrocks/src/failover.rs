//! Several FE addresses for one cluster (a VIP and the FEs, or every FE):
//! the first that answers serves, the others are tried in turn when it does
//! not. A refused login ends the search: users are the same on every FE, so
//! the next one would refuse too, and trying it only costs time.

use super::error::StarRocksError;
use super::http::Endpoint;
use super::sql::{SqlClient, SqlTimeouts};
use model::fe_address::FeAddress;
use model::starrocks::ErrorKind;
use model::text::clip_error;
use std::future::Future;

/// An address that was tried and did not answer.
#[derive(Clone, Debug)]
pub struct Tried {
    pub index: usize,
    pub address: FeAddress,
    pub error: StarRocksError,
}

/// An answer, the address it came from, and the addresses tried before it.
#[derive(Debug)]
pub struct Answered<T> {
    pub value: T,
    pub index: usize,
    pub address: FeAddress,
    pub failed: Vec<Tried>,
}

/// Whether another FE might answer where this one did not.
pub fn worth_the_next(e: &StarRocksError) -> bool {
    e.kind() != ErrorKind::AuthFailed
}

/// Runs `work` on the addresses of `endpoint` in the order of `order`
/// (indexes into [`Endpoint::addresses`]; out-of-range ones are skipped)
/// until one answers. `Err` holds every failure, in the order tried.
pub async fn first_answer<T, F, Fut>(
    endpoint: &Endpoint,
    order: impl IntoIterator<Item = usize>,
    mut work: F,
) -> Result<Answered<T>, Vec<Tried>>
where
    F: FnMut(Endpoint) -> Fut,
    Fut: Future<Output = Result<T, StarRocksError>>,
{
    let addresses = endpoint.addresses();
    let mut failed = Vec::new();
    for index in order {
        let Some(address) = addresses.get(index) else {
            continue;
        };
        match work(endpoint.at(address)).await {
            Ok(value) => {
                return Ok(Answered {
                    value,
                    index,
                    address: address.clone(),
                    failed,
                })
            }
            Err(error) => {
                let stop = !worth_the_next(&error);
                failed.push(Tried {
                    index,
                    address: address.clone(),
                    error,
                });
                if stop {
                    break;
                }
            }
        }
    }
    Err(failed)
}

/// In registration order.
pub fn in_order(endpoint: &Endpoint) -> std::ops::Range<usize> {
    0..endpoint.extra.len() + 1
}

/// The kind and message of a read where no address answered: one address
/// says its own error; several are named each with theirs.
pub fn none_answered(tried: &[Tried]) -> (ErrorKind, String) {
    match tried {
        [] => (ErrorKind::Unreachable, "no FE address was tried".into()),
        [one] => (one.error.kind(), one.error.to_string()),
        [first, ..] => {
            let each: Vec<String> = tried
                .iter()
                .map(|t| {
                    format!(
                        "{}: {}",
                        t.address.http_authority(),
                        clip_error(&t.error.to_string())
                    )
                })
                .collect();
            (
                first.error.kind(),
                clip_error(&format!(
                    "none of the {} FE addresses answered: {}",
                    tried.len(),
                    each.join("; ")
                )),
            )
        }
    }
}

/// One error for a read no address answered: the only one's, or one
/// naming every address with its error (`side` says which port, "MySQL").
pub fn first_error(tried: Vec<Tried>, side: &str) -> StarRocksError {
    let tried = match <[Tried; 1]>::try_from(tried) {
        Ok([one]) => return one.error,
        Err(tried) => tried,
    };
    let (kind, message) = none_answered(&tried);
    let target = format!("{} FE addresses ({side})", tried.len());
    if kind == ErrorKind::AuthFailed {
        StarRocksError::AuthFailed { target, message }
    } else {
        StarRocksError::unreachable(&target, message)
    }
}

/// A MySQL client on the first address whose query port lets us in.
pub async fn sql_client(
    endpoint: &Endpoint,
    timeouts: SqlTimeouts,
) -> Result<Answered<SqlClient>, Vec<Tried>> {
    first_answer(endpoint, in_order(endpoint), |at| async move {
        let client = SqlClient::new(
            &at.host,
            at.query_port,
            &at.username,
            &at.password,
            timeouts,
        );
        match client.check().await {
            Ok(()) => Ok(client),
            Err(e) => {
                client.disconnect().await;
                Err(e)
            }
        }
    })
    .await
}

/// A MySQL session with a cluster's first FE address that answers, each
/// statement bounded by `deadline`; when none answers, the first's error
/// (or each address with its own).
pub async fn sql_session(
    endpoint: &Endpoint,
    timeouts: SqlTimeouts,
    deadline: std::time::Duration,
) -> Result<SqlClient, StarRocksError> {
    let picked = sql_client(endpoint, timeouts)
        .await
        .map_err(|tried| first_error(tried, "MySQL"))?;
    Ok(picked.value.with_deadline(deadline))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(n: usize) -> Endpoint {
        Endpoint {
            host: "fe0".into(),
            http_port: 8030,
            query_port: 9030,
            extra: (1..n)
                .map(|i| FeAddress {
                    host: format!("fe{i}"),
                    http_port: 8030,
                    query_port: 9030,
                })
                .collect(),
            use_https: false,
            username: "root".into(),
            password: "pw".into(),
        }
    }

    #[tokio::test]
    async fn several_fe_addresses_fail_over_to_the_first_that_answers() {
        let e = endpoint(3);
        let got = first_answer(&e, in_order(&e), |at| async move {
            match at.host.as_str() {
                "fe0" => Err(StarRocksError::unreachable(
                    "fe0:8030",
                    "connection refused",
                )),
                host => Ok(host.to_string()),
            }
        })
        .await
        .expect("fe1 answers");
        assert_eq!(got.value, "fe1");
        assert_eq!(got.index, 1);
        assert_eq!(got.failed.len(), 1);
        assert_eq!(got.failed[0].address.host, "fe0");
        // Each try sees one address with the same login.
        let seen = first_answer(&e, [2], |at| async move {
            Ok::<_, StarRocksError>((at.host, at.extra.len(), at.password))
        })
        .await
        .expect("answer");
        assert_eq!(seen.value, ("fe2".to_string(), 0, "pw".to_string()));
    }

    #[tokio::test]
    async fn a_refused_login_is_not_retried_elsewhere_and_every_failure_is_named() {
        let e = endpoint(3);
        let tried = first_answer(&e, in_order(&e), |at| async move {
            Err::<(), _>(StarRocksError::AuthFailed {
                target: at.host,
                message: "Access denied".into(),
            })
        })
        .await
        .expect_err("refused");
        assert_eq!(tried.len(), 1);
        let tried = first_answer(&e, in_order(&e), |at| async move {
            Err::<(), _>(StarRocksError::unreachable(&at.host, "connection refused"))
        })
        .await
        .expect_err("down");
        let (kind, message) = none_answered(&tried);
        assert_eq!(kind, ErrorKind::Unreachable);
        assert!(
            message.starts_with("none of the 3 FE addresses answered: fe0:8030: "),
            "{message}"
        );
        assert!(message.contains("fe2:8030: cannot reach fe2"), "{message}");
    }
}
