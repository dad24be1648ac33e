//! Pages as a browser without JavaScript gets them: server-rendered, in the right language.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{new_client, TestApp};
use crate::on_both_databases;

async fn home_in(app: &TestApp, header: (&str, &str)) -> String {
    let response = new_client()
        .get(app.url("/"))
        .header(header.0, header.1)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

on_both_databases!(
    the_home_page_follows_accept_language_and_the_language_cookie,
    async |app: &TestApp| {
        let english = home_in(app, ("accept-language", "en-GB,en;q=0.9")).await;
        assert!(english.contains("<html lang=\"en\""));
        assert!(english.contains(&app::i18n::t(
            domain::language::UiLanguage::En,
            "home.headline"
        )));
        let japanese = home_in(app, ("accept-language", "ja-JP,ja;q=0.9,en;q=0.5")).await;
        assert!(japanese.contains("<html lang=\"ja\""));
        assert!(japanese.contains(&app::i18n::t(
            domain::language::UiLanguage::Ja,
            "home.headline"
        )));
        let hindi = home_in(app, ("cookie", "setubashi_lang=hi")).await;
        assert!(hindi.contains("<html lang=\"hi\""));
        assert!(hindi.contains(&app::i18n::t(
            domain::language::UiLanguage::Hi,
            "home.headline"
        )));
        assert!(!hindi.contains(&app::i18n::t(
            domain::language::UiLanguage::En,
            "home.headline"
        )));
    }
);

on_both_databases!(
    the_language_switch_sets_a_cookie_and_returns_to_a_local_page_only,
    async |app: &TestApp| {
        let switch = |code: &str, next: &str| {
            app.client
                .post(app.url(&format!("/lang/{code}")))
                .form(&[("next", next)])
                .send()
        };
        let response = switch("ja", "/signup").await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(response.headers()["location"], "/signup");
        assert!(response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("setubashi_lang=ja"));
        let page = app.get("/signup").await.text().await.unwrap();
        assert!(page.contains("<html lang=\"ja\""));
        let evil = switch("hi", "//evil.example/").await.unwrap();
        assert_eq!(evil.headers()["location"], "/");
        assert_eq!(
            switch("fr", "/").await.unwrap().status(),
            StatusCode::NOT_FOUND
        );
        // a GET changes nothing
        assert_eq!(
            app.get("/lang/hi?next=/").await.status(),
            StatusCode::METHOD_NOT_ALLOWED
        );
    }
);

on_both_databases!(
    a_signed_in_users_language_choice_is_kept_on_the_account,
    async |app: &TestApp| {
        app.sign_up_engineer("lang@example.in").await;
        app.client
            .post(app.url("/lang/hi"))
            .form(&[("next", "/")])
            .send()
            .await
            .unwrap();
        let me: Value = app.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["ui_language"], "hi");
    }
);

on_both_databases!(
    the_openapi_document_describes_every_endpoint,
    async |app: &TestApp| {
        let doc: Value = app.get("/api/v1/openapi.json").await.json().await.unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in [
            "/api/v1/users",
            "/api/v1/session",
            "/api/v1/me",
            "/api/v1/me/profile",
            "/api/v1/roles",
            "/api/v1/roles/{id}",
        ] {
            assert!(doc["paths"].get(path).is_some(), "{path} missing");
        }
        // a path parameter is one the path names; everything else is a query parameter, and a
        // query parameter is never required (every filter has a default)
        let mut wrong = Vec::new();
        for (path, operations) in doc["paths"].as_object().unwrap() {
            for (method, operation) in operations.as_object().unwrap() {
                for parameter in operation["parameters"].as_array().into_iter().flatten() {
                    let name = parameter["name"].as_str().unwrap();
                    let place = parameter["in"].as_str().unwrap();
                    let in_path = path.contains(&format!("{{{name}}}"));
                    let required = parameter["required"].as_bool().unwrap_or(false);
                    if (place == "path") != in_path || (place == "query" && required) {
                        wrong.push(format!(
                            "{method} {path}: {name} in {place}, required {required}"
                        ));
                    }
                }
            }
        }
        assert_eq!(wrong, Vec::<String>::new());
        let skills = &doc["paths"]["/api/v1/skills"]["get"]["parameters"];
        assert!(
            skills
                .as_array()
                .is_some_and(|p| p.iter().any(|p| p["name"] == "q" && p["in"] == "query")),
            "{skills}"
        );
    }
);

on_both_databases!(
    unknown_pages_and_api_paths_are_404s,
    async |app: &TestApp| {
        assert_eq!(
            app.get("/no/such/page").await.status(),
            StatusCode::NOT_FOUND
        );
        let api = app.get("/api/v1/nothing-here").await;
        assert_eq!(api.status(), StatusCode::NOT_FOUND);
        let body: Value = api.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
    }
);

on_both_databases!(
    demo_seeding_is_deterministic_and_marks_its_records,
    async |app: &TestApp| {
        let taxonomy = domain::skills::Taxonomy::builtin();
        let options = server::seed::SeedOptions {
            engineers: 30,
            roles: 9,
            applications: 40,
            seed: 42,
            progress: false,
        };
        let report = server::seed::seed(&app.db, &taxonomy, options, "demo-password-for-tests")
            .await
            .unwrap();
        assert_eq!((report.engineers, report.roles), (30, 9));
        assert_eq!(report.applications, 40);
        use app::db::entities::{engineer_profile, role};
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        assert_eq!(
            engineer_profile::Entity::find()
                .filter(engineer_profile::Column::IsDemo.eq(true))
                .count(&app.db)
                .await
                .unwrap(),
            30
        );
        assert_eq!(
            role::Entity::find()
                .filter(role::Column::IsDemo.eq(true))
                .count(&app.db)
                .await
                .unwrap(),
            9
        );
        // the demo accounts can log in with the given password
        let ok = app.post_json("/api/v1/session", &serde_json::json!({"email": report.demo_engineer_email, "password": "demo-password-for-tests"})).await;
        assert_eq!(ok.status(), StatusCode::OK);
        assert!(!server::seed::is_empty(&app.db).await.unwrap());
    }
);

on_both_databases!(
    a_failed_form_post_without_javascript_returns_to_the_page_with_errors_and_values,
    async |app: &TestApp| {
        // a browser before the wasm loads: a plain form post that accepts HTML
        let response = app
            .client
            .post(app.url("/api/sign_up"))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", app.url("/signup"))
            .form(&[
                ("form[role]", "engineer"),
                ("form[display_name]", "Ananya Iyer"),
                ("form[email]", "not-an-email"),
                ("form[password]", "secret-never-echoed-42"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FOUND);
        // leptos adds the error to the URL too (?__err=…); the values come from the session
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.starts_with(&app.url("/signup")), "{location}");
        let page = app.get("/signup").await.text().await.unwrap();
        assert!(page.contains("Ananya Iyer"), "the typed name is kept");
        assert!(page.contains(&app::i18n::t(
            domain::language::UiLanguage::En,
            "errors.invalid_email"
        )));
        assert!(
            !page.contains("secret-never-echoed-42"),
            "the password is never kept"
        );
        // shown once: a reload is a fresh form
        let again = app.get("/signup").await.text().await.unwrap();
        assert!(!again.contains("Ananya Iyer"));
    }
);

on_both_databases!(
    a_profile_posted_without_javascript_keeps_every_field_on_error,
    async |app: &TestApp| {
        app.sign_up_engineer("nojs@example.in").await;
        let response = app
            .client
            .post(app.url("/api/save_profile"))
            .header("accept", "text/html")
            .header("referer", app.url("/profile"))
            .form(&[
                ("draft[full_name]", "Vikram Singh"),
                ("draft[headline]", "Physical design, 8 years"),
                ("draft[years_experience]", "eighty"),
                ("draft[skills][0][skill]", "Static timing analysis"),
                ("draft[skills][0][years]", "4"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FOUND);
        let page = app.get("/profile").await.text().await.unwrap();
        assert!(page.contains("Physical design, 8 years"));
        assert!(page.contains("value=\"eighty\""));
        assert!(page.contains(&app::i18n::t(
            domain::language::UiLanguage::En,
            "errors.not_a_number"
        )));
        assert_eq!(
            app.get("/api/v1/me/profile").await.status(),
            StatusCode::NOT_FOUND,
            "nothing was saved"
        );
    }
);

on_both_databases!(
    a_browser_sending_ja_jp_or_hi_in_gets_the_page_in_that_language,
    async |app: &TestApp| {
        for (accept, lang) in [
            ("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", "ja"),
            ("hi-IN,hi;q=0.9,en;q=0.8", "hi"),
            ("en-IN,en;q=0.9", "en"),
            ("fr-FR", "en"),
        ] {
            let html = crate::helpers::new_client()
                .get(app.url("/"))
                .header("accept", "text/html")
                .header("accept-language", accept)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                html.contains(&format!("<html lang=\"{lang}\"")),
                "{accept} → {}",
                &html[..html.len().min(200)]
            );
        }
    }
);

on_both_databases!(
    answers_are_compressed_as_the_browser_asks_and_pages_are_never_stored,
    async |app: &TestApp| {
        for (asked, expected) in [
            ("br", Some("br")),
            ("gzip", Some("gzip")),
            ("identity", None),
        ] {
            let response = new_client()
                .get(app.url("/jobs"))
                .header("accept-encoding", asked)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(
                response
                    .headers()
                    .get("content-encoding")
                    .map(|v| v.to_str().unwrap()),
                expected,
                "{asked}"
            );
            assert_eq!(response.headers()["cache-control"], "no-store");
        }
        let api = new_client()
            .get(app.url("/api/v1/skills?q=rust"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(api.headers()["cache-control"], "no-store");
    }
);

on_both_databases!(
    each_page_is_rendered_for_its_own_session_and_a_device_signed_out_elsewhere_is_refused_on_its_next_page,
    async |app: &TestApp| {
        use crate::helpers::{html_page, STRONG_PASSWORD};
        app.sign_up_engineer("priya@example.in").await; // app.client holds Priya's session
        let employer = new_client();
        let created = employer
            .post(app.url("/api/v1/users"))
            .json(&serde_json::json!({
                "email": "yui@example.jp", "password": STRONG_PASSWORD, "role": "employer",
                "display_name": "Tanaka Yui",
                "organisation": {"name_ja": "みらい半導体株式会社", "prefecture": "kumamoto", "sector": "semiconductors", "size": "large"}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
        // a page asks for its user more than once (the header, then its data): the user found
        // is kept within a request, never from one request to the next
        for _ in 0..3 {
            let hers = html_page(&app.client, app, "/applications").await;
            assert!(hers.contains("Priya Sharma") && !hers.contains("Tanaka Yui"));
            let his = html_page(&employer, app, "/applications").await;
            assert!(his.contains("Tanaka Yui") && !his.contains("Priya Sharma"));
        }
        // her phone signs out every other device: the browser's very next page is refused,
        // though its last one was just rendered
        assert!(html_page(&app.client, app, "/applications")
            .await
            .contains("Priya Sharma"));
        let phone = new_client();
        let signed_in = phone
            .post(app.url("/api/v1/session"))
            .json(&serde_json::json!({"email": "priya@example.in", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::OK);
        let others = phone
            .delete(app.url("/api/v1/me/sessions"))
            .send()
            .await
            .unwrap();
        assert_eq!(others.status(), StatusCode::NO_CONTENT);
        let refused = app
            .client
            .get(app.url("/applications"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
        assert!(!refused.text().await.unwrap().contains("Priya Sharma"));
        assert!(html_page(&phone, app, "/applications")
            .await
            .contains("Priya Sharma"));
    }
);
