use super::answers::starrocks_message;
use super::*;
use model::starrocks::ErrorKind;
use model::text::{CUT_MARK, MAX_ERROR_CHARS};
use test_server::{Answer, TestServer};

mod test_server;

fn client(port: u16) -> FeClient {
    let endpoint = Endpoint {
        host: "127.0.0.1".into(),
        http_port: port,
        query_port: 9030,
        extra: Vec::new(),
        use_https: false,
        username: "root".into(),
        password: "pw".into(),
    };
    FeClient::new(&endpoint, HttpTimeouts::default()).expect("client")
}

fn assert_bounded(text: &str) {
    let most = MAX_ERROR_CHARS + CUT_MARK.chars().count();
    let n = text.chars().count();
    assert!(n <= most, "{n} chars: {}", clip(text, 80));
}

fn texts(e: &StarRocksError) -> Vec<&str> {
    match e {
        StarRocksError::Unreachable { target, detail } => vec![target, detail],
        StarRocksError::Timeout { target, .. } | StarRocksError::NotFound { target } => {
            vec![target]
        }
        StarRocksError::AuthFailed { target, message }
        | StarRocksError::NotReady { target, message }
        | StarRocksError::Server { target, message } => vec![target, message],
        StarRocksError::BadPayload {
            target,
            message,
            excerpt,
        } => vec![target, message, excerpt],
    }
}

const METRICS: &[u8] = b"# TYPE a counter\na 1\nb{x=\"y\"} 2\n";

#[test]
fn starrocks_messages_are_taken_from_json_or_short_text() {
    assert_eq!(
        starrocks_message(br#"{"status":"FAILED","code":"1","msg":"Need auth information.","message":"Need auth information."}"#),
        Some("Need auth information.".into())
    );
    assert_eq!(
        starrocks_message(b"Access denied for root@127.0.0.1"),
        Some("Access denied for root@127.0.0.1".into())
    );
    assert_eq!(starrocks_message(b"<html>this is 404 page.</html>"), None);
    assert_eq!(
        starrocks_message(br#"{"status":"FAILED","code":"1"}"#),
        None
    );
}

#[test]
fn unbounded_error_texts_a_cut_off_json_msg_is_read_as_far_as_it_goes() {
    let cut = br#"{"status":"FAILED","msg" : "Access denied\n\u00e9\"x\"\\ for root@127.0"#;
    assert_eq!(
        starrocks_message(cut).as_deref(),
        Some("Access denied\né\"x\"\\ for root@127.0")
    );
    let huge = format!(r#"{{"msg":"{}"#, "é".repeat(MAX_ERROR_BODY));
    let message = starrocks_message(huge.as_bytes()).expect("msg");
    assert_eq!(message, model::text::clip_error(&"é".repeat(1000)));
    // Cut inside an escape or before any value: never panics.
    for body in [
        &br#"{"msg":"ab\u00"#[..],
        br#"{"msg":"ab\"#,
        br#"{"msg""#,
        br#"{"msg":"#,
    ] {
        let _ = starrocks_message(body);
    }
    assert_eq!(
        starrocks_message(br#"{"status":"FAILED","code":"1","#),
        None
    );
    assert_eq!(starrocks_message(br#"{"msg":""#), None);
}

#[test]
fn ipv6_hosts_are_bracketed() {
    assert_eq!(host_for_url("::1"), "[::1]");
    assert_eq!(host_for_url("[::1]"), "[::1]");
    assert_eq!(host_for_url("fe1"), "fe1");
}

#[test]
fn a_non_metrics_page_is_a_bad_payload() {
    let limits = Limits::default();
    let e = prometheus_body(
        "fe:8030/metrics",
        b"<html><body>login</body></html>",
        limits,
    )
    .expect_err("html");
    assert_eq!(e.kind(), ErrorKind::BadPayload);
    assert!(
        prometheus_body("x", b"", limits).is_ok(),
        "an empty page is an empty set of metrics"
    );
}

#[test]
fn endpoint_debug_hides_the_password() {
    let e = Endpoint {
        host: "h".into(),
        http_port: 1,
        query_port: 2,
        extra: Vec::new(),
        use_https: false,
        username: "u".into(),
        password: "secret-pw".into(),
    };
    assert!(!format!("{e:?}").contains("secret-pw"));
}

#[tokio::test]
async fn node_addresses_build_urls_unchecked_a_listed_address_that_is_not_a_host_is_refused() {
    let server = TestServer::start(|_, _| Answer::new("200 OK", &[], METRICS)).await;
    let fe = client(server.port);
    let port = server.port;
    let hosts = [
        "169.254.169.254/latest/meta-data/#".to_string(),
        "user:pw@evil".to_string(),
        "10.0.0.1:99".to_string(),
        "http://evil".to_string(),
        // The same tricks aimed at the test server, which counts requests.
        format!("127.0.0.1:{port}/latest/meta-data/#"),
        format!("127.0.0.1:{port}/latest?"),
        format!("user:pw@127.0.0.1:{port}"),
        format!("http://127.0.0.1:{port}"),
        format!("127.0.0.1:{port}\r\nX-Injected: 1"),
        String::new(),
    ];
    for host in &hosts {
        let e = fe.node_metrics(host, 80).await.expect_err(host);
        assert_eq!(e.kind(), ErrorKind::BadPayload, "{host}: {e}");
        let StarRocksError::BadPayload { message, .. } = &e else {
            panic!("{e:?}")
        };
        assert!(
            message.starts_with("the FE lists a node address that is not a host: "),
            "{message}"
        );
        for text in texts(&e) {
            assert_bounded(text);
        }
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    // A real host is asked, with the credentials.
    let m = fe.node_metrics("127.0.0.1", port).await.expect("metrics");
    assert_eq!(m.samples().len(), 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].starts_with("GET /metrics HTTP/1.1\r\n"),
        "{}",
        requests[0]
    );
    assert!(
        requests[0].contains("authorization: Basic cm9vdDpwdw=="),
        "{}",
        requests[0]
    );
}

#[test]
fn node_addresses_build_urls_unchecked_urls_are_made_with_setters() {
    let fe = client(8030);
    let url = |host: &str, port, path, query| fe.url(host, port, path, query).map(String::from);
    assert_eq!(
        url("fe1", 8030, "/metrics", &[]).as_deref(),
        Ok("http://fe1:8030/metrics")
    );
    assert_eq!(
        url("::1", 8040, "/metrics", &[]).as_deref(),
        Ok("http://[::1]:8040/metrics")
    );
    assert_eq!(
        url("[fe80::1]", 8040, "/metrics", &[]).as_deref(),
        Ok("http://[fe80::1]:8040/metrics")
    );
    assert_eq!(
        url(
            "10.0.0.1",
            8030,
            "/api/show_proc",
            &[("path", "/jobs/1?x#y&z=1")]
        )
        .as_deref(),
        Ok("http://10.0.0.1:8030/api/show_proc?path=%2Fjobs%2F1%3Fx%23y%26z%3D1")
    );
    let https = fe.clone();
    let https = FeClient {
        https: true,
        ..https
    };
    assert_eq!(
        https
            .url("fe1", 443, "/api/health", &[])
            .map(String::from)
            .as_deref(),
        Ok("https://fe1/api/health")
    );
    for bad in ["a/b", "a:1", "u@h", "http://h", "h#", "h?", "", "a b"] {
        assert!(url(bad, 1, "/metrics", &[]).is_err(), "{bad}");
    }
}

#[tokio::test]
async fn node_addresses_build_urls_unchecked_a_redirect_is_not_followed() {
    let server = TestServer::start(|head, port| {
        if head.starts_with("GET /elsewhere") {
            Answer::new("200 OK", &[], METRICS)
        } else {
            let to = format!("Location: http://127.0.0.1:{port}/elsewhere");
            Answer::new("302 Found", &[to], b"")
        }
    })
    .await;
    let fe = client(server.port);
    let e = fe.metrics().await.expect_err("a redirect");
    assert_eq!(e.kind(), ErrorKind::BadPayload, "{e}");
    assert!(
        e.to_string()
            .contains("HTTP 302 redirects to http://127.0.0.1:"),
        "{e}"
    );
    assert!(e.to_string().contains("/elsewhere"), "{e}");
    assert_eq!(server.requests().len(), 1, "not followed");

    let long = format!("Location: http://evil/{}", "a".repeat(20_000));
    let server = TestServer::start(move |_, _| {
        Answer::new("307 Temporary Redirect", std::slice::from_ref(&long), b"")
    })
    .await;
    let e = client(server.port)
        .backends()
        .await
        .expect_err("a redirect");
    assert_eq!(e.kind(), ErrorKind::BadPayload, "{e}");
    let StarRocksError::BadPayload { message, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(
        message.contains("redirects to http://evil/aaa"),
        "{message}"
    );
    assert!(
        message.chars().count() < MAX_LOCATION_CHARS + 100,
        "the Location is clipped"
    );
}

#[tokio::test]
async fn unbounded_error_texts_a_long_401_msg_is_clipped() {
    let msg = format!(r#"{{"status":"FAILED","msg":"{}"}}"#, "é".repeat(20_000));
    let server =
        TestServer::start(move |_, _| Answer::new("401 Unauthorized", &[], msg.as_bytes())).await;
    let e = client(server.port).frontends().await.expect_err("401");
    assert_eq!(e.kind(), ErrorKind::AuthFailed);
    let StarRocksError::AuthFailed { message, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(message.starts_with("éé"));
    assert!(message.ends_with(CUT_MARK));
    for text in texts(&e) {
        assert_bounded(text);
    }
    assert_bounded(&e.report().message);
}

#[tokio::test]
async fn unbounded_error_texts_a_long_500_msg_is_clipped() {
    let body = format!(
        r#"{{"status":"FAILED","message":"{}"}}"#,
        "x".repeat(50_000)
    );
    let server = TestServer::start(move |_, _| {
        Answer::new("500 Internal Server Error", &[], body.as_bytes())
    })
    .await;
    let e = client(server.port).health().await.expect_err("500");
    assert_eq!(e.kind(), ErrorKind::ServerError);
    for text in texts(&e) {
        assert_bounded(text);
    }
}

#[tokio::test]
async fn unbounded_error_texts_a_30_mb_401_body_is_read_only_to_64_kib() {
    const TOTAL: usize = 30 * 1024 * 1024;
    let chunk = vec![b'x'; 64 * 1024];
    let server = TestServer::start(move |_, _| {
        let mut a = Answer::repeated("401 Unauthorized", &[], &chunk, TOTAL / chunk.len());
        // A JSON `msg` of 30 MB.
        a.head = a
            .head
            .replace("Connection: close", "Content-Type: application/json");
        a.chunk[..8].copy_from_slice(br#"{"msg":""#);
        a
    })
    .await;
    let e = client(server.port).frontends().await.expect_err("401");
    assert_eq!(e.kind(), ErrorKind::AuthFailed, "{e}");
    for text in texts(&e) {
        assert_bounded(text);
    }
    let StarRocksError::AuthFailed { message, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(message.starts_with("xxxx"), "the msg as far as it was read");
    assert!(message.ends_with(CUT_MARK), "{message}");
    let written = server.written_after(1).await;
    assert!(
        written < TOTAL / 2,
        "the client read {written} bytes of a 401 body of {TOTAL}"
    );
}

#[tokio::test]
async fn quadratic_parse_the_metrics_body_cap_comes_from_the_client_limits() {
    let body: Vec<u8> = (0..200)
        .flat_map(|i| format!("m{i} {i}\n").into_bytes())
        .collect();
    let len = body.len();
    let server = TestServer::start(move |_, _| Answer::new("200 OK", &[], &body)).await;
    let fe = client(server.port);
    assert_eq!(fe.limits(), Limits::default());
    assert_eq!(fe.metrics().await.expect("metrics").samples().len(), 200);

    let small = fe.clone().with_limits(Limits {
        max_body_bytes: len - 1,
        ..Limits::default()
    });
    let e = small.metrics().await.expect_err("too large");
    assert_eq!(e.kind(), ErrorKind::BadPayload);
    assert!(
        e.to_string()
            .contains(&format!("larger than {} bytes", len - 1)),
        "{e}"
    );
    let e = small
        .node_metrics("127.0.0.1", server.port)
        .await
        .expect_err("too large");
    assert_eq!(e.kind(), ErrorKind::BadPayload);

    let few = fe.with_limits(Limits {
        max_samples: 50,
        ..Limits::default()
    });
    let m = few.metrics().await.expect("metrics");
    assert_eq!((m.samples().len(), m.truncated()), (50, true));
}

#[test]
fn sizes_read_well() {
    assert_eq!(size_text(8 * 1024 * 1024), "8 MiB");
    assert_eq!(size_text(1000), "1000 bytes");
}
