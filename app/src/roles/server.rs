//! Reading and writing roles. Every function takes the acting user and refuses roles of other
//! organisations.

use chrono::Utc;
use domain::language::UiLanguage;
use domain::role::{Role, RoleDraft, RoleSkillDraft};
use domain::skills::FreeSkill;
use domain::skills::Taxonomy;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

use super::api::RoleSummary;
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::db::entities::{role, role_skill};
use crate::error::{AppError, AppResult};

fn organisation_of(user: &CurrentUser) -> AppResult<i32> {
    user.organisation_id.ok_or(AppError::Forbidden)
}

/// A role, provided it belongs to the user's organisation.
pub async fn find_own(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> AppResult<role::Model> {
    let org = organisation_of(user)?;
    let found = role::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if found.organisation_id == org {
        Ok(found)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A role `user` may rank engineers for: their organisation's own (another's is `Forbidden`),
/// any for an administrator.
pub async fn find_rankable(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> AppResult<role::Model> {
    if user.role == domain::account::UserRole::Admin {
        role::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)
    } else {
        find_own(db, user, id).await
    }
}

/// A role as an engineer may see it: published (open, of a verified organisation), or one they
/// applied to (so their application keeps its context); anything else is `NotFound`, so drafts
/// and closed roles reveal neither their terms nor that they exist.
pub async fn find_visible_to_engineer(
    db: &impl ConnectionTrait,
    engineer_id: i32,
    id: i32,
) -> AppResult<role::Model> {
    use crate::db::entities::{application, organisation};
    let found = role::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let published = found.is_open
        && organisation::Entity::find_by_id(found.organisation_id)
            .one(db)
            .await?
            .is_some_and(|o| o.verified);
    let applied = || async {
        application::Entity::find()
            .filter(application::Column::RoleId.eq(id))
            .filter(application::Column::EngineerUserId.eq(engineer_id))
            .one(db)
            .await
            .map(|a| a.is_some())
    };
    if published || applied().await? {
        Ok(found)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn list_for_organisation(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> AppResult<Vec<RoleSummary>> {
    let org = organisation_of(user)?;
    let roles = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(org))
        .order_by_desc(role::Column::IsOpen)
        .order_by_desc(role::Column::UpdatedAt)
        .order_by_desc(role::Column::Id)
        .all(db)
        .await?;
    let mut counts = crate::applications::server::stage_counts(db, org).await?;
    Ok(roles
        .into_iter()
        .map(|r| RoleSummary {
            stage_counts: counts.remove(&r.id).unwrap_or_default(),
            id: r.id,
            title_ja: r.title_ja,
            title_en: r.title_en,
            prefecture: r.prefecture,
            salary_min_jpy: r.salary_min_jpy,
            salary_max_jpy: r.salary_max_jpy,
            min_jlpt: r.min_jlpt,
            is_open: r.is_open,
        })
        .collect())
}

/// The role's skills, required ones first.
pub async fn skills_of(
    db: &impl ConnectionTrait,
    role_id: i32,
) -> AppResult<Vec<role_skill::Model>> {
    Ok(role_skill::Entity::find()
        .filter(role_skill::Column::RoleId.eq(role_id))
        .order_by_desc(role_skill::Column::Required)
        .order_by_desc(role_skill::Column::MinYears)
        .order_by_asc(role_skill::Column::SkillId)
        .all(db)
        .await?)
}

/// The saved role as the form's values, skill names in the user's language.
pub async fn load_draft(
    db: &impl ConnectionTrait,
    taxonomy: &Taxonomy,
    user: &CurrentUser,
    id: i32,
    lang: UiLanguage,
) -> AppResult<RoleDraft> {
    let r = find_own(db, user, id).await?;
    let skills = skills_of(db, id).await?;
    let row = |s: &role_skill::Model| RoleSkillDraft {
        skill: taxonomy
            .get(&s.skill_id)
            .map_or(s.skill_id.clone(), |k| k.name(lang).to_owned()),
        min_years: s.min_years.to_string(),
    };
    let free = r.free_skills();
    let free_row = |s: &FreeSkill| RoleSkillDraft {
        skill: s.name.clone(),
        min_years: s.years.to_string(),
    };
    let on = |b: bool| b.then(|| "on".to_owned());
    Ok(RoleDraft {
        sector: r.sector.clone().unwrap_or_default(),
        title_ja: r.title_ja.unwrap_or_default(),
        title_en: r.title_en.unwrap_or_default(),
        description_ja: r.description_ja.unwrap_or_default(),
        description_en: r.description_en.unwrap_or_default(),
        required_skills: skills
            .iter()
            .filter(|s| s.required)
            .map(row)
            .chain(free.required.iter().map(free_row))
            .collect(),
        nice_skills: skills
            .iter()
            .filter(|s| !s.required)
            .map(row)
            .chain(free.nice.iter().map(free_row))
            .collect(),
        min_jlpt: r.min_jlpt.unwrap_or_default(),
        jlpt_strict: on(r.jlpt_strict),
        working_language: r.working_language,
        salary_min_jpy: r.salary_min_jpy.to_string(),
        salary_max_jpy: r.salary_max_jpy.to_string(),
        prefecture: r.prefecture,
        remote_policy: r.remote_policy,
        visa_sponsorship: on(r.visa_sponsorship),
        apply_from_abroad: on(r.apply_from_abroad),
        headcount: r.headcount.to_string(),
        is_open: on(r.is_open),
        closes_on: r
            .closes_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
    })
}

fn columns(role: &Role, model: &mut role::ActiveModel) {
    model.title_ja = Set(role.title_ja.clone());
    model.title_en = Set(role.title_en.clone());
    model.description_ja = Set(role.description_ja.clone());
    model.description_en = Set(role.description_en.clone());
    model.min_jlpt = Set(role.min_jlpt.map(|l| l.code().to_owned()));
    model.jlpt_strict = Set(role.jlpt_strict);
    model.working_language = Set(role.working_language.code().to_owned());
    model.salary_min_jpy = Set(role.salary.min());
    model.salary_max_jpy = Set(role.salary.max());
    model.prefecture = Set(role.prefecture.clone());
    model.remote_policy = Set(role.remote_policy.code().to_owned());
    model.visa_sponsorship = Set(role.visa_sponsorship);
    model.apply_from_abroad = Set(role.apply_from_abroad);
    model.headcount = Set(role.headcount as i16);
    model.is_open = Set(role.is_open);
    model.closes_on = Set(role.closes_on);
    model.free_skills = Set(serde_json::to_string(&role.free_skills).unwrap_or_default());
    model.sector = Set(role.sector.map(|s| s.code().to_owned()));
    model.updated_at = Set(Utc::now());
}

async fn replace_skills(db: &impl ConnectionTrait, role_id: i32, role: &Role) -> AppResult<()> {
    role_skill::Entity::delete_many()
        .filter(role_skill::Column::RoleId.eq(role_id))
        .exec(db)
        .await?;
    let rows: Vec<_> = role
        .required_skills
        .iter()
        .map(|s| (s, true))
        .chain(role.nice_skills.iter().map(|s| (s, false)))
        .map(|(s, required)| role_skill::ActiveModel {
            role_id: Set(role_id),
            skill_id: Set(s.skill.as_str().to_owned()),
            required: Set(required),
            min_years: Set(i16::from(s.min_years)),
        })
        .collect();
    if !rows.is_empty() {
        role_skill::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// Posts a new role for the user's organisation.
pub async fn create(db: &DatabaseConnection, user: &CurrentUser, role: &Role) -> AppResult<i32> {
    crate::auth::verification::require_verified(db, user.id).await?;
    domain::role::check_closing(role, domain::time::japan_date(Utc::now()))
        .map_err(AppError::Validation)?;
    create_with(db, user.id, organisation_of(user)?, role, false).await
}

/// Posts a role for `organisation_id`; `is_demo` marks the seeder's synthetic roles.
pub async fn create_with(
    db: &DatabaseConnection,
    created_by: i32,
    organisation_id: i32,
    role: &Role,
    is_demo: bool,
) -> AppResult<i32> {
    let txn = db.begin().await?;
    let now = Utc::now();
    let mut model = role::ActiveModel {
        organisation_id: Set(organisation_id),
        created_by: Set(created_by),
        is_demo: Set(is_demo),
        created_at: Set(now),
        ..Default::default()
    };
    columns(role, &mut model);
    let saved = model.insert(&txn).await?;
    replace_skills(&txn, saved.id, role).await?;
    crate::indexing::enqueue(&txn, crate::indexing::Queued::Role, saved.id).await?;
    if !is_demo {
        audit::record(
            &txn,
            Some(created_by),
            "role.created",
            "role",
            Some(saved.id.to_string()),
            json!({}),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(saved.id)
}

/// Updates one of the user's organisation's roles.
pub async fn update(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: i32,
    role: &Role,
) -> AppResult<i32> {
    domain::role::check_closing(role, domain::time::japan_date(Utc::now()))
        .map_err(AppError::Validation)?;
    let txn = db.begin().await?;
    let existing = find_own(&txn, user, id).await?;
    let closing = existing.is_open && !role.is_open;
    let mut model: role::ActiveModel = existing.into();
    columns(role, &mut model);
    model.update(&txn).await?;
    if closing {
        // closed by hand: its open applications up to the interview close with it
        let by = super::closing::ClosedBy {
            user_id: Some(user.id),
            name: Some(user.display_name.clone()),
        };
        super::closing::close_applications(&txn, id, &by).await?;
    }
    replace_skills(&txn, id, role).await?;
    crate::indexing::enqueue(&txn, crate::indexing::Queued::Role, id).await?;
    audit::record(
        &txn,
        Some(user.id),
        "role.updated",
        "role",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}
