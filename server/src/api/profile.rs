//! `GET`/`PUT /me/profile`: the signed-in engineer's profile, skills included.

use app::state::AppState;
use axum::extract::State;
use axum::Json;
use domain::account::UserRole;
use domain::language::UiLanguage;
use domain::profile::{LanguageRowDraft, ProfileDraft, SkillRowDraft};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

/// A skill on a profile, as sent: by taxonomy id or by name in any language.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileSkillBody {
    /// A taxonomy id (`embedded-software`) or a name in English, Japanese or Hindi (`組み込み`).
    pub skill: String,
    pub years: i64,
    /// `beginner`, `intermediate` (default), `advanced` or `expert`.
    #[serde(default)]
    pub level: Option<String>,
    /// In answers: true when the taxonomy does not know the skill, so it is kept as written
    /// (found by text search, not counted in matching). Ignored when sent.
    #[serde(default)]
    pub free: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SpokenLanguageBody {
    /// ISO 639-1 code: en, hi, bn, mr, ta, te, kn, ml, gu, pa, ur, or, as.
    pub language: String,
    /// `basic`, `conversational`, `professional` or `native`.
    pub level: String,
}

/// The engineer's profile. The same rules as the profile page apply.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ProfileBody {
    pub full_name: String,
    #[serde(default)]
    pub headline: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    pub years_experience: i64,
    /// `N5`..`N1`, or absent for none.
    #[serde(default)]
    pub jlpt_level: Option<String>,
    #[serde(default)]
    pub jlpt_certified: bool,
    /// ISO 3166-2:IN code in lower case, e.g. `ka`.
    #[serde(default)]
    pub indian_state: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    /// `none`, `diploma`, `bachelors`, `masters`, `doctorate`.
    #[serde(default)]
    pub degree: Option<String>,
    #[serde(default)]
    pub desired_salary_jpy: Option<i64>,
    /// `YYYY-MM-DD`; the Highly Skilled Professional points depend on age.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_of_birth: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub visa_interest: Option<String>,
    /// `YYYY-MM-DD`: the first day the person could start in Japan.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub available_from: Option<chrono::NaiveDate>,
    #[serde(default = "yes")]
    pub searchable: bool,
    #[serde(default)]
    pub skills: Vec<ProfileSkillBody>,
    #[serde(default)]
    pub languages: Vec<SpokenLanguageBody>,
}

fn yes() -> bool {
    true
}

impl ProfileBody {
    /// The same draft the profile form submits, so the API and the page share every rule.
    /// A blank skill, which the form skips as an unused row, is an error in the API.
    fn into_draft(self) -> Result<ProfileDraft, app::error::AppError> {
        let blank: Vec<_> = self
            .skills
            .iter()
            .enumerate()
            .filter(|(_, s)| s.skill.trim().is_empty())
            .map(|(i, _)| {
                domain::validation::FieldError::new(
                    format!("skills[{i}].skill"),
                    domain::validation::Problem::Required,
                )
            })
            .collect();
        if !blank.is_empty() {
            return Err(app::error::AppError::Validation(blank));
        }
        let on = |b: bool| b.then(|| "on".to_owned());
        Ok(ProfileDraft {
            full_name: self.full_name,
            headline: self.headline.unwrap_or_default(),
            summary: self.summary.unwrap_or_default(),
            years_experience: self.years_experience.to_string(),
            jlpt_level: self.jlpt_level.unwrap_or_default(),
            jlpt_certified: on(self.jlpt_certified),
            indian_state: self.indian_state.unwrap_or_default(),
            city: self.city.unwrap_or_default(),
            degree: self.degree.unwrap_or_default(),
            desired_salary_jpy: self
                .desired_salary_jpy
                .map(|s| s.to_string())
                .unwrap_or_default(),
            date_of_birth: self
                .date_of_birth
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            visa_interest: self.visa_interest.unwrap_or_default(),
            available_from: self
                .available_from
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            searchable: on(self.searchable),
            skills: self
                .skills
                .into_iter()
                .map(|s| SkillRowDraft {
                    skill: s.skill,
                    years: s.years.to_string(),
                    level: s.level.unwrap_or_default(),
                })
                .collect(),
            languages: self
                .languages
                .into_iter()
                .map(|l| LanguageRowDraft {
                    language: l.language,
                    level: l.level,
                })
                .collect(),
        })
    }
}

/// The signed-in engineer's profile; skills are given by id.
#[utoipa::path(get, path = "/api/v1/me/profile", tag = "profile",
    responses(
        (status = 200, description = "The profile", body = ProfileBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 404, description = "No profile saved yet", body = super::error::ErrorBody),
    ))]
pub async fn get_profile(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Json<ProfileBody>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    // English names resolve back to the same ids; ids are what integrations store
    let draft =
        app::profile::server::load_draft(&state.db, &state.taxonomy, user.id, UiLanguage::En)
            .await
            .in_language(lang)?
            .ok_or(app::error::AppError::NotFound)
            .in_language(lang)?;
    let profile = draft
        .parse(&state.taxonomy)
        .map_err(app::error::AppError::from)
        .in_language(lang)?;
    Ok(Json(ProfileBody {
        full_name: profile.full_name,
        headline: profile.headline,
        summary: profile.summary,
        years_experience: i64::from(profile.years_experience),
        jlpt_level: profile.jlpt_level.map(|l| l.code().to_owned()),
        jlpt_certified: profile.jlpt_certified,
        indian_state: profile.indian_state,
        city: profile.city,
        degree: Some(profile.degree.code().to_owned()),
        desired_salary_jpy: profile.desired_salary_jpy,
        date_of_birth: profile.date_of_birth,
        visa_interest: Some(profile.visa_interest.code().to_owned()),
        available_from: profile.available_from,
        searchable: profile.searchable,
        skills: profile
            .skills
            .into_iter()
            .map(|s| ProfileSkillBody {
                skill: s.skill.as_str().to_owned(),
                years: i64::from(s.years),
                level: Some(s.level.code().to_owned()),
                free: false,
            })
            .chain(profile.free_skills.into_iter().map(|s| ProfileSkillBody {
                skill: s.name,
                years: i64::from(s.years),
                level: s.level.map(|l| l.code().to_owned()),
                free: true,
            }))
            .collect(),
        languages: profile
            .languages
            .into_iter()
            .map(|l| SpokenLanguageBody {
                language: l.language,
                level: l.level.code().to_owned(),
            })
            .collect(),
    }))
}

/// Replaces the signed-in engineer's profile.
#[utoipa::path(put, path = "/api/v1/me/profile", request_body = ProfileBody, tag = "profile",
    responses(
        (status = 200, description = "Saved; the profile as stored", body = ProfileBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = super::error::ErrorBody),
    ))]
pub async fn put_profile(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<ProfileBody>,
) -> Result<Json<ProfileBody>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    let profile = body
        .into_draft()
        .in_language(lang)?
        .parse(&state.taxonomy)
        .map_err(app::error::AppError::from)
        .in_language(lang)?;
    app::profile::server::save(&state.db, user.id, &profile)
        .await
        .in_language(lang)?;
    state.indexer.sync().await;
    get_profile(State(state), session, RequestLanguage(lang)).await
}
