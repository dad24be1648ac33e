//! Keeps the search index derived from the database: what a profile or role looks like to the
//! index, a full rebuild, and the update after each save.
//!
//! Only what may be found is indexed: searchable profiles, and open roles of verified
//! organisations (an unverified employer's roles wait for an administrator).

use std::collections::HashMap;
use std::sync::Arc;

use domain::jlpt::JlptLevel;
use domain::matching::{EngineerFacts, RoleFacts};
use domain::skills::SkillId;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use search::{Kind, ProfileDoc, RoleDoc, SearchIndex};

use crate::db::entities::{engineer_profile, organisation, profile_skill, role, role_skill};
use crate::error::{AppError, AppResult};

fn search_failed(err: search::SearchError) -> AppError {
    tracing::error!(error = %err, "search index error");
    AppError::Internal
}

/// What matching needs to know about an engineer, from their stored profile.
pub fn engineer_facts(p: &engineer_profile::Model, skills: Vec<(SkillId, u8)>) -> EngineerFacts {
    EngineerFacts {
        skills,
        jlpt: p.jlpt_level.as_deref().and_then(JlptLevel::parse),
        desired_salary_jpy: p.desired_salary_jpy,
        in_japan: false,
    }
}

/// What matching needs to know about a role, from its stored row and skills.
pub fn role_facts(r: &role::Model, skills: &[role_skill::Model]) -> RoleFacts {
    RoleFacts {
        required: skills
            .iter()
            .filter(|s| s.required)
            .map(|s| {
                (
                    SkillId::new(s.skill_id.clone()),
                    s.min_years.clamp(0, 255) as u8,
                )
            })
            .collect(),
        nice: skills
            .iter()
            .filter(|s| !s.required)
            .map(|s| SkillId::new(s.skill_id.clone()))
            .collect(),
        min_jlpt: r.min_jlpt.as_deref().and_then(JlptLevel::parse),
        jlpt_strict: r.jlpt_strict,
        salary_max_jpy: r.salary_max_jpy,
        apply_from_abroad: r.apply_from_abroad,
    }
}

fn profile_doc(p: &engineer_profile::Model, skills: Vec<(SkillId, u8)>) -> ProfileDoc {
    ProfileDoc {
        id: p.user_id,
        text: [
            Some(p.full_name.as_str()),
            p.headline.as_deref(),
            p.summary.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n"),
        facts: engineer_facts(p, skills),
        indian_state: p.indian_state.clone(),
    }
}

fn role_doc(r: &role::Model, skills: &[role_skill::Model]) -> RoleDoc {
    RoleDoc {
        id: r.id,
        text: [
            r.title_ja.as_deref(),
            r.title_en.as_deref(),
            r.description_ja.as_deref(),
            r.description_en.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n"),
        facts: role_facts(r, skills),
        salary_min_jpy: r.salary_min_jpy,
        prefecture: r.prefecture.clone(),
        remote_policy: r.remote_policy.clone(),
        visa_sponsorship: r.visa_sponsorship,
    }
}

/// Re-indexes one engineer after a save: added or replaced if searchable, else removed.
pub async fn refresh_profile(
    db: &impl ConnectionTrait,
    index: &Arc<SearchIndex>,
    user_id: i32,
) -> AppResult<()> {
    let profile = engineer_profile::Entity::find_by_id(user_id)
        .one(db)
        .await?;
    let doc = match profile {
        Some(p) if p.searchable => {
            let skills = profile_skill::Entity::find()
                .filter(profile_skill::Column::UserId.eq(user_id))
                .all(db)
                .await?
                .into_iter()
                .map(|s| (SkillId::new(s.skill_id), s.years.clamp(0, 255) as u8))
                .collect();
            Some(profile_doc(&p, skills))
        }
        _ => None,
    };
    let index = Arc::clone(index);
    // tantivy's commit does disk I/O and fsyncs: keep it off the async workers
    tokio::task::spawn_blocking(move || {
        match doc {
            Some(doc) => index.upsert_profile(&doc)?,
            None => index.remove(Kind::Engineer, user_id)?,
        }
        index.commit()
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(search_failed)
}

/// Re-indexes one role after a save: added or replaced if open and its organisation verified,
/// else removed.
pub async fn refresh_role(
    db: &impl ConnectionTrait,
    index: &Arc<SearchIndex>,
    role_id: i32,
) -> AppResult<()> {
    let found = role::Entity::find_by_id(role_id).one(db).await?;
    let mut doc = None;
    if let Some(r) = found.filter(|r| r.is_open) {
        let verified = organisation::Entity::find_by_id(r.organisation_id)
            .one(db)
            .await?
            .is_some_and(|o| o.verified);
        if verified {
            let skills = role_skill::Entity::find()
                .filter(role_skill::Column::RoleId.eq(role_id))
                .all(db)
                .await?;
            doc = Some(role_doc(&r, &skills));
        }
    }
    let index = Arc::clone(index);
    tokio::task::spawn_blocking(move || {
        match doc {
            Some(doc) => index.upsert_role(&doc)?,
            None => index.remove(Kind::Role, role_id)?,
        }
        index.commit()
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(search_failed)
}

/// Rebuilds the whole index from the database; `progress` is told (done, total) as it goes.
pub async fn rebuild(
    db: &impl ConnectionTrait,
    index: &Arc<SearchIndex>,
    progress: impl Fn(usize, usize) + Send + Sync + 'static,
) -> AppResult<(usize, usize)> {
    let profiles = engineer_profile::Entity::find()
        .filter(engineer_profile::Column::Searchable.eq(true))
        .all(db)
        .await?;
    let mut skills_by_user: HashMap<i32, Vec<(SkillId, u8)>> = HashMap::new();
    for s in profile_skill::Entity::find().all(db).await? {
        skills_by_user
            .entry(s.user_id)
            .or_default()
            .push((SkillId::new(s.skill_id), s.years.clamp(0, 255) as u8));
    }
    let verified: Vec<i32> = organisation::Entity::find()
        .filter(organisation::Column::Verified.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let roles = role::Entity::find()
        .filter(role::Column::IsOpen.eq(true))
        .filter(role::Column::OrganisationId.is_in(verified))
        .all(db)
        .await?;
    let mut skills_by_role: HashMap<i32, Vec<role_skill::Model>> = HashMap::new();
    for s in role_skill::Entity::find().all(db).await? {
        skills_by_role.entry(s.role_id).or_default().push(s);
    }
    let profile_docs: Vec<ProfileDoc> = profiles
        .iter()
        .map(|p| profile_doc(p, skills_by_user.remove(&p.user_id).unwrap_or_default()))
        .collect();
    let role_docs: Vec<RoleDoc> = roles
        .iter()
        .map(|r| {
            role_doc(
                r,
                skills_by_role
                    .get(&r.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
            )
        })
        .collect();
    let counts = (profile_docs.len(), role_docs.len());
    let index = Arc::clone(index);
    tokio::task::spawn_blocking(move || {
        let total = profile_docs.len() + role_docs.len();
        index.clear()?;
        for (done, doc) in profile_docs.iter().enumerate() {
            index.upsert_profile(doc)?;
            if done % 1000 == 0 {
                progress(done, total);
            }
        }
        for (done, doc) in role_docs.iter().enumerate() {
            index.upsert_role(doc)?;
            if done % 1000 == 0 {
                progress(profile_docs.len() + done, total);
            }
        }
        index.commit()?;
        progress(total, total);
        Ok::<_, search::SearchError>(())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(search_failed)?;
    Ok(counts)
}
