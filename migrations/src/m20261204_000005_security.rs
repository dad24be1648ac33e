//! Security hardening: a move's message to the candidate, kept apart from the employer's
//! internal note; and the moment a user's sessions were revoked (on suspension), before which
//! no session of theirs counts, so sessions do not come back when the user is reinstated.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApplicationEvents {
    Table,
    Message,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    SessionsRevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // one column per statement: SQLite's ALTER TABLE adds one at a time
        manager
            .alter_table(
                Table::alter()
                    .table(ApplicationEvents::Table)
                    .add_column(text_null(ApplicationEvents::Message))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::SessionsRevokedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::SessionsRevokedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ApplicationEvents::Table)
                    .drop_column(ApplicationEvents::Message)
                    .to_owned(),
            )
            .await
    }
}
