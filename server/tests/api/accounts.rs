//! Sign-up, log-in, wrong passwords, rate limits, session rotation and log-out.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{new_client, TestApp, STRONG_PASSWORD};
use crate::on_both_databases;

async fn error_code(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json::<Value>().await.unwrap())
}

on_both_databases!(
    an_engineer_who_signs_up_is_signed_in,
    async |app: &TestApp| {
        let user = app.sign_up_engineer("Priya.Sharma@Example.in").await;
        assert_eq!(user["email"], "priya.sharma@example.in");
        assert_eq!(user["role"], "engineer");
        let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["id"], user["id"]);
    }
);

on_both_databases!(
    an_employer_sign_up_creates_an_unverified_organisation,
    async |app: &TestApp| {
        let user = app.sign_up_employer("hr@mirai.example.jp").await;
        let org_id = user["organisation_id"].as_i64().unwrap();
        use sea_orm::EntityTrait;
        let org = app::db::entities::organisation::Entity::find_by_id(org_id as i32)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(!org.verified);
        assert_eq!(org.name_ja.as_deref(), Some("みらい半導体株式会社"));
    }
);

on_both_databases!(
    an_employer_without_an_organisation_is_told_which_fields_are_missing,
    async |app: &TestApp| {
        let response = app
        .post_json(
            "/api/v1/users",
            &json!({"email": "hr@example.jp", "password": STRONG_PASSWORD, "role": "employer", "display_name": "HR"}),
        )
        .await;
        let (status, body) = error_code(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = crate::helpers::error_fields(&body);
        assert_eq!(
            fields,
            vec![
                "organisation.name_en",
                "organisation.prefecture",
                "organisation.sector",
                "organisation.size"
            ]
        );
    }
);

on_both_databases!(
    an_e_mail_can_register_only_once_whatever_its_case,
    async |app: &TestApp| {
        app.sign_up_engineer("dup@example.in").await;
        let response = new_client()
        .post(app.url("/api/v1/users"))
        .json(&json!({"email": "DUP@example.in", "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Someone"}))
        .send()
        .await
        .unwrap();
        let (status, body) = error_code(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["fields"][0]["field"], "email");
        assert_eq!(body["error"]["fields"][0]["problem"], "email_taken");
    }
);

on_both_databases!(
    short_common_and_admin_sign_ups_are_refused,
    async |app: &TestApp| {
        for (password, role, field, problem) in [
            ("short", "engineer", "password", "too_short"),
            (
                "password1234",
                "engineer",
                "password",
                "password_too_common",
            ),
            (STRONG_PASSWORD, "admin", "role", "not_allowed"),
        ] {
            let response = app
            .post_json(
                "/api/v1/users",
                &json!({"email": "x@example.in", "password": password, "role": role, "display_name": "X"}),
            )
            .await;
            let (status, body) = error_code(response).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert_eq!(body["error"]["fields"][0]["field"], field);
            assert_eq!(body["error"]["fields"][0]["problem"], problem);
        }
        assert_eq!(
            app.get("/api/v1/me").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
);

on_both_databases!(
    a_wrong_password_and_an_unknown_account_get_the_same_answer,
    async |app: &TestApp| {
        app.sign_up_engineer("known@example.in").await;
        app.log_out().await;
        let wrong = app
            .post_json(
                "/api/v1/session",
                &json!({"email": "known@example.in", "password": "not-the-password-123"}),
            )
            .await;
        let unknown = app
            .post_json(
                "/api/v1/session",
                &json!({"email": "nobody@example.in", "password": "not-the-password-123"}),
            )
            .await;
        let (wrong_status, wrong_body) = error_code(wrong).await;
        let (unknown_status, unknown_body) = error_code(unknown).await;
        assert_eq!(wrong_status, StatusCode::UNAUTHORIZED);
        assert_eq!(wrong_status, unknown_status);
        assert_eq!(wrong_body, unknown_body);
        let ok = app
            .post_json(
                "/api/v1/session",
                &json!({"email": "known@example.in", "password": STRONG_PASSWORD}),
            )
            .await;
        assert_eq!(ok.status(), StatusCode::OK);
    }
);

on_both_databases!(
    repeated_log_in_attempts_are_rate_limited_with_retry_after,
    async |app: &TestApp| {
        app.sign_up_engineer("target@example.in").await;
        app.log_out().await;
        let mut limited = None;
        for attempt in 0..15 {
            let response = app.post_json("/api/v1/session", &json!({"email": "target@example.in", "password": format!("guess-number-{attempt}")})).await;
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                limited = Some((attempt, response));
                break;
            }
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
        let (attempt, response) = limited.expect("never rate limited");
        assert_eq!(attempt, 5, "one client may try one account 5 times at once");
        let retry_after: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry_after >= 1);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "rate_limited");
        // even the right password is refused while limited
        let right = app
            .post_json(
                "/api/v1/session",
                &json!({"email": "target@example.in", "password": STRONG_PASSWORD}),
            )
            .await;
        assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
    }
);

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("setubashi_session="))
        .map(|c| c.split(';').next().unwrap().to_owned())
}

on_both_databases!(
    logging_in_issues_a_new_session_id_and_the_old_one_stops_working,
    async |app: &TestApp| {
        app.sign_up_engineer("rotate@example.in").await;
        let first = app
            .post_json(
                "/api/v1/session",
                &json!({"email": "rotate@example.in", "password": STRONG_PASSWORD}),
            )
            .await;
        let first_cookie = session_cookie(&first).expect("log-in sets the session cookie");
        let attrs: Vec<String> = first
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_lowercase())
            .collect();
        assert!(attrs.iter().any(|c| c.starts_with("setubashi_session=")
            && c.contains("httponly")
            && c.contains("samesite=lax")));
        let second = app
            .post_json(
                "/api/v1/session",
                &json!({"email": "rotate@example.in", "password": STRONG_PASSWORD}),
            )
            .await;
        let second_cookie = session_cookie(&second).expect("a second log-in sets a new cookie");
        assert_ne!(first_cookie, second_cookie);
        // the first id was replaced: presenting it again is not signed in
        let stale = new_client()
            .get(app.url("/api/v1/me"))
            .header("cookie", &first_cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
        let fresh = new_client()
            .get(app.url("/api/v1/me"))
            .header("cookie", &second_cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(fresh.status(), StatusCode::OK);
    }
);

on_both_databases!(
    logging_out_ends_the_session_on_the_server,
    async |app: &TestApp| {
        let client = new_client();
        let response = client
        .post(app.url("/api/v1/users"))
        .json(&json!({"email": "bye@example.in", "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Bye"}))
        .send()
        .await
        .unwrap();
        let cookie = session_cookie(&response).unwrap();
        let out = new_client()
            .delete(app.url("/api/v1/session"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), StatusCode::NO_CONTENT);
        // a copy of the cookie kept by an attacker is worthless now
        let replay = new_client()
            .get(app.url("/api/v1/me"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    }
);

on_both_databases!(a_suspended_user_cannot_log_in, async |app: &TestApp| {
    let user = app.sign_up_engineer("suspended@example.in").await;
    app.log_out().await;
    use sea_orm::{ActiveModelTrait, Set};
    app::db::entities::user::ActiveModel {
        id: Set(user["id"].as_i64().unwrap() as i32),
        suspended: Set(true),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .unwrap();
    let response = app
        .post_json(
            "/api/v1/session",
            &json!({"email": "suspended@example.in", "password": STRONG_PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
});

on_both_databases!(bad_json_gets_a_json_400_not_a_500, async |app: &TestApp| {
    let response = app
        .client
        .post(app.url("/api/v1/users"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    let (status, body) = error_code(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "bad_request");
});

on_both_databases!(
    a_session_s_week_without_use_starts_again_on_the_first_use_of_each_day_not_at_sign_in,
    async |app: &TestApp| {
        app.sign_up_engineer("daily@example.in").await;
        let browser = new_client();
        let signed_in = browser
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "daily@example.in", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert!(session_cookie(&signed_in).is_some());
        let week = |response: &reqwest::Response| {
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|c| c.starts_with("setubashi_session=") && c.contains("Max-Age=604800"))
        };
        // the day's first use saves the session again: its expiry moves on a week from now
        let first_use = browser
            .get(app.url("/api/v1/me/sessions"))
            .send()
            .await
            .unwrap();
        assert_eq!(first_use.status(), StatusCode::OK);
        assert!(
            week(&first_use),
            "the first use of the day moves the expiry on"
        );
        // later uses that day write nothing
        let later = browser
            .get(app.url("/api/v1/me/sessions"))
            .send()
            .await
            .unwrap();
        assert_eq!(later.status(), StatusCode::OK);
        assert!(session_cookie(&later).is_none(), "one write a day");
    }
);
