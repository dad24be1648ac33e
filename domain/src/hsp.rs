//! Japan's Highly Skilled Professional points, track 1(b) (高度専門職1号(ロ), advanced
//! specialised/technical activities): the points an engineer would get for an offer, with the
//! breakdown, and whether they pass.
//!
//! The table is data with its effective date (`../shared/reference/hsp-points.yaml`, from the
//! Immigration Services Agency's points calculation table, effective April 2023).

use serde::{Deserialize, Serialize};

use crate::jlpt::JlptLevel;
use crate::profile::Degree;

/// The points table in force, with its effective date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsTable {
    pub effective_from: &'static str,
    pub pass_mark: u16,
    pub min_annual_salary_jpy: i64,
    /// (salary floor, points for ages under 30, 30–34, 35–39, 40+), highest floor first.
    pub salary_rows: [(i64, [u8; 4]); 7],
}

/// The table effective from April 2023.
pub const TABLE_2023: PointsTable = PointsTable {
    effective_from: "2023-04-01",
    pass_mark: 70,
    min_annual_salary_jpy: 3_000_000,
    salary_rows: [
        (10_000_000, [40, 40, 40, 40]),
        (9_000_000, [35, 35, 35, 35]),
        (8_000_000, [30, 30, 30, 30]),
        (7_000_000, [25, 25, 25, 0]),
        (6_000_000, [20, 20, 20, 0]),
        (5_000_000, [15, 15, 0, 0]),
        (4_000_000, [10, 0, 0, 0]),
    ],
};

/// What the points depend on: the engineer, the offer and the employer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HspCase {
    pub degree: Option<Degree>,
    /// A master's degree plus an MBA or MOT.
    pub mba_or_mot: bool,
    pub two_degrees_in_different_fields: bool,
    /// Years of experience related to the intended work.
    pub related_experience_years: u8,
    pub age: u8,
    /// Annual salary offered in yen (bonuses included, allowances and overtime excluded).
    pub annual_salary_jpy: i64,
    pub research_achievements: bool,
    pub jlpt: Option<JlptLevel>,
    pub degree_from_japanese_university: bool,
    /// Japanese national IT qualifications held (0, 1, 2 or more).
    pub japanese_it_qualifications: u8,
    pub foreign_qualification_related_to_work: bool,
    pub employer_receives_innovation_support: bool,
    pub employer_is_sme: bool,
    pub employer_sme_rd_over_3_percent: bool,
    pub advanced_project_in_growth_field: bool,
    pub graduate_of_designated_top_university: bool,
    pub jica_innovative_asia_training: bool,
}

/// One line of the breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointsItem {
    AcademicBackground,
    TwoDegrees,
    ProfessionalCareer,
    Age,
    AnnualSalary,
    ResearchAchievements,
    JapaneseItQualification,
    InnovationSupport,
    SmeWithInnovationSupport,
    SmeResearchSpending,
    ForeignQualification,
    JapaneseUniversityDegree,
    JapaneseAbility,
    GrowthFieldProject,
    TopUniversity,
    JicaTraining,
}

impl PointsItem {
    /// The item's code, as serialised and as the interface's translation keys end.
    pub fn code(self) -> &'static str {
        match self {
            PointsItem::AcademicBackground => "academic_background",
            PointsItem::TwoDegrees => "two_degrees",
            PointsItem::ProfessionalCareer => "professional_career",
            PointsItem::Age => "age",
            PointsItem::AnnualSalary => "annual_salary",
            PointsItem::ResearchAchievements => "research_achievements",
            PointsItem::JapaneseItQualification => "japanese_it_qualification",
            PointsItem::InnovationSupport => "innovation_support",
            PointsItem::SmeWithInnovationSupport => "sme_with_innovation_support",
            PointsItem::SmeResearchSpending => "sme_research_spending",
            PointsItem::ForeignQualification => "foreign_qualification",
            PointsItem::JapaneseUniversityDegree => "japanese_university_degree",
            PointsItem::JapaneseAbility => "japanese_ability",
            PointsItem::GrowthFieldProject => "growth_field_project",
            PointsItem::TopUniversity => "top_university",
            PointsItem::JicaTraining => "jica_training",
        }
    }

    /// Every item of the table, in its order.
    pub const ALL: [PointsItem; 16] = [
        PointsItem::AcademicBackground,
        PointsItem::TwoDegrees,
        PointsItem::ProfessionalCareer,
        PointsItem::Age,
        PointsItem::AnnualSalary,
        PointsItem::ResearchAchievements,
        PointsItem::JapaneseItQualification,
        PointsItem::InnovationSupport,
        PointsItem::SmeWithInnovationSupport,
        PointsItem::SmeResearchSpending,
        PointsItem::ForeignQualification,
        PointsItem::JapaneseUniversityDegree,
        PointsItem::JapaneseAbility,
        PointsItem::GrowthFieldProject,
        PointsItem::TopUniversity,
        PointsItem::JicaTraining,
    ];

    /// The items the employer's sponsorship profile earns.
    pub const EMPLOYER: [PointsItem; 3] = [
        PointsItem::InnovationSupport,
        PointsItem::SmeWithInnovationSupport,
        PointsItem::SmeResearchSpending,
    ];
}

/// The result: every item that scored, the total, and what it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsBreakdown {
    pub items: Vec<(PointsItem, u8)>,
    pub total: u16,
    pub salary_floor_met: bool,
    /// 70 points or more and the salary floor met.
    pub qualifies: bool,
    /// 特別高度人材 (J-Skip): the status without points, for a salary of ¥20M or more with a
    /// master's degree or ten years' related experience.
    pub j_skip: bool,
    /// Years after which permanent residence may be applied for: 3 at 70 points, 1 at 80 or
    /// through J-Skip.
    pub permanent_residence_after_years: Option<u8>,
}

/// J-Skip's salary floor (annual, yen), from April 2023.
pub const J_SKIP_MIN_SALARY_JPY: i64 = 20_000_000;

/// Whether a case qualifies as 特別高度人材 (J-Skip) on the technical track: a salary of ¥20M or
/// more and a master's degree (or higher) or ten years' related experience.
pub fn j_skip(case: &HspCase) -> bool {
    case.annual_salary_jpy >= J_SKIP_MIN_SALARY_JPY
        && (matches!(case.degree, Some(Degree::Masters | Degree::Doctorate))
            || case.related_experience_years >= 10)
}

fn age_band(age: u8) -> usize {
    match age {
        0..=29 => 0,
        30..=34 => 1,
        35..=39 => 2,
        _ => 3,
    }
}

impl PointsTable {
    /// Scores a case.
    pub fn score(&self, case: &HspCase) -> PointsBreakdown {
        let mut items: Vec<(PointsItem, u8)> = Vec::new();
        let mut add = |item, points: u8| {
            if points > 0 {
                items.push((item, points));
            }
        };
        add(
            PointsItem::AcademicBackground,
            match case.degree {
                Some(Degree::Doctorate) => 30,
                Some(Degree::Masters) if case.mba_or_mot => 25,
                Some(Degree::Masters) => 20,
                Some(Degree::Bachelors) => 10,
                _ => 0,
            },
        );
        add(
            PointsItem::TwoDegrees,
            if case.two_degrees_in_different_fields {
                5
            } else {
                0
            },
        );
        add(
            PointsItem::ProfessionalCareer,
            match case.related_experience_years {
                10.. => 20,
                7..=9 => 15,
                5..=6 => 10,
                3..=4 => 5,
                _ => 0,
            },
        );
        add(PointsItem::Age, [15, 10, 5, 0][age_band(case.age)]);
        let salary_points = self
            .salary_rows
            .iter()
            .find(|(floor, _)| case.annual_salary_jpy >= *floor)
            .map_or(0, |(_, by_age)| by_age[age_band(case.age)]);
        add(PointsItem::AnnualSalary, salary_points);
        add(
            PointsItem::ResearchAchievements,
            if case.research_achievements { 15 } else { 0 },
        );
        add(
            PointsItem::JapaneseItQualification,
            match case.japanese_it_qualifications {
                0 => 0,
                1 => 5,
                _ => 10,
            },
        );
        add(
            PointsItem::InnovationSupport,
            if case.employer_receives_innovation_support {
                10
            } else {
                0
            },
        );
        // the SME bonus comes on top of innovation support, never without it
        add(
            PointsItem::SmeWithInnovationSupport,
            if case.employer_is_sme && case.employer_receives_innovation_support {
                10
            } else {
                0
            },
        );
        add(
            PointsItem::SmeResearchSpending,
            if case.employer_is_sme && case.employer_sme_rd_over_3_percent {
                5
            } else {
                0
            },
        );
        add(
            PointsItem::ForeignQualification,
            if case.foreign_qualification_related_to_work {
                5
            } else {
                0
            },
        );
        add(
            PointsItem::JapaneseUniversityDegree,
            if case.degree_from_japanese_university {
                10
            } else {
                0
            },
        );
        // N1 gives 15; N2 gives 10 but not together with the Japanese-degree bonus
        add(
            PointsItem::JapaneseAbility,
            match case.jlpt {
                Some(JlptLevel::N1) => 15,
                Some(JlptLevel::N2) if !case.degree_from_japanese_university => 10,
                _ => 0,
            },
        );
        add(
            PointsItem::GrowthFieldProject,
            if case.advanced_project_in_growth_field {
                10
            } else {
                0
            },
        );
        add(
            PointsItem::TopUniversity,
            if case.graduate_of_designated_top_university {
                10
            } else {
                0
            },
        );
        add(
            PointsItem::JicaTraining,
            if case.jica_innovative_asia_training {
                5
            } else {
                0
            },
        );

        let total: u16 = items.iter().map(|(_, p)| u16::from(*p)).sum();
        let salary_floor_met = case.annual_salary_jpy >= self.min_annual_salary_jpy;
        let qualifies = salary_floor_met && total >= self.pass_mark;
        let j_skip = j_skip(case);
        PointsBreakdown {
            items,
            total,
            salary_floor_met,
            qualifies,
            j_skip,
            permanent_residence_after_years: match (qualifies, j_skip, total) {
                (_, true, _) | (true, _, 80..) => Some(1),
                (true, _, _) => Some(3),
                _ => None,
            },
        }
    }

    /// The most points any case can get: the ceiling property tests check against.
    pub fn maximum(&self) -> u16 {
        // doctorate 30, two degrees 5, career 20, age 15, salary 40, research 15, IT 10,
        // innovation 10 + SME 10 + R&D 5, foreign qualification 5, Japanese degree 10, N1 15,
        // growth field 10, top university 10, JICA 5
        30 + 5 + 20 + 15 + 40 + 15 + 10 + 10 + 10 + 5 + 5 + 10 + 15 + 10 + 10 + 5
    }
}

/// The routes into Japanese work an engineer × offer opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisaRoute {
    /// 技術・人文知識・国際業務: a related degree (or equivalent) or 10 years of related experience.
    EngineerSpecialist,
    /// 高度専門職1号(ロ): 70 points and the salary floor, or J-Skip.
    HighlySkilledProfessional,
}

impl VisaRoute {
    pub const ALL: [VisaRoute; 2] = [
        VisaRoute::EngineerSpecialist,
        VisaRoute::HighlySkilledProfessional,
    ];
}

/// Which routes are open. The engineer/specialist route is judged on degree and experience only;
/// whether the degree relates to the work is for the immigration bureau.
pub fn open_routes(case: &HspCase, points: &PointsBreakdown) -> Vec<VisaRoute> {
    let mut routes = Vec::new();
    let has_degree = matches!(
        case.degree,
        Some(Degree::Bachelors | Degree::Masters | Degree::Doctorate)
    );
    if has_degree || case.related_experience_years >= 10 {
        routes.push(VisaRoute::EngineerSpecialist);
    }
    if points.qualifies || points.j_skip {
        routes.push(VisaRoute::HighlySkilledProfessional);
    }
    routes
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn points_for(case: &HspCase, item: PointsItem) -> u8 {
        TABLE_2023
            .score(case)
            .items
            .iter()
            .find(|(i, _)| *i == item)
            .map_or(0, |(_, p)| *p)
    }

    #[test]
    fn salary_points_change_exactly_at_each_floor_and_age_band() {
        let cases = [
            // (salary, age, points)
            (3_999_999, 25, 0),
            (4_000_000, 25, 10),
            (4_000_000, 30, 0),
            (4_999_999, 29, 10),
            (5_000_000, 29, 15),
            (5_000_000, 34, 15),
            (5_000_000, 35, 0),
            (6_000_000, 39, 20),
            (6_000_000, 40, 0),
            (7_000_000, 39, 25),
            (7_000_000, 40, 0),
            (7_999_999, 30, 25),
            (8_000_000, 40, 30),
            (9_000_000, 55, 35),
            (9_999_999, 28, 35),
            (10_000_000, 61, 40),
            (25_000_000, 22, 40),
        ];
        for (salary, age, expected) in cases {
            let case = HspCase {
                annual_salary_jpy: salary,
                age,
                ..HspCase::default()
            };
            assert_eq!(
                points_for(&case, PointsItem::AnnualSalary),
                expected,
                "¥{salary} at {age}"
            );
        }
    }

    #[test]
    fn age_points_change_at_30_35_and_40() {
        for (age, expected) in [
            (22, 15),
            (29, 15),
            (30, 10),
            (34, 10),
            (35, 5),
            (39, 5),
            (40, 0),
            (65, 0),
        ] {
            let case = HspCase {
                age,
                ..HspCase::default()
            };
            assert_eq!(points_for(&case, PointsItem::Age), expected, "age {age}");
        }
    }

    #[test]
    fn career_points_change_at_3_5_7_and_10_years() {
        for (years, expected) in [
            (0, 0),
            (2, 0),
            (3, 5),
            (4, 5),
            (5, 10),
            (6, 10),
            (7, 15),
            (9, 15),
            (10, 20),
            (30, 20),
        ] {
            let case = HspCase {
                related_experience_years: years,
                age: 45,
                ..HspCase::default()
            };
            assert_eq!(
                points_for(&case, PointsItem::ProfessionalCareer),
                expected,
                "{years} years"
            );
        }
    }

    #[test]
    fn the_highest_degree_counts_and_an_mba_lifts_a_masters() {
        let degree = |degree, mba_or_mot| HspCase {
            degree,
            mba_or_mot,
            age: 45,
            ..HspCase::default()
        };
        assert_eq!(
            points_for(
                &degree(Some(Degree::Doctorate), false),
                PointsItem::AcademicBackground
            ),
            30
        );
        assert_eq!(
            points_for(
                &degree(Some(Degree::Masters), true),
                PointsItem::AcademicBackground
            ),
            25
        );
        assert_eq!(
            points_for(
                &degree(Some(Degree::Masters), false),
                PointsItem::AcademicBackground
            ),
            20
        );
        assert_eq!(
            points_for(
                &degree(Some(Degree::Bachelors), false),
                PointsItem::AcademicBackground
            ),
            10
        );
        assert_eq!(
            points_for(
                &degree(Some(Degree::Diploma), false),
                PointsItem::AcademicBackground
            ),
            0
        );
        assert_eq!(
            points_for(&degree(None, false), PointsItem::AcademicBackground),
            0
        );
        // an MBA without a master's is no bonus
        assert_eq!(
            points_for(
                &degree(Some(Degree::Bachelors), true),
                PointsItem::AcademicBackground
            ),
            10
        );
    }

    #[test]
    fn n2_is_not_combined_with_the_japanese_degree_bonus_but_n1_is() {
        let case = |jlpt, japanese_degree| HspCase {
            jlpt,
            degree_from_japanese_university: japanese_degree,
            age: 45,
            ..HspCase::default()
        };
        assert_eq!(
            TABLE_2023.score(&case(Some(JlptLevel::N1), false)).total,
            15
        );
        assert_eq!(
            TABLE_2023.score(&case(Some(JlptLevel::N2), false)).total,
            10
        );
        assert_eq!(TABLE_2023.score(&case(Some(JlptLevel::N3), false)).total, 0);
        assert_eq!(TABLE_2023.score(&case(Some(JlptLevel::N1), true)).total, 25);
        assert_eq!(TABLE_2023.score(&case(Some(JlptLevel::N2), true)).total, 10);
    }

    #[test]
    fn the_sme_bonus_needs_innovation_support() {
        let sme_only = HspCase {
            employer_is_sme: true,
            age: 45,
            ..HspCase::default()
        };
        assert_eq!(TABLE_2023.score(&sme_only).total, 0);
        let both = HspCase {
            employer_receives_innovation_support: true,
            ..sme_only.clone()
        };
        assert_eq!(TABLE_2023.score(&both).total, 20);
        let not_sme = HspCase {
            employer_is_sme: false,
            ..both
        };
        assert_eq!(TABLE_2023.score(&not_sme).total, 10);
    }

    #[test]
    fn a_typical_indian_engineer_at_seventy_points_qualifies_with_three_years_to_permanent_residence(
    ) {
        // master's 20 + 7 years 15 + age 29 15 + ¥6.5M 20 = 70
        let case = HspCase {
            degree: Some(Degree::Masters),
            related_experience_years: 7,
            age: 29,
            annual_salary_jpy: 6_500_000,
            ..HspCase::default()
        };
        let points = TABLE_2023.score(&case);
        assert_eq!(points.total, 70);
        assert!(points.qualifies && points.salary_floor_met);
        assert_eq!(points.permanent_residence_after_years, Some(3));
        assert_eq!(
            open_routes(&case, &points),
            vec![
                VisaRoute::EngineerSpecialist,
                VisaRoute::HighlySkilledProfessional
            ]
        );
        let n2 = HspCase {
            jlpt: Some(JlptLevel::N2),
            ..case
        };
        assert_eq!(
            TABLE_2023.score(&n2).permanent_residence_after_years,
            Some(1)
        );
    }

    #[test]
    fn below_the_salary_floor_nobody_qualifies_whatever_the_points() {
        let case = HspCase {
            degree: Some(Degree::Doctorate),
            research_achievements: true,
            related_experience_years: 12,
            age: 28,
            jlpt: Some(JlptLevel::N1),
            annual_salary_jpy: 2_999_999,
            ..HspCase::default()
        };
        let points = TABLE_2023.score(&case);
        assert!(points.total >= 70);
        assert!(!points.salary_floor_met && !points.qualifies);
        assert_eq!(points.permanent_residence_after_years, None);
        assert_eq!(
            open_routes(&case, &points),
            vec![VisaRoute::EngineerSpecialist]
        );
    }

    #[test]
    fn ten_years_of_experience_open_the_engineer_route_without_a_degree() {
        let case = HspCase {
            related_experience_years: 10,
            age: 35,
            ..HspCase::default()
        };
        let points = TABLE_2023.score(&case);
        assert_eq!(
            open_routes(&case, &points),
            vec![VisaRoute::EngineerSpecialist]
        );
        let junior = HspCase {
            related_experience_years: 9,
            ..case
        };
        assert!(open_routes(&junior, &TABLE_2023.score(&junior)).is_empty());
    }

    #[test]
    fn item_codes_are_their_serialised_names() {
        for item in PointsItem::ALL {
            assert_eq!(
                serde_json::to_string(&item).unwrap(),
                format!("\"{}\"", item.code())
            );
        }
    }

    #[test]
    fn every_item_of_the_table_is_reachable_and_together_they_make_the_maximum() {
        let best = HspCase {
            degree: Some(Degree::Doctorate),
            mba_or_mot: false,
            two_degrees_in_different_fields: true,
            related_experience_years: 10,
            age: 29,
            annual_salary_jpy: 10_000_000,
            research_achievements: true,
            jlpt: Some(JlptLevel::N1),
            degree_from_japanese_university: true,
            japanese_it_qualifications: 2,
            foreign_qualification_related_to_work: true,
            employer_receives_innovation_support: true,
            employer_is_sme: true,
            employer_sme_rd_over_3_percent: true,
            advanced_project_in_growth_field: true,
            graduate_of_designated_top_university: true,
            jica_innovative_asia_training: true,
        };
        let points = TABLE_2023.score(&best);
        let scored: Vec<PointsItem> = points.items.iter().map(|(item, _)| *item).collect();
        assert_eq!(scored, PointsItem::ALL, "every item, in the table's order");
        assert_eq!(points.total, TABLE_2023.maximum());
    }

    #[test]
    fn j_skip_needs_twenty_million_yen_and_a_masters_or_ten_years() {
        let base = HspCase {
            degree: Some(Degree::Bachelors),
            related_experience_years: 9,
            age: 45,
            annual_salary_jpy: 20_000_000,
            ..HspCase::default()
        };
        let cases = [
            // (degree, years, salary, J-Skip)
            (Some(Degree::Bachelors), 9, 20_000_000, false),
            (Some(Degree::Bachelors), 10, 20_000_000, true),
            (None, 10, 20_000_000, true),
            (Some(Degree::Masters), 0, 20_000_000, true),
            (Some(Degree::Doctorate), 0, 20_000_000, true),
            (Some(Degree::Masters), 15, 19_999_999, false),
            (Some(Degree::Diploma), 3, 30_000_000, false),
        ];
        for (degree, years, salary, expected) in cases {
            let case = HspCase {
                degree,
                related_experience_years: years,
                annual_salary_jpy: salary,
                ..base.clone()
            };
            let points = TABLE_2023.score(&case);
            assert_eq!(points.j_skip, expected, "{degree:?} {years} {salary}");
            // a 45-year-old bachelor with 9 years has 10 + 15 + 40 = 65: under the pass mark,
            // so only J-Skip opens the route and the one-year path to permanent residence
            assert_eq!(
                open_routes(&case, &points).contains(&VisaRoute::HighlySkilledProfessional),
                expected || points.qualifies
            );
            assert_eq!(
                points.permanent_residence_after_years == Some(1),
                expected || (points.qualifies && points.total >= 80)
            );
        }
        let just_under = TABLE_2023.score(&base);
        assert_eq!(just_under.total, 65);
        assert!(!just_under.qualifies && !just_under.j_skip);
        assert_eq!(just_under.permanent_residence_after_years, None);
    }

    #[test]
    fn seventy_points_give_three_years_to_permanent_residence_and_eighty_one() {
        let case = |jlpt| HspCase {
            degree: Some(Degree::Masters),
            related_experience_years: 5,
            age: 31,
            annual_salary_jpy: 6_000_000,
            jlpt,
            ..HspCase::default()
        };
        // master's 20, career 10, age 10, salary 20 = 60; N2 +10 = 70; N1 +15 = 75
        let n2 = TABLE_2023.score(&case(Some(JlptLevel::N2)));
        assert_eq!(
            (n2.total, n2.permanent_residence_after_years),
            (70, Some(3))
        );
        let n1 = TABLE_2023.score(&HspCase {
            japanese_it_qualifications: 1,
            ..case(Some(JlptLevel::N1))
        });
        assert_eq!(
            (n1.total, n1.permanent_residence_after_years),
            (80, Some(1))
        );
        let none = TABLE_2023.score(&case(None));
        assert_eq!(
            (none.total, none.permanent_residence_after_years),
            (60, None)
        );
    }

    fn any_case() -> impl Strategy<Value = HspCase> {
        (
            (
                prop::option::of(prop::sample::select(Degree::ALL.to_vec())),
                any::<bool>(),
                any::<bool>(),
                0u8..40,
                18u8..70,
            ),
            (
                0i64..30_000_000,
                any::<bool>(),
                prop::option::of(prop::sample::select(JlptLevel::ALL.to_vec())),
                any::<bool>(),
                0u8..4,
            ),
            (
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
            ),
        )
            .prop_map(|(a, b, c)| HspCase {
                degree: a.0,
                mba_or_mot: a.1,
                two_degrees_in_different_fields: a.2,
                related_experience_years: a.3,
                age: a.4,
                annual_salary_jpy: b.0,
                research_achievements: b.1,
                jlpt: b.2,
                degree_from_japanese_university: b.3,
                japanese_it_qualifications: b.4,
                foreign_qualification_related_to_work: c.0,
                employer_receives_innovation_support: c.1,
                employer_is_sme: c.2,
                employer_sme_rd_over_3_percent: c.3,
                advanced_project_in_growth_field: c.4,
                graduate_of_designated_top_university: c.5,
                jica_innovative_asia_training: c.6,
            })
    }

    proptest! {
        #[test]
        fn points_never_exceed_the_tables_maximum(case in any_case()) {
            let points = TABLE_2023.score(&case);
            prop_assert!(points.total <= TABLE_2023.maximum());
            prop_assert_eq!(points.total, points.items.iter().map(|(_, p)| u16::from(*p)).sum::<u16>());
        }

        #[test]
        fn a_higher_salary_never_lowers_the_points(case in any_case(), raise in 0i64..5_000_000) {
            let richer = HspCase { annual_salary_jpy: case.annual_salary_jpy + raise, ..case.clone() };
            prop_assert!(TABLE_2023.score(&richer).total >= TABLE_2023.score(&case).total);
        }
    }
}
