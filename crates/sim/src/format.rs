//! Value formatting exactly as the FE (Java) and the BE (C++) print it.

const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];

/// Java `Double.toString`: `0.0`, `12.5`, and `1.5E7` from 1e7 up (or below 1e-3).
pub fn java_double(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if v == 0.0 {
        return "0.0".into();
    }
    let a = v.abs();
    if (1e-3..1e7).contains(&a) {
        let s = format!("{v}");
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    } else {
        let s = format!("{v:e}");
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = if mant.contains('.') {
            mant.to_string()
        } else {
            format!("{mant}.0")
        };
        format!("{mant}E{exp}")
    }
}

fn scaled(bytes: f64) -> (f64, &'static str) {
    let mut v = bytes.max(0.0);
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    (v, UNITS[unit])
}

/// FE capacity columns: DecimalFormat `0.000`, a space, a 1024-based unit: `710.287 GB`.
pub fn capacity(bytes: f64) -> String {
    let (v, u) = scaled(bytes);
    format!("{v:.3} {u}")
}

/// The MemLimit column: like [`capacity`] but with no space: `6.207GB`.
pub fn mem_limit(bytes: f64) -> String {
    let (v, u) = scaled(bytes);
    format!("{v:.3}{u}")
}

/// Two decimals and ` %`.
pub fn pct2(v: f64) -> String {
    format!("{v:.2} %")
}

/// One decimal and ` %` (CpuUsedPct).
pub fn pct1(v: f64) -> String {
    format!("{v:.1} %")
}

/// `yyyy-MM-dd HH:mm:ss` in UTC (the simulated FE's session time zone).
pub fn datetime(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_else(|| "NULL".into())
}

/// A JSON string literal.
pub fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// One Prometheus series line: name, `k="v"` labels joined with `joiner`, value.
pub fn series(out: &mut String, name: &str, labels: &[(&str, String)], joiner: &str, value: &str) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push_str(joiner);
            }
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(v);
            out.push('"');
        }
        out.push('}');
    }
    out.push(' ');
    out.push_str(value);
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_doubles() {
        assert_eq!(java_double(0.0), "0.0");
        assert_eq!(java_double(12.5), "12.5");
        assert_eq!(java_double(3.0), "3.0");
        assert_eq!(java_double(1.5e7), "1.5E7");
        assert_eq!(java_double(1e7), "1.0E7");
        assert_eq!(java_double(9_999_999.0), "9999999.0");
        assert_eq!(java_double(1.234e10), "1.234E10");
        assert_eq!(java_double(1e-4), "1.0E-4");
    }

    #[test]
    fn capacities_and_percents() {
        assert_eq!(capacity(0.0), "0.000 B");
        assert_eq!(capacity(710.287 * 1024f64.powi(3)), "710.287 GB");
        assert_eq!(capacity(1.968 * 1024f64.powi(4)), "1.968 TB");
        assert_eq!(capacity(13.255 * 1024.0), "13.255 KB");
        assert_eq!(mem_limit(6.207 * 1024f64.powi(3)), "6.207GB");
        assert_eq!(pct2(19.834), "19.83 %");
        assert_eq!(pct1(0.04), "0.0 %");
        assert_eq!(datetime(0), "1970-01-01 00:00:00");
    }
}
