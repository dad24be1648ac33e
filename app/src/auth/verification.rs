//! Proving an e-mail address: a single-use link sent at sign-up (and again on request), valid
//! for seven days, of which only a SHA-256 is stored. An account whose address is not proven can
//! use the site but cannot apply to a role or post one: every message that matters to a move
//! goes to that address, and an employer or an engineer reached through a typo is no one.

use chrono::Utc;
use domain::language::UiLanguage;
use domain::validation::{FieldError, Problem};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use serde_json::json;

use super::recovery::{hash_token, new_token};
use crate::audit;
use crate::db::entities::{account_token, user};
use crate::error::{AppError, AppResult, Conflict};
use crate::mail::{self, compose};

const VERIFY: &str = "verify_email";
/// How long a verification link works.
pub const VERIFY_DAYS: i64 = 7;

/// Sends a verification link to the account's address, unless it is proven already or a link
/// went out less than a minute ago. Returns whether one was queued.
pub async fn send_link(db: &DatabaseConnection, user_id: i32, public_url: &str) -> AppResult<bool> {
    let Some(found) = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.email_verified_at.is_none() && u.erased_at.is_none())
    else {
        return Ok(false);
    };
    let now = Utc::now();
    let sent_lately = account_token::Entity::find()
        .filter(account_token::Column::UserId.eq(user_id))
        .filter(account_token::Column::Purpose.eq(VERIFY))
        .filter(account_token::Column::CreatedAt.gt(now - chrono::Duration::seconds(60)))
        .one(db)
        .await?
        .is_some();
    if sent_lately {
        return Ok(false);
    }
    let (token, token_hash) = new_token();
    let lang = UiLanguage::parse(&found.ui_language).unwrap_or_default();
    let link = format!(
        "{}/verify-email?token={token}",
        public_url.trim_end_matches('/')
    );
    let txn = db.begin().await?;
    account_token::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(VERIFY.to_owned()),
        token_hash: Set(token_hash),
        expires_at: Set(now + chrono::Duration::days(VERIFY_DAYS)),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    mail::queue(
        &txn,
        compose::verify_email(
            lang,
            user_id,
            &found.email,
            &found.display_name,
            &link,
            VERIFY_DAYS,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Proves the address of the token's account: the token is used up, the account verified.
pub async fn confirm(db: &DatabaseConnection, token: &str) -> AppResult<i32> {
    let invalid = || AppError::Validation(vec![FieldError::new("token", Problem::InvalidToken)]);
    let now = Utc::now();
    let stored = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(hash_token(token.trim())))
        .filter(account_token::Column::Purpose.eq(VERIFY))
        .one(db)
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > now)
        .ok_or_else(invalid)?;
    let txn = db.begin().await?;
    let used = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, Expr::value(now))
        .filter(account_token::Column::Id.eq(stored.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(invalid());
    }
    user::Entity::update_many()
        .col_expr(user::Column::EmailVerifiedAt, Expr::value(now))
        .filter(user::Column::Id.eq(stored.user_id))
        .filter(user::Column::EmailVerifiedAt.is_null())
        .filter(user::Column::ErasedAt.is_null())
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(stored.user_id),
        "user.email_verified",
        "user",
        Some(stored.user_id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(stored.user_id)
}

/// Refuses what needs a proven address (applying, posting a role) to an account without one.
pub async fn require_verified(db: &impl ConnectionTrait, user_id: i32) -> AppResult<()> {
    let verified = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some_and(|u| u.email_verified_at.is_some());
    if verified {
        Ok(())
    } else {
        Err(AppError::Conflict(Conflict::EmailUnverified))
    }
}
