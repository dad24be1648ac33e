//! The engineer's education, employment history and qualifications: what a 履歴書 and a
//! 職務経歴書 list row by row, and what the Highly Skilled Professional points count (academic
//! background, experience related to the work, qualifications, research, a degree from a
//! Japanese university).
//!
//! Periods are months (`2019-04`), as both documents write them; an entry without an end is
//! current (在学中, 現在に至る).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::jlpt::JlptLevel;
use crate::profile::Degree;
use crate::skills::{fold, SkillEntry, SkillId, Taxonomy};
use crate::validation::{self, FieldError, Problem, Validator};

/// A calendar month; written `2019-04` (in JSON too, as a browser's month field sends it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: u16,
    pub month: u8,
}

/// The earliest month a career entry may start in.
pub const EARLIEST_YEAR: u16 = 1950;

impl YearMonth {
    pub fn new(year: u16, month: u8) -> Option<YearMonth> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year().clamp(0, i32::from(u16::MAX)) as u16,
            month: date.month() as u8,
        }
    }

    /// Reads `2019-04` (what a browser's month field sends), `2019-4`, `2019/04` or `2019年4月`.
    pub fn parse(raw: &str) -> Result<YearMonth, Problem> {
        let raw = raw.trim();
        let cleaned = raw.trim_end_matches('月').replace(['年', '/', '.'], "-");
        let mut parts = cleaned.split('-').map(str::trim);
        let (Some(year), Some(month), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Problem::NotADate);
        };
        let year: u16 = year.parse().map_err(|_| Problem::NotADate)?;
        let month: u8 = month.parse().map_err(|_| Problem::NotADate)?;
        YearMonth::new(year, month).ok_or(Problem::NotADate)
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: YearMonth) -> i32 {
        (i32::from(later.year) - i32::from(self.year)) * 12 + i32::from(later.month)
            - i32::from(self.month)
    }

    /// The month after this one.
    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        YearMonth::parse(&raw).map_err(|_| serde::de::Error::custom("expected a month, YYYY-MM"))
    }
}

/// A level of education, as the HSP table's academic-background rows name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    /// A diploma (polytechnic, ITI, NIELIT courses): not a degree for the points.
    Diploma,
    /// A bachelor's degree or equivalent (B.Tech, B.E., B.Sc.).
    Bachelors,
    /// A master's or professional degree (M.Tech, M.S., M.E.).
    Masters,
    /// An MBA or MOT (Master of Technology Management).
    MbaOrMot,
    Doctorate,
}

impl EducationLevel {
    pub const ALL: [EducationLevel; 5] = [
        EducationLevel::Diploma,
        EducationLevel::Bachelors,
        EducationLevel::Masters,
        EducationLevel::MbaOrMot,
        EducationLevel::Doctorate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EducationLevel::Diploma => "diploma",
            EducationLevel::Bachelors => "bachelors",
            EducationLevel::Masters => "masters",
            EducationLevel::MbaOrMot => "mba_or_mot",
            EducationLevel::Doctorate => "doctorate",
        }
    }

    pub fn parse(code: &str) -> Option<EducationLevel> {
        EducationLevel::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The degree the points table counts (an MBA or MOT is a master's).
    pub fn degree(self) -> Degree {
        match self {
            EducationLevel::Diploma => Degree::Diploma,
            EducationLevel::Bachelors => Degree::Bachelors,
            EducationLevel::Masters | EducationLevel::MbaOrMot => Degree::Masters,
            EducationLevel::Doctorate => Degree::Doctorate,
        }
    }
}

/// One school or university attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Education {
    pub level: EducationLevel,
    /// Field of study ("Electronics and Communication Engineering").
    pub field: String,
    pub institution: String,
    /// ISO 3166-1 alpha-2, upper case (`IN`, `JP`).
    pub country: String,
    pub started: YearMonth,
    /// `None` while studying.
    pub ended: Option<YearMonth>,
}

impl Education {
    /// A university in Japan, which the points reward.
    pub fn in_japan(&self) -> bool {
        self.country == "JP"
    }

    /// Completed by `month`: a degree being studied for does not count yet.
    pub fn completed_by(&self, month: YearMonth) -> bool {
        self.ended.is_some_and(|ended| ended <= month)
    }
}

/// One job held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employment {
    pub employer: String,
    pub country: String,
    pub title: String,
    pub started: YearMonth,
    /// `None` for the current job (現在に至る).
    pub ended: Option<YearMonth>,
    /// What the person did and achieved, in any language, in their words.
    pub description: Option<String>,
    /// The taxonomy's skills used in this job: their months add up to the skills' years.
    pub skills: Vec<SkillId>,
    /// Skills used that the taxonomy does not know, as written.
    #[serde(default)]
    pub free_skills: Vec<String>,
}

/// What kind of qualification a row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QualificationKind {
    /// One of IPA's national examinations in Japan's IT notice (基本情報技術者, …).
    JapaneseIt,
    /// A NIELIT level certificate (O, A, B, C), some recognised as Japanese IPA equivalents.
    Nielit,
    /// The Japanese-Language Proficiency Test, with the certificate's number.
    Jlpt,
    /// Another qualification (a vendor certification, a professional licence).
    Foreign,
    /// A patent the person is an inventor on.
    Patent,
    /// A paper in an academic journal or conference.
    Paper,
}

impl QualificationKind {
    pub const ALL: [QualificationKind; 6] = [
        QualificationKind::JapaneseIt,
        QualificationKind::Nielit,
        QualificationKind::Jlpt,
        QualificationKind::Foreign,
        QualificationKind::Patent,
        QualificationKind::Paper,
    ];

    pub fn code(self) -> &'static str {
        match self {
            QualificationKind::JapaneseIt => "japanese_it",
            QualificationKind::Nielit => "nielit",
            QualificationKind::Jlpt => "jlpt",
            QualificationKind::Foreign => "foreign",
            QualificationKind::Patent => "patent",
            QualificationKind::Paper => "paper",
        }
    }

    pub fn parse(code: &str) -> Option<QualificationKind> {
        QualificationKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// IPA's national IT examinations named in the Ministry of Justice's IT notice (No. 437):
/// (code, Japanese name, English name). `../shared/reference/qualifications.yaml`.
pub const JAPANESE_IT_EXAMS: [(&str, &str, &str); 12] = [
    (
        "sc",
        "情報処理安全確保支援士",
        "Registered Information Security Specialist",
    ),
    ("st", "ITストラテジスト", "IT Strategist"),
    ("sa", "システムアーキテクト", "Systems Architect"),
    ("pm", "プロジェクトマネージャ", "Project Manager"),
    ("nw", "ネットワークスペシャリスト", "Network Specialist"),
    ("db", "データベーススペシャリスト", "Database Specialist"),
    (
        "es",
        "エンベデッドシステムスペシャリスト",
        "Embedded Systems Specialist",
    ),
    ("sm", "ITサービスマネージャ", "IT Service Manager"),
    ("au", "システム監査技術者", "Systems Auditor"),
    (
        "ap",
        "応用情報技術者",
        "Applied Information Technology Engineer",
    ),
    (
        "fe",
        "基本情報技術者",
        "Fundamental Information Technology Engineer",
    ),
    (
        "sg",
        "情報セキュリティマネジメント",
        "Information Security Management",
    ),
];

/// NIELIT's levels: (level, the IPA examination Japan recognises it as, if any). Level O is
/// not recognised (IPA's mutual recognition with India, 2020).
pub const NIELIT_LEVELS: [(&str, Option<&str>); 4] = [
    ("O", None),
    ("A", Some("fe")),
    ("B", Some("ap")),
    ("C", Some("sa")),
];

/// One qualification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qualification {
    pub kind: QualificationKind,
    /// The examination's code ([`JAPANESE_IT_EXAMS`]), the NIELIT level, the JLPT level (`N2`),
    /// or the name as written for the other kinds.
    pub name: String,
    pub obtained: YearMonth,
    /// Certificate, patent or DOI number, as written.
    pub identifier: Option<String>,
}

impl Qualification {
    /// The JLPT level this row certifies, if it is a JLPT result.
    pub fn jlpt_level(&self) -> Option<JlptLevel> {
        (self.kind == QualificationKind::Jlpt)
            .then(|| JlptLevel::parse(&self.name))
            .flatten()
    }

    /// The Japanese IT examination this row is or is recognised as, with NIELIT counted only
    /// when `count_nielit` (public guidance does not settle whether it earns the HSP bonus).
    pub fn japanese_it_exam(&self, count_nielit: bool) -> Option<&'static str> {
        match self.kind {
            QualificationKind::JapaneseIt => JAPANESE_IT_EXAMS
                .iter()
                .find(|(code, _, _)| *code == self.name)
                .map(|(code, _, _)| *code),
            QualificationKind::Nielit if count_nielit => NIELIT_LEVELS
                .iter()
                .find(|(level, _)| *level == self.name)
                .and_then(|(_, exam)| *exam),
            _ => None,
        }
    }
}

/// Education, employment and qualifications that passed every rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Career {
    pub education: Vec<Education>,
    pub employment: Vec<Employment>,
    pub qualifications: Vec<Qualification>,
}

/// The most rows of each list.
pub const MAX_EDUCATION: usize = 10;
pub const MAX_EMPLOYMENT: usize = 30;
pub const MAX_QUALIFICATIONS: usize = 40;
/// The most skills named for one job.
pub const MAX_SKILLS_PER_JOB: usize = 30;

/// Three or more papers count as research achievements for the points (as one patent does).
pub const PAPERS_FOR_RESEARCH: usize = 3;

impl Career {
    /// The highest degree completed by `month`.
    pub fn highest_degree(&self, month: YearMonth) -> Option<Degree> {
        self.completed(month)
            .map(|e| e.level)
            .max()
            .map(EducationLevel::degree)
    }

    fn completed(&self, month: YearMonth) -> impl Iterator<Item = &Education> {
        self.education.iter().filter(move |e| e.completed_by(month))
    }

    /// A master's plus an MBA or MOT completed.
    pub fn mba_or_mot(&self, month: YearMonth) -> bool {
        self.completed(month)
            .any(|e| e.level == EducationLevel::MbaOrMot)
    }

    /// Two or more degrees (bachelor's or higher) completed in different fields.
    pub fn degrees_in_different_fields(&self, month: YearMonth) -> bool {
        let mut fields: Vec<String> = self
            .completed(month)
            .filter(|e| e.level >= EducationLevel::Bachelors)
            .map(|e| fold(&e.field))
            .collect();
        fields.sort();
        fields.dedup();
        fields.len() >= 2
    }

    /// A degree (bachelor's or higher) completed at a university in Japan.
    pub fn degree_from_japanese_university(&self, month: YearMonth) -> bool {
        self.completed(month)
            .any(|e| e.in_japan() && e.level >= EducationLevel::Bachelors)
    }

    /// Whole years worked up to `month` in the jobs `counts` accepts, overlapping jobs counted
    /// once (two part-time jobs at once are not two years a year).
    pub fn years_worked(&self, month: YearMonth, counts: impl Fn(&Employment) -> bool) -> u8 {
        let periods = self
            .employment
            .iter()
            .filter(|job| counts(job))
            .map(|job| (job.started, job.ended.unwrap_or(month).min(month)));
        (merged_months(periods) / 12).min(u32::from(u8::MAX)) as u8
    }

    /// Years each skill was used, from the jobs that name it (overlapping jobs counted once):
    /// what the work history says instead of a number typed by hand.
    pub fn skill_years(&self, month: YearMonth) -> Vec<(SkillId, u8)> {
        let mut skills: Vec<&SkillId> = self.employment.iter().flat_map(|j| &j.skills).collect();
        skills.sort();
        skills.dedup();
        skills
            .into_iter()
            .map(|skill| {
                let years = self.years_worked(month, |job| job.skills.contains(skill));
                (skill.clone(), years)
            })
            .collect()
    }

    /// Japanese national IT qualifications held, each examination once.
    pub fn japanese_it_qualifications(&self, count_nielit: bool) -> u8 {
        let mut exams: Vec<&str> = self
            .qualifications
            .iter()
            .filter_map(|q| q.japanese_it_exam(count_nielit))
            .collect();
        exams.sort_unstable();
        exams.dedup();
        exams.len().min(usize::from(u8::MAX)) as u8
    }

    /// A foreign qualification is recorded (the points ask it be related to the work; the
    /// person is shown the item to confirm, not promised it).
    pub fn foreign_qualification(&self) -> bool {
        self.qualifications
            .iter()
            .any(|q| q.kind == QualificationKind::Foreign)
    }

    /// An invention patented, or three papers or more.
    pub fn research_achievements(&self) -> bool {
        let of = |kind| {
            self.qualifications
                .iter()
                .filter(|q| q.kind == kind)
                .count()
        };
        of(QualificationKind::Patent) >= 1 || of(QualificationKind::Paper) >= PAPERS_FOR_RESEARCH
    }

    /// The best JLPT level certified by a row with a certificate number.
    pub fn certified_jlpt(&self) -> Option<JlptLevel> {
        self.qualifications
            .iter()
            .filter(|q| q.identifier.is_some())
            .filter_map(Qualification::jlpt_level)
            .max_by_key(|level| level.rank())
    }
}

impl Career {
    /// Fills the points' inputs this career answers, for work that uses `role_skills` (none
    /// given: any work), as of `month`. What the career does not record is left as it was
    /// (the profile's degree and years typed by hand stand until education or jobs are given).
    /// NIELIT levels count as Japanese IT qualifications only when `count_nielit`.
    pub fn apply_to(
        &self,
        case: &mut crate::hsp::HspCase,
        month: YearMonth,
        role_skills: &[SkillId],
        count_nielit: bool,
    ) {
        if !self.education.is_empty() {
            case.degree = self.highest_degree(month);
            case.mba_or_mot = self.mba_or_mot(month);
            case.two_degrees_in_different_fields = self.degrees_in_different_fields(month);
            case.degree_from_japanese_university = self.degree_from_japanese_university(month);
        }
        if !self.employment.is_empty() {
            // experience related to the work: a job that used one of the role's skills, or one
            // whose skills were not listed (nothing says it was unrelated)
            case.related_experience_years = self.years_worked(month, |job| {
                role_skills.is_empty()
                    || job.skills.is_empty()
                    || job.skills.iter().any(|s| role_skills.contains(s))
            });
        }
        case.research_achievements |= self.research_achievements();
        case.japanese_it_qualifications = case
            .japanese_it_qualifications
            .max(self.japanese_it_qualifications(count_nielit));
        case.foreign_qualification_related_to_work |= self.foreign_qualification();
        if let Some(certified) = self.certified_jlpt() {
            if case.jlpt.is_none_or(|held| certified > held) {
                case.jlpt = Some(certified);
            }
        }
    }
}

/// Months covered by `periods` (start and end months both included), overlaps counted once.
fn merged_months(periods: impl Iterator<Item = (YearMonth, YearMonth)>) -> u32 {
    let mut periods: Vec<(YearMonth, YearMonth)> = periods.filter(|(s, e)| s <= e).collect();
    periods.sort();
    let mut total = 0u32;
    let mut current: Option<(YearMonth, YearMonth)> = None;
    for (start, end) in periods {
        current = match current {
            Some((s, e)) if start <= e.next() => Some((s, e.max(end))),
            Some((s, e)) => {
                total += (s.months_until(e) + 1) as u32;
                Some((start, end))
            }
            None => Some((start, end)),
        };
    }
    if let Some((s, e)) = current {
        total += (s.months_until(e) + 1) as u32;
    }
    total
}

/// An education row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationDraft {
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub field: String,
    #[serde(default)]
    pub institution: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub started: String,
    #[serde(default)]
    pub ended: String,
}

/// An employment row as typed; `skills` is a comma-separated list in any language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmploymentDraft {
    #[serde(default)]
    pub employer: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub started: String,
    #[serde(default)]
    pub ended: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub skills: String,
}

/// A qualification row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualificationDraft {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub obtained: String,
    #[serde(default)]
    pub identifier: String,
}

/// The career form as submitted: every field a string, so nothing typed is lost when one is
/// wrong. Rows left wholly empty are the form's spare rows and are skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareerDraft {
    #[serde(default)]
    pub education: Vec<EducationDraft>,
    #[serde(default)]
    pub employment: Vec<EmploymentDraft>,
    #[serde(default)]
    pub qualifications: Vec<QualificationDraft>,
}

fn country(raw: &str) -> Result<String, Problem> {
    let code = raw.trim().to_ascii_uppercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(code)
    } else if code.is_empty() {
        Err(Problem::Required)
    } else {
        Err(Problem::NotAllowed)
    }
}

/// A period's months: started not before 1950 and not after this month; ended (if given) not
/// before it started and not after this month.
fn period(
    v: &mut Validator,
    field: impl Fn(&str) -> String,
    started: &str,
    ended: &str,
    this_month: YearMonth,
) -> Option<(YearMonth, Option<YearMonth>)> {
    let in_range = |raw: &str| {
        YearMonth::parse(raw).and_then(|m| {
            if m.year < EARLIEST_YEAR {
                Err(Problem::DateOutOfRange)
            } else if m > this_month {
                Err(Problem::DateInFuture)
            } else {
                Ok(m)
            }
        })
    };
    let started = v.check(
        &field("started"),
        if started.trim().is_empty() {
            Err(Problem::Required)
        } else {
            in_range(started)
        },
    );
    let ended = v.check(
        &field("ended"),
        if ended.trim().is_empty() {
            Ok(None)
        } else {
            in_range(ended).map(Some)
        },
    );
    let (started, ended) = (started?, ended?);
    if ended.is_some_and(|ended| ended < started) {
        v.push(field("ended"), Problem::DateBeforePrevious);
        return None;
    }
    Some((started, ended))
}

fn blank(fields: &[&str]) -> bool {
    fields.iter().all(|f| f.trim().is_empty())
}

impl CareerDraft {
    /// Checks every row; on failure returns every problem keyed by form field
    /// (`employment[1].started`). `today` bounds the months (nothing ends in the future).
    pub fn parse(&self, taxonomy: &Taxonomy, today: NaiveDate) -> Result<Career, Vec<FieldError>> {
        let this_month = YearMonth::of(today);
        let mut v = Validator::new();
        let mut career = Career::default();

        for (i, row) in self.education.iter().enumerate() {
            let f = |name: &str| format!("education[{i}].{name}");
            if blank(&[
                &row.level,
                &row.field,
                &row.institution,
                &row.country,
                &row.started,
                &row.ended,
            ]) {
                continue;
            }
            let level = v.check(
                &f("level"),
                EducationLevel::parse(row.level.trim()).ok_or(if row.level.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::NotAllowed
                }),
            );
            let field = v.check(&f("field"), validation::line(&row.field, 1, 120));
            let institution = v.check(
                &f("institution"),
                validation::line(&row.institution, 1, 160),
            );
            let country = v.check(&f("country"), country(&row.country));
            let period = period(&mut v, f, &row.started, &row.ended, this_month);
            if let (
                Some(level),
                Some(field),
                Some(institution),
                Some(country),
                Some((started, ended)),
            ) = (level, field, institution, country, period)
            {
                career.education.push(Education {
                    level,
                    field,
                    institution,
                    country,
                    started,
                    ended,
                });
            }
        }
        if career.education.len() > MAX_EDUCATION {
            v.push("education", Problem::TooLong);
        }

        for (i, row) in self.employment.iter().enumerate() {
            let f = |name: &str| format!("employment[{i}].{name}");
            if blank(&[
                &row.employer,
                &row.country,
                &row.title,
                &row.started,
                &row.ended,
                &row.description,
                &row.skills,
            ]) {
                continue;
            }
            let employer = v.check(&f("employer"), validation::line(&row.employer, 1, 160));
            let country = v.check(&f("country"), country(&row.country));
            let title = v.check(&f("title"), validation::line(&row.title, 1, 120));
            let description = v.check(
                &f("description"),
                validation::optional_text(&row.description, 4000),
            );
            let period = period(&mut v, f, &row.started, &row.ended, this_month);
            let (mut skills, mut free_skills) = (Vec::new(), Vec::new());
            for typed in row
                .skills
                .split([',', '、', '，', ';', '\n'])
                .filter(|s| !s.trim().is_empty())
            {
                match taxonomy.read_skill_field(typed) {
                    Ok(SkillEntry::Known(skill)) if !skills.contains(&skill.id) => {
                        skills.push(skill.id.clone());
                    }
                    Ok(SkillEntry::Known(_)) => {}
                    Ok(SkillEntry::Free(name)) => {
                        if !free_skills.iter().any(|s: &String| fold(s) == fold(&name)) {
                            free_skills.push(name);
                        }
                    }
                    Err(problem) => v.push(f("skills"), problem),
                }
            }
            if skills.len() + free_skills.len() > MAX_SKILLS_PER_JOB {
                v.push(f("skills"), Problem::TooLong);
            }
            if let (
                Some(employer),
                Some(country),
                Some(title),
                Some(description),
                Some((started, ended)),
            ) = (employer, country, title, description, period)
            {
                career.employment.push(Employment {
                    employer,
                    country,
                    title,
                    started,
                    ended,
                    description,
                    skills,
                    free_skills,
                });
            }
        }
        if career.employment.len() > MAX_EMPLOYMENT {
            v.push("employment", Problem::TooLong);
        }

        for (i, row) in self.qualifications.iter().enumerate() {
            let f = |name: &str| format!("qualifications[{i}].{name}");
            if blank(&[&row.kind, &row.name, &row.obtained, &row.identifier]) {
                continue;
            }
            let kind = v.check(
                &f("kind"),
                QualificationKind::parse(row.kind.trim()).ok_or(if row.kind.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::NotAllowed
                }),
            );
            let name = kind.and_then(|kind| {
                let typed = row.name.trim();
                let coded = |known: bool, code: String| {
                    if typed.is_empty() {
                        Err(Problem::Required)
                    } else if known {
                        Ok(code)
                    } else {
                        Err(Problem::NotAllowed)
                    }
                };
                v.check(
                    &f("name"),
                    match kind {
                        QualificationKind::JapaneseIt => {
                            let code = typed.to_ascii_lowercase();
                            coded(
                                JAPANESE_IT_EXAMS
                                    .iter()
                                    .any(|(c, ja, _)| *c == code || *ja == typed),
                                {
                                    JAPANESE_IT_EXAMS
                                        .iter()
                                        .find(|(c, ja, _)| *c == code || *ja == typed)
                                        .map_or(code.clone(), |(c, _, _)| (*c).to_owned())
                                },
                            )
                        }
                        QualificationKind::Nielit => {
                            let level = typed.to_ascii_uppercase();
                            coded(NIELIT_LEVELS.iter().any(|(l, _)| *l == level), level)
                        }
                        QualificationKind::Jlpt => {
                            match JlptLevel::parse(&typed.to_ascii_uppercase()) {
                                Some(level) => Ok(level.code().to_owned()),
                                None => coded(false, String::new()),
                            }
                        }
                        _ => validation::line(typed, 1, 160),
                    },
                )
            });
            let obtained = v.check(
                &f("obtained"),
                if row.obtained.trim().is_empty() {
                    Err(Problem::Required)
                } else {
                    YearMonth::parse(&row.obtained).and_then(|m| {
                        if m > this_month {
                            Err(Problem::DateInFuture)
                        } else if m.year < EARLIEST_YEAR {
                            Err(Problem::DateOutOfRange)
                        } else {
                            Ok(m)
                        }
                    })
                },
            );
            let identifier = v.check(
                &f("identifier"),
                validation::optional_line(&row.identifier, 60),
            );
            if let (Some(kind), Some(name), Some(obtained), Some(identifier)) =
                (kind, name, obtained, identifier)
            {
                career.qualifications.push(Qualification {
                    kind,
                    name,
                    obtained,
                    identifier,
                });
            }
        }
        if career.qualifications.len() > MAX_QUALIFICATIONS {
            v.push("qualifications", Problem::TooLong);
        }
        v.finish()?;
        Ok(career)
    }
}

impl Career {
    /// The career as the form's values (the inverse of [`CareerDraft::parse`]); skills named in
    /// `lang`'s names so the person reads them as they typed them.
    pub fn to_draft(&self, taxonomy: &Taxonomy, lang: crate::language::UiLanguage) -> CareerDraft {
        let month = |m: Option<YearMonth>| m.map(|m| m.to_string()).unwrap_or_default();
        CareerDraft {
            education: self
                .education
                .iter()
                .map(|e| EducationDraft {
                    level: e.level.code().to_owned(),
                    field: e.field.clone(),
                    institution: e.institution.clone(),
                    country: e.country.clone(),
                    started: e.started.to_string(),
                    ended: month(e.ended),
                })
                .collect(),
            employment: self
                .employment
                .iter()
                .map(|j| EmploymentDraft {
                    employer: j.employer.clone(),
                    country: j.country.clone(),
                    title: j.title.clone(),
                    started: j.started.to_string(),
                    ended: month(j.ended),
                    description: j.description.clone().unwrap_or_default(),
                    skills: j
                        .skills
                        .iter()
                        .map(|id| {
                            taxonomy
                                .get(id.as_str())
                                .map_or(id.as_str(), |s| s.name(lang))
                                .to_owned()
                        })
                        .chain(j.free_skills.iter().cloned())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .collect(),
            qualifications: self
                .qualifications
                .iter()
                .map(|q| QualificationDraft {
                    kind: q.kind.code().to_owned(),
                    name: q.name.clone(),
                    obtained: q.obtained.to_string(),
                    identifier: q.identifier.clone().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(year: u16, month: u8) -> YearMonth {
        YearMonth::new(year, month).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    fn draft() -> CareerDraft {
        CareerDraft {
            education: vec![
                EducationDraft {
                    level: "bachelors".into(),
                    field: "Electronics and Communication Engineering".into(),
                    institution: "NIT Trichy".into(),
                    country: "in".into(),
                    started: "2012-07".into(),
                    ended: "2016-05".into(),
                },
                EducationDraft {
                    level: "masters".into(),
                    field: "VLSI Design".into(),
                    institution: "Tohoku University".into(),
                    country: "JP".into(),
                    started: "2016年10月".into(),
                    ended: "2018/9".into(),
                },
                EducationDraft::default(),
            ],
            employment: vec![
                EmploymentDraft {
                    employer: "Tata Elxsi".into(),
                    country: "IN".into(),
                    title: "Embedded software engineer".into(),
                    started: "2018-10".into(),
                    ended: "2022-03".into(),
                    description: "AUTOSAR BSW for body control modules".into(),
                    skills: "Embedded C, AUTOSAR, CAN, 社内ツール保守".into(),
                },
                EmploymentDraft {
                    employer: "Bosch Global Software Technologies".into(),
                    country: "IN".into(),
                    title: "Senior engineer".into(),
                    started: "2022-01".into(),
                    ended: String::new(),
                    description: String::new(),
                    skills: "組込みC、Rust".into(),
                },
            ],
            qualifications: vec![
                QualificationDraft {
                    kind: "jlpt".into(),
                    name: "n2".into(),
                    obtained: "2023-12".into(),
                    identifier: "N2A123456".into(),
                },
                QualificationDraft {
                    kind: "japanese_it".into(),
                    name: "基本情報技術者".into(),
                    obtained: "2024-06".into(),
                    identifier: String::new(),
                },
                QualificationDraft {
                    kind: "nielit".into(),
                    name: "b".into(),
                    obtained: "2017-01".into(),
                    identifier: String::new(),
                },
            ],
        }
    }

    #[test]
    fn a_month_is_read_as_people_and_browsers_write_it() {
        for raw in ["2019-04", "2019-4", "2019/04", "2019年4月", " 2019.4 "] {
            assert_eq!(YearMonth::parse(raw), Ok(ym(2019, 4)), "{raw}");
        }
        for raw in ["2019", "2019-13", "2019-00", "April 2019", "2019-04-01", ""] {
            assert_eq!(YearMonth::parse(raw), Err(Problem::NotADate), "{raw}");
        }
        assert_eq!(ym(2019, 4).to_string(), "2019-04");
        assert_eq!(ym(2018, 11).months_until(ym(2019, 2)), 3);
        assert_eq!(ym(2019, 12).next(), ym(2020, 1));
        assert_eq!(serde_json::to_string(&ym(2019, 4)).unwrap(), "\"2019-04\"");
        assert_eq!(
            serde_json::from_str::<YearMonth>("\"2019-04\"").unwrap(),
            ym(2019, 4)
        );
        assert!(serde_json::from_str::<YearMonth>("\"2019-13\"").is_err());
    }

    #[test]
    fn a_career_is_read_with_its_skills_and_codes() {
        let career = draft().parse(&Taxonomy::builtin(), today()).unwrap();
        assert_eq!(career.education.len(), 2, "the empty row is skipped");
        assert_eq!(career.education[0].country, "IN");
        assert_eq!(career.education[1].started, ym(2016, 10));
        let first = &career.employment[0];
        assert_eq!(
            first.skills,
            vec![
                SkillId::new("embedded-c"),
                SkillId::new("autosar"),
                SkillId::new("can-bus")
            ]
        );
        assert_eq!(first.free_skills, vec!["社内ツール保守".to_owned()]);
        assert_eq!(career.employment[1].ended, None);
        assert_eq!(career.qualifications[0].name, "N2");
        assert_eq!(career.qualifications[1].name, "fe");
        assert_eq!(career.qualifications[2].name, "B");
        // and back to the form's values, unchanged when read again
        let again = career
            .to_draft(&Taxonomy::builtin(), crate::language::UiLanguage::En)
            .parse(&Taxonomy::builtin(), today())
            .unwrap();
        assert_eq!(again, career);
    }

    #[test]
    fn every_bad_row_field_is_reported_at_once() {
        let mut d = draft();
        d.education[0].level = "phd-ish".into();
        d.education[0].ended = "2011-01".into();
        d.employment[0].country = "India".into();
        d.employment[1].started = "2027-01".into();
        d.qualifications[1].name = "ITパスポート".into();
        d.qualifications[2].obtained = String::new();
        let errors = d.parse(&Taxonomy::builtin(), today()).unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::new("education[0].level", Problem::NotAllowed),
                FieldError::new("education[0].ended", Problem::DateBeforePrevious),
                FieldError::new("employment[0].country", Problem::NotAllowed),
                FieldError::new("employment[1].started", Problem::DateInFuture),
                FieldError::new("qualifications[1].name", Problem::NotAllowed),
                FieldError::new("qualifications[2].obtained", Problem::Required),
            ]
        );
    }

    #[test]
    fn the_points_read_completed_degrees_only() {
        let mut career = draft().parse(&Taxonomy::builtin(), today()).unwrap();
        let now = YearMonth::of(today());
        assert_eq!(career.highest_degree(now), Some(Degree::Masters));
        assert!(career.degree_from_japanese_university(now));
        assert!(career.degrees_in_different_fields(now));
        assert!(!career.mba_or_mot(now));
        // a doctorate still being studied for counts for nothing yet
        career.education.push(Education {
            level: EducationLevel::Doctorate,
            field: "VLSI Design".into(),
            institution: "IISc".into(),
            country: "IN".into(),
            started: ym(2024, 8),
            ended: None,
        });
        assert_eq!(career.highest_degree(now), Some(Degree::Masters));
        // before the master's ended, the bachelor's was the highest and the only degree
        assert_eq!(career.highest_degree(ym(2018, 8)), Some(Degree::Bachelors));
        assert!(!career.degrees_in_different_fields(ym(2018, 8)));
        assert!(!career.degree_from_japanese_university(ym(2018, 8)));
    }

    #[test]
    fn overlapping_jobs_count_once_and_feed_each_skills_years() {
        let career = draft().parse(&Taxonomy::builtin(), today()).unwrap();
        let now = YearMonth::of(today());
        // 2018-10..2022-03 and 2022-01..2026-12 overlap by three months: 99 months in all
        assert_eq!(career.years_worked(now, |_| true), 8);
        let years: std::collections::HashMap<SkillId, u8> =
            career.skill_years(now).into_iter().collect();
        assert_eq!(years[&SkillId::new("autosar")], 3, "42 months");
        assert_eq!(
            years[&SkillId::new("embedded-c")],
            8,
            "both jobs, overlap once"
        );
        assert_eq!(
            years[&SkillId::new("rust")],
            5,
            "2022-01 to this month: 60 months"
        );
    }

    #[test]
    fn qualifications_count_for_the_points_as_the_notice_reads_them() {
        let career = draft().parse(&Taxonomy::builtin(), today()).unwrap();
        assert_eq!(career.japanese_it_qualifications(false), 1);
        // NIELIT B is recognised as 応用情報技術者: a second examination when counted
        assert_eq!(career.japanese_it_qualifications(true), 2);
        assert_eq!(career.certified_jlpt(), Some(JlptLevel::N2));
        assert!(!career.research_achievements());
        assert!(!career.foreign_qualification());
        let paper = |n: u8| Qualification {
            kind: QualificationKind::Paper,
            name: format!("Paper {n}"),
            obtained: ym(2020, n),
            identifier: None,
        };
        let mut with_papers = career.clone();
        with_papers.qualifications.extend([paper(1), paper(2)]);
        assert!(!with_papers.research_achievements());
        with_papers.qualifications.push(paper(3));
        assert!(with_papers.research_achievements());
    }

    #[test]
    fn a_career_fills_the_points_inputs_it_answers() {
        let career = draft().parse(&Taxonomy::builtin(), today()).unwrap();
        let now = YearMonth::of(today());
        let mut case = crate::hsp::HspCase {
            degree: Some(Degree::Diploma),
            related_experience_years: 20,
            ..Default::default()
        };
        career.apply_to(&mut case, now, &[SkillId::new("autosar")], false);
        assert_eq!(case.degree, Some(Degree::Masters));
        assert!(case.degree_from_japanese_university);
        assert!(case.two_degrees_in_different_fields);
        // the second job lists its skills and none is asked: the first job alone, 42 months
        assert_eq!(case.related_experience_years, 3);
        assert_eq!(case.japanese_it_qualifications, 1);
        assert_eq!(case.jlpt, Some(JlptLevel::N2));
        // an empty career changes nothing typed on the profile
        let mut kept = crate::hsp::HspCase {
            degree: Some(Degree::Bachelors),
            related_experience_years: 6,
            ..Default::default()
        };
        Career::default().apply_to(&mut kept, now, &[], true);
        assert_eq!(kept.degree, Some(Degree::Bachelors));
        assert_eq!(kept.related_experience_years, 6);
    }

    #[test]
    fn merged_months_count_each_month_once() {
        let p = |a: (u16, u8), b: (u16, u8)| (ym(a.0, a.1), ym(b.0, b.1));
        assert_eq!(merged_months([p((2020, 1), (2020, 12))].into_iter()), 12);
        assert_eq!(
            merged_months([p((2020, 1), (2020, 6)), p((2020, 7), (2020, 12))].into_iter()),
            12
        );
        assert_eq!(
            merged_months([p((2020, 1), (2020, 12)), p((2020, 3), (2020, 4))].into_iter()),
            12
        );
        assert_eq!(
            merged_months([p((2020, 1), (2020, 1)), p((2022, 1), (2022, 2))].into_iter()),
            3
        );
        assert_eq!(merged_months(std::iter::empty()), 0);
    }
}
