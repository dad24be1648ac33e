//! The talent pool's search form, results and server function.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::jobs::api::{FacetCounts, MatchView};

/// The talent search form, as the page's query string carries it (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TalentQuery {
    /// Keywords in any language.
    pub q: String,
    /// Comma-separated skills, in any language, each optionally with minimum years after a
    /// colon: `Rust:3, 組み込み`.
    pub skills: String,
    /// At least this JLPT level, `N5`..`N1`.
    pub jlpt: String,
    /// Only certified JLPT levels (a certificate, not only declared).
    pub certified: Option<String>,
    /// Indian state code.
    pub state: String,
    /// At least this many years of experience.
    pub years: String,
    /// A salary wish at most this (JPY); no wish stated counts.
    pub salary_max: String,
    /// Visa route of interest (`hsp`, `engineer_specialist`, …).
    pub route: String,
    /// Speaks this language (ISO 639-1).
    pub language: String,
    /// Able to start by this day (`YYYY-MM-DD`); a profile with no date counts as now.
    pub available: String,
    /// One of the employer's roles: results ranked by fit for it.
    pub role: String,
    /// 1-based.
    pub page: String,
    /// Results per page (the API's `limit`; the page shows 20).
    pub limit: String,
    /// Only profiles made at or after this time (seconds since the epoch): what a saved
    /// search's alert links to.
    pub since: String,
}

/// An engineer in the talent pool, in one compact row. No contact details: those come with an
/// application, and only with the engineer's consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TalentRow {
    pub engineer_id: i32,
    pub full_name: String,
    pub headline: Option<String>,
    pub jlpt: Option<String>,
    pub jlpt_certified: bool,
    pub years_experience: i16,
    pub indian_state: Option<String>,
    pub visa_interest: String,
    /// Skills with years, most years first, names in the reader's language.
    pub skills: Vec<(String, u8)>,
    /// The fit for the role chosen to sort by.
    pub fit: Option<MatchView>,
}

/// One page of the talent pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TalentResults {
    pub rows: Vec<TalentRow>,
    /// Engineers found, exactly.
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub facets: FacetCounts,
    /// Filters left out because they could not be read, and why.
    pub ignored: Vec<domain::validation::FieldError>,
    pub also_searched: Vec<String>,
    /// Words typed that are in most documents: beside words that narrow the results, they only
    /// order them (the page says so).
    #[serde(default)]
    pub ordering_words: Vec<String>,
    /// The roles results can be ranked for: (id, title).
    pub roles: Vec<(i32, String)>,
    /// The skills of the `skills` facet by id, named in the reader's language.
    pub skill_labels: Vec<(String, String)>,
    /// The role ranked for, when one was chosen.
    pub ranked_for: Option<i32>,
}

/// Engineers per page.
pub const TALENT_PER_PAGE: usize = 20;

/// Searches the talent pool (employers of verified organisations and administrators).
#[server(endpoint = "search_talent")]
pub async fn search_talent(query: TalentQuery) -> AppResult<TalentResults> {
    crate::auth::server::with_status("search_talent", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) =
            crate::auth::server::require_role(&[UserRole::Employer, UserRole::Admin]).await?;
        let lang = crate::auth::server::request_language();
        let query = TalentQuery {
            limit: String::new(),
            ..query
        };
        super::server::search(
            &state,
            &user,
            &query,
            lang,
            crate::jobs::server::Reading::Forgiving,
        )
        .await
    })
    .await
}
