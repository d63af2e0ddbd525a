//! Which language a request is answered in, decided once, here: the signed-in
//! account's choice, else this browser's last choice (the `lang` cookie), else
//! its `Accept-Language`, else English. Pages and server functions render in
//! it; the REST API stays English (its kinds, fields and messages are for
//! programs).

use axum::extract::Request;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, SET_COOKIE};
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

/// The signed-in account's language, when it chose one.
fn account_locale(req: &Request) -> Option<Locale> {
    req.extensions()
        .get::<UserInfo>()
        .and_then(|u| u.locale.as_deref())
        .and_then(i18n::from_tag)
}

/// The language this request is answered in, given the account's and the
/// cookie's.
fn decide(req: &Request, account: Option<Locale>, cookie: Option<Locale>) -> Locale {
    account
        .or(cookie)
        .or_else(|| {
            req.headers()
                .get(ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(i18n::from_accept_language)
        })
        .unwrap_or(Locale::en)
}

/// Hands the decided language to the page's own locale detection
/// (leptos_i18n reads `Accept-Language` on the server) as the only one the
/// browser accepts.
fn set_accept_language(req: &mut Request, locale: Locale) {
    req.headers_mut()
        .insert(ACCEPT_LANGUAGE, HeaderValue::from_static(i18n::tag(locale)));
}

/// The middleware: runs behind the session guard, which names the user.
pub async fn choose(mut req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let (account, cookie) = (account_locale(&req), cookie_locale(&req));
    let locale = decide(&req, account, cookie);
    // The account's language handed to this browser, so that its sign-in
    // page speaks it too after signing out.
    let hand_over = account.filter(|l| cookie != Some(*l));
    set_accept_language(&mut req, locale);
    req.extensions_mut().insert(locale);
    let mut res = i18n::scope(locale, next.run(req)).await;
    if let Some(l) = hand_over {
        if let Ok(v) = HeaderValue::from_str(&i18n::cookie_value(l)) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}
