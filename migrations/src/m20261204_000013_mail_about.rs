//! Whom a message is about (`mail_jobs.about_user_id`): a reminder about an engineer's certificate
//! goes to their employer's members and names the engineer. Erasure deletes the messages about
//! the person by this column, not by searching messages' text for their name.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "ALTER TABLE mail_jobs ADD COLUMN about_user_id integer REFERENCES users (id) ON DELETE SET NULL",
        )
        .await?;
        conn.execute_unprepared("CREATE INDEX ix_mail_jobs_about ON mail_jobs (about_user_id)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP INDEX ix_mail_jobs_about")
            .await?;
        conn.execute_unprepared("ALTER TABLE mail_jobs DROP COLUMN about_user_id")
            .await?;
        Ok(())
    }
}
