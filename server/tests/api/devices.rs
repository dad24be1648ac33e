//! Signed-in devices: listed with the one in use marked, signed out one by one or all but this
//! one (which then stops working at once), and a sign-in from a new browser told by e-mail
//! unless the person turned that off.

use app::db::entities::mail_job;
use reqwest::{Client, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{new_client, TestApp, STRONG_PASSWORD};
use crate::on_both_databases;

const FIREFOX_ANDROID: &str =
    "Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0";
const SAFARI_MAC: &str = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

async fn log_in_as(app: &TestApp, agent: &str) -> Client {
    let client = new_client();
    let response = client
        .post(app.url("/api/v1/session"))
        .header("user-agent", agent)
        .json(&json!({"email": "priya@example.in", "password": STRONG_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    client
}

async fn devices(app: &TestApp, client: &Client) -> (StatusCode, Value) {
    let response = client
        .get(app.url("/api/v1/me/sessions"))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn new_sign_in_mail(app: &TestApp) -> Vec<mail_job::Model> {
    mail_job::Entity::find()
        .filter(mail_job::Column::Kind.eq("new_sign_in"))
        .all(&app.db)
        .await
        .unwrap()
}

on_both_databases!(
    devices_are_listed_signed_out_one_by_one_or_all_but_this_one_and_a_new_browser_is_told,
    async |app: &TestApp| {
        app.sign_up_engineer("priya@example.in").await; // app.client: the sign-up's device
        assert!(
            new_sign_in_mail(app).await.is_empty(),
            "the first device is the sign-up"
        );
        let phone = log_in_as(app, FIREFOX_ANDROID).await;
        let mail = new_sign_in_mail(app).await;
        assert_eq!(mail.len(), 1, "a browser not seen before");
        assert!(
            mail[0].body_text.contains("Firefox on Android"),
            "{}",
            mail[0].body_text
        );
        assert!(mail[0].body_text.contains("JST"));
        // the same browser again is not news
        let phone_again = log_in_as(app, FIREFOX_ANDROID).await;
        assert_eq!(new_sign_in_mail(app).await.len(), 1);

        let (status, list) = devices(app, &phone).await;
        assert_eq!(status, StatusCode::OK);
        let list = list.as_array().unwrap().clone();
        assert_eq!(list.len(), 3);
        assert_eq!(list.iter().filter(|d| d["current"] == true).count(), 1);

        // sign out the other phone session by its id: it stops working at once
        let (_, mine) = devices(app, &phone_again).await;
        let other_phone = list
            .iter()
            .find(|d| d["device"] == "Firefox on Android" && d["current"] == false)
            .unwrap();
        let own_id = mine
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["current"] == true)
            .unwrap()["id"]
            .clone();
        let ended = phone
            .delete(app.url(&format!("/api/v1/me/sessions/{}", other_phone["id"])))
            .send()
            .await
            .unwrap();
        assert_eq!(ended.status(), StatusCode::NO_CONTENT);
        if other_phone["id"] == own_id {
            let (status, _) = devices(app, &phone_again).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        // this device is not signed out by id (log out does that)
        let (_, now) = devices(app, &phone).await;
        let this = now
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["current"] == true)
            .unwrap()["id"]
            .clone();
        let refused = phone
            .delete(app.url(&format!("/api/v1/me/sessions/{this}")))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::NOT_FOUND);

        // "everywhere else": the sign-up's session ends, this one goes on
        let others = phone
            .delete(app.url("/api/v1/me/sessions"))
            .send()
            .await
            .unwrap();
        assert_eq!(others.status(), StatusCode::NO_CONTENT);
        let (status, _) = devices(app, &app.client).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, left) = devices(app, &phone).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(left.as_array().unwrap().len(), 1);

        // another person cannot end this device
        let stranger = new_client();
        stranger
            .post(app.url("/api/v1/users"))
            .json(&json!({"email": "other@example.in", "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Other"}))
            .send()
            .await
            .unwrap();
        let attempt = stranger
            .delete(app.url(&format!("/api/v1/me/sessions/{this}")))
            .send()
            .await
            .unwrap();
        assert_eq!(attempt.status(), StatusCode::NOT_FOUND);
        let (status, _) = devices(app, &phone).await;
        assert_eq!(status, StatusCode::OK);

        // turned off, a new browser is not told
        let saved = phone
            .put(app.url("/api/v1/me/mail-preferences"))
            .json(&json!({"invitations": true, "applications": true, "offers": true, "new_sign_ins": false}))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK);
        log_in_as(app, SAFARI_MAC).await;
        assert_eq!(new_sign_in_mail(app).await.len(), 1);
    }
);
