//! Reading and writing engineer profiles.

use chrono::Utc;
use domain::jlpt::JlptLevel;
use domain::language::UiLanguage;
use domain::profile::{LanguageRowDraft, Profile, ProfileDraft, SkillRowDraft};
use domain::skills::Taxonomy;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};
use serde_json::json;

use crate::audit;
use crate::db::entities::{engineer_profile, profile_language, profile_skill};
use crate::error::AppResult;

/// The saved profile as the form's values, skill names in the user's language; `None` when the
/// engineer has not saved one yet.
pub async fn load_draft(
    db: &impl ConnectionTrait,
    taxonomy: &Taxonomy,
    user_id: i32,
    lang: UiLanguage,
) -> AppResult<Option<ProfileDraft>> {
    let Some(p) = engineer_profile::Entity::find_by_id(user_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let skills = profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.eq(user_id))
        .order_by_desc(profile_skill::Column::Years)
        .order_by_asc(profile_skill::Column::SkillId)
        .all(db)
        .await?;
    let languages = profile_language::Entity::find()
        .filter(profile_language::Column::UserId.eq(user_id))
        .order_by_asc(profile_language::Column::Language)
        .all(db)
        .await?;
    let free_skills = p.free_skills();
    let on = |b: bool| b.then(|| "on".to_owned());
    Ok(Some(ProfileDraft {
        full_name: p.full_name,
        headline: p.headline.unwrap_or_default(),
        summary: p.summary.unwrap_or_default(),
        years_experience: p.years_experience.to_string(),
        jlpt_level: p.jlpt_level.unwrap_or_default(),
        jlpt_certified: on(p.jlpt_certified),
        indian_state: p.indian_state.unwrap_or_default(),
        city: p.city.unwrap_or_default(),
        degree: p.degree,
        desired_salary_jpy: p
            .desired_salary_jpy
            .map(|s| s.to_string())
            .unwrap_or_default(),
        date_of_birth: p
            .date_of_birth
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        visa_interest: p.visa_interest,
        available_from: p
            .available_from
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        searchable: on(p.searchable),
        skills: skills
            .into_iter()
            .map(|s| SkillRowDraft {
                skill: taxonomy
                    .get(&s.skill_id)
                    .map_or(s.skill_id.clone(), |skill| skill.name(lang).to_owned()),
                years: s.years.to_string(),
                level: s.level,
            })
            .chain(free_skills.into_iter().map(|s| SkillRowDraft {
                skill: s.name,
                years: s.years.to_string(),
                level: s.level.map(|l| l.code().to_owned()).unwrap_or_default(),
            }))
            .collect(),
        languages: languages
            .into_iter()
            .map(|l| LanguageRowDraft {
                language: l.language,
                level: l.level,
            })
            .collect(),
    }))
}

/// Replaces the engineer's profile, skills and languages in one transaction.
pub async fn save(db: &DatabaseConnection, user_id: i32, profile: &Profile) -> AppResult<()> {
    save_with(db, user_id, profile, false).await
}

/// Like [`save`]; `is_demo` marks the seeder's synthetic profiles.
pub async fn save_with(
    db: &DatabaseConnection,
    user_id: i32,
    profile: &Profile,
    is_demo: bool,
) -> AppResult<()> {
    let txn = db.begin().await?;
    let row = engineer_profile::ActiveModel {
        user_id: Set(user_id),
        full_name: Set(profile.full_name.clone()),
        headline: Set(profile.headline.clone()),
        summary: Set(profile.summary.clone()),
        years_experience: Set(i16::from(profile.years_experience)),
        jlpt_level: Set(profile.jlpt_level.map(|l: JlptLevel| l.code().to_owned())),
        jlpt_certified: Set(profile.jlpt_certified),
        indian_state: Set(profile.indian_state.clone()),
        city: Set(profile.city.clone()),
        degree: Set(profile.degree.code().to_owned()),
        desired_salary_jpy: Set(profile.desired_salary_jpy),
        date_of_birth: Set(profile.date_of_birth),
        visa_interest: Set(profile.visa_interest.code().to_owned()),
        available_from: Set(profile.available_from),
        searchable: Set(profile.searchable),
        is_demo: Set(is_demo),
        updated_at: Set(Utc::now()),
        // saving is using: a dormant profile is found again
        dormant_since: Set(None),
        free_skills: Set(serde_json::to_string(&profile.free_skills).unwrap_or_default()),
        career: NotSet,
        documents: NotSet,
        // kept on a conflict: the first save's time
        created_at: Set(Some(Utc::now())),
    };
    engineer_profile::Entity::insert(row)
        .on_conflict(
            OnConflict::column(engineer_profile::Column::UserId)
                .update_columns([
                    engineer_profile::Column::FullName,
                    engineer_profile::Column::Headline,
                    engineer_profile::Column::Summary,
                    engineer_profile::Column::YearsExperience,
                    engineer_profile::Column::JlptLevel,
                    engineer_profile::Column::JlptCertified,
                    engineer_profile::Column::IndianState,
                    engineer_profile::Column::City,
                    engineer_profile::Column::Degree,
                    engineer_profile::Column::DesiredSalaryJpy,
                    // a person corrects or removes their date of birth like any other field
                    engineer_profile::Column::DateOfBirth,
                    engineer_profile::Column::VisaInterest,
                    engineer_profile::Column::AvailableFrom,
                    engineer_profile::Column::Searchable,
                    engineer_profile::Column::FreeSkills,
                    engineer_profile::Column::UpdatedAt,
                    engineer_profile::Column::DormantSince,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    profile_skill::Entity::delete_many()
        .filter(profile_skill::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    if !profile.skills.is_empty() {
        profile_skill::Entity::insert_many(profile.skills.iter().map(|s| {
            profile_skill::ActiveModel {
                user_id: Set(user_id),
                skill_id: Set(s.skill.as_str().to_owned()),
                years: Set(i16::from(s.years)),
                level: Set(s.level.code().to_owned()),
            }
        }))
        .exec(&txn)
        .await?;
    }
    profile_language::Entity::delete_many()
        .filter(profile_language::Column::UserId.eq(user_id))
        .exec(&txn)
        .await?;
    if !profile.languages.is_empty() {
        profile_language::Entity::insert_many(profile.languages.iter().map(|l| {
            profile_language::ActiveModel {
                user_id: Set(user_id),
                language: Set(l.language.clone()),
                level: Set(l.level.code().to_owned()),
            }
        }))
        .exec(&txn)
        .await?;
    }
    crate::indexing::enqueue(&txn, crate::indexing::Queued::Engineer, user_id).await?;
    if !is_demo {
        audit::record(
            &txn,
            Some(user_id),
            "profile.saved",
            "engineer_profile",
            Some(user_id.to_string()),
            json!({
                "skills": profile.skills.len(),
                "free_skills": profile.free_skills.len(),
                "searchable": profile.searchable
            }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
