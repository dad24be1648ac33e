//! Accounts, organisations, engineer profiles, roles and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

use crate::UQ_USERS_EMAIL;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    NameJa,
    NameEn,
    Prefecture,
    Sector,
    Size,
    Verified,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    PasswordHash,
    Role,
    DisplayName,
    UiLanguage,
    OrganisationId,
    Suspended,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EngineerProfiles {
    Table,
    UserId,
    FullName,
    Headline,
    Summary,
    YearsExperience,
    JlptLevel,
    JlptCertified,
    IndianState,
    City,
    Degree,
    DesiredSalaryJpy,
    VisaInterest,
    Searchable,
    IsDemo,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProfileSkills {
    Table,
    UserId,
    SkillId,
    Years,
    Level,
}

#[derive(DeriveIden)]
enum ProfileLanguages {
    Table,
    UserId,
    Language,
    Level,
}

#[derive(DeriveIden)]
enum Roles {
    Table,
    Id,
    OrganisationId,
    CreatedBy,
    TitleJa,
    TitleEn,
    DescriptionJa,
    DescriptionEn,
    MinJlpt,
    JlptStrict,
    WorkingLanguage,
    SalaryMinJpy,
    SalaryMaxJpy,
    Prefecture,
    RemotePolicy,
    VisaSponsorship,
    ApplyFromAbroad,
    Headcount,
    IsOpen,
    IsDemo,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoleSkills {
    Table,
    RoleId,
    SkillId,
    Required,
    MinYears,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    Action,
    SubjectType,
    SubjectId,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .col(pk_auto(Organisations::Id))
                    .col(string_null(Organisations::NameJa))
                    .col(string_null(Organisations::NameEn))
                    .col(string(Organisations::Prefecture))
                    .col(string(Organisations::Sector))
                    .col(string(Organisations::Size))
                    .col(boolean(Organisations::Verified).default(false))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .col(timestamp_with_time_zone(Organisations::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_auto(Users::Id))
                    .col(string(Users::Email))
                    .col(string(Users::PasswordHash))
                    .col(string(Users::Role))
                    .col(string(Users::DisplayName))
                    .col(string(Users::UiLanguage).default("en"))
                    .col(integer_null(Users::OrganisationId))
                    .col(boolean(Users::Suspended).default(false))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_organisation")
                            .from(Users::Table, Users::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(UQ_USERS_EMAIL)
                    .table(Users::Table)
                    .col(Users::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EngineerProfiles::Table)
                    .col(integer(EngineerProfiles::UserId).primary_key())
                    .col(string(EngineerProfiles::FullName))
                    .col(string_null(EngineerProfiles::Headline))
                    .col(text_null(EngineerProfiles::Summary))
                    .col(small_integer(EngineerProfiles::YearsExperience).default(0))
                    .col(string_null(EngineerProfiles::JlptLevel))
                    .col(boolean(EngineerProfiles::JlptCertified).default(false))
                    .col(string_null(EngineerProfiles::IndianState))
                    .col(string_null(EngineerProfiles::City))
                    .col(string(EngineerProfiles::Degree).default("none"))
                    .col(big_integer_null(EngineerProfiles::DesiredSalaryJpy))
                    .col(string(EngineerProfiles::VisaInterest).default("undecided"))
                    .col(boolean(EngineerProfiles::Searchable).default(true))
                    .col(boolean(EngineerProfiles::IsDemo).default(false))
                    .col(timestamp_with_time_zone(EngineerProfiles::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_engineer_profiles_user")
                            .from(EngineerProfiles::Table, EngineerProfiles::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProfileSkills::Table)
                    .col(integer(ProfileSkills::UserId))
                    .col(string(ProfileSkills::SkillId))
                    .col(small_integer(ProfileSkills::Years))
                    .col(string(ProfileSkills::Level))
                    .primary_key(
                        Index::create()
                            .col(ProfileSkills::UserId)
                            .col(ProfileSkills::SkillId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profile_skills_profile")
                            .from(ProfileSkills::Table, ProfileSkills::UserId)
                            .to(EngineerProfiles::Table, EngineerProfiles::UserId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_profile_skills_skill")
                    .table(ProfileSkills::Table)
                    .col(ProfileSkills::SkillId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProfileLanguages::Table)
                    .col(integer(ProfileLanguages::UserId))
                    .col(string(ProfileLanguages::Language))
                    .col(string(ProfileLanguages::Level))
                    .primary_key(
                        Index::create()
                            .col(ProfileLanguages::UserId)
                            .col(ProfileLanguages::Language),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_profile_languages_profile")
                            .from(ProfileLanguages::Table, ProfileLanguages::UserId)
                            .to(EngineerProfiles::Table, EngineerProfiles::UserId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Roles::Table)
                    .col(pk_auto(Roles::Id))
                    .col(integer(Roles::OrganisationId))
                    .col(integer(Roles::CreatedBy))
                    .col(string_null(Roles::TitleJa))
                    .col(string_null(Roles::TitleEn))
                    .col(text_null(Roles::DescriptionJa))
                    .col(text_null(Roles::DescriptionEn))
                    .col(string_null(Roles::MinJlpt))
                    .col(boolean(Roles::JlptStrict).default(false))
                    .col(string(Roles::WorkingLanguage))
                    .col(big_integer(Roles::SalaryMinJpy))
                    .col(big_integer(Roles::SalaryMaxJpy))
                    .col(string(Roles::Prefecture))
                    .col(string(Roles::RemotePolicy))
                    .col(boolean(Roles::VisaSponsorship).default(false))
                    .col(boolean(Roles::ApplyFromAbroad).default(false))
                    .col(small_integer(Roles::Headcount).default(1))
                    .col(boolean(Roles::IsOpen).default(true))
                    .col(boolean(Roles::IsDemo).default(false))
                    .col(timestamp_with_time_zone(Roles::CreatedAt))
                    .col(timestamp_with_time_zone(Roles::UpdatedAt))
                    .check(Expr::col(Roles::SalaryMinJpy).lte(Expr::col(Roles::SalaryMaxJpy)))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_roles_organisation")
                            .from(Roles::Table, Roles::OrganisationId)
                            .to(Organisations::Table, Organisations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_roles_created_by")
                            .from(Roles::Table, Roles::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_roles_organisation")
                    .table(Roles::Table)
                    .col(Roles::OrganisationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoleSkills::Table)
                    .col(integer(RoleSkills::RoleId))
                    .col(string(RoleSkills::SkillId))
                    .col(boolean(RoleSkills::Required))
                    .col(small_integer(RoleSkills::MinYears).default(0))
                    .primary_key(
                        Index::create()
                            .col(RoleSkills::RoleId)
                            .col(RoleSkills::SkillId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_role_skills_role")
                            .from(RoleSkills::Table, RoleSkills::RoleId)
                            .to(Roles::Table, Roles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        // Append-only: the application inserts rows and never updates or deletes them.
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(integer_null(AuditLog::ActorUserId))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::SubjectType))
                    .col(string_null(AuditLog::SubjectId))
                    .col(text(AuditLog::Detail))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            RoleSkills::Table.into_iden(),
            Roles::Table.into_iden(),
            ProfileLanguages::Table.into_iden(),
            ProfileSkills::Table.into_iden(),
            EngineerProfiles::Table.into_iden(),
            Users::Table.into_iden(),
            Organisations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
