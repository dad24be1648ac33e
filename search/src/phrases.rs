//! The glossary's phrases, marked at indexing time where a text holds them.
//!
//! A query that names a glossary entry also looks for the entry's words in the other languages,
//! each as a whole: 組み込み finds a role that says "embedded systems", but not every role that
//! says "embedded" and "systems" apart. That used to be a tantivy phrase query over positions,
//! and building one reads both words' positions in every document holding both words: on the
//! engineer's role-search page it was 18% of the server's CPU (a `perf` profile, BENCHMARKS.md).
//!
//! Instead, each text is read a second time, into a field of its own, by an analyser that
//! keeps only a marker term for each glossary phrase the text holds ("embed\u{1f}system"), so a
//! phrase is one term to look up, and the text fields no longer keep positions at all (less to
//! write in a rebuild, less to read). The markers are a field apart so that they do not make
//! a text longer, which would rank it lower on its other words. A query builds the same marker
//! from the same phrase ([`marker`]): the phrases are the glossary's words read by the query's
//! own analysers, on both sides.

use std::collections::VecDeque;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Separates the words in a marker: a control character no analyser keeps in a word, so a
/// marker cannot be a word someone wrote.
const SEPARATOR: char = '\u{1f}';

/// The term that marks a phrase of `words`, each with its position from the first.
pub fn marker<S: AsRef<str>>(words: &[(usize, S)]) -> String {
    let mut marker = String::new();
    let mut next = 0;
    for (position, word) in words {
        // a word the analyser dropped inside the phrase (one too long) leaves an empty slot
        while next < *position {
            marker.push(SEPARATOR);
            next += 1;
        }
        if next > 0 {
            marker.push(SEPARATOR);
        }
        marker.push_str(word.as_ref());
        next = position + 1;
    }
    marker
}

/// One phrase: its words after the last, from nearest back, as (how many positions before the
/// last, word); and its marker.
#[derive(Debug, Clone)]
struct Phrase {
    before_last: Vec<(usize, String)>,
    marker: String,
}

/// What a word is to the phrases of a set.
#[derive(Debug, Default)]
struct WordUse {
    /// The phrases it ends.
    ends: Vec<Phrase>,
    /// Whether some phrase has it before its last word: only such words are remembered.
    leads: bool,
}

/// The phrases one analyser marks, looked up by their words: one look-up per token, with a
/// hash made for short words (Fx). Every word of every text indexed is looked up, and the
/// standard library's SipHash, here and in the stems' map, was 7% of a rebuild's time (`perf`,
/// BENCHMARKS.md).
#[derive(Debug, Default)]
pub struct PhraseSet {
    words: FxHashMap<String, WordUse>,
    /// The most positions any phrase spans before its last word: how far back a stream keeps
    /// words.
    reach: usize,
}

impl PhraseSet {
    /// The set of `phrases`, each its words with their positions from the first (as
    /// `analysis::terms_at` reads them); phrases of fewer than two words are left out.
    pub fn new(phrases: impl IntoIterator<Item = Vec<(usize, String)>>) -> PhraseSet {
        let mut set = PhraseSet::default();
        for words in phrases {
            let Some((last_at, last)) = words.last().cloned() else {
                continue;
            };
            if words.len() < 2 {
                continue;
            }
            let marker = marker(&words);
            let before_last: Vec<(usize, String)> = words[..words.len() - 1]
                .iter()
                .rev()
                .map(|(at, word)| (last_at - at, word.clone()))
                .collect();
            set.reach = set.reach.max(last_at);
            for (_, word) in &before_last {
                set.words.entry(word.clone()).or_default().leads = true;
            }
            let entry = &mut set.words.entry(last).or_default().ends;
            if !entry.iter().any(|p| p.marker == marker) {
                entry.push(Phrase {
                    before_last,
                    marker,
                });
            }
        }
        set
    }

    /// How many phrases the set marks.
    pub fn len(&self) -> usize {
        self.words.values().map(|w| w.ends.len()).sum()
    }

    /// Whether the set marks no phrase.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The token filter that keeps only markers: for each of a [`PhraseSet`]'s phrases a text
/// holds, its marker, at the position of its last word.
#[derive(Clone)]
pub struct MarkPhrases(pub Arc<PhraseSet>);

impl TokenFilter for MarkPhrases {
    type Tokenizer<T: Tokenizer> = MarkPhrasesFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MarkPhrasesFilter<T> {
        MarkPhrasesFilter {
            inner: tokenizer,
            phrases: self.0,
            recent: VecDeque::new(),
            markers: Vec::new(),
        }
    }
}

#[derive(Clone)]
pub struct MarkPhrasesFilter<T> {
    inner: T,
    phrases: Arc<PhraseSet>,
    /// The buffers of the stream below, kept between texts so that each field's value does
    /// not allocate them afresh.
    recent: VecDeque<(usize, String)>,
    markers: Vec<Token>,
}

impl<T: Tokenizer> Tokenizer for MarkPhrasesFilter<T> {
    type TokenStream<'a> = MarkPhrasesStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.markers.clear();
        self.recent.clear();
        MarkPhrasesStream {
            tail: self.inner.token_stream(text),
            phrases: &self.phrases,
            recent: &mut self.recent,
            markers: &mut self.markers,
            current: Token::default(),
        }
    }
}

pub struct MarkPhrasesStream<'a, T> {
    tail: T,
    phrases: &'a PhraseSet,
    /// The last words read (at most the set's reach), newest last.
    recent: &'a mut VecDeque<(usize, String)>,
    /// Markers still to hand out, last first.
    markers: &'a mut Vec<Token>,
    /// The marker handed out now.
    current: Token,
}

impl<T: TokenStream> MarkPhrasesStream<'_, T> {
    /// Whether the words before the current one (at `position`) are `before_last`.
    fn ends_here(&self, position: usize, before_last: &[(usize, String)]) -> bool {
        before_last.iter().all(|(back, word)| {
            position >= *back
                && self
                    .recent
                    .iter()
                    .any(|(at, w)| *at == position - back && w == word)
        })
    }

    /// Keeps the current word among the recent ones, forgetting the oldest beyond reach (its
    /// string is reused).
    fn remember(&mut self, position: usize, word: &str) {
        let reach = self.phrases.reach;
        if reach == 0 {
            return;
        }
        let mut slot = if self.recent.len() == reach {
            self.recent.pop_front().unwrap_or_default()
        } else {
            (0, String::new())
        };
        slot.0 = position;
        slot.1.clear();
        slot.1.push_str(word);
        self.recent.push_back(slot);
    }
}

impl<T: TokenStream> TokenStream for MarkPhrasesStream<'_, T> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(marker) = self.markers.pop() {
                self.current = marker;
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            let token = self.tail.token();
            let (position, from, to) = (token.position, token.offset_from, token.offset_to);
            // a word in no phrase is neither marked nor remembered: the ring of recent words
            // then holds the last `reach` words that matter, every one a phrase could need
            let Some(word_use) = self.phrases.words.get(&token.text) else {
                continue;
            };
            // handed out last first: pushed in reverse so the set's order is kept
            for phrase in word_use.ends.iter().rev() {
                if self.ends_here(position, &phrase.before_last) {
                    self.markers.push(Token {
                        offset_from: from,
                        offset_to: to,
                        position,
                        text: phrase.marker.clone(),
                        position_length: 1,
                    });
                }
            }
            if word_use.leads {
                let word = std::mem::take(&mut self.tail.token_mut().text);
                self.remember(position, &word);
                self.tail.token_mut().text = word;
            }
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    fn words(text: &str) -> Vec<(usize, String)> {
        text.split(' ')
            .enumerate()
            .map(|(i, w)| (i, w.to_owned()))
            .collect()
    }

    fn marked(phrases: &[&str], text: &str) -> Vec<(usize, String)> {
        let set = PhraseSet::new(phrases.iter().map(|p| words(p)));
        let mut analyser = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(MarkPhrases(Arc::new(set)))
            .build();
        let mut stream = analyser.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().position, stream.token().text.clone()));
        }
        out
    }

    #[test]
    fn a_marker_names_its_words_and_the_gaps_between_them() {
        assert_eq!(marker(&words("embed system")), "embed\u{1f}system");
        assert_eq!(marker(&[(0, "a"), (2, "b")]), "a\u{1f}\u{1f}b");
        assert_ne!(marker(&[(0, "a"), (2, "b")]), marker(&words("a b")));
    }

    #[test]
    fn each_phrase_is_marked_at_its_last_word_every_time_and_only_there() {
        let out = marked(
            &["embedded systems", "embedded systems engineer", "test"],
            "Embedded systems, embedded   systems engineer; systems embedded",
        );
        assert_eq!(
            out,
            vec![
                (1, "embedded\u{1f}systems".to_owned()),
                (3, "embedded\u{1f}systems".to_owned()),
                (4, "embedded\u{1f}systems\u{1f}engineer".to_owned()),
            ]
        );
        // a one-word "phrase" is a word, never marked
        assert_eq!(PhraseSet::new([words("test")]).len(), 0);
    }

    #[test]
    fn a_text_starts_afresh_and_a_phrase_longer_than_the_text_is_not_marked() {
        let set = Arc::new(PhraseSet::new([words("a b c"), words("b c")]));
        let mut analyser = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(MarkPhrases(set))
            .build();
        let read = |analyser: &mut TextAnalyzer, text: &str| {
            let mut stream = analyser.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        assert!(read(&mut analyser, "x y a b").is_empty());
        // the words of the text before ("a b") do not complete this one's "c"
        assert!(read(&mut analyser, "c").is_empty());
        assert_eq!(
            read(&mut analyser, "a b c"),
            vec!["a\u{1f}b\u{1f}c", "b\u{1f}c"]
        );
        assert_eq!(read(&mut analyser, "q b c"), vec!["b\u{1f}c"]);
    }

    /// Every phrase ending at each word, by its definition: each of its words at its place.
    fn marked_by_definition(phrases: &[&str], text: &str) -> Vec<(usize, String)> {
        let tokens: Vec<(usize, &str)> = text.split(' ').enumerate().collect();
        let mut out = Vec::new();
        for &(position, word) in &tokens {
            for phrase in phrases {
                let phrase = words(phrase);
                let span = phrase.len() - 1;
                if phrase[span].1 != word || position < span {
                    continue;
                }
                let holds = phrase
                    .iter()
                    .all(|(at, w)| tokens[position - span + at].1 == w.as_str());
                let marker = marker(&phrase);
                if holds && !out.contains(&(position, marker.clone())) {
                    out.push((position, marker));
                }
            }
        }
        out
    }

    #[test]
    fn the_words_in_no_phrase_between_do_not_push_out_the_words_a_phrase_needs() {
        use rand::{Rng, SeedableRng};
        // phrases sharing words, reaching three words back; most of each text's words are in
        // no phrase, so only the phrases' own words may be remembered
        // ("e" only leads, "f" only ends)
        let phrases = ["a b", "a b c d", "c d", "b a", "d d", "b c", "e x a", "c f"];
        let vocabulary = ["a", "b", "c", "d", "e", "f", "x", "y", "z", "w", "v"];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(32);
        for _ in 0..2_000 {
            let length = rng.gen_range(1..40);
            let text: Vec<&str> = (0..length)
                .map(|_| vocabulary[rng.gen_range(0..vocabulary.len())])
                .collect();
            let text = text.join(" ");
            assert_eq!(
                marked(&phrases, &text),
                marked_by_definition(&phrases, &text),
                "{text}"
            );
        }
    }
}
