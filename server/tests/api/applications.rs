//! Mobility applications over HTTP: the whole path from application to residence registration,
//! and every rule attacked — the wrong side, the wrong order, stale versions, concurrent moves,
//! strangers, unverified employers, hidden profiles, and the legal clocks.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{html_page, new_client, post_plain, valid_role, TestApp, STRONG_PASSWORD};
use crate::on_both_databases;

/// An employer with a verified organisation and one open role, and an engineer with a profile
/// on a client of their own. Returns (engineer client, role id, organisation id).
async fn employer_role_and_engineer(app: &TestApp) -> (Client, i64, i32) {
    let employer: Value = app.sign_up_employer("hr@mirai.example.jp").await;
    let organisation = employer["organisation_id"].as_i64().unwrap() as i32;
    app::organisation::server::set_verified(&app.db, None, organisation, true)
        .await
        .unwrap();
    let created = app.post_json("/api/v1/roles", &valid_role()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let role = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let engineer = engineer_client(app, "priya@example.in").await;
    (engineer, role, organisation)
}

async fn engineer_client(app: &TestApp, email: &str) -> Client {
    let client = new_client();
    let signed_up = client
        .post(app.url("/api/v1/users"))
        .json(&json!({"email": email, "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Priya Sharma"}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), StatusCode::CREATED);
    crate::helpers::verify_email_of(app, &signed_up.json().await.unwrap()).await;
    let profile = client
        .put(app.url("/api/v1/me/profile"))
        .json(&json!({
            "full_name": "Priya Sharma", "years_experience": 6, "jlpt_level": "N3",
            "indian_state": "ka", "degree": "masters", "date_of_birth": "1995-04-02",
            "skills": [{"skill": "組み込み", "years": 5}, {"skill": "Rust", "years": 3}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        profile.status(),
        StatusCode::OK,
        "{:?}",
        profile.text().await
    );
    client
}

async fn post(client: &Client, app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    let response = client.post(app.url(path)).json(&body).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(client: &Client, app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn apply(engineer: &Client, app: &TestApp, role: i64) -> i64 {
    let (status, body) = post(
        engineer,
        app,
        &format!("/api/v1/roles/{role}/applications"),
        // consenting to share contact details: the employer reads the e-mail below
        json!({"note": "I build BMS firmware in Rust.", "share_contact": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["summary"]["id"].as_i64().unwrap()
}

fn stages(detail: &Value) -> Vec<String> {
    detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["closed_reason"]
                .as_str()
                .unwrap_or(e["to_stage"].as_str().unwrap())
                .to_owned()
        })
        .collect()
}

on_both_databases!(
    the_whole_path_to_residence_registration_is_one_shared_timeline,
    async |app: &TestApp| {
        let (engineer, role, _) = employer_role_and_engineer(app).await;
        let id = apply(&engineer, app, role).await;
        let moves = format!("/api/v1/applications/{id}/moves");
        // (who moves, body)
        let path: Vec<(bool, Value)> = vec![
            (false, json!({"to": "shortlisted"})),
            (
                false,
                json!({"to": "interview", "note": "Clear on CAN bus", "details": {"interview_format": "video", "rating": 4}}),
            ),
            (
                false,
                json!({"to": "interview", "note": "Met the team", "details": {"interview_format": "onsite"}}),
            ),
            (
                false,
                json!({"to": "offer_extended", "details": {"salary_jpy": 7200000, "employment_type": "permanent", "start_date": "2027-04-01", "visa_route": "highly_skilled_professional"}}),
            ),
            (
                true,
                json!({"to": "offer_accepted"}), // takes the route the offer proposed
            ),
            (false, json!({"to": "coe_filed"})),
            (false, json!({"to": "coe_issued"})),
            (true, json!({"to": "visa_applied"})),
            (false, json!({"to": "visa_issued"})),
            (true, json!({"to": "arrived"})),
            (true, json!({"to": "resident_registered"})),
        ];
        for (by_engineer, body) in path {
            let client = if by_engineer { &engineer } else { &app.client };
            let (status, detail) = post(client, app, &moves, body.clone()).await;
            assert_eq!(status, StatusCode::OK, "{body} → {detail}");
            assert_eq!(detail["summary"]["stage"], body["to"]);
        }
        let (_, seen_by_employer) =
            get(&app.client, app, &format!("/api/v1/applications/{id}")).await;
        let (_, seen_by_engineer) =
            get(&engineer, app, &format!("/api/v1/applications/{id}")).await;
        // one shared history: both sides read the same steps, except the employer's internal
        // notes and interview ratings, which the engineer never reads
        let mut employer_view = seen_by_employer["timeline"].clone();
        for event in employer_view.as_array_mut().unwrap() {
            if event["by"] == "employer" {
                event["note"] = Value::Null;
                if let Some(interview) = event["details"].get_mut("interview") {
                    interview["rating"] = Value::Null;
                }
            }
        }
        assert_eq!(employer_view, seen_by_engineer["timeline"]);
        assert_eq!(seen_by_employer["timeline"][2]["note"], "Clear on CAN bus");
        assert_eq!(
            stages(&seen_by_engineer),
            [
                "applied",
                "shortlisted",
                "interview",
                "interview",
                "offer_extended",
                "offer_accepted",
                "coe_filed",
                "coe_issued",
                "visa_applied",
                "visa_issued",
                "arrived",
                "resident_registered"
            ]
        );
        let timeline = seen_by_engineer["timeline"].as_array().unwrap();
        assert_eq!(timeline[3]["details"]["interview_round"], 2);
        assert_eq!(timeline[2]["details"]["interview"]["rating"], Value::Null);
        assert_eq!(
            seen_by_employer["timeline"][2]["details"]["interview"]["rating"],
            4
        );
        assert_eq!(
            timeline[4]["details"]["offer"]["annual_salary_jpy"],
            7200000
        );
        assert_eq!(
            seen_by_engineer["visa_route"],
            "highly_skilled_professional"
        );
        assert_eq!(seen_by_engineer["summary"]["version"], 12);
        // both legal clocks were met
        let clocks = seen_by_engineer["summary"]["clocks"].as_array().unwrap();
        assert_eq!(clocks.len(), 2);
        assert!(
            clocks.iter().all(|c| c["state"]["state"] == "met"),
            "{clocks:?}"
        );
        // the employer sees how to reach the candidate; nothing is left to move
        assert_eq!(seen_by_employer["engineer_email"], "priya@example.in");
        assert_eq!(seen_by_employer["moves"], json!([]));

        // each side heard of the other's moves: the employer of the application and the
        // engineer's four moves, the engineer of the employer's seven
        let (_, employer_notes) = get(&app.client, app, "/api/v1/notifications").await;
        let (_, engineer_notes) = get(&engineer, app, "/api/v1/notifications").await;
        assert_eq!(employer_notes["unread"], 5);
        assert_eq!(engineer_notes["unread"], 7);
        assert_eq!(engineer_notes["notifications"][0]["to"], "visa_issued");
        let (_, unchanged) = get(&engineer, app, "/api/v1/notifications").await;
        assert_eq!(unchanged["unread"], 7, "reading is not marking read");
        let marked = engineer
            .post(app.url("/api/v1/notifications/read"))
            .send()
            .await
            .unwrap();
        assert_eq!(marked.status(), StatusCode::NO_CONTENT);
        let (_, after) = get(&engineer, app, "/api/v1/notifications").await;
        assert_eq!(after["unread"], 0);
    }
);

on_both_databases!(
    each_side_is_refused_the_others_moves_and_steps_out_of_order,
    async |app: &TestApp| {
        let (engineer, role, _) = employer_role_and_engineer(app).await;
        let id = apply(&engineer, app, role).await;
        let moves = format!("/api/v1/applications/{id}/moves");
        let (status, body) = post(&engineer, app, &moves, json!({"to": "shortlisted"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["code"], "not_your_move");
        let (status, body) = post(&app.client, app, &moves, json!({"to": "offer_extended"})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "not_next");
        let (status, body) = post(
            &app.client,
            app,
            &moves,
            json!({"to": "candidate_withdrew", "note": "x"}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = post(&app.client, app, &moves, json!({"to": "hired"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["fields"][0]["field"], "to");

        // an offer without its terms is refused field by field, in the caller's language
        for to in ["shortlisted", "interview"] {
            let details = json!({"interview_format": "phone"});
            let (status, _) = post(
                &app.client,
                app,
                &moves,
                json!({"to": to, "details": details}),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
        }
        let response = app
            .client
            .post(app.url(&moves))
            .header("accept-language", "ja")
            .json(&json!({"to": "offer_extended", "details": {"salary_jpy": 500, "start_date": "someday"}}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = response.json().await.unwrap();
        let fields = crate::helpers::error_fields(&body);
        assert_eq!(fields, ["salary_jpy", "employment_type", "start_date"]);
        assert!(body["error"]["fields"][2]["message"]
            .as_str()
            .unwrap()
            .contains("YYYY-MM-DD"));
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| c > '\u{3000}'));

        // a withdrawal needs a reason; with one, the application closes and nothing moves again
        let (status, _) = post(&engineer, app, &moves, json!({"to": "candidate_withdrew"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, detail) = post(
            &engineer,
            app,
            &moves,
            json!({"to": "candidate_withdrew", "note": "Another offer"}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(detail["summary"]["closed_reason"], "candidate_withdrew");
        assert_eq!(detail["summary"]["stage"], "interview");
        let (status, body) = post(&app.client, app, &moves, json!({"to": "offer_extended", "details": {"salary_jpy": 7000000, "employment_type": "permanent", "start_date": "2027-04-01"}})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "finished");
    }
);

on_both_databases!(
    a_stale_version_is_refused_and_a_double_submitted_move_happens_once,
    async |app: &TestApp| {
        let (engineer, role, _) = employer_role_and_engineer(app).await;
        let id = apply(&engineer, app, role).await;
        let moves = format!("/api/v1/applications/{id}/moves");
        let shortlist = json!({"to": "shortlisted", "note": "Strong CV", "version": 1});
        let (first, _) = post(&app.client, app, &moves, shortlist.clone()).await;
        let (second, detail) = post(&app.client, app, &moves, shortlist).await;
        assert_eq!((first, second), (StatusCode::OK, StatusCode::OK));
        assert_eq!(stages(&detail), ["applied", "shortlisted"]);
        assert_eq!(detail["summary"]["version"], 2);
        // a different move made from the old version is not applied on top of the new state
        let (status, body) = post(
            &app.client,
            app,
            &moves,
            json!({"to": "rejected_by_employer", "version": 1}),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "changed_meanwhile");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("changed"));
    }
);

on_both_databases!(
    of_two_moves_made_at_once_from_the_same_version_exactly_one_wins,
    async |app: &TestApp| {
        let (engineer, role, _) = employer_role_and_engineer(app).await;
        for round in 0..3 {
            let other = engineer_client(app, &format!("racer{round}@example.in")).await;
            let id = apply(&other, app, role).await;
            let moves = format!("/api/v1/applications/{id}/moves");
            let (a, b) = tokio::join!(
                post(
                    &app.client,
                    app,
                    &moves,
                    json!({"to": "screening", "version": 1})
                ),
                post(
                    &app.client,
                    app,
                    &moves,
                    json!({"to": "rejected_by_employer", "version": 1})
                ),
            );
            let mut statuses = [a.0, b.0];
            statuses.sort();
            assert_eq!(
                statuses,
                [StatusCode::OK, StatusCode::CONFLICT],
                "{a:?} {b:?}"
            );
            let (_, detail) = get(&app.client, app, &format!("/api/v1/applications/{id}")).await;
            assert_eq!(detail["timeline"].as_array().unwrap().len(), 2);
            assert_eq!(detail["summary"]["version"], 2);
        }
        drop(engineer);
    }
);

on_both_databases!(
    strangers_cannot_see_or_move_an_application_and_administrators_only_observe,
    async |app: &TestApp| {
        let (engineer, role, _) = employer_role_and_engineer(app).await;
        let id = apply(&engineer, app, role).await;
        let one = format!("/api/v1/applications/{id}");
        let moves = format!("{one}/moves");

        let visitor = new_client();
        assert_eq!(get(&visitor, app, &one).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(
            get(&visitor, app, "/api/v1/applications").await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            post(&visitor, app, &moves, json!({"to": "shortlisted"}))
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );

        let other_engineer = engineer_client(app, "other@example.in").await;
        assert_eq!(
            get(&other_engineer, app, &one).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            post(
                &other_engineer,
                app,
                &moves,
                json!({"to": "candidate_withdrew", "note": "ha"})
            )
            .await
            .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&other_engineer, app, "/api/v1/applications").await.1,
            json!([])
        );

        let rival = new_client();
        let signed_up = rival
            .post(app.url("/api/v1/users"))
            .json(&json!({
                "email": "rival@example.jp", "password": STRONG_PASSWORD, "role": "employer", "display_name": "Rival",
                "organisation": {"name_en": "Rival K.K.", "prefecture": "tokyo", "sector": "software", "size": "small"}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_up.status(), StatusCode::CREATED);
        assert_eq!(get(&rival, app, &one).await.0, StatusCode::NOT_FOUND);
        assert_eq!(
            post(&rival, app, &moves, json!({"to": "shortlisted"}))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(get(&rival, app, "/api/v1/applications").await.1, json!([]));
        let (status, _) = post(
            &rival,
            app,
            &format!("/api/v1/roles/{role}/invitations"),
            json!({"engineer_id": 1}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        app::auth::server::create_admin(
            &app.db,
            "admin@setubashi.example",
            STRONG_PASSWORD,
            "Admin",
        )
        .await
        .unwrap();
        let admin = new_client();
        let logged_in = admin
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "admin@setubashi.example", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(logged_in.status(), StatusCode::OK);
        let (status, detail) = get(&admin, app, &one).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(detail["moves"], json!([]));
        assert_eq!(
            post(&admin, app, &moves, json!({"to": "shortlisted"}))
                .await
                .0,
            StatusCode::FORBIDDEN
        );

        // nothing any stranger tried changed the application
        let (_, unchanged) = get(&engineer, app, &one).await;
        assert_eq!(stages(&unchanged), ["applied"]);
    }
);

on_both_databases!(
    only_published_roles_take_applications_and_hidden_profiles_cannot_be_invited,
    async |app: &TestApp| {
        let employer: Value = app.sign_up_employer("hr@kumamoto.example.jp").await;
        let organisation = employer["organisation_id"].as_i64().unwrap() as i32;
        let role = app
            .post_json("/api/v1/roles", &valid_role())
            .await
            .json::<Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let engineer = engineer_client(app, "asha@example.in").await;
        let apply_path = format!("/api/v1/roles/{role}/applications");
        // an unverified employer's role is not published: it does not exist for engineers
        let (status, _) = post(&engineer, app, &apply_path, json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let me: Value = get(&engineer, app, "/api/v1/me").await.1;
        let engineer_id = me["id"].as_i64().unwrap();
        let invite = format!("/api/v1/roles/{role}/invitations");
        let (status, _) = post(
            &app.client,
            app,
            &invite,
            json!({"engineer_id": engineer_id}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        app::organisation::server::set_verified(&app.db, None, organisation, true)
            .await
            .unwrap();
        // a hidden profile cannot be invited; a searchable one can, once
        use sea_orm::{ActiveModelTrait, Set};
        let hidden = app::db::entities::engineer_profile::ActiveModel {
            user_id: Set(engineer_id as i32),
            searchable: Set(false),
            ..Default::default()
        };
        hidden.update(&app.db).await.unwrap();
        let (status, _) = post(
            &app.client,
            app,
            &invite,
            json!({"engineer_id": engineer_id}),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let visible = app::db::entities::engineer_profile::ActiveModel {
            user_id: Set(engineer_id as i32),
            searchable: Set(true),
            ..Default::default()
        };
        visible.update(&app.db).await.unwrap();
        let (status, _) = post(
            &app.client,
            app,
            &invite,
            json!({"engineer_id": engineer_id, "message": "We would love to meet you"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, body) = post(
            &app.client,
            app,
            &invite,
            json!({"engineer_id": engineer_id}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("already_invited"))
        );
        let (_, notes) = get(&engineer, app, "/api/v1/notifications").await;
        assert_eq!(notes["notifications"][0]["kind"], "invited");
        assert_eq!(
            notes["notifications"][0]["message"],
            "We would love to meet you"
        );

        // applying after the invitation is marked as such; applying twice is refused
        let (status, detail) = post(&engineer, app, &apply_path, json!({})).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(detail["summary"]["invited"], true);
        let (status, body) = post(&engineer, app, &apply_path, json!({})).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("already_applied"))
        );

        // a closed role takes no more applications; an engineer without a profile none at all
        let mut closed = valid_role();
        closed["is_open"] = json!(false);
        let closed_role = app
            .post_json("/api/v1/roles", &closed)
            .await
            .json::<Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (status, body) = post(
            &engineer,
            app,
            &format!("/api/v1/roles/{closed_role}/applications"),
            json!({}),
        )
        .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("role_not_open"))
        );
        let newcomer = new_client();
        let signed_up = newcomer
            .post(app.url("/api/v1/users"))
            .json(&json!({"email": "new@example.in", "password": STRONG_PASSWORD, "role": "engineer", "display_name": "New"}))
            .send()
            .await
            .unwrap();
        crate::helpers::verify_email_of(app, &signed_up.json().await.unwrap()).await;
        let (status, body) = post(&newcomer, app, &apply_path, json!({})).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::CONFLICT, Some("profile_needed"))
        );
        let (status, _) = post(&app.client, app, &apply_path, json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "employers do not apply");
    }
);

on_both_databases!(
    the_certificate_clock_warns_and_refuses_an_entry_after_it_expired,
    async |app: &TestApp| {
        let (engineer, role, _) = employer_role_and_engineer(app).await;
        let id = apply(&engineer, app, role).await;
        // an application whose certificate was issued 80 days ago, visa in hand
        let today = domain::time::japan_date(chrono::Utc::now());
        let issued = today - chrono::Days::new(80);
        use sea_orm::{ActiveModelTrait, Set};
        app::db::entities::application::ActiveModel {
            id: Set(id as i32),
            stage: Set("visa_issued".to_owned()),
            coe_issued_on: Set(Some(issued)),
            visa_issued_on: Set(Some(issued)),
            ..Default::default()
        }
        .update(&app.db)
        .await
        .unwrap();
        let (_, detail) = get(&engineer, app, &format!("/api/v1/applications/{id}")).await;
        let clock = &detail["summary"]["clocks"][0];
        let due = domain::pipeline::coe_expires_on(issued);
        let left = (due - today).num_days();
        assert_eq!(clock["kind"], "coe_validity");
        assert_eq!(clock["due"], due.to_string());
        assert_eq!(clock["state"]["state"], "warning");
        assert_eq!(clock["state"]["days_left"], left);
        assert_eq!(clock["state"]["window"], 14);

        // an entry dated after the expiry is refused; one inside it is accepted
        app::db::entities::application::ActiveModel {
            id: Set(id as i32),
            coe_issued_on: Set(Some(today - chrono::Days::new(100))),
            ..Default::default()
        }
        .update(&app.db)
        .await
        .unwrap();
        let moves = format!("/api/v1/applications/{id}/moves");
        let (status, body) = post(&engineer, app, &moves, json!({"to": "arrived"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["fields"][0]["problem"], "after_coe_expiry");
        let (_, detail) = get(&engineer, app, &format!("/api/v1/applications/{id}")).await;
        assert_eq!(detail["summary"]["clocks"][0]["state"]["state"], "overdue");
    }
);

on_both_databases!(
    the_journey_pages_render_for_their_users_and_refuse_everyone_else,
    async |app: &TestApp| {
        let (engineer, role, _) = employer_role_and_engineer(app).await;
        let id = apply(&engineer, app, role).await;
        let html = |client: &Client, path: String| {
            let request = client.get(app.url(&path)).header("accept", "text/html");
            async move {
                let response = request.send().await.unwrap();
                (response.status(), response.text().await.unwrap())
            }
        };
        for path in [
            "/dashboard".to_owned(),
            "/applications".to_owned(),
            format!("/applications/{id}"),
            format!("/jobs/{role}"),
            "/jobs?q=組み込み".to_owned(),
            "/notifications".to_owned(),
            "/searches".to_owned(),
        ] {
            let (status, body) = html(&engineer, path.clone()).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(
                body.contains("Embedded engineer")
                    || path == "/notifications"
                    || path == "/searches",
                "{path}"
            );
        }
        let (_, page) = html(&engineer, format!("/applications/{id}")).await;
        assert!(
            page.contains("id=\"messages-heading\"") && page.contains("id=\"interviews-heading\""),
            "the application page holds its thread and its interviews"
        );
        let (_, page) = html(&engineer, format!("/applications/{id}")).await;
        assert!(
            page.contains("candidate_withdrew"),
            "the engineer is offered a withdrawal"
        );
        assert!(
            !page.contains("value=\"shortlisted\""),
            "but not the employer's moves"
        );
        for path in [
            format!("/roles/{role}/pipeline"),
            format!("/roles/{role}/candidates"),
            format!("/applications/{id}"),
            "/applications".to_owned(),
        ] {
            let (status, _) = html(&app.client, path.clone()).await;
            assert_eq!(status, StatusCode::OK, "{path}");
        }
        let (_, board) = html(&app.client, format!("/roles/{role}/pipeline")).await;
        assert!(board.contains("Priya Sharma"));

        let visitor = new_client();
        for path in [
            "/dashboard".to_owned(),
            "/applications".to_owned(),
            format!("/applications/{id}"),
            format!("/roles/{role}/pipeline"),
        ] {
            assert_eq!(
                html(&visitor, path.clone()).await.0,
                StatusCode::UNAUTHORIZED,
                "{path}"
            );
        }
        // roles are public; the pipeline and candidates are the organisation's
        assert_eq!(
            html(&visitor, format!("/jobs/{role}")).await.0,
            StatusCode::OK
        );
        for path in [
            format!("/roles/{role}/pipeline"),
            format!("/roles/{role}/candidates"),
        ] {
            assert_eq!(
                html(&engineer, path.clone()).await.0,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        let stranger = engineer_client(app, "stranger@example.in").await;
        assert_eq!(
            html(&stranger, format!("/applications/{id}")).await.0,
            StatusCode::NOT_FOUND
        );
    }
);

on_both_databases!(
    a_move_posted_without_javascript_moves_or_returns_with_the_reasons_and_what_was_typed,
    async |app: &TestApp| {
        let (engineer, role, _) = employer_role_and_engineer(app).await;
        let id = apply(&engineer, app, role).await.to_string();
        let page = format!("/applications/{id}");
        // a browser before the wasm loads: plain form posts that accept HTML
        let post = |form: Vec<(&'static str, &'static str)>| {
            let request = app
                .client
                .post(app.url("/api/move_application"))
                .header("accept", "text/html")
                .header("referer", app.url(&page))
                .form(
                    &[("id", id.as_str()), ("version", "1")]
                        .into_iter()
                        .chain(form)
                        .collect::<Vec<_>>(),
                );
            async move { request.send().await.unwrap() }
        };
        let moved = post(vec![
            ("draft[to]", "shortlisted"),
            ("draft[note]", "Strong CV"),
        ])
        .await;
        assert_eq!(moved.status(), StatusCode::FOUND);
        assert!(moved.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with(&page));
        let html = app
            .client
            .get(app.url(&page))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("data-stage=\"shortlisted\""),
            "the move was made"
        );

        // a refused one: back to the page, the reason beside the field, the typed note kept
        let refused = post(vec![
            ("draft[to]", "rejected_by_employer"),
            ("draft[note]", "Typed before the page went stale"),
        ])
        .await;
        assert_eq!(refused.status(), StatusCode::FOUND);
        let html = app
            .client
            .get(app.url(&page))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(&app::i18n::t(
            domain::language::UiLanguage::En,
            "errors.changed_meanwhile"
        )));
        assert!(html.contains("Typed before the page went stale"));
        assert!(
            html.contains("data-stage=\"shortlisted\""),
            "nothing changed"
        );
    }
);

on_both_databases!(
    role_search_filters_sort_and_explains_for_the_engineer,
    async |app: &TestApp| {
        let (engineer, first, _) = employer_role_and_engineer(app).await;
        let mut strict = valid_role();
        strict["title_en"] = json!("Verification engineer (UVM)");
        strict["min_jlpt"] = json!("N1");
        strict["apply_from_abroad"] = json!(false);
        strict["prefecture"] = json!("tokyo");
        let second = app
            .post_json("/api/v1/roles", &strict)
            .await
            .json::<Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let search = |form: Vec<(&'static str, &'static str)>| {
            let request = engineer
                .post(app.url("/api/search_jobs"))
                .header("accept", "application/json")
                .form(&form);
            async move {
                let response = request.send().await.unwrap();
                let status = response.status();
                (
                    status,
                    response.json::<Value>().await.unwrap_or(Value::Null),
                )
            }
        };
        let ids = |body: &Value| -> Vec<i64> {
            body["cards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_i64().unwrap())
                .collect()
        };
        // newest first when sorted by date; both published roles are found without words
        let (status, all) = search(vec![("query[sort]", "date")]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ids(&all), [second, first]);
        assert_eq!(all["total"], 2);
        assert!(
            all["cards"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["fit"].is_object()),
            "sorted by date, each card still explains the fit"
        );
        // the engineer holds N3: "at or below my level" leaves out the N1 role
        let (_, mine) = search(vec![("query[jlpt]", "mine")]).await;
        assert_eq!(ids(&mine), [first]);
        let (_, abroad) = search(vec![("query[abroad]", "on")]).await;
        assert_eq!(ids(&abroad), [first]);
        let (_, tokyo) = search(vec![("query[prefecture]", "tokyo")]).await;
        assert_eq!(ids(&tokyo), [second]);
        // words in Japanese find it through the skills, each card with the engineer's fit
        let (_, words) = search(vec![
            ("query[q]", "組み込み"),
            ("query[prefecture]", "aichi"),
        ])
        .await;
        assert_eq!(ids(&words), [first]);
        let fit = &words["cards"][0]["fit"];
        assert!(fit["score"].as_f64().unwrap() > 0.0);
        assert!(!fit["matched"].as_array().unwrap().is_empty());
        // filters that cannot be read are left out and reported field by field; the results
        // stay (a mistyped salary does not empty the page)
        let (status, body) =
            search(vec![("query[jlpt]", "N9"), ("query[salary_min]", "lots")]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let ignored: Vec<(&str, &str)> = body["ignored"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|f| (f["field"].as_str().unwrap(), f["problem"].as_str().unwrap()))
            .collect();
        assert_eq!(
            ignored,
            [("jlpt", "not_allowed"), ("salary_min", "not_an_amount")]
        );
        assert_eq!(ids(&body).len(), 2, "{body}");
        // a salary as Japanese writes it is read, and filters
        let (_, man) = search(vec![("query[salary_min]", "750万円")]).await;
        assert!(man["ignored"].as_array().unwrap().is_empty(), "{man}");
        let (_, too_high) = search(vec![("query[salary_min]", "1億")]).await;
        assert_eq!(ids(&too_high), Vec::<i64>::new(), "{too_high}");
        // a skill the taxonomy does not know is not dropped: searched for as a word, and said
        let (status, free) =
            search(vec![("query[skills]", "Rust, underwater basketweaving")]).await;
        assert_eq!(status, StatusCode::OK, "{free}");
        assert_eq!(free["ignored"][0]["field"], "skills[1]", "{free}");
        assert_eq!(free["ignored"][0]["problem"], "searched_as_text", "{free}");
        // a phrase naming one skill is that skill
        let (_, phrase) = search(vec![("query[skills]", "Rust (programming language)")]).await;
        assert!(phrase["ignored"].as_array().unwrap().is_empty(), "{phrase}");
    }
);

on_both_databases!(
    notifications_are_paged_newest_first_and_each_page_stays_put_when_new_ones_arrive,
    async |app: &TestApp| {
        use app::db::entities::notification;
        use sea_orm::{EntityTrait, Set};
        // signing up leaves app.client signed in as the last one: `me`
        let other = app.sign_up_engineer("other@example.in").await;
        let me = app.sign_up_engineer("many@example.in").await;
        let me_id = me["id"].as_i64().unwrap() as i32;
        let row = |user_id: i32, n: usize| notification::ActiveModel {
            user_id: Set(user_id),
            kind: Set("invited".into()),
            application_id: Set(None),
            role_id: Set(None),
            detail: Set(json!({ "n": n }).to_string()),
            created_at: Set(chrono::Utc::now()),
            read_at: Set(None),
            mailed: Set(true),
            ..Default::default()
        };
        notification::Entity::insert_many((0..60).map(|n| row(me_id, n)))
            .exec(&app.db)
            .await
            .unwrap();
        notification::Entity::insert_many(
            (0..5).map(|n| row(other["id"].as_i64().unwrap() as i32, n)),
        )
        .exec(&app.db)
        .await
        .unwrap();

        let (status, first) = get(&app.client, app, "/api/v1/notifications").await;
        assert_eq!(status, StatusCode::OK);
        let ids = |page: &Value| -> Vec<i64> {
            page["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["id"].as_i64().unwrap())
                .collect()
        };
        let first_ids = ids(&first);
        assert_eq!(first_ids.len(), 50);
        assert!(first_ids.windows(2).all(|w| w[0] > w[1]), "newest first");
        let next = first["next_before"].as_i64().expect("a next page");
        assert_eq!(next, *first_ids.last().unwrap());
        // a new one arriving does not shift the second page
        notification::Entity::insert(row(me_id, 99))
            .exec(&app.db)
            .await
            .unwrap();
        let (_, second) = get(
            &app.client,
            app,
            &format!("/api/v1/notifications?before={next}"),
        )
        .await;
        let second_ids = ids(&second);
        assert_eq!(second_ids.len(), 10);
        assert!(second_ids.iter().all(|id| *id < next));
        assert_eq!(second["next_before"], Value::Null);
        let (status, _) = get(&app.client, app, "/api/v1/notifications?before=soon").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
);

on_both_databases!(
    a_plain_form_post_comes_back_to_its_page_with_its_outcome_once,
    async |app: &TestApp| {
        let (engineer, role, _) = employer_role_and_engineer(app).await;
        let id = apply(&engineer, app, role).await.to_string();
        let role = role.to_string();
        let board = format!("/roles/{role}/pipeline");
        let tick = format!("ids[{id}]");
        // the board's bulk form (and its drag and drop, which sends it): what the move did
        // shows on the board it came back to
        let bulk = [
            ("role_id", role.as_str()),
            (tick.as_str(), id.as_str()),
            ("to", "shortlisted"),
            ("note", ""),
        ];
        let back = post_plain(&app.client, app, "/api/move_applications", &board, &bulk).await;
        let page = html_page(&app.client, app, &back).await;
        assert!(
            page.contains("1 application moved."),
            "the outcome is shown"
        );
        let again = html_page(&app.client, app, &board).await;
        assert!(!again.contains("application moved"), "once");
        // sent again: refused, with the reason, on the board
        let back = post_plain(&app.client, app, "/api/move_applications", &board, &bulk).await;
        let page = html_page(&app.client, app, &back).await;
        assert!(page.contains("0 applications moved."), "nothing moved");
        assert!(page.contains(&format!("#{id}: ")), "the refusal names it");

        // a saved form says so on its page
        let organisation = [
            ("draft[name_ja]", "みらい半導体株式会社"),
            ("draft[name_en]", "Mirai Semiconductor K.K."),
            ("draft[prefecture]", "kumamoto"),
            ("draft[sector]", "semiconductors"),
            ("draft[size]", "large"),
        ];
        let back = post_plain(
            &app.client,
            app,
            "/api/save_organisation",
            "/organisation",
            &organisation,
        )
        .await;
        let page = html_page(&app.client, app, &back).await;
        assert!(page.contains("Your organisation is saved."), "confirmed");
        assert!(!html_page(&app.client, app, "/organisation")
            .await
            .contains("Your organisation is saved."));

        // a form that shows its own refusal (from leptos' error in the address): shown there,
        // open, and not a second time at the top
        let unnamed = [
            ("draft[name]", ""),
            ("draft[kind]", "roles"),
            ("draft[query]", "q=rust"),
            ("draft[frequency]", "weekly"),
            ("draft[min_score]", ""),
        ];
        let back = post_plain(&engineer, app, "/api/save_search", "/jobs", &unnamed).await;
        let page = html_page(&engineer, app, &back).await;
        let form = page
            .split("<details")
            .find(|d| d.contains("save-search"))
            .map(|d| d.split("</details>").next().unwrap_or_default().to_owned());
        assert!(
            form.as_deref()
                .is_some_and(|f| f.starts_with(" open class=\"save-search\"")),
            "opened: {form:?} in {page}"
        );
        assert_eq!(page.matches("role=\"alert\"").count(), 1, "shown once");
        assert!(!page.contains("kept-failure"));

        // a form whose page has no place for its error: at the top of the page it came back to
        let gone = [("id", "987654")];
        let back = post_plain(
            &engineer,
            app,
            "/api/delete_saved_search",
            "/searches",
            &gone,
        )
        .await;
        assert!(
            !html_page(&app.client, app, "/organisation")
                .await
                .contains("kept-failure"),
            "only to whoever sent it"
        );
        let page = html_page(&engineer, app, &back).await;
        assert!(page.contains("kept-failure"), "the refusal is shown");
        assert!(!html_page(&engineer, app, "/searches")
            .await
            .contains("kept-failure"));
    }
);
