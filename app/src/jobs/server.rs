//! Role search, the role page and the dashboard for engineers. Retrieval comes from the search
//! index when there are words or skills to look for, from the database when only filters are
//! set (so "newest first" really is); fit is scored by `domain::matching` for the engineer.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::account::UserRole;
use domain::career::YearMonth;
use domain::hsp::{self, HspCase, TABLE_2023};
use domain::jlpt::JlptLevel;
use domain::language::UiLanguage;
use domain::matching::{self, EngineerFacts, Explanation};
use domain::profile::Degree;
use domain::skills::SkillId;
use domain::sponsorship::Sponsorship;
use domain::validation::{self, Problem, Validator};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use search::{Filters, Kind};

use super::paging::Ranking;

use super::api::{
    Dashboard, FacetCounts, InvitationView, JobCard, JobQuery, JobResults, MatchView, PointsView,
    RoleView, MAX_PAGE, MAX_PER_PAGE, PER_PAGE,
};
use crate::auth::api::CurrentUser;
use crate::db::entities::{
    application, engineer_profile, invitation, organisation, profile_skill, role, role_skill,
};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// An engineer's stored profile with their skills, as matching sees them.
pub struct EngineerContext {
    pub profile: engineer_profile::Model,
    pub facts: EngineerFacts,
}

pub async fn engineer_context(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> AppResult<Option<EngineerContext>> {
    let Some(profile) = engineer_profile::Entity::find_by_id(user_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let skills = profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let facts = crate::indexing::engineer_facts(
        &profile,
        skills
            .into_iter()
            .map(crate::indexing::skill_years)
            .collect(),
    );
    Ok(Some(EngineerContext { profile, facts }))
}

fn skill_name(state: &AppState, id: &SkillId, lang: UiLanguage) -> String {
    state
        .taxonomy
        .get(id.as_str())
        .map_or_else(|| id.as_str().to_owned(), |s| s.name(lang).to_owned())
}

pub fn match_view(state: &AppState, e: &Explanation, lang: UiLanguage) -> MatchView {
    MatchView {
        score: e.score,
        eligible: e.eligible,
        matched: e
            .matched
            .iter()
            .map(|m| {
                (
                    skill_name(state, &m.skill, lang),
                    m.years_held,
                    m.years_asked,
                )
            })
            .collect(),
        related: e
            .related
            .iter()
            .map(|r| {
                (
                    skill_name(state, &r.skill, lang),
                    skill_name(state, &r.via, lang),
                    r.years_held,
                    r.years_asked,
                )
            })
            .collect(),
        missing: e
            .missing
            .iter()
            .map(|s| skill_name(state, s, lang))
            .collect(),
        nice_matched: e
            .nice_matched
            .iter()
            .map(|s| skill_name(state, s, lang))
            .collect(),
        nice_missing: e
            .nice_missing
            .iter()
            .map(|s| skill_name(state, s, lang))
            .collect(),
        jlpt_gap: e.jlpt_gap,
        no_skill_held: e.matched.is_empty() && e.related.is_empty() && !e.missing.is_empty(),
        breakdown: breakdown(e),
    }
}

/// The score by part, in points out of 100 before the JLPT and no-skill cuts: each part the
/// pair is judged on, with what it earned and could earn.
pub fn breakdown(e: &Explanation) -> Vec<(String, f32, f32)> {
    let (c, w) = (&e.components, &e.weights);
    [
        ("required_skills", c.required_skills, w.required_skills),
        ("nice_skills", c.nice_skills, w.nice_skills),
        ("jlpt", c.jlpt, w.jlpt),
        ("salary", c.salary, w.salary),
        ("location", c.location, w.location),
    ]
    .into_iter()
    .filter(|(_, _, weight)| *weight > 0.0)
    .map(|(part, value, weight)| (part.to_owned(), 100.0 * value * weight, 100.0 * weight))
    .collect()
}

/// Points for the engineer at `salary`, for work asking `role_skills` at an organisation with
/// `sponsorship`, when their age is known. See [`points_case`].
pub fn points_at(
    profile: &engineer_profile::Model,
    role_skills: &[SkillId],
    sponsorship: &Sponsorship,
    salary: i64,
    today: NaiveDate,
) -> Option<PointsView> {
    let case = points_case(profile, role_skills, sponsorship, salary, today)?;
    Some(points_view(&case))
}

/// What a page shows of a scored case.
pub fn points_view(case: &HspCase) -> PointsView {
    let breakdown = TABLE_2023.score(case);
    PointsView {
        salary_jpy: case.annual_salary_jpy,
        total: breakdown.total,
        pass_mark: TABLE_2023.pass_mark,
        qualifies: breakdown.qualifies,
        j_skip: breakdown.j_skip,
        permanent_residence_after_years: breakdown.permanent_residence_after_years,
        routes: hsp::open_routes(case, &breakdown)
            .into_iter()
            .map(|r| domain::pipeline::visa_route_code(r).to_owned())
            .collect(),
    }
}

/// The points case for an engineer, work asking `role_skills`, an organisation and a salary,
/// when the engineer's age is known. The work history, education and qualifications answer
/// what they record (related experience is the jobs that used one of the role's skills); the
/// profile's degree and years typed by hand stand in where they record nothing. The employer's
/// items come from the organisation's sponsorship profile. The one place the server builds a
/// case, so pages and the API score alike.
pub fn points_case(
    profile: &engineer_profile::Model,
    role_skills: &[SkillId],
    sponsorship: &Sponsorship,
    salary: i64,
    today: NaiveDate,
) -> Option<HspCase> {
    let age = domain::profile::age_on(profile.date_of_birth?, today);
    Some(points_case_at_age(
        profile,
        role_skills,
        sponsorship,
        salary,
        age,
        today,
    ))
}

/// [`points_case`] at a given age (the API lets the caller say it).
pub fn points_case_at_age(
    profile: &engineer_profile::Model,
    role_skills: &[SkillId],
    sponsorship: &Sponsorship,
    salary: i64,
    age: u8,
    today: NaiveDate,
) -> HspCase {
    let mut case = HspCase {
        degree: Degree::parse(&profile.degree),
        related_experience_years: profile.years_experience.clamp(0, 255) as u8,
        age,
        annual_salary_jpy: salary,
        jlpt: profile.jlpt_level.as_deref().and_then(JlptLevel::parse),
        ..HspCase::default()
    };
    // NIELIT levels are not counted as Japanese IT qualifications: public guidance does not
    // settle it (../shared/reference/qualifications.yaml)
    profile
        .career()
        .apply_to(&mut case, YearMonth::of(today), role_skills, false);
    sponsorship.apply_to(&mut case);
    case
}

/// Organisations by id, for the cards' names and sectors.
async fn organisations(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<HashMap<i32, organisation::Model>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

async fn role_skills(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<HashMap<i32, Vec<role_skill::Model>>> {
    let mut out: HashMap<i32, Vec<role_skill::Model>> = HashMap::new();
    for s in role_skill::Entity::find()
        .filter(role_skill::Column::RoleId.is_in(ids))
        .all(db)
        .await?
    {
        out.entry(s.role_id).or_default().push(s);
    }
    Ok(out)
}

pub fn card(r: &role::Model, org: Option<&organisation::Model>, fit: Option<MatchView>) -> JobCard {
    JobCard {
        id: r.id,
        organisation_id: r.organisation_id,
        title_ja: r.title_ja.clone(),
        title_en: r.title_en.clone(),
        organisation_name: org
            .and_then(|o| o.name_ja.clone().or_else(|| o.name_en.clone()))
            .unwrap_or_default(),
        sector: r.sector_or(&org.map(|o| o.sector.clone()).unwrap_or_default()),
        prefecture: r.prefecture.clone(),
        salary_min_jpy: r.salary_min_jpy,
        salary_max_jpy: r.salary_max_jpy,
        min_jlpt: r.min_jlpt.clone(),
        remote_policy: r.remote_policy.clone(),
        visa_sponsorship: r.visa_sponsorship,
        apply_from_abroad: r.apply_from_abroad,
        created_at: r.created_at,
        fit,
    }
}

/// The engineer's fit for each role: one query for the roles' skills, then pure scoring.
async fn fits_for(
    state: &AppState,
    engineer: Option<&EngineerContext>,
    roles: &[&role::Model],
) -> AppResult<HashMap<i32, Explanation>> {
    let Some(engineer) = engineer else {
        return Ok(HashMap::new());
    };
    let skills = role_skills(&state.db, roles.iter().map(|r| r.id)).await?;
    Ok(roles
        .iter()
        .map(|r| {
            let facts = crate::indexing::role_facts(
                r,
                skills.get(&r.id).map(Vec::as_slice).unwrap_or_default(),
            )
            .with_relations(&state.taxonomy);
            (r.id, matching::explain(&engineer.facts, &facts))
        })
        .collect())
}

/// The checked search form.
struct Search {
    text: String,
    filters: Filters,
    by_date: bool,
    page: usize,
    per_page: usize,
}

/// The latest `since` a search takes (seconds since the epoch, far beyond any date the index
/// holds; the index's time key keeps 39 bits for it).
pub const MAX_SINCE: i64 = (1 << 38) - 1;

/// How a search takes a filter it cannot read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reading {
    /// The page: the filter is left out and the page says why, beside the results; a skill the
    /// taxonomy does not know is looked for as a word.
    Forgiving,
    /// The API: a bad parameter (an unknown skill too) is a 400 naming it, so a client learns
    /// of its mistake instead of reading results it did not ask for.
    Strict,
}

/// Reads the search form. A filter that cannot be read is left out and reported, so that a
/// mistyped salary shows its error beside results instead of hiding them.
fn parse_query(
    state: &AppState,
    query: &JobQuery,
    engineer: Option<&EngineerContext>,
) -> (Search, Vec<domain::validation::FieldError>) {
    let mut v = Validator::new();
    let jlpt_at_most = match query.jlpt.trim() {
        "" => None,
        "none" => Some(None),
        // an engineer without a level matches roles that ask for none
        "mine" => Some(engineer.and_then(|e| e.facts.jlpt)),
        code => v
            .check(
                "jlpt",
                JlptLevel::parse(code).map(Some).ok_or(Problem::NotAllowed),
            )
            .map(Some)
            .unwrap_or(None),
    };
    let prefecture = match query.prefecture.trim() {
        "" => None,
        code => v.check(
            "prefecture",
            domain::geo::prefecture(code)
                .map(|p| p.code.to_owned())
                .ok_or(Problem::NotAllowed),
        ),
    };
    let sector = match query.sector.trim() {
        "" => None,
        code => v.check(
            "sector",
            domain::geo::Sector::parse(code)
                .map(|s| s.code().to_owned())
                .ok_or(Problem::NotAllowed),
        ),
    };
    let remote_policy = match query.remote.trim() {
        "" => None,
        code => v.check(
            "remote",
            domain::role::RemotePolicy::parse(code)
                .map(|r| r.code().to_owned())
                .ok_or(Problem::NotAllowed),
        ),
    };
    let salary_at_least = v
        .check(
            "salary_min",
            domain::money::parse_optional_yen(&query.salary_min, 0, 100_000_000),
        )
        .flatten();
    let mut skills = Vec::new();
    let named: Vec<&str> = query
        .skills
        .split([',', '、', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if named.len() > 20 {
        // a search names a handful of skills; more is a way to make the server work
        v.push("skills", Problem::TooLong);
    }
    // a skill the taxonomy does not know is not dropped: it is looked for as a word, and the
    // page says so
    let mut as_words: Vec<&str> = Vec::new();
    for (i, name) in named.into_iter().take(20).enumerate() {
        match state.taxonomy.resolve_phrase(name) {
            Some(skill) => skills.push(skill.id.clone()),
            None if name.chars().count() <= 80 => {
                as_words.push(name);
                v.push(format!("skills[{i}]"), Problem::SearchedAsText);
            }
            None => v.push(format!("skills[{i}]"), Problem::UnknownSkill),
        }
    }
    // one line: a query never holds a line break or a control character
    let mut text = v
        .check("q", validation::query_text(&query.q, 500))
        .unwrap_or_default();
    for word in as_words {
        text.push_str(" , ");
        text.push_str(word);
    }
    let by_date = match query.sort.trim() {
        "" => engineer.is_none() && text.is_empty() && skills.is_empty(),
        "match" => false,
        "date" => true,
        _ => {
            v.push("sort", Problem::NotAllowed);
            false
        }
    };
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
        .map_or(PER_PAGE, |n| n as usize);
    let created_after = v
        .check(
            "since",
            validation::optional_integer(&query.since, 0, MAX_SINCE),
        )
        .flatten();
    for (field, value) in [("visa", &query.visa), ("abroad", &query.abroad)] {
        if !is_checkbox_value(value) {
            v.push(field, Problem::NotAllowed);
        }
    }
    let ignored = v.finish().err().unwrap_or_default();
    let search = Search {
        text,
        filters: Filters {
            jlpt_at_most,
            prefecture,
            visa_sponsorship: checked(&query.visa),
            remote_policy,
            salary_at_least,
            skills,
            sector,
            abroad: checked(&query.abroad),
            created_after,
            ..Filters::default()
        },
        by_date,
        page,
        per_page,
    };
    (search, ignored)
}

/// What a checkbox or a yes/no parameter may carry.
pub(crate) fn is_checkbox_value(value: &Option<String>) -> bool {
    matches!(
        value.as_deref().map(str::trim),
        None | Some("" | "on" | "true" | "false" | "off")
    )
}

/// A checkbox filter: ticked narrows to `true`; unticked does not narrow (an API client may
/// ask `false` explicitly).
pub(crate) fn checked(value: &Option<String>) -> Option<bool> {
    match value.as_deref().map(str::trim) {
        Some("false") => Some(false),
        _ => domain::profile::checkbox(value).then_some(true),
    }
}

/// The index's facet counts as a page shows them.
pub(crate) fn facet_counts(facets: Vec<search::Facet>) -> FacetCounts {
    FacetCounts(
        facets
            .into_iter()
            .map(|f| {
                let values = f.values.into_iter().map(|v| (v.value, v.count)).collect();
                (f.name, values)
            })
            .collect(),
    )
}

/// Role search, for the job board page and the JSON API alike: every filter, the order and
/// the paging are the index's, so the total is exact and each facet count is what choosing
/// the value would find. Engineers see their fit on every card.
pub async fn search(
    state: &AppState,
    user: Option<&CurrentUser>,
    query: &JobQuery,
    lang: UiLanguage,
    reading: Reading,
) -> AppResult<JobResults> {
    let engineer = match user.filter(|u| u.role == UserRole::Engineer) {
        Some(u) => engineer_context(&state.db, u.id).await?,
        None => None,
    };
    if engineer.is_some() {
        // ranked by the engineer's own fit and explained for them: not kept
        return search_afresh(state, query, engineer.as_ref(), lang, reading).await;
    }
    // the same question by anyone else finds the same page: kept (see `kept`), under the
    // roles' generation read before the search
    let generation = state.search.generation(Kind::Role);
    let key = RolePageKey {
        query: query.clone(),
        lang,
        reading,
    };
    let page = state
        .role_pages
        .get_or_search(
            generation,
            key,
            search_afresh(state, query, None, lang, reading),
        )
        .await?;
    Ok(JobResults::clone(&page))
}

/// What a role search that is not personal is kept by: the same question, in the same
/// language, read the same way, finds the same page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RolePageKey {
    query: JobQuery,
    lang: UiLanguage,
    reading: Reading,
}

/// Searches the index and reads the cards' rows, with `engineer`'s fit when there is one.
async fn search_afresh(
    state: &AppState,
    query: &JobQuery,
    engineer: Option<&EngineerContext>,
    lang: UiLanguage,
    reading: Reading,
) -> AppResult<JobResults> {
    let (s, ignored) = parse_query(state, query, engineer);
    if reading == Reading::Strict && !ignored.is_empty() {
        return Err(super::paging::refusal(ignored));
    }
    let ranking = match engineer {
        _ if s.by_date => Ranking::Newest,
        Some(engineer) => Ranking::FitForEngineer(engineer.facts.clone()),
        None => Ranking::Relevance,
    };
    let (found, page) = super::paging::search_page(
        state,
        Kind::Role,
        s.text.clone(),
        s.filters.clone(),
        ranking,
        s.page,
        s.per_page,
    )
    .await?;
    let per_page = s.per_page;
    let ids: Vec<i32> = found.hits.iter().map(|h| h.id).collect();
    let rows: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(ids.clone()))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let orgs = organisations(&state.db, rows.values().map(|r| r.organisation_id)).await?;
    // the index holds only open roles of verified organisations, but may lag the database by
    // a moment: check again
    let shown: Vec<(&role::Model, Option<Explanation>)> = found
        .hits
        .into_iter()
        .filter_map(|hit| {
            let r = rows.get(&hit.id)?;
            let published = r.is_open && orgs.get(&r.organisation_id).is_some_and(|o| o.verified);
            published.then_some((r, hit.explanation))
        })
        .collect();
    // sorted by date or relevance, only the page shown is explained
    let mut fits = if shown.iter().all(|(_, e)| e.is_none()) {
        let roles: Vec<&role::Model> = shown.iter().map(|(r, _)| *r).collect();
        fits_for(state, engineer, &roles).await?
    } else {
        HashMap::new()
    };
    let cards = shown
        .into_iter()
        .map(|(r, explanation)| {
            let fit = explanation
                .or_else(|| fits.remove(&r.id))
                .map(|e| match_view(state, &e, lang));
            card(r, orgs.get(&r.organisation_id), fit)
        })
        .collect();
    let pages = found.total.div_ceil(per_page).max(1);
    Ok(JobResults {
        cards,
        total: found.total,
        page,
        pages,
        sort: if s.by_date { "date" } else { "match" }.to_owned(),
        ignored,
        also_searched: also_searched(state, &s.text, lang),
        ordering_words: found.ordering_words,
        facets: facet_counts(found.facets),
    })
}

/// What a search's keywords were also searched as, for the page to say: the skills they name,
/// the glossary's words for them in the other languages, and the places they name. Words
/// already typed are not repeated.
pub(crate) fn also_searched(state: &AppState, text: &str, lang: UiLanguage) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let reading = state.search.read_query(text);
    let typed = domain::skills::fold(text);
    let mut out: Vec<String> = Vec::new();
    let mut add = |word: &str| {
        let folded = domain::skills::fold(word);
        if !word.is_empty() && !typed.contains(&folded) && !out.iter().any(|w| w == word) {
            out.push(word.to_owned());
        }
    };
    for skill in &reading.skills {
        add(&skill_name(state, skill, lang));
    }
    for term in &reading.terms {
        for other in [UiLanguage::En, UiLanguage::Ja, UiLanguage::Hi] {
            add(term.display(other));
        }
    }
    for prefecture in &reading.prefectures {
        add(prefecture.name.in_language(lang.code()));
    }
    out.truncate(12);
    out
}

/// A role as `user` sees it: published roles for everyone; a closed or unpublished role only
/// for an engineer who applied to it (so their application keeps its context) and for its own
/// organisation.
pub async fn role_view(
    state: &AppState,
    user: Option<&CurrentUser>,
    id: i32,
    lang: UiLanguage,
    today: NaiveDate,
) -> AppResult<RoleView> {
    let db = &state.db;
    let r = role::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let orgs = organisations(db, [r.organisation_id]).await?;
    let org = orgs.get(&r.organisation_id);
    let engineer_id = user.filter(|u| u.role == UserRole::Engineer).map(|u| u.id);
    let application_id: Option<i32> = match engineer_id {
        Some(uid) => {
            application::Entity::find()
                .select_only()
                .column(application::Column::Id)
                .filter(application::Column::RoleId.eq(id))
                .filter(application::Column::EngineerUserId.eq(uid))
                .into_tuple()
                .one(db)
                .await?
        }
        None => None,
    };
    let published = r.is_open && org.is_some_and(|o| o.verified);
    let own_organisation = user.is_some_and(|u| u.organisation_id == Some(r.organisation_id));
    let admin = user.is_some_and(|u| u.role == UserRole::Admin);
    if !(published || application_id.is_some() || own_organisation || admin) {
        return Err(AppError::NotFound);
    }
    let skills = role_skills(db, [id]).await?.remove(&id).unwrap_or_default();
    let engineer = match engineer_id {
        Some(uid) => engineer_context(db, uid).await?,
        None => None,
    };
    let fit = engineer.as_ref().map(|e| {
        let facts = crate::indexing::role_facts(&r, &skills).with_relations(&state.taxonomy);
        match_view(state, &matching::explain(&e.facts, &facts), lang)
    });
    let asked: Vec<SkillId> = skills
        .iter()
        .map(|s| SkillId::new(s.skill_id.clone()))
        .collect();
    let sponsorship = org
        .map(organisation::Model::sponsorship)
        .unwrap_or_default();
    let points = engineer.as_ref().and_then(|e| {
        Some((
            points_at(&e.profile, &asked, &sponsorship, r.salary_min_jpy, today)?,
            points_at(&e.profile, &asked, &sponsorship, r.salary_max_jpy, today)?,
        ))
    });
    let invited = match engineer_id {
        Some(uid) => invitation::Entity::find()
            .filter(invitation::Column::RoleId.eq(id))
            .filter(invitation::Column::EngineerUserId.eq(uid))
            .one(db)
            .await?
            .is_some(),
        None => false,
    };
    let name = |s: &role_skill::Model| skill_name(state, &SkillId::new(s.skill_id.clone()), lang);
    // skills asked in the employer's own words are shown as written
    let free = r.free_skills();
    Ok(RoleView {
        description_ja: r.description_ja.clone(),
        description_en: r.description_en.clone(),
        jlpt_strict: r.jlpt_strict,
        working_language: r.working_language.clone(),
        headcount: r.headcount,
        is_open: published,
        closes_on: r.closes_on,
        required: skills
            .iter()
            .filter(|s| s.required)
            .map(|s| (name(s), s.min_years))
            .chain(
                free.required
                    .iter()
                    .map(|s| (s.name.clone(), i16::from(s.years))),
            )
            .collect(),
        nice: skills
            .iter()
            .filter(|s| !s.required)
            .map(name)
            .chain(free.nice.iter().map(|s| s.name.clone()))
            .collect(),
        needs_date_of_birth: engineer
            .as_ref()
            .is_some_and(|e| e.profile.date_of_birth.is_none()),
        points,
        has_profile: engineer.is_some(),
        viewer: user.map(|u| u.role),
        can_apply: engineer.is_some() && application_id.is_none() && published,
        application_id,
        invited,
        card: card(&r, org, fit),
    })
}

/// The open roles that fit an engineer best, with their organisations and why, best first:
/// the dashboard's matches and the API's (`/api/v1/me/matches`).
pub async fn best_matches(
    state: &AppState,
    engineer: &EngineerContext,
    limit: usize,
) -> AppResult<Vec<(role::Model, Option<organisation::Model>, Explanation)>> {
    let index = state.search.clone();
    let facts = engineer.facts.clone();
    let text = crate::indexing::join_texts(&[
        engineer.profile.headline.as_deref(),
        engineer.profile.summary.as_deref(),
    ]);
    let hits = state
        .search_slots
        .run(move || index.roles_for_engineer(&facts, &text, limit))
        .await?
        .map_err(|err| {
            tracing::error!(error = %err, "matching failed");
            AppError::Internal
        })?;
    let mut rows: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(hits.iter().map(|h| h.id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let orgs = organisations(&state.db, rows.values().map(|r| r.organisation_id)).await?;
    Ok(hits
        .into_iter()
        .filter_map(|hit| {
            // the index may lag the database by a moment: published roles only
            let r = rows.remove(&hit.id).filter(|r| r.is_open)?;
            let org = orgs
                .get(&r.organisation_id)
                .filter(|o| o.verified)
                .cloned()?;
            Some((r, Some(org), hit.explanation?))
        })
        .collect())
}

/// The engineer's dashboard: best matches with points, latest applications, open invitations.
pub async fn dashboard(
    state: &AppState,
    user: &CurrentUser,
    lang: UiLanguage,
    today: NaiveDate,
) -> AppResult<Dashboard> {
    let db = &state.db;
    let applications = crate::applications::server::list(
        db,
        user,
        &crate::applications::server::ListFilter::default(),
    )
    .await?
    .into_iter()
    .take(5)
    .collect::<Vec<_>>();
    let applied: Vec<i32> = application::Entity::find()
        .select_only()
        .column(application::Column::RoleId)
        .filter(application::Column::EngineerUserId.eq(user.id))
        .into_tuple()
        .all(db)
        .await?;
    let pending = invitation::Entity::find()
        .filter(invitation::Column::EngineerUserId.eq(user.id))
        .filter(invitation::Column::RoleId.is_not_in(applied.clone()))
        .order_by_desc(invitation::Column::Id)
        .limit(20)
        .all(db)
        .await?;
    let invited_roles: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(pending.iter().map(|i| i.role_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let invite_orgs = organisations(db, invited_roles.values().map(|r| r.organisation_id)).await?;
    let invitations = pending
        .into_iter()
        .filter_map(|i| {
            let r = invited_roles.get(&i.role_id).filter(|r| r.is_open)?;
            Some(InvitationView {
                role_id: r.id,
                title_ja: r.title_ja.clone(),
                title_en: r.title_en.clone(),
                organisation_name: invite_orgs
                    .get(&r.organisation_id)
                    .and_then(|o| o.name_ja.clone().or_else(|| o.name_en.clone()))
                    .unwrap_or_default(),
                message: i.message,
                created_at: i.created_at,
            })
        })
        .collect();
    let Some(engineer) = engineer_context(db, user.id).await? else {
        return Ok(Dashboard {
            has_profile: false,
            matches: Vec::new(),
            applications,
            invitations,
        });
    };
    let found = best_matches(state, &engineer, 12).await?;
    let matches = found
        .into_iter()
        .filter(|(r, _, _)| !applied.contains(&r.id))
        .map(|(r, org, explanation)| {
            let fit = match_view(state, &explanation, lang);
            // the role's required skills, as the explanation lists them
            let asked: Vec<SkillId> = explanation
                .matched
                .iter()
                .map(|m| m.skill.clone())
                .chain(explanation.related.iter().map(|m| m.skill.clone()))
                .chain(explanation.missing.iter().cloned())
                .collect();
            let sponsorship = org
                .as_ref()
                .map(organisation::Model::sponsorship)
                .unwrap_or_default();
            let points = points_at(
                &engineer.profile,
                &asked,
                &sponsorship,
                r.salary_max_jpy,
                today,
            );
            (card(&r, org.as_ref(), Some(fit)), points)
        })
        .take(10)
        .collect();
    Ok(Dashboard {
        has_profile: true,
        matches,
        applications,
        invitations,
    })
}
