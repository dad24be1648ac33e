//! People's rights, checked against the database itself: the download holds every row that
//! names the person (the columns are found in the schema, not listed here), erasure leaves no
//! trace of them in any column of any table while the programme's counts stay, and a withdrawn
//! consent hides the contact details at once in the API and in the page.

use reqwest::{Client, StatusCode};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde_json::{json, Value};

use crate::helpers::{
    admin_client, html_page, journey, new_client, spawn_instance, TestApp, STRONG_PASSWORD,
};
use crate::on_both_databases;

/// Every (table, column) of the application's schema, with the column's declared type.
async fn columns(db: &DatabaseConnection) -> Vec<(String, String, String)> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
             WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        }
        _ => {
            "SELECT m.name, p.name, lower(p.type) FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
             AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid"
        }
    };
    db.query_all(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (
                row.try_get_by_index::<String>(0).unwrap(),
                row.try_get_by_index::<String>(1).unwrap(),
                row.try_get_by_index::<String>(2).unwrap(),
            )
        })
        .collect()
}

/// Whether a column holds a user's id, by the schema's naming rule.
fn names_a_user(table: &str, column: &str) -> bool {
    column == "user_id"
        || column.ends_with("_user_id")
        || column == "created_by"
        || column == "invited_by"
        || (table == "users" && column == "id")
}

async fn ids_where(db: &DatabaseConnection, table: &str, column: &str, user: i32) -> Vec<String> {
    let has_id = columns(db)
        .await
        .iter()
        .any(|(t, c, _)| t == table && c == "id");
    let key = if has_id {
        "CAST(id AS TEXT)".to_owned()
    } else {
        format!("CAST({column} AS TEXT)")
    };
    let sql = format!("SELECT {key} FROM {table} WHERE {column} = {user}");
    db.query_all(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect()
}

async fn get_json(client: &Client, app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn move_to(app: &TestApp, application: i32, body: Value) {
    let response = app
        .post_json(&format!("/api/v1/applications/{application}/moves"), &body)
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{body}");
}

on_both_databases!(
    the_download_holds_every_row_of_every_table_that_names_the_person,
    async |app: &TestApp| {
        let trip = journey(app, "priya@example.in", true).await;
        // more of the person's traces: a withdrawal, a reset link, a message about it
        let withdrawn = trip
            .engineer
            .delete(app.url(&format!(
                "/api/v1/applications/{}/consent",
                trip.application
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(withdrawn.status(), StatusCode::NO_CONTENT);
        let reset = new_client()
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({"email": "priya@example.in"}))
            .send()
            .await
            .unwrap();
        assert_eq!(reset.status(), StatusCode::ACCEPTED);
        move_to(app, trip.application, json!({"to": "shortlisted"})).await;

        let response = trip
            .engineer
            .get(app.url("/api/v1/me/export"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        let export: Value = response.json().await.unwrap();
        assert_eq!(export["format"], "setubashi-personal-data/1");
        let tables = export["tables"].as_object().unwrap();

        let mut checked = 0;
        for (table, column, _) in columns(&app.db).await {
            if !names_a_user(&table, &column) {
                continue;
            }
            let expected = ids_where(&app.db, &table, &column, trip.engineer_id).await;
            let exported: Vec<String> = tables
                .get(&table)
                .and_then(Value::as_array)
                .unwrap_or_else(|| {
                    panic!("the download has no `{table}` (which names users in `{column}`)")
                })
                .iter()
                .map(|row| match row.get("id") {
                    Some(id) => id.to_string().trim_matches('"').to_owned(),
                    None => row[&column].to_string(),
                })
                .collect();
            for id in &expected {
                assert!(
                    exported.contains(id),
                    "{table}.{column}: row {id} is not in the download"
                );
            }
            checked += expected.len();
        }
        // the account, profile, 2 skills, the application, 3 events, 2 consents, the audit
        // trail, notifications of the move, a reset token and its message — at the least
        assert!(checked >= 12, "only {checked} rows named the person");
        let account = &tables["users"][0];
        assert_eq!(account["email"], "priya@example.in");
        assert!(account.get("password_hash").is_none(), "no password hash");
        assert!(tables["account_tokens"][0].get("token_hash").is_none());
        assert_eq!(
            tables["engineer_profiles"][0]["date_of_birth"],
            "1995-04-02"
        );
        assert_eq!(tables["consents"].as_array().unwrap().len(), 2);

        // the download is one's own: a visitor has none, and asking was recorded
        let (status, _) = get_json(&new_client(), app, "/api/v1/me/export").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (_, again) = get_json(&trip.engineer, app, "/api/v1/me/export").await;
        assert!(again["tables"]["audit_log"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "user.data_exported"));
    }
);

on_both_databases!(
    erasure_leaves_no_trace_of_the_person_in_any_column_and_the_programme_counts_stay,
    async |app: &TestApp| {
        let trip = journey(app, "priya@example.in", true).await;
        move_to(app, trip.application, json!({"to": "shortlisted"})).await;
        move_to(app, trip.application, json!({"to": "interview", "note": "Priya was sharp", "details": {"interview_format": "video", "rating": 4}})).await;
        move_to(app, trip.application, json!({"to": "offer_extended", "message": "Welcome, Priya!", "details": {"salary_jpy": 7200000, "employment_type": "permanent", "start_date": "2027-04-01", "visa_route": "highly_skilled_professional"}})).await;
        let reset = new_client()
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({"email": "priya@example.in"}))
            .send()
            .await
            .unwrap();
        assert_eq!(reset.status(), StatusCode::ACCEPTED);
        // another candidate for the same role, with the same display name: the employer's mail
        // about them is theirs, not the erased person's
        let (other, other_id) = crate::helpers::engineer_with(
            app,
            "kiran@example.in",
            json!({"full_name": "Kiran Rao", "years_experience": 4, "skills": [{"skill": "Rust", "years": 2}]}),
        )
        .await;
        let applied = other
            .post(app.url(&format!("/api/v1/roles/{}/applications", trip.role)))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(applied.status(), StatusCode::CREATED);
        app::mail::notices::send_notices(&app.db, &app.address)
            .await
            .unwrap();
        let about = |who: i64| {
            let db = app.db.clone();
            async move {
                use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
                app::db::entities::mail_job::Entity::find()
                    .filter(
                        app::db::entities::mail_job::Column::ToAddress.eq("hr@mirai.example.jp"),
                    )
                    .filter(app::db::entities::mail_job::Column::AboutUserId.eq(who as i32))
                    .count(&db)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(
            about(trip.engineer_id as i64).await,
            1,
            "the employer heard of the application"
        );
        assert_eq!(about(other_id).await, 1);
        let admin = admin_client(app, "admin@programme.example").await;
        let (_, before) = get_json(&admin, app, "/api/v1/programme/summary").await;
        // the profile is found before, on this instance and on a second one
        let second = match app.postgres_url() {
            Some(_) => Some(spawn_instance(app).await),
            None => None,
        };
        let found = |body: &Value| {
            body["results"]
                .as_array()
                .or_else(|| body.as_array())
                .unwrap()
                .iter()
                .any(|r| {
                    r["engineer_id"] == trip.engineer_id
                        || r["user_id"] == trip.engineer_id
                        || r["id"] == trip.engineer_id
                })
        };
        let (status, hits) = get_json(&app.client, app, "/api/v1/engineers?q=Rust").await;
        assert_eq!(status, StatusCode::OK);
        assert!(found(&hits), "{hits}");

        // a wrong password deletes nothing
        let wrong = trip
            .engineer
            .delete(app.url("/api/v1/me"))
            .json(&json!({"password": "not-the-password-123"}))
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let deleted = trip
            .engineer
            .delete(app.url("/api/v1/me"))
            .json(&json!({"password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

        // nothing that identifies the person, in any column of any table
        let needles = ["Priya", "priya@example.in", "1995-04-02", "Bengaluru"];
        for (table, column, _) in columns(&app.db).await {
            for needle in needles {
                let sql = format!(
                    "SELECT count(*) FROM {table} WHERE CAST({column} AS TEXT) LIKE '%{needle}%'"
                );
                let n: i64 = app
                    .db
                    .query_one(Statement::from_string(app.db.get_database_backend(), sql))
                    .await
                    .unwrap()
                    .unwrap()
                    .try_get_by_index(0)
                    .unwrap();
                assert_eq!(n, 0, "{table}.{column} still holds {needle:?}");
            }
        }

        // the employer's mail about the person is gone; about the other candidate, kept
        assert_eq!(about(trip.engineer_id as i64).await, 0);
        assert_eq!(about(other_id).await, 1);

        // the programme's counts are the same; the open offer closed as withdrawn
        let (_, after) = get_json(&admin, app, "/api/v1/programme/summary").await;
        for key in ["progress", "years", "arrivals_by_month", "breakdowns"] {
            assert_eq!(before[key], after[key], "{key}");
        }
        let reached = |s: &Value| -> Vec<Value> {
            s["funnel"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["reached"].clone())
                .collect()
        };
        assert_eq!(reached(&before), reached(&after));
        assert_eq!(
            after["closed"],
            json!([["candidate_withdrew", 1]]),
            "{}",
            after["closed"]
        );

        // the employer was told the candidate withdrew, and sees no contact any more
        let (_, notes) = get_json(&app.client, app, "/api/v1/notifications").await;
        assert!(notes.to_string().contains("candidate_withdrew"), "{notes}");
        let (status, detail) = get_json(
            &app.client,
            app,
            &format!("/api/v1/applications/{}", trip.application),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(detail["engineer_email"], Value::Null);
        assert_eq!(detail["summary"]["closed_reason"], "candidate_withdrew");

        // every session ended; the old password opens nothing
        let (status, _) = get_json(&trip.engineer, app, "/api/v1/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let log_in = new_client()
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "priya@example.in", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(log_in.status(), StatusCode::UNAUTHORIZED);
        let tombstone = app::rights::erasure::tombstone_address(trip.engineer_id);
        let log_in = new_client()
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": tombstone, "password": ""}))
            .send()
            .await
            .unwrap();
        assert_eq!(log_in.status(), StatusCode::UNAUTHORIZED);

        // the index forgot the person, here and on the other instance
        let (_, hits) = get_json(&app.client, app, "/api/v1/engineers?q=Rust").await;
        assert!(!found(&hits), "{hits}");
        if let Some(second) = second {
            second.indexer.sync().await;
            assert!(second
                .search
                .ids(search::Kind::Engineer)
                .unwrap()
                .iter()
                .all(|id| *id != trip.engineer_id));
            second.cleanup().await;
        }
        // the audit log keeps the fact, not the data
        let (_, audit) = get_json(&admin, app, "/api/v1/me/export").await;
        assert!(audit["tables"]["audit_log"].is_array());
        let erased: i64 = app
            .db
            .query_one(Statement::from_string(
                app.db.get_database_backend(),
                format!(
                    "SELECT count(*) FROM audit_log WHERE action = 'user.erased' AND subject_id = '{}'",
                    trip.engineer_id
                ),
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index(0)
            .unwrap();
        assert_eq!(erased, 1);
    }
);

on_both_databases!(
    an_administrator_erases_an_account_and_the_last_administrator_cannot_go,
    async |app: &TestApp| {
        let trip = journey(app, "priya@example.in", false).await;
        let admin = admin_client(app, "admin@programme.example").await;
        let gone = admin
            .delete(app.url(&format!("/api/v1/admin/users/{}", trip.engineer_id)))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), StatusCode::NO_CONTENT);
        let again = admin
            .delete(app.url(&format!("/api/v1/admin/users/{}", trip.engineer_id)))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NOT_FOUND, "erased once");
        // the tombstone is not listed among the users
        let (status, listed) =
            crate::helpers::server_fn(&admin, app, "find_users", &[("q", ""), ("role", "")]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!listed.contains("erased.invalid"), "{listed}");
        assert!(listed.contains("hr@mirai.example.jp"));
        let (status, _) = get_json(&trip.engineer, app, "/api/v1/me").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let last = admin
            .delete(app.url("/api/v1/me"))
            .json(&json!({"password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(last.status(), StatusCode::CONFLICT);
    }
);

on_both_databases!(
    withdrawing_consent_hides_the_contact_details_at_once_in_the_api_and_the_page,
    async |app: &TestApp| {
        let trip = journey(app, "priya@example.in", false).await;
        let api_path = format!("/api/v1/applications/{}", trip.application);
        let page_path = format!("/applications/{}", trip.application);
        let consent_path = format!("/api/v1/applications/{}/consent", trip.application);
        let employer_sees = || async {
            let (_, detail) = get_json(&app.client, app, &api_path).await;
            let html = html_page(&app.client, app, &page_path).await;
            (
                detail["engineer_email"].as_str().map(str::to_owned),
                html.contains("priya@example.in"),
            )
        };
        assert_eq!(employer_sees().await, (None, false), "not shared at apply");
        // the engineer always sees their own
        let (_, own) = get_json(&trip.engineer, app, &api_path).await;
        assert_eq!(own["engineer_email"], "priya@example.in");

        let granted = trip
            .engineer
            .put(app.url(&consent_path))
            .send()
            .await
            .unwrap();
        assert_eq!(granted.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            employer_sees().await,
            (Some("priya@example.in".to_owned()), true)
        );
        let withdrawn = trip
            .engineer
            .delete(app.url(&consent_path))
            .send()
            .await
            .unwrap();
        assert_eq!(withdrawn.status(), StatusCode::NO_CONTENT);
        assert_eq!(employer_sees().await, (None, false), "hidden at once");
        // twice the same answer records once
        let again = trip
            .engineer
            .delete(app.url(&consent_path))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), StatusCode::NO_CONTENT);

        let (status, history) = get_json(&trip.engineer, app, "/api/v1/me/consents").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(history["total"], 2);
        let [withdrawal, grant] = history["results"].as_array().unwrap().as_slice() else {
            panic!("{history}")
        };
        assert_eq!(withdrawal["granted"], false);
        assert_eq!(grant["granted"], true);
        assert_eq!(grant["purpose"], "contact_for_application");
        assert_eq!(grant["organisation_name"], "みらい半導体株式会社");
        assert!(grant["text_shown"]
            .as_str()
            .unwrap()
            .contains("みらい半導体株式会社 may see my e-mail address"));

        // the employer, an administrator and another engineer cannot give it for the person
        let (other, _) = crate::helpers::engineer_with(
            app,
            "other@example.in",
            json!({"full_name": "Other", "years_experience": 2}),
        )
        .await;
        let stranger = other.put(app.url(&consent_path)).send().await.unwrap();
        assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
        let employer = app.client.put(app.url(&consent_path)).send().await.unwrap();
        assert_eq!(employer.status(), StatusCode::FORBIDDEN);
        assert_eq!(employer_sees().await, (None, false));

        // consent given when applying, in Japanese, is recorded in Japanese
        let (japanese, _) = crate::helpers::engineer_with(
            app,
            "kiran@example.in",
            json!({"full_name": "Kiran Rao", "years_experience": 4}),
        )
        .await;
        let applied = japanese
            .post(app.url(&format!("/api/v1/roles/{}/applications", trip.role)))
            .header("accept-language", "ja")
            .json(&json!({"share_contact": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(applied.status(), StatusCode::CREATED);
        let applied: Value = applied.json().await.unwrap();
        assert_eq!(applied["engineer_email"], "kiran@example.in");
        let (_, seen) = get_json(
            &app.client,
            app,
            &format!("/api/v1/applications/{}", applied["summary"]["id"]),
        )
        .await;
        assert_eq!(seen["engineer_email"], "kiran@example.in");
        let (_, history) = get_json(&japanese, app, "/api/v1/me/consents").await;
        assert!(history["results"][0]["text_shown"]
            .as_str()
            .unwrap()
            .contains("同意します"));
    }
);

on_both_databases!(
    administrators_reads_of_personal_data_are_in_the_audit_log,
    async |app: &TestApp| {
        use app::db::entities::audit_log;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let trip = journey(app, "priya@example.in", false).await;
        let admin = admin_client(app, "admin@programme.example").await;
        let (status, _) = get_json(
            &admin,
            app,
            &format!("/api/v1/applications/{}", trip.application),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) =
            crate::helpers::server_fn(&admin, app, "find_users", &[("q", "priya"), ("role", "")])
                .await;
        assert_eq!(status, StatusCode::OK);
        let csv = admin
            .get(app.url("/admin/export/funnel.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
        // the engineer's own read is not an administrator's
        let (status, _) = get_json(
            &trip.engineer,
            app,
            &format!("/api/v1/applications/{}", trip.application),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let actions: Vec<(String, Option<String>)> = audit_log::Entity::find()
            .filter(audit_log::Column::Action.starts_with("admin."))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.subject_id))
            .collect();
        assert_eq!(
            actions,
            [
                (
                    "admin.read_application".to_owned(),
                    Some(trip.application.to_string())
                ),
                ("admin.read_users".to_owned(), None),
                ("admin.exported".to_owned(), Some("funnel".to_owned())),
            ]
        );
    }
);
