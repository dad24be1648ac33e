//! Server functions for a role's candidates.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::jobs::api::{MatchView, PointsView};
use crate::talent::api::TalentQuery;

/// An engineer ranked for a role. No contact details: those come with an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateCard {
    pub engineer_id: i32,
    pub full_name: String,
    pub headline: Option<String>,
    pub jlpt: Option<String>,
    /// Certified (the box or a certificate number) or self-declared.
    pub jlpt_certified: bool,
    pub years_experience: i16,
    pub indian_state: Option<String>,
    pub fit: MatchView,
    /// Points at the role's maximum salary, when the engineer gave a date of birth.
    pub points: Option<PointsView>,
    pub invited: bool,
    /// Their application to this role, if they applied.
    pub application_id: Option<i32>,
}

/// A page of the candidates for one of the employer's roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidates {
    pub role_id: i32,
    pub role_title_ja: Option<String>,
    pub role_title_en: Option<String>,
    /// The search as read (the talent pool's filters).
    pub query: TalentQuery,
    pub cards: Vec<CandidateCard>,
    /// Engineers ranked in all.
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// Filters left out because they could not be read, and why.
    pub ignored: Vec<domain::validation::FieldError>,
}

/// Ranked candidates for a role, narrowed by a search in any language and the talent pool's
/// filters, 20 a page.
#[server(endpoint = "load_candidates")]
pub async fn load_candidates(
    role_id: i32,
    #[server(default)] query: TalentQuery,
) -> AppResult<Candidates> {
    crate::auth::server::with_status("load_candidates", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        let lang = crate::auth::server::request_language();
        super::server::candidates(
            &state,
            &user,
            role_id,
            &query,
            lang,
            domain::time::japan_date(chrono::Utc::now()),
        )
        .await
    })
    .await
}

/// One line of a candidate's career: a job or a course of study.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareerLine {
    pub what: String,
    pub where_: String,
    /// `YYYY-MM`; `to` absent for now.
    pub from: String,
    pub to: Option<String>,
    pub description: Option<String>,
}

/// The candidate's application to the reader's organisation, with what it shares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedApplication {
    pub id: i32,
    pub role_title_ja: Option<String>,
    pub role_title_en: Option<String>,
    pub stage: String,
    pub closed_reason: Option<String>,
    /// The candidate's documents as the organisation receives them: (label, address).
    pub documents: Vec<(String, String)>,
    /// The e-mail, while the engineer consents to sharing it with the organisation.
    pub contact: Option<String>,
}

/// A candidate as a recruiter reads them: the profile, the career, the fit for a role with its
/// reasons, and the applications to the recruiter's organisation with the documents shared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateProfile {
    pub engineer_id: i32,
    pub full_name: String,
    pub headline: Option<String>,
    pub summary: Option<String>,
    pub years_experience: i16,
    pub jlpt: Option<String>,
    pub jlpt_certified: bool,
    pub indian_state: Option<String>,
    pub visa_interest: String,
    /// The first day they could start in Japan; `None` for now or unsaid.
    pub available_from: Option<chrono::NaiveDate>,
    /// (skill, years, level code), most years first, named in the reader's language.
    pub skills: Vec<(String, u8, String)>,
    /// Skills in the candidate's own words that the taxonomy does not know.
    pub free_skills: Vec<String>,
    /// (ISO 639-1 code, level code).
    pub languages: Vec<(String, String)>,
    pub employment: Vec<CareerLine>,
    pub education: Vec<CareerLine>,
    /// Qualifications as named (`FE`, `NIELIT O Level`, `N2`…), with the month obtained.
    pub qualifications: Vec<(String, String)>,
    /// The fit for the role chosen (`role`), with its reasons.
    pub fit: Option<MatchView>,
    pub ranked_for: Option<i32>,
    /// The organisation's open roles to explain the fit for: (id, title).
    pub roles: Vec<(i32, String)>,
    pub applications: Vec<SharedApplication>,
}

/// A candidate's page: employers of verified organisations (any engineer in the talent pool,
/// or one who applied to them) and administrators (audited).
#[server(endpoint = "load_candidate")]
pub async fn load_candidate(engineer_id: i32, role: Option<i32>) -> AppResult<CandidateProfile> {
    crate::auth::server::with_status("load_candidate", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) =
            crate::auth::server::require_role(&[UserRole::Employer, UserRole::Admin]).await?;
        let lang = crate::auth::server::request_language();
        super::profile_server::profile(&state, &user, engineer_id, role, lang).await
    })
    .await
}
