use sea_orm::entity::prelude::*;

/// The programme's settings: one row, id 1.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub target_people: i32,
    pub start_on: Date,
    pub horizon_years: i16,
    pub counted_stage: String,
    /// JSON array of visa route codes.
    pub counted_routes: String,
    /// JSON array of people per year, or NULL for an even split.
    pub annual_targets: Option<String>,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
