use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "roles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub created_by: i32,
    pub title_ja: Option<String>,
    pub title_en: Option<String>,
    pub description_ja: Option<String>,
    pub description_en: Option<String>,
    pub min_jlpt: Option<String>,
    pub jlpt_strict: bool,
    pub working_language: String,
    pub salary_min_jpy: i64,
    pub salary_max_jpy: i64,
    pub prefecture: String,
    pub remote_policy: String,
    pub visa_sponsorship: bool,
    pub apply_from_abroad: bool,
    pub headcount: i16,
    pub is_open: bool,
    pub is_demo: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Skills typed that the taxonomy does not know, as JSON (migration 15).
    pub free_skills: String,
    /// The role's own sector code; `None` files it under its organisation's.
    pub sector: Option<String>,
    /// The last day applications are taken (Japan's date); the role closes after it.
    pub closes_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The sector the role is filed under: its own, else its organisation's.
    pub fn sector_or(&self, organisation_sector: &str) -> String {
        self.sector
            .clone()
            .unwrap_or_else(|| organisation_sector.to_owned())
    }

    /// The skills asked for that the taxonomy does not know (see
    /// [`engineer_profile::Model::free_skills`](super::engineer_profile::Model::free_skills)).
    pub fn free_skills(&self) -> domain::role::RoleFreeSkills {
        serde_json::from_str(&self.free_skills).unwrap_or_default()
    }
}
