//! Server functions for accounts and the types they exchange with the browser.

use domain::account::UserRole;
use domain::language::UiLanguage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

/// The signed-in user as pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub role: UserRole,
    pub ui_language: UiLanguage,
    pub organisation_id: Option<i32>,
    /// Unread notifications, for the header (filled in for the page's own user only).
    #[serde(default)]
    pub unread_notifications: u64,
    /// Whether the person proved their e-mail address (applying and posting roles need it).
    #[serde(default)]
    pub email_verified: bool,
    /// Whether their organisation is verified, as this request's session check read it (none
    /// when it was not read, or they have none): the server's own, never sent, so a value
    /// from a browser is never trusted.
    #[serde(skip)]
    pub organisation_verified: Option<bool>,
}

/// The sign-up form as submitted; the organisation fields matter only for employers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub organisation: domain::role::OrganisationDraft,
}

/// The user behind this request's session, if any.
#[server(endpoint = "current_user")]
pub async fn fetch_current_user() -> AppResult<Option<CurrentUser>> {
    crate::auth::server::with_status("current_user", serde_json::Value::default, async move {
        let (state, session) = super::server::request_context().await?;
        let Some(mut user) = super::server::user_of_session(&state.db, &session).await? else {
            return Ok(None);
        };
        user.unread_notifications =
            crate::notifications::server::unread_count(&state.db, user.id).await?;
        Ok(Some(user))
    })
    .await
}

/// Creates an account, signs it in and sends the user on to their first page.
#[server(endpoint = "sign_up")]
pub async fn sign_up(form: SignUpForm) -> AppResult<()> {
    // never keep the password
    let typed = SignUpForm {
        password: String::new(),
        ..form.clone()
    };
    crate::auth::server::with_status(
        "sign_up",
        move || serde_json::to_value(typed).unwrap_or_default(),
        async move {
            use super::server;
            let (state, session) = server::request_context().await?;
            let lang = server::request_language();
            state
                .signup_limiter
                .check(&server::client_key(&state).await)?;
            let user = server::sign_up(&state.db, &form, lang).await?;
            super::verification::send_link(&state.db, user.id, &state.public_url).await?;
            state.wake_mail();
            server::start_session(
                &state.db,
                &session,
                &user,
                &server::request_user_agent(),
                &state.public_url,
            )
            .await?;
            let next = match user.role {
                UserRole::Employer => "/organisation",
                _ => "/profile",
            };
            leptos_axum::redirect(next);
            Ok(())
        },
    )
    .await
}

/// Checks an e-mail and password and starts a new session.
#[server(endpoint = "log_in")]
pub async fn log_in(email: String, password: String, next: Option<String>) -> AppResult<()> {
    let typed = serde_json::json!({ "email": email.clone() });
    crate::auth::server::with_status("log_in", move || typed, async move {
        use super::server;
        let (state, session) = server::request_context().await?;
        let client = server::client_key(&state).await;
        let user =
            server::authenticate(&state.db, &state.login_limiter, &client, &email, &password)
                .await?;
        server::start_session(
            &state.db,
            &session,
            &user,
            &server::request_user_agent(),
            &state.public_url,
        )
        .await?;
        server::remember_language(user.ui_language);
        leptos_axum::redirect(&safe_next(next.as_deref(), user.role));
        Ok(())
    })
    .await
}

/// Sends a reset link if the address has an account, and says the same either way.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> AppResult<()> {
    let typed = serde_json::json!({ "email": email.clone() });
    crate::auth::server::with_status("request_password_reset", move || typed, async move {
        use super::server;
        let (state, _) = server::request_context().await?;
        state
            .signup_limiter
            .check(&server::client_key(&state).await)?;
        super::recovery::request_reset(&state.db, &email, &state.public_url).await?;
        state.wake_mail();
        leptos_axum::redirect("/forgot-password?sent=1");
        Ok(())
    })
    .await
}

/// Sets a new password with the token of a reset link, then sends the person to log in.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> AppResult<()> {
    // the token stays in the page's address; neither it nor the password is kept
    crate::auth::server::with_status("reset_password", serde_json::Value::default, async move {
        let (state, _) = super::server::request_context().await?;
        super::recovery::reset_password(&state.db, &token, &password).await?;
        state.wake_mail();
        leptos_axum::redirect("/login?reset=1");
        Ok(())
    })
    .await
}

/// Changes the signed-in person's password given the current one; every other session ends and
/// this one continues under a new id.
#[server(endpoint = "change_my_password")]
pub async fn change_my_password(current_password: String, password: String) -> AppResult<()> {
    crate::auth::server::with_status(
        "change_my_password",
        serde_json::Value::default,
        async move {
            use super::server;
            let (state, user) = server::require_user().await?;
            super::recovery::change_password(&state.db, user.id, &current_password, &password)
                .await?;
            let (_, session) = server::request_context().await?;
            server::start_session(
                &state.db,
                &session,
                &user,
                &server::request_user_agent(),
                &state.public_url,
            )
            .await?;
            state.wake_mail();
            leptos_axum::redirect("/account?password_changed=1");
            Ok(())
        },
    )
    .await
}

/// Sends the signed-in person a new link to prove their e-mail address (at most one a minute).
#[server(endpoint = "resend_verification")]
pub async fn resend_verification() -> AppResult<()> {
    crate::auth::server::with_status(
        "resend_verification",
        serde_json::Value::default,
        async move {
            let (state, user) = super::server::require_user().await?;
            super::verification::send_link(&state.db, user.id, &state.public_url).await?;
            state.wake_mail();
            Ok(())
        },
    )
    .await
}

/// Proves an e-mail address with the token of the link sent to it.
#[server(endpoint = "confirm_email")]
pub async fn confirm_email(token: String) -> AppResult<()> {
    crate::auth::server::with_status("confirm_email", serde_json::Value::default, async move {
        let (state, _) = super::server::request_context().await?;
        super::verification::confirm(&state.db, &token).await?;
        leptos_axum::redirect("/verify-email?done=1");
        Ok(())
    })
    .await
}

/// A signed-in device as the account page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeviceView {
    pub id: i64,
    /// What the browser says it is, e.g. "Firefox on Android".
    pub device: String,
    pub signed_in_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// The device this request comes from.
    pub current: bool,
}

/// The signed-in person's devices.
#[server(endpoint = "load_my_devices")]
pub async fn load_my_devices() -> AppResult<Vec<DeviceView>> {
    crate::auth::server::with_status("load_my_devices", serde_json::Value::default, async move {
        let (state, user) = super::server::require_user().await?;
        let (_, session) = super::server::request_context().await?;
        let current = super::server::device_of(&session).await?;
        super::devices::list(&state.db, user.id, current.as_deref()).await
    })
    .await
}

/// Signs out one device (`id`), or every device but this one (`id` = 0).
#[server(endpoint = "sign_out_devices")]
pub async fn sign_out_devices(id: i64) -> AppResult<()> {
    crate::auth::server::with_status("sign_out_devices", serde_json::Value::default, async move {
        let (state, user) = super::server::require_user().await?;
        let (_, session) = super::server::request_context().await?;
        let current = super::server::device_of(&session).await?;
        let which = (id != 0).then_some(id);
        let ended = super::devices::end(&state.db, user.id, which, current.as_deref()).await?;
        if which.is_some() && ended == 0 {
            return Err(AppError::NotFound);
        }
        leptos_axum::redirect("/account#devices-heading");
        Ok(())
    })
    .await
}

/// Ends the session on the server and forgets the cookie.
#[server(endpoint = "log_out")]
pub async fn log_out() -> AppResult<()> {
    crate::auth::server::with_status("log_out", serde_json::Value::default, async move {
        let (_, session) = super::server::request_context().await?;
        super::server::end_session(&session).await?;
        leptos_axum::redirect("/");
        Ok(())
    })
    .await
}

/// Where to go after logging in: a path on this site the user asked for
/// (`domain::redirect::local_path`), else their home page.
pub fn safe_next(next: Option<&str>, role: UserRole) -> String {
    next.and_then(domain::redirect::local_path)
        .unwrap_or_else(|| match role {
            UserRole::Engineer => "/dashboard".to_owned(),
            UserRole::Employer => "/roles".to_owned(),
            UserRole::Admin => "/admin".to_owned(),
        })
}

/// Turns "not signed in" into a redirect to the log-in page, for pages that need a user.
pub fn needs_login(err: &AppError) -> bool {
    matches!(err, AppError::Unauthenticated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_log_in() {
        assert_eq!(
            safe_next(Some("/roles/new"), UserRole::Employer),
            "/roles/new"
        );
        assert_eq!(
            safe_next(Some("//evil.example"), UserRole::Engineer),
            "/dashboard"
        );
        assert_eq!(
            safe_next(Some("https://evil.example"), UserRole::Engineer),
            "/dashboard"
        );
        assert_eq!(
            safe_next(Some("/\\evil.example"), UserRole::Engineer),
            "/dashboard"
        );
        assert_eq!(
            safe_next(Some("/\t/evil.example"), UserRole::Engineer),
            "/dashboard"
        );
        assert_eq!(safe_next(Some("/%0A"), UserRole::Engineer), "/%0A");
        assert_eq!(safe_next(Some("/\n"), UserRole::Engineer), "/dashboard");
        assert_eq!(safe_next(None, UserRole::Employer), "/roles");
        assert_eq!(safe_next(None, UserRole::Engineer), "/dashboard");
        assert_eq!(safe_next(None, UserRole::Admin), "/admin");
    }
}
