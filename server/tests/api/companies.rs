//! A company's public page through the API: open to anyone once the organisation is verified,
//! with its sponsorship profile and its open roles; hidden while it awaits verification from
//! everyone but its members and administrators.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{get_json, journey, new_client, TestApp};
use crate::on_both_databases;

on_both_databases!(
    a_verified_company_shows_what_it_offers_and_its_open_roles_to_anyone,
    async |app: &TestApp| {
        let j = journey(app, "company@example.in", false).await;
        let me = get_json(&app.client, app, "/api/v1/me").await;
        let org = me["organisation_id"].as_i64().unwrap();
        let saved = app
            .client
            .put(app.url("/api/v1/organisation/sponsorship"))
            .json(&json!({"employees": "40", "pays_visa_fees": "on", "japanese_lessons": "on"}))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK);

        let visitor = new_client();
        let page = get_json(&visitor, app, &format!("/api/v1/organisations/{org}")).await;
        assert_eq!(page["name_ja"], "みらい半導体株式会社");
        assert_eq!(page["verified"], true);
        assert_eq!(page["sponsorship"]["pays_visa_fees"], true);
        assert_eq!(page["sponsorship"]["japanese_lessons"], true);
        assert_eq!(page["total_roles"], 1);
        assert_eq!(page["roles"][0]["id"], j.role);
        assert_eq!(page["roles"][0]["organisation_id"], org);
        // the page of roles is bounded and a bad one refused
        let bad = visitor
            .get(app.url(&format!("/api/v1/organisations/{org}?page=0")))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let beyond = get_json(
            &visitor,
            app,
            &format!("/api/v1/organisations/{org}?page=99"),
        )
        .await;
        assert_eq!(beyond["page"], 1, "a page beyond the last shows the last");

        // a company awaiting verification is not there for others, and is for its members
        let waiting = app.sign_up_employer("waiting@example.jp").await;
        let waiting_org = waiting["organisation_id"].as_i64().unwrap();
        let hidden = visitor
            .get(app.url(&format!("/api/v1/organisations/{waiting_org}")))
            .send()
            .await
            .unwrap();
        assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
        let own: Value = get_json(
            &app.client,
            app,
            &format!("/api/v1/organisations/{waiting_org}"),
        )
        .await;
        assert_eq!(own["verified"], false);
        assert_eq!(own["total_roles"], 0);
        let missing = visitor
            .get(app.url("/api/v1/organisations/999999"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }
);

on_both_databases!(
    a_role_is_filed_under_its_own_sector_in_search_and_in_the_programmes_figures,
    async |app: &TestApp| {
        use app::db::entities::application;
        use sea_orm::EntityTrait;
        // a semiconductor company's journey role, and an automotive role of the same company
        let j = journey(app, "sector@example.in", false).await;
        let mut automotive = crate::helpers::valid_role();
        automotive["title_en"] = json!("In-vehicle ECU engineer");
        automotive["sector"] = json!("automotive");
        let created = app.post_json("/api/v1/roles", &automotive).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let role: Value = created.json().await.unwrap();
        assert_eq!(role["sector"], "automotive");
        let journey_role = get_json(&app.client, app, &format!("/api/v1/roles/{}", j.role)).await;
        assert_eq!(journey_role["sector"], Value::Null, "the organisation's");

        let search = |sector: &'static str| {
            let request = new_client()
                .post(app.url("/api/search_jobs"))
                .header("accept", "application/json")
                .form(&[("query[sector]", sector), ("query[sort]", "date")])
                .send();
            async move {
                let found: Value = request.await.unwrap().json().await.unwrap();
                crate::helpers::ids(&found["cards"])
            }
        };
        let id = role["id"].as_i64().unwrap();
        let in_automotive = search("automotive").await;
        assert!(in_automotive.contains(&id) && !in_automotive.contains(&j.role));
        let in_semiconductors = search("semiconductors").await;
        assert!(in_semiconductors.contains(&j.role) && !in_semiconductors.contains(&id));

        // an application copies the role's sector for the programme's breakdowns
        let applied = j
            .engineer
            .post(app.url(&format!("/api/v1/roles/{id}/applications")))
            .json(&json!({"note": "ECUs for ten years."}))
            .send()
            .await
            .unwrap();
        assert_eq!(applied.status(), StatusCode::CREATED);
        let application_id = applied.json::<Value>().await.unwrap()["summary"]["id"]
            .as_i64()
            .unwrap() as i32;
        let stored = application::Entity::find_by_id(application_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.sector.as_deref(), Some("automotive"));

        let mut unknown = crate::helpers::valid_role();
        unknown["sector"] = json!("banking");
        let refused = app.post_json("/api/v1/roles", &unknown).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "sector");
    }
);
