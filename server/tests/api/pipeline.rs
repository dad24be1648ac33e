//! The pipeline board's bulk moves and the paged lists behind its columns: several
//! applications move at once, each as its own move (one that cannot go is refused with its
//! reason and the rest still move), and every card of a column is reachable through the paged,
//! filtered list of applications.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{engineer_with, get_json, journey, server_fn, TestApp};
use crate::on_both_databases;

async fn apply(app: &TestApp, email: &str, role: i64) -> i64 {
    let (client, _) = engineer_with(
        app,
        email,
        json!({"full_name": "Asha Patil", "years_experience": 3, "degree": "bachelors", "skills": []}),
    )
    .await;
    let applied = client
        .post(app.url(&format!("/api/v1/roles/{role}/applications")))
        .json(&json!({"note": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(applied.status(), StatusCode::CREATED);
    applied.json::<Value>().await.unwrap()["summary"]["id"]
        .as_i64()
        .unwrap()
}

on_both_databases!(
    a_bulk_move_moves_each_by_the_rules_of_one_move,
    async |app: &TestApp| {
        let j = journey(app, "bulk@example.in", false).await;
        let second = apply(app, "bulk2@example.in", j.role).await;
        let third = apply(app, "bulk3@example.in", j.role).await;
        let moves = format!("/api/v1/roles/{}/moves", j.role);
        // an offer needs its terms: none of them goes, each says why
        let response = app
            .post_json(
                &moves,
                &json!({"applications": [j.application, second], "to": "offer_extended"}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let refused: Value = response.json().await.unwrap();
        assert_eq!(refused["moved"], json!([]));
        assert_eq!(refused["refused"].as_array().unwrap().len(), 2, "{refused}");
        // three to the shortlist (one named twice, one of another role): each moves once
        let response = app
            .post_json(&moves, &json!({"applications": [j.application, second, second, third, 999_999], "to": "shortlisted", "note": "strong CAN bus"}))
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let done: Value = response.json().await.unwrap();
        assert_eq!(done["moved"], json!([j.application, second, third]));
        assert_eq!(done["refused"], json!([[999_999, "not_found"]]));
        // recorded like one move: the timeline and the candidate's notification
        let detail = get_json(&app.client, app, &format!("/api/v1/applications/{second}")).await;
        assert_eq!(detail["summary"]["stage"], "shortlisted");
        let last = detail["timeline"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(last["to_stage"], "shortlisted");
        assert_eq!(last["note"], "strong CAN bus");
        let notes = get_json(&j.engineer, app, "/api/v1/notifications").await;
        assert!(notes.to_string().contains("shortlisted"), "{notes}");
        // a second shortlisting is out of order for all three
        let again: Value = app
            .post_json(
                &moves,
                &json!({"applications": [j.application], "to": "shortlisted"}),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(again["moved"], json!([]));
        // the column's cards are all reachable: the list filtered by role and stage, paged
        let role = j.role.to_string();
        let (status, body) = server_fn(
            &app.client,
            app,
            "list_my_applications",
            &[
                ("role", role.as_str()),
                ("stage", "shortlisted"),
                ("open", "open"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let listed: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(listed["total"], 3);
        assert_eq!(listed["pages"], 1);
        let (status, _) = server_fn(
            &app.client,
            app,
            "list_my_applications",
            &[("stage", "nonsense")],
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // the engineer may not move in bulk
        let response = j
            .engineer
            .post(app.url(&moves))
            .json(&json!({"applications": [j.application], "to": "shortlisted"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
);
