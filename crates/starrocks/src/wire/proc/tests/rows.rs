use super::{body, one};
use crate::wire::proc::{
    backends, compute_nodes, current_queries, frontends, rows, BACKENDS_COLUMNS_V30,
};
use serde_json::json;

const UNKNOWN_PROC_PATH: &str = include_str!(
    "../../../../fixtures/mysql_error_unknown_proc_path_3.5.15_starrocks-admin_issue39.txt"
);

// --- the real samples --------------------------------------------------------

#[test]
fn a_mysql_error_text_is_a_format_error_that_shows_what_came() {
    // Not an HTTP body, but exactly the kind of plain text a caller may get
    // instead of JSON (compare "Failed to forward stmt: ...").
    let err = backends(UNKNOWN_PROC_PATH.as_bytes()).expect_err("not JSON");
    assert!(err.message.starts_with("not JSON"), "{}", err.message);
    assert!(err
        .excerpt
        .starts_with("# source: GitHub issue jlon/starrocks-admin#39"));
    assert_eq!(err.excerpt.chars().count(), 200);
    assert!(err.to_string().starts_with("not JSON"));
}

// --- generated edge cases ------------------------------------------------------------

#[test]
fn an_empty_array_is_an_empty_list() {
    assert_eq!(backends(b"[]"), Ok(vec![]));
    assert_eq!(frontends(b" [ ]\n"), Ok(vec![]));
    assert_eq!(compute_nodes(b"[]"), Ok(vec![]));
    assert_eq!(current_queries(b"[]"), Ok(vec![]));
    assert_eq!(rows(b"[]", &[]), Ok(vec![]));
}

#[test]
fn longer_array_rows_drop_their_extra_cells() {
    let mut cells: Vec<String> = (0..30).map(|i| i.to_string()).collect();
    cells[0] = "10003".into();
    let decoded = one(rows(&body(json!([cells])), BACKENDS_COLUMNS_V30).expect("body"));
    assert_eq!(decoded.cells().count(), BACKENDS_COLUMNS_V30.len());
    assert_eq!(decoded.get("BackendId"), Some("10003"));
    assert_eq!(decoded.get("CpuUsedPct"), Some("25"));
}

#[test]
fn rows_of_mixed_shapes_in_one_body_both_decode() {
    let decoded = rows(br#"[{"A":"1"},["2"]]"#, &["A"]).expect("body");
    assert_eq!(decoded[0].get("A"), Some("1"));
    assert_eq!(decoded[1].get("A"), Some("2"));
}

#[test]
fn non_string_scalars_are_read_as_their_text() {
    let row = json!([{
        "BackendId": 10003, "Alive": true, "SystemDecommissioned": false,
        "TabletNum": 42, "UsedPct": 19.83, "ErrMsg": null, "Location": null,
        "HttpPort": 8040
    }]);
    let be = one(backends(&body(row)).expect("body"));
    assert_eq!(be.id, Some(10003));
    assert_eq!(be.alive, Some(true));
    assert_eq!(be.system_decommissioned, Some(false));
    assert_eq!(be.tablet_num, Some(42));
    assert_eq!(be.used_pct, Some(19.83));
    assert_eq!(be.http_port, Some(8040));
    assert_eq!(be.err_msg, None);

    let decoded = one(rows(
        br#"[[1, true, null, 2.5, {"k":"v"}]]"#,
        &["a", "b", "c", "d", "e"],
    )
    .expect("body"));
    assert_eq!(decoded.get("a"), Some("1"));
    assert_eq!(decoded.get("b"), Some("true"));
    assert_eq!(decoded.get("c"), None);
    assert_eq!(decoded.get("d"), Some("2.5"));
    assert_eq!(decoded.get("e"), Some(r#"{"k":"v"}"#));
}

#[test]
fn wrong_shapes_are_format_errors() {
    for (text, expected) in [
        (
            &b"{\"status\":\"FAILED\"}"[..],
            "expected a JSON array of rows, got an object",
        ),
        (b"\"hello\"", "expected a JSON array of rows, got a string"),
        (b"[1]", "row 1 is a number, not an object or an array"),
        (
            b"[[], \"x\"]",
            "row 2 is a string, not an object or an array",
        ),
    ] {
        let err = rows(text, &[]).expect_err("wrong shape");
        assert_eq!(err.message, expected);
        assert_eq!(err.excerpt.as_bytes(), text);
    }
    for text in [
        &b""[..],
        b"Failed to forward stmt: connection refused",
        b"<html>this is 404 page.</html>",
        b"[{\"a\":",
        b"\xff\xfe[]",
    ] {
        let err = backends(text).expect_err("not JSON");
        assert!(err.message.starts_with("not JSON"), "{}", err.message);
    }
}

#[test]
fn a_byte_order_mark_is_tolerated() {
    assert_eq!(backends(b"\xEF\xBB\xBF[]"), Ok(vec![]));
}

#[test]
fn the_excerpt_stops_at_200_chars_on_a_char_boundary() {
    let text = "é".repeat(500);
    let err = backends(text.as_bytes()).expect_err("not JSON");
    assert_eq!(err.excerpt, "é".repeat(200));
    // Invalid UTF-8 is replaced, not a panic.
    let err = backends(&[0xC3; 10]).expect_err("not JSON");
    assert!(err.excerpt.contains('\u{FFFD}'));
    assert!(err.to_string().contains("not JSON"));
}
