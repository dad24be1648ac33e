//! The background task that sends queued mail, on every instance at once without sending a
//! message twice: jobs are claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL (on SQLite the
//! one writer lock does the same), sent, and marked. A claim lasts [`CLAIM`]; a sender killed
//! mid-send leaves its job to be claimed again once that passes (SMTP is at-least-once: the
//! message may then go twice, never not at all).

use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, Statement,
};
use tokio::sync::Notify;

use super::transport::Transport;
use crate::db::entities::mail_job;

pub const QUEUED: &str = "queued";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// How long a claimed job is another instance's to send.
const CLAIM: Duration = Duration::from_secs(120);
/// Jobs claimed at a time.
const BATCH: i64 = 20;
/// After this many failed attempts a job is given up (and shown to administrators).
pub const MAX_ATTEMPTS: i32 = 8;

/// How long to wait before the next attempt after `attempts` failures: 1, 2, 4 … minutes,
/// capped at six hours; `None` once [`MAX_ATTEMPTS`] is reached.
pub fn retry_delay(attempts: i32) -> Option<Duration> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let minutes = 1u64 << attempts.clamp(0, 16).saturating_sub(1);
    Some(Duration::from_secs((minutes * 60).min(6 * 3600)))
}

/// Wakes the sender when a request has queued mail (it also looks every few seconds).
pub struct Sender {
    wake: Notify,
}

impl Sender {
    pub fn start(db: DatabaseConnection, transport: Transport, from: Mailbox) -> Arc<Sender> {
        let sender = Arc::new(Sender {
            wake: Notify::new(),
        });
        let handle = Arc::downgrade(&sender);
        tokio::spawn(async move {
            loop {
                let Some(sender) = handle.upgrade() else {
                    return;
                };
                match send_due(&db, &transport, &from).await {
                    Ok(sent) if sent > 0 => continue,
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "sending mail failed; retrying"),
                }
                tokio::select! {
                    _ = sender.wake.notified() => {}
                    _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                }
            }
        });
        sender
    }

    /// Asks the sender to look now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// Claims due jobs: queued ones whose time has come, and ones whose sender's claim ran out.
pub async fn claim(db: &impl ConnectionTrait, limit: i64) -> Result<Vec<mail_job::Model>, DbErr> {
    let now = chrono::Utc::now();
    let until = now + chrono::Duration::from_std(CLAIM).unwrap_or_default();
    let (sql, values): (&str, Vec<sea_orm::Value>) = match db.get_database_backend() {
        DatabaseBackend::Postgres => (
            "UPDATE mail_jobs SET status = 'sending', locked_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM mail_jobs \
               WHERE (status = 'queued' AND next_attempt_at <= $2) \
                  OR (status = 'sending' AND locked_until < $2) \
               ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING *",
            vec![until.into(), now.into(), limit.into()],
        ),
        _ => (
            "UPDATE mail_jobs SET status = 'sending', locked_until = ?1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM mail_jobs \
               WHERE (status = 'queued' AND next_attempt_at <= ?2) \
                  OR (status = 'sending' AND locked_until < ?2) \
               ORDER BY id LIMIT ?3) \
             RETURNING *",
            vec![until.into(), now.into(), limit.into()],
        ),
    };
    mail_job::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .all(db)
        .await
}

/// Sends what is due; returns how many were sent.
pub async fn send_due(
    db: &DatabaseConnection,
    transport: &Transport,
    from: &Mailbox,
) -> Result<usize, DbErr> {
    let jobs = claim(db, BATCH).await?;
    let mut sent = 0;
    for job in jobs {
        let outcome = transport.send(from, &job).await;
        let now = chrono::Utc::now();
        let mut update = mail_job::ActiveModel {
            locked_until: Set(None),
            ..Default::default()
        };
        match outcome {
            Ok(()) => {
                update.status = Set(SENT.to_owned());
                update.sent_at = Set(Some(now));
                update.last_error = Set(None);
                sent += 1;
            }
            Err(err) => {
                tracing::warn!(job = job.id, kind = %job.kind, error = %err.message, "a message was not sent");
                update.last_error = Set(Some(err.message.chars().take(500).collect()));
                match retry_delay(job.attempts).filter(|_| !err.permanent) {
                    Some(delay) => {
                        update.status = Set(QUEUED.to_owned());
                        update.next_attempt_at =
                            Set(now + chrono::Duration::from_std(delay).unwrap_or_default());
                    }
                    None => update.status = Set(FAILED.to_owned()),
                }
            }
        }
        // only our claim is marked: a job another instance took over after our claim ran out
        // is left to it
        mail_job::Entity::update_many()
            .set(update)
            .filter(mail_job::Column::Id.eq(job.id))
            .filter(mail_job::Column::Status.eq(SENDING))
            .exec(db)
            .await?;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_doubling_from_a_minute_and_give_up_after_eight_attempts() {
        let minutes: Vec<u64> = (1..MAX_ATTEMPTS)
            .map(|a| retry_delay(a).unwrap().as_secs() / 60)
            .collect();
        assert_eq!(minutes, vec![1, 2, 4, 8, 16, 32, 64]);
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
        assert_eq!(retry_delay(MAX_ATTEMPTS + 3), None);
        assert!(minutes.windows(2).all(|w| w[0] < w[1]));
    }
}
