//! An organisation's sponsorship profile: what the Highly Skilled Professional table rewards an
//! employer for (SME status, innovation support, an SME's research spending) and how it usually
//! sponsors a hire from abroad (who pays the visa fees, relocation, housing, Japanese lessons).
//!
//! SME status is not a box to tick: it follows from the SME Basic Act's thresholds (中小企業基本法
//! 第2条) for the organisation's industry class, from its capital and its employees, so that the
//! claim an administrator verifies is the figures, not the conclusion.

use serde::{Deserialize, Serialize};

use crate::coe::EmployerCategory;
use crate::hsp::HspCase;
use crate::profile::checkbox;
use crate::validation::{self, FieldError, Problem, Validator};

/// The SME Basic Act's industry classes, each with its own thresholds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndustryClass {
    /// 製造業・建設業・運輸業その他: software and information services fall here too.
    #[default]
    ManufacturingAndOther,
    /// 卸売業.
    Wholesale,
    /// サービス業.
    Services,
    /// 小売業.
    Retail,
}

impl IndustryClass {
    pub const ALL: [IndustryClass; 4] = [
        IndustryClass::ManufacturingAndOther,
        IndustryClass::Wholesale,
        IndustryClass::Services,
        IndustryClass::Retail,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IndustryClass::ManufacturingAndOther => "manufacturing_and_other",
            IndustryClass::Wholesale => "wholesale",
            IndustryClass::Services => "services",
            IndustryClass::Retail => "retail",
        }
    }

    pub fn parse(code: &str) -> Option<IndustryClass> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// (largest capital in yen, most regular employees): at or under either is an SME.
    pub fn sme_thresholds(self) -> (i64, u32) {
        match self {
            IndustryClass::ManufacturingAndOther => (300_000_000, 300),
            IndustryClass::Wholesale => (100_000_000, 100),
            IndustryClass::Services => (50_000_000, 100),
            IndustryClass::Retail => (50_000_000, 50),
        }
    }

    /// An SME under the Act: capital or regular employees at or under the class's threshold.
    /// Unknown figures prove nothing.
    pub fn is_sme(self, capital_jpy: Option<i64>, employees: Option<u32>) -> bool {
        let (max_capital, max_employees) = self.sme_thresholds();
        capital_jpy.is_some_and(|c| c <= max_capital)
            || employees.is_some_and(|e| e <= max_employees)
    }
}

/// The organisation's sponsorship profile as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sponsorship {
    #[serde(default)]
    pub industry_class: IndustryClass,
    /// Capital (資本金) in yen.
    pub capital_jpy: Option<i64>,
    /// Regular employees (常時使用する従業員).
    pub employees: Option<u32>,
    /// The innovation-support programme the organisation receives support under (for example a
    /// certification under the SME Business Enhancement Act), or none.
    pub innovation_programme: Option<String>,
    /// Research and development spending over 3% of revenue (counted for SMEs only).
    #[serde(default)]
    pub rd_over_3_percent: bool,
    /// The employer pays the visa and Certificate of Eligibility fees.
    #[serde(default)]
    pub pays_visa_fees: bool,
    #[serde(default)]
    pub relocation_support: bool,
    #[serde(default)]
    pub housing_help: bool,
    #[serde(default)]
    pub japanese_lessons: bool,
    /// The immigration category the organisation files under (1–4), which decides the
    /// Certificate of Eligibility's documents; an administrator checks the proof.
    pub coe_category: Option<EmployerCategory>,
}

impl Sponsorship {
    pub fn is_sme(&self) -> bool {
        self.industry_class.is_sme(self.capital_jpy, self.employees)
    }

    /// Fills the employer's items of a points case.
    pub fn apply_to(&self, case: &mut HspCase) {
        case.employer_receives_innovation_support = self.innovation_programme.is_some();
        case.employer_is_sme = self.is_sme();
        case.employer_sme_rd_over_3_percent = self.rd_over_3_percent;
    }

    /// Anything recorded at all (an empty profile is not shown to reviewers).
    pub fn is_empty(&self) -> bool {
        *self == Sponsorship::default()
    }
}

/// The sponsorship form as submitted: numbers as typed, boxes as "on" or absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SponsorshipDraft {
    #[serde(default)]
    pub industry_class: String,
    /// Capital in 万円, as Japanese company records give it.
    #[serde(default)]
    pub capital_man_yen: String,
    #[serde(default)]
    pub employees: String,
    #[serde(default)]
    pub innovation_programme: String,
    #[serde(default)]
    pub rd_over_3_percent: Option<String>,
    #[serde(default)]
    pub pays_visa_fees: Option<String>,
    #[serde(default)]
    pub relocation_support: Option<String>,
    #[serde(default)]
    pub housing_help: Option<String>,
    #[serde(default)]
    pub japanese_lessons: Option<String>,
    #[serde(default)]
    pub coe_category: String,
}

fn box_of(value: bool) -> Option<String> {
    value.then(|| "on".to_owned())
}

impl SponsorshipDraft {
    /// The draft a stored profile shows in the form.
    pub fn of(s: &Sponsorship) -> SponsorshipDraft {
        SponsorshipDraft {
            industry_class: s.industry_class.code().to_owned(),
            capital_man_yen: s
                .capital_jpy
                .map(|c| (c / 10_000).to_string())
                .unwrap_or_default(),
            employees: s.employees.map(|e| e.to_string()).unwrap_or_default(),
            innovation_programme: s.innovation_programme.clone().unwrap_or_default(),
            rd_over_3_percent: box_of(s.rd_over_3_percent),
            pays_visa_fees: box_of(s.pays_visa_fees),
            relocation_support: box_of(s.relocation_support),
            housing_help: box_of(s.housing_help),
            japanese_lessons: box_of(s.japanese_lessons),
            coe_category: s
                .coe_category
                .map(|c| c.number().to_string())
                .unwrap_or_default(),
        }
    }

    pub fn parse(&self) -> Result<Sponsorship, Vec<FieldError>> {
        let mut v = Validator::new();
        let industry_class = v.check(
            "industry_class",
            match self.industry_class.trim() {
                "" => Ok(IndustryClass::default()),
                code => IndustryClass::parse(code).ok_or(Problem::NotAllowed),
            },
        );
        // Toyota's capital is about 63.5 billion yen: 10 trillion is a safe ceiling
        let capital = v.check(
            "capital_man_yen",
            validation::optional_integer(
                &self.capital_man_yen.replace([',', '，'], ""),
                0,
                1_000_000_000,
            ),
        );
        let employees = v.check(
            "employees",
            validation::optional_integer(&self.employees.replace([',', '，'], ""), 1, 1_000_000),
        );
        let innovation_programme = v.check(
            "innovation_programme",
            validation::optional_line(&self.innovation_programme, 200),
        );
        let coe_category = v.check(
            "coe_category",
            match self.coe_category.trim() {
                "" => Ok(None),
                n => n
                    .parse()
                    .ok()
                    .and_then(EmployerCategory::new)
                    .map(Some)
                    .ok_or(Problem::NotAllowed),
            },
        );
        v.finish()?;
        let (
            Some(industry_class),
            Some(capital),
            Some(employees),
            Some(innovation_programme),
            Some(coe_category),
        ) = (
            industry_class,
            capital,
            employees,
            innovation_programme,
            coe_category,
        )
        else {
            return Err(vec![FieldError::new("form", Problem::Required)]);
        };
        Ok(Sponsorship {
            industry_class,
            capital_jpy: capital.map(|man| man * 10_000),
            employees: employees.map(|e| e as u32),
            innovation_programme,
            rd_over_3_percent: checkbox(&self.rd_over_3_percent),
            pays_visa_fees: checkbox(&self.pays_visa_fees),
            relocation_support: checkbox(&self.relocation_support),
            housing_help: checkbox(&self.housing_help),
            japanese_lessons: checkbox(&self.japanese_lessons),
            coe_category,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hsp::{PointsItem, TABLE_2023};

    #[test]
    fn sme_status_follows_the_act_at_each_threshold() {
        use IndustryClass::*;
        let cases = [
            (ManufacturingAndOther, Some(300_000_000), None, true),
            (ManufacturingAndOther, Some(300_000_001), None, false),
            (ManufacturingAndOther, Some(300_000_001), Some(300), true),
            (ManufacturingAndOther, Some(300_000_001), Some(301), false),
            (Wholesale, Some(100_000_000), Some(5_000), true),
            (Wholesale, Some(100_000_001), Some(101), false),
            (Services, Some(50_000_001), Some(100), true),
            (Services, Some(50_000_001), Some(101), false),
            (Retail, None, Some(50), true),
            (Retail, None, Some(51), false),
            (Retail, Some(50_000_001), Some(51), false),
            (ManufacturingAndOther, None, None, false),
        ];
        for (class, capital, employees, sme) in cases {
            assert_eq!(
                class.is_sme(capital, employees),
                sme,
                "{class:?} {capital:?} {employees:?}"
            );
        }
    }

    #[test]
    fn the_form_reads_man_yen_and_boxes_and_round_trips() {
        let draft = SponsorshipDraft {
            industry_class: "services".into(),
            capital_man_yen: "4,800".into(),
            employees: "85".into(),
            innovation_programme: "経営革新計画 (Tokyo, 2025)".into(),
            rd_over_3_percent: Some("on".into()),
            pays_visa_fees: Some("on".into()),
            japanese_lessons: Some("on".into()),
            coe_category: "3".into(),
            ..SponsorshipDraft::default()
        };
        let s = draft.parse().unwrap();
        assert_eq!(s.capital_jpy, Some(48_000_000));
        assert_eq!(s.employees, Some(85));
        assert!(s.is_sme());
        assert!(s.pays_visa_fees && s.japanese_lessons && !s.housing_help);
        assert_eq!(s.coe_category, EmployerCategory::new(3));
        assert_eq!(SponsorshipDraft::of(&s).parse().unwrap(), s);
        let stored: Sponsorship =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(stored, s);
    }

    #[test]
    fn bad_figures_are_refused_by_field() {
        let draft = SponsorshipDraft {
            industry_class: "banking".into(),
            capital_man_yen: "-5".into(),
            employees: "0".into(),
            innovation_programme: "x".repeat(201),
            coe_category: "5".into(),
            ..SponsorshipDraft::default()
        };
        let errors = draft.parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "industry_class",
                "capital_man_yen",
                "employees",
                "innovation_programme",
                "coe_category"
            ]
        );
    }

    #[test]
    fn the_employer_items_of_the_points_come_from_the_profile() {
        let earned = |s: &Sponsorship| {
            let mut case = HspCase::default();
            s.apply_to(&mut case);
            let mut items: Vec<(PointsItem, u8)> = TABLE_2023
                .score(&case)
                .items
                .into_iter()
                .filter(|(i, _)| PointsItem::EMPLOYER.contains(i))
                .collect();
            items.sort_by_key(|(i, _)| *i as u8);
            items
        };
        let large = Sponsorship {
            capital_jpy: Some(5_000_000_000),
            employees: Some(4_000),
            innovation_programme: Some("J-Startup".into()),
            rd_over_3_percent: true,
            ..Sponsorship::default()
        };
        // a large company gets the innovation item only: R&D counts for SMEs alone
        assert_eq!(earned(&large), [(PointsItem::InnovationSupport, 10)]);
        let sme = Sponsorship {
            employees: Some(120),
            ..large.clone()
        };
        assert_eq!(
            earned(&sme),
            [
                (PointsItem::InnovationSupport, 10),
                (PointsItem::SmeWithInnovationSupport, 10),
                (PointsItem::SmeResearchSpending, 5)
            ]
        );
        let sme_without_support = Sponsorship {
            innovation_programme: None,
            ..sme
        };
        assert_eq!(
            earned(&sme_without_support),
            [(PointsItem::SmeResearchSpending, 5)]
        );
        assert!(earned(&Sponsorship::default()).is_empty());
    }
}
