//! "Download my data": everything held about a person, as one JSON document (UTF-8), keyed by
//! table, each row as stored — except secrets that are not the person's data but keys to it
//! (the password's hash, the reset tokens' hashes).
//!
//! A row is the person's when it names them in any column that holds a user: their account,
//! profile, skills and languages; applications they made and every event of those; events they
//! recorded on others' applications; invitations they received or sent; roles they posted;
//! the visa checklist's ticks on their applications or by them; notifications, consents,
//! messages sent to them, account tokens, signed-in devices, the audit entries where they
//! acted or were acted upon, and the days the programme counts them from. The export test finds those columns in the schema itself, so a
//! new table that names a user and is left out here fails it.

use base64::Engine;
use chrono::Utc;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Map, Value};

use crate::db::entities::{
    account_token, application, application_event, application_message, audit_log, checklist_tick,
    consent, engineer_profile, interview, invitation, mail_job, notification, organisation,
    organisation_invitation, profile_language, profile_photo, profile_skill, role, saved_search,
    user, user_session,
};
use crate::error::{AppError, AppResult};

/// The format's version, for whoever reads these files later.
pub const FORMAT: &str = "setubashi-personal-data/1";

/// Everything held about `user_id`, as a JSON document.
pub async fn export(db: &impl ConnectionTrait, user_id: i32) -> AppResult<Value> {
    let account = user::Entity::find_by_id(user_id)
        .filter(user::Column::ErasedAt.is_null())
        .into_json()
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let organisation_id = account["organisation_id"].as_i64();
    let mut tables = Map::new();
    tables.insert(
        "users".into(),
        Value::Array(vec![without(account, "password_hash")]),
    );
    tables.insert(
        "engineer_profiles".into(),
        rows(
            engineer_profile::Entity::find_by_id(user_id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "profile_skills".into(),
        rows(
            profile_skill::Entity::find()
                .filter(profile_skill::Column::UserId.eq(user_id))
                .into_json()
                .all(db)
                .await?,
        ),
    );
    // the photo's bytes as base64, in the JSON document like everything else
    tables.insert(
        "profile_photos".into(),
        Value::Array(
            profile_photo::Entity::find_by_id(user_id)
                .one(db)
                .await?
                .map(|p| {
                    json!({
                        "user_id": p.user_id,
                        "content_type": p.content_type,
                        "bytes_base64": base64::engine::general_purpose::STANDARD.encode(&p.bytes),
                        "updated_at": p.updated_at,
                    })
                })
                .into_iter()
                .collect(),
        ),
    );
    tables.insert(
        "profile_languages".into(),
        rows(
            profile_language::Entity::find()
                .filter(profile_language::Column::UserId.eq(user_id))
                .into_json()
                .all(db)
                .await?,
        ),
    );
    let applications = application::Entity::find()
        .filter(application::Column::EngineerUserId.eq(user_id))
        .order_by_asc(application::Column::Id)
        .into_json()
        .all(db)
        .await?;
    let application_ids: Vec<i64> = applications
        .iter()
        .filter_map(|a| a["id"].as_i64())
        .collect();
    tables.insert("applications".into(), rows(applications));
    tables.insert("counted_people".into(), counted_people(db, user_id).await?);
    tables.insert(
        "checklist_ticks".into(),
        rows(
            checklist_tick::Entity::find()
                .filter(
                    Condition::any()
                        .add(checklist_tick::Column::ApplicationId.is_in(application_ids.clone()))
                        .add(checklist_tick::Column::TickedByUserId.eq(user_id)),
                )
                .order_by_asc(checklist_tick::Column::ApplicationId)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "application_events".into(),
        rows(
            application_event::Entity::find()
                .filter(
                    Condition::any()
                        .add(
                            application_event::Column::ApplicationId.is_in(application_ids.clone()),
                        )
                        .add(application_event::Column::ActorUserId.eq(user_id)),
                )
                .order_by_asc(application_event::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "invitations".into(),
        rows(
            invitation::Entity::find()
                .filter(
                    Condition::any()
                        .add(invitation::Column::EngineerUserId.eq(user_id))
                        .add(invitation::Column::InvitedBy.eq(user_id)),
                )
                .order_by_asc(invitation::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "roles".into(),
        rows(
            role::Entity::find()
                .filter(role::Column::CreatedBy.eq(user_id))
                .order_by_asc(role::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "organisations".into(),
        rows(match organisation_id {
            Some(id) => {
                organisation::Entity::find_by_id(id as i32)
                    .into_json()
                    .all(db)
                    .await?
            }
            None => Vec::new(),
        }),
    );
    // messages on their applications or written by them (files by name and size: the bytes
    // are theirs to download from the thread), their interviews, their saved searches
    tables.insert(
        "application_messages".into(),
        rows(
            application_message::Entity::find()
                .filter(
                    Condition::any()
                        .add(
                            application_message::Column::ApplicationId
                                .is_in(application_ids.clone()),
                        )
                        .add(application_message::Column::SenderUserId.eq(user_id)),
                )
                .order_by_asc(application_message::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "interviews".into(),
        rows(
            interview::Entity::find()
                .filter(interview::Column::ApplicationId.is_in(application_ids.clone()))
                .order_by_asc(interview::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "saved_searches".into(),
        rows(
            saved_search::Entity::find()
                .filter(saved_search::Column::UserId.eq(user_id))
                .order_by_asc(saved_search::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "notifications".into(),
        rows(
            notification::Entity::find()
                .filter(notification::Column::UserId.eq(user_id))
                .order_by_asc(notification::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "consents".into(),
        rows(
            consent::Entity::find()
                .filter(consent::Column::UserId.eq(user_id))
                .order_by_asc(consent::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "mail_jobs".into(),
        rows(
            mail_job::Entity::find()
                .filter(mail_job::Column::UserId.eq(user_id))
                .order_by_asc(mail_job::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    tables.insert(
        "account_tokens".into(),
        Value::Array(
            account_token::Entity::find()
                .filter(account_token::Column::UserId.eq(user_id))
                .order_by_asc(account_token::Column::Id)
                .into_json()
                .all(db)
                .await?
                .into_iter()
                .map(|t| without(t, "token_hash"))
                .collect(),
        ),
    );
    tables.insert(
        "organisation_invitations".into(),
        Value::Array(
            organisation_invitation::Entity::find()
                .filter(organisation_invitation::Column::InvitedByUserId.eq(user_id))
                .order_by_asc(organisation_invitation::Column::Id)
                .into_json()
                .all(db)
                .await?
                .into_iter()
                .map(|i| without(i, "token_hash"))
                .collect(),
        ),
    );
    tables.insert(
        "user_sessions".into(),
        Value::Array(
            user_session::Entity::find()
                .filter(user_session::Column::UserId.eq(user_id))
                .order_by_asc(user_session::Column::Id)
                .into_json()
                .all(db)
                .await?
                .into_iter()
                .map(|d| without(d, "device_key"))
                .collect(),
        ),
    );
    tables.insert(
        "audit_log".into(),
        rows(
            audit_log::Entity::find()
                .filter(
                    Condition::any()
                        .add(audit_log::Column::ActorUserId.eq(user_id))
                        .add(
                            Condition::all()
                                .add(audit_log::Column::SubjectType.eq("user"))
                                .add(audit_log::Column::SubjectId.eq(user_id.to_string())),
                        ),
                )
                .order_by_asc(audit_log::Column::Id)
                .into_json()
                .all(db)
                .await?,
        ),
    );
    Ok(json!({
        "format": FORMAT,
        "exported_at": Utc::now(),
        "user_id": user_id,
        "tables": tables,
    }))
}

/// The days the programme counts the person from (derived from their applications, per
/// dashboard filter): a table without an entity, read as stored.
async fn counted_people(db: &impl ConnectionTrait, user_id: i32) -> AppResult<Value> {
    let found = db
        .query_all(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            match db.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => {
                    "SELECT filter_dim, filter_value, first_day FROM counted_people \
                     WHERE engineer_user_id = $1 ORDER BY filter_dim, filter_value"
                }
                _ => {
                    "SELECT filter_dim, filter_value, first_day FROM counted_people \
                     WHERE engineer_user_id = ? ORDER BY filter_dim, filter_value"
                }
            },
            [user_id.into()],
        ))
        .await?;
    Ok(Value::Array(
        found
            .iter()
            .map(|row| {
                json!({
                    "engineer_user_id": user_id,
                    "filter_dim": row.try_get_by_index::<i16>(0)
                        .map(i32::from)
                        .or_else(|_| row.try_get_by_index::<i32>(0))
                        .unwrap_or_default(),
                    "filter_value": row.try_get_by_index::<String>(1).unwrap_or_default(),
                    "first_day": row.try_get_by_index::<chrono::NaiveDate>(2).ok(),
                })
            })
            .collect(),
    ))
}

fn rows(rows: Vec<Value>) -> Value {
    Value::Array(rows)
}

fn without(mut row: Value, secret: &str) -> Value {
    if let Some(fields) = row.as_object_mut() {
        fields.remove(secret);
    }
    row
}
