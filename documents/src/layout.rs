//! A small page layout: text measured with the font's own advances, lines broken between words
//! and between Japanese characters (never before 、。」 and the like), flowed onto A4 pages as a
//! display list. Drawing the list into a PDF is [`crate::pdf`]'s job, so that layout is tested
//! without a PDF.

use std::sync::Arc;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 42.0;

/// The two typefaces a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// 明朝 (serif): body text of the Japanese documents.
    Mincho,
    /// ゴシック (sans-serif): headings, and the English CV.
    Gothic,
}

/// A font's bytes, read for measuring, with the font that sets what it lacks (Devanagari:
/// the Japanese faces have none).
#[derive(Clone)]
pub struct FontData {
    pub bytes: Arc<Vec<u8>>,
    pub fallback: Option<Arc<Vec<u8>>>,
}

/// Which font of a [`FontData`] sets a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setter {
    Primary,
    Fallback,
}

impl FontData {
    pub fn new(bytes: Arc<Vec<u8>>, fallback: Option<Arc<Vec<u8>>>) -> FontData {
        FontData { bytes, fallback }
    }

    /// The width of `text` at `size` points: the sum of the glyphs' advances, each from the
    /// font that sets it (a character neither has is counted one em, as its replacement glyph
    /// roughly is).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.runs(text)
            .iter()
            .map(|(setter, run)| self.run_width(*setter, run, size))
            .sum()
    }

    fn font(&self, setter: Setter) -> Option<FontRef<'_>> {
        match setter {
            Setter::Primary => FontRef::new(self.bytes.as_slice()).ok(),
            Setter::Fallback => self
                .fallback
                .as_ref()
                .and_then(|f| FontRef::new(f.as_slice()).ok()),
        }
    }

    /// The width of a run set by one font.
    pub fn run_width(&self, setter: Setter, text: &str, size: f32) -> f32 {
        let Some(font) = self.font(setter) else {
            return size * text.chars().count() as f32;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                charmap
                    .map(c)
                    .and_then(|glyph| metrics.advance_width(glyph))
                    .unwrap_or(size)
            })
            .sum()
    }

    /// `text` cut into runs, each set by one font: the fallback's where the primary lacks a
    /// character the fallback has. Spaces and marks stay in the run they are in, so a syllable
    /// is never split between fonts.
    pub fn runs(&self, text: &str) -> Vec<(Setter, String)> {
        let primary = FontRef::new(self.bytes.as_slice()).ok();
        let fallback = self.font(Setter::Fallback);
        let has = |font: &Option<FontRef>, c: char| {
            font.as_ref().is_some_and(|f| f.charmap().map(c).is_some())
        };
        let mut runs: Vec<(Setter, String)> = Vec::new();
        for c in text.chars() {
            let neutral = c.is_whitespace() || is_mark(c);
            let setter = if !has(&primary, c) && has(&fallback, c) {
                Setter::Fallback
            } else {
                Setter::Primary
            };
            match runs.last_mut() {
                Some((current, run)) if *current == setter || neutral => run.push(c),
                _ => runs.push((setter, c.to_string())),
            }
        }
        runs
    }
}

/// Combining marks of the Indic scripts (vowel signs, virama, nukta, anusvara) and the zero-width
/// joiners: they belong to the character before them.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{0951}'..='\u{0957}'
        | '\u{0962}'..='\u{0963}' | '\u{200C}'..='\u{200D}')
}

/// What is drawn, in points from the page's top-left corner (y down); text at its baseline.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
    },
    /// An image drawn into a box (its top-left corner and size).
    Image {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        photo: crate::photo::Photo,
    },
}

/// Characters a line may not start with (行頭禁則): closing brackets and punctuation.
const NO_LINE_START: &str =
    "、。，．,.)）」』】〕〉》」・：；:;!?！？ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々";

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// Splits text into pieces a line may break between: a Latin word with the spaces after it,
/// or one Japanese character (with a following no-line-start character kept to it).
fn pieces(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if NO_LINE_START.contains(c) && word.is_empty() {
            if let Some(last) = out.last_mut() {
                last.push(c);
                continue;
            }
        }
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(c.to_string());
        } else if c == ' ' {
            word.push(c);
            out.push(std::mem::take(&mut word));
        } else {
            if word.ends_with(' ') {
                out.push(std::mem::take(&mut word));
            }
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// `text` broken into lines no wider than `width`; its own line breaks kept. A word wider than
/// a line is broken between characters.
pub fn wrap(font: &FontData, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for piece in pieces(paragraph) {
            let candidate = format!("{line}{piece}");
            if line.is_empty() || font.width(candidate.trim_end(), size) <= width {
                line = candidate;
                // a single piece wider than the line: cut it by characters
                while font.width(line.trim_end(), size) > width && line.chars().count() > 1 {
                    let mut head = String::new();
                    for c in line.chars() {
                        if !head.is_empty() && font.width(&format!("{head}{c}"), size) > width {
                            break;
                        }
                        head.push(c);
                    }
                    line = line[head.len()..].to_owned();
                    lines.push(head.trim_end().to_owned());
                }
            } else {
                lines.push(line.trim_end().to_owned());
                line = piece.trim_start().to_owned();
            }
        }
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// Content flowed down A4 pages.
pub struct Flow<'a> {
    pub pages: Vec<Vec<Op>>,
    /// The baseline-free top of the next thing drawn.
    pub y: f32,
    fonts: &'a dyn Fn(Face) -> &'a FontData,
}

impl<'a> Flow<'a> {
    pub fn new(fonts: &'a dyn Fn(Face) -> &'a FontData) -> Flow<'a> {
        Flow {
            pages: vec![Vec::new()],
            y: MARGIN,
            fonts,
        }
    }

    pub fn left(&self) -> f32 {
        MARGIN
    }

    pub fn right(&self) -> f32 {
        PAGE_WIDTH - MARGIN
    }

    pub fn font(&self, face: Face) -> &'a FontData {
        (self.fonts)(face)
    }

    /// Room for `height` more points on this page, or a new page.
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > PAGE_HEIGHT - MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
            true
        } else {
            false
        }
    }

    pub fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// One line of text with its top at the current y, not moving down.
    pub fn text_at(&mut self, x: f32, size: f32, face: Face, text: &str) {
        self.push(Op::Text {
            x,
            y: self.y + size * 0.88,
            size,
            face,
            text: text.to_owned(),
        });
    }

    /// One line of text ending at `right`.
    pub fn text_right(&mut self, right: f32, size: f32, face: Face, text: &str) {
        let width = self.font(face).width(text, size);
        self.text_at(right - width, size, face, text);
    }

    /// One line of text centred between `left` and `right`.
    pub fn text_centred(&mut self, left: f32, right: f32, size: f32, face: Face, text: &str) {
        let width = self.font(face).width(text, size);
        self.text_at(left + (right - left - width) / 2.0, size, face, text);
    }

    /// Wrapped text between `left` and `right`, moving down; new pages as needed.
    pub fn paragraph(&mut self, left: f32, right: f32, size: f32, face: Face, text: &str) {
        let leading = size * 1.5;
        for line in wrap(self.font(face), text, size, right - left) {
            self.ensure(leading);
            self.text_at(left, size, face, &line);
            self.y += leading;
        }
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32) {
        self.push(Op::Line { from, to, width });
    }

    /// A rectangle's four sides.
    pub fn frame(&mut self, left: f32, top: f32, right: f32, bottom: f32, width: f32) {
        self.line((left, top), (right, top), width);
        self.line((right, top), (right, bottom), width);
        self.line((right, bottom), (left, bottom), width);
        self.line((left, bottom), (left, top), width);
    }

    pub fn gap(&mut self, points: f32) {
        self.y += points;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devanagari_is_set_by_the_fallback_in_whole_syllables() {
        let ipaex = std::fs::read(crate::DEBIAN_GOTHIC);
        let lohit = std::fs::read(crate::DEBIAN_DEVANAGARI);
        let (Ok(ipaex), Ok(lohit)) = (ipaex, lohit) else {
            panic!("Debian's fonts-ipaexfont and fonts-lohit-deva (scripts/install-tools.sh)");
        };
        let font = FontData::new(Arc::new(ipaex), Some(Arc::new(lohit)));
        let runs = font.runs("組込み: बैटरी प्रबंधन (BMS)");
        assert_eq!(
            runs,
            vec![
                (Setter::Primary, "組込み: ".to_owned()),
                (Setter::Fallback, "बैटरी प्रबंधन ".to_owned()),
                (Setter::Primary, "(BMS)".to_owned()),
            ]
        );
        // measured with the font that sets it, not one em a character
        let hindi = font.width("प्रबंधन", 10.0);
        assert!(hindi > 5.0 && hindi < 10.0 * 7.0, "{hindi}");
        let alone = FontData::new(font.bytes.clone(), None);
        assert_eq!(
            alone.runs("प्रबंधन"),
            vec![(Setter::Primary, "प्रबंधन".to_owned())]
        );
    }

    #[test]
    fn text_breaks_between_words_and_between_japanese_characters() {
        assert_eq!(
            pieces("Body control modules"),
            vec!["Body ", "control ", "modules"]
        );
        assert_eq!(
            pieces("車載ソフト。開発"),
            vec!["車", "載", "ソ", "フ", "ト。", "開", "発"]
        );
        assert_eq!(pieces("AUTOSAR開発"), vec!["AUTOSAR", "開", "発"]);
    }
}
