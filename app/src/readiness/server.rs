//! Reading an application's readiness, and ticking its checklist.

use chrono::{NaiveDate, Utc};
use domain::account::UserRole;
use domain::coe::{self, Checklist, EmployerCategory};
use domain::hsp::VisaRoute;
use domain::language::UiLanguage;
use domain::pipeline::{self, Party};
use domain::skills::SkillId;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::json;

use super::api::{ChecklistRow, ChecklistView, Readiness};
use crate::applications::server::{display_names, find_visible, status_of};
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::db::entities::{checklist_tick, engineer_profile, organisation};
use crate::error::{AppError, AppResult};

/// Until the employer records its category, the checklist shows category 3's: the list most
/// organisations file with, and a superset of categories 1 and 2.
const CATEGORY_WHEN_UNKNOWN: u8 = 3;

/// The application's readiness as `user` may see it.
pub async fn readiness(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    application_id: i32,
    lang: UiLanguage,
    today: NaiveDate,
) -> AppResult<Readiness> {
    let (app, side) = find_visible(db, user, application_id).await?;
    let status = status_of(&app)?;
    let profile = engineer_profile::Entity::find_by_id(app.engineer_user_id)
        .one(db)
        .await?;
    let sponsorship = organisation::Entity::find_by_id(app.organisation_id)
        .one(db)
        .await?
        .map(|o| o.sponsorship())
        .unwrap_or_default();
    let asked: Vec<SkillId> = crate::roles::server::skills_of(db, app.role_id)
        .await?
        .into_iter()
        .filter(|s| s.required)
        .map(|s| SkillId::new(s.skill_id))
        .collect();
    // scored once: the page shows the points and the what-if starts from the same case
    let case_at_offer = match (&profile, app.offer_salary_jpy) {
        (Some(p), Some(salary)) => {
            crate::jobs::server::points_case(p, &asked, &sponsorship, salary, today)
        }
        _ => None,
    };
    let points_at_offer = case_at_offer.as_ref().map(crate::jobs::server::points_view);
    let checklist = if coe::checklist_applies(&status) {
        let route = app
            .visa_route
            .as_deref()
            .and_then(pipeline::parse_visa_route)
            .unwrap_or(VisaRoute::EngineerSpecialist);
        let shown = sponsorship
            .coe_category
            .unwrap_or(EmployerCategory::new(CATEGORY_WHEN_UNKNOWN).ok_or(AppError::Internal)?);
        let ticks = checklist_tick::Entity::find()
            .filter(checklist_tick::Column::ApplicationId.eq(app.id))
            .all(db)
            .await?;
        let names = display_names(
            db,
            ticks.iter().filter_map(|t| t.ticked_by_user_id).collect(),
        )
        .await?;
        let list = Checklist::shipped();
        let rows = list
            .for_application(route, shown)
            .into_iter()
            .map(|item| {
                let tick = ticks.iter().find(|t| t.item_key == item.key);
                ChecklistRow {
                    key: item.key.clone(),
                    who: item.who.code().to_owned(),
                    text: item.text(lang.code()).to_owned(),
                    ticked_at: tick.map(|t| t.ticked_at),
                    ticked_by: tick
                        .and_then(|t| t.ticked_by_user_id)
                        .and_then(|id| names.get(&id).cloned()),
                    can_tick: side.is_some_and(|party| coe::may_tick(&status, party, item)),
                }
            })
            .collect();
        Some(ChecklistView {
            route: pipeline::visa_route_code(route).to_owned(),
            category: sponsorship.coe_category.map(EmployerCategory::number),
            category_shown: shown.number(),
            source: list.source.clone(),
            effective_from: list.effective_from.clone(),
            rows,
        })
    } else {
        None
    };
    Ok(Readiness {
        application_id: app.id,
        points_at_offer,
        case_at_offer,
        jlpt_declared: profile.as_ref().and_then(|p| p.jlpt_level.clone()),
        jlpt_certified: profile
            .as_ref()
            .and_then(|p| p.certified_jlpt())
            .map(|l| l.code().to_owned()),
        checklist,
        documents_at: match side {
            Some(Party::Engineer) => Some("/api/v1/me/documents".to_owned()),
            Some(Party::Employer) => Some(format!("/api/v1/applications/{}/documents", app.id)),
            None => None,
        },
        contact_left_out: side == Some(Party::Employer) && !app.contact_shared,
    })
}

/// Marks (or unmarks) one of the viewer's side's documents as provided. Administrators read
/// the checklist but do not tick it; another side's item is refused.
pub async fn tick(
    db: &DatabaseConnection,
    user: &CurrentUser,
    application_id: i32,
    item_key: &str,
    done: bool,
) -> AppResult<()> {
    let txn = db.begin().await?;
    let (app, side) = find_visible(&txn, user, application_id).await?;
    let party = side.ok_or(AppError::Forbidden)?;
    let status = status_of(&app)?;
    let list = Checklist::shipped();
    let item = list.item(item_key).ok_or(AppError::NotFound)?;
    if !coe::may_tick(&status, party, item) {
        return Err(AppError::Forbidden);
    }
    if done {
        checklist_tick::Entity::insert(checklist_tick::ActiveModel {
            application_id: Set(app.id),
            item_key: Set(item.key.clone()),
            ticked_by_user_id: Set(Some(user.id)),
            ticked_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::columns([
                checklist_tick::Column::ApplicationId,
                checklist_tick::Column::ItemKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .do_nothing()
        .exec(&txn)
        .await?;
    } else {
        checklist_tick::Entity::delete_many()
            .filter(checklist_tick::Column::ApplicationId.eq(app.id))
            .filter(checklist_tick::Column::ItemKey.eq(item.key.clone()))
            .exec(&txn)
            .await?;
    }
    audit::record(
        &txn,
        Some(user.id),
        if done {
            "application.checklist_ticked"
        } else {
            "application.checklist_unticked"
        },
        "application",
        Some(app.id.to_string()),
        json!({ "item": item.key }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whose documents `user` may download through application `application_id`, and whether with
/// the contact details: the engineer's own, and the employer's copy once the engineer applied
/// (an application exists only then), with contact details only while the engineer shares
/// them. Administrators do not download people's documents.
pub async fn documents_of(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    application_id: i32,
) -> AppResult<(i32, bool)> {
    if user.role == UserRole::Admin {
        return Err(AppError::Forbidden);
    }
    let (app, side) = find_visible(db, user, application_id).await?;
    match side {
        Some(Party::Engineer) => Ok((app.engineer_user_id, true)),
        Some(Party::Employer) => Ok((app.engineer_user_id, app.contact_shared)),
        None => Err(AppError::Forbidden),
    }
}
