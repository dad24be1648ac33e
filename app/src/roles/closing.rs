//! Closing a role, by hand (its "open" box unticked) or when its closing date has passed:
//! every open application at or before the interview closes with the reason "position filled
//! or closed" (`ClosingReason::RoleClosed`), each applicant is told, and the role leaves the
//! index. Applications past the interview (an offer made) stay open: they are the employer's
//! to finish.
//!
//! The date sweep runs on every instance; each role is claimed by the guarded update that
//! closes it, in the transaction that closes its applications, so one instance does it once and
//! a process killed before its commit leaves it for the next look.

use chrono::Utc;
use domain::pipeline::{self, ClosingReason, Party, Target};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use crate::applications::server::status_of;
use crate::audit;
use crate::db::entities::{application, application_event, role};
use crate::error::AppResult;
use crate::notifications::server::{notify, NotificationKind};

/// How often each instance looks for roles past their closing date.
pub const PERIOD: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Roles closed per look.
const PAGE: u64 = 200;

/// Who closed the role: a member (by hand) or the calendar.
#[derive(Debug, Clone)]
pub struct ClosedBy {
    pub user_id: Option<i32>,
    pub name: Option<String>,
}

/// Closes the role's open applications at or before the interview, inside the caller's
/// transaction; returns how many closed.
pub async fn close_applications(
    txn: &impl ConnectionTrait,
    role_id: i32,
    by: &ClosedBy,
) -> AppResult<u64> {
    let now = Utc::now();
    let open = application::Entity::find()
        .filter(application::Column::RoleId.eq(role_id))
        .filter(application::Column::ClosedReason.is_null())
        .all(txn)
        .await?;
    let target = Target::Closed(ClosingReason::RoleClosed);
    let mut closed = 0;
    for app in open {
        let status = status_of(&app)?;
        if pipeline::check_move(status, Party::Employer, target).is_err() {
            continue; // past the interview: an offer stands
        }
        let changed = application::Entity::update_many()
            .col_expr(
                application::Column::ClosedReason,
                Expr::value(ClosingReason::RoleClosed.code()),
            )
            .col_expr(
                application::Column::Version,
                Expr::col(application::Column::Version).add(1),
            )
            .col_expr(application::Column::UpdatedAt, Expr::value(now))
            .col_expr(application::Column::StageChangedAt, Expr::value(now))
            .filter(application::Column::Id.eq(app.id))
            .filter(application::Column::Version.eq(app.version))
            .exec(txn)
            .await?;
        if changed.rows_affected == 0 {
            continue; // moved meanwhile: the mover's transaction decides
        }
        application_event::ActiveModel {
            application_id: Set(app.id),
            from_stage: Set(Some(status.stage.code().to_owned())),
            to_stage: Set(status.stage.code().to_owned()),
            closed_reason: Set(Some(ClosingReason::RoleClosed.code().to_owned())),
            actor_user_id: Set(by.user_id),
            actor_party: Set(Party::Employer.code().to_owned()),
            note: Set(None),
            message: Set(None),
            details: Set("{}".to_owned()),
            occurred_on: Set(domain::time::japan_date(now)),
            recorded_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        notify(
            txn,
            app.engineer_user_id,
            NotificationKind::ApplicationMoved,
            Some(app.id),
            Some(role_id),
            &json!({ "to": ClosingReason::RoleClosed.code(), "who": by.name }),
        )
        .await?;
        closed += 1;
    }
    Ok(closed)
}

/// Closes every open role whose closing date is before Japan's `today`; returns how many
/// roles this call closed.
pub async fn close_past_their_date(
    db: &DatabaseConnection,
    today: chrono::NaiveDate,
) -> AppResult<u64> {
    let due = role::Entity::find()
        .filter(role::Column::IsOpen.eq(true))
        .filter(role::Column::ClosesOn.lt(today))
        .order_by_asc(role::Column::Id)
        .limit(PAGE)
        .all(db)
        .await?;
    let mut closed = 0;
    for found in due {
        if !domain::role::closing_date_passed(found.closes_on, today) {
            continue;
        }
        let txn = db.begin().await?;
        let claimed = role::Entity::update_many()
            .col_expr(role::Column::IsOpen, Expr::value(false))
            .col_expr(role::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(role::Column::Id.eq(found.id))
            .filter(role::Column::IsOpen.eq(true))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let by = ClosedBy {
            user_id: None,
            name: None,
        };
        let applications = close_applications(&txn, found.id, &by).await?;
        crate::indexing::enqueue(&txn, crate::indexing::Queued::Role, found.id).await?;
        audit::record(
            &txn,
            None,
            "role.closed_by_date",
            "role",
            Some(found.id.to_string()),
            json!({ "closes_on": found.closes_on, "applications_closed": applications }),
        )
        .await?;
        txn.commit().await?;
        closed += 1;
    }
    Ok(closed)
}

/// Runs [`close_past_their_date`] every [`PERIOD`] for as long as the server runs.
pub fn spawn_scheduler(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PERIOD);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let today = domain::time::japan_date(Utc::now());
            if let Err(err) = close_past_their_date(&db, today).await {
                tracing::error!(error = %err, "closing roles by date failed");
            }
        }
    });
}
