//! Server functions and the types they exchange for the engineer's journey.

use chrono::{DateTime, Utc};
use domain::account::UserRole;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::applications::api::ApplicationSummary;
use crate::error::AppResult;

/// The role search form, as the page's query string carries it (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct JobQuery {
    /// Keywords in any language.
    pub q: String,
    /// Comma-separated skills, in any language.
    pub skills: String,
    /// `mine` (at or below my level), `none` (no Japanese asked) or `N5`..`N1`.
    pub jlpt: String,
    pub prefecture: String,
    pub sector: String,
    /// `onsite`, `hybrid` or `remote`.
    pub remote: String,
    /// Only roles that sponsor the visa.
    pub visa: Option<String>,
    /// Only roles that take applications from abroad.
    pub abroad: Option<String>,
    pub salary_min: String,
    /// `match` (default for engineers with a profile) or `date`.
    pub sort: String,
    /// 1-based.
    pub page: String,
    /// Results per page (the API's `limit`; the page shows [`PER_PAGE`]).
    pub limit: String,
    /// Only roles posted at or after this time (seconds since the epoch): what a saved
    /// search's alert links to.
    pub since: String,
}

/// A skill match as the page shows it: names in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchView {
    pub score: f32,
    pub eligible: bool,
    /// (skill, years held, years asked)
    pub matched: Vec<(String, u8, u8)>,
    /// Required skills met in part through a related one: (skill, related skill, years held of
    /// it, years asked).
    #[serde(default)]
    pub related: Vec<(String, String, u8, u8)>,
    pub missing: Vec<String>,
    pub nice_matched: Vec<String>,
    pub nice_missing: Vec<String>,
    /// JLPT levels short of the role's minimum.
    pub jlpt_gap: u8,
    /// The role asks skills and none is held: the score was cut.
    pub no_skill_held: bool,
    /// Each part of the score that counted: (part, points earned, points it could earn).
    pub breakdown: Vec<(String, f32, f32)>,
}

/// A role in a list of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobCard {
    pub id: i32,
    pub title_ja: Option<String>,
    pub title_en: Option<String>,
    pub organisation_name: String,
    /// Its public company page: `/companies/{organisation_id}`.
    pub organisation_id: i32,
    pub sector: String,
    pub prefecture: String,
    pub salary_min_jpy: i64,
    pub salary_max_jpy: i64,
    pub min_jlpt: Option<String>,
    pub remote_policy: String,
    pub visa_sponsorship: bool,
    pub apply_from_abroad: bool,
    pub created_at: DateTime<Utc>,
    pub fit: Option<MatchView>,
}

/// One page of role search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobResults {
    pub cards: Vec<JobCard>,
    /// Results found, exactly.
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// The sort used: `match` or `date`.
    pub sort: String,
    /// Filters left out because they could not be read, and why.
    pub ignored: Vec<domain::validation::FieldError>,
    /// What the keywords were also searched as: skills, the same words in the other
    /// languages, sectors and places, in the reader's language.
    #[serde(default)]
    pub also_searched: Vec<String>,
    /// Words typed that are in most documents: beside words that narrow the results, they only
    /// order them (the page says so).
    #[serde(default)]
    pub ordering_words: Vec<String>,
    /// How many results each value of each filter would give.
    #[serde(default)]
    pub facets: FacetCounts,
}

/// Facet counts by facet name (`jlpt`, `prefecture`, `sector`, `remote`, `visa`, `abroad`,
/// `salary`; for engineers also `state`, `years`, `route`, `languages`, `skills`, `certified`):
/// each value as the filter takes it and its count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts(pub Vec<(String, Vec<(String, u64)>)>);

impl FacetCounts {
    /// How many results choosing `value` for the filter `facet` would give, when counted.
    pub fn count(&self, facet: &str, value: &str) -> Option<u64> {
        self.0
            .iter()
            .find(|(name, _)| name == facet)?
            .1
            .iter()
            .find(|(v, _)| v == value)
            .map(|(_, n)| *n)
    }

    /// The counted values of a facet, in the index's order.
    pub fn values(&self, facet: &str) -> &[(String, u64)] {
        self.0
            .iter()
            .find(|(name, _)| name == facet)
            .map_or(&[], |(_, values)| values.as_slice())
    }
}

/// Results per page.
pub const PER_PAGE: usize = 20;
/// Results per page an API client may ask.
pub const MAX_PER_PAGE: usize = 100;
/// The last page a search shows (50,000 results in pages of 50): deeper is for exports.
pub const MAX_PAGE: i64 = 1_000;

/// Highly Skilled Professional points for the engineer at one salary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsView {
    pub salary_jpy: i64,
    pub total: u16,
    pub pass_mark: u16,
    pub qualifies: bool,
    /// 特別高度人材: qualifies without points.
    pub j_skip: bool,
    /// Years to permanent residence the status would give (3 at 70 points, 1 at 80 or J-Skip).
    pub permanent_residence_after_years: Option<u8>,
    /// Visa route codes this offer would open.
    pub routes: Vec<String>,
}

/// A role as an engineer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleView {
    pub card: JobCard,
    pub description_ja: Option<String>,
    pub description_en: Option<String>,
    pub jlpt_strict: bool,
    pub working_language: String,
    pub headcount: i16,
    pub is_open: bool,
    /// The last day applications are taken (Japan's date).
    #[serde(default)]
    pub closes_on: Option<chrono::NaiveDate>,
    /// (skill name, years asked)
    pub required: Vec<(String, i16)>,
    pub nice: Vec<String>,
    /// Points at the band's minimum and maximum, when the engineer's age is known.
    pub points: Option<(PointsView, PointsView)>,
    /// True when points could be shown once the profile has a date of birth.
    pub needs_date_of_birth: bool,
    /// The viewer's application to this role, if any.
    pub application_id: Option<i32>,
    pub invited: bool,
    /// Whether the viewer may apply now (an engineer with a profile, not yet applied, role open).
    pub can_apply: bool,
    pub has_profile: bool,
    /// Who is looking, if signed in: an engineer without a profile is asked to complete it, a
    /// visitor to sign up or log in.
    pub viewer: Option<UserRole>,
}

/// An invitation to apply, as the engineer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub role_id: i32,
    pub title_ja: Option<String>,
    pub title_en: Option<String>,
    pub organisation_name: String,
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The engineer's dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub has_profile: bool,
    pub matches: Vec<(JobCard, Option<PointsView>)>,
    pub applications: Vec<ApplicationSummary>,
    pub invitations: Vec<InvitationView>,
}

/// Searches open roles of verified employers (anyone may search; engineers see their fit).
#[server(endpoint = "search_jobs")]
pub async fn search_jobs(query: JobQuery) -> AppResult<JobResults> {
    crate::auth::server::with_status("search_jobs", serde_json::Value::default, async move {
        let (state, session) = crate::auth::server::request_context().await?;
        let user = crate::auth::server::user_of_session(&state.db, &session).await?;
        let lang = crate::auth::server::request_language();
        // the page shows its own number of results
        let query = JobQuery {
            limit: String::new(),
            ..query
        };
        super::server::search(
            &state,
            user.as_ref(),
            &query,
            lang,
            super::server::Reading::Forgiving,
        )
        .await
    })
    .await
}

/// A role as the signed-in engineer (or a visitor) sees it.
#[server(endpoint = "load_job")]
pub async fn load_job(id: i32) -> AppResult<RoleView> {
    crate::auth::server::with_status("load_job", serde_json::Value::default, async move {
        let (state, session) = crate::auth::server::request_context().await?;
        let user = crate::auth::server::user_of_session(&state.db, &session).await?;
        let lang = crate::auth::server::request_language();
        super::server::role_view(
            &state,
            user.as_ref(),
            id,
            lang,
            domain::time::japan_date(Utc::now()),
        )
        .await
    })
    .await
}

/// The signed-in engineer's dashboard.
#[server(endpoint = "load_dashboard")]
pub async fn load_dashboard() -> AppResult<Dashboard> {
    crate::auth::server::with_status("load_dashboard", serde_json::Value::default, async move {
        let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
        let lang = crate::auth::server::request_language();
        super::server::dashboard(&state, &user, lang, domain::time::japan_date(Utc::now())).await
    })
    .await
}
