use sea_orm::entity::prelude::*;

/// A saved role or talent-pool search with its alert watermarks (migration 20).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "saved_searches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    /// `roles` or `talent` (`domain::saved_search::SearchKind`).
    pub kind: String,
    pub name: String,
    /// The search page's query string.
    pub query: String,
    /// `daily`, `weekly` or `never`.
    pub frequency: String,
    pub min_score: Option<i32>,
    pub created_at: DateTimeUtc,
    /// Results made after this are new to the person in the app.
    pub seen_at: DateTimeUtc,
    /// Results made after this are new to the next digest.
    pub alerted_at: DateTimeUtc,
    /// When the next digest is due; `None` when no mail goes.
    pub next_digest_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
