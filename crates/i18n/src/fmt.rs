//! Durations, relative times and dates as each language writes them. Numbers
//! are the same in both (`1,234.5`: Chinese uses the same separators), so
//! `model::format` keeps them.

use crate::{fill, td_string, Locale};

/// A span in its two largest units: `3 d 4 h` / `3 天 4 小时`, `45 s` / `45 秒`.
pub fn duration(l: Locale, ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    let unit = |n: i64, u: &str| fill(u, &[("n", &n)]);
    let (ud, uh, um, us) = (
        td_string!(l, common.unit_d),
        td_string!(l, common.unit_h),
        td_string!(l, common.unit_min),
        td_string!(l, common.unit_s),
    );
    match (d, h, m) {
        (0, 0, 0) => unit(sec, us),
        (0, 0, _) if sec == 0 => unit(m, um),
        (0, 0, _) => format!("{} {}", unit(m, um), unit(sec, us)),
        (0, _, 0) => unit(h, uh),
        (0, _, _) => format!("{} {}", unit(h, uh), unit(m, um)),
        (_, 0, _) => unit(d, ud),
        _ => format!("{} {}", unit(d, ud), unit(h, uh)),
    }
}

/// "5 min ago" / "5 分钟前": how long before `now` the moment `ms` was.
pub fn ago(l: Locale, now: i64, ms: i64) -> String {
    fill(
        td_string!(l, common.ago),
        &[("duration", &duration(l, now - ms))],
    )
}

/// A moment in UTC: `2026-11-26 18:00:30 UTC` / `2026/11/26 18:00:30 UTC`.
pub fn utc_time(l: Locale, ms: i64) -> String {
    let (y, mo, d, h, mi, s) = utc_parts(ms);
    let sep = match l {
        Locale::en => '-',
        Locale::zh_CN => '/',
    };
    format!("{y:04}{sep}{mo:02}{sep}{d:02} {h:02}:{mi:02}:{s:02} UTC")
}

/// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian;
/// the "days from civil" inverse by H. Hinnant), so the wasm build needs no
/// date library for the few UTC times it prints.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

pub fn utc_parts(ms: i64) -> (i64, u32, u32, i64, i64, i64) {
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    (y, mo, d, s / 3600, s / 60 % 60, s % 60)
}
