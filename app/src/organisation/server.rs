//! Reading and writing organisations.

use chrono::Utc;
use domain::hsp::{HspCase, PointsItem, TABLE_2023};
use domain::role::{Organisation, OrganisationDraft};
use domain::sponsorship::{Sponsorship, SponsorshipDraft};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait,
};
use serde_json::json;

use super::api::OrganisationView;
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::db::entities::organisation;
use crate::error::{AppError, AppResult};

/// The organisation the employer belongs to.
pub async fn load(db: &impl ConnectionTrait, user: &CurrentUser) -> AppResult<OrganisationView> {
    let id = user.organisation_id.ok_or(AppError::Forbidden)?;
    let org = organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let sponsorship = org.sponsorship();
    Ok(OrganisationView {
        id: org.id,
        verified: org.verified,
        sponsorship: SponsorshipDraft::of(&sponsorship),
        sme: sponsorship.is_sme(),
        bonus_points: employer_bonus(&sponsorship),
        draft: OrganisationDraft {
            name_ja: org.name_ja.unwrap_or_default(),
            name_en: org.name_en.unwrap_or_default(),
            prefecture: org.prefecture,
            sector: org.sector,
            size: org.size,
            corporate_number: org.corporate_number.unwrap_or_default(),
            website: org.website.unwrap_or_default(),
        },
    })
}

/// Updates the employer's own organisation; its verified flag is the administrators' to set.
///
/// A verified organisation that changes its name or sector goes back to review: it could
/// otherwise rename itself after any company and keep the badge. Until an administrator approves
/// it again it is unverified, so its roles leave search and stop taking applications and the
/// talent pool closes to it (the safer choice than keeping them published under a name nobody
/// checked). The audit entry records the record before and after.
pub async fn save(
    db: &DatabaseConnection,
    user: &CurrentUser,
    org: &Organisation,
) -> AppResult<()> {
    let id = user.organisation_id.ok_or(AppError::Forbidden)?;
    let txn = db.begin().await?;
    let before = organisation::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let identity_changed = before.name_ja != org.name_ja
        || before.name_en != org.name_en
        || before.sector != org.sector.code()
        || before.corporate_number != org.corporate_number
        || before.website != org.website;
    let back_to_review = before.verified && identity_changed;
    organisation::ActiveModel {
        id: Set(id),
        name_ja: Set(org.name_ja.clone()),
        name_en: Set(org.name_en.clone()),
        prefecture: Set(org.prefecture.clone()),
        sector: Set(org.sector.code().to_owned()),
        size: Set(org.size.code().to_owned()),
        corporate_number: Set(org.corporate_number.clone()),
        website: Set(org.website.clone()),
        verified: Set(before.verified && !back_to_review),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    crate::indexing::enqueue(&txn, crate::indexing::Queued::Organisation, id).await?;
    let snapshot = |name_ja: &Option<String>,
                    name_en: &Option<String>,
                    prefecture: &str,
                    sector: &str,
                    size: &str,
                    corporate_number: &Option<String>,
                    website: &Option<String>| {
        json!({ "name_ja": name_ja, "name_en": name_en, "prefecture": prefecture, "sector": sector, "size": size, "corporate_number": corporate_number, "website": website })
    };
    audit::record(
        &txn,
        Some(user.id),
        "organisation.updated",
        "organisation",
        Some(id.to_string()),
        json!({
            "before": snapshot(&before.name_ja, &before.name_en, &before.prefecture, &before.sector, &before.size, &before.corporate_number, &before.website),
            "after": snapshot(&org.name_ja, &org.name_en, &org.prefecture, org.sector.code(), org.size.code(), &org.corporate_number, &org.website),
            "back_to_review": back_to_review,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Verifies (or un-verifies) an organisation: its open roles are published to engineers (or
/// withdrawn) through the search outbox. `by` is the acting administrator, `None` for the
/// command line.
pub async fn set_verified(
    db: &DatabaseConnection,
    by: Option<i32>,
    id: i32,
    verified: bool,
) -> AppResult<()> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let txn = db.begin().await?;
    let updated = organisation::Entity::update_many()
        .col_expr(
            organisation::Column::Verified,
            sea_orm::sea_query::Expr::value(verified),
        )
        .col_expr(
            organisation::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(organisation::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    crate::indexing::enqueue(&txn, crate::indexing::Queued::Organisation, id).await?;
    audit::record(
        &txn,
        by,
        if verified {
            "organisation.verified"
        } else {
            "organisation.unverified"
        },
        "organisation",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The employer's items of the points its sponsorship profile earns every hire, by item code.
pub fn employer_bonus(sponsorship: &Sponsorship) -> Vec<(String, u8)> {
    let mut case = HspCase::default();
    sponsorship.apply_to(&mut case);
    TABLE_2023
        .score(&case)
        .items
        .into_iter()
        .filter(|(item, _)| PointsItem::EMPLOYER.contains(item))
        .map(|(item, points)| (item.code().to_owned(), points))
        .collect()
}

/// Records the employer's sponsorship profile. It does not send the organisation back to
/// review: the claims are what administrators and, at the Certificate of Eligibility, the
/// immigration bureau check against proof; the audit entry keeps before and after.
pub async fn save_sponsorship(
    db: &DatabaseConnection,
    user: &CurrentUser,
    sponsorship: &Sponsorship,
) -> AppResult<()> {
    let id = user.organisation_id.ok_or(AppError::Forbidden)?;
    let txn = db.begin().await?;
    let before = organisation::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    organisation::ActiveModel {
        id: Set(id),
        sponsorship: Set(serde_json::to_string(sponsorship).map_err(|_| AppError::Internal)?),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    audit::record(
        &txn,
        Some(user.id),
        "organisation.sponsorship_saved",
        "organisation",
        Some(id.to_string()),
        json!({ "before": before.sponsorship(), "after": sponsorship }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A company's public page as `user` (or a visitor) may see it: verified organisations for
/// everyone; one awaiting verification only for its members and administrators (otherwise it
/// does not exist, as its roles do not).
pub async fn company(
    db: &impl ConnectionTrait,
    user: Option<&CurrentUser>,
    id: i32,
    page: u64,
) -> AppResult<super::api::CompanyView> {
    use crate::db::entities::role;
    use domain::account::UserRole;
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter, QueryOrder};
    let org = organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let member = user.is_some_and(|u| u.organisation_id == Some(id));
    let admin = user.is_some_and(|u| u.role == UserRole::Admin);
    if !(org.verified || member || admin) {
        return Err(AppError::NotFound);
    }
    let open = role::Entity::find()
        .filter(role::Column::OrganisationId.eq(id))
        .filter(role::Column::IsOpen.eq(true))
        .order_by_desc(role::Column::CreatedAt)
        .order_by_desc(role::Column::Id)
        .paginate(db, super::api::COMPANY_ROLES_PER_PAGE);
    let counts = open.num_items_and_pages().await?;
    let page = page.clamp(1, counts.number_of_pages.max(1));
    let roles = open
        .fetch_page(page - 1)
        .await?
        .iter()
        .map(|r| crate::jobs::server::card(r, Some(&org), None))
        .collect();
    Ok(super::api::CompanyView {
        id: org.id,
        sponsorship: org.sponsorship(),
        name_ja: org.name_ja,
        name_en: org.name_en,
        sector: org.sector,
        prefecture: org.prefecture,
        size: org.size,
        website: org.website,
        verified: org.verified,
        roles,
        total_roles: counts.number_of_items,
        page,
        pages: counts.number_of_pages.max(1),
    })
}
