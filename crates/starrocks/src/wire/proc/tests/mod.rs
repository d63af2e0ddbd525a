//! Tests of the show_proc and FE status decoders: one module per module of
//! `proc`, and the properties every parser must have. The real samples they
//! read live in `crates/starrocks/fixtures/`.

use chrono::{NaiveDate, NaiveDateTime};

mod nodes;
mod properties;
mod queries;
mod rows;
mod statistics;
mod status;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, mo, d).and_then(|date| date.and_hms_opt(h, mi, s))
}

fn one<T: std::fmt::Debug>(mut list: Vec<T>) -> T {
    assert_eq!(list.len(), 1, "{list:?}");
    list.remove(0)
}

fn body(value: serde_json::Value) -> Vec<u8> {
    value.to_string().into_bytes()
}
