//! Server functions for the employer's own organisation.

use domain::role::OrganisationDraft;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// The organisation as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationView {
    pub id: i32,
    pub draft: OrganisationDraft,
    pub verified: bool,
    pub sponsorship: domain::sponsorship::SponsorshipDraft,
    /// Whether the recorded figures make it an SME under the SME Basic Act.
    pub sme: bool,
    /// The Highly Skilled Professional points its profile earns every hire, by item code.
    pub bonus_points: Vec<(String, u8)>,
}

/// A member of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub id: i32,
    pub display_name: String,
    pub email: String,
    pub joined_at: chrono::DateTime<chrono::Utc>,
    /// The signed-in member.
    pub you: bool,
}

/// An invitation not yet accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PendingInvitation {
    pub email: String,
    pub invited_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// The organisation's members and waiting invitations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Members {
    pub members: Vec<MemberView>,
    pub pending: Vec<PendingInvitation>,
}

/// The signed-in employer's colleagues (employers only).
#[server(endpoint = "load_members")]
pub async fn load_members() -> AppResult<Members> {
    crate::auth::server::with_status("load_members", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        super::members::list(&state.db, &user).await
    })
    .await
}

/// Invites a colleague by e-mail into the organisation.
#[server(endpoint = "invite_member")]
pub async fn invite_member(email: String) -> AppResult<()> {
    let typed = serde_json::json!({ "email": email.clone() });
    crate::auth::server::with_status("invite_member", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        let lang = crate::auth::server::request_language();
        super::members::invite(&state.db, &user, &email, lang, &state.public_url).await?;
        state.wake_mail();
        leptos_axum::redirect("/organisation?invited=1");
        Ok(())
    })
    .await
}

/// Removes a member (or, for oneself, leaves); the last member cannot.
#[server(endpoint = "remove_member")]
pub async fn remove_member(member_id: i32) -> AppResult<()> {
    crate::auth::server::with_status("remove_member", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        super::members::remove(&state.db, &user, member_id).await?;
        leptos_axum::redirect(if member_id == user.id {
            "/"
        } else {
            "/organisation"
        });
        Ok(())
    })
    .await
}

/// Creates the invited colleague's account from the link, signs it in and shows the organisation.
#[server(endpoint = "join_organisation")]
pub async fn join_organisation(
    token: String,
    display_name: String,
    password: String,
) -> AppResult<()> {
    let typed = serde_json::json!({ "display_name": display_name.clone() });
    crate::auth::server::with_status("join_organisation", move || typed, async move {
        let (state, session) = crate::auth::server::request_context().await?;
        state
            .signup_limiter
            .check(&crate::auth::server::client_key(&state).await)?;
        let lang = crate::auth::server::request_language();
        let user = super::members::join(&state.db, &token, &display_name, &password, lang).await?;
        crate::auth::server::start_session(
            &state.db,
            &session,
            &user,
            &crate::auth::server::request_user_agent(),
            &state.public_url,
        )
        .await?;
        leptos_axum::redirect("/organisation");
        Ok(())
    })
    .await
}

/// The signed-in employer's organisation (employers only).
#[server(endpoint = "load_organisation")]
pub async fn load_organisation() -> AppResult<OrganisationView> {
    crate::auth::server::with_status(
        "load_organisation",
        serde_json::Value::default,
        async move {
            use domain::account::UserRole;
            let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
            super::server::load(&state.db, &user).await
        },
    )
    .await
}

/// Updates the signed-in employer's organisation (employers only).
#[server(endpoint = "save_organisation")]
pub async fn save_organisation(draft: OrganisationDraft) -> AppResult<()> {
    let typed = serde_json::to_value(&draft).unwrap_or_default();
    crate::auth::server::with_status("save_organisation", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        let organisation = draft.parse()?;
        super::server::save(&state.db, &user, &organisation).await?;
        state.indexer.sync().await;
        Ok(())
    })
    .await
}

/// Saves the signed-in employer's sponsorship profile (employers only).
#[server(endpoint = "save_sponsorship")]
pub async fn save_sponsorship(
    draft: domain::sponsorship::SponsorshipDraft,
) -> AppResult<(bool, Vec<(String, u8)>)> {
    let typed = serde_json::to_value(&draft).unwrap_or_default();
    crate::auth::server::with_status("save_sponsorship", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        let sponsorship = draft.parse()?;
        super::server::save_sponsorship(&state.db, &user, &sponsorship).await?;
        Ok((
            sponsorship.is_sme(),
            super::server::employer_bonus(&sponsorship),
        ))
    })
    .await
}

/// A verified organisation's public page: who it is, what it offers a hire from abroad, and its
/// open roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CompanyView {
    pub id: i32,
    pub name_ja: Option<String>,
    pub name_en: Option<String>,
    pub sector: String,
    pub prefecture: String,
    pub size: String,
    pub website: Option<String>,
    pub verified: bool,
    /// The sponsorship profile: SME figures and how it sponsors a hire.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub sponsorship: domain::sponsorship::Sponsorship,
    /// Its open roles, newest first, one page of them.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub roles: Vec<crate::jobs::api::JobCard>,
    pub total_roles: u64,
    pub page: u64,
    pub pages: u64,
}

/// Open roles per page of a company page.
pub const COMPANY_ROLES_PER_PAGE: u64 = 20;

/// A company's public page (anyone; an organisation awaiting verification only for its own
/// members and administrators).
#[server(endpoint = "load_company")]
pub async fn load_company(id: i32, page: u64) -> AppResult<CompanyView> {
    crate::auth::server::with_status("load_company", serde_json::Value::default, async move {
        let (state, session) = crate::auth::server::request_context().await?;
        let user = crate::auth::server::user_of_session(&state.db, &session).await?;
        super::server::company(&state.db, user.as_ref(), id, page).await
    })
    .await
}
