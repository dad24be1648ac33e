//! Save → searchable on one instance: what a saving request waits for before it answers (the
//! database commit, then the indexer's round that applies it). Written against APIs that exist
//! before and after the change log (issue 9), so the same file builds at both commits and the two
//! binaries can be run side by side on the same machine (see BENCHMARKS.md).
//!
//! Run with `cargo bench -p server --bench save_latency` (PostgreSQL at TEST_POSTGRES_URL);
//! BENCH_SAVES sets the number of saves (default 1,000) over 20,000 seeded profiles.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench that cannot set up should stop loudly

use std::sync::Arc;
use std::time::Instant;

use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, Set};
use search::{Kind, SearchIndex};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let count: usize = std::env::var("BENCH_SAVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let name = format!("setubashi_bench_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let db = app::db::connect_and_migrate(&url).await.unwrap();
    server::seed::seed(
        &db,
        &domain::skills::Taxonomy::builtin(),
        server::seed::SeedOptions {
            engineers: 20_000,
            roles: 200,
            applications: 0,
            seed: 2026,
            progress: false,
        },
        "bench-password-long-enough",
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let dictionary = search::ipadic::load_or_build(
        &dir.path().join("ipadic"),
        std::path::Path::new(search::ipadic::DEBIAN_SOURCES),
    )
    .unwrap();
    let (index, _) = SearchIndex::open_or_create(
        &dir.path().join("index"),
        dictionary,
        domain::skills::Taxonomy::builtin(),
    )
    .unwrap();
    let index = Arc::new(index);
    app::indexing::rebuild(&db, &index, |_, _| {})
        .await
        .unwrap();
    let indexer = app::indexing::Indexer::start(db.clone(), Arc::clone(&index));
    let profile = domain::profile::ProfileDraft {
        full_name: "Bench Engineer".into(),
        headline: "Embedded firmware engineer for EV battery systems".into(),
        years_experience: "6".into(),
        searchable: Some("on".into()),
        ..Default::default()
    }
    .parse(&domain::skills::Taxonomy::builtin())
    .unwrap();
    let mut samples = Vec::with_capacity(count);
    for n in 0..count {
        let now = chrono::Utc::now();
        let user = app::db::entities::user::ActiveModel {
            email: Set(format!("latency-{n}@example.in")),
            password_hash: Set("not a hash: never signs in".into()),
            role: Set("engineer".into()),
            display_name: Set(format!("Engineer {n}")),
            ui_language: Set("en".into()),
            organisation_id: Set(None),
            suspended: Set(false),
            sessions_revoked_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        let expected = index.count(Kind::Engineer).unwrap() + 1;
        let started = Instant::now();
        app::profile::server::save(&db, user.id, &profile)
            .await
            .unwrap();
        indexer.sync().await;
        assert_eq!(index.count(Kind::Engineer).unwrap(), expected);
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    println!(
        "save -> searchable, one instance, {} saves over 20,000 profiles: p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms",
        samples.len(),
        at(0.5),
        at(0.9),
        at(0.99)
    );
    drop(indexer);
    db.close().await.unwrap();
    let _ = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
}
