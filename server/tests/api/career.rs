//! Education, jobs and qualifications through the API: read back as stored, every row checked,
//! and what they change downstream (skills' years in matching, the points, the search text).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{engineer_with, pdftotext, TestApp};
use crate::on_both_databases;

fn career() -> Value {
    json!({
        "education": [
            {"level": "bachelors", "field": "Electronics and Communication", "institution": "NIT Trichy",
             "country": "in", "started": "2012-07", "ended": "2016-05"},
            {"level": "masters", "field": "VLSI Design", "institution": "Tohoku University",
             "country": "JP", "started": "2016-10", "ended": "2018-09"}
        ],
        "employment": [
            {"employer": "Tata Elxsi", "country": "IN", "title": "Embedded software engineer",
             "started": "2018-10", "ended": "2022-03",
             "description": "Body control modules on AUTOSAR Classic; cut boot time by 40%",
             "skills": ["AUTOSAR", "組込みC", "Acme FlowBuilder"]},
            {"employer": "Bosch", "country": "IN", "title": "Senior engineer", "started": "2022-01",
             "skills": ["rust"]}
        ],
        "qualifications": [
            {"kind": "jlpt", "name": "N2", "obtained": "2023-12", "identifier": "N2A123456"},
            {"kind": "japanese_it", "name": "基本情報技術者", "obtained": "2024-06"}
        ]
    })
}

on_both_databases!(
    a_career_is_stored_read_back_and_feeds_the_skills_years,
    async |app: &TestApp| {
        let (engineer, engineer_id) = engineer_with(
            app,
            "career@example.in",
            json!({"full_name": "Meera Iyer", "years_experience": 8,
                   "skills": [{"skill": "autosar", "years": 1}]}),
        )
        .await;
        let saved = engineer
            .put(app.url("/api/v1/me/career"))
            .json(&career())
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
        let read: Value = crate::helpers::get_json(&engineer, app, "/api/v1/me/career").await;
        assert_eq!(read["education"][0]["country"], "IN");
        assert_eq!(read["education"][1]["ended"], "2018-09");
        assert_eq!(
            read["employment"][0]["skills"],
            json!(["autosar", "embedded-c", "Acme FlowBuilder"])
        );
        assert_eq!(read["employment"][1]["ended"], Value::Null);
        assert_eq!(read["qualifications"][1]["name"], "fe");

        // an employer searching the talent pool finds the engineer by what a job description says
        let employer = app.sign_up_employer("career@example.jp").await;
        crate::helpers::verify_organisation_of(app, &employer).await;
        let found: Value = app
            .get("/api/v1/engineers?q=Tohoku")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(crate::helpers::ids(&found), vec![engineer_id]);

        // the role asks Rust: the jobs say five years of it (2022-01 to now), none was typed
        let role: Value = app
            .post_json("/api/v1/roles", &crate::helpers::valid_role())
            .await
            .json()
            .await
            .unwrap();
        let mine: Value = crate::helpers::get_json(&engineer, app, "/api/v1/me/matches").await;
        let matched = mine
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["role"]["id"] == role["id"])
            .map(|m| m["explanation"]["matched"].clone())
            .unwrap();
        let rust = matched
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["skill"] == "rust")
            .unwrap();
        let months = {
            use chrono::Datelike;
            let today = domain::time::japan_date(chrono::Utc::now());
            (today.year() - 2022) * 12 + today.month() as i32
        };
        assert_eq!(rust["years_held"].as_i64().unwrap(), i64::from(months / 12));
    }
);

on_both_databases!(
    a_bad_career_is_refused_row_by_row_and_nothing_is_saved,
    async |app: &TestApp| {
        let (engineer, _) = engineer_with(
            app,
            "career-bad@example.in",
            json!({"full_name": "Meera Iyer", "years_experience": 8}),
        )
        .await;
        let mut bad = career();
        bad["education"][0]["ended"] = json!("2011-01");
        bad["employment"][1]["started"] = json!("2999-01");
        bad["qualifications"][1]["name"] = json!("ITパスポート");
        let refused = engineer
            .put(app.url("/api/v1/me/career"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let error: Value = refused.json().await.unwrap();
        assert_eq!(
            crate::helpers::error_fields(&error),
            vec![
                "education[0].ended",
                "employment[1].started",
                "qualifications[1].name"
            ]
        );
        let read: Value = crate::helpers::get_json(&engineer, app, "/api/v1/me/career").await;
        assert_eq!(read["education"], json!([]));
    }
);

on_both_databases!(
    an_engineer_downloads_the_documents_written_from_their_career,
    async |app: &TestApp| {
        let (engineer, _) = engineer_with(
            app,
            "documents@example.in",
            json!({"full_name": "Priya Sharma", "years_experience": 8, "date_of_birth": "1994-04-02",
                   "skills": [{"skill": "rust", "years": 4}]}),
        )
        .await;
        let put = |path: &str, body: Value| {
            let request = engineer.put(app.url(path)).json(&body).send();
            async move { request.await.unwrap().status() }
        };
        assert_eq!(put("/api/v1/me/career", career()).await, StatusCode::OK);
        let details: Value = engineer
            .get(app.url("/api/v1/me/document-details"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(details["name_kana"], Value::Null);
        assert_eq!(
            put(
                "/api/v1/me/document-details",
                json!({"name_kana": "プリヤ シャルマ", "era": "japanese",
                       "motivation": "I want to build safe vehicle software in Japan."})
            )
            .await,
            StatusCode::OK
        );
        let response = engineer
            .get(app.url("/api/v1/me/documents/rirekisho.pdf"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        assert_eq!(response.headers()["cache-control"], "private, no-store");
        let pdf = response.bytes().await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdftotext(&pdf);
        for expected in [
            "プリヤ シャルマ",
            "平成6年4月2日生",
            "Tata Elxsi 入社",
            "日本語能力試験 N2 合格",
            "I want to build safe vehicle software in Japan.",
        ] {
            assert!(text.contains(expected), "{expected:?} not in:\n{text}");
        }
        for file in ["shokumu-keirekisho.pdf", "cv.pdf"] {
            let response = engineer
                .get(app.url(&format!("/api/v1/me/documents/{file}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{file}");
        }
        assert_eq!(
            engineer
                .get(app.url("/api/v1/me/documents/passport.pdf"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND
        );
    }
);

/// A PNG of `width` × `height` pixels.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..width * height * 3).map(|i| (i % 253) as u8).collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// The images `pdfimages -list` finds in a PDF (its two header lines left out).
fn images_in(pdf: &[u8]) -> usize {
    let path = std::env::temp_dir().join(format!("setubashi-photo-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdfimages")
        .args(["-list", path.to_str().unwrap()])
        .output()
        .expect("pdfimages (Debian's poppler-utils)");
    let _ = std::fs::remove_file(&path);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .count()
        .saturating_sub(2)
}

on_both_databases!(
    a_photo_is_checked_kept_for_the_rirekisho_and_removed,
    async |app: &TestApp| {
        let (engineer, _) = engineer_with(
            app,
            "photo@example.in",
            json!({"full_name": "Kavya Reddy", "years_experience": 3}),
        )
        .await;
        let put = |body: Vec<u8>, content_type: &'static str| {
            let request = engineer
                .put(app.url("/api/v1/me/photo"))
                .header("content-type", content_type)
                .body(body)
                .send();
            async move { request.await.unwrap() }
        };
        let rirekisho = || {
            let request = engineer
                .get(app.url("/api/v1/me/documents/rirekisho.pdf"))
                .send();
            async move { request.await.unwrap().bytes().await.unwrap().to_vec() }
        };
        assert_eq!(images_in(&rirekisho().await), 0);
        let photo = png(240, 320);
        assert_eq!(
            put(photo.clone(), "image/png").await.status(),
            StatusCode::NO_CONTENT
        );
        let kept = engineer
            .get(app.url("/api/v1/me/photo"))
            .send()
            .await
            .unwrap();
        assert_eq!(kept.status(), StatusCode::OK);
        assert_eq!(kept.headers()["content-type"], "image/png");
        assert_eq!(kept.headers()["cache-control"], "private, no-store");
        assert_eq!(kept.bytes().await.unwrap().to_vec(), photo);
        assert_eq!(images_in(&rirekisho().await), 1);

        // the type comes from the bytes: a declared type proves nothing
        let refused = put(b"<svg onload=alert(1)>".to_vec(), "image/png").await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "photo");
        assert_eq!(
            put(png(20, 20), "image/png").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "too few pixels"
        );
        let too_large = put(vec![0xFF; 3 * 1024 * 1024], "image/jpeg").await;
        assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
        // refused unread: the connection closes rather than being reused mid-body
        assert_eq!(too_large.headers()["connection"], "close");
        // a refused upload keeps the photo there was
        assert_eq!(images_in(&rirekisho().await), 1);

        let removed = engineer
            .delete(app.url("/api/v1/me/photo"))
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), StatusCode::NO_CONTENT);
        let gone = engineer
            .get(app.url("/api/v1/me/photo"))
            .send()
            .await
            .unwrap();
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
        assert_eq!(images_in(&rirekisho().await), 0);
    }
);
