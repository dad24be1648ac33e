//! Closing a role: by hand (its "open" box) or when its closing date has passed. Open
//! applications up to the interview close as "position filled or closed" and each applicant
//! is told; an application with an offer stays open; a date already gone is refused for an
//! open role; two instances sweeping at once close the role once.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{engineer_with, get_json, journey, valid_role, TestApp};
use crate::on_both_databases;

async fn apply(app: &TestApp, email: &str, role: i64) -> (reqwest::Client, i64) {
    let (client, _) = engineer_with(
        app,
        email,
        json!({"full_name": "Ravi Kumar", "years_experience": 4, "degree": "bachelors",
               "skills": [{"skill": "Rust", "years": 3}]}),
    )
    .await;
    let applied = client
        .post(app.url(&format!("/api/v1/roles/{role}/applications")))
        .json(&json!({"note": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(applied.status(), StatusCode::CREATED);
    let id = applied.json::<Value>().await.unwrap()["summary"]["id"]
        .as_i64()
        .unwrap();
    (client, id)
}

async fn move_to(app: &TestApp, application: i64, body: Value) {
    let response = app
        .post_json(&format!("/api/v1/applications/{application}/moves"), &body)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
}

on_both_databases!(
    closing_a_role_by_hand_closes_its_applications_up_to_the_interview,
    async |app: &TestApp| {
        let j = journey(app, "closing@example.in", false).await;
        let (_, offered) = apply(app, "offered@example.in", j.role).await;
        move_to(app, offered, json!({"to": "shortlisted"})).await;
        move_to(
            app,
            offered,
            json!({"to": "interview", "details": {"interview_format": "video"}}),
        )
        .await;
        move_to(app, offered, json!({"to": "offer_extended", "details": {"salary_jpy": 7200000, "employment_type": "permanent", "start_date": "2027-04-01", "visa_route": "highly_skilled_professional"}})).await;

        // a closing date already gone is refused while the role is open
        let mut role = valid_role();
        role["closes_on"] = json!("2020-01-01");
        let refused = app
            .put_json(&format!("/api/v1/roles/{}", j.role), &role)
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "closes_on");
        assert_eq!(body["error"]["fields"][0]["problem"], "date_in_past");

        role["closes_on"] = json!(null);
        role["is_open"] = json!(false);
        let closed = app
            .put_json(&format!("/api/v1/roles/{}", j.role), &role)
            .await;
        assert_eq!(closed.status(), StatusCode::OK);
        let first = get_json(
            &j.engineer,
            app,
            &format!("/api/v1/applications/{}", j.application),
        )
        .await;
        assert_eq!(first["summary"]["closed_reason"], "role_closed");
        let notes = get_json(&j.engineer, app, "/api/v1/notifications").await;
        assert!(notes.to_string().contains("role_closed"), "{notes}");
        let kept = get_json(&app.client, app, &format!("/api/v1/applications/{offered}")).await;
        assert!(
            kept["summary"]["closed_reason"].is_null(),
            "the offer stands: {kept}"
        );
        assert_eq!(kept["summary"]["stage"], "offer_extended");
    }
);

on_both_databases!(
    a_role_past_its_closing_date_closes_once_across_instances,
    async |app: &TestApp| {
        let j = journey(app, "dated@example.in", false).await;
        let mut role = valid_role();
        role["closes_on"] = json!("2099-12-31");
        let dated = app
            .put_json(&format!("/api/v1/roles/{}", j.role), &role)
            .await;
        assert_eq!(dated.status(), StatusCode::OK);
        let shown = get_json(&app.client, app, &format!("/api/v1/roles/{}", j.role)).await;
        assert_eq!(shown["closes_on"], "2099-12-31");
        use app::roles::closing::close_past_their_date;
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // through the whole of its last day the role is open
        assert_eq!(
            close_past_their_date(&app.db, day(2099, 12, 31))
                .await
                .unwrap(),
            0
        );
        let next_day = day(2100, 1, 1);
        let (a, b) = tokio::join!(
            close_past_their_date(&app.db, next_day),
            close_past_their_date(&app.db, next_day)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        let shown = get_json(&app.client, app, &format!("/api/v1/roles/{}", j.role)).await;
        assert_eq!(shown["is_open"], false);
        let application = get_json(
            &j.engineer,
            app,
            &format!("/api/v1/applications/{}", j.application),
        )
        .await;
        assert_eq!(application["summary"]["closed_reason"], "role_closed");
        // one closing event on the timeline, not two
        let closings = application["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["closed_reason"] == "role_closed")
            .count();
        assert_eq!(closings, 1);
        // and it is no longer found
        app.indexer.sync().await;
        let found = get_json(&j.engineer, app, "/api/v1/roles?q=embedded").await;
        assert!(!crate::helpers::ids(&found).contains(&j.role), "{found}");
    }
);
