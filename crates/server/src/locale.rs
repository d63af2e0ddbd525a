//! Which language a request is answered in, decided once, here: the signed-in
//! account's choice, else this browser's last choice (the `lang` cookie), else
//! its `Accept-Language`, else English. Pages and server functions render in
//! it; the REST API stays English (its kinds, fields and messages are for
//! programs).

use axum::extract::Request;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use i18n::Locale;
use model::UserInfo;

/// The `lang` cookie's value in a `Cookie` header, if it names a language.
fn cookie_locale(req: &Request) -> Option<Locale> {
    req.headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == i18n::COOKIE)
        .and_then(|(_, value)| i18n::from_tag(value))
}

/// The language this request is answered in.
pub fn decide(req: &Request) -> Locale {
    let account = req
        .extensions()
        .get::<UserInfo>()
        .and_then(|u| u.locale.as_deref())
        .and_then(i18n::from_tag);
    account
        .or_else(|| cookie_locale(req))
        .or_else(|| {
            req.headers()
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(i18n::from_accept_language)
        })
        .unwrap_or(Locale::en)
}

/// Rewrites the request's `lang` cookie to the decided language, so that the
/// page's own locale detection (leptos_i18n reads the cookie first) agrees
/// with the account, and leaves every other cookie as it was.
fn set_cookie_locale(req: &mut Request, locale: Locale) {
    let mut pairs: Vec<String> = req
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .filter(|p| p.split_once('=').is_none_or(|(n, _)| n != i18n::COOKIE))
        .map(str::to_string)
        .collect();
    pairs.push(format!("{}={}", i18n::COOKIE, i18n::tag(locale)));
    if let Ok(value) = HeaderValue::from_str(&pairs.join("; ")) {
        req.headers_mut().remove(COOKIE);
        req.headers_mut().insert(COOKIE, value);
    }
}

/// The middleware: runs behind the session guard, which names the user.
pub async fn choose(mut req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let locale = decide(&req);
    set_cookie_locale(&mut req, locale);
    req.extensions_mut().insert(locale);
    i18n::scope(locale, next.run(req)).await
}
