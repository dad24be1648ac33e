//! The skill taxonomy: canonical skills with names in English, Japanese and Hindi, and the
//! folding that lets a term typed in any of them, in any width or case, resolve to one skill.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::glossary::Glossary;
use crate::language::UiLanguage;
use crate::lexicon::{bounded_distance, edits_allowed, Lexicon};
use crate::validation::{self, Problem};

pub use crate::lexicon::{fold, MAX_TERM_BYTES, MAX_TEXT_BYTES};

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

/// The longest a free skill's name may be, in characters.
pub const MAX_FREE_SKILL_CHARS: usize = 60;

/// A skill in the person's own words that the taxonomy does not know ("Redmine workflows",
/// "社内フレームワーク"): kept and shown as typed, found by text search, not counted in matching
/// (nothing says which of the taxonomy's skills it would stand for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeSkill {
    pub name: String,
    /// Years of use on a profile; the minimum asked on a role.
    pub years: u8,
    /// How well the person knows it, on a profile; none on a role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<crate::profile::SkillLevel>,
}

/// What a form's skill field named: a skill of the taxonomy, or words kept as a free skill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkillEntry<'a> {
    Known(&'a Skill),
    Free(String),
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
    /// Skills whose holders partly have this one (C for Embedded C): partial credit in matching.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<SkillId>,
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
    #[error("skill {skill} is related to {related}, which is not in the taxonomy or is itself")]
    UnknownRelated { skill: String, related: String },
    #[error("the term {term:?} names both {first} and {second}")]
    AmbiguousTerm {
        term: String,
        first: String,
        second: String,
    },
}

/// The taxonomy with its lookup table of folded names.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    skills: Vec<Skill>,
    /// Every name and alias, folded, to its skill: look-up and skills in free text.
    lexicon: Lexicon,
    /// Each skill's index by id: `get` and the relations are on matching's path.
    by_id: HashMap<String, usize>,
    /// Every name and alias for type-ahead: folded whole, and each of its words folded.
    names: Vec<IndexedName>,
    /// Job-ad words across languages: a Hindi or Japanese phrase that names no skill is read
    /// again in English word by word (परिपथ अभिकल्पना: "circuit design").
    glossary: Glossary,
}

/// One name of a skill as type-ahead compares it.
#[derive(Debug, Clone)]
struct IndexedName {
    folded: String,
    words: Vec<String>,
    /// The characters of `folded` as a [`char_set`]: a cheap bound that rules most names out
    /// before a distance is computed.
    chars: u64,
    skill: usize,
}

/// The characters of a term as a set of 64 bits (each character to bit `code % 64`). An edit
/// changes at most two bits of the set, so two terms whose sets differ in more than twice the
/// edits allowed are further apart than that, whatever their letters (characters sharing a
/// bit only make the bound lower, never wrong).
fn char_set(term: &str) -> u64 {
    term.chars()
        .fold(0, |set, c| set | 1 << (u32::from(c) % 64))
}

/// The taxonomy shipped with Setubashi (`domain/data/skills.toml`).
const BUILTIN: &str = include_str!("../data/skills.toml");

impl Taxonomy {
    /// Parses a taxonomy and checks that ids are unique and that no term names two skills.
    pub fn parse(source: &str) -> Result<Taxonomy, TaxonomyError> {
        let file: TaxonomyFile = toml::from_str(source)?;
        let mut ids: HashMap<SkillId, usize> = HashMap::new();
        for (index, skill) in file.skill.iter().enumerate() {
            if ids.insert(skill.id.clone(), index).is_some() {
                return Err(TaxonomyError::DuplicateId(skill.id.0.clone()));
            }
        }
        let lexicon = Lexicon::new(
            file.skill
                .iter()
                .enumerate()
                .flat_map(|(index, skill)| skill.all_names().map(move |name| (name, index))),
            true,
        )
        .map_err(|a| TaxonomyError::AmbiguousTerm {
            term: a.term,
            first: file.skill[a.first].id.0.clone(),
            second: file.skill[a.second].id.0.clone(),
        })?;
        for skill in &file.skill {
            if let Some(related) = skill
                .related
                .iter()
                .find(|r| !ids.contains_key(*r) || **r == skill.id)
            {
                return Err(TaxonomyError::UnknownRelated {
                    skill: skill.id.0.clone(),
                    related: related.0.clone(),
                });
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
                        chars: char_set(&folded),
                        folded,
                        skill: index,
                    })
                })
            })
            .collect();
        Ok(Taxonomy {
            skills: file.skill,
            lexicon,
            by_id: ids.into_iter().map(|(id, index)| (id.0, index)).collect(),
            names,
            glossary: Glossary::empty(),
        })
    }

    /// The taxonomy shipped with Setubashi. Its validity is checked by a test, so a failure
    /// here is a build defect; it falls back to an empty taxonomy rather than panicking.
    ///
    /// Parsed once per process (a third of a second in a debug build) and cloned after.
    pub fn builtin() -> Taxonomy {
        static PARSED: std::sync::OnceLock<Taxonomy> = std::sync::OnceLock::new();
        PARSED
            .get_or_init(|| {
                Taxonomy::parse(BUILTIN)
                    .unwrap_or_else(|_| Taxonomy {
                        skills: Vec::new(),
                        lexicon: Lexicon::default(),
                        by_id: HashMap::new(),
                        names: Vec::new(),
                        glossary: Glossary::empty(),
                    })
                    .with_glossary(Glossary::builtin())
            })
            .clone()
    }

    /// This taxonomy, reading Hindi and Japanese phrases that name no skill again in English
    /// through the glossary's words.
    pub fn with_glossary(mut self, glossary: Glossary) -> Taxonomy {
        self.glossary = glossary;
        self
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
        self.by_id.get(id).and_then(|&index| self.skills.get(index))
    }

    /// The skills whose holders partly have this one (see [`Skill::related`]).
    pub fn related(&self, id: &SkillId) -> &[SkillId] {
        self.get(id.as_str()).map_or(&[], |s| s.related.as_slice())
    }

    /// The skills this one is evidence for: those that list it among their related skills
    /// (Embedded C for C). Retrieval uses it so that a C engineer is considered for an Embedded
    /// C role.
    pub fn evidence_for<'a>(&'a self, id: &'a SkillId) -> impl Iterator<Item = &'a SkillId> + 'a {
        self.skills
            .iter()
            .filter(move |s| s.related.contains(id))
            .map(|s| &s.id)
    }

    /// For each required skill, the related skills that are evidence for it: what
    /// [`RoleFacts::related`](crate::matching::RoleFacts::related) holds.
    pub fn related_pairs<'a>(
        &self,
        required: impl IntoIterator<Item = &'a SkillId>,
    ) -> Vec<(SkillId, SkillId)> {
        required
            .into_iter()
            .flat_map(|skill| {
                self.related(skill)
                    .iter()
                    .map(move |via| (skill.clone(), via.clone()))
            })
            .collect()
    }

    /// Resolves a term in any language to its skill: exact after folding, else one small typo
    /// in a Latin-script term of five letters or more.
    pub fn resolve(&self, term: &str) -> Option<&Skill> {
        self.lexicon
            .lookup(term)
            .and_then(|index| self.skills.get(index))
    }

    /// The skill a form's skill field names: the term itself ([`resolve`](Self::resolve)), or
    /// the one skill its words name when it is a phrase ("Python (computer programming)",
    /// "experience in React.js"). A phrase naming several skills names none: which one was
    /// meant is for the person to say.
    pub fn resolve_phrase(&self, term: &str) -> Option<&Skill> {
        let only = |text: &str| match self.skills_in_text(text).as_slice() {
            [only] => Some(*only),
            _ => None,
        };
        // a parenthesis qualifies what stands before it: "Rust (programming language)"
        let outside = without_parentheses(term);
        self.resolve(term)
            .or_else(|| (outside != term).then(|| self.resolve(&outside)).flatten())
            .or_else(|| only(&outside))
            .or_else(|| only(term))
    }

    /// Reads a form's skill field: the taxonomy's skill when one fits
    /// ([`resolve_phrase`](Self::resolve_phrase)), else the typed words themselves, kept as a
    /// [`FreeSkill`] name rather than refused (one line, at most [`MAX_FREE_SKILL_CHARS`]).
    pub fn read_skill_field(&self, typed: &str) -> Result<SkillEntry<'_>, Problem> {
        if let Some(skill) = self.resolve_phrase(typed) {
            return Ok(SkillEntry::Known(skill));
        }
        let name = validation::line(typed, 1, MAX_FREE_SKILL_CHARS)?;
        Ok(SkillEntry::Free(
            name.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    }

    /// The skills named in free text, in the order they appear, each once: whole words and
    /// phrases in Latin letters and Devanagari (a typing error forgiven in longer ones), the
    /// Japanese names inside Japanese text (see [`crate::lexicon`]). What job-ad and CV phrasing
    /// ("maintain database performance", "Python (computer programming)") and search queries
    /// ("組み込みエンジニア") are read with.
    pub fn skills_in_text(&self, text: &str) -> Vec<&Skill> {
        self.with_composites(self.lexicon.find_in_text(text))
            .into_iter()
            .filter_map(|index| self.skills.get(index))
            .collect()
    }

    /// Skills found in order that together name another ("組込み系Cプログラミング":
    /// embedded software and C, together Embedded C): the composite first, then the parts.
    fn with_composites(&self, found: Vec<usize>) -> Vec<usize> {
        let mut composites = Vec::new();
        let pairs = found
            .iter()
            .enumerate()
            .flat_map(|(i, a)| found[i + 1..].iter().map(move |b| (*a, *b)));
        for (a, b) in pairs {
            let (Some(a), Some(b)) = (self.skills.get(a), self.skills.get(b)) else {
                continue;
            };
            let heads = std::iter::once(a.en.as_str())
                .chain(a.aliases.iter().map(String::as_str))
                .filter(|n| !n.contains(' '));
            for head in heads {
                if let Some(index) = self.lexicon.exact(&fold(&format!("{head} {}", b.en))) {
                    if !found.contains(&index) && !composites.contains(&index) {
                        composites.push(index);
                    }
                    break;
                }
            }
        }
        composites.extend(found);
        composites
    }

    /// Skills for type-ahead, best first: a name that is the typed text, then names that start
    /// with it, then names with a word that starts with it (`develop` finds "Software
    /// development"), then names within a few typing errors of it or of one of their words
    /// (`pyhton`, `Kubernets`: Damerau–Levenshtein, a swap of neighbours one edit, more edits
    /// allowed for longer text) — or, before those, for a phrase of several words or in Japanese,
    /// the skills its words name ([`Taxonomy::skills_in_text`]) — and last names that contain it inside a word, only for four
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
        // the cheap tiers first: the typed text is a name, starts one or starts a word of one
        let mut others: Vec<&IndexedName> = Vec::new();
        for name in &self.names {
            let tier = if name.folded == key {
                0
            } else if name.folded.starts_with(&key) {
                1
            } else if name.words.iter().any(|w| w.starts_with(&key))
                || (typed_words.len() > 1
                    && typed_words
                        .iter()
                        .all(|t| name.words.iter().any(|w| w.starts_with(t.as_str()))))
            {
                2
            } else {
                others.push(name);
                continue;
            };
            hits.push((tier, 0, name.folded.len(), name.skill));
        }
        // a phrase ("use software design patterns", "組み込みソフトウェア開発") names skills in
        // its words: after the names that start with what was typed, before near misses
        if typed_words.len() > 1 || key.chars().any(crate::lexicon::is_japanese) {
            let found = self.with_composites(self.lexicon.find_in_text(typed));
            for (position, index) in found.into_iter().enumerate() {
                hits.push((3, 20 + position, 0, index));
            }
        }
        // an activity phrase ("analyse data", "manage databases") read as the nouns that name
        // skills ("data analysis", "database administration"): a reading that is a whole name
        // first of all phrase readings, the skills its words name after the words as typed
        if typed_words.len() > 1 && typed.is_ascii() {
            let lower = crate::lexicon::american_spelling(&typed.to_lowercase());
            let words: Vec<&str> = lower
                .split(|c: char| c.is_whitespace() || "-_/()".contains(c))
                .filter(|w| !w.is_empty())
                .collect();
            for (position, reading) in crate::phrasing::activity_readings(&words)
                .iter()
                .enumerate()
            {
                if let Some(index) = self.lexicon.exact(&fold(reading)) {
                    hits.push((3, position, 0, index));
                }
                let found = self.with_composites(self.lexicon.find_in_text(reading));
                for (at, index) in found.into_iter().enumerate() {
                    hits.push((3, 50 + 10 * position + at, 0, index));
                }
            }
        }
        // a word of the typed text that is a name ("opencv-python"), or a product's model that
        // starts with one ("stm32f4", "python3.12", "vue3": a name of four letters or more, then
        // at most three characters)
        if typed_words.len() > 1 || hits.is_empty() {
            for (position, word) in typed_words.iter().enumerate() {
                if let Some(index) = self.lexicon.exact(word) {
                    hits.push((3, 40 + position, 0, index));
                    continue;
                }
                let chars = word.chars().count();
                if chars < 5 || !word.is_ascii() {
                    continue;
                }
                let model_of = self
                    .names
                    .iter()
                    .filter(|n| {
                        n.folded.len() >= 4
                            && word.starts_with(n.folded.as_str())
                            && word.len() - n.folded.len() <= 3
                    })
                    .max_by_key(|n| n.folded.len());
                if let Some(name) = model_of {
                    hits.push((4, 1, name.folded.len(), name.skill));
                }
            }
        }
        // a Hindi or Japanese phrase read again in English, word by word through the glossary
        // (परिपथ अभिकल्पना → "circuit design", अर्धचालक संविरचन → "semiconductor
        // fabrication"): after what its words name as they are
        if !typed.is_ascii() {
            let english = self.glossary.in_english(typed);
            if !english.is_empty() {
                let found = self.with_composites(self.lexicon.find_in_text(&english));
                for (position, index) in found.into_iter().enumerate() {
                    hits.push((3, 100 + position, 0, index));
                }
            }
        }
        // near misses and matches inside words rank after all of those: only computed (a
        // distance for every name) when those do not fill the list
        let mut distinct: Vec<usize> = hits.iter().map(|h| h.3).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < limit {
            let typed_chars = char_set(&key);
            for name in others {
                // a distance only where the character sets allow it to be small enough
                let near = |candidate: &String| {
                    let differ = (char_set(candidate) ^ typed_chars).count_ones() as usize;
                    (differ <= 2 * allowed)
                        .then(|| bounded_distance(&key, candidate, allowed))
                        .flatten()
                };
                let tier = if let Some(distance) = (allowed > 0)
                    .then(|| {
                        let whole = ((name.chars ^ typed_chars).count_ones() as usize
                            <= 2 * allowed)
                            .then(|| bounded_distance(&key, &name.folded, allowed))
                            .flatten();
                        whole
                            .into_iter()
                            .chain(name.words.iter().filter_map(near))
                            .min()
                    })
                    .flatten()
                {
                    Some((4, distance))
                } else if length >= 4 && name.folded.contains(&key) {
                    Some((5, 0))
                } else {
                    None
                };
                if let Some((tier, distance)) = tier {
                    hits.push((tier, distance, name.folded.len(), name.skill));
                }
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

/// The text without its parenthesised parts, in either width: "Python (computer
/// programming)" → "Python ".
fn without_parentheses(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|c| match c {
            '(' | '（' => {
                depth += 1;
                false
            }
            ')' | '）' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
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
    fn suggestions_prefer_names_that_start_with_the_typed_text() {
        let t = Taxonomy::builtin();
        let hits = t.suggest("pyt", 5);
        assert!(!hits.is_empty());
        assert!(hits.len() <= 5);
        assert!(hits[0].all_names().any(|n| fold(n).starts_with("pyt")));
        assert!(t.suggest("", 5).is_empty());
    }

    fn found(t: &Taxonomy, text: &str) -> Vec<String> {
        t.skills_in_text(text)
            .iter()
            .map(|s| s.id.as_str().to_owned())
            .collect()
    }

    fn id_of(t: &Taxonomy, term: &str) -> String {
        t.resolve(term)
            .map(|s| s.id.as_str().to_owned())
            .unwrap_or_else(|| panic!("{term} is not in the taxonomy"))
    }

    #[test]
    fn cv_and_job_ad_phrasing_names_the_skills_in_it() {
        let t = Taxonomy::builtin();
        assert_eq!(
            found(&t, "Python (computer programming)").first(),
            Some(&id_of(&t, "python"))
        );
        let skills = found(
            &t,
            "Hands-on experience with Kubernets and machine learning.",
        );
        assert!(skills.contains(&id_of(&t, "kubernetes")), "{skills:?}");
        assert!(
            skills.contains(&id_of(&t, "machine learning")),
            "{skills:?}"
        );
        let skills = found(&t, "組み込みソフトウェア開発経験、Python経験3年以上");
        assert!(skills.contains(&id_of(&t, "組み込み")), "{skills:?}");
        assert!(skills.contains(&id_of(&t, "python")), "{skills:?}");
        // a language named Go is not "go live"
        assert!(!found(&t, "go live with the team").contains(&id_of(&t, "golang")));
        // nor is the CAN bus "you can apply", though written as its name it is
        assert!(!found(&t, "you can apply from India").contains(&id_of(&t, "can-bus")));
        assert!(found(&t, "CAN and LIN diagnostics").contains(&id_of(&t, "can-bus")));
    }

    #[test]
    fn ordinary_words_that_are_also_skill_names_are_not_read_as_the_skill() {
        let t = Taxonomy::builtin();
        let has = |text: &str, skill: &str| found(&t, text).contains(&id_of(&t, skill));
        // "basis" in Hindi is the identity programme only when it is the whole query
        assert!(!has("डेटा विश्लेषण का आधार", "Aadhaar"));
        assert!(has("आधार", "Aadhaar"));
        // verification in general is not chip verification; RTL検証 is
        assert!(!has("ソフトウェアの検証", "Functional verification"));
        assert!(has("RTL検証の経験", "Functional verification"));
        // maintenance in general is not total productive maintenance; 設備保全 is
        assert!(!has("システムの保全業務", "Total productive maintenance"));
        assert!(has("設備保全", "Total productive maintenance"));
        // "design and architecture" is not corrected into the ARM architecture
        assert!(!has("software design and architecture", "ARM architecture"));
        assert!(has("ARM architecture", "ARM architecture"));
    }

    #[test]
    fn a_form_field_holding_a_phrase_names_its_one_skill() {
        let t = Taxonomy::builtin();
        let rust = t.resolve("rust").map(|s| s.id.clone());
        assert_eq!(
            t.resolve_phrase("Rust (programming language)")
                .map(|s| s.id.clone()),
            rust
        );
        assert_eq!(
            t.resolve_phrase("experience in Rust").map(|s| s.id.clone()),
            rust
        );
        // two skills named: which one is meant is for the person to say
        assert!(t.resolve_phrase("Rust and Python").is_none());
        assert_eq!(without_parentheses("a (b (c)) d（e）"), "a  d");
    }

    #[test]
    fn a_phrase_typed_into_the_type_ahead_finds_the_skills_in_it() {
        let t = Taxonomy::builtin();
        let ids: Vec<&str> = t
            .suggest("Python (computer programming)", 3)
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        assert!(ids.contains(&id_of(&t, "python").as_str()), "{ids:?}");
    }

    #[test]
    fn relations_name_skills_of_the_taxonomy_and_point_both_ways() {
        let t = Taxonomy::builtin();
        for skill in t.all() {
            for via in &skill.related {
                assert!(t.get(via.as_str()).is_some(), "{} -> {via}", skill.id);
                assert!(t.evidence_for(via).any(|s| *s == skill.id));
            }
        }
        let src = r#"
[[skill]]
id = "a"
category = "x"
en = "Alpha"
ja = ["アルファ"]
hi = "अल्फा"
related = ["nowhere"]
"#;
        assert!(matches!(
            Taxonomy::parse(src),
            Err(TaxonomyError::UnknownRelated { .. })
        ));
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
