//! The programme administrators' area: every page, server function, export and API refused to
//! everyone else; the dashboard's numbers checked against counts made here from the rows; the
//! verification queue, suspensions, the audit log and the settings.

use std::collections::{HashMap, HashSet};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{
    admin_client, html_page, new_client, server_fn, valid_role, TestApp, STRONG_PASSWORD,
};
use crate::on_both_databases;

const PAGES: [&str; 5] = [
    "/admin",
    "/admin/verification",
    "/admin/users",
    "/admin/audit",
    "/admin/settings",
];
const FUNCTIONS: [(&str, &[(&str, &str)]); 8] = [
    ("load_programme", &[("filters[from]", "")]),
    ("load_verification_queue", &[]),
    (
        "decide_verification",
        &[
            ("organisation_id", "1"),
            ("decision", "approve"),
            ("reason", ""),
        ],
    ),
    ("find_users", &[("q", ""), ("role", "")]),
    ("set_suspended", &[("user_id", "1"), ("suspend", "true")]),
    ("load_audit", &[("filters[action]", "")]),
    ("load_settings", &[]),
    (
        "save_settings",
        &[
            ("draft[target_people]", "1"),
            ("draft[start]", "2025-09-01"),
            ("draft[horizon_years]", "1"),
            ("draft[counted_stage]", "arrived"),
        ],
    ),
];

on_both_databases!(
    only_administrators_reach_any_page_function_export_or_api_of_the_programme,
    async |app: &TestApp| {
        let engineer = new_client();
        engineer
            .post(app.url("/api/v1/users"))
            .json(&json!({"email": "eng@example.in", "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Eng"}))
            .send()
            .await
            .unwrap();
        app.sign_up_employer("hr@example.jp").await;
        let visitor = new_client();
        for (who, client, expected) in [
            ("visitor", &visitor, StatusCode::UNAUTHORIZED),
            ("engineer", &engineer, StatusCode::FORBIDDEN),
            ("employer", &app.client, StatusCode::FORBIDDEN),
        ] {
            for page in PAGES {
                let response = client
                    .get(app.url(page))
                    .header("accept", "text/html")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), expected, "{who} {page}");
            }
            for (name, form) in FUNCTIONS {
                assert_eq!(
                    server_fn(client, app, name, form).await.0,
                    expected,
                    "{who} {name}"
                );
            }
            for path in [
                "/api/v1/programme/summary",
                "/admin/export/funnel.csv",
                "/admin/export/audit.csv",
            ] {
                assert_eq!(
                    client.get(app.url(path)).send().await.unwrap().status(),
                    expected,
                    "{who} {path}"
                );
            }
        }
        // nothing they tried changed anything
        use sea_orm::{EntityTrait, PaginatorTrait};
        assert_eq!(
            app::db::entities::programme_settings::Entity::find()
                .count(&app.db)
                .await
                .unwrap(),
            0
        );
        let suspended = app::db::entities::user::Entity::find_by_id(1)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(!suspended.suspended);

        let admin = admin_client(app, "admin@setubashi.example").await;
        for page in PAGES {
            let response = admin
                .get(app.url(page))
                .header("accept", "text/html")
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "admin {page}");
        }
        let summary = admin
            .get(app.url("/api/v1/programme/summary"))
            .send()
            .await
            .unwrap();
        assert_eq!(summary.status(), StatusCode::OK);
        let bad = admin
            .get(app.url("/api/v1/programme/summary?sector=bananas&from=yesterday"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        let body: Value = bad.json().await.unwrap();
        let fields = crate::helpers::error_fields(&body);
        assert_eq!(fields, ["from", "sector"]);
    }
);

on_both_databases!(
    the_dashboard_counts_each_person_once_and_its_exports_carry_the_same_numbers,
    async |app: &TestApp| {
        let taxonomy = domain::skills::Taxonomy::builtin();
        let options = server::seed::SeedOptions {
            engineers: 80,
            roles: 16,
            applications: 400,
            seed: 7,
            progress: false,
        };
        server::seed::seed(&app.db, &taxonomy, options, "demo-password-for-tests")
            .await
            .unwrap();
        // one engineer arrives twice (two roles): still one person
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        let apps = app::db::entities::application::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        let twice = apps
            .iter()
            .find(|a| a.arrived_on.is_some())
            .expect("the seed has arrivals")
            .clone();
        let second = apps
            .iter()
            .find(|a| a.engineer_user_id != twice.engineer_user_id && a.arrived_on.is_none())
            .unwrap();
        app::db::entities::application::ActiveModel {
            id: Set(second.id),
            engineer_user_id: Set(twice.engineer_user_id),
            stage: Set("arrived".to_owned()),
            closed_reason: Set(None),
            arrived_on: Set(twice.arrived_on),
            visa_route: Set(Some("engineer_specialist".to_owned())),
            ..Default::default()
        }
        .update(&app.db)
        .await
        .ok(); // a clash with the pair's unique index just leaves the data as it was
        let apps = app::db::entities::application::Entity::find()
            .all(&app.db)
            .await
            .unwrap();

        // the oracle: counted here, from every row
        let counted_people: HashSet<i32> = apps
            .iter()
            .filter(|a| a.arrived_on.is_some() && a.visa_route.is_some())
            .map(|a| a.engineer_user_id)
            .collect();
        let arrived_or_beyond = apps
            .iter()
            .filter(|a| a.stage == "arrived" || a.stage == "resident_registered")
            .count();
        let mut by_sector: HashMap<String, u64> = HashMap::new();
        for a in &apps {
            *by_sector
                .entry(a.sector.clone().unwrap_or_default())
                .or_default() += 1;
        }

        let admin = admin_client(app, "admin@setubashi.example").await;
        let summary: Value = admin
            .get(app.url("/api/v1/programme/summary"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(summary["progress"]["counted"], counted_people.len() as u64);
        assert_eq!(summary["target_people"], 50_000);
        assert_eq!(summary["funnel"][0]["stage"], "applied");
        assert_eq!(summary["funnel"][0]["reached"], apps.len() as u64);
        let arrived = summary["funnel"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["stage"] == "arrived")
            .unwrap();
        assert_eq!(arrived["reached"], arrived_or_beyond as u64);
        let sectors = summary["breakdowns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["dimension"] == "sector")
            .unwrap();
        for row in sectors["rows"].as_array().unwrap() {
            assert_eq!(
                row["applications"],
                by_sector[row["key"].as_str().unwrap()],
                "{row}"
            );
        }
        // medians: the lower middle of the day differences, computed here from the rows
        let median = |mut days: Vec<i64>| {
            days.sort_unstable();
            (!days.is_empty()).then(|| days[(days.len() - 1) / 2])
        };
        let to_offer: Vec<i64> = apps
            .iter()
            .filter_map(|a| Some((a.offered_on? - a.applied_at.date_naive()).num_days()))
            .collect();
        let to_arrival: Vec<i64> = apps
            .iter()
            .filter_map(|a| Some((a.arrived_on? - a.coe_issued_on?).num_days()))
            .collect();
        assert!(!to_offer.is_empty() && !to_arrival.is_empty());
        assert_eq!(
            summary["medians"]["applied_to_offer"],
            json!(median(to_offer))
        );
        assert_eq!(
            summary["medians"]["coe_issued_to_arrival"],
            json!(median(to_arrival))
        );
        // the employer breakdown adds up to every application
        let employers = summary["breakdowns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["dimension"] == "state")
            .unwrap();
        let total: u64 = employers["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["applications"].as_u64().unwrap())
            .sum();
        assert_eq!(total, apps.len() as u64);
        // the at-risk lists, counted here from the rows
        let today = domain::time::japan_date(chrono::Utc::now());
        let open = |a: &&app::db::entities::application::Model| a.closed_reason.is_none();
        let overdue = apps
            .iter()
            .filter(open)
            .filter(|a| {
                a.stage == "arrived"
                    && a.arrived_on
                        .is_some_and(|d| d < today - chrono::Days::new(14))
            })
            .count();
        let expiring = apps
            .iter()
            .filter(open)
            .filter(|a| ["coe_issued", "visa_applied", "visa_issued"].contains(&a.stage.as_str()))
            .filter(|a| {
                a.coe_issued_on.is_some_and(|d| {
                    domain::pipeline::coe_expires_on(d) <= today + chrono::Days::new(30)
                })
            })
            .count();
        assert_eq!(summary["registration_overdue"]["total"], overdue as u64);
        assert_eq!(summary["coe_expiring"]["total"], expiring as u64);
        assert!(summary["stuck"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["days"].as_i64().unwrap() >= 30));
        let cumulative = summary["arrivals_by_month"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["cumulative"]
            .clone();
        assert_eq!(cumulative, counted_people.len() as u64);
        let closed: u64 = summary["closed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[1].as_u64().unwrap())
            .sum();
        assert_eq!(
            closed,
            apps.iter().filter(|a| a.closed_reason.is_some()).count() as u64
        );

        // a filter narrows the funnel to its slice
        let (sector, expected) = by_sector.iter().max_by_key(|(_, n)| **n).unwrap();
        let filtered: Value = admin
            .get(app.url(&format!("/api/v1/programme/summary?sector={sector}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(filtered["funnel"][0]["reached"], *expected);

        // the export: a byte-order mark, a header in the reader's language, the same numbers
        let csv = admin
            .get(app.url("/admin/export/funnel.csv"))
            .header("accept-language", "ja")
            .send()
            .await
            .unwrap();
        assert_eq!(csv.status(), StatusCode::OK);
        assert!(csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        assert!(csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment"));
        let bytes = csv.bytes().await.unwrap();
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut reader = csv_reader(&text);
        let header = reader.headers().unwrap().clone();
        assert_eq!(&header[1], "段階");
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 12);
        assert_eq!(&rows[0][0], "applied");
        assert_eq!(rows[0][2].parse::<usize>().unwrap(), apps.len());
        assert_eq!(
            admin
                .get(app.url("/admin/export/nonsense.csv"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::NOT_FOUND
        );
        let page = admin
            .get(app.url("/admin"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("<svg") && page.contains("role=\"img\"") && page.contains("<desc"),
            "charts are accessible SVG"
        );
    }
);

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::Reader::from_reader(text.as_bytes())
}

on_both_databases!(
    verification_approves_or_rejects_with_a_reason_and_tells_the_employer,
    async |app: &TestApp| {
        let employer: Value = app.sign_up_employer("hr@queue.example.jp").await;
        let organisation = employer["organisation_id"].as_i64().unwrap().to_string();
        let role = app
            .post_json("/api/v1/roles", &valid_role())
            .await
            .json::<Value>()
            .await
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let admin = admin_client(app, "admin@setubashi.example").await;
        let (status, queue) = server_fn(&admin, app, "load_verification_queue", &[]).await;
        assert_eq!(status, StatusCode::OK);
        let queue: Value = serde_json::from_str(&queue).unwrap();
        assert_eq!(queue[0]["organisation_id"].to_string(), organisation);
        assert_eq!(queue[0]["roles"], 1);
        assert_eq!(queue[0]["contact_email"], "hr@queue.example.jp");

        let (status, _) = server_fn(
            &admin,
            app,
            "decide_verification",
            &[
                ("organisation_id", &organisation),
                ("decision", "reject"),
                ("reason", ""),
            ],
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a rejection needs a reason"
        );
        // the same refusal posted by the page's plain form: the page it returns to shows it on
        // that card, beside the reason, and only once
        let back = app.url("/admin/verification");
        let card_of = |page: &str| {
            page.split(&format!("data-organisation=\"{organisation}\""))
                .nth(1)
                .and_then(|rest| rest.split("</li>").next())
                .map(str::to_owned)
                .unwrap_or_default()
        };
        let refused = admin
            .post(app.url("/api/decide_verification"))
            .header("accept", "text/html")
            .header("referer", &back)
            .form(&[
                ("organisation_id", organisation.as_str()),
                ("decision", "reject"),
                ("reason", " "),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FOUND);
        let location = refused.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with(&back), "back to the page: {location}");
        let page = html_page(&admin, app, &location.replace(&app.url(""), "")).await;
        let card = card_of(&page);
        let reject_form = card.split("reject-form").nth(1).unwrap_or_default();
        assert!(
            reject_form.contains("field-error") && reject_form.contains("alert-error"),
            "the refusal shows in the reject form of the card sent: {card}"
        );
        let approve_form = card.split("reject-form").next().unwrap_or_default();
        assert!(
            !approve_form.contains("alert-error"),
            "not in its approve form"
        );
        let again = html_page(&admin, app, "/admin/verification").await;
        assert!(!card_of(&again).contains("alert-error"), "shown once");
        let (status, _) = server_fn(
            &admin,
            app,
            "decide_verification",
            &[
                ("organisation_id", &organisation),
                ("decision", "reject"),
                ("reason", "Please give the company's registered name"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let notes: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        assert_eq!(notes["notifications"][0]["kind"], "organisation_rejected");
        assert_eq!(
            notes["notifications"][0]["message"],
            "Please give the company's registered name"
        );
        let (_, queue) = server_fn(&admin, app, "load_verification_queue", &[]).await;
        assert_eq!(
            queue, "[]",
            "a rejected employer waits until it changes its details"
        );

        let (status, _) = server_fn(
            &app.client,
            app,
            "save_organisation",
            &[
                ("draft[name_ja]", "みらい半導体株式会社"),
                ("draft[name_en]", "Mirai Semiconductor K.K."),
                ("draft[prefecture]", "kumamoto"),
                ("draft[sector]", "semiconductors"),
                ("draft[size]", "large"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let (_, queue) = server_fn(&admin, app, "load_verification_queue", &[]).await;
        let queue: Value = serde_json::from_str(&queue).unwrap();
        assert_eq!(
            queue[0]["earlier_rejection"],
            "Please give the company's registered name"
        );

        let (status, _) = server_fn(
            &admin,
            app,
            "decide_verification",
            &[
                ("organisation_id", &organisation),
                ("decision", "approve"),
                ("reason", ""),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let notes: Value = app.get("/api/v1/notifications").await.json().await.unwrap();
        assert_eq!(notes["notifications"][0]["kind"], "organisation_verified");
        // its role is now published: an engineer can open it
        let visitor = new_client();
        let page = visitor
            .get(app.url(&format!("/jobs/{role}")))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let (_, audit) = server_fn(
            &admin,
            app,
            "load_audit",
            &[("filters[action]", "organisation.")],
        )
        .await;
        let audit: Value = serde_json::from_str(&audit).unwrap();
        let actions: Vec<&str> = audit["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "organisation.verified",
                "organisation.updated",
                "organisation.rejected"
            ]
        );
    }
);

on_both_databases!(
    suspension_locks_a_user_out_but_never_the_last_administrator,
    async |app: &TestApp| {
        let engineer = new_client();
        let created: Value = engineer
            .post(app.url("/api/v1/users"))
            .json(&json!({"email": "suspend.me@example.in", "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Suspend Me"}))
            .send().await.unwrap().json().await.unwrap();
        let engineer_id = created["id"].to_string();
        let admin = admin_client(app, "admin@setubashi.example").await;
        let (_, found) = server_fn(
            &admin,
            app,
            "find_users",
            &[("q", "suspend.me"), ("role", "engineer")],
        )
        .await;
        let found: Value = serde_json::from_str(&found).unwrap();
        assert_eq!(found.as_array().unwrap().len(), 1);
        // by name too, whatever the capitals, on both databases
        let (_, by_name) = server_fn(
            &admin,
            app,
            "find_users",
            &[("q", "SUSPEND me"), ("role", "")],
        )
        .await;
        let by_name: Value = serde_json::from_str(&by_name).unwrap();
        assert_eq!(by_name[0]["email"], "suspend.me@example.in");
        let (status, _) =
            server_fn(&admin, app, "find_users", &[("q", ""), ("role", "pilot")]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);

        let (status, _) = server_fn(
            &admin,
            app,
            "set_suspended",
            &[("user_id", &engineer_id), ("suspend", "true")],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            engineer
                .get(app.url("/api/v1/me"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );
        let log_in = new_client()
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "suspend.me@example.in", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(log_in.status(), StatusCode::UNAUTHORIZED);
        let (status, _) = server_fn(
            &admin,
            app,
            "set_suspended",
            &[("user_id", &engineer_id), ("suspend", "false")],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // the sessions suspension ended stay ended; the reinstated user logs in afresh
        assert_eq!(
            engineer
                .get(app.url("/api/v1/me"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );
        let log_in = engineer
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "suspend.me@example.in", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(log_in.status(), StatusCode::OK);
        assert_eq!(
            engineer
                .get(app.url("/api/v1/me"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );

        // the only administrator cannot suspend themselves; with a second one, they can
        let me: Value = admin
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let my_id = me["id"].to_string();
        let (status, body) = server_fn(
            &admin,
            app,
            "set_suspended",
            &[("user_id", &my_id), ("suspend", "true")],
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(
            admin
                .get(app.url("/api/v1/me"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
        let second = admin_client(app, "second.admin@setubashi.example").await;
        let (status, _) = server_fn(
            &second,
            app,
            "set_suspended",
            &[("user_id", &my_id), ("suspend", "true")],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            admin
                .get(app.url("/api/v1/me"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );
        let second_me: Value = second
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let (status, _) = server_fn(
            &second,
            app,
            "set_suspended",
            &[
                ("user_id", &second_me["id"].to_string()),
                ("suspend", "true"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (_, audit) = server_fn(
            &second,
            app,
            "load_audit",
            &[("filters[action]", "user.suspended")],
        )
        .await;
        let audit: Value = serde_json::from_str(&audit).unwrap();
        assert_eq!(audit["rows"].as_array().unwrap().len(), 2);
    }
);

on_both_databases!(
    settings_are_checked_saved_audited_and_used_by_the_dashboard,
    async |app: &TestApp| {
        let admin = admin_client(app, "admin@setubashi.example").await;
        let (status, body) = server_fn(
            &admin,
            app,
            "save_settings",
            &[
                ("draft[target_people]", "60000"),
                ("draft[start]", "2025-09-01"),
                ("draft[horizon_years]", "5"),
                ("draft[counted_stage]", "arrived"),
                ("draft[counted_routes]", "engineer_specialist"),
                ("draft[annual_targets]", "10000, 10000"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("annual_targets"), "{body}");
        let (status, _) = server_fn(
            &admin,
            app,
            "save_settings",
            &[
                ("draft[target_people]", "60000"),
                ("draft[start]", "2025-09-01"),
                ("draft[horizon_years]", "5"),
                ("draft[counted_stage]", "arrived"),
                ("draft[counted_routes]", "engineer_specialist"),
                ("draft[annual_targets]", "6000, 9000, 12000, 15000, 18000"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let summary: Value = admin
            .get(app.url("/api/v1/programme/summary"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(summary["target_people"], 60_000);
        assert_eq!(summary["counted_routes"], json!(["engineer_specialist"]));
        assert_eq!(summary["years"][1][1], 9_000);
        let (_, audit) = server_fn(
            &admin,
            app,
            "load_audit",
            &[("filters[action]", "programme.")],
        )
        .await;
        let audit: Value = serde_json::from_str(&audit).unwrap();
        assert_eq!(audit["rows"][0]["action"], "programme.settings_changed");
        assert!(audit["rows"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("60000"));
        let csv = admin
            .get(app.url("/admin/export/audit.csv?action=programme."))
            .send()
            .await
            .unwrap();
        let text = csv.text().await.unwrap();
        assert_eq!(
            text.trim_start_matches('\u{feff}').lines().count(),
            2,
            "{text}"
        );
    }
);
