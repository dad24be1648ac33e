//! Ranking and searching the talent pool for one of the employer's roles.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use domain::language::UiLanguage;
use domain::matching;
use domain::skills::SkillId;
use domain::validation;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use search::{Filters, Kind};

use super::api::{CandidateCard, Candidates};
use crate::auth::api::CurrentUser;
use crate::db::entities::{application, engineer_profile, invitation, profile_skill};
use crate::error::{AppError, AppResult};
use crate::jobs::server::{match_view, points_at};
use crate::state::AppState;

/// How many candidates a page shows.
pub const CANDIDATES_SHOWN: usize = 30;

pub async fn candidates(
    state: &AppState,
    user: &CurrentUser,
    role_id: i32,
    q: &str,
    lang: UiLanguage,
    today: NaiveDate,
) -> AppResult<Candidates> {
    let db = &state.db;
    crate::auth::server::require_talent_access(db, user).await?;
    let role = crate::roles::server::find_own(db, user, role_id).await?;
    let sponsorship = crate::db::entities::organisation::Entity::find_by_id(role.organisation_id)
        .one(db)
        .await?
        .map(|o| o.sponsorship())
        .unwrap_or_default();
    let skills = crate::roles::server::skills_of(db, role_id).await?;
    let facts = crate::indexing::role_facts(&role, &skills).with_relations(&state.taxonomy);
    let asked: Vec<SkillId> = facts.required.iter().map(|(s, _)| s.clone()).collect();
    let query = validation::optional_text(q, 200)
        .map_err(|p| AppError::InvalidParameters(vec![validation::FieldError::new("q", p)]))?
        .unwrap_or_default();
    let index = state.search.clone();
    let (role_facts, text) = (facts.clone(), query.clone());
    let role_text =
        crate::indexing::join_texts(&[role.title_ja.as_deref(), role.title_en.as_deref()]);
    let hits = tokio::task::spawn_blocking(move || {
        if text.is_empty() {
            index.engineers_for_role(&role_facts, &role_text, CANDIDATES_SHOWN)
        } else {
            // a search in the talent pool, then ranked for this role
            index.search(
                Kind::Engineer,
                &text,
                &Filters::default(),
                CANDIDATES_SHOWN * 4,
            )
        }
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|err| {
        tracing::error!(error = %err, "candidate search failed");
        AppError::Internal
    })?;
    let ids: Vec<i32> = hits.iter().map(|h| h.id).collect();
    let profiles: HashMap<i32, engineer_profile::Model> = engineer_profile::Entity::find()
        .filter(engineer_profile::Column::UserId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    let mut skills_by_engineer: HashMap<i32, Vec<profile_skill::Model>> = HashMap::new();
    for s in profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        skills_by_engineer.entry(s.user_id).or_default().push(s);
    }
    let invited: HashSet<i32> = invitation::Entity::find()
        .filter(invitation::Column::RoleId.eq(role_id))
        .filter(invitation::Column::EngineerUserId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.engineer_user_id)
        .collect();
    let applied: HashMap<i32, i32> = application::Entity::find()
        .filter(application::Column::RoleId.eq(role_id))
        .filter(application::Column::EngineerUserId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.engineer_user_id, a.id))
        .collect();
    let mut cards: Vec<CandidateCard> = hits
        .into_iter()
        .filter_map(|hit| {
            // a profile hidden since the index last heard of it is never shown
            let p = profiles.get(&hit.id).filter(|p| p.searchable)?;
            let explanation = hit.explanation.unwrap_or_else(|| {
                let engineer = crate::indexing::engineer_facts(
                    p,
                    skills_by_engineer
                        .remove(&p.user_id)
                        .unwrap_or_default()
                        .into_iter()
                        .map(crate::indexing::skill_years)
                        .collect(),
                );
                matching::explain(&engineer, &facts)
            });
            Some(CandidateCard {
                engineer_id: p.user_id,
                full_name: p.full_name.clone(),
                headline: p.headline.clone(),
                jlpt: p.jlpt_level.clone(),
                jlpt_certified: p.jlpt_is_certified(),
                years_experience: p.years_experience,
                indian_state: p.indian_state.clone(),
                fit: match_view(state, &explanation, lang),
                points: points_at(p, &asked, &sponsorship, role.salary_max_jpy, today),
                invited: invited.contains(&p.user_id),
                application_id: applied.get(&p.user_id).copied(),
            })
        })
        .collect();
    if !query.is_empty() {
        // a stable sort: equal scores keep the search's order, most relevant text first
        cards.sort_by(|a, b| b.fit.score.total_cmp(&a.fit.score));
        cards.truncate(CANDIDATES_SHOWN);
    }
    Ok(Candidates {
        role_id,
        role_title_ja: role.title_ja,
        role_title_en: role.title_en,
        query,
        cards,
    })
}
