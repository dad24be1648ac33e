//! Search and matching over the index: language detection, role search (anyone), engineer
//! search (employers and administrators), matches for a role (its employer and administrators)
//! and for the signed-in engineer. Every list is explained where it is ranked.

use std::collections::HashMap;

use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use domain::account::UserRole;
use domain::jlpt::JlptLevel;
use domain::skills::SkillId;
use domain::validation::{FieldError, Problem, Validator};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use search::{Filters, Hit, Kind};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};
use app::db::entities::{engineer_profile, profile_skill, role};

const MAX_LIMIT: i64 = 100;

/// Runs a search off the async workers: tantivy searches are CPU work.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, search::SearchError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|err| {
            tracing::error!(error = %err, "search failed");
            AppError::Internal
        })
}

fn limit(v: &mut Validator, raw: Option<&str>) -> usize {
    v.check(
        "limit",
        match raw {
            None | Some("") => Ok(20),
            Some(raw) => domain::validation::integer(raw, 1, MAX_LIMIT),
        },
    )
    .unwrap_or(20) as usize
}

/// How many skills one search may name.
const MAX_SKILLS: usize = 20;
/// The longest free text a search takes, in characters.
const MAX_QUERY_CHARS: usize = 500;

/// `skills=embedded-software,組み込み,Rust`: ids or names in any language, at most
/// [`MAX_SKILLS`], each looked up in the taxonomy's prebuilt map.
fn skills(v: &mut Validator, state: &AppState, raw: Option<&str>) -> Vec<SkillId> {
    let mut out = Vec::new();
    let raw = raw.unwrap_or_default();
    if raw.split(',').filter(|s| !s.trim().is_empty()).count() > MAX_SKILLS {
        v.push("skills", Problem::TooLong);
        return out;
    }
    for (i, name) in raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
    {
        match state.taxonomy.resolve(name) {
            Some(skill) => out.push(skill.id.clone()),
            None => v.push(format!("skills[{i}]"), Problem::UnknownSkill),
        }
    }
    out
}

/// Free text of a search: at most [`MAX_QUERY_CHARS`], no control characters.
fn query_text(v: &mut Validator, raw: Option<String>) -> String {
    v.check(
        "q",
        domain::validation::query_text(&raw.unwrap_or_default(), MAX_QUERY_CHARS),
    )
    .unwrap_or_default()
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LanguageRequest {
    /// 1–10,000 characters.
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentBody {
    /// Byte offsets into the text.
    pub start: usize,
    pub end: usize,
    /// ISO 639-1: en, ja, hi, mr, bn, ta, te, kn, ml, gu, pa, ur.
    pub language: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LanguageResponse {
    pub language: String,
    pub segments: Vec<SegmentBody>,
}

/// Detects the language of a text and of each of its segments.
#[utoipa::path(post, path = "/api/v1/language", request_body = LanguageRequest, tag = "search",
    responses(
        (status = 200, description = "The text's language and its segments", body = LanguageResponse),
        (status = 400, description = "Empty or too long", body = super::error::ErrorBody),
    ))]
pub async fn detect_language(
    State(state): State<AppState>,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<LanguageRequest>,
) -> Result<Json<LanguageResponse>, ApiError> {
    let chars = body.text.chars().count();
    if body.text.trim().is_empty() || chars > 10_000 {
        let problem = if chars > 10_000 {
            Problem::TooLong
        } else {
            Problem::Required
        };
        return Err(AppError::InvalidParameters(vec![FieldError::new(
            "text", problem,
        )]))
        .in_language(lang);
    }
    let detector = state.search.detector();
    let segments = detector
        .segments(&body.text)
        .into_iter()
        .map(|s| SegmentBody {
            start: s.start,
            end: s.end,
            language: s.language.code().to_owned(),
        })
        .collect();
    Ok(Json(LanguageResponse {
        language: detector.detect(&body.text).code().to_owned(),
        segments,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoleSearch {
    /// Keywords in any language.
    q: Option<String>,
    /// Only roles asking at most this level: `none` or `N5`..`N1`.
    jlpt: Option<String>,
    /// Comma-separated skills (ids or names in any language) that must all be asked for.
    skills: Option<String>,
    /// Prefecture code, e.g. `tokyo`.
    prefecture: Option<String>,
    /// `true`: only roles that sponsor the visa.
    visa: Option<String>,
    /// `onsite`, `hybrid` or `remote`.
    remote: Option<String>,
    /// Only roles whose band reaches this annual salary (JPY).
    salary_min: Option<String>,
    /// 1–100, default 20.
    limit: Option<String>,
}

/// A role in search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleResult {
    pub id: i32,
    pub title_ja: Option<String>,
    pub title_en: Option<String>,
    pub prefecture: String,
    pub salary_min_jpy: i64,
    pub salary_max_jpy: i64,
    pub min_jlpt: Option<String>,
    pub remote_policy: String,
    pub relevance: f32,
}

/// The rows of the roles hit, by id, in one query.
async fn roles_by_id(
    state: &AppState,
    hits: &[Hit],
) -> Result<HashMap<i32, role::Model>, AppError> {
    Ok(role::Entity::find()
        .filter(role::Column::Id.is_in(hits.iter().map(|h| h.id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect())
}

fn role_result(r: &role::Model, relevance: f32) -> RoleResult {
    RoleResult {
        id: r.id,
        title_ja: r.title_ja.clone(),
        title_en: r.title_en.clone(),
        prefecture: r.prefecture.clone(),
        salary_min_jpy: r.salary_min_jpy,
        salary_max_jpy: r.salary_max_jpy,
        min_jlpt: r.min_jlpt.clone(),
        remote_policy: r.remote_policy.clone(),
        relevance,
    }
}

/// Searches open roles of verified employers.
#[utoipa::path(get, path = "/api/v1/roles", tag = "search", params(RoleSearch),
    responses(
        (status = 200, description = "Matching roles, most relevant first", body = [RoleResult]),
        (status = 400, description = "Bad parameters", body = super::error::ErrorBody),
    ))]
pub async fn search_roles(
    State(state): State<AppState>,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<RoleSearch>,
) -> Result<Json<Vec<RoleResult>>, ApiError> {
    let mut v = Validator::new();
    let jlpt_at_most = match query.jlpt.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("none") => Some(None),
        Some(code) => v
            .check(
                "jlpt",
                JlptLevel::parse(code)
                    .map(|l| Some(Some(l)))
                    .ok_or(Problem::NotAllowed),
            )
            .flatten(),
    };
    let prefecture = match query.prefecture.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => v.check(
            "prefecture",
            domain::geo::prefecture(code)
                .map(|p| p.code.to_owned())
                .ok_or(Problem::NotAllowed),
        ),
    };
    let visa_sponsorship = match query.visa.as_deref() {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => v.check("visa", Err::<bool, _>(Problem::NotAllowed)),
    };
    let remote_policy = match query.remote.as_deref() {
        None | Some("") => None,
        Some(code) => v.check(
            "remote",
            domain::role::RemotePolicy::parse(code)
                .map(|r| r.code().to_owned())
                .ok_or(Problem::NotAllowed),
        ),
    };
    let salary_at_least = match query.salary_min.as_deref() {
        None | Some("") => None,
        Some(raw) => v.check("salary_min", domain::money::parse_yen(raw, 0, 100_000_000)),
    };
    let skills = skills(&mut v, &state, query.skills.as_deref());
    let limit = limit(&mut v, query.limit.as_deref());
    let text = query_text(&mut v, query.q);
    v.finish()
        .map_err(AppError::InvalidParameters)
        .in_language(lang)?;
    let filters = Filters {
        jlpt_at_most,
        prefecture,
        visa_sponsorship,
        remote_policy,
        salary_at_least,
        skills,
    };
    let index = state.search.clone();
    let hits = blocking(move || index.search(Kind::Role, &text, &filters, limit))
        .await
        .in_language(lang)?;
    let rows = roles_by_id(&state, &hits).await.in_language(lang)?;
    Ok(Json(
        hits.into_iter()
            .filter_map(|hit| rows.get(&hit.id).map(|r| role_result(r, hit.relevance)))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EngineerSearch {
    /// Keywords in any language.
    q: Option<String>,
    /// Comma-separated skills that must all be held.
    skills: Option<String>,
    /// 1–100, default 20.
    limit: Option<String>,
}

/// An engineer in search results: no contact details.
#[derive(Debug, Serialize, ToSchema)]
pub struct EngineerResult {
    pub id: i32,
    pub full_name: String,
    pub headline: Option<String>,
    pub jlpt_level: Option<String>,
    pub indian_state: Option<String>,
    pub years_experience: i16,
    pub skills: Vec<String>,
    pub relevance: f32,
    /// Present for matches: matched and missing skills, JLPT gap, each score component.
    #[schema(value_type = Option<Object>)]
    pub explanation: Option<domain::matching::Explanation>,
}

async fn engineer_rows(state: &AppState, hits: Vec<Hit>) -> Result<Vec<EngineerResult>, AppError> {
    let ids: Vec<i32> = hits.iter().map(|h| h.id).collect();
    let profiles: HashMap<i32, engineer_profile::Model> = engineer_profile::Entity::find()
        .filter(engineer_profile::Column::UserId.is_in(ids.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    let mut skills: HashMap<i32, Vec<String>> = HashMap::new();
    for s in profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.is_in(ids))
        .all(&state.db)
        .await?
    {
        skills.entry(s.user_id).or_default().push(s.skill_id);
    }
    Ok(hits
        .into_iter()
        .filter_map(|hit| {
            // a profile hidden since the last index refresh is still never shown
            let p = profiles.get(&hit.id).filter(|p| p.searchable)?;
            Some(EngineerResult {
                id: p.user_id,
                full_name: p.full_name.clone(),
                headline: p.headline.clone(),
                jlpt_level: p.jlpt_level.clone(),
                indian_state: p.indian_state.clone(),
                years_experience: p.years_experience,
                skills: skills.remove(&p.user_id).unwrap_or_default(),
                relevance: hit.relevance,
                explanation: hit.explanation,
            })
        })
        .collect())
}

/// Searches searchable engineer profiles (employers and administrators only).
#[utoipa::path(get, path = "/api/v1/engineers", tag = "search", params(EngineerSearch),
    responses(
        (status = 200, description = "Matching engineers, most relevant first", body = [EngineerResult]),
        (status = 400, description = "Bad parameters", body = super::error::ErrorBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an administrator or an employer of a verified organisation", body = super::error::ErrorBody),
    ))]
pub async fn search_engineers(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<EngineerSearch>,
) -> Result<Json<Vec<EngineerResult>>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer, UserRole::Admin])
        .await
        .in_language(lang)?;
    app::auth::server::require_talent_access(&state.db, &user)
        .await
        .in_language(lang)?;
    let mut v = Validator::new();
    let skills = skills(&mut v, &state, query.skills.as_deref());
    let limit = limit(&mut v, query.limit.as_deref());
    let text = query_text(&mut v, query.q);
    v.finish()
        .map_err(AppError::InvalidParameters)
        .in_language(lang)?;
    let filters = Filters {
        skills,
        ..Filters::default()
    };
    let index = state.search.clone();
    let hits = blocking(move || index.search(Kind::Engineer, &text, &filters, limit))
        .await
        .in_language(lang)?;
    Ok(Json(engineer_rows(&state, hits).await.in_language(lang)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// 1–100, default 20.
    limit: Option<String>,
}

/// The best engineers for one of the employer's roles, ranked and explained.
#[utoipa::path(get, path = "/api/v1/roles/{id}/matches", tag = "search", params(("id" = i32, Path, description = "Role id"), MatchQuery),
    responses(
        (status = 200, description = "Engineers, best match first, with explanations", body = [EngineerResult]),
        (status = 403, description = "Another organisation's role, or an unverified organisation", body = super::error::ErrorBody),
        (status = 404, description = "No such role", body = super::error::ErrorBody),
    ))]
pub async fn matches_for_role(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    Query(query): Query<MatchQuery>,
) -> Result<Json<Vec<EngineerResult>>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer, UserRole::Admin])
        .await
        .in_language(lang)?;
    app::auth::server::require_talent_access(&state.db, &user)
        .await
        .in_language(lang)?;
    let mut v = Validator::new();
    let limit = limit(&mut v, query.limit.as_deref());
    v.finish()
        .map_err(AppError::InvalidParameters)
        .in_language(lang)?;
    let role = if user.role == UserRole::Admin {
        role::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .map_err(AppError::from)
            .in_language(lang)?
            .ok_or(AppError::NotFound)
            .in_language(lang)?
    } else {
        app::roles::server::find_own(&state.db, &user, id)
            .await
            .in_language(lang)?
    };
    let skills = app::roles::server::skills_of(&state.db, id)
        .await
        .in_language(lang)?;
    let facts = app::indexing::role_facts(&role, &skills);
    let text = app::indexing::join_texts(&[role.title_ja.as_deref(), role.title_en.as_deref()]);
    let index = state.search.clone();
    let hits = blocking(move || index.engineers_for_role(&facts, &text, limit))
        .await
        .in_language(lang)?;
    Ok(Json(engineer_rows(&state, hits).await.in_language(lang)?))
}

/// A role matched for an engineer.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleMatch {
    pub role: RoleResult,
    #[schema(value_type = Object)]
    pub explanation: domain::matching::Explanation,
}

/// The best roles for the signed-in engineer, ranked and explained.
#[utoipa::path(get, path = "/api/v1/me/matches", tag = "search", params(MatchQuery),
    responses(
        (status = 200, description = "Roles, best match first, with explanations", body = [RoleMatch]),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 404, description = "No profile yet", body = super::error::ErrorBody),
    ))]
pub async fn my_matches(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<MatchQuery>,
) -> Result<Json<Vec<RoleMatch>>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    let mut v = Validator::new();
    let limit = limit(&mut v, query.limit.as_deref());
    v.finish()
        .map_err(AppError::InvalidParameters)
        .in_language(lang)?;
    let profile = engineer_profile::Entity::find_by_id(user.id)
        .one(&state.db)
        .await
        .map_err(AppError::from)
        .in_language(lang)?
        .ok_or(AppError::NotFound)
        .in_language(lang)?;
    let skills = profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.eq(user.id))
        .all(&state.db)
        .await
        .map_err(AppError::from)
        .in_language(lang)?;
    let facts = app::indexing::engineer_facts(
        &profile,
        skills.into_iter().map(app::indexing::skill_years).collect(),
    );
    let text =
        app::indexing::join_texts(&[profile.headline.as_deref(), profile.summary.as_deref()]);
    let index = state.search.clone();
    let hits = blocking(move || index.roles_for_engineer(&facts, &text, limit))
        .await
        .in_language(lang)?;
    let rows = roles_by_id(&state, &hits).await.in_language(lang)?;
    Ok(Json(
        hits.into_iter()
            .filter_map(|hit| {
                let r = rows.get(&hit.id).filter(|r| r.is_open)?;
                Some(RoleMatch {
                    role: role_result(r, hit.relevance),
                    explanation: hit.explanation?,
                })
            })
            .collect(),
    ))
}
