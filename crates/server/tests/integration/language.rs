//! Chinese and English: which language a page is answered in, where the
//! choice is kept, that the REST API stays English, and that an alert opened
//! while everybody read English reads in Chinese for the next person.

use crate::common::*;
use crate::overview::{cluster, ok_row, service, write};
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use i18n::Locale;
use store::now_ms;

async fn page(app: &TestApp, path: &str, cookie: Option<&str>, accept: Option<&str>) -> Reply {
    let mut req = Request::builder().method(Method::GET).uri(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    if let Some(a) = accept {
        req = req.header(header::ACCEPT_LANGUAGE, a);
    }
    app.raw(req.body(Body::empty()).expect("request")).await
}

fn html_lang(body: &str) -> Option<&str> {
    let start = body.find("<html")?;
    let tag = &body[start..start + body[start..].find('>')?];
    let at = tag.find("lang=\"")? + 6;
    Some(&tag[at..at + tag[at..].find('"')?])
}

#[tokio::test]
async fn the_sign_in_page_follows_the_browser_then_its_cookie() {
    let app = start().await;
    let r = page(&app, "/login", None, Some("zh-CN,zh;q=0.9,en;q=0.8")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        html_lang(&r.body),
        Some("zh-CN"),
        "rendered in Chinese on the first byte"
    );
    assert!(r.body.contains("登录"), "{}", r.body);

    let r = page(&app, "/login", None, Some("en-US,en;q=0.9")).await;
    assert_eq!(html_lang(&r.body), Some("en"));
    let r = page(&app, "/login", None, Some("fr-FR")).await;
    assert_eq!(
        html_lang(&r.body),
        Some("en"),
        "English when the browser asks for neither"
    );

    // The browser's last choice wins over its Accept-Language.
    let r = page(&app, "/login", Some("lang=en"), Some("zh-CN")).await;
    assert_eq!(html_lang(&r.body), Some("en"));
}

#[tokio::test]
async fn the_accounts_choice_wins_over_the_browser_and_the_api_stays_english() {
    let app = start().await;
    let cookie = app.admin_cookie().await;
    let r = page(&app, "/clusters", Some(&cookie), Some("en-US")).await;
    assert_eq!(html_lang(&r.body), Some("en"));

    // Stored with the account: a browser that says English and has an English
    // cookie still gets Chinese.
    let me = app
        .send(Method::GET, "/api/auth/me", Some(&cookie), None)
        .await;
    let id = me.json()["id"].as_i64().expect("id");
    app.state
        .users
        .set_locale(id, "zh-CN")
        .await
        .expect("stored");
    let both = format!("{cookie}; lang=en");
    let r = page(&app, "/clusters", Some(&both), Some("en-US")).await;
    assert_eq!(html_lang(&r.body), Some("zh-CN"));
    assert!(r.body.contains("集群"), "{}", r.body);
    // ... and this browser learns it, for its sign-in page after signing out.
    let set: Vec<&str> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(set.iter().any(|c| c.starts_with("lang=zh-CN")), "{set:?}");

    // An unknown language is refused and changes nothing.
    assert!(app.state.users.set_locale(id, "xx").await.is_err());

    // The REST API keeps its English messages whatever the reader chose.
    let r = app
        .send(Method::GET, "/api/clusters/999999", Some(&cookie), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let message = r.json()["message"].as_str().unwrap_or_default().to_string();
    assert!(message.is_ascii(), "{message}");
}

#[tokio::test]
async fn an_alert_opened_in_english_reads_in_chinese() {
    let app = start().await;
    let id = cluster(&app, "c").await;
    let svc = service(&app);
    let t = now_ms();
    let mut row = ok_row(id, t - 60_000, 5.0);
    row.disk_max_pct = Some(85.0);
    write(&app, vec![row]).await;
    // The alerts task runs outside any request: it speaks English.
    svc.sync_alerts(&[id], t - 60_000).await.expect("sync");

    let en = svc.alerts(id, t).await.expect("alerts");
    assert_eq!(en.active[0].title, "Disk");
    assert!(en.active[0]
        .reason
        .starts_with("The fullest BE disk is 85.0 % used"));

    let zh = i18n::scope(Locale::zh_CN, svc.alerts(id, t))
        .await
        .expect("alerts");
    assert_eq!(zh.active[0].title, "磁盘");
    assert!(
        zh.active[0].reason.contains("85.0 %"),
        "{}",
        zh.active[0].reason
    );
    assert!(
        zh.active[0].reason.contains("磁盘"),
        "{}",
        zh.active[0].reason
    );
    assert!(
        zh.active[0].action.contains("扩容"),
        "{}",
        zh.active[0].action
    );
    assert_eq!(zh.active[0].since, en.active[0].since);

    // The overview and the fleet line say it in the same language.
    let w = model::overview::parse_window(Some("1h"), None, None, t).expect("1h");
    let o = i18n::scope(Locale::zh_CN, svc.overview(id, &w, t))
        .await
        .expect("overview");
    assert_eq!(o.alerts[0].title, "磁盘");
    let disk = o
        .health
        .cards
        .iter()
        .find(|c| c.key == "disk")
        .expect("disk");
    assert!(
        disk.reason.contains("使用率最高的 BE 磁盘"),
        "{}",
        disk.reason
    );
    let fleet = i18n::scope(Locale::zh_CN, svc.fleet(t))
        .await
        .expect("fleet");
    assert!(
        fleet.clusters[0].status_reason.starts_with("磁盘："),
        "{}",
        fleet.clusters[0].status_reason
    );
}
