//! Interviews in the database. Each function finds the application as the caller may see it
//! first (anyone else is told it does not exist), then asks `domain::interview` whether the
//! caller's side may act; a pick names the version it saw, so two tabs cannot both pick.

use chrono::Utc;
use domain::account::UserRole;
use domain::interview::{
    self as rules, describe_slot, InterviewAction, InterviewStatus, ProposalDraft, Zone,
};
use domain::pipeline::{Party, Stage};
use domain::validation::{FieldError, Problem};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use super::api::{InterviewView, Interviews, SlotView};
use crate::applications::server::{employer_users, find_visible, status_of};
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::db::entities::{application, interview, interview_slot};
use crate::error::{AppError, AppResult, Conflict};
use crate::notifications::server::{notify, NotificationKind};
use crate::state::AppState;

/// Interviews kept per application (cancelled ones count: the record stays).
pub const MAX_PER_APPLICATION: u64 = 20;

/// The interviews an application shows: the latest ones.
const LISTED: u64 = 20;

fn party_of(side: Option<Party>) -> AppResult<Party> {
    // an administrator looks, never acts
    side.ok_or(AppError::Forbidden)
}

/// Whether an application is still at a point where interviews are arranged.
fn open_for_interviews(app: &application::Model) -> AppResult<()> {
    let status = status_of(app)?;
    let before_offer_accepted = matches!(
        status.stage,
        Stage::Applied
            | Stage::Screening
            | Stage::Shortlisted
            | Stage::Interview
            | Stage::OfferExtended
    );
    if status.closed.is_some() || !before_offer_accepted || app.anonymised_at.is_some() {
        return Err(AppError::Conflict(Conflict::Finished));
    }
    Ok(())
}

fn slot_view(at: chrono::DateTime<Utc>, id: i32, side: Option<Party>) -> SlotView {
    SlotView {
        id,
        starts_at: at,
        // an administrator reads as the employer does, in Japan time
        label: describe_slot(at, side.unwrap_or(Party::Employer), None),
    }
}

fn view_of(
    row: &interview::Model,
    slots: &[interview_slot::Model],
    side: Option<Party>,
) -> InterviewView {
    let status = InterviewStatus::parse(&row.status).unwrap_or(InterviewStatus::Cancelled);
    let allowed =
        |action: InterviewAction| side.is_some_and(|party| rules::may(party, &action, status));
    InterviewView {
        id: row.id,
        application_id: row.application_id,
        status: row.status.clone(),
        format: row.format.clone(),
        place: row.place.clone(),
        minutes: row.minutes,
        slots: if status == InterviewStatus::Proposed {
            slots
                .iter()
                .map(|s| slot_view(s.starts_at, s.id, side))
                .collect()
        } else {
            Vec::new()
        },
        scheduled: row.starts_at.map(|at| slot_view(at, 0, side)),
        reason: row.reason.clone(),
        version: row.version,
        can_pick: allowed(InterviewAction::Pick),
        can_reschedule: allowed(InterviewAction::Reschedule),
        can_cancel: allowed(InterviewAction::Cancel),
        updated_at: row.updated_at,
    }
}

/// An application's interviews as `user` may see them.
pub async fn list(
    db: &DatabaseConnection,
    user: &CurrentUser,
    application_id: i32,
) -> AppResult<Interviews> {
    let (app, side) = find_visible(db, user, application_id).await?;
    if user.role == UserRole::Admin {
        audit::record(
            db,
            Some(user.id),
            "admin.read_interviews",
            "application",
            Some(application_id.to_string()),
            json!({}),
        )
        .await?;
    }
    let rows = interview::Entity::find()
        .filter(interview::Column::ApplicationId.eq(application_id))
        .order_by_desc(interview::Column::Id)
        .limit(LISTED)
        .all(db)
        .await?;
    let slots = interview_slot::Entity::find()
        .filter(interview_slot::Column::InterviewId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(interview_slot::Column::StartsAt)
        .all(db)
        .await?;
    Ok(Interviews {
        interviews: rows
            .iter()
            .map(|r| {
                let own: Vec<interview_slot::Model> = slots
                    .iter()
                    .filter(|s| s.interview_id == r.id)
                    .cloned()
                    .collect();
                view_of(r, &own, side)
            })
            .collect(),
        can_propose: side == Some(Party::Employer) && open_for_interviews(&app).is_ok(),
    })
}

/// One interview with its application, as `user` may see it.
pub async fn find_visible_interview(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    interview_id: i32,
) -> AppResult<(interview::Model, application::Model, Option<Party>)> {
    let row = interview::Entity::find_by_id(interview_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (app, side) = find_visible(db, user, row.application_id).await?;
    Ok((row, app, side))
}

async fn insert_slots(
    db: &impl ConnectionTrait,
    interview_id: i32,
    slots: &[chrono::DateTime<Utc>],
) -> AppResult<()> {
    interview_slot::Entity::delete_many()
        .filter(interview_slot::Column::InterviewId.eq(interview_id))
        .exec(db)
        .await?;
    for at in slots {
        interview_slot::ActiveModel {
            interview_id: Set(interview_id),
            starts_at: Set(*at),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The employer proposes times for a new interview; returns its id.
pub async fn propose(
    state: &AppState,
    user: &CurrentUser,
    application_id: i32,
    draft: &ProposalDraft,
) -> AppResult<i32> {
    let db = &state.db;
    let (app, side) = find_visible(db, user, application_id).await?;
    if party_of(side)? != Party::Employer {
        return Err(AppError::NotYourMove);
    }
    open_for_interviews(&app)?;
    let now = Utc::now();
    let proposal = rules::check_proposal(draft, now).map_err(AppError::Validation)?;
    let kept = interview::Entity::find()
        .filter(interview::Column::ApplicationId.eq(application_id))
        .count(db)
        .await?;
    if kept >= MAX_PER_APPLICATION {
        return Err(AppError::Validation(vec![FieldError::new(
            "slots",
            Problem::TooLong,
        )]));
    }
    let txn = db.begin().await?;
    let saved = interview::ActiveModel {
        application_id: Set(application_id),
        status: Set(InterviewStatus::Proposed.code().to_owned()),
        format: Set(proposal.format.code().to_owned()),
        place: Set(proposal.place.clone()),
        minutes: Set(proposal.minutes as i32),
        starts_at: Set(None),
        reason: Set(None),
        proposed_by: Set(Some(user.id)),
        version: Set(1),
        reminder_sent: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_slots(&txn, saved.id, &proposal.slots).await?;
    notify(
        &txn,
        app.engineer_user_id,
        NotificationKind::InterviewProposed,
        Some(application_id),
        Some(app.role_id),
        &json!({ "who": user.display_name, "interview": saved.id }),
    )
    .await?;
    audit::record(
        &txn,
        Some(user.id),
        "interview.proposed",
        "application",
        Some(application_id.to_string()),
        json!({ "interview": saved.id, "slots": proposal.slots.len() }),
    )
    .await?;
    txn.commit().await?;
    wake_mail(state);
    Ok(saved.id)
}

fn wake_mail(state: &AppState) {
    if let Some(mail) = &state.mail {
        mail.wake();
    }
}

/// Claims the interview at the version read, bumping it: `false` when someone changed it
/// meanwhile.
async fn claim(db: &impl ConnectionTrait, row: &interview::Model, version: i32) -> AppResult<bool> {
    let claimed = interview::Entity::update_many()
        .col_expr(interview::Column::Version, Expr::value(version + 1))
        .col_expr(interview::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(interview::Column::Id.eq(row.id))
        .filter(interview::Column::Version.eq(version))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

fn check_may(party: Party, action: InterviewAction, row: &interview::Model) -> AppResult<()> {
    let status = InterviewStatus::parse(&row.status).ok_or(AppError::Internal)?;
    if rules::may(party, &action, status) {
        return Ok(());
    }
    // the other side's action, or one the interview's state no longer takes
    let anyone_may = [Party::Engineer, Party::Employer]
        .into_iter()
        .any(|p| rules::may(p, &action, status));
    if anyone_may {
        Err(AppError::NotYourMove)
    } else {
        Err(AppError::Conflict(Conflict::Finished))
    }
}

/// The employer proposes new times for an interview (proposed or scheduled), with a reason.
pub async fn reschedule(
    state: &AppState,
    user: &CurrentUser,
    interview_id: i32,
    draft: &ProposalDraft,
    reason: &str,
) -> AppResult<i32> {
    let db = &state.db;
    let (row, app, side) = find_visible_interview(db, user, interview_id).await?;
    let party = party_of(side)?;
    check_may(party, InterviewAction::Reschedule, &row)?;
    open_for_interviews(&app)?;
    let now = Utc::now();
    let mut errors = Vec::new();
    let proposal = rules::check_proposal(draft, now)
        .map_err(|e| errors.extend(e))
        .ok();
    let reason = rules::check_reason(reason)
        .map_err(|p| errors.push(FieldError::new("reason", p)))
        .ok();
    let (Some(proposal), Some(reason)) = (proposal, reason) else {
        return Err(AppError::Validation(errors));
    };
    let txn = db.begin().await?;
    if !claim(&txn, &row, row.version).await? {
        return Err(AppError::Conflict(Conflict::ChangedMeanwhile));
    }
    interview::Entity::update_many()
        .col_expr(
            interview::Column::Status,
            Expr::value(InterviewStatus::Proposed.code()),
        )
        .col_expr(
            interview::Column::Format,
            Expr::value(proposal.format.code()),
        )
        .col_expr(
            interview::Column::Place,
            Expr::value(proposal.place.clone()),
        )
        .col_expr(
            interview::Column::Minutes,
            Expr::value(proposal.minutes as i32),
        )
        .col_expr(
            interview::Column::StartsAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(interview::Column::Reason, Expr::value(Some(reason.clone())))
        .col_expr(interview::Column::ReminderSent, Expr::value(false))
        .filter(interview::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    insert_slots(&txn, row.id, &proposal.slots).await?;
    notify(
        &txn,
        app.engineer_user_id,
        NotificationKind::InterviewProposed,
        Some(app.id),
        Some(app.role_id),
        &json!({ "who": user.display_name, "interview": row.id, "message": reason }),
    )
    .await?;
    audit::record(
        &txn,
        Some(user.id),
        "interview.rescheduled",
        "application",
        Some(app.id.to_string()),
        json!({ "interview": row.id, "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    wake_mail(state);
    Ok(row.id)
}

/// The engineer picks a proposed time, as of the `version` they saw. Both sides are told, and
/// each one's e-mail carries the `.ics` invitation.
pub async fn pick(
    state: &AppState,
    user: &CurrentUser,
    interview_id: i32,
    slot_id: i32,
    version: i32,
) -> AppResult<()> {
    let db = &state.db;
    let (row, app, side) = find_visible_interview(db, user, interview_id).await?;
    let party = party_of(side)?;
    check_may(party, InterviewAction::Pick, &row)?;
    let slot = interview_slot::Entity::find_by_id(slot_id)
        .filter(interview_slot::Column::InterviewId.eq(interview_id))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new("slot_id", Problem::NotAllowed)])
        })?;
    if slot.starts_at <= Utc::now() {
        return Err(AppError::Validation(vec![FieldError::new(
            "slot_id",
            Problem::SlotInPast,
        )]));
    }
    let txn = db.begin().await?;
    if !claim(&txn, &row, version).await? {
        return Err(AppError::Conflict(Conflict::ChangedMeanwhile));
    }
    interview::Entity::update_many()
        .col_expr(
            interview::Column::Status,
            Expr::value(InterviewStatus::Scheduled.code()),
        )
        .col_expr(
            interview::Column::StartsAt,
            Expr::value(Some(slot.starts_at)),
        )
        .col_expr(interview::Column::ReminderSent, Expr::value(false))
        .filter(interview::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    let detail = json!({ "who": user.display_name, "interview": row.id });
    let mut everyone = employer_users(&txn, app.organisation_id).await?;
    everyone.push(app.engineer_user_id);
    for person in everyone {
        notify(
            &txn,
            person,
            NotificationKind::InterviewScheduled,
            Some(app.id),
            Some(app.role_id),
            &detail,
        )
        .await?;
    }
    audit::record(
        &txn,
        Some(user.id),
        "interview.scheduled",
        "application",
        Some(app.id.to_string()),
        json!({ "interview": row.id, "starts_at": slot.starts_at }),
    )
    .await?;
    txn.commit().await?;
    wake_mail(state);
    Ok(())
}

/// Either side calls the interview off, with a reason; the other side is told.
pub async fn cancel(
    state: &AppState,
    user: &CurrentUser,
    interview_id: i32,
    reason: &str,
) -> AppResult<()> {
    let db = &state.db;
    let (row, app, side) = find_visible_interview(db, user, interview_id).await?;
    let party = party_of(side)?;
    check_may(party, InterviewAction::Cancel, &row)?;
    let reason = rules::check_reason(reason)
        .map_err(|p| AppError::Validation(vec![FieldError::new("reason", p)]))?;
    let txn = db.begin().await?;
    if !claim(&txn, &row, row.version).await? {
        return Err(AppError::Conflict(Conflict::ChangedMeanwhile));
    }
    interview::Entity::update_many()
        .col_expr(
            interview::Column::Status,
            Expr::value(InterviewStatus::Cancelled.code()),
        )
        .col_expr(interview::Column::Reason, Expr::value(Some(reason.clone())))
        .filter(interview::Column::Id.eq(row.id))
        .exec(&txn)
        .await?;
    let others = match party {
        Party::Engineer => employer_users(&txn, app.organisation_id).await?,
        Party::Employer => vec![app.engineer_user_id],
    };
    let detail = json!({ "who": user.display_name, "interview": row.id, "message": reason });
    for person in others.into_iter().filter(|p| *p != user.id) {
        notify(
            &txn,
            person,
            NotificationKind::InterviewCancelled,
            Some(app.id),
            Some(app.role_id),
            &detail,
        )
        .await?;
    }
    audit::record(
        &txn,
        Some(user.id),
        "interview.cancelled",
        "application",
        Some(app.id.to_string()),
        json!({ "interview": row.id, "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    wake_mail(state);
    Ok(())
}

/// The `.ics` of a scheduled interview, for `user` on either side.
pub async fn invitation(
    db: &DatabaseConnection,
    user: &CurrentUser,
    interview_id: i32,
    public_url: &str,
) -> AppResult<String> {
    let (row, app, _) = find_visible_interview(db, user, interview_id).await?;
    let event = super::ics::EventFacts::load(db, &row, &app, public_url)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(super::ics::calendar(&event))
}

/// The zone an interview's times are typed in by the employer.
pub const PROPOSED_IN: Zone = Zone::Jst;
