//! The versioned JSON API (`/api/v1`), for integrations and scripted checks. It shares the
//! pages' session cookie and calls the same plain functions as their server functions.

mod accounts;
mod applications;
mod career;
mod companies;
mod documents;
pub mod error;
mod hsp;
mod interviews;
mod members;
pub(crate) mod messages;
pub mod openapi;
mod outbox;
pub(crate) mod photo;
mod profile;
mod programme;
mod readiness;
mod rights;
mod roles;
mod saved_searches;
mod search;
mod skills;
mod sponsorship;

use app::state::AppState;
use axum::routing::{delete, get, post, put};

use axum::Router;

pub use error::{ApiError, ApiJson};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", post(accounts::sign_up))
        .route("/session", post(accounts::log_in).delete(accounts::log_out))
        .route("/me", get(accounts::me).delete(rights::delete_me))
        .route("/me/export", get(rights::export))
        .route(
            "/me/mail-preferences",
            get(rights::mail_preferences).put(rights::put_mail_preferences),
        )
        .route("/me/consents", get(rights::consents))
        .route(
            "/applications/{id}/consent",
            put(rights::grant_consent).delete(rights::withdraw_consent),
        )
        .route("/admin/users/{id}", delete(rights::delete_user))
        .route("/organisation/members", get(members::list))
        .route("/organisation/members/{id}", delete(members::remove))
        .route("/organisation/invitations", post(members::invite))
        .route("/organisation/join", post(members::join))
        .route("/organisations/{id}", get(companies::get_company))
        .route(
            "/organisation/sponsorship",
            get(sponsorship::get_sponsorship).put(sponsorship::put_sponsorship),
        )
        .route("/admin/mail", get(outbox::list))
        .route("/admin/mail/{id}/retry", post(outbox::retry))
        .route("/me/password", put(accounts::change_password))
        .route(
            "/me/sessions",
            get(accounts::sessions).delete(accounts::end_other_sessions),
        )
        .route("/me/sessions/{id}", delete(accounts::end_session_by_id))
        .route(
            "/me/email-verification",
            post(accounts::resend_verification),
        )
        .route("/email-verification/confirm", post(accounts::confirm_email))
        .route("/password-reset", post(accounts::request_password_reset))
        .route(
            "/password-reset/confirm",
            post(accounts::confirm_password_reset),
        )
        .route(
            "/me/profile",
            get(profile::get_profile).put(profile::put_profile),
        )
        .route(
            "/me/career",
            get(career::get_career).put(career::put_career),
        )
        .route("/me/documents/{file}", get(documents::get_document))
        .route(
            "/me/photo",
            get(photo::get_photo)
                .put(photo::put_photo)
                .delete(photo::delete_photo),
        )
        .route(
            "/me/document-details",
            get(documents::get_details).put(documents::put_details),
        )
        .route("/me/matches", get(search::my_matches))
        .route("/roles", get(search::search_roles).post(roles::create_role))
        .route("/roles/{id}", get(roles::get_role).put(roles::put_role))
        .route("/roles/{id}/matches", get(search::matches_for_role))
        .route("/roles/{id}/applications", post(applications::apply))
        .route("/roles/{id}/invitations", post(applications::invite))
        .route("/roles/{id}/moves", post(applications::move_many))
        .route("/applications", get(applications::list))
        .route("/applications/{id}", get(applications::get))
        .route("/applications/{id}/moves", post(applications::make_move))
        .route(
            "/applications/{id}/readiness",
            get(readiness::get_readiness),
        )
        .route(
            "/applications/{id}/checklist/{key}",
            put(readiness::put_checklist_item),
        )
        .route(
            "/applications/{id}/documents/{file}",
            get(readiness::get_application_document),
        )
        .route(
            "/applications/{id}/messages",
            get(messages::list).post(messages::send),
        )
        .route(
            "/applications/{id}/messages/{message}/attachment",
            get(messages::attachment),
        )
        .route(
            "/applications/{id}/interviews",
            get(interviews::list).post(interviews::propose),
        )
        .route("/interviews/{id}/pick", post(interviews::pick))
        .route("/interviews/{id}/reschedule", post(interviews::reschedule))
        .route("/interviews/{id}/cancel", post(interviews::cancel))
        .route(
            "/interviews/{id}/invitation.ics",
            get(interviews::invitation),
        )
        .route(
            "/saved-searches",
            get(saved_searches::list).post(saved_searches::create),
        )
        .route(
            "/saved-searches/{id}",
            get(saved_searches::get_one).delete(saved_searches::remove),
        )
        .route("/notifications", get(applications::notifications))
        .route(
            "/notifications/read",
            post(applications::mark_notifications_read),
        )
        .route("/programme/summary", get(programme::summary))
        .route("/engineers", get(search::search_engineers))
        .route("/language", post(search::detect_language))
        .route("/hsp-points", get(hsp::points))
        .route("/skills", get(skills::suggest))
        .route("/openapi.json", get(openapi::serve))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(error::json_errors))
}

/// The signed-in user of an API request, whatever their role (the operation decides what they
/// may see).
pub(crate) async fn require_signed_in(
    state: &AppState,
    session: &tower_sessions::Session,
) -> Result<app::auth::api::CurrentUser, app::error::AppError> {
    use domain::account::UserRole;
    require(
        state,
        session,
        &[UserRole::Engineer, UserRole::Employer, UserRole::Admin],
    )
    .await
}

/// The signed-in user of an API request, with one of `roles`.
pub(crate) async fn require(
    state: &AppState,
    session: &tower_sessions::Session,
    roles: &[domain::account::UserRole],
) -> Result<app::auth::api::CurrentUser, app::error::AppError> {
    let user = app::auth::server::user_of_session(&state.db, session)
        .await?
        .ok_or(app::error::AppError::Unauthenticated)?;
    if roles.contains(&user.role) {
        Ok(user)
    } else {
        Err(app::error::AppError::Forbidden)
    }
}
