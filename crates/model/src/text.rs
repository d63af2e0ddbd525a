//! Bounding texts that come from elsewhere (a cluster's error message, a body
//! excerpt) before they are stored or shown.

/// At most this many characters of an error text are stored and shown.
pub const MAX_ERROR_CHARS: usize = 500;

/// What ends a text that was cut, so a reader knows there was more.
pub const CUT_MARK: &str = " […]";

/// `s` with at most `max` characters, cut on a character boundary and marked
/// with [`CUT_MARK`] when cut. Linear in `max`, whatever the length of `s`.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}{CUT_MARK}", &s[..cut]),
        None => s.to_string(),
    }
}

/// [`clip`] to [`MAX_ERROR_CHARS`]: what every stored or shown error text gets.
pub fn clip_error(s: &str) -> String {
    clip(s, MAX_ERROR_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_stay_and_long_ones_are_cut_and_marked() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), format!("abc{CUT_MARK}"));
        // Never inside a character.
        assert_eq!(clip("ééé", 2), format!("éé{CUT_MARK}"));
        let huge = "x".repeat(30 * 1024 * 1024);
        let cut = clip_error(&huge);
        assert_eq!(
            cut.chars().count(),
            MAX_ERROR_CHARS + CUT_MARK.chars().count()
        );
    }
}
