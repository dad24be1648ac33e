//! Server functions for a role's candidates.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::jobs::api::{MatchView, PointsView};

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

/// Candidates for one of the employer's roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidates {
    pub role_id: i32,
    pub role_title_ja: Option<String>,
    pub role_title_en: Option<String>,
    pub query: String,
    pub cards: Vec<CandidateCard>,
}

/// Ranked candidates for a role, optionally narrowed by a search in any language.
#[server(endpoint = "load_candidates")]
pub async fn load_candidates(role_id: i32, q: String) -> AppResult<Candidates> {
    crate::auth::server::with_status("load_candidates", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        let lang = crate::auth::server::request_language();
        super::server::candidates(
            &state,
            &user,
            role_id,
            &q,
            lang,
            domain::time::japan_date(chrono::Utc::now()),
        )
        .await
    })
    .await
}
