//! The step of a trend: the smallest round interval that keeps a series within
//! the most points a chart shows.

use model::overview::{Window, DAY_MS};

/// Round steps, smallest first.
const STEPS_MS: &[i64] = &[
    30_000,
    60_000,
    5 * 60_000,
    15 * 60_000,
    3_600_000,
    6 * 3_600_000,
    DAY_MS,
    7 * DAY_MS,
];

/// The smallest round step at least the collect interval that keeps a series
/// at `max_points` or fewer. Daily windows always step by one day.
pub fn choose_step(window: &Window, interval_ms: i64, max_points: i64) -> i64 {
    if window.daily {
        return DAY_MS;
    }
    let span = window.span().max(1);
    STEPS_MS
        .iter()
        .copied()
        .find(|s| *s >= interval_ms && span.div_euclid(*s) < max_points.max(1))
        .unwrap_or(7 * DAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::overview::parse_window;

    #[test]
    fn every_range_gets_a_round_step_within_720_points() {
        let now = 1_800_000_000_000;
        let want = [
            ("1h", 30_000),
            ("6h", 60_000),
            ("24h", 5 * 60_000),
            ("3d", 15 * 60_000),
            ("7d", 15 * 60_000),
            ("30d", DAY_MS),
            ("90d", DAY_MS),
        ];
        for (range, step) in want {
            let w = parse_window(Some(range), None, None, now).expect("range");
            let got = choose_step(&w, 30_000, 720);
            assert_eq!(got, step, "{range}");
            assert!(w.span() / got < 720, "{range}");
        }
        // Never finer than the collect interval.
        let w = parse_window(Some("1h"), None, None, now).expect("range");
        assert_eq!(choose_step(&w, 5 * 60_000, 720), 5 * 60_000);
        // Fewer points asked for, coarser steps.
        assert_eq!(choose_step(&w, 30_000, 60), 5 * 60_000);
    }
}
