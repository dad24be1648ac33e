//! Signed-in devices: each session started at sign-in gets a random device key, kept in the
//! session's record and in `user_sessions`, so that a person can see where they are signed in
//! and sign out a device, or every device but this one, from anywhere; and so that a sign-in
//! from a browser not seen before on the account can be told by e-mail.

use chrono::{DateTime, Utc};
use domain::language::UiLanguage;
use rand::RngCore;
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::api::DeviceView;
use crate::db::entities::{user, user_session};
use crate::error::{AppError, AppResult};
use crate::mail::{self, compose};

/// A device's last-seen time is written at most this often (a request reads it every time).
const TOUCH_EVERY_SECONDS: i64 = 60;
/// Devices listed at most.
pub const LIST_LIMIT: u64 = 50;
/// Bytes of `User-Agent` kept.
const USER_AGENT_MAX: usize = 300;

/// Records a new signed-in device for `user_id`; returns its key. A browser not seen on the
/// account before gets the person a "new sign-in" message, unless they turned that off.
pub async fn start(
    db: &impl ConnectionTrait,
    user_id: i32,
    user_agent: &str,
    public_url: &str,
) -> AppResult<String> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let agent: String = user_agent.chars().take(USER_AGENT_MAX).collect();
    let seen_before = user_session::Entity::find()
        .filter(user_session::Column::UserId.eq(user_id))
        .filter(user_session::Column::UserAgent.eq(agent.clone()))
        .count(db)
        .await?
        > 0;
    let first_device = user_session::Entity::find()
        .filter(user_session::Column::UserId.eq(user_id))
        .count(db)
        .await?
        == 0;
    let now = Utc::now();
    user_session::ActiveModel {
        user_id: Set(user_id),
        device_key: Set(key.clone()),
        user_agent: Set(agent.clone()),
        created_at: Set(now),
        last_seen_at: Set(now),
        ended_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // the owner is back: a dormant profile is found again
    crate::rights::retention::wake(db, user_id).await?;
    // the account's very first device is its sign-up: nothing to warn about
    if !seen_before && !first_device {
        tell_of_new_device(db, user_id, &agent, now, public_url).await?;
    }
    Ok(key)
}

async fn tell_of_new_device(
    db: &impl ConnectionTrait,
    user_id: i32,
    agent: &str,
    at: DateTime<Utc>,
    public_url: &str,
) -> AppResult<()> {
    use domain::mail::{parse_opt_out, MailTopic};
    let Some(person) = user::Entity::find_by_id(user_id).one(db).await? else {
        return Ok(());
    };
    if parse_opt_out(&person.mail_opt_out).contains(&MailTopic::NewSignIns) {
        return Ok(());
    }
    let lang = UiLanguage::parse(&person.ui_language).unwrap_or_default();
    let device = domain::account::describe_user_agent(agent);
    let when = domain::time::format_jst_ist(at);
    let link = format!("{}/account", public_url.trim_end_matches('/'));
    mail::queue(
        db,
        compose::new_sign_in(
            lang,
            person.id,
            &person.email,
            &person.display_name,
            &device,
            &when,
            &link,
        ),
    )
    .await?;
    Ok(())
}

/// When the device `key` was last seen, for a statement over `users`: null when the device is
/// signed out, unknown, or another person's. The session's check reads it in the same statement
/// as the user's row (see `server::check_session`).
pub(super) fn last_seen_of_users_device(key: &str) -> SimpleExpr {
    crate::db::scalar_subquery(
        Query::select()
            .column((user_session::Entity, user_session::Column::LastSeenAt))
            .from(user_session::Entity)
            .and_where(Expr::col((user_session::Entity, user_session::Column::DeviceKey)).eq(key))
            .and_where(
                Expr::col((user_session::Entity, user_session::Column::UserId))
                    .equals((user::Entity, user::Column::Id)),
            )
            .and_where(Expr::col((user_session::Entity, user_session::Column::EndedAt)).is_null())
            .to_owned(),
    )
}

/// Notes that the device `key`, last seen at `last_seen`, was seen now: written at most once a
/// minute, since every request reads it.
pub(super) async fn note_seen(
    db: &impl ConnectionTrait,
    key: &str,
    last_seen: DateTime<Utc>,
) -> AppResult<()> {
    let now = Utc::now();
    if (now - last_seen).num_seconds() >= TOUCH_EVERY_SECONDS {
        user_session::Entity::update_many()
            .col_expr(user_session::Column::LastSeenAt, Expr::value(now))
            .filter(user_session::Column::DeviceKey.eq(key))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The person's signed-in devices, most recently seen first; `current` marks this one.
pub async fn list(
    db: &impl ConnectionTrait,
    user_id: i32,
    current: Option<&str>,
) -> AppResult<Vec<DeviceView>> {
    let person = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let now = Utc::now();
    let mut query = user_session::Entity::find()
        .filter(user_session::Column::UserId.eq(user_id))
        .filter(user_session::Column::EndedAt.is_null())
        // the session's own limits: a week idle, 30 days in all
        .filter(user_session::Column::LastSeenAt.gt(now - chrono::Duration::days(7)))
        .filter(user_session::Column::CreatedAt.gt(now - super::server::SESSION_ABSOLUTE_LIFETIME));
    if let Some(revoked) = person.sessions_revoked_at {
        query = query.filter(user_session::Column::CreatedAt.gt(revoked));
    }
    Ok(query
        .order_by_desc(user_session::Column::LastSeenAt)
        .limit(LIST_LIMIT)
        .all(db)
        .await?
        .into_iter()
        .map(|d| DeviceView {
            id: d.id,
            device: domain::account::describe_user_agent(&d.user_agent),
            signed_in_at: d.created_at,
            last_seen_at: d.last_seen_at,
            current: current == Some(d.device_key.as_str()),
        })
        .collect())
}

/// Signs out one of the person's devices (`Some(id)`), or every one but `current` (`None`).
/// Returns how many were signed out.
pub async fn end(
    db: &impl ConnectionTrait,
    user_id: i32,
    which: Option<i64>,
    current: Option<&str>,
) -> AppResult<u64> {
    let mut update = user_session::Entity::update_many()
        .col_expr(user_session::Column::EndedAt, Expr::value(Utc::now()))
        .filter(user_session::Column::UserId.eq(user_id))
        .filter(user_session::Column::EndedAt.is_null());
    if let Some(id) = which {
        update = update.filter(user_session::Column::Id.eq(id));
    }
    if let Some(current) = current {
        update = update.filter(user_session::Column::DeviceKey.ne(current));
    }
    Ok(update.exec(db).await?.rows_affected)
}
