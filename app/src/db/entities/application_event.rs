use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    /// `None` for the application itself.
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub closed_reason: Option<String>,
    pub actor_user_id: Option<i32>,
    pub actor_party: String,
    /// The mover's note: internal to the organisation when the mover is the employer
    /// (`domain::pipeline::reads_internal_record`).
    pub note: Option<String>,
    /// The employer's message to the candidate.
    pub message: Option<String>,
    /// JSON: the interview, offer or visa route the move recorded.
    pub details: String,
    pub occurred_on: Date,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
