//! The outgoing mail for administrators: what failed and why, and a retry.

use app::admin::api::MailJobPage;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use domain::account::UserRole;
use serde::Deserialize;
use tower_sessions::Session;
use utoipa::IntoParams;

use super::error::{ApiError, InLanguage, RequestLanguage};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// `failed`, `queued`, `sending` or `sent`; empty or absent: every status.
    #[serde(default)]
    pub status: String,
    /// Zero-based page (50 a page).
    #[serde(default)]
    #[param(minimum = 0)]
    pub page: u64,
}

/// Outgoing messages (administrators): addressee, kind, status, attempts and the last error.
#[utoipa::path(get, path = "/api/v1/admin/mail", tag = "programme", params(OutboxQuery),
    responses(
        (status = 200, description = "A page of messages, newest first", body = MailJobPage),
        (status = 422, description = "An unknown status (`status`) or a page too far (`page`)", body = super::error::ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<OutboxQuery>,
) -> Result<Json<MailJobPage>, ApiError> {
    let admin = super::require(&state, &session, &[UserRole::Admin])
        .await
        .in_language(lang)?;
    let page = app::admin::outbox::list(&state.db, admin.id, &query.status, query.page)
        .await
        .in_language(lang)?;
    Ok(Json(page))
}

/// Sends a failed message again, from its first attempt (administrators).
#[utoipa::path(post, path = "/api/v1/admin/mail/{id}/retry", tag = "programme",
    params(("id" = i64, Path, description = "A failed message")),
    responses((status = 204, description = "Queued again")))]
pub async fn retry(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let admin = super::require(&state, &session, &[UserRole::Admin])
        .await
        .in_language(lang)?;
    app::admin::outbox::retry(&state.db, admin.id, id)
        .await
        .in_language(lang)?;
    state.wake_mail();
    Ok(StatusCode::NO_CONTENT)
}
