use crate::wire::proc::{bootstrap, fe_health, runtime_info, RuntimeInfo};

#[test]
fn runtime_info_reads_gson_strings_and_numbers() {
    let info = runtime_info(
        br#"{"free_mem":"123456","total_mem":"2147483648","thread_cnt":"87","max_mem":8589934592}"#,
    )
    .expect("body");
    assert_eq!(
        info,
        RuntimeInfo {
            free_mem: Some(123_456),
            total_mem: Some(2_147_483_648),
            max_mem: Some(8_589_934_592),
            thread_cnt: Some(87),
        }
    );
    assert_eq!(runtime_info(b"{}"), Ok(RuntimeInfo::default()));
    assert!(runtime_info(b"[]").is_err());
}

#[test]
fn fe_health_in_any_key_order() {
    let a = fe_health(br#"{"online_backend_num":3,"total_backend_num":4,"status":"OK"}"#);
    let b = fe_health(br#"{"status":"OK","total_backend_num":"4","online_backend_num":"3"}"#);
    assert_eq!(a, b);
    let health = a.expect("body");
    assert_eq!(health.online_backend_num, Some(3));
    assert_eq!(health.total_backend_num, Some(4));
    assert!(health.is_ok());
    assert!(fe_health(b"this is 404 page.").is_err());
}

#[test]
fn bootstrap_tells_a_starting_fe_from_a_ready_one() {
    let ready = bootstrap(
        br#"{"replayedJournalId":0,"queryPort":0,"rpcPort":0,"feStartTime":0,"status":"OK","code":"0","msg":"Success","message":"OK"}"#,
    )
    .expect("body");
    assert!(ready.is_ready());
    assert_eq!(ready.fe_version, None);
    assert_eq!(ready.query_port, Some(0));

    let with_token = bootstrap(
        br#"{"replayedJournalId":812,"queryPort":9030,"rpcPort":9020,"feStartTime":1700000000000,"feVersion":"3.3.10-227b0b3","status":"OK","code":"0","msg":"Success","message":"OK"}"#,
    )
    .expect("body");
    assert_eq!(with_token.fe_version.as_deref(), Some("3.3.10-227b0b3"));
    assert_eq!(with_token.replayed_journal_id, Some(812));
    assert_eq!(with_token.fe_start_time, Some(1_700_000_000_000));

    let starting =
        bootstrap(br#"{"status":"FAILED","code":"1","msg":"not ready","message":"not ready"}"#)
            .expect("body");
    assert!(!starting.is_ready());

    let refused =
        bootstrap(br#"{"status":"FAILED","code":"1","msg":"invalid token"}"#).expect("body");
    assert!(refused.is_ready());
}
