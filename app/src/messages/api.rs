//! The thread as pages and the JSON API show it, and the page's server function.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// One message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MessageView {
    pub id: i32,
    /// `engineer` or `employer`.
    pub from_party: String,
    /// The sender's display name (absent once their account is erased).
    pub from_name: Option<String>,
    /// Whether the reader wrote it.
    pub mine: bool,
    pub body: String,
    /// The language detected in the body (ISO 639-1).
    pub language: Option<String>,
    /// The attached PDF's name and size in bytes.
    pub attachment_name: Option<String>,
    pub attachment_size: Option<i32>,
    pub sent_at: DateTime<Utc>,
    /// When the other side first saw it.
    pub read_at: Option<DateTime<Utc>>,
}

/// A page of the thread: oldest first within the page; `next_before` asks for earlier ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MessagesPage {
    pub messages: Vec<MessageView>,
    /// Ask `before` this id for earlier messages; absent at the thread's start.
    pub next_before: Option<i32>,
    /// Whether the reader may write (the two sides; not an administrator, nor after the
    /// application's free text was removed).
    pub can_write: bool,
}

/// The thread of an application, as the signed-in user may read it; the other side's messages
/// are marked read.
#[server(endpoint = "list_messages")]
pub async fn list_messages(application_id: i32, before: Option<i32>) -> AppResult<MessagesPage> {
    crate::auth::server::with_status("list_messages", serde_json::Value::default, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        super::server::list(&state.db, &user, application_id, before).await
    })
    .await
}
