//! What the Japanese application documents need beyond the profile and the career: the
//! 履歴書's personal block (the name in katakana, address, telephone), the free-text boxes
//! (志望の動機, 本人希望記入欄, 職務要約, 自己PR), and how years are written (西暦 or 和暦).
//! Also the katakana a romanised Indian name is read as, offered for the person to confirm, and
//! what each document still lacks.

use serde::{Deserialize, Serialize};

use crate::career::{Career, YearMonth};
use crate::validation::{self, FieldError, Problem, Validator};

/// How a document writes years: 西暦 (2019年) or 和暦 (令和元年), the person's choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Era {
    #[default]
    Western,
    Japanese,
}

impl Era {
    pub fn code(self) -> &'static str {
        match self {
            Era::Western => "western",
            Era::Japanese => "japanese",
        }
    }

    pub fn parse(code: &str) -> Option<Era> {
        [Era::Western, Era::Japanese]
            .into_iter()
            .find(|e| e.code() == code)
    }
}

/// Japan's eras since 1926, newest first: (name, first day). A month is written in the era
/// that began in or before it (2019年4月 is 平成31年4月, 2019年5月 令和元年5月).
const ERAS: [(&str, (u16, u8, u8)); 3] = [
    ("令和", (2019, 5, 1)),
    ("平成", (1989, 1, 8)),
    ("昭和", (1926, 12, 25)),
];

/// A month's year in 和暦: "令和元年", "平成31年"; in 西暦 before 昭和.
pub fn japanese_year(month: YearMonth) -> String {
    for (name, (year, first_month, _)) in ERAS {
        if (month.year, month.month) >= (year, first_month) {
            let n = month.year - year + 1;
            return if n == 1 {
                format!("{name}元年")
            } else {
                format!("{name}{n}年")
            };
        }
    }
    format!("{}年", month.year)
}

/// A month's year as `era` writes it: "2019年" or "令和元年".
pub fn year_in(era: Era, month: YearMonth) -> String {
    match era {
        Era::Western => format!("{}年", month.year),
        Era::Japanese => japanese_year(month),
    }
}

/// The personal block and free-text boxes of the documents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDetails {
    /// The name in katakana (フリガナ), as the person confirmed it.
    pub name_kana: Option<String>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    /// 志望の動機・特技・アピールポイント.
    pub motivation: Option<String>,
    /// 本人希望記入欄: salary, role, place, start date; empty reads 貴社の規定に従います.
    pub wishes: Option<String>,
    /// 職務要約: three to five lines.
    pub career_summary: Option<String>,
    /// 自己PR.
    pub self_pr: Option<String>,
    #[serde(default)]
    pub era: Era,
}

/// The details form as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDetailsDraft {
    #[serde(default)]
    pub name_kana: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub motivation: String,
    #[serde(default)]
    pub wishes: String,
    #[serde(default)]
    pub career_summary: String,
    #[serde(default)]
    pub self_pr: String,
    #[serde(default)]
    pub era: String,
}

fn is_katakana_name(text: &str) -> bool {
    text.chars().all(|c| {
        matches!(c, '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | ' ' | '\u{3000}' | '＝')
    })
}

impl DocumentDetailsDraft {
    /// Checks every field; the katakana name must be katakana (spaces and ・ allowed).
    pub fn parse(&self) -> Result<DocumentDetails, Vec<FieldError>> {
        let mut v = Validator::new();
        let name_kana = v.check(
            "name_kana",
            validation::optional_line(&self.name_kana, 100).and_then(|kana| match kana {
                Some(k) if !is_katakana_name(&k) => Err(Problem::NotAllowed),
                other => Ok(other),
            }),
        );
        let postal_code = v.check(
            "postal_code",
            validation::optional_line(&self.postal_code, 12),
        );
        let address = v.check("address", validation::optional_line(&self.address, 200));
        let phone = v.check(
            "phone",
            validation::optional_line(&self.phone, 30).and_then(|phone| match phone {
                Some(p)
                    if !p.chars().all(|c| {
                        c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')')
                    }) =>
                {
                    Err(Problem::NotAllowed)
                }
                other => Ok(other),
            }),
        );
        let motivation = v.check(
            "motivation",
            validation::optional_text(&self.motivation, 2000),
        );
        let wishes = v.check("wishes", validation::optional_text(&self.wishes, 1000));
        let career_summary = v.check(
            "career_summary",
            validation::optional_text(&self.career_summary, 1000),
        );
        let self_pr = v.check("self_pr", validation::optional_text(&self.self_pr, 2000));
        let era = v.check(
            "era",
            match self.era.trim() {
                "" => Ok(Era::Western),
                code => Era::parse(code).ok_or(Problem::NotAllowed),
            },
        );
        v.finish()?;
        match (
            name_kana,
            postal_code,
            address,
            phone,
            motivation,
            wishes,
            career_summary,
            self_pr,
            era,
        ) {
            (
                Some(name_kana),
                Some(postal_code),
                Some(address),
                Some(phone),
                Some(motivation),
                Some(wishes),
                Some(career_summary),
                Some(self_pr),
                Some(era),
            ) => Ok(DocumentDetails {
                name_kana,
                postal_code,
                address,
                phone,
                motivation,
                wishes,
                career_summary,
                self_pr,
                era,
            }),
            _ => Err(vec![FieldError::new("form", Problem::Required)]),
        }
    }
}

impl DocumentDetails {
    /// The form's values.
    pub fn to_draft(&self) -> DocumentDetailsDraft {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        DocumentDetailsDraft {
            name_kana: text(&self.name_kana),
            postal_code: text(&self.postal_code),
            address: text(&self.address),
            phone: text(&self.phone),
            motivation: text(&self.motivation),
            wishes: text(&self.wishes),
            career_summary: text(&self.career_summary),
            self_pr: text(&self.self_pr),
            era: self.era.code().to_owned(),
        }
    }
}

/// One of the documents an engineer can download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 履歴書.
    Rirekisho,
    /// 職務経歴書.
    ShokumuKeirekisho,
    /// The same content as an English CV.
    Cv,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::Rirekisho,
        DocumentKind::ShokumuKeirekisho,
        DocumentKind::Cv,
    ];

    /// The name in URLs and files: `rirekisho`, `shokumu-keirekisho`, `cv`.
    pub fn slug(self) -> &'static str {
        match self {
            DocumentKind::Rirekisho => "rirekisho",
            DocumentKind::ShokumuKeirekisho => "shokumu-keirekisho",
            DocumentKind::Cv => "cv",
        }
    }

    pub fn from_slug(slug: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// Something a document would be printed without.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    NameKana,
    DateOfBirth,
    Address,
    Phone,
    Education,
    Employment,
    Motivation,
    CareerSummary,
    JobDescriptions,
    SelfPr,
}

impl Missing {
    pub fn code(self) -> &'static str {
        match self {
            Missing::NameKana => "name_kana",
            Missing::DateOfBirth => "date_of_birth",
            Missing::Address => "address",
            Missing::Phone => "phone",
            Missing::Education => "education",
            Missing::Employment => "employment",
            Missing::Motivation => "motivation",
            Missing::CareerSummary => "career_summary",
            Missing::JobDescriptions => "job_descriptions",
            Missing::SelfPr => "self_pr",
        }
    }
}

/// What `kind` lacks: the document is printed anyway, with those places empty.
pub fn missing_for(
    kind: DocumentKind,
    details: &DocumentDetails,
    career: &Career,
    has_date_of_birth: bool,
) -> Vec<Missing> {
    let mut missing = Vec::new();
    let mut need = |absent: bool, what: Missing| {
        if absent {
            missing.push(what);
        }
    };
    match kind {
        DocumentKind::Rirekisho => {
            need(details.name_kana.is_none(), Missing::NameKana);
            need(!has_date_of_birth, Missing::DateOfBirth);
            need(details.address.is_none(), Missing::Address);
            need(details.phone.is_none(), Missing::Phone);
            need(career.education.is_empty(), Missing::Education);
            need(career.employment.is_empty(), Missing::Employment);
            need(details.motivation.is_none(), Missing::Motivation);
        }
        DocumentKind::ShokumuKeirekisho | DocumentKind::Cv => {
            need(details.career_summary.is_none(), Missing::CareerSummary);
            need(career.employment.is_empty(), Missing::Employment);
            need(
                career.employment.iter().any(|j| j.description.is_none()),
                Missing::JobDescriptions,
            );
            need(details.self_pr.is_none(), Missing::SelfPr);
        }
    }
    missing
}

/// A katakana reading of a romanised name, word by word ("Priya Sharma" → "プリヤ シャルマ"),
/// from the spellings Indian names are romanised with: aspirates read as plain consonants
/// (bh → b), long vowels (aa, ee, oo) lengthened with ー, a doubled consonant as ッ, a consonant
/// without a vowel given ウ (オ after t and d), n before a consonant as ン. A suggestion only: the
/// person confirms or corrects it, since only they know how their name is said.
pub fn katakana_suggestion(romanised: &str) -> String {
    romanised
        .split_whitespace()
        .map(|word| word_to_katakana(&word.to_lowercase()))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Consonant onsets (longest first) and their kana row: (a, i, u, e, o), and the kana for the
/// consonant alone.
const ONSETS: [(&str, [&str; 5], &str); 33] = [
    ("chh", ["チャ", "チ", "チュ", "チェ", "チョ"], "チ"),
    ("sh", ["シャ", "シ", "シュ", "シェ", "ショ"], "シュ"),
    ("ch", ["チャ", "チ", "チュ", "チェ", "チョ"], "チ"),
    ("kh", ["カ", "キ", "ク", "ケ", "コ"], "ク"),
    ("gh", ["ガ", "ギ", "グ", "ゲ", "ゴ"], "グ"),
    ("jh", ["ジャ", "ジ", "ジュ", "ジェ", "ジョ"], "ジ"),
    ("th", ["タ", "ティ", "トゥ", "テ", "ト"], "ト"),
    ("dh", ["ダ", "ディ", "ドゥ", "デ", "ド"], "ド"),
    ("ph", ["パ", "ピ", "プ", "ペ", "ポ"], "プ"),
    ("bh", ["バ", "ビ", "ブ", "ベ", "ボ"], "ブ"),
    ("ny", ["ニャ", "ニ", "ニュ", "ニェ", "ニョ"], "ン"),
    ("k", ["カ", "キ", "ク", "ケ", "コ"], "ク"),
    ("g", ["ガ", "ギ", "グ", "ゲ", "ゴ"], "グ"),
    ("c", ["カ", "シ", "ク", "セ", "コ"], "ク"),
    ("j", ["ジャ", "ジ", "ジュ", "ジェ", "ジョ"], "ジ"),
    ("t", ["タ", "ティ", "トゥ", "テ", "ト"], "ト"),
    ("d", ["ダ", "ディ", "ドゥ", "デ", "ド"], "ド"),
    ("n", ["ナ", "ニ", "ヌ", "ネ", "ノ"], "ン"),
    ("p", ["パ", "ピ", "プ", "ペ", "ポ"], "プ"),
    ("b", ["バ", "ビ", "ブ", "ベ", "ボ"], "ブ"),
    ("m", ["マ", "ミ", "ム", "メ", "モ"], "ム"),
    ("y", ["ヤ", "イ", "ユ", "イェ", "ヨ"], "イ"),
    ("r", ["ラ", "リ", "ル", "レ", "ロ"], "ル"),
    ("l", ["ラ", "リ", "ル", "レ", "ロ"], "ル"),
    ("v", ["ヴァ", "ヴィ", "ヴ", "ヴェ", "ヴォ"], "ヴ"),
    ("w", ["ワ", "ウィ", "ウ", "ウェ", "ウォ"], "ウ"),
    ("s", ["サ", "シ", "ス", "セ", "ソ"], "ス"),
    ("z", ["ザ", "ジ", "ズ", "ゼ", "ゾ"], "ズ"),
    ("h", ["ハ", "ヒ", "フ", "ヘ", "ホ"], "フ"),
    ("f", ["ファ", "フィ", "フ", "フェ", "フォ"], "フ"),
    ("q", ["カ", "キ", "ク", "ケ", "コ"], "ク"),
    ("x", ["クサ", "クシ", "クス", "クセ", "クソ"], "クス"),
    ("", ["ア", "イ", "ウ", "エ", "オ"], ""),
];

fn vowel_index(c: char) -> Option<usize> {
    "aiueo".find(c)
}

fn word_to_katakana(word: &str) -> String {
    let chars: Vec<char> = word.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    let text: String = chars.iter().collect();
    let mut out = String::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        // a doubled consonant (Krishnappa, Bhatt) is a small ッ before the second
        let mut rest_chars = rest.chars();
        if let (Some(a), Some(b)) = (rest_chars.next(), rest_chars.next()) {
            if a == b && vowel_index(a).is_none() && a != 'n' {
                out.push('ッ');
                at += 1;
                continue;
            }
        }
        let (onset, row, alone) = ONSETS
            .iter()
            .find(|(onset, _, _)| rest.starts_with(onset))
            .map(|(o, r, a)| (*o, r, *a))
            .unwrap_or(("", &ONSETS[ONSETS.len() - 1].1, ""));
        let after = &rest[onset.len()..];
        match after.chars().next().and_then(vowel_index) {
            Some(vowel) => {
                out.push_str(row[vowel]);
                let mut used = onset.len() + 1;
                let next = after[1..].chars().next();
                // a long vowel: aa, ee/ii (read i), oo/uu (read u)
                let long = match (after.chars().next(), next) {
                    (Some('a'), Some('a')) | (Some('i'), Some('i')) | (Some('u'), Some('u')) => {
                        true
                    }
                    (Some('e'), Some('e')) | (Some('o'), Some('o')) => {
                        // "ee" is said ii, "oo" uu: replace the kana with the long one
                        let short = row[vowel];
                        out.truncate(out.len() - short.len());
                        out.push_str(row[if vowel == 3 { 1 } else { 2 }]);
                        true
                    }
                    _ => false,
                };
                if long {
                    out.push('ー');
                    used += 1;
                }
                at += used;
            }
            None if onset.is_empty() => at += rest.chars().next().map_or(1, char::len_utf8),
            None => {
                out.push_str(alone);
                at += onset.len();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(year: u16, month: u8) -> YearMonth {
        YearMonth::new(year, month).unwrap()
    }

    #[test]
    fn years_are_written_in_the_era_that_began_in_their_month() {
        assert_eq!(japanese_year(ym(2019, 4)), "平成31年");
        assert_eq!(japanese_year(ym(2019, 5)), "令和元年");
        assert_eq!(japanese_year(ym(2026, 12)), "令和8年");
        assert_eq!(japanese_year(ym(1989, 1)), "平成元年");
        assert_eq!(japanese_year(ym(1988, 12)), "昭和63年");
        assert_eq!(japanese_year(ym(1926, 11)), "1926年");
        assert_eq!(year_in(Era::Western, ym(2019, 5)), "2019年");
        assert_eq!(year_in(Era::Japanese, ym(2016, 4)), "平成28年");
    }

    #[test]
    fn indian_names_are_offered_a_katakana_reading() {
        for (name, kana) in [
            ("Priya Sharma", "プリヤ シャルマ"),
            ("Arjun Rao", "アルジュン ラオ"),
            ("Meera Iyer", "ミーラ イイェル"),
            ("Rahul", "ラフル"),
            ("Krishnappa", "クリシュナッパ"),
            ("Deepak Bhatt", "ディーパク バット"),
            ("Anand", "アナンド"),
            ("Sanjay Gupta", "サンジャイ グプタ"),
        ] {
            assert_eq!(katakana_suggestion(name), kana, "{name}");
        }
        assert_eq!(katakana_suggestion("  "), "");
        assert!(is_katakana_name(&katakana_suggestion(
            "Venkatesh Subramaniam"
        )));
    }

    #[test]
    fn the_details_are_checked_field_by_field() {
        let draft = DocumentDetailsDraft {
            name_kana: "プリヤ シャルマ".into(),
            phone: "+91 98450 12345".into(),
            era: "japanese".into(),
            ..Default::default()
        };
        let details = draft.parse().unwrap();
        assert_eq!(details.era, Era::Japanese);
        assert_eq!(details.to_draft().parse().unwrap(), details);
        let bad = DocumentDetailsDraft {
            name_kana: "Priya".into(),
            phone: "call me".into(),
            era: "showa".into(),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["name_kana", "phone", "era"]);
    }

    #[test]
    fn each_document_says_what_it_lacks() {
        let empty = DocumentDetails::default();
        let career = Career::default();
        assert_eq!(
            missing_for(DocumentKind::Rirekisho, &empty, &career, false),
            vec![
                Missing::NameKana,
                Missing::DateOfBirth,
                Missing::Address,
                Missing::Phone,
                Missing::Education,
                Missing::Employment,
                Missing::Motivation
            ]
        );
        let full = DocumentDetails {
            career_summary: Some("Eight years of automotive software.".into()),
            self_pr: Some("I ship.".into()),
            ..Default::default()
        };
        assert_eq!(
            missing_for(DocumentKind::Cv, &full, &career, true),
            vec![Missing::Employment]
        );
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::from_slug(kind.slug()), Some(kind));
        }
    }
}
