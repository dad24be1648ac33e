use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub role_id: i32,
    pub engineer_user_id: i32,
    pub organisation_id: i32,
    pub stage: String,
    pub closed_reason: Option<String>,
    pub version: i32,
    pub cover_note: Option<String>,
    pub invited: bool,
    pub applied_at: DateTimeUtc,
    pub stage_changed_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub offer_salary_jpy: Option<i64>,
    pub visa_route: Option<String>,
    pub coe_issued_on: Option<Date>,
    pub visa_issued_on: Option<Date>,
    pub arrived_on: Option<Date>,
    pub registered_on: Option<Date>,
    pub is_demo: bool,
    /// Copied when the application is made, for the programme's breakdowns.
    pub sector: Option<String>,
    pub role_prefecture: Option<String>,
    pub indian_state: Option<String>,
    pub jlpt_level: Option<String>,
    pub offered_on: Option<Date>,
    /// Whether the engineer consents, now, to the organisation seeing their contact details.
    pub contact_shared: bool,
    /// When the closed application's free text was removed (retention).
    pub anonymised_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
