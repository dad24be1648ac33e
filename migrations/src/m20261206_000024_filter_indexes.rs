//! Indexes on the dimensions the programme dashboard filters by, each with the day applied.
//! The rollups hold one filter at a time; a view with two filters, or the employers of a view
//! filtered by state, prefecture or JLPT level, is counted from the rows. Without these indexes
//! each of those reads every application (two million at ten times the programme); with them
//! PostgreSQL reads the matching ones (a bitmap of each filter's index, and both together
//! for two), and the day applied bounds the first and last days of a period within a filter.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, column): the dashboard's filter dimensions as `applications` holds them.
const FILTER_INDEXES: [(&str, &str); 4] = [
    ("ix_applications_sector_applied", "sector"),
    ("ix_applications_state_applied", "indian_state"),
    ("ix_applications_prefecture_applied", "role_prefecture"),
    ("ix_applications_jlpt_applied", "jlpt_level"),
];

/// `statement` for each index, as one string (one connection on SQLite).
fn for_each_index(statement: impl Fn(&str, &str) -> String) -> String {
    FILTER_INDEXES
        .iter()
        .map(|(name, column)| statement(name, column))
        .collect::<Vec<_>>()
        .join("; ")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements = for_each_index(|name, column| {
            format!("CREATE INDEX {name} ON applications ({column}, applied_at)")
        });
        manager
            .get_connection()
            .execute_unprepared(&statements)
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let statements = for_each_index(|name, _| format!("DROP INDEX {name}"));
        manager
            .get_connection()
            .execute_unprepared(&statements)
            .await?;
        Ok(())
    }
}
