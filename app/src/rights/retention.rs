//! Keeping personal data no longer than it serves: a job every instance runs hourly.
//!
//! - A profile whose owner has neither saved it nor signed in for [`Retention::profile_idle`]
//!   (24 months by default) goes dormant: hidden from search on every instance, and the owner is
//!   asked by e-mail whether to keep it. Signing in wakes it.
//! - A closed (or completed) application untouched for [`Retention::closed_application`]
//!   (36 months by default) loses its free text — the note, the messages, the interview and offer
//!   details — keeping what the programme counts (stages, dates, sector, prefecture, state, JLPT).
//!
//! Both steps are idempotent and keyed, so instances running them at once do each thing once.

use chrono::{DateTime, Months, Utc};
use domain::language::UiLanguage;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};

use crate::db::entities::{application, engineer_profile, user, user_session};
use crate::error::AppResult;
use crate::indexing::change_log::{self, Queued};
use crate::mail::{self, compose};

/// How long data is kept (operators set it: `SETUBASHI_PROFILE_IDLE_MONTHS`,
/// `SETUBASHI_CLOSED_APPLICATION_MONTHS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub profile_idle: Months,
    pub closed_application: Months,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            profile_idle: Months::new(24),
            closed_application: Months::new(36),
        }
    }
}

/// Rows handled per query.
const PAGE: u64 = 500;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub profiles_made_dormant: u64,
    pub applications_anonymised: u64,
}

/// Runs both steps as of `now`.
pub async fn sweep(
    db: &DatabaseConnection,
    retention: Retention,
    public_url: &str,
    now: DateTime<Utc>,
) -> AppResult<Swept> {
    Ok(Swept {
        profiles_made_dormant: make_idle_profiles_dormant(db, retention, public_url, now).await?,
        applications_anonymised: anonymise_closed_applications(db, retention, now).await?,
    })
}

async fn make_idle_profiles_dormant(
    db: &DatabaseConnection,
    retention: Retention,
    public_url: &str,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let Some(cutoff) = now.checked_sub_months(retention.profile_idle) else {
        return Ok(0);
    };
    let mut made = 0;
    let mut after = 0;
    loop {
        let idle = engineer_profile::Entity::find()
            .filter(engineer_profile::Column::UserId.gt(after))
            .filter(engineer_profile::Column::DormantSince.is_null())
            .filter(engineer_profile::Column::IsDemo.eq(false))
            .filter(engineer_profile::Column::UpdatedAt.lt(cutoff))
            .order_by_asc(engineer_profile::Column::UserId)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = idle.last() else {
            return Ok(made);
        };
        after = last.user_id;
        // signed in since the cutoff: not idle, whatever the profile's age
        let active: std::collections::HashSet<i32> = user_session::Entity::find()
            .filter(user_session::Column::UserId.is_in(idle.iter().map(|p| p.user_id)))
            .filter(user_session::Column::LastSeenAt.gt(cutoff))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.user_id)
            .collect();
        for profile in idle.iter().filter(|p| !active.contains(&p.user_id)) {
            let txn = db.begin().await?;
            let changed = engineer_profile::Entity::update_many()
                .col_expr(engineer_profile::Column::DormantSince, Expr::value(now))
                .filter(engineer_profile::Column::UserId.eq(profile.user_id))
                .filter(engineer_profile::Column::DormantSince.is_null())
                .exec(&txn)
                .await?;
            if changed.rows_affected == 1 {
                change_log::record(&txn, Queued::Engineer, profile.user_id).await?;
                if let Some(owner) = user::Entity::find_by_id(profile.user_id)
                    .one(&txn)
                    .await?
                    .filter(|u| u.erased_at.is_none() && !u.suspended)
                {
                    let lang = UiLanguage::parse(&owner.ui_language).unwrap_or_default();
                    let mut message = compose::profile_dormant(
                        lang,
                        owner.id,
                        &owner.email,
                        &owner.display_name,
                        retention.profile_idle.as_u32(),
                        &format!("{}/login?next=/profile", public_url.trim_end_matches('/')),
                    );
                    message.dedupe_key = Some(format!("dormant:{}:{}", owner.id, now.date_naive()));
                    mail::queue(&txn, message).await?;
                }
                made += 1;
            }
            txn.commit().await?;
        }
    }
}

/// The owner came back (signed in): their profile is found again.
pub async fn wake(db: &impl ConnectionTrait, user_id: i32) -> AppResult<()> {
    let woken = engineer_profile::Entity::update_many()
        .col_expr(
            engineer_profile::Column::DormantSince,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(engineer_profile::Column::UserId.eq(user_id))
        .filter(engineer_profile::Column::DormantSince.is_not_null())
        .exec(db)
        .await?;
    if woken.rows_affected > 0 {
        change_log::record(db, Queued::Engineer, user_id).await?;
    }
    Ok(())
}

async fn anonymise_closed_applications(
    db: &DatabaseConnection,
    retention: Retention,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    let Some(cutoff) = now.checked_sub_months(retention.closed_application) else {
        return Ok(0);
    };
    let mut done = 0;
    loop {
        let ids: Vec<i32> = application::Entity::find()
            .filter(application::Column::AnonymisedAt.is_null())
            .filter(application::Column::StageChangedAt.lt(cutoff))
            .filter(
                Condition::any()
                    .add(application::Column::ClosedReason.is_not_null())
                    .add(application::Column::Stage.eq("resident_registered")),
            )
            .order_by_asc(application::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        if ids.is_empty() {
            return Ok(done);
        }
        let txn = db.begin().await?;
        let changed = super::erasure::strip_words(&txn, &ids, now).await?;
        txn.commit().await?;
        done += changed;
    }
}

/// Runs [`sweep`] every hour for as long as the server runs.
pub fn spawn_scheduler(db: DatabaseConnection, retention: Retention, public_url: String) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(std::time::Duration::from_secs(3600));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match sweep(&db, retention, &public_url, Utc::now()).await {
                Ok(swept) if swept != Swept::default() => {
                    tracing::info!(
                        ?swept,
                        "retention: profiles made dormant, applications anonymised"
                    )
                }
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "retention sweep failed"),
            }
        }
    });
}
