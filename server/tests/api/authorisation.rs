//! Every role rule, attacked: visitors, the wrong role, and another organisation's employer.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{new_client, valid_role, TestApp};
use crate::on_both_databases;

on_both_databases!(
    visitors_are_refused_every_protected_api,
    async |app: &TestApp| {
        let profile = json!({"full_name": "X", "years_experience": 1});
        for (method, path) in [
            ("GET", "/api/v1/me"),
            ("GET", "/api/v1/me/profile"),
            ("PUT", "/api/v1/me/profile"),
            ("POST", "/api/v1/roles"),
            ("GET", "/api/v1/roles/1"),
            ("PUT", "/api/v1/roles/1"),
        ] {
            let request = match (method, path) {
                ("GET", _) => app.client.get(app.url(path)),
                ("PUT", "/api/v1/me/profile") => app.client.put(app.url(path)).json(&profile),
                ("PUT", _) => app.client.put(app.url(path)).json(&valid_role()),
                _ => app.client.post(app.url(path)).json(&valid_role()),
            };
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path}"
            );
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "unauthenticated");
        }
    }
);

on_both_databases!(
    an_engineer_cannot_post_or_read_roles,
    async |app: &TestApp| {
        app.sign_up_engineer("eng@example.in").await;
        assert_eq!(
            app.post_json("/api/v1/roles", &valid_role()).await.status(),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get("/api/v1/roles/1").await.status(),
            StatusCode::FORBIDDEN
        );
    }
);

on_both_databases!(
    an_employer_has_no_engineer_profile_to_read_or_write,
    async |app: &TestApp| {
        app.sign_up_employer("hr@example.jp").await;
        assert_eq!(
            app.get("/api/v1/me/profile").await.status(),
            StatusCode::FORBIDDEN
        );
        let put = app
            .put_json(
                "/api/v1/me/profile",
                &json!({"full_name": "X", "years_experience": 1}),
            )
            .await;
        assert_eq!(put.status(), StatusCode::FORBIDDEN);
    }
);

on_both_databases!(
    an_employer_cannot_read_or_change_another_organisations_role,
    async |app: &TestApp| {
        app.sign_up_employer("owner@example.jp").await;
        let created: Value = app
            .post_json("/api/v1/roles", &valid_role())
            .await
            .json()
            .await
            .unwrap();
        let id = created["id"].as_i64().unwrap();

        let rival = new_client();
        let signed_up = rival
        .post(app.url("/api/v1/users"))
        .json(&json!({
            "email": "rival@example.jp", "password": crate::helpers::STRONG_PASSWORD, "role": "employer", "display_name": "Rival",
            "organisation": {"name_en": "Rival K.K.", "prefecture": "tokyo", "sector": "software", "size": "small"}
        }))
        .send()
        .await
        .unwrap();
        assert_eq!(signed_up.status(), StatusCode::CREATED);
        let read = rival
            .get(app.url(&format!("/api/v1/roles/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), StatusCode::FORBIDDEN);
        let mut hijack = valid_role();
        hijack["title_en"] = json!("Hijacked");
        let write = rival
            .put(app.url(&format!("/api/v1/roles/{id}")))
            .json(&hijack)
            .send()
            .await
            .unwrap();
        assert_eq!(write.status(), StatusCode::FORBIDDEN);
        let unchanged: Value = app
            .get(&format!("/api/v1/roles/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(unchanged["title_en"], "Embedded engineer (EV)");
    }
);

on_both_databases!(
    server_functions_check_the_role_too,
    async |app: &TestApp| {
        // the pages' server functions are HTTP endpoints too: call them directly with the wrong role
        app.sign_up_employer("hr2@example.jp").await;
        let response = app
            .client
            .post(app.url("/api/save_profile"))
            .header("accept", "application/json")
            .form(&[
                ("draft[full_name]", "Mallory"),
                ("draft[years_experience]", "3"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let body = response.text().await.unwrap();
        assert!(body.contains("Forbidden"), "{body}");

        let visitor = new_client();
        let response = visitor
            .post(app.url("/api/save_role"))
            .header("accept", "application/json")
            .form(&[
                ("draft[title_en]", "Free role"),
                ("draft[salary_min_jpy]", "5000000"),
                ("draft[salary_max_jpy]", "6000000"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        use sea_orm::{EntityTrait, PaginatorTrait};
        assert_eq!(
            app::db::entities::role::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            0
        );
    }
);

on_both_databases!(
    protected_pages_refuse_visitors_and_the_wrong_role_on_the_server,
    async |app: &TestApp| {
        for path in ["/profile", "/organisation", "/roles", "/roles/new"] {
            let response = app.get(path).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
            let html = response.text().await.unwrap();
            assert!(
                html.contains("href=\"/login\""),
                "{path} offers a log-in link"
            );
        }
        app.sign_up_engineer("pages@example.in").await;
        for path in ["/organisation", "/roles", "/roles/new"] {
            assert_eq!(
                app.get(path).await.status(),
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
        assert_eq!(app.get("/profile").await.status(), StatusCode::OK);
    }
);
