//! Job-ad words that are not skills — 半導体 semiconductor, 車載 in-vehicle, 設計 design, 在宅
//! remote — in English, Japanese and Hindi (`data/glossary.toml`). A search in one language also
//! looks for the others' words for what it names, and says so; a word that names a sector finds
//! that sector's roles.

use serde::Deserialize;

use crate::geo::Sector;
use crate::language::UiLanguage;
use crate::lexicon::Lexicon;

/// One glossary entry: its words in each language, the first of each list its display form.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Term {
    pub en: Vec<String>,
    #[serde(default)]
    pub ja: Vec<String>,
    #[serde(default)]
    pub hi: Vec<String>,
    /// The sector the word names, when it names one ("半導体": semiconductors).
    #[serde(default)]
    pub sector: Option<String>,
}

impl Term {
    /// Every word of the entry, in every language.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.en
            .iter()
            .chain(&self.ja)
            .chain(&self.hi)
            .map(String::as_str)
    }

    /// The entry's display form in a language (English where it has none in that language).
    pub fn display(&self, lang: UiLanguage) -> &str {
        let words = match lang {
            UiLanguage::En => &self.en,
            UiLanguage::Ja => &self.ja,
            UiLanguage::Hi => &self.hi,
        };
        words.first().or(self.en.first()).map_or("", String::as_str)
    }

    /// The sector the word names, if it is one Setubashi knows.
    pub fn sector(&self) -> Option<Sector> {
        self.sector.as_deref().and_then(Sector::parse)
    }
}

#[derive(Deserialize)]
struct GlossaryFile {
    term: Vec<Term>,
}

/// Why a glossary file was refused.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    #[error("glossary file is not valid toml: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("the word {0:?} is in two entries")]
    AmbiguousWord(String),
    #[error("the entry {0:?} names an unknown sector")]
    UnknownSector(String),
}

/// The glossary with its look-up of folded words.
#[derive(Debug, Clone)]
pub struct Glossary {
    terms: Vec<Term>,
    lexicon: Lexicon,
}

const BUILTIN: &str = include_str!("../data/glossary.toml");

impl Glossary {
    /// Parses a glossary and checks that no word is in two entries and sectors are known.
    pub fn parse(source: &str) -> Result<Glossary, GlossaryError> {
        let file: GlossaryFile = toml::from_str(source)?;
        if let Some(term) = file
            .term
            .iter()
            .find(|t| t.sector.is_some() && t.sector().is_none())
        {
            return Err(GlossaryError::UnknownSector(
                term.en.first().cloned().unwrap_or_default(),
            ));
        }
        // job-ad words are common words: matched as written, never forgiven a typing error
        // (which would turn "design" into "designs" into something else)
        let lexicon = Lexicon::new(
            file.term
                .iter()
                .enumerate()
                .flat_map(|(index, term)| term.words().map(move |w| (w, index))),
            false,
        )
        .map_err(|a| GlossaryError::AmbiguousWord(a.term))?;
        Ok(Glossary {
            terms: file.term,
            lexicon,
        })
    }

    /// The glossary shipped with Setubashi; its validity is checked by a test, so a failure
    /// here is a build defect and it falls back to an empty glossary rather than panicking.
    pub fn builtin() -> Glossary {
        static PARSED: std::sync::OnceLock<Glossary> = std::sync::OnceLock::new();
        PARSED
            .get_or_init(|| Glossary::parse(BUILTIN).unwrap_or_else(|_| Glossary::empty()))
            .clone()
    }

    /// A glossary without entries.
    pub fn empty() -> Glossary {
        Glossary {
            terms: Vec::new(),
            lexicon: Lexicon::default(),
        }
    }

    /// Every entry.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The text's glossary words in English, in order, each the entry's English display form
    /// ("परिपथ अभिकल्पना" → "circuit design"); words the glossary does not hold are left out.
    pub fn in_english(&self, text: &str) -> String {
        self.terms_in_text(text)
            .iter()
            .map(|t| t.display(UiLanguage::En))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The entries whose words the text holds, in the order they appear.
    pub fn terms_in_text(&self, text: &str) -> Vec<&Term> {
        self.lexicon
            .find_in_text(text)
            .into_iter()
            .filter_map(|index| self.terms.get(index))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_glossary_is_valid_and_covers_the_sectors() {
        let parsed = Glossary::parse(BUILTIN);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
        let glossary = Glossary::builtin();
        assert!(glossary.len() >= 200, "{}", glossary.len());
        for sector in Sector::ALL {
            assert!(
                glossary.terms.iter().any(|t| t.sector() == Some(sector)),
                "{sector:?} has no word"
            );
        }
    }

    #[test]
    fn a_word_in_any_language_finds_its_entry_with_the_other_languages_words() {
        let glossary = Glossary::builtin();
        let semiconductor = |text: &str| {
            glossary
                .terms_in_text(text)
                .iter()
                .any(|t| t.sector() == Some(Sector::Semiconductors))
        };
        assert!(semiconductor("半導体"));
        assert!(semiconductor("semiconductor design"));
        assert!(semiconductor("सेमीकंडक्टर"));
        let automotive = glossary.terms_in_text("自動車");
        assert_eq!(
            automotive.first().map(|t| t.display(UiLanguage::En)),
            Some("automotive")
        );
    }

    #[test]
    fn a_word_in_two_entries_and_an_unknown_sector_are_refused() {
        let twice = "[[term]]\nen = [\"design\"]\n[[term]]\nen = [\"Design\"]\n";
        assert!(matches!(
            Glossary::parse(twice),
            Err(GlossaryError::AmbiguousWord(_))
        ));
        let sector = "[[term]]\nen = [\"x\"]\nsector = \"nowhere\"\n";
        assert!(matches!(
            Glossary::parse(sector),
            Err(GlossaryError::UnknownSector(_))
        ));
    }
}
