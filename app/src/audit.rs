//! The append-only audit log: who did what, when, to which record.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use crate::db::entities::audit_log;

/// Records one action. Called inside the same transaction as the change it describes, so the
/// log never claims a change that was rolled back.
pub async fn record(
    db: &impl ConnectionTrait,
    actor_user_id: Option<i32>,
    action: &str,
    subject_type: &str,
    subject_id: Option<String>,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        actor_user_id: Set(actor_user_id),
        action: Set(action.to_owned()),
        subject_type: Set(subject_type.to_owned()),
        subject_id: Set(subject_id),
        detail: Set(detail.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}
