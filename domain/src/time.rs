//! The programme's calendar: the legal clocks (a Certificate of Eligibility's validity, the
//! residence registration after arrival) run in Japan time, and so does "today" for every date a
//! person types. Japan has one time zone and no daylight saving: UTC+9 all year.
//!
//! India (UTC+5:30) is always behind Japan, so a date that is today anywhere in the programme is
//! never after today in Japan: checking "not in the future" against Japan's date refuses nothing
//! a person in either country could truthfully type (UTC's date did, from 00:00 to 09:00 in Japan).

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Japan's offset from UTC, the same all year.
pub const JST_OFFSET_HOURS: i64 = 9;

/// The date in Japan at the instant `at`.
pub fn japan_date(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(JST_OFFSET_HOURS)).date_naive()
}

/// A moment as both sides of the programme read it: Japan's time, and India's in brackets
/// ("2026-12-04 21:30 JST (18:00 IST)"). Neither zone has daylight saving.
pub fn format_jst_ist(at: DateTime<Utc>) -> String {
    let japan = at + Duration::hours(9);
    let india = at + Duration::minutes(5 * 60 + 30);
    format!(
        "{} JST ({} IST)",
        japan.format("%Y-%m-%d %H:%M"),
        india.format("%H:%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_date_in_japan_turns_at_fifteen_hundred_utc() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // 08:59 in Tokyo on 5 December is still 4 December in UTC
        assert_eq!(japan_date(utc(2026, 12, 4, 23, 59)), day(2026, 12, 5));
        assert_eq!(japan_date(utc(2026, 12, 4, 14, 59)), day(2026, 12, 4));
        assert_eq!(japan_date(utc(2026, 12, 4, 15, 0)), day(2026, 12, 5));
        // across a year, and on a leap day
        assert_eq!(japan_date(utc(2026, 12, 31, 15, 0)), day(2027, 1, 1));
        assert_eq!(japan_date(utc(2028, 2, 28, 15, 30)), day(2028, 2, 29));
    }

    #[test]
    fn japan_is_ahead_of_india_at_every_hour() {
        let ist = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
        for hour in 0..48 {
            let at = utc(2026, 12, 4, 0, 0) + chrono::Duration::minutes(30 * hour);
            assert!(
                at.with_timezone(&ist).date_naive() <= japan_date(at),
                "{at}"
            );
        }
    }

    #[test]
    fn a_moment_reads_in_japan_and_in_india() {
        let at = DateTime::parse_from_rfc3339("2026-12-04T12:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_jst_ist(at), "2026-12-04 21:30 JST (18:00 IST)");
        let late = DateTime::parse_from_rfc3339("2026-12-04T20:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_jst_ist(late), "2026-12-05 05:00 JST (01:30 IST)");
    }
}
