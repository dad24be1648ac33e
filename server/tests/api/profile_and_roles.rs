//! Profiles and roles through the API: skills in any language, every field validated.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{valid_role, TestApp};
use crate::on_both_databases;

on_both_databases!(
    a_profile_saved_with_japanese_and_hindi_skill_names_reads_back_by_id,
    async |app: &TestApp| {
        app.sign_up_engineer("skills@example.in").await;
        assert_eq!(
            app.get("/api/v1/me/profile").await.status(),
            StatusCode::NOT_FOUND
        );
        let body = json!({
            "full_name": "Priya Sharma",
            "headline": "Embedded engineer",
            "years_experience": 6,
            "jlpt_level": "N3",
            "jlpt_certified": true,
            "indian_state": "ka",
            "city": "Bengaluru",
            "degree": "masters",
            "desired_salary_jpy": 6500000,
            "skills": [
                {"skill": "組み込み", "years": 5, "level": "advanced"},
                {"skill": "मशीन लर्निंग", "years": 2},
                {"skill": "ＲＵＳＴ", "years": 3}
            ],
            "languages": [{"language": "en", "level": "professional"}, {"language": "kn", "level": "native"}]
        });
        let saved = app.put_json("/api/v1/me/profile", &body).await;
        assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
        let profile: Value = app.get("/api/v1/me/profile").await.json().await.unwrap();
        let mut ids: Vec<&str> = profile["skills"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["skill"].as_str().unwrap())
            .collect();
        ids.sort();
        assert_eq!(ids, vec!["embedded-software", "machine-learning", "rust"]);
        assert_eq!(profile["jlpt_level"], "N3");
        assert_eq!(profile["desired_salary_jpy"], 6500000);
        assert_eq!(profile["languages"].as_array().unwrap().len(), 2);
    }
);

on_both_databases!(
    a_bad_profile_is_rejected_field_by_field_and_nothing_is_saved,
    async |app: &TestApp| {
        app.sign_up_engineer("bad@example.in").await;
        let body = json!({
            "full_name": "",
            "years_experience": 99,
            "jlpt_level": "N9",
            "indian_state": "zz",
            "desired_salary_jpy": 5,
            "skills": [{"skill": "this skill name is far longer than sixty characters, so it is refused", "years": 1}, {"skill": "  ", "years": 1}]
        });
        let response = app.put_json("/api/v1/me/profile", &body).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: Value = response.json().await.unwrap();
        let fields = crate::helpers::error_fields(&error);
        assert_eq!(fields, vec!["skills[1].skill"]);
        let body = json!({
            "full_name": "",
            "years_experience": 99,
            "jlpt_level": "N9",
            "indian_state": "zz",
            "desired_salary_jpy": 5,
            "skills": [{"skill": "this skill name is far longer than sixty characters, so it is refused", "years": 1}]
        });
        let error: Value = app
            .put_json("/api/v1/me/profile", &body)
            .await
            .json()
            .await
            .unwrap();
        let fields = crate::helpers::error_fields(&error);
        assert_eq!(
            fields,
            vec![
                "full_name",
                "years_experience",
                "jlpt_level",
                "indian_state",
                "desired_salary_jpy",
                "skills[0].skill"
            ]
        );
        assert_eq!(
            app.get("/api/v1/me/profile").await.status(),
            StatusCode::NOT_FOUND
        );
    }
);

on_both_databases!(
    a_skill_the_taxonomy_does_not_know_is_kept_as_written_and_found_by_text,
    async |app: &TestApp| {
        // an engineer names a tool the taxonomy does not know, beside a skill it does
        let (engineer, engineer_id) = crate::helpers::engineer_with(
            app,
            "free-skill@example.in",
            json!({
                "full_name": "Arjun Rao",
                "years_experience": 7,
                "skills": [
                    {"skill": "Rust", "years": 4},
                    {"skill": "Acme FlowBuilder layout", "years": 3, "level": "advanced"}
                ]
            }),
        )
        .await;
        let profile: Value = crate::helpers::get_json(&engineer, app, "/api/v1/me/profile").await;
        let skills = profile["skills"].as_array().unwrap();
        assert_eq!(skills.len(), 2, "{skills:?}");
        assert_eq!(skills[0]["skill"], "rust");
        assert_eq!(skills[0]["free"], false);
        assert_eq!(skills[1]["skill"], "Acme FlowBuilder layout");
        assert_eq!(skills[1]["free"], true);
        assert_eq!(skills[1]["level"], "advanced");
        let employer = app.sign_up_employer("free-skill@example.jp").await;
        crate::helpers::verify_organisation_of(app, &employer).await;
        // the employer finds the engineer by the words of the free skill
        let found: Value = app
            .get("/api/v1/engineers?q=FlowBuilder")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(crate::helpers::ids(&found), vec![engineer_id]);

        // a role asks for a tool the taxonomy does not know; it reads back kept as written
        let mut role = valid_role();
        role["nice_skills"]
            .as_array_mut()
            .unwrap()
            .push(json!({"skill": "Acme FlowBuilder layout", "min_years": 2}));
        let created: Value = app
            .post_json("/api/v1/roles", &role)
            .await
            .json()
            .await
            .unwrap();
        let nice = created["nice_skills"].as_array().unwrap();
        assert_eq!(nice.last().unwrap()["skill"], "Acme FlowBuilder layout");
        assert_eq!(nice.last().unwrap()["free"], true);
        assert_eq!(nice.last().unwrap()["min_years"], 2);
        assert_eq!(nice[0]["free"], false);
    }
);

on_both_databases!(
    an_employer_posts_reads_and_updates_a_role_with_skills_in_any_language,
    async |app: &TestApp| {
        let employer = app.sign_up_employer("roles@example.jp").await;
        let created = app.post_json("/api/v1/roles", &valid_role()).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let role: Value = created.json().await.unwrap();
        assert_eq!(role["organisation_id"], employer["organisation_id"]);
        let required: Vec<&str> = role["required_skills"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["skill"].as_str().unwrap())
            .collect();
        assert_eq!(required, vec!["embedded-software", "rust"]);
        assert_eq!(role["nice_skills"][0]["skill"], "machine-learning");

        let mut changed = valid_role();
        changed["is_open"] = json!(false);
        changed["salary_max_jpy"] = json!(9000000);
        let id = role["id"].as_i64().unwrap();
        let updated: Value = app
            .put_json(&format!("/api/v1/roles/{id}"), &changed)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(updated["is_open"], false);
        assert_eq!(updated["salary_max_jpy"], 9000000);
    }
);

on_both_databases!(
    a_role_with_an_inverted_salary_band_or_no_title_is_rejected,
    async |app: &TestApp| {
        app.sign_up_employer("band@example.jp").await;
        let mut bad = valid_role();
        bad["salary_min_jpy"] = json!(9000000);
        bad["salary_max_jpy"] = json!(5000000);
        bad["title_ja"] = Value::Null;
        bad["title_en"] = json!("  ");
        bad["prefecture"] = json!("atlantis");
        let response = app.post_json("/api/v1/roles", &bad).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: Value = response.json().await.unwrap();
        let problems: Vec<(String, String)> = error["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["field"].as_str().unwrap().to_owned(),
                    f["problem"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert!(
            problems.contains(&("title_en".into(), "title_needed".into())),
            "{problems:?}"
        );
        assert!(
            problems.contains(&("salary_max_jpy".into(), "salary_min_above_max".into())),
            "{problems:?}"
        );
        assert!(
            problems.contains(&("prefecture".into(), "not_allowed".into())),
            "{problems:?}"
        );
    }
);

on_both_databases!(
    skill_suggestions_answer_in_any_language_and_refuse_bad_parameters,
    async |app: &TestApp| {
        let hits: Value = app
            .get("/api/v1/skills?q=%E7%B5%84%E3%81%BF&limit=5")
            .await
            .json()
            .await
            .unwrap(); // 組み
        let ids: Vec<&str> = hits
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"embedded-software"), "{ids:?}");
        assert!(ids.len() <= 5);
        let first: Value = app.get("/api/v1/skills?q=pyth").await.json().await.unwrap();
        assert_eq!(first[0]["name_en"], "Python");
        assert!(!first[0]["name_hi"].as_str().unwrap().is_empty());
        for bad in [
            "/api/v1/skills",
            "/api/v1/skills?q=",
            "/api/v1/skills?q=a&limit=0",
            "/api/v1/skills?q=a&limit=500",
            "/api/v1/skills?q=a&limit=ten",
        ] {
            let response = app.get(bad).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "invalid_parameters");
            assert!(!body["error"]["fields"][0]["message"]
                .as_str()
                .unwrap()
                .is_empty());
        }
    }
);
