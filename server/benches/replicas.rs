//! Two instances on one PostgreSQL database, each with its own index and indexer, as two
//! machines: how long a save takes to be searchable on the saving instance (what the request
//! waits for) and on the other (LISTEN/NOTIFY, else the poll), and how fast an instance applies
//! the change log when it has fallen behind.
//!
//! Run with `cargo bench -p server --bench replicas` (PostgreSQL at TEST_POSTGRES_URL).
//! BENCH_SAVES sets the number of saves (default 1,000); BENCH_BACKLOG the changes applied in the
//! throughput run (default 20,000). In the same run, as the baseline, the same saves with one
//! instance alone: a second follower must not slow the first.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench that cannot set up should stop loudly

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::indexing::{Indexer, IndexerConfig};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use search::{Kind, SearchIndex};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn summary(name: &str, mut samples: Vec<f64>) {
    samples.sort_by(f64::total_cmp);
    println!(
        "{name:<58} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms   (n = {})",
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        samples.last().copied().unwrap_or(f64::NAN),
        samples.len()
    );
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// An instance's search side: its own index directory and indexer, filled from the tables.
async fn instance(
    db: &DatabaseConnection,
    dir: &std::path::Path,
) -> (Arc<SearchIndex>, Arc<Indexer>) {
    let dictionary = search::ipadic::load_or_build(
        &dir.join("ipadic"),
        std::path::Path::new(search::ipadic::DEBIAN_SOURCES),
    )
    .unwrap();
    let (index, _) = SearchIndex::open_or_create(
        &dir.join("index"),
        dictionary,
        domain::skills::Taxonomy::builtin(),
    )
    .unwrap();
    let index = Arc::new(index);
    app::indexing::rebuild(db, &index, |_, _| {}).await.unwrap();
    let indexer = Indexer::start_with(
        db.clone(),
        Arc::clone(&index),
        IndexerConfig::for_index(&index),
    );
    (index, indexer)
}

async fn new_engineer(db: &DatabaseConnection, n: usize, tag: &str) -> i32 {
    server::seed::engineer_without_password(db, &format!("bench-{tag}-{n}@example.in"), "Engineer")
        .await
        .unwrap()
}

/// Saves `count` new profiles one after another on `a`; returns (the saving instance's
/// latencies, the other instance's, saves the other never saw within 2 s).
async fn saves(
    db: &DatabaseConnection,
    a: (&Arc<SearchIndex>, &Arc<Indexer>),
    b: Option<&Arc<SearchIndex>>,
    count: usize,
    tag: &str,
) -> (Vec<f64>, Vec<f64>, usize) {
    let profile = domain::profile::ProfileDraft {
        full_name: "Bench Engineer".into(),
        headline: "Embedded firmware engineer for EV battery systems".into(),
        years_experience: "6".into(),
        searchable: Some("on".into()),
        ..Default::default()
    }
    .parse(&domain::skills::Taxonomy::builtin())
    .unwrap();
    let (mut own, mut other, mut missed) = (Vec::new(), Vec::new(), 0);
    for n in 0..count {
        let id = new_engineer(db, n, tag).await;
        let expected_a = a.0.count(Kind::Engineer).unwrap() + 1;
        let expected_b = b.map(|b| b.count(Kind::Engineer).unwrap() + 1);
        let started = Instant::now();
        app::profile::server::save(db, id, &profile).await.unwrap();
        // what the saving request does before it answers
        a.1.sync().await;
        assert_eq!(a.0.count(Kind::Engineer).unwrap(), expected_a);
        own.push(started.elapsed().as_secs_f64() * 1000.0);
        if let (Some(b), Some(expected)) = (b, expected_b) {
            let deadline = started + Duration::from_secs(2);
            loop {
                if b.count(Kind::Engineer).unwrap() >= expected {
                    other.push(started.elapsed().as_secs_f64() * 1000.0);
                    break;
                }
                if Instant::now() > deadline {
                    missed += 1;
                    break;
                }
                tokio::time::sleep(Duration::from_micros(500)).await;
            }
        }
    }
    (own, other, missed)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let count = env_usize("BENCH_SAVES", 1_000);
    let backlog = env_usize("BENCH_BACKLOG", 20_000);
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
    let seeded = Instant::now();
    server::seed::seed(
        &db,
        &domain::skills::Taxonomy::builtin(),
        server::seed::SeedOptions {
            engineers: backlog,
            roles: 200,
            applications: 0,
            seed: 2026,
            progress: false,
        },
        "bench-password-long-enough",
    )
    .await
    .unwrap();
    println!(
        "seeded {backlog} engineers and 200 roles in {:.0} s",
        seeded.elapsed().as_secs_f64()
    );

    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    // the baseline: one instance alone
    let (alone, alone_indexer) = instance(&db, dirs[0].path()).await;
    let (baseline, _, _) = saves(&db, (&alone, &alone_indexer), None, count, "alone").await;
    drop(alone_indexer);
    drop(alone);
    // two instances: A saves, B follows
    let (a, a_indexer) = instance(&db, dirs[1].path()).await;
    let (b, b_indexer) = instance(&db, dirs[2].path()).await;
    let (own, other, missed) = saves(&db, (&a, &a_indexer), Some(&b), count, "pair").await;
    println!();
    summary(
        "save -> searchable, one instance alone (baseline)",
        baseline,
    );
    summary(
        "save -> searchable on the saving instance, two instances",
        own,
    );
    summary("save (commit on A) -> searchable on B", other);
    println!("saves B never saw within 2 s: {missed}");

    // throughput: B stops (its writer task has ended and let go of the index), every seeded
    // engineer changes, B restarts and catches up
    drop(b_indexer);
    while Arc::strong_count(&b) > 1 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(b);
    let ids: Vec<i64> = db
        .query_all(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT user_id::bigint AS id FROM engineer_profiles",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get::<i64>("", "id").unwrap())
        .collect();
    let changes = ids.len();
    for chunk in ids.chunks(5_000) {
        let list: Vec<String> = chunk
            .iter()
            .map(|id| format!("('engineer', {id}, now())"))
            .collect();
        db.execute_unprepared(&format!(
            "INSERT INTO search_changes (kind, record_id, queued_at) VALUES {}",
            list.join(",")
        ))
        .await
        .unwrap();
    }
    let dictionary = search::ipadic::load_or_build(
        &dirs[2].path().join("ipadic"),
        std::path::Path::new(search::ipadic::DEBIAN_SOURCES),
    )
    .unwrap();
    let (index, _) = SearchIndex::open_or_create(
        &dirs[2].path().join("index"),
        dictionary,
        domain::skills::Taxonomy::builtin(),
    )
    .unwrap();
    let index = Arc::new(index);
    let started = Instant::now();
    let indexer = Indexer::start_with(
        db.clone(),
        Arc::clone(&index),
        IndexerConfig::for_index(&index),
    );
    while indexer.status().applied < changes as u64 {
        assert!(
            !indexer.status().rebuilding,
            "B rebuilt instead of following the log"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let took = started.elapsed().as_secs_f64();
    println!(
        "change-log apply: {changes} changes to distinct profiles in {took:.2} s = {:.0} changes/s",
        changes as f64 / took
    );
    drop(indexer);
    db.close().await.unwrap();
    let _ = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
}
