//! A storm of sign-ups against the real router: 200 at once, each from its own address (so the
//! per-address limit does not hide the hashing bound), while a role search is timed every 25 ms.
//! It shows what bounds the process: argon2id takes 19 MiB a hash, so 200 unbounded hashes
//! would take 3.8 GiB; the hashing slots take at most 6 at a time, let 32 wait, and answer the
//! rest 429 with Retry-After.
//!
//! Run with `cargo bench -p server --bench signup_storm`. BENCH_SIGNUPS sets the storm's size.
//! Prints the resident memory before and at its peak, the answers by status, and role-search
//! latency before and during the storm, against the targets: memory growth under 160 MiB,
//! search under 100 ms, some 429s.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench that cannot set up should stop loudly

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::state::AppState;
use leptos::config::LeptosOptions;
use serde_json::json;
use server::sessions::{session_layer, DbSessionStore};

/// Resident memory of this process, in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn search_ms(client: &reqwest::Client, url: &str) -> f64 {
    let started = Instant::now();
    let response = client.get(url).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.bytes().await.unwrap();
    started.elapsed().as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let signups: usize = std::env::var("BENCH_SIGNUPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.sqlite3").display()
    );
    let db = app::db::connect_and_migrate(&url).await.unwrap();
    server::seed::seed(
        &db,
        &domain::skills::Taxonomy::builtin(),
        server::seed::SeedOptions {
            engineers: 200,
            roles: 40,
            applications: 0,
            seed: 2026,
            progress: false,
        },
        "bench-demo-password-2026",
    )
    .await
    .unwrap();
    let dictionary = search::ipadic::load_or_build(
        &dir.path().join("ipadic"),
        std::path::Path::new(search::ipadic::DEBIAN_SOURCES),
    )
    .unwrap();
    let (index, _) = search::SearchIndex::open_or_create(
        &dir.path().join("index"),
        dictionary,
        domain::skills::Taxonomy::builtin(),
    )
    .unwrap();
    let index = Arc::new(index);
    app::indexing::rebuild(&db, &index, |_, _| {})
        .await
        .unwrap();
    let store = DbSessionStore::new(&db).await.unwrap();
    let options = LeptosOptions::builder()
        .output_name("setubashi")
        .site_root("target/site")
        .build();
    let mut state = AppState::new(options, db.clone(), index);
    state.client_ip_header = Some(http::HeaderName::from_static("x-client-ip"));
    let router = server::app_router(state, session_layer(store, false));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        server::serve::serve(listener, router, std::future::pending())
            .await
            .unwrap();
    });

    let search_url = format!("{address}/api/v1/roles?q=engineer&limit=20");
    let searcher = reqwest::Client::new();
    for _ in 0..5 {
        search_ms(&searcher, &search_url).await;
    }
    let mut idle: Vec<f64> = Vec::new();
    for _ in 0..40 {
        idle.push(search_ms(&searcher, &search_url).await);
    }
    idle.sort_by(f64::total_cmp);
    let baseline_kib = rss_kib();

    // the peak, sampled every 5 ms while the storm lasts
    let running = Arc::new(AtomicBool::new(true));
    let peak = Arc::new(AtomicU64::new(baseline_kib));
    let sampler = {
        let (running, peak) = (running.clone(), peak.clone());
        tokio::spawn(async move {
            while running.load(Ordering::Relaxed) {
                peak.fetch_max(rss_kib(), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };
    let during = {
        let (running, searcher, search_url) =
            (running.clone(), searcher.clone(), search_url.clone());
        tokio::spawn(async move {
            let mut times = Vec::new();
            while running.load(Ordering::Relaxed) {
                times.push(search_ms(&searcher, &search_url).await);
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            times
        })
    };
    // one client (its pool opens a connection per request in flight): the clients' own memory
    // stays out of what is measured, which is the server's
    let stormer = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let started = Instant::now();
    let storm: Vec<_> = (0..signups)
        .map(|i| {
            let url = format!("{address}/api/v1/users");
            let stormer = stormer.clone();
            tokio::spawn(async move {
                let response = stormer
                    .post(url)
                    .header(
                        "x-client-ip",
                        format!("10.{}.{}.{}", i / 65_536, (i / 256) % 256, i % 256),
                    )
                    .json(&json!({
                        "email": format!("storm{i}@example.in"),
                        "password": "violet-kettle-monsoon-42",
                        "role": "engineer",
                        "display_name": "Storm"
                    }))
                    .send()
                    .await
                    .unwrap();
                let retry_after = response.headers().contains_key("retry-after");
                (response.status().as_u16(), retry_after)
            })
        })
        .collect();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut without_retry_after = 0;
    for task in storm {
        let (status, retry_after) = task.await.unwrap();
        *statuses.entry(status).or_default() += 1;
        if status == 429 && !retry_after {
            without_retry_after += 1;
        }
    }
    let storm_secs = started.elapsed().as_secs_f64();
    running.store(false, Ordering::Relaxed);
    sampler.await.unwrap();
    let mut busy = during.await.unwrap();
    busy.sort_by(f64::total_cmp);
    let peak_kib = peak.load(Ordering::Relaxed);
    let growth_mib = (peak_kib.saturating_sub(baseline_kib)) as f64 / 1024.0;

    println!("## Sign-up storm ({signups} at once, each from its own address)");
    println!();
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!("| answers | {statuses:?} in {storm_secs:.2} s | some 429 |");
    println!("| 429 without Retry-After | {without_retry_after} | 0 |");
    println!(
        "| resident memory | {:.0} MiB before, {:.0} MiB at peak (+{growth_mib:.0} MiB) | growth < 160 MiB (unbounded: {signups} × 19 MiB = {:.0} MiB) |",
        baseline_kib as f64 / 1024.0,
        peak_kib as f64 / 1024.0,
        signups as f64 * 19.0
    );
    println!(
        "| role search, idle | p50 {:.1} ms, max {:.1} ms ({} requests) | |",
        percentile(&idle, 0.5),
        percentile(&idle, 1.0),
        idle.len()
    );
    println!(
        "| role search, during the storm | p50 {:.1} ms, max {:.1} ms ({} requests) | < 100 ms |",
        percentile(&busy, 0.5),
        percentile(&busy, 1.0),
        busy.len()
    );
    let met = statuses.contains_key(&429)
        && without_retry_after == 0
        && growth_mib < 160.0
        && percentile(&busy, 1.0) < 100.0;
    println!();
    println!("targets {}", if met { "met" } else { "MISSED" });
}
