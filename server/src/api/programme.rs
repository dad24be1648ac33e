//! `GET /programme/summary`: the administrators' dashboard as JSON, for ministries' own
//! reporting tools.

use app::admin::api::{DashboardFilters, ProgrammeSummary};
use app::state::AppState;
use axum::extract::{Query, State};
use axum::Json;
use domain::account::UserRole;
use tower_sessions::Session;

use super::error::{ApiError, InLanguage, RequestLanguage};

/// The programme against its target: counted people, run rates, the funnel, breakdowns and the
/// applications at risk (administrators only). Filters as on the dashboard.
#[utoipa::path(get, path = "/api/v1/programme/summary", tag = "programme", params(DashboardFilters),
    responses(
        (status = 200, description = "The dashboard's numbers", body = ProgrammeSummary),
        (status = 400, description = "Bad filters", body = super::error::ErrorBody),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
        (status = 403, description = "Not an administrator", body = super::error::ErrorBody),
    ))]
pub async fn summary(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Query(filters): Query<DashboardFilters>,
) -> Result<Json<ProgrammeSummary>, ApiError> {
    super::require(&state, &session, &[UserRole::Admin])
        .await
        .in_language(lang)?;
    Ok(Json(
        state.programme_summary(&filters).await.in_language(lang)?,
    ))
}
