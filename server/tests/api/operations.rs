//! Running several instances on one PostgreSQL database: what happens at the same time must not
//! break either.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

use crate::helpers::{postgres_admin_url, TestApp};
use crate::on_both_databases;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_starting_at_once_migrate_one_after_the_other() {
    let admin_url = postgres_admin_url();
    let name = format!("setubashi_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap();
    let url = format!("{base}/{name}");
    // four instances of a deploy start together on an empty database
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { app::db::connect_and_migrate(&url).await })
        })
        .collect();
    for start in starts {
        let db = start.await.unwrap().expect("every instance starts");
        db.close().await.unwrap();
    }
    let _ = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
}

on_both_databases!(
    readiness_reports_the_database_the_index_and_its_backlog,
    async |app: &TestApp| {
        let response = app.get("/readyz").await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["ready"], true);
        assert_eq!(body["database"], true);
        assert_eq!(body["backlog"], 0);
        assert_eq!(body["index"], true, "{body}");
    }
);

on_both_databases!(
    every_response_carries_a_request_id_and_keeps_the_proxys,
    async |app: &TestApp| {
        let first = app.get("/healthz").await;
        let second = app.get("/healthz").await;
        let id = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_ne!(id(&first), id(&second));
        assert_eq!(id(&first).len(), 36, "a UUID");
        let given = app
            .client
            .get(app.url("/healthz"))
            .header("x-request-id", "fly-abc-123")
            .send()
            .await
            .unwrap();
        assert_eq!(id(&given), "fly-abc-123");
    }
);

/// Runs one of the project's scripts with `DATABASE_URL`; panics with its output if it fails.
fn script(name: &str, database_url: &str, args: &[&str]) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../scripts/{name}"));
    let output = std::process::Command::new(path)
        .args(args)
        .env("DATABASE_URL", database_url)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{name}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_restores_into_an_empty_database_with_every_record() {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await;
    app.sign_up_employer("backup@example.jp").await;
    let created = app
        .post_json("/api/v1/roles", &crate::helpers::valid_role())
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    app.log_out().await;
    app.sign_up_engineer("restored@example.in").await;
    let source = app.postgres_url().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("setubashi.dump");
    script("backup.sh", &source, &[file.to_str().unwrap()]);

    // a new, empty database, as after losing the old one
    let admin_url = postgres_admin_url();
    let name = format!("setubashi_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap();
    let target = format!("{base}/{name}");
    script("restore.sh", &target, &[file.to_str().unwrap()]);

    let restored = app::db::connect_and_migrate(&target).await.unwrap();
    use app::db::entities::{audit_log, organisation, role, user};
    assert_eq!(
        user::Entity::find().count(&restored).await.unwrap(),
        user::Entity::find().count(&app.db).await.unwrap()
    );
    assert_eq!(role::Entity::find().count(&restored).await.unwrap(), 1);
    assert_eq!(
        organisation::Entity::find().count(&restored).await.unwrap(),
        1
    );
    assert_eq!(
        audit_log::Entity::find().count(&restored).await.unwrap(),
        audit_log::Entity::find().count(&app.db).await.unwrap()
    );
    // and the restored database serves log-ins: the password hashes came along
    let hash = user::Entity::find()
        .all(&restored)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "restored@example.in")
        .unwrap()
        .password_hash;
    assert!(
        app::auth::server::verify_password(crate::helpers::STRONG_PASSWORD.into(), hash)
            .await
            .unwrap()
    );
    restored.close().await.unwrap();
    let _ = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
    app.cleanup().await;
}
