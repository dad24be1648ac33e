//! Demo careers: education, jobs and qualifications for every seeded engineer, and the
//! documents' personal block, so that the demo's 履歴書 and 職務経歴書 are never empty.
//!
//! Drawn from a generator of its own per engineer (seeded from the demo's seed and the
//! engineer's index), so adding careers left the rest of the demo data as it was.

use chrono::NaiveDate;
use domain::career::{
    Career, Education, EducationLevel, Employment, Qualification, QualificationKind, YearMonth,
};
use domain::coe::EmployerCategory;
use domain::documents::{katakana_suggestion, DocumentDetails, Era};
use domain::profile::{Degree, Profile};
use domain::sponsorship::{IndustryClass, Sponsorship};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const INSTITUTIONS: &[&str] = &[
    "IIT Bombay",
    "IIT Madras",
    "IIT Kharagpur",
    "NIT Trichy",
    "NIT Warangal",
    "BITS Pilani",
    "Anna University",
    "Jadavpur University",
    "College of Engineering, Pune",
    "Delhi Technological University",
    "IIIT Hyderabad",
    "Vellore Institute of Technology",
    "Manipal Institute of Technology",
    "PSG College of Technology",
];

const FIELDS: &[&str] = &[
    "Electronics and Communication Engineering",
    "Computer Science and Engineering",
    "Electrical and Electronics Engineering",
    "Information Technology",
    "Mechatronics",
    "VLSI Design",
];

const EMPLOYERS: &[&str] = &[
    "Tata Consultancy Services",
    "Infosys",
    "Wipro",
    "HCLTech",
    "Tata Elxsi",
    "L&T Technology Services",
    "Bosch Global Software Technologies",
    "KPIT Technologies",
    "Tata Motors",
    "Ola Electric",
    "Qualcomm India",
    "Texas Instruments India",
    "Zoho",
    "Freshworks",
];

/// A month `months` before `from`.
fn months_before(from: YearMonth, months: u32) -> YearMonth {
    shifted(from, -i64::from(months))
}

fn shifted(from: YearMonth, months: i64) -> YearMonth {
    let total = i64::from(from.year) * 12 + i64::from(from.month) - 1 + months;
    YearMonth {
        year: (total / 12) as u16,
        month: (total % 12) as u8 + 1,
    }
}

/// A career consistent with the profile: the degree it names, finished before the first job;
/// jobs covering its years of experience up to `now`, the last one current, each naming the
/// profile's skills it used (the most recent jobs first, until the skill's years are covered);
/// a JLPT certificate row when the profile says certified; sometimes an IPA examination.
pub fn demo_career(seed: u64, index: usize, profile: &Profile, now: NaiveDate) -> Career {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (index as u64).wrapping_mul(0x9E37_79B9));
    let today = YearMonth::of(now);
    let years = u32::from(profile.years_experience.max(1));
    let first_job = months_before(today, years * 12);
    // jobs of 1 to 5 years, from the first job to today
    let mut starts = vec![first_job];
    let mut at = first_job;
    loop {
        let end = shifted(at, rng.gen_range(12..=60));
        if end.months_until(today) < 12 {
            break;
        }
        starts.push(end);
        at = end;
    }
    let field = FIELDS.choose(&mut rng).copied().unwrap_or(FIELDS[0]);
    let mut employment: Vec<Employment> = starts
        .iter()
        .enumerate()
        .map(|(k, started)| Employment {
            employer: EMPLOYERS
                .choose(&mut rng)
                .copied()
                .unwrap_or(EMPLOYERS[0])
                .to_owned(),
            country: "IN".to_owned(),
            title: profile
                .headline
                .as_deref()
                .and_then(|h| h.split(" · ").next())
                .unwrap_or("Software engineer")
                .to_owned(),
            started: *started,
            ended: starts.get(k + 1).copied(),
            description: None,
            skills: Vec::new(),
            free_skills: Vec::new(),
        })
        .collect();
    // each skill in the most recent jobs until its years are covered
    for skill in &profile.skills {
        let mut covered = 0;
        for job in employment.iter_mut().rev() {
            if covered >= i32::from(skill.years) * 12 {
                break;
            }
            job.skills.push(skill.skill.clone());
            covered += job.started.months_until(job.ended.unwrap_or(today));
        }
    }
    for job in &mut employment {
        let outcome = [
            "cut defects found in integration testing by a third",
            "shortened the release cycle from six weeks to two",
            "brought a new product line to production on schedule",
            "mentored four junior engineers",
            "led the migration to a new toolchain without downtime",
        ]
        .choose(&mut rng)
        .copied()
        .unwrap_or("delivered on schedule");
        job.description = Some(format!(
            "{} for {} products; {outcome}.",
            job.title,
            [
                "automotive",
                "semiconductor",
                "consumer electronics",
                "enterprise",
                "industrial"
            ]
            .choose(&mut rng)
            .copied()
            .unwrap_or("enterprise")
        ));
    }
    // the degree ends in the month before the first job; a master's follows a bachelor's
    let institution = INSTITUTIONS
        .choose(&mut rng)
        .copied()
        .unwrap_or(INSTITUTIONS[0]);
    let graduated = months_before(first_job, rng.gen_range(1..=4));
    let mut education = Vec::new();
    let first_degree = |level, months: u32, ended: YearMonth, institution: &str| Education {
        level,
        field: field.to_owned(),
        institution: institution.to_owned(),
        country: "IN".to_owned(),
        started: months_before(ended, months),
        ended: Some(ended),
    };
    match profile.degree {
        Degree::None => {}
        Degree::Diploma => education.push(first_degree(
            EducationLevel::Diploma,
            36,
            graduated,
            institution,
        )),
        Degree::Bachelors => education.push(first_degree(
            EducationLevel::Bachelors,
            46,
            graduated,
            institution,
        )),
        Degree::Masters | Degree::Doctorate => {
            let (level, months) = if profile.degree == Degree::Masters {
                (EducationLevel::Masters, 22)
            } else {
                (EducationLevel::Doctorate, 58)
            };
            let higher = first_degree(level, months, graduated, institution);
            let bachelor_end = months_before(higher.started, 2);
            let other = INSTITUTIONS
                .choose(&mut rng)
                .copied()
                .unwrap_or(institution);
            education.push(first_degree(
                EducationLevel::Bachelors,
                46,
                bachelor_end,
                other,
            ));
            education.push(higher);
        }
    }
    let mut qualifications = Vec::new();
    if let (Some(level), true) = (profile.jlpt_level, profile.jlpt_certified) {
        qualifications.push(Qualification {
            kind: QualificationKind::Jlpt,
            name: level.code().to_owned(),
            obtained: months_before(today, rng.gen_range(6..=30)),
            identifier: Some(format!(
                "{}A{:06}",
                level.code(),
                rng.gen_range(0..1_000_000)
            )),
        });
    }
    if rng.gen_bool(0.2) {
        qualifications.push(Qualification {
            kind: QualificationKind::JapaneseIt,
            name: "FE".to_owned(),
            obtained: months_before(today, rng.gen_range(3..=24)),
            identifier: None,
        });
    }
    Career {
        education,
        employment,
        qualifications,
    }
}

/// The documents' personal block and free-text boxes for a demo engineer: the katakana from the
/// suggestion, an address in their city, and the free text in English (the person's words).
pub fn demo_details(profile: &Profile, index: usize) -> DocumentDetails {
    let city = profile
        .city
        .clone()
        .unwrap_or_else(|| "Bengaluru".to_owned());
    DocumentDetails {
        name_kana: Some(katakana_suggestion(&profile.full_name)),
        postal_code: Some(format!("5600{:02}", index % 100)),
        address: Some(format!("{} Main Road, {city}, India", 10 + index % 90)),
        phone: Some(format!("+91 98{:08}", index % 100_000_000)),
        motivation: Some(format!(
            "I want to bring my {} years of experience to a Japanese team and grow with it.",
            profile.years_experience
        )),
        wishes: None,
        career_summary: profile.summary.clone(),
        self_pr: Some("I learn quickly, write things down, and finish what I start.".to_owned()),
        era: if index.is_multiple_of(3) {
            Era::Japanese
        } else {
            Era::Western
        },
    }
}

/// A demo organisation's sponsorship profile, in keeping with its size: small and medium
/// companies are SMEs, some with innovation support; most pay the visa fees.
pub fn demo_sponsorship(seed: u64, index: usize, size: &str) -> Sponsorship {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5350_4f4e ^ ((index as u64) << 20));
    let employees: u32 = match size {
        "small" => rng.gen_range(10..50),
        "medium" => rng.gen_range(50..300),
        "large" => rng.gen_range(300..1_000),
        _ => rng.gen_range(1_000..20_000),
    };
    let supported = rng.gen_bool(0.3);
    Sponsorship {
        industry_class: IndustryClass::ManufacturingAndOther,
        capital_jpy: Some(i64::from(employees) * rng.gen_range(200_000..2_000_000)),
        employees: Some(employees),
        innovation_programme: supported.then(|| "経営革新計画 (中小企業等経営強化法)".to_owned()),
        rd_over_3_percent: rng.gen_bool(0.4),
        pays_visa_fees: rng.gen_bool(0.8),
        relocation_support: rng.gen_bool(0.6),
        housing_help: rng.gen_bool(0.5),
        japanese_lessons: rng.gen_bool(0.5),
        coe_category: EmployerCategory::new(match size {
            "small" => rng.gen_range(3..=4),
            "medium" => 3,
            "large" => rng.gen_range(2..=3),
            _ => rng.gen_range(1..=2),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::profile::{ProfileSkill, SkillLevel, VisaInterest};
    use domain::skills::SkillId;

    fn profile(years: u8, degree: Degree) -> Profile {
        Profile {
            full_name: "Asha Rao".into(),
            headline: Some("Embedded software engineer · 9 years".into()),
            summary: None,
            years_experience: years,
            jlpt_level: Some(domain::jlpt::JlptLevel::N3),
            jlpt_certified: true,
            indian_state: None,
            city: Some("Pune".into()),
            degree,
            desired_salary_jpy: None,
            date_of_birth: None,
            visa_interest: VisaInterest::ALL[0],
            searchable: true,
            available_from: None,
            skills: vec![ProfileSkill {
                skill: SkillId::new("embedded-c"),
                years: 3,
                level: SkillLevel::ALL[0],
            }],
            free_skills: Vec::new(),
            languages: Vec::new(),
        }
    }

    #[test]
    fn demo_careers_cover_the_years_with_the_degree_and_the_skills_of_the_profile() {
        let now = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let month = YearMonth::of(now);
        let cases = [
            (1, Degree::Bachelors),
            (9, Degree::Masters),
            (16, Degree::Doctorate),
            (4, Degree::Diploma),
            (2, Degree::None),
        ];
        for (index, (years, degree)) in cases.into_iter().enumerate() {
            let p = profile(years, degree);
            let career = demo_career(7, index, &p, now);
            assert_eq!(career.years_worked(month, |_| true), years, "{years}");
            assert!(career.employment.last().unwrap().ended.is_none());
            for pair in career.employment.windows(2) {
                assert_eq!(
                    pair[0].ended,
                    Some(pair[1].started),
                    "jobs follow each other"
                );
            }
            let expected = match degree {
                Degree::None => None,
                Degree::Diploma => Some(Degree::Diploma),
                other => Some(other),
            };
            assert_eq!(career.highest_degree(month), expected, "{degree:?}");
            let first_job = career.employment[0].started;
            assert!(career
                .education
                .iter()
                .all(|e| e.ended.unwrap() < first_job));
            let (_, skill_years) = &career.skill_years(month)[0];
            assert!(*skill_years >= 3.min(years), "{skill_years} for {years}");
            assert_eq!(career.certified_jlpt(), Some(domain::jlpt::JlptLevel::N3));
            assert_eq!(career, demo_career(7, index, &p, now), "reproducible");
        }
    }
}
