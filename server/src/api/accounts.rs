//! `POST /users` (sign up), `POST /session` (log in), `DELETE /session` (log out), `GET /me`.

use std::net::SocketAddr;

use app::auth::api::{CurrentUser, SignUpForm};
use app::auth::server;
use app::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::Json;
use domain::role::OrganisationDraft;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

use super::error::{ApiError, ApiJson, InLanguage, RequestLanguage};

/// An employer's organisation, given at sign-up.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OrganisationInput {
    #[serde(default)]
    pub name_ja: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
    /// Prefecture code, e.g. `tokyo`, `kumamoto`.
    pub prefecture: String,
    /// Sector code, e.g. `semiconductors`, `ev_power_electronics`.
    pub sector: String,
    /// `small`, `medium`, `large` or `enterprise`.
    pub size: String,
    /// Japan's 13-digit corporate number (法人番号), checked against its check digit.
    #[serde(default)]
    pub corporate_number: Option<String>,
    /// The company's website (`https://…`; a bare host gets `https://`).
    #[serde(default)]
    pub website: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignUpRequest {
    pub email: String,
    pub password: String,
    /// `engineer` or `employer`.
    pub role: String,
    pub display_name: String,
    /// Required for employers.
    #[serde(default)]
    pub organisation: Option<OrganisationInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LogInRequest {
    pub email: String,
    pub password: String,
}

/// A user as the API shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserResponse {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    /// `engineer`, `employer` or `admin`.
    pub role: String,
    /// `en`, `ja` or `hi`.
    pub ui_language: String,
    pub organisation_id: Option<i32>,
}

impl From<CurrentUser> for UserResponse {
    fn from(u: CurrentUser) -> Self {
        UserResponse {
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role.code().to_owned(),
            ui_language: u.ui_language.code().to_owned(),
            organisation_id: u.organisation_id,
        }
    }
}

/// Creates an account and signs it in.
#[utoipa::path(post, path = "/api/v1/users", request_body = SignUpRequest, tag = "accounts",
    responses(
        (status = 201, description = "Account created and signed in", body = UserResponse),
        (status = 422, description = "Invalid fields", body = super::error::ErrorBody),
        (status = 429, description = "Too many sign-ups from this address, or the server is busy hashing; see Retry-After", body = super::error::ErrorBody),
    ))]
pub async fn sign_up(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    parts: axum::http::request::Parts,
    ApiJson(body): ApiJson<SignUpRequest>,
) -> Result<(StatusCode, Json<UserResponse>), ApiError> {
    let headers = parts.headers.clone();
    state
        .signup_limiter
        .check(&client_of(&state, &parts))
        .in_language(lang)?;
    let form = SignUpForm {
        email: body.email,
        password: body.password,
        role: body.role,
        display_name: body.display_name,
        organisation: body
            .organisation
            .map(|o| OrganisationDraft {
                name_ja: o.name_ja.unwrap_or_default(),
                name_en: o.name_en.unwrap_or_default(),
                prefecture: o.prefecture,
                sector: o.sector,
                size: o.size,
                corporate_number: o.corporate_number.unwrap_or_default(),
                website: o.website.unwrap_or_default(),
            })
            .unwrap_or_default(),
    };
    let user = server::sign_up(&state.db, &form, lang)
        .await
        .in_language(lang)?;
    app::auth::verification::send_link(&state.db, user.id, &state.public_url)
        .await
        .in_language(lang)?;
    state.wake_mail();
    server::start_session(
        &state.db,
        &session,
        &user,
        &user_agent_of(&headers),
        &state.public_url,
    )
    .await
    .in_language(lang)?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// The `User-Agent` a device is recorded under.
pub(crate) fn user_agent_of(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The client's address for rate limiting: the trusted proxy header when configured, else the
/// socket peer.
pub(crate) fn client_of(state: &AppState, parts: &axum::http::request::Parts) -> String {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    state
        .client_ip_header
        .as_ref()
        .and_then(|h| parts.headers.get(h))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| peer.map(|p| p.ip().to_string()))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Logs in; the response sets the same session cookie the pages use.
#[utoipa::path(post, path = "/api/v1/session", request_body = LogInRequest, tag = "accounts",
    responses(
        (status = 200, description = "Signed in", body = UserResponse),
        (status = 401, description = "Wrong e-mail or password (the same answer either way)", body = super::error::ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = super::error::ErrorBody),
    ))]
pub async fn log_in(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    parts: axum::http::request::Parts,
    ApiJson(body): ApiJson<LogInRequest>,
) -> Result<Json<UserResponse>, ApiError> {
    let headers = parts.headers.clone();
    let client = client_of(&state, &parts);
    let user = server::authenticate(
        &state.db,
        &state.login_limiter,
        &client,
        &body.email,
        &body.password,
    )
    .await
    .in_language(lang)?;
    server::start_session(
        &state.db,
        &session,
        &user,
        &user_agent_of(&headers),
        &state.public_url,
    )
    .await
    .in_language(lang)?;
    Ok(Json(user.into()))
}

/// Logs out: the session is deleted on the server.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    responses((status = 204, description = "Signed out")))]
pub async fn log_out(
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<StatusCode, ApiError> {
    server::end_session(&session).await.in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses(
        (status = 200, description = "The signed-in user", body = UserResponse),
        (status = 401, description = "Not signed in", body = super::error::ErrorBody),
    ))]
pub async fn me(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Json<UserResponse>, ApiError> {
    let user = server::user_of_session(&state.db, &session)
        .await
        .in_language(lang)?
        .ok_or(app::error::AppError::Unauthenticated)
        .in_language(lang)?;
    Ok(Json(user.into()))
}

/// The signed-in person's devices, most recently seen first.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "accounts",
    responses((status = 200, description = "Signed-in devices (`current`: this one)", body = Vec<app::auth::api::DeviceView>)))]
pub async fn sessions(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<Json<Vec<app::auth::api::DeviceView>>, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    let current = server::device_of(&session).await.in_language(lang)?;
    let list = app::auth::devices::list(&state.db, user.id, current.as_deref())
        .await
        .in_language(lang)?;
    Ok(Json(list))
}

/// Signs out every device of the signed-in person but this one.
#[utoipa::path(delete, path = "/api/v1/me/sessions", tag = "accounts",
    responses((status = 204, description = "Every other device is signed out")))]
pub async fn end_other_sessions(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<StatusCode, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    let current = server::device_of(&session).await.in_language(lang)?;
    app::auth::devices::end(&state.db, user.id, None, current.as_deref())
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Signs out one other device of the signed-in person.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "accounts",
    params(("id" = i64, Path, description = "The device, from `GET /me/sessions` (not this one: log out instead)")),
    responses((status = 204, description = "Signed out")))]
pub async fn end_session_by_id(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<StatusCode, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    let current = server::device_of(&session).await.in_language(lang)?;
    let ended = app::auth::devices::end(&state.db, user.id, Some(id), current.as_deref())
        .await
        .in_language(lang)?;
    if ended == 0 {
        return Err(app::error::AppError::NotFound).in_language(lang);
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EmailConfirmation {
    /// The token from the link in the e-mail.
    pub token: String,
}

/// Sends the signed-in person a new link to prove their e-mail address (at most one a minute;
/// nothing when it is proven already).
#[utoipa::path(post, path = "/api/v1/me/email-verification", tag = "accounts",
    responses((status = 202, description = "A link is on its way, unless one went out in the last minute or the address is proven")))]
pub async fn resend_verification(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
) -> Result<StatusCode, ApiError> {
    let user = super::require_signed_in(&state, &session)
        .await
        .in_language(lang)?;
    app::auth::verification::send_link(&state.db, user.id, &state.public_url)
        .await
        .in_language(lang)?;
    state.wake_mail();
    Ok(StatusCode::ACCEPTED)
}

/// Proves an e-mail address with the token of the link sent to it; applying to roles and posting
/// them need a proven address.
#[utoipa::path(post, path = "/api/v1/email-verification/confirm", request_body = EmailConfirmation, tag = "accounts",
    responses(
        (status = 204, description = "The address is proven"),
        (status = 422, description = "The link is unknown, used or expired (`token`)", body = super::error::ErrorBody),
    ))]
pub async fn confirm_email(
    State(state): State<AppState>,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<EmailConfirmation>,
) -> Result<StatusCode, ApiError> {
    app::auth::verification::confirm(&state.db, &body.token)
        .await
        .in_language(lang)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordResetConfirmation {
    /// The token from the link in the e-mail.
    pub token: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Asks for a password-reset link by e-mail. The answer is the same whether or not the address
/// has an account; a link works once, for 30 minutes.
#[utoipa::path(post, path = "/api/v1/password-reset", request_body = PasswordResetRequest, tag = "accounts",
    responses(
        (status = 202, description = "If the address has an account, a link is on its way"),
        (status = 422, description = "Not an e-mail address (`email`)", body = super::error::ErrorBody),
        (status = 429, description = "Too many requests from this address; see Retry-After", body = super::error::ErrorBody),
    ))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    RequestLanguage(lang): RequestLanguage,
    parts: axum::http::request::Parts,
    ApiJson(body): ApiJson<PasswordResetRequest>,
) -> Result<StatusCode, ApiError> {
    // one bucket with sign-ups: both send work (a hash, a message) to an address anyone types
    state
        .signup_limiter
        .check(&client_of(&state, &parts))
        .in_language(lang)?;
    app::auth::recovery::request_reset(&state.db, &body.email, &state.public_url)
        .await
        .in_language(lang)?;
    state.wake_mail();
    Ok(StatusCode::ACCEPTED)
}

/// Sets a new password with the token from a reset link; every session of the account ends.
#[utoipa::path(post, path = "/api/v1/password-reset/confirm", request_body = PasswordResetConfirmation, tag = "accounts",
    responses(
        (status = 204, description = "Password set; sign in with it"),
        (status = 422, description = "The link is unknown, used or expired (`token`), or the password is refused (`password`)", body = super::error::ErrorBody),
        (status = 429, description = "The server is busy hashing passwords; see Retry-After", body = super::error::ErrorBody),
    ))]
pub async fn confirm_password_reset(
    State(state): State<AppState>,
    RequestLanguage(lang): RequestLanguage,
    ApiJson(body): ApiJson<PasswordResetConfirmation>,
) -> Result<StatusCode, ApiError> {
    app::auth::recovery::reset_password(&state.db, &body.token, &body.password)
        .await
        .in_language(lang)?;
    state.wake_mail();
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the signed-in person's password, given the current one. Every other session ends;
/// this one continues under a new session id.
#[utoipa::path(put, path = "/api/v1/me/password", request_body = PasswordChange, tag = "accounts",
    responses(
        (status = 204, description = "Password changed"),
        (status = 422, description = "The current password is wrong (`current_password`) or the new one is refused (`new_password`)", body = super::error::ErrorBody),
        (status = 429, description = "The server is busy hashing passwords; see Retry-After", body = super::error::ErrorBody),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    RequestLanguage(lang): RequestLanguage,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let user = server::user_of_session(&state.db, &session)
        .await
        .in_language(lang)?
        .ok_or(app::error::AppError::Unauthenticated)
        .in_language(lang)?;
    app::auth::recovery::change_password(
        &state.db,
        user.id,
        &body.current_password,
        &body.new_password,
    )
    .await
    .map_err(|err| match err {
        // the API's field is `new_password`
        app::error::AppError::Validation(fields) => app::error::AppError::Validation(
            fields
                .into_iter()
                .map(|mut f| {
                    if f.field == "password" {
                        f.field = "new_password".to_owned();
                    }
                    f
                })
                .collect(),
        ),
        other => other,
    })
    .in_language(lang)?;
    server::start_session(
        &state.db,
        &session,
        &user,
        &user_agent_of(&headers),
        &state.public_url,
    )
    .await
    .in_language(lang)?;
    state.wake_mail();
    Ok(StatusCode::NO_CONTENT)
}
