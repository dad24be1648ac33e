//! The members of an employer organisation over the API: list, invite, remove (or leave), and
//! join through an invitation.

use app::organisation::api::Members;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use domain::account::UserRole;
use serde::Deserialize;
use tower_sessions::Session;
use utoipa::ToSchema;

use super::accounts::UserResponse;
use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

/// The organisation's members and waiting invitations (its employers).
#[utoipa::path(get, path = "/api/v1/organisation/members", tag = "accounts",
    responses((status = 200, description = "Members and pending invitations", body = Members)))]
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Json<Members>, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer])
        .await
        .in_language(lang)?;
    let members = app::organisation::members::list(&state.db, &user)
        .await
        .in_language(lang)?;
    Ok(Json(members))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberInvitation {
    pub email: String,
}

/// Invites a colleague by e-mail (an address without an account); the link works 14 days.
#[utoipa::path(post, path = "/api/v1/organisation/invitations", request_body = MemberInvitation, tag = "accounts",
    responses(
        (status = 202, description = "The invitation is on its way"),
        (status = 422, description = "Not an e-mail address, an address that has an account, or too many invitations waiting (`email`)", body = super::error::ErrorBody),
    ))]
pub async fn invite(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<MemberInvitation>,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer])
        .await
        .in_language(lang)?;
    app::organisation::members::invite(&state.db, &user, &body.email, lang, &state.public_url)
        .await
        .in_language(lang)?;
    state.wake_mail();
    Ok(StatusCode::ACCEPTED)
}

/// Removes a member of the caller's organisation, or the caller themselves (leaving).
#[utoipa::path(delete, path = "/api/v1/organisation/members/{id}", tag = "accounts",
    params(("id" = i32, Path, description = "The member")),
    responses(
        (status = 204, description = "Removed; their sessions ended"),
        (status = 409, description = "The last member cannot leave", body = super::error::ErrorBody),
    ))]
pub async fn remove(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    Path(id): Path<i32>,
) -> Result<StatusCode, ApiError> {
    let user = super::require(&state, &session, &[UserRole::Employer])
        .await
        .in_language(lang)?;
    app::organisation::members::remove(&state.db, &user, id)
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct JoinRequest {
    /// The token from the invitation's link.
    pub token: String,
    pub display_name: String,
    pub password: String,
}

/// Creates the invited colleague's account in the organisation and signs it in.
#[utoipa::path(post, path = "/api/v1/organisation/join", request_body = JoinRequest, tag = "accounts",
    responses(
        (status = 201, description = "Joined and signed in", body = UserResponse),
        (status = 422, description = "The link is unknown, used or expired (`token`), or a field is refused", body = super::error::ErrorBody),
        (status = 429, description = "Too many sign-ups from this address, or the server is busy hashing; see Retry-After", body = super::error::ErrorBody),
    ))]
pub async fn join(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    parts: axum::http::request::Parts,
    ApiJson(body): ApiJson<JoinRequest>,
) -> Result<(StatusCode, Json<UserResponse>), ApiError> {
    state
        .signup_limiter
        .check(&super::accounts::client_of(&state, &parts))
        .in_language(lang)?;
    let user = app::organisation::members::join(
        &state.db,
        &body.token,
        &body.display_name,
        &body.password,
        lang,
    )
    .await
    .in_language(lang)?;
    app::auth::server::start_session(
        &state.db,
        &session,
        &user,
        &super::accounts::user_agent_of(&parts.headers),
        &state.public_url,
    )
    .await
    .in_language(lang)?;
    Ok((StatusCode::CREATED, Json(user.into())))
}
