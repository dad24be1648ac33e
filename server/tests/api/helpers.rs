//! Spawns the whole app on a random port with a fresh database of its own, on SQLite or on
//! PostgreSQL, so tests run in parallel without sharing state.

use app::state::AppState;
use leptos::config::LeptosOptions;
use reqwest::{Client, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};
use server::sessions::{session_layer, DbSessionStore};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running app and a browser-like client with its own cookie jar.
pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub db: DatabaseConnection,
    pub search: std::sync::Arc<search::SearchIndex>,
    pub indexer: std::sync::Arc<app::indexing::Indexer>,
    /// The state the server was built with (for routers that share it, like the metrics').
    pub state: AppState,
    cleanup: Option<(String, String)>, // (admin url, database name)
    _dir: tempfile::TempDir,
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

pub fn new_client() -> Client {
    Client::builder()
        .cookie_store(true)
        // a request that hangs fails its test with the URL, instead of stalling the run
        .timeout(std::time::Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (url, cleanup) = match backend {
        Backend::Sqlite => (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("test.sqlite3").display()
            ),
            None,
        ),
        Backend::Postgres => {
            let admin_url = postgres_admin_url();
            let name = format!("setubashi_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("PostgreSQL is not reachable: start it (see README)");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .unwrap();
            admin.close().await.unwrap();
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b.to_owned())
                .unwrap();
            (format!("{base}/{name}"), Some((admin_url, name)))
        }
    };
    start_instance(&url, cleanup, dir).await
}

/// Another server instance on `app`'s PostgreSQL database, with its own index directory and
/// connection pool, as a second machine would be. Its cleanup leaves the database alone.
pub async fn spawn_instance(app: &TestApp) -> TestApp {
    let url = app
        .postgres_url()
        .expect("several instances share a PostgreSQL database");
    start_instance(&url, None, tempfile::tempdir().unwrap()).await
}

async fn start_instance(
    url: &str,
    cleanup: Option<(String, String)>,
    dir: tempfile::TempDir,
) -> TestApp {
    let db = app::db::connect_and_migrate(url).await.unwrap();
    let store = DbSessionStore::new(&db).await.unwrap();
    let options = LeptosOptions::builder()
        .output_name("setubashi")
        .site_root("target/site")
        .build();
    let index_dir = dir.path().join("index");
    let (index, _) = search::SearchIndex::open_or_create(
        &index_dir,
        dictionary(),
        domain::skills::Taxonomy::builtin(),
    )
    .unwrap();
    let search = std::sync::Arc::new(index);
    let mut state = AppState::new(options, db.clone(), search.clone());
    let indexer = state.indexer.clone();
    // as behind a proxy: tests name the client's address in this header (or fall back to the
    // peer address, 127.0.0.1, when they do not)
    state.client_ip_header = Some(http::HeaderName::from_static("x-client-ip"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // the links in e-mails lead back to this app
    state.public_url = format!("http://127.0.0.1:{port}");
    let shared_state = state.clone();
    let router = server::app_router(state, session_layer(store, false));

    tokio::spawn(async move {
        server::serve::serve(listener, router, std::future::pending())
            .await
            .unwrap();
    });
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: new_client(),
        db,
        search,
        indexer,
        state: shared_state,
        cleanup,
        _dir: dir,
    }
}

impl TestApp {
    /// The URL of this test's own PostgreSQL database (`None` on SQLite).
    pub fn postgres_url(&self) -> Option<String> {
        let (admin_url, name) = self.cleanup.as_ref()?;
        let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_owned())?;
        Some(format!("{base}/{name}"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Signs up through the API with this app's client (which then holds the session), and
    /// proves the address as following the e-mailed link would.
    pub async fn sign_up_engineer(&self, email: &str) -> Value {
        let response = self
            .post_json(
                "/api/v1/users",
                &json!({"email": email, "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Priya Sharma"}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{:?}",
            response.text().await
        );
        let user: Value = response.json().await.unwrap();
        verify_email_of(self, &user).await;
        user
    }

    /// Signs up an employer (address proven) with an unverified organisation.
    pub async fn sign_up_employer(&self, email: &str) -> Value {
        let response = self
            .post_json(
                "/api/v1/users",
                &json!({
                    "email": email, "password": STRONG_PASSWORD, "role": "employer", "display_name": "Tanaka Yui",
                    "organisation": {"name_ja": "みらい半導体株式会社", "prefecture": "kumamoto", "sector": "semiconductors", "size": "large"}
                }),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{:?}",
            response.text().await
        );
        let user: Value = response.json().await.unwrap();
        verify_email_of(self, &user).await;
        user
    }

    pub async fn log_out(&self) {
        let response = self
            .client
            .delete(self.url("/api/v1/session"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }

    /// Drops a PostgreSQL test database (SQLite files go with the temp dir).
    pub async fn cleanup(self) {
        let TestApp { db, cleanup, .. } = self;
        db.close().await.unwrap();
        if let Some((admin_url, name)) = cleanup {
            let admin = Database::connect(&admin_url).await.unwrap();
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
            admin.close().await.unwrap();
        }
    }
}

/// IPADIC, built once per test run from Debian's mecab-ipadic (under the build directory).
pub fn dictionary() -> lindera::dictionary::Dictionary {
    static DICTIONARY: std::sync::OnceLock<lindera::dictionary::Dictionary> =
        std::sync::OnceLock::new();
    DICTIONARY
        .get_or_init(|| {
            let cache =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ipadic-cache");
            search::ipadic::load_or_build(
                &cache,
                std::path::Path::new(search::ipadic::DEBIAN_SOURCES),
            )
            .unwrap()
        })
        .clone()
}

/// A new engineer on a client of their own, with `profile` saved; returns (client, user id).
pub async fn engineer_with(app: &TestApp, email: &str, profile: Value) -> (Client, i64) {
    let client = new_client();
    let user: Value = client
        .post(app.url("/api/v1/users"))
        .json(&json!({"email": email, "password": STRONG_PASSWORD, "role": "engineer", "display_name": "Engineer"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    verify_email_of(app, &user).await;
    let saved = client
        .put(app.url("/api/v1/me/profile"))
        .json(&profile)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK, "{:?}", saved.text().await);
    (client, user["id"].as_i64().unwrap())
}

/// Seeds `options` into the app's database (the seeder's bulk accounts: no argon2 hash per row)
/// and rebuilds its search index from it.
pub async fn seed_and_index(app: &TestApp, options: server::seed::SeedOptions) {
    let taxonomy = domain::skills::Taxonomy::builtin();
    server::seed::seed(&app.db, &taxonomy, options, "demo-password-for-tests")
        .await
        .unwrap();
    app::indexing::rebuild(&app.db, &app.search, |_, _| {})
        .await
        .unwrap();
}

/// A client signed in as a new administrator (created as the command line does).
pub async fn admin_client(app: &TestApp, email: &str) -> Client {
    app::auth::server::create_admin(&app.db, email, STRONG_PASSWORD, "Programme Admin")
        .await
        .unwrap();
    let client = new_client();
    let response = client
        .post(app.url("/api/v1/session"))
        .json(&json!({"email": email, "password": STRONG_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    client
}

/// Calls a server function as the pages do (a form post asking for JSON): status and body.
pub async fn server_fn(
    client: &Client,
    app: &TestApp,
    name: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = client
        .post(app.url(&format!("/api/{name}")))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

/// Verifies the organisation of a signed-up employer (as an administrator would).
pub async fn verify_organisation_of(app: &TestApp, employer: &Value) {
    app::organisation::server::set_verified(
        &app.db,
        None,
        employer["organisation_id"].as_i64().unwrap() as i32,
        true,
    )
    .await
    .unwrap();
}

/// The field paths of an error answer's `fields`, in order.
pub fn error_fields(body: &Value) -> Vec<&str> {
    body["error"]["fields"]
        .as_array()
        .map(|fields| fields.iter().filter_map(|f| f["field"].as_str()).collect())
        .unwrap_or_default()
}

/// A password that passes the length and commonness rules.
pub const STRONG_PASSWORD: &str = "violet-kettle-monsoon-42";

/// A role body that passes every rule.
pub fn valid_role() -> Value {
    json!({
        "title_ja": "組み込みエンジニア（EV）",
        "title_en": "Embedded engineer (EV)",
        "description_ja": "BMSのファームウェア開発",
        "required_skills": [{"skill": "組み込み", "min_years": 3}, {"skill": "Rust", "min_years": 1}],
        "nice_skills": [{"skill": "機械学習"}],
        "min_jlpt": "N3",
        "working_language": "mixed",
        "salary_min_jpy": 5000000,
        "salary_max_jpy": 8000000,
        "prefecture": "aichi",
        "remote_policy": "hybrid",
        "visa_sponsorship": true,
        "apply_from_abroad": true
    })
}

/// Runs one async test body on both databases, as two tests. The server runs on a multi-thread
/// runtime as in production, and a test that has not finished in five minutes fails instead of
/// hanging the run. The limit is a guard against a hang, not a measure: the dashboard's
/// equivalence test (81 views, each read twice) took over two minutes on two cores busy with
/// a seeding and a release build.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await;
                tokio::time::timeout(std::time::Duration::from_secs(300), ($body)(&app))
                    .await
                    .expect("the test did not finish in five minutes");
                app.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await;
                tokio::time::timeout(std::time::Duration::from_secs(300), ($body)(&app))
                    .await
                    .expect("the test did not finish in five minutes");
                app.cleanup().await;
            }
        }
    };
}

/// An application in progress: a verified employer (on `app.client`) with an open role, and an
/// engineer with a profile (born 1995-04-02) who applied to it on a client of their own.
pub struct Journey {
    pub engineer: Client,
    pub engineer_id: i32,
    pub role: i64,
    pub application: i32,
}

/// Sets up a [`Journey`]; `share_contact` is the engineer's answer to sharing their contact
/// details with the employer when applying.
pub async fn journey(app: &TestApp, engineer_email: &str, share_contact: bool) -> Journey {
    let employer = app.sign_up_employer("hr@mirai.example.jp").await;
    verify_organisation_of(app, &employer).await;
    let created = app.post_json("/api/v1/roles", &valid_role()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let role = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let (engineer, engineer_id) = engineer_with(
        app,
        engineer_email,
        json!({
            "full_name": "Priya Sharma", "years_experience": 6, "jlpt_level": "N3",
            "indian_state": "ka", "degree": "masters", "date_of_birth": "1995-04-02",
            "city": "Bengaluru", "headline": "Embedded engineer, Priya's own words",
            "skills": [{"skill": "組み込み", "years": 5}, {"skill": "Rust", "years": 3}]
        }),
    )
    .await;
    let applied = engineer
        .post(app.url(&format!("/api/v1/roles/{role}/applications")))
        .json(&json!({"note": "Priya Sharma here: I build BMS firmware in Rust.", "share_contact": share_contact}))
        .send()
        .await
        .unwrap();
    assert_eq!(applied.status(), StatusCode::CREATED);
    let application = applied.json::<Value>().await.unwrap()["summary"]["id"]
        .as_i64()
        .unwrap() as i32;
    Journey {
        engineer,
        engineer_id: engineer_id as i32,
        role,
        application,
    }
}

/// Proves a signed-up user's address by the token of the link in their verification message,
/// as the person following it would.
pub async fn verify_email_of(app: &TestApp, user: &Value) {
    use app::db::entities::mail_job;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let id = user["id"].as_i64().expect("a user") as i32;
    let message = mail_job::Entity::find()
        .filter(mail_job::Column::UserId.eq(id))
        .filter(mail_job::Column::Kind.eq("verify_email"))
        .order_by_desc(mail_job::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a verification message");
    let token = message
        .body_text
        .split("token=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a link with a token")
        .to_owned();
    let confirmed = new_client()
        .post(app.url("/api/v1/email-verification/confirm"))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::NO_CONTENT);
}

/// `GET path` on `client`, its body as JSON.
pub async fn get_json(client: &Client, app: &TestApp, path: &str) -> Value {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `GET path` on `client` as a browser asks for a page: its HTML, which must be a 200.
pub async fn html_page(client: &Client, app: &TestApp, path: &str) -> String {
    let response = client
        .get(app.url(path))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

/// Posts `form` to the server function at `endpoint` as a page's plain form does before (or
/// without) the wasm, from the page at `back`: answered with a redirect back to it, whose path
/// (and query) this returns.
pub async fn post_plain(
    client: &Client,
    app: &TestApp,
    endpoint: &str,
    back: &str,
    form: &[(&str, &str)],
) -> String {
    let response = client
        .post(app.url(endpoint))
        .header("accept", "text/html")
        .header("referer", app.url(back))
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FOUND, "{endpoint}");
    let location = response.headers()["location"].to_str().unwrap();
    let path = location.strip_prefix(&app.url("")).unwrap_or(location);
    assert!(
        path.starts_with(back),
        "{endpoint} returns to {back}: {path}"
    );
    path.to_owned()
}

/// The ids of a list of results: an array, or a search's page (`{results, total, ...}`).
pub fn ids(results: &Value) -> Vec<i64> {
    let results = results.get("results").unwrap_or(results);
    results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

/// The text of a PDF as poppler's `pdftotext` reads it.
pub fn pdftotext(pdf: &[u8]) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "setubashi-api-{}-{}.pdf",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian's poppler-utils)");
    let _ = std::fs::remove_file(&path);
    String::from_utf8(out.stdout).unwrap()
}
