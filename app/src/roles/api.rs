//! Server functions for an employer's roles.

use domain::role::RoleDraft;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// A role in the employer's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSummary {
    pub id: i32,
    pub title_ja: Option<String>,
    pub title_en: Option<String>,
    pub prefecture: String,
    pub salary_min_jpy: i64,
    pub salary_max_jpy: i64,
    pub min_jlpt: Option<String>,
    pub is_open: bool,
    /// Open applications per stage code, in pipeline order.
    pub stage_counts: Vec<(String, u64)>,
}

/// What the role form needs: the values and the skill names for the type-ahead list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleEditor {
    pub id: Option<i32>,
    pub draft: RoleDraft,
    pub skill_names: Vec<String>,
    /// Skills saved in the employer's own words (not in the taxonomy), to say so.
    pub free_skills: Vec<String>,
}

/// The roles of the signed-in employer's organisation (employers only).
#[server(endpoint = "list_my_roles")]
pub async fn list_my_roles() -> AppResult<Vec<RoleSummary>> {
    crate::auth::server::with_status("list_my_roles", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        super::server::list_for_organisation(&state.db, &user).await
    })
    .await
}

/// A role to edit, or a blank one when `id` is `None` (employers only; own organisation only).
#[server(endpoint = "load_role_editor")]
pub async fn load_role_editor(id: Option<i32>) -> AppResult<RoleEditor> {
    crate::auth::server::with_status("load_role_editor", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        let lang = crate::auth::server::request_language();
        let draft = match id {
            Some(id) => {
                super::server::load_draft(&state.db, &state.taxonomy, &user, id, lang).await?
            }
            None => RoleDraft {
                working_language: "japanese".to_owned(),
                remote_policy: "onsite".to_owned(),
                headcount: "1".to_owned(),
                is_open: Some("on".to_owned()),
                visa_sponsorship: Some("on".to_owned()),
                ..RoleDraft::default()
            },
        };
        let skill_names = state
            .taxonomy
            .all()
            .iter()
            .map(|s| s.name(lang).to_owned())
            .collect();
        let free_skills = draft
            .required_skills
            .iter()
            .chain(&draft.nice_skills)
            .filter(|row| state.taxonomy.resolve_phrase(&row.skill).is_none())
            .map(|row| row.skill.clone())
            .collect();
        Ok(RoleEditor {
            id,
            draft,
            skill_names,
            free_skills,
        })
    })
    .await
}

/// Creates a role (no `id`) or updates one of the employer's own, then returns to the list.
#[server(endpoint = "save_role")]
pub async fn save_role(id: Option<i32>, draft: RoleDraft) -> AppResult<i32> {
    let typed = serde_json::to_value(&draft).unwrap_or_default();
    crate::auth::server::with_status("save_role", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        if let Some(id) = id {
            // another organisation's role is refused before its draft is even read
            super::server::find_own(&state.db, &user, id).await?;
        }
        let role = draft.parse(&state.taxonomy)?;
        let saved = match id {
            Some(id) => super::server::update(&state.db, &user, id, &role).await?,
            None => super::server::create(&state.db, &user, &role).await?,
        };
        state.indexer.sync().await;
        leptos_axum::redirect("/roles");
        Ok(saved)
    })
    .await
}
