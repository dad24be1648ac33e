//! Interviews across India and Japan: the employer proposes up to [`MAX_SLOTS`] times, the
//! engineer picks one, either side may cancel and the employer may propose again (a
//! reschedule), each with a reason. Every time is kept in UTC and shown in the zone of the
//! person reading: India Standard Time to the engineer, Japan Standard Time to the employer,
//! and the reader's own zone beside them when it is neither. Neither country has daylight
//! saving, so both are fixed offsets all year.

use chrono::{DateTime, Duration, FixedOffset, Offset, Utc};
use serde::{Deserialize, Serialize};

use crate::pipeline::Party;
use crate::validation::{self, Problem, Validator};

/// The most times an employer proposes at once.
pub const MAX_SLOTS: usize = 5;
/// Bounds on an interview's length, in minutes.
pub const MIN_MINUTES: i64 = 15;
pub const MAX_MINUTES: i64 = 480;
/// How far ahead a time may be proposed.
pub const MAX_DAYS_AHEAD: i64 = 180;
/// How long the video link, telephone number or address may be.
pub const MAX_WHERE_CHARS: usize = 500;
/// How long a reason for cancelling or rescheduling may be.
pub const MAX_REASON_CHARS: usize = 1_000;
/// When the reminder goes: this long before the start.
pub const REMINDER_BEFORE: Duration = Duration::hours(24);

/// A time zone the programme's people read times in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Zone {
    /// India Standard Time, UTC+5:30.
    Ist,
    /// Japan Standard Time, UTC+9.
    Jst,
    /// Any other fixed offset east of UTC, in minutes (a browser's zone elsewhere).
    Offset(i32),
}

impl Zone {
    /// Minutes east of UTC.
    pub fn minutes_east(self) -> i32 {
        match self {
            Zone::Ist => 5 * 60 + 30,
            Zone::Jst => 9 * 60,
            Zone::Offset(minutes) => minutes,
        }
    }

    /// The zone of a fixed offset: IST and JST by name, any other as itself. Offsets beyond
    /// ±14 h (none exists) are clamped.
    pub fn from_minutes_east(minutes: i32) -> Zone {
        match minutes.clamp(-14 * 60, 14 * 60) {
            330 => Zone::Ist,
            540 => Zone::Jst,
            other => Zone::Offset(other),
        }
    }

    /// The zone each side reads in.
    pub fn of(party: Party) -> Zone {
        match party {
            Party::Engineer => Zone::Ist,
            Party::Employer => Zone::Jst,
        }
    }

    /// `IST`, `JST`, or `UTC+01:00`.
    pub fn label(self) -> String {
        match self {
            Zone::Ist => "IST".to_owned(),
            Zone::Jst => "JST".to_owned(),
            Zone::Offset(minutes) => {
                let sign = if minutes < 0 { '-' } else { '+' };
                let m = minutes.unsigned_abs();
                format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
            }
        }
    }

    fn offset(self) -> FixedOffset {
        let seconds = self.minutes_east().clamp(-14 * 60, 14 * 60) * 60;
        // always in range (chrono takes up to ±24 h)
        FixedOffset::east_opt(seconds).unwrap_or(Utc.fix())
    }

    /// `at` as read in this zone: "2026-12-10 06:30 IST".
    pub fn format(self, at: DateTime<Utc>) -> String {
        format!(
            "{} {}",
            at.with_timezone(&self.offset()).format("%Y-%m-%d %H:%M"),
            self.label()
        )
    }

    /// The wall-clock time typed in this zone as an instant (`2026-12-10T10:00`, as an HTML
    /// `datetime-local` field sends it).
    pub fn parse_local(self, raw: &str) -> Result<DateTime<Utc>, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| chrono::NaiveDateTime::parse_from_str(raw, f).ok())
            .ok_or(Problem::NotADate)?;
        naive
            .and_local_timezone(self.offset())
            .single()
            .map(|at| at.with_timezone(&Utc))
            .ok_or(Problem::NotADate)
    }
}

/// How the interview is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Video,
    Phone,
    OnSite,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Video, Format::Phone, Format::OnSite];

    pub fn code(self) -> &'static str {
        match self {
            Format::Video => "video",
            Format::Phone => "phone",
            Format::OnSite => "on_site",
        }
    }

    pub fn parse(code: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.code() == code.trim())
    }
}

/// Where an interview stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InterviewStatus {
    /// Times proposed, none picked yet.
    Proposed,
    /// The engineer picked a time.
    Scheduled,
    /// Called off by either side, with a reason.
    Cancelled,
}

impl InterviewStatus {
    pub fn code(self) -> &'static str {
        match self {
            InterviewStatus::Proposed => "proposed",
            InterviewStatus::Scheduled => "scheduled",
            InterviewStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<InterviewStatus> {
        [
            InterviewStatus::Proposed,
            InterviewStatus::Scheduled,
            InterviewStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// What someone asks of an interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterviewAction {
    /// The engineer takes one of the proposed times.
    Pick,
    /// The employer proposes new times for it (a reschedule), with a reason.
    Reschedule,
    /// Either side calls it off, with a reason.
    Cancel,
}

/// Whether `party` may take `action` on an interview at `status`; the reason why not is a
/// [`Problem::NotAllowed`].
pub fn may(party: Party, action: &InterviewAction, status: InterviewStatus) -> bool {
    use InterviewStatus::*;
    match action {
        InterviewAction::Pick => party == Party::Engineer && status == Proposed,
        InterviewAction::Reschedule => party == Party::Employer && status != Cancelled,
        InterviewAction::Cancel => status != Cancelled,
    }
}

/// A proposal as typed: times in the employer's zone (JST), the length, format and where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProposalDraft {
    /// Each a `datetime-local` value read in [`Zone::Jst`]; empty ones are skipped.
    pub slots: Vec<String>,
    pub minutes: String,
    /// `video`, `phone` or `on_site`.
    pub format: String,
    /// The video link, the number to call or the address.
    pub place: String,
}

/// A proposal that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Ascending, distinct, all in the future.
    pub slots: Vec<DateTime<Utc>>,
    pub minutes: i64,
    pub format: Format,
    pub place: Option<String>,
}

/// Checks a proposal at `now`: one to [`MAX_SLOTS`] distinct future times within
/// [`MAX_DAYS_AHEAD`] days, none overlapping another, a length of 15 minutes to 8 hours, a known
/// format. Every problem is reported, each against its field (`slots.2`, `minutes`, …).
pub fn check_proposal(
    draft: &ProposalDraft,
    now: DateTime<Utc>,
) -> Result<Proposal, Vec<validation::FieldError>> {
    let mut v = Validator::new();
    let minutes = v.check(
        "minutes",
        validation::integer(&draft.minutes, MIN_MINUTES, MAX_MINUTES),
    );
    let format = v.check(
        "format",
        Format::parse(&draft.format).ok_or(if draft.format.trim().is_empty() {
            Problem::Required
        } else {
            Problem::NotAllowed
        }),
    );
    let place = v
        .check(
            "place",
            validation::optional_line(&draft.place, MAX_WHERE_CHARS),
        )
        .flatten();
    let typed: Vec<(usize, &String)> = draft
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.trim().is_empty())
        .collect();
    if typed.is_empty() {
        v.push("slots", Problem::Required);
    } else if typed.len() > MAX_SLOTS {
        v.push("slots", Problem::TooLong);
    }
    let mut slots: Vec<DateTime<Utc>> = Vec::new();
    for (i, raw) in typed.into_iter().take(MAX_SLOTS) {
        let field = format!("slots.{i}");
        let Some(at) = v.check(&field, Zone::Jst.parse_local(raw)) else {
            continue;
        };
        if at <= now {
            v.push(field, Problem::SlotInPast);
        } else if at > now + Duration::days(MAX_DAYS_AHEAD) {
            v.push(field, Problem::DateOutOfRange);
        } else if slots.contains(&at) {
            v.push(field, Problem::DuplicateSlot);
        } else {
            slots.push(at);
        }
    }
    slots.sort();
    if let Some(minutes) = minutes {
        let length = Duration::minutes(minutes);
        if slots.windows(2).any(|w| w[0] + length > w[1]) {
            v.push("slots", Problem::SlotsOverlap);
        }
    }
    v.finish()?;
    match (minutes, format) {
        (Some(minutes), Some(format)) => Ok(Proposal {
            slots,
            minutes,
            format,
            place,
        }),
        // unreachable: each `None` above recorded an error
        _ => Err(vec![validation::FieldError::new(
            "minutes",
            Problem::Required,
        )]),
    }
}

/// A reason for a reschedule or a cancellation: required, bounded.
pub fn check_reason(raw: &str) -> Result<String, Problem> {
    validation::text(raw, 1, MAX_REASON_CHARS)
}

/// Whether the reminder for an interview starting at `starts_at` is due at `now`: within
/// [`REMINDER_BEFORE`] of the start and not yet begun.
pub fn reminder_due(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now < starts_at && starts_at - now <= REMINDER_BEFORE
}

/// How a slot reads to the person on `party`'s side, with their own zone added when the
/// browser's (`viewer`) is neither IST nor JST: "2026-12-10 10:00 JST (06:30 IST)".
pub fn describe_slot(at: DateTime<Utc>, party: Party, viewer: Option<Zone>) -> String {
    let own = Zone::of(party);
    let other = match party {
        Party::Engineer => Zone::Jst,
        Party::Employer => Zone::Ist,
    };
    let other_time = at
        .with_timezone(&other.offset())
        .format("%H:%M")
        .to_string();
    let mut text = format!("{} ({other_time} {})", own.format(at), other.label());
    if let Some(zone @ Zone::Offset(_)) = viewer {
        text.push_str(&format!(" · {}", zone.format(at)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    fn draft(slots: &[&str]) -> ProposalDraft {
        ProposalDraft {
            slots: slots.iter().map(|s| (*s).to_owned()).collect(),
            minutes: "60".into(),
            format: "video".into(),
            place: "https://meet.example.jp/abc".into(),
        }
    }

    fn fields(errors: &[validation::FieldError]) -> Vec<(&str, Problem)> {
        errors
            .iter()
            .map(|e| (e.field.as_str(), e.problem))
            .collect()
    }

    #[test]
    fn ten_in_tokyo_is_half_past_six_in_india() {
        let at = Zone::Jst.parse_local("2026-12-10T10:00").unwrap();
        assert_eq!(at, utc(2026, 12, 10, 1, 0));
        assert_eq!(Zone::Ist.format(at), "2026-12-10 06:30 IST");
        assert_eq!(Zone::Jst.format(at), "2026-12-10 10:00 JST");
        assert_eq!(
            describe_slot(at, Party::Engineer, None),
            "2026-12-10 06:30 IST (10:00 JST)"
        );
        assert_eq!(
            describe_slot(at, Party::Employer, Some(Zone::Ist)),
            "2026-12-10 10:00 JST (06:30 IST)"
        );
        // a reader in Berlin in winter (UTC+1) sees their own time too
        assert_eq!(
            describe_slot(at, Party::Employer, Some(Zone::from_minutes_east(60))),
            "2026-12-10 10:00 JST (06:30 IST) · 2026-12-10 02:00 UTC+01:00"
        );
    }

    #[test]
    fn an_early_morning_in_japan_is_the_previous_evening_in_india() {
        let at = Zone::Jst.parse_local("2026-12-10T02:00").unwrap();
        assert_eq!(Zone::Ist.format(at), "2026-12-09 22:30 IST");
        // and zones west of UTC read back the same instant
        let new_york = Zone::from_minutes_east(-300);
        assert_eq!(new_york.label(), "UTC-05:00");
        assert_eq!(new_york.parse_local("2026-12-09T12:00").unwrap(), at);
    }

    #[test]
    fn offsets_name_the_programme_zones() {
        assert_eq!(Zone::from_minutes_east(330), Zone::Ist);
        assert_eq!(Zone::from_minutes_east(540), Zone::Jst);
        assert_eq!(Zone::from_minutes_east(99_999), Zone::Offset(14 * 60));
        for party in [Party::Engineer, Party::Employer] {
            assert_ne!(Zone::of(party), Zone::Offset(0));
        }
    }

    #[test]
    fn a_proposal_is_sorted_and_checked() {
        let now = utc(2026, 12, 5, 0, 0);
        let ok =
            check_proposal(&draft(&["2026-12-11T14:00", "", "2026-12-10T10:00"]), now).unwrap();
        assert_eq!(ok.slots, [utc(2026, 12, 10, 1, 0), utc(2026, 12, 11, 5, 0)]);
        assert_eq!(ok.minutes, 60);
        assert_eq!(ok.format, Format::Video);
    }

    #[test]
    fn every_problem_of_a_proposal_is_named() {
        let now = utc(2026, 12, 5, 0, 0);
        let errors = check_proposal(
            &ProposalDraft {
                slots: vec![
                    "2026-12-01T10:00".into(),
                    "tomorrow".into(),
                    "2027-12-01T10:00".into(),
                    "2026-12-10T10:00".into(),
                    "2026-12-10T10:00".into(),
                ],
                minutes: "5".into(),
                format: "carrier pigeon".into(),
                place: "line\nbreak".into(),
            },
            now,
        )
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                ("minutes", Problem::OutOfRange),
                ("format", Problem::NotAllowed),
                ("place", Problem::ControlCharacter),
                ("slots.0", Problem::SlotInPast),
                ("slots.1", Problem::NotADate),
                ("slots.2", Problem::DateOutOfRange),
                ("slots.4", Problem::DuplicateSlot),
            ]
        );
    }

    #[test]
    fn no_times_too_many_times_and_overlapping_times_are_refused() {
        let now = utc(2026, 12, 5, 0, 0);
        let none = check_proposal(&draft(&["", " "]), now).unwrap_err();
        assert_eq!(fields(&none), [("slots", Problem::Required)]);
        let six: Vec<String> = (10..16).map(|d| format!("2026-12-{d}T10:00")).collect();
        let six: Vec<&str> = six.iter().map(String::as_str).collect();
        let many = check_proposal(&draft(&six), now).unwrap_err();
        assert_eq!(fields(&many), [("slots", Problem::TooLong)]);
        // an hour's interview at 10:00 and another at 10:30 cannot both be kept
        let overlap =
            check_proposal(&draft(&["2026-12-10T10:00", "2026-12-10T10:30"]), now).unwrap_err();
        assert_eq!(fields(&overlap), [("slots", Problem::SlotsOverlap)]);
        // back to back is fine
        assert!(check_proposal(&draft(&["2026-12-10T10:00", "2026-12-10T11:00"]), now).is_ok());
    }

    #[test]
    fn who_may_do_what() {
        use InterviewAction::*;
        use InterviewStatus::*;
        let table = [
            (Party::Engineer, Pick, Proposed, true),
            (Party::Engineer, Pick, Scheduled, false),
            (Party::Engineer, Pick, Cancelled, false),
            (Party::Employer, Pick, Proposed, false),
            (Party::Employer, Reschedule, Proposed, true),
            (Party::Employer, Reschedule, Scheduled, true),
            (Party::Employer, Reschedule, Cancelled, false),
            (Party::Engineer, Reschedule, Scheduled, false),
            (Party::Engineer, Cancel, Scheduled, true),
            (Party::Employer, Cancel, Proposed, true),
            (Party::Employer, Cancel, Cancelled, false),
            (Party::Engineer, Cancel, Cancelled, false),
        ];
        for (party, action, status, allowed) in table {
            assert_eq!(
                may(party, &action, status),
                allowed,
                "{party:?} {action:?} {status:?}"
            );
        }
    }

    #[test]
    fn the_reminder_is_due_in_the_last_day_only() {
        let start = utc(2026, 12, 10, 1, 0);
        assert!(!reminder_due(start, start - Duration::hours(25)));
        assert!(reminder_due(start, start - Duration::hours(24)));
        assert!(reminder_due(start, start - Duration::minutes(1)));
        assert!(!reminder_due(start, start));
        assert!(!reminder_due(start, start + Duration::hours(1)));
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert_eq!(check_reason("  "), Err(Problem::Required));
        assert_eq!(
            check_reason(&"x".repeat(MAX_REASON_CHARS + 1)),
            Err(Problem::TooLong)
        );
        assert_eq!(
            check_reason(" 体調不良のため "),
            Ok("体調不良のため".into())
        );
    }
}
