//! The skill taxonomy: canonical skills with names in English, Japanese and Hindi, and the
//! folding that lets a term typed in any of them, in any width or case, resolve to one skill.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::language::UiLanguage;

/// A skill's stable id (`embedded-software`, `rust`). Ids are never renamed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SkillId(String);

impl SkillId {
    pub fn new(id: impl Into<String>) -> Self {
        SkillId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SkillId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One canonical skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skill {
    pub id: SkillId,
    pub category: String,
    /// English display name.
    pub en: String,
    /// Japanese names; the first is the display name.
    pub ja: Vec<String>,
    /// Hindi display name.
    pub hi: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Skill {
    /// The skill's display name in a UI language. A technical name that Japanese job posts
    /// write in Latin letters (AUTOSAR, SystemVerilog, CAN: the taxonomy lists it first) is
    /// shown to Hindi readers in Latin letters too, as Indian engineers write it; its
    /// Devanagari spelling stays a name it is found by.
    pub fn name(&self, lang: UiLanguage) -> &str {
        match lang {
            UiLanguage::En => &self.en,
            UiLanguage::Ja => self.ja.first().map_or(&self.en, String::as_str),
            UiLanguage::Hi if self.written_in_latin() => &self.en,
            UiLanguage::Hi => &self.hi,
        }
    }

    /// Whether the skill is a technical name written in Latin letters even in Japanese.
    fn written_in_latin(&self) -> bool {
        self.ja
            .first()
            .is_some_and(|first| first.chars().any(|c| c.is_ascii_alphabetic()) && first.is_ascii())
    }

    fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.en.as_str())
            .chain(self.ja.iter().map(String::as_str))
            .chain(std::iter::once(self.hi.as_str()))
            .chain(self.aliases.iter().map(String::as_str))
            .chain(std::iter::once(self.id.as_str()))
    }
}

#[derive(Deserialize)]
struct TaxonomyFile {
    skill: Vec<Skill>,
}

/// Why a taxonomy file was refused.
#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    #[error("taxonomy file is not valid toml: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("skill id {0} appears twice")]
    DuplicateId(String),
    #[error("the term {term:?} names both {first} and {second}")]
    AmbiguousTerm {
        term: String,
        first: String,
        second: String,
    },
}

/// The longest term [`Taxonomy::resolve`] looks up, in bytes (the longest skill name or alias is
/// far shorter).
pub const MAX_TERM_BYTES: usize = 200;

/// The taxonomy with its lookup table of folded names.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    skills: Vec<Skill>,
    by_folded_name: HashMap<String, usize>,
    /// Every name and alias for type-ahead: folded whole, and each of its words folded.
    names: Vec<IndexedName>,
}

/// One name of a skill as type-ahead compares it.
#[derive(Debug, Clone)]
struct IndexedName {
    folded: String,
    words: Vec<String>,
    skill: usize,
}

/// The taxonomy shipped with Setubashi (`domain/data/skills.toml`).
const BUILTIN: &str = include_str!("../data/skills.toml");

impl Taxonomy {
    /// Parses a taxonomy and checks that ids are unique and that no term names two skills.
    pub fn parse(source: &str) -> Result<Taxonomy, TaxonomyError> {
        let file: TaxonomyFile = toml::from_str(source)?;
        let mut by_folded_name: HashMap<String, usize> = HashMap::new();
        let mut ids = HashMap::new();
        for (index, skill) in file.skill.iter().enumerate() {
            if ids.insert(skill.id.clone(), index).is_some() {
                return Err(TaxonomyError::DuplicateId(skill.id.0.clone()));
            }
            for name in skill.all_names() {
                let key = fold(name);
                if key.is_empty() {
                    continue;
                }
                if let Some(&other) = by_folded_name.get(&key) {
                    if other != index {
                        return Err(TaxonomyError::AmbiguousTerm {
                            term: name.to_owned(),
                            first: file.skill[other].id.0.clone(),
                            second: skill.id.0.clone(),
                        });
                    }
                }
                by_folded_name.insert(key, index);
            }
        }
        let names = file
            .skill
            .iter()
            .enumerate()
            .flat_map(|(index, skill)| {
                skill.all_names().filter_map(move |name| {
                    let folded = fold(name);
                    (!folded.is_empty()).then(|| IndexedName {
                        words: name
                            .split(|c: char| c.is_whitespace() || "-_/・()（）".contains(c))
                            .map(fold)
                            .filter(|w| !w.is_empty())
                            .collect(),
                        folded,
                        skill: index,
                    })
                })
            })
            .collect();
        Ok(Taxonomy {
            skills: file.skill,
            by_folded_name,
            names,
        })
    }

    /// The taxonomy shipped with Setubashi. Its validity is checked by a test, so a failure
    /// here is a build defect; it falls back to an empty taxonomy rather than panicking.
    pub fn builtin() -> Taxonomy {
        Taxonomy::parse(BUILTIN).unwrap_or_else(|_| Taxonomy {
            skills: Vec::new(),
            by_folded_name: HashMap::new(),
            names: Vec::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.skills.len()
    }

    pub fn is_empty(&self) -> bool {
        self.skills.is_empty()
    }

    pub fn all(&self) -> &[Skill] {
        &self.skills
    }

    pub fn get(&self, id: &str) -> Option<&Skill> {
        self.skills.iter().find(|s| s.id.as_str() == id)
    }

    /// Resolves a term in any language to its skill: exact after folding, else one small typo
    /// in a Latin-script term of five letters or more.
    pub fn resolve(&self, term: &str) -> Option<&Skill> {
        // no skill's name is this long: refuse before folding or comparing anything
        if term.len() > MAX_TERM_BYTES {
            return None;
        }
        let key = fold(term);
        if key.is_empty() {
            return None;
        }
        if let Some(&index) = self.by_folded_name.get(&key) {
            return self.skills.get(index);
        }
        let allowed = edits_allowed(key.chars().count(), 5);
        if allowed == 0 {
            return None;
        }
        // the nearest name within the edits the term's length allows; deterministic among
        // equals: the alphabetically first name wins
        let mut best: Option<(usize, &String, usize)> = None;
        for (name, &index) in &self.by_folded_name {
            if let Some(distance) = bounded_distance(&key, name, allowed) {
                let better = best.is_none_or(|(_, b, d)| (distance, name) < (d, b));
                if better {
                    best = Some((index, name, distance));
                }
            }
        }
        best.and_then(|(index, _, _)| self.skills.get(index))
    }

    /// Skills for type-ahead, best first: a name that is the typed text, then names that start
    /// with it, then names with a word that starts with it (`develop` finds "Software
    /// development"), then names within a few typing errors of it or of one of their words
    /// (`pyhton`, `Kubernets`: Damerau–Levenshtein, a swap of neighbours one edit, more edits
    /// allowed for longer text), and last names that contain it inside a word, only for four
    /// letters or more (`APL` must not find "data platform"). Shorter names first within a
    /// tier; each skill once.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<&Skill> {
        if typed.len() > MAX_TERM_BYTES {
            return Vec::new();
        }
        let key = fold(typed);
        let length = key.chars().count();
        if length == 0 {
            return Vec::new();
        }
        let allowed = edits_allowed(length, 4);
        let typed_words: Vec<String> = typed
            .split(|c: char| c.is_whitespace() || "-_/・()（）".contains(c))
            .map(fold)
            .filter(|w| !w.is_empty())
            .collect();
        let mut hits: Vec<(u8, usize, usize, usize)> = Vec::new();
        for name in &self.names {
            let tier = if name.folded == key {
                Some((0, 0))
            } else if name.folded.starts_with(&key) {
                Some((1, 0))
            } else if name.words.iter().any(|w| w.starts_with(&key))
                || (typed_words.len() > 1
                    && typed_words
                        .iter()
                        .all(|t| name.words.iter().any(|w| w.starts_with(t.as_str()))))
            {
                Some((2, 0))
            } else if let Some(distance) = (allowed > 0)
                .then(|| {
                    std::iter::once(&name.folded)
                        .chain(name.words.iter())
                        .filter_map(|candidate| bounded_distance(&key, candidate, allowed))
                        .min()
                })
                .flatten()
            {
                Some((3, distance))
            } else if length >= 4 && name.folded.contains(&key) {
                Some((4, 0))
            } else {
                None
            };
            if let Some((tier, distance)) = tier {
                hits.push((tier, distance, name.folded.len(), name.skill));
            }
        }
        hits.sort_unstable();
        let mut seen = Vec::new();
        for (_, _, _, index) in hits {
            if !seen.contains(&index) {
                seen.push(index);
                if seen.len() == limit {
                    break;
                }
            }
        }
        seen.into_iter()
            .filter_map(|i| self.skills.get(i))
            .collect()
    }
}

/// How many typing errors a term of `length` characters may carry and still be recognised:
/// none below `shortest`, one up to eight characters, two beyond.
fn edits_allowed(length: usize, shortest: usize) -> usize {
    match length {
        n if n < shortest => 0,
        n if n <= 8 => 1,
        _ => 2,
    }
}

/// The Damerau–Levenshtein distance (optimal string alignment: a swap of neighbours is one
/// edit) between two folded terms, if it is at most `allowed`.
fn bounded_distance(a: &str, b: &str, allowed: usize) -> Option<usize> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.abs_diff(lb) > allowed {
        return None;
    }
    let distance = strsim::osa_distance(a, b);
    (distance <= allowed).then_some(distance)
}

/// Folds a term for lookup: NFKC (full-width ↔ half-width, half-width katakana), lower case,
/// separators removed (spaces, ・, -, _, /, .), and a long-vowel mark ー at the end of a word
/// dropped, since Japanese writes both サーバ and サーバー. Small kana read as large ones
/// (ソフトウェア and ソフトウエア are both written); in Devanagari the nukta is dropped and
/// chandrabindu read as anusvara (बिज़नेस / बिजनेस, हाँ / हां), as people type them either way.
pub fn fold(term: &str) -> String {
    let normalised: String = term
        .nfkc()
        .filter(|c| *c != '\u{093C}')
        .map(|c| match c {
            '\u{0901}' => '\u{0902}',
            'ァ' => 'ア',
            'ィ' => 'イ',
            'ゥ' => 'ウ',
            'ェ' => 'エ',
            'ォ' => 'オ',
            'ャ' => 'ヤ',
            'ュ' => 'ユ',
            'ョ' => 'ヨ',
            'ヮ' => 'ワ',
            c => c,
        })
        .collect::<String>()
        .to_lowercase();
    let mut out = String::with_capacity(normalised.len());
    let chars: Vec<char> = normalised.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let is_separator = c.is_whitespace() || matches!(c, '・' | '-' | '_' | '/' | '.' | '･');
        if is_separator {
            continue;
        }
        let at_word_end = chars.get(i + 1).is_none_or(|n| {
            n.is_whitespace() || matches!(n, '・' | '-' | '_' | '/' | '.' | '･' | 'ー')
        });
        if c == 'ー' && at_word_end && i > 0 {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_taxonomy_is_valid_and_large() {
        let parsed = Taxonomy::parse(BUILTIN);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
        assert!(Taxonomy::builtin().len() >= 400);
    }

    #[test]
    fn folding_unifies_width_case_separators_and_the_long_vowel() {
        assert_eq!(fold("ＰＹＴＨＯＮ"), "python");
        assert_eq!(fold("サーバー"), fold("サーバ"));
        assert_eq!(fold("ｻｰﾊﾞｰ"), fold("サーバ"));
        assert_eq!(fold("Spring Boot"), "springboot");
        assert_eq!(fold("C++"), "c++");
        assert_eq!(fold("機械・学習"), "機械学習");
    }

    #[test]
    fn a_term_in_any_language_resolves_to_one_skill() {
        let t = Taxonomy::builtin();
        let ml = t.resolve("machine learning").map(|s| s.id.clone());
        assert!(ml.is_some());
        assert_eq!(t.resolve("機械学習").map(|s| s.id.clone()), ml);
        assert_eq!(t.resolve("मशीन लर्निंग").map(|s| s.id.clone()), ml);
        let embedded = t.resolve("embedded software").map(|s| s.id.clone());
        assert!(embedded.is_some());
        assert_eq!(t.resolve("組み込み").map(|s| s.id.clone()), embedded);
        assert_eq!(t.resolve("組込み").map(|s| s.id.clone()), embedded);
    }

    #[test]
    fn one_typo_in_a_long_latin_term_is_forgiven_but_not_in_short_ones() {
        let t = Taxonomy::builtin();
        assert_eq!(
            t.resolve("kubernets").map(|s| s.id.as_str()),
            t.resolve("kubernetes").map(|s| s.id.as_str())
        );
        assert_eq!(
            t.resolve("pyhton").map(|s| s.id.as_str()),
            t.resolve("python").map(|s| s.id.as_str())
        );
        assert!(t.resolve("kubernetes").is_some());
        assert!(t.resolve("zzzzzzzzz").is_none());
        assert!(t.resolve("").is_none());
    }

    #[test]
    fn distances_count_a_swap_as_one_edit_and_stop_at_the_allowance() {
        assert_eq!(bounded_distance("abcde", "abcde", 1), Some(0));
        assert_eq!(bounded_distance("abcde", "abcdf", 1), Some(1));
        assert_eq!(bounded_distance("abcde", "abde", 1), Some(1));
        assert_eq!(bounded_distance("abcde", "bacde", 1), Some(1));
        assert_eq!(bounded_distance("abcde", "badce", 1), None);
        assert_eq!(bounded_distance("abcde", "badce", 2), Some(2));
        assert_eq!(bounded_distance("abcde", "abc", 1), None);
        assert_eq!(bounded_distance("परीक्षण", "परिक्षण", 1), Some(1));
        assert_eq!(
            (
                edits_allowed(3, 4),
                edits_allowed(6, 4),
                edits_allowed(12, 4)
            ),
            (0, 1, 2)
        );
    }

    fn first_suggestion(t: &Taxonomy, typed: &str) -> Option<String> {
        t.suggest(typed, 3)
            .first()
            .map(|s| s.id.as_str().to_owned())
    }

    #[test]
    fn type_ahead_forgives_typing_errors_in_every_script() {
        let t = Taxonomy::builtin();
        let id = |term: &str| t.resolve(term).map(|s| s.id.as_str().to_owned());
        assert_eq!(first_suggestion(&t, "pyhton"), id("python"));
        assert_eq!(first_suggestion(&t, "Kubernets"), id("kubernetes"));
        assert_eq!(
            first_suggestion(&t, "machne learning"),
            id("machine learning")
        );
        assert_eq!(first_suggestion(&t, "ｐｙｔｈｏｎ"), id("python"));
        assert_eq!(first_suggestion(&t, "मशीन लर्निग"), id("मशीन लर्निंग"));
        assert_eq!(first_suggestion(&t, "パイソソ"), id("python"));
    }

    #[test]
    fn a_word_of_a_name_is_found_and_a_short_query_never_inside_a_word() {
        let t = Taxonomy::builtin();
        let learning = t.suggest("learning", 10);
        assert!(
            learning.iter().any(|s| s.en == "Machine learning"),
            "{learning:?}"
        );
        // "apl" is inside "data platform"; three letters are too few to look inside words
        let apl = t.suggest("apl", 10);
        assert!(
            apl.iter().all(|s| s.all_names().any(|n| {
                let folded = fold(n);
                folded.starts_with("apl")
                    || n.split(|c: char| c.is_whitespace() || "-_/・()（）".contains(c))
                        .any(|w| fold(w).starts_with("apl"))
            })),
            "{apl:?}"
        );
        assert!(t.suggest(&"x".repeat(MAX_TERM_BYTES + 1), 5).is_empty());
    }

    #[test]
    fn technical_names_are_shown_to_hindi_readers_in_latin_letters() {
        let t = Taxonomy::builtin();
        let name = |term: &str| t.resolve(term).map(|s| s.name(UiLanguage::Hi).to_owned());
        assert_eq!(name("systemverilog").as_deref(), Some("SystemVerilog"));
        assert_eq!(name("python").as_deref(), Some("Python"));
        // a word Japanese writes in its own script keeps its Hindi name
        let ml = name("machine learning").unwrap();
        assert!(
            ml.chars().any(|c| ('\u{0900}'..='\u{097F}').contains(&c)),
            "{ml}"
        );
        // the Devanagari spelling still finds the skill
        assert_eq!(
            t.resolve("पायथन").map(|s| s.id.as_str()),
            t.resolve("python").map(|s| s.id.as_str())
        );
    }

    #[test]
    fn hindi_and_japanese_spelling_variants_fold_together() {
        // nukta and chandrabindu: बिज़नेस / बिजनेस, हाँ / हां
        assert_eq!(fold("बिज़नेस"), fold("बिजनेस"));
        assert_eq!(fold("हाँ"), fold("हां"));
        // small and large kana: ソフトウェア / ソフトウエア
        assert_eq!(fold("ソフトウェア"), fold("ソフトウエア"));
        assert_eq!(fold("ｿﾌﾄｳｪｱ"), fold("ソフトウエア"));
    }

    #[test]
    fn suggestions_prefer_names_that_start_with_the_typed_text() {
        let t = Taxonomy::builtin();
        let hits = t.suggest("pyt", 5);
        assert!(!hits.is_empty());
        assert!(hits.len() <= 5);
        assert!(hits[0].all_names().any(|n| fold(n).starts_with("pyt")));
        assert!(t.suggest("", 5).is_empty());
    }

    #[test]
    fn an_ambiguous_taxonomy_is_refused() {
        let src = r#"
[[skill]]
id = "a"
category = "x"
en = "Alpha"
ja = ["アルファ"]
hi = "अल्फा"
aliases = ["shared"]
[[skill]]
id = "b"
category = "x"
en = "Beta"
ja = ["ベータ"]
hi = "बीटा"
aliases = ["SHARED"]
"#;
        assert!(matches!(
            Taxonomy::parse(src),
            Err(TaxonomyError::AmbiguousTerm { .. })
        ));
    }
}
