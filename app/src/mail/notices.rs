//! Notifications by e-mail: every instance runs a job every few seconds that takes the
//! notifications not yet mailed, queues a message for each (in the recipient's language, with a
//! one-click unsubscribe link for optional topics) unless the person turned its topic off, and
//! marks them mailed. The key `notice:{id}` makes each message once-only across instances, and a
//! request that notifies never waits on mail.

use std::collections::HashMap;

use domain::language::UiLanguage;
use domain::mail::{parse_opt_out, MailTopic};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::compose;
use crate::db::entities::{application, notification, role, user};
use crate::error::AppResult;
use crate::notifications::api::{describe, NotificationView};

/// Notifications read per query.
const PAGE: u64 = 200;

/// How often each instance looks.
pub const PERIOD: std::time::Duration = std::time::Duration::from_secs(5);

/// Queues the e-mail of every notification not yet mailed; returns how many messages this call
/// queued.
pub async fn send_notices(db: &impl ConnectionTrait, public_url: &str) -> AppResult<u64> {
    let mut queued = 0;
    loop {
        let page = notification::Entity::find()
            .filter(notification::Column::Mailed.eq(false))
            .order_by_asc(notification::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        if page.is_empty() {
            return Ok(queued);
        }
        queued += mail_page(db, public_url, &page).await?;
        notification::Entity::update_many()
            .col_expr(notification::Column::Mailed, Expr::value(true))
            .filter(notification::Column::Id.is_in(page.iter().map(|n| n.id)))
            .exec(db)
            .await?;
    }
}

async fn mail_page(
    db: &impl ConnectionTrait,
    public_url: &str,
    page: &[notification::Model],
) -> AppResult<u64> {
    let people: HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(page.iter().map(|n| n.user_id)))
        .filter(user::Column::Suspended.eq(false))
        .filter(user::Column::ErasedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let roles: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(page.iter().filter_map(|n| n.role_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    // whom each notification is about: the engineer of its application
    let engineers: HashMap<i32, i32> = application::Entity::find()
        .filter(application::Column::Id.is_in(page.iter().filter_map(|n| n.application_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.engineer_user_id))
        .collect();
    let base = public_url.trim_end_matches('/');
    let mut queued = 0;
    for n in page {
        let Some(person) = people.get(&n.user_id) else {
            continue;
        };
        let view = NotificationView::from_row(n, n.role_id.and_then(|id| roles.get(&id)));
        let topic = MailTopic::of_notification(&view.kind, view.to.as_deref());
        if topic.is_some_and(|t| parse_opt_out(&person.mail_opt_out).contains(&t)) {
            continue;
        }
        let unsubscribe = match topic {
            Some(topic) => Some(unsubscribe_url(db, base, person, topic).await?),
            None => None,
        };
        let lang = UiLanguage::parse(&person.ui_language).unwrap_or_default();
        let (text, path) = describe(lang, &view);
        let mut message = compose::notice(
            lang,
            person.id,
            &person.email,
            &person.display_name,
            &view.kind,
            &text,
            view.message.as_deref(),
            &format!("{base}{path}"),
            unsubscribe,
        );
        message.dedupe_key = Some(format!("notice:{}", n.id));
        if view.kind == "interview_scheduled" {
            message.attachment = interview_invitation(db, base, n).await?;
        }
        message.about_user_id = n
            .application_id
            .and_then(|id| engineers.get(&id).copied())
            .filter(|engineer| *engineer != person.id);
        if super::queue(db, message).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// The `.ics` of the interview a notification announces, while it is still scheduled.
async fn interview_invitation(
    db: &impl ConnectionTrait,
    base: &str,
    n: &notification::Model,
) -> AppResult<Option<super::Attachment>> {
    use crate::db::entities::interview;
    let detail: serde_json::Value = serde_json::from_str(&n.detail).unwrap_or_default();
    let Some(id) = detail.get("interview").and_then(serde_json::Value::as_i64) else {
        return Ok(None);
    };
    let Some(row) = interview::Entity::find_by_id(id as i32).one(db).await? else {
        return Ok(None);
    };
    let Some(app) = application::Entity::find_by_id(row.application_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let facts = crate::interviews::ics::EventFacts::load(db, &row, &app, base).await?;
    Ok(facts.map(|facts| super::Attachment {
        name: "interview.ics".to_owned(),
        content_type: "text/calendar; charset=utf-8; method=PUBLISH".to_owned(),
        body: crate::interviews::ics::calendar(&facts),
    }))
}

/// The one-click link that turns `topic` off for `person` (their key is made on first use).
async fn unsubscribe_url(
    db: &impl ConnectionTrait,
    base: &str,
    person: &user::Model,
    topic: MailTopic,
) -> AppResult<String> {
    let key = match &person.unsubscribe_key {
        Some(key) => key.clone(),
        None => {
            let mut bytes = [0u8; 16];
            rand::thread_rng().fill_bytes(&mut bytes);
            let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            // the first key written wins; read back what is stored
            user::Entity::update_many()
                .col_expr(user::Column::UnsubscribeKey, Expr::value(key))
                .filter(user::Column::Id.eq(person.id))
                .filter(user::Column::UnsubscribeKey.is_null())
                .exec(db)
                .await?;
            user::Entity::find_by_id(person.id)
                .one(db)
                .await?
                .and_then(|u| u.unsubscribe_key)
                .unwrap_or_default()
        }
    };
    Ok(format!(
        "{base}/unsubscribe?user={}&topic={}&key={key}",
        person.id,
        topic.code()
    ))
}

/// The address mail clients POST to for RFC 8058's one click (the page's twin).
pub fn one_click_url(page_url: &str) -> String {
    page_url.replacen("/unsubscribe?", "/unsubscribe/one-click?", 1)
}

/// Turns `topic` off for the person whose link it is; false when the link is not theirs.
pub async fn unsubscribe(
    db: &impl ConnectionTrait,
    user_id: i32,
    topic: MailTopic,
    key: &str,
) -> AppResult<bool> {
    let Some(person) = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.erased_at.is_none())
        .filter(|u| {
            u.unsubscribe_key
                .as_deref()
                .is_some_and(|stored| !key.is_empty() && constant_time_eq(stored, key))
        })
    else {
        return Ok(false);
    };
    let mut off = parse_opt_out(&person.mail_opt_out);
    if !off.contains(&topic) {
        off.push(topic);
    }
    set_opt_out(db, person.id, &off).await?;
    Ok(true)
}

/// Stores the topics a person turned off.
pub async fn set_opt_out(
    db: &impl ConnectionTrait,
    user_id: i32,
    off: &[MailTopic],
) -> AppResult<()> {
    user::Entity::update_many()
        .col_expr(
            user::Column::MailOptOut,
            Expr::value(domain::mail::format_opt_out(off)),
        )
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Runs [`send_notices`] every [`PERIOD`] for as long as the server runs, waking the sender when
/// something was queued.
pub fn spawn_scheduler(
    db: sea_orm::DatabaseConnection,
    public_url: String,
    sender: Option<std::sync::Arc<super::sender::Sender>>,
) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(PERIOD);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match send_notices(&db, &public_url).await {
                Ok(0) => {}
                Ok(_) => {
                    if let Some(sender) = &sender {
                        sender.wake();
                    }
                }
                Err(err) => tracing::error!(error = %err, "notification e-mails failed"),
            }
        }
    });
}
