//! English stemming with a memory of the stems already made.
//!
//! Snowball stemming was an eighth of the time a rebuild of a million profiles spent (measured
//! with `perf`, BENCHMARKS.md), and the words of profiles repeat: "engineer", "embedded",
//! "experience" are stemmed again in nearly every one. The filter below gives the same stems as
//! tantivy's `Stemmer` (a test compares them) and keeps each word's stem in a map owned by the
//! analyser, so each indexing thread has its own and no lock is taken.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Words remembered per analyser before the memory starts again: a few megabytes at most,
/// which real text's vocabulary fills slowly (and a rebuild's segments replace the analysers
/// often).
const REMEMBERED: usize = 50_000;

/// A token filter stemming English words (lower-cased beforehand) as tantivy's `Stemmer` does.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedEnglishStemmer;

impl TokenFilter for CachedEnglishStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            stems: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    stems: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() > REMEMBERED {
            self.stems.clear();
        }
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

pub struct CachedStemmerStream<'a, T> {
    tail: T,
    stems: &'a mut FxHashMap<String, String>,
    stemmer: Stemmer,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.stems.get(&token.text) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                let word = std::mem::replace(&mut token.text, stem.clone());
                self.stems.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{
        Language, LowerCaser, SimpleTokenizer, Stemmer as TantivyStemmer, TextAnalyzer,
    };

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    #[test]
    fn the_stems_are_tantivys_the_first_time_and_every_time_after() {
        let mut ours = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedEnglishStemmer)
            .build();
        let mut theirs = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(TantivyStemmer::new(Language::English))
            .build();
        let texts = [
            "Embedded engineers designing embedded systems",
            "Engineering experience: 5 years engineering automotive ECUs",
            "Dogs are the bests! Running runners ran; generalisation, generously",
            "",
            "a i Rust rust RUST rusting",
        ];
        // twice over: the second pass reads every stem from the memory
        for text in texts.iter().chain(texts.iter()) {
            assert_eq!(
                tokens(&mut ours, text),
                tokens(&mut theirs, text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_memory_starts_again_when_full_and_the_stems_stay_right() {
        let mut filter = CachedEnglishStemmer.transform(SimpleTokenizer::default());
        let words: Vec<String> = (0..REMEMBERED + 10)
            .map(|i| format!("working{i}s"))
            .collect();
        let text = words.join(" ");
        {
            let mut stream = filter.token_stream(&text);
            while stream.advance() {}
        }
        assert!(filter.stems.len() > REMEMBERED);
        {
            let mut stream = filter.token_stream("engineers");
            assert!(stream.advance());
            assert_eq!(stream.token().text, "engin");
        }
        assert_eq!(filter.stems.len(), 1);
    }
}
