//! What the readiness panel shows, and its server functions.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::jobs::api::PointsView;

/// One document of the checklist with who marked it provided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChecklistRow {
    /// The item's key in the checklist data.
    pub key: String,
    /// `engineer` or `employer`: the side that provides it.
    pub who: String,
    /// The document, in the reader's language.
    pub text: String,
    pub ticked_at: Option<DateTime<Utc>>,
    pub ticked_by: Option<String>,
    /// Whether the viewer may mark it (or unmark it) now.
    pub can_tick: bool,
}

/// The Certificate of Eligibility checklist of one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChecklistView {
    /// The visa route code the list is for.
    pub route: String,
    /// The employer's category (1–4) as it recorded it; absent when not recorded, in which
    /// case category 3's list is shown.
    pub category: Option<u8>,
    pub category_shown: u8,
    pub source: String,
    pub effective_from: String,
    pub rows: Vec<ChecklistRow>,
}

/// The readiness of an application for Japan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Readiness {
    pub application_id: i32,
    /// Points at the offer's salary once there is one (and the engineer's age is known).
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub points_at_offer: Option<PointsView>,
    /// The points case at the offer, for the what-if panel to change and rescore in the browser.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub case_at_offer: Option<domain::hsp::HspCase>,
    /// The JLPT level the engineer declares.
    pub jlpt_declared: Option<String>,
    /// The level a certificate with its number backs, if any.
    pub jlpt_certified: Option<String>,
    /// From the offer on.
    pub checklist: Option<ChecklistView>,
    /// Where the viewer downloads the candidate's documents (`…/rirekisho.pdf` and the rest),
    /// absent for administrators.
    pub documents_at: Option<String>,
    /// The employer's copies leave out the address, telephone and e-mail until the engineer
    /// shares their contact details.
    pub contact_left_out: bool,
}

/// The readiness of an application (its engineer or its organisation; administrators read it
/// too).
#[server(endpoint = "load_readiness")]
pub async fn load_readiness(application_id: i32) -> AppResult<Readiness> {
    crate::auth::server::with_status("load_readiness", serde_json::Value::default, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        let lang = crate::auth::server::request_language();
        super::server::readiness(
            &state.db,
            &user,
            application_id,
            lang,
            domain::time::japan_date(Utc::now()),
        )
        .await
    })
    .await
}

/// Marks a checklist document provided (`done` = `"on"`) or not, for the viewer's own side.
#[server(endpoint = "tick_checklist")]
pub async fn tick_checklist(
    application_id: i32,
    item_key: String,
    done: Option<String>,
) -> AppResult<()> {
    crate::auth::server::with_status("tick_checklist", serde_json::Value::default, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        let done = domain::profile::checkbox(&done);
        super::server::tick(&state.db, &user, application_id, &item_key, done).await
    })
    .await
}
