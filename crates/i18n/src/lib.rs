//! Chinese and English.
//!
//! - The words live in `translations/<locale>/<namespace>.json`: `common` for
//!   the pages, `msg` for the sentences the server builds. `load_locales!`
//!   turns them into typed keys, so a key missing from a locale, or a typo in
//!   a key, fails the build.
//! - A parameter is written `{name}` in a translation and filled by [`fill`]
//!   (leptos_i18n sees plain strings, so one rule serves the browser and the
//!   server alike).
//! - The server renders its sentences in the locale of the request it serves
//!   ([`current`]); a sentence that is stored (an alert's reason) is kept as a
//!   [`Msg`], a key and its parameters, and rendered when it is read.

// The macro form is deprecated upstream in favour of a build script, but
// that build script brings CLDR export tooling (with a network client) into
// every build; the macro reads the same files and checks the same keys.
#[allow(deprecated)]
mod generated {
    leptos_i18n::load_locales!();
}
pub use generated::i18n;

pub mod fmt;
mod msg;

pub use crate::i18n::*;
pub use leptos_i18n::{t_string, td_string};
pub use msg::{Arg, Msg, MsgKey};

/// The cookie that keeps a browser's language between visits (and before
/// sign-in); the account's choice wins over it.
pub const COOKIE: &str = "lang";

/// The `lang` cookie as the browser stores it: the whole site, a year.
pub fn cookie_value(l: Locale) -> String {
    format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        tag(l)
    )
}

/// Every locale, in the order the language switch offers them.
pub const LOCALES: [Locale; 2] = [Locale::en, Locale::zh_CN];

/// The locale's tag as HTML, cookies and the database write it: `en`, `zh-CN`.
pub fn tag(l: Locale) -> &'static str {
    match l {
        Locale::en => "en",
        Locale::zh_CN => "zh-CN",
    }
}

/// The locale a tag names: `zh`, `zh-CN`, `zh-Hans-CN`, `zh-TW` all read
/// Chinese (the only Chinese offered); `en-GB` reads English.
pub fn from_tag(tag: &str) -> Option<Locale> {
    let lower = tag.trim().to_ascii_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or("");
    match primary {
        "zh" => Some(Locale::zh_CN),
        "en" => Some(Locale::en),
        _ => None,
    }
}

/// The first supported language of an `Accept-Language` header, by its
/// weights; `None` when it names none.
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut best: Option<(f32, usize, Locale)> = None;
    for (i, part) in header.split(',').take(32).enumerate() {
        let mut pieces = part.split(';');
        let Some(locale) = pieces.next().and_then(from_tag) else {
            continue;
        };
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        // Highest weight first; among equal weights, the first listed.
        if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
            best = Some((q, i, locale));
        }
    }
    best.map(|(_, _, l)| l)
}

/// The name of a language in itself, for the switch.
pub fn native_name(l: Locale) -> &'static str {
    match l {
        Locale::en => "English",
        Locale::zh_CN => "中文",
    }
}

/// `template` with each `{name}` replaced by its value; a placeholder
/// without a value stays as it is, so a mistake shows instead of vanishing.
pub fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(&v.to_string()),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A template cut around its `{name}` placeholder, so a page can put a name
/// or an address between the two halves in an element of its own; all of it
/// before, and nothing after, when it has none.
pub fn split_at<'a>(template: &'a str, name: &str) -> (&'a str, &'a str) {
    let mark = format!("{{{name}}}");
    match template.find(&mark) {
        Some(i) => (&template[..i], &template[i + mark.len()..]),
        None => (template, ""),
    }
}

/// The names of the `{name}` placeholders of a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

/// A sentence of a translation file in the locale the server renders in now
/// ([`current`]), its `{name}` placeholders filled:
/// `say!(forms.too_long, max = 64)`. The key is checked at compile time. For
/// sentences that are shown and forgotten; one that is stored is a [`Msg`].
/// (The crate that uses it depends on `leptos_i18n`, whose paths the key
/// lookup expands to.)
#[macro_export]
macro_rules! say {
    ($($key:ident).+ $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::fill(
            $crate::td_string!($crate::current(), $($key).+),
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),*],
        )
    };
}

#[cfg(feature = "ssr")]
tokio::task_local! {
    static CURRENT: Locale;
}

/// Runs `f` with `locale` as the locale of what it renders.
#[cfg(feature = "ssr")]
pub async fn scope<F: std::future::Future>(locale: Locale, f: F) -> F::Output {
    CURRENT.scope(locale, f).await
}

/// The locale the server renders in now: the one its request was given (see
/// the server's locale middleware), English outside a request (the REST API,
/// the collector, logs).
pub fn current() -> Locale {
    #[cfg(feature = "ssr")]
    {
        if let Ok(l) = CURRENT.try_with(|l| *l) {
            return l;
        }
        // Server functions and the page render run in tasks of their own;
        // the request's parts travel with them in Leptos' context.
        if let Some(l) = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<Locale>().copied())
        {
            return l;
        }
    }
    Locale::en
}

#[cfg(test)]
mod tests;
