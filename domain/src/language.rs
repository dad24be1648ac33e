//! The languages Setubashi's interface speaks, and the spoken-language levels on a profile.

use serde::{Deserialize, Serialize};

/// A language of the user interface. English is the fallback for anything unrecognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UiLanguage {
    #[default]
    En,
    Ja,
    Hi,
}

impl UiLanguage {
    pub const ALL: [UiLanguage; 3] = [UiLanguage::En, UiLanguage::Ja, UiLanguage::Hi];

    /// The ISO 639-1 code, as used in `lang` attributes, cookies and locale file names.
    pub fn code(self) -> &'static str {
        match self {
            UiLanguage::En => "en",
            UiLanguage::Ja => "ja",
            UiLanguage::Hi => "hi",
        }
    }

    /// The language's name in that language, as a switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            UiLanguage::En => "English",
            UiLanguage::Ja => "日本語",
            UiLanguage::Hi => "हिन्दी",
        }
    }

    /// Parses a code such as `ja` or a tag such as `ja-JP` (case-insensitive).
    pub fn parse(code: &str) -> Option<UiLanguage> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(UiLanguage::En),
            "ja" => Some(UiLanguage::Ja),
            "hi" => Some(UiLanguage::Hi),
            _ => None,
        }
    }
}

/// How well someone speaks a language other than Japanese (Japanese has its own JLPT scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpokenLevel {
    Basic,
    Conversational,
    Professional,
    Native,
}

impl SpokenLevel {
    pub const ALL: [SpokenLevel; 4] = [
        SpokenLevel::Basic,
        SpokenLevel::Conversational,
        SpokenLevel::Professional,
        SpokenLevel::Native,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SpokenLevel::Basic => "basic",
            SpokenLevel::Conversational => "conversational",
            SpokenLevel::Professional => "professional",
            SpokenLevel::Native => "native",
        }
    }

    pub fn parse(code: &str) -> Option<SpokenLevel> {
        SpokenLevel::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Languages an engineer may list besides Japanese: the languages of India's engineers and
/// English. Codes are ISO 639-1.
pub const SPOKEN_LANGUAGES: [&str; 13] = [
    "en", "hi", "bn", "mr", "ta", "te", "kn", "ml", "gu", "pa", "ur", "or", "as",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ui_languages_parse_from_codes_and_region_tags() {
        assert_eq!(UiLanguage::parse("ja-JP"), Some(UiLanguage::Ja));
        assert_eq!(UiLanguage::parse("HI_in"), Some(UiLanguage::Hi));
        assert_eq!(UiLanguage::parse("en"), Some(UiLanguage::En));
        assert_eq!(UiLanguage::parse("fr"), None);
        assert_eq!(UiLanguage::parse(""), None);
        for lang in UiLanguage::ALL {
            assert_eq!(UiLanguage::parse(lang.code()), Some(lang));
        }
    }

    #[test]
    fn spoken_levels_round_trip_through_their_codes() {
        for level in SpokenLevel::ALL {
            assert_eq!(SpokenLevel::parse(level.code()), Some(level));
        }
        assert_eq!(SpokenLevel::parse("fluent"), None);
    }
}
