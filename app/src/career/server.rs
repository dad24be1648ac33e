//! Reading and writing an engineer's career, stored whole on their profile row.

use domain::career::Career;
use domain::documents::DocumentDetails;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait,
};
use serde_json::json;

use crate::audit;
use crate::db::entities::engineer_profile;
use crate::error::{AppError, AppResult};

/// The engineer's career; `NotFound` until they have saved a profile (the career belongs to it).
pub async fn load(db: &impl ConnectionTrait, user_id: i32) -> AppResult<Career> {
    Ok(engineer_profile::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?
        .career())
}

/// Replaces the engineer's career, re-indexes the profile (job descriptions are searched, and
/// the jobs' skills give the skills' years) and records it in the audit log, in one transaction.
pub async fn save(db: &DatabaseConnection, user_id: i32, career: &Career) -> AppResult<()> {
    let txn = db.begin().await?;
    let profile = engineer_profile::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut row: engineer_profile::ActiveModel = profile.into();
    row.career = Set(serde_json::to_string(career).map_err(|_| AppError::Internal)?);
    row.updated_at = Set(chrono::Utc::now());
    row.update(&txn).await?;
    crate::indexing::enqueue(&txn, crate::indexing::Queued::Engineer, user_id).await?;
    audit::record(
        &txn,
        Some(user_id),
        "profile.career_saved",
        "engineer_profile",
        Some(user_id.to_string()),
        json!({
            "education": career.education.len(),
            "employment": career.employment.len(),
            "qualifications": career.qualifications.len(),
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The documents' personal block and free-text boxes; `NotFound` until a profile is saved.
pub async fn load_details(db: &impl ConnectionTrait, user_id: i32) -> AppResult<DocumentDetails> {
    Ok(engineer_profile::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?
        .document_details())
}

/// Replaces the documents' details, audited, in one transaction.
pub async fn save_details(
    db: &DatabaseConnection,
    user_id: i32,
    details: &DocumentDetails,
) -> AppResult<()> {
    let txn = db.begin().await?;
    let profile = engineer_profile::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut row: engineer_profile::ActiveModel = profile.into();
    row.documents = Set(serde_json::to_string(details).map_err(|_| AppError::Internal)?);
    row.updated_at = Set(chrono::Utc::now());
    row.update(&txn).await?;
    audit::record(
        &txn,
        Some(user_id),
        "profile.documents_saved",
        "engineer_profile",
        Some(user_id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
