//! Account recovery and password changes: a single-use reset link by e-mail, and changing the
//! password with the current one. Both end every session, and both tell the person by e-mail.
//!
//! A reset request answers the same whether or not the address has an account (nothing is sent
//! to an address without one), and costs the same: no password is hashed until the link is used.

use chrono::Utc;
use domain::account::{Email, PasswordPolicy};
use domain::language::UiLanguage;
use domain::validation::{FieldError, Problem, Validator};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::password::{hash_password, verify_password};
use super::server::is_common_password;
use crate::audit;
use crate::db::entities::{account_token, user};
use crate::error::{AppError, AppResult};
use crate::mail::{self, compose};

/// How long a reset link works.
pub const RESET_MINUTES: i64 = 30;
const RESET: &str = "password_reset";

/// A new random token (256 bits, hex) and the hash that is stored in its place.
pub(crate) fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = hash_token(&token);
    (token, hash)
}

pub(crate) fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sends a reset link to `email` if it has an account (and is not suspended); does nothing
/// otherwise, and the caller answers the same either way.
pub async fn request_reset(
    db: &DatabaseConnection,
    email: &str,
    public_url: &str,
) -> AppResult<()> {
    // not an address at all is the typist's mistake, said as at sign-up (it reveals nothing)
    let address = Email::parse(email)
        .map_err(|problem| AppError::Validation(vec![FieldError::new("email", problem)]))?;
    let Some(found) = user::Entity::find()
        .filter(user::Column::Email.eq(address.as_str()))
        .one(db)
        .await?
        .filter(|u| !u.suspended)
    else {
        return Ok(());
    };
    let now = Utc::now();
    // one message a minute at most, however often someone types this address
    let asked_lately = account_token::Entity::find()
        .filter(account_token::Column::UserId.eq(found.id))
        .filter(account_token::Column::Purpose.eq(RESET))
        .filter(account_token::Column::CreatedAt.gt(now - chrono::Duration::seconds(60)))
        .one(db)
        .await?
        .is_some();
    if asked_lately {
        return Ok(());
    }
    let (token, token_hash) = new_token();
    let lang = UiLanguage::parse(&found.ui_language).unwrap_or(UiLanguage::En);
    let link = format!(
        "{}/reset-password?token={token}",
        public_url.trim_end_matches('/')
    );
    let txn = db.begin().await?;
    account_token::ActiveModel {
        user_id: Set(found.id),
        purpose: Set(RESET.to_owned()),
        token_hash: Set(token_hash),
        expires_at: Set(now + chrono::Duration::minutes(RESET_MINUTES)),
        used_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    mail::queue(
        &txn,
        compose::password_reset(
            lang,
            found.id,
            &found.email,
            &found.display_name,
            &link,
            RESET_MINUTES,
        ),
    )
    .await?;
    audit::record(
        &txn,
        Some(found.id),
        "user.password_reset_requested",
        "user",
        Some(found.id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn check_new_password(password: &str, found: &user::Model) -> AppResult<()> {
    let mut v = Validator::new();
    if v.check("password", PasswordPolicy::check_length(password))
        .is_some()
        && is_common_password(password, &[&found.email, &found.display_name])
    {
        v.push("password", Problem::PasswordTooCommon);
    }
    v.finish().map_err(AppError::Validation)
}

/// Sets a new password with a reset token: the token must be unused and unexpired; it is used
/// up, every session of the account ends, and the person is told by e-mail.
pub async fn reset_password(db: &DatabaseConnection, token: &str, password: &str) -> AppResult<()> {
    let invalid = || AppError::Validation(vec![FieldError::new("token", Problem::InvalidToken)]);
    let now = Utc::now();
    let Some(stored) = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(hash_token(token.trim())))
        .filter(account_token::Column::Purpose.eq(RESET))
        .one(db)
        .await?
        .filter(|t| t.used_at.is_none() && t.expires_at > now)
    else {
        return Err(invalid());
    };
    let Some(found) = user::Entity::find_by_id(stored.user_id)
        .one(db)
        .await?
        .filter(|u| !u.suspended)
    else {
        return Err(invalid());
    };
    check_new_password(password, &found)?;
    let password_hash = hash_password(password.to_owned()).await?;
    let txn = db.begin().await?;
    // used up in the same statement that checks it is unused: two uses at once, one wins
    let used = account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, now.into())
        .filter(account_token::Column::Id.eq(stored.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(invalid());
    }
    set_password(&txn, &found, password_hash, now, "user.password_reset").await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the password of a signed-in person who gives the current one. Every session ends
/// (the caller starts a new one for this device).
pub async fn change_password(
    db: &DatabaseConnection,
    user_id: i32,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let found = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !verify_password(current.to_owned(), found.password_hash.clone()).await? {
        return Err(AppError::Validation(vec![FieldError::new(
            "current_password",
            Problem::WrongPassword,
        )]));
    }
    check_new_password(new, &found)?;
    let password_hash = hash_password(new.to_owned()).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    set_password(&txn, &found, password_hash, now, "user.password_changed").await?;
    txn.commit().await?;
    Ok(())
}

/// Stores the new hash, ends every session started before `now` and every other reset link,
/// queues the "password changed" message and records `action` in the audit log.
async fn set_password(
    txn: &sea_orm::DatabaseTransaction,
    found: &user::Model,
    password_hash: String,
    now: chrono::DateTime<Utc>,
    action: &str,
) -> AppResult<()> {
    user::ActiveModel {
        id: Set(found.id),
        password_hash: Set(password_hash),
        // a millisecond back: the session the caller starts next is after it
        sessions_revoked_at: Set(Some(now - chrono::Duration::milliseconds(1))),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(txn)
    .await?;
    account_token::Entity::update_many()
        .col_expr(account_token::Column::UsedAt, now.into())
        .filter(account_token::Column::UserId.eq(found.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    let lang = UiLanguage::parse(&found.ui_language).unwrap_or(UiLanguage::En);
    mail::queue(
        txn,
        compose::password_changed(lang, found.id, &found.email, &found.display_name),
    )
    .await?;
    audit::record(
        txn,
        Some(found.id),
        action,
        "user",
        Some(found.id.to_string()),
        json!({}),
    )
    .await?;
    Ok(())
}
