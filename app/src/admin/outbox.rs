//! The outgoing mail as administrators see it: messages that failed (after every retry), are
//! waiting, or went out — addressee, kind, attempts and the last error, never the body — with a
//! retry for a failed one. Reading it is reading people's addresses: it is audited.

use chrono::Utc;
use domain::validation::{FieldError, Problem};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::api::{MailJobPage, MailJobRow};
use crate::audit;
use crate::db::entities::mail_job;
use crate::error::{AppError, AppResult};
use crate::mail::sender::{FAILED, QUEUED, SENDING, SENT};

/// Messages per page.
pub const PAGE_SIZE: u64 = 50;

/// A page of the messages with `status` (empty: every status), newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    admin_id: i32,
    status: &str,
    page: u64,
) -> AppResult<MailJobPage> {
    let status = status.trim();
    if !["", FAILED, QUEUED, SENDING, SENT].contains(&status) {
        return Err(AppError::Validation(vec![FieldError::new(
            "status",
            Problem::NotAllowed,
        )]));
    }
    if page > 100_000 {
        return Err(AppError::Validation(vec![FieldError::new(
            "page",
            Problem::OutOfRange,
        )]));
    }
    audit::record(
        db,
        Some(admin_id),
        "admin.read_mail",
        "mail",
        None,
        json!({ "status": status, "page": page }),
    )
    .await?;
    let mut query = mail_job::Entity::find();
    if !status.is_empty() {
        query = query.filter(mail_job::Column::Status.eq(status));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(mail_job::Column::Id)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?
        .into_iter()
        .map(|m| MailJobRow {
            id: m.id,
            kind: m.kind,
            to_address: m.to_address,
            status: m.status,
            attempts: m.attempts,
            last_error: m.last_error,
            created_at: m.created_at,
            next_attempt_at: m.next_attempt_at,
            sent_at: m.sent_at,
        })
        .collect();
    Ok(MailJobPage {
        rows,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}

/// Sends a failed message again from its first attempt (the SMTP server was fixed, say).
pub async fn retry(db: &impl ConnectionTrait, admin_id: i32, id: i64) -> AppResult<()> {
    let retried = mail_job::Entity::update_many()
        .col_expr(mail_job::Column::Status, Expr::value(QUEUED))
        .col_expr(mail_job::Column::Attempts, Expr::value(0))
        .col_expr(mail_job::Column::NextAttemptAt, Expr::value(Utc::now()))
        .filter(mail_job::Column::Id.eq(id))
        .filter(mail_job::Column::Status.eq(FAILED))
        .exec(db)
        .await?;
    if retried.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        db,
        Some(admin_id),
        "admin.retried_mail",
        "mail",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    Ok(())
}
