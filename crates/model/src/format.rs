//! Numbers as the pages show them: thousands separators, a precision that
//! fits the magnitude, units after a space. Used by server rendering and the
//! browser alike, so both draw the same text.

/// `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A measured value: no decimals from 100 up, one from 10, two below.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    let abs = v.abs();
    if abs >= 100.0 {
        // Far beyond i64 cannot be measured here; saturating is fine for display.
        thousands(v.round() as i64)
    } else if abs >= 10.0 {
        format!("{v:.1}")
    } else if v.fract() == 0.0 {
        // Counts (dead nodes, running loads) read better without decimals.
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// A threshold as people write it: `80`, `100,000`, `0.5` (never `80.0`).
pub fn threshold(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".into();
    }
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        thousands(v as i64)
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `12.3 %`, `1,204 queries/s`, or `n/a` when not known.
pub fn with_unit(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "n/a".into(),
        Some(v) if unit.is_empty() => number(v),
        Some(v) => format!("{} {unit}", number(v)),
    }
}

pub fn count(v: Option<i64>) -> String {
    v.map(thousands).unwrap_or_else(|| "n/a".into())
}

/// Bytes in binary units, as StarRocks reports capacity: `1.5 TiB`.
pub fn bytes(b: f64) -> String {
    const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if !b.is_finite() {
        return "n/a".into();
    }
    let mut v = b.abs();
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    let sign = if b < 0.0 { "-" } else { "" };
    if unit == 0 {
        format!("{sign}{v:.0} B")
    } else {
        format!("{sign}{} {}", number(v), UNITS[unit])
    }
}

/// A span in the two largest units: `3 d 4 h`, `5 min 30 s`, `45 s`.
pub fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{sec} s"),
        (0, 0, _) if sec == 0 => format!("{m} min"),
        (0, 0, _) => format!("{m} min {sec} s"),
        (0, _, 0) => format!("{h} h"),
        (0, _, _) => format!("{h} h {m} min"),
        (_, 0, _) => format!("{d} d"),
        _ => format!("{d} d {h} h"),
    }
}

/// A step or span as a short name: `30 s`, `5 min`, `1 h`, `1 d`.
pub fn step(ms: i64) -> String {
    duration(ms)
}

/// `2026-11-26 18:00:30 UTC`.
pub fn utc_text(ms: i64) -> String {
    let (y, mo, d, h, mi, s) = i18n::fmt::utc_parts(ms);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC")
}

/// `2026-11-26T18:00:30Z`, for `<time datetime>`.
pub fn iso_utc(ms: i64) -> String {
    let (y, mo, d, h, mi, s) = i18n::fmt::utc_parts(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_read_as_people_write_them() {
        assert_eq!(threshold(80.0), "80");
        assert_eq!(threshold(100_000.0), "100,000");
        assert_eq!(threshold(0.5), "0.5");
        assert_eq!(threshold(2.25), "2.25");
    }

    #[test]
    fn thousands_separate_every_three_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(-1234567), "-1,234,567");
        assert_eq!(thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn numbers_keep_a_precision_that_fits() {
        assert_eq!(number(12345.6), "12,346");
        assert_eq!(number(42.25), "42.2");
        assert_eq!(number(4.567), "4.57");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(1.0), "1");
        assert_eq!(number(f64::NAN), "n/a");
        assert_eq!(with_unit(Some(87.5), "%"), "87.5 %");
        assert_eq!(with_unit(None, "%"), "n/a");
        assert_eq!(with_unit(Some(1500.0), "queries/s"), "1,500 queries/s");
    }

    #[test]
    fn bytes_use_binary_units() {
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(1536.0), "1.50 KiB");
        assert_eq!(bytes(5.0 * 1024f64.powi(4)), "5 TiB");
        assert_eq!(bytes(300.0 * 1024f64.powi(3)), "300 GiB");
    }

    #[test]
    fn utc_times_match_the_calendar() {
        assert_eq!(utc_text(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc_text(1_795_728_542_931), "2026-11-26 21:29:02 UTC");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(utc_text(-1000), "1969-12-31 23:59:59 UTC");
        // Every day of four centuries agrees with chrono.
        for day in (-200_000i64..200_000).step_by(7) {
            let ms = day * 86_400_000 + 45_296_000;
            let expected = chrono::DateTime::from_timestamp_millis(ms)
                .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string());
            assert_eq!(Some(utc_text(ms)), expected, "day {day}");
        }
    }

    #[test]
    fn durations_name_the_two_largest_units() {
        assert_eq!(duration(45_000), "45 s");
        assert_eq!(duration(300_000), "5 min");
        assert_eq!(duration(330_000), "5 min 30 s");
        assert_eq!(duration(3_600_000), "1 h");
        assert_eq!(duration(90 * 60_000), "1 h 30 min");
        assert_eq!(duration(86_400_000), "1 d");
        assert_eq!(duration(100 * 3_600_000), "4 d 4 h");
        assert_eq!(duration(-5), "0 s");
    }
}
