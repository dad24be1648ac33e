//! Saved searches as the page and the JSON API show them, and the page's server functions.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// A saved search with what is new in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SavedSearchView {
    pub id: i32,
    /// `roles` or `talent`.
    pub kind: String,
    pub name: String,
    /// The search page's query string.
    pub query: String,
    /// `daily`, `weekly` or `never`.
    pub frequency: String,
    pub min_score: Option<i32>,
    pub created_at: DateTime<Utc>,
    /// Results made since the search was last opened (at or above the threshold when the
    /// search is ranked), and the first of their names or titles.
    pub new_count: usize,
    pub new_names: Vec<String>,
    /// The page showing only the new results.
    pub new_link: String,
    /// The page showing every result.
    pub link: String,
}

/// Saves the search on the page (`kind` `roles` or `talent`, the page's query string).
#[server(endpoint = "save_search")]
pub async fn save_search(draft: domain::saved_search::SavedSearchDraft) -> AppResult<i32> {
    let typed = serde_json::json!({ "draft": draft });
    crate::auth::server::with_status("save_search", move || typed, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        let id = super::server::save(&state, &user, &draft).await?;
        leptos_axum::redirect(&format!("/searches?saved={id}"));
        Ok(id)
    })
    .await
}

/// The signed-in user's saved searches with their new results.
#[server(endpoint = "list_saved_searches")]
pub async fn list_saved_searches() -> AppResult<Vec<SavedSearchView>> {
    crate::auth::server::with_status(
        "list_saved_searches",
        serde_json::Value::default,
        async move {
            let (state, user) = crate::auth::server::require_user().await?;
            let lang = crate::auth::server::request_language();
            super::server::list(&state, &user, lang).await
        },
    )
    .await
}

/// Marks a saved search's results seen and opens the new ones (a redirect).
#[server(endpoint = "open_saved_search")]
pub async fn open_saved_search(id: i32) -> AppResult<()> {
    crate::auth::server::with_status(
        "open_saved_search",
        serde_json::Value::default,
        async move {
            let (state, user) = crate::auth::server::require_user().await?;
            let link = super::server::open(&state.db, &user, id).await?;
            leptos_axum::redirect(&link);
            Ok(())
        },
    )
    .await
}

/// Deletes one of the user's saved searches.
#[server(endpoint = "delete_saved_search")]
pub async fn delete_saved_search(id: i32) -> AppResult<()> {
    crate::auth::server::with_status(
        "delete_saved_search",
        serde_json::Value::default,
        async move {
            let (state, user) = crate::auth::server::require_user().await?;
            super::server::delete(&state.db, &user, id).await
        },
    )
    .await
}
