//! `GET /skills?q=…&limit=…`: skills whose name in any language starts with (then contains) the
//! typed text, for type-ahead.

use app::error::AppError;
use app::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, InLanguage, RequestLanguage};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkillQuery {
    /// What the user typed, in English, Japanese or Hindi (1–100 characters).
    q: Option<String>,
    /// How many suggestions, 1–50 (default 10).
    limit: Option<String>,
}

/// A skill as the type-ahead shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillSuggestion {
    pub id: String,
    pub name_en: String,
    pub name_ja: String,
    pub name_hi: String,
    pub category: String,
}

const MAX_LIMIT: i64 = 50;

/// Suggests skills for what was typed, best first.
#[utoipa::path(get, path = "/api/v1/skills", tag = "skills", params(SkillQuery),
    responses(
        (status = 200, description = "Suggestions, best first", body = [SkillSuggestion]),
        (status = 400, description = "Missing or out-of-range parameters", body = super::error::ErrorBody),
    ))]
pub async fn suggest(
    State(state): State<AppState>,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<SkillQuery>,
) -> Result<Json<Vec<SkillSuggestion>>, ApiError> {
    let mut v = domain::validation::Validator::new();
    let q = v.check(
        "q",
        domain::validation::text(query.q.as_deref().unwrap_or_default(), 1, 100),
    );
    let limit = v.check(
        "limit",
        match query.limit.as_deref() {
            None | Some("") => Ok(10),
            Some(raw) => domain::validation::integer(raw, 1, MAX_LIMIT),
        },
    );
    v.finish()
        .map_err(AppError::InvalidParameters)
        .in_language(lang)?;
    let (Some(q), Some(limit)) = (q, limit) else {
        return Err(AppError::Internal).in_language(lang);
    };
    let suggestions = state
        .taxonomy
        .suggest(&q, limit as usize)
        .into_iter()
        .map(|s| SkillSuggestion {
            id: s.id.as_str().to_owned(),
            name_en: s.en.clone(),
            name_ja: s.ja.first().cloned().unwrap_or_default(),
            name_hi: s.hi.clone(),
            category: s.category.clone(),
        })
        .collect();
    Ok(Json(suggestions))
}
