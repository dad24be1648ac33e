//! The Certificate of Eligibility (在留資格認定証明書) checklist: the documents the engineer and
//! the employer each provide, which depend on the employer's category (カテゴリー1–4) and the
//! visa route. The list is data with its source and effective date (`data/coe-checklist.toml`);
//! this module reads it and picks the items for one application.

use serde::{Deserialize, Serialize};

use crate::hsp::VisaRoute;
use crate::pipeline::{Party, Stage, Status};

/// The employer's category: 1 listed companies and public bodies, 2 large withholding tax, 3 the
/// rest that file the summary, 4 new companies. Fewer documents the lower the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EmployerCategory(u8);

impl EmployerCategory {
    pub const ALL: [EmployerCategory; 4] = [
        EmployerCategory(1),
        EmployerCategory(2),
        EmployerCategory(3),
        EmployerCategory(4),
    ];

    pub fn new(n: u8) -> Option<EmployerCategory> {
        (1..=4).contains(&n).then_some(EmployerCategory(n))
    }

    pub fn number(self) -> u8 {
        self.0
    }
}

/// One document on the list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ChecklistItem {
    /// Stable key, stored with who ticked it.
    pub key: String,
    /// The side that provides it.
    pub who: Party,
    pub categories: Vec<u8>,
    /// Route codes the item applies to; empty for every route.
    pub routes: Vec<String>,
    pub en: String,
    pub ja: String,
    pub hi: String,
}

impl ChecklistItem {
    /// The item's text in a UI language code ("en", "ja", "hi"); English otherwise.
    pub fn text(&self, lang: &str) -> &str {
        match lang {
            "ja" => &self.ja,
            "hi" => &self.hi,
            _ => &self.en,
        }
    }

    fn applies_to(&self, route: VisaRoute, category: EmployerCategory) -> bool {
        self.categories.contains(&category.0)
            && (self.routes.is_empty()
                || self
                    .routes
                    .iter()
                    .any(|r| r == crate::pipeline::visa_route_code(route)))
    }
}

/// The whole list with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Checklist {
    pub source: String,
    pub effective_from: String,
    pub checked_on: String,
    #[serde(rename = "item")]
    pub items: Vec<ChecklistItem>,
}

const CHECKLIST_TOML: &str = include_str!("../data/coe-checklist.toml");

impl Checklist {
    /// The checklist shipped with this build, read once. Its tests prove it reads; were it
    /// ever unreadable, the list would be empty rather than the server down.
    pub fn shipped() -> &'static Checklist {
        static PARSED: std::sync::OnceLock<Checklist> = std::sync::OnceLock::new();
        PARSED.get_or_init(|| {
            toml::from_str(CHECKLIST_TOML).unwrap_or_else(|_| Checklist {
                source: String::new(),
                effective_from: String::new(),
                checked_on: String::new(),
                items: Vec::new(),
            })
        })
    }

    /// The documents one application needs, in the file's order.
    pub fn for_application(
        &self,
        route: VisaRoute,
        category: EmployerCategory,
    ) -> Vec<&ChecklistItem> {
        self.items
            .iter()
            .filter(|item| item.applies_to(route, category))
            .collect()
    }

    pub fn item(&self, key: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|item| item.key == key)
    }
}

/// The checklist belongs to an application from the offer on: before it nobody files anything.
pub fn checklist_applies(status: &Status) -> bool {
    status.stage >= Stage::OfferExtended
}

/// Whether `party` may mark `item` provided (or not) now: each side its own documents, while the
/// application is open and the checklist applies.
pub fn may_tick(status: &Status, party: Party, item: &ChecklistItem) -> bool {
    checklist_applies(status) && status.closed.is_none() && item.who == party
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn keys(route: VisaRoute, category: u8) -> Vec<String> {
        Checklist::shipped()
            .for_application(route, EmployerCategory::new(category).unwrap())
            .into_iter()
            .map(|i| i.key.clone())
            .collect()
    }

    #[test]
    fn the_shipped_list_reads_with_its_source_and_unique_keys_in_three_languages() {
        let list = Checklist::shipped();
        assert!(list.source.contains("isa.go.jp"));
        assert_eq!(list.effective_from, "2020-01-01");
        let unique: HashSet<&str> = list.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(unique.len(), list.items.len());
        for item in &list.items {
            assert!(!item.categories.is_empty(), "{}", item.key);
            assert!(item.categories.iter().all(|c| (1..=4).contains(c)));
            assert!(!item.en.is_empty() && !item.ja.is_empty() && !item.hi.is_empty());
            for route in &item.routes {
                assert!(
                    crate::pipeline::parse_visa_route(route).is_some(),
                    "{route}"
                );
            }
        }
    }

    #[test]
    fn category_one_and_two_need_the_short_list_three_the_long_and_four_more() {
        let engineer = VisaRoute::EngineerSpecialist;
        let short = [
            "application_form",
            "photo",
            "return_envelope",
            "category_proof",
        ];
        assert_eq!(keys(engineer, 1), short);
        assert_eq!(keys(engineer, 2), short);
        let three = keys(engineer, 3);
        assert_eq!(three.len(), 10);
        for key in [
            "employment_terms",
            "cv",
            "degree_or_experience",
            "company_registration",
            "financial_statements",
        ] {
            assert!(three.contains(&key.to_owned()), "{key}");
        }
        let four = keys(engineer, 4);
        // category 4 has nothing to prove its category with, and files the office notice instead
        assert!(!four.contains(&"category_proof".to_owned()));
        assert!(four.contains(&"salary_office_notice".to_owned()));
        assert!(!three.contains(&"salary_office_notice".to_owned()));
    }

    #[test]
    fn the_highly_skilled_route_adds_the_points_sheet_and_its_proofs_in_every_category() {
        for category in 1..=4 {
            let hsp = keys(VisaRoute::HighlySkilledProfessional, category);
            let plain = keys(VisaRoute::EngineerSpecialist, category);
            let extra: Vec<&String> = hsp.iter().filter(|k| !plain.contains(k)).collect();
            assert_eq!(
                extra,
                [
                    "points_sheet",
                    "points_proof_engineer",
                    "points_proof_employer"
                ],
                "category {category}"
            );
        }
    }

    #[test]
    fn each_side_ticks_its_own_documents_from_the_offer_while_open() {
        let list = Checklist::shipped();
        let photo = list.item("photo").unwrap();
        let envelope = list.item("return_envelope").unwrap();
        for stage in Stage::ALL {
            let open = Status {
                stage,
                closed: None,
            };
            let from_offer = stage >= Stage::OfferExtended;
            assert_eq!(checklist_applies(&open), from_offer);
            assert_eq!(may_tick(&open, Party::Engineer, photo), from_offer);
            assert!(!may_tick(&open, Party::Employer, photo));
            assert_eq!(may_tick(&open, Party::Employer, envelope), from_offer);
            assert!(!may_tick(&open, Party::Engineer, envelope));
            let closed = Status {
                stage,
                closed: Some(crate::pipeline::ClosingReason::CandidateWithdrew),
            };
            assert!(!may_tick(&closed, Party::Engineer, photo));
            assert!(!may_tick(&closed, Party::Employer, envelope));
        }
    }

    #[test]
    fn both_sides_have_something_to_provide_in_every_category() {
        let list = Checklist::shipped();
        for category in EmployerCategory::ALL {
            let items = list.for_application(VisaRoute::EngineerSpecialist, category);
            assert!(items.iter().any(|i| i.who == Party::Engineer));
            assert!(items.iter().any(|i| i.who == Party::Employer));
        }
        assert_eq!(EmployerCategory::new(0), None);
        assert_eq!(EmployerCategory::new(5), None);
    }
}
