//! Which e-mail each person wants, and notifications by e-mail.
//!
//! `users.mail_opt_out`: the optional topics (`invitations`, `applications`, `offers`) the person
//! turned off, comma-separated; essential mail (security, verification, legal deadlines) has no
//! topic and cannot be turned off. `users.unsubscribe_key`: the random key in one-click
//! unsubscribe links (made when the first such link is). `notifications.mailed`: whether the
//! notification's e-mail was queued (or skipped by preference); the ones that existed before are
//! marked, so nobody receives a burst of old news.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for statement in [
            "ALTER TABLE users ADD COLUMN mail_opt_out text NOT NULL DEFAULT ''",
            "ALTER TABLE users ADD COLUMN unsubscribe_key text",
            "ALTER TABLE notifications ADD COLUMN mailed boolean NOT NULL DEFAULT false",
            "UPDATE notifications SET mailed = true",
            "CREATE INDEX ix_notifications_unmailed ON notifications (id) WHERE mailed = false",
        ] {
            conn.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        for statement in [
            "DROP INDEX ix_notifications_unmailed",
            "ALTER TABLE notifications DROP COLUMN mailed",
            "ALTER TABLE users DROP COLUMN unsubscribe_key",
            "ALTER TABLE users DROP COLUMN mail_opt_out",
        ] {
            conn.execute_unprepared(statement).await?;
        }
        Ok(())
    }
}
