//! Black-box tests of the StarRocks simulator: a real HTTP and MySQL client against
//! `Simulator::start(.., PortPlan::Ephemeral)`.
//!
//! `http.rs` checks the FE and BE HTTP bodies, `mysql.rs` the MySQL port, and
//! `faults.rs` the faults, the control API and the listeners' life cycle,
//! `hostile.rs` the hostile faults and the control API's JSON guard; this
//! file holds the clients and helpers they share.

mod faults;
mod hostile;
mod http;
mod mysql;

use serde_json::Value;
use sim::{ClusterSpec, PortPlan, SimCluster, Simulator};
use std::time::{Duration, Instant};

/// reqwest here is built without its `json` feature.
trait JsonBody {
    async fn json_value(self) -> Value;
}

impl JsonBody for reqwest::Response {
    async fn json_value(self) -> Value {
        serde_json::from_str(&self.text().await.expect("body")).expect("json")
    }
}

async fn start(profile: &str) -> Simulator {
    let spec = ClusterSpec::profile(profile, 42).expect("profile");
    Simulator::start(vec![spec], PortPlan::Ephemeral)
        .await
        .expect("start")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .build()
        .expect("client")
}

async fn proc(c: &SimCluster, path: &str) -> Value {
    let r = client()
        .get(format!("http://{}/api/show_proc?path={path}", c.http_addr))
        .basic_auth("root", Some(""))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");
    serde_json::from_str(&r.text().await.expect("body")).expect("json")
}

async fn get(url: String) -> reqwest::Response {
    client().get(url).send().await.expect("send")
}

fn objects(v: &Value) -> Vec<serde_json::Map<String, Value>> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|o| o.as_object().expect("object").clone())
        .collect()
}

fn all_strings(rows: &[serde_json::Map<String, Value>]) {
    for r in rows {
        for (k, v) in r {
            assert!(v.is_string(), "{k} is not a string: {v}");
        }
    }
}

/// A connect that is refused (not merely slow: a full accept queue would make
/// the kernel retry the SYN for minutes).
async fn refused(addr: std::net::SocketAddr) -> bool {
    matches!(
        tokio::time::timeout(
            Duration::from_millis(300),
            tokio::net::TcpStream::connect(addr)
        )
        .await,
        Ok(Err(_))
    )
}

async fn wait_until<F: std::future::Future<Output = bool>>(mut f: impl FnMut() -> F) -> bool {
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if f().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    false
}

fn opts(c: &SimCluster, password: &str) -> mysql_async::Opts {
    mysql_async::OptsBuilder::default()
        .ip_or_hostname(c.mysql_addr.ip().to_string())
        .tcp_port(c.mysql_addr.port())
        .user(Some("root"))
        .pass(Some(password))
        .prefer_socket(false)
        .max_allowed_packet(Some(16 << 20))
        .wait_timeout(Some(28_800))
        .into()
}

async fn connect(c: &SimCluster, password: &str) -> Result<mysql_async::Conn, mysql_async::Error> {
    tokio::time::timeout(
        Duration::from_secs(5),
        mysql_async::Conn::new(opts(c, password)),
    )
    .await
    .expect("connect timed out")
}
