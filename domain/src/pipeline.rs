//! The mobility application's pipeline: its stages from application to registration as a
//! resident of Japan, who may make which move, the reasons an application closes, and what each
//! move must record (after `../shared/reference/pipeline.yaml`).
//!
//! An application is either open at a stage or closed with a reason (at the stage it had reached).
//! It moves forward one step at a time, except that screening may be skipped and interviews may
//! repeat. The engineer makes the moves that are theirs to make (accepting or declining an offer,
//! withdrawing, confirming arrival and registration); the employer makes the rest; visa steps
//! may be recorded by either side, since the engineer applies at the consulate but employers'
//! agents often track it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::hsp::VisaRoute;
use crate::validation::{self, FieldError, Problem, Validator};

/// A stage of the pipeline, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Applied,
    Screening,
    Shortlisted,
    /// May repeat: one move per round.
    Interview,
    OfferExtended,
    OfferAccepted,
    /// Certificate of Eligibility filed at the regional immigration bureau of the workplace.
    CoeFiled,
    CoeIssued,
    VisaApplied,
    VisaIssued,
    /// Residence card issued at the airport: the person counts toward the programme's target.
    Arrived,
    /// Moving-in notification made at the municipal office.
    ResidentRegistered,
}

impl Stage {
    pub const ALL: [Stage; 12] = [
        Stage::Applied,
        Stage::Screening,
        Stage::Shortlisted,
        Stage::Interview,
        Stage::OfferExtended,
        Stage::OfferAccepted,
        Stage::CoeFiled,
        Stage::CoeIssued,
        Stage::VisaApplied,
        Stage::VisaIssued,
        Stage::Arrived,
        Stage::ResidentRegistered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Applied => "applied",
            Stage::Screening => "screening",
            Stage::Shortlisted => "shortlisted",
            Stage::Interview => "interview",
            Stage::OfferExtended => "offer_extended",
            Stage::OfferAccepted => "offer_accepted",
            Stage::CoeFiled => "coe_filed",
            Stage::CoeIssued => "coe_issued",
            Stage::VisaApplied => "visa_applied",
            Stage::VisaIssued => "visa_issued",
            Stage::Arrived => "arrived",
            Stage::ResidentRegistered => "resident_registered",
        }
    }

    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The stage's position, 0 for `applied`.
    pub fn position(self) -> usize {
        self as usize
    }

    /// Whether a person at this stage is in Japan and counts toward the programme's target.
    pub fn counts_as_arrived(self) -> bool {
        self >= Stage::Arrived
    }
}

/// Why an application closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosingReason {
    RejectedByEmployer,
    CandidateWithdrew,
    CandidateDeclinedOffer,
    OfferRetracted,
    CoeDenied,
    CoeExpired,
    VisaRefused,
    RoleClosed,
    CandidateUnreachable,
}

impl ClosingReason {
    pub const ALL: [ClosingReason; 9] = [
        ClosingReason::RejectedByEmployer,
        ClosingReason::CandidateWithdrew,
        ClosingReason::CandidateDeclinedOffer,
        ClosingReason::OfferRetracted,
        ClosingReason::CoeDenied,
        ClosingReason::CoeExpired,
        ClosingReason::VisaRefused,
        ClosingReason::RoleClosed,
        ClosingReason::CandidateUnreachable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClosingReason::RejectedByEmployer => "rejected_by_employer",
            ClosingReason::CandidateWithdrew => "candidate_withdrew",
            ClosingReason::CandidateDeclinedOffer => "candidate_declined_offer",
            ClosingReason::OfferRetracted => "offer_retracted",
            ClosingReason::CoeDenied => "coe_denied",
            ClosingReason::CoeExpired => "coe_expired",
            ClosingReason::VisaRefused => "visa_refused",
            ClosingReason::RoleClosed => "role_closed",
            ClosingReason::CandidateUnreachable => "candidate_unreachable",
        }
    }

    pub fn parse(code: &str) -> Option<ClosingReason> {
        ClosingReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The two sides of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Engineer,
    Employer,
}

impl Party {
    pub fn code(self) -> &'static str {
        match self {
            Party::Engineer => "engineer",
            Party::Employer => "employer",
        }
    }

    pub fn other(self) -> Party {
        match self {
            Party::Engineer => Party::Employer,
            Party::Employer => Party::Engineer,
        }
    }
}

/// Where a move takes an application: a stage, or closed with a reason. Written as the stage's
/// or the reason's code, which never coincide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Stage(Stage),
    Closed(ClosingReason),
}

impl Target {
    pub fn code(self) -> &'static str {
        match self {
            Target::Stage(s) => s.code(),
            Target::Closed(r) => r.code(),
        }
    }

    pub fn parse(code: &str) -> Option<Target> {
        Stage::parse(code)
            .map(Target::Stage)
            .or_else(|| ClosingReason::parse(code).map(Target::Closed))
    }
}

/// Where an application is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// The furthest stage reached (for a closed application, the stage it closed at).
    pub stage: Stage,
    pub closed: Option<ClosingReason>,
}

impl Status {
    pub fn new_application() -> Status {
        Status {
            stage: Stage::Applied,
            closed: None,
        }
    }

    pub fn is_open(self) -> bool {
        self.closed.is_none() && self.stage != Stage::ResidentRegistered
    }

    /// The status after `target`.
    pub fn after(self, target: Target) -> Status {
        match target {
            Target::Stage(stage) => Status {
                stage,
                closed: None,
            },
            Target::Closed(reason) => Status {
                stage: self.stage,
                closed: Some(reason),
            },
        }
    }
}

/// Why a move is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    #[error("the application is closed")]
    Closed,
    #[error("the application has completed its path")]
    Completed,
    #[error("that step cannot follow the current one")]
    NotNext,
    #[error("that step is for the other side to take")]
    OtherSidesMove,
}

/// Which parties may move an open application from `from` to `target`; empty when the move does
/// not exist. The single table of the pipeline's rules.
pub fn movers(from: Stage, target: Target) -> &'static [Party] {
    use ClosingReason as R;
    use Party::{Employer as E, Engineer as C};
    use Stage as S;
    const EMPLOYER: &[Party] = &[E];
    const ENGINEER: &[Party] = &[C];
    const EITHER: &[Party] = &[E, C];
    const NOBODY: &[Party] = &[];
    match target {
        Target::Stage(to) => match (from, to) {
            (S::Applied, S::Screening | S::Shortlisted)
            | (S::Screening, S::Shortlisted)
            | (S::Shortlisted | S::Interview, S::Interview)
            | (S::Interview, S::OfferExtended)
            | (S::OfferAccepted, S::CoeFiled)
            | (S::CoeFiled, S::CoeIssued) => EMPLOYER,
            (S::OfferExtended, S::OfferAccepted)
            | (S::VisaIssued, S::Arrived)
            | (S::Arrived, S::ResidentRegistered) => ENGINEER,
            (S::CoeIssued, S::VisaApplied) | (S::VisaApplied, S::VisaIssued) => EITHER,
            _ => NOBODY,
        },
        Target::Closed(reason) => match reason {
            R::RejectedByEmployer | R::RoleClosed if from <= S::Interview => EMPLOYER,
            R::CandidateWithdrew if from < S::Arrived => ENGINEER,
            R::CandidateDeclinedOffer if from == S::OfferExtended => ENGINEER,
            R::OfferRetracted if (S::OfferExtended..=S::VisaIssued).contains(&from) => EMPLOYER,
            R::CoeDenied if from == S::CoeFiled => EMPLOYER,
            R::CoeExpired if (S::CoeIssued..=S::VisaIssued).contains(&from) => EITHER,
            R::VisaRefused if from == S::VisaApplied => EITHER,
            R::CandidateUnreachable if from < S::Arrived => EMPLOYER,
            _ => NOBODY,
        },
    }
}

/// Whether `party` may move an application at `status` to `target`.
pub fn check_move(status: Status, party: Party, target: Target) -> Result<(), Refusal> {
    if status.closed.is_some() {
        return Err(Refusal::Closed);
    }
    if status.stage == Stage::ResidentRegistered {
        return Err(Refusal::Completed);
    }
    let allowed = movers(status.stage, target);
    if allowed.is_empty() {
        Err(Refusal::NotNext)
    } else if allowed.contains(&party) {
        Ok(())
    } else {
        Err(Refusal::OtherSidesMove)
    }
}

/// Every move `party` may make now, forward stages first, in pipeline order.
pub fn moves_for(status: Status, party: Party) -> Vec<Target> {
    Stage::ALL
        .into_iter()
        .map(Target::Stage)
        .chain(ClosingReason::ALL.into_iter().map(Target::Closed))
        .filter(|target| check_move(status, party, *target).is_ok())
        .collect()
}

/// The next forward step and who takes it, for "what happens next" on the application page.
pub fn next_step(status: Status) -> Option<(Stage, &'static [Party])> {
    if !status.is_open() {
        return None;
    }
    Stage::ALL
        .into_iter()
        .filter(|s| *s > status.stage)
        .map(|s| (s, movers(status.stage, Target::Stage(s))))
        .find(|(_, who)| !who.is_empty())
}

/// How an interview was held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewFormat {
    Video,
    Onsite,
    Phone,
}

impl InterviewFormat {
    pub const ALL: [InterviewFormat; 3] = [
        InterviewFormat::Video,
        InterviewFormat::Onsite,
        InterviewFormat::Phone,
    ];
    pub fn code(self) -> &'static str {
        match self {
            InterviewFormat::Video => "video",
            InterviewFormat::Onsite => "onsite",
            InterviewFormat::Phone => "phone",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// The employment an offer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    /// 正社員
    Permanent,
    /// 契約社員
    FixedTerm,
}

impl EmploymentType {
    pub const ALL: [EmploymentType; 2] = [EmploymentType::Permanent, EmploymentType::FixedTerm];
    pub fn code(self) -> &'static str {
        match self {
            EmploymentType::Permanent => "permanent",
            EmploymentType::FixedTerm => "fixed_term",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// The offer recorded with `offer_extended`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub annual_salary_jpy: i64,
    pub employment_type: EmploymentType,
    pub start_date: NaiveDate,
}

/// The interview recorded with each `interview` move (the round is counted by the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewRecord {
    pub format: InterviewFormat,
    /// 1 (poor) to 5 (excellent); optional.
    pub rating: Option<u8>,
}

/// A move as typed in a form or sent to the API: every field a string, checked by [`MoveDraft::parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MoveDraft {
    /// A stage or closing reason code.
    pub to: String,
    /// The mover's note. An employer's is internal to the organisation (see [`Reader`]); an
    /// engineer's is written to the employer.
    pub note: String,
    /// What an employer tells the candidate with the move; the candidate reads it.
    pub message: String,
    /// When it happened (`YYYY-MM-DD`); today when blank.
    pub on: String,
    pub interview_format: String,
    pub rating: String,
    pub salary_jpy: String,
    pub employment_type: String,
    pub start_date: String,
    pub visa_route: String,
}

/// What the server knows about the application when it checks a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MoveContext {
    pub status: Status,
    pub today: NaiveDate,
    /// The date of the latest recorded step: a new step cannot predate it.
    pub last_step_on: NaiveDate,
    pub coe_issued_on: Option<NaiveDate>,
    /// The visa route the employer proposed with the offer, if any.
    pub proposed_visa_route: Option<VisaRoute>,
}

/// A checked move, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    #[serde(with = "target_code")]
    pub target: Target,
    pub note: Option<String>,
    pub message: Option<String>,
    pub on: NaiveDate,
    pub interview: Option<InterviewRecord>,
    pub offer: Option<Offer>,
    pub visa_route: Option<VisaRoute>,
}

mod target_code {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(target: &super::Target, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(target.code())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<super::Target, D::Error> {
        let code = String::deserialize(d)?;
        super::Target::parse(&code).ok_or_else(|| serde::de::Error::custom("unknown stage"))
    }
}

/// Why a move was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveError {
    Refused(Refusal),
    Invalid(Vec<FieldError>),
}

pub const NOTE_MAX_CHARS: usize = 2_000;

/// Who reads an application's history: one of its two sides, or the programme's
/// administrators (who oversee it and read everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Side(Party),
    Administrator,
}

/// Whether `reader` may read the internal record of a move made by `mover`: the note and the
/// interview rating. An employer's notes and ratings are the organisation's own assessment
/// («社内用メモ：日本語の会話はまだ弱い», 2 of 5) and never reach the candidate, who reads the
/// message addressed to them instead; an engineer's note is written to the employer, so both
/// sides read it. Everything else a move records (the stage, the day, an interview's round and
/// format, an offer's terms, the visa route) both sides read.
pub fn reads_internal_record(reader: Reader, mover: Party) -> bool {
    match reader {
        Reader::Administrator => true,
        Reader::Side(side) => side == mover || mover == Party::Engineer,
    }
}

/// The last day a Certificate of Eligibility issued on `issued_on` is valid: three months on.
pub fn coe_expires_on(issued_on: NaiveDate) -> NaiveDate {
    issued_on
        .checked_add_months(chrono::Months::new(3))
        .unwrap_or(NaiveDate::MAX)
}

/// Residence registration is due within 14 days of arrival.
pub fn registration_due_on(arrived_on: NaiveDate) -> NaiveDate {
    arrived_on + chrono::Days::new(14)
}

impl MoveDraft {
    /// Checks the move against the pipeline's rules and the details its target needs.
    pub fn parse(&self, party: Party, context: &MoveContext) -> Result<Move, MoveError> {
        let mut v = Validator::new();
        let Some(target) = Target::parse(self.to.trim()) else {
            v.push("to", Problem::NotAllowed);
            return Err(MoveError::Invalid(v.finish().err().unwrap_or_default()));
        };
        check_move(context.status, party, target).map_err(MoveError::Refused)?;

        let note = v.check(
            "note",
            validation::optional_text(&self.note, NOTE_MAX_CHARS),
        );
        if matches!(target, Target::Closed(ClosingReason::CandidateWithdrew))
            && matches!(note, Some(None))
        {
            // withdrawing asks for a reason, so the employer learns why
            v.push("note", Problem::Required);
        }
        let message = v.check(
            "message",
            validation::optional_text(&self.message, NOTE_MAX_CHARS),
        );
        if party == Party::Engineer && matches!(message, Some(Some(_))) {
            // an engineer's note already goes to the employer: there is no second channel
            v.push("message", Problem::NotAllowed);
        }
        let on = if self.on.trim().is_empty() {
            Some(context.today)
        } else {
            v.check("on", validation::date(&self.on))
        };
        if let Some(on) = on {
            if on > context.today {
                v.push("on", Problem::DateInFuture);
            } else if on < context.last_step_on {
                v.push("on", Problem::DateBeforePrevious);
            } else if let (Target::Stage(Stage::VisaIssued | Stage::Arrived), Some(issued)) =
                (target, context.coe_issued_on)
            {
                // the visa and the entry must both fall inside the certificate's validity
                if on > coe_expires_on(issued) {
                    v.push("on", Problem::AfterCoeExpiry);
                }
            }
        }

        let interview = match target {
            Target::Stage(Stage::Interview) => {
                let format = v.check(
                    "interview_format",
                    InterviewFormat::parse(self.interview_format.trim()).ok_or(Problem::NotAllowed),
                );
                let rating = v.check("rating", validation::optional_integer(&self.rating, 1, 5));
                format.zip(rating).map(|(format, rating)| InterviewRecord {
                    format,
                    rating: rating.map(|r| r as u8),
                })
            }
            _ => None,
        };
        let offer = match target {
            Target::Stage(Stage::OfferExtended) => {
                let salary = v.check(
                    "salary_jpy",
                    crate::money::parse_yen(&self.salary_jpy, 1_000_000, 100_000_000),
                );
                let employment = v.check(
                    "employment_type",
                    EmploymentType::parse(self.employment_type.trim()).ok_or(Problem::NotAllowed),
                );
                let start = v.check("start_date", validation::date(&self.start_date));
                if let (Some(start), Some(on)) = (start, on) {
                    if start < on {
                        v.push("start_date", Problem::StartBeforeOffer);
                    }
                }
                match (salary, employment, start) {
                    (Some(annual_salary_jpy), Some(employment_type), Some(start_date)) => {
                        Some(Offer {
                            annual_salary_jpy,
                            employment_type,
                            start_date,
                        })
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let visa_route = match (target, self.visa_route.trim()) {
            // accepting without choosing takes the route the offer proposed
            (Target::Stage(Stage::OfferAccepted), "") if context.proposed_visa_route.is_some() => {
                context.proposed_visa_route
            }
            (Target::Stage(Stage::OfferAccepted), code) => v.check(
                "visa_route",
                parse_visa_route(code).ok_or(Problem::NotAllowed),
            ),
            // an offer may propose a route
            (Target::Stage(Stage::OfferExtended), "") => None,
            (Target::Stage(Stage::OfferExtended), code) => v.check(
                "visa_route",
                parse_visa_route(code).ok_or(Problem::NotAllowed),
            ),
            _ => None,
        };

        match (v.finish(), note, on) {
            (Ok(()), Some(note), Some(on)) => Ok(Move {
                target,
                note,
                message: message.flatten(),
                on,
                interview,
                offer,
                visa_route,
            }),
            (Err(errors), _, _) => Err(MoveError::Invalid(errors)),
            // every None above has pushed an error
            _ => Err(MoveError::Invalid(Vec::new())),
        }
    }
}

pub fn visa_route_code(route: VisaRoute) -> &'static str {
    match route {
        VisaRoute::EngineerSpecialist => "engineer_specialist",
        VisaRoute::HighlySkilledProfessional => "highly_skilled_professional",
    }
}

pub fn parse_visa_route(code: &str) -> Option<VisaRoute> {
    [
        VisaRoute::EngineerSpecialist,
        VisaRoute::HighlySkilledProfessional,
    ]
    .into_iter()
    .find(|r| visa_route_code(*r) == code)
}

/// A legal deadline that applies to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    /// The visa and the entry into Japan must both happen before the certificate expires.
    CoeValidity,
    /// The moving-in notification is due 14 days after arrival.
    ResidentRegistration,
}

/// How a deadline stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ClockState {
    /// Comfortably ahead.
    Running { days_left: i64 },
    /// Inside a warning window (30, 14 or 7 days).
    Warning { days_left: i64, window: i64 },
    /// The deadline passed without what it asked for.
    Overdue { days_over: i64 },
    /// What it asked for happened in time.
    Met,
}

/// A deadline and how it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub kind: ClockKind,
    pub due: NaiveDate,
    pub state: ClockState,
}

/// Warning windows before a deadline, in days, widest first.
pub const WARNING_WINDOWS: [i64; 3] = [30, 14, 7];

/// The dates the clocks run on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDates {
    pub coe_issued_on: Option<NaiveDate>,
    pub visa_issued_on: Option<NaiveDate>,
    pub arrived_on: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
}

fn running(due: NaiveDate, today: NaiveDate) -> ClockState {
    let days_left = (due - today).num_days();
    if days_left < 0 {
        return ClockState::Overdue {
            days_over: -days_left,
        };
    }
    match WARNING_WINDOWS.iter().rev().find(|w| days_left <= **w) {
        Some(window) => ClockState::Warning {
            days_left,
            window: *window,
        },
        None => ClockState::Running { days_left },
    }
}

/// The legal clocks of an application today. A closed application's clocks stop, except that
/// ones already met stay met.
pub fn clocks(status: Status, dates: KeyDates, today: NaiveDate) -> Vec<Clock> {
    let mut out = Vec::new();
    if let Some(issued) = dates.coe_issued_on {
        let due = coe_expires_on(issued);
        let state = match (dates.visa_issued_on, dates.arrived_on) {
            (Some(visa), Some(arrived)) if visa <= due && arrived <= due => Some(ClockState::Met),
            _ if status.is_open() => Some(running(due, today)),
            _ => None,
        };
        if let Some(state) = state {
            out.push(Clock {
                kind: ClockKind::CoeValidity,
                due,
                state,
            });
        }
    }
    if let Some(arrived) = dates.arrived_on {
        let due = registration_due_on(arrived);
        let state = match dates.registered_on {
            Some(registered) if registered <= due => Some(ClockState::Met),
            Some(registered) => Some(ClockState::Overdue {
                days_over: (registered - due).num_days(),
            }),
            None if status.is_open() => Some(running(due, today)),
            None => None,
        };
        if let Some(state) = state {
            out.push(Clock {
                kind: ClockKind::ResidentRegistration,
                due,
                state,
            });
        }
    }
    out
}

/// Days before a deadline at which the people concerned are reminded by e-mail, widest first:
/// a certificate's expiry (visa and entry must come before it) at 30, 14 and 7 days; the
/// moving-in notification, due 14 days after arrival, at 14, 7 and 3.
pub fn reminder_days(kind: ClockKind) -> &'static [i64] {
    match kind {
        ClockKind::CoeValidity => &[30, 14, 7],
        ClockKind::ResidentRegistration => &[14, 7, 3],
    }
}

/// The reminder a clock calls for today: the narrowest threshold already reached while the
/// deadline is still ahead (or today). Sent once per threshold, a reminder missed on its day
/// (nobody ran the job) is replaced by the next one reached instead of arriving in a burst.
pub fn reminder_due(clock: &Clock, today: NaiveDate) -> Option<i64> {
    match clock.state {
        ClockState::Running { .. } | ClockState::Warning { .. } => {}
        ClockState::Overdue { .. } | ClockState::Met => return None,
    }
    let days_left = (clock.due - today).num_days();
    if days_left < 0 {
        return None;
    }
    reminder_days(clock.kind)
        .iter()
        .copied()
        .filter(|threshold| days_left <= *threshold)
        .min()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        validation::date(s).unwrap()
    }

    fn open(stage: Stage) -> Status {
        Status {
            stage,
            closed: None,
        }
    }

    fn context(stage: Stage) -> MoveContext {
        MoveContext {
            status: open(stage),
            today: d("2026-11-25"),
            last_step_on: d("2026-11-01"),
            coe_issued_on: None,
            proposed_visa_route: None,
        }
    }

    fn draft(to: &str) -> MoveDraft {
        MoveDraft {
            to: to.to_owned(),
            ..MoveDraft::default()
        }
    }

    #[test]
    fn codes_round_trip_and_stage_and_reason_codes_never_coincide() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.code()), Some(stage));
            assert_eq!(Target::parse(stage.code()), Some(Target::Stage(stage)));
            assert_eq!(ClosingReason::parse(stage.code()), None);
        }
        for reason in ClosingReason::ALL {
            assert_eq!(Target::parse(reason.code()), Some(Target::Closed(reason)));
        }
        assert_eq!(Target::parse("hired"), None);
        for (i, stage) in Stage::ALL.into_iter().enumerate() {
            assert_eq!(stage.position(), i);
        }
    }

    #[test]
    fn the_happy_path_alternates_between_the_sides_as_the_reference_says() {
        use Party::*;
        use Stage::*;
        let path = [
            (Applied, Shortlisted, Employer),
            (Shortlisted, Interview, Employer),
            (Interview, Interview, Employer),
            (Interview, OfferExtended, Employer),
            (OfferExtended, OfferAccepted, Engineer),
            (OfferAccepted, CoeFiled, Employer),
            (CoeFiled, CoeIssued, Employer),
            (CoeIssued, VisaApplied, Engineer),
            (VisaApplied, VisaIssued, Employer),
            (VisaIssued, Arrived, Engineer),
            (Arrived, ResidentRegistered, Engineer),
        ];
        for (from, to, party) in path {
            assert_eq!(
                check_move(open(from), party, Target::Stage(to)),
                Ok(()),
                "{from:?} → {to:?} by {party:?}"
            );
        }
    }

    #[test]
    fn each_side_is_refused_the_others_moves() {
        use Stage::*;
        let engineer_only = [
            (OfferExtended, OfferAccepted),
            (VisaIssued, Arrived),
            (Arrived, ResidentRegistered),
        ];
        for (from, to) in engineer_only {
            assert_eq!(
                check_move(open(from), Party::Employer, Target::Stage(to)),
                Err(Refusal::OtherSidesMove)
            );
        }
        let employer_only = [
            (Applied, Shortlisted),
            (Interview, OfferExtended),
            (CoeFiled, CoeIssued),
        ];
        for (from, to) in employer_only {
            assert_eq!(
                check_move(open(from), Party::Engineer, Target::Stage(to)),
                Err(Refusal::OtherSidesMove)
            );
        }
        assert_eq!(
            check_move(
                open(Applied),
                Party::Employer,
                Target::Closed(ClosingReason::CandidateWithdrew)
            ),
            Err(Refusal::OtherSidesMove)
        );
        assert_eq!(
            check_move(
                open(Interview),
                Party::Engineer,
                Target::Closed(ClosingReason::RejectedByEmployer)
            ),
            Err(Refusal::OtherSidesMove)
        );
    }

    #[test]
    fn nothing_skips_ahead_goes_back_or_moves_a_closed_or_completed_application() {
        for party in [Party::Engineer, Party::Employer] {
            assert_eq!(
                check_move(open(Stage::Applied), party, Target::Stage(Stage::Arrived)),
                Err(Refusal::NotNext)
            );
            assert_eq!(
                check_move(open(Stage::CoeFiled), party, Target::Stage(Stage::Applied)),
                Err(Refusal::NotNext)
            );
            let closed = Status {
                stage: Stage::Interview,
                closed: Some(ClosingReason::RejectedByEmployer),
            };
            assert!(moves_for(closed, party).is_empty());
            assert_eq!(
                check_move(closed, party, Target::Stage(Stage::OfferExtended)),
                Err(Refusal::Closed)
            );
            assert!(moves_for(open(Stage::ResidentRegistered), party).is_empty());
        }
    }

    #[test]
    fn the_only_backward_or_repeated_move_is_another_interview_round() {
        for from in Stage::ALL {
            for to in Stage::ALL {
                if to <= from && !movers(from, Target::Stage(to)).is_empty() {
                    assert_eq!((from, to), (Stage::Interview, Stage::Interview));
                }
            }
        }
    }

    #[test]
    fn every_open_stage_has_a_way_forward_and_a_way_out_for_each_side() {
        for stage in Stage::ALL
            .into_iter()
            .filter(|s| *s != Stage::ResidentRegistered)
        {
            assert!(next_step(open(stage)).is_some(), "{stage:?}");
            if stage < Stage::Arrived {
                for party in [Party::Engineer, Party::Employer] {
                    assert!(
                        moves_for(open(stage), party)
                            .iter()
                            .any(|t| matches!(t, Target::Closed(_))),
                        "{party:?} cannot close at {stage:?}"
                    );
                }
            }
        }
        assert_eq!(next_step(open(Stage::ResidentRegistered)), None);
    }

    #[test]
    fn closing_reasons_apply_only_where_they_make_sense() {
        let declined = Target::Closed(ClosingReason::CandidateDeclinedOffer);
        assert_eq!(
            check_move(open(Stage::Interview), Party::Engineer, declined),
            Err(Refusal::NotNext)
        );
        assert_eq!(
            check_move(open(Stage::OfferExtended), Party::Engineer, declined),
            Ok(())
        );
        let denied = Target::Closed(ClosingReason::CoeDenied);
        assert_eq!(
            check_move(open(Stage::CoeFiled), Party::Employer, denied),
            Ok(())
        );
        assert_eq!(
            check_move(open(Stage::CoeIssued), Party::Employer, denied),
            Err(Refusal::NotNext)
        );
        assert_eq!(
            check_move(
                open(Stage::Arrived),
                Party::Engineer,
                Target::Closed(ClosingReason::CandidateWithdrew)
            ),
            Err(Refusal::NotNext)
        );
    }

    #[test]
    fn a_move_closes_or_advances_the_status() {
        let s = open(Stage::Interview);
        assert_eq!(
            s.after(Target::Stage(Stage::OfferExtended)),
            open(Stage::OfferExtended)
        );
        let closed = s.after(Target::Closed(ClosingReason::RoleClosed));
        assert_eq!(closed.stage, Stage::Interview);
        assert!(!closed.is_open());
    }

    #[test]
    fn an_offer_needs_salary_employment_type_and_a_start_date_after_it() {
        let ctx = context(Stage::Interview);
        let errors = match draft("offer_extended").parse(Party::Employer, &ctx) {
            Err(MoveError::Invalid(e)) => e,
            other => panic!("{other:?}"),
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["salary_jpy", "employment_type", "start_date"]);

        let mut offer = draft("offer_extended");
        offer.salary_jpy = "７,２００,０００".into();
        offer.employment_type = "permanent".into();
        offer.start_date = "2026-11-20".into();
        offer.on = "2026-11-24".into();
        assert_eq!(
            offer.parse(Party::Employer, &ctx),
            Err(MoveError::Invalid(vec![FieldError::new(
                "start_date",
                Problem::StartBeforeOffer
            )]))
        );
        offer.start_date = "2027-04-01".into();
        let ok = offer.parse(Party::Employer, &ctx).unwrap();
        assert_eq!(
            ok.offer,
            Some(Offer {
                annual_salary_jpy: 7_200_000,
                employment_type: EmploymentType::Permanent,
                start_date: d("2027-04-01"),
            })
        );
        assert_eq!(ok.on, d("2026-11-24"));
    }

    #[test]
    fn moves_are_refused_before_their_details_are_checked() {
        let ctx = context(Stage::Applied);
        assert_eq!(
            draft("offer_extended").parse(Party::Employer, &ctx),
            Err(MoveError::Refused(Refusal::NotNext))
        );
        assert_eq!(
            draft("nonsense").parse(Party::Employer, &ctx),
            Err(MoveError::Invalid(vec![FieldError::new(
                "to",
                Problem::NotAllowed
            )]))
        );
    }

    #[test]
    fn dates_cannot_be_in_the_future_or_before_the_last_step() {
        let ctx = context(Stage::Applied);
        let mut m = draft("shortlisted");
        m.on = "2026-11-26".into();
        assert_eq!(
            m.parse(Party::Employer, &ctx),
            Err(MoveError::Invalid(vec![FieldError::new(
                "on",
                Problem::DateInFuture
            )]))
        );
        m.on = "2026-10-31".into();
        assert_eq!(
            m.parse(Party::Employer, &ctx),
            Err(MoveError::Invalid(vec![FieldError::new(
                "on",
                Problem::DateBeforePrevious
            )]))
        );
        m.on = "2026/11/01".into();
        assert_eq!(m.parse(Party::Employer, &ctx).unwrap().on, d("2026-11-01"));
        m.on = String::new();
        assert_eq!(m.parse(Party::Employer, &ctx).unwrap().on, ctx.today);
    }

    #[test]
    fn the_visa_and_the_entry_must_fall_inside_the_certificates_validity() {
        let mut ctx = context(Stage::VisaIssued);
        ctx.coe_issued_on = Some(d("2026-08-01"));
        ctx.today = d("2026-12-01");
        let mut arrival = draft("arrived");
        arrival.on = "2026-11-02".into();
        assert_eq!(
            arrival.parse(Party::Engineer, &ctx),
            Err(MoveError::Invalid(vec![FieldError::new(
                "on",
                Problem::AfterCoeExpiry
            )]))
        );
        arrival.on = "2026-11-01".into();
        assert!(arrival.parse(Party::Engineer, &ctx).is_ok());
    }

    #[test]
    fn an_employers_note_and_rating_stay_inside_the_organisation_and_its_message_reaches_the_candidate(
    ) {
        use Party::{Employer, Engineer};
        assert!(!reads_internal_record(Reader::Side(Engineer), Employer));
        assert!(reads_internal_record(Reader::Side(Employer), Employer));
        assert!(reads_internal_record(Reader::Side(Employer), Engineer));
        assert!(reads_internal_record(Reader::Side(Engineer), Engineer));
        assert!(reads_internal_record(Reader::Administrator, Employer));

        let mut interview = draft("interview");
        interview.interview_format = "video".into();
        interview.rating = "2".into();
        interview.note = "社内用メモ：日本語の会話はまだ弱い".into();
        interview.message = "Thank you for your time today.".into();
        let checked = interview
            .parse(Employer, &context(Stage::Shortlisted))
            .unwrap();
        assert_eq!(
            checked.message.as_deref(),
            Some("Thank you for your time today.")
        );
        assert_eq!(
            checked.note.as_deref(),
            Some("社内用メモ：日本語の会話はまだ弱い")
        );
        // an engineer has one channel, the note
        let mut withdraw = draft("candidate_withdrew");
        withdraw.note = "I accepted another offer".into();
        withdraw.message = "and a second channel".into();
        assert_eq!(
            withdraw.parse(Engineer, &context(Stage::Screening)),
            Err(MoveError::Invalid(vec![FieldError::new(
                "message",
                Problem::NotAllowed
            )]))
        );
    }

    #[test]
    fn withdrawing_asks_for_a_reason_and_accepting_for_a_visa_route() {
        let ctx = context(Stage::Screening);
        assert_eq!(
            draft("candidate_withdrew").parse(Party::Engineer, &ctx),
            Err(MoveError::Invalid(vec![FieldError::new(
                "note",
                Problem::Required
            )]))
        );
        let ctx = context(Stage::OfferExtended);
        assert_eq!(
            draft("offer_accepted").parse(Party::Engineer, &ctx),
            Err(MoveError::Invalid(vec![FieldError::new(
                "visa_route",
                Problem::NotAllowed
            )]))
        );
        let mut accept = draft("offer_accepted");
        accept.visa_route = "highly_skilled_professional".into();
        assert_eq!(
            accept.parse(Party::Engineer, &ctx).unwrap().visa_route,
            Some(VisaRoute::HighlySkilledProfessional)
        );
    }

    #[test]
    fn an_offer_may_propose_a_visa_route_that_accepting_takes_unless_another_is_chosen() {
        let mut offer = draft("offer_extended");
        offer.salary_jpy = "8000000".into();
        offer.employment_type = "permanent".into();
        offer.start_date = "2027-04-01".into();
        offer.visa_route = "highly_skilled_professional".into();
        let made = offer
            .parse(Party::Employer, &context(Stage::Interview))
            .unwrap();
        assert_eq!(made.visa_route, Some(VisaRoute::HighlySkilledProfessional));
        offer.visa_route = "tourist".into();
        assert_eq!(
            offer.parse(Party::Employer, &context(Stage::Interview)),
            Err(MoveError::Invalid(vec![FieldError::new(
                "visa_route",
                Problem::NotAllowed
            )]))
        );
        let mut ctx = context(Stage::OfferExtended);
        ctx.proposed_visa_route = Some(VisaRoute::HighlySkilledProfessional);
        let accepted = draft("offer_accepted")
            .parse(Party::Engineer, &ctx)
            .unwrap();
        assert_eq!(
            accepted.visa_route,
            Some(VisaRoute::HighlySkilledProfessional)
        );
        let mut other = draft("offer_accepted");
        other.visa_route = "engineer_specialist".into();
        assert_eq!(
            other.parse(Party::Engineer, &ctx).unwrap().visa_route,
            Some(VisaRoute::EngineerSpecialist)
        );
    }

    #[test]
    fn interviews_record_format_and_an_optional_rating_from_one_to_five() {
        let ctx = context(Stage::Shortlisted);
        let mut m = draft("interview");
        m.interview_format = "video".into();
        m.rating = "6".into();
        assert_eq!(
            m.parse(Party::Employer, &ctx),
            Err(MoveError::Invalid(vec![FieldError::new(
                "rating",
                Problem::OutOfRange
            )]))
        );
        m.rating = "4".into();
        assert_eq!(
            m.parse(Party::Employer, &ctx).unwrap().interview,
            Some(InterviewRecord {
                format: InterviewFormat::Video,
                rating: Some(4)
            })
        );
    }

    #[test]
    fn the_certificate_is_valid_three_calendar_months() {
        assert_eq!(coe_expires_on(d("2026-01-15")), d("2026-04-15"));
        assert_eq!(coe_expires_on(d("2026-11-30")), d("2027-02-28"));
        assert_eq!(registration_due_on(d("2026-12-25")), d("2027-01-08"));
    }

    #[test]
    fn the_certificate_clock_warns_at_30_14_and_7_days_then_turns_overdue() {
        let issued = d("2026-01-15"); // expires 2026-04-15
        let dates = KeyDates {
            coe_issued_on: Some(issued),
            ..KeyDates::default()
        };
        let at = |today: &str| clocks(open(Stage::VisaApplied), dates, d(today))[0].state;
        assert_eq!(at("2026-03-15"), ClockState::Running { days_left: 31 });
        assert_eq!(
            at("2026-03-16"),
            ClockState::Warning {
                days_left: 30,
                window: 30
            }
        );
        assert_eq!(
            at("2026-04-01"),
            ClockState::Warning {
                days_left: 14,
                window: 14
            }
        );
        assert_eq!(
            at("2026-04-08"),
            ClockState::Warning {
                days_left: 7,
                window: 7
            }
        );
        assert_eq!(
            at("2026-04-15"),
            ClockState::Warning {
                days_left: 0,
                window: 7
            }
        );
        assert_eq!(at("2026-04-16"), ClockState::Overdue { days_over: 1 });
    }

    #[test]
    fn clocks_are_met_when_their_steps_happen_in_time_and_stop_when_closed() {
        let dates = KeyDates {
            coe_issued_on: Some(d("2026-01-15")),
            visa_issued_on: Some(d("2026-02-01")),
            arrived_on: Some(d("2026-03-01")),
            registered_on: None,
        };
        let now = clocks(open(Stage::Arrived), dates, d("2026-03-20"));
        assert_eq!(now[0].state, ClockState::Met);
        assert_eq!(now[1].kind, ClockKind::ResidentRegistration);
        assert_eq!(now[1].due, d("2026-03-15"));
        assert_eq!(now[1].state, ClockState::Overdue { days_over: 5 });
        let registered = KeyDates {
            registered_on: Some(d("2026-03-10")),
            ..dates
        };
        assert_eq!(
            clocks(open(Stage::ResidentRegistered), registered, d("2026-06-01"))[1].state,
            ClockState::Met
        );
        let closed = Status {
            stage: Stage::CoeIssued,
            closed: Some(ClosingReason::CandidateWithdrew),
        };
        let only_coe = KeyDates {
            coe_issued_on: Some(d("2026-01-15")),
            ..KeyDates::default()
        };
        assert!(clocks(closed, only_coe, d("2026-05-01")).is_empty());
        assert!(clocks(open(Stage::Applied), KeyDates::default(), d("2026-05-01")).is_empty());
    }

    fn any_status() -> impl Strategy<Value = Status> {
        (
            0..Stage::ALL.len(),
            proptest::option::of(0..ClosingReason::ALL.len()),
        )
            .prop_map(|(s, r)| Status {
                stage: Stage::ALL[s],
                closed: r.map(|r| ClosingReason::ALL[r]),
            })
    }

    proptest! {
        #[test]
        fn moves_offered_are_exactly_the_moves_allowed(status in any_status(), engineer in any::<bool>()) {
            let party = if engineer { Party::Engineer } else { Party::Employer };
            let offered = moves_for(status, party);
            for target in Stage::ALL.into_iter().map(Target::Stage).chain(ClosingReason::ALL.into_iter().map(Target::Closed)) {
                prop_assert_eq!(offered.contains(&target), check_move(status, party, target).is_ok());
            }
        }

        #[test]
        fn forward_moves_never_lower_the_stage(status in any_status(), engineer in any::<bool>()) {
            let party = if engineer { Party::Engineer } else { Party::Employer };
            for target in moves_for(status, party) {
                let after = status.after(target);
                prop_assert!(after.stage >= status.stage);
            }
        }

        #[test]
        fn a_clock_is_never_both_overdue_and_warning_and_days_agree_with_the_due_date(
            offset in -400i64..400, stage in 7usize..12
        ) {
            let issued = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
            let today = issued + chrono::Duration::days(offset);
            let dates = KeyDates { coe_issued_on: Some(issued), ..KeyDates::default() };
            let status = open(Stage::ALL[stage]);
            for clock in clocks(status, dates, today) {
                let left = (clock.due - today).num_days();
                match clock.state {
                    ClockState::Running { days_left } => prop_assert!(days_left == left && left > 30),
                    ClockState::Warning { days_left, window } => prop_assert!(days_left == left && (0..=window).contains(&left)),
                    ClockState::Overdue { days_over } => prop_assert!(days_over == -left && left < 0),
                    ClockState::Met => prop_assert!(false, "nothing was met"),
                }
            }
        }
    }

    #[test]
    fn a_certificate_reminds_at_30_14_and_7_days_and_registration_at_14_7_and_3() {
        let issued = d("2026-01-10");
        let due = coe_expires_on(issued);
        let status = open(Stage::CoeIssued);
        let dates = KeyDates {
            coe_issued_on: Some(issued),
            ..KeyDates::default()
        };
        let mut sent = Vec::new();
        let mut day = issued;
        while day <= due + chrono::Days::new(3) {
            for clock in clocks(status, dates, day) {
                if let Some(threshold) = reminder_due(&clock, day) {
                    if !sent.contains(&threshold) {
                        sent.push(threshold);
                        assert_eq!((due - day).num_days(), threshold, "on its day");
                    }
                }
            }
            day = day + chrono::Days::new(1);
        }
        assert_eq!(sent, [30, 14, 7]);

        let arrived = d("2026-03-01");
        let dates = KeyDates {
            arrived_on: Some(arrived),
            ..KeyDates::default()
        };
        let thresholds: Vec<Option<i64>> = [0, 6, 7, 10, 11, 14, 15]
            .into_iter()
            .map(|after| {
                let today = arrived + chrono::Days::new(after);
                let clock = clocks(open(Stage::Arrived), dates, today)[0];
                reminder_due(&clock, today)
            })
            .collect();
        assert_eq!(
            thresholds,
            [Some(14), Some(14), Some(7), Some(7), Some(3), Some(3), None]
        );
    }

    #[test]
    fn a_missed_reminder_gives_way_to_the_narrowest_reached_and_met_clocks_stay_quiet() {
        let issued = d("2026-01-10");
        let due = coe_expires_on(issued);
        let dates = KeyDates {
            coe_issued_on: Some(issued),
            ..KeyDates::default()
        };
        let five_left = due - chrono::Days::new(5);
        let clock = clocks(open(Stage::VisaIssued), dates, five_left)[0];
        assert_eq!(reminder_due(&clock, five_left), Some(7));
        let met = KeyDates {
            coe_issued_on: Some(issued),
            visa_issued_on: Some(issued),
            arrived_on: Some(issued + chrono::Days::new(3)),
            registered_on: None,
        };
        let coe = clocks(open(Stage::Arrived), met, five_left)
            .into_iter()
            .find(|c| c.kind == ClockKind::CoeValidity)
            .unwrap();
        assert_eq!(reminder_due(&coe, five_left), None);
        let closed = Status {
            stage: Stage::VisaIssued,
            closed: Some(ClosingReason::CandidateWithdrew),
        };
        assert!(clocks(closed, dates, five_left).is_empty());
    }
}
