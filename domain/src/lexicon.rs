//! Finding a dictionary's terms in what people type: the skill taxonomy, the job-ad glossary and
//! place names all look words up the same way.
//!
//! A term is compared folded ([`fold`]: width, case, separators, spelling variants). A lookup of
//! one term is exact, or within the typing errors its length allows. Free text is cut into
//! chunks at punctuation and brackets, so a parenthesis is read on its own. Words in Latin
//! letters and Devanagari are matched as runs of whole words, longest first, so "software
//! development engineer" finds "software development" and a short term never matches inside a
//! word; a run that is no term may still be one with a typing error ("Kubernets"). Japanese has
//! no spaces: a token holding kana or kanji is segmented by the dictionary's own terms (longest
//! match at each place, Aho–Corasick), and the Latin letters inside it ("Python経験") are
//! matched as words.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_normalization::UnicodeNormalization;

/// The longest term looked up, in bytes (the longest skill name or alias is far shorter).
pub const MAX_TERM_BYTES: usize = 200;

/// The most words one name spans ("computer aided design and manufacturing").
const LONGEST_NAME_WORDS: usize = 6;

/// The most text read for skills: far more than a requirement line or a search query, and it
/// bounds the work a long paste can cause.
pub const MAX_TEXT_BYTES: usize = 4_000;

/// Short English words (and a few Hindi ones) that are also names or aliases of a skill (`Go`,
/// `R`, `IT`, आधार), taken for the skill only when written as its name is (capitalised) or when
/// they are the whole text: "go live" and "work in R&D" are not languages, "you can apply" is
/// not the CAN bus, and आधार ("basis") is not the identity programme.
const COMMON_WORDS: &[&str] = &[
    "go",
    "r",
    "d",
    "it",
    "as",
    "is",
    "in",
    "on",
    "at",
    "or",
    "and",
    "the",
    "a",
    "an",
    "of",
    "to",
    "for",
    "with",
    "using",
    "use",
    "be",
    "do",
    "by",
    "ui",
    "ux",
    "can",
    // "basis" in Hindi before it is the identity programme's name
    "आधार",
];

/// Ordinary words of job ads and CVs that are a typing error away from a skill's name
/// ("systems" from SystemC, "framework" from a product name): in running text they are taken as
/// written, never corrected into a skill.
const NEVER_CORRECTED: &[&str] = &[
    // "design and architecture" is not the ARM architecture
    "architecture",
    "system",
    "systems",
    "design",
    "designs",
    "designing",
    "experience",
    "experienced",
    "engineering",
    "engineer",
    "engineers",
    "language",
    "languages",
    "basic",
    "basics",
    "engine",
    "engines",
    "framework",
    "frameworks",
    "methodology",
    "certification",
    "certified",
    "tuning",
    "clean",
    "cleaning",
    "development",
    "developer",
    "developers",
    "testing",
    "tester",
    "tests",
    "process",
    "processes",
    "platform",
    "platforms",
    "project",
    "projects",
    "product",
    "products",
    "service",
    "services",
    "support",
    "manage",
    "managing",
    "management",
    "manager",
    "technical",
    "technology",
    "technologies",
    "software",
    "hardware",
    "application",
    "applications",
    "solution",
    "solutions",
    "quality",
    "analysis",
    "analyst",
    "report",
    "reports",
    "reporting",
    "operation",
    "operations",
    "maintain",
    "maintenance",
    "network",
    "networks",
    "security",
    "modern",
    "models",
    "module",
    "modules",
    "control",
    "controls",
    "knowledge",
    "skills",
    "working",
    "strong",
    "understanding",
    "communication",
    "customer",
    "customers",
    "business",
    "office",
    "tools",
    "server",
    "servers",
    "client",
    "clients",
];

/// Whether a character is written in Japanese script (kana, kanji, the iteration mark).
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3005}' | '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{FF66}'..='\u{FF9F}')
}

/// Where a chunk of text ends: punctuation and brackets in any of the three scripts.
fn ends_chunk(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '|'
            | '"'
            | '、'
            | '。'
            | '，'
            | '；'
            | '：'
            | '（'
            | '）'
            | '「'
            | '」'
            | '『'
            | '』'
            | '【'
            | '】'
            | '।'
            | '\n'
            | '\r'
            | '\t'
    )
}

/// Two different entries named by the same folded term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    pub term: String,
    pub first: usize,
    pub second: usize,
}

/// Folded terms, each naming one entry of a dictionary (by the entry's index).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    by_folded: HashMap<String, usize>,
    /// The terms written in Japanese script, for text without spaces.
    japanese: Option<AhoCorasick>,
    /// The entry of each Japanese pattern, by pattern index.
    japanese_entries: Vec<usize>,
    /// Whether a term with typing errors is still recognised.
    forgiving: bool,
}

impl Lexicon {
    /// A lexicon of `(term, entry)` pairs; a term named twice for one entry is fine, for two
    /// entries refused. `forgiving` lexicons recognise terms with typing errors.
    pub fn new<'a>(
        terms: impl IntoIterator<Item = (&'a str, usize)>,
        forgiving: bool,
    ) -> Result<Lexicon, Ambiguity> {
        let mut by_folded: HashMap<String, usize> = HashMap::new();
        for (term, entry) in terms {
            let key = fold(term);
            if key.is_empty() {
                continue;
            }
            match by_folded.insert(key, entry) {
                Some(other) if other != entry => {
                    return Err(Ambiguity {
                        term: term.to_owned(),
                        first: other,
                        second: entry,
                    })
                }
                _ => {}
            }
        }
        let (patterns, japanese_entries): (Vec<&str>, Vec<usize>) = by_folded
            .iter()
            .filter(|(folded, _)| folded.chars().any(is_japanese))
            .map(|(folded, &entry)| (folded.as_str(), entry))
            .unzip();
        let japanese = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Ok(Lexicon {
            by_folded,
            japanese,
            japanese_entries,
            forgiving,
        })
    }

    /// The entry a folded term names exactly.
    pub fn exact(&self, folded: &str) -> Option<usize> {
        self.by_folded.get(folded).copied()
    }

    /// The entry of the term nearest a folded one within the typing errors its length allows
    /// (none under five letters, none in a lexicon that does not forgive); deterministic among
    /// equals: the alphabetically first term wins.
    pub fn nearest(&self, folded: &str) -> Option<usize> {
        self.nearest_where(folded, 5, |_| true)
    }

    /// [`nearest`](Self::nearest) for a word inside running text, where most words are no
    /// term at all and an ordinary word is often a letter away from one ("design" from "esign",
    /// "reach" from "react"): six letters or more, and the first letter right (typing errors
    /// rarely fall there).
    fn nearest_in_text(&self, folded: &str) -> Option<usize> {
        let first = folded.chars().next()?;
        self.nearest_where(folded, 6, |term| term.starts_with(first))
    }

    /// The nearest term that `eligible` accepts, within the edits a term of `folded`'s length
    /// allows (none under `shortest` letters); the alphabetically first among equals.
    fn nearest_where(
        &self,
        folded: &str,
        shortest: usize,
        eligible: impl Fn(&str) -> bool,
    ) -> Option<usize> {
        let allowed = edits_allowed(folded.chars().count(), shortest);
        if allowed == 0 || !self.forgiving {
            return None;
        }
        let mut best: Option<(usize, &String, usize)> = None;
        for (term, &entry) in &self.by_folded {
            if !eligible(term) {
                continue;
            }
            if let Some(distance) = bounded_distance(folded, term, allowed) {
                let better = best.is_none_or(|(_, b, d)| (distance, term) < (d, b));
                if better {
                    best = Some((entry, term, distance));
                }
            }
        }
        best.map(|(entry, _, _)| entry)
    }

    /// The entry a term names, exactly after folding or else within the typing errors allowed.
    pub fn lookup(&self, term: &str) -> Option<usize> {
        if term.len() > MAX_TERM_BYTES {
            return None;
        }
        let key = fold(term);
        if key.is_empty() {
            return None;
        }
        self.exact(&key).or_else(|| self.nearest(&key))
    }

    /// The entries named in free text, in the order they appear, each once.
    pub fn find_in_text(&self, text: &str) -> Vec<usize> {
        let text = truncate(text, MAX_TEXT_BYTES);
        let normalised: String = text.nfkc().collect();
        let mut found: Vec<usize> = Vec::new();
        for chunk in normalised.split(ends_chunk) {
            self.find_in_chunk(chunk, &mut found);
        }
        found
    }

    fn find_in_chunk(&self, chunk: &str, found: &mut Vec<usize>) {
        let tokens: Vec<&str> = chunk
            .split_whitespace()
            // a sentence's full stop is not part of a term (".NET" keeps its leading one)
            .map(|t| t.trim_end_matches(['.', '!', '?', '\'']))
            .map(|t| t.trim_start_matches(['\'', '!', '?']))
            .filter(|t| !t.is_empty())
            .collect();
        let whole_chunk = tokens.len() == 1;
        let mut run: Vec<&str> = Vec::new();
        for token in tokens {
            if token.chars().any(is_japanese) {
                self.words_in_run(&run, whole_chunk, found);
                run.clear();
                self.find_in_japanese(token, found);
            } else {
                run.push(token);
            }
        }
        self.words_in_run(&run, whole_chunk, found);
    }

    /// Whole-word matching over a run of words: at each word the longest window that is a term,
    /// else (for one or two words long enough) a term within the typing errors allowed.
    fn words_in_run(&self, words: &[&str], whole_chunk: bool, found: &mut Vec<usize>) {
        let mut at = 0;
        while at < words.len() {
            let longest = LONGEST_NAME_WORDS.min(words.len() - at);
            let exact = (1..=longest).rev().find_map(|width| {
                let window = &words[at..at + width];
                if width == 1 && !whole_chunk && COMMON_WORDS.contains(&window[0]) {
                    return None;
                }
                self.exact(&fold(&window.join(" ")))
                    .map(|entry| (entry, width))
            });
            let matched = exact.or_else(|| {
                (1..=2.min(longest)).rev().find_map(|width| {
                    let window = &words[at..at + width];
                    if window
                        .iter()
                        .any(|w| NEVER_CORRECTED.contains(&w.to_lowercase().as_str()))
                    {
                        return None;
                    }
                    self.nearest_in_text(&fold(&window.join(" ")))
                        .map(|entry| (entry, width))
                })
            });
            match matched {
                Some((entry, width)) => {
                    push_once(found, entry);
                    at += width;
                }
                None => at += 1,
            }
        }
    }

    /// A token holding Japanese script: the Japanese terms found in it, longest at each place,
    /// and its Latin runs ("Python" in "Python経験3年") matched as words.
    fn find_in_japanese(&self, token: &str, found: &mut Vec<usize>) {
        let folded = fold(token);
        let mut covered = vec![false; folded.len()];
        if let Some(automaton) = &self.japanese {
            for hit in automaton.find_iter(&folded) {
                if let Some(&entry) = self.japanese_entries.get(hit.pattern().as_usize()) {
                    push_once(found, entry);
                    covered[hit.start()..hit.end()].fill(true);
                }
            }
        }
        let mut latin = String::new();
        for (offset, c) in folded.char_indices() {
            if !is_japanese(c) && !covered[offset] {
                latin.push(c);
            } else if !latin.is_empty() {
                self.words_in_run(&[latin.as_str()], true, found);
                latin.clear();
            }
        }
        if !latin.is_empty() {
            self.words_in_run(&[latin.as_str()], true, found);
        }
    }
}

fn push_once(found: &mut Vec<usize>, entry: usize) {
    if !found.contains(&entry) {
        found.push(entry);
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// How many typing errors a term of `length` characters may carry and still be recognised:
/// none below `shortest`, one up to eight characters, two beyond.
pub(crate) fn edits_allowed(length: usize, shortest: usize) -> usize {
    match length {
        n if n < shortest => 0,
        n if n <= 8 => 1,
        _ => 2,
    }
}

/// The Damerau–Levenshtein distance (optimal string alignment: a swap of neighbours is one
/// edit) between two folded terms, if it is at most `allowed`.
pub(crate) fn bounded_distance(a: &str, b: &str, allowed: usize) -> Option<usize> {
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
/// British spellings read as American ones (optimisation, centre, modelling, analyse).
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
    let normalised = american_spelling(&normalised);
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

/// Word endings British English writes differently, with their American spelling: both are
/// typed in India (British schooling, American software), so both fold to one.
const BRITISH_ENDINGS: &[(&str, &str)] = &[
    ("isation", "ization"),
    ("isations", "izations"),
    ("ising", "izing"),
    ("ised", "ized"),
    ("iser", "izer"),
    ("ise", "ize"),
    ("yse", "yze"),
    ("yser", "yzer"),
    ("ysing", "yzing"),
    ("elling", "eling"),
    ("elled", "eled"),
    ("eller", "eler"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("bre", "ber"),
    ("our", "or"),
    ("ogue", "og"),
    ("mme", "m"),
];

/// British spellings ("optimisation", "centre", "modelling", "colour", "programme", "mould")
/// rewritten as American, word by word, in lower-case ASCII text.
pub(crate) fn american_spelling(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.len() >= 5 {
            if word == "mould" || word.starts_with("mould") {
                word.replace_range(0..5, "mold");
            } else if let Some((british, american)) = BRITISH_ENDINGS
                .iter()
                .filter(|(british, _)| word.ends_with(british))
                .max_by_key(|(british, _)| british.len())
            {
                word.truncate(word.len() - british.len());
                word.push_str(american);
            }
        }
        out.push_str(word);
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_lowercase() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn british_and_american_spellings_fold_together() {
        for (british, american) in [
            ("optimisation", "optimization"),
            ("Data modelling", "data modeling"),
            ("centre", "center"),
            ("analyse", "analyze"),
            ("colour", "color"),
            ("programme", "program"),
            ("virtualisation", "virtualization"),
            ("moulding", "molding"),
            ("fibre", "fiber"),
        ] {
            assert_eq!(fold(british), fold(american), "{british}");
        }
        // short words and other scripts are left alone
        assert_eq!(fold("our"), "our");
        assert_eq!(fold("サーバー"), "サーバ");
    }

    fn lexicon(terms: &[(&'static str, usize)]) -> Lexicon {
        Lexicon::new(terms.iter().copied(), true).unwrap()
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
    fn hindi_and_japanese_spelling_variants_fold_together() {
        // nukta and chandrabindu: बिज़नेस / बिजनेस, हाँ / हां
        assert_eq!(fold("बिज़नेस"), fold("बिजनेस"));
        assert_eq!(fold("हाँ"), fold("हां"));
        // small and large kana: ソフトウェア / ソフトウエア
        assert_eq!(fold("ソフトウェア"), fold("ソフトウエア"));
        assert_eq!(fold("ｿﾌﾄｳｪｱ"), fold("ソフトウエア"));
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

    #[test]
    fn a_term_naming_two_entries_is_refused() {
        let refused = Lexicon::new([("Alpha", 0), ("ALPHA", 1)], false);
        assert_eq!(refused.unwrap_err().term, "ALPHA");
        assert!(Lexicon::new([("Alpha", 0), ("ALPHA", 0)], false).is_ok());
    }

    #[test]
    fn whole_words_are_found_longest_first_and_never_inside_a_word() {
        let l = lexicon(&[("software development", 0), ("software", 1), ("C", 2)]);
        assert_eq!(l.find_in_text("Software development engineer"), vec![0]);
        assert_eq!(l.find_in_text("software, and C"), vec![1, 2]);
        assert!(l.find_in_text("scale").is_empty());
    }

    #[test]
    fn a_parenthesis_and_punctuation_end_a_phrase() {
        let l = lexicon(&[("python", 0), ("computer programming", 1)]);
        assert_eq!(l.find_in_text("Python (computer programming)."), vec![0, 1]);
    }

    #[test]
    fn typing_errors_are_forgiven_only_where_the_lexicon_forgives() {
        let terms = [("kubernetes", 0), ("machine learning", 1)];
        let forgiving = Lexicon::new(terms, true).unwrap();
        assert_eq!(
            forgiving.find_in_text("deploying on Kubernets with mechine learning"),
            vec![0, 1]
        );
        let strict = Lexicon::new(terms, false).unwrap();
        assert!(strict.find_in_text("Kubernets").is_empty());
        assert_eq!(strict.lookup("KUBERNETES"), Some(0));
    }

    #[test]
    fn japanese_text_is_segmented_by_the_lexicons_terms() {
        let l = lexicon(&[
            ("組み込み", 0),
            ("python", 1),
            ("機械学習", 2),
            ("組込み", 0),
        ]);
        assert_eq!(
            l.find_in_text("組込みソフトウェア開発経験、Python経験3年以上"),
            vec![0, 1]
        );
        assert_eq!(l.find_in_text("機械学習エンジニア"), vec![2]);
    }

    #[test]
    fn common_words_are_taken_only_when_written_as_a_name_or_alone() {
        let l = lexicon(&[("go", 0), ("rust", 1)]);
        assert_eq!(l.find_in_text("go live with the team"), Vec::<usize>::new());
        assert_eq!(l.find_in_text("Go and Rust"), vec![0, 1]);
        assert_eq!(l.find_in_text("go"), vec![0]);
    }

    #[test]
    fn long_text_is_read_only_up_to_its_bound() {
        let l = lexicon(&[("python", 0)]);
        let long = format!("{} Python", "x ".repeat(MAX_TEXT_BYTES));
        assert!(l.find_in_text(&long).is_empty());
        assert!(l.find_in_text("").is_empty());
        assert_eq!(truncate("日本", 4), "日");
        assert_eq!(l.lookup(&"p".repeat(MAX_TERM_BYTES + 1)), None);
    }
}
