//! Visa readiness on an application through the API: the points at the offer's salary with the
//! employer's sponsorship profile, the Certificate of Eligibility checklist by category and
//! route (each side ticks its own documents), and the candidate's documents as the employer
//! receives them (contact details only under the engineer's consent).

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{get_json, journey, pdftotext, TestApp};
use crate::on_both_databases;

async fn send(
    client: &Client,
    app: &TestApp,
    method: &str,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let request = match method {
        "PUT" => client.put(app.url(path)),
        _ => client.post(app.url(path)),
    };
    let response = request.json(&body).send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Marks `key` done or not on the application's checklist as `client`.
async fn tick_as(
    client: &Client,
    app: &TestApp,
    application: i32,
    key: &str,
    done: bool,
) -> (StatusCode, Value) {
    let path = format!("/api/v1/applications/{application}/checklist/{key}");
    send(client, app, "PUT", &path, json!({ "done": done })).await
}

fn row<'a>(readiness: &'a Value, key: &str) -> &'a Value {
    readiness["checklist"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("{key} not in {readiness}"))
}

async fn pdf(client: &Client, app: &TestApp, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()["cache-control"], "private, no-store");
    pdftotext(&response.bytes().await.unwrap())
}

on_both_databases!(
    the_offer_brings_points_at_its_salary_and_a_checklist_each_side_ticks,
    async |app: &TestApp| {
        let j = journey(app, "ready@example.in", false).await;
        let readiness_path = format!("/api/v1/applications/{}/readiness", j.application);
        let before = get_json(&j.engineer, app, &readiness_path).await;
        assert_eq!(
            before["checklist"],
            Value::Null,
            "no checklist before the offer"
        );
        assert_eq!(before["points_at_offer"], Value::Null);
        assert_eq!(before["jlpt_declared"], "N3");
        assert_eq!(before["jlpt_certified"], Value::Null);
        // self-declared until a certificate with its number is recorded, on every view
        let detail_path = format!("/api/v1/applications/{}", j.application);
        let detail = get_json(&app.client, app, &detail_path).await;
        assert_eq!(detail["engineer_jlpt_certified"], false);
        let (status, _) = send(
            &j.engineer,
            app,
            "PUT",
            "/api/v1/me/career",
            json!({"qualifications": [{"kind": "jlpt", "name": "N3", "obtained": "2024-12", "identifier": "N3A000042"}]}),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let detail = get_json(&app.client, app, &detail_path).await;
        assert_eq!(detail["engineer_jlpt_certified"], true);
        let certified = get_json(&app.client, app, &readiness_path).await;
        assert_eq!(certified["jlpt_certified"], "N3");
        let (status, _) = tick_as(&app.client, app, j.application, "return_envelope", true).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "nothing to tick before the offer"
        );

        let moves = format!("/api/v1/applications/{}/moves", j.application);
        for body in [
            json!({"to": "shortlisted"}),
            json!({"to": "interview", "details": {"interview_format": "video"}}),
            json!({"to": "offer_extended", "details": {"salary_jpy": 7200000, "employment_type": "permanent",
                   "start_date": "2027-04-01", "visa_route": "highly_skilled_professional"}}),
        ] {
            let (status, answer) = send(&app.client, app, "POST", &moves, body).await;
            assert_eq!(status, StatusCode::OK, "{answer}");
        }

        // a master's 20, six years 10, age 31 10, ¥7.2M at 31 25: 65, under the pass mark
        let offered = get_json(&app.client, app, &readiness_path).await;
        assert_eq!(offered["points_at_offer"]["salary_jpy"], 7_200_000);
        assert_eq!(offered["points_at_offer"]["total"], 65);
        assert_eq!(offered["points_at_offer"]["qualifies"], false);
        let list = &offered["checklist"];
        assert_eq!(list["route"], "highly_skilled_professional");
        assert_eq!(list["category"], Value::Null);
        assert_eq!(list["category_shown"], 3);
        assert_eq!(list["rows"].as_array().unwrap().len(), 13);
        assert!(list["source"].as_str().unwrap().contains("isa.go.jp"));

        // the employer records an SME with innovation support and R&D over 3%: +25 for every hire
        let (status, saved) = send(&app.client, app, "PUT", "/api/v1/organisation/sponsorship",
            json!({"industry_class": "manufacturing_and_other", "capital_man_yen": "45,000", "employees": "120",
                   "innovation_programme": "経営革新計画 (東京都, 2025)", "rd_over_3_percent": "on",
                   "coe_category": "2", "pays_visa_fees": "on"})).await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved["sme"], true);
        assert_eq!(
            saved["bonus_points"],
            json!([
                ["innovation_support", 10],
                ["sme_with_innovation_support", 10],
                ["sme_research_spending", 5]
            ])
        );
        let sponsored = get_json(&j.engineer, app, &readiness_path).await;
        assert_eq!(sponsored["points_at_offer"]["total"], 90);
        assert_eq!(sponsored["points_at_offer"]["qualifies"], true);
        assert_eq!(
            sponsored["points_at_offer"]["permanent_residence_after_years"],
            1
        );
        // category 2 files the short list, plus the points sheet and its proofs
        assert_eq!(sponsored["checklist"]["category"], 2);
        assert_eq!(sponsored["checklist"]["rows"].as_array().unwrap().len(), 7);
        assert_eq!(row(&sponsored, "photo")["can_tick"], true);
        assert_eq!(row(&sponsored, "return_envelope")["can_tick"], false);

        // each side its own documents
        let (status, after) = tick_as(&j.engineer, app, j.application, "photo", true).await;
        assert_eq!(status, StatusCode::OK, "{after}");
        let me = get_json(&j.engineer, app, "/api/v1/me").await;
        assert_eq!(row(&after, "photo")["ticked_by"], me["display_name"]);
        assert!(row(&after, "photo")["ticked_at"].is_string());
        for (client, key) in [(&j.engineer, "return_envelope"), (&app.client, "photo")] {
            let (status, _) = tick_as(client, app, j.application, key, true).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{key}");
        }
        // a body that does not say done or not is refused, naming the field
        let path = format!("/api/v1/applications/{}/checklist/photo", j.application);
        let (status, body) = send(&j.engineer, app, "PUT", &path, json!({"done": "yes"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains("done"),
            "{body}"
        );
        let (status, _) = tick_as(&app.client, app, j.application, "no_such_document", true).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = tick_as(&app.client, app, j.application, "return_envelope", true).await;
        assert_eq!(status, StatusCode::OK);
        // twice is once
        let (status, twice) =
            tick_as(&app.client, app, j.application, "return_envelope", true).await;
        assert_eq!(status, StatusCode::OK);
        assert!(row(&twice, "return_envelope")["ticked_at"].is_string());
        let (status, undone) =
            tick_as(&app.client, app, j.application, "return_envelope", false).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(row(&undone, "return_envelope")["ticked_at"], Value::Null);
        assert!(
            row(&undone, "photo")["ticked_at"].is_string(),
            "the other side's tick stays"
        );
    }
);

on_both_databases!(
    the_employer_receives_the_candidates_documents_with_contact_details_only_under_consent,
    async |app: &TestApp| {
        let j = journey(app, "papers@example.in", false).await;
        let (status, _) = send(&j.engineer, app, "PUT", "/api/v1/me/document-details",
            json!({"name_kana": "プリヤ シャルマ", "phone": "+91 98450 12345", "address": "Indiranagar, Bengaluru",
                   "motivation": "Safe vehicle software."})).await;
        assert_eq!(status, StatusCode::OK);
        let own = pdf(&j.engineer, app, "/api/v1/me/documents/rirekisho.pdf").await;
        assert!(
            own.contains("98450 12345") && own.contains("Indiranagar"),
            "{own}"
        );

        let documents = format!("/api/v1/applications/{}/documents", j.application);
        let readiness = get_json(
            &app.client,
            app,
            &format!("/api/v1/applications/{}/readiness", j.application),
        )
        .await;
        assert_eq!(readiness["documents_at"], documents.as_str());
        assert_eq!(readiness["contact_left_out"], true);
        let withheld = pdf(&app.client, app, &format!("{documents}/rirekisho.pdf")).await;
        for expected in ["プリヤ シャルマ", "Safe vehicle software."] {
            assert!(
                withheld.contains(expected),
                "{expected:?} not in:\n{withheld}"
            );
        }
        for private in ["98450 12345", "Indiranagar", "papers@example.in"] {
            assert!(
                !withheld.contains(private),
                "{private:?} given without consent:\n{withheld}"
            );
        }
        let cv = pdf(&app.client, app, &format!("{documents}/cv.pdf")).await;
        assert!(
            !cv.contains("98450 12345") && cv.contains("Priya Sharma"),
            "{cv}"
        );

        let consent = j
            .engineer
            .put(app.url(&format!("/api/v1/applications/{}/consent", j.application)))
            .send()
            .await
            .unwrap();
        assert_eq!(consent.status(), StatusCode::NO_CONTENT);
        let shared = pdf(&app.client, app, &format!("{documents}/rirekisho.pdf")).await;
        assert!(
            shared.contains("98450 12345") && shared.contains("papers@example.in"),
            "{shared}"
        );
        let missing = app
            .client
            .get(app.url(&format!("{documents}/passport.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }
);
