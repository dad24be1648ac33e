//! Applications in the database: applying, listing, the timeline, moves with optimistic
//! concurrency, the pipeline board and invitations. Every function takes the acting user and
//! checks what they may see and do; pages and the JSON API share these.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::account::UserRole;
use domain::pipeline::{
    self, ClosingReason, KeyDates, MoveContext, MoveDraft, Party, Stage, Status, Target,
};
use domain::validation::{self, FieldError};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use super::api::{
    ApplicationDetail, ApplicationSummary, BoardCard, BoardColumn, EventDetails, PipelineBoard,
    TimelineEntry,
};
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::db::entities::{
    application, application_event, engineer_profile, invitation, organisation, role, user,
};
use crate::error::{AppError, AppResult, Conflict};
use crate::notifications::server::{notify, NotificationKind};

/// Cards shown per column of the pipeline board; the column's count covers the rest.
pub const CARDS_PER_COLUMN: u64 = 50;
/// Applications per page of a list.
pub const PAGE_SIZE: u64 = 50;

/// The side `user` is on for `app`, `None` for an administrator (who may look, not move).
/// Anyone else is told the application does not exist.
fn side_of(app: &application::Model, user: &CurrentUser) -> AppResult<Option<Party>> {
    match user.role {
        UserRole::Engineer if app.engineer_user_id == user.id => Ok(Some(Party::Engineer)),
        UserRole::Employer if user.organisation_id == Some(app.organisation_id) => {
            Ok(Some(Party::Employer))
        }
        UserRole::Admin => Ok(None),
        _ => Err(AppError::NotFound),
    }
}

pub fn status_of(app: &application::Model) -> AppResult<Status> {
    let stage = Stage::parse(&app.stage).ok_or_else(|| {
        tracing::error!(id = app.id, stage = %app.stage, "unknown stage stored");
        AppError::Internal
    })?;
    let closed = app.closed_reason.as_deref().and_then(ClosingReason::parse);
    Ok(Status { stage, closed })
}

pub fn key_dates(app: &application::Model) -> KeyDates {
    KeyDates {
        coe_issued_on: app.coe_issued_on,
        visa_issued_on: app.visa_issued_on,
        arrived_on: app.arrived_on,
        registered_on: app.registered_on,
    }
}

/// The employer users of an organisation, who hear about its applications.
pub(crate) async fn employer_users(
    db: &impl ConnectionTrait,
    organisation_id: i32,
) -> AppResult<Vec<i32>> {
    Ok(user::Entity::find()
        .filter(user::Column::OrganisationId.eq(organisation_id))
        .filter(user::Column::Suspended.eq(false))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect())
}

/// A role an engineer may apply to: open, and of a verified organisation.
async fn open_role(db: &impl ConnectionTrait, role_id: i32) -> AppResult<role::Model> {
    let found = role::Entity::find_by_id(role_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let verified = organisation::Entity::find_by_id(found.organisation_id)
        .one(db)
        .await?
        .is_some_and(|o| o.verified);
    if !verified {
        // an unverified employer's roles are not published to engineers
        return Err(AppError::NotFound);
    }
    if !found.is_open {
        return Err(AppError::Conflict(Conflict::RoleNotOpen));
    }
    Ok(found)
}

/// Applies `user` (an engineer with a profile) to an open role; returns the application's id.
/// With `share_contact`, the engineer consents (in `lang`'s words, recorded) to the
/// organisation seeing their contact details.
pub async fn apply(
    db: &DatabaseConnection,
    user: &CurrentUser,
    role_id: i32,
    note: &str,
    share_contact: bool,
    lang: domain::language::UiLanguage,
) -> AppResult<i32> {
    if user.role != UserRole::Engineer {
        return Err(AppError::Forbidden);
    }
    let note = validation::optional_text(note, pipeline::NOTE_MAX_CHARS)
        .map_err(|p| AppError::Validation(vec![FieldError::new("note", p)]))?;
    crate::auth::verification::require_verified(db, user.id).await?;
    let Some(profile) = engineer_profile::Entity::find_by_id(user.id)
        .one(db)
        .await?
    else {
        return Err(AppError::Conflict(Conflict::ProfileNeeded));
    };
    let target = open_role(db, role_id).await?;
    // the role's own sector, else its organisation's, for the programme's breakdowns
    let sector = organisation::Entity::find_by_id(target.organisation_id)
        .one(db)
        .await?
        .map(|o| target.sector_or(&o.sector));
    let invited = invitation::Entity::find()
        .filter(invitation::Column::RoleId.eq(role_id))
        .filter(invitation::Column::EngineerUserId.eq(user.id))
        .one(db)
        .await?
        .is_some();
    let now = Utc::now();
    let txn = db.begin().await?;
    let inserted = application::ActiveModel {
        role_id: Set(role_id),
        engineer_user_id: Set(user.id),
        organisation_id: Set(target.organisation_id),
        stage: Set(Stage::Applied.code().to_owned()),
        closed_reason: Set(None),
        version: Set(1),
        cover_note: Set(note.clone()),
        invited: Set(invited),
        sector: Set(sector),
        role_prefecture: Set(Some(target.prefecture.clone())),
        indian_state: Set(profile.indian_state.clone()),
        jlpt_level: Set(profile.jlpt_level.clone()),
        applied_at: Set(now),
        stage_changed_at: Set(now),
        updated_at: Set(now),
        is_demo: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let saved = match inserted {
        Ok(saved) => saved,
        Err(err) if crate::db::violates(&err, migrations::UQ_APPLICATIONS_ROLE_ENGINEER) => {
            return Err(AppError::Conflict(Conflict::AlreadyApplied))
        }
        Err(err) => return Err(err.into()),
    };
    application_event::ActiveModel {
        application_id: Set(saved.id),
        from_stage: Set(None),
        to_stage: Set(Stage::Applied.code().to_owned()),
        closed_reason: Set(None),
        actor_user_id: Set(Some(user.id)),
        actor_party: Set(Party::Engineer.code().to_owned()),
        note: Set(note),
        details: Set("{}".to_owned()),
        occurred_on: Set(domain::time::japan_date(now)),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if share_contact {
        crate::rights::consent::record(&txn, user.id, lang, &saved, true).await?;
    }
    let detail = json!({ "stage": Stage::Applied.code(), "who": user.display_name });
    for employer in employer_users(&txn, target.organisation_id).await? {
        notify(
            &txn,
            employer,
            NotificationKind::ApplicationReceived,
            Some(saved.id),
            Some(role_id),
            &detail,
        )
        .await?;
    }
    audit::record(
        &txn,
        Some(user.id),
        "application.created",
        "application",
        Some(saved.id.to_string()),
        json!({ "role_id": role_id, "invited": invited }),
    )
    .await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// Which applications a list shows (within what the user may see).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub role_id: Option<i32>,
    pub stage: Option<Stage>,
    /// Only open (`Some(true)`) or only closed (`Some(false)`) applications.
    pub open: Option<bool>,
    /// Zero-based page of [`PAGE_SIZE`].
    pub page: u64,
}

fn visible_to(
    user: &CurrentUser,
    filter: &ListFilter,
) -> AppResult<sea_orm::Select<application::Entity>> {
    let mut query = application::Entity::find();
    query = match user.role {
        UserRole::Engineer => query.filter(application::Column::EngineerUserId.eq(user.id)),
        UserRole::Employer => query.filter(
            application::Column::OrganisationId
                .eq(user.organisation_id.ok_or(AppError::Forbidden)?),
        ),
        UserRole::Admin => query,
    };
    if let Some(role_id) = filter.role_id {
        query = query.filter(application::Column::RoleId.eq(role_id));
    }
    if let Some(stage) = filter.stage {
        query = query.filter(application::Column::Stage.eq(stage.code()));
    }
    match filter.open {
        Some(true) => query = query.filter(application::Column::ClosedReason.is_null()),
        Some(false) => query = query.filter(application::Column::ClosedReason.is_not_null()),
        None => {}
    }
    Ok(query)
}

/// How many applications `user` sees under `filter` (every page).
pub async fn count(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    filter: &ListFilter,
) -> AppResult<u64> {
    Ok(visible_to(user, filter)?.count(db).await?)
}

/// The applications `user` may see: an engineer's own, an employer's organisation's, all for an
/// administrator; most recently moved first.
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    filter: &ListFilter,
) -> AppResult<Vec<ApplicationSummary>> {
    let rows = visible_to(user, filter)?
        .order_by_desc(application::Column::UpdatedAt)
        .order_by_desc(application::Column::Id)
        .offset(filter.page * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    summaries(db, rows, domain::time::japan_date(Utc::now())).await
}

/// Turns rows into summaries with three batched look-ups (roles, organisations, engineers).
pub async fn summaries(
    db: &impl ConnectionTrait,
    rows: Vec<application::Model>,
    today: NaiveDate,
) -> AppResult<Vec<ApplicationSummary>> {
    let role_ids: Vec<i32> = rows.iter().map(|a| a.role_id).collect();
    let org_ids: Vec<i32> = rows.iter().map(|a| a.organisation_id).collect();
    let engineer_ids: Vec<i32> = rows.iter().map(|a| a.engineer_user_id).collect();
    let roles: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(role_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let orgs: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let names = display_names(db, engineer_ids).await?;
    rows.into_iter()
        .map(|a| {
            let status = status_of(&a)?;
            let r = roles.get(&a.role_id);
            let (next_stage, next_by) = match pipeline::next_step(status) {
                Some((stage, who)) => (Some(stage.code().to_owned()), who.to_vec()),
                None => (None, Vec::new()),
            };
            Ok(ApplicationSummary {
                id: a.id,
                role_id: a.role_id,
                role_title_ja: r.and_then(|r| r.title_ja.clone()),
                role_title_en: r.and_then(|r| r.title_en.clone()),
                organisation_name: orgs
                    .get(&a.organisation_id)
                    .and_then(|o| o.name_ja.clone().or_else(|| o.name_en.clone()))
                    .unwrap_or_default(),
                engineer_user_id: a.engineer_user_id,
                engineer_name: names.get(&a.engineer_user_id).cloned().unwrap_or_default(),
                clocks: pipeline::clocks(status, key_dates(&a), today),
                stage: a.stage,
                closed_reason: a.closed_reason,
                version: a.version,
                invited: a.invited,
                applied_at: a.applied_at,
                updated_at: a.updated_at,
                next_stage,
                next_by,
            })
        })
        .collect()
}

pub(crate) async fn display_names(
    db: &impl ConnectionTrait,
    ids: Vec<i32>,
) -> AppResult<HashMap<i32, String>> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// An application the user may see.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(application::Model, Option<Party>)> {
    let app = application::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let side = side_of(&app, user)?;
    Ok((app, side))
}

/// An application with its timeline, as `user` may see it.
pub async fn detail(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    today: NaiveDate,
) -> AppResult<ApplicationDetail> {
    let (app, viewer) = find_visible(db, user, id).await?;
    if user.role == UserRole::Admin {
        // an administrator's reads of an application (a person's data) are on the record
        audit::record(
            db,
            Some(user.id),
            "admin.read_application",
            "application",
            Some(id.to_string()),
            json!({}),
        )
        .await?;
    }
    let status = status_of(&app)?;
    let events = application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.eq(id))
        .order_by_asc(application_event::Column::Id)
        .all(db)
        .await?;
    let actor_ids: Vec<i32> = events.iter().filter_map(|e| e.actor_user_id).collect();
    let actors = display_names(db, actor_ids).await?;
    let engineer = user::Entity::find_by_id(app.engineer_user_id)
        .one(db)
        .await?;
    let profile = engineer_profile::Entity::find_by_id(app.engineer_user_id)
        .one(db)
        .await?;
    let reader = viewer.map_or(pipeline::Reader::Administrator, pipeline::Reader::Side);
    let timeline = events
        .into_iter()
        .map(|e| {
            let by = if e.actor_party == Party::Employer.code() {
                Party::Employer
            } else {
                Party::Engineer
            };
            let mut details: EventDetails = serde_json::from_str(&e.details).unwrap_or_default();
            let internal = pipeline::reads_internal_record(reader, by);
            if !internal {
                if let Some(interview) = details.interview.as_mut() {
                    interview.rating = None;
                }
            }
            TimelineEntry {
                by,
                by_name: e.actor_user_id.and_then(|id| actors.get(&id).cloned()),
                details,
                from_stage: e.from_stage,
                to_stage: e.to_stage,
                closed_reason: e.closed_reason,
                note: e.note.filter(|_| internal),
                message: e.message,
                occurred_on: e.occurred_on,
                recorded_at: e.recorded_at,
            }
        })
        .collect();
    let moves = viewer
        .map(|party| {
            pipeline::moves_for(status, party)
                .into_iter()
                .map(|t| t.code().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let cover_note = app.cover_note.clone();
    let contact_shared = app.contact_shared;
    let (offer_salary_jpy, visa_route) = (app.offer_salary_jpy, app.visa_route.clone());
    let (coe_issued_on, arrived_on) = (app.coe_issued_on, app.arrived_on);
    let summary = summaries(db, vec![app], today)
        .await?
        .pop()
        .ok_or(AppError::Internal)?;
    Ok(ApplicationDetail {
        summary,
        cover_note,
        // the organisation reads the address only while the engineer consents to it
        engineer_email: engineer
            .filter(|_| contact_shared || viewer != Some(Party::Employer))
            .map(|u| u.email),
        contact_shared,
        engineer_jlpt_certified: profile.as_ref().is_some_and(|p| p.jlpt_is_certified()),
        engineer_jlpt: profile.and_then(|p| p.jlpt_level),
        timeline,
        viewer,
        moves,
        offer_salary_jpy,
        visa_route,
        coe_issued_on,
        coe_expires_on: coe_issued_on.map(pipeline::coe_expires_on),
        arrived_on,
        today,
    })
}

/// Makes a move. `seen_version` is the version the user was shown: if the application moved
/// since, the move is refused with `ChangedMeanwhile` — unless the change was this very move
/// submitted twice, which then happens once. Returns the application after the move.
pub async fn make_move(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: i32,
    seen_version: Option<i32>,
    draft: &MoveDraft,
    today: NaiveDate,
) -> AppResult<application::Model> {
    let (app, side) = find_visible(db, user, id).await?;
    let party = side.ok_or(AppError::Forbidden)?;
    let last = application_event::Entity::find()
        .filter(application_event::Column::ApplicationId.eq(id))
        .order_by_desc(application_event::Column::Id)
        .one(db)
        .await?;
    if let Some(seen) = seen_version.filter(|seen| *seen != app.version) {
        let repeated = seen.checked_add(1) == Some(app.version)
            && last.as_ref().is_some_and(|e| {
                e.actor_user_id == Some(user.id)
                    && e.closed_reason.as_deref().unwrap_or(&e.to_stage) == draft.to.trim()
                    && e.note.as_deref().unwrap_or_default() == draft.note.trim()
            });
        return if repeated {
            Ok(app)
        } else {
            Err(AppError::Conflict(Conflict::ChangedMeanwhile))
        };
    }
    let status = status_of(&app)?;
    let context = MoveContext {
        status,
        today,
        last_step_on: last
            .as_ref()
            .map_or(domain::time::japan_date(app.applied_at), |e| e.occurred_on),
        coe_issued_on: app.coe_issued_on,
        proposed_visa_route: app
            .visa_route
            .as_deref()
            .and_then(pipeline::parse_visa_route),
    };
    let checked = draft.parse(party, &context)?;
    let mut details = EventDetails {
        interview: checked.interview,
        offer: checked.offer,
        visa_route: checked
            .visa_route
            .map(|r| pipeline::visa_route_code(r).to_owned()),
        interview_round: None,
    };
    if checked.target == Target::Stage(Stage::Interview) {
        let held = application_event::Entity::find()
            .filter(application_event::Column::ApplicationId.eq(id))
            .filter(application_event::Column::ToStage.eq(Stage::Interview.code()))
            .filter(application_event::Column::ClosedReason.is_null())
            .count(db)
            .await?;
        details.interview_round = Some(held as u32 + 1);
    }
    let after = status.after(checked.target);
    let now = Utc::now();

    let txn = db.begin().await?;
    // The guarded update is the transaction's first statement, so SQLite takes its write lock
    // here (waiting its turn) and PostgreSQL re-checks the version after any concurrent update:
    // of two moves made from the same version, exactly one changes a row.
    let mut update = application::Entity::update_many()
        .col_expr(application::Column::Stage, Expr::value(after.stage.code()))
        .col_expr(
            application::Column::ClosedReason,
            Expr::value(after.closed.map(|r| r.code().to_owned())),
        )
        .col_expr(
            application::Column::Version,
            Expr::col(application::Column::Version).add(1),
        )
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .col_expr(application::Column::StageChangedAt, Expr::value(now));
    let on = Expr::value(checked.on);
    update = match checked.target {
        Target::Stage(Stage::OfferExtended) => update
            .col_expr(
                application::Column::OfferSalaryJpy,
                Expr::value(checked.offer.map(|o| o.annual_salary_jpy)),
            )
            .col_expr(application::Column::OfferedOn, on)
            .col_expr(
                application::Column::VisaRoute,
                Expr::value(details.visa_route.clone()),
            ),
        Target::Stage(Stage::OfferAccepted) => update.col_expr(
            application::Column::VisaRoute,
            Expr::value(details.visa_route.clone()),
        ),
        Target::Stage(Stage::CoeIssued) => update.col_expr(application::Column::CoeIssuedOn, on),
        Target::Stage(Stage::VisaIssued) => update.col_expr(application::Column::VisaIssuedOn, on),
        Target::Stage(Stage::Arrived) => update.col_expr(application::Column::ArrivedOn, on),
        Target::Stage(Stage::ResidentRegistered) => {
            update.col_expr(application::Column::RegisteredOn, on)
        }
        _ => update,
    };
    let changed = update
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::Version.eq(app.version))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::Conflict(Conflict::ChangedMeanwhile));
    }
    let (to_stage, closed_reason) = match checked.target {
        Target::Stage(stage) => (stage, None),
        Target::Closed(reason) => (status.stage, Some(reason.code().to_owned())),
    };
    application_event::ActiveModel {
        application_id: Set(id),
        from_stage: Set(Some(status.stage.code().to_owned())),
        to_stage: Set(to_stage.code().to_owned()),
        closed_reason: Set(closed_reason),
        actor_user_id: Set(Some(user.id)),
        actor_party: Set(party.code().to_owned()),
        note: Set(checked.note.clone()),
        message: Set(checked.message.clone()),
        details: Set(serde_json::to_string(&details).map_err(|_| AppError::Internal)?),
        occurred_on: Set(checked.on),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let recipients = match party {
        Party::Employer => vec![app.engineer_user_id],
        Party::Engineer => employer_users(&txn, app.organisation_id).await?,
    };
    // the employer's message to the candidate travels with the news of the move (page and mail)
    let message = checked.message.clone().filter(|_| party == Party::Employer);
    let detail =
        json!({ "to": checked.target.code(), "who": user.display_name, "message": message });
    for recipient in recipients {
        notify(
            &txn,
            recipient,
            NotificationKind::ApplicationMoved,
            Some(id),
            Some(app.role_id),
            &detail,
        )
        .await?;
    }
    audit::record(
        &txn,
        Some(user.id),
        "application.moved",
        "application",
        Some(id.to_string()),
        json!({ "from": status.stage.code(), "to": checked.target.code() }),
    )
    .await?;
    txn.commit().await?;
    application::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)
}

/// Applications one bulk move may name.
pub const MAX_BULK_MOVE: usize = 100;

/// Moves several applications of one role to the same stage or closing reason, each as its own
/// move: the same rules, concurrency check, notification and audit as one move, so one that
/// cannot go (an offer needs its terms, a stage out of order) is refused with its reason and the
/// rest still move.
pub async fn move_many(
    db: &DatabaseConnection,
    user: &CurrentUser,
    role_id: i32,
    ids: &[i32],
    draft: &MoveDraft,
    today: NaiveDate,
) -> AppResult<super::api::BulkMoveResult> {
    // only the role's own organisation moves its applications
    crate::roles::server::find_own(db, user, role_id).await?;
    if ids.is_empty() || ids.len() > MAX_BULK_MOVE {
        return Err(AppError::Validation(vec![FieldError::new(
            "applications",
            if ids.is_empty() {
                validation::Problem::Required
            } else {
                validation::Problem::TooLong
            },
        )]));
    }
    let mut result = super::api::BulkMoveResult::default();
    let mut seen = std::collections::HashSet::new();
    for &id in ids.iter().filter(|id| seen.insert(**id)) {
        let belongs = application::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|a| a.role_id == role_id);
        if !belongs {
            result.refused.push((id, "not_found".to_owned()));
            continue;
        }
        match make_move(db, user, id, None, draft, today).await {
            Ok(_) => result.moved.push(id),
            Err(AppError::Validation(errors)) => result.refused.push((
                id,
                errors
                    .first()
                    .map_or("form_has_problems", |e| e.problem.key())
                    .to_owned(),
            )),
            Err(AppError::Conflict(conflict)) => {
                result.refused.push((id, conflict.key().to_owned()))
            }
            Err(AppError::NotYourMove) => result.refused.push((id, "not_your_move".to_owned())),
            Err(other) => return Err(other),
        }
    }
    Ok(result)
}

/// Open applications per stage for each of the organisation's roles (for "My roles").
pub async fn stage_counts(
    db: &impl ConnectionTrait,
    organisation_id: i32,
) -> AppResult<HashMap<i32, Vec<(String, u64)>>> {
    let rows: Vec<(i32, String, i64)> = application::Entity::find()
        .select_only()
        .column(application::Column::RoleId)
        .column(application::Column::Stage)
        .column_as(application::Column::Id.count(), "n")
        .filter(application::Column::OrganisationId.eq(organisation_id))
        .filter(application::Column::ClosedReason.is_null())
        .group_by(application::Column::RoleId)
        .group_by(application::Column::Stage)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<i32, Vec<(String, u64)>> = HashMap::new();
    for (role_id, stage, n) in rows {
        out.entry(role_id).or_default().push((stage, n as u64));
    }
    for counts in out.values_mut() {
        counts.sort_by_key(|(stage, _)| Stage::parse(stage).map(Stage::position));
    }
    Ok(out)
}

/// A role's pipeline board: every stage's count and its most recently moved cards, and closed
/// applications by reason. About fifteen indexed queries whatever the role's size.
pub async fn board(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    role_id: i32,
    today: NaiveDate,
) -> AppResult<PipelineBoard> {
    let role = crate::roles::server::find_own(db, user, role_id).await?;
    let counts: Vec<(String, Option<String>, i64)> = application::Entity::find()
        .select_only()
        .column(application::Column::Stage)
        .column(application::Column::ClosedReason)
        .column_as(application::Column::Id.count(), "n")
        .filter(application::Column::RoleId.eq(role_id))
        .group_by(application::Column::Stage)
        .group_by(application::Column::ClosedReason)
        .into_tuple()
        .all(db)
        .await?;
    let mut open: HashMap<String, u64> = HashMap::new();
    let mut closed: HashMap<String, u64> = HashMap::new();
    for (stage, reason, n) in counts {
        match reason {
            None => *open.entry(stage).or_default() += n as u64,
            Some(reason) => *closed.entry(reason).or_default() += n as u64,
        }
    }
    let mut rows_by_stage = Vec::new();
    for stage in Stage::ALL {
        let count = open.get(stage.code()).copied().unwrap_or_default();
        let rows = if count == 0 {
            Vec::new()
        } else {
            application::Entity::find()
                .filter(application::Column::RoleId.eq(role_id))
                .filter(application::Column::Stage.eq(stage.code()))
                .filter(application::Column::ClosedReason.is_null())
                .order_by_desc(application::Column::UpdatedAt)
                .order_by_desc(application::Column::Id)
                .limit(CARDS_PER_COLUMN)
                .all(db)
                .await?
        };
        rows_by_stage.push((stage, count, rows));
    }
    let engineer_ids: Vec<i32> = rows_by_stage
        .iter()
        .flat_map(|(_, _, rows)| rows.iter().map(|a| a.engineer_user_id))
        .collect();
    let names = display_names(db, engineer_ids.clone()).await?;
    let profiles: HashMap<i32, engineer_profile::Model> = engineer_profile::Entity::find()
        .filter(engineer_profile::Column::UserId.is_in(engineer_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.user_id, p))
        .collect();
    let columns = rows_by_stage
        .into_iter()
        .map(|(stage, count, rows)| BoardColumn {
            stage: stage.code().to_owned(),
            count,
            cards: rows
                .into_iter()
                .map(|a| {
                    let profile = profiles.get(&a.engineer_user_id);
                    BoardCard {
                        id: a.id,
                        engineer_name: names.get(&a.engineer_user_id).cloned().unwrap_or_default(),
                        jlpt: profile.and_then(|p| p.jlpt_level.clone()),
                        jlpt_certified: profile.is_some_and(|p| p.jlpt_is_certified()),
                        years_experience: profile.map_or(0, |p| p.years_experience),
                        updated_at: a.updated_at,
                        clocks: pipeline::clocks(
                            Status {
                                stage,
                                closed: None,
                            },
                            key_dates(&a),
                            today,
                        ),
                    }
                })
                .collect(),
        })
        .collect();
    let mut closed: Vec<(String, u64)> = closed.into_iter().collect();
    closed.sort_by_key(|(reason, _)| {
        ClosingReason::parse(reason).and_then(|r| ClosingReason::ALL.iter().position(|x| *x == r))
    });
    Ok(PipelineBoard {
        role_id,
        role_title_ja: role.title_ja,
        role_title_en: role.title_en,
        columns,
        closed,
    })
}

/// Invites a searchable engineer to apply to one of the organisation's open roles.
pub async fn invite(
    db: &DatabaseConnection,
    user: &CurrentUser,
    role_id: i32,
    engineer_id: i32,
    message: &str,
) -> AppResult<()> {
    let role = crate::roles::server::find_own(db, user, role_id).await?;
    let verified = organisation::Entity::find_by_id(role.organisation_id)
        .one(db)
        .await?
        .is_some_and(|o| o.verified);
    if !verified {
        return Err(AppError::Forbidden);
    }
    if !role.is_open {
        return Err(AppError::Conflict(Conflict::RoleNotOpen));
    }
    let message = validation::optional_text(message, pipeline::NOTE_MAX_CHARS)
        .map_err(|p| AppError::Validation(vec![FieldError::new("message", p)]))?;
    // engineers who hide their profile cannot be found, so cannot be invited either
    engineer_profile::Entity::find_by_id(engineer_id)
        .one(db)
        .await?
        .filter(|p| p.searchable)
        .ok_or(AppError::NotFound)?;
    // nor can a suspended one
    user::Entity::find_by_id(engineer_id)
        .one(db)
        .await?
        .filter(|u| !u.suspended)
        .ok_or(AppError::NotFound)?;
    let applied = application::Entity::find()
        .filter(application::Column::RoleId.eq(role_id))
        .filter(application::Column::EngineerUserId.eq(engineer_id))
        .count(db)
        .await?;
    if applied > 0 {
        return Err(AppError::Conflict(Conflict::AlreadyApplied));
    }
    let txn = db.begin().await?;
    let inserted = invitation::ActiveModel {
        role_id: Set(role_id),
        engineer_user_id: Set(engineer_id),
        invited_by: Set(user.id),
        message: Set(message.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    match inserted {
        Ok(_) => {}
        Err(err) if crate::db::violates(&err, migrations::UQ_INVITATIONS_ROLE_ENGINEER) => {
            return Err(AppError::Conflict(Conflict::AlreadyInvited))
        }
        Err(err) => return Err(err.into()),
    }
    notify(
        &txn,
        engineer_id,
        NotificationKind::Invited,
        None,
        Some(role_id),
        &json!({ "who": user.display_name, "message": message }),
    )
    .await?;
    audit::record(
        &txn,
        Some(user.id),
        "invitation.created",
        "role",
        Some(role_id.to_string()),
        json!({ "engineer_user_id": engineer_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
