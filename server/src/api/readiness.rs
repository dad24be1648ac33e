//! An application's readiness for Japan (`GET /applications/{id}/readiness`: the points at the
//! offer, the JLPT as declared and certified, the Certificate of Eligibility checklist), ticking
//! the checklist (`PUT /applications/{id}/checklist/{key}`), and the candidate's documents as
//! the application's organisation receives them (`GET /applications/{id}/documents/{file}`).

use app::error::AppError;
use app::readiness::api::Readiness;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use chrono::Utc;
use domain::documents::DocumentKind;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

/// The readiness of an application (its engineer, its organisation, or an administrator).
#[utoipa::path(get, path = "/api/v1/applications/{id}/readiness", tag = "applications",
    params(("id" = i32, Path, description = "The application")),
    responses(
        (status = 200, description = "Points at the offer, JLPT evidence, the checklist from the offer on", body = Readiness),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 404, description = "No such application visible to the caller", body = super::error::ErrorBody),
    ))]
pub async fn get_readiness(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<Json<Readiness>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    Ok(Json(
        app::readiness::server::readiness(
            &state.db,
            &user,
            id,
            lang,
            domain::time::japan_date(Utc::now()),
        )
        .await
        .in_language(lang)?,
    ))
}

/// Whether a checklist document is provided.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct TickBody {
    pub done: bool,
}

/// Marks one of the caller's side's checklist documents provided or not.
#[utoipa::path(put, path = "/api/v1/applications/{id}/checklist/{key}", tag = "applications",
    params(("id" = i32, Path, description = "The application"),
           ("key" = String, Path, description = "The document's key, e.g. `photo`")),
    request_body = TickBody,
    responses(
        (status = 200, description = "The readiness after the change", body = Readiness),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "The other side's document, an administrator, before the offer or after closing", body = super::error::ErrorBody),
        (status = 404, description = "No such application or document", body = super::error::ErrorBody),
    ))]
pub async fn put_checklist_item(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path((id, key)): Path<(i32, String)>,
    ApiJson(body): ApiJson<TickBody>,
) -> Result<Json<Readiness>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    app::readiness::server::tick(&state.db, &user, id, &key, body.done)
        .await
        .in_language(lang)?;
    Ok(Json(
        app::readiness::server::readiness(
            &state.db,
            &user,
            id,
            lang,
            domain::time::japan_date(Utc::now()),
        )
        .await
        .in_language(lang)?,
    ))
}

/// One of the candidate's documents, written now, for the application's organisation (or the
/// engineer). The organisation's copy leaves out the address, telephone and e-mail until the
/// engineer shares their contact details with it.
#[utoipa::path(get, path = "/api/v1/applications/{id}/documents/{file}", tag = "applications",
    params(("id" = i32, Path, description = "The application"),
           ("file" = String, Path, description = "`rirekisho.pdf`, `shokumu-keirekisho.pdf` or `cv.pdf`")),
    responses(
        (status = 200, description = "The document", content_type = "application/pdf"),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "An administrator", body = super::error::ErrorBody),
        (status = 404, description = "No such application visible to the caller, or no such document", body = super::error::ErrorBody),
    ))]
pub async fn get_application_document(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path((id, file)): Path<(i32, String)>,
) -> Result<Response, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    let kind = file
        .strip_suffix(".pdf")
        .and_then(DocumentKind::from_slug)
        .ok_or(AppError::NotFound)
        .in_language(lang)?;
    let (engineer_id, with_contact) = app::readiness::server::documents_of(&state.db, &user, id)
        .await
        .in_language(lang)?;
    let pdf = super::documents::write(&state, engineer_id, with_contact, kind)
        .await
        .in_language(lang)?;
    Ok(super::documents::pdf_response(kind, pdf))
}
