//! Server functions for the engineer's own career.

use domain::career::CareerDraft;
use leptos::prelude::*;

use crate::error::AppResult;

/// The signed-in engineer's career as the form's values (engineers with a saved profile).
#[server(endpoint = "load_career")]
pub async fn load_career() -> AppResult<CareerDraft> {
    crate::auth::server::with_status("load_career", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
        let lang = crate::auth::server::request_language();
        let career = super::server::load(&state.db, user.id).await?;
        Ok(career.to_draft(&state.taxonomy, lang))
    })
    .await
}

/// Saves the signed-in engineer's career (engineers with a saved profile).
#[server(endpoint = "save_career")]
pub async fn save_career(draft: CareerDraft) -> AppResult<()> {
    let typed = serde_json::to_value(&draft).unwrap_or_default();
    crate::auth::server::with_status("save_career", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
        let today = domain::time::japan_date(chrono::Utc::now());
        let career = draft.parse(&state.taxonomy, today)?;
        super::server::save(&state.db, user.id, &career).await?;
        state.indexer.sync().await;
        Ok(())
    })
    .await
}
