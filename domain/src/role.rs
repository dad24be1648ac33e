//! Roles that Japanese employers post, and the organisations that post them.

use serde::{Deserialize, Serialize};

use crate::geo::{self, Sector};
use crate::jlpt::JlptLevel;
use crate::profile::{checkbox, MAX_SALARY_JPY, MAX_SKILLS, MAX_YEARS, MIN_SALARY_JPY};
use crate::skills::{fold, FreeSkill, SkillEntry, SkillId, Taxonomy};
use crate::validation::{self, FieldError, Problem, Validator};

/// Where the work happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemotePolicy {
    Onsite,
    Hybrid,
    Remote,
}

impl RemotePolicy {
    pub const ALL: [RemotePolicy; 3] = [
        RemotePolicy::Onsite,
        RemotePolicy::Hybrid,
        RemotePolicy::Remote,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RemotePolicy::Onsite => "onsite",
            RemotePolicy::Hybrid => "hybrid",
            RemotePolicy::Remote => "remote",
        }
    }

    pub fn parse(code: &str) -> Option<RemotePolicy> {
        RemotePolicy::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The language the team works in day to day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkingLanguage {
    Japanese,
    English,
    Mixed,
}

impl WorkingLanguage {
    pub const ALL: [WorkingLanguage; 3] = [
        WorkingLanguage::Japanese,
        WorkingLanguage::English,
        WorkingLanguage::Mixed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WorkingLanguage::Japanese => "japanese",
            WorkingLanguage::English => "english",
            WorkingLanguage::Mixed => "mixed",
        }
    }

    pub fn parse(code: &str) -> Option<WorkingLanguage> {
        WorkingLanguage::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Number of employees, in the bands Japanese SME law uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompanySize {
    Small,
    Medium,
    Large,
    Enterprise,
}

impl CompanySize {
    pub const ALL: [CompanySize; 4] = [
        CompanySize::Small,
        CompanySize::Medium,
        CompanySize::Large,
        CompanySize::Enterprise,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CompanySize::Small => "small",
            CompanySize::Medium => "medium",
            CompanySize::Large => "large",
            CompanySize::Enterprise => "enterprise",
        }
    }

    pub fn parse(code: &str) -> Option<CompanySize> {
        CompanySize::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A salary band in yen per year, with `min <= max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalaryBand {
    min: i64,
    max: i64,
}

impl SalaryBand {
    /// Checks both ends are plausible annual salaries and that the minimum is not above the
    /// maximum; errors name the field at fault.
    pub fn parse(min_raw: &str, max_raw: &str) -> Result<SalaryBand, Vec<FieldError>> {
        let mut v = Validator::new();
        let min = v.check(
            "salary_min_jpy",
            crate::money::parse_yen(min_raw, MIN_SALARY_JPY, MAX_SALARY_JPY),
        );
        let max = v.check(
            "salary_max_jpy",
            crate::money::parse_yen(max_raw, MIN_SALARY_JPY, MAX_SALARY_JPY),
        );
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                v.push("salary_max_jpy", Problem::SalaryMinAboveMax);
            } else {
                return Ok(SalaryBand { min, max });
            }
        }
        v.finish()?;
        Err(vec![FieldError::new("salary_min_jpy", Problem::Required)])
    }

    pub fn min(self) -> i64 {
        self.min
    }

    pub fn max(self) -> i64 {
        self.max
    }
}

/// A skill a role asks for, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSkillDraft {
    #[serde(default)]
    pub skill: String,
    #[serde(default)]
    pub min_years: String,
}

/// The role form exactly as submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDraft {
    #[serde(default)]
    pub title_ja: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub description_ja: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub required_skills: Vec<RoleSkillDraft>,
    #[serde(default)]
    pub nice_skills: Vec<RoleSkillDraft>,
    #[serde(default)]
    pub min_jlpt: String,
    #[serde(default)]
    pub jlpt_strict: Option<String>,
    #[serde(default)]
    pub working_language: String,
    #[serde(default)]
    pub salary_min_jpy: String,
    #[serde(default)]
    pub salary_max_jpy: String,
    #[serde(default)]
    pub prefecture: String,
    #[serde(default)]
    pub remote_policy: String,
    #[serde(default)]
    pub visa_sponsorship: Option<String>,
    #[serde(default)]
    pub apply_from_abroad: Option<String>,
    #[serde(default)]
    pub headcount: String,
    #[serde(default)]
    pub is_open: Option<String>,
    /// The last day applications are taken (`YYYY-MM-DD`, Japan's date); empty for none.
    #[serde(default)]
    pub closes_on: String,
    /// The role's own sector; empty for the organisation's.
    #[serde(default)]
    pub sector: String,
}

/// A skill a valid role asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSkill {
    pub skill: SkillId,
    pub min_years: u8,
}

/// A role's free skills ([`FreeSkill`]), required and nice-to-have; `years` is the minimum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleFreeSkills {
    #[serde(default)]
    pub required: Vec<FreeSkill>,
    #[serde(default)]
    pub nice: Vec<FreeSkill>,
}

impl RoleFreeSkills {
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.nice.is_empty()
    }
}

/// A role that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub title_ja: Option<String>,
    pub title_en: Option<String>,
    pub description_ja: Option<String>,
    pub description_en: Option<String>,
    pub required_skills: Vec<RoleSkill>,
    pub nice_skills: Vec<RoleSkill>,
    /// Skills asked for in words the taxonomy does not know.
    #[serde(default)]
    pub free_skills: RoleFreeSkills,
    pub min_jlpt: Option<JlptLevel>,
    pub jlpt_strict: bool,
    pub working_language: WorkingLanguage,
    pub salary: SalaryBand,
    pub prefecture: String,
    pub remote_policy: RemotePolicy,
    pub visa_sponsorship: bool,
    pub apply_from_abroad: bool,
    pub headcount: u16,
    pub is_open: bool,
    /// The last day applications are taken (Japan's date): the role closes after it.
    #[serde(default)]
    pub closes_on: Option<chrono::NaiveDate>,
    /// The role's own sector (an automotive role of a semiconductor company); `None` files it
    /// under the organisation's.
    #[serde(default)]
    pub sector: Option<Sector>,
}

/// Reads one list of skill rows (required or nice-to-have): the taxonomy's skills, and the
/// typed words it does not know kept as free skills. `taken` holds what the other list named.
fn parse_skill_rows(
    rows: &[RoleSkillDraft],
    list: &str,
    taxonomy: &Taxonomy,
    taken: &mut Vec<SkillId>,
    taken_free: &mut Vec<String>,
    v: &mut Validator,
) -> (Vec<RoleSkill>, Vec<FreeSkill>) {
    let mut skills = Vec::new();
    let mut free_skills = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.skill.trim().is_empty() {
            continue;
        }
        let skill = v.check(
            &format!("{list}[{i}].skill"),
            taxonomy.read_skill_field(&row.skill),
        );
        let min_years = v.check(
            &format!("{list}[{i}].min_years"),
            if row.min_years.trim().is_empty() {
                Ok(0)
            } else {
                validation::integer(&row.min_years, 0, MAX_YEARS).map(|y| y as u8)
            },
        );
        match (skill, min_years) {
            (Some(SkillEntry::Known(skill)), Some(min_years)) => {
                if taken.contains(&skill.id) {
                    v.push(format!("{list}[{i}].skill"), Problem::DuplicateSkill);
                } else {
                    taken.push(skill.id.clone());
                    skills.push(RoleSkill {
                        skill: skill.id.clone(),
                        min_years,
                    });
                }
            }
            (Some(SkillEntry::Free(name)), Some(years)) => {
                let folded = fold(&name);
                if taken_free.contains(&folded) {
                    v.push(format!("{list}[{i}].skill"), Problem::DuplicateSkill);
                } else {
                    taken_free.push(folded);
                    free_skills.push(FreeSkill {
                        name,
                        years,
                        level: None,
                    });
                }
            }
            _ => {}
        }
    }
    if skills.len() + free_skills.len() > MAX_SKILLS {
        v.push(list, Problem::TooLong);
    }
    (skills, free_skills)
}

impl RoleDraft {
    /// Checks every field; a role needs a title in Japanese or English (or both).
    pub fn parse(&self, taxonomy: &Taxonomy) -> Result<Role, Vec<FieldError>> {
        let mut v = Validator::new();
        let title_ja = v.check("title_ja", validation::optional_line(&self.title_ja, 120));
        let title_en = v.check("title_en", validation::optional_line(&self.title_en, 120));
        if matches!((&title_ja, &title_en), (Some(None), Some(None))) {
            v.push("title_en", Problem::TitleNeeded);
        }
        let description_ja = v.check(
            "description_ja",
            validation::optional_text(&self.description_ja, 10_000),
        );
        let description_en = v.check(
            "description_en",
            validation::optional_text(&self.description_en, 10_000),
        );
        let (mut taken, mut taken_free) = (Vec::new(), Vec::new());
        let (required_skills, free_required_skills) = parse_skill_rows(
            &self.required_skills,
            "required_skills",
            taxonomy,
            &mut taken,
            &mut taken_free,
            &mut v,
        );
        let (nice_skills, free_nice_skills) = parse_skill_rows(
            &self.nice_skills,
            "nice_skills",
            taxonomy,
            &mut taken,
            &mut taken_free,
            &mut v,
        );
        let min_jlpt = v.check(
            "min_jlpt",
            match self.min_jlpt.trim() {
                "" | "none" => Ok(None),
                code => JlptLevel::parse(code).map(Some).ok_or(Problem::NotAllowed),
            },
        );
        let working_language = v.check(
            "working_language",
            WorkingLanguage::parse(self.working_language.trim()).ok_or(Problem::NotAllowed),
        );
        let salary = match SalaryBand::parse(&self.salary_min_jpy, &self.salary_max_jpy) {
            Ok(band) => Some(band),
            Err(errors) => {
                for e in errors {
                    v.push(e.field, e.problem);
                }
                None
            }
        };
        let prefecture = v.check(
            "prefecture",
            geo::prefecture(self.prefecture.trim())
                .map(|p| p.code.to_owned())
                .ok_or(if self.prefecture.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::NotAllowed
                }),
        );
        let remote_policy = v.check(
            "remote_policy",
            RemotePolicy::parse(self.remote_policy.trim()).ok_or(Problem::NotAllowed),
        );
        let headcount = v.check(
            "headcount",
            if self.headcount.trim().is_empty() {
                Ok(1)
            } else {
                validation::integer(&self.headcount, 1, 500).map(|n| n as u16)
            },
        );
        let sector = v.check(
            "sector",
            match self.sector.trim() {
                "" => Ok(None),
                code => Sector::parse(code).map(Some).ok_or(Problem::NotAllowed),
            },
        );
        let closes_on = v
            .check(
                "closes_on",
                match self.closes_on.trim() {
                    "" => Ok(None),
                    raw => validation::date(raw).map(Some),
                },
            )
            .flatten();
        v.finish()?;
        let Some(sector) = sector else {
            return Err(vec![FieldError::new("form", Problem::Required)]);
        };
        match (
            title_ja,
            title_en,
            description_ja,
            description_en,
            min_jlpt,
            working_language,
            salary,
            prefecture,
            remote_policy,
            headcount,
        ) {
            (
                Some(title_ja),
                Some(title_en),
                Some(description_ja),
                Some(description_en),
                Some(min_jlpt),
                Some(working_language),
                Some(salary),
                Some(prefecture),
                Some(remote_policy),
                Some(headcount),
            ) => Ok(Role {
                title_ja,
                title_en,
                description_ja,
                description_en,
                required_skills,
                nice_skills,
                free_skills: RoleFreeSkills {
                    required: free_required_skills,
                    nice: free_nice_skills,
                },
                jlpt_strict: min_jlpt.is_some() && checkbox(&self.jlpt_strict),
                min_jlpt,
                working_language,
                salary,
                prefecture,
                remote_policy,
                visa_sponsorship: checkbox(&self.visa_sponsorship),
                apply_from_abroad: checkbox(&self.apply_from_abroad),
                headcount,
                is_open: checkbox(&self.is_open),
                closes_on,
                sector,
            }),
            _ => Err(vec![FieldError::new("form", Problem::Required)]),
        }
    }
}

/// A role still taking applications cannot close on a day already gone (Japan's `today`); a
/// closed role may keep the date it closed on.
pub fn check_closing(role: &Role, today: chrono::NaiveDate) -> Result<(), Vec<FieldError>> {
    match role.closes_on {
        Some(day) if role.is_open && day < today => {
            Err(vec![FieldError::new("closes_on", Problem::DateInPast)])
        }
        _ => Ok(()),
    }
}

/// Whether an open role's closing date has passed on Japan's `today` (it takes applications
/// through the whole of its last day).
pub fn closing_date_passed(closes_on: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> bool {
    closes_on.is_some_and(|day| day < today)
}

/// The organisation form as submitted (an employer creates it at sign-up and edits it later).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationDraft {
    #[serde(default)]
    pub name_ja: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub prefecture: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub size: String,
    /// 法人番号, optional.
    #[serde(default)]
    pub corporate_number: String,
    #[serde(default)]
    pub website: String,
}

/// A valid organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub name_ja: Option<String>,
    pub name_en: Option<String>,
    pub prefecture: String,
    pub sector: Sector,
    pub size: CompanySize,
    pub corporate_number: Option<String>,
    pub website: Option<String>,
}

impl OrganisationDraft {
    /// Checks every field; an organisation needs a name in Japanese or English.
    pub fn parse(&self) -> Result<Organisation, Vec<FieldError>> {
        let mut v = Validator::new();
        let name_ja = v.check("name_ja", validation::optional_line(&self.name_ja, 120));
        let name_en = v.check("name_en", validation::optional_line(&self.name_en, 120));
        if matches!((&name_ja, &name_en), (Some(None), Some(None))) {
            v.push("name_en", Problem::Required);
        }
        let prefecture = v.check(
            "prefecture",
            geo::prefecture(self.prefecture.trim())
                .map(|p| p.code.to_owned())
                .ok_or(if self.prefecture.trim().is_empty() {
                    Problem::Required
                } else {
                    Problem::NotAllowed
                }),
        );
        let sector = v.check(
            "sector",
            Sector::parse(self.sector.trim()).ok_or(Problem::NotAllowed),
        );
        let size = v.check(
            "size",
            CompanySize::parse(self.size.trim()).ok_or(Problem::NotAllowed),
        );
        let corporate_number = v.check(
            "corporate_number",
            crate::corporate::parse_corporate_number(&self.corporate_number),
        );
        let website = v.check("website", crate::corporate::parse_website(&self.website));
        v.finish()?;
        match (
            name_ja,
            name_en,
            prefecture,
            sector,
            size,
            corporate_number,
            website,
        ) {
            (
                Some(name_ja),
                Some(name_en),
                Some(prefecture),
                Some(sector),
                Some(size),
                Some(corporate_number),
                Some(website),
            ) => Ok(Organisation {
                name_ja,
                name_en,
                prefecture,
                sector,
                size,
                corporate_number,
                website,
            }),
            _ => Err(vec![FieldError::new("form", Problem::Required)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> RoleDraft {
        RoleDraft {
            title_ja: "組み込みエンジニア（EV）".into(),
            description_ja: "BMSのファームウェア開発".into(),
            required_skills: vec![RoleSkillDraft {
                skill: "Rust".into(),
                min_years: "3".into(),
            }],
            min_jlpt: "N3".into(),
            jlpt_strict: Some("on".into()),
            working_language: "mixed".into(),
            salary_min_jpy: "5000000".into(),
            salary_max_jpy: "8000000".into(),
            prefecture: "aichi".into(),
            remote_policy: "hybrid".into(),
            visa_sponsorship: Some("on".into()),
            apply_from_abroad: Some("on".into()),
            headcount: "2".into(),
            is_open: Some("on".into()),
            ..RoleDraft::default()
        }
    }

    #[test]
    fn a_role_with_only_a_japanese_title_is_valid() {
        let role = draft().parse(&Taxonomy::builtin()).unwrap();
        assert_eq!(role.title_ja.as_deref(), Some("組み込みエンジニア（EV）"));
        assert_eq!(role.title_en, None);
        assert_eq!(role.salary.min(), 5_000_000);
        assert!(role.jlpt_strict && role.visa_sponsorship && role.is_open);
        assert_eq!(role.required_skills[0].min_years, 3);
    }

    #[test]
    fn a_role_files_under_its_own_sector_or_its_organisations() {
        let taxonomy = Taxonomy::builtin();
        assert_eq!(draft().parse(&taxonomy).unwrap().sector, None);
        let own = RoleDraft {
            sector: "automotive".into(),
            ..draft()
        };
        assert_eq!(
            own.parse(&taxonomy).unwrap().sector,
            Some(Sector::Automotive)
        );
        let unknown = RoleDraft {
            sector: "banking".into(),
            ..draft()
        };
        let errors = unknown.parse(&taxonomy).unwrap_err();
        assert_eq!(errors[0].field, "sector");
    }

    #[test]
    fn a_closing_date_is_a_date_and_an_open_role_cannot_close_in_the_past() {
        let taxonomy = Taxonomy::builtin();
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let dated = RoleDraft {
            closes_on: "2026-12-20".into(),
            ..draft()
        };
        let role = dated.parse(&taxonomy).unwrap();
        assert_eq!(role.closes_on, Some(day(20)));
        assert!(check_closing(&role, day(20)).is_ok(), "the last day itself");
        assert_eq!(
            check_closing(&role, day(21)).unwrap_err(),
            vec![FieldError::new("closes_on", Problem::DateInPast)]
        );
        // a role already closed keeps the day it closed on
        let closed = Role {
            is_open: false,
            ..role.clone()
        };
        assert!(check_closing(&closed, day(21)).is_ok());
        assert!(!closing_date_passed(role.closes_on, day(20)));
        assert!(closing_date_passed(role.closes_on, day(21)));
        assert!(!closing_date_passed(None, day(21)));
        let garbled = RoleDraft {
            closes_on: "next friday".into(),
            ..draft()
        };
        assert_eq!(garbled.parse(&taxonomy).unwrap_err()[0].field, "closes_on");
    }

    #[test]
    fn a_role_needs_a_title_in_some_language() {
        let mut d = draft();
        d.title_ja = "  ".into();
        let errors = d.parse(&Taxonomy::builtin()).unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new("title_en", Problem::TitleNeeded)]
        );
    }

    #[test]
    fn a_salary_band_whose_minimum_is_above_its_maximum_is_rejected() {
        assert_eq!(
            SalaryBand::parse("9000000", "5000000").unwrap_err(),
            vec![FieldError::new(
                "salary_max_jpy",
                Problem::SalaryMinAboveMax
            )]
        );
        assert_eq!(
            SalaryBand::parse("", "5000000").unwrap_err(),
            vec![FieldError::new("salary_min_jpy", Problem::Required)]
        );
        assert_eq!(
            SalaryBand::parse("5000000", "5000000").unwrap().max(),
            5_000_000
        );
    }

    #[test]
    fn a_skill_both_required_and_nice_to_have_is_a_duplicate() {
        let mut d = draft();
        d.nice_skills = vec![RoleSkillDraft {
            skill: "rust".into(),
            min_years: String::new(),
        }];
        let errors = d.parse(&Taxonomy::builtin()).unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new(
                "nice_skills[0].skill",
                Problem::DuplicateSkill
            )]
        );
    }

    #[test]
    fn skills_the_taxonomy_does_not_know_are_kept_in_their_list() {
        let mut d = draft();
        d.required_skills.push(RoleSkillDraft {
            skill: "社内ツール保守".into(),
            min_years: "2".into(),
        });
        d.nice_skills = vec![
            RoleSkillDraft {
                skill: "Redmine workflows".into(),
                min_years: String::new(),
            },
            // the same words in the other list are one free skill asked twice
            RoleSkillDraft {
                skill: "社内ツール 保守".into(),
                min_years: String::new(),
            },
        ];
        assert_eq!(
            d.parse(&Taxonomy::builtin()).unwrap_err(),
            vec![FieldError::new(
                "nice_skills[1].skill",
                Problem::DuplicateSkill
            )]
        );
        d.nice_skills.pop();
        let role = d.parse(&Taxonomy::builtin()).unwrap();
        assert_eq!(
            role.free_skills.required,
            vec![FreeSkill {
                name: "社内ツール保守".into(),
                years: 2,
                level: None
            }]
        );
        assert_eq!(
            role.free_skills.nice,
            vec![FreeSkill {
                name: "Redmine workflows".into(),
                years: 0,
                level: None
            }]
        );
        assert!(!role.required_skills.is_empty());
    }

    #[test]
    fn unknown_prefectures_and_enumerations_are_rejected() {
        let mut d = draft();
        d.prefecture = "atlantis".into();
        d.remote_policy = "sometimes".into();
        d.working_language = String::new();
        let fields: Vec<_> = d
            .parse(&Taxonomy::builtin())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec!["working_language", "prefecture", "remote_policy"]
        );
    }

    #[test]
    fn an_organisation_needs_a_name_and_known_codes() {
        let ok = OrganisationDraft {
            name_ja: "株式会社テスト半導体".into(),
            prefecture: "kumamoto".into(),
            sector: "semiconductors".into(),
            size: "large".into(),
            ..OrganisationDraft::default()
        };
        assert_eq!(ok.parse().unwrap().sector, Sector::Semiconductors);
        let bad = OrganisationDraft::default();
        let fields: Vec<_> = bad
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["name_en", "prefecture", "sector", "size"]);
        let checked = OrganisationDraft {
            corporate_number: "1-1803-0101-8771".into(),
            website: "hikari-ai.jp".into(),
            ..ok.clone()
        }
        .parse()
        .unwrap();
        assert_eq!(checked.corporate_number.as_deref(), Some("1180301018771"));
        assert_eq!(checked.website.as_deref(), Some("https://hikari-ai.jp"));
        let mistyped = OrganisationDraft {
            corporate_number: "1180301018772".into(),
            website: "javascript:alert(1)".into(),
            ..ok
        };
        let fields: Vec<_> = mistyped
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["corporate_number", "website"]);
    }
}
