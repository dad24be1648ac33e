//! Search and matching over the index: language detection, role search (anyone), engineer
//! search (employers and administrators), matches for a role (its employer and administrators)
//! and for the signed-in engineer. Every list is explained where it is ranked.

use std::collections::HashMap;

use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use domain::account::UserRole;
use domain::validation::{FieldError, Problem, Validator};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};
use app::db::entities::{engineer_profile, profile_skill};

const MAX_LIMIT: i64 = 100;

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
    /// Only roles asking at most this level: `none`, `N5`..`N1`, or `mine` (an engineer's own).
    jlpt: Option<String>,
    /// Comma-separated skills (ids or names in any language) that must all be asked for.
    skills: Option<String>,
    /// Prefecture code, e.g. `tokyo`.
    prefecture: Option<String>,
    /// Sector code, e.g. `semiconductors` (the role's own, else its organisation's).
    sector: Option<String>,
    /// `true`: only roles that sponsor the visa; `false`: only roles that do not.
    visa: Option<String>,
    /// `true`: only roles that take applications from abroad.
    abroad: Option<String>,
    /// `onsite`, `hybrid` or `remote`.
    remote: Option<String>,
    /// Only roles whose band reaches this annual salary (JPY).
    salary_min: Option<String>,
    /// `match` (an engineer's fit; the default for engineers), `date` (newest first; the
    /// default without words or skills) or empty (relevance).
    sort: Option<String>,
    /// 1-based page, at most 1,000.
    page: Option<String>,
    /// Results per page, 1–100, default 20.
    limit: Option<String>,
    /// Only roles posted at or after this time (seconds since the epoch).
    since: Option<String>,
}

/// A role in search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleResult {
    pub id: i32,
    pub title_ja: Option<String>,
    pub title_en: Option<String>,
    pub organisation_id: i32,
    pub organisation_name: String,
    pub sector: String,
    pub prefecture: String,
    pub salary_min_jpy: i64,
    pub salary_max_jpy: i64,
    pub min_jlpt: Option<String>,
    pub remote_policy: String,
    pub visa_sponsorship: bool,
    pub apply_from_abroad: bool,
    /// For a signed-in engineer: the match score out of 100.
    pub fit: Option<f32>,
}

/// One value of a filter and how many roles choosing it would give.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValueBody {
    pub value: String,
    pub count: u64,
}

/// A page of role search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleSearchResponse {
    pub results: Vec<RoleResult>,
    /// Roles found in all, exactly.
    pub total: usize,
    pub page: usize,
    /// The next page's number (pass it as `page`), or null on the last page.
    pub next: Option<usize>,
    /// For each filter (`jlpt`, `prefecture`, `sector`, `remote`, `visa`, `abroad`,
    /// `salary`), how many roles each value would find with the other filters as they are.
    #[schema(value_type = Object)]
    pub facets: std::collections::BTreeMap<String, Vec<FacetValueBody>>,
    /// What the keywords were also searched as: skills, the same words in the other languages,
    /// places.
    pub also_searched: Vec<String>,
    /// Words typed that are in most documents (say "engineer"): beside words that narrow the
    /// results, they only order them.
    pub ordering_words: Vec<String>,
}

fn role_result(card: app::jobs::api::JobCard) -> RoleResult {
    RoleResult {
        id: card.id,
        title_ja: card.title_ja,
        title_en: card.title_en,
        organisation_id: card.organisation_id,
        organisation_name: card.organisation_name,
        sector: card.sector,
        prefecture: card.prefecture,
        salary_min_jpy: card.salary_min_jpy,
        salary_max_jpy: card.salary_max_jpy,
        min_jlpt: card.min_jlpt,
        remote_policy: card.remote_policy,
        visa_sponsorship: card.visa_sponsorship,
        apply_from_abroad: card.apply_from_abroad,
        fit: card.fit.map(|f| f.score),
    }
}

/// The facet counts as the API answers them.
fn facets_body(
    facets: app::jobs::api::FacetCounts,
) -> std::collections::BTreeMap<String, Vec<FacetValueBody>> {
    facets
        .0
        .into_iter()
        .map(|(name, values)| {
            let values = values
                .into_iter()
                .map(|(value, count)| FacetValueBody { value, count })
                .collect();
            (name, values)
        })
        .collect()
}

/// Searches open roles of verified employers: the job board's search (`/jobs`), the same
/// filters, order and paging, with facet counts.
#[utoipa::path(get, path = "/api/v1/roles", tag = "search", params(RoleSearch),
    responses(
        (status = 200, description = "A page of matching roles, with the total and facet counts", body = RoleSearchResponse),
        (status = 400, description = "Bad parameters (an unknown skill too)", body = super::error::ErrorBody),
    ))]
pub async fn search_roles(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<RoleSearch>,
) -> Result<Json<RoleSearchResponse>, ApiError> {
    let user = app::auth::server::user_of_session(&state.db, &session)
        .await
        .in_language(lang)?;
    let text = |v: Option<String>| v.unwrap_or_default();
    let query = app::jobs::api::JobQuery {
        q: text(query.q),
        skills: text(query.skills),
        jlpt: text(query.jlpt),
        prefecture: text(query.prefecture),
        sector: text(query.sector),
        remote: text(query.remote),
        visa: query.visa,
        abroad: query.abroad,
        salary_min: text(query.salary_min),
        sort: text(query.sort),
        page: text(query.page),
        limit: text(query.limit),
        since: text(query.since),
    };
    let found = app::jobs::server::search(
        &state,
        user.as_ref(),
        &query,
        lang,
        app::jobs::server::Reading::Strict,
    )
    .await
    .in_language(lang)?;
    Ok(Json(RoleSearchResponse {
        results: found.cards.into_iter().map(role_result).collect(),
        total: found.total,
        page: found.page,
        next: (found.page < found.pages).then_some(found.page + 1),
        facets: facets_body(found.facets),
        also_searched: found.also_searched,
        ordering_words: found.ordering_words,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EngineerSearch {
    /// Keywords in any language.
    q: Option<String>,
    /// Comma-separated skills that must all be held, each optionally with minimum years after
    /// a colon: `rust:3,組み込み`.
    skills: Option<String>,
    /// At least this JLPT level, `N5`..`N1`.
    jlpt: Option<String>,
    /// `true`: only certified JLPT levels.
    certified: Option<String>,
    /// Indian state code, e.g. `ka`.
    state: Option<String>,
    /// At least this many years of experience.
    years: Option<String>,
    /// A salary wish at most this (JPY); no wish stated counts.
    salary_max: Option<String>,
    /// Visa route of interest: `undecided`, `engineer_specialist`,
    /// `highly_skilled_professional`, `specified_skilled_worker`, `intra_company_transferee`.
    route: Option<String>,
    /// Speaks this language (ISO 639-1).
    language: Option<String>,
    /// Rank by fit for this role (the organisation's own; any for an administrator).
    role: Option<String>,
    /// 1-based page, at most 1,000.
    page: Option<String>,
    /// 1–100, default 20.
    limit: Option<String>,
    /// Only profiles made at or after this time (seconds since the epoch).
    since: Option<String>,
    /// Able to start by this day (`YYYY-MM-DD`); a profile with no date counts as now.
    available: Option<String>,
}

/// An engineer in search results: no contact details.
#[derive(Debug, Serialize, ToSchema)]
pub struct EngineerResult {
    pub id: i32,
    pub full_name: String,
    pub headline: Option<String>,
    pub jlpt_level: Option<String>,
    /// The JLPT level is certified, not only declared.
    pub jlpt_certified: bool,
    pub indian_state: Option<String>,
    pub years_experience: i16,
    /// Skill ids (for a search) or names (with years, for the talent pool).
    pub skills: Vec<String>,
    /// Present for matches: matched and missing skills, JLPT gap, each score component.
    #[schema(value_type = Option<Object>)]
    pub explanation: Option<domain::matching::Explanation>,
}

/// A page of the talent pool.
#[derive(Debug, Serialize, ToSchema)]
pub struct EngineerSearchResponse {
    pub results: Vec<TalentResult>,
    /// Engineers found in all, exactly.
    pub total: usize,
    pub page: usize,
    /// The next page's number (pass it as `page`), or null on the last page.
    pub next: Option<usize>,
    /// For each filter (`jlpt`, `certified`, `state`, `years`, `salary`, `route`,
    /// `languages`, `skills`), how many engineers each value would find.
    #[schema(value_type = Object)]
    pub facets: std::collections::BTreeMap<String, Vec<FacetValueBody>>,
    pub also_searched: Vec<String>,
    /// Words typed that are in most documents (say "engineer"): beside words that narrow the
    /// results, they only order them.
    pub ordering_words: Vec<String>,
}

/// A skill held and its years.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillYears {
    pub skill: String,
    pub years: u8,
}

/// An engineer in the talent pool: no contact details.
#[derive(Debug, Serialize, ToSchema)]
pub struct TalentResult {
    pub id: i32,
    pub full_name: String,
    pub headline: Option<String>,
    pub jlpt_level: Option<String>,
    pub jlpt_certified: bool,
    pub indian_state: Option<String>,
    pub years_experience: i16,
    pub visa_interest: String,
    /// Skills with years, most years first, named in the request's language.
    pub skills: Vec<SkillYears>,
    /// When ranked for a role: the fit out of 100.
    pub fit: Option<f32>,
}

/// Searches the talent pool (employers of verified organisations and administrators): the
/// `/talent` page's search, the same filters, order and paging, with facet counts.
#[utoipa::path(get, path = "/api/v1/engineers", tag = "search", params(EngineerSearch),
    responses(
        (status = 200, description = "A page of matching engineers, with the total and facet counts", body = EngineerSearchResponse),
        (status = 400, description = "Bad parameters", body = super::error::ErrorBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an administrator or an employer of a verified organisation, or ranking for another organisation's role", body = super::error::ErrorBody),
        (status = 404, description = "Ranking for a role that does not exist", body = super::error::ErrorBody),
    ))]
pub async fn search_engineers(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<EngineerSearch>,
) -> Result<Json<EngineerSearchResponse>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer, UserRole::Admin])
        .await
        .in_language(lang)?;
    let text = |v: Option<String>| v.unwrap_or_default();
    let query = app::talent::api::TalentQuery {
        q: text(query.q),
        skills: text(query.skills),
        jlpt: text(query.jlpt),
        certified: query.certified,
        state: text(query.state),
        years: text(query.years),
        salary_max: text(query.salary_max),
        route: text(query.route),
        language: text(query.language),
        available: text(query.available),
        role: text(query.role),
        page: text(query.page),
        limit: text(query.limit),
        since: text(query.since),
    };
    let found = app::talent::server::search(
        &state,
        &user,
        &query,
        lang,
        app::jobs::server::Reading::Strict,
    )
    .await
    .in_language(lang)?;
    Ok(Json(EngineerSearchResponse {
        results: found
            .rows
            .into_iter()
            .map(|row| TalentResult {
                id: row.engineer_id,
                full_name: row.full_name,
                headline: row.headline,
                jlpt_level: row.jlpt,
                jlpt_certified: row.jlpt_certified,
                indian_state: row.indian_state,
                years_experience: row.years_experience,
                visa_interest: row.visa_interest,
                skills: row
                    .skills
                    .into_iter()
                    .map(|(skill, years)| SkillYears { skill, years })
                    .collect(),
                fit: row.fit.map(|f| f.score),
            })
            .collect(),
        total: found.total,
        page: found.page,
        next: (found.page < found.pages).then_some(found.page + 1),
        facets: facets_body(found.facets),
        also_searched: found.also_searched,
        ordering_words: found.ordering_words,
    }))
}

/// The rows of the engineers ranked, in the order ranked, with their skill ids.
async fn engineer_rows(
    state: &AppState,
    rows: Vec<(engineer_profile::Model, domain::matching::Explanation)>,
) -> Result<Vec<EngineerResult>, AppError> {
    let ids: Vec<i32> = rows.iter().map(|(p, _)| p.user_id).collect();
    let mut skills: HashMap<i32, Vec<String>> = HashMap::new();
    for s in profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.is_in(ids))
        .all(&state.db)
        .await?
    {
        skills.entry(s.user_id).or_default().push(s.skill_id);
    }
    Ok(rows
        .into_iter()
        .map(|(p, explanation)| EngineerResult {
            id: p.user_id,
            skills: skills.remove(&p.user_id).unwrap_or_default(),
            jlpt_certified: p.jlpt_is_certified(),
            full_name: p.full_name,
            headline: p.headline,
            jlpt_level: p.jlpt_level,
            indian_state: p.indian_state,
            years_experience: p.years_experience,
            explanation: Some(explanation),
        })
        .collect())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchQuery {
    /// 1–100, default 20.
    limit: Option<String>,
}

/// The talent pool's filters narrowing a role's ranked engineers.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoleMatchQuery {
    /// Keywords in any language: the engineers they find, ranked for the role.
    q: Option<String>,
    /// Comma-separated skills that must all be held, each optionally with minimum years after
    /// a colon: `rust:3,組み込み`.
    skills: Option<String>,
    /// At least this JLPT level, `N5`..`N1`.
    jlpt: Option<String>,
    /// `true`: only certified JLPT levels.
    certified: Option<String>,
    /// Indian state code, e.g. `ka`.
    state: Option<String>,
    /// At least this many years of experience.
    years: Option<String>,
    /// A salary wish at most this (JPY); no wish stated counts.
    salary_max: Option<String>,
    /// Visa route of interest.
    route: Option<String>,
    /// Speaks this language (ISO 639-1).
    language: Option<String>,
    /// Able to start by this day (`YYYY-MM-DD`); a profile with no date counts as now.
    available: Option<String>,
    /// 1-based page.
    page: Option<String>,
    /// 1–100, default 20.
    limit: Option<String>,
}

/// A page of a role's ranked engineers.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchesResponse {
    pub results: Vec<EngineerResult>,
    /// Engineers ranked in all: those sharing a skill or a word with the role (or found by
    /// `q`), at most 1,000.
    pub total: usize,
    pub page: usize,
    /// The next page's number (pass it as `page`), or null on the last page.
    pub next: Option<usize>,
}

/// The best engineers for one of the employer's roles, ranked and explained: the candidates
/// page's ranking, filters and paging.
#[utoipa::path(get, path = "/api/v1/roles/{id}/matches", tag = "search", params(("id" = i32, Path, description = "Role id"), RoleMatchQuery),
    responses(
        (status = 200, description = "A page of engineers, best match first, with explanations", body = MatchesResponse),
        (status = 400, description = "Bad parameters", body = super::error::ErrorBody),
        (status = 403, description = "Another organisation's role, or an unverified organisation", body = super::error::ErrorBody),
        (status = 404, description = "No such role", body = super::error::ErrorBody),
    ))]
pub async fn matches_for_role(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    Query(query): Query<RoleMatchQuery>,
) -> Result<Json<MatchesResponse>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer, UserRole::Admin])
        .await
        .in_language(lang)?;
    let text = |v: Option<String>| v.unwrap_or_default();
    let query = app::talent::api::TalentQuery {
        q: text(query.q),
        skills: text(query.skills),
        jlpt: text(query.jlpt),
        certified: query.certified,
        state: text(query.state),
        years: text(query.years),
        salary_max: text(query.salary_max),
        route: text(query.route),
        language: text(query.language),
        available: text(query.available),
        role: String::new(),
        page: text(query.page),
        limit: text(query.limit),
        since: String::new(),
    };
    let found = app::candidates::server::ranked(
        &state,
        &user,
        id,
        &query,
        app::jobs::server::Reading::Strict,
    )
    .await
    .in_language(lang)?;
    Ok(Json(MatchesResponse {
        total: found.total,
        page: found.page,
        next: (found.page < found.pages).then_some(found.page + 1),
        results: engineer_rows(&state, found.rows).await.in_language(lang)?,
    }))
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
    let engineer = app::jobs::server::engineer_context(&state.db, user.id)
        .await
        .in_language(lang)?
        .ok_or(AppError::NotFound)
        .in_language(lang)?;
    let found = app::jobs::server::best_matches(&state, &engineer, limit)
        .await
        .in_language(lang)?;
    Ok(Json(
        found
            .into_iter()
            .map(|(r, org, explanation)| RoleMatch {
                role: role_result(app::jobs::server::card(&r, org.as_ref(), None)),
                explanation,
            })
            .collect(),
    ))
}
