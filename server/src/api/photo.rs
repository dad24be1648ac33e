//! The 履歴書's optional photo: `PUT /me/photo` (the image as the request body, `image/jpeg` or
//! `image/png`), `GET /me/photo`, `DELETE /me/photo`; and the page's form, `POST /profile/photo`
//! and `POST /profile/photo/delete` (multipart, without JavaScript, answered with a redirect).
//!
//! An image is read before it is kept: its type from its first bytes (never the name or the
//! declared type alone), its size from its header, at most [`MAX_PHOTO_BYTES`] and
//! [`documents::MAX_PHOTO_SIDE`] pixels a side, so that writing the document never decodes a
//! bomb.

use app::auth::api::CurrentUser;
use app::db::entities::profile_photo;
use app::error::AppError;
use app::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::account::UserRole;
use domain::validation::{FieldError, Problem};
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait, Set, TransactionTrait};
use serde_json::json;
use tower_sessions::Session;

use super::error::{ApiError, InLanguage, RequestLanguage};

/// The largest photo kept: a 4 × 3 cm photo at 600 dpi is well under this.
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

fn refused() -> AppError {
    AppError::Validation(vec![FieldError::new("photo", Problem::NotAPhoto)])
}

/// Checks and keeps `bytes` as the engineer's photo, replacing any earlier one.
pub async fn store(
    db: &DatabaseConnection,
    user: &CurrentUser,
    bytes: Vec<u8>,
) -> Result<(), AppError> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(AppError::TooLarge);
    }
    let kind = documents::check_photo(&bytes).map_err(|_| refused())?;
    let txn = db.begin().await?;
    profile_photo::Entity::insert(profile_photo::ActiveModel {
        user_id: Set(user.id),
        content_type: Set(kind.content_type().to_owned()),
        bytes: Set(bytes),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(profile_photo::Column::UserId)
            .update_columns([
                profile_photo::Column::ContentType,
                profile_photo::Column::Bytes,
                profile_photo::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    app::audit::record(
        &txn,
        Some(user.id),
        "profile.photo_saved",
        "user",
        Some(user.id.to_string()),
        json!({ "content_type": kind.content_type() }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn remove(db: &DatabaseConnection, user: &CurrentUser) -> Result<(), AppError> {
    let txn = db.begin().await?;
    profile_photo::Entity::delete_by_id(user.id)
        .exec(&txn)
        .await?;
    app::audit::record(
        &txn,
        Some(user.id),
        "profile.photo_removed",
        "user",
        Some(user.id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Replaces the signed-in engineer's photo with the request body.
#[utoipa::path(put, path = "/api/v1/me/photo", tag = "profile",
    request_body(content = Vec<u8>, content_type = "image/jpeg", description = "A JPEG or PNG image, at most 2 MB and 3,000 pixels a side"),
    responses(
        (status = 204, description = "Kept"),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 413, description = "Larger than 2 MB", body = super::error::ErrorBody),
        (status = 422, description = "Not a JPEG or PNG image, or too many pixels", body = super::error::ErrorBody),
    ))]
pub async fn put_photo(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    store(&state.db, &user, body.to_vec())
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in engineer's photo as kept.
#[utoipa::path(get, path = "/api/v1/me/photo", tag = "profile",
    responses(
        (status = 200, description = "The image", content_type = "image/jpeg"),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
        (status = 404, description = "No photo", body = super::error::ErrorBody),
    ))]
pub async fn get_photo(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Response, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    let photo = profile_photo::Entity::find_by_id(user.id)
        .one(&state.db)
        .await
        .map_err(AppError::from)
        .in_language(lang)?
        .ok_or(AppError::NotFound)
        .in_language(lang)?;
    Ok((
        [
            (header::CONTENT_TYPE, photo.content_type),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        photo.bytes,
    )
        .into_response())
}

/// Removes the signed-in engineer's photo.
#[utoipa::path(delete, path = "/api/v1/me/photo", tag = "profile",
    responses(
        (status = 204, description = "Removed (or there was none)"),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an engineer", body = super::error::ErrorBody),
    ))]
pub async fn delete_photo(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Engineer])
        .await
        .in_language(lang)?;
    remove(&state.db, &user).await.in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Where the form's answer goes back to, with what happened.
fn back(outcome: &str) -> Response {
    Redirect::to(&format!("/profile/documents?photo={outcome}")).into_response()
}

async fn form_user(state: &AppState, session: &Session) -> Result<CurrentUser, Response> {
    match super::require(state, session, &[UserRole::Engineer]).await {
        Ok(user) => Ok(user),
        Err(AppError::Unauthenticated) => {
            Err(Redirect::to("/login?next=%2Fprofile%2Fdocuments").into_response())
        }
        Err(_) => Err(StatusCode::FORBIDDEN.into_response()),
    }
}

/// The documents page's upload form (`multipart/form-data`, field `photo`).
pub async fn upload_form(
    State(state): State<AppState>,
    session: Session,
    request: Request,
) -> Response {
    let user = match form_user(&state, &session).await {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    // read as multipart only once the sender may upload at all
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return back("refused");
    };
    let mut bytes = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("photo") {
            match field.bytes().await {
                Ok(read) => bytes = Some(read.to_vec()),
                Err(_) => return back("too_large"),
            }
        }
    }
    match bytes.filter(|b| !b.is_empty()) {
        None => back("missing"),
        Some(bytes) => match store(&state.db, &user, bytes).await {
            Ok(()) => back("saved"),
            Err(AppError::TooLarge) => back("too_large"),
            Err(AppError::Validation(_)) => back("refused"),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    }
}

/// The documents page's remove button.
pub async fn remove_form(State(state): State<AppState>, session: Session) -> Response {
    let user = match form_user(&state, &session).await {
        Ok(user) => user,
        Err(answer) => return answer,
    };
    match remove(&state.db, &user).await {
        Ok(()) => back("removed"),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
