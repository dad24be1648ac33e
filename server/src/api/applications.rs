//! Mobility applications over HTTP, for employers' own applicant-tracking systems and for
//! engineers' apps: apply, list, read with history, move, invite, and notifications.

use app::applications::api::{ApplicationDetail, ApplicationSummary};
use app::applications::server::{self as applications, ListFilter};
use app::error::AppError;
use app::notifications::api::NotificationView;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use domain::account::UserRole;
use domain::pipeline::{MoveDraft, Stage};
use domain::validation::{Problem, Validator};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

/// An application: a short note to the employer.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ApplyBody {
    #[serde(default)]
    pub note: String,
    /// Consent to the organisation seeing the engineer's contact details (e-mail) for this
    /// application; recorded with the words of the consent in the request's language, and
    /// withdrawable at `DELETE /api/v1/applications/{id}/consent`.
    #[serde(default)]
    pub share_contact: bool,
}

/// Apply to an open role (engineers with a profile).
#[utoipa::path(post, path = "/api/v1/roles/{id}/applications", tag = "applications",
    params(("id" = i32, Path, description = "The role")),
    request_body = ApplyBody,
    responses(
        (status = 201, description = "Applied", body = ApplicationDetail),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 404, description = "No such published role", body = super::error::ErrorBody),
        (status = 409, description = "Already applied, role closed, or no profile yet", body = super::error::ErrorBody),
        (status = 422, description = "The note is too long", body = super::error::ErrorBody),
    ))]
pub async fn apply(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(role_id): Path<i32>,
    ApiJson(body): ApiJson<ApplyBody>,
) -> Result<(StatusCode, Json<ApplicationDetail>), ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    let id = applications::apply(
        &state.db,
        &user,
        role_id,
        &body.note,
        body.share_contact,
        lang,
    )
    .await
    .in_language(lang)?;
    let detail = applications::detail(&state.db, &user, id, domain::time::japan_date(Utc::now()))
        .await
        .in_language(lang)?;
    Ok((StatusCode::CREATED, Json(detail)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    /// Only this role's applications.
    role: Option<String>,
    /// Only applications at this stage (a stage code, e.g. `interview`).
    stage: Option<String>,
    /// `true`: only open applications; `false`: only closed ones.
    open: Option<String>,
    /// 1-based page of 50.
    page: Option<String>,
}

/// The caller's applications: an engineer's own, an employer's organisation's (administrators:
/// all), most recently moved first.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", params(ApplicationQuery),
    responses(
        (status = 200, description = "Applications", body = [ApplicationSummary]),
        (status = 400, description = "Bad parameters", body = super::error::ErrorBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<ApplicationQuery>,
) -> Result<Json<Vec<ApplicationSummary>>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    let mut v = Validator::new();
    let role_id = v
        .check(
            "role",
            domain::validation::optional_integer(
                query.role.as_deref().unwrap_or_default(),
                1,
                i64::from(i32::MAX),
            ),
        )
        .flatten()
        .map(|id| id as i32);
    let stage = match query.stage.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => v.check("stage", Stage::parse(code).ok_or(Problem::NotAllowed)),
    };
    let open = match query.open.as_deref() {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => v.check("open", Err::<bool, _>(Problem::NotAllowed)),
    };
    let page = v
        .check(
            "page",
            domain::validation::optional_integer(
                query.page.as_deref().unwrap_or_default(),
                1,
                100_000,
            ),
        )
        .flatten()
        .unwrap_or(1);
    v.finish()
        .map_err(AppError::InvalidParameters)
        .in_language(lang)?;
    let filter = ListFilter {
        role_id,
        stage,
        open,
        page: (page - 1) as u64,
    };
    Ok(Json(
        applications::list(&state.db, &user, &filter)
            .await
            .in_language(lang)?,
    ))
}

/// One application with its full history (its engineer, its organisation, or an administrator).
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications",
    params(("id" = i32, Path, description = "The application")),
    responses(
        (status = 200, description = "The application, its timeline and the caller's possible moves", body = ApplicationDetail),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 404, description = "No such application visible to the caller", body = super::error::ErrorBody),
    ))]
pub async fn get(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<Json<ApplicationDetail>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    Ok(Json(
        applications::detail(&state.db, &user, id, domain::time::japan_date(Utc::now()))
            .await
            .in_language(lang)?,
    ))
}

/// What a move records besides its stage: see `details` in [`MoveBody`].
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct MoveDetailsBody {
    /// For `interview`: `video`, `onsite` or `phone`.
    #[serde(default)]
    pub interview_format: Option<String>,
    /// For `interview`: 1–5.
    #[serde(default)]
    pub rating: Option<i64>,
    /// For `offer_extended`: annual salary in yen.
    #[serde(default)]
    pub salary_jpy: Option<i64>,
    /// For `offer_extended`: `permanent` or `fixed_term`.
    #[serde(default)]
    pub employment_type: Option<String>,
    /// For `offer_extended`: `YYYY-MM-DD`.
    #[serde(default)]
    pub start_date: Option<String>,
    /// For `offer_accepted`: `engineer_specialist` or `highly_skilled_professional`.
    #[serde(default)]
    pub visa_route: Option<String>,
}

/// A move along the pipeline.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveBody {
    /// The stage to move to (`screening` … `resident_registered`), or a closing reason
    /// (`rejected_by_employer`, `candidate_withdrew`, …).
    pub to: String,
    /// The mover's note. An employer's note is internal: only its organisation (and the
    /// programme's administrators) read it. An engineer's note goes to the employer.
    #[serde(default)]
    pub note: String,
    /// The employer's message to the candidate, who reads it (employers only).
    #[serde(default)]
    pub message: String,
    /// When it happened (`YYYY-MM-DD`, default today).
    #[serde(default)]
    pub on: Option<String>,
    /// The application's `version` as the caller last saw it: if it moved since, the move is
    /// refused with 409 instead of being applied on top of a change the caller has not seen.
    /// Sending the same move twice with the same version makes it once.
    #[serde(default)]
    pub version: Option<i32>,
    #[serde(default)]
    pub details: Option<MoveDetailsBody>,
}

/// Several applications of one role moved to the same stage or closing reason.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct BulkMoveBody {
    /// At most 100 application ids of the role.
    pub applications: Vec<i32>,
    /// A stage or closing reason code.
    pub to: String,
    /// The mover's internal note, recorded on each.
    pub note: String,
}

/// Moves several of the role's applications at once, each as its own move (the same rules,
/// notification and audit); those that cannot go are listed with the reason's code.
#[utoipa::path(post, path = "/api/v1/roles/{id}/moves", tag = "applications",
    params(("id" = i32, Path, description = "The role")),
    request_body = BulkMoveBody,
    responses(
        (status = 200, description = "What moved and what was refused", body = app::applications::api::BulkMoveResult),
        (status = 403, description = "Not an employer of the role's organisation", body = super::error::ErrorBody),
        (status = 404, description = "No such role", body = super::error::ErrorBody),
        (status = 422, description = "No applications named, or more than 100", body = super::error::ErrorBody),
    ))]
pub async fn move_many(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(role_id): Path<i32>,
    ApiJson(body): ApiJson<BulkMoveBody>,
) -> Result<Json<app::applications::api::BulkMoveResult>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer])
        .await
        .in_language(lang)?;
    let draft = MoveDraft {
        to: body.to,
        note: body.note,
        ..MoveDraft::default()
    };
    let done = applications::move_many(
        &state.db,
        &user,
        role_id,
        &body.applications,
        &draft,
        domain::time::japan_date(Utc::now()),
    )
    .await
    .in_language(lang)?;
    Ok(Json(done))
}

/// Move an application: forward, or closed with a reason.
#[utoipa::path(post, path = "/api/v1/applications/{id}/moves", tag = "applications",
    params(("id" = i32, Path, description = "The application")),
    request_body = MoveBody,
    responses(
        (status = 200, description = "Moved; the application as it now stands", body = ApplicationDetail),
        (status = 403, description = "The move is the other side's, or the caller only observes", body = super::error::ErrorBody),
        (status = 404, description = "No such application visible to the caller", body = super::error::ErrorBody),
        (status = 409, description = "The application changed meanwhile, is closed, or that move cannot follow its stage", body = super::error::ErrorBody),
        (status = 422, description = "Missing or invalid details", body = super::error::ErrorBody),
    ))]
pub async fn make_move(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    ApiJson(body): ApiJson<MoveBody>,
) -> Result<Json<ApplicationDetail>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    let details = body.details.unwrap_or_default();
    let draft = MoveDraft {
        to: body.to,
        note: body.note,
        message: body.message,
        on: body.on.unwrap_or_default(),
        interview_format: details.interview_format.unwrap_or_default(),
        rating: details.rating.map(|r| r.to_string()).unwrap_or_default(),
        salary_jpy: details
            .salary_jpy
            .map(|s| s.to_string())
            .unwrap_or_default(),
        employment_type: details.employment_type.unwrap_or_default(),
        start_date: details.start_date.unwrap_or_default(),
        visa_route: details.visa_route.unwrap_or_default(),
    };
    let today = domain::time::japan_date(Utc::now());
    applications::make_move(&state.db, &user, id, body.version, &draft, today)
        .await
        .in_language(lang)?;
    Ok(Json(
        applications::detail(&state.db, &user, id, today)
            .await
            .in_language(lang)?,
    ))
}

/// An invitation to apply.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteBody {
    pub engineer_id: i32,
    #[serde(default)]
    pub message: String,
}

/// Invite a searchable engineer to apply to one of the organisation's open roles.
#[utoipa::path(post, path = "/api/v1/roles/{id}/invitations", tag = "applications",
    params(("id" = i32, Path, description = "The role")),
    request_body = InviteBody,
    responses(
        (status = 201, description = "Invited; the engineer is notified"),
        (status = 403, description = "Not this organisation's role, or the organisation is unverified", body = super::error::ErrorBody),
        (status = 404, description = "No such role or searchable engineer", body = super::error::ErrorBody),
        (status = 409, description = "Already invited or applied, or the role is closed", body = super::error::ErrorBody),
    ))]
pub async fn invite(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(role_id): Path<i32>,
    ApiJson(body): ApiJson<InviteBody>,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer])
        .await
        .in_language(lang)?;
    applications::invite(&state.db, &user, role_id, body.engineer_id, &body.message)
        .await
        .in_language(lang)?;
    Ok(StatusCode::CREATED)
}

/// The caller's notifications and how many are unread.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsResponse {
    pub unread: u64,
    pub notifications: Vec<NotificationView>,
    /// Ask `?before=` this id for the next (older) page; absent on the last.
    pub next_before: Option<i32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationsQuery {
    /// A notification id: the page of those older than it (from `next_before`).
    before: Option<String>,
}

/// The caller's latest notifications (newest first), with the unread count. Reading them does
/// not mark them read: that is `POST /api/v1/notifications/read`, since a GET must not change
/// anything (a link or a prefetch could).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "applications", params(NotificationsQuery),
    responses(
        (status = 200, description = "A page of notifications (50), with where the next starts", body = NotificationsResponse),
        (status = 400, description = "Bad `before`", body = super::error::ErrorBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
    ))]
pub async fn notifications(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<NotificationsQuery>,
) -> Result<Json<NotificationsResponse>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    let unread = app::notifications::server::unread_count(&state.db, user.id)
        .await
        .in_language(lang)?;
    let before = domain::validation::optional_integer(
        query.before.as_deref().unwrap_or_default(),
        1,
        i64::from(i32::MAX),
    )
    .map_err(|p| {
        AppError::InvalidParameters(vec![domain::validation::FieldError::new("before", p)])
    })
    .in_language(lang)?
    .map(|id| id as i32);
    let page = app::notifications::server::list(&state.db, user.id, before)
        .await
        .in_language(lang)?;
    Ok(Json(NotificationsResponse {
        unread,
        notifications: page.notifications,
        next_before: page.next_before,
    }))
}

/// Marks all the caller's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "applications",
    responses(
        (status = 204, description = "All marked read"),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
    ))]
pub async fn mark_notifications_read(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<StatusCode, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    app::notifications::server::mark_all_read(&state.db, user.id)
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}
