//! Saved searches over HTTP: list one's own with what is new in each, save one, read one,
//! delete one. Another person's is answered as not found.

use app::saved_searches::api::SavedSearchView;
use app::saved_searches::server as saved;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::account::UserRole;
use domain::saved_search::SavedSearchDraft;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use utoipa::ToSchema;

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

const EVERYONE: [UserRole; 3] = [UserRole::Engineer, UserRole::Employer, UserRole::Admin];

/// The caller's saved searches, newest first, each with its new results since last opened.
#[utoipa::path(get, path = "/api/v1/saved-searches", tag = "searches",
    responses((status = 200, description = "At most 20", body = [SavedSearchView])))]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Json<Vec<SavedSearchView>>, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    Ok(Json(
        saved::list(&state, &user, lang).await.in_language(lang)?,
    ))
}

/// A search to keep.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SavedSearchBody {
    pub name: String,
    /// `roles` or `talent`.
    pub kind: String,
    /// The search page's query string, e.g. `q=embedded&state=KA`.
    pub query: String,
    /// `daily`, `weekly` or `never`.
    pub frequency: String,
    /// 0–100.
    pub min_score: Option<u8>,
}

/// Saves a search: `kind` `roles` (engineers) or `talent` (employers of verified
/// organisations, administrators), the search page's query string, the digest's frequency
/// (`daily`, `weekly`, `never`) and an optional minimum score (0–100).
#[utoipa::path(post, path = "/api/v1/saved-searches", tag = "searches",
    request_body = SavedSearchBody,
    responses(
        (status = 201, description = "Saved: `{\"id\"}`"),
        (status = 403, description = "Not a search the caller may keep", body = super::error::ErrorBody),
        (status = 422, description = "A field is missing or wrong, or 20 are kept already", body = super::error::ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<SavedSearchBody>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let draft = SavedSearchDraft {
        name: body.name,
        kind: body.kind,
        query: body.query,
        frequency: body.frequency,
        min_score: body.min_score.map(|m| m.to_string()).unwrap_or_default(),
    };
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    let id = saved::save(&state, &user, &draft).await.in_language(lang)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

/// One of the caller's saved searches with its new results.
#[utoipa::path(get, path = "/api/v1/saved-searches/{id}", tag = "searches",
    params(("id" = i32, Path, description = "The saved search")),
    responses(
        (status = 200, description = "The search and what is new", body = SavedSearchView),
        (status = 404, description = "Not one of the caller's", body = super::error::ErrorBody),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<Json<SavedSearchView>, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    Ok(Json(
        saved::one(&state, &user, id, lang)
            .await
            .in_language(lang)?,
    ))
}

/// Deletes one of the caller's saved searches.
#[utoipa::path(delete, path = "/api/v1/saved-searches/{id}", tag = "searches",
    params(("id" = i32, Path, description = "The saved search")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Not one of the caller's", body = super::error::ErrorBody),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &EVERYONE)
        .await
        .in_language(lang)?;
    saved::delete(&state.db, &user, id)
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}
