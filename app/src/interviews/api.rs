//! Interviews as pages and the JSON API show them, and the page's server functions.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// A proposed time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlotView {
    pub id: i32,
    pub starts_at: DateTime<Utc>,
    /// As the reader's side reads it: "2026-12-10 06:30 IST (10:00 JST)" for the engineer,
    /// "2026-12-10 10:00 JST (06:30 IST)" for the employer.
    pub label: String,
}

/// An interview of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InterviewView {
    pub id: i32,
    pub application_id: i32,
    /// `proposed`, `scheduled` or `cancelled`.
    pub status: String,
    /// `video`, `phone` or `on_site`.
    pub format: String,
    /// The video link, number to call or address.
    pub place: Option<String>,
    pub minutes: i32,
    /// The times to pick from, while proposed.
    pub slots: Vec<SlotView>,
    /// The time picked, once scheduled.
    pub scheduled: Option<SlotView>,
    /// Why it was last rescheduled or cancelled.
    pub reason: Option<String>,
    /// Send it back with a pick: a pick against an older version is refused.
    pub version: i32,
    pub can_pick: bool,
    pub can_reschedule: bool,
    pub can_cancel: bool,
    pub updated_at: DateTime<Utc>,
}

/// An application's interviews, newest first, and whether the reader may propose one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Interviews {
    pub interviews: Vec<InterviewView>,
    pub can_propose: bool,
}

#[server(endpoint = "list_interviews")]
pub async fn list_interviews(application_id: i32) -> AppResult<Interviews> {
    crate::auth::server::with_status("list_interviews", serde_json::Value::default, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        super::server::list(&state.db, &user, application_id).await
    })
    .await
}

/// Proposes times for a new interview, or new times for `interview_id` (a reschedule, which
/// needs a reason). Times are typed in Japan time.
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "propose_interview")]
pub async fn propose_interview(
    application_id: i32,
    interview_id: Option<i32>,
    draft: domain::interview::ProposalDraft,
    reason: Option<String>,
) -> AppResult<i32> {
    // which interview's form it was (none: a new proposal), for the page a plain post returns to
    let typed =
        serde_json::json!({ "interview_id": interview_id, "draft": draft, "reason": reason });
    crate::auth::server::with_status("propose_interview", move || typed, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        let id = match interview_id {
            None => super::server::propose(&state, &user, application_id, &draft).await?,
            Some(id) => {
                let reason = reason.unwrap_or_default();
                super::server::reschedule(&state, &user, id, &draft, &reason).await?
            }
        };
        Ok(id)
    })
    .await
}

/// The engineer picks one of the proposed times.
#[server(endpoint = "pick_interview_slot")]
pub async fn pick_interview_slot(interview_id: i32, slot_id: i32, version: i32) -> AppResult<()> {
    crate::auth::server::with_status(
        "pick_interview_slot",
        serde_json::Value::default,
        async move {
            let (state, user) = crate::auth::server::require_user().await?;
            super::server::pick(&state, &user, interview_id, slot_id, version).await
        },
    )
    .await
}

/// Either side calls an interview off, with a reason.
#[server(endpoint = "cancel_interview")]
pub async fn cancel_interview(interview_id: i32, reason: String) -> AppResult<()> {
    let typed = serde_json::json!({ "interview_id": interview_id, "reason": reason });
    crate::auth::server::with_status("cancel_interview", move || typed, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        super::server::cancel(&state, &user, interview_id, &reason).await
    })
    .await
}
