use sea_orm::entity::prelude::*;

/// A message in an application's thread (migration 20).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    /// `None` once the sender's account is erased.
    pub sender_user_id: Option<i32>,
    /// `engineer` or `employer`: the side the sender wrote for.
    pub sender_party: String,
    pub body: String,
    /// The language detected in the body (ISO 639-1), when one was.
    pub language: Option<String>,
    pub attachment_name: Option<String>,
    pub attachment_size: Option<i32>,
    pub created_at: DateTimeUtc,
    /// When the other side first saw it.
    pub read_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
