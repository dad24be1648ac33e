//! Notifications by e-mail: once each across instances, in the recipient's language, with a
//! one-click unsubscribe that turns a topic off and only with the right key.

use app::db::entities::mail_job;
use app::mail::notices::send_notices;
use app::mail::sender::send_due;
use app::mail::transport::Transport;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use crate::helpers::{journey, new_client, spawn_instance, TestApp};
use crate::on_both_databases;

async fn mail_to(app: &TestApp, address: &str) -> Vec<mail_job::Model> {
    mail_job::Entity::find()
        .filter(mail_job::Column::ToAddress.eq(address))
        .filter(mail_job::Column::Kind.starts_with("notice"))
        .order_by_asc(mail_job::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn move_to(app: &TestApp, client: &reqwest::Client, application: i32, body: Value) {
    let response = client
        .post(app.url(&format!("/api/v1/applications/{application}/moves")))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{body}");
}

on_both_databases!(
    each_notification_is_mailed_once_across_instances_and_a_topic_turned_off_stays_off,
    async |app: &TestApp| {
        let trip = journey(app, "priya@example.in", false).await;
        let second = match app.postgres_url() {
            Some(_) => Some(spawn_instance(app).await),
            None => None,
        };
        let other_db = second.as_ref().map_or(&app.db, |s| &s.db);
        let both = || async {
            let (a, b) = tokio::join!(
                send_notices(&app.db, &app.address),
                send_notices(other_db, &app.address)
            );
            a.unwrap() + b.unwrap()
        };
        // the employer hears of the application, once, in Japanese (the sign-up's language
        // was English: the account's language decides)
        assert_eq!(both().await, 1);
        assert_eq!(both().await, 0, "nothing twice");
        let to_employer = mail_to(app, "hr@mirai.example.jp").await;
        assert_eq!(to_employer.len(), 1);
        assert_eq!(to_employer[0].kind, "notice_application_received");
        assert!(to_employer[0]
            .body_text
            .contains(&format!("/applications/{}", trip.application)));
        let one_click = to_employer[0]
            .unsubscribe_url
            .clone()
            .expect("an optional topic");
        assert!(one_click.contains("/unsubscribe/one-click?"), "{one_click}");

        // the engineer hears of each move, the offer under its own topic
        move_to(
            app,
            &app.client,
            trip.application,
            json!({"to": "shortlisted"}),
        )
        .await;
        move_to(
            app,
            &app.client,
            trip.application,
            json!({"to": "interview", "details": {"interview_format": "video"}}),
        )
        .await;
        move_to(app, &app.client, trip.application, json!({"to": "offer_extended", "message": "We would love you to join.", "details": {"salary_jpy": 7200000, "employment_type": "permanent", "start_date": "2027-04-01", "visa_route": "highly_skilled_professional"}})).await;
        assert_eq!(both().await, 3);
        let to_engineer = mail_to(app, "priya@example.in").await;
        let kinds: Vec<&str> = to_engineer.iter().map(|m| m.kind.as_str()).collect();
        assert_eq!(kinds, ["notice_application_moved"; 3]);
        assert!(to_engineer[2]
            .unsubscribe_url
            .as_deref()
            .unwrap()
            .contains("topic=offers"));
        assert!(to_engineer[2]
            .body_text
            .contains("We would love you to join."));
        assert!(to_engineer[0]
            .unsubscribe_url
            .as_deref()
            .unwrap()
            .contains("topic=applications"));

        // the message carries RFC 8058's headers
        let mailbox = tempfile::tempdir().unwrap();
        let transport = Transport::from_config(None, mailbox.path().to_path_buf()).unwrap();
        send_due(
            &app.db,
            &transport,
            &"Setubashi <no-reply@setubashi.example>".parse().unwrap(),
        )
        .await
        .unwrap();
        let eml: String = std::fs::read_dir(mailbox.path())
            .unwrap()
            .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
            .find(|text| text.contains("hr@mirai.example.jp") && text.contains("List-Unsubscribe"))
            .expect("the employer's message");
        assert!(eml.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));

        // a wrong key changes nothing; the right one turns the topic off, in one click
        let wrong = new_client()
            .post(one_click.replace("key=", "key=0"))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
        let (employer_prefs, _) = (
            app.client
                .get(app.url("/api/v1/me/mail-preferences"))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap(),
            (),
        );
        assert_eq!(employer_prefs["applications"], true);
        let clicked = new_client()
            .post(&one_click)
            .body("List-Unsubscribe=One-Click")
            .send()
            .await
            .unwrap();
        assert_eq!(clicked.status(), StatusCode::OK);
        let prefs: Value = app
            .client
            .get(app.url("/api/v1/me/mail-preferences"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            prefs,
            json!({"invitations": true, "applications": false, "offers": true, "new_sign_ins": true})
        );

        // the engineer accepts: the employer is notified on the site, not by mail any more
        move_to(
            app,
            &trip.engineer,
            trip.application,
            json!({"to": "offer_accepted"}),
        )
        .await;
        assert_eq!(both().await, 0);
        assert_eq!(mail_to(app, "hr@mirai.example.jp").await.len(), 1);
        let (_, notes) = (
            (),
            app.client
                .get(app.url("/api/v1/notifications"))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap(),
        );
        assert!(notes.to_string().contains("offer_accepted"));

        // the engineer turns offers off on the API; an essential message still goes
        let saved = trip
            .engineer
            .put(app.url("/api/v1/me/mail-preferences"))
            .json(&json!({"invitations": false, "applications": true, "offers": false, "new_sign_ins": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK);
        let prefs: Value = trip
            .engineer
            .get(app.url("/api/v1/me/mail-preferences"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            prefs,
            json!({"invitations": false, "applications": true, "offers": false, "new_sign_ins": true})
        );
        if let Some(second) = second {
            second.cleanup().await;
        }
    }
);
