//! The attacks of the security review, each performed against the running app and seen refused.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    admin_client, engineer_with, new_client, server_fn, valid_role, verify_organisation_of,
    TestApp, STRONG_PASSWORD,
};
use crate::on_both_databases;

const SCRIPT: &str = "</title><script>alert(1)</script>";

/// An engineer with a searchable profile on a client of their own; returns (client, user id).
async fn engineer(app: &TestApp, email: &str) -> (Client, i64) {
    let profile = json!({
        "full_name": "Priya Sharma", "headline": "Embedded firmware engineer",
        "years_experience": 6, "jlpt_level": "N3", "date_of_birth": "1995-04-02",
        "desired_salary_jpy": 3000000,
        "skills": [{"skill": "embedded-software", "years": 5}, {"skill": "Rust", "years": 2}]
    });
    engineer_with(app, email, profile).await
}

async fn create_role(app: &TestApp, body: &Value) -> i64 {
    let created = app.post_json("/api/v1/roles", body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

on_both_databases!(
    a_role_title_cannot_write_markup_into_its_page,
    async |app: &TestApp| {
        app.sign_up_employer("owner@example.jp").await;
        let mut role = valid_role();
        role["title_en"] = json!(SCRIPT);
        role["title_ja"] = json!(SCRIPT);
        let id = create_role(app, &role).await;
        // the owner opens the draft: the title is in the <title> and the heading, as text
        let page = app.get(&format!("/jobs/{id}")).await;
        assert_eq!(page.status(), StatusCode::OK);
        let policy = page
            .headers()
            .get("content-security-policy")
            .expect("pages carry a content security policy")
            .to_str()
            .unwrap()
            .to_owned();
        let html = page.text().await.unwrap();
        assert!(
            !html.contains("<script>alert(1)"),
            "the role's title reached the page as markup"
        );
        assert!(
            html.contains("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
            "the title is shown as text"
        );
        // every script the page carries has the nonce the policy allows, and nothing else runs
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("the policy names a nonce");
        assert!(!policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        let tags: Vec<&str> = html
            .split("<script")
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
            .collect();
        assert!(!tags.is_empty());
        for tag in tags {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "a script without the page's nonce: <script{tag}>"
            );
        }
    }
);

on_both_databases!(
    every_response_carries_the_security_headers,
    async |app: &TestApp| {
        for path in ["/", "/api/v1/roles", "/api/v1/nothing-here", "/healthz"] {
            let response = app.get(path).await;
            let headers = response.headers();
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(headers["x-frame-options"], "DENY", "{path}");
            assert_eq!(
                headers["referrer-policy"], "strict-origin-when-cross-origin",
                "{path}"
            );
            assert!(
                headers["content-security-policy"]
                    .to_str()
                    .unwrap()
                    .contains("frame-ancestors 'none'"),
                "{path}"
            );
            // HSTS only when served over TLS
            assert!(headers.get("strict-transport-security").is_none());
        }
    }
);

on_both_databases!(
    an_unverified_employer_cannot_search_rank_or_score_engineers,
    async |app: &TestApp| {
        let (_, engineer_id) = engineer(app, "priya@example.in").await;
        let employer = app.sign_up_employer("anyone@example.jp").await;
        let organisation = employer["organisation_id"].as_i64().unwrap() as i32;
        let role = create_role(app, &valid_role()).await;
        for path in [
            "/api/v1/engineers?q=embedded".to_owned(),
            "/api/v1/engineers?skills=embedded-software".to_owned(),
            format!("/api/v1/roles/{role}/matches"),
            format!("/api/v1/hsp-points?role={role}&engineer={engineer_id}"),
        ] {
            let response = app.get(&path).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
            let body = response.text().await.unwrap();
            assert!(!body.contains("Priya"), "{path} leaked a name: {body}");
        }
        let page = app.get(&format!("/roles/{role}/candidates")).await;
        assert_eq!(page.status(), StatusCode::FORBIDDEN);
        assert!(!page.text().await.unwrap().contains("Priya Sharma"));

        // once an administrator has verified the organisation, the pool opens
        app::organisation::server::set_verified(&app.db, None, organisation, true)
            .await
            .unwrap();
        let found: Value = app
            .get("/api/v1/engineers?skills=embedded-software")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(found["results"][0]["id"], engineer_id, "{found}");
        assert_eq!(
            app.get(&format!("/api/v1/roles/{role}/matches"))
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            app.get(&format!(
                "/api/v1/hsp-points?role={role}&engineer={engineer_id}"
            ))
            .await
            .status(),
            StatusCode::OK
        );
        assert_eq!(
            app.get(&format!("/roles/{role}/candidates")).await.status(),
            StatusCode::OK
        );
    }
);

on_both_databases!(
    the_salary_band_of_an_unpublished_role_is_no_ones_business,
    async |app: &TestApp| {
        app.sign_up_employer("draft@example.jp").await;
        let role = create_role(app, &valid_role()).await;
        let (engineer, _) = engineer(app, "curious@example.in").await;
        let response = engineer
            .get(app.url(&format!("/api/v1/hsp-points?role={role}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(!response.text().await.unwrap().contains("8000000"));
    }
);

on_both_databases!(
    query_syntax_cannot_filter_engineers_by_what_they_never_showed,
    async |app: &TestApp| {
        engineer(app, "quiet@example.in").await;
        let employer = app.sign_up_employer("prober@example.jp").await;
        verify_organisation_of(app, &employer).await;
        // the engineer wishes 3,000,000 yen; as a range on the hidden field, [0 TO 4000000]
        // would find them and [0 TO 100] would not
        for q in ["salary_max:[0 TO 4000000]", "salary_max:[0 TO 100]", "*^2"] {
            let response = app
                .client
                .get(app.url("/api/v1/engineers"))
                .query(&[("q", q)])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{q}");
            let found: Value = response.json().await.unwrap();
            assert_eq!(
                found["results"],
                json!([]),
                "{q} matched no words of any profile"
            );
            assert_eq!(found["total"], 0, "{q}");
        }
    }
);

on_both_databases!(
    an_employers_internal_feedback_and_rating_never_reach_the_candidate,
    async |app: &TestApp| {
        let employer = app.sign_up_employer("hr@mirai.example.jp").await;
        verify_organisation_of(app, &employer).await;
        let role = create_role(app, &valid_role()).await;
        let (candidate, _) = engineer(app, "candidate@example.in").await;
        let applied = candidate
            .post(app.url(&format!("/api/v1/roles/{role}/applications")))
            .json(&json!({"note": "I build BMS firmware."}))
            .send()
            .await
            .unwrap();
        assert_eq!(applied.status(), StatusCode::CREATED);
        let id = applied.json::<Value>().await.unwrap()["summary"]["id"]
            .as_i64()
            .unwrap();
        let moves = format!("/api/v1/applications/{id}/moves");
        for body in [
            json!({"to": "shortlisted"}),
            json!({"to": "interview", "note": "社内用メモ：日本語の会話はまだ弱い",
                   "message": "ありがとうございました。結果は一週間以内にご連絡します。",
                   "details": {"interview_format": "video", "rating": 2}}),
        ] {
            let moved = app.post_json(&moves, &body).await;
            assert_eq!(moved.status(), StatusCode::OK, "{:?}", moved.text().await);
        }
        // the organisation reads its own assessment
        let own: Value = app
            .get(&format!("/api/v1/applications/{id}"))
            .await
            .json()
            .await
            .unwrap();
        let interview = &own["timeline"][2];
        assert_eq!(interview["note"], "社内用メモ：日本語の会話はまだ弱い");
        assert_eq!(interview["details"]["interview"]["rating"], 2);
        // the candidate reads the message, the round and the format, and nothing else
        let seen = candidate
            .get(app.url(&format!("/api/v1/applications/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!seen.contains("社内用メモ"), "{seen}");
        let seen: Value = serde_json::from_str(&seen).unwrap();
        let interview = &seen["timeline"][2];
        assert_eq!(interview["details"]["interview"]["format"], "video");
        assert_eq!(interview["details"]["interview"]["rating"], Value::Null);
        assert_eq!(interview["note"], Value::Null);
        assert_eq!(
            interview["message"],
            "ありがとうございました。結果は一週間以内にご連絡します。"
        );
        let page = candidate
            .get(app.url(&format!("/applications/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!page.contains("社内用メモ"));
        assert!(page.contains("ありがとうございました"));
    }
);

on_both_databases!(
    a_log_in_redirect_never_leaves_the_site,
    async |app: &TestApp| {
        app.sign_up_engineer("redirect@example.in").await;
        app.log_out().await;
        for next in [
            "/\t/evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\n",
        ] {
            let response = app
                .client
                .post(app.url("/api/log_in"))
                .header("accept", "text/html")
                .form(&[
                    ("email", "redirect@example.in"),
                    ("password", STRONG_PASSWORD),
                    ("next", next),
                ])
                .send()
                .await
                .unwrap();
            let location = response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned())
                .unwrap_or_default();
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{next:?} sent the browser to {location:?}"
            );
            assert!(!location.contains("evil"), "{next:?} → {location:?}");
            app.log_out().await;
        }
    }
);

on_both_databases!(
    cross_site_posts_are_refused_and_same_site_ones_pass,
    async |app: &TestApp| {
        // log-in CSRF: another site posting credentials into a victim's browser
        let forged = app
            .client
            .post(app.url("/api/log_in"))
            .header("origin", "https://evil.example")
            .form(&[("email", "a@example.in"), ("password", STRONG_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let body: Value = forged.json().await.unwrap();
        assert_eq!(body["error"]["code"], "cross_site_request");
        let forged = app
            .client
            .post(app.url("/api/v1/users"))
            .header("sec-fetch-site", "cross-site")
            .json(&json!({"email": "x@example.in", "password": STRONG_PASSWORD, "role": "engineer", "display_name": "X"}))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let forged = app
            .client
            .post(app.url("/lang/ja"))
            .header("sec-fetch-site", "cross-site")
            .form(&[("next", "/")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        // the language switch is a POST now; a GET changes nothing
        assert_ne!(
            app.get("/lang/ja?next=/").await.status(),
            StatusCode::SEE_OTHER
        );
        let own = app
            .client
            .post(app.url("/lang/ja"))
            .header("origin", &app.address)
            .form(&[("next", "/jobs")])
            .send()
            .await
            .unwrap();
        assert_eq!(own.status(), StatusCode::SEE_OTHER);
        assert_eq!(own.headers()["location"], "/jobs");
    }
);

on_both_databases!(
    a_malformed_server_function_argument_is_the_callers_error,
    async |app: &TestApp| {
        let response = app
            .client
            .post(app.url("/api/load_candidates"))
            .header("accept", "application/json")
            .form(&[("role_id", "not-a-number")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
);

on_both_databases!(
    bodies_beyond_what_a_form_takes_are_refused_before_they_are_read,
    async |app: &TestApp| {
        let huge = "a".repeat(100 * 1024);
        let sent = [
            app.client
                .post(app.url("/api/v1/users"))
                .json(&json!({"email": huge, "password": "x", "role": "engineer", "display_name": "X"}))
                .send()
                .await,
            app.client
                .post(app.url("/api/log_in"))
                .form(&[("email", huge.as_str()), ("password", "x")])
                .send()
                .await,
        ];
        for outcome in sent {
            match outcome {
                Ok(response) => assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE),
                // the server answered 413 from the Content-Length and closed the connection
                // before the client had finished writing (the client sees its write fail, or
                // the connection end before it read the answer): refused unread, the point
                Err(err) => assert!(
                    err.is_request()
                        && ["BodyWrite", "IncompleteMessage"]
                            .iter()
                            .any(|kind| format!("{err:?}").contains(kind)),
                    "{err:?}"
                ),
            }
        }
    }
);

on_both_databases!(
    nul_and_direction_override_characters_get_a_field_error_in_every_language,
    async |app: &TestApp| {
        app.sign_up_engineer("nul@example.in").await;
        for (lang, name) in [
            ("en", "Priya\u{0}"),
            ("ja", "Priya\u{202E}gpj.exe"),
            ("hi", "a\u{7}b"),
        ] {
            let response = app
                .client
                .put(app.url("/api/v1/me/profile"))
                .header("accept-language", lang)
                .json(&json!({"full_name": name, "years_experience": 2}))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{lang}"
            );
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["fields"][0]["field"], "full_name");
            assert_eq!(body["error"]["fields"][0]["problem"], "control_character");
            let message = body["error"]["fields"][0]["message"].as_str().unwrap();
            assert!(
                !message.is_empty() && !message.starts_with("errors."),
                "{message}"
            );
        }
    }
);

async fn role_ids(app: &TestApp, q: &str) -> Vec<i64> {
    let found: Value = new_client()
        .get(app.url("/api/v1/roles"))
        .query(&[("q", q)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

on_both_databases!(
    suspension_takes_people_out_of_search_and_ends_their_sessions,
    async |app: &TestApp| {
        let employer = app.sign_up_employer("rogue@example.jp").await;
        let employer_id = employer["id"].to_string();
        verify_organisation_of(app, &employer).await;
        let role = create_role(app, &valid_role()).await;
        let (engineer_client, engineer_id) = engineer(app, "hidden@example.in").await;
        let administrator = admin_client(app, "admin@example.org").await;
        assert_eq!(role_ids(app, "embedded").await, vec![role]);

        for id in [employer_id.clone(), engineer_id.to_string()] {
            let status = server_fn(
                &administrator,
                app,
                "set_suspended",
                &[("user_id", &id), ("suspend", "true")],
            )
            .await
            .0;
            assert_eq!(status, StatusCode::OK);
        }
        // the employer's role is gone from search and takes no applications
        assert_eq!(role_ids(app, "embedded").await, Vec::<i64>::new());
        let (applicant, _) = engineer(app, "applicant@example.in").await;
        let applied = applicant
            .post(app.url(&format!("/api/v1/roles/{role}/applications")))
            .json(&json!({"note": "hello"}))
            .send()
            .await
            .unwrap();
        assert!(applied.status().is_client_error(), "{}", applied.status());
        // both sessions are over
        for client in [&app.client, &engineer_client] {
            let me = client.get(app.url("/api/v1/me")).send().await.unwrap();
            assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
        }
        // the engineer cannot be found by a verified employer any more
        let other = new_client();
        let signed: Value = other
            .post(app.url("/api/v1/users"))
            .json(&json!({
                "email": "honest@example.jp", "password": STRONG_PASSWORD, "role": "employer", "display_name": "Honest",
                "organisation": {"name_en": "Honest K.K.", "prefecture": "tokyo", "sector": "software", "size": "small"}
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        verify_organisation_of(app, &signed).await;
        let found: Value = other
            .get(app.url("/api/v1/engineers?skills=embedded-software"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ids = crate::helpers::ids(&found);
        assert!(!ids.contains(&engineer_id), "{ids:?}");
        // reinstated: found again, but the old session does not come back
        let status = server_fn(
            &administrator,
            app,
            "set_suspended",
            &[("user_id", &engineer_id.to_string()), ("suspend", "false")],
        )
        .await
        .0;
        assert_eq!(status, StatusCode::OK);
        let me = engineer_client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    }
);

on_both_databases!(
    a_verified_organisation_that_renames_itself_goes_back_to_review,
    async |app: &TestApp| {
        let employer = app.sign_up_employer("renamer@example.jp").await;
        let organisation = employer["organisation_id"].as_i64().unwrap() as i32;
        app::organisation::server::set_verified(&app.db, None, organisation, true)
            .await
            .unwrap();
        let role = create_role(app, &valid_role()).await;
        assert_eq!(role_ids(app, "embedded").await, vec![role]);
        let renamed = app
            .client
            .post(app.url("/api/save_organisation"))
            .header("accept", "application/json")
            .form(&[
                ("draft[name_ja]", "トヨタ自動車株式会社"),
                ("draft[name_en]", "Toyota Motor Corporation"),
                ("draft[prefecture]", "kumamoto"),
                ("draft[sector]", "semiconductors"),
                ("draft[size]", "large"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            renamed.status(),
            StatusCode::OK,
            "{:?}",
            renamed.text().await
        );
        use sea_orm::EntityTrait;
        let org = app::db::entities::organisation::Entity::find_by_id(organisation)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(!org.verified, "the new name has not been checked");
        assert_eq!(role_ids(app, "embedded").await, Vec::<i64>::new());
        let entry = app::db::entities::audit_log::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .rfind(|e| e.action == "organisation.updated")
            .unwrap();
        let detail: Value = serde_json::from_str(&entry.detail).unwrap();
        assert_eq!(detail["before"]["name_ja"], "みらい半導体株式会社");
        assert_eq!(detail["after"]["name_en"], "Toyota Motor Corporation");
        assert_eq!(detail["back_to_review"], true);
        // and the talent pool closes to it until an administrator approves the new name
        assert_eq!(
            app.get("/api/v1/engineers?q=x").await.status(),
            StatusCode::FORBIDDEN
        );
    }
);

on_both_databases!(
    an_administrator_withdraws_a_verification_with_a_reason,
    async |app: &TestApp| {
        let employer = app.sign_up_employer("withdrawn@example.jp").await;
        let organisation = employer["organisation_id"].as_i64().unwrap() as i32;
        app::organisation::server::set_verified(&app.db, None, organisation, true)
            .await
            .unwrap();
        let role = create_role(app, &valid_role()).await;
        assert_eq!(role_ids(app, "embedded").await, vec![role]);
        let administrator = admin_client(app, "admin@example.org").await;
        let id = organisation.to_string();
        let without_reason = server_fn(
            &administrator,
            app,
            "decide_verification",
            &[
                ("organisation_id", &id),
                ("decision", "withdraw"),
                ("reason", ""),
            ],
        )
        .await
        .0;
        assert_eq!(without_reason, StatusCode::UNPROCESSABLE_ENTITY);
        let withdrawn = server_fn(
            &administrator,
            app,
            "decide_verification",
            &[
                ("organisation_id", &id),
                ("decision", "withdraw"),
                ("reason", "Registry number does not match the company"),
            ],
        )
        .await
        .0;
        assert_eq!(withdrawn, StatusCode::OK);
        assert_eq!(role_ids(app, "embedded").await, Vec::<i64>::new());
        use sea_orm::EntityTrait;
        let entries = app::db::entities::audit_log::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert!(entries
            .iter()
            .any(|e| e.action == "organisation.verification_withdrawn"
                && e.detail.contains("Registry number")));
    }
);

on_both_databases!(
    sign_ups_from_one_address_are_limited_with_retry_after,
    async |app: &TestApp| {
        let mut refused = None;
        for i in 0..25 {
            let response = new_client()
                .post(app.url("/api/v1/users"))
                .json(&json!({"email": format!("bulk{i}@example.in"), "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Bulk"}))
                .send()
                .await
                .unwrap();
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                refused = Some((i, response.headers().get("retry-after").cloned()));
                break;
            }
            assert_eq!(response.status(), StatusCode::CREATED);
        }
        let (at, retry_after) = refused.expect("the 21st sign-up from one address is refused");
        assert_eq!(at, 20);
        let seconds: u64 = retry_after.unwrap().to_str().unwrap().parse().unwrap();
        assert!(seconds >= 1);
    }
);

on_both_databases!(
    an_attacker_guessing_a_password_does_not_lock_out_its_owner,
    async |app: &TestApp| {
        app.sign_up_engineer("owner@example.in").await;
        app.log_out().await;
        // the test app trusts `x-client-ip` as its proxy's header, so addresses can differ
        let attacker = new_client();
        let mut limited = false;
        for _ in 0..12 {
            let response = attacker
                .post(app.url("/api/v1/session"))
                .header("x-client-ip", "203.0.113.66")
                .json(&json!({"email": "owner@example.in", "password": "wrong-guess-123456"}))
                .send()
                .await
                .unwrap();
            limited |= response.status() == StatusCode::TOO_MANY_REQUESTS;
            if limited {
                assert!(response.headers().contains_key("retry-after"));
            }
        }
        assert!(limited, "guessing is slowed");
        let owner = app
            .client
            .post(app.url("/api/v1/session"))
            .header("x-client-ip", "198.51.100.4")
            .json(&json!({"email": "owner@example.in", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(owner.status(), StatusCode::OK, "the owner gets in");
    }
);

on_both_databases!(
    a_request_head_that_never_finishes_is_cut_off,
    async |app: &TestApp| {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let address = app.address.trim_start_matches("http://");
        let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
        // a head without its final blank line, then silence
        slow.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let mut buffer = [0u8; 1024];
        let read = tokio::time::timeout(
            server::serve::HEADER_READ_TIMEOUT + std::time::Duration::from_secs(5),
            slow.read(&mut buffer),
        )
        .await
        .expect("the server closes the connection");
        // closed (0 bytes, or a reset), or answered with an error: never left open
        if let Ok(n) = read {
            let answer = String::from_utf8_lossy(&buffer[..n]);
            assert!(n == 0 || answer.starts_with("HTTP/1.1 408"), "{answer}");
        }
        assert!(started.elapsed() >= server::serve::HEADER_READ_TIMEOUT / 2);
    }
);

on_both_databases!(
    dates_outside_any_sane_range_are_refused_by_the_dashboard_not_computed_with,
    async |app: &TestApp| {
        let administrator = admin_client(app, "dates@example.org").await;
        let json = administrator
            .get(app.url("/api/v1/programme/summary?to=%2B262142-12-31"))
            .send()
            .await
            .unwrap();
        assert_eq!(json.status(), StatusCode::BAD_REQUEST);
        let page = administrator
            .get(app.url("/admin?to=%2B262142-12-31"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert!(page.status().is_client_error(), "{}", page.status());
        assert!(page.text().await.unwrap().contains("</html>"));
        let far = administrator
            .get(app.url("/api/v1/programme/summary?from=9999-01-01"))
            .send()
            .await
            .unwrap();
        assert_eq!(far.status(), StatusCode::BAD_REQUEST);
    }
);

on_both_databases!(search_inputs_are_bounded, async |app: &TestApp| {
    let too_many_skills = vec!["rust"; 21].join(",");
    let too_long = "組".repeat(501);
    // a skill name longer than any in the taxonomy is refused before it is compared
    let huge_skill = "x".repeat(1_000);
    for (name, value) in [
        ("skills", too_many_skills.as_str()),
        ("q", too_long.as_str()),
        ("q", "rust\u{0}"),
        ("skills", huge_skill.as_str()),
    ] {
        let response = app
            .client
            .get(app.url("/api/v1/roles"))
            .query(&[(name, value)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::BAD_REQUEST,
            "{name}={}",
            value.chars().take(20).collect::<String>()
        );
    }
});

on_both_databases!(
    every_api_error_is_the_json_error_body,
    async |app: &TestApp| {
        app.sign_up_engineer("errors@example.in").await;
        for (method, path, status) in [
            (
                reqwest::Method::GET,
                "/api/v1/applications/not-a-number",
                400,
            ),
            (reqwest::Method::PATCH, "/api/v1/me/profile", 405),
            (reqwest::Method::GET, "/api/v1/nowhere", 404),
        ] {
            let response = app
                .client
                .request(method.clone(), app.url(path))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), status, "{method} {path}");
            assert!(response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"));
            let body: Value = response.json().await.unwrap();
            assert!(body["error"]["code"].is_string(), "{body}");
        }
    }
);

on_both_databases!(
    guessing_from_many_addresses_meets_the_account_ceiling_and_its_owner_is_told_once,
    async |app: &TestApp| {
        app.sign_up_engineer("targeted@example.in").await;
        let mut ceiling_at = None;
        // a distributed guess: every attempt from another address
        for i in 0..102 {
            let response = new_client()
                .post(app.url("/api/v1/session"))
                .header("x-client-ip", format!("198.18.{}.{}", i / 256, i % 256))
                .json(&json!({"email": "targeted@example.in", "password": format!("guess-{i}-xyzzy")}))
                .send()
                .await
                .unwrap();
            if response.status() == StatusCode::TOO_MANY_REQUESTS {
                ceiling_at.get_or_insert(i);
            } else {
                assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            }
        }
        assert_eq!(
            ceiling_at,
            Some(100),
            "the ceiling is far above one address's limit"
        );
        let notes: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        let throttled: Vec<&Value> = notes["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "login_throttled")
            .collect();
        assert_eq!(
            throttled.len(),
            1,
            "told once, not once per attempt: {notes}"
        );
    }
);

on_both_databases!(
    the_talent_pool_opens_and_closes_with_the_organisations_verification_in_one_session,
    async |app: &TestApp| {
        // the session's check reads the organisation in the same statement as the user: what
        // it read must be the organisation as it is now, on every request
        let employer = app.sign_up_employer("pool@example.jp").await;
        let organisation = employer["organisation_id"].as_i64().unwrap() as i32;
        let talent = "/api/v1/engineers?q=embedded";
        assert_eq!(app.get(talent).await.status(), StatusCode::FORBIDDEN);
        for verified in [true, false, true] {
            app::organisation::server::set_verified(&app.db, None, organisation, verified)
                .await
                .unwrap();
            let expected = if verified {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(
                app.get(talent).await.status(),
                expected,
                "verified: {verified}"
            );
            // a page's request (its user kept for the request) the same
            let page = app.get("/talent?q=embedded").await;
            let body = page.text().await.unwrap();
            assert_eq!(
                body.contains("id=\"talent-heading\""),
                verified,
                "verified: {verified}"
            );
        }
    }
);

/// The session id a response sets, if any.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("setubashi_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

on_both_databases!(
    a_change_of_privilege_issues_a_new_session_id_on_the_next_page,
    async |app: &TestApp| {
        let signed_up = app
            .client
            .post(app.url("/api/v1/users"))
            .json(&json!({
                "email": "rotate@example.jp", "password": STRONG_PASSWORD, "role": "employer", "display_name": "Rotate",
                "organisation": {"name_en": "Rotate K.K.", "prefecture": "tokyo", "sector": "software", "size": "small"}
            }))
            .send()
            .await
            .unwrap();
        let before = session_cookie(&signed_up).expect("sign-up sets the session");
        let employer: Value = signed_up.json().await.unwrap();
        verify_organisation_of(app, &employer).await;
        // a page is the first request after the verification
        let page = app.get("/jobs").await;
        assert_eq!(page.status(), StatusCode::OK);
        let after = session_cookie(&page).expect("the page issues a new session id");
        assert_ne!(before, after);
        // the old id is worthless; the new one carries the session
        let stale = reqwest::Client::new()
            .get(app.url("/api/v1/me"))
            .header("cookie", format!("setubashi_session={before}"))
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.get("/api/v1/me").await.status(), StatusCode::OK);
    }
);
