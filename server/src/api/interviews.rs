//! Interviews over HTTP: list an application's, propose times (employers), pick one
//! (engineers), propose new times or cancel with a reason, and download the `.ics`.

use app::interviews::api::Interviews;
use app::interviews::server as interviews;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use domain::account::UserRole;
use domain::interview::ProposalDraft;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use utoipa::ToSchema;

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

const EVERYONE: [UserRole; 3] = [UserRole::Engineer, UserRole::Employer, UserRole::Admin];

/// Times proposed for an interview, typed in Japan time (`2026-12-10T10:00`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProposalBody {
    /// One to five times, each `YYYY-MM-DDTHH:MM` in JST.
    pub slots: Vec<String>,
    /// 15–480.
    pub minutes: Option<i64>,
    /// `video`, `phone` or `on_site`.
    pub format: String,
    /// The video link, number to call or address.
    pub place: String,
    /// Required when proposing new times for an existing interview.
    pub reason: String,
}

impl ProposalBody {
    fn draft(&self) -> ProposalDraft {
        ProposalDraft {
            slots: self.slots.clone(),
            minutes: self.minutes.map(|m| m.to_string()).unwrap_or_default(),
            format: self.format.clone(),
            place: self.place.clone(),
        }
    }
}

/// An application's interviews (the two sides; an administrator's read is audited).
#[utoipa::path(get, path = "/api/v1/applications/{id}/interviews", tag = "interviews",
    params(("id" = i32, Path, description = "The application")),
    responses(
        (status = 200, description = "Newest first, times labelled in the caller's side's zone", body = Interviews),
        (status = 404, description = "No such application, or not on either side of it", body = super::error::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<Json<Interviews>, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    Ok(Json(
        interviews::list(&state.db, &user, id)
            .await
            .in_language(lang)?,
    ))
}

/// The employer proposes times for an interview.
#[utoipa::path(post, path = "/api/v1/applications/{id}/interviews", tag = "interviews",
    params(("id" = i32, Path, description = "The application")),
    request_body = ProposalBody,
    responses(
        (status = 201, description = "Proposed: `{\"id\"}`"),
        (status = 403, description = "Not the employer's side, or an administrator", body = super::error::ErrorBody),
        (status = 404, description = "No such application, or not on either side of it", body = super::error::ErrorBody),
        (status = 409, description = "The application is closed or past the offer", body = super::error::ErrorBody),
        (status = 422, description = "No times, more than five, in the past, overlapping; bad length or format", body = super::error::ErrorBody),
    ))]
pub async fn propose(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    ApiJson(body): ApiJson<ProposalBody>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    let interview = interviews::propose(&state, &user, id, &body.draft())
        .await
        .in_language(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": interview }))))
}

/// The employer proposes new times for an interview, with a reason.
#[utoipa::path(post, path = "/api/v1/interviews/{id}/reschedule", tag = "interviews",
    params(("id" = i32, Path, description = "The interview")),
    request_body = ProposalBody,
    responses(
        (status = 204, description = "New times proposed"),
        (status = 403, description = "Not the employer's side, or an administrator", body = super::error::ErrorBody),
        (status = 404, description = "No such interview visible to the caller", body = super::error::ErrorBody),
        (status = 409, description = "Cancelled, changed meanwhile, or the application is closed", body = super::error::ErrorBody),
        (status = 422, description = "Bad times, or no reason", body = super::error::ErrorBody),
    ))]
pub async fn reschedule(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    ApiJson(body): ApiJson<ProposalBody>,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    interviews::reschedule(&state, &user, id, &body.draft(), &body.reason)
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A pick: one of the proposed times, as of the interview's version.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PickBody {
    pub slot_id: i32,
    pub version: i32,
}

/// The engineer picks a proposed time; both sides get the `.ics` by e-mail.
#[utoipa::path(post, path = "/api/v1/interviews/{id}/pick", tag = "interviews",
    params(("id" = i32, Path, description = "The interview")),
    request_body = PickBody,
    responses(
        (status = 204, description = "Scheduled"),
        (status = 403, description = "Not the engineer's side, or an administrator", body = super::error::ErrorBody),
        (status = 404, description = "No such interview visible to the caller", body = super::error::ErrorBody),
        (status = 409, description = "Not open for a pick, or changed meanwhile", body = super::error::ErrorBody),
        (status = 422, description = "Not one of its times, or past", body = super::error::ErrorBody),
    ))]
pub async fn pick(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    ApiJson(body): ApiJson<PickBody>,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    interviews::pick(&state, &user, id, body.slot_id, body.version)
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

/// A reason.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReasonBody {
    pub reason: String,
}

/// Either side cancels an interview, with a reason.
#[utoipa::path(post, path = "/api/v1/interviews/{id}/cancel", tag = "interviews",
    params(("id" = i32, Path, description = "The interview")),
    request_body = ReasonBody,
    responses(
        (status = 204, description = "Cancelled"),
        (status = 403, description = "An administrator", body = super::error::ErrorBody),
        (status = 404, description = "No such interview visible to the caller", body = super::error::ErrorBody),
        (status = 409, description = "Already cancelled, or changed meanwhile", body = super::error::ErrorBody),
        (status = 422, description = "No reason, or too long", body = super::error::ErrorBody),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    interviews::cancel(&state, &user, id, &body.reason)
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The scheduled interview's invitation as iCalendar.
#[utoipa::path(get, path = "/api/v1/interviews/{id}/invitation.ics", tag = "interviews",
    params(("id" = i32, Path, description = "The interview")),
    responses(
        (status = 200, description = "The invitation", content_type = "text/calendar"),
        (status = 404, description = "No such interview visible to the caller, or no time picked yet", body = super::error::ErrorBody),
    ))]
pub async fn invitation(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<Response, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    let ics = interviews::invitation(&state.db, &user, id, &state.public_url)
        .await
        .in_language(lang)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"interview.ics\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        ics,
    )
        .into_response())
}
