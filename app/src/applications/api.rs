//! Server functions and the types they exchange for applications, the pipeline board and
//! invitations.

use chrono::{DateTime, NaiveDate, Utc};
use domain::pipeline::{Clock, InterviewRecord, MoveDraft, Offer, Party};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// An application as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApplicationSummary {
    pub id: i32,
    pub role_id: i32,
    pub role_title_ja: Option<String>,
    pub role_title_en: Option<String>,
    pub organisation_name: String,
    pub engineer_user_id: i32,
    pub engineer_name: String,
    /// A `domain::pipeline::Stage` code.
    pub stage: String,
    /// A `domain::pipeline::ClosingReason` code when closed.
    pub closed_reason: Option<String>,
    /// Incremented by every move; a move names the version it saw.
    pub version: i32,
    pub invited: bool,
    pub applied_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The next forward stage and who takes it.
    pub next_stage: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub next_by: Vec<Party>,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub clocks: Vec<Clock>,
}

/// What a move recorded besides its stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interview_round: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub interview: Option<InterviewRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub offer: Option<Offer>,
    /// A visa route code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visa_route: Option<String>,
}

/// One step of an application's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub closed_reason: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub by: Party,
    pub by_name: Option<String>,
    /// The mover's note; absent for the candidate when the employer wrote it (internal).
    pub note: Option<String>,
    /// The employer's message to the candidate.
    pub message: Option<String>,
    /// An interview's rating is absent for the candidate.
    pub details: EventDetails,
    pub occurred_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
}

/// An application with its history and what the viewer may do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApplicationDetail {
    pub summary: ApplicationSummary,
    pub cover_note: Option<String>,
    /// The engineer's e-mail: the employer sees it only while the engineer consents to it.
    pub engineer_email: Option<String>,
    /// Whether the engineer consents, now, to the organisation seeing their contact details.
    pub contact_shared: bool,
    pub engineer_jlpt: Option<String>,
    /// Certified (the box or a certificate number) or self-declared.
    pub engineer_jlpt_certified: bool,
    pub timeline: Vec<TimelineEntry>,
    /// The viewer's side, if they are one of the two.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub viewer: Option<Party>,
    /// Moves (stage or closing-reason codes) the viewer may make now.
    pub moves: Vec<String>,
    pub offer_salary_jpy: Option<i64>,
    pub visa_route: Option<String>,
    pub coe_issued_on: Option<NaiveDate>,
    pub coe_expires_on: Option<NaiveDate>,
    pub arrived_on: Option<NaiveDate>,
    pub today: NaiveDate,
}

/// A card on the pipeline board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardCard {
    pub id: i32,
    pub engineer_name: String,
    pub jlpt: Option<String>,
    pub jlpt_certified: bool,
    pub years_experience: i16,
    pub updated_at: DateTime<Utc>,
    pub clocks: Vec<Clock>,
}

/// A stage's column: how many applications are there, and the most recently moved ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage: String,
    pub count: u64,
    pub cards: Vec<BoardCard>,
}

/// A role's pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineBoard {
    pub role_id: i32,
    pub role_title_ja: Option<String>,
    pub role_title_en: Option<String>,
    pub columns: Vec<BoardColumn>,
    /// Closed applications by reason code.
    pub closed: Vec<(String, u64)>,
}

/// The signed-in user's applications: an engineer's own, or their organisation's (newest
/// activity first).
#[server(endpoint = "list_my_applications")]
pub async fn list_my_applications(
    role: Option<i32>,
    stage: Option<String>,
    open: Option<String>,
    page: Option<u64>,
) -> AppResult<MyApplications> {
    crate::auth::server::with_status(
        "list_my_applications",
        serde_json::Value::default,
        async move {
            use domain::account::UserRole;
            let (state, user) =
                crate::auth::server::require_role(&[UserRole::Engineer, UserRole::Employer])
                    .await?;
            let stage_code = stage.unwrap_or_default();
            let stage = match stage_code.trim() {
                "" => None,
                code => Some(domain::pipeline::Stage::parse(code).ok_or_else(|| {
                    crate::error::AppError::InvalidParameters(vec![
                        domain::validation::FieldError::new(
                            "stage",
                            domain::validation::Problem::NotAllowed,
                        ),
                    ])
                })?),
            };
            let open = match open.as_deref().map(str::trim) {
                None | Some("") => None,
                Some("open") => Some(true),
                Some("closed") => Some(false),
                Some(_) => {
                    return Err(crate::error::AppError::InvalidParameters(vec![
                        domain::validation::FieldError::new(
                            "open",
                            domain::validation::Problem::NotAllowed,
                        ),
                    ]))
                }
            };
            let page = page.unwrap_or(1).clamp(1, 10_000);
            let filter = super::server::ListFilter {
                role_id: role,
                stage,
                open,
                page: page - 1,
            };
            let total = super::server::count(&state.db, &user, &filter).await?;
            let rows = super::server::list(&state.db, &user, &filter).await?;
            Ok(MyApplications {
                rows,
                total,
                page,
                pages: total.div_ceil(super::server::PAGE_SIZE).max(1),
            })
        },
    )
    .await
}

/// One page of the user's applications, with the total under the filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplications {
    pub rows: Vec<ApplicationSummary>,
    pub total: u64,
    /// 1-based.
    pub page: u64,
    pub pages: u64,
}

/// One application with its timeline (its engineer, its organisation, or an administrator).
#[server(endpoint = "load_application")]
pub async fn load_application(id: i32) -> AppResult<ApplicationDetail> {
    crate::auth::server::with_status("load_application", serde_json::Value::default, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        super::server::detail(&state.db, &user, id, domain::time::japan_date(Utc::now())).await
    })
    .await
}

/// Applies to a role with a short note and, if the box is ticked (`share_contact` = `"on"`),
/// consent to share contact details with the employer; then shows the application.
#[server(endpoint = "apply_to_role")]
pub async fn apply_to_role(
    role_id: i32,
    note: String,
    share_contact: Option<String>,
) -> AppResult<i32> {
    let typed = serde_json::json!({ "note": note });
    crate::auth::server::with_status("apply_to_role", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Engineer]).await?;
        let lang = crate::auth::server::request_language();
        let share = share_contact.is_some_and(|v| v == "on" || v == "true");
        let id = super::server::apply(&state.db, &user, role_id, &note, share, lang).await?;
        leptos_axum::redirect(&format!("/applications/{id}"));
        Ok(id)
    })
    .await
}

/// Moves an application (the form names the version it was shown), then shows it again.
#[server(endpoint = "move_application")]
pub async fn move_application(id: i32, version: i32, draft: MoveDraft) -> AppResult<i32> {
    let typed = serde_json::to_value(&draft).unwrap_or_default();
    crate::auth::server::with_status("move_application", move || typed, async move {
        let (state, user) = crate::auth::server::require_user().await?;
        let today = domain::time::japan_date(Utc::now());
        super::server::make_move(&state.db, &user, id, Some(version), &draft, today).await?;
        leptos_axum::redirect(&format!("/applications/{id}"));
        Ok(id)
    })
    .await
}

/// A role's pipeline board (its organisation's employers only).
#[server(endpoint = "load_pipeline")]
pub async fn load_pipeline(role_id: i32) -> AppResult<PipelineBoard> {
    crate::auth::server::with_status("load_pipeline", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        super::server::board(
            &state.db,
            &user,
            role_id,
            domain::time::japan_date(Utc::now()),
        )
        .await
    })
    .await
}

/// What a bulk move did: the applications moved, and those refused with the reason's code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkMoveResult {
    pub moved: Vec<i32>,
    pub refused: Vec<(i32, String)>,
}

/// Moves the applications ticked on the board (or one dragged) to the same stage.
#[server(endpoint = "move_applications")]
pub async fn move_applications(
    role_id: i32,
    #[server(default)] ids: Vec<i32>,
    to: String,
    #[server(default)] note: String,
) -> AppResult<BulkMoveResult> {
    crate::auth::server::with_status(
        "move_applications",
        serde_json::Value::default,
        async move {
            use domain::account::UserRole;
            let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
            let draft = MoveDraft {
                to,
                note,
                ..MoveDraft::default()
            };
            super::server::move_many(
                &state.db,
                &user,
                role_id,
                &ids,
                &draft,
                domain::time::japan_date(Utc::now()),
            )
            .await
        },
    )
    .await
}

/// Invites a searchable engineer to apply to one of the organisation's open roles.
#[server(endpoint = "invite_candidate")]
pub async fn invite_candidate(role_id: i32, engineer_id: i32, message: String) -> AppResult<()> {
    let typed = serde_json::json!({ "message": message });
    crate::auth::server::with_status("invite_candidate", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Employer]).await?;
        super::server::invite(&state.db, &user, role_id, engineer_id, &message).await
    })
    .await
}
