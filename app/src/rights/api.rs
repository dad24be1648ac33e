//! The types and server functions of people's rights: contact sharing, the account page's
//! consent history, and deleting one's own account.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// One consent, or one withdrawal, as the person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentView {
    pub id: i64,
    pub application_id: i32,
    /// The recipient.
    pub organisation_name: String,
    /// `contact_for_application`.
    pub purpose: String,
    /// A consent (`true`) or a withdrawal (`false`).
    pub granted: bool,
    /// The words shown when it was given or withdrawn.
    pub text_shown: String,
    pub at: DateTime<Utc>,
}

/// A page of the person's consent history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConsentPage {
    pub results: Vec<ConsentView>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// Gives (`share` = `"true"`) or withdraws consent to share the signed-in engineer's contact
/// details with the organisation of one of their applications, then shows the application.
#[server(endpoint = "set_contact_sharing")]
pub async fn set_contact_sharing(application_id: i32, share: String) -> AppResult<()> {
    crate::auth::server::with_status(
        "set_contact_sharing",
        serde_json::Value::default,
        async move {
            use domain::account::UserRole;
            let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
            let lang = crate::auth::server::request_language();
            super::consent::set_contact_sharing(
                &state.db,
                &user,
                lang,
                application_id,
                share == "true",
            )
            .await?;
            leptos_axum::redirect(&format!("/applications/{application_id}"));
            Ok(())
        },
    )
    .await
}

/// The signed-in person's consent history (a page of it).
#[server(endpoint = "load_my_consents")]
pub async fn load_my_consents(page: u64) -> AppResult<ConsentPage> {
    crate::auth::server::with_status("load_my_consents", serde_json::Value::default, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        super::consent::history(&state.db, user.id, page).await
    })
    .await
}

/// Deletes the signed-in person's account after they give their password again; the session
/// ends and the home page says it is done.
#[server(endpoint = "delete_my_account")]
pub async fn delete_my_account(password: String) -> AppResult<()> {
    crate::auth::server::with_status(
        "delete_my_account",
        serde_json::Value::default,
        async move {
            let (state, user) = crate::auth::server::require_user().await?;
            super::erasure::erase_own_account(&state.db, &user, &password).await?;
            if let Ok(session) = leptos_axum::extract::<tower_sessions::Session>().await {
                crate::auth::server::end_session(&session).await?;
            }
            state.indexer.sync().await;
            leptos_axum::redirect("/?account_deleted=1");
            Ok(())
        },
    )
    .await
}
