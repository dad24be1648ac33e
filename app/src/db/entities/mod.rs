//! sea-orm entities, one module per table (see the `migrations` crate for the schema).

pub mod account_token;
pub mod application;
pub mod application_event;
pub mod application_message;
pub mod audit_log;
pub mod checklist_tick;
pub mod consent;
pub mod engineer_profile;
pub mod interview;
pub mod interview_slot;
pub mod invitation;
pub mod mail_job;
pub mod message_attachment;
pub mod notification;
pub mod organisation;
pub mod organisation_invitation;
pub mod profile_language;
pub mod profile_photo;
pub mod profile_skill;
pub mod programme_settings;
pub mod role;
pub mod role_skill;
pub mod saved_search;
pub mod user;
pub mod user_session;
