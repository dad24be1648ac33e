//! Running several instances on one PostgreSQL database: what happens at the same time must not
//! break either.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

use crate::helpers::{postgres_admin_url, TestApp};
use crate::on_both_databases;

/// A new, empty PostgreSQL database beside the tests' own.
struct EmptyDatabase {
    admin: sea_orm::DatabaseConnection,
    name: String,
    url: String,
}

impl EmptyDatabase {
    async fn create() -> EmptyDatabase {
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
        EmptyDatabase { admin, name, url }
    }

    async fn remove(self) {
        let _ = self
            .admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_starting_at_once_migrate_one_after_the_other() {
    let database = EmptyDatabase::create().await;
    let url = database.url.clone();
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
    database.remove().await;
}

on_both_databases!(
    readiness_reports_the_database_the_index_and_its_lag,
    async |app: &TestApp| {
        // ready once the indexer's first round (here: the new index's first fill) is done
        let mut body = Value::Null;
        for _ in 0..100 {
            let response = app.get("/readyz").await;
            let ok = response.status() == StatusCode::OK;
            body = response.json().await.unwrap();
            assert_eq!(body["ready"], ok, "{body}");
            if ok {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(body["ready"], true, "never ready: {body}");
        assert_eq!(body["database"], true);
        assert_eq!(body["index"], true, "{body}");
        assert_eq!(body["caught_up"], true);
        assert_eq!(body["rebuilding"], false);
        let lag = body["lag_seconds"].as_f64().unwrap();
        assert!((0.0..10.0).contains(&lag), "{body}");
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
    let database = EmptyDatabase::create().await;
    let target = database.url.clone();
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
    database.remove().await;
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_under_load_finishes_every_request_in_flight_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["serve", "--no-demo"])
        .env("SETUBASHI_DATA_DIR", dir.path())
        .env("SETUBASHI_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.path())
        .env("SETUBASHI_IPADIC_SOURCES", search::ipadic::DEBIAN_SOURCES)
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = std::time::Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "server did not start"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // load: 8 clients searching in a loop
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (client, base, stop) = (client.clone(), base.clone(), stop.clone());
            tokio::spawn(async move {
                let (mut answered, mut refused, mut broken) = (0, 0, Vec::new());
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    match client
                        .get(format!("{base}/api/v1/roles?q=embedded%20engineer"))
                        .send()
                        .await
                    {
                        Ok(response) => match response.bytes().await {
                            Ok(_) => answered += 1,
                            Err(err) => broken.push(format!("{err:?}")),
                        },
                        // after the listener closed: never sent, so never in flight
                        Err(err) if err.is_connect() => refused += 1,
                        Err(err) => broken.push(format!("{err:?}")),
                    }
                }
                (answered, refused, broken)
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let terminated = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let exit = tokio::task::spawn_blocking(move || server.wait().unwrap())
        .await
        .unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut answered = 0;
    for worker in workers {
        let (ok, _refused, broken) = worker.await.unwrap();
        answered += ok;
        assert!(broken.is_empty(), "requests in flight were cut: {broken:?}");
    }
    assert!(answered > 0);
    assert_eq!(exit.code(), Some(0), "exit status {exit:?}");
}

on_both_databases!(
    metrics_count_requests_by_route_on_their_own_listener_only,
    async |app: &TestApp| {
        assert!(server::metrics::handle().is_some());
        for _ in 0..3 {
            let found = app.get("/api/v1/roles?q=embedded").await;
            assert_eq!(found.status(), StatusCode::OK);
        }
        // the public port does not serve them
        assert_eq!(app.get("/metrics").await.status(), StatusCode::NOT_FOUND);

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = server::metrics::router(app.state.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let scraped = reqwest::get(format!("http://{address}/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let requests = scraped
            .lines()
            .find(|l| {
                l.starts_with("setubashi_http_requests_total")
                    && l.contains(r#"route="/api/v1/roles""#)
                    && l.contains(r#"status="2xx""#)
            })
            .unwrap_or_else(|| panic!("no request count for the route:\n{scraped}"));
        // the recorder is the process's: other tests' requests count too
        let count: f64 = requests.rsplit(' ').next().unwrap().parse().unwrap();
        assert!(count >= 3.0, "{requests}");
        for metric in [
            "setubashi_http_request_seconds_bucket",
            "setubashi_search_seconds_bucket",
            "setubashi_index_staleness_seconds",
            "setubashi_index_documents",
            "setubashi_change_log_rows",
            "setubashi_db_connections",
        ] {
            assert!(scraped.contains(metric), "{metric} missing:\n{scraped}");
        }
        // never a concrete path: an id in a URL would make a series per record
        assert!(!scraped.contains("route=\"/api/v1/roles/1\""));
    }
);

/// A connection going back to the pool is settled there (the patched sqlx-core flushes it
/// instead of pinging it, `vendor/sqlx-core/PATCHED.md`): a transaction dropped without its
/// commit is rolled back as its connection is released, not when the connection is next used,
/// so the rows it locked are free at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_transaction_lets_go_of_its_locks_when_its_connection_is_released() {
    use sea_orm::TransactionTrait;
    let database = EmptyDatabase::create().await;
    let db = app::db::connect_and_migrate(&database.url).await.unwrap();
    db.execute_unprepared(
        "CREATE TABLE lock_probe (id integer PRIMARY KEY); INSERT INTO lock_probe VALUES (1)",
    )
    .await
    .unwrap();
    let pool = db.get_postgres_connection_pool().clone();
    for round in 0..3 {
        let transaction = db.begin().await.unwrap();
        transaction
            .execute_unprepared("UPDATE lock_probe SET id = 1 WHERE id = 1")
            .await
            .unwrap();
        // a request that failed (or whose client went away) between its writes and its commit
        drop(transaction);
        // the connection is back once every one of the pool's is idle
        let released = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
        while pool.num_idle() < pool.size() as usize {
            assert!(
                tokio::time::Instant::now() < released,
                "round {round}: the connection never came back"
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        // another session takes the row's lock without waiting: nothing holds it
        let other = Database::connect(&database.url).await.unwrap();
        other
            .execute_unprepared("SELECT id FROM lock_probe WHERE id = 1 FOR UPDATE NOWAIT")
            .await
            .unwrap_or_else(|err| panic!("round {round}: the row is still locked: {err}"));
        other.close().await.unwrap();
    }
    db.close().await.unwrap();
    database.remove().await;
}

/// The pool pings only a connection that sat idle longer than `CHECK_IDLE_AFTER` (not before
/// every statement): one the database closed meanwhile (a restart, a failover, an idle
/// timeout) is replaced before a statement uses it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pooled_connection_the_database_closed_while_idle_is_replaced_before_use() {
    let database = EmptyDatabase::create().await;
    // a pool of its own: nothing else uses (and so replaces) its connections meanwhile
    let db = app::db::connect_and_migrate(&database.url).await.unwrap();
    db.execute_unprepared("SELECT 1").await.unwrap();
    let closed = database
        .admin
        .query_one(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            format!(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                 WHERE datname = '{}'",
                database.name
            ),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    assert!(closed >= 1, "the pool held a connection");
    tokio::time::sleep(app::db::CHECK_IDLE_AFTER + std::time::Duration::from_millis(300)).await;
    for _ in 0..3 {
        db.execute_unprepared("SELECT 1")
            .await
            .expect("an idle connection is checked before use");
    }
    db.close().await.unwrap();
    database.remove().await;
}
