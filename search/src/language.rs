//! Which language a text is in, and the language of each segment of mixed text.
//!
//! Script rules come first, since a script used by one language here settles it: kana is
//! Japanese; Kannada and Malayalam (which lingua does not support), Tamil, Telugu, Gujarati,
//! Gurmukhi and Bengali scripts are their languages; Latin script is English and Arabic script
//! Urdu among the languages served. lingua decides Devanagari, where Hindi and Marathi share the
//! script and many words; our own layer of function words and letters goes first.

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};
use serde::{Deserialize, Serialize};

/// A language Setubashi analyses, as an ISO 639-1 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Ja,
    Hi,
    Mr,
    Bn,
    Ta,
    Te,
    Kn,
    Ml,
    Gu,
    Pa,
    Ur,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::Hi => "hi",
            Lang::Mr => "mr",
            Lang::Bn => "bn",
            Lang::Ta => "ta",
            Lang::Te => "te",
            Lang::Kn => "kn",
            Lang::Ml => "ml",
            Lang::Gu => "gu",
            Lang::Pa => "pa",
            Lang::Ur => "ur",
        }
    }

    fn from_lingua(language: Language) -> Option<Lang> {
        Some(match language {
            Language::English => Lang::En,
            Language::Japanese => Lang::Ja,
            Language::Hindi => Lang::Hi,
            Language::Marathi => Lang::Mr,
            Language::Bengali => Lang::Bn,
            Language::Tamil => Lang::Ta,
            Language::Telugu => Lang::Te,
            Language::Gujarati => Lang::Gu,
            Language::Punjabi => Lang::Pa,
            Language::Urdu => Lang::Ur,
        })
    }
}

/// A run of text in one language: byte offsets into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub language: Lang,
}

/// The writing systems the rules tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Japanese,
    Devanagari,
    Bengali,
    Gurmukhi,
    Gujarati,
    Tamil,
    Telugu,
    Kannada,
    Malayalam,
    Arabic,
    /// Spaces, digits, punctuation: they join the run around them.
    Neutral,
}

fn script_of(c: char) -> Script {
    match c as u32 {
        0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0xFF66..=0xFF9F
        | 0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x3005 => Script::Japanese,
        0x0900..=0x097F | 0xA8E0..=0xA8FF => Script::Devanagari,
        0x0980..=0x09FF => Script::Bengali,
        0x0A00..=0x0A7F => Script::Gurmukhi,
        0x0A80..=0x0AFF => Script::Gujarati,
        0x0B80..=0x0BFF => Script::Tamil,
        0x0C00..=0x0C7F => Script::Telugu,
        0x0C80..=0x0CFF => Script::Kannada,
        0x0D00..=0x0D7F => Script::Malayalam,
        0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
        _ if c.is_alphabetic() => Script::Latin,
        _ => Script::Neutral,
    }
}

/// Marathi function words and the letter ळ, which Hindi rarely uses; Hindi function words that
/// Marathi does not use (a standalone ने is Hindi: Marathi writes it as a suffix). Counted over
/// whole words; chosen by reading the sentences lingua alone gets wrong (see BENCHMARKS.md).
const MARATHI_MARKERS: &[&str] = &[
    "आहे",
    "आहेत",
    "आणि",
    "नाही",
    "नाहीत",
    "मध्ये",
    "केले",
    "केली",
    "केल्या",
    "आम्ही",
    "आम्हीं",
    "तुम्ही",
    "त्यांनी",
    "च्या",
    "ची",
    "चा",
    "चे",
    "ला",
    "सुद्धा",
    "किंवा",
    "असं",
    "असे",
    "पण",
    "म्हणाला",
    "म्हणून",
    "झाला",
    "झाले",
    "झाली",
    "ह्या",
    "करत",
    "मी",
    "आता",
    "येथे",
    "तेव्हा",
    "पासून",
    "साठी",
    "होय",
    "व",
];
const HINDI_MARKERS: &[&str] = &[
    "है",
    "हैं",
    "और",
    "नहीं",
    "में",
    "का",
    "की",
    "के",
    "को",
    "से",
    "था",
    "थी",
    "थे",
    "हम",
    "आप",
    "उन्होंने",
    "भी",
    "यह",
    "वह",
    "ने",
    "हूँ",
    "गया",
    "गई",
    "लिए",
    "कि",
    "करना",
    "रहा",
    "रही",
    "जाएगा",
    "किया",
];
/// Word endings that only Marathi uses.
const MARATHI_SUFFIXES: &[&str] = &[
    "च्या",
    "मध्ये",
    "ांनी",
    "ाने",
    "ाचा",
    "ाची",
    "ाचे",
    "साठी",
    "ातील",
    "ांना",
];

/// Hindi or Marathi by function words, endings and letters, when they point one way.
fn devanagari_by_markers(text: &str) -> Option<Lang> {
    use unicode_segmentation::UnicodeSegmentation;
    let mut marathi = text.matches('ळ').count() as i32 * 2;
    let mut hindi = 0;
    for word in text.unicode_words() {
        if MARATHI_MARKERS.contains(&word)
            || MARATHI_SUFFIXES
                .iter()
                .any(|s| word.len() > s.len() && word.ends_with(s))
        {
            marathi += 1;
        }
        if HINDI_MARKERS.contains(&word) {
            hindi += 1;
        }
    }
    match marathi.cmp(&hindi) {
        std::cmp::Ordering::Greater => Some(Lang::Mr),
        std::cmp::Ordering::Less => Some(Lang::Hi),
        std::cmp::Ordering::Equal => None,
    }
}

/// Runs of one script: neutral characters join the run before them, or the one after at the
/// start (a text of neutral characters alone is one neutral run).
fn script_runs(text: &str) -> Vec<(usize, usize, Script)> {
    let bytes = text.as_bytes();
    let mut runs: Vec<(usize, usize, Script)> = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        // within a Latin run every ASCII byte, a letter or a neutral character joining it,
        // extends the run: skipped over at once (a profile's text is mostly such bytes)
        if let Some(last) = runs.last_mut().filter(|last| last.2 == Script::Latin) {
            let ascii = bytes[offset..].iter().take_while(|b| b.is_ascii()).count();
            if ascii > 0 {
                offset += ascii;
                last.1 = offset;
                continue;
            }
        }
        let Some(c) = text[offset..].chars().next() else {
            break;
        };
        offset = add_to_runs(&mut runs, offset, c);
    }
    runs
}

/// Adds the character at `offset` to the runs (extending the last, or starting one); returns
/// the offset after it.
fn add_to_runs(runs: &mut Vec<(usize, usize, Script)>, offset: usize, c: char) -> usize {
    let script = script_of(c);
    let end = offset + c.len_utf8();
    match runs.last_mut() {
        Some(last) if script == Script::Neutral || script == last.2 => last.1 = end,
        Some(last) if last.2 == Script::Neutral => {
            last.1 = end;
            last.2 = script;
        }
        _ => runs.push((offset, end, script)),
    }
    end
}

/// Which of the index's analysers reads a run of text: the Indic scripts share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analyser {
    English,
    Japanese,
    Indic,
}

impl Lang {
    /// The analyser text in this language is read with.
    pub fn analyser(self) -> Analyser {
        match self {
            Lang::En => Analyser::English,
            Lang::Ja => Analyser::Japanese,
            _ => Analyser::Indic,
        }
    }
}

/// Splits text into runs for the index's analysers, by script alone: the same runs as
/// [`Detector::segments`], each with its language's analyser. Which Devanagari language a run
/// is (Hindi or Marathi, lingua's work) does not change where it is indexed, so this never
/// asks; asking cost a tenth of a rebuild's time (BENCHMARKS.md).
pub fn analyser_runs(text: &str) -> Vec<(usize, usize, Analyser)> {
    if text.is_ascii() {
        return (!text.is_empty())
            .then_some((0, text.len(), Analyser::English))
            .into_iter()
            .collect();
    }
    script_runs(text)
        .into_iter()
        .map(|(start, end, script)| {
            let analyser = match script {
                Script::Latin | Script::Neutral => Analyser::English,
                Script::Japanese => Analyser::Japanese,
                _ => Analyser::Indic,
            };
            (start, end, analyser)
        })
        .collect()
}

/// Detects languages. Build once (the models load at construction) and share.
pub struct Detector {
    devanagari: LanguageDetector,
}

impl Default for Detector {
    fn default() -> Self {
        Self::new()
    }
}

impl Detector {
    pub fn new() -> Self {
        Self {
            devanagari: LanguageDetectorBuilder::from_languages(&[
                Language::Hindi,
                Language::Marathi,
            ])
            .with_preloaded_language_models()
            .build(),
        }
    }

    fn by_script(&self, script: Script, text: &str) -> Lang {
        match script {
            Script::Japanese => Lang::Ja,
            Script::Bengali => Lang::Bn,
            Script::Gurmukhi => Lang::Pa,
            Script::Gujarati => Lang::Gu,
            Script::Tamil => Lang::Ta,
            Script::Telugu => Lang::Te,
            Script::Kannada => Lang::Kn,
            Script::Malayalam => Lang::Ml,
            Script::Arabic => Lang::Ur,
            Script::Devanagari => devanagari_by_markers(text)
                .or_else(|| {
                    self.devanagari
                        .detect_language_of(text)
                        .and_then(Lang::from_lingua)
                })
                .unwrap_or(Lang::Hi),
            Script::Latin | Script::Neutral => Lang::En,
        }
    }

    /// Splits text into runs of one script (neutral characters join the run before them, or
    /// the one after at the start) and names each run's language.
    pub fn segments(&self, text: &str) -> Vec<Segment> {
        // ASCII is Latin letters and neutral characters: one English run
        if text.is_ascii() {
            return (!text.is_empty())
                .then_some(Segment {
                    start: 0,
                    end: text.len(),
                    language: Lang::En,
                })
                .into_iter()
                .collect();
        }
        self.segments_by_script(text)
    }

    fn segments_by_script(&self, text: &str) -> Vec<Segment> {
        let mut segments: Vec<Segment> = Vec::new();
        for (start, end, script) in script_runs(text) {
            let language = self.by_script(script, &text[start..end]);
            match segments.last_mut() {
                Some(last) if last.language == language => last.end = end,
                _ => segments.push(Segment {
                    start,
                    end,
                    language,
                }),
            }
        }
        segments
    }

    /// The language of most of the text (by characters); English for empty text.
    pub fn detect(&self, text: &str) -> Lang {
        let mut weights: Vec<(Lang, usize)> = Vec::new();
        for segment in self.segments(text) {
            let chars = text[segment.start..segment.end]
                .chars()
                .filter(|c| c.is_alphabetic())
                .count();
            match weights.iter_mut().find(|(l, _)| *l == segment.language) {
                Some(entry) => entry.1 += chars,
                None => weights.push((segment.language, chars)),
            }
        }
        // Japanese text quotes Latin product names, so Japanese wins any real share
        if let Some((_, ja)) = weights.iter().find(|(l, _)| *l == Lang::Ja) {
            if *ja > 0 {
                return Lang::Ja;
            }
        }
        weights
            .into_iter()
            .max_by_key(|(_, n)| *n)
            .map_or(Lang::En, |(l, _)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector() -> &'static Detector {
        static DETECTOR: std::sync::OnceLock<Detector> = std::sync::OnceLock::new();
        DETECTOR.get_or_init(Detector::new)
    }

    /// The runs' definition, a character at a time.
    fn script_runs_one_char_at_a_time(text: &str) -> Vec<(usize, usize, Script)> {
        let mut runs: Vec<(usize, usize, Script)> = Vec::new();
        for (offset, c) in text.char_indices() {
            add_to_runs(&mut runs, offset, c);
        }
        runs
    }

    #[test]
    fn script_runs_skipping_ascii_equal_the_runs_a_character_at_a_time() {
        // every kind of character, in every order up to a length: letters and neutral ones of
        // ASCII, Latin beyond ASCII, the scripts, and neutral characters beyond ASCII
        let alphabet = [
            'a', 'Z', ' ', '7', '.', 'é', '·', '五', 'カ', 'क', 'ব', 'த', 'ا', '।',
        ];
        let mut texts = vec![String::new()];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut bits = state;
            for _ in 0..(bits % 12) {
                bits /= 7;
                text.push(alphabet[(bits % alphabet.len() as u64) as usize]);
                bits /= alphabet.len() as u64;
                if bits == 0 {
                    bits = state.rotate_left(17);
                }
            }
            texts.push(text);
        }
        for text in &texts {
            assert_eq!(
                script_runs(text),
                script_runs_one_char_at_a_time(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_analysers_runs_are_the_detected_segments_with_their_languages_analysers() {
        let texts = [
            "",
            "   ",
            "Embedded software engineer · 9 years",
            "組み込みエンジニア (C/C++) 5年",
            "मैं बेंगलुरु में एम्बेडेड इंजीनियर हूं और जापान में काम करना चाहता हूं",
            "मी पुण्यात काम करतो आणि मला जपानमध्ये काम करायचे आहे",
            "  — Rust और 組み込み, then বাংলা, தமிழ், اردو and ಕನ್ನಡ.",
            "123 ५ 六",
            "Café résumé naïve",
        ];
        let d = detector();
        for text in texts {
            let expected: Vec<(usize, usize, Analyser)> = d
                .segments(text)
                .into_iter()
                .map(|s| (s.start, s.end, s.language.analyser()))
                .collect();
            assert_eq!(analyser_runs(text), expected, "{text}");
        }
    }

    #[test]
    fn scripts_with_one_language_here_are_decided_by_script() {
        let d = detector();
        assert_eq!(d.detect("ಕನ್ನಡ ತಂತ್ರಜ್ಞಾನ"), Lang::Kn);
        assert_eq!(d.detect("മലയാളം സാങ്കേതികവിദ്യ"), Lang::Ml);
        assert_eq!(d.detect("தமிழ் மென்பொருள் பொறியாளர்"), Lang::Ta);
        assert_eq!(d.detect("తెలుగు ఇంజనీర్"), Lang::Te);
        assert_eq!(d.detect("ગુજરાતી એન્જિનિયર"), Lang::Gu);
        assert_eq!(d.detect("ਪੰਜਾਬੀ ਇੰਜੀਨੀਅਰ"), Lang::Pa);
        assert_eq!(d.detect("বাংলা সফটওয়্যার"), Lang::Bn);
        assert_eq!(d.detect("組み込みエンジニア"), Lang::Ja);
        assert_eq!(d.detect("Embedded software engineer"), Lang::En);
        assert_eq!(d.detect(""), Lang::En);
    }

    #[test]
    fn ascii_text_is_one_english_segment_as_the_scripts_say() {
        let d = detector();
        for text in [
            "",
            " ",
            "123 - 456",
            "Rust",
            "Embedded C, RTOS; 5 years @ Bosch (Bengaluru)\nVerilog",
            "  leading spaces and a tab\t",
        ] {
            assert_eq!(d.segments(text), d.segments_by_script(text), "{text:?}");
        }
    }

    #[test]
    fn mixed_japanese_and_english_is_split_into_segments() {
        let d = detector();
        let text = "Javaエンジニア（Spring Boot）／東京";
        let segments = d.segments(text);
        let parts: Vec<(&str, Lang)> = segments
            .iter()
            .map(|s| (&text[s.start..s.end], s.language))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("Java", Lang::En),
                ("エンジニア（", Lang::Ja),
                ("Spring Boot）／", Lang::En),
                ("東京", Lang::Ja)
            ]
        );
        assert_eq!(d.detect(text), Lang::Ja);
        // segments cover the text exactly
        assert_eq!(segments.first().map(|s| s.start), Some(0));
        assert_eq!(segments.last().map(|s| s.end), Some(text.len()));
    }

    #[test]
    fn hindi_and_marathi_sentences_are_told_apart() {
        let d = detector();
        assert_eq!(
            d.detect("मैं एक सॉफ्टवेयर इंजीनियर हूँ और मुझे जापान में काम करना है।"),
            Lang::Hi
        );
        assert_eq!(
            d.detect("मी एक सॉफ्टवेअर अभियंता आहे आणि मला जपानमध्ये काम करायचे आहे."),
            Lang::Mr
        );
        assert_eq!(
            d.detect("हा प्रकल्प पुण्यातील कंपनीच्या शाळेत झाला होता."),
            Lang::Mr
        );
        assert_eq!(d.detect("यह परियोजना कंपनी के लिए बहुत महत्वपूर्ण थी।"), Lang::Hi);
    }

    #[test]
    fn urdu_is_recognised_by_its_script() {
        assert_eq!(detector().detect("سافٹ ویئر انجینئر"), Lang::Ur);
    }
}
