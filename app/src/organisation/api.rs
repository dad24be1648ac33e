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
