//! Where a user may be sent after signing in.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Default landing page after login.
pub const HOME: &str = "/clusters";

/// Returns `next` when it is a path on this site, otherwise the home page.
///
/// Only a single leading `/` followed by something that is not `/` or `\` is
/// accepted: `//evil.example` and `/\evil.example` are read by browsers as
/// another host, and anything with a scheme is another site. Control
/// characters are refused because browsers strip them before parsing.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) => n.to_string(),
        _ => HOME.to_string(),
    }
}

fn is_local_path(n: &str) -> bool {
    let mut chars = n.chars();
    if chars.next() != Some('/') {
        return false;
    }
    if matches!(chars.next(), Some('/') | Some('\\')) {
        return false;
    }
    if n.chars().any(|c| c.is_control() || c == '\\') {
        return false;
    }
    // The login page itself would loop.
    !(n == "/login" || n.starts_with("/login?") || n.starts_with("/login/"))
}

/// Characters kept as they are in a `next` parameter; the rest is percent-encoded.
const NEXT_PARAM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a path and query so it can travel as the `next` parameter.
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, NEXT_PARAM).to_string()
}

/// The page where an account chooses a new password.
pub const PASSWORD_PAGE: &str = "/account/password";

/// Where a signed-in user goes for `next`: the password page first when the
/// account must still choose a new password.
pub fn landing_for(user: &crate::UserInfo, next: &str) -> String {
    if user.must_change_password {
        format!("{PASSWORD_PAGE}?next={}", encode_component(next))
    } else {
        next.to_string()
    }
}

/// `/login?next=...` for the page a signed-out user asked for.
pub fn login_url_for(path_and_query: &str) -> String {
    if path_and_query == "/" || path_and_query.is_empty() {
        "/login".to_string()
    } else {
        format!("/login?next={}", encode_component(path_and_query))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_are_kept_exactly() {
        assert_eq!(
            safe_next(Some("/clusters/1?range=6h")),
            "/clusters/1?range=6h"
        );
        assert_eq!(safe_next(Some("/")), "/");
    }

    #[test]
    fn open_redirects_are_refused() {
        for bad in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "\\\\evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/\tevil",
            "",
            "/login?next=/x",
        ] {
            assert_eq!(safe_next(Some(bad)), HOME, "{bad:?} must not be followed");
        }
        assert_eq!(safe_next(None), HOME);
    }

    #[test]
    fn login_url_round_trips_the_query() {
        assert_eq!(
            login_url_for("/clusters/1?range=6h&x=a b"),
            "/login?next=/clusters/1%3Frange%3D6h%26x%3Da%20b"
        );
        assert_eq!(login_url_for("/"), "/login");
    }
}
