//! The organisation's sponsorship profile (`GET`/`PUT /organisation/sponsorship`): SME figures,
//! innovation support, research spending, how it sponsors hires, its immigration category; and
//! the Highly Skilled Professional points it earns every hire.

use app::auth::api::CurrentUser;
use app::db::entities::organisation;
use app::error::AppError;
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use domain::account::UserRole;
use domain::sponsorship::{Sponsorship, SponsorshipDraft};
use sea_orm::EntityTrait;
use serde::Serialize;
use tower_sessions::Session;
use utoipa::ToSchema;

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

/// The profile with what follows from it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SponsorshipBody {
    #[schema(value_type = Object)]
    pub sponsorship: Sponsorship,
    /// An SME under the SME Basic Act, from the industry class, capital and employees.
    pub sme: bool,
    /// `[item, points]` pairs of the employer items of the points.
    #[schema(value_type = Vec<Object>)]
    pub bonus_points: Vec<(String, u8)>,
}

fn body(sponsorship: Sponsorship) -> SponsorshipBody {
    SponsorshipBody {
        sme: sponsorship.is_sme(),
        bonus_points: app::organisation::server::employer_bonus(&sponsorship),
        sponsorship,
    }
}

async fn own(state: &AppState, user: &CurrentUser) -> Result<Sponsorship, AppError> {
    let id = user.organisation_id.ok_or(AppError::Forbidden)?;
    Ok(organisation::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?
        .sponsorship())
}

/// The caller's organisation's sponsorship profile (employers).
#[utoipa::path(get, path = "/api/v1/organisation/sponsorship", tag = "accounts",
    responses(
        (status = 200, description = "The profile", body = SponsorshipBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an employer", body = super::error::ErrorBody),
    ))]
pub async fn get_sponsorship(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Json<SponsorshipBody>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer])
        .await
        .in_language(lang)?;
    Ok(Json(body(own(&state, &user).await.in_language(lang)?)))
}

/// Replaces the caller's organisation's sponsorship profile (employers). The form's fields:
/// `industry_class`, `capital_man_yen` (capital in 万円), `employees`, `innovation_programme`,
/// `coe_category` (1–4), and `"on"` for the boxes `rd_over_3_percent`, `pays_visa_fees`,
/// `relocation_support`, `housing_help`, `japanese_lessons`.
#[utoipa::path(put, path = "/api/v1/organisation/sponsorship", tag = "accounts",
    request_body(content = Object, description = "The sponsorship form"),
    responses(
        (status = 200, description = "Saved", body = SponsorshipBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an employer", body = super::error::ErrorBody),
        (status = 422, description = "Invalid fields", body = super::error::ErrorBody),
    ))]
pub async fn put_sponsorship(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(draft): ApiJson<SponsorshipDraft>,
) -> Result<Json<SponsorshipBody>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer])
        .await
        .in_language(lang)?;
    let sponsorship = draft.parse().map_err(AppError::from).in_language(lang)?;
    app::organisation::server::save_sponsorship(&state.db, &user, &sponsorship)
        .await
        .in_language(lang)?;
    Ok(Json(body(sponsorship)))
}
