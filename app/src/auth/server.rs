//! Accounts on the server: password hashing, sign-up, authentication with rate limits, and
//! sessions. Plain functions over a database connection, so the pages' server functions and the
//! JSON API share them and tests call them directly.

use std::net::SocketAddr;

use chrono::Utc;
use domain::account::{parse_display_name, Email, PasswordPolicy, UserRole};
use domain::language::UiLanguage;
use domain::validation::{Problem, Validator};
use leptos::prelude::*;
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryResult, QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use tower_sessions::Session;

use super::api::{CurrentUser, SignUpForm};
use super::limits::LoginLimiter;
use crate::audit;
use crate::db::entities::{organisation, user};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

const SESSION_USER_KEY: &str = "user_id";

pub use super::password::{hash_password, verify_password};

/// A hash of a random password, verified against when the account does not exist so that a
/// wrong e-mail takes as long as a wrong password.
async fn dummy_hash() -> AppResult<String> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| hash_password("no account has this password".to_owned()))
        .await
        .cloned()
}

/// Whether a password is among the commonly used or easily guessed ones (zxcvbn's password
/// lists and patterns, including the user's own e-mail and name).
pub fn is_common_password(password: &str, user_inputs: &[&str]) -> bool {
    // zxcvbn matches user inputs as whole words: give it the pieces of an e-mail address and a
    // name too, so "priyasharma1990" is caught for priya.sharma@example.in
    let mut words: Vec<String> = Vec::new();
    for input in user_inputs {
        let lower = input.to_lowercase();
        words.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() >= 3)
                .map(str::to_owned),
        );
        words.push(lower);
    }
    // zxcvbn scores a name with a year appended ("priyasharma1990") as strong; NIST SP 800-63B
    // counts any password built from the user's own name as context-specific, so refuse those
    let letters = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let own_letters = letters(password);
    let names: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| w.chars().all(char::is_alphanumeric))
        .collect();
    let built_from_names = own_letters.len() >= 4
        && names.iter().any(|a| {
            own_letters == letters(a)
                || names
                    .iter()
                    .any(|b| a != b && own_letters == format!("{}{}", letters(a), letters(b)))
        });
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    built_from_names || u8::from(zxcvbn::zxcvbn(password, &words).score()) < 3
}

/// The signed-in user as pages and handlers see them, from the user's row.
pub fn to_current_user(model: &user::Model) -> CurrentUser {
    CurrentUser {
        id: model.id,
        email: model.email.clone(),
        display_name: model.display_name.clone(),
        role: UserRole::parse(&model.role).unwrap_or(UserRole::Engineer),
        ui_language: UiLanguage::parse(&model.ui_language).unwrap_or_default(),
        organisation_id: model.organisation_id,
        unread_notifications: 0,
        email_verified: model.email_verified_at.is_some(),
        organisation_verified: None,
    }
}

/// Validates a sign-up, then creates the user (and, for an employer, its unverified
/// organisation) in one transaction.
pub async fn sign_up(
    db: &DatabaseConnection,
    form: &SignUpForm,
    lang: UiLanguage,
) -> AppResult<CurrentUser> {
    let mut v = Validator::new();
    let email = v.check("email", Email::parse(&form.email));
    let role = v.check("role", UserRole::parse_self_service(&form.role));
    let display_name = v.check("display_name", parse_display_name(&form.display_name));
    if v.check("password", PasswordPolicy::check_length(&form.password))
        .is_some()
        && is_common_password(&form.password, &[&form.email, &form.display_name])
    {
        v.push("password", Problem::PasswordTooCommon);
    }
    let organisation = if role == Some(UserRole::Employer) {
        match form.organisation.parse() {
            Ok(org) => Some(org),
            Err(errors) => {
                for e in errors {
                    v.push(format!("organisation.{}", e.field), e.problem);
                }
                None
            }
        }
    } else {
        None
    };
    v.finish()?;
    let (Some(email), Some(role), Some(display_name)) = (email, role, display_name) else {
        return Err(AppError::Internal);
    };

    // a taken address is refused before the costly hash (the unique index still decides a race)
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(db)
        .await?
        .is_some();
    if taken {
        return Err(AppError::Validation(vec![
            domain::validation::FieldError::new("email", Problem::EmailTaken),
        ]));
    }
    let password_hash = hash_password(form.password.clone()).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let organisation_id = match organisation {
        Some(org) => {
            let saved = organisation::ActiveModel {
                name_ja: Set(org.name_ja),
                name_en: Set(org.name_en),
                prefecture: Set(org.prefecture),
                sector: Set(org.sector.code().to_owned()),
                size: Set(org.size.code().to_owned()),
                corporate_number: Set(org.corporate_number),
                website: Set(org.website),
                verified: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            Some(saved.id)
        }
        None => None,
    };
    let inserted = user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        password_hash: Set(password_hash),
        role: Set(role.code().to_owned()),
        display_name: Set(display_name),
        ui_language: Set(lang.code().to_owned()),
        organisation_id: Set(organisation_id),
        suspended: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let saved = match inserted {
        Ok(saved) => saved,
        // the unique index decides, not a racy look-up beforehand
        Err(err) if crate::db::violates(&err, migrations::UQ_USERS_EMAIL) => {
            return Err(AppError::Validation(vec![
                domain::validation::FieldError::new("email", Problem::EmailTaken),
            ]));
        }
        Err(err) => return Err(err.into()),
    };
    audit::record(
        &txn,
        Some(saved.id),
        "user.signed_up",
        "user",
        Some(saved.id.to_string()),
        json!({ "role": role.code(), "organisation_id": organisation_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(to_current_user(&saved))
}

/// Creates an administrator (command line only).
pub async fn create_admin(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    display_name: &str,
) -> AppResult<CurrentUser> {
    let mut v = Validator::new();
    let email = v.check("email", Email::parse(email));
    if v.check("password", PasswordPolicy::check_length(password))
        .is_some()
        && is_common_password(password, &[email.as_ref().map_or("", |e| e.as_str())])
    {
        v.push("password", Problem::PasswordTooCommon);
    }
    let display_name = v.check("display_name", parse_display_name(display_name));
    v.finish()?;
    let (Some(email), Some(display_name)) = (email, display_name) else {
        return Err(AppError::Internal);
    };
    let now = Utc::now();
    let hash = hash_password(password.to_owned()).await?;
    let txn = db.begin().await?;
    let saved = user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        password_hash: Set(hash),
        role: Set(UserRole::Admin.code().to_owned()),
        display_name: Set(display_name),
        ui_language: Set(UiLanguage::En.code().to_owned()),
        organisation_id: Set(None),
        suspended: Set(false),
        // created on the command line by whoever runs the programme
        email_verified_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| {
        if crate::db::violates(&err, migrations::UQ_USERS_EMAIL) {
            AppError::Validation(vec![domain::validation::FieldError::new(
                "email",
                Problem::EmailTaken,
            )])
        } else {
            err.into()
        }
    })?;
    audit::record(
        &txn,
        None,
        "user.admin_created",
        "user",
        Some(saved.id.to_string()),
        json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(to_current_user(&saved))
}

/// Checks the credentials. Every failure that could reveal whether the account exists gives the
/// same `InvalidCredentials` after the same amount of work.
pub async fn authenticate(
    db: &DatabaseConnection,
    limiter: &LoginLimiter,
    client: &str,
    email: &str,
    password: &str,
) -> AppResult<CurrentUser> {
    let account_key = email.trim().to_lowercase();
    if let Err(throttled) = limiter.check(client, email) {
        tracing::warn!(
            client,
            account_ceiling = throttled.account_ceiling,
            "log-in rate limited"
        );
        if throttled.account_ceiling {
            tell_owner_of_throttling(db, &account_key).await?;
        }
        return Err(throttled.error);
    }
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(account_key.clone()))
        .one(db)
        .await?
        // an erased account has no password: it answers as no account does
        .filter(|u| u.erased_at.is_none());
    let Some(found) = found else {
        verify_password(password.to_owned(), dummy_hash().await?).await?;
        return Err(AppError::InvalidCredentials);
    };
    if !verify_password(password.to_owned(), found.password_hash.clone()).await? || found.suspended
    {
        audit::record(
            db,
            Some(found.id),
            "user.log_in_failed",
            "user",
            Some(found.id.to_string()),
            json!({}),
        )
        .await?;
        return Err(AppError::InvalidCredentials);
    }
    audit::record(
        db,
        Some(found.id),
        "user.logged_in",
        "user",
        Some(found.id.to_string()),
        json!({}),
    )
    .await?;
    Ok(to_current_user(&found))
}

/// When the session was started (milliseconds since the epoch).
const SESSION_STARTED_KEY: &str = "started_at";
/// What the user could do when the session id was last issued.
const SESSION_PRIVILEGE_KEY: &str = "privilege";
/// A session ends this long after log-in however active it is (the idle limit, a week, is the
/// session layer's, kept moving by [`touch_daily`]).
pub const SESSION_ABSOLUTE_LIFETIME: chrono::Duration = chrono::Duration::days(30);

/// Tells an account's owner, at most once an hour, that log-ins to it are being slowed because
/// of attempts from many addresses (nothing is said when no such account exists).
async fn tell_owner_of_throttling(db: &DatabaseConnection, email: &str) -> AppResult<()> {
    use crate::db::entities::notification;
    use crate::notifications::server::{notify, NotificationKind};
    let Some(owner) = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let told_lately = notification::Entity::find()
        .filter(notification::Column::UserId.eq(owner.id))
        .filter(notification::Column::Kind.eq(NotificationKind::LoginThrottled.code()))
        .filter(notification::Column::CreatedAt.gt(Utc::now() - chrono::Duration::hours(1)))
        .one(db)
        .await?
        .is_some();
    if !told_lately {
        notify(
            db,
            owner.id,
            NotificationKind::LoginThrottled,
            None,
            None,
            &json!({}),
        )
        .await?;
    }
    Ok(())
}

/// The signed-in device's key in a session's record (see [`super::devices`]).
const SESSION_DEVICE_KEY: &str = "device";

/// Starts a session for `user` under a new session id, so that an id planted before log-in
/// (session fixation) is worthless, as a signed-in device of theirs (`user_agent` describes it;
/// links in a "new sign-in" message start with `public_url`).
pub async fn start_session(
    db: &impl ConnectionTrait,
    session: &Session,
    user: &CurrentUser,
    user_agent: &str,
    public_url: &str,
) -> AppResult<()> {
    let device = super::devices::start(db, user.id, user_agent, public_url).await?;
    session.cycle_id().await?;
    session.insert(SESSION_DEVICE_KEY, device).await?;
    session.insert(SESSION_USER_KEY, user.id).await?;
    session
        .insert(SESSION_STARTED_KEY, Utc::now().timestamp_millis())
        .await?;
    session
        .insert(SESSION_PRIVILEGE_KEY, privilege_of(db, user).await?)
        .await?;
    Ok(())
}

/// This session's device key, if it has one.
pub async fn device_of(session: &Session) -> AppResult<Option<String>> {
    Ok(session.get::<String>(SESSION_DEVICE_KEY).await?)
}

/// The `User-Agent` of the request a server function is serving.
pub fn request_user_agent() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

/// Deletes the session from the store and clears its cookie.
pub async fn end_session(session: &Session) -> AppResult<()> {
    session.flush().await?;
    Ok(())
}

/// The user behind a session, or none: a session whose user is gone or suspended, that was
/// revoked (started before the user's sessions were ended), or that is older than
/// [`SESSION_ABSOLUTE_LIFETIME`] counts as none and is deleted. When what the user may do has
/// changed since the session id was issued (an organisation verified, or verification
/// withdrawn), the id is issued anew.
///
/// A page asks this more than once (its header, then each piece of its data): within one GET
/// request rendered by Leptos, the first answer is kept for the others ([`RequestUser`]).
pub async fn user_of_session(
    db: &impl ConnectionTrait,
    session: &Session,
) -> AppResult<Option<CurrentUser>> {
    let Some(id) = session.get::<i32>(SESSION_USER_KEY).await? else {
        return Ok(None);
    };
    let signed_in = SignedIn {
        user: id,
        started: session.get::<i64>(SESSION_STARTED_KEY).await?,
        device: session.get::<String>(SESSION_DEVICE_KEY).await?,
    };
    let Some(kept) = RequestUser::of_this_read() else {
        return check_session(db, session, id, &signed_in).await;
    };
    // held across the check: the page's parts ask at once, and wait for the first one's answer
    let mut kept = kept.0.lock().await;
    if let Some((_, user)) = kept.as_ref().filter(|(key, _)| *key == signed_in) {
        return Ok(Some(user.clone()));
    }
    let user = check_session(db, session, id, &signed_in).await?;
    *kept = user.clone().map(|user| (signed_in, user));
    Ok(user)
}

/// What identifies a signed-in session: a request whose session still says the same was
/// checked already.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SignedIn {
    user: i32,
    started: Option<i64>,
    device: Option<String>,
}

/// The user this request's session was found to be, kept for the rest of the request.
///
/// A page's header and each piece of its data ask for the user, and each ask read the user,
/// their device and (for an employer) their organisation again. They ask at once, so the later
/// ones wait for the first one's answer. Provided to every request Leptos serves
/// (`server::router`), and used only while serving a GET (a page, a read): a request that
/// changes things checks anew each time it asks. Keyed on the session's user, start and
/// device, so a sign-in or sign-out within the request is never answered from it.
#[derive(Debug, Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::Mutex<Option<(SignedIn, CurrentUser)>>>);

impl RequestUser {
    /// This request's, when it is a read.
    fn of_this_read() -> Option<RequestUser> {
        let read = use_context::<http::request::Parts>()
            .is_some_and(|parts| matches!(parts.method, http::Method::GET | http::Method::HEAD));
        if read {
            use_context::<RequestUser>()
        } else {
            None
        }
    }
}

/// [`user_of_session`]'s checks against the database: the user's row, their device and their
/// organisation are read in one statement ([`UserAsChecked`]), since every signed-in request
/// makes it.
async fn check_session(
    db: &impl ConnectionTrait,
    session: &Session,
    id: i32,
    signed_in: &SignedIn,
) -> AppResult<Option<CurrentUser>> {
    let started = signed_in
        .started
        .and_then(chrono::DateTime::<Utc>::from_timestamp_millis);
    // sessions from before devices were kept have no key: the empty key finds no device
    let device_key = signed_in.device.as_deref().unwrap_or_default();
    let found = user::Entity::find_by_id(id)
        .column_as(
            super::devices::last_seen_of_users_device(device_key),
            UserAsChecked::DEVICE_SEEN,
        )
        .column_as(
            organisation_verified_of_user(),
            UserAsChecked::ORGANISATION_VERIFIED,
        )
        .into_model::<UserAsChecked>()
        .one(db)
        .await?;
    let valid = match (&found, started) {
        (Some(found), Some(started)) => {
            let u = &found.user;
            !u.suspended
                && Utc::now() - started < SESSION_ABSOLUTE_LIFETIME
                && u.sessions_revoked_at
                    .is_none_or(|revoked| started > revoked)
                // a device signed out from elsewhere
                && (signed_in.device.is_none() || found.device_seen.is_some())
        }
        _ => false,
    };
    let Some(found) = found.filter(|_| valid) else {
        session.flush().await?;
        return Ok(None);
    };
    if let Some(last_seen) = found.device_seen {
        super::devices::note_seen(db, device_key, last_seen).await?;
    }
    let mut user = to_current_user(&found.user);
    user.organisation_verified = found.organisation_verified;
    let privilege = privilege(&user, found.organisation_verified);
    if session
        .get::<String>(SESSION_PRIVILEGE_KEY)
        .await?
        .as_deref()
        != Some(&privilege)
    {
        session.cycle_id().await?;
        session.insert(SESSION_PRIVILEGE_KEY, privilege).await?;
    }
    touch_daily(session).await?;
    Ok(Some(user))
}

/// A user's row with what the session's check reads beside it.
struct UserAsChecked {
    user: user::Model,
    /// When this session's device was last seen; none when it is signed out or unknown.
    device_seen: Option<chrono::DateTime<Utc>>,
    /// Whether the user's organisation is verified; none when they have none.
    organisation_verified: Option<bool>,
}

impl UserAsChecked {
    const DEVICE_SEEN: &str = "checked_device_seen";
    const ORGANISATION_VERIFIED: &str = "checked_organisation_verified";
}

impl FromQueryResult for UserAsChecked {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self {
            user: user::Model::from_query_result(row, pre)?,
            device_seen: row.try_get(pre, Self::DEVICE_SEEN)?,
            organisation_verified: row.try_get(pre, Self::ORGANISATION_VERIFIED)?,
        })
    }
}

/// Whether the user's organisation is verified, for a statement over `users`: null when they
/// have none.
fn organisation_verified_of_user() -> SimpleExpr {
    crate::db::scalar_subquery(
        Query::select()
            .column((organisation::Entity, organisation::Column::Verified))
            .from(organisation::Entity)
            .and_where(
                Expr::col((organisation::Entity, organisation::Column::Id))
                    .equals((user::Entity, user::Column::OrganisationId)),
            )
            .to_owned(),
    )
}

/// The day (since the epoch, UTC) the session was last used, as far as its store knows.
const SESSION_TOUCHED_KEY: &str = "touched_on";

/// Marks the session used today, once a day. tower-sessions saves a session, and so moves its
/// expiry (a week without use) on, only when it changed: without this, a person who used the
/// site every day was signed out a week after signing in. One write per session per day.
async fn touch_daily(session: &Session) -> AppResult<()> {
    let today = Utc::now().timestamp().div_euclid(86_400);
    if session.get::<i64>(SESSION_TOUCHED_KEY).await? != Some(today) {
        session.insert(SESSION_TOUCHED_KEY, today).await?;
    }
    Ok(())
}

/// What a user may do, as a short string: the role, and for an employer whether their
/// organisation is verified (which opens the talent pool).
fn privilege(user: &CurrentUser, organisation_verified: Option<bool>) -> String {
    match (user.role, user.organisation_id) {
        (UserRole::Employer, Some(_)) => format!(
            "employer:{}",
            if organisation_verified == Some(true) {
                "verified"
            } else {
                "unverified"
            }
        ),
        (role, _) => role.code().to_owned(),
    }
}

/// [`privilege`], reading the organisation.
async fn privilege_of(db: &impl ConnectionTrait, user: &CurrentUser) -> AppResult<String> {
    Ok(privilege(user, organisation_verified(db, user).await?))
}

/// Whether the user's organisation is verified (none when they have none), as this request's
/// session check read it, or else from the database.
async fn organisation_verified(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> AppResult<Option<bool>> {
    if user.organisation_verified.is_some() {
        return Ok(user.organisation_verified);
    }
    let Some(organisation_id) = user.organisation_id else {
        return Ok(None);
    };
    Ok(organisation::Entity::find_by_id(organisation_id)
        .one(db)
        .await?
        .map(|o| o.verified))
}

/// Sets the user's interface language, keeping it for their next visits.
pub async fn set_user_language(
    db: &DatabaseConnection,
    user_id: i32,
    lang: UiLanguage,
) -> AppResult<()> {
    user::ActiveModel {
        id: Set(user_id),
        ui_language: Set(lang.code().to_owned()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// The application state and the session of the request a server function is serving.
pub async fn request_context() -> AppResult<(AppState, Session)> {
    let state = use_context::<AppState>().ok_or_else(|| {
        tracing::error!("application state missing from context");
        AppError::Internal
    })?;
    let session = leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(error = %err, "session layer missing");
        AppError::Internal
    })?;
    Ok((state, session))
}

/// The signed-in user, whatever their role (what they may see is decided by the caller).
pub async fn require_user() -> AppResult<(AppState, CurrentUser)> {
    let (state, session) = request_context().await?;
    let user = user_of_session(&state.db, &session)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok((state, user))
}

/// The signed-in user with one of `roles`, or `Unauthenticated`/`Forbidden`. Every page's data
/// and every server function that needs a role goes through this: hiding a link is not a check.
pub async fn require_role(roles: &[UserRole]) -> AppResult<(AppState, CurrentUser)> {
    let (state, user) = require_user().await?;
    if roles.contains(&user.role) {
        Ok((state, user))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Refuses a user who may not search, rank or score engineers: only administrators and employers
/// of a *verified* organisation may. Anyone can sign up as an employer and name any company, so
/// the talent pool (names, skills, age bands) opens only once an administrator has checked it.
pub async fn require_talent_access(db: &impl ConnectionTrait, user: &CurrentUser) -> AppResult<()> {
    match user.role {
        UserRole::Admin => Ok(()),
        UserRole::Employer if organisation_verified(db, user).await? == Some(true) => Ok(()),
        UserRole::Employer => Err(AppError::Forbidden),
        UserRole::Engineer => Err(AppError::Forbidden),
    }
}

/// The language of the request being served.
pub fn request_language() -> UiLanguage {
    use_context::<http::request::Parts>()
        .map(|parts| crate::i18n::language_of_request(&parts.headers))
        .unwrap_or_default()
}

/// Sets the language cookie on the response, so the user's saved language follows them.
pub fn remember_language(lang: UiLanguage) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = http::HeaderValue::from_str(&language_cookie(lang)) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
}

/// The `Set-Cookie` value that keeps a language for a year.
pub fn language_cookie(lang: UiLanguage) -> String {
    format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        crate::i18n::LANG_COOKIE,
        lang.code()
    )
}

/// Runs a server function's body and answers its error as the caller needs it. A fetch from the
/// hydrated page gets the error's HTTP status (and `Retry-After`). A plain form post (no wasm
/// yet) keeps leptos' redirect back to the page, since a browser shows nothing for a 4xx with a
/// `Location`; the error and the typed `values` wait in the session for that page to show.
pub async fn with_status<T: serde::Serialize>(
    form: &str,
    values: impl FnOnce() -> serde_json::Value,
    body: impl std::future::Future<Output = AppResult<T>>,
) -> AppResult<T> {
    let result = body.await;
    // a browser's own form post, not a page render calling the function during SSR (whose
    // request also accepts HTML, but is a GET)
    let plain_form_post = use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.method == http::Method::POST
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    });
    if let (Ok(answer), true) = (&result, plain_form_post) {
        keep_saved(form, answer).await;
    }
    if let Err(err) = &result {
        // a refusal that the typed values cannot fix is not kept: it would only let anyone
        // without a cookie make the server store sessions
        let worth_keeping = !matches!(
            err,
            AppError::RateLimited { .. } | AppError::CrossSite | AppError::TooLarge
        );
        if plain_form_post && worth_keeping {
            if let Ok(session) = leptos_axum::extract::<Session>().await {
                let mut values = values();
                if values.to_string().len() > MAX_KEPT_VALUES_BYTES {
                    // the error is still shown; the typed values are not worth the storage
                    values = serde_json::Value::Null;
                }
                if session
                    .get::<i32>(SESSION_USER_KEY)
                    .await
                    .ok()
                    .flatten()
                    .is_none()
                {
                    // a visitor's session only carries this message to the next page
                    session.set_expiry(Some(tower_sessions::Expiry::OnInactivity(
                        tower_sessions::cookie::time::Duration::minutes(15),
                    )));
                }
                let failed = crate::forms::PlainSubmission {
                    form: form.to_owned(),
                    error: Some(err.clone()),
                    values,
                    at: Utc::now().timestamp(),
                };
                if let Err(store_err) = session
                    .insert(crate::forms::PLAIN_SUBMISSION_KEY, failed)
                    .await
                {
                    tracing::warn!(error = %store_err, "could not keep a failed form in the session");
                }
            }
        } else if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(err.status());
        }
        set_retry_after(err);
    }
    result
}

/// Tells the page a signed-in user's plain form post returns to that it was saved, with the
/// server function's answer (what a fetch would have read). A visitor's success is not kept:
/// it would make the server store a session for anyone without a cookie.
async fn keep_saved(form: &str, answer: &impl serde::Serialize) {
    let Ok(session) = leptos_axum::extract::<Session>().await else {
        return;
    };
    if !matches!(session.get::<i32>(SESSION_USER_KEY).await, Ok(Some(_))) {
        return;
    }
    let saved = crate::forms::PlainSubmission {
        form: form.to_owned(),
        error: None,
        values: serde_json::to_value(answer)
            .ok()
            .filter(|v| v.to_string().len() <= MAX_KEPT_VALUES_BYTES)
            .unwrap_or_default(),
        at: Utc::now().timestamp(),
    };
    if let Err(store_err) = session
        .insert(crate::forms::PLAIN_SUBMISSION_KEY, saved)
        .await
    {
        tracing::warn!(error = %store_err, "could not keep a saved form's confirmation in the session");
    }
}

/// The most a failed form's typed values may take in the session.
const MAX_KEPT_VALUES_BYTES: usize = 16 * 1024;

/// Adds `Retry-After` to a rate-limited response.
pub fn set_retry_after(err: &AppError) {
    if let AppError::RateLimited { retry_after_secs } = err {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                http::header::RETRY_AFTER,
                http::HeaderValue::from(*retry_after_secs),
            );
        }
    }
}

/// What identifies the client for rate limiting: the trusted proxy header if configured, else
/// the peer address.
pub async fn client_key(state: &AppState) -> String {
    if let (Some(header), Some(parts)) = (
        &state.client_ip_header,
        use_context::<http::request::Parts>(),
    ) {
        if let Some(value) = parts.headers.get(header).and_then(|v| v.to_str().ok()) {
            return value.to_owned();
        }
    }
    leptos_axum::extract::<axum::extract::ConnectInfo<SocketAddr>>()
        .await
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|_| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_personal_passwords_are_refused() {
        assert!(is_common_password("password1234", &[]));
        assert!(is_common_password("qwertyuiop123", &[]));
        let me = ["priya.sharma@example.in", "Priya Sharma"];
        assert!(is_common_password("priyasharma1990", &me));
        assert!(is_common_password("Sharma.Priya!2024", &me));
        assert!(is_common_password("priya.sharma@example.in", &me));
        assert!(!is_common_password(
            "priyasharma1990",
            &["someone@example.in", "Someone Else"]
        ));
        assert!(!is_common_password("violet-kettle-monsoon-42", &[]));
    }
}
