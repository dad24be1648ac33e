//! `POST /roles`, `GET`/`PUT /roles/{id}`: an employer's roles.

use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::account::UserRole;
use domain::role::{RoleDraft, RoleSkillDraft};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};
use app::error::AppError;

/// A skill a role asks for: by taxonomy id or by name in any language.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoleSkillBody {
    /// A taxonomy id or a name in English, Japanese or Hindi.
    pub skill: String,
    #[serde(default)]
    pub min_years: i64,
    /// In answers: true when the taxonomy does not know the skill, so it is kept as written
    /// (found by text search, not counted in matching). Ignored when sent.
    #[serde(default)]
    pub free: bool,
}

/// A role as sent: the same rules as the posting form.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RoleBody {
    #[serde(default)]
    pub title_ja: Option<String>,
    #[serde(default)]
    pub title_en: Option<String>,
    #[serde(default)]
    pub description_ja: Option<String>,
    #[serde(default)]
    pub description_en: Option<String>,
    #[serde(default)]
    pub required_skills: Vec<RoleSkillBody>,
    #[serde(default)]
    pub nice_skills: Vec<RoleSkillBody>,
    /// `N5`..`N1`, or absent for no requirement.
    #[serde(default)]
    pub min_jlpt: Option<String>,
    #[serde(default)]
    pub jlpt_strict: bool,
    /// `japanese`, `english` or `mixed`.
    pub working_language: String,
    pub salary_min_jpy: i64,
    pub salary_max_jpy: i64,
    /// Prefecture code, e.g. `tokyo`.
    pub prefecture: String,
    /// `onsite`, `hybrid` or `remote`.
    pub remote_policy: String,
    #[serde(default)]
    pub visa_sponsorship: bool,
    #[serde(default)]
    pub apply_from_abroad: bool,
    #[serde(default = "one")]
    pub headcount: i64,
    #[serde(default = "yes")]
    pub is_open: bool,
    /// The role's own sector code (e.g. `automotive`); absent for its organisation's.
    #[serde(default)]
    pub sector: Option<String>,
    /// The last day applications are taken, `YYYY-MM-DD` in Japan; absent for none. After it
    /// the role closes and its open applications up to the interview close.
    #[serde(default)]
    pub closes_on: Option<String>,
}

fn one() -> i64 {
    1
}

fn yes() -> bool {
    true
}

/// A stored role.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleResponse {
    pub id: i32,
    pub organisation_id: i32,
    #[serde(flatten)]
    pub role: RoleBody,
}

fn skill_rows(list: &str, rows: Vec<RoleSkillBody>) -> Result<Vec<RoleSkillDraft>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut blank = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        if row.skill.trim().is_empty() {
            blank.push(domain::validation::FieldError::new(
                format!("{list}[{i}].skill"),
                domain::validation::Problem::Required,
            ));
        }
        out.push(RoleSkillDraft {
            skill: row.skill,
            min_years: row.min_years.to_string(),
        });
    }
    if blank.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Validation(blank))
    }
}

impl RoleBody {
    fn into_draft(self) -> Result<RoleDraft, AppError> {
        let on = |b: bool| b.then(|| "on".to_owned());
        Ok(RoleDraft {
            title_ja: self.title_ja.unwrap_or_default(),
            title_en: self.title_en.unwrap_or_default(),
            description_ja: self.description_ja.unwrap_or_default(),
            description_en: self.description_en.unwrap_or_default(),
            required_skills: skill_rows("required_skills", self.required_skills)?,
            nice_skills: skill_rows("nice_skills", self.nice_skills)?,
            min_jlpt: self.min_jlpt.unwrap_or_default(),
            jlpt_strict: on(self.jlpt_strict),
            working_language: self.working_language,
            salary_min_jpy: self.salary_min_jpy.to_string(),
            salary_max_jpy: self.salary_max_jpy.to_string(),
            prefecture: self.prefecture,
            remote_policy: self.remote_policy,
            visa_sponsorship: on(self.visa_sponsorship),
            apply_from_abroad: on(self.apply_from_abroad),
            headcount: self.headcount.to_string(),
            is_open: on(self.is_open),
            sector: self.sector.unwrap_or_default(),
            closes_on: self.closes_on.unwrap_or_default(),
        })
    }
}

async fn load(
    state: &AppState,
    user: &app::auth::api::CurrentUser,
    id: i32,
) -> Result<RoleResponse, AppError> {
    use sea_orm::EntityTrait;
    let role = if user.role == UserRole::Admin {
        app::db::entities::role::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?
    } else {
        app::roles::server::find_own(&state.db, user, id).await?
    };
    let skills = app::roles::server::skills_of(&state.db, id).await?;
    let free = role.free_skills();
    let rows = |required: bool| {
        let free_rows = if required { &free.required } else { &free.nice };
        skills
            .iter()
            .filter(|s| s.required == required)
            .map(|s| RoleSkillBody {
                skill: s.skill_id.clone(),
                min_years: i64::from(s.min_years),
                free: false,
            })
            .chain(free_rows.iter().map(|s| RoleSkillBody {
                skill: s.name.clone(),
                min_years: i64::from(s.years),
                free: true,
            }))
            .collect()
    };
    Ok(RoleResponse {
        id: role.id,
        organisation_id: role.organisation_id,
        role: RoleBody {
            title_ja: role.title_ja,
            title_en: role.title_en,
            description_ja: role.description_ja,
            description_en: role.description_en,
            required_skills: rows(true),
            nice_skills: rows(false),
            min_jlpt: role.min_jlpt,
            jlpt_strict: role.jlpt_strict,
            working_language: role.working_language,
            salary_min_jpy: role.salary_min_jpy,
            salary_max_jpy: role.salary_max_jpy,
            prefecture: role.prefecture,
            remote_policy: role.remote_policy,
            visa_sponsorship: role.visa_sponsorship,
            apply_from_abroad: role.apply_from_abroad,
            headcount: i64::from(role.headcount),
            is_open: role.is_open,
            sector: role.sector,
            closes_on: role.closes_on.map(|d| d.format("%Y-%m-%d").to_string()),
        },
    })
}

/// Posts a role for the signed-in employer's organisation.
#[utoipa::path(post, path = "/api/v1/roles", request_body = RoleBody, tag = "roles",
    responses(
        (status = 201, description = "Created", body = RoleResponse),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an employer", body = super::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = super::error::ErrorBody),
    ))]
pub async fn create_role(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<RoleBody>,
) -> Result<(StatusCode, Json<RoleResponse>), ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer])
        .await
        .in_language(lang)?;
    let role = body
        .into_draft()
        .and_then(|d| d.parse(&state.taxonomy).map_err(AppError::from))
        .in_language(lang)?;
    let id = app::roles::server::create(&state.db, &user, &role)
        .await
        .in_language(lang)?;
    state.indexer.sync().await;
    Ok((
        StatusCode::CREATED,
        Json(load(&state, &user, id).await.in_language(lang)?),
    ))
}

/// One role: the owning organisation's employers and administrators only.
#[utoipa::path(get, path = "/api/v1/roles/{id}", tag = "roles",
    params(("id" = i32, Path, description = "Role id")),
    responses(
        (status = 200, description = "The role", body = RoleResponse),
        (status = 403, description = "Another organisation's role", body = super::error::ErrorBody),
        (status = 404, description = "No such role", body = super::error::ErrorBody),
    ))]
pub async fn get_role(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<Json<RoleResponse>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer, UserRole::Admin])
        .await
        .in_language(lang)?;
    Ok(Json(load(&state, &user, id).await.in_language(lang)?))
}

/// Replaces one of the signed-in employer's roles.
#[utoipa::path(put, path = "/api/v1/roles/{id}", request_body = RoleBody, tag = "roles",
    params(("id" = i32, Path, description = "Role id")),
    responses(
        (status = 200, description = "Saved", body = RoleResponse),
        (status = 403, description = "Another organisation's role", body = super::error::ErrorBody),
        (status = 404, description = "No such role", body = super::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = super::error::ErrorBody),
    ))]
pub async fn put_role(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    ApiJson(body): ApiJson<RoleBody>,
) -> Result<Json<RoleResponse>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer])
        .await
        .in_language(lang)?;
    // another organisation's role is refused before its body is even read
    app::roles::server::find_own(&state.db, &user, id)
        .await
        .in_language(lang)?;
    let role = body
        .into_draft()
        .and_then(|d| d.parse(&state.taxonomy).map_err(AppError::from))
        .in_language(lang)?;
    app::roles::server::update(&state.db, &user, id, &role)
        .await
        .in_language(lang)?;
    state.indexer.sync().await;
    Ok(Json(load(&state, &user, id).await.in_language(lang)?))
}
