//! The members of an employer organisation: a member invites a colleague by e-mail, the colleague
//! joins through the link (their address proven by it), and a member removes another or leaves —
//! except the last one, so no organisation is left that nobody can manage.

use chrono::Utc;
use domain::account::{parse_display_name, Email, PasswordPolicy, UserRole};
use domain::language::UiLanguage;
use domain::validation::{FieldError, Problem, Validator};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::json;

use super::api::{MemberView, Members, PendingInvitation};
use crate::audit;
use crate::auth::api::CurrentUser;
use crate::auth::recovery::{hash_token, new_token};
use crate::auth::server::{hash_password, is_common_password};
use crate::db::entities::{organisation, organisation_invitation, user};
use crate::error::{AppError, AppResult, Conflict};
use crate::mail::{self, compose};

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 14;
/// Invitations waiting at once, per organisation.
pub const MAX_PENDING: u64 = 50;

fn organisation_of(user: &CurrentUser) -> AppResult<i32> {
    match (user.role, user.organisation_id) {
        (UserRole::Employer, Some(id)) => Ok(id),
        _ => Err(AppError::Forbidden),
    }
}

/// The members of the user's organisation and the invitations waiting.
pub async fn list(db: &impl ConnectionTrait, user: &CurrentUser) -> AppResult<Members> {
    let org = organisation_of(user)?;
    let members = user::Entity::find()
        .filter(user::Column::OrganisationId.eq(org))
        .filter(user::Column::ErasedAt.is_null())
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|u| MemberView {
            id: u.id,
            display_name: u.display_name,
            email: u.email,
            joined_at: u.created_at,
            you: u.id == user.id,
        })
        .collect();
    let pending = organisation_invitation::Entity::find()
        .filter(organisation_invitation::Column::OrganisationId.eq(org))
        .filter(organisation_invitation::Column::AcceptedAt.is_null())
        .filter(organisation_invitation::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(organisation_invitation::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|i| PendingInvitation {
            email: i.email,
            invited_at: i.created_at,
            expires_at: i.expires_at,
        })
        .collect();
    Ok(Members { members, pending })
}

/// Invites `email` into the user's organisation; the message is in `lang`.
pub async fn invite(
    db: &DatabaseConnection,
    user: &CurrentUser,
    email: &str,
    lang: UiLanguage,
    public_url: &str,
) -> AppResult<()> {
    let org_id = organisation_of(user)?;
    let address = Email::parse(email)
        .map_err(|problem| AppError::Validation(vec![FieldError::new("email", problem)]))?;
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(address.as_str()))
        .count(db)
        .await?
        > 0;
    if taken {
        return Err(AppError::Validation(vec![FieldError::new(
            "email",
            Problem::EmailTaken,
        )]));
    }
    let now = Utc::now();
    let pending = organisation_invitation::Entity::find()
        .filter(organisation_invitation::Column::OrganisationId.eq(org_id))
        .filter(organisation_invitation::Column::AcceptedAt.is_null())
        .filter(organisation_invitation::Column::ExpiresAt.gt(now))
        .count(db)
        .await?;
    if pending >= MAX_PENDING {
        return Err(AppError::Validation(vec![FieldError::new(
            "email",
            Problem::OutOfRange,
        )]));
    }
    let org = organisation::Entity::find_by_id(org_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (token, token_hash) = new_token();
    let link = format!("{}/join?token={token}", public_url.trim_end_matches('/'));
    let txn = db.begin().await?;
    organisation_invitation::ActiveModel {
        organisation_id: Set(org_id),
        email: Set(address.as_str().to_owned()),
        token_hash: Set(token_hash),
        invited_by_user_id: Set(Some(user.id)),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::days(INVITATION_DAYS)),
        accepted_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let org_name = crate::rights::consent::organisation_name(&org);
    mail::queue(
        &txn,
        compose::organisation_invite(
            lang,
            address.as_str(),
            &user.display_name,
            &org_name,
            &link,
            INVITATION_DAYS,
        ),
    )
    .await?;
    audit::record(
        &txn,
        Some(user.id),
        "organisation.member_invited",
        "organisation",
        Some(org_id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The invitation behind a link, if it still works.
pub async fn invitation(
    db: &impl ConnectionTrait,
    token: &str,
) -> AppResult<organisation_invitation::Model> {
    organisation_invitation::Entity::find()
        .filter(organisation_invitation::Column::TokenHash.eq(hash_token(token.trim())))
        .one(db)
        .await?
        .filter(|i| i.accepted_at.is_none() && i.expires_at > Utc::now())
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("token", Problem::InvalidToken)]))
}

/// Creates the invited colleague's account inside the organisation; returns it, to sign in.
pub async fn join(
    db: &DatabaseConnection,
    token: &str,
    display_name: &str,
    password: &str,
    lang: UiLanguage,
) -> AppResult<CurrentUser> {
    let invite = invitation(db, token).await?;
    let mut v = Validator::new();
    let name = v.check("display_name", parse_display_name(display_name));
    if v.check("password", PasswordPolicy::check_length(password))
        .is_some()
        && is_common_password(password, &[&invite.email, display_name])
    {
        v.push("password", Problem::PasswordTooCommon);
    }
    v.finish()?;
    let Some(name) = name else {
        return Err(AppError::Internal);
    };
    let hash = hash_password(password.to_owned()).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let used = organisation_invitation::Entity::update_many()
        .col_expr(
            organisation_invitation::Column::AcceptedAt,
            Expr::value(now),
        )
        .filter(organisation_invitation::Column::Id.eq(invite.id))
        .filter(organisation_invitation::Column::AcceptedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(AppError::Validation(vec![FieldError::new(
            "token",
            Problem::InvalidToken,
        )]));
    }
    let saved = user::ActiveModel {
        email: Set(invite.email.clone()),
        password_hash: Set(hash),
        role: Set(UserRole::Employer.code().to_owned()),
        display_name: Set(name),
        ui_language: Set(lang.code().to_owned()),
        organisation_id: Set(Some(invite.organisation_id)),
        suspended: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        // the link came to this address
        email_verified_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        if crate::db::violates(&err, migrations::UQ_USERS_EMAIL) {
            AppError::Validation(vec![FieldError::new("token", Problem::EmailTaken)])
        } else {
            err.into()
        }
    })?;
    audit::record(
        &txn,
        Some(saved.id),
        "organisation.member_joined",
        "organisation",
        Some(invite.organisation_id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(crate::auth::server::to_current_user(&saved))
}

/// Removes `member_id` from the user's organisation (themselves: leaving). The last member
/// cannot go; a removed member's sessions end.
pub async fn remove(db: &DatabaseConnection, user: &CurrentUser, member_id: i32) -> AppResult<()> {
    let org = organisation_of(user)?;
    let txn = db.begin().await?;
    let member = user::Entity::find_by_id(member_id)
        .one(&txn)
        .await?
        .filter(|m| m.organisation_id == Some(org) && m.erased_at.is_none())
        .ok_or(AppError::NotFound)?;
    let members = user::Entity::find()
        .filter(user::Column::OrganisationId.eq(org))
        .filter(user::Column::ErasedAt.is_null())
        .count(&txn)
        .await?;
    if members <= 1 {
        return Err(AppError::Conflict(Conflict::LastMember));
    }
    let now = Utc::now();
    user::Entity::update_many()
        .col_expr(
            user::Column::OrganisationId,
            Expr::value(Option::<i32>::None),
        )
        .col_expr(user::Column::SessionsRevokedAt, Expr::value(now))
        .col_expr(user::Column::UpdatedAt, Expr::value(now))
        .filter(user::Column::Id.eq(member.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(user.id),
        "organisation.member_removed",
        "user",
        Some(member.id.to_string()),
        json!({ "organisation_id": org }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
