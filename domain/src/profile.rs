//! The engineer's profile: what they bring to a Japanese employer.

use serde::{Deserialize, Serialize};

use crate::geo;
use crate::jlpt::JlptLevel;
use crate::language::{SpokenLevel, SPOKEN_LANGUAGES};
use crate::skills::{fold, FreeSkill, SkillEntry, SkillId, Taxonomy};
use crate::validation::{self, FieldError, Problem, Validator};

/// Highest academic degree, as the Highly Skilled Professional points table counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Degree {
    None,
    Diploma,
    Bachelors,
    Masters,
    Doctorate,
}

impl Degree {
    pub const ALL: [Degree; 5] = [
        Degree::None,
        Degree::Diploma,
        Degree::Bachelors,
        Degree::Masters,
        Degree::Doctorate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Degree::None => "none",
            Degree::Diploma => "diploma",
            Degree::Bachelors => "bachelors",
            Degree::Masters => "masters",
            Degree::Doctorate => "doctorate",
        }
    }

    pub fn parse(code: &str) -> Option<Degree> {
        Degree::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// The route into Japanese work an engineer is interested in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisaInterest {
    Undecided,
    /// 技術・人文知識・国際業務 (Engineer/Specialist in Humanities/International Services)
    EngineerSpecialist,
    /// 高度専門職 (Highly Skilled Professional)
    HighlySkilledProfessional,
    /// 特定技能 (Specified Skilled Worker)
    SpecifiedSkilledWorker,
    IntraCompanyTransferee,
}

impl VisaInterest {
    pub const ALL: [VisaInterest; 5] = [
        VisaInterest::Undecided,
        VisaInterest::EngineerSpecialist,
        VisaInterest::HighlySkilledProfessional,
        VisaInterest::SpecifiedSkilledWorker,
        VisaInterest::IntraCompanyTransferee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VisaInterest::Undecided => "undecided",
            VisaInterest::EngineerSpecialist => "engineer_specialist",
            VisaInterest::HighlySkilledProfessional => "highly_skilled_professional",
            VisaInterest::SpecifiedSkilledWorker => "specified_skilled_worker",
            VisaInterest::IntraCompanyTransferee => "intra_company_transferee",
        }
    }

    pub fn parse(code: &str) -> Option<VisaInterest> {
        VisaInterest::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// How well an engineer knows a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkillLevel {
    Beginner,
    Intermediate,
    Advanced,
    Expert,
}

impl SkillLevel {
    pub const ALL: [SkillLevel; 4] = [
        SkillLevel::Beginner,
        SkillLevel::Intermediate,
        SkillLevel::Advanced,
        SkillLevel::Expert,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SkillLevel::Beginner => "beginner",
            SkillLevel::Intermediate => "intermediate",
            SkillLevel::Advanced => "advanced",
            SkillLevel::Expert => "expert",
        }
    }

    pub fn parse(code: &str) -> Option<SkillLevel> {
        SkillLevel::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Bounds shared by the forms, the API and the seeder.
pub const MAX_YEARS: i64 = 50;
pub const MIN_SALARY_JPY: i64 = 1_000_000;
pub const MAX_SALARY_JPY: i64 = 100_000_000;
pub const MAX_SKILLS: usize = 40;

/// A profile skill row as typed: the skill in any language, years, level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillRowDraft {
    #[serde(default)]
    pub skill: String,
    #[serde(default)]
    pub years: String,
    #[serde(default)]
    pub level: String,
}

/// A spoken-language row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageRowDraft {
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub level: String,
}

/// The profile form exactly as submitted: every field a string, so that nothing the user typed
/// is lost when one field is wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDraft {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub years_experience: String,
    #[serde(default)]
    pub jlpt_level: String,
    #[serde(default)]
    pub jlpt_certified: Option<String>,
    #[serde(default)]
    pub indian_state: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub degree: String,
    #[serde(default)]
    pub desired_salary_jpy: String,
    /// `YYYY-MM-DD`, optional: the Highly Skilled Professional points depend on age.
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub visa_interest: String,
    /// `YYYY-MM-DD`, optional: the first day the person could start in Japan.
    #[serde(default)]
    pub available_from: String,
    #[serde(default)]
    pub searchable: Option<String>,
    #[serde(default)]
    pub skills: Vec<SkillRowDraft>,
    #[serde(default)]
    pub languages: Vec<LanguageRowDraft>,
}

/// One skill on a valid profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileSkill {
    pub skill: SkillId,
    pub years: u8,
    pub level: SkillLevel,
}

/// One spoken language on a valid profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpokenLanguage {
    pub language: String,
    pub level: SpokenLevel,
}

/// A profile that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub full_name: String,
    pub headline: Option<String>,
    pub summary: Option<String>,
    pub years_experience: u8,
    pub jlpt_level: Option<JlptLevel>,
    pub jlpt_certified: bool,
    pub indian_state: Option<String>,
    pub city: Option<String>,
    pub degree: Degree,
    pub desired_salary_jpy: Option<i64>,
    pub date_of_birth: Option<chrono::NaiveDate>,
    pub visa_interest: VisaInterest,
    /// The first day the person could start in Japan; `None` for now or unsaid.
    #[serde(default)]
    pub available_from: Option<chrono::NaiveDate>,
    pub searchable: bool,
    pub skills: Vec<ProfileSkill>,
    /// Skills typed that the taxonomy does not know, kept in the person's words.
    #[serde(default)]
    pub free_skills: Vec<FreeSkill>,
    pub languages: Vec<SpokenLanguage>,
}

/// A date of birth: optional, and plausible for someone of working age in this century.
fn parse_date_of_birth(raw: &str) -> Result<Option<chrono::NaiveDate>, Problem> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let date = validation::date(raw)?;
    let earliest = chrono::NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or(chrono::NaiveDate::MIN);
    let latest = chrono::NaiveDate::from_ymd_opt(2015, 12, 31).unwrap_or(chrono::NaiveDate::MAX);
    if (earliest..=latest).contains(&date) {
        Ok(Some(date))
    } else {
        Err(Problem::OutOfRange)
    }
}

/// Whole years of age on `on`.
pub fn age_on(date_of_birth: chrono::NaiveDate, on: chrono::NaiveDate) -> u8 {
    on.years_since(date_of_birth)
        .map_or(0, |years| years.min(255) as u8)
}

/// A checkbox is on when the browser sent any value for it.
pub fn checkbox(value: &Option<String>) -> bool {
    value
        .as_deref()
        .is_some_and(|v| !v.is_empty() && v != "false" && v != "off")
}

fn years(raw: &str) -> Result<u8, Problem> {
    validation::integer(raw, 0, MAX_YEARS).map(|y| y as u8)
}

impl ProfileDraft {
    /// Checks every field; on failure returns every problem, keyed by form field name
    /// (`skills[2].skill` for a row).
    pub fn parse(&self, taxonomy: &Taxonomy) -> Result<Profile, Vec<FieldError>> {
        let mut v = Validator::new();
        let full_name = v.check("full_name", validation::line(&self.full_name, 1, 100));
        let headline = v.check("headline", validation::optional_line(&self.headline, 140));
        let summary = v.check("summary", validation::optional_text(&self.summary, 4000));
        let years_experience = v.check("years_experience", years(&self.years_experience));
        let jlpt_level = v.check(
            "jlpt_level",
            match self.jlpt_level.trim() {
                "" | "none" => Ok(None),
                code => JlptLevel::parse(code).map(Some).ok_or(Problem::NotAllowed),
            },
        );
        let indian_state = v.check(
            "indian_state",
            match self.indian_state.trim() {
                "" => Ok(None),
                code => geo::indian_state(code)
                    .map(|s| Some(s.code.to_owned()))
                    .ok_or(Problem::NotAllowed),
            },
        );
        let city = v.check("city", validation::optional_line(&self.city, 80));
        let degree = v.check(
            "degree",
            match self.degree.trim() {
                "" => Ok(Degree::None),
                code => Degree::parse(code).ok_or(Problem::NotAllowed),
            },
        );
        let desired_salary_jpy = v.check(
            "desired_salary_jpy",
            crate::money::parse_optional_yen(
                &self.desired_salary_jpy,
                MIN_SALARY_JPY,
                MAX_SALARY_JPY,
            ),
        );
        let date_of_birth = v.check("date_of_birth", parse_date_of_birth(&self.date_of_birth));
        let available_from = v
            .check(
                "available_from",
                match self.available_from.trim() {
                    "" => Ok(None),
                    raw => validation::date(raw).map(Some),
                },
            )
            .flatten();
        let visa_interest = v.check(
            "visa_interest",
            match self.visa_interest.trim() {
                "" => Ok(VisaInterest::Undecided),
                code => VisaInterest::parse(code).ok_or(Problem::NotAllowed),
            },
        );

        let mut skills = Vec::new();
        let mut free_skills = Vec::new();
        for (i, row) in self.skills.iter().enumerate() {
            if row.skill.trim().is_empty() {
                continue;
            }
            let field = |name: &str| format!("skills[{i}].{name}");
            let skill = v.check(&field("skill"), taxonomy.read_skill_field(&row.skill));
            let years = v.check(&field("years"), years(&row.years));
            let level = v.check(
                &field("level"),
                match row.level.trim() {
                    "" => Ok(SkillLevel::Intermediate),
                    code => SkillLevel::parse(code).ok_or(Problem::NotAllowed),
                },
            );
            match (skill, years, level) {
                (Some(SkillEntry::Known(skill)), Some(years), Some(level)) => {
                    if skills.iter().any(|s: &ProfileSkill| s.skill == skill.id) {
                        v.push(field("skill"), Problem::DuplicateSkill);
                    } else {
                        skills.push(ProfileSkill {
                            skill: skill.id.clone(),
                            years,
                            level,
                        });
                    }
                }
                (Some(SkillEntry::Free(name)), Some(years), Some(level)) => {
                    if free_skills
                        .iter()
                        .any(|s: &FreeSkill| fold(&s.name) == fold(&name))
                    {
                        v.push(field("skill"), Problem::DuplicateSkill);
                    } else {
                        free_skills.push(FreeSkill {
                            name,
                            years,
                            level: Some(level),
                        });
                    }
                }
                _ => {}
            }
        }
        if skills.len() + free_skills.len() > MAX_SKILLS {
            v.push("skills", Problem::TooLong);
        }

        let mut languages: Vec<SpokenLanguage> = Vec::new();
        for (i, row) in self.languages.iter().enumerate() {
            let code = row.language.trim();
            if code.is_empty() {
                continue;
            }
            let field = |name: &str| format!("languages[{i}].{name}");
            let language = v.check(
                &field("language"),
                SPOKEN_LANGUAGES
                    .iter()
                    .find(|l| **l == code)
                    .map(|l| (*l).to_owned())
                    .ok_or(Problem::NotAllowed),
            );
            let level = v.check(
                &field("level"),
                SpokenLevel::parse(row.level.trim()).ok_or(Problem::NotAllowed),
            );
            if let (Some(language), Some(level)) = (language, level) {
                if languages.iter().any(|l| l.language == language) {
                    v.push(field("language"), Problem::DuplicateSkill);
                } else {
                    languages.push(SpokenLanguage { language, level });
                }
            }
        }

        v.finish()?;
        // Every `check` above succeeded when `finish` is Ok, so each Option is Some.
        match (
            full_name,
            headline,
            summary,
            years_experience,
            jlpt_level,
            indian_state,
            city,
            degree,
            desired_salary_jpy,
            visa_interest,
            date_of_birth,
        ) {
            (
                Some(full_name),
                Some(headline),
                Some(summary),
                Some(years_experience),
                Some(jlpt_level),
                Some(indian_state),
                Some(city),
                Some(degree),
                Some(desired_salary_jpy),
                Some(visa_interest),
                Some(date_of_birth),
            ) => Ok(Profile {
                full_name,
                headline,
                summary,
                years_experience,
                jlpt_certified: jlpt_level.is_some() && checkbox(&self.jlpt_certified),
                jlpt_level,
                indian_state,
                city,
                degree,
                desired_salary_jpy,
                date_of_birth,
                visa_interest,
                available_from,
                searchable: checkbox(&self.searchable),
                skills,
                free_skills,
                languages,
            }),
            _ => Err(vec![FieldError::new("form", Problem::Required)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skills::MAX_FREE_SKILL_CHARS;

    fn taxonomy() -> Taxonomy {
        Taxonomy::builtin()
    }

    fn draft() -> ProfileDraft {
        ProfileDraft {
            full_name: "Priya Sharma".into(),
            headline: "Embedded engineer".into(),
            years_experience: "6".into(),
            jlpt_level: "N3".into(),
            jlpt_certified: Some("on".into()),
            indian_state: "ka".into(),
            city: "Bengaluru".into(),
            degree: "masters".into(),
            desired_salary_jpy: "6,500,000".into(),
            visa_interest: "highly_skilled_professional".into(),
            searchable: Some("on".into()),
            skills: vec![
                SkillRowDraft {
                    skill: "Rust".into(),
                    years: "3".into(),
                    level: "advanced".into(),
                },
                SkillRowDraft::default(),
            ],
            languages: vec![LanguageRowDraft {
                language: "en".into(),
                level: "professional".into(),
            }],
            ..ProfileDraft::default()
        }
    }

    #[test]
    fn a_date_of_birth_is_optional_plausible_and_gives_the_age_in_whole_years() {
        let t = taxonomy();
        let mut d = draft();
        d.date_of_birth = "1994-03-31".into();
        let born = d.parse(&t).unwrap().date_of_birth.unwrap();
        let on = |s: &str| validation::date(s).unwrap();
        assert_eq!(age_on(born, on("2026-03-30")), 31);
        assert_eq!(age_on(born, on("2026-03-31")), 32);
        for bad in ["1900-01-01", "2030-01-01"] {
            d.date_of_birth = bad.into();
            assert_eq!(
                d.parse(&t).unwrap_err(),
                vec![FieldError::new("date_of_birth", Problem::OutOfRange)]
            );
        }
        d.date_of_birth = "31/03/1994".into();
        assert_eq!(
            d.parse(&t).unwrap_err(),
            vec![FieldError::new("date_of_birth", Problem::NotADate)]
        );
    }

    #[test]
    fn a_complete_profile_parses_and_blank_skill_rows_are_ignored() {
        let profile = draft().parse(&taxonomy()).unwrap();
        assert_eq!(profile.full_name, "Priya Sharma");
        assert_eq!(profile.jlpt_level, Some(JlptLevel::N3));
        assert!(profile.jlpt_certified && profile.searchable);
        assert_eq!(profile.desired_salary_jpy, Some(6_500_000));
        assert_eq!(profile.date_of_birth, None);
        assert_eq!(profile.skills.len(), 1);
        assert_eq!(profile.skills[0].skill.as_str(), "rust");
        assert_eq!(profile.degree, Degree::Masters);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut bad = draft();
        bad.full_name = " ".into();
        bad.years_experience = "99".into();
        bad.jlpt_level = "N7".into();
        bad.indian_state = "zz".into();
        bad.desired_salary_jpy = "ten million".into();
        bad.skills[0].skill = "x".repeat(MAX_FREE_SKILL_CHARS + 1);
        let errors = bad.parse(&taxonomy()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "full_name",
                "years_experience",
                "jlpt_level",
                "indian_state",
                "desired_salary_jpy",
                "skills[0].skill"
            ]
        );
        assert_eq!(errors[5].problem, Problem::TooLong);
    }

    #[test]
    fn a_skill_the_taxonomy_does_not_know_is_kept_in_the_persons_words() {
        let mut d = draft();
        d.skills.push(SkillRowDraft {
            skill: "  Redmine   workflows ".into(),
            years: "3".into(),
            level: String::new(),
        });
        d.skills.push(SkillRowDraft {
            skill: "社内フレームワーク".into(),
            years: "1".into(),
            level: String::new(),
        });
        let profile = d.parse(&taxonomy()).unwrap();
        assert_eq!(
            profile.free_skills,
            vec![
                FreeSkill {
                    name: "Redmine workflows".into(),
                    years: 3,
                    level: Some(SkillLevel::Intermediate)
                },
                FreeSkill {
                    name: "社内フレームワーク".into(),
                    years: 1,
                    level: Some(SkillLevel::Intermediate)
                }
            ]
        );
        // the known ones are still read as the taxonomy's skills, not kept as text
        assert!(!profile.skills.is_empty());
        assert!(profile
            .free_skills
            .iter()
            .all(|f| taxonomy().resolve(&f.name).is_none()));
    }

    #[test]
    fn a_free_skill_named_twice_is_a_duplicate_and_a_line_break_is_refused() {
        let mut d = draft();
        let row = |skill: &str| SkillRowDraft {
            skill: skill.into(),
            years: "1".into(),
            level: String::new(),
        };
        d.skills = vec![row("Redmine workflows"), row("redmine  workflows")];
        assert_eq!(
            d.parse(&taxonomy()).unwrap_err(),
            vec![FieldError::new("skills[1].skill", Problem::DuplicateSkill)]
        );
        d.skills = vec![row("line one\nline two")];
        assert_eq!(
            d.parse(&taxonomy()).unwrap_err(),
            vec![FieldError::new(
                "skills[0].skill",
                Problem::ControlCharacter
            )]
        );
    }

    #[test]
    fn a_skill_named_twice_in_two_languages_is_a_duplicate() {
        let mut d = draft();
        d.skills = vec![
            SkillRowDraft {
                skill: "Python".into(),
                years: "2".into(),
                level: String::new(),
            },
            SkillRowDraft {
                skill: "ｐｙｔｈｏｎ".into(),
                years: "2".into(),
                level: String::new(),
            },
        ];
        let errors = d.parse(&taxonomy()).unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new("skills[1].skill", Problem::DuplicateSkill)]
        );
    }

    #[test]
    fn certification_without_a_level_is_dropped() {
        let mut d = draft();
        d.jlpt_level = "none".into();
        let profile = d.parse(&taxonomy()).unwrap();
        assert_eq!(profile.jlpt_level, None);
        assert!(!profile.jlpt_certified);
    }
}
