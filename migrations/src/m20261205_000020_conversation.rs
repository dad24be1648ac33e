//! Talking and finding each other (issue 13): a message thread per application with PDF
//! attachments (bytes in their own table, so listing a thread never reads files), interviews
//! with the times proposed, saved searches with their alert watermarks, when each profile was
//! first made (so "new engineers" can be asked of the index) and from when they could start, a
//! role's closing date, and an optional attachment on a queued e-mail (an interview's `.ics`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `{ts}` is the backend's timestamp type, `{bytes}` its binary type.
const UP: &str = r#"
CREATE TABLE application_messages (
    id {serial} PRIMARY KEY,
    application_id integer NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    sender_user_id integer REFERENCES users (id) ON DELETE SET NULL,
    sender_party text NOT NULL,
    body text NOT NULL,
    language text,
    attachment_name text,
    attachment_size integer,
    created_at {ts} NOT NULL,
    read_at {ts}
);
CREATE INDEX application_messages_thread ON application_messages (application_id, id);

CREATE TABLE message_attachments (
    message_id integer PRIMARY KEY REFERENCES application_messages (id) ON DELETE CASCADE,
    bytes {bytes} NOT NULL
);

CREATE TABLE interviews (
    id {serial} PRIMARY KEY,
    application_id integer NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    status text NOT NULL,
    format text NOT NULL,
    place text,
    minutes integer NOT NULL,
    starts_at {ts},
    reason text,
    proposed_by integer REFERENCES users (id) ON DELETE SET NULL,
    version integer NOT NULL DEFAULT 1,
    reminder_sent boolean NOT NULL DEFAULT false,
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX interviews_application ON interviews (application_id);
CREATE INDEX interviews_reminders ON interviews (starts_at) WHERE status = 'scheduled' AND reminder_sent = false;

CREATE TABLE interview_slots (
    id {serial} PRIMARY KEY,
    interview_id integer NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    starts_at {ts} NOT NULL
);
CREATE INDEX interview_slots_interview ON interview_slots (interview_id);

CREATE TABLE saved_searches (
    id {serial} PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind text NOT NULL,
    name text NOT NULL,
    query text NOT NULL,
    frequency text NOT NULL,
    min_score integer,
    created_at {ts} NOT NULL,
    seen_at {ts} NOT NULL,
    alerted_at {ts} NOT NULL,
    next_digest_at {ts}
);
CREATE INDEX saved_searches_user ON saved_searches (user_id, id);
CREATE INDEX saved_searches_due ON saved_searches (next_digest_at);

ALTER TABLE engineer_profiles ADD COLUMN created_at {ts};
ALTER TABLE engineer_profiles ADD COLUMN available_from date;
UPDATE engineer_profiles SET created_at = updated_at;

ALTER TABLE roles ADD COLUMN closes_on date;

ALTER TABLE mail_jobs ADD COLUMN attachment_name text;
ALTER TABLE mail_jobs ADD COLUMN attachment_type text;
ALTER TABLE mail_jobs ADD COLUMN attachment_body text;
"#;

const DOWN: &str = r#"
ALTER TABLE mail_jobs DROP COLUMN attachment_body;
ALTER TABLE mail_jobs DROP COLUMN attachment_type;
ALTER TABLE mail_jobs DROP COLUMN attachment_name;
ALTER TABLE roles DROP COLUMN closes_on;
ALTER TABLE engineer_profiles DROP COLUMN available_from;
ALTER TABLE engineer_profiles DROP COLUMN created_at;
DROP TABLE saved_searches;
DROP TABLE interview_slots;
DROP TABLE interviews;
DROP TABLE message_attachments;
DROP TABLE application_messages;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = match manager.get_database_backend() {
            DatabaseBackend::Postgres => UP
                .replace("{serial}", "serial")
                .replace("{ts}", "timestamptz")
                .replace("{bytes}", "bytea"),
            _ => UP
                .replace("{serial}", "integer")
                .replace("{ts}", "text")
                .replace("{bytes}", "blob"),
        };
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared(DOWN).await?;
        Ok(())
    }
}
