//! The interface language: chosen per request on the server, read back from the page in the
//! browser, and used to look up every string in `app/locales/*.yml`.
//!
//! Switching language is a plain form posted to `/lang/{code}` that sets a cookie and reloads, so
//! it works before the wasm loads and the language never changes under a half-filled form.

use domain::language::UiLanguage;
use leptos::prelude::*;

/// The cookie that keeps a visitor's language choice.
pub const LANG_COOKIE: &str = "setubashi_lang";

/// Looks up a string in a language; a key missing from a locale falls back to English, and the
/// locale-completeness test keeps that from happening.
pub fn t(lang: UiLanguage, key: &str) -> String {
    rust_i18n::t!(key, locale = lang.code()).into_owned()
}

/// Looks up a string and fills in `{name}` placeholders.
pub fn t_with(lang: UiLanguage, key: &str, args: &[(&str, &str)]) -> String {
    fill(t(lang, key), args)
}

/// Fills `{name}` placeholders.
fn fill(mut text: String, args: &[(&str, &str)]) -> String {
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// The strings an island shows, looked up on the server in the page's language and handed to
/// it as a prop: the browser's wasm then holds no translations (all three languages' strings,
/// compiled in, were most of it).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Phrases(std::collections::BTreeMap<String, String>);

impl Phrases {
    /// The strings of `keys` in `lang`.
    pub fn of(lang: UiLanguage, keys: impl IntoIterator<Item = String>) -> Phrases {
        Phrases(
            keys.into_iter()
                .map(|key| {
                    let text = t(lang, &key);
                    (key, text)
                })
                .collect(),
        )
    }

    /// The string of `key`; the key itself if it was not looked up (a mistake the island's
    /// tests catch).
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    /// The string of `key` with its `{name}` placeholders filled.
    pub fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.get(key), args)
    }
}

/// Looks up a string about a number of things, filling `{name}` with `count` and any other
/// placeholders from `args`. English says "1 year" but "2 years": a count of one reads the
/// `{key}_one` form, which every locale has (Japanese and Hindi write it as the other form).
pub fn t_count(
    lang: UiLanguage,
    key: &str,
    name: &str,
    count: impl std::fmt::Display,
    args: &[(&str, &str)],
) -> String {
    let count = count.to_string();
    let key = if count == "1" {
        format!("{key}_one")
    } else {
        key.to_owned()
    };
    let mut all = vec![(name, count.as_str())];
    all.extend_from_slice(args);
    t_with(lang, &key, &all)
}

/// The language of the current page, provided as context by [`crate::App`] on the server; in
/// an island in the browser, the language the page was rendered in.
pub fn use_lang() -> UiLanguage {
    #[cfg(feature = "ssr")]
    let lang = use_context::<UiLanguage>().unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let lang = use_context::<UiLanguage>().unwrap_or_else(language_of_page);
    lang
}

/// In the browser, the page's language is the one the server rendered it in.
#[cfg(not(feature = "ssr"))]
pub fn language_of_page() -> UiLanguage {
    document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|code| UiLanguage::parse(&code))
        .unwrap_or_default()
}

/// On the server: the `setubashi_lang` cookie if set, else the best match in Accept-Language,
/// else English.
#[cfg(feature = "ssr")]
pub fn language_of_request(headers: &http::HeaderMap) -> UiLanguage {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(|c| UiLanguage::parse(&c)) {
        return lang;
    }
    headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(best_accepted)
        .unwrap_or_default()
}

/// The interface language a browser's `Accept-Language` prefers, by quality: a tag counts by its
/// primary language (`ja-JP` is Japanese, `hi-IN` Hindi — what browsers send), the first one
/// the interface speaks wins.
#[cfg(feature = "ssr")]
pub fn best_accepted(accept: &str) -> Option<UiLanguage> {
    accept_language::parse(accept).iter().find_map(|tag| {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        UiLanguage::parse(&primary.to_ascii_lowercase())
    })
}

/// Reads one cookie's value from request headers.
#[cfg(feature = "ssr")]
pub fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn flatten(prefix: &str, value: &serde_yaml::Value, out: &mut BTreeMap<String, String>) {
        match value {
            serde_yaml::Value::Mapping(map) => {
                for (k, v) in map {
                    let key = k.as_str().unwrap_or_default();
                    let path = if prefix.is_empty() {
                        key.to_owned()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    flatten(&path, v, out);
                }
            }
            other => {
                out.insert(
                    prefix.to_owned(),
                    other.as_str().unwrap_or_default().to_owned(),
                );
            }
        }
    }

    fn locale(code: &str) -> BTreeMap<String, String> {
        let path = format!("{}/locales/{code}.yml", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let mut out = BTreeMap::new();
        flatten("", &yaml, &mut out);
        out
    }

    #[test]
    fn every_locale_has_exactly_the_english_keys() {
        let en = locale("en");
        assert!(en.len() > 100, "only {} strings", en.len());
        for code in ["ja", "hi"] {
            let other = locale(code);
            let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{code} lacks {missing:?}");
            assert!(extra.is_empty(), "{code} has unknown keys {extra:?}");
        }
    }

    #[test]
    fn no_english_sentence_is_left_in_the_japanese_or_hindi_locale() {
        let en = locale("en");
        for code in ["ja", "hi"] {
            for (key, text) in locale(code) {
                let english = &en[&key];
                // names that are the same in every language (Setubashi, JLPT, N1, JPY) are
                // short; a copied sentence is not
                let copied = text == *english && english.split_whitespace().count() > 2;
                assert!(!copied, "{code}.{key} is still English: {text:?}");
            }
        }
    }

    #[test]
    fn lookups_use_the_requested_language() {
        assert_eq!(t(UiLanguage::Ja, "nav.log_in"), locale("ja")["nav.log_in"]);
        assert_eq!(t(UiLanguage::Hi, "nav.log_in"), locale("hi")["nav.log_in"]);
        assert_ne!(
            t(UiLanguage::Ja, "nav.log_in"),
            t(UiLanguage::En, "nav.log_in")
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_cookie_wins_over_accept_language_which_wins_over_english() {
        let mut headers = http::HeaderMap::new();
        assert_eq!(language_of_request(&headers), UiLanguage::En);
        headers.insert(
            http::header::ACCEPT_LANGUAGE,
            "fr-FR, ja;q=0.8, en;q=0.5".parse().unwrap(),
        );
        assert_eq!(language_of_request(&headers), UiLanguage::Ja);
        headers.insert(
            http::header::COOKIE,
            "a=b; setubashi_lang=hi".parse().unwrap(),
        );
        assert_eq!(language_of_request(&headers), UiLanguage::Hi);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn browsers_regional_tags_choose_the_language_by_quality() {
        assert_eq!(
            best_accepted("ja-JP,ja;q=0.9,en-US;q=0.8"),
            Some(UiLanguage::Ja)
        );
        assert_eq!(best_accepted("hi-IN"), Some(UiLanguage::Hi));
        assert_eq!(
            best_accepted("en-IN,en;q=0.9,hi;q=0.8"),
            Some(UiLanguage::En)
        );
        // quality decides, not order
        assert_eq!(best_accepted("en;q=0.5,ja-JP;q=0.9"), Some(UiLanguage::Ja));
        // a language the interface does not speak is passed over
        assert_eq!(best_accepted("ta-IN,hi;q=0.7"), Some(UiLanguage::Hi));
        assert_eq!(best_accepted("fr-FR,de"), None);
        assert_eq!(best_accepted("JA-jp"), Some(UiLanguage::Ja));
        assert_eq!(best_accepted(""), None);
    }
}
