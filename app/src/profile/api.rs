//! Server functions for the engineer's own profile.

use domain::profile::ProfileDraft;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// What the profile editor needs: the saved profile as form values, and the skill names (in the
/// user's language) for the type-ahead list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileEditor {
    pub draft: ProfileDraft,
    pub skill_names: Vec<String>,
    /// Skills saved in the engineer's own words (not in the taxonomy), to say so.
    pub free_skills: Vec<String>,
}

/// The signed-in engineer's profile (engineers only).
#[server(endpoint = "load_profile")]
pub async fn load_profile() -> AppResult<ProfileEditor> {
    crate::auth::server::with_status("load_profile", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
        let lang = crate::auth::server::request_language();
        let draft = super::server::load_draft(&state.db, &state.taxonomy, user.id, lang)
            .await?
            .unwrap_or_else(|| ProfileDraft {
                full_name: user.display_name.clone(),
                searchable: Some("on".to_owned()),
                ..ProfileDraft::default()
            });
        let free_skills = draft
            .skills
            .iter()
            .filter(|row| state.taxonomy.resolve_phrase(&row.skill).is_none())
            .map(|row| row.skill.clone())
            .collect();
        let skill_names = state
            .taxonomy
            .all()
            .iter()
            .map(|s| s.name(lang).to_owned())
            .collect();
        Ok(ProfileEditor {
            draft,
            skill_names,
            free_skills,
        })
    })
    .await
}

/// Saves the signed-in engineer's profile (engineers only); answers the skills kept in the
/// engineer's own words because the taxonomy does not know them.
#[server(endpoint = "save_profile")]
pub async fn save_profile(draft: ProfileDraft) -> AppResult<Vec<String>> {
    let typed = serde_json::to_value(&draft).unwrap_or_default();
    crate::auth::server::with_status("save_profile", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
        let profile = draft.parse(&state.taxonomy)?;
        super::server::save(&state.db, user.id, &profile).await?;
        state.indexer.sync().await;
        Ok(profile.free_skills.into_iter().map(|s| s.name).collect())
    })
    .await
}
