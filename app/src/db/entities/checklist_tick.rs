use sea_orm::entity::prelude::*;

/// One Certificate of Eligibility document marked provided on an application.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "checklist_ticks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: i32,
    /// A key of `domain/data/coe-checklist.toml`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_key: String,
    pub ticked_by_user_id: Option<i32>,
    pub ticked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
