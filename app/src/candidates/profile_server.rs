//! A candidate's page in the database: who may read it, and what it shows.
//!
//! An employer of a verified organisation reads any engineer in the talent pool (a searchable
//! profile) and any engineer who applied to the organisation, whether searchable or not; an
//! administrator reads any, on the record. Anyone else, and a hidden profile with no
//! application, is told it does not exist. Contact details appear only with an application
//! whose engineer consents to sharing them.

use domain::account::UserRole;
use domain::language::UiLanguage;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::api::{CandidateProfile, CareerLine, SharedApplication};
use crate::auth::api::CurrentUser;
use crate::db::entities::{
    application, engineer_profile, profile_language, profile_skill, role, user,
};
use crate::error::{AppError, AppResult};
use crate::jobs::server::match_view;
use crate::state::AppState;

/// The documents an organisation receives with an application: (label, file).
const SHARED_DOCUMENTS: [(&str, &str); 3] = [
    ("履歴書 (PDF)", "rirekisho.pdf"),
    ("職務経歴書 (PDF)", "shokumu-keirekisho.pdf"),
    ("CV (PDF)", "cv.pdf"),
];

pub async fn profile(
    state: &AppState,
    reader: &CurrentUser,
    engineer_id: i32,
    role_id: Option<i32>,
    lang: UiLanguage,
) -> AppResult<CandidateProfile> {
    let db = &state.db;
    crate::auth::server::require_talent_access(db, reader).await?;
    let profile = engineer_profile::Entity::find_by_id(engineer_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let applications: Vec<application::Model> = match (reader.role, reader.organisation_id) {
        (UserRole::Employer, Some(organisation)) => {
            application::Entity::find()
                .filter(application::Column::EngineerUserId.eq(engineer_id))
                .filter(application::Column::OrganisationId.eq(organisation))
                .order_by_desc(application::Column::Id)
                .all(db)
                .await?
        }
        _ => Vec::new(),
    };
    let visible = reader.role == UserRole::Admin || profile.searchable || !applications.is_empty();
    if !visible {
        return Err(AppError::NotFound);
    }
    if reader.role == UserRole::Admin {
        crate::audit::record(
            db,
            Some(reader.id),
            "admin.read_candidate",
            "user",
            Some(engineer_id.to_string()),
            json!({}),
        )
        .await?;
    }
    let held = profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.eq(engineer_id))
        .all(db)
        .await?;
    let mut skills: Vec<(String, u8, String)> = held
        .iter()
        .map(|s| {
            let name = state
                .taxonomy
                .get(&s.skill_id)
                .map_or_else(|| s.skill_id.clone(), |k| k.name(lang).to_owned());
            (name, s.years.clamp(0, 255) as u8, s.level.clone())
        })
        .collect();
    skills.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let languages = profile_language::Entity::find()
        .filter(profile_language::Column::UserId.eq(engineer_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.language, l.level))
        .collect();
    // the organisation's open roles, to explain the fit for one
    let own_roles: Vec<role::Model> = match reader.organisation_id {
        Some(organisation) => {
            role::Entity::find()
                .filter(role::Column::OrganisationId.eq(organisation))
                .filter(role::Column::IsOpen.eq(true))
                .order_by_desc(role::Column::Id)
                .all(db)
                .await?
        }
        None => Vec::new(),
    };
    let title = |r: &role::Model| crate::roles::pages::title_for(lang, &r.title_ja, &r.title_en);
    let ranked = match role_id {
        None => None,
        Some(id) if reader.role == UserRole::Admin => Some(
            role::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        Some(id) => Some(crate::roles::server::find_own(db, reader, id).await?),
    };
    let fit = match &ranked {
        Some(r) => {
            let role_skills = crate::roles::server::skills_of(db, r.id).await?;
            let facts =
                crate::indexing::role_facts(r, &role_skills).with_relations(&state.taxonomy);
            let engineer = crate::indexing::engineer_facts(
                &profile,
                held.into_iter().map(crate::indexing::skill_years).collect(),
            );
            Some(match_view(
                state,
                &domain::matching::explain(&engineer, &facts),
                lang,
            ))
        }
        None => None,
    };
    let career = profile.career();
    let employment = career
        .employment
        .iter()
        .map(|e| CareerLine {
            what: e.title.clone(),
            where_: format!("{} ({})", e.employer, e.country),
            from: e.started.to_string(),
            to: e.ended.map(|m| m.to_string()),
            description: e.description.clone(),
        })
        .collect();
    let education = career
        .education
        .iter()
        .map(|e| CareerLine {
            what: e.field.clone(),
            where_: format!("{} ({})", e.institution, e.country),
            from: e.started.to_string(),
            to: e.ended.map(|m| m.to_string()),
            description: None,
        })
        .collect();
    let qualifications = career
        .qualifications
        .iter()
        .map(|q| (q.name.clone(), q.obtained.to_string()))
        .collect();
    let role_titles: std::collections::HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(applications.iter().map(|a| a.role_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let email = if applications.iter().any(|a| a.contact_shared) {
        user::Entity::find_by_id(engineer_id)
            .one(db)
            .await?
            .filter(|u| u.erased_at.is_none())
            .map(|u| u.email)
    } else {
        None
    };
    let shared = applications
        .iter()
        .map(|a| SharedApplication {
            id: a.id,
            role_title_ja: role_titles.get(&a.role_id).and_then(|r| r.title_ja.clone()),
            role_title_en: role_titles.get(&a.role_id).and_then(|r| r.title_en.clone()),
            stage: a.stage.clone(),
            closed_reason: a.closed_reason.clone(),
            documents: SHARED_DOCUMENTS
                .iter()
                .map(|(label, file)| {
                    (
                        (*label).to_owned(),
                        format!("/api/v1/applications/{}/documents/{file}", a.id),
                    )
                })
                .collect(),
            contact: email.clone().filter(|_| a.contact_shared),
        })
        .collect();
    Ok(CandidateProfile {
        engineer_id,
        full_name: profile.full_name.clone(),
        headline: profile.headline.clone(),
        summary: profile.summary.clone(),
        years_experience: profile.years_experience,
        jlpt: profile.jlpt_level.clone(),
        jlpt_certified: profile.jlpt_is_certified(),
        indian_state: profile.indian_state.clone(),
        visa_interest: profile.visa_interest.clone(),
        available_from: profile.available_from,
        skills,
        free_skills: profile.free_skills().into_iter().map(|f| f.name).collect(),
        languages,
        employment,
        education,
        qualifications,
        fit,
        ranked_for: ranked.map(|r| r.id),
        roles: own_roles.iter().map(|r| (r.id, title(r))).collect(),
        applications: shared,
    })
}
