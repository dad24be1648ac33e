//! Erasure of an account, by its owner (who gives their password again) or by an administrator.
//!
//! What identifies the person is deleted: the profile, skills and languages, notes and messages
//! on their applications, invitations to them, notifications, consents, tokens and the mail to
//! them; the account row stays as a tombstone (no name, no address, no password) because the
//! programme's statistics count applications, and applications name their engineer. Those keep
//! what the dashboard counts — stage, dates, sector, prefecture, Indian state, JLPT — and nothing
//! else. Open applications close as withdrawn; employers whose application had reached an offer
//! are told. Every instance's search index forgets the person through the change log, every
//! session ends, and the audit log keeps the fact of the erasure (who, when), not the data.

use chrono::Utc;
use domain::account::UserRole;
use domain::pipeline::{ClosingReason, Party, Stage};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use serde_json::json;

use crate::applications::server::{employer_users, status_of};
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::auth::server::verify_password;
use crate::db::entities::{
    account_token, application, application_event, application_message, audit_log, consent,
    engineer_profile, interview, invitation, mail_job, message_attachment, notification,
    organisation_invitation, profile_language, profile_photo, profile_skill, saved_search, user,
    user_session,
};
use crate::error::{AppError, AppResult, Conflict};
use crate::indexing::change_log::{self, Queued};
use crate::notifications::server::{notify, NotificationKind};
use domain::validation::{FieldError, Problem};

/// Who asked for the erasure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasedBy {
    Owner,
    Administrator(i32),
}

/// The address an erased account keeps: unique, and never deliverable (`.invalid`).
pub fn tombstone_address(user_id: i32) -> String {
    format!("erased-{user_id}@erased.invalid")
}

/// The owner deletes their own account, giving their password again.
pub async fn erase_own_account(
    db: &DatabaseConnection,
    user: &CurrentUser,
    password: &str,
) -> AppResult<()> {
    let found = user::Entity::find_by_id(user.id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !verify_password(password.to_owned(), found.password_hash.clone()).await? {
        return Err(AppError::Validation(vec![FieldError::new(
            "password",
            Problem::WrongPassword,
        )]));
    }
    erase(db, user.id, ErasedBy::Owner).await
}

/// Erases the account `user_id` (see the module's documentation).
pub async fn erase(db: &DatabaseConnection, user_id: i32, by: ErasedBy) -> AppResult<()> {
    let txn = db.begin().await?;
    let found = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .filter(|u| u.erased_at.is_none())
        .ok_or(AppError::NotFound)?;
    if found.role == UserRole::Admin.code() {
        let other_admins = user::Entity::find()
            .filter(user::Column::Role.eq(UserRole::Admin.code()))
            .filter(user::Column::Suspended.eq(false))
            .filter(user::Column::ErasedAt.is_null())
            .filter(user::Column::Id.ne(user_id))
            .count(&txn)
            .await?;
        if other_admins == 0 {
            return Err(AppError::Conflict(Conflict::LastAdmin));
        }
    }
    let now = Utc::now();
    let applications = application::Entity::find()
        .filter(application::Column::EngineerUserId.eq(user_id))
        .all(&txn)
        .await?;
    let application_ids: Vec<i32> = applications.iter().map(|a| a.id).collect();
    // others' notifications about the person's applications named them (scrubbed before the
    // withdrawals add theirs, which name nobody)
    notification::Entity::update_many()
        .col_expr(notification::Column::Detail, Expr::value("{}"))
        .filter(notification::Column::ApplicationId.is_in(application_ids.clone()))
        .exec(&txn)
        .await?;
    for app in &applications {
        withdraw_if_open(&txn, app, now).await?;
    }
    // what the applications keep is what the programme counts
    strip_words(&txn, &application_ids, now).await?;
    notification::Entity::delete_many()
        .filter(notification::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    invitation::Entity::delete_many()
        .filter(invitation::Column::EngineerUserId.eq(user_id))
        .exec(&txn)
        .await?;
    profile_skill::Entity::delete_many()
        .filter(profile_skill::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    profile_language::Entity::delete_many()
        .filter(profile_language::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    profile_photo::Entity::delete_by_id(user_id)
        .exec(&txn)
        .await?;
    engineer_profile::Entity::delete_by_id(user_id)
        .exec(&txn)
        .await?;
    consent::Entity::delete_many()
        .filter(consent::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    saved_search::Entity::delete_many()
        .filter(saved_search::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    // what they wrote on others' applications stays for the other side, signed by nobody
    application_message::Entity::update_many()
        .col_expr(
            application_message::Column::SenderUserId,
            Expr::value(Option::<i32>::None),
        )
        .filter(application_message::Column::SenderUserId.eq(user_id))
        .exec(&txn)
        .await?;
    interview::Entity::update_many()
        .col_expr(
            interview::Column::ProposedBy,
            Expr::value(Option::<i32>::None),
        )
        .filter(interview::Column::ProposedBy.eq(user_id))
        .exec(&txn)
        .await?;
    account_token::Entity::delete_many()
        .filter(account_token::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    user_session::Entity::delete_many()
        .filter(user_session::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    // the invitation that brought the person in names their address
    organisation_invitation::Entity::delete_many()
        .filter(organisation_invitation::Column::Email.eq(found.email.clone()))
        .exec(&txn)
        .await?;
    forget_mail(&txn, &found).await?;
    // the audit entries about the person keep what happened, not what they wrote or were
    audit_log::Entity::update_many()
        .col_expr(audit_log::Column::Detail, Expr::value("{}"))
        .filter(
            Condition::any()
                .add(audit_log::Column::ActorUserId.eq(user_id))
                .add(
                    Condition::all()
                        .add(audit_log::Column::SubjectType.eq("user"))
                        .add(audit_log::Column::SubjectId.eq(user_id.to_string())),
                ),
        )
        .exec(&txn)
        .await?;
    user::ActiveModel {
        id: Set(user_id),
        email: Set(tombstone_address(user_id)),
        // no argon2 hash matches this: nobody can sign in
        password_hash: Set(String::new()),
        display_name: Set(String::new()),
        organisation_id: Set(None),
        suspended: Set(true),
        sessions_revoked_at: Set(Some(now)),
        erased_at: Set(Some(now)),
        email_verified_at: Set(None),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    change_log::record(&txn, Queued::Engineer, user_id).await?;
    let (actor, by_code) = match by {
        ErasedBy::Owner => (None, "owner"),
        ErasedBy::Administrator(admin) => (Some(admin), "administrator"),
    };
    audit::record(
        &txn,
        actor,
        "user.erased",
        "user",
        Some(user_id.to_string()),
        json!({ "by": by_code }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Closes an open application as withdrawn by the candidate; tells the organisation's members
/// when it had reached an offer (they were counting on the person).
async fn withdraw_if_open(
    txn: &DatabaseTransaction,
    app: &application::Model,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    let status = status_of(app)?;
    let withdraw = domain::pipeline::Target::Closed(ClosingReason::CandidateWithdrew);
    if domain::pipeline::check_move(status, Party::Engineer, withdraw).is_err() {
        return Ok(()); // closed, arrived, or registered: nothing to withdraw
    }
    application::Entity::update_many()
        .col_expr(
            application::Column::ClosedReason,
            Expr::value(ClosingReason::CandidateWithdrew.code()),
        )
        .col_expr(
            application::Column::Version,
            Expr::col(application::Column::Version).add(1),
        )
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .col_expr(application::Column::StageChangedAt, Expr::value(now))
        .filter(application::Column::Id.eq(app.id))
        .exec(txn)
        .await?;
    application_event::ActiveModel {
        application_id: Set(app.id),
        from_stage: Set(Some(status.stage.code().to_owned())),
        to_stage: Set(status.stage.code().to_owned()),
        closed_reason: Set(Some(ClosingReason::CandidateWithdrew.code().to_owned())),
        actor_user_id: Set(None),
        actor_party: Set(Party::Engineer.code().to_owned()),
        note: Set(None),
        details: Set("{}".to_owned()),
        occurred_on: Set(domain::time::japan_date(now)),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    if status.stage >= Stage::OfferExtended {
        let detail = json!({ "to": ClosingReason::CandidateWithdrew.code() });
        for member in employer_users(txn, app.organisation_id).await? {
            notify(
                txn,
                member,
                NotificationKind::ApplicationMoved,
                Some(app.id),
                Some(app.role_id),
                &detail,
            )
            .await?;
        }
    }
    Ok(())
}

/// Deletes the mail to the person, and mail to others about them (a reminder about their
/// certificate to their employer, say), sent or not.
async fn forget_mail(txn: &DatabaseTransaction, found: &user::Model) -> AppResult<()> {
    mail_job::Entity::delete_many()
        .filter(
            Condition::any()
                .add(mail_job::Column::UserId.eq(found.id))
                .add(mail_job::Column::AboutUserId.eq(found.id))
                .add(mail_job::Column::ToAddress.eq(found.email.clone())),
        )
        .exec(txn)
        .await?;
    Ok(())
}

/// Removes the words from applications — the cover note, every note, message and detail of
/// their events — and the consent to share contact details, keeping the stages, dates and
/// counted dimensions; marks them anonymised. Erasure and retention both come here.
pub(super) async fn strip_words(
    txn: &DatabaseTransaction,
    application_ids: &[i32],
    now: chrono::DateTime<Utc>,
) -> AppResult<u64> {
    application_event::Entity::update_many()
        .col_expr(
            application_event::Column::Note,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            application_event::Column::Message,
            Expr::value(Option::<String>::None),
        )
        .col_expr(application_event::Column::Details, Expr::value("{}"))
        .filter(application_event::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .exec(txn)
        .await?;
    // the conversation goes with the words: messages, their files, what interviews said
    let messages: Vec<i32> = application_message::Entity::find()
        .filter(application_message::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    message_attachment::Entity::delete_many()
        .filter(message_attachment::Column::MessageId.is_in(messages.iter().copied()))
        .exec(txn)
        .await?;
    application_message::Entity::delete_many()
        .filter(application_message::Column::Id.is_in(messages))
        .exec(txn)
        .await?;
    interview::Entity::update_many()
        .col_expr(
            interview::Column::Place,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            interview::Column::Reason,
            Expr::value(Option::<String>::None),
        )
        .filter(interview::Column::ApplicationId.is_in(application_ids.iter().copied()))
        .exec(txn)
        .await?;
    let changed = application::Entity::update_many()
        .col_expr(
            application::Column::CoverNote,
            Expr::value(Option::<String>::None),
        )
        .col_expr(application::Column::ContactShared, Expr::value(false))
        .col_expr(application::Column::AnonymisedAt, Expr::value(now))
        .filter(application::Column::Id.is_in(application_ids.iter().copied()))
        .exec(txn)
        .await?;
    Ok(changed.rows_affected)
}
