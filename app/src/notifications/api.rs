//! Server functions for notifications.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// A notification as the page and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i32,
    /// `application_received`, `application_moved` or `invited`.
    pub kind: String,
    pub application_id: Option<i32>,
    pub role_id: Option<i32>,
    pub role_title_ja: Option<String>,
    pub role_title_en: Option<String>,
    /// The stage or closing reason moved to.
    pub to: Option<String>,
    /// Who acted.
    pub who: Option<String>,
    /// An invitation's message.
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub unread: bool,
}

/// The signed-in user's latest notifications.
#[server(endpoint = "list_notifications")]
pub async fn list_notifications() -> AppResult<Vec<NotificationView>> {
    crate::auth::server::with_status(
        "list_notifications",
        serde_json::Value::default,
        async move {
            let (state, user) = crate::auth::server::require_user().await?;
            super::server::list(&state.db, user.id).await
        },
    )
    .await
}

/// Marks every notification of the signed-in user read.
#[server(endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read() -> AppResult<()> {
    crate::auth::server::with_status(
        "mark_notifications_read",
        serde_json::Value::default,
        async move {
            let (state, user) = crate::auth::server::require_user().await?;
            super::server::mark_all_read(&state.db, user.id).await?;
            leptos_axum::redirect("/notifications");
            Ok(())
        },
    )
    .await
}
