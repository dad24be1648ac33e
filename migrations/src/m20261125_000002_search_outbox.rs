//! The search outbox: every change that the search index must follow, written in the same
//! transaction as the change itself.
//!
//! A queue, not a high-water mark: rows stay until the index has committed them, and are then
//! deleted by id. A transaction that took a lower id but committed later is simply still in the
//! queue when the next drain runs, so no change can be skipped.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SearchOutbox {
    Table,
    Id,
    Kind,
    RecordId,
    QueuedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SearchOutbox::Table)
                    .col(pk_auto(SearchOutbox::Id))
                    .col(string(SearchOutbox::Kind))
                    .col(integer(SearchOutbox::RecordId))
                    .col(timestamp_with_time_zone(SearchOutbox::QueuedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SearchOutbox::Table).to_owned())
            .await
    }
}
