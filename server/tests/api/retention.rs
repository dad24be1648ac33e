//! Retention on a test clock: a profile unused for the period goes dormant (hidden from search on
//! every instance, its owner asked once) and wakes when its owner signs in; a closed application
//! past its period loses its free text while the programme's counts stay.

use app::db::entities::{application, application_event, engineer_profile, mail_job};
use app::rights::retention::{sweep, Retention, Swept};
use chrono::{Months, Utc};
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};

use crate::helpers::{admin_client, journey, new_client, TestApp, STRONG_PASSWORD};
use crate::on_both_databases;

async fn found_by_employer(app: &TestApp, engineer: i32) -> bool {
    app.indexer.sync().await;
    let hits: Value = app
        .client
        .get(app.url("/api/v1/engineers?q=Rust"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    hits.to_string().contains(&format!("\"id\":{engineer}"))
}

on_both_databases!(
    an_unused_profile_goes_dormant_until_its_owner_returns_and_old_closed_applications_lose_their_words,
    async |app: &TestApp| {
        let trip = journey(app, "priya@example.in", true).await;
        assert!(found_by_employer(app, trip.engineer_id).await);
        let retention = Retention::default();
        // nothing is old yet
        assert_eq!(sweep(&app.db, retention, &app.address, Utc::now()).await.unwrap(), Swept::default());

        // 25 months on, by the test clock: the profile was saved and last used "now"
        let later = Utc::now() + Months::new(25);
        let swept = sweep(&app.db, retention, &app.address, later).await.unwrap();
        assert_eq!(swept.profiles_made_dormant, 1);
        assert_eq!(sweep(&app.db, retention, &app.address, later).await.unwrap().profiles_made_dormant, 0, "once");
        assert!(!found_by_employer(app, trip.engineer_id).await, "hidden from search");
        let asked = mail_job::Entity::find()
            .filter(mail_job::Column::Kind.eq("profile_dormant"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0].to_address, "priya@example.in");
        assert!(asked[0].body_text.contains("24"));

        // the owner signs in: found again
        let back = new_client()
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "priya@example.in", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(back.status(), StatusCode::OK);
        let profile = engineer_profile::Entity::find_by_id(trip.engineer_id).one(&app.db).await.unwrap().unwrap();
        assert_eq!(profile.dormant_since, None);
        assert!(found_by_employer(app, trip.engineer_id).await, "found again");

        // the application closes; 37 months later its words go and the counts stay
        let withdrawn = trip
            .engineer
            .post(app.url(&format!("/api/v1/applications/{}/moves", trip.application)))
            .json(&json!({"to": "candidate_withdrew", "note": "Priya: found a role nearer home"}))
            .send()
            .await
            .unwrap();
        assert_eq!(withdrawn.status(), StatusCode::OK);
        let admin = admin_client(app, "admin@programme.example").await;
        let summary = |admin: reqwest::Client| async move {
            admin.get(app.url("/api/v1/programme/summary")).send().await.unwrap().json::<Value>().await.unwrap()
        };
        let before = summary(admin.clone()).await;
        let swept = sweep(&app.db, retention, &app.address, Utc::now() + Months::new(37)).await.unwrap();
        assert_eq!(swept.applications_anonymised, 1);
        let kept = application::Entity::find_by_id(trip.application).one(&app.db).await.unwrap().unwrap();
        assert_eq!(kept.cover_note, None);
        assert!(kept.anonymised_at.is_some());
        assert_eq!(kept.closed_reason.as_deref(), Some("candidate_withdrew"));
        assert_eq!(kept.indian_state.as_deref(), Some("ka"));
        let notes: Vec<Option<String>> = application_event::Entity::find()
            .filter(application_event::Column::ApplicationId.eq(trip.application))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.note)
            .collect();
        assert!(notes.iter().all(Option::is_none), "{notes:?}");
        let after = summary(admin).await;
        for key in ["funnel", "closed", "breakdowns", "progress"] {
            assert_eq!(before[key], after[key], "{key}");
        }
        // an open application is never touched
        let open = application::ActiveModel {
            id: Set(trip.application),
            closed_reason: Set(None),
            anonymised_at: Set(None),
            cover_note: Set(Some("still open".to_owned())),
            ..Default::default()
        };
        open.update(&app.db).await.unwrap();
        sweep(&app.db, retention, &app.address, Utc::now() + Months::new(48)).await.unwrap();
        let still = application::Entity::find_by_id(trip.application).one(&app.db).await.unwrap().unwrap();
        assert_eq!(still.cover_note.as_deref(), Some("still open"));
    }
);
