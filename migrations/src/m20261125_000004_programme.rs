//! The programme administrators' data: the programme's settings (one row), and on each
//! application the dimensions the dashboard breaks the funnel down by, copied when the
//! application is made (the employer's sector, the role's prefecture, the engineer's Indian state
//! and JLPT level at the time) plus the day of the offer, so that every breakdown is one
//! aggregate over one table. Existing applications are filled in from their records.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProgrammeSettings {
    Table,
    Id,
    TargetPeople,
    StartOn,
    HorizonYears,
    CountedStage,
    CountedRoutes,
    AnnualTargets,
    UpdatedAt,
    UpdatedBy,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    ReviewedAt,
    RejectionReason,
}

#[derive(DeriveIden)]
enum Applications {
    Table,
    Sector,
    RolePrefecture,
    IndianState,
    JlptLevel,
    OfferedOn,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProgrammeSettings::Table)
                    .col(integer(ProgrammeSettings::Id).primary_key())
                    .col(integer(ProgrammeSettings::TargetPeople))
                    .col(date(ProgrammeSettings::StartOn))
                    .col(small_integer(ProgrammeSettings::HorizonYears))
                    .col(string(ProgrammeSettings::CountedStage))
                    .col(text(ProgrammeSettings::CountedRoutes))
                    .col(text_null(ProgrammeSettings::AnnualTargets))
                    .col(timestamp_with_time_zone(ProgrammeSettings::UpdatedAt))
                    .col(integer_null(ProgrammeSettings::UpdatedBy))
                    .to_owned(),
            )
            .await?;
        for column in [
            string_null(Applications::Sector),
            string_null(Applications::RolePrefecture),
            string_null(Applications::IndianState),
            string_null(Applications::JlptLevel),
            date_null(Applications::OfferedOn),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Applications::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // an employer rejected by an administrator leaves the queue until it changes its details
        for column in [
            timestamp_with_time_zone_null(Organisations::ReviewedAt),
            text_null(Organisations::RejectionReason),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(Organisations::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // correlated sub-queries: the same statement on PostgreSQL and SQLite
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE applications SET \
               sector = (SELECT o.sector FROM organisations o WHERE o.id = applications.organisation_id), \
               role_prefecture = (SELECT r.prefecture FROM roles r WHERE r.id = applications.role_id), \
               indian_state = (SELECT p.indian_state FROM engineer_profiles p WHERE p.user_id = applications.engineer_user_id), \
               jlpt_level = (SELECT p.jlpt_level FROM engineer_profiles p WHERE p.user_id = applications.engineer_user_id), \
               offered_on = (SELECT min(e.occurred_on) FROM application_events e \
                 WHERE e.application_id = applications.id AND e.to_stage = 'offer_extended' AND e.closed_reason IS NULL)",
        )
        .await?;
        // the dashboard's aggregates: counted arrivals, the at-risk lists, stuck applications
        for (name, cols) in [
            (
                "ix_applications_arrived",
                &["arrived_on", "engineer_user_id"][..],
            ),
            ("ix_applications_coe", &["coe_issued_on"][..]),
            (
                "ix_applications_stage_changed",
                &["stage", "stage_changed_at"][..],
            ),
            ("ix_applications_applied", &["applied_at"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Alias::new("applications"));
            for col in cols {
                index.col(Alias::new(*col));
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "ix_applications_arrived",
            "ix_applications_coe",
            "ix_applications_stage_changed",
            "ix_applications_applied",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(Alias::new("applications"))
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            Applications::Sector,
            Applications::RolePrefecture,
            Applications::IndianState,
            Applications::JlptLevel,
            Applications::OfferedOn,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Applications::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Organisations::ReviewedAt, Organisations::RejectionReason] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Organisations::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(ProgrammeSettings::Table).to_owned())
            .await
    }
}
