//! The legal clocks' e-mails: the daily job, run by two instances at once, over every day of a
//! certificate's life and of the days after arrival, on a test clock.

use app::db::entities::{application, mail_job};
use app::mail::reminders::send_clock_reminders;
use chrono::{Days, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::helpers::{journey, spawn_instance, TestApp};
use crate::on_both_databases;

/// Runs the job for `day` on two connections at once (two instances on PostgreSQL; two tasks
/// on one SQLite file): returns how many messages were queued between them.
async fn both_run(
    first: &DatabaseConnection,
    second: &DatabaseConnection,
    url: &str,
    day: NaiveDate,
) -> u64 {
    let (a, b) = tokio::join!(
        send_clock_reminders(first, url, day),
        send_clock_reminders(second, url, day)
    );
    a.unwrap() + b.unwrap()
}

async fn reminders(db: &DatabaseConnection, kind: &str) -> Vec<mail_job::Model> {
    mail_job::Entity::find()
        .filter(mail_job::Column::Kind.eq(kind))
        .order_by_asc(mail_job::Column::Id)
        .all(db)
        .await
        .unwrap()
}

on_both_databases!(
    a_certificate_issued_90_days_before_reminds_at_30_14_and_7_days_once_each_with_two_schedulers,
    async |app: &TestApp| {
        let trip = journey(app, "priya@example.in", true).await;
        let second = match app.postgres_url() {
            Some(_) => Some(spawn_instance(app).await),
            None => None,
        };
        let other_db = second.as_ref().map_or(&app.db, |s| &s.db);
        let issued = NaiveDate::from_ymd_opt(2027, 1, 20).unwrap();
        let due = domain::pipeline::coe_expires_on(issued);
        application::ActiveModel {
            id: Set(trip.application),
            stage: Set("coe_issued".to_owned()),
            coe_issued_on: Set(Some(issued)),
            ..Default::default()
        }
        .update(&app.db)
        .await
        .unwrap();
        let mut queued_on = Vec::new();
        for offset in 0..=95 {
            let day = issued + Days::new(offset);
            let queued = both_run(&app.db, other_db, &app.address, day).await;
            if queued > 0 {
                queued_on.push(((due - day).num_days(), queued));
            }
        }
        // on each threshold's day one message to the engineer and one to the employer's member
        assert_eq!(queued_on, [(30, 2), (14, 2), (7, 2)]);
        let sent = reminders(&app.db, "coe_expiry").await;
        assert_eq!(sent.len(), 6);
        let to_engineer: Vec<&mail_job::Model> = sent
            .iter()
            .filter(|m| m.user_id == Some(trip.engineer_id))
            .collect();
        assert_eq!(to_engineer.len(), 3);
        assert_eq!(to_engineer[0].to_address, "priya@example.in");
        assert!(
            to_engineer[0].subject.contains("30"),
            "{}",
            to_engineer[0].subject
        );
        assert!(to_engineer[0].body_text.contains(&due.to_string()));
        assert!(to_engineer[0]
            .body_text
            .contains(&format!("/applications/{}", trip.application)));
        assert!(sent.iter().any(|m| m.to_address == "hr@mirai.example.jp"));

        // arrival: the moving-in notification at 14, 7 and 3 days, and nothing once it is made
        let arrived = issued + Days::new(40);
        application::ActiveModel {
            id: Set(trip.application),
            stage: Set("arrived".to_owned()),
            visa_issued_on: Set(Some(issued + Days::new(20))),
            arrived_on: Set(Some(arrived)),
            ..Default::default()
        }
        .update(&app.db)
        .await
        .unwrap();
        let mut queued_on = Vec::new();
        for offset in 0..=20 {
            let day = arrived + Days::new(offset);
            if offset == 10 {
                application::ActiveModel {
                    id: Set(trip.application),
                    stage: Set("resident_registered".to_owned()),
                    registered_on: Set(Some(day)),
                    ..Default::default()
                }
                .update(&app.db)
                .await
                .unwrap();
            }
            let queued = both_run(&app.db, other_db, &app.address, day).await;
            if queued > 0 {
                queued_on.push((offset, queued));
            }
        }
        // 14 days left on arrival, 7 on the 7th day; registered on the 10th: no 3-day reminder
        // (due on the 11th)
        assert_eq!(queued_on, [(0, 2), (7, 2)]);
        assert_eq!(reminders(&app.db, "coe_expiry").await.len(), 6, "no more");
        if let Some(second) = second {
            second.cleanup().await;
        }
    }
);
