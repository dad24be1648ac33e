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

/// The optional e-mail topics and whether the person receives each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailPreferences {
    /// Invitations from employers to apply.
    pub invitations: bool,
    /// Applications received, and the other side's moves on an application.
    pub applications: bool,
    /// Offers made.
    pub offers: bool,
    /// A sign-in from a browser not seen on the account before.
    pub new_sign_ins: bool,
}

#[cfg(feature = "ssr")]
impl MailPreferences {
    pub fn from_opt_out(stored: &str) -> MailPreferences {
        use domain::mail::MailTopic;
        let off = domain::mail::parse_opt_out(stored);
        MailPreferences {
            invitations: !off.contains(&MailTopic::Invitations),
            applications: !off.contains(&MailTopic::Applications),
            offers: !off.contains(&MailTopic::Offers),
            new_sign_ins: !off.contains(&MailTopic::NewSignIns),
        }
    }

    pub fn topics_off(&self) -> Vec<domain::mail::MailTopic> {
        use domain::mail::MailTopic;
        [
            (MailTopic::Invitations, self.invitations),
            (MailTopic::Applications, self.applications),
            (MailTopic::Offers, self.offers),
            (MailTopic::NewSignIns, self.new_sign_ins),
        ]
        .into_iter()
        .filter(|(_, on)| !on)
        .map(|(topic, _)| topic)
        .collect()
    }
}

/// Which optional e-mail the signed-in person receives.
#[server(endpoint = "load_mail_preferences")]
pub async fn load_mail_preferences() -> AppResult<MailPreferences> {
    crate::auth::server::with_status(
        "load_mail_preferences",
        serde_json::Value::default,
        async move {
            use sea_orm::EntityTrait;
            let (state, user) = crate::auth::server::require_user().await?;
            let found = crate::db::entities::user::Entity::find_by_id(user.id)
                .one(&state.db)
                .await?
                .ok_or(crate::error::AppError::Unauthenticated)?;
            Ok(MailPreferences::from_opt_out(&found.mail_opt_out))
        },
    )
    .await
}

/// Saves which optional e-mail the signed-in person receives (a ticked box is `"on"`).
#[server(endpoint = "save_mail_preferences")]
pub async fn save_mail_preferences(
    invitations: Option<String>,
    applications: Option<String>,
    offers: Option<String>,
    new_sign_ins: Option<String>,
) -> AppResult<()> {
    crate::auth::server::with_status(
        "save_mail_preferences",
        serde_json::Value::default,
        async move {
            let (state, user) = crate::auth::server::require_user().await?;
            let chosen = MailPreferences {
                invitations: invitations.is_some(),
                applications: applications.is_some(),
                offers: offers.is_some(),
                new_sign_ins: new_sign_ins.is_some(),
            };
            crate::mail::notices::set_opt_out(&state.db, user.id, &chosen.topics_off()).await?;
            leptos_axum::redirect("/account?mail_saved=1");
            Ok(())
        },
    )
    .await
}

/// Turns a topic off from the link in a message (no sign-in needed: the link's key is the
/// proof).
#[server(endpoint = "unsubscribe")]
pub async fn unsubscribe(user: i32, topic: String, key: String) -> AppResult<()> {
    crate::auth::server::with_status("unsubscribe", serde_json::Value::default, async move {
        let (state, _) = crate::auth::server::request_context().await?;
        let topic =
            domain::mail::MailTopic::parse(&topic).ok_or(crate::error::AppError::NotFound)?;
        if !crate::mail::notices::unsubscribe(&state.db, user, topic, &key).await? {
            return Err(crate::error::AppError::NotFound);
        }
        leptos_axum::redirect("/unsubscribe?done=1");
        Ok(())
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
