//! The thread in the database. Every function first finds the application as the caller may
//! see it ([`find_visible`]): anyone not on one of its two sides, nor an administrator, is told
//! it does not exist.

use std::collections::HashMap;

use chrono::Utc;
use domain::account::UserRole;
use domain::messaging::{self, MESSAGES_PER_PAGE};
use domain::pipeline::Party;
use domain::validation::FieldError;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use super::api::{MessageView, MessagesPage};
use crate::applications::server::{employer_users, find_visible};
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::db::entities::{application, application_message, message_attachment, user};
use crate::error::{AppError, AppResult};
use crate::notifications::server::{notify, NotificationKind};
use crate::state::AppState;

/// An uploaded file, as the form or the API received it.
pub struct Upload {
    pub file_name: String,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// The characters of a message a notification (and its e-mail) quotes.
const EXCERPT_CHARS: usize = 200;

fn writer_side(app: &application::Model, side: Option<Party>) -> AppResult<Party> {
    match side {
        // the application's free text was removed after it closed: so is the conversation
        Some(_) if app.anonymised_at.is_some() => Err(AppError::Forbidden),
        Some(party) => Ok(party),
        // an administrator reads, never writes
        None => Err(AppError::Forbidden),
    }
}

/// Whether `user` may write in the application's thread (checked before a body is read).
pub async fn require_writer(
    db: &DatabaseConnection,
    user: &CurrentUser,
    application_id: i32,
) -> AppResult<()> {
    let (app, side) = find_visible(db, user, application_id).await?;
    writer_side(&app, side).map(|_| ())
}

/// A page of the thread, newest page first (keyset on the id); the other side's unread
/// messages on it are marked read. An administrator's read is recorded in the audit log.
pub async fn list(
    db: &DatabaseConnection,
    user: &CurrentUser,
    application_id: i32,
    before: Option<i32>,
) -> AppResult<MessagesPage> {
    let (app, side) = find_visible(db, user, application_id).await?;
    if user.role == UserRole::Admin {
        audit::record(
            db,
            Some(user.id),
            "admin.read_messages",
            "application",
            Some(application_id.to_string()),
            json!({ "before": before }),
        )
        .await?;
    }
    let mut query = application_message::Entity::find()
        .filter(application_message::Column::ApplicationId.eq(application_id));
    if let Some(before) = before {
        query = query.filter(application_message::Column::Id.lt(before));
    }
    let mut rows = query
        .order_by_desc(application_message::Column::Id)
        .limit(MESSAGES_PER_PAGE + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > MESSAGES_PER_PAGE;
    rows.truncate(MESSAGES_PER_PAGE as usize);
    let next_before = rows.last().filter(|_| more).map(|m| m.id);
    rows.reverse();
    if let Some(side) = side {
        let unread: Vec<i32> = rows
            .iter()
            .filter(|m| m.sender_party != side.code() && m.read_at.is_none())
            .map(|m| m.id)
            .collect();
        if !unread.is_empty() {
            let now = Utc::now();
            application_message::Entity::update_many()
                .col_expr(application_message::Column::ReadAt, Expr::value(Some(now)))
                .filter(application_message::Column::Id.is_in(unread.clone()))
                .filter(application_message::Column::ReadAt.is_null())
                .exec(db)
                .await?;
            for m in rows.iter_mut().filter(|m| unread.contains(&m.id)) {
                m.read_at = Some(now);
            }
        }
    }
    let names = names_of(db, rows.iter().filter_map(|m| m.sender_user_id)).await?;
    Ok(MessagesPage {
        messages: rows.iter().map(|m| view_of(m, user, &names)).collect(),
        next_before,
        can_write: writer_side(&app, side).is_ok(),
    })
}

async fn names_of(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = i32>,
) -> AppResult<HashMap<i32, String>> {
    let ids: Vec<i32> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .filter(|u| u.erased_at.is_none())
        .map(|u| (u.id, u.display_name))
        .collect())
}

fn view_of(
    m: &application_message::Model,
    reader: &CurrentUser,
    names: &HashMap<i32, String>,
) -> MessageView {
    MessageView {
        id: m.id,
        from_party: m.sender_party.clone(),
        from_name: m.sender_user_id.and_then(|id| names.get(&id).cloned()),
        mine: m.sender_user_id == Some(reader.id),
        body: m.body.clone(),
        language: m.language.clone(),
        attachment_name: m.attachment_name.clone(),
        attachment_size: m.attachment_size,
        sent_at: m.created_at,
        read_at: m.read_at,
    }
}

/// Sends a message from `user` on their side of the application, with at most one PDF; the
/// other side is notified (and mailed, unless they turned message mail off) in the same
/// transaction.
pub async fn send(
    state: &AppState,
    user: &CurrentUser,
    application_id: i32,
    body: &str,
    attachment: Option<Upload>,
) -> AppResult<MessageView> {
    let db = &state.db;
    let (app, side) = find_visible(db, user, application_id).await?;
    let party = writer_side(&app, side)?;
    let mut errors = Vec::new();
    let body = messaging::check_body(body, attachment.is_some())
        .map_err(|p| errors.push(FieldError::new("body", p)))
        .ok();
    let file = match &attachment {
        Some(upload) => messaging::check_attachment(
            &upload.file_name,
            upload.content_type.as_deref(),
            &upload.bytes,
        )
        .map_err(|p| errors.push(FieldError::new("attachment", p)))
        .ok(),
        None => None,
    };
    let Some(body) = body.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let language =
        (!body.is_empty()).then(|| state.search.detector().detect(&body).code().to_owned());
    let now = Utc::now();
    let txn = db.begin().await?;
    let saved = application_message::ActiveModel {
        application_id: Set(application_id),
        sender_user_id: Set(Some(user.id)),
        sender_party: Set(party.code().to_owned()),
        body: Set(body.clone()),
        language: Set(language),
        attachment_name: Set(file.clone()),
        attachment_size: Set(attachment.as_ref().map(|a| a.bytes.len() as i32)),
        created_at: Set(now),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(upload) = attachment {
        message_attachment::ActiveModel {
            message_id: Set(saved.id),
            bytes: Set(upload.bytes),
        }
        .insert(&txn)
        .await?;
    }
    let excerpt: String = body.chars().take(EXCERPT_CHARS).collect();
    let detail = json!({ "who": user.display_name, "message": excerpt });
    let recipients = match party {
        Party::Engineer => employer_users(&txn, app.organisation_id).await?,
        Party::Employer => vec![app.engineer_user_id],
    };
    for recipient in recipients.into_iter().filter(|r| *r != user.id) {
        notify(
            &txn,
            recipient,
            NotificationKind::MessageReceived,
            Some(application_id),
            Some(app.role_id),
            &detail,
        )
        .await?;
    }
    txn.commit().await?;
    if let Some(mail) = &state.mail {
        mail.wake();
    }
    let names = HashMap::from([(user.id, user.display_name.clone())]);
    Ok(view_of(&saved, user, &names))
}

/// A message's attachment, as `user` may read it: its name and bytes.
pub async fn attachment(
    db: &DatabaseConnection,
    user: &CurrentUser,
    application_id: i32,
    message_id: i32,
) -> AppResult<(String, Vec<u8>)> {
    find_visible(db, user, application_id).await?;
    let message = application_message::Entity::find_by_id(message_id)
        .filter(application_message::Column::ApplicationId.eq(application_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = message.attachment_name.ok_or(AppError::NotFound)?;
    let file = message_attachment::Entity::find_by_id(message_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.role == UserRole::Admin {
        audit::record(
            db,
            Some(user.id),
            "admin.read_message_attachment",
            "application",
            Some(application_id.to_string()),
            json!({ "message": message_id }),
        )
        .await?;
    }
    Ok((name, file.bytes))
}
