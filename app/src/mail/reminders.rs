//! The legal clocks' reminders: once a day in Japan time, every open application whose
//! certificate or moving-in notification has a deadline ahead is checked against
//! [`domain::pipeline::reminder_due`], and a message goes to the engineer and to each member of
//! the employer's organisation.
//!
//! Every instance runs the job; each message carries a `dedupe_key` naming the application, the
//! deadline, the threshold and the recipient, and the unique index on it lets exactly one
//! instance queue it, whichever day the job first sees the threshold reached.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::language::UiLanguage;
use domain::pipeline::{self, ClockKind};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::compose::{self, ClockReminder};
use crate::applications::server::{key_dates, status_of};
use crate::db::entities::{application, organisation, role, user};
use crate::error::AppResult;
use crate::roles::pages::title_for;

/// Applications read per query.
const PAGE: u64 = 500;

/// How often each instance looks (the job is idempotent: looking more often than daily only
/// makes the first look after midnight in Japan sooner).
pub const PERIOD: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Queues the reminders due on `today` (Japan's date); returns how many this call queued (the
/// ones another instance queued first are not counted).
pub async fn send_clock_reminders(
    db: &impl ConnectionTrait,
    public_url: &str,
    today: NaiveDate,
) -> AppResult<u64> {
    let mut queued = 0;
    let mut after = 0;
    loop {
        // open applications with a certificate and no moving-in notification yet: the only ones
        // a clock can still run on
        let page = application::Entity::find()
            .filter(application::Column::Id.gt(after))
            .filter(application::Column::ClosedReason.is_null())
            .filter(application::Column::RegisteredOn.is_null())
            .filter(
                Condition::any()
                    .add(application::Column::CoeIssuedOn.is_not_null())
                    .add(application::Column::ArrivedOn.is_not_null()),
            )
            .order_by_asc(application::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = page.last() else {
            return Ok(queued);
        };
        after = last.id;
        queued += remind_page(db, public_url, today, &page).await?;
    }
}

async fn remind_page(
    db: &impl ConnectionTrait,
    public_url: &str,
    today: NaiveDate,
    page: &[application::Model],
) -> AppResult<u64> {
    let due: Vec<(&application::Model, pipeline::Clock, i64)> = page
        .iter()
        .filter_map(|a| Some((a, status_of(a).ok()?)))
        .flat_map(|(a, status)| {
            pipeline::clocks(status, key_dates(a), today)
                .into_iter()
                .filter_map(move |clock| Some((a, clock, pipeline::reminder_due(&clock, today)?)))
        })
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let roles: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(due.iter().map(|(a, ..)| a.role_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let organisations: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(due.iter().map(|(a, ..)| a.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let people = user::Entity::find()
        .filter(
            Condition::any()
                .add(user::Column::Id.is_in(due.iter().map(|(a, ..)| a.engineer_user_id)))
                .add(
                    user::Column::OrganisationId.is_in(due.iter().map(|(a, ..)| a.organisation_id)),
                ),
        )
        .filter(user::Column::Suspended.eq(false))
        .filter(user::Column::ErasedAt.is_null())
        .all(db)
        .await?;
    let by_id: HashMap<i32, &user::Model> = people.iter().map(|u| (u.id, u)).collect();
    let mut queued = 0;
    for (app, clock, threshold) in due {
        let Some(engineer) = by_id.get(&app.engineer_user_id) else {
            continue;
        };
        let members = people
            .iter()
            .filter(|u| u.organisation_id == Some(app.organisation_id));
        let link = format!(
            "{}/applications/{}",
            public_url.trim_end_matches('/'),
            app.id
        );
        for recipient in std::iter::once(*engineer).chain(members) {
            let lang = UiLanguage::parse(&recipient.ui_language).unwrap_or_default();
            let role_title = roles
                .get(&app.role_id)
                .map(|r| title_for(lang, &r.title_ja, &r.title_en))
                .unwrap_or_default();
            let organisation_name = organisations
                .get(&app.organisation_id)
                .map(|o| title_for(lang, &o.name_ja, &o.name_en))
                .unwrap_or_default();
            let reminder = ClockReminder {
                kind: clock.kind,
                candidate: &engineer.display_name,
                role: &role_title,
                organisation: &organisation_name,
                due: clock.due,
                arrived_on: app.arrived_on,
                days_left: (clock.due - today).num_days(),
                link: &link,
            };
            let mut message = compose::clock_reminder(
                lang,
                recipient.id,
                &recipient.email,
                &recipient.display_name,
                &reminder,
            );
            message.about_user_id = Some(app.engineer_user_id);
            message.dedupe_key = Some(dedupe_key(
                app.id,
                clock.kind,
                clock.due,
                threshold,
                recipient.id,
            ));
            if super::queue(db, message).await? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

/// One reminder per application, deadline, threshold and recipient, ever.
pub fn dedupe_key(
    application_id: i32,
    kind: ClockKind,
    due: NaiveDate,
    threshold: i64,
    recipient: i32,
) -> String {
    let kind = match kind {
        ClockKind::CoeValidity => "coe",
        ClockKind::ResidentRegistration => "registration",
    };
    format!("clock:{application_id}:{kind}:{due}:{threshold}:{recipient}")
}

/// Runs the reminders every [`PERIOD`] for as long as the server runs, on Japan's date, and
/// wakes the sender when something was queued.
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
            let today = domain::time::japan_date(chrono::Utc::now());
            match send_clock_reminders(&db, &public_url, today).await {
                Ok(0) => {}
                Ok(queued) => {
                    tracing::info!(queued, %today, "legal-clock reminders queued");
                    if let Some(sender) = &sender {
                        sender.wake();
                    }
                }
                Err(err) => tracing::error!(error = %err, "legal-clock reminders failed"),
            }
        }
    });
}
