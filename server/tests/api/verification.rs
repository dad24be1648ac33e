//! Proving an e-mail address: the link sent at sign-up, what an unproven account may not do, and
//! the link attacked (wrong, reused, resent too often).

use app::db::entities::mail_job;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{
    html_page, new_client, post_plain, valid_role, verify_email_of, verify_organisation_of,
    TestApp, STRONG_PASSWORD,
};
use crate::on_both_databases;

async fn messages(app: &TestApp, user: i64) -> Vec<mail_job::Model> {
    mail_job::Entity::find()
        .filter(mail_job::Column::UserId.eq(user as i32))
        .filter(mail_job::Column::Kind.eq("verify_email"))
        .all(&app.db)
        .await
        .unwrap()
}

on_both_databases!(
    an_unproven_address_can_look_around_but_not_apply_or_post_a_role_until_the_link_is_followed,
    async |app: &TestApp| {
        // an employer with a verified organisation, whose own address is not proven yet
        let employer = new_client();
        let signed_up: Value = employer
            .post(app.url("/api/v1/users"))
            .json(&json!({
                "email": "hr@mirai.example.jp", "password": STRONG_PASSWORD, "role": "employer", "display_name": "Tanaka Yui",
                "organisation": {"name_ja": "みらい半導体株式会社", "prefecture": "kumamoto", "sector": "semiconductors", "size": "large"}
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        verify_organisation_of(app, &signed_up).await;
        let posted = employer
            .post(app.url("/api/v1/roles"))
            .json(&valid_role())
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), StatusCode::CONFLICT);
        let body: Value = posted.json().await.unwrap();
        assert_eq!(body["error"]["code"], "email_unverified");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Confirm your e-mail address"));

        // the message went to the address, in the sign-up's language, with a link
        let sent = messages(app, signed_up["id"].as_i64().unwrap()).await;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].to_address, "hr@mirai.example.jp");
        assert!(sent[0].body_text.contains("/verify-email?token="));

        // a wrong token proves nothing
        let wrong = new_client()
            .post(app.url("/api/v1/email-verification/confirm"))
            .json(&json!({"token": "0".repeat(64)}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let me = employer.get(app.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(
            me.status(),
            StatusCode::OK,
            "an unproven account stays signed in"
        );

        // asking again within the minute sends nothing more
        let again = employer
            .post(app.url("/api/v1/me/email-verification"))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::ACCEPTED);
        assert_eq!(
            messages(app, signed_up["id"].as_i64().unwrap()).await.len(),
            1
        );

        verify_email_of(app, &signed_up).await;
        let posted = employer
            .post(app.url("/api/v1/roles"))
            .json(&valid_role())
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), StatusCode::CREATED);
        let role = posted.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap();

        // the same link works once
        let token = sent[0]
            .body_text
            .split("token=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned();
        let reused = new_client()
            .post(app.url("/api/v1/email-verification/confirm"))
            .json(&json!({ "token": token }))
            .send()
            .await
            .unwrap();
        assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // an engineer with a profile cannot apply before proving the address
        let engineer = new_client();
        let user: Value = engineer
            .post(app.url("/api/v1/users"))
            .json(&json!({"email": "priya@example.in", "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Priya"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let saved = engineer
            .put(app.url("/api/v1/me/profile"))
            .json(&json!({"full_name": "Priya Sharma", "years_experience": 5, "skills": [{"skill": "Rust", "years": 3}]}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            saved.status(),
            StatusCode::OK,
            "a profile needs no proven address"
        );
        let apply = format!("/api/v1/roles/{role}/applications");
        let refused = engineer
            .post(app.url(&apply))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::CONFLICT);
        // the page says why, and offers the link again
        let page = engineer
            .get(app.url("/dashboard"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("verify-banner"), "the banner is on the page");
        assert!(page.contains("priya@example.in"));
        // its button posted plainly: the banner of the page it returns to says so, once
        let back = post_plain(
            &engineer,
            app,
            "/api/resend_verification",
            "/dashboard",
            &[],
        )
        .await;
        let banner_of = |page: &str| {
            page.split("verify-banner")
                .nth(1)
                .and_then(|b| b.split("</div>").next())
                .unwrap_or_default()
                .to_owned()
        };
        let banner = banner_of(&html_page(&engineer, app, &back).await);
        assert!(banner.contains("A new link is on its way"), "{banner}");
        assert!(!banner.contains("role=\"alert\""), "{banner}");
        let again = banner_of(&html_page(&engineer, app, "/dashboard").await);
        assert!(!again.contains("A new link is on its way"), "once: {again}");
        verify_email_of(app, &user).await;
        let applied = engineer
            .post(app.url(&apply))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(applied.status(), StatusCode::CREATED);
        let page = engineer
            .get(app.url("/dashboard"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!page.contains("verify-banner"), "no banner once proven");
    }
);
