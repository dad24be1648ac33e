//! The talent pool search: one path for the page (`/talent`) and the API
//! (`GET /api/v1/engineers`), every filter, facet and page in the index.

use std::collections::HashMap;

use domain::jlpt::JlptLevel;
use domain::language::{UiLanguage, SPOKEN_LANGUAGES};
use domain::matching::RoleFacts;
use domain::skills::SkillId;
use domain::validation::{self, FieldError, Problem, Validator};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use search::{Filters, Kind, MAX_SKILL_YEARS};

use crate::jobs::paging::Ranking;

use super::api::{TalentQuery, TalentResults, TalentRow, TALENT_PER_PAGE};
use crate::auth::api::CurrentUser;
use crate::db::entities::{engineer_profile, profile_skill, role};
use crate::error::AppResult;
use crate::jobs::api::{MAX_PAGE, MAX_PER_PAGE};
use crate::jobs::server::{facet_counts, match_view, Reading};
use crate::state::AppState;

/// The checked form.
pub(crate) struct Search {
    pub text: String,
    pub filters: Filters,
    pub role: Option<i32>,
    pub page: usize,
    pub per_page: usize,
}

/// `Rust:3, 組み込み`: each skill, in any language, with the years after a colon.
fn skills_with_years(
    state: &AppState,
    v: &mut Validator,
    raw: &str,
    as_words: &mut Vec<String>,
) -> Vec<(SkillId, u8)> {
    let named: Vec<&str> = raw
        .split([',', '、', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if named.len() > 20 {
        v.push("skills", Problem::TooLong);
    }
    let mut out = Vec::new();
    for (i, entry) in named.into_iter().take(20).enumerate() {
        let (name, years) = match entry.rsplit_once([':', '：']) {
            Some((name, years)) => match years.trim().trim_end_matches('+').parse::<u8>() {
                Ok(years) if years <= MAX_SKILL_YEARS => (name.trim(), years),
                _ => {
                    v.push(format!("skills[{i}]"), Problem::OutOfRange);
                    continue;
                }
            },
            None => (entry, 0),
        };
        match state.taxonomy.resolve_phrase(name) {
            Some(skill) => out.push((skill.id.clone(), years)),
            None if name.chars().count() <= 80 => {
                as_words.push(name.to_owned());
                v.push(format!("skills[{i}]"), Problem::SearchedAsText);
            }
            None => v.push(format!("skills[{i}]"), Problem::UnknownSkill),
        }
    }
    out
}

/// The form read: what could be, and what was left out with why. The talent pool and a
/// role's candidates share it, so a filter means the same in both.
pub(crate) fn parse_query(state: &AppState, query: &TalentQuery) -> (Search, Vec<FieldError>) {
    let mut v = Validator::new();
    let optional = |v: &mut Validator, field: &str, raw: &str, check: &dyn Fn(&str) -> bool| {
        match raw.trim() {
            "" => None,
            code if check(code) => Some(code.to_owned()),
            _ => {
                v.push(field, Problem::NotAllowed);
                None
            }
        }
    };
    let jlpt_at_least = match query.jlpt.trim() {
        "" => None,
        code => v.check("jlpt", JlptLevel::parse(code).ok_or(Problem::NotAllowed)),
    };
    let indian_state = optional(&mut v, "state", &query.state, &|c| {
        domain::geo::indian_state(c).is_some()
    });
    let visa_interest = optional(&mut v, "route", &query.route, &|c| {
        domain::profile::VisaInterest::parse(c).is_some()
    });
    let language = optional(&mut v, "language", &query.language, &|c| {
        SPOKEN_LANGUAGES.contains(&c) || c == "ja"
    });
    let years_at_least = v
        .check("years", validation::optional_integer(&query.years, 0, 60))
        .flatten()
        .map(|y| y as u8);
    let salary_wish_at_most = v
        .check(
            "salary_max",
            domain::money::parse_optional_yen(&query.salary_max, 0, 100_000_000),
        )
        .flatten();
    let role = v
        .check(
            "role",
            validation::optional_integer(&query.role, 1, i64::from(i32::MAX)),
        )
        .flatten()
        .map(|id| id as i32);
    let mut as_words = Vec::new();
    let skill_years = skills_with_years(state, &mut v, &query.skills, &mut as_words);
    // one line: a query never holds a line break or a control character
    let mut text = v
        .check("q", validation::query_text(&query.q, 500))
        .unwrap_or_default();
    for word in as_words {
        text.push_str(" , ");
        text.push_str(&word);
    }
    let page = v
        .check(
            "page",
            validation::optional_integer(&query.page, 1, MAX_PAGE),
        )
        .flatten()
        .unwrap_or(1) as usize;
    let per_page = v
        .check(
            "limit",
            validation::optional_integer(&query.limit, 1, MAX_PER_PAGE as i64),
        )
        .flatten()
        .map_or(TALENT_PER_PAGE, |n| n as usize);
    let available_by = v
        .check(
            "available",
            match query.available.trim() {
                "" => Ok(None),
                raw => validation::date(raw).map(Some),
            },
        )
        .flatten()
        .map(crate::indexing::days_since_epoch);
    let created_after = v
        .check(
            "since",
            validation::optional_integer(&query.since, 0, crate::jobs::server::MAX_SINCE),
        )
        .flatten();
    if !crate::jobs::server::is_checkbox_value(&query.certified) {
        v.push("certified", Problem::NotAllowed);
    }
    let ignored = v.finish().err().unwrap_or_default();
    let search = Search {
        text,
        filters: Filters {
            jlpt_at_least,
            jlpt_certified: crate::jobs::server::checked(&query.certified),
            indian_state,
            years_at_least,
            salary_wish_at_most,
            visa_interest,
            languages: language.into_iter().collect(),
            skill_years,
            created_after,
            available_by,
            ..Filters::default()
        },
        role,
        page,
        per_page,
    };
    (search, ignored)
}

/// What a talent search is kept by (`AppState::talent_pages`, under the engineers'
/// generation): the same words, filters, ranking and page find the same results whoever asks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TalentPageKey {
    text: String,
    filters: Filters,
    /// The role ranked for, as its facts were when asked.
    ranked_for: Option<RoleFacts>,
    page: usize,
    per_page: usize,
}

/// The open roles `user` may rank the pool for: their organisation's (all of them for an
/// administrator would be thousands: none, they rank by a role id they give).
async fn rankable_roles(state: &AppState, user: &CurrentUser) -> AppResult<Vec<role::Model>> {
    let Some(organisation_id) = user.organisation_id else {
        return Ok(Vec::new());
    };
    Ok(role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation_id))
        .filter(role::Column::IsOpen.eq(true))
        .order_by_desc(role::Column::Id)
        .all(&state.db)
        .await?)
}

/// Searches the talent pool for `user` (an employer of a verified organisation or an
/// administrator).
pub async fn search(
    state: &AppState,
    user: &CurrentUser,
    query: &TalentQuery,
    lang: UiLanguage,
    reading: Reading,
) -> AppResult<TalentResults> {
    crate::auth::server::require_talent_access(&state.db, user).await?;
    let (s, ignored) = parse_query(state, query);
    if reading == Reading::Strict && !ignored.is_empty() {
        return Err(crate::jobs::paging::refusal(ignored));
    }
    let own_roles = rankable_roles(state, user).await?;
    // ranking for a role: the organisation's own, or any for an administrator
    let ranked_for = match s.role {
        None => None,
        Some(id) => Some(crate::roles::server::find_rankable(&state.db, user, id).await?),
    };
    let role_facts = match &ranked_for {
        Some(r) => {
            let skills = crate::roles::server::skills_of(&state.db, r.id).await?;
            Some(crate::indexing::role_facts(r, &skills))
        }
        None => None,
    };
    let per_page = s.per_page;
    let key = TalentPageKey {
        text: s.text.clone(),
        filters: s.filters.clone(),
        ranked_for: role_facts.clone(),
        page: s.page,
        per_page,
    };
    // read before the search: a page is kept only under a generation whose documents it saw
    let generation = state.search.generation(Kind::Engineer);
    let ranking = match role_facts {
        Some(role) => Ranking::FitForRole(role),
        None => Ranking::Relevance,
    };
    let search = crate::jobs::paging::search_page(
        state,
        Kind::Engineer,
        s.text.clone(),
        s.filters.clone(),
        ranking,
        s.page,
        per_page,
    );
    let kept = state
        .talent_pages
        .get_or_search(generation, key, search)
        .await?;
    let (found, page) = (&kept.0, kept.1);
    let ids: Vec<i32> = found.hits.iter().map(|h| h.id).collect();
    let profiles: HashMap<i32, engineer_profile::Model> = engineer_profile::Entity::find()
        .filter(engineer_profile::Column::UserId.is_in(ids.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    let mut skills: HashMap<i32, Vec<(String, u8)>> = HashMap::new();
    for s in profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.is_in(ids))
        .all(&state.db)
        .await?
    {
        let name = state
            .taxonomy
            .get(&s.skill_id)
            .map_or_else(|| s.skill_id.clone(), |k| k.name(lang).to_owned());
        skills
            .entry(s.user_id)
            .or_default()
            .push((name, s.years.clamp(0, 255) as u8));
    }
    let rows = found
        .hits
        .iter()
        .filter_map(|hit| {
            // a profile hidden since the index last heard of it is never shown
            let p = profiles.get(&hit.id).filter(|p| p.searchable)?;
            let mut held = skills.remove(&p.user_id).unwrap_or_default();
            held.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            Some(TalentRow {
                engineer_id: p.user_id,
                full_name: p.full_name.clone(),
                headline: p.headline.clone(),
                jlpt: p.jlpt_level.clone(),
                jlpt_certified: p.jlpt_is_certified(),
                years_experience: p.years_experience,
                indian_state: p.indian_state.clone(),
                visa_interest: p.visa_interest.clone(),
                skills: held,
                fit: hit.explanation.as_ref().map(|e| match_view(state, e, lang)),
            })
        })
        .collect();
    let title = |r: &role::Model| {
        crate::indexing::join_texts(&[r.title_ja.as_deref(), r.title_en.as_deref()])
            .replace('\n', " / ")
    };
    let facets = facet_counts(found.facets.clone());
    let skill_labels = facets
        .values("skills")
        .iter()
        .filter_map(|(id, _)| {
            let skill = state.taxonomy.get(id)?;
            Some((id.clone(), skill.name(lang).to_owned()))
        })
        .collect();
    Ok(TalentResults {
        rows,
        total: found.total,
        page,
        pages: found.total.div_ceil(per_page).max(1),
        facets,
        skill_labels,
        ignored,
        also_searched: crate::jobs::server::also_searched(state, &s.text, lang),
        ordering_words: found.ordering_words.clone(),
        roles: own_roles.iter().map(|r| (r.id, title(r))).collect(),
        ranked_for: ranked_for.map(|r| r.id),
    })
}
