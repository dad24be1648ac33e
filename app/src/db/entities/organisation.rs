use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name_ja: Option<String>,
    pub name_en: Option<String>,
    pub prefecture: String,
    pub sector: String,
    pub size: String,
    pub verified: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When an administrator last rejected it (it returns to the queue once updated after).
    pub reviewed_at: Option<DateTimeUtc>,
    pub rejection_reason: Option<String>,
    /// Japan's 13-digit corporate number (法人番号), check digit verified.
    pub corporate_number: Option<String>,
    pub website: Option<String>,
    /// `domain::sponsorship::Sponsorship` as JSON.
    pub sponsorship: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The sponsorship profile; a column that does not read is an empty profile.
    pub fn sponsorship(&self) -> domain::sponsorship::Sponsorship {
        serde_json::from_str(&self.sponsorship).unwrap_or_default()
    }
}
