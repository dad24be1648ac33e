use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub display_name: String,
    pub ui_language: String,
    pub organisation_id: Option<i32>,
    pub suspended: bool,
    /// Sessions started before this moment no longer count (set on suspension).
    pub sessions_revoked_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Set when the account was erased: the row is a tombstone without personal data.
    pub erased_at: Option<DateTimeUtc>,
    /// When the person proved the address by following the link sent to it.
    pub email_verified_at: Option<DateTimeUtc>,
    /// The optional e-mail topics the person turned off (`domain::mail`), comma-separated.
    pub mail_opt_out: String,
    /// The key in the person's one-click unsubscribe links.
    pub unsubscribe_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
