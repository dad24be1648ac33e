//! An organisation's members: a colleague invited by e-mail joins through the link, members see
//! each other, one removes another (whose sessions end), and the last member cannot leave.

use app::db::entities::mail_job;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{new_client, TestApp, STRONG_PASSWORD};
use crate::on_both_databases;

on_both_databases!(
    a_colleague_joins_by_the_e_mailed_link_and_the_last_member_cannot_leave,
    async |app: &TestApp| {
        let founder = app.sign_up_employer("hr@mirai.example.jp").await;
        let invited = app
            .post_json(
                "/api/v1/organisation/invitations",
                &json!({"email": "ken@mirai.example.jp"}),
            )
            .await;
        assert_eq!(invited.status(), StatusCode::ACCEPTED);
        // an address with an account cannot be invited
        let taken = app
            .post_json(
                "/api/v1/organisation/invitations",
                &json!({"email": "hr@mirai.example.jp"}),
            )
            .await;
        assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let message = mail_job::Entity::find()
            .filter(mail_job::Column::Kind.eq("organisation_invite"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(message.to_address, "ken@mirai.example.jp");
        assert!(message.body_text.contains("みらい半導体株式会社"));
        let token = message
            .body_text
            .split("token=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned();

        let colleague = new_client();
        let wrong = colleague
            .post(app.url("/api/v1/organisation/join"))
            .json(&json!({"token": "0".repeat(64), "display_name": "Ken Sato", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let joined = colleague
            .post(app.url("/api/v1/organisation/join"))
            .json(&json!({"token": token, "display_name": "Ken Sato", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(joined.status(), StatusCode::CREATED);
        let ken: Value = joined.json().await.unwrap();
        assert_eq!(ken["organisation_id"], founder["organisation_id"]);
        assert_eq!(ken["email"], "ken@mirai.example.jp");
        // the link works once
        let again = new_client()
            .post(app.url("/api/v1/organisation/join"))
            .json(&json!({"token": token, "display_name": "Someone", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // both see both; the colleague's address is proven by the link: they can post a role
        let seen: Value = colleague
            .get(app.url("/api/v1/organisation/members"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(seen["members"].as_array().unwrap().len(), 2);
        assert!(seen["pending"].as_array().unwrap().is_empty());
        let posted = colleague
            .post(app.url("/api/v1/roles"))
            .json(&crate::helpers::valid_role())
            .send()
            .await
            .unwrap();
        assert_ne!(
            posted.status(),
            StatusCode::CONFLICT,
            "the address is proven"
        );

        // another organisation's employer cannot remove a member here
        let (outsider, _) = {
            let c = new_client();
            let u: Value = c
                .post(app.url("/api/v1/users"))
                .json(&json!({"email": "hr@other.example.jp", "password": STRONG_PASSWORD, "role": "employer", "display_name": "Other",
                    "organisation": {"name_en": "Other K.K.", "prefecture": "tokyo", "sector": "software", "size": "small"}}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (c, u)
        };
        let attempt = outsider
            .delete(app.url(&format!("/api/v1/organisation/members/{}", ken["id"])))
            .send()
            .await
            .unwrap();
        assert_eq!(attempt.status(), StatusCode::NOT_FOUND);

        // the founder removes the colleague: their session ends
        let removed = app
            .client
            .delete(app.url(&format!("/api/v1/organisation/members/{}", ken["id"])))
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), StatusCode::NO_CONTENT);
        let me = colleague.get(app.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
        // the last member cannot leave
        let leave = app
            .client
            .delete(app.url(&format!("/api/v1/organisation/members/{}", founder["id"])))
            .send()
            .await
            .unwrap();
        assert_eq!(leave.status(), StatusCode::CONFLICT);
        let body: Value = leave.json().await.unwrap();
        assert_eq!(body["error"]["code"], "last_member");
    }
);
