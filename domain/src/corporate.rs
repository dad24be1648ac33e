//! Japan's corporate number (法人番号): thirteen digits the National Tax Agency gives every
//! company, published with its name and address, so that an administrator can check that an
//! employer is the company it says it is. The first digit is a check digit over the other
//! twelve.

use crate::validation::Problem;

/// The check digit of a corporate number's twelve base digits: 9 − (Σ Pₙ×Qₙ mod 9), Pₙ the n-th
/// digit counted from the right, Qₙ 1 for odd n and 2 for even n.
pub fn check_digit(base: &[u8; 12]) -> u8 {
    let sum: u32 = base
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 1 } else { 2 })
        .sum();
    9 - (sum % 9) as u8
}

/// Reads a corporate number as people write it (`1180301018771`, `1-1803-0101-8771`,
/// full-width digits); blank is `None`. Thirteen digits with a check digit that matches.
pub fn parse_corporate_number(raw: &str) -> Result<Option<String>, Problem> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, '-' | '‐' | '－' | ' ' | '\u{3000}'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::InvalidCorporateNumber);
    }
    let values: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    let mut base = [0u8; 12];
    base.copy_from_slice(&values[1..]);
    if check_digit(&base) == values[0] {
        Ok(Some(digits))
    } else {
        Err(Problem::InvalidCorporateNumber)
    }
}

/// Where the National Tax Agency publishes a corporate number's name and address.
pub fn lookup_url(number: &str) -> String {
    format!("https://www.houjin-bangou.nta.go.jp/henkorireki-johoto.html?selHouzinNo={number}")
}

/// Reads a company's website: an `http(s)://` address with a host, at most 200 characters, no
/// spaces or control characters; blank is `None`. A bare `example.co.jp` gets `https://`.
pub fn parse_website(raw: &str) -> Result<Option<String>, Problem> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let address = if trimmed.contains("://") {
        trimmed.to_owned()
    } else {
        format!("https://{trimmed}")
    };
    let lower = address.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or(Problem::InvalidWebsite)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if address.chars().count() > 200
        || !host_ok
        || address.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(Problem::InvalidWebsite);
    }
    Ok(Some(address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_numbers_pass_their_check_digit() {
        // トヨタ自動車, ソニーグループ, 国税庁 itself, as the NTA's site lists them
        for number in ["1180301018771", "5010401067252", "7000012050002"] {
            assert_eq!(
                parse_corporate_number(number),
                Ok(Some(number.to_owned())),
                "{number}"
            );
        }
    }

    #[test]
    fn numbers_are_read_as_people_write_them() {
        assert_eq!(
            parse_corporate_number("1-1803-0101-8771"),
            Ok(Some("1180301018771".to_owned()))
        );
        assert_eq!(
            parse_corporate_number("１１８０３０１０１８７７１"),
            Ok(Some("1180301018771".to_owned()))
        );
        assert_eq!(parse_corporate_number("  "), Ok(None));
    }

    #[test]
    fn a_mistyped_number_is_refused() {
        for wrong in [
            "2180301018771",  // check digit
            "1180301018717",  // two digits swapped
            "118030101877",   // twelve digits
            "11803010187711", // fourteen
            "118030101877a",
        ] {
            assert_eq!(
                parse_corporate_number(wrong),
                Err(Problem::InvalidCorporateNumber),
                "{wrong}"
            );
        }
    }

    #[test]
    fn every_single_digit_error_is_caught() {
        let number = b"1180301018771";
        for position in 0..13 {
            for replacement in b'0'..=b'9' {
                if replacement == number[position] {
                    continue;
                }
                let mut typo = *number;
                typo[position] = replacement;
                let typo = String::from_utf8(typo.to_vec()).unwrap();
                // a sum mod 9 cannot tell a 0 from a 9 (the one blind spot of this check)
                let undetectable =
                    matches!((number[position], replacement), (b'0', b'9') | (b'9', b'0'));
                if !undetectable {
                    assert!(parse_corporate_number(&typo).is_err(), "{typo}");
                }
            }
        }
    }

    #[test]
    fn websites_need_a_host_and_get_https_when_bare() {
        assert_eq!(
            parse_website("example.co.jp"),
            Ok(Some("https://example.co.jp".to_owned()))
        );
        assert_eq!(
            parse_website("http://hikari-ai.jp/about"),
            Ok(Some("http://hikari-ai.jp/about".to_owned()))
        );
        assert_eq!(parse_website(""), Ok(None));
        for wrong in [
            "javascript:alert(1)",
            "ftp://example.jp",
            "https://localhost",
            "https://exa mple.jp",
            "https://.jp",
            "https://",
        ] {
            assert_eq!(
                parse_website(wrong),
                Err(Problem::InvalidWebsite),
                "{wrong}"
            );
        }
        assert_eq!(
            parse_website(&format!("https://{}.jp", "a".repeat(200))),
            Err(Problem::InvalidWebsite)
        );
    }

    #[test]
    fn the_lookup_goes_to_the_tax_agency() {
        assert!(lookup_url("1180301018771").starts_with("https://www.houjin-bangou.nta.go.jp/"));
        assert!(lookup_url("1180301018771").ends_with("1180301018771"));
    }
}
