//! The administrators' records: the programme's settings, employer verification, users and the
//! audit log. Every change is audited in its own transaction.

use chrono::Utc;
use domain::account::UserRole;
use domain::programme::Settings;
use domain::validation::{self, FieldError, Problem};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use super::api::{AuditFilters, AuditPage, AuditRow, UserRow, VerificationItem};
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::db::entities::{audit_log, organisation, programme_settings, role, user};
use crate::error::{AppError, AppResult, Conflict};
use crate::notifications::server::{notify, NotificationKind};

/// Audit entries per page.
pub const AUDIT_PAGE: u64 = 100;
/// Users shown per search.
pub const USERS_SHOWN: u64 = 100;

/// The programme's settings: the stored row, or the reference values when none is stored yet.
pub async fn settings(db: &impl ConnectionTrait) -> AppResult<Settings> {
    let Some(row) = programme_settings::Entity::find_by_id(1).one(db).await? else {
        return Ok(Settings::default());
    };
    let defaults = Settings::default();
    Ok(Settings {
        target_people: row.target_people.max(1) as u32,
        start: row.start_on,
        horizon_years: row.horizon_years.clamp(1, 20) as u8,
        counted_stage: domain::pipeline::Stage::parse(&row.counted_stage)
            .unwrap_or(defaults.counted_stage),
        counted_routes: serde_json::from_str(&row.counted_routes)
            .unwrap_or(defaults.counted_routes),
        annual_targets: row
            .annual_targets
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok()),
    })
}

pub async fn save_settings(db: &DatabaseConnection, admin_id: i32, s: &Settings) -> AppResult<()> {
    let txn = db.begin().await?;
    let before = settings(&txn).await?;
    let model = programme_settings::ActiveModel {
        id: Set(1),
        target_people: Set(s.target_people as i32),
        start_on: Set(s.start),
        horizon_years: Set(i16::from(s.horizon_years)),
        counted_stage: Set(s.counted_stage.code().to_owned()),
        counted_routes: Set(
            serde_json::to_string(&s.counted_routes).map_err(|_| AppError::Internal)?
        ),
        annual_targets: Set(s
            .annual_targets
            .as_ref()
            .map(|y| serde_json::to_string(y).unwrap_or_default())),
        updated_at: Set(Utc::now()),
        updated_by: Set(Some(admin_id)),
    };
    if programme_settings::Entity::find_by_id(1)
        .one(&txn)
        .await?
        .is_some()
    {
        model.update(&txn).await?;
    } else {
        model.insert(&txn).await?;
    }
    // the dashboard's counted people follow the rule (only when it changed: a recount reads
    // every application that reached a counted stage)
    if (before.counted_stage, &before.counted_routes) != (s.counted_stage, &s.counted_routes)
        || !counted_rule_is(&txn, s).await?
    {
        migrations::dashboard_rollups::rebuild_counted(
            &txn,
            s.counted_stage.code(),
            &s.counted_routes,
        )
        .await?;
    }
    // every instance's kept dashboard views are computed again
    crate::indexing::change_log::record(&txn, crate::indexing::Queued::Dashboard, 0).await?;
    audit::record(
        &txn,
        Some(admin_id),
        "programme.settings_changed",
        "programme",
        Some("1".to_owned()),
        json!({ "before": before, "after": s }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether the dashboard's counted people were counted by `s`'s rule.
pub async fn counted_rule_is(db: &impl ConnectionTrait, s: &Settings) -> AppResult<bool> {
    let row = db
        .query_one(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT stage, routes FROM counted_rule WHERE id = 1",
        ))
        .await?;
    let stored = row.and_then(|row| {
        Some((
            row.try_get_by_index::<String>(0).ok()?,
            row.try_get_by_index::<String>(1).ok()?,
        ))
    });
    Ok(stored
        == Some((
            s.counted_stage.code().to_owned(),
            migrations::dashboard_rollups::routes_text(&s.counted_routes),
        )))
}

/// Unverified employers not yet reviewed, or changed since their rejection; oldest first.
pub async fn verification_queue(db: &impl ConnectionTrait) -> AppResult<Vec<VerificationItem>> {
    let waiting: Vec<organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Verified.eq(false))
        .filter(
            Condition::any()
                .add(organisation::Column::ReviewedAt.is_null())
                .add(
                    Expr::col(organisation::Column::UpdatedAt)
                        .gt(Expr::col(organisation::Column::ReviewedAt)),
                ),
        )
        .order_by_asc(organisation::Column::CreatedAt)
        .order_by_asc(organisation::Column::Id)
        .limit(200)
        .all(db)
        .await?;
    items(db, waiting).await
}

/// Verified organisations per page of the administrators' list.
pub const VERIFIED_PAGE: u64 = 20;

/// Verified employers, the most recently changed first, a page of [`VERIFIED_PAGE`] (1-based);
/// and whether another page follows. Administrators withdraw a verification from here.
pub async fn verified_organisations(
    db: &impl ConnectionTrait,
    page: u32,
) -> AppResult<(Vec<VerificationItem>, bool)> {
    let page = u64::from(page.clamp(1, 10_000));
    let mut found: Vec<organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Verified.eq(true))
        .order_by_desc(organisation::Column::UpdatedAt)
        .order_by_desc(organisation::Column::Id)
        .offset((page - 1) * VERIFIED_PAGE)
        .limit(VERIFIED_PAGE + 1)
        .all(db)
        .await?;
    let has_more = found.len() as u64 > VERIFIED_PAGE;
    found.truncate(VERIFIED_PAGE as usize);
    Ok((items(db, found).await?, has_more))
}

/// The organisations as the administrators' lists show them: with a contact and their roles.
async fn items(
    db: &impl ConnectionTrait,
    organisations: Vec<organisation::Model>,
) -> AppResult<Vec<VerificationItem>> {
    let ids: Vec<i32> = organisations.iter().map(|o| o.id).collect();
    let contacts: std::collections::HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::OrganisationId.is_in(ids.clone()))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|u| u.organisation_id.map(|o| (o, u)))
        .rev()
        .collect();
    let role_counts: Vec<(i32, i64)> = role::Entity::find()
        .select_only()
        .column(role::Column::OrganisationId)
        .column_as(role::Column::Id.count(), "n")
        .filter(role::Column::OrganisationId.is_in(ids))
        .group_by(role::Column::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;
    let roles: std::collections::HashMap<i32, i64> = role_counts.into_iter().collect();
    Ok(organisations
        .into_iter()
        .map(|o| {
            let contact = contacts.get(&o.id);
            VerificationItem {
                organisation_id: o.id,
                roles: roles.get(&o.id).copied().unwrap_or_default() as u64,
                contact_email: contact.map(|u| u.email.clone()),
                contact_name: contact.map(|u| u.display_name.clone()),
                sponsorship: o.sponsorship(),
                earlier_rejection: o.rejection_reason,
                name_ja: o.name_ja,
                name_en: o.name_en,
                prefecture: o.prefecture,
                sector: o.sector,
                size: o.size,
                corporate_number: o.corporate_number,
                website: o.website,
                created_at: o.created_at,
            }
        })
        .collect())
}

/// Approves or rejects an employer; its users are notified, and approval publishes its roles.
pub async fn decide_verification(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    organisation_id: i32,
    decision: &str,
    reason: &str,
) -> AppResult<()> {
    // "withdraw" takes back a verification given earlier: like a rejection, it needs a reason
    let (approve, withdraw) = match decision {
        "approve" => (true, false),
        "reject" => (false, false),
        "withdraw" => (false, true),
        _ => {
            return Err(AppError::Validation(vec![FieldError::new(
                "decision",
                Problem::NotAllowed,
            )]))
        }
    };
    let reason = validation::optional_text(reason, 1_000)
        .map_err(|p| AppError::Validation(vec![FieldError::new("reason", p)]))?;
    if !approve && reason.is_none() {
        return Err(AppError::Validation(vec![FieldError::new(
            "reason",
            Problem::Required,
        )]));
    }
    let org = organisation::Entity::find_by_id(organisation_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if withdraw && !org.verified {
        return Err(AppError::NotFound);
    }
    if approve || withdraw {
        // its roles are published, or withdrawn, through the search outbox
        crate::organisation::server::set_verified(db, Some(admin.id), organisation_id, approve)
            .await?;
    }
    let txn = db.begin().await?;
    let now = Utc::now();
    organisation::Entity::update_many()
        .col_expr(organisation::Column::ReviewedAt, Expr::value(Some(now)))
        .col_expr(
            organisation::Column::RejectionReason,
            Expr::value(if approve { None } else { reason.clone() }),
        )
        // reviewing is not a change by the employer: keep it out of the queue until one
        .col_expr(
            organisation::Column::UpdatedAt,
            Expr::value(org.updated_at.min(now)),
        )
        .filter(organisation::Column::Id.eq(organisation_id))
        .exec(&txn)
        .await?;
    let employers: Vec<i32> = user::Entity::find()
        .filter(user::Column::OrganisationId.eq(organisation_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    for employer in employers {
        notify(
            &txn,
            employer,
            if approve {
                NotificationKind::OrganisationVerified
            } else {
                NotificationKind::OrganisationRejected
            },
            None,
            None,
            &json!({ "who": admin.display_name, "message": reason }),
        )
        .await?;
    }
    if !approve {
        audit::record(
            &txn,
            Some(admin.id),
            if withdraw {
                "organisation.verification_withdrawn"
            } else {
                "organisation.rejected"
            },
            "organisation",
            Some(organisation_id.to_string()),
            json!({ "reason": reason }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// `text` without LIKE's wildcards `%` and `_`, so a name searched for is matched as typed.
fn escape_like(text: &str) -> String {
    text.chars().filter(|c| *c != '%' && *c != '_').collect()
}

/// Users whose e-mail address or name contains `q`, optionally of one role, newest first.
pub async fn find_users(db: &impl ConnectionTrait, q: &str, role: &str) -> AppResult<Vec<UserRow>> {
    // an erased account is a tombstone kept for the statistics, not a user
    let mut query = user::Entity::find().filter(user::Column::ErasedAt.is_null());
    let q = q.trim().to_lowercase();
    if q.chars().count() > 200 {
        return Err(AppError::InvalidParameters(vec![FieldError::new(
            "q",
            Problem::TooLong,
        )]));
    }
    if !q.is_empty() {
        query = query.filter(
            Condition::any()
                .add(user::Column::Email.contains(&q))
                // names keep their capitals: compare them lower-cased on both sides, since
                // LIKE ignores case on SQLite but not on PostgreSQL
                .add(
                    Expr::expr(Func::lower(Expr::col(user::Column::DisplayName)))
                        .like(format!("%{}%", escape_like(&q))),
                ),
        );
    }
    match role.trim() {
        "" => {}
        code => {
            let role = UserRole::parse(code).ok_or_else(|| {
                AppError::InvalidParameters(vec![FieldError::new("role", Problem::NotAllowed)])
            })?;
            query = query.filter(user::Column::Role.eq(role.code()));
        }
    }
    let users = query
        .order_by_desc(user::Column::CreatedAt)
        .order_by_desc(user::Column::Id)
        .limit(USERS_SHOWN)
        .all(db)
        .await?;
    let orgs: std::collections::HashMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(users.iter().filter_map(|u| u.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name_ja.or(o.name_en).unwrap_or_default()))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| UserRow {
            organisation: u.organisation_id.and_then(|o| orgs.get(&o).cloned()),
            id: u.id,
            email: u.email,
            display_name: u.display_name,
            role: u.role,
            suspended: u.suspended,
            created_at: u.created_at,
        })
        .collect())
}

/// Suspends or reinstates a user. The last active administrator cannot be suspended, so the
/// programme is never left without one.
pub async fn set_suspended(
    db: &DatabaseConnection,
    admin: &CurrentUser,
    user_id: i32,
    suspend: bool,
) -> AppResult<()> {
    let txn = db.begin().await?;
    // the write first: SQLite takes its lock here, and two administrators suspending each other
    // at once are serialised before the last-admin check below
    let now = Utc::now();
    let mut update = user::Entity::update_many()
        .col_expr(user::Column::Suspended, Expr::value(suspend))
        .col_expr(user::Column::UpdatedAt, Expr::value(now));
    if suspend {
        // every session started before now ends, and stays ended after a reinstatement
        update = update.col_expr(user::Column::SessionsRevokedAt, Expr::value(now));
    }
    let changed = update
        .filter(user::Column::Id.eq(user_id))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    // a suspended engineer leaves the talent pool (the index drops suspended profiles) and
    // comes back on reinstatement
    crate::indexing::enqueue(&txn, crate::indexing::Queued::Engineer, user_id).await?;
    let closed_roles: Vec<i32> = if suspend {
        // a suspended employer's open roles close: out of search, no more applications.
        // Reinstatement leaves them closed, for the employer to reopen deliberately.
        let open: Vec<i32> = role::Entity::find()
            .filter(role::Column::CreatedBy.eq(user_id))
            .filter(role::Column::IsOpen.eq(true))
            .all(&txn)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        if !open.is_empty() {
            role::Entity::update_many()
                .col_expr(role::Column::IsOpen, Expr::value(false))
                .col_expr(role::Column::UpdatedAt, Expr::value(now))
                .filter(role::Column::Id.is_in(open.clone()))
                .exec(&txn)
                .await?;
            for id in &open {
                crate::indexing::enqueue(&txn, crate::indexing::Queued::Role, *id).await?;
            }
        }
        open
    } else {
        Vec::new()
    };
    let active_admins = user::Entity::find()
        .filter(user::Column::Role.eq(UserRole::Admin.code()))
        .filter(user::Column::Suspended.eq(false))
        .count(&txn)
        .await?;
    if active_admins == 0 {
        // dropping the transaction rolls the suspension back
        return Err(AppError::Conflict(Conflict::LastAdmin));
    }
    audit::record(
        &txn,
        Some(admin.id),
        if suspend {
            "user.suspended"
        } else {
            "user.reinstated"
        },
        "user",
        Some(user_id.to_string()),
        json!({ "closed_roles": closed_roles }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The audit log, newest first, by filters.
pub async fn audit(db: &impl ConnectionTrait, f: &AuditFilters) -> AppResult<AuditPage> {
    let mut v = validation::Validator::new();
    let page = v
        .check("page", validation::optional_integer(&f.page, 1, 100_000))
        .flatten()
        .unwrap_or(1) as u64;
    let from = match f.from.trim() {
        "" => None,
        raw => v.check("from", validation::date(raw)),
    };
    let to = match f.to.trim() {
        "" => None,
        raw => v.check("to", validation::date(raw)),
    };
    v.finish().map_err(AppError::InvalidParameters)?;
    let mut query = audit_log::Entity::find();
    if !f.action.trim().is_empty() {
        query = query.filter(audit_log::Column::Action.starts_with(f.action.trim()));
    }
    if !f.subject.trim().is_empty() {
        let (kind, id) = match f.subject.trim().split_once(':') {
            Some((kind, id)) => (kind, Some(id)),
            None => (f.subject.trim(), None),
        };
        query = query.filter(audit_log::Column::SubjectType.eq(kind));
        if let Some(id) = id {
            query = query.filter(audit_log::Column::SubjectId.eq(id));
        }
    }
    if !f.actor.trim().is_empty() {
        let actors: Vec<i32> = user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Email.contains(f.actor.trim().to_lowercase()))
            .into_tuple()
            .all(db)
            .await?;
        query = query.filter(audit_log::Column::ActorUserId.is_in(actors));
    }
    if let Some(from) = from {
        query = query.filter(
            audit_log::Column::At.gte(from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()),
        );
    }
    if let Some(to) = to {
        let next = to + chrono::Days::new(1);
        query = query.filter(
            audit_log::Column::At.lt(next.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()),
        );
    }
    let mut rows = query
        .order_by_desc(audit_log::Column::Id)
        .offset((page - 1) * AUDIT_PAGE)
        .limit(AUDIT_PAGE + 1)
        .all(db)
        .await?;
    let has_more = rows.len() as u64 > AUDIT_PAGE;
    rows.truncate(AUDIT_PAGE as usize);
    let actors: std::collections::HashMap<i32, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.actor_user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    Ok(AuditPage {
        rows: rows
            .into_iter()
            .map(|r| AuditRow {
                id: r.id,
                at: r.at,
                actor: r.actor_user_id.and_then(|id| actors.get(&id).cloned()),
                action: r.action,
                subject_type: r.subject_type,
                subject_id: r.subject_id,
                detail: r.detail,
            })
            .collect(),
        page,
        has_more,
    })
}
