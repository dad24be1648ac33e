use sea_orm::entity::prelude::*;

/// One consent to share an engineer's contact details with an application's organisation, or
/// one withdrawal of it (see the `rights` migration). Append-only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i32,
    pub application_id: i32,
    pub organisation_id: i32,
    /// What the details are shared for (`contact_for_application`).
    pub purpose: String,
    /// A consent (`true`) or its withdrawal (`false`).
    pub granted: bool,
    /// The words the person saw and agreed to (or withdrew), in their language.
    pub text_shown: String,
    pub language: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
