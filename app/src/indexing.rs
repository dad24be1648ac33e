//! Keeps the search index derived from the database: what a profile or role looks like to the
//! index, a full rebuild, and the update after each save.
//!
//! Only what may be found is indexed: searchable profiles of users who are not suspended, and
//! open roles of verified organisations (an unverified employer's roles wait for an administrator).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use domain::jlpt::JlptLevel;
use domain::matching::{EngineerFacts, RoleFacts};
use domain::skills::SkillId;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use search::{Kind, ProfileDoc, RoleDoc, SearchIndex};
use tokio::sync::{watch, Notify};

use crate::db::entities::{
    engineer_profile, organisation, profile_skill, role, role_skill, search_outbox, user,
};
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

/// A profile skill row as matching sees it: the skill and whole years held.
pub fn skill_years(s: profile_skill::Model) -> (SkillId, u8) {
    (SkillId::new(s.skill_id), s.years.clamp(0, 255) as u8)
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

fn profile_doc(p: &engineer_profile::Model, skills: Vec<(SkillId, u8)>) -> ProfileDoc {
    ProfileDoc {
        id: p.user_id,
        text: join_texts(&[
            Some(p.full_name.as_str()),
            p.headline.as_deref(),
            p.summary.as_deref(),
        ]),
        facts: engineer_facts(p, skills),
        indian_state: p.indian_state.clone(),
    }
}

fn role_doc(r: &role::Model, skills: &[role_skill::Model]) -> RoleDoc {
    RoleDoc {
        id: r.id,
        text: join_texts(&[
            r.title_ja.as_deref(),
            r.title_en.as_deref(),
            r.description_ja.as_deref(),
            r.description_en.as_deref(),
        ]),
        facts: role_facts(r, skills),
        salary_min_jpy: r.salary_min_jpy,
        prefecture: r.prefecture.clone(),
        remote_policy: r.remote_policy.clone(),
        visa_sponsorship: r.visa_sponsorship,
    }
}

/// What an outbox row names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queued {
    Engineer,
    Role,
    /// An organisation whose verification or details changed: all its roles follow.
    Organisation,
}

impl Queued {
    fn code(self) -> &'static str {
        match self {
            Queued::Engineer => "engineer",
            Queued::Role => "role",
            Queued::Organisation => "organisation",
        }
    }

    fn parse(code: &str) -> Option<Queued> {
        match code {
            "engineer" => Some(Queued::Engineer),
            "role" => Some(Queued::Role),
            "organisation" => Some(Queued::Organisation),
            _ => None,
        }
    }
}

/// Queues a change for the index. Call it inside the transaction that makes the change, so the
/// queue holds exactly the committed changes.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: Queued,
    record_id: i32,
) -> Result<(), sea_orm::DbErr> {
    search_outbox::ActiveModel {
        kind: Set(kind.code().to_owned()),
        record_id: Set(record_id),
        queued_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// The index document of an engineer, or `None` if the profile must not be found.
async fn profile_doc_of(db: &impl ConnectionTrait, user_id: i32) -> AppResult<Option<ProfileDoc>> {
    let Some(p) = engineer_profile::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|p| p.searchable)
    else {
        return Ok(None);
    };
    let suspended = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_none_or(|u| u.suspended);
    if suspended {
        return Ok(None);
    }
    let skills = profile_skill::Entity::find()
        .filter(profile_skill::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(skill_years)
        .collect();
    Ok(Some(profile_doc(&p, skills)))
}

/// The index document of a role, or `None` if it is closed or its organisation unverified.
async fn role_doc_of(db: &impl ConnectionTrait, role_id: i32) -> AppResult<Option<RoleDoc>> {
    let Some(r) = role::Entity::find_by_id(role_id)
        .one(db)
        .await?
        .filter(|r| r.is_open)
    else {
        return Ok(None);
    };
    let verified = organisation::Entity::find_by_id(r.organisation_id)
        .one(db)
        .await?
        .is_some_and(|o| o.verified);
    if !verified {
        return Ok(None);
    }
    let skills = role_skill::Entity::find()
        .filter(role_skill::Column::RoleId.eq(role_id))
        .all(db)
        .await?;
    Ok(Some(role_doc(&r, &skills)))
}

/// One change for the index: a document to add or replace, or one to remove.
enum Change {
    Upsert(Box<Document>),
    Remove(Kind, i32),
}

enum Document {
    Profile(ProfileDoc),
    Role(RoleDoc),
}

const DRAIN_BATCH: u64 = 500;

/// Applies every queued change to the index, committing each batch to the index before deleting
/// its rows from the queue. A crash in between re-applies the batch (upserts are idempotent); a
/// change committed to the database late is still in the queue for the next drain. Returns the
/// number of rows drained.
pub async fn drain(db: &impl ConnectionTrait, index: &Arc<SearchIndex>) -> AppResult<usize> {
    let mut drained = 0;
    loop {
        let rows = search_outbox::Entity::find()
            .order_by_asc(search_outbox::Column::Id)
            .limit(DRAIN_BATCH)
            .all(db)
            .await?;
        if rows.is_empty() {
            return Ok(drained);
        }
        let mut seen = HashSet::new();
        let mut changes = Vec::new();
        for row in &rows {
            let Some(kind) = Queued::parse(&row.kind) else {
                tracing::warn!(kind = %row.kind, "unknown search outbox kind");
                continue;
            };
            let role_ids = match kind {
                Queued::Engineer => {
                    if seen.insert((Queued::Engineer, row.record_id)) {
                        changes.push(match profile_doc_of(db, row.record_id).await? {
                            Some(doc) => Change::Upsert(Box::new(Document::Profile(doc))),
                            None => Change::Remove(Kind::Engineer, row.record_id),
                        });
                    }
                    Vec::new()
                }
                Queued::Role => vec![row.record_id],
                Queued::Organisation => role::Entity::find()
                    .filter(role::Column::OrganisationId.eq(row.record_id))
                    .all(db)
                    .await?
                    .into_iter()
                    .map(|r| r.id)
                    .collect(),
            };
            for role_id in role_ids {
                if seen.insert((Queued::Role, role_id)) {
                    changes.push(match role_doc_of(db, role_id).await? {
                        Some(doc) => Change::Upsert(Box::new(Document::Role(doc))),
                        None => Change::Remove(Kind::Role, role_id),
                    });
                }
            }
        }
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let through = ids.iter().max().copied().unwrap_or_default();
        let target = Arc::clone(index);
        // tantivy's commit does disk I/O and fsyncs: keep it off the async workers
        tokio::task::spawn_blocking(move || {
            for change in changes {
                match change {
                    Change::Upsert(document) => match *document {
                        Document::Profile(doc) => target.upsert_profile(&doc)?,
                        Document::Role(doc) => target.upsert_role(&doc)?,
                    },
                    Change::Remove(kind, id) => target.remove(kind, id)?,
                }
            }
            // the payload says how far the index has followed the queue, for diagnosis
            target.commit_with_payload(&format!("{{\"outbox_through\":{through}}}"))
        })
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(search_failed)?;
        search_outbox::Entity::delete_many()
            .filter(search_outbox::Column::Id.is_in(ids.clone()))
            .exec(db)
            .await?;
        drained += ids.len();
    }
}

/// The one task that writes to the search index while the server runs.
///
/// Saves do not write to the index themselves: they commit their change (with its outbox row) to
/// the database, wake the writer and wait for the round that covers it. Changes that arrive while
/// a round runs are applied together in the next one, in one batch and one tantivy commit. The
/// writer also drains every second, so a change whose request died before waking it is still
/// indexed within a second.
pub struct Indexer {
    /// Rounds asked for so far; a round that starts after a request is counted covers it.
    requested: AtomicU64,
    wake: Notify,
    /// The highest request count that a finished round covered.
    completed: watch::Sender<u64>,
}

/// How long a save waits for the index before answering anyway: its change stays queued and
/// is applied by a later round.
const SYNC_WAIT: Duration = Duration::from_secs(5);

impl Indexer {
    /// Starts the writer task on the current tokio runtime.
    pub fn start(db: sea_orm::DatabaseConnection, index: Arc<SearchIndex>) -> Arc<Indexer> {
        let indexer = Arc::new(Indexer {
            requested: AtomicU64::new(0),
            wake: Notify::new(),
            completed: watch::channel(0).0,
        });
        let writer = Arc::clone(&indexer);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = writer.wake.notified() => {}
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
                let round = writer.requested.load(Ordering::SeqCst);
                if let Err(err) = drain(&db, &index).await {
                    tracing::warn!(error = ?err, "draining the search outbox failed; retrying");
                    continue;
                }
                writer.completed.send_replace(round);
            }
        });
        indexer
    }

    /// Waits until every change committed before this call is searchable (or [`SYNC_WAIT`] has
    /// passed: the change is then still queued, and lands with a later round).
    pub async fn sync(&self) {
        let mut completed = self.completed.subscribe();
        let wanted = self.requested.fetch_add(1, Ordering::SeqCst) + 1;
        self.wake.notify_one();
        let covered = tokio::time::timeout(SYNC_WAIT, completed.wait_for(|done| *done >= wanted));
        if covered.await.is_err() {
            tracing::warn!("the search index is behind; the change will be indexed later");
        }
    }
}

/// Rebuilds the whole index from the database; `progress` is told (done, total) as it goes.
pub async fn rebuild(
    db: &impl ConnectionTrait,
    index: &Arc<SearchIndex>,
    progress: impl Fn(usize, usize) + Send + Sync + 'static,
) -> AppResult<(usize, usize)> {
    // queued changes read before the rebuild are covered by it; later ones stay queued
    let queued: Vec<i32> = search_outbox::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let suspended: HashSet<i32> = user::Entity::find()
        .filter(user::Column::Suspended.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let profiles: Vec<engineer_profile::Model> = engineer_profile::Entity::find()
        .filter(engineer_profile::Column::Searchable.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|p| !suspended.contains(&p.user_id))
        .collect();
    let mut skills_by_user: HashMap<i32, Vec<(SkillId, u8)>> = HashMap::new();
    for s in profile_skill::Entity::find().all(db).await? {
        skills_by_user
            .entry(s.user_id)
            .or_default()
            .push(skill_years(s));
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
        // only now is the index whole: a fill cut short before this is filled again
        index.mark_complete()?;
        progress(total, total);
        Ok::<_, search::SearchError>(())
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(search_failed)?;
    if !queued.is_empty() {
        search_outbox::Entity::delete_many()
            .filter(search_outbox::Column::Id.is_in(queued))
            .exec(db)
            .await?;
    }
    Ok(counts)
}
