//! Field-level validation errors, shared by the server and the browser.

use serde::{Deserialize, Serialize};

/// Why a field was rejected. Each variant is a translation key in the interface's locale files
/// (`errors.<snake_case>`), so that the message reaches the user in their own language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    #[error("required")]
    Required,
    #[error("too short")]
    TooShort,
    #[error("too long")]
    TooLong,
    #[error("out of range")]
    OutOfRange,
    #[error("not one of the allowed values")]
    NotAllowed,
    #[error("invalid e-mail address")]
    InvalidEmail,
    #[error("e-mail already registered")]
    EmailTaken,
    #[error("password too common")]
    PasswordTooCommon,
    #[error("salary minimum above maximum")]
    SalaryMinAboveMax,
    #[error("unknown skill")]
    UnknownSkill,
    /// A search's skill that is no skill of the taxonomy: looked for as a word instead.
    #[error("not a known skill: searched as a word")]
    SearchedAsText,
    #[error("skill listed twice")]
    DuplicateSkill,
    #[error("not a number")]
    NotANumber,
    /// Not an amount of yen as [`crate::money::parse_yen`] reads them.
    #[error("not an amount")]
    NotAnAmount,
    /// Not a valid 13-digit corporate number (法人番号).
    #[error("invalid corporate number")]
    InvalidCorporateNumber,
    /// Not a web address.
    #[error("invalid website")]
    InvalidWebsite,
    /// Not a JPEG or PNG image of a size a photo can be.
    #[error("not a photo")]
    NotAPhoto,
    #[error("title needed in japanese or english")]
    TitleNeeded,
    #[error("not a date")]
    NotADate,
    #[error("date in the future")]
    DateInFuture,
    #[error("date before the previous step")]
    DateBeforePrevious,
    #[error("after the certificate of eligibility expired")]
    AfterCoeExpiry,
    #[error("start date before the offer")]
    StartBeforeOffer,
    #[error("one target per programme year")]
    YearsDoNotMatchHorizon,
    #[error("yearly targets do not add up to the total")]
    YearsDoNotAddUp,
    /// A NUL, another control character, or a bidirectional override (which can make a name
    /// read differently from what it is, e.g. `exe.pdf` shown for `fdp.exe`).
    #[error("contains control characters")]
    ControlCharacter,
    /// A date outside the years this platform deals in.
    #[error("date out of range")]
    DateOutOfRange,
    /// A reset link that is unknown, used, or expired.
    #[error("invalid or expired link")]
    InvalidToken,
    /// The current password, asked for before a change, is not the account's.
    #[error("wrong password")]
    WrongPassword,
    /// An attachment that is not a PDF (by its first bytes or its declared type).
    #[error("not a PDF")]
    NotAPdf,
    /// An interview time that has already passed.
    #[error("time in the past")]
    SlotInPast,
    /// The same interview time proposed twice.
    #[error("time proposed twice")]
    DuplicateSlot,
    /// Two proposed interview times closer than the interview's length.
    #[error("times overlap")]
    SlotsOverlap,
    /// A date that has already passed where only a future one makes sense.
    #[error("date in the past")]
    DateInPast,
}

impl Problem {
    /// The translation key for this problem, e.g. `too_short`.
    pub fn key(self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooShort => "too_short",
            Problem::TooLong => "too_long",
            Problem::OutOfRange => "out_of_range",
            Problem::NotAllowed => "not_allowed",
            Problem::InvalidEmail => "invalid_email",
            Problem::EmailTaken => "email_taken",
            Problem::PasswordTooCommon => "password_too_common",
            Problem::SalaryMinAboveMax => "salary_min_above_max",
            Problem::UnknownSkill => "unknown_skill",
            Problem::SearchedAsText => "searched_as_text",
            Problem::DuplicateSkill => "duplicate_skill",
            Problem::NotANumber => "not_a_number",
            Problem::NotAnAmount => "not_an_amount",
            Problem::InvalidCorporateNumber => "invalid_corporate_number",
            Problem::InvalidWebsite => "invalid_website",
            Problem::NotAPhoto => "not_a_photo",
            Problem::TitleNeeded => "title_needed",
            Problem::NotADate => "not_a_date",
            Problem::DateInFuture => "date_in_future",
            Problem::DateBeforePrevious => "date_before_previous",
            Problem::AfterCoeExpiry => "after_coe_expiry",
            Problem::StartBeforeOffer => "start_before_offer",
            Problem::YearsDoNotMatchHorizon => "years_do_not_match_horizon",
            Problem::YearsDoNotAddUp => "years_do_not_add_up",
            Problem::ControlCharacter => "control_character",
            Problem::DateOutOfRange => "date_out_of_range",
            Problem::InvalidToken => "invalid_token",
            Problem::WrongPassword => "wrong_password",
            Problem::NotAPdf => "not_a_pdf",
            Problem::SlotInPast => "slot_in_past",
            Problem::DuplicateSlot => "duplicate_slot",
            Problem::SlotsOverlap => "slots_overlap",
            Problem::DateInPast => "date_in_past",
        }
    }
}

/// One rejected field: its form name and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }
}

/// Collects every problem in a form at once, so the user fixes them in one pass.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the parsed value, or records the error against `field` and returns `None`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Problem>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(problem) => {
                self.errors.push(FieldError::new(field, problem));
                None
            }
        }
    }

    pub fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.errors.push(FieldError::new(field, problem));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when nothing was rejected, else every error in the order found.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// Trims `raw` and checks its length in characters (not bytes: Japanese and Hindi text is
/// three bytes a character in UTF-8). Line breaks and tabs are allowed (descriptions, notes);
/// other control characters and bidirectional overrides are not.
pub fn text(raw: &str, min: usize, max: usize) -> Result<String, Problem> {
    let trimmed = raw.trim();
    if trimmed.chars().any(is_forbidden_in_text) {
        return Err(Problem::ControlCharacter);
    }
    let chars = trimmed.chars().count();
    if chars == 0 && min > 0 {
        Err(Problem::Required)
    } else if chars < min {
        Err(Problem::TooShort)
    } else if chars > max {
        Err(Problem::TooLong)
    } else {
        Ok(trimmed.to_owned())
    }
}

/// Like [`text`], but an empty field is allowed and gives `None`.
pub fn optional_text(raw: &str, max: usize) -> Result<Option<String>, Problem> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        text(raw, 1, max).map(Some)
    }
}

/// One line of text: a name, a title, a headline. Like [`text`], and no line breaks or tabs.
pub fn line(raw: &str, min: usize, max: usize) -> Result<String, Problem> {
    if raw.trim().chars().any(|c| matches!(c, '\n' | '\r' | '\t')) {
        return Err(Problem::ControlCharacter);
    }
    text(raw, min, max)
}

/// Like [`line`], but an empty field is allowed and gives `None`.
pub fn optional_line(raw: &str, max: usize) -> Result<Option<String>, Problem> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        line(raw, 1, max).map(Some)
    }
}

/// Text that search and filters take from a query string: bounded and free of control
/// characters (a NUL makes PostgreSQL refuse the whole statement), but otherwise anything.
pub fn query_text(raw: &str, max: usize) -> Result<String, Problem> {
    if raw.trim().is_empty() {
        return Ok(String::new());
    }
    line(raw, 0, max)
}

/// Control characters other than line breaks and tabs, and the bidirectional embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069).
fn is_forbidden_in_text(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Parses a whole number written in a form (half- or full-width digits, commas allowed as
/// thousands separators) and checks it lies in `min..=max`.
pub fn integer(raw: &str, min: i64, max: i64) -> Result<i64, Problem> {
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| *c != ',' && *c != '，' && *c != '_')
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    if cleaned.is_empty() {
        return Err(Problem::Required);
    }
    let value: i64 = cleaned.parse().map_err(|_| Problem::NotANumber)?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(Problem::OutOfRange)
    }
}

/// The earliest and latest dates any form or filter takes: before the oldest person's birth and
/// after the last deadline the programme could set, and far inside what date arithmetic (and
/// both databases) can handle.
pub const EARLIEST_DATE: (i32, u32, u32) = (1900, 1, 1);
pub const LATEST_DATE: (i32, u32, u32) = (2200, 12, 31);

/// A calendar date written `YYYY-MM-DD` (as `<input type="date">` sends it), full-width digits
/// accepted, between [`EARLIEST_DATE`] and [`LATEST_DATE`].
pub fn date(raw: &str) -> Result<chrono::NaiveDate, Problem> {
    let cleaned: String = raw
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '/' => '-',
            _ => c,
        })
        .collect();
    if cleaned.is_empty() {
        return Err(Problem::Required);
    }
    let parsed =
        chrono::NaiveDate::parse_from_str(&cleaned, "%Y-%m-%d").map_err(|_| Problem::NotADate)?;
    let bound = |(y, m, d): (i32, u32, u32)| chrono::NaiveDate::from_ymd_opt(y, m, d);
    match (bound(EARLIEST_DATE), bound(LATEST_DATE)) {
        (Some(earliest), Some(latest)) if (earliest..=latest).contains(&parsed) => Ok(parsed),
        _ => Err(Problem::DateOutOfRange),
    }
}

/// Like [`integer`], but an empty field is allowed and gives `None`.
pub fn optional_integer(raw: &str, min: i64, max: i64) -> Result<Option<i64>, Problem> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        integer(raw, min, max).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_length_is_counted_in_characters_not_bytes() {
        assert_eq!(text("東京都", 3, 3), Ok("東京都".to_owned()));
        assert_eq!(text("नमस्ते", 1, 6), Ok("नमस्ते".to_owned()));
        assert_eq!(text("東京都", 1, 2), Err(Problem::TooLong));
    }

    #[test]
    fn blank_text_is_required_and_surrounding_space_is_trimmed() {
        assert_eq!(text("   ", 1, 10), Err(Problem::Required));
        assert_eq!(text("  a ", 1, 10), Ok("a".to_owned()));
        assert_eq!(text("ab", 3, 10), Err(Problem::TooShort));
        assert_eq!(optional_text("  ", 10), Ok(None));
    }

    #[test]
    fn integers_accept_full_width_digits_and_thousands_separators() {
        assert_eq!(integer("６,０００,０００", 0, 10_000_000), Ok(6_000_000));
        assert_eq!(integer("6_000_000", 0, 10_000_000), Ok(6_000_000));
        assert_eq!(integer("abc", 0, 10), Err(Problem::NotANumber));
        assert_eq!(integer("11", 0, 10), Err(Problem::OutOfRange));
        assert_eq!(integer("-1", 0, 10), Err(Problem::OutOfRange));
        assert_eq!(integer("", 0, 10), Err(Problem::Required));
        assert_eq!(optional_integer(" ", 0, 10), Ok(None));
    }

    #[test]
    fn the_validator_reports_every_problem_in_order() {
        let mut v = Validator::new();
        assert_eq!(v.check("a", text("", 1, 3)), None);
        assert_eq!(v.check("b", integer("5", 0, 9)), Some(5));
        v.push("c", Problem::UnknownSkill);
        let errors = v.finish().unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::new("a", Problem::Required),
                FieldError::new("c", Problem::UnknownSkill)
            ]
        );
    }

    #[test]
    fn nul_control_and_bidirectional_override_characters_are_refused() {
        for bad in [
            "Priya\u{0}Sharma",
            "a\u{7}b",
            "a\u{1b}[31mred",
            "Tanaka\u{202E}gpj.exe",
            "\u{2066}isolate",
            "del\u{7f}",
            "next\u{85}line",
        ] {
            assert_eq!(text(bad, 0, 100), Err(Problem::ControlCharacter), "{bad:?}");
            assert_eq!(line(bad, 0, 100), Err(Problem::ControlCharacter), "{bad:?}");
        }
        assert_eq!(
            text("line one\nline two\tindented", 1, 100),
            Ok("line one\nline two\tindented".to_owned())
        );
        assert_eq!(
            line("Priya\nSharma", 1, 100),
            Err(Problem::ControlCharacter)
        );
        assert_eq!(optional_line(" ", 10), Ok(None));
        // joiners that Indic and emoji text need are not controls
        assert_eq!(line("क्\u{200D}ष", 1, 10), Ok("क्\u{200D}ष".to_owned()));
        assert_eq!(query_text("", 10), Ok(String::new()));
        assert_eq!(query_text("rust\u{0}", 10), Err(Problem::ControlCharacter));
    }

    #[test]
    fn dates_beyond_what_the_platform_deals_in_are_refused_not_computed_with() {
        assert_eq!(date("+262142-12-31"), Err(Problem::DateOutOfRange));
        assert_eq!(date("9999-12-31"), Err(Problem::DateOutOfRange));
        assert_eq!(date("1899-12-31"), Err(Problem::DateOutOfRange));
        assert_eq!(
            date("2026-04-01"),
            Ok(chrono::NaiveDate::from_ymd_opt(2026, 4, 1).unwrap())
        );
    }
}
