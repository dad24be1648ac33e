//! The digest e-mails of saved searches: every instance looks every few minutes for searches
//! whose digest is due, asks what is new since the last one, and in one transaction moves the
//! search's watermark on (claimed on the due time it read, so one instance wins) and leaves a
//! notification, which the notification mailer sends under the "saved search alerts" topic
//! with its one-click unsubscribe. A process killed before its commit leaves the digest due.

use chrono::{DateTime, Utc};
use domain::language::UiLanguage;
use domain::saved_search::{self, Frequency};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use serde_json::json;

use crate::db::entities::{saved_search as row, user};
use crate::error::AppResult;
use crate::notifications::server::{notify, NotificationKind};
use crate::state::AppState;

/// How often each instance looks.
pub const PERIOD: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// Searches handled per look.
const PAGE: u64 = 200;

/// Makes the digests due at `now`; returns how many notifications this call left.
pub async fn send_digests(state: &AppState, now: DateTime<Utc>) -> AppResult<u64> {
    let due = row::Entity::find()
        .filter(row::Column::NextDigestAt.lte(now))
        .order_by_asc(row::Column::NextDigestAt)
        .limit(PAGE)
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for saved in due {
        let frequency = Frequency::parse(&saved.frequency).unwrap_or(Frequency::Never);
        let owner = user::Entity::find_by_id(saved.user_id)
            .one(&state.db)
            .await?
            .filter(|u| !u.suspended && u.erased_at.is_none());
        let found = match &owner {
            Some(owner) => {
                let lang = UiLanguage::parse(&owner.ui_language).unwrap_or_default();
                let person = crate::auth::server::to_current_user(owner);
                // a search its owner may no longer run finds nothing
                super::server::new_results(state, &person, &saved, saved.alerted_at, lang)
                    .await
                    .unwrap_or_default()
            }
            None => (0, Vec::new()),
        };
        let txn = state.db.begin().await?;
        let claimed = row::Entity::update_many()
            .col_expr(row::Column::AlertedAt, Expr::value(now))
            .col_expr(
                row::Column::NextDigestAt,
                Expr::value(saved_search::next_due(frequency, now)),
            )
            .filter(row::Column::Id.eq(saved.id))
            .filter(row::Column::NextDigestAt.eq(saved.next_digest_at))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            continue;
        }
        let (count, names) = found;
        if count > 0 {
            notify(
                &txn,
                saved.user_id,
                NotificationKind::SearchAlert,
                None,
                None,
                &json!({
                    "who": saved.name,
                    "to": count.to_string(),
                    "message": names.join("\n"),
                    "search": saved.id,
                }),
            )
            .await?;
            sent += 1;
        }
        txn.commit().await?;
    }
    Ok(sent)
}

/// Runs [`send_digests`] every [`PERIOD`] for as long as the server runs.
pub fn spawn_scheduler(state: AppState) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PERIOD);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(err) = send_digests(&state, Utc::now()).await {
                tracing::error!(error = %err, "saved search digests failed");
            }
        }
    });
}
