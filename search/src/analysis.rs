//! Text analysers, one per family of scripts, registered on the index under fixed names.
//!
//! tantivy's default tokenizer is wrong for both scripts Setubashi needs most: it keeps a
//! Japanese sentence as one token, and it cuts Devanagari words at the virama (्), since that
//! sign is not alphanumeric. Hence a morphological analyser for Japanese and Unicode word
//! segmentation (UAX #29) for Indic scripts.

use lindera::dictionary::Dictionary;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_tantivy::tokenizer::LinderaTokenizer;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
    TokenizerManager,
};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::phrases::{MarkPhrases, PhraseSet};

/// English (and other Latin-script text): words, lower case, Porter stemming.
pub const ENGLISH: &str = "setubashi_en";
/// Japanese: lindera with IPADIC (東京都 → 東京 / 都, so 京都 does not match it).
pub const JAPANESE: &str = "setubashi_ja";
/// Devanagari and the other Indic scripts: Unicode word boundaries, which keep conjuncts whole.
pub const INDIC: &str = "setubashi_indic";

/// Folds text before analysis: NFKC (full-width Latin and half-width katakana to their usual
/// forms), so `ＲＵＳＴ` and `Rust` index alike.
pub fn normalise(text: &str) -> String {
    // most text is already in the form (all ASCII is): checking is a fraction of rewriting,
    // which was a tenth of a rebuild's time
    match unicode_normalization::is_nfkc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_owned(),
        _ => text.nfkc().collect(),
    }
}

/// What each text is read with a second time, into a field of its own: the glossary's
/// phrases it holds, each as one marker term (`crate::phrases`).
pub const ENGLISH_PHRASES: &str = "setubashi_en_phrases";
pub const JAPANESE_PHRASES: &str = "setubashi_ja_phrases";
pub const INDIC_PHRASES: &str = "setubashi_indic_phrases";

/// Registers the three analysers, for the text fields and for queries.
pub fn register(manager: &TokenizerManager, ipadic: Dictionary) {
    manager.register(ENGLISH, english().build());
    manager.register(JAPANESE, japanese(ipadic).build());
    manager.register(INDIC, indic().build());
}

/// Registers the three analysers that keep only the phrases of each set (English, Japanese,
/// Indic) a text holds.
pub fn register_phrases(
    manager: &TokenizerManager,
    ipadic: Dictionary,
    phrases: [std::sync::Arc<PhraseSet>; 3],
) {
    let [en, ja, indic_phrases] = phrases;
    manager.register(ENGLISH_PHRASES, english().filter(MarkPhrases(en)).build());
    manager.register(
        JAPANESE_PHRASES,
        japanese(ipadic).filter(MarkPhrases(ja)).build(),
    );
    manager.register(
        INDIC_PHRASES,
        indic().filter(MarkPhrases(indic_phrases)).build(),
    );
}

fn english() -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(crate::stemming::CachedEnglishStemmer)
}

fn japanese(ipadic: Dictionary) -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    let segmenter = Segmenter::new(Mode::Normal, ipadic, None);
    TextAnalyzer::builder(LinderaTokenizer::from_segmenter(segmenter))
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
}

fn indic() -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(UnicodeWords)
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
}

/// Splits text into words by Unicode's word-boundary rules (UAX #29).
#[derive(Clone, Copy, Debug, Default)]
pub struct UnicodeWords;

/// The tokens of one text, handed out in order.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

impl Tokenizer for UnicodeWords {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = text
            .unicode_word_indices()
            .enumerate()
            .map(|(position, (offset, word))| Token {
                offset_from: offset,
                offset_to: offset + word.len(),
                position,
                text: word.to_owned(),
                position_length: 1,
            })
            .collect();
        VecTokenStream { tokens, next: 0 }
    }
}

/// The terms an analyser makes of a text (for tests and for explaining matches).
pub fn terms(manager: &TokenizerManager, analyser: &str, text: &str) -> Vec<String> {
    terms_at(manager, analyser, text)
        .into_iter()
        .map(|(_, term)| term)
        .collect()
}

/// The terms an analyser makes of a text, each with its position: what a phrase query of the
/// text looks for.
pub fn terms_at(manager: &TokenizerManager, analyser: &str, text: &str) -> Vec<(usize, String)> {
    let Some(mut analyzer) = manager.get(analyser) else {
        return Vec::new();
    };
    let normalised = normalise(text);
    let mut stream = analyzer.token_stream(&normalised);
    let mut out = Vec::new();
    while stream.advance() {
        let token = stream.token();
        out.push((token.position, token.text.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipadic;

    fn manager() -> TokenizerManager {
        let manager = TokenizerManager::default();
        register(&manager, crate::index::tests::shared_dictionary());
        manager
    }

    #[test]
    fn tantivys_default_tokenizer_fails_japanese_and_devanagari() {
        // the measured reason for our own analysers
        let manager = TokenizerManager::default();
        assert_eq!(
            terms(&manager, "default", "組み込みエンジニア募集").len(),
            1
        );
        let hindi = terms(&manager, "default", "मशीन लर्निंग");
        assert!(hindi.len() > 2, "the virama splits words: {hindi:?}");
        let _ = ipadic::DEBIAN_SOURCES;
    }

    #[test]
    fn japanese_is_segmented_into_words_and_kyoto_does_not_match_tokyo_to() {
        let m = manager();
        let words: Vec<String> = terms(&m, JAPANESE, "Rust エンジニア募集（東京都）")
            .into_iter()
            .filter(|t| t.chars().any(char::is_alphanumeric))
            .collect();
        assert_eq!(words, vec!["rust", "エンジニア", "募集", "東京", "都"]);
        let tokyo = terms(&m, JAPANESE, "東京都");
        assert!(!tokyo.contains(&"京都".to_owned()), "{tokyo:?}");
        assert!(terms(&m, JAPANESE, "京都").contains(&"京都".to_owned()));
    }

    #[test]
    fn devanagari_words_stay_whole() {
        let m = manager();
        assert_eq!(
            terms(&m, INDIC, "मशीन लर्निंग इंजीनियर"),
            vec!["मशीन", "लर्निंग", "इंजीनियर"]
        );
        assert_eq!(
            terms(&m, INDIC, "कृत्रिम बुद्धिमत्ता"),
            vec!["कृत्रिम", "बुद्धिमत्ता"]
        );
    }

    #[test]
    fn normalising_is_nfkc_whether_or_not_the_text_needed_it() {
        for text in [
            "",
            "Rust engineer",
            "ＲＵＳＴ　エンジニア",
            "ｶﾀｶﾅ",
            "組み込みエンジニア募集（東京都）",
            "मशीन लर्निंग इंजीनियर",
            "ﬁle ① ㍻ ｱﾞ",
            "e\u{301}cole",
        ] {
            let nfkc: String = text.nfkc().collect();
            assert_eq!(normalise(text), nfkc, "{text:?}");
        }
    }

    #[test]
    fn english_is_stemmed_and_full_width_latin_is_folded() {
        let m = manager();
        assert_eq!(
            terms(&m, ENGLISH, "Designing embedded systems"),
            vec!["design", "embed", "system"]
        );
        assert_eq!(terms(&m, ENGLISH, "ＲＵＳＴ"), vec!["rust"]);
    }
}
