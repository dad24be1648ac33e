use sea_orm::entity::prelude::*;

/// A message to send (see the `mail_and_recovery` migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: Option<i32>,
    pub to_address: String,
    /// What the message is (`password_reset`, `password_changed`, …): for administrators and
    /// for the person's preferences.
    pub kind: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// Set for non-essential mail: the `List-Unsubscribe` target.
    pub unsubscribe_url: Option<String>,
    /// Unique when set: the same reminder is never queued twice.
    pub dedupe_key: Option<String>,
    /// `queued`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// While `sending`: when another instance may take the job over (its sender died).
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// Whom the message is about, when not its recipient (an engineer named in a reminder to
    /// their employer): erasure deletes it with the person's data.
    pub about_user_id: Option<i32>,
    /// One attachment (an interview's `.ics`), as text, with its file name and type.
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    pub attachment_body: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
