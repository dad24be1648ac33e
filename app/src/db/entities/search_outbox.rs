use sea_orm::entity::prelude::*;

/// A change the search index has yet to follow (see the `search_outbox` migration).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "search_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `engineer`, `role` or `organisation` (whose roles then follow).
    pub kind: String,
    pub record_id: i32,
    pub queued_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
