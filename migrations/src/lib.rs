//! Setubashi's schema. Every migration runs unchanged on PostgreSQL and on SQLite, so the
//! embedded default and production share one schema. Unique constraints carry deliberate names
//! (`uq_…`) because the server turns a violation of one into a field error.

pub use sea_orm_migration::prelude::*;

pub mod dashboard_rollups;

mod m20261125_000001_accounts_profiles_roles;
mod m20261125_000002_search_outbox;
mod m20261125_000003_applications;
mod m20261125_000004_programme;
mod m20261204_000005_security;
mod m20261204_000006_change_log;
mod m20261204_000007_mail_and_recovery;
mod m20261204_000008_rights;
mod m20261204_000009_mail_preferences;
mod m20261204_000010_devices;
mod m20261204_000011_retention;
mod m20261204_000012_members;
mod m20261204_000013_mail_about;
mod m20261204_000014_organisation_identity;
mod m20261205_000015_free_skills;
mod m20261205_000016_career;
mod m20261205_000017_sponsorship_and_checklist;
mod m20261205_000018_photos;
mod m20261205_000019_role_sector;
mod m20261205_000020_conversation;
pub mod m20261205_000021_dashboard_rollups;
mod m20261206_000022_top_employers;
mod m20261206_000023_yearly_employers;
mod m20261206_000024_filter_indexes;
pub mod m20261206_000025_application_changes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_accounts_profiles_roles::Migration),
            Box::new(m20261125_000002_search_outbox::Migration),
            Box::new(m20261125_000003_applications::Migration),
            Box::new(m20261125_000004_programme::Migration),
            Box::new(m20261204_000005_security::Migration),
            Box::new(m20261204_000006_change_log::Migration),
            Box::new(m20261204_000007_mail_and_recovery::Migration),
            Box::new(m20261204_000008_rights::Migration),
            Box::new(m20261204_000009_mail_preferences::Migration),
            Box::new(m20261204_000010_devices::Migration),
            Box::new(m20261204_000011_retention::Migration),
            Box::new(m20261204_000012_members::Migration),
            Box::new(m20261204_000013_mail_about::Migration),
            Box::new(m20261204_000014_organisation_identity::Migration),
            Box::new(m20261205_000015_free_skills::Migration),
            Box::new(m20261205_000016_career::Migration),
            Box::new(m20261205_000017_sponsorship_and_checklist::Migration),
            Box::new(m20261205_000018_photos::Migration),
            Box::new(m20261205_000019_role_sector::Migration),
            Box::new(m20261205_000020_conversation::Migration),
            Box::new(m20261205_000021_dashboard_rollups::Migration),
            Box::new(m20261206_000022_top_employers::Migration),
            Box::new(m20261206_000023_yearly_employers::Migration),
            Box::new(m20261206_000024_filter_indexes::Migration),
            Box::new(m20261206_000025_application_changes::Migration),
        ]
    }
}

/// The name of the unique index on users' e-mail addresses.
pub const UQ_USERS_EMAIL: &str = "uq_users_email";

/// One application per engineer and role.
pub const UQ_APPLICATIONS_ROLE_ENGINEER: &str = "uq_applications_role_engineer";

/// One invitation per engineer and role.
pub const UQ_INVITATIONS_ROLE_ENGINEER: &str = "uq_invitations_role_engineer";
