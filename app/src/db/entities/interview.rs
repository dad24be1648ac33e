use sea_orm::entity::prelude::*;

/// An interview of an application: proposed times, then the one picked (migration 20).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    /// `proposed`, `scheduled` or `cancelled` (`domain::interview::InterviewStatus`).
    pub status: String,
    /// `video`, `phone` or `on_site`.
    pub format: String,
    /// The video link, number or address.
    pub place: Option<String>,
    pub minutes: i32,
    /// The time picked, once scheduled.
    pub starts_at: Option<DateTimeUtc>,
    /// Why it was last rescheduled or cancelled.
    pub reason: Option<String>,
    pub proposed_by: Option<i32>,
    /// Bumped by every change: a pick against an older version is refused.
    pub version: i32,
    pub reminder_sent: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
