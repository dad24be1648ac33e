//! People's rights over the API: download one's data, delete one's account (or, for an
//! administrator, someone's), read one's consents, and give or withdraw consent to share contact
//! details with the organisation of an application.

use app::rights::api::{ConsentPage, MailPreferences};
use app::rights::erasure::{self, ErasedBy};
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use domain::account::UserRole;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

/// The download's shape (for the OpenAPI document; the handler writes the same fields).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PersonalData {
    /// `setubashi-personal-data/1`.
    format: String,
    exported_at: chrono::DateTime<chrono::Utc>,
    user_id: i32,
    /// Rows by table name, each row as stored.
    #[schema(value_type = Object)]
    tables: (),
}

/// Everything held about the signed-in person, as a JSON file: each table's rows that name
/// them, as stored (without password or token hashes).
#[utoipa::path(get, path = "/api/v1/me/export", tag = "rights",
    responses(
        (status = 200, description = "The person's data (`format`, `exported_at`, `user_id`, `tables`: rows by table)", body = PersonalData, content_type = "application/json"),
    ))]
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<impl IntoResponse, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    // recorded first: the download holds the record of itself
    app::audit::record(
        &state.db,
        Some(user.id),
        "user.data_exported",
        "user",
        Some(user.id.to_string()),
        json!({}),
    )
    .await
    .map_err(app::error::AppError::from)
    .in_language(lang)?;
    let data = app::rights::export::export(&state.db, user.id)
        .await
        .in_language(lang)?;
    let disposition = format!(
        "attachment; filename=\"setubashi-my-data-{}.json\"",
        domain::time::japan_date(chrono::Utc::now())
    );
    Ok((
        [
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Json(data),
    ))
}

/// Which optional e-mail the signed-in person receives (security, address verification and
/// legal deadlines are always sent).
#[utoipa::path(get, path = "/api/v1/me/mail-preferences", tag = "rights",
    responses((status = 200, description = "The person's choices", body = MailPreferences)))]
pub async fn mail_preferences(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Json<MailPreferences>, ApiError> {
    use sea_orm::EntityTrait;
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    let found = app::db::entities::user::Entity::find_by_id(user.id)
        .one(&state.db)
        .await
        .map_err(app::error::AppError::from)
        .in_language(lang)?
        .ok_or(app::error::AppError::Unauthenticated)
        .in_language(lang)?;
    Ok(Json(MailPreferences::from_opt_out(&found.mail_opt_out)))
}

/// Sets which optional e-mail the signed-in person receives.
#[utoipa::path(put, path = "/api/v1/me/mail-preferences", request_body = MailPreferences, tag = "rights",
    responses((status = 200, description = "Saved", body = MailPreferences)))]
pub async fn put_mail_preferences(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<MailPreferences>,
) -> Result<Json<MailPreferences>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    app::mail::notices::set_opt_out(&state.db, user.id, &body.topics_off())
        .await
        .in_language(lang)?;
    Ok(Json(body))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AccountDeletion {
    /// The account's password, asked again.
    pub password: String,
}

/// Deletes the signed-in person's account (see ARCHITECTURE.md, "Erasure"): personal data goes,
/// the programme's counts stay, sessions end.
#[utoipa::path(delete, path = "/api/v1/me", request_body = AccountDeletion, tag = "rights",
    responses(
        (status = 204, description = "Deleted; the session has ended"),
        (status = 409, description = "The last administrator cannot delete their account", body = super::error::ErrorBody),
        (status = 422, description = "The password is wrong (`password`)", body = super::error::ErrorBody),
        (status = 429, description = "The server is busy hashing passwords; see Retry-After", body = super::error::ErrorBody),
    ))]
pub async fn delete_me(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<AccountDeletion>,
) -> Result<StatusCode, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    erasure::erase_own_account(&state.db, &user, &body.password)
        .await
        .in_language(lang)?;
    app::auth::server::end_session(&session)
        .await
        .in_language(lang)?;
    state.indexer.sync().await;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes someone's account (administrators), as the owner could.
#[utoipa::path(delete, path = "/api/v1/admin/users/{id}", tag = "rights",
    params(("id" = i32, Path, description = "The account")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "The last administrator cannot be deleted", body = super::error::ErrorBody),
    ))]
pub async fn delete_user(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<StatusCode, ApiError> {
    let admin = super::require(&state, &session, &[UserRole::Admin])
        .await
        .in_language(lang)?;
    erasure::erase(&state.db, id, ErasedBy::Administrator(admin.id))
        .await
        .in_language(lang)?;
    state.indexer.sync().await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Zero-based page (50 a page).
    #[serde(default)]
    #[param(minimum = 0, maximum = 10000)]
    pub page: u64,
}

/// The signed-in person's consents and withdrawals, newest first.
#[utoipa::path(get, path = "/api/v1/me/consents", tag = "rights", params(PageQuery),
    responses(
        (status = 200, description = "A page of the history", body = ConsentPage),
        (status = 422, description = "The page is out of range (`page`)", body = super::error::ErrorBody),
    ))]
pub async fn consents(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(query): Query<PageQuery>,
) -> Result<Json<ConsentPage>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    if query.page > 10_000 {
        return Err(app::error::AppError::Validation(vec![
            domain::validation::FieldError::new("page", domain::validation::Problem::OutOfRange),
        ]))
        .in_language(lang);
    }
    let page = app::rights::consent::history(&state.db, user.id, query.page)
        .await
        .in_language(lang)?;
    Ok(Json(page))
}

/// The engineer consents to the application's organisation seeing their contact details.
#[utoipa::path(put, path = "/api/v1/applications/{id}/consent", tag = "rights",
    params(("id" = i32, Path, description = "The engineer's own application")),
    responses((status = 204, description = "Shared (already shared: nothing recorded twice)")))]
pub async fn grant_consent(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<StatusCode, ApiError> {
    set_sharing(state, session, lang, id, true).await
}

/// The engineer withdraws consent: from now on the organisation sees the application without
/// contact details.
#[utoipa::path(delete, path = "/api/v1/applications/{id}/consent", tag = "rights",
    params(("id" = i32, Path, description = "The engineer's own application")),
    responses((status = 204, description = "Withdrawn (already withdrawn: nothing recorded twice)")))]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<StatusCode, ApiError> {
    set_sharing(state, session, lang, id, false).await
}

async fn set_sharing(
    state: AppState,
    session: Session,
    lang: domain::language::UiLanguage,
    id: i32,
    share: bool,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    app::rights::consent::set_contact_sharing(&state.db, &user, lang, id, share)
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}
