//! The value formats StarRocks prints in its tables: capacities such as
//! `710.287 GB`, percentages such as `19.83 %`, `true`/`false`, datetimes,
//! row counts such as `5859503 rows` and durations such as `27.888 s`.
//!
//! Every function returns `None` for text it cannot read, including the
//! placeholders StarRocks prints for "unknown" (`NULL`, `N/A`, empty), so a
//! caller shows "not reported" instead of a made-up zero.

use chrono::NaiveDateTime;

/// Splits `"710.287 GB"` or `"6.207GB"` into the number and the trimmed unit.
/// The number is plain decimal (digits and at most one point, optionally
/// signed); anything else is not a StarRocks value.
fn number_and_unit(s: &str) -> Option<(f64, &str)> {
    let s = s.trim();
    let bytes = s.as_bytes();
    let mut end = 0;
    if matches!(bytes.first(), Some(b'+' | b'-')) {
        end = 1;
    }
    let digits_start = end;
    while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
        end += 1;
    }
    let digits = &s[digits_start..end];
    if !digits.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let number: f64 = s[..end].parse().ok()?;
    number.is_finite().then_some((number, s[end..].trim()))
}

/// A capacity in bytes. StarRocks formats capacities with 1024-based units
/// (`B`, `KB`, `MB`, `GB`, `TB`; `PB` is accepted in case a future build
/// prints it), with a space (`710.287 GB`) or without one (MemLimit
/// `6.207GB`). A bare number is taken as bytes: the docs show
/// `DataUsedCapacity: 0.000 ` with the unit lost. Huge values saturate at
/// `u64::MAX` instead of overflowing; negative ones are not capacities.
pub fn parse_capacity(s: &str) -> Option<u64> {
    let (number, unit) = number_and_unit(s)?;
    if number < 0.0 {
        return None;
    }
    let power = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "KB" => 1,
        "MB" => 2,
        "GB" => 3,
        "TB" => 4,
        "PB" => 5,
        _ => return None,
    };
    let bytes = number * 1024f64.powi(power);
    // u64::MAX is not representable in f64; the nearest f64 is 2^64.
    if bytes >= u64::MAX as f64 {
        Some(u64::MAX)
    } else {
        Some(bytes.round() as u64)
    }
}

/// A percentage such as `9.31 %` (space before the sign, as the FE prints
/// it) or `19.83%`, as the number before the sign. NaN and infinities are
/// refused: they would poison every average they reach.
pub fn parse_percent(s: &str) -> Option<f64> {
    let (number, unit) = number_and_unit(s)?;
    matches!(unit, "" | "%").then_some(number)
}

/// `true` or `false` in any letter case.
pub fn parse_bool(s: &str) -> Option<bool> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A datetime as the FE prints it, `yyyy-MM-dd HH:mm:ss` in the FE's session
/// time zone (so it stays naive here); fractional seconds are tolerated.
/// `NULL`, `N/A` and empty text are `None`.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S%.f").ok()
}

/// A plain integer such as a port, an id or a count.
pub fn parse_int(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

/// A row count as /current_queries prints it: `1075769 Rows` (3.0 to 3.2)
/// or `5859503 rows` (3.3+); a bare integer is accepted too.
pub fn parse_rows(s: &str) -> Option<i64> {
    let s = s.trim();
    let number = match s.len().checked_sub(4) {
        Some(cut) if s.is_char_boundary(cut) && s[cut..].eq_ignore_ascii_case("rows") => {
            s[..cut].trim_end()
        }
        _ => s,
    };
    parse_int(number)
}

/// A duration in seconds: `11.13 Seconds` (3.0 to 3.2), `27.888 s` (3.3+),
/// or with `ms`/`min`/`h`. A bare number is taken as seconds; callers that
/// know a column holds milliseconds (3.0 ExecTime) use [`parse_millis`].
pub fn parse_seconds(s: &str) -> Option<f64> {
    let (number, unit) = number_and_unit(s)?;
    let factor = match unit.to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "ms" | "millis" | "milliseconds" => 0.001,
        "us" | "microseconds" => 0.000_001,
        "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hour" | "hours" => 3600.0,
        _ => return None,
    };
    Some(number * factor)
}

/// A duration given as a bare number of milliseconds (3.0 to 3.2 ExecTime),
/// in seconds. Text with a unit is read by [`parse_seconds`] instead, so a
/// column whose format changed between versions reads right either way.
pub fn parse_millis(s: &str) -> Option<f64> {
    let (number, unit) = number_and_unit(s)?;
    if unit.is_empty() {
        Some(number / 1000.0)
    } else {
        parse_seconds(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn capacities_as_the_fe_prints_them() {
        assert_eq!(parse_capacity("0.000 B"), Some(0));
        assert_eq!(parse_capacity("13.255 KB"), Some(13_573));
        assert_eq!(parse_capacity("710.287 GB"), Some(762_664_858_943));
        assert_eq!(parse_capacity("1.968 TB"), Some(2_163_838_883_463));
        assert_eq!(parse_capacity("6.207GB"), Some(6_664_715_502));
        assert_eq!(parse_capacity("37.88 MB"), Some(39_720_059));
        assert_eq!(parse_capacity("1 PB"), Some(1u64 << 50));
        assert_eq!(parse_capacity("2 kb"), Some(2048));
    }

    #[test]
    fn the_default_database_quota_is_two_to_the_63_bytes() {
        assert_eq!(parse_capacity("8388608.000 TB"), Some(1u64 << 63));
    }

    #[test]
    fn huge_capacities_saturate() {
        assert_eq!(parse_capacity("99999999999 PB"), Some(u64::MAX));
        assert_eq!(
            parse_capacity("9999999999999999999999999999999999999999 TB"),
            Some(u64::MAX)
        );
    }

    #[test]
    fn a_capacity_without_its_unit_is_bytes() {
        // The SHOW PROC docs print "DataUsedCapacity: 0.000 " with the unit lost.
        assert_eq!(parse_capacity("0.000 "), Some(0));
    }

    #[test]
    fn unreadable_capacities_are_none() {
        for s in [
            "", " ", "NULL", "N/A", "GB", "1.2.3 GB", "12 XB", "-1 GB", "nan GB", "inf B", "1e3 B",
            ". KB", "0B/0B",
        ] {
            assert_eq!(parse_capacity(s), None, "{s:?}");
        }
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("9.31 %"), Some(9.31));
        assert_eq!(parse_percent("0.2 %"), Some(0.2));
        assert_eq!(parse_percent("19.83%"), Some(19.83));
        assert_eq!(parse_percent("0.0 %"), Some(0.0));
        assert_eq!(parse_percent(" 100.00 % "), Some(100.0));
        for s in [
            "", "%", "N/A", "NaN %", "inf %", "12 GB", "1.2.3 %", "12 %%",
        ] {
            assert_eq!(parse_percent(s), None, "{s:?}");
        }
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool("true"), Some(true));
        assert_eq!(parse_bool("FALSE"), Some(false));
        assert_eq!(parse_bool(" True "), Some(true));
        assert_eq!(parse_bool("1"), None);
        assert_eq!(parse_bool(""), None);
    }

    #[test]
    fn datetimes() {
        let expected = NaiveDate::from_ymd_opt(2023, 5, 27).and_then(|d| d.and_hms_opt(13, 2, 41));
        assert_eq!(parse_datetime("2023-05-27 13:02:41"), expected);
        assert!(parse_datetime("2023-05-27 13:02:41.250").is_some());
        for s in ["NULL", "", "N/A", "2023-13-01 00:00:00", "yesterday"] {
            assert_eq!(parse_datetime(s), None, "{s:?}");
        }
    }

    #[test]
    fn integers_and_row_counts() {
        assert_eq!(parse_int("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_int(" 42 "), Some(42));
        assert_eq!(parse_int("9223372036854775808"), None);
        assert_eq!(parse_int("4.2"), None);
        assert_eq!(parse_rows("1075769 Rows"), Some(1_075_769));
        assert_eq!(parse_rows("5859503 rows"), Some(5_859_503));
        assert_eq!(parse_rows("12"), Some(12));
        assert_eq!(parse_rows("rows"), None);
        assert_eq!(parse_rows("é rows"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_seconds("11.13 Seconds"), Some(11.13));
        assert_eq!(parse_seconds("27.888 s"), Some(27.888));
        assert_eq!(parse_seconds("3.153 s"), Some(3.153));
        assert_eq!(parse_seconds("2 min"), Some(120.0));
        assert_eq!(parse_seconds("1500 ms"), Some(1.5));
        assert_eq!(parse_seconds("fast"), None);
        assert_eq!(parse_millis("1500"), Some(1.5));
        assert_eq!(parse_millis("3.153 s"), Some(3.153));
        assert_eq!(parse_millis("NULL"), None);
    }
}
