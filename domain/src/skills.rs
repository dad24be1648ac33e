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
    /// The skill's display name in a UI language.
    pub fn name(&self, lang: UiLanguage) -> &str {
        match lang {
            UiLanguage::En => &self.en,
            UiLanguage::Ja => self.ja.first().map_or(&self.en, String::as_str),
            UiLanguage::Hi => &self.hi,
        }
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
        Ok(Taxonomy {
            skills: file.skill,
            by_folded_name,
        })
    }

    /// The taxonomy shipped with Setubashi. Its validity is checked by a test, so a failure
    /// here is a build defect; it falls back to an empty taxonomy rather than panicking.
    pub fn builtin() -> Taxonomy {
        Taxonomy::parse(BUILTIN).unwrap_or_else(|_| Taxonomy {
            skills: Vec::new(),
            by_folded_name: HashMap::new(),
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
        if key.chars().count() >= 5 && key.is_ascii() {
            let mut best: Option<(usize, &String)> = None;
            for (name, &index) in &self.by_folded_name {
                if name.is_ascii() && within_one_edit(&key, name) {
                    // deterministic among equals: the alphabetically first name wins
                    if best.is_none_or(|(_, b)| name < b) {
                        best = Some((index, name));
                    }
                }
            }
            return best.and_then(|(index, _)| self.skills.get(index));
        }
        None
    }

    /// Skills whose names start with (then contain) the typed text, for type-ahead; the
    /// shortest matching names first.
    pub fn suggest(&self, typed: &str, limit: usize) -> Vec<&Skill> {
        let key = fold(typed);
        if key.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, usize, usize)> = Vec::new();
        for (name, &index) in &self.by_folded_name {
            let rank = if name.starts_with(&key) {
                0
            } else if name.contains(&key) {
                1
            } else {
                continue;
            };
            hits.push((rank, name.len(), index));
        }
        hits.sort_unstable();
        let mut seen = Vec::new();
        for (_, _, index) in hits {
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

/// Folds a term for lookup: NFKC (full-width ↔ half-width, half-width katakana), lower case,
/// separators removed (spaces, ・, -, _, /, .), and a long-vowel mark ー at the end of a word
/// dropped, since Japanese writes both サーバ and サーバー.
pub fn fold(term: &str) -> String {
    let normalised: String = term.nfkc().collect::<String>().to_lowercase();
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

fn within_one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                // a transposition of neighbours counts as one edit
                if i + 1 < a.len() && j + 1 < b.len() && a[i] == b[j + 1] && a[i + 1] == b[j] {
                    i += 1;
                    j += 1;
                }
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
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
    fn one_edit_distance_is_exact() {
        assert!(within_one_edit("abcde", "abcde"));
        assert!(within_one_edit("abcde", "abcdf"));
        assert!(within_one_edit("abcde", "abde"));
        assert!(within_one_edit("abcde", "abcdef"));
        assert!(within_one_edit("abcde", "bacde"));
        assert!(!within_one_edit("abcde", "badce"));
        assert!(!within_one_edit("abcde", "abc"));
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
