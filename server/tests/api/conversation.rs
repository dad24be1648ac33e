//! Talking across the programme: an application's message thread (only its two sides; anyone
//! else is told it does not exist; an administrator reads through the audited view and never
//! writes), PDF attachments checked by their bytes, read receipts; interviews proposed in JST,
//! read in IST, picked once, with an `.ics` that parses back; saved searches whose new results
//! show at once and whose digest is left exactly once by concurrent sweeps.

use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    admin_client, engineer_with, get_json, journey, new_client, verify_email_of,
    verify_organisation_of, TestApp, STRONG_PASSWORD,
};
use crate::on_both_databases;

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";

/// An employer of another verified organisation, on a client of their own.
async fn other_employer(app: &TestApp) -> Client {
    let client = new_client();
    let response = client
        .post(app.url("/api/v1/users"))
        .json(&json!({
            "email": "hr@other.example.jp", "password": STRONG_PASSWORD, "role": "employer", "display_name": "Sato Ken",
            "organisation": {"name_ja": "ほかの株式会社", "prefecture": "tokyo", "sector": "software", "size": "small"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: Value = response.json().await.unwrap();
    verify_email_of(app, &user).await;
    verify_organisation_of(app, &user).await;
    client
}

async fn post(client: &Client, app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    let response = client.post(app.url(path)).json(&body).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn status_of_get(client: &Client, app: &TestApp, path: &str) -> StatusCode {
    client.get(app.url(path)).send().await.unwrap().status()
}

async fn send_file(
    client: &Client,
    app: &TestApp,
    path: &str,
    text: &str,
    name: &str,
    mime: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let form = Form::new().text("body", text.to_owned()).part(
        "attachment",
        Part::bytes(bytes.to_vec())
            .file_name(name.to_owned())
            .mime_str(mime)
            .unwrap(),
    );
    let response = client
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

on_both_databases!(
    only_the_two_sides_of_an_application_talk,
    async |app: &TestApp| {
        let j = journey(app, "talk@example.in", false).await;
        let thread = format!("/api/v1/applications/{}/messages", j.application);
        let employer = &app.client;

        // the engineer writes in Hindi; the language is detected and kept
        let (status, sent) = post(
            &j.engineer,
            app,
            &thread,
            json!({ "body": "नमस्ते, मैं अगले सप्ताह साक्षात्कार के लिए उपलब्ध हूँ।" }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{sent}");
        assert_eq!(sent["language"], "hi");
        assert_eq!(sent["mine"], true);
        assert!(sent["read_at"].is_null());

        // the employer reads it: the read receipt reaches the engineer
        let seen = get_json(employer, app, &thread).await;
        assert_eq!(seen["messages"].as_array().unwrap().len(), 1);
        assert_eq!(seen["messages"][0]["mine"], false);
        assert_eq!(seen["messages"][0]["from_party"], "engineer");
        assert_eq!(seen["can_write"], true);
        let mine = get_json(&j.engineer, app, &thread).await;
        assert!(mine["messages"][0]["read_at"].is_string(), "{mine}");

        // the employer answers in Japanese with a PDF; the engineer is notified and downloads it
        let (status, with_file) = send_file(
            employer,
            app,
            &thread,
            "面接の候補日をお送りします。",
            "候補日.pdf",
            "application/pdf",
            PDF,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{with_file}");
        assert_eq!(with_file["language"], "ja");
        assert_eq!(with_file["attachment_name"], "候補日.pdf");
        let file = format!("{thread}/{}/attachment", with_file["id"]);
        let download = j.engineer.get(app.url(&file)).send().await.unwrap();
        assert_eq!(download.status(), StatusCode::OK);
        assert_eq!(download.headers()["content-type"], "application/pdf");
        assert!(download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''%E5%80%99"));
        assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
        let notes = get_json(&j.engineer, app, "/api/v1/notifications").await;
        assert!(
            notes.to_string().contains("message_received"),
            "the engineer hears of the message: {notes}"
        );

        // a page that is not a PDF, whatever it is called or declared as, is refused and kept
        // nowhere
        let (status, refused) = send_file(
            employer,
            app,
            &thread,
            "",
            "cv.pdf",
            "application/pdf",
            b"<html><script>alert(1)</script>",
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["error"]["fields"][0]["field"], "attachment");
        assert_eq!(refused["error"]["fields"][0]["problem"], "not_a_pdf");
        let (status, _) = post(&j.engineer, app, &thread, json!({ "body": "  " })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        // anyone else: the application does not exist for them
        let stranger = other_employer(app).await;
        let (other_engineer, _) = engineer_with(
            app,
            "other@example.in",
            json!({"full_name": "Arjun Nair", "years_experience": 2, "degree": "bachelors", "skills": []}),
        )
        .await;
        for outsider in [&stranger, &other_engineer] {
            assert_eq!(
                status_of_get(outsider, app, &thread).await,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                status_of_get(outsider, app, &file).await,
                StatusCode::NOT_FOUND
            );
            let (status, _) = post(outsider, app, &thread, json!({ "body": "hello" })).await;
            assert_eq!(status, StatusCode::NOT_FOUND);
        }

        // an administrator reads through the audited view, and never writes
        let admin = admin_client(app, "admin@setubashi.example").await;
        let read = get_json(&admin, app, &thread).await;
        assert_eq!(read["messages"].as_array().unwrap().len(), 2);
        assert_eq!(read["can_write"], false);
        let (status, _) = post(&admin, app, &thread, json!({ "body": "hello" })).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        use app::db::entities::audit_log;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("admin.read_messages"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(audited, 1);
    }
);

on_both_databases!(
    an_interview_proposed_in_japan_time_is_read_in_india_time_and_picked_once,
    async |app: &TestApp| {
        let j = journey(app, "interview@example.in", false).await;
        let employer = &app.client;
        let list = format!("/api/v1/applications/{}/interviews", j.application);
        // two times ten days ahead, at 10:00 and 15:00 in Tokyo
        let day = (chrono::Utc::now() + chrono::Duration::days(10)).date_naive();
        let slots = [format!("{day}T10:00"), format!("{day}T15:00")];
        // the engineer may not propose; bad times are named
        let (status, _) = post(
            &j.engineer,
            app,
            &list,
            json!({"slots": slots, "minutes": 60, "format": "video"}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, refused) = post(
            employer,
            app,
            &list,
            json!({"slots": ["2020-01-01T10:00"], "minutes": 60, "format": "video"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["error"]["fields"][0]["problem"], "slot_in_past");
        let (status, created) = post(
            employer,
            app,
            &list,
            json!({"slots": slots, "minutes": 60, "format": "video", "place": "https://meet.example.jp/x"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_i64().unwrap();

        // the engineer reads 10:00 JST as 06:30 IST; the employer reads it in JST
        let seen = get_json(&j.engineer, app, &list).await;
        let interview = &seen["interviews"][0];
        assert_eq!(interview["status"], "proposed");
        assert_eq!(interview["can_pick"], true);
        assert_eq!(
            interview["slots"][0]["label"],
            format!("{day} 06:30 IST (10:00 JST)")
        );
        assert_eq!(
            interview["slots"][1]["label"],
            format!("{day} 11:30 IST (15:00 JST)")
        );
        let theirs = get_json(employer, app, &list).await;
        assert_eq!(
            theirs["interviews"][0]["slots"][0]["label"],
            format!("{day} 10:00 JST (06:30 IST)")
        );
        assert_eq!(theirs["interviews"][0]["can_pick"], false);

        // the employer may not pick; a stale version is refused; the engineer picks once
        let slot = interview["slots"][0]["id"].as_i64().unwrap();
        let version = interview["version"].as_i64().unwrap();
        let pick = format!("/api/v1/interviews/{id}/pick");
        let (status, _) = post(
            employer,
            app,
            &pick,
            json!({"slot_id": slot, "version": version}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = post(
            &j.engineer,
            app,
            &pick,
            json!({"slot_id": slot, "version": version + 5}),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, body) = post(
            &j.engineer,
            app,
            &pick,
            json!({"slot_id": slot, "version": version}),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (status, _) = post(
            &j.engineer,
            app,
            &pick,
            json!({"slot_id": slot, "version": version + 1}),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "a second pick finds it scheduled"
        );

        // both download the invitation, which parses back with the crate that wrote it
        for client in [employer, &j.engineer] {
            let response = client
                .get(app.url(&format!("/api/v1/interviews/{id}/invitation.ics")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            let text = response.text().await.unwrap();
            let calendar: icalendar::Calendar = text.parse().unwrap();
            let event = calendar
                .components
                .iter()
                .find_map(|c| match c {
                    icalendar::CalendarComponent::Event(e) => Some(e.clone()),
                    _ => None,
                })
                .expect("one event");
            use icalendar::{Component, EventLike};
            let start = day.and_hms_opt(1, 0, 0).unwrap().and_utc();
            assert_eq!(
                event.get_start(),
                Some(icalendar::DatePerhapsTime::DateTime(
                    icalendar::CalendarDateTime::Utc(start)
                ))
            );
            assert_eq!(event.get_location(), Some("https://meet.example.jp/x"));
            assert!(event.get_summary().unwrap().contains("Priya Sharma"));
        }
        // each side's e-mail about it carries the same invitation
        app::mail::notices::send_notices(&app.db, "http://localhost")
            .await
            .unwrap();
        use app::db::entities::mail_job;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let invitations = mail_job::Entity::find()
            .filter(mail_job::Column::Kind.eq("notice_interview_scheduled"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(invitations.len(), 2, "the engineer and the one employer");
        assert!(invitations.iter().all(|m| m
            .attachment_body
            .as_deref()
            .is_some_and(|b| b.contains("BEGIN:VEVENT"))));

        // an outsider cannot see it; cancelling needs a reason and happens once
        let stranger = other_employer(app).await;
        assert_eq!(
            status_of_get(&stranger, app, &list).await,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            status_of_get(
                &stranger,
                app,
                &format!("/api/v1/interviews/{id}/invitation.ics")
            )
            .await,
            StatusCode::NOT_FOUND
        );
        let cancel = format!("/api/v1/interviews/{id}/cancel");
        let (status, _) = post(&stranger, app, &cancel, json!({"reason": "x"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = post(&j.engineer, app, &cancel, json!({"reason": ""})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = post(
            &j.engineer,
            app,
            &cancel,
            json!({"reason": "体調不良のため"}),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = post(employer, app, &cancel, json!({"reason": "again"})).await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
);

on_both_databases!(
    the_reminder_a_day_before_goes_once_across_instances,
    async |app: &TestApp| {
        let j = journey(app, "remind@example.in", false).await;
        let list = format!("/api/v1/applications/{}/interviews", j.application);
        let day = (chrono::Utc::now() + chrono::Duration::days(3)).date_naive();
        let (status, created) = post(
            &app.client,
            app,
            &list,
            json!({"slots": [format!("{day}T10:00")], "minutes": 45, "format": "phone"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let seen = get_json(&j.engineer, app, &list).await;
        let slot = seen["interviews"][0]["slots"][0]["id"].as_i64().unwrap();
        let (status, _) = post(
            &j.engineer,
            app,
            &format!("/api/v1/interviews/{}/pick", created["id"]),
            json!({"slot_id": slot, "version": 1}),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let starts = day.and_hms_opt(1, 0, 0).unwrap().and_utc();
        use app::interviews::reminders::send_interview_reminders;
        // two days before: nothing; a day before, two instances at once: one reminder
        assert_eq!(
            send_interview_reminders(&app.db, starts - chrono::Duration::hours(48))
                .await
                .unwrap(),
            0
        );
        let at = starts - chrono::Duration::hours(23);
        let (a, b) = tokio::join!(
            send_interview_reminders(&app.db, at),
            send_interview_reminders(&app.db, at)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert_eq!(send_interview_reminders(&app.db, at).await.unwrap(), 0);
        use app::db::entities::notification;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        let reminders = notification::Entity::find()
            .filter(notification::Column::Kind.eq("interview_reminder"))
            .count(&app.db)
            .await
            .unwrap();
        assert_eq!(reminders, 2, "the engineer and the employer");
    }
);

on_both_databases!(
    a_saved_talent_search_shows_a_new_engineer_and_digests_once,
    async |app: &TestApp| {
        let employer = app.sign_up_employer("hr@saved.example.jp").await;
        verify_organisation_of(app, &employer).await;
        let (status, saved) = post(
            &app.client,
            app,
            "/api/v1/saved-searches",
            json!({"name": "Rust in Karnataka", "kind": "talent", "query": "skills=Rust&state=ka&page=2", "frequency": "daily"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{saved}");
        let id = saved["id"].as_i64().unwrap();
        // an engineer may not keep a talent search; another person's is not found
        let (engineer, _) = engineer_with(app, "saver@example.in", json!({"full_name": "Saver", "years_experience": 1, "degree": "bachelors", "skills": []})).await;
        let (status, _) = post(
            &engineer,
            app,
            "/api/v1/saved-searches",
            json!({"name": "x", "kind": "talent", "query": "", "frequency": "daily"}),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            status_of_get(&engineer, app, &format!("/api/v1/saved-searches/{id}")).await,
            StatusCode::NOT_FOUND
        );

        let before = get_json(&app.client, app, &format!("/api/v1/saved-searches/{id}")).await;
        assert_eq!(before["new_count"], 0);
        assert_eq!(before["query"], "skills=Rust&state=ka");
        // a new Rust engineer in Karnataka, and one in Kerala who does not match
        for (email, name, state) in [
            ("new1@example.in", "Kavya Rao", "ka"),
            ("new2@example.in", "Anil Menon", "kl"),
        ] {
            engineer_with(app, email, json!({
                "full_name": name, "years_experience": 4, "degree": "bachelors", "indian_state": state,
                "available_from": "2027-04-01",
                "skills": [{"skill": "Rust", "years": 3}]
            })).await;
        }
        app.indexer.sync().await;
        let after = get_json(&app.client, app, &format!("/api/v1/saved-searches/{id}")).await;
        assert_eq!(after["new_count"], 1, "{after}");
        assert_eq!(after["new_names"], json!(["Kavya Rao"]));
        // "able to start by": a date before theirs leaves both out, theirs keeps both
        let before_april = get_json(
            &app.client,
            app,
            "/api/v1/engineers?skills=Rust&available=2027-03-31",
        )
        .await;
        assert_eq!(before_april["total"], 0, "{before_april}");
        let by_april = get_json(
            &app.client,
            app,
            "/api/v1/engineers?skills=Rust&available=2027-04-01",
        )
        .await;
        assert_eq!(by_april["total"], 2, "{by_april}");
        let refused = app
            .client
            .get(app.url("/api/v1/engineers?available=someday"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

        // the digest is due a day later; two sweeps at once leave one notification
        use app::saved_searches::alerts::send_digests;
        let later = chrono::Utc::now() + chrono::Duration::hours(25);
        let (a, b) = tokio::join!(
            send_digests(&app.state, later),
            send_digests(&app.state, later)
        );
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        assert_eq!(
            send_digests(&app.state, later).await.unwrap(),
            0,
            "not due again until tomorrow"
        );
        let notes = get_json(&app.client, app, "/api/v1/notifications").await;
        assert!(notes.to_string().contains("search_alert"), "{notes}");
        // its e-mail carries the one-click unsubscribe of the alerts topic
        app::mail::notices::send_notices(&app.db, "http://localhost")
            .await
            .unwrap();
        use app::db::entities::mail_job;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let digest = mail_job::Entity::find()
            .filter(mail_job::Column::Kind.eq("notice_search_alert"))
            .one(&app.db)
            .await
            .unwrap()
            .expect("a digest e-mail");
        assert!(digest
            .unsubscribe_url
            .unwrap()
            .contains("topic=search_alerts"));
        assert!(digest.body_text.contains("Kavya Rao"));

        let (status, _) = {
            let response = app
                .client
                .delete(app.url(&format!("/api/v1/saved-searches/{id}")))
                .send()
                .await
                .unwrap();
            (response.status(), ())
        };
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
);

on_both_databases!(
    a_candidate_page_shows_what_the_organisation_may_see,
    async |app: &TestApp| {
        use crate::helpers::server_fn;
        let j = journey(app, "candidate@example.in", true).await;
        // the profile is hidden from the talent pool: the organisation applied to still reads it
        let hidden = j
            .engineer
            .put(app.url("/api/v1/me/profile"))
            .json(&json!({
                "full_name": "Priya Sharma", "years_experience": 6, "jlpt_level": "N3", "degree": "masters",
                "headline": "Embedded engineer", "summary": "BMS firmware in Rust since 2019.",
                "searchable": false,
                "skills": [{"skill": "組み込み", "years": 5}, {"skill": "Rust", "years": 3}],
                "languages": [{"language": "hi", "level": "native"}]
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(hidden.status(), StatusCode::OK);
        let args = [
            ("engineer_id", j.engineer_id.to_string()),
            ("role", j.role.to_string()),
        ];
        let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = server_fn(&app.client, app, "load_candidate", &form).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let profile: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(profile["summary"], "BMS firmware in Rust since 2019.");
        assert_eq!(profile["languages"], json!([["hi", "native"]]));
        assert!(profile["fit"]["score"].as_f64().unwrap() > 0.0, "{profile}");
        let shared = &profile["applications"][0];
        assert_eq!(shared["id"], j.application);
        assert_eq!(
            shared["contact"], "candidate@example.in",
            "consented when applying"
        );
        assert_eq!(shared["documents"].as_array().unwrap().len(), 3);
        // another organisation: a hidden profile with no application to it does not exist
        let stranger = other_employer(app).await;
        let only_id = [("engineer_id", j.engineer_id.to_string())];
        let form: Vec<(&str, &str)> = only_id.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _) = server_fn(&stranger, app, "load_candidate", &form).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // nor may it explain the fit for a role not its own
        let (status, _) = server_fn(
            &stranger,
            app,
            "load_candidate",
            &[
                ("engineer_id", &j.engineer_id.to_string()),
                ("role", &j.role.to_string()),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // withdrawn consent hides the address at once
        let withdrawn = j
            .engineer
            .delete(app.url(&format!("/api/v1/applications/{}/consent", j.application)))
            .send()
            .await
            .unwrap();
        assert_eq!(withdrawn.status(), StatusCode::NO_CONTENT);
        let form: Vec<(&str, &str)> = only_id.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (_, body) = server_fn(&app.client, app, "load_candidate", &form).await;
        let profile: Value = serde_json::from_str(&body).unwrap();
        assert!(profile["applications"][0]["contact"].is_null());
        assert!(profile["fit"].is_null());
        // the page renders for the employer
        let page = app
            .client
            .get(app.url(&format!("/talent/{}?role={}", j.engineer_id, j.role)))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page
            .text()
            .await
            .unwrap()
            .contains("BMS firmware in Rust since 2019."));
    }
);
