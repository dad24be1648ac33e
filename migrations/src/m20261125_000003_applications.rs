//! Mobility applications, their append-only history, invitations to apply, and in-app
//! notifications.
//!
//! `applications` holds the current state of each application (stage, closing reason, the key
//! dates the legal clocks and the programme dashboard read) and a `version` that every move
//! increments: a move names the version it saw, and only one move per version succeeds.
//! `application_events` is the history: one row per move, never updated or deleted.

use sea_orm_migration::{prelude::*, schema::*};

use crate::{UQ_APPLICATIONS_ROLE_ENGINEER, UQ_INVITATIONS_ROLE_ENGINEER};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Applications {
    Table,
    Id,
    RoleId,
    EngineerUserId,
    OrganisationId,
    Stage,
    ClosedReason,
    Version,
    CoverNote,
    Invited,
    AppliedAt,
    StageChangedAt,
    UpdatedAt,
    OfferSalaryJpy,
    VisaRoute,
    CoeIssuedOn,
    VisaIssuedOn,
    ArrivedOn,
    RegisteredOn,
    IsDemo,
}

#[derive(DeriveIden)]
enum ApplicationEvents {
    Table,
    Id,
    ApplicationId,
    FromStage,
    ToStage,
    ClosedReason,
    ActorUserId,
    ActorParty,
    Note,
    Details,
    OccurredOn,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    RoleId,
    EngineerUserId,
    InvitedBy,
    Message,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    ApplicationId,
    RoleId,
    Detail,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum EngineerProfiles {
    Table,
    DateOfBirth,
}

#[derive(DeriveIden)]
enum Roles {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

fn index(name: &str, table: impl IntoIden + 'static, cols: &[&str]) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for col in cols {
        statement.col(Alias::new(*col));
    }
    statement.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // the Highly Skilled Professional points of an offer depend on the engineer's age
        manager
            .alter_table(
                Table::alter()
                    .table(EngineerProfiles::Table)
                    .add_column(date_null(EngineerProfiles::DateOfBirth))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .col(pk_auto(Applications::Id))
                    .col(integer(Applications::RoleId))
                    .col(integer(Applications::EngineerUserId))
                    .col(integer(Applications::OrganisationId))
                    .col(string(Applications::Stage))
                    .col(string_null(Applications::ClosedReason))
                    .col(integer(Applications::Version).default(1))
                    .col(text_null(Applications::CoverNote))
                    .col(boolean(Applications::Invited).default(false))
                    .col(timestamp_with_time_zone(Applications::AppliedAt))
                    .col(timestamp_with_time_zone(Applications::StageChangedAt))
                    .col(timestamp_with_time_zone(Applications::UpdatedAt))
                    .col(big_integer_null(Applications::OfferSalaryJpy))
                    .col(string_null(Applications::VisaRoute))
                    .col(date_null(Applications::CoeIssuedOn))
                    .col(date_null(Applications::VisaIssuedOn))
                    .col(date_null(Applications::ArrivedOn))
                    .col(date_null(Applications::RegisteredOn))
                    .col(boolean(Applications::IsDemo).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_role")
                            .from(Applications::Table, Applications::RoleId)
                            .to(Roles::Table, Roles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_engineer")
                            .from(Applications::Table, Applications::EngineerUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_organisation")
                            .from(Applications::Table, Applications::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let mut unique = index(
            UQ_APPLICATIONS_ROLE_ENGINEER,
            Applications::Table,
            &["role_id", "engineer_user_id"],
        );
        manager.create_index(unique.unique().to_owned()).await?;
        // the pipeline board (a role's applications by stage), the engineer's list, the
        // employer's counts and the programme's funnel
        for (name, cols) in [
            (
                "ix_applications_role_stage",
                &["role_id", "stage", "updated_at"][..],
            ),
            (
                "ix_applications_engineer",
                &["engineer_user_id", "updated_at"][..],
            ),
            (
                "ix_applications_organisation_stage",
                &["organisation_id", "stage"][..],
            ),
            (
                "ix_applications_stage_closed",
                &["stage", "closed_reason"][..],
            ),
        ] {
            manager
                .create_index(index(name, Applications::Table, cols))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ApplicationEvents::Table)
                    .col(pk_auto(ApplicationEvents::Id))
                    .col(integer(ApplicationEvents::ApplicationId))
                    .col(string_null(ApplicationEvents::FromStage))
                    .col(string(ApplicationEvents::ToStage))
                    .col(string_null(ApplicationEvents::ClosedReason))
                    .col(integer_null(ApplicationEvents::ActorUserId))
                    .col(string(ApplicationEvents::ActorParty))
                    .col(text_null(ApplicationEvents::Note))
                    .col(text(ApplicationEvents::Details))
                    .col(date(ApplicationEvents::OccurredOn))
                    .col(timestamp_with_time_zone(ApplicationEvents::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_events_application")
                            .from(ApplicationEvents::Table, ApplicationEvents::ApplicationId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_events_actor")
                            .from(ApplicationEvents::Table, ApplicationEvents::ActorUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_application_events_application",
                ApplicationEvents::Table,
                &["application_id", "id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_auto(Invitations::Id))
                    .col(integer(Invitations::RoleId))
                    .col(integer(Invitations::EngineerUserId))
                    .col(integer(Invitations::InvitedBy))
                    .col(text_null(Invitations::Message))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_role")
                            .from(Invitations::Table, Invitations::RoleId)
                            .to(Roles::Table, Roles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_engineer")
                            .from(Invitations::Table, Invitations::EngineerUserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let mut unique = index(
            UQ_INVITATIONS_ROLE_ENGINEER,
            Invitations::Table,
            &["role_id", "engineer_user_id"],
        );
        manager.create_index(unique.unique().to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(pk_auto(Notifications::Id))
                    .col(integer(Notifications::UserId))
                    .col(string(Notifications::Kind))
                    .col(integer_null(Notifications::ApplicationId))
                    .col(integer_null(Notifications::RoleId))
                    .col(text(Notifications::Detail))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_user")
                            .from(Notifications::Table, Notifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "ix_notifications_user",
                Notifications::Table,
                &["user_id", "read_at", "id"],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notifications::Table.into_iden(),
            Invitations::Table.into_iden(),
            ApplicationEvents::Table.into_iden(),
            Applications::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(EngineerProfiles::Table)
                    .drop_column(EngineerProfiles::DateOfBirth)
                    .to_owned(),
            )
            .await
    }
}
