//! What an administrator checks an employer against before verifying it: Japan's 13-digit
//! corporate number (法人番号, published by the National Tax Agency with the company's name and
//! address) and the company's website. Both optional: a company applying from abroad or a
//! sole proprietor may have neither.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("ALTER TABLE organisations ADD COLUMN corporate_number text")
            .await?;
        conn.execute_unprepared("ALTER TABLE organisations ADD COLUMN website text")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared("ALTER TABLE organisations DROP COLUMN website")
            .await?;
        conn.execute_unprepared("ALTER TABLE organisations DROP COLUMN corporate_number")
            .await?;
        Ok(())
    }
}
