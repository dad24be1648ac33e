//! The outgoing mail for administrators: a failed message is found with its error (never its
//! body), sent again once, and nobody else may look.

use app::db::entities::{audit_log, mail_job};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;

use crate::helpers::{admin_client, TestApp};
use crate::on_both_databases;

on_both_databases!(
    administrators_see_failed_mail_with_its_error_and_send_it_again,
    async |app: &TestApp| {
        let now = chrono::Utc::now();
        let failed = mail_job::ActiveModel {
            user_id: Set(None),
            to_address: Set("bounce@example.in".to_owned()),
            kind: Set("notice_invited".to_owned()),
            subject: Set("Invitation".to_owned()),
            body_text: Set("the secret body".to_owned()),
            body_html: Set("<p>the secret body</p>".to_owned()),
            status: Set(app::mail::sender::FAILED.to_owned()),
            attempts: Set(app::mail::sender::MAX_ATTEMPTS),
            next_attempt_at: Set(now),
            last_error: Set(Some("550 5.1.1 mailbox unavailable".to_owned())),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        let admin = admin_client(app, "admin@programme.example").await;
        let response = admin
            .get(app.url("/api/v1/admin/mail?status=failed"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let text = response.text().await.unwrap();
        assert!(!text.contains("secret body"), "never the body");
        let page: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(page["total"], 1);
        assert_eq!(page["rows"][0]["to_address"], "bounce@example.in");
        assert_eq!(
            page["rows"][0]["last_error"],
            "550 5.1.1 mailbox unavailable"
        );
        let bad = admin
            .get(app.url("/api/v1/admin/mail?status=lost"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // reading addresses is on the record
        let reads = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("admin.read_mail"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(reads.len(), 1);

        let retry = format!("/api/v1/admin/mail/{}/retry", failed.id);
        let employer = app.sign_up_employer("hr@mirai.example.jp").await;
        assert!(employer["id"].is_number());
        let refused = app.client.post(app.url(&retry)).send().await.unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
        let again = admin.post(app.url(&retry)).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NO_CONTENT);
        let queued = mail_job::Entity::find_by_id(failed.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((queued.status.as_str(), queued.attempts), ("queued", 0));
        let twice = admin.post(app.url(&retry)).send().await.unwrap();
        assert_eq!(
            twice.status(),
            StatusCode::NOT_FOUND,
            "only a failed message is sent again"
        );
    }
);
