//! A role's candidates: the engineers ranked for it by `domain::matching` (the role's own
//! candidates, or those the recruiter's words find), narrowed by the talent pool's filters and
//! paged. One path for the candidates page and `GET /api/v1/roles/{id}/matches`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use domain::language::UiLanguage;
use domain::matching::{Explanation, RoleFacts};
use domain::skills::SkillId;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use search::{Filters, Kind, RoleRanking};

use super::api::{CandidateCard, Candidates};
use crate::auth::api::CurrentUser;
use crate::db::entities::{
    application, engineer_profile, invitation, organisation, role, role_skill,
};
use crate::error::{AppError, AppResult};
use crate::jobs::server::{match_view, points_at, Reading};
use crate::state::AppState;
use crate::talent::api::TalentQuery;

/// One page of a role's ranking: each engineer's profile with why they rank where they do.
pub struct RankedCandidates {
    pub role: role::Model,
    /// The role's skills, as ranked against.
    pub role_skills: Vec<role_skill::Model>,
    pub rows: Vec<(engineer_profile::Model, Explanation)>,
    /// Engineers ranked in all (at most [`search::MATCH_CANDIDATES`]).
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// The canonical form, with what was left out and why.
    pub ignored: Vec<domain::validation::FieldError>,
}

/// What a ranking of candidates is kept by (`AppState::candidate_pages`, under the engineers'
/// generation): the role as it is (its facts and words), the recruiter's words and filters
/// and the page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CandidatePageKey {
    role: RoleFacts,
    role_text: String,
    words: String,
    filters: Filters,
    page: usize,
    per_page: usize,
}

/// Ranks engineers for a role `user` may rank for (their organisation's, any for an
/// administrator), filtered as the talent pool filters, and reads page `query.page`.
pub async fn ranked(
    state: &AppState,
    user: &CurrentUser,
    role_id: i32,
    query: &TalentQuery,
    reading: Reading,
) -> AppResult<RankedCandidates> {
    crate::auth::server::require_talent_access(&state.db, user).await?;
    let role = crate::roles::server::find_rankable(&state.db, user, role_id).await?;
    let (search, ignored) = crate::talent::server::parse_query(state, query);
    if reading == Reading::Strict && !ignored.is_empty() {
        return Err(crate::jobs::paging::refusal(ignored));
    }
    let role_skills = crate::roles::server::skills_of(&state.db, role_id).await?;
    let facts = crate::indexing::role_facts(&role, &role_skills);
    let role_text =
        crate::indexing::join_texts(&[role.title_ja.as_deref(), role.title_en.as_deref()]);
    let per_page = search.per_page;
    let key = CandidatePageKey {
        role: facts.clone(),
        role_text: role_text.clone(),
        words: search.text.clone(),
        filters: search.filters.clone(),
        page: search.page,
        per_page,
    };
    // read before the ranking: a page is kept only under a generation whose documents it saw
    let generation = state.search.generation(Kind::Engineer);
    let kept = state
        .candidate_pages
        .get_or_search(generation, key, rank(state, facts, role_text, search))
        .await?;
    let (found, page) = (&kept.0, kept.1);
    let ids: Vec<i32> = found.hits.iter().map(|h| h.id).collect();
    let mut profiles: HashMap<i32, engineer_profile::Model> = engineer_profile::Entity::find()
        .filter(engineer_profile::Column::UserId.is_in(ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    let rows = found
        .hits
        .iter()
        .filter_map(|hit| {
            // a profile hidden since the index last heard of it is never shown
            let profile = profiles.remove(&hit.id).filter(|p| p.searchable)?;
            Some((profile, hit.explanation.clone()?))
        })
        .collect();
    Ok(RankedCandidates {
        role,
        role_skills,
        rows,
        total: found.ranked,
        page,
        pages: found.ranked.div_ceil(per_page).max(1),
        ignored,
    })
}

/// The index's ranking for `facts`, a page beyond the last showing the last; and the page's
/// number.
async fn rank(
    state: &AppState,
    facts: RoleFacts,
    role_text: String,
    search: crate::talent::server::Search,
) -> AppResult<(search::RankedPage, usize)> {
    let per_page = search.per_page;
    let index = state.search.clone();
    state
        .search_slots
        .run(move || {
            let run = |page: usize| {
                index.engineers_for_role_page(
                    &facts,
                    &role_text,
                    &RoleRanking {
                        words: &search.text,
                        filters: &search.filters,
                        offset: (page - 1) * per_page,
                        limit: per_page,
                    },
                )
            };
            let found = run(search.page)?;
            // a page beyond the last shows the last
            let last = found.ranked.div_ceil(per_page).max(1);
            if search.page > last {
                return run(last).map(|found| (found, last));
            }
            Ok((found, search.page))
        })
        .await?
        .map_err(|err: search::SearchError| {
            tracing::error!(error = %err, "candidate ranking failed");
            AppError::Internal
        })
}

/// The candidates page for one of the employer's roles: a page of the ranking, each with its
/// fit explained in the reader's language, the points at the role's salary, and whether the
/// engineer was invited or applied.
pub async fn candidates(
    state: &AppState,
    user: &CurrentUser,
    role_id: i32,
    query: &TalentQuery,
    lang: UiLanguage,
    today: NaiveDate,
) -> AppResult<Candidates> {
    let found = ranked(state, user, role_id, query, Reading::Forgiving).await?;
    let db = &state.db;
    let role = &found.role;
    let sponsorship = organisation::Entity::find_by_id(role.organisation_id)
        .one(db)
        .await?
        .map(|o| o.sponsorship())
        .unwrap_or_default();
    let asked: Vec<SkillId> = found
        .role_skills
        .iter()
        .filter(|s| s.required)
        .map(|s| SkillId::new(&s.skill_id))
        .collect();
    let ids: Vec<i32> = found.rows.iter().map(|(p, _)| p.user_id).collect();
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
    let cards = found
        .rows
        .iter()
        .map(|(p, explanation)| CandidateCard {
            engineer_id: p.user_id,
            full_name: p.full_name.clone(),
            headline: p.headline.clone(),
            jlpt: p.jlpt_level.clone(),
            jlpt_certified: p.jlpt_is_certified(),
            years_experience: p.years_experience,
            indian_state: p.indian_state.clone(),
            fit: match_view(state, explanation, lang),
            points: points_at(p, &asked, &sponsorship, role.salary_max_jpy, today),
            invited: invited.contains(&p.user_id),
            application_id: applied.get(&p.user_id).copied(),
        })
        .collect();
    Ok(Candidates {
        role_id,
        role_title_ja: found.role.title_ja.clone(),
        role_title_en: found.role.title_en.clone(),
        query: query.clone(),
        cards,
        total: found.total,
        page: found.page,
        pages: found.pages,
        ignored: found.ignored,
    })
}
