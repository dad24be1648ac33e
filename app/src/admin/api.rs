//! Server functions and the types they exchange for the administrators' area. The dashboard's
//! [`ProgrammeSummary`] is also the JSON API's `GET /api/v1/programme/summary`.

use chrono::{DateTime, NaiveDate, Utc};
use domain::programme::{Progress, SettingsDraft};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppResult;

/// The dashboard's filters, as its query string carries them (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct DashboardFilters {
    /// Applications made on or after this day (`YYYY-MM-DD`).
    pub from: String,
    /// Applications made on or before this day.
    pub to: String,
    /// A sector code.
    pub sector: String,
    /// An Indian state code.
    pub state: String,
    /// A prefecture code (of the role).
    pub prefecture: String,
    /// `N5`..`N1`, or `none`.
    pub jlpt: String,
    /// A visa route code.
    pub route: String,
}

/// Counted people in one month, with the month's share of the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthCount {
    pub month: NaiveDate,
    pub people: u64,
    pub cumulative: u64,
    pub target_cumulative: f64,
}

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FunnelRow {
    pub stage: String,
    /// Applications that reached this stage or went beyond it.
    pub reached: u64,
    /// Applications open at this stage now.
    pub open_now: u64,
    /// `reached` of this stage over `reached` of the previous one.
    pub conversion: f64,
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BreakdownRow {
    /// The code (sector, state, prefecture, JLPT level, visa route) or employer id.
    pub key: String,
    /// A display name, for employers.
    pub name: Option<String>,
    pub applications: u64,
    pub offers: u64,
    pub counted: u64,
}

/// The funnel and the counted people by one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Breakdown {
    /// `sector`, `state`, `prefecture`, `jlpt`, `route` or `employer`.
    pub dimension: String,
    pub rows: Vec<BreakdownRow>,
}

/// An application that needs someone's attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RiskRow {
    pub application_id: i32,
    /// The server's own, to name the row afresh on every view: never sent.
    #[serde(skip)]
    pub engineer_id: i32,
    /// The server's own, as `engineer_id`.
    #[serde(skip)]
    pub organisation_id: i32,
    pub engineer_name: String,
    pub organisation_name: String,
    pub stage: String,
    /// The deadline, or since when the application has waited.
    pub date: NaiveDate,
    /// Days left (negative: overdue) or days waiting.
    pub days: i64,
}

/// A list of applications at risk and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RiskList {
    pub total: u64,
    pub rows: Vec<RiskRow>,
}

/// Median days between key stages (`None` when nothing has got that far).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Medians {
    pub applied_to_offer: Option<i64>,
    pub offer_to_coe_issued: Option<i64>,
    pub coe_issued_to_arrival: Option<i64>,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProgrammeSummary {
    pub generated_on: NaiveDate,
    pub target_people: u32,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub counted_stage: String,
    pub counted_routes: Vec<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub progress: Progress,
    /// Programme years: (first day, target, counted).
    pub years: Vec<(NaiveDate, u32, u64)>,
    pub arrivals_by_month: Vec<MonthCount>,
    pub funnel: Vec<FunnelRow>,
    pub closed: Vec<(String, u64)>,
    pub medians: Medians,
    pub breakdowns: Vec<Breakdown>,
    pub coe_expiring: RiskList,
    pub registration_overdue: RiskList,
    pub stuck: RiskList,
}

/// An employer waiting for verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationItem {
    pub organisation_id: i32,
    pub name_ja: Option<String>,
    pub name_en: Option<String>,
    pub prefecture: String,
    pub sector: String,
    pub size: String,
    /// 法人番号, to look up at the National Tax Agency.
    pub corporate_number: Option<String>,
    pub website: Option<String>,
    pub created_at: DateTime<Utc>,
    pub contact_email: Option<String>,
    pub contact_name: Option<String>,
    pub roles: u64,
    /// The reason of an earlier rejection, since which the employer changed its details.
    pub earlier_rejection: Option<String>,
    /// What it claims for the points' employer items and how it sponsors hires.
    pub sponsorship: domain::sponsorship::Sponsorship,
}

/// A user as the administrators' list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub organisation: Option<String>,
    pub suspended: bool,
    pub created_at: DateTime<Utc>,
}

/// The audit log's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilters {
    /// An action, or its prefix (`application.`).
    pub action: String,
    /// Part of the actor's e-mail address.
    pub actor: String,
    /// `type` or `type:id`, e.g. `application:42`.
    pub subject: String,
    pub from: String,
    pub to: String,
    /// 1-based page of 100.
    pub page: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i32,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub detail: String,
}

/// A page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub page: u64,
    pub has_more: bool,
}

/// An outgoing message as administrators see it (never its body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailJobRow {
    pub id: i64,
    pub kind: String,
    pub to_address: String,
    /// `queued`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A page of outgoing messages, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailJobPage {
    pub rows: Vec<MailJobRow>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// Outgoing messages with `status` (empty: all), for administrators.
#[server(endpoint = "load_outbox")]
pub async fn load_outbox(status: String, page: u64) -> AppResult<MailJobPage> {
    crate::auth::server::with_status("load_outbox", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, admin) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
        super::outbox::list(&state.db, admin.id, &status, page).await
    })
    .await
}

/// Sends a failed message again.
#[server(endpoint = "retry_mail")]
pub async fn retry_mail(id: i64) -> AppResult<()> {
    crate::auth::server::with_status("retry_mail", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, admin) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
        super::outbox::retry(&state.db, admin.id, id).await?;
        state.wake_mail();
        leptos_axum::redirect("/admin/mail?status=failed");
        Ok(())
    })
    .await
}

/// The dashboard (administrators only).
#[server(endpoint = "load_programme")]
pub async fn load_programme(filters: DashboardFilters) -> AppResult<ProgrammeSummary> {
    crate::auth::server::with_status("load_programme", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, _) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
        state.programme_summary(&filters).await
    })
    .await
}

/// The programme's settings as the form shows them.
#[server(endpoint = "load_settings")]
pub async fn load_settings() -> AppResult<SettingsDraft> {
    crate::auth::server::with_status("load_settings", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, _) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
        let settings = super::server::settings(&state.db).await?;
        Ok(SettingsDraft::from_settings(&settings))
    })
    .await
}

#[server(endpoint = "save_settings")]
pub async fn save_settings(draft: SettingsDraft) -> AppResult<()> {
    let typed = serde_json::to_value(&draft).unwrap_or_default();
    crate::auth::server::with_status("save_settings", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
        let settings = draft.parse()?;
        super::server::save_settings(&state.db, user.id, &settings).await
    })
    .await
}

/// Employers waiting for verification, oldest first.
#[server(endpoint = "load_verification_queue")]
pub async fn load_verification_queue() -> AppResult<Vec<VerificationItem>> {
    crate::auth::server::with_status(
        "load_verification_queue",
        serde_json::Value::default,
        async move {
            use domain::account::UserRole;
            let (state, _) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
            super::server::verification_queue(&state.db).await
        },
    )
    .await
}

/// A page of verified employers (1-based), and whether another follows.
#[server(endpoint = "load_verified_organisations")]
pub async fn load_verified_organisations(page: u32) -> AppResult<(Vec<VerificationItem>, bool)> {
    crate::auth::server::with_status(
        "load_verified_organisations",
        serde_json::Value::default,
        async move {
            use domain::account::UserRole;
            let (state, _) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
            super::server::verified_organisations(&state.db, page).await
        },
    )
    .await
}

/// Approves an employer (`decision` = `approve`), rejects it with a reason (`reject`), or
/// withdraws an earlier verification with a reason (`withdraw`); the employer is notified.
#[server(endpoint = "decide_verification")]
pub async fn decide_verification(
    organisation_id: i32,
    decision: String,
    reason: String,
) -> AppResult<()> {
    // which card's form it was, for the page a plain post returns to
    let typed = serde_json::json!({
        "organisation_id": organisation_id,
        "decision": decision,
        "reason": reason,
    });
    crate::auth::server::with_status("decide_verification", move || typed, async move {
        use domain::account::UserRole;
        let (state, user) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
        super::server::decide_verification(&state.db, &user, organisation_id, &decision, &reason)
            .await?;
        // roles published or withdrawn are so in search when the administrator sees "done"
        state.indexer.sync().await;
        Ok(())
    })
    .await
}

/// Users whose e-mail or name contains `q`, optionally of one role.
#[server(endpoint = "find_users")]
pub async fn find_users(q: String, role: String) -> AppResult<Vec<UserRow>> {
    crate::auth::server::with_status("find_users", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, admin) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
        // an administrator's reads of personal data are on the record
        crate::audit::record(
            &state.db,
            Some(admin.id),
            "admin.read_users",
            "user",
            None,
            serde_json::json!({ "q": q, "role": role }),
        )
        .await?;
        super::server::find_users(&state.db, &q, &role).await
    })
    .await
}

/// Suspends (`suspend` = `true`) or reinstates a user.
#[server(endpoint = "set_suspended")]
pub async fn set_suspended(user_id: i32, suspend: bool) -> AppResult<()> {
    crate::auth::server::with_status("set_suspended", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, admin) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
        super::server::set_suspended(&state.db, &admin, user_id, suspend).await?;
        // out of search (or back in) when the administrator sees "done"
        state.indexer.sync().await;
        Ok(())
    })
    .await
}

/// The audit log, newest first, filtered.
#[server(endpoint = "load_audit")]
pub async fn load_audit(filters: AuditFilters) -> AppResult<AuditPage> {
    crate::auth::server::with_status("load_audit", serde_json::Value::default, async move {
        use domain::account::UserRole;
        let (state, _) = crate::auth::server::require_role(&[UserRole::Admin]).await?;
        super::server::audit(&state.db, &filters).await
    })
    .await
}
