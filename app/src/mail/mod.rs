//! Outgoing e-mail: messages are composed in the recipient's language ([`compose`]), queued in
//! the database in the transaction of what caused them ([`queue`]), and sent by a background
//! task on some instance ([`sender`]) through SMTP or, in the embedded demo, into `.eml` files
//! ([`transport`]). A request never waits on SMTP.

pub mod compose;
pub mod notices;
pub mod reminders;
pub mod sender;
pub mod transport;

use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

use crate::db::entities::mail_job;

/// A message ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub user_id: Option<i32>,
    pub to_address: String,
    /// What it is (`password_reset`, …): shown to administrators.
    pub kind: &'static str,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// For non-essential mail: where `List-Unsubscribe` points.
    pub unsubscribe_url: Option<String>,
    /// Set to send a message at most once (a reminder per threshold, on every instance).
    pub dedupe_key: Option<String>,
    /// Whom the message is about, when not its recipient (see `mail_jobs.about_user_id`).
    pub about_user_id: Option<i32>,
    /// A text attachment (an interview's `.ics`).
    pub attachment: Option<Attachment>,
}

/// A file sent with a message, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    /// Its MIME type, e.g. `text/calendar; charset=utf-8; method=PUBLISH`.
    pub content_type: String,
    pub body: String,
}

/// Queues a message (inside the caller's transaction). A message with a `dedupe_key` already
/// queued is not queued again: returns whether this one was. (`ON CONFLICT DO NOTHING`, not a
/// caught violation: on PostgreSQL a violation would abort the caller's transaction.)
pub async fn queue(db: &impl ConnectionTrait, message: Outgoing) -> Result<bool, DbErr> {
    let now = chrono::Utc::now();
    let job = mail_job::ActiveModel {
        user_id: Set(message.user_id),
        to_address: Set(message.to_address),
        kind: Set(message.kind.to_owned()),
        subject: Set(message.subject),
        body_text: Set(message.body_text),
        body_html: Set(message.body_html),
        unsubscribe_url: Set(message.unsubscribe_url),
        dedupe_key: Set(message.dedupe_key),
        about_user_id: Set(message.about_user_id),
        attachment_name: Set(message.attachment.as_ref().map(|a| a.name.clone())),
        attachment_type: Set(message.attachment.as_ref().map(|a| a.content_type.clone())),
        attachment_body: Set(message.attachment.map(|a| a.body)),
        status: Set(sender::QUEUED.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    };
    let inserted = mail_job::Entity::insert(job)
        .on_conflict(
            OnConflict::column(mail_job::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(inserted == 1)
}
