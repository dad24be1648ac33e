//! `GET /organisations/{id}`: a verified organisation's public page as JSON (who it is, its
//! sponsorship profile, its open roles, paged).

use app::organisation::api::CompanyView;
use app::state::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use tower_sessions::Session;
use utoipa::IntoParams;

use super::error::{ApiError, InLanguage, RequestLanguage};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompanyQuery {
    /// 1-based page of open roles (20 a page).
    page: Option<String>,
}

/// A company's public page (anyone; one awaiting verification only for its members and
/// administrators).
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "search",
    params(("id" = i32, Path, description = "The organisation"), CompanyQuery),
    responses(
        (status = 200, description = "The company and a page of its open roles", body = CompanyView),
        (status = 400, description = "Bad page", body = super::error::ErrorBody),
        (status = 404, description = "No such organisation, or not verified", body = super::error::ErrorBody),
    ))]
pub async fn get_company(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
    Query(query): Query<CompanyQuery>,
) -> Result<Json<CompanyView>, ApiError> {
    let page =
        domain::validation::optional_integer(query.page.as_deref().unwrap_or_default(), 1, 10_000)
            .map_err(|p| {
                app::error::AppError::InvalidParameters(vec![domain::validation::FieldError::new(
                    "page", p,
                )])
            })
            .in_language(lang)?
            .unwrap_or(1) as u64;
    let user = app::auth::server::user_of_session(&state.db, &session)
        .await
        .in_language(lang)?;
    Ok(Json(
        app::organisation::server::company(&state.db, user.as_ref(), id, page)
            .await
            .in_language(lang)?,
    ))
}
