//! Yen amounts as people write and read them: Japanese counts large sums in 万 (10,000) and
//! 億 (100,000,000), so an annual salary is "600万円", not "6,000,000円"; English and Hindi
//! readers get `¥6,000,000`. Forms take either way of writing.

use crate::language::UiLanguage;
use crate::validation::Problem;

const MAN: i64 = 10_000;
const OKU: i64 = 100_000_000;

/// Reads a yen amount: `6000000`, `6,000,000`, `¥6,000,000`, `6,000,000円`, `600万`, `600万円`,
/// `750.5万円`, `1億2000万円`, `1億2千万`, `６００万` (full-width), `6.5M`, `6.5 million`.
/// Separators (`,`, `，`, `_`, spaces) are ignored; the amount must be whole yen within
/// `min..=max`.
pub fn parse_yen(raw: &str, min: i64, max: i64) -> Result<i64, Problem> {
    let text = normalise(raw);
    if text.is_empty() {
        return Err(Problem::Required);
    }
    let value = amount(&text).ok_or(Problem::NotAnAmount)?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(Problem::OutOfRange)
    }
}

/// [`parse_yen`] for a field that may be left empty.
pub fn parse_optional_yen(raw: &str, min: i64, max: i64) -> Result<Option<i64>, Problem> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse_yen(raw, min, max).map(Some)
    }
}

/// Full-width digits and signs to ASCII, separators and currency marks dropped, lower case.
fn normalise(raw: &str) -> String {
    let mut text: String = raw
        .trim()
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            ',' | '，' | '_' | '¥' | '￥' | '\u{a0}' | '\u{3000}' => None,
            c if c.is_whitespace() => None,
            c => Some(c.to_ascii_lowercase()),
        })
        .collect();
    for suffix in ["円", "yen", "jpy"] {
        if let Some(rest) = text.strip_suffix(suffix) {
            text = rest.to_owned();
        }
    }
    if let Some(rest) = text.strip_prefix("jpy") {
        text = rest.to_owned();
    }
    text
}

/// The value of a normalised amount, or `None` when it is not one.
fn amount(text: &str) -> Option<i64> {
    for (word, unit) in [("million", 1_000_000), ("m", 1_000_000)] {
        if let Some(number) = text.strip_suffix(word) {
            return scaled(number, unit);
        }
    }
    // a sum of parts, largest unit first: 1億2千万 = 1億 + 2千万; 650万5000 = 650万 + 5000
    let mut total: i64 = 0;
    let mut rest = text;
    let mut smallest_unit = None;
    for (marker, unit) in [('億', OKU), ('万', MAN)] {
        if let Some((head, tail)) = rest.split_once(marker) {
            total = total.checked_add(part(head, unit)?)?;
            smallest_unit = Some(unit);
            rest = tail;
        }
    }
    match smallest_unit {
        None => part(rest, 1),
        Some(_) if rest.is_empty() => Some(total),
        // what follows the smallest unit counts in yen and must be less than one 万
        Some(_) => match part(rest, 1)? {
            yen if yen < MAN => total.checked_add(yen),
            _ => None,
        },
    }
}

/// One part of an amount in `unit`s: digits with an optional decimal point (`750.5` 万), or
/// digits with 千 for thousands (`2千` 万); the result must be whole yen.
fn part(text: &str, unit: i64) -> Option<i64> {
    match text.split_once('千') {
        Some((thousands, below)) => {
            let thousands = if thousands.is_empty() {
                1
            } else {
                whole(thousands)?
            };
            let below = if below.is_empty() { 0 } else { whole(below)? };
            if below >= 1000 {
                return None;
            }
            thousands
                .checked_mul(1000)?
                .checked_add(below)?
                .checked_mul(unit)
        }
        None => scaled(text, unit),
    }
}

fn whole(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `number` × `unit`, where `number` may carry decimals as long as the result is whole yen
/// (`750.5` × 万 = 7,505,000; `0.00001` × 万 is refused).
fn scaled(number: &str, unit: i64) -> Option<i64> {
    let (int, frac) = match number.split_once('.') {
        None => return whole(number)?.checked_mul(unit),
        Some((int, frac)) => (int, frac),
    };
    if frac.is_empty() || frac.len() > 12 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int = if int.is_empty() { 0 } else { whole(int)? };
    let scale = 10i128.pow(frac.len() as u32);
    let frac: i128 = frac.parse().ok()?;
    let fraction_in_yen = frac * i128::from(unit);
    if fraction_in_yen % scale != 0 {
        return None;
    }
    let value = i128::from(int) * i128::from(unit) + fraction_in_yen / scale;
    i64::try_from(value).ok()
}

/// Groups digits by thousands: `6000000` → `6,000,000` (counts as well as yen).
pub fn grouped(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// `¥6,500,000`: how English and Hindi readers see an amount.
pub fn yen(amount: i64) -> String {
    if amount < 0 {
        format!("-¥{}", grouped(-amount))
    } else {
        format!("¥{}", grouped(amount))
    }
}

/// `600万円`, `1億2,000万円`, `650万5,000円`, `9,800円`: how a Japanese reader counts yen.
pub fn man_yen(amount: i64) -> String {
    if amount < 0 {
        return format!("-{}", man_yen(-amount));
    }
    let oku = amount / OKU;
    let man = amount % OKU / MAN;
    let rest = amount % MAN;
    let mut out = String::new();
    if oku > 0 {
        out.push_str(&format!("{}億", grouped(oku)));
    }
    if man > 0 {
        out.push_str(&format!("{}万", grouped(man)));
    }
    if rest > 0 || out.is_empty() {
        out.push_str(&grouped(rest));
    }
    out.push('円');
    out
}

/// An amount as the reader's language writes it.
pub fn format_yen(amount: i64, lang: UiLanguage) -> String {
    match lang {
        UiLanguage::Ja => man_yen(amount),
        UiLanguage::En | UiLanguage::Hi => yen(amount),
    }
}

/// A salary band, `600万〜800万円` or `¥6,000,000 – ¥8,000,000`.
pub fn format_band(min: i64, max: i64, lang: UiLanguage) -> String {
    match lang {
        UiLanguage::Ja if min % MAN == 0 && max % MAN == 0 && max < OKU => {
            format!("{}万〜{}", grouped(min / MAN), man_yen(max))
        }
        UiLanguage::Ja => format!("{}〜{}", man_yen(min), man_yen(max)),
        _ => format!("{} – {}", yen(min), yen(max)),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn read(raw: &str) -> Result<i64, Problem> {
        parse_yen(raw, 0, 10 * OKU)
    }

    #[test]
    fn plain_numbers_with_or_without_separators_and_signs() {
        for raw in [
            "6000000",
            "6,000,000",
            "¥6,000,000",
            "￥６，０００，０００",
            "6,000,000円",
            " 6 000 000 ",
            "JPY 6000000",
            "6000000 yen",
        ] {
            assert_eq!(read(raw), Ok(6_000_000), "{raw}");
        }
    }

    #[test]
    fn man_and_oku_as_japanese_writes_them() {
        let cases = [
            ("600万", 6_000_000),
            ("600万円", 6_000_000),
            ("750万円", 7_500_000),
            ("６００万円", 6_000_000),
            ("1,200万円", 12_000_000),
            ("750.5万円", 7_505_000),
            ("0.5万", 5_000),
            ("1億", 100_000_000),
            ("1億円", 100_000_000),
            ("1億2000万円", 120_000_000),
            ("1億2,000万", 120_000_000),
            ("1億2千万円", 120_000_000),
            ("1.5億", 150_000_000),
            ("650万5000円", 6_505_000),
            ("650万5,000円", 6_505_000),
            ("2千万", 20_000_000),
        ];
        for (raw, expected) in cases {
            assert_eq!(read(raw), Ok(expected), "{raw}");
        }
    }

    #[test]
    fn millions_as_english_writes_them() {
        assert_eq!(read("6.5M"), Ok(6_500_000));
        assert_eq!(read("6.5 million"), Ok(6_500_000));
        assert_eq!(read("7m"), Ok(7_000_000));
    }

    #[test]
    fn what_is_not_an_amount_says_so() {
        for raw in [
            "abc",
            "万",
            "億円",
            "600万万",
            "6.5.5",
            "600円万",
            "1万20000",
            "0.123456789万",
            "0.00001万",
            "-600万",
            "6e6",
            "600万ドル",
            "1千5百万",
        ] {
            assert_eq!(read(raw), Err(Problem::NotAnAmount), "{raw}");
        }
        assert_eq!(read("  "), Err(Problem::Required));
        assert_eq!(
            parse_yen("99万", 1_000_000, 100_000_000),
            Err(Problem::OutOfRange)
        );
        assert_eq!(read("99999999999億"), Err(Problem::NotAnAmount));
        assert_eq!(parse_optional_yen(" ", 0, 10), Ok(None));
        assert_eq!(parse_optional_yen("1万", 0, MAN), Ok(Some(MAN)));
    }

    #[test]
    fn japanese_readers_count_in_man_and_oku() {
        assert_eq!(man_yen(6_000_000), "600万円");
        assert_eq!(man_yen(12_000_000), "1,200万円");
        assert_eq!(man_yen(6_505_000), "650万5,000円");
        assert_eq!(man_yen(120_000_000), "1億2,000万円");
        assert_eq!(man_yen(100_000_000), "1億円");
        assert_eq!(man_yen(9_800), "9,800円");
        assert_eq!(man_yen(0), "0円");
        assert_eq!(format_yen(6_000_000, UiLanguage::Ja), "600万円");
        assert_eq!(format_yen(6_000_000, UiLanguage::En), "¥6,000,000");
        assert_eq!(format_yen(6_000_000, UiLanguage::Hi), "¥6,000,000");
    }

    #[test]
    fn bands_read_naturally_in_each_language() {
        assert_eq!(
            format_band(6_000_000, 8_000_000, UiLanguage::Ja),
            "600万〜800万円"
        );
        assert_eq!(
            format_band(6_000_000, 8_000_000, UiLanguage::En),
            "¥6,000,000 – ¥8,000,000"
        );
        assert_eq!(
            format_band(6_500_500, 8_000_000, UiLanguage::Ja),
            "650万500円〜800万円"
        );
    }

    #[test]
    fn yen_amounts_have_thousands_separators() {
        assert_eq!(yen(6_500_000), "¥6,500,000");
        assert_eq!(yen(999), "¥999");
        assert_eq!(yen(1_000), "¥1,000");
        assert_eq!(yen(0), "¥0");
        assert_eq!(yen(-1_000), "-¥1,000");
        assert_eq!(grouped(-1_234_567), "-1,234,567");
        assert_eq!(grouped(47), "47");
    }

    proptest! {
        #[test]
        fn what_is_shown_reads_back_as_the_same_amount(amount in 0i64..1_000_000_000_000) {
            prop_assert_eq!(parse_yen(&man_yen(amount), 0, i64::MAX), Ok(amount));
            prop_assert_eq!(parse_yen(&yen(amount), 0, i64::MAX), Ok(amount));
        }
    }
}
