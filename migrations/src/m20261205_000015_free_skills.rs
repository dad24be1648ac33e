//! Skills typed in a profile or role form that the taxonomy does not know, kept in the person's
//! own words instead of refused: a JSON list on the profile (`[{"name", "years"}]`) and on the
//! role (`{"required": [...], "nice": [...]}`, years the minimum asked). They are shown as typed
//! and found by text search; matching counts only the taxonomy's skills. JSON in a text column
//! because they are read and written only with their profile or role, never queried apart.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "ALTER TABLE engineer_profiles ADD COLUMN free_skills text NOT NULL DEFAULT '[]'",
        )
        .await?;
        conn.execute_unprepared(
            "ALTER TABLE roles ADD COLUMN free_skills text NOT NULL DEFAULT '{}'",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("ALTER TABLE roles DROP COLUMN free_skills")
            .await?;
        conn.execute_unprepared("ALTER TABLE engineer_profiles DROP COLUMN free_skills")
            .await?;
        Ok(())
    }
}
