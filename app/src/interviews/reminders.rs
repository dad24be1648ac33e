//! The reminder a day before an interview: every instance looks each minute for scheduled
//! interviews starting within [`domain::interview::REMINDER_BEFORE`]; each is claimed by
//! setting `reminder_sent` in the transaction that notifies both sides, so exactly one instance
//! sends it, and a process killed before its commit leaves it to the next look.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde_json::json;

use crate::applications::server::employer_users;
use crate::db::entities::{application, interview};
use crate::error::AppResult;
use crate::notifications::server::{notify, NotificationKind};

/// How often each instance looks.
pub const PERIOD: std::time::Duration = std::time::Duration::from_secs(60);

/// Interviews read per query.
const PAGE: u64 = 200;

/// Sends the reminders due at `now`; returns how many interviews this call reminded of.
pub async fn send_interview_reminders(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let due = interview::Entity::find()
        .filter(interview::Column::Status.eq("scheduled"))
        .filter(interview::Column::ReminderSent.eq(false))
        .filter(interview::Column::StartsAt.gt(now))
        .filter(interview::Column::StartsAt.lte(now + domain::interview::REMINDER_BEFORE))
        .order_by_asc(interview::Column::StartsAt)
        .limit(PAGE)
        .all(db)
        .await?;
    let mut sent = 0;
    for row in due {
        let Some(starts_at) = row.starts_at else {
            continue;
        };
        if !domain::interview::reminder_due(starts_at, now) {
            continue;
        }
        let Some(app) = application::Entity::find_by_id(row.application_id)
            .one(db)
            .await?
        else {
            continue;
        };
        let txn = db.begin().await?;
        let claimed = interview::Entity::update_many()
            .col_expr(interview::Column::ReminderSent, Expr::value(true))
            .filter(interview::Column::Id.eq(row.id))
            .filter(interview::Column::ReminderSent.eq(false))
            .filter(interview::Column::Version.eq(row.version))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            // another instance took it, or it changed since it was read
            continue;
        }
        let mut everyone = employer_users(&txn, app.organisation_id).await?;
        everyone.push(app.engineer_user_id);
        for person in everyone {
            notify(
                &txn,
                person,
                NotificationKind::InterviewReminder,
                Some(app.id),
                Some(app.role_id),
                &json!({ "interview": row.id, "starts_at": starts_at }),
            )
            .await?;
        }
        txn.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// Runs [`send_interview_reminders`] every [`PERIOD`] for as long as the server runs.
pub fn spawn_scheduler(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PERIOD);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(err) = send_interview_reminders(&db, Utc::now()).await {
                tracing::error!(error = %err, "interview reminders failed");
            }
        }
    });
}
