//! Saved searches in the database, and what is new in each, asked of the same search functions
//! the pages use (`jobs::server::search`, `talent::server::search`) with `since`, so an alert
//! finds exactly what the page would show and checks the same permissions.

use chrono::{DateTime, Utc};
use domain::account::UserRole;
use domain::language::UiLanguage;
use domain::saved_search::{self, SavedSearchDraft, SearchKind};
use domain::validation::{FieldError, Problem};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::api::SavedSearchView;
use crate::auth::api::CurrentUser;
use crate::db::entities::saved_search as row;
use crate::error::{AppError, AppResult};
use crate::jobs::server::Reading;
use crate::state::AppState;

/// New results looked at per alert: the threshold is checked on these (ranked best first).
const LOOKED_AT: usize = 100;

/// Who may keep which search: engineers the job board's, employers of verified organisations
/// (and administrators) the talent pool's.
async fn may_save(state: &AppState, user: &CurrentUser, kind: SearchKind) -> AppResult<()> {
    match (kind, user.role) {
        (SearchKind::Roles, UserRole::Engineer) => Ok(()),
        (SearchKind::Talent, UserRole::Employer | UserRole::Admin) => {
            crate::auth::server::require_talent_access(&state.db, user).await
        }
        _ => Err(AppError::Forbidden),
    }
}

pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    draft: &SavedSearchDraft,
) -> AppResult<i32> {
    // who may keep the kind asked is known before the rest is read
    if let Some(kind) = SearchKind::parse(&draft.kind) {
        may_save(state, user, kind).await?;
    }
    let saved = saved_search::check(draft).map_err(AppError::Validation)?;
    let kept = row::Entity::find()
        .filter(row::Column::UserId.eq(user.id))
        .count(&state.db)
        .await?;
    if kept >= saved_search::MAX_PER_PERSON {
        return Err(AppError::Validation(vec![FieldError::new(
            "name",
            Problem::OutOfRange,
        )]));
    }
    let now = Utc::now();
    let inserted = row::ActiveModel {
        user_id: Set(user.id),
        kind: Set(saved.kind.code().to_owned()),
        name: Set(saved.name),
        query: Set(saved.query),
        frequency: Set(saved.frequency.code().to_owned()),
        min_score: Set(saved.min_score.map(i32::from)),
        created_at: Set(now),
        seen_at: Set(now),
        alerted_at: Set(now),
        next_digest_at: Set(saved_search::next_due(saved.frequency, now)),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    crate::audit::record(
        &state.db,
        Some(user.id),
        "saved_search.created",
        "saved_search",
        Some(inserted.id.to_string()),
        serde_json::json!({ "kind": inserted.kind }),
    )
    .await?;
    Ok(inserted.id)
}

/// The query string with `since` set to `at`.
fn link(kind: &str, query: &str, since: Option<DateTime<Utc>>) -> String {
    let path = SearchKind::parse(kind).map_or("/", SearchKind::path);
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    if let Some(at) = since {
        pairs.push(format!("since={}", at.timestamp()));
    }
    if pairs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

/// What is new in a saved search since `since`, for its owner: how many (at or above its
/// threshold when the search is ranked), and the first names or titles.
pub async fn new_results(
    state: &AppState,
    owner: &CurrentUser,
    saved: &row::Model,
    since: DateTime<Utc>,
    lang: UiLanguage,
) -> AppResult<(usize, Vec<String>)> {
    let min = saved.min_score.map(|m| m.clamp(0, 100) as u8);
    let since = since.timestamp().to_string();
    let found: Vec<(String, Option<f32>)>;
    let total;
    match SearchKind::parse(&saved.kind) {
        Some(SearchKind::Roles) => {
            let mut query: crate::jobs::api::JobQuery =
                serde_urlencoded::from_str(&saved.query).unwrap_or_default();
            query.since = since;
            query.page = String::new();
            query.limit = LOOKED_AT.to_string();
            let results =
                crate::jobs::server::search(state, Some(owner), &query, lang, Reading::Forgiving)
                    .await?;
            total = results.total;
            found = results
                .cards
                .into_iter()
                .map(|c| {
                    let title = crate::roles::pages::title_for(lang, &c.title_ja, &c.title_en);
                    (
                        format!("{title} — {}", c.organisation_name),
                        c.fit.map(|f| f.score),
                    )
                })
                .collect();
        }
        Some(SearchKind::Talent) => {
            let mut query: crate::talent::api::TalentQuery =
                serde_urlencoded::from_str(&saved.query).unwrap_or_default();
            query.since = since;
            query.page = String::new();
            query.limit = LOOKED_AT.to_string();
            let results =
                crate::talent::server::search(state, owner, &query, lang, Reading::Forgiving)
                    .await?;
            total = results.total;
            found = results
                .rows
                .into_iter()
                .map(|r| (r.full_name, r.fit.map(|f| f.score)))
                .collect();
        }
        None => return Ok((0, Vec::new())),
    }
    let ranked = found.iter().any(|(_, score)| score.is_some());
    let passing: Vec<String> = found
        .into_iter()
        .filter(|(_, score)| saved_search::passes(min, *score))
        .map(|(name, _)| name)
        .collect();
    // unranked, or no threshold: the exact total; else what passed among the best ranked
    let count = if ranked && min.is_some() {
        passing.len()
    } else {
        total
    };
    Ok((
        count,
        passing
            .into_iter()
            .take(saved_search::DIGEST_NAMES)
            .collect(),
    ))
}

fn view_of(saved: &row::Model, count: usize, names: Vec<String>) -> SavedSearchView {
    SavedSearchView {
        id: saved.id,
        kind: saved.kind.clone(),
        name: saved.name.clone(),
        query: saved.query.clone(),
        frequency: saved.frequency.clone(),
        min_score: saved.min_score,
        created_at: saved.created_at,
        new_count: count,
        new_names: names,
        new_link: link(&saved.kind, &saved.query, Some(saved.seen_at)),
        link: link(&saved.kind, &saved.query, None),
    }
}

/// The user's saved searches, newest first, each with what is new since it was last opened.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    lang: UiLanguage,
) -> AppResult<Vec<SavedSearchView>> {
    let rows = row::Entity::find()
        .filter(row::Column::UserId.eq(user.id))
        .order_by_desc(row::Column::Id)
        .limit(saved_search::MAX_PER_PERSON)
        .all(&state.db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for saved in &rows {
        // a search the person may no longer run (an organisation no longer verified) shows
        // nothing new rather than failing the page
        let (count, names) = new_results(state, user, saved, saved.seen_at, lang)
            .await
            .unwrap_or_default();
        out.push(view_of(saved, count, names));
    }
    Ok(out)
}

async fn own(db: &DatabaseConnection, user: &CurrentUser, id: i32) -> AppResult<row::Model> {
    row::Entity::find_by_id(id)
        .filter(row::Column::UserId.eq(user.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Marks the search's results seen; returns the page of what was new until now.
pub async fn open(db: &DatabaseConnection, user: &CurrentUser, id: i32) -> AppResult<String> {
    let saved = own(db, user, id).await?;
    row::Entity::update_many()
        .col_expr(row::Column::SeenAt, Expr::value(Utc::now()))
        .filter(row::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(link(&saved.kind, &saved.query, Some(saved.seen_at)))
}

pub async fn delete(db: &DatabaseConnection, user: &CurrentUser, id: i32) -> AppResult<()> {
    own(db, user, id).await?;
    row::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// One of the user's saved searches with what is new in it (the API's read).
pub async fn one(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    lang: UiLanguage,
) -> AppResult<SavedSearchView> {
    let saved = own(&state.db, user, id).await?;
    let (count, names) = new_results(state, user, &saved, saved.seen_at, lang).await?;
    Ok(view_of(&saved, count, names))
}
