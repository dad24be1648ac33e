//! Storing and reading notifications. They are written inside the transaction of the change
//! they announce, so nobody hears of a move that was rolled back.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::api::NotificationView;
use crate::db::entities::{notification, role};
use crate::error::{AppError, AppResult};

/// What a notification announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// An engineer applied to one of the organisation's roles.
    ApplicationReceived,
    /// The other side moved an application.
    ApplicationMoved,
    /// An employer invited the engineer to apply.
    Invited,
    /// An administrator verified the employer's organisation.
    OrganisationVerified,
    /// An administrator rejected the employer's organisation, with a reason.
    OrganisationRejected,
    /// Log-ins to the account are being slowed: wrong passwords from many addresses.
    LoginThrottled,
    /// The other side of an application wrote a message.
    MessageReceived,
    /// The employer proposed interview times (or new ones).
    InterviewProposed,
    /// The engineer picked an interview time.
    InterviewScheduled,
    /// The other side cancelled an interview.
    InterviewCancelled,
    /// An interview starts within a day.
    InterviewReminder,
    /// A saved search found new results.
    SearchAlert,
}

impl NotificationKind {
    pub fn code(self) -> &'static str {
        match self {
            NotificationKind::ApplicationReceived => "application_received",
            NotificationKind::ApplicationMoved => "application_moved",
            NotificationKind::Invited => "invited",
            NotificationKind::OrganisationVerified => "organisation_verified",
            NotificationKind::OrganisationRejected => "organisation_rejected",
            NotificationKind::LoginThrottled => "login_throttled",
            NotificationKind::MessageReceived => "message_received",
            NotificationKind::InterviewProposed => "interview_proposed",
            NotificationKind::InterviewScheduled => "interview_scheduled",
            NotificationKind::InterviewCancelled => "interview_cancelled",
            NotificationKind::InterviewReminder => "interview_reminder",
            NotificationKind::SearchAlert => "search_alert",
        }
    }
}

/// How many notifications a page shows.
pub const LIST_LIMIT: u64 = 50;

pub async fn notify(
    db: &impl ConnectionTrait,
    user_id: i32,
    kind: NotificationKind,
    application_id: Option<i32>,
    role_id: Option<i32>,
    detail: &serde_json::Value,
) -> AppResult<()> {
    notification::ActiveModel {
        user_id: Set(user_id),
        kind: Set(kind.code().to_owned()),
        application_id: Set(application_id),
        role_id: Set(role_id),
        detail: Set(detail.to_string()),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn unread_count(db: &impl ConnectionTrait, user_id: i32) -> AppResult<u64> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// The user's latest notifications, newest first, with the titles of the roles they concern.
/// One page of the user's notifications, newest first, older than `before` (a notification id)
/// when given; with the id to ask the next page with, when there are older ones. Keyset paging:
/// a notification arriving while one reads does not shift the pages.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: i32,
    before: Option<i32>,
) -> AppResult<super::api::NotificationsPage> {
    let mut query = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if let Some(before) = before {
        query = query.filter(notification::Column::Id.lt(before));
    }
    let mut rows = query
        .order_by_desc(notification::Column::Id)
        .limit(LIST_LIMIT + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > LIST_LIMIT;
    rows.truncate(LIST_LIMIT as usize);
    let next_before = rows.last().filter(|_| more).map(|n| n.id);
    let role_ids: Vec<i32> = rows.iter().filter_map(|n| n.role_id).collect();
    let roles: std::collections::HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(role_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(super::api::NotificationsPage {
        notifications: rows
            .iter()
            .map(|n| NotificationView::from_row(n, n.role_id.and_then(|id| roles.get(&id))))
            .collect(),
        next_before,
    })
}

/// Marks all of the user's notifications read; returns how many were unread.
pub async fn mark_all_read(db: &impl ConnectionTrait, user_id: i32) -> AppResult<u64> {
    let result = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Some(Utc::now())))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await
        .map_err(AppError::from)?;
    Ok(result.rows_affected)
}
