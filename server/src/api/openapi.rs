//! The OpenAPI 3 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Setubashi API", version = "1", description = "The India–Japan talent bridge: accounts, engineer profiles, roles, explained matching and mobility applications. Errors are `{error: {code, message, fields?}}`."),
    paths(
        super::accounts::sign_up,
        super::accounts::log_in,
        super::accounts::log_out,
        super::accounts::me,
        super::profile::get_profile,
        super::profile::put_profile,
        super::roles::create_role,
        super::roles::get_role,
        super::roles::put_role,
        super::skills::suggest,
        super::search::detect_language,
        super::search::search_roles,
        super::search::search_engineers,
        super::search::matches_for_role,
        super::search::my_matches,
        super::hsp::points,
        super::applications::apply,
        super::applications::list,
        super::applications::get,
        super::applications::make_move,
        super::applications::invite,
        super::applications::notifications,
        super::applications::mark_notifications_read,
        super::programme::summary,
    ),
    tags(
        (name = "accounts", description = "Sign up, log in and out"),
        (name = "profile", description = "The engineer's own profile"),
        (name = "roles", description = "The employer's roles"),
        (name = "skills", description = "The skill taxonomy in English, Japanese and Hindi"),
        (name = "search", description = "Search and explained matching in any language"),
        (name = "programme", description = "The programme against its 50,000 target (administrators)"),
        (name = "applications", description = "Mobility applications from application to arrival, invitations and notifications"),
    )
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
