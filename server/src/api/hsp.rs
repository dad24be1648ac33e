//! `GET /hsp-points?role=…&age=…[&engineer=…]`: the Highly Skilled Professional points an
//! engineer would get for a role's offer, at the bottom and the top of its salary band, with the
//! breakdown and the visa routes it opens.

use app::error::AppError;
use app::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use domain::account::UserRole;
use domain::hsp::{open_routes, HspCase, PointsBreakdown, VisaRoute, TABLE_2023};
use domain::validation::{Problem, Validator};
use sea_orm::EntityTrait;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, InLanguage, RequestLanguage};
use app::db::entities::{engineer_profile, organisation, role};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HspQuery {
    /// The role whose offer is scored.
    role: Option<String>,
    /// The engineer's age at application, 18–80; by default from the profile's date of birth.
    age: Option<String>,
    /// The engineer (employers and administrators); engineers get their own.
    engineer: Option<String>,
}

/// Points at one salary.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointsAtSalary {
    pub annual_salary_jpy: i64,
    pub total: u16,
    pub qualifies: bool,
    pub salary_floor_met: bool,
    /// 特別高度人材 (J-Skip): ¥20M or more with a master's degree or ten years' experience.
    pub j_skip: bool,
    pub permanent_residence_after_years: Option<u8>,
    /// `[item, points]` pairs, e.g. `["academic_background", 20]`.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<(domain::hsp::PointsItem, u8)>,
    #[schema(value_type = Vec<String>)]
    pub open_routes: Vec<VisaRoute>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HspResponse {
    pub table_effective_from: String,
    pub pass_mark: u16,
    pub at_salary_min: PointsAtSalary,
    pub at_salary_max: PointsAtSalary,
}

fn at(case: &HspCase, salary: i64) -> PointsAtSalary {
    let case = HspCase {
        annual_salary_jpy: salary,
        ..case.clone()
    };
    let PointsBreakdown {
        items,
        total,
        salary_floor_met,
        qualifies,
        j_skip,
        permanent_residence_after_years,
    } = TABLE_2023.score(&case);
    let routes = open_routes(&case, &TABLE_2023.score(&case));
    PointsAtSalary {
        annual_salary_jpy: salary,
        total,
        qualifies,
        salary_floor_met,
        j_skip,
        permanent_residence_after_years,
        items,
        open_routes: routes,
    }
}

/// Scores an engineer × a role's offer.
#[utoipa::path(get, path = "/api/v1/hsp-points", tag = "search", params(HspQuery),
    responses(
        (status = 200, description = "Points at the bottom and top of the salary band", body = HspResponse),
        (status = 400, description = "Bad parameters", body = super::error::ErrorBody),
        (status = 403, description = "Another organisation's role, another engineer, or an unverified organisation", body = super::error::ErrorBody),
        (status = 404, description = "No such role or profile", body = super::error::ErrorBody),
    ))]
pub async fn points(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<HspQuery>,
) -> Result<Json<HspResponse>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    let mut v = Validator::new();
    let role_id = v.check(
        "role",
        domain::validation::integer(
            query.role.as_deref().unwrap_or_default(),
            1,
            i64::from(i32::MAX),
        ),
    );
    // the age may be given; otherwise it comes from the profile's date of birth
    let age = v
        .check(
            "age",
            domain::validation::optional_integer(query.age.as_deref().unwrap_or_default(), 18, 80),
        )
        .flatten();
    let engineer_id = match (user.role, query.engineer.as_deref()) {
        (UserRole::Engineer, None | Some("")) => Some(i64::from(user.id)),
        (UserRole::Engineer, Some(raw)) => v
            .check(
                "engineer",
                domain::validation::integer(raw, 1, i64::from(i32::MAX)),
            )
            .filter(|id| *id == i64::from(user.id))
            .or_else(|| {
                v.push("engineer", Problem::NotAllowed);
                None
            }),
        (_, raw) => v.check(
            "engineer",
            domain::validation::integer(raw.unwrap_or_default(), 1, i64::from(i32::MAX)),
        ),
    };
    v.finish()
        .map_err(AppError::InvalidParameters)
        .in_language(lang)?;
    let (Some(role_id), Some(engineer_id)) = (role_id, engineer_id) else {
        return Err(AppError::Internal).in_language(lang);
    };
    let offer = match user.role {
        // scoring an engineer reveals their age band: the talent pool's rule applies
        UserRole::Employer => {
            app::auth::server::require_talent_access(&state.db, &user)
                .await
                .in_language(lang)?;
            app::roles::server::find_own(&state.db, &user, role_id as i32)
                .await
                .in_language(lang)?
        }
        // an engineer sees the salary band of published roles only, as on the job pages
        UserRole::Engineer => {
            app::roles::server::find_visible_to_engineer(&state.db, user.id, role_id as i32)
                .await
                .in_language(lang)?
        }
        UserRole::Admin => role::Entity::find_by_id(role_id as i32)
            .one(&state.db)
            .await
            .map_err(AppError::from)
            .in_language(lang)?
            .ok_or(AppError::NotFound)
            .in_language(lang)?,
    };
    let profile = engineer_profile::Entity::find_by_id(engineer_id as i32)
        .one(&state.db)
        .await
        .map_err(AppError::from)
        .in_language(lang)?
        // employers see only profiles that are open to search
        .filter(|p| user.role != UserRole::Employer || p.searchable)
        .ok_or(AppError::NotFound)
        .in_language(lang)?;
    let age = match (age, profile.date_of_birth) {
        (Some(age), _) => age as u8,
        (None, Some(born)) => {
            domain::profile::age_on(born, domain::time::japan_date(chrono::Utc::now()))
        }
        (None, None) => {
            return Err(AppError::InvalidParameters(vec![
                domain::validation::FieldError::new("age", Problem::Required),
            ]))
            .in_language(lang)
        }
    };
    // scored as the pages score it: the career, the role's skills and the employer's profile
    let asked: Vec<domain::skills::SkillId> = app::roles::server::skills_of(&state.db, offer.id)
        .await
        .in_language(lang)?
        .into_iter()
        .filter(|s| s.required)
        .map(|s| domain::skills::SkillId::new(s.skill_id))
        .collect();
    let sponsorship = organisation::Entity::find_by_id(offer.organisation_id)
        .one(&state.db)
        .await
        .map_err(AppError::from)
        .in_language(lang)?
        .map(|o| o.sponsorship())
        .unwrap_or_default();
    let case = app::jobs::server::points_case_at_age(
        &profile,
        &asked,
        &sponsorship,
        0,
        age,
        domain::time::japan_date(chrono::Utc::now()),
    );
    Ok(Json(HspResponse {
        table_effective_from: TABLE_2023.effective_from.to_owned(),
        pass_mark: TABLE_2023.pass_mark,
        at_salary_min: at(&case, offer.salary_min_jpy),
        at_salary_max: at(&case, offer.salary_max_jpy),
    }))
}
