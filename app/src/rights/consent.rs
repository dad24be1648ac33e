//! Consent to share an engineer's contact details with the organisation of one application.
//!
//! An employer reads the engineer's e-mail address only while `applications.contact_shared` is
//! true; every change of it is a row in `consents` with the words the person was shown, in their
//! language, so the person (and a regulator) can see who was given what, when, and on what terms.

use chrono::Utc;
use domain::account::UserRole;
use domain::language::UiLanguage;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

use super::api::{ConsentPage, ConsentView};
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::db::entities::{application, consent, organisation};
use crate::error::{AppError, AppResult};
use crate::i18n::t_with;

/// The one purpose contact details are shared for.
pub const CONTACT_FOR_APPLICATION: &str = "contact_for_application";

/// Consent records per page of the person's history.
pub const PAGE_SIZE: u64 = 50;

/// The organisation's name as every page shows it (its Japanese name, else its English one), so
/// the words recorded are the words the form showed.
pub fn organisation_name(org: &organisation::Model) -> String {
    org.name_ja
        .clone()
        .filter(|n| !n.is_empty())
        .or_else(|| org.name_en.clone())
        .unwrap_or_default()
}

/// The words of a consent (or of its withdrawal) naming the recipient and the purpose.
pub fn words(lang: UiLanguage, organisation: &str, granted: bool) -> String {
    let key = if granted {
        "consent.grant_text"
    } else {
        "consent.withdraw_text"
    };
    t_with(lang, key, &[("organisation", organisation)])
}

/// Records a consent or a withdrawal for `app` and sets its current answer, inside the caller's
/// transaction.
pub async fn record(
    txn: &impl ConnectionTrait,
    user_id: i32,
    lang: UiLanguage,
    app: &application::Model,
    granted: bool,
) -> AppResult<()> {
    let org = organisation::Entity::find_by_id(app.organisation_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = Utc::now();
    consent::ActiveModel {
        user_id: Set(user_id),
        application_id: Set(app.id),
        organisation_id: Set(app.organisation_id),
        purpose: Set(CONTACT_FOR_APPLICATION.to_owned()),
        granted: Set(granted),
        text_shown: Set(words(lang, &organisation_name(&org), granted)),
        language: Set(lang.code().to_owned()),
        at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    application::Entity::update_many()
        .col_expr(application::Column::ContactShared, granted.into())
        .filter(application::Column::Id.eq(app.id))
        .exec(txn)
        .await?;
    audit::record(
        txn,
        Some(user_id),
        if granted {
            "consent.granted"
        } else {
            "consent.withdrawn"
        },
        "application",
        Some(app.id.to_string()),
        json!({ "purpose": CONTACT_FOR_APPLICATION, "organisation_id": app.organisation_id }),
    )
    .await?;
    Ok(())
}

/// The engineer of an application gives or withdraws consent to share their contact details
/// with its organisation. Returns whether anything changed (the same answer twice records once).
pub async fn set_contact_sharing(
    db: &DatabaseConnection,
    user: &CurrentUser,
    lang: UiLanguage,
    application_id: i32,
    share: bool,
) -> AppResult<bool> {
    if user.role != UserRole::Engineer {
        return Err(AppError::Forbidden);
    }
    let txn = db.begin().await?;
    let app = application::Entity::find_by_id(application_id)
        .one(&txn)
        .await?
        // another engineer's application does not exist for this one
        .filter(|a| a.engineer_user_id == user.id)
        .ok_or(AppError::NotFound)?;
    if app.contact_shared == share {
        return Ok(false);
    }
    record(&txn, user.id, lang, &app, share).await?;
    txn.commit().await?;
    Ok(true)
}

/// The person's consents and withdrawals, newest first.
pub async fn history(db: &impl ConnectionTrait, user_id: i32, page: u64) -> AppResult<ConsentPage> {
    let query = consent::Entity::find().filter(consent::Column::UserId.eq(user_id));
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(consent::Column::Id)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(db)
        .await?;
    let orgs: std::collections::HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(rows.iter().map(|r| r.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let results = rows
        .into_iter()
        .map(|r| ConsentView {
            id: r.id,
            application_id: r.application_id,
            organisation_name: orgs
                .get(&r.organisation_id)
                .map(organisation_name)
                .unwrap_or_default(),
            purpose: r.purpose,
            granted: r.granted,
            text_shown: r.text_shown,
            at: r.at,
        })
        .collect();
    Ok(ConsentPage {
        results,
        total,
        page,
        page_size: PAGE_SIZE,
    })
}
