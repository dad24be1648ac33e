//! Saved searches and their alerts: a person keeps a role search (engineers) or a talent-pool
//! search (employers) under a name, and hears of what is new in it: in the app whenever they
//! look, and by a digest e-mail daily or weekly, of the new results scoring at least what they
//! chose.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::validation::{self, Problem};

/// Saved searches a person may keep.
pub const MAX_PER_PERSON: u64 = 20;
/// The longest name.
pub const MAX_NAME_CHARS: usize = 80;
/// The longest query kept (the page's query string).
pub const MAX_QUERY_CHARS: usize = 2_000;
/// New results a digest names (its count covers the rest).
pub const DIGEST_NAMES: usize = 5;

/// Which search is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchKind {
    /// The job board (`/jobs`): an engineer's.
    Roles,
    /// The talent pool (`/talent`): an employer's.
    Talent,
}

impl SearchKind {
    pub fn code(self) -> &'static str {
        match self {
            SearchKind::Roles => "roles",
            SearchKind::Talent => "talent",
        }
    }

    pub fn parse(code: &str) -> Option<SearchKind> {
        match code.trim() {
            "roles" => Some(SearchKind::Roles),
            "talent" => Some(SearchKind::Talent),
            _ => None,
        }
    }

    /// The page the search runs on.
    pub fn path(self) -> &'static str {
        match self {
            SearchKind::Roles => "/jobs",
            SearchKind::Talent => "/talent",
        }
    }
}

/// How often the digest e-mail goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    Daily,
    Weekly,
    /// In the app only.
    Never,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::Daily, Frequency::Weekly, Frequency::Never];

    pub fn code(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Never => "never",
        }
    }

    pub fn parse(code: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.code() == code.trim())
    }

    /// How long after one digest the next is due; `None` when no mail goes.
    pub fn period(self) -> Option<Duration> {
        match self {
            Frequency::Daily => Some(Duration::days(1)),
            Frequency::Weekly => Some(Duration::days(7)),
            Frequency::Never => None,
        }
    }
}

/// When the digest after one made (or the search saved) at `from` is due.
pub fn next_due(frequency: Frequency, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
    frequency.period().map(|p| from + p)
}

/// A saved search as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedSearchDraft {
    pub name: String,
    /// `roles` or `talent`.
    pub kind: String,
    /// The search page's query string, without the page number.
    pub query: String,
    /// `daily`, `weekly` or `never`.
    pub frequency: String,
    /// 0–100: only new results with at least this match score are announced; empty for all.
    pub min_score: String,
}

/// A saved search that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    pub name: String,
    pub kind: SearchKind,
    pub query: String,
    pub frequency: Frequency,
    pub min_score: Option<u8>,
}

/// Checks a draft; the query keeps only its `key=value` pairs in order, without `page`,
/// `since` and `limit` (an alert always asks from the first page what is new).
pub fn check(draft: &SavedSearchDraft) -> Result<SavedSearch, Vec<validation::FieldError>> {
    let mut v = validation::Validator::new();
    let name = v.check("name", validation::line(&draft.name, 1, MAX_NAME_CHARS));
    let kind = v.check(
        "kind",
        SearchKind::parse(&draft.kind).ok_or(Problem::NotAllowed),
    );
    let query = v.check("query", clean_query(&draft.query));
    let frequency = v.check(
        "frequency",
        Frequency::parse(&draft.frequency).ok_or(Problem::NotAllowed),
    );
    let min_score = v
        .check(
            "min_score",
            validation::optional_integer(&draft.min_score, 0, 100),
        )
        .flatten()
        .map(|n| n as u8);
    v.finish()?;
    match (name, kind, query, frequency) {
        (Some(name), Some(kind), Some(query), Some(frequency)) => Ok(SavedSearch {
            name,
            kind,
            query,
            frequency,
            min_score,
        }),
        _ => Err(vec![validation::FieldError::new("name", Problem::Required)]),
    }
}

/// The parameters an alert sets itself, dropped from a saved query.
const SET_BY_THE_ALERT: [&str; 3] = ["page", "since", "limit"];

fn clean_query(raw: &str) -> Result<String, Problem> {
    let raw = raw.trim().trim_start_matches('?');
    if raw.chars().count() > MAX_QUERY_CHARS {
        return Err(Problem::TooLong);
    }
    if raw.chars().any(char::is_control) {
        return Err(Problem::ControlCharacter);
    }
    Ok(raw
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or("");
            // `__path` / `__err`: the error leptos adds to the address a refused plain form
            // post returns to, not part of the search
            !pair.is_empty()
                && !SET_BY_THE_ALERT.contains(&key)
                && !key.starts_with("__")
                && pair.contains('=')
        })
        .filter(|pair| !pair.ends_with('='))
        .collect::<Vec<_>>()
        .join("&"))
}

/// Whether a result with `score` (0–100, `None` when unranked) is announced under `min_score`.
/// An unranked result is announced: the search names no role or profile to score against.
pub fn passes(min_score: Option<u8>, score: Option<f32>) -> bool {
    match (min_score, score) {
        (Some(min), Some(score)) => score >= f32::from(min),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn draft() -> SavedSearchDraft {
        SavedSearchDraft {
            name: "Embedded, Karnataka".into(),
            kind: "talent".into(),
            query: "?q=embedded&state=KA&page=3&since=17&skills=&jlpt=N3&__path=%2Fapi%2Fsave_search&__err=eyJW".into(),
            frequency: "weekly".into(),
            min_score: "60".into(),
        }
    }

    #[test]
    fn a_saved_query_drops_what_the_alert_sets_and_empty_fields() {
        let saved = check(&draft()).unwrap();
        assert_eq!(saved.query, "q=embedded&state=KA&jlpt=N3");
        assert_eq!(saved.kind, SearchKind::Talent);
        assert_eq!(saved.frequency, Frequency::Weekly);
        assert_eq!(saved.min_score, Some(60));
    }

    #[test]
    fn every_problem_is_named() {
        let errors = check(&SavedSearchDraft {
            name: "".into(),
            kind: "people".into(),
            query: "q=\u{0}".into(),
            frequency: "hourly".into(),
            min_score: "101".into(),
        })
        .unwrap_err();
        let fields: Vec<(&str, Problem)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.problem))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", Problem::Required),
                ("kind", Problem::NotAllowed),
                ("query", Problem::ControlCharacter),
                ("frequency", Problem::NotAllowed),
                ("min_score", Problem::OutOfRange),
            ]
        );
        let long = SavedSearchDraft {
            query: "q=".to_owned() + &"x".repeat(MAX_QUERY_CHARS),
            ..draft()
        };
        assert_eq!(check(&long).unwrap_err()[0].problem, Problem::TooLong);
    }

    #[test]
    fn digests_fall_due_by_frequency() {
        let at = Utc.with_ymd_and_hms(2026, 12, 5, 3, 0, 0).unwrap();
        assert_eq!(next_due(Frequency::Daily, at), Some(at + Duration::days(1)));
        assert_eq!(
            next_due(Frequency::Weekly, at),
            Some(at + Duration::days(7))
        );
        assert_eq!(next_due(Frequency::Never, at), None);
        for f in Frequency::ALL {
            assert_eq!(Frequency::parse(f.code()), Some(f));
        }
    }

    #[test]
    fn the_threshold_applies_to_ranked_results_only() {
        assert!(passes(None, Some(10.0)));
        assert!(passes(Some(60), None));
        assert!(passes(Some(60), Some(60.0)));
        assert!(!passes(Some(60), Some(59.9)));
    }
}
