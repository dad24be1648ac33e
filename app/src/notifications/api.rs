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

impl NotificationView {
    /// A stored notification as pages and mail show it.
    #[cfg(feature = "ssr")]
    pub fn from_row(
        n: &crate::db::entities::notification::Model,
        role: Option<&crate::db::entities::role::Model>,
    ) -> NotificationView {
        let detail: serde_json::Value = serde_json::from_str(&n.detail).unwrap_or_default();
        let text = |key: &str| detail.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        NotificationView {
            id: n.id,
            kind: n.kind.clone(),
            application_id: n.application_id,
            role_id: n.role_id,
            role_title_ja: role.and_then(|r| r.title_ja.clone()),
            role_title_en: role.and_then(|r| r.title_en.clone()),
            to: text("to").or_else(|| text("stage")),
            who: text("who"),
            message: text("message"),
            created_at: n.created_at,
            unread: n.read_at.is_none(),
        }
    }
}

/// What a notification says in `lang`, and the site path it leads to: one wording for the page
/// and the e-mail.
pub fn describe(lang: domain::language::UiLanguage, n: &NotificationView) -> (String, String) {
    use crate::i18n::{t, t_with};
    let role = crate::roles::pages::title_for(lang, &n.role_title_ja, &n.role_title_en);
    let who = n
        .who
        .clone()
        .unwrap_or_else(|| t(lang, "notifications.someone"));
    let to =
        n.to.as_deref()
            .map(|code| crate::applications::pages::stage_label(lang, code))
            .unwrap_or_default();
    let text = match n.kind.as_str() {
        // a saved search's digest: its name and how many are new
        "search_alert" => t_with(
            lang,
            "notifications.search_alert",
            &[("name", &who), ("count", n.to.as_deref().unwrap_or("0"))],
        ),
        kind => t_with(
            lang,
            &format!("notifications.{kind}"),
            &[("who", &who), ("role", &role), ("stage", &to)],
        ),
    };
    let path = match (n.application_id, n.role_id, n.kind.as_str()) {
        (Some(id), _, "message_received") => format!("/applications/{id}#messages"),
        (Some(id), _, kind) if kind.starts_with("interview_") => {
            format!("/applications/{id}#interviews")
        }
        (Some(id), _, _) => format!("/applications/{id}"),
        (None, None, "search_alert") => "/searches".to_owned(),
        (None, Some(role), _) => format!("/jobs/{role}"),
        (None, None, "organisation_verified" | "organisation_rejected") => {
            "/organisation".to_owned()
        }
        (None, None, _) => "/".to_owned(),
    };
    (text, path)
}

/// One page of notifications, and where the next (older) page starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationsPage {
    pub notifications: Vec<NotificationView>,
    /// Ask `before` this id for older ones; absent on the last page.
    pub next_before: Option<i32>,
}

/// The signed-in user's notifications, newest first, older than `before` when given.
#[server(endpoint = "list_notifications")]
pub async fn list_notifications(before: Option<i32>) -> AppResult<NotificationsPage> {
    crate::auth::server::with_status(
        "list_notifications",
        serde_json::Value::default,
        async move {
            let (state, user) = crate::auth::server::require_user().await?;
            super::server::list(&state.db, user.id, before).await
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
            // a new address (the query), so the header's unread count is loaded again
            leptos_axum::redirect("/notifications?read=1");
            Ok(())
        },
    )
    .await
}
