//! What a profile or role looks like to the search index, read from the database: one record
//! at a time after a change, or every record for a rebuild.
//!
//! Only what may be found is indexed: searchable profiles of users who are not suspended, and
//! open roles of verified organisations (an unverified employer's roles wait for an administrator).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use domain::career::{Career, YearMonth};
use domain::jlpt::JlptLevel;
use domain::matching::{EngineerFacts, RoleFacts};
use domain::skills::{FreeSkill, SkillId};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use search::{Kind, ProfileDoc, RoleDoc, SearchIndex};

use super::change_log::Queued;
use crate::db::entities::{
    engineer_profile, organisation, profile_language, profile_skill, role, role_skill, user,
};
use crate::error::{AppError, AppResult};

pub(super) fn search_failed(err: search::SearchError) -> AppError {
    tracing::error!(error = %err, "search index error");
    AppError::Internal
}

/// What matching needs to know about an engineer, from their stored profile. Where the work
/// history names a skill, the years come from its jobs instead of the number typed by hand.
pub fn engineer_facts(p: &engineer_profile::Model, skills: Vec<(SkillId, u8)>) -> EngineerFacts {
    engineer_facts_by(p, &career_of(p), skills)
}

/// [`engineer_facts`] with the career already read.
fn engineer_facts_by(
    p: &engineer_profile::Model,
    career: &Career,
    mut skills: Vec<(SkillId, u8)>,
) -> EngineerFacts {
    if has_career(p) {
        let month = YearMonth::of(domain::time::japan_date(chrono::Utc::now()));
        for (skill, years) in career.skill_years(month) {
            match skills.iter_mut().find(|(held, _)| *held == skill) {
                Some(held) => held.1 = years,
                None => skills.push((skill, years)),
            }
        }
    }
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
        // the taxonomy's relations are added where the facts are scored
        // (`RoleFacts::with_relations`): the index does it with its own taxonomy
        related: Vec::new(),
    }
}

/// A profile skill row as matching sees it: the skill and whole years held.
pub fn skill_years(s: profile_skill::Model) -> (SkillId, u8) {
    held_years(s.skill_id, s.years)
}

/// A skill and the years its row records, as matching sees them.
fn held_years(skill: String, years: i16) -> (SkillId, u8) {
    (SkillId::new(skill), years.clamp(0, 255) as u8)
}

/// The texts that are present, one per line: what the index and the text queries read.
pub fn join_texts(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

/// Free skills' names, one line: the index finds them as text (matching does not count them).
fn free_skill_names<'a>(skills: impl IntoIterator<Item = &'a FreeSkill>) -> Option<String> {
    let names: Vec<&str> = skills.into_iter().map(|s| s.name.as_str()).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// Whether the profile records any education, job or qualification (most rows of a large
/// talent pool do not: their JSON is not parsed).
fn has_career(p: &engineer_profile::Model) -> bool {
    !matches!(p.career.trim(), "" | "{}")
}

/// The profile's career, read only when there is one.
fn career_of(p: &engineer_profile::Model) -> Career {
    if has_career(p) {
        p.career()
    } else {
        Career::default()
    }
}

/// The work history's words for the index: each job's title, employer, what was done, and
/// the skills the taxonomy does not know.
fn career_text(career: &Career) -> Option<String> {
    let lines: Vec<String> = career
        .employment
        .iter()
        .map(|job| {
            let mut parts = vec![job.title.as_str(), job.employer.as_str()];
            parts.extend(job.description.as_deref());
            parts.extend(job.free_skills.iter().map(String::as_str));
            parts.join("\n")
        })
        .chain(
            career
                .education
                .iter()
                .map(|e| format!("{} {}", e.field, e.institution)),
        )
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// A date as the index keeps it: days since 1970-01-01.
pub fn days_since_epoch(day: chrono::NaiveDate) -> i64 {
    (day - chrono::NaiveDate::default()).num_days()
}

fn profile_doc(
    p: &engineer_profile::Model,
    skills: Vec<(SkillId, u8)>,
    languages: Vec<String>,
) -> ProfileDoc {
    let free = free_skill_names(&p.free_skills());
    // read once: the text, the facts' years and the certified JLPT level all come from it
    let career = career_of(p);
    let career_words = career_text(&career);
    ProfileDoc {
        id: p.user_id,
        text: join_texts(&[
            Some(p.full_name.as_str()),
            p.headline.as_deref(),
            p.summary.as_deref(),
            free.as_deref(),
            career_words.as_deref(),
        ]),
        facts: engineer_facts_by(p, &career, skills),
        indian_state: p.indian_state.clone(),
        jlpt_certified: p.jlpt_is_certified_by(&career),
        years_experience: p.years_experience.clamp(0, 255) as u8,
        visa_interest: p.visa_interest.clone(),
        languages,
        created_at: p.created_at.unwrap_or(p.updated_at).timestamp(),
        available_from: p.available_from.map(days_since_epoch),
    }
}

fn role_doc(
    r: &role::Model,
    skills: &[role_skill::Model],
    employer: &organisation::Model,
) -> RoleDoc {
    let free_skills = r.free_skills();
    let free = free_skill_names(free_skills.required.iter().chain(&free_skills.nice));
    RoleDoc {
        id: r.id,
        // the employer's names too: a search for "みらい半導体" finds its roles
        text: join_texts(&[
            r.title_ja.as_deref(),
            r.title_en.as_deref(),
            r.description_ja.as_deref(),
            r.description_en.as_deref(),
            free.as_deref(),
            employer.name_ja.as_deref(),
            employer.name_en.as_deref(),
        ]),
        facts: role_facts(r, skills),
        sector: r.sector_or(&employer.sector),
        salary_min_jpy: r.salary_min_jpy,
        prefecture: r.prefecture.clone(),
        remote_policy: r.remote_policy.clone(),
        visa_sponsorship: r.visa_sponsorship,
        created_at: r.created_at.timestamp(),
    }
}

/// The index documents of the engineers named that may be found: searchable profiles of users
/// who are not suspended. Four queries whatever the number (SQLite and PostgreSQL both take a
/// few thousand ids in one `IN`; callers pass a page at a time).
async fn profile_docs(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<Vec<ProfileDoc>> {
    profile_docs_of(db, Rows::Ids(ids)).await
}

/// Which rows to read: some by id (the change log's), or a range of ids (a rebuild's page:
/// ranges are planned once, where a list of thousands of ids is sent and planned each time).
#[derive(Clone, Copy)]
enum Rows<'a> {
    Ids(&'a [i32]),
    /// Ids above the first, up to and including the second.
    Between(i32, i32),
}

impl Rows<'_> {
    fn of(self, column: impl ColumnTrait + Copy) -> sea_orm::sea_query::SimpleExpr {
        match self {
            Rows::Ids(ids) => column.is_in(ids.iter().copied()),
            Rows::Between(after, last) => column.gt(after).and(column.lte(last)),
        }
    }
}

/// The four reads run side by side on the pool.
async fn profile_docs_of(db: &impl ConnectionTrait, rows: Rows<'_>) -> AppResult<Vec<ProfileDoc>> {
    let profiles = engineer_profile::Entity::find()
        .filter(engineer_profile::Column::Searchable.eq(true))
        // a profile unused for the retention period is not found until its owner returns
        .filter(engineer_profile::Column::DormantSince.is_null())
        .filter(rows.of(engineer_profile::Column::UserId))
        .all(db);
    let suspended = user::Entity::find()
        .filter(user::Column::Suspended.eq(true))
        .filter(rows.of(user::Column::Id))
        .all(db);
    // the skills' and languages' rows (about eight a profile) as tuples of what the index
    // reads: decoded by position, without the columns it does not
    let skills = profile_skill::Entity::find()
        .select_only()
        .columns([
            profile_skill::Column::UserId,
            profile_skill::Column::SkillId,
            profile_skill::Column::Years,
        ])
        .filter(rows.of(profile_skill::Column::UserId))
        .into_tuple::<(i32, String, i16)>()
        .all(db);
    let languages = profile_language::Entity::find()
        .select_only()
        .columns([
            profile_language::Column::UserId,
            profile_language::Column::Language,
        ])
        .filter(rows.of(profile_language::Column::UserId))
        .into_tuple::<(i32, String)>()
        .all(db);
    let (profiles, suspended, skills, languages) =
        futures::try_join!(profiles, suspended, skills, languages)?;
    let mut languages_by_user: HashMap<i32, Vec<String>> = HashMap::new();
    for (user, language) in languages {
        languages_by_user.entry(user).or_default().push(language);
    }
    let suspended: HashSet<i32> = suspended.into_iter().map(|u| u.id).collect();
    let mut skills_by_user: HashMap<i32, Vec<(SkillId, u8)>> = HashMap::new();
    for (user, skill, years) in skills {
        skills_by_user
            .entry(user)
            .or_default()
            .push(held_years(skill, years));
    }
    Ok(profiles
        .iter()
        .filter(|p| !suspended.contains(&p.user_id))
        .map(|p| {
            profile_doc(
                p,
                skills_by_user.remove(&p.user_id).unwrap_or_default(),
                languages_by_user.remove(&p.user_id).unwrap_or_default(),
            )
        })
        .collect())
}

/// The index documents of the roles named that may be found: open roles of verified
/// organisations.
async fn role_docs(db: &impl ConnectionTrait, ids: &[i32]) -> AppResult<Vec<RoleDoc>> {
    let roles = role::Entity::find()
        .filter(role::Column::IsOpen.eq(true))
        .filter(role::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let skills =
        role_skill::Entity::find().filter(role_skill::Column::RoleId.is_in(ids.iter().copied()));
    let organisations: HashSet<i32> = roles.iter().map(|r| r.organisation_id).collect();
    let verified: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Verified.eq(true))
        .filter(organisation::Column::Id.is_in(organisations))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut skills_by_role: HashMap<i32, Vec<role_skill::Model>> = HashMap::new();
    for s in skills.all(db).await? {
        skills_by_role.entry(s.role_id).or_default().push(s);
    }
    Ok(roles
        .iter()
        .filter_map(|r| {
            Some(role_doc(
                r,
                skills_by_role
                    .get(&r.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
                verified.get(&r.organisation_id)?,
            ))
        })
        .collect())
}

/// One change for the index: a document to add or replace, or one to remove.
pub(super) enum Change {
    Upsert(Box<Document>),
    Remove(Kind, i32),
}

pub(super) enum Document {
    Profile(ProfileDoc),
    Role(RoleDoc),
}

/// The index changes that bring the named records up to date, each record once, read from the
/// database as it is now (a record changed again since is read in its latest state, and its
/// later log entry applies it again: applying is idempotent). A record that may not be found
/// (hidden, closed, suspended, unverified, deleted) is removed.
pub(super) async fn changes_for(
    db: &impl ConnectionTrait,
    records: impl IntoIterator<Item = (Queued, i32)>,
) -> AppResult<Vec<Change>> {
    let (mut engineers, mut roles, mut organisations) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for (kind, id) in records {
        match kind {
            Queued::Engineer => engineers.insert(id),
            Queued::Role => roles.insert(id),
            Queued::Organisation => organisations.insert(id),
            // the dashboard follows applications and its own changes; the index holds none
            Queued::Application | Queued::EveryApplication | Queued::Dashboard => false,
        };
    }
    if !organisations.is_empty() {
        roles.extend(
            role::Entity::find()
                .filter(role::Column::OrganisationId.is_in(organisations))
                .all(db)
                .await?
                .into_iter()
                .map(|r| r.id),
        );
    }
    let mut changes = Vec::with_capacity(engineers.len() + roles.len());
    let engineers: Vec<i32> = engineers.into_iter().collect();
    let roles: Vec<i32> = roles.into_iter().collect();
    for chunk in engineers.chunks(IN_LIST) {
        let found = profile_docs(db, chunk).await?;
        let kept: HashSet<i32> = found.iter().map(|d| d.id).collect();
        changes.extend(
            chunk
                .iter()
                .filter(|id| !kept.contains(id))
                .map(|&id| Change::Remove(Kind::Engineer, id)),
        );
        changes.extend(
            found
                .into_iter()
                .map(|doc| Change::Upsert(Box::new(Document::Profile(doc)))),
        );
    }
    for chunk in roles.chunks(IN_LIST) {
        let found = role_docs(db, chunk).await?;
        let kept: HashSet<i32> = found.iter().map(|d| d.id).collect();
        changes.extend(
            chunk
                .iter()
                .filter(|id| !kept.contains(id))
                .map(|&id| Change::Remove(Kind::Role, id)),
        );
        changes.extend(
            found
                .into_iter()
                .map(|doc| Change::Upsert(Box::new(Document::Role(doc)))),
        );
    }
    Ok(changes)
}

/// Ids per `IN (…)` list: well under SQLite's 32,766 parameters and PostgreSQL's 65,535.
const IN_LIST: usize = 1_000;

/// Writes `changes` to the index and commits them with `payload`, off the async workers
/// (tantivy's commit does disk I/O and fsyncs).
pub(super) async fn apply(
    index: &Arc<SearchIndex>,
    changes: Vec<Change>,
    payload: String,
) -> AppResult<()> {
    let target = Arc::clone(index);
    tokio::task::spawn_blocking(move || {
        // one hold of the writer to the commit: a rebuild cannot come between (see
        // `search::Batch`)
        let mut batch = target.batch()?;
        for change in changes {
            match change {
                Change::Upsert(document) => match *document {
                    Document::Profile(doc) => batch.upsert_profile(&doc)?,
                    Document::Role(doc) => batch.upsert_role(&doc)?,
                },
                Change::Remove(kind, id) => batch.remove(kind, id)?,
            }
        }
        batch.commit(&payload)
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(search_failed)
}

/// Every document that may be found, read from the tables.
/// A page of documents read for a rebuild.
pub(super) enum Page {
    Profiles(Vec<ProfileDoc>),
    Roles(Vec<RoleDoc>),
}

/// Roughly how many documents a rebuild indexes (the progress bar's length): every profile and
/// open role, before the ones that may not be found are left out.
pub(super) async fn rebuild_size(db: &impl ConnectionTrait) -> AppResult<usize> {
    let profiles = engineer_profile::Entity::find().count(db).await?;
    let roles = role::Entity::find()
        .filter(role::Column::IsOpen.eq(true))
        .count(db)
        .await?;
    Ok((profiles + roles) as usize)
}

/// Sends every document that may be found, `page` records at a time in id order (keyset
/// paging: each page is as quick as the first), profiles first; stops early when the receiver
/// is gone.
pub(super) async fn every_document_by_page(
    db: &impl ConnectionTrait,
    page: u64,
    to: &tokio::sync::mpsc::Sender<Page>,
) -> AppResult<()> {
    let mut after = 0;
    loop {
        let ids: Vec<i32> = engineer_profile::Entity::find()
            .select_only()
            .column(engineer_profile::Column::UserId)
            .filter(engineer_profile::Column::UserId.gt(after))
            .order_by_asc(engineer_profile::Column::UserId)
            .limit(page)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = ids.last() else { break };
        let docs = profile_docs_of(db, Rows::Between(after, *last)).await?;
        after = *last;
        if to.send(Page::Profiles(docs)).await.is_err() {
            return Ok(());
        }
    }
    let mut after = 0;
    loop {
        let ids: Vec<i32> = role::Entity::find()
            .select_only()
            .column(role::Column::Id)
            .filter(role::Column::IsOpen.eq(true))
            .filter(role::Column::Id.gt(after))
            .order_by_asc(role::Column::Id)
            .limit(page)
            .into_tuple()
            .all(db)
            .await?;
        let Some(last) = ids.last() else { break };
        after = *last;
        let docs = role_docs(db, &ids).await?;
        if to.send(Page::Roles(docs)).await.is_err() {
            return Ok(());
        }
    }
    Ok(())
}
