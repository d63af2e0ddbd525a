//! The translation files agree: the same keys in every locale, each with the
//! same `{parameters}`, none empty; and what the helpers make of them.

use super::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

const NAMESPACES: [&str; 9] = [
    "common", "login", "pages", "fleet", "clusters", "forms", "overview", "status", "msg",
];

/// Every leaf of a translation file, by its dotted path.
fn leaves(ns: &str, locale: &str) -> BTreeMap<String, String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("translations")
        .join(locale)
        .join(format!("{ns}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let value: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let mut out = BTreeMap::new();
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&p, v, out);
                }
            }
            serde_json::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            other => panic!("{prefix}: not a string: {other}"),
        }
    }
    walk("", &value, &mut out);
    out
}

#[test]
fn every_key_has_both_translations_with_the_same_parameters() {
    let mut total = 0;
    for ns in NAMESPACES {
        let en = leaves(ns, "en");
        let zh = leaves(ns, "zh-CN");
        let en_keys: BTreeSet<_> = en.keys().collect();
        let zh_keys: BTreeSet<_> = zh.keys().collect();
        assert_eq!(
            en_keys.symmetric_difference(&zh_keys).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "{ns}: keys in one locale only"
        );
        for (key, en_text) in &en {
            let zh_text = &zh[key];
            // Separators may be blank (Chinese joins sentences without one).
            if !key.starts_with("sep_") {
                assert!(!en_text.trim().is_empty(), "{ns}.{key}: empty in en");
                assert!(!zh_text.trim().is_empty(), "{ns}.{key}: empty in zh-CN");
            }
            let p_en: BTreeSet<_> = placeholders(en_text).into_iter().collect();
            let p_zh: BTreeSet<_> = placeholders(zh_text).into_iter().collect();
            assert_eq!(p_en, p_zh, "{ns}.{key}: parameters differ");
            // leptos_i18n's own interpolation is not used: one rule for all.
            assert!(
                !en_text.contains("{{") && !zh_text.contains("{{"),
                "{ns}.{key}: {{{{ }}}}"
            );
        }
        total += en.len();
    }
    assert!(total > 0);
}

#[test]
fn every_message_renders_in_both_languages() {
    let en_keys = leaves("msg", "en");
    for key in MsgKey::ALL {
        for l in LOCALES {
            let text = key.template(l);
            // A separator may be empty: Chinese joins sentences without one.
            assert!(
                !text.is_empty() || key.key().starts_with("sep_"),
                "{key:?} in {}",
                tag(l)
            );
        }
        assert_eq!(key.template(Locale::en), en_keys[key.key()], "{key:?}");
    }
}

#[test]
fn a_stored_message_reads_in_the_readers_language() {
    let m = Msg::new(MsgKey::TitleDisk);
    let stored = serde_json::to_string(&m).expect("json");
    let back: Msg = serde_json::from_str(&stored).expect("json");
    assert_eq!(back.text_in(Locale::en), "Disk");
    assert_eq!(back.text_in(Locale::zh_CN), "磁盘");
}

#[test]
fn fill_replaces_named_parameters_and_keeps_unknown_ones() {
    assert_eq!(fill("{a} and {b}", &[("a", &1), ("b", &"x")]), "1 and x");
    assert_eq!(fill("{a} {missing}", &[("a", &1)]), "1 {missing}");
    assert_eq!(fill("no braces", &[]), "no braces");
    assert_eq!(fill("open { only", &[]), "open { only");
    assert_eq!(placeholders("{a} of {b}"), vec!["a", "b"]);
}

#[test]
fn accept_language_picks_the_best_supported_language() {
    assert_eq!(
        from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
        Some(Locale::zh_CN)
    );
    assert_eq!(from_accept_language("en-US,en;q=0.9"), Some(Locale::en));
    assert_eq!(
        from_accept_language("fr-FR, en;q=0.5, zh;q=0.7"),
        Some(Locale::zh_CN)
    );
    assert_eq!(from_accept_language("zh-TW"), Some(Locale::zh_CN));
    assert_eq!(from_accept_language("de, fr"), None);
    assert_eq!(from_accept_language("zh;q=0, en"), Some(Locale::en));
    assert_eq!(from_accept_language(""), None);
    assert_eq!(from_tag("zh-Hans-CN"), Some(Locale::zh_CN));
}

#[test]
fn durations_and_times_follow_the_language() {
    assert_eq!(fmt::duration(Locale::en, 330_000), "5 min 30 s");
    assert_eq!(fmt::duration(Locale::zh_CN, 330_000), "5 分钟 30 秒");
    assert_eq!(fmt::duration(Locale::zh_CN, 100 * 3_600_000), "4 天 4 小时");
    assert_eq!(fmt::ago(Locale::en, 180_000, 0), "3 min ago");
    assert_eq!(fmt::ago(Locale::zh_CN, 180_000, 0), "3 分钟前");
    assert_eq!(
        fmt::utc_time(Locale::en, 1_795_728_542_931),
        "2026-11-26 21:29:02 UTC"
    );
    assert_eq!(
        fmt::utc_time(Locale::zh_CN, 1_795_728_542_931),
        "2026/11/26 21:29:02 UTC"
    );
}

#[test]
fn say_fills_a_key_in_the_current_locale() {
    // Outside a request the server speaks English.
    assert_eq!(say!(common.unit_min, n = 5), "5 min");
}
