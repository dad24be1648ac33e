//! Page speed at programme scale on PostgreSQL: seeds 100,000 engineers, 10,000 roles and
//! 200,000 applications (one role with 2,000 of them), then renders the pages that list
//! applications and the administrators' dashboard through the real router and session layer,
//! as a browser would get them.
//!
//! Run with `make postgres && cargo bench -p server --bench pages`. Sizes: BENCH_ENGINEERS,
//! BENCH_ROLES, BENCH_APPLICATIONS, BENCH_BIG_ROLE, BENCH_SAMPLES. The database
//! `setubashi_bench` is dropped and created again; BENCH_KEEP=1 keeps an already seeded one.
//! BENCH_ONLY=dashboard measures the dashboard alone once the data is there, BENCH_ONLY=rebuild
//! the index's rebuild from the tables alone (BENCH_REBUILDS times), BENCH_ONLY=load the loads
//! alone (wrk, BENCH_LOAD_SECONDS each; the mix of visitors' questions has BENCH_QUESTIONS);
//! BENCH_LOADS=words,… runs only the loads whose names hold one of the words (and /livez);
//! BENCH_SITE_PKG=dir weighs compressing a build's site files (the wasm, JavaScript, CSS; with
//! BENCH_ONLY=site, nothing else);
//! BENCH_VERIFY_ROLLUPS=0 leaves out timing `verify-rollups` and `rebuild-rollups`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a bench that cannot set up should stop loudly

use std::time::{Duration, Instant};

use app::state::AppState;
use leptos::config::LeptosOptions;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use server::seed::{self, SeedOptions};
use server::sessions::{session_layer, DbSessionStore};

const DEMO_PASSWORD: &str = "bench-demo-password-2026";

/// The role search the pages and loads ask: 組み込み ("embedded"), JLPT N3, Kanagawa. The
/// seeder puts embedded roles in Kanagawa, Nagano, Kyoto and Osaka, so this search finds
/// hundreds of roles and its page shows a full page of cards (until session 31 it asked for
/// Tokyo, found none, and measured an empty page); `finds_roles` checks it before the loads.
const ROLE_SEARCH: &str =
    "/api/v1/roles?q=%E7%B5%84%E3%81%BF%E8%BE%BC%E3%81%BF&jlpt=N3&prefecture=kanagawa";
/// The same search as an engineer's page, with roles that sponsor a visa.
const JOBS_PAGE: &str =
    "/jobs?q=%E7%B5%84%E3%81%BF%E8%BE%BC%E3%81%BF&jlpt=N3&prefecture=kanagawa&visa=true";

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn scalar(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// p50 and p99 of `samples` timed GETs, after three to warm up.
async fn measure(client: &reqwest::Client, url: &str, samples: usize) -> (f64, f64, usize) {
    measure_encoded(client, url, samples, "identity").await
}

/// [`measure`], asking for the answer in `encoding` (`Accept-Encoding`); the size is what
/// came over the wire (the bench's client does not decompress).
async fn measure_encoded(
    client: &reqwest::Client,
    url: &str,
    samples: usize,
    encoding: &str,
) -> (f64, f64, usize) {
    let mut bytes = 0;
    for _ in 0..3 {
        let response = client
            .get(url)
            .header("accept", "text/html")
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        bytes = response.bytes().await.unwrap().len();
    }
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = Instant::now();
        let response = client
            .get(url)
            .header("accept", "text/html")
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        response.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    let (p50, p99) = percentiles(times);
    (p50, p99, bytes)
}

/// What compressing one page costs at each level, in this process: the page's bytes as the
/// server renders them, compressed `rounds` times at each level (the median time), and the
/// size. The server compresses pages at `server::compression::PER_RESPONSE`, and the site's
/// files once at the best levels.
fn compression_levels(name: &str, page: &[u8], rounds: usize) {
    println!(
        "\n| {name} ({} kB as rendered): compressed at | ms each time (median of {rounds}) | kB |",
        page.len() / 1024
    );
    println!("|---|---|---|");
    type Compress = fn(&[u8], u32) -> std::io::Result<Vec<u8>>;
    let levels: [(&str, Compress, u32); 7] = [
        (
            "brotli 11 (the site's files, once)",
            server::compression::compress_brotli,
            11,
        ),
        ("brotli 6", server::compression::compress_brotli, 6),
        ("brotli 5", server::compression::compress_brotli, 5),
        (
            "brotli 4 (tower-http's default: before and now)",
            server::compression::compress_brotli,
            4,
        ),
        (
            "gzip 9 (the site's files, once)",
            server::compression::compress_gzip,
            9,
        ),
        (
            "gzip 6 (tower-http's default: before)",
            server::compression::compress_gzip,
            6,
        ),
        ("gzip 4 (now)", server::compression::compress_gzip, 4),
    ];
    for (label, compress, level) in levels {
        let mut times = Vec::with_capacity(rounds);
        let mut size = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            size = compress(page, level).unwrap().len();
            times.push(started.elapsed());
        }
        let (p50, _) = percentiles(times);
        println!("| {label} | {p50:.2} | {:.1} |", size as f64 / 1024.0);
    }
}

/// The p50 and p99 of `times`, in milliseconds.
fn percentiles(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p50 = ms(times[times.len() / 2]);
    let p99 = ms(times[(times.len() * 99 / 100).min(times.len() - 1)]);
    (p50, p99)
}

/// p50 and p99 of `samples` runs of `run`, in milliseconds.
async fn time<F, Fut, T>(samples: usize, mut run: F) -> (f64, f64, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut last = run().await;
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let started = Instant::now();
        last = run().await;
        times.push(started.elapsed());
    }
    let (p50, p99) = percentiles(times);
    (p50, p99, last)
}

/// The dashboard's summary from the rollups, with the rows' part from the columns in memory and
/// from the database (alternated), against the same summary from the rows alone, in this
/// process (no HTTP), for views that read the rollups in different ways; all must agree.
async fn dashboard_rollups(db: &DatabaseConnection, samples: usize) {
    use app::admin::api::DashboardFilters;
    use app::admin::stats;
    // the peak of this phase (the views from the rows among them) apart from the serving's
    let was_reset = Peak::reset();
    let today = domain::time::japan_date(chrono::Utc::now());
    let views = [
        ("everything, all time", DashboardFilters::default()),
        (
            "one sector, all time",
            DashboardFilters {
                sector: "semiconductors".to_owned(),
                ..Default::default()
            },
        ),
        (
            "all, from 2026-01-01 (whole months)",
            DashboardFilters {
                from: "2026-01-01".to_owned(),
                ..Default::default()
            },
        ),
        (
            "all, 2026-01-15 to 2026-06-20 (days at both ends)",
            DashboardFilters {
                from: "2026-01-15".to_owned(),
                to: "2026-06-20".to_owned(),
                ..Default::default()
            },
        ),
        (
            "one sector from 2026-01-01",
            DashboardFilters {
                sector: "semiconductors".to_owned(),
                from: "2026-01-01".to_owned(),
                ..Default::default()
            },
        ),
        (
            "one state, all time (its employers: the rows)",
            DashboardFilters {
                state: "ka".to_owned(),
                ..Default::default()
            },
        ),
        (
            "state + JLPT (two filters: the rows)",
            DashboardFilters {
                state: "ka".to_owned(),
                jlpt: "N4".to_owned(),
                ..Default::default()
            },
        ),
    ];
    // the columns in memory against the same views reading the database's rows instead
    let columns = stats::DashboardColumns::default();
    let started = Instant::now();
    let loaded = columns.current(db).await.unwrap().map_or(0, |c| c.len());
    println!(
        "\ndashboard columns: {loaded} applications loaded in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let database_rows = stats::DashboardColumns::off();
    println!();
    println!(
        "| dashboard summary, in process | rollups + columns p50 | p99 | rollups + database rows p50 | p99 | rows only p50 |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, view) in views {
        // alternated, so drift reaches both alike
        let (mut with_columns, mut with_database) = (Vec::new(), Vec::new());
        let mut answers = Vec::new();
        for _ in 0..2 {
            let (p50, p99, answer) =
                time(samples / 2, || stats::summary(db, &columns, &view, today)).await;
            with_columns.push((p50, p99));
            answers.push(answer.unwrap());
            let (p50, p99, answer) = time(samples / 2, || {
                stats::summary(db, &database_rows, &view, today)
            })
            .await;
            with_database.push((p50, p99));
            answers.push(answer.unwrap());
        }
        let (rows_p50, _, from_rows) = time(samples.min(5), || {
            stats::summary_from_rows(db, &view, today)
        })
        .await;
        let from_rows = from_rows.unwrap();
        for answer in answers {
            assert_eq!(
                answer, from_rows,
                "{name}: the rollups and the rows disagree"
            );
        }
        let both = |runs: &[(f64, f64)]| {
            (
                runs.iter().map(|r| r.0).sum::<f64>() / runs.len() as f64,
                runs.iter().map(|r| r.1).fold(0.0, f64::max),
            )
        };
        let ((c50, c99), (d50, d99)) = (both(&with_columns), both(&with_database));
        println!(
            "| {name} | {c50:.1} ms | {c99:.1} ms | {d50:.1} ms | {d99:.1} ms | {rows_p50:.0} ms |"
        );
    }
    println!(
        "peak memory while the dashboard's views above were read: {}",
        Peak::since(was_reset)
    );
    if std::env::var("BENCH_VERIFY_ROLLUPS").is_ok_and(|v| v == "0") {
        return;
    }
    // the operator's commands, which run in a process of their own in production: their peaks
    // are not the serving process's
    let was_reset = Peak::reset();
    let started = Instant::now();
    let differences = stats::verify_rollups(db).await.unwrap();
    let verified = started.elapsed();
    let verify_peak = Peak::since(was_reset);
    assert_eq!(differences, (0, 0), "verify-rollups found differences");
    let was_reset = Peak::reset();
    let started = Instant::now();
    stats::rebuild_rollups(db).await.unwrap();
    println!(
        "verify-rollups: {:.1} s (no differences), peak memory {verify_peak}; rebuild-rollups: \
         {:.1} s, peak memory {}",
        verified.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        Peak::since(was_reset)
    );
}

/// Role searches per second (the API load's: Japanese words, JLPT, prefecture) called as the
/// API's handler calls them, without HTTP, the session or JSON, `tasks` at a time for
/// `seconds`, as the signed-in `email`: the rate the API's is a share of. A handler that does
/// nothing (`/livez`) is no bound for one that searches.
async fn search_rate(state: &AppState, email: &str, tasks: usize, seconds: u64) -> f64 {
    use app::db::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&state.db)
        .await
        .unwrap()
        .expect("the bench's engineer");
    let user = app::auth::server::to_current_user(&found);
    // the question of ROLE_SEARCH
    let query = app::jobs::api::JobQuery {
        q: "組み込み".to_owned(),
        jlpt: "N3".to_owned(),
        prefecture: "kanagawa".to_owned(),
        ..Default::default()
    };
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let (state, user, query) = (state.clone(), user.clone(), query.clone());
            tokio::spawn(async move {
                let mut searched = 0_u64;
                while Instant::now() < until {
                    app::jobs::server::search(
                        &state,
                        Some(&user),
                        &query,
                        domain::language::UiLanguage::default(),
                        app::jobs::server::Reading::Strict,
                    )
                    .await
                    .unwrap();
                    searched += 1;
                }
                searched
            })
        })
        .collect();
    let mut searched = 0;
    for worker in workers {
        searched += worker.await.unwrap();
    }
    searched as f64 / started.elapsed().as_secs_f64()
}

/// One memory field of this process's `/proc/self/status` (`VmRSS:`, `VmHWM:`, …), in MB.
fn status_mb(status: &str, name: &str) -> f64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// This process's resident memory now and at its peak (`VmRSS`, `VmHWM`).
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| status_mb(&status, name);
    // anonymous memory is the process's own; file pages are the index's memory-mapped files,
    // which the kernel can drop and read again under pressure
    format!(
        "{:.0} MB resident ({:.0} MB anonymous, {:.0} MB of mapped files), {:.0} MB at the peak",
        field("VmRSS:"),
        field("RssAnon:"),
        field("RssFile:"),
        field("VmHWM:")
    )
}

/// The session cookie of a fresh log-in, for a load generator to send.
async fn session_cookie(address: &str, email: &str) -> String {
    log_in(&reqwest::Client::new(), address, email)
        .await
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .collect::<Vec<_>>()
        .join("; ")
}

/// How many roles the role search at `path` (the API's, `/api/v1/roles?…`) finds for whoever
/// `cookie` is (a visitor without one).
async fn finds_roles(address: &str, path: &str, cookie: Option<&str>) -> u64 {
    let mut request = reqwest::Client::new().get(format!("{address}{path}"));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let body = request.send().await.unwrap().text().await.unwrap();
    let found: serde_json::Value = serde_json::from_str(&body).unwrap();
    found["total"].as_u64().expect("the role search's total")
}

/// What `wrk` measured: requests per second, latency p50 and p99 in ms.
struct Load {
    rps: f64,
    p50: f64,
    p99: f64,
    /// This process's (the server's) peak resident memory during the load.
    peak: Peak,
    /// The database's transactions during the load over its requests (the statements a
    /// request makes, give or take the background tasks').
    transactions_a_request: f64,
}

/// A peak of resident memory over one stretch of the run, in MB; `None` where the kernel
/// would not reset the high-water mark (then `VmHWM` is the whole run's, not the stretch's).
struct Peak(Option<f64>);

impl Peak {
    /// Starts measuring this process's peak resident memory afresh: `clear_refs` 5 resets
    /// `VmHWM`. Returns whether it did.
    fn reset() -> bool {
        std::fs::write("/proc/self/clear_refs", "5").is_ok()
    }

    /// The peak since the reset that returned `was_reset`.
    fn since(was_reset: bool) -> Peak {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        Peak(was_reset.then(|| status_mb(&status, "VmHWM:")))
    }
}

impl std::fmt::Display for Peak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(mb) => write!(f, "{mb:.0} MB"),
            None => f.write_str("– (the peak could not be reset)"),
        }
    }
}

/// `count` different role searches through the API, as visitors ask them: a skill's name
/// in English or Japanese, alone or with a JLPT level or a prefecture.
fn questions_mix(count: usize) -> Vec<String> {
    let taxonomy = domain::skills::Taxonomy::builtin();
    let words: Vec<String> = taxonomy
        .all()
        .iter()
        .flat_map(|skill| {
            [
                skill.en.clone(),
                skill.name(domain::language::UiLanguage::Ja).to_owned(),
            ]
        })
        .collect();
    let jlpt = ["", "&jlpt=N5", "&jlpt=N4", "&jlpt=N3", "&jlpt=N2"];
    let places = [
        "",
        "&prefecture=tokyo",
        "&prefecture=osaka",
        "&prefecture=aichi",
        "&prefecture=fukuoka",
    ];
    let encode = |word: &str| -> String {
        word.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let mut questions = Vec::with_capacity(count);
    'all: for place in places {
        for level in jlpt {
            for word in &words {
                if questions.len() == count {
                    break 'all;
                }
                questions.push(format!("/api/v1/roles?q={}{level}{place}", encode(word)));
            }
        }
    }
    questions
}

/// Runs `wrk` as [`wrk`] does, each request one of `questions` on `address`: the i-th with a
/// chance proportional to 1/i (the first few asked often, the most rarely, as searches are).
fn wrk_mix(address: &str, questions: &[String], connections: usize, seconds: u64) -> Load {
    let paths: Vec<String> = questions.iter().map(|q| format!("{q:?}")).collect();
    // picking i in [1, n] as floor(n^u) for a uniform u: a chance of about 1/i for each
    let script = format!(
        "local paths = {{ {} }}\n\
         local n = #paths\n\
         request = function()\n\
           local i = math.floor(math.exp(math.random() * math.log(n + 1)))\n\
           if i > n then i = n end\n\
           return wrk.format(\"GET\", paths[i])\n\
         end\n",
        paths.join(", ")
    );
    let file = std::env::temp_dir().join(format!("setubashi-mix-{}.lua", std::process::id()));
    std::fs::write(&file, script).unwrap();
    let load = run_wrk(
        &format!("{address}/"),
        connections,
        seconds,
        None,
        None,
        Some(&file),
    );
    let _ = std::fs::remove_file(&file);
    load
}

/// Runs Debian's `wrk` (two threads) against `url` with `connections` open, for `seconds`;
/// every response must succeed.
fn wrk(url: &str, connections: usize, seconds: u64, cookie: Option<&str>) -> Load {
    run_wrk(url, connections, seconds, cookie, None, None)
}

/// What a browser sends in `Accept-Encoding` (Chromium over HTTPS; the server offers br and gzip).
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

/// [`wrk`], asking for a compressed answer as a browser does.
fn wrk_as_browser(url: &str, connections: usize, seconds: u64, cookie: Option<&str>) -> Load {
    run_wrk(
        url,
        connections,
        seconds,
        cookie,
        Some(&format!("Accept-Encoding: {BROWSER_ENCODINGS}")),
        None,
    )
}

/// [`wrk`], with a Lua `script` choosing each request when there is one.
fn run_wrk(
    url: &str,
    connections: usize,
    seconds: u64,
    cookie: Option<&str>,
    header: Option<&str>,
    script: Option<&std::path::Path>,
) -> Load {
    let mut command = std::process::Command::new("wrk");
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    command.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
        "-H",
        "Accept: text/html, application/json",
    ]);
    if let Some(cookie) = cookie {
        command.args(["-H", &format!("Cookie: {cookie}")]);
    }
    if let Some(header) = header {
        command.args(["-H", header]);
    }
    let was_reset = Peak::reset();
    let transactions_before = database_transactions();
    let output = command
        .arg(url)
        .output()
        .expect("wrk (apt-get install wrk)");
    let peak = Peak::since(was_reset);
    // PostgreSQL publishes a backend's counts within a second of its last transaction
    std::thread::sleep(Duration::from_millis(1500));
    let transactions = database_transactions() - transactions_before;
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && !text.contains("Non-2xx"),
        "{url}: {text}"
    );
    let ms = |value: &str| -> f64 {
        let number: f64 = value
            .trim_end_matches(|c: char| c.is_alphabetic())
            .parse()
            .unwrap();
        match value.trim_start_matches(|c: char| c.is_numeric() || c == '.') {
            "us" => number / 1000.0,
            "s" => number * 1000.0,
            _ => number,
        }
    };
    let field = |label: &str| -> &str {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .unwrap_or_else(|| panic!("no {label} in {text}"))
            .trim()
    };
    let requests: f64 = text
        .lines()
        .find_map(|l| l.trim().split_once(" requests in "))
        .and_then(|(n, _)| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no request count in {text}"));
    Load {
        rps: field("Requests/sec:").parse().unwrap(),
        p50: ms(field("50%")),
        p99: ms(field("99%")),
        peak,
        transactions_a_request: transactions as f64 / requests.max(1.0),
    }
}

/// The bench database's server-wide address, for [`database_transactions`].
static ADMIN_URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Transactions PostgreSQL has counted in the bench's database (each statement outside a
/// transaction is one): read before and after a load, what a request asks of the database.
fn database_transactions() -> i64 {
    let Some(url) = ADMIN_URL.get() else {
        return 0;
    };
    let output = std::process::Command::new("psql")
        .args([
            url.as_str(),
            "-Atc",
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'setubashi_bench'",
        ])
        .output()
        .expect("psql");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

async fn logged_in(address: &str, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    log_in(&client, address, email).await;
    client
}

/// Signs in as a seeded account (they share the demo password); the answer sets the cookie.
async fn log_in(client: &reqwest::Client, address: &str, email: &str) -> reqwest::Response {
    let response = client
        .post(format!("{address}/api/v1/session"))
        .json(&serde_json::json!({"email": email, "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "log-in as {email} failed");
    response
}

#[tokio::main]
async fn main() {
    // the site's own files, when a build's are named (BENCH_SITE_PKG=../target/site/pkg)
    if let Ok(dir) = std::env::var("BENCH_SITE_PKG") {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "wasm" || e == "js" || e == "css")
            })
            .collect();
        files.sort();
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            compression_levels(&name, &std::fs::read(&file).unwrap(), 5);
        }
    }
    if std::env::var("BENCH_ONLY").is_ok_and(|v| v == "site") {
        return;
    }

    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap();
    let url = format!("{base}/setubashi_bench");
    let _ = ADMIN_URL.set(admin_url.clone());
    let keep = std::env::var("BENCH_KEEP").is_ok_and(|v| v == "1");
    let (engineers, roles, applications, big, samples) = (
        env("BENCH_ENGINEERS", 100_000),
        env("BENCH_ROLES", 10_000),
        env("BENCH_APPLICATIONS", 200_000),
        env("BENCH_BIG_ROLE", 2_000),
        env("BENCH_SAMPLES", 60),
    );

    let admin = Database::connect(&admin_url)
        .await
        .expect("PostgreSQL is not reachable");
    if !keep {
        admin
            .execute_unprepared("DROP DATABASE IF EXISTS setubashi_bench WITH (FORCE)")
            .await
            .unwrap();
    }
    let exists = scalar(
        &admin,
        "SELECT count(*) FROM pg_database WHERE datname = 'setubashi_bench'",
    )
    .await;
    if exists == 0 {
        admin
            .execute_unprepared("CREATE DATABASE setubashi_bench")
            .await
            .unwrap();
    }
    let db = app::db::connect_and_migrate(&url).await.unwrap();
    if scalar(&db, "SELECT count(*) FROM users").await == 0 {
        let started = Instant::now();
        let report = seed::seed(
            &db,
            &domain::skills::Taxonomy::builtin(),
            SeedOptions {
                engineers,
                roles,
                applications,
                seed: 2026,
                progress: true,
            },
            DEMO_PASSWORD,
        )
        .await
        .unwrap();
        let seeded = started.elapsed();
        // one of the demo employer's roles takes `big` applications, moved over from other
        // roles (one per engineer, so each engineer still applies once per role)
        let role: i64 = scalar(
            &db,
            "SELECT min(r.id)::bigint FROM roles r JOIN users u ON u.organisation_id = r.organisation_id \
             WHERE u.email LIKE 'employer@%'",
        )
        .await;
        db.execute_unprepared(&format!(
            "UPDATE applications a SET role_id = {role}, organisation_id = r.organisation_id \
             FROM roles r WHERE r.id = {role} AND a.id IN ( \
               SELECT DISTINCT ON (engineer_user_id) id FROM applications \
               WHERE role_id <> {role} AND engineer_user_id NOT IN \
                 (SELECT engineer_user_id FROM applications WHERE role_id = {role}) \
               ORDER BY engineer_user_id, id LIMIT {big})"
        ))
        .await
        .unwrap();
        db.execute_unprepared("ANALYZE").await.unwrap();
        println!(
            "seeded {} engineers, {} roles, {} applications with their histories in {:.0} s",
            report.engineers,
            report.roles,
            report.applications,
            seeded.as_secs_f64()
        );
    }
    let counts = (
        scalar(&db, "SELECT count(*) FROM users WHERE role = 'engineer'").await,
        scalar(&db, "SELECT count(*) FROM applications").await,
        scalar(&db, "SELECT count(*) FROM application_events").await,
    );
    let big_role: i64 = scalar(
        &db,
        "SELECT role_id::bigint FROM applications GROUP BY role_id ORDER BY count(*) DESC LIMIT 1",
    )
    .await;
    let on_big = scalar(
        &db,
        &format!("SELECT count(*) FROM applications WHERE role_id = {big_role}"),
    )
    .await;
    let engineer_id: i64 = scalar(
        &db,
        "SELECT id::bigint FROM users WHERE email LIKE 'engineer@%'",
    )
    .await;
    let engineer_apps = scalar(
        &db,
        &format!("SELECT count(*) FROM applications WHERE engineer_user_id = {engineer_id}"),
    )
    .await;

    if std::env::var("BENCH_ONLY").is_ok_and(|v| v == "dashboard") {
        // the dashboard alone, on the seeded data (no index, pages or load)
        dashboard_rollups(&db, samples).await;
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let dictionary = search::ipadic::load_or_build(
        &dir.path().join("ipadic"),
        std::path::Path::new(search::ipadic::DEBIAN_SOURCES),
    )
    .unwrap();
    let (mut index, _) = search::SearchIndex::open_or_create(
        &dir.path().join("index"),
        dictionary,
        domain::skills::Taxonomy::builtin(),
    )
    .unwrap();
    // as the server's SETUBASHI_SEARCH_THREADS (default: the machine's cores)
    let search_threads = std::env::var("BENCH_SEARCH_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    index.set_search_threads(search_threads).unwrap();
    println!("search threads: {search_threads}");
    let store = DbSessionStore::new(&db).await.unwrap();
    let options = LeptosOptions::builder()
        .output_name("setubashi")
        .site_root("target/site")
        .build();
    // filled before the clock starts, so the indexer has nothing to catch up on while the pages
    // are measured
    let index = std::sync::Arc::new(index);
    // the rebuild alone, BENCH_ONLY=rebuild, BENCH_REBUILDS times over the same index (no pages
    // or load); otherwise once
    let only_rebuild = std::env::var("BENCH_ONLY").is_ok_and(|v| v == "rebuild");
    let rounds = if only_rebuild {
        env("BENCH_REBUILDS", 3)
    } else {
        1
    };
    for round in 1..=rounds {
        let started = Instant::now();
        let (profiles, roles) = app::indexing::rebuild(&db, &index, |_, _| {})
            .await
            .unwrap();
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "index rebuilt from PostgreSQL ({round} of {rounds}): {profiles} profiles and {roles} roles in {seconds:.1} s ({:.0} documents/s); memory so far: {}",
            (profiles + roles) as f64 / seconds,
            memory()
        );
    }
    if only_rebuild {
        return;
    }
    let state = AppState::new(options, db.clone(), index);
    // as the server does at start
    state.load_dashboard_columns();
    let router = server::app_router(state.clone(), session_layer(store, false));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        server::serve::serve(listener, router, std::future::pending())
            .await
            .unwrap();
    });

    if scalar(
        &db,
        "SELECT count(*) FROM users WHERE email = 'admin@bench.setubashi.example'",
    )
    .await
        == 0
    {
        app::auth::server::create_admin(
            &db,
            "admin@bench.setubashi.example",
            DEMO_PASSWORD,
            "Bench admin",
        )
        .await
        .unwrap();
    }
    let talent_search = format!("{address}/talent?q=embedded+engineer&jlpt=N4&state=ka&years=3");
    if std::env::var("BENCH_ONLY").is_ok_and(|v| v == "load") {
        under_load(&state, &address, big_role, &talent_search).await;
        return;
    }
    // one at a time, each page is computed afresh: what it costs (the loads below measure the
    // pages kept, each beside its baseline with nothing kept)
    state.talent_pages.set_enabled(false);
    state.candidate_pages.set_enabled(false);
    state.dashboard_views.set_enabled(false);
    let visitor = reqwest::Client::new();
    let employer = logged_in(&address, "employer@demo.setubashi.example").await;
    let engineer = logged_in(&address, "engineer@demo.setubashi.example").await;
    let health = measure(&visitor, &format!("{address}/healthz"), samples).await;
    // the demo employer's busiest role after the big one: the same page at ordinary size
    let small_role: i64 = scalar(
        &db,
        &format!(
            "SELECT a.role_id::bigint FROM applications a JOIN roles r ON r.id = a.role_id \
             JOIN users u ON u.organisation_id = r.organisation_id \
             WHERE u.email LIKE 'employer@%' AND a.role_id <> {big_role} \
             GROUP BY a.role_id ORDER BY count(*) DESC LIMIT 1"
        ),
    )
    .await;
    let small_board = measure(
        &employer,
        &format!("{address}/roles/{small_role}/pipeline"),
        samples,
    )
    .await;
    let board = measure(
        &employer,
        &format!("{address}/roles/{big_role}/pipeline"),
        samples,
    )
    .await;
    let board_api = measure(
        &employer,
        &format!("{address}/api/v1/applications?role={big_role}"),
        samples,
    )
    .await;
    let mine = measure(&engineer, &format!("{address}/applications"), samples).await;
    // discovery (issue 13): each search with three filters, its exact total and every facet
    let talent = measure(&employer, &talent_search, samples).await;
    // the same search with every word choosing, "engineer" too (the rule before): the baseline
    state.search.set_common_words_choose(true);
    let talent_every_word = measure(&employer, &talent_search, samples).await;
    state.search.set_common_words_choose(false);
    let talent_api = measure(
        &employer,
        &format!("{address}/api/v1/engineers?q=embedded+engineer&jlpt=N4&state=ka&years=3"),
        samples,
    )
    .await;
    let jobs = measure(&engineer, &format!("{address}{JOBS_PAGE}"), samples).await;
    let candidates_url = format!("{address}/roles/{big_role}/candidates?jlpt=N4&state=ka&years=3");
    let candidates = measure(&employer, &candidates_url, samples).await;
    let candidates_br = measure_encoded(&employer, &candidates_url, samples, "br").await;
    let candidates_gzip = measure_encoded(&employer, &candidates_url, samples, "gzip").await;
    let admin = logged_in(&address, "admin@bench.setubashi.example").await;
    let dashboard = measure(&admin, &format!("{address}/admin"), samples).await;
    let dashboard_br = measure_encoded(&admin, &format!("{address}/admin"), samples, "br").await;
    let summary = measure(
        &admin,
        &format!("{address}/api/v1/programme/summary"),
        samples,
    )
    .await;
    let filtered = measure(
        &admin,
        &format!("{address}/admin?sector=semiconductors&from=2026-01-01"),
        samples,
    )
    .await;

    dashboard_rollups(&db, samples).await;
    for (name, client, url) in [
        ("the candidates page", &employer, &candidates_url),
        (
            "the programme dashboard",
            &admin,
            &format!("{address}/admin"),
        ),
    ] {
        let page = client
            .get(url)
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        compression_levels(name, &page, samples);
    }

    println!();
    println!(
        "PostgreSQL: {} engineers, {} applications, {} history events; the big role has {} applications, the engineer {}",
        counts.0, counts.1, counts.2, on_big, engineer_apps
    );
    println!("| page (server-rendered HTML, full request) | p50 | p99 | size |");
    println!("|---|---|---|---|");
    for (name, (p50, p99, bytes)) in [
        (
            "baseline: GET /healthz (HTTP round trip and a database ping)",
            health,
        ),
        (
            "baseline: pipeline board of one of the employer's small roles",
            small_board,
        ),
        (
            "employer: pipeline board, role with the most applications",
            board,
        ),
        (
            "employer: API list of that role's applications (page of 50)",
            board_api,
        ),
        ("engineer: my applications", mine),
        (
            "employer: talent pool, words + JLPT + state + years, all facets",
            talent,
        ),
        (
            "employer: the same talent search with every word choosing (\"engineer\" too: before)",
            talent_every_word,
        ),
        (
            "employer: GET /api/v1/engineers, the same search (JSON)",
            talent_api,
        ),
        (
            "engineer: role search, Japanese words + JLPT + prefecture + visa, all facets",
            jobs,
        ),
        (
            "employer: candidates for the big role, JLPT + state + years",
            candidates,
        ),
        (
            "employer: the same candidates page in brotli (Accept-Encoding: br)",
            candidates_br,
        ),
        (
            "employer: the same candidates page in gzip (Accept-Encoding: gzip)",
            candidates_gzip,
        ),
        ("administrator: programme dashboard", dashboard),
        (
            "administrator: the same dashboard in brotli (Accept-Encoding: br)",
            dashboard_br,
        ),
        (
            "administrator: dashboard filtered by sector and period",
            filtered,
        ),
        (
            "administrator: GET /api/v1/programme/summary (JSON)",
            summary,
        ),
    ] {
        println!(
            "| {name} | {p50:.1} ms | {p99:.1} ms | {} kB |",
            bytes / 1024
        );
    }

    state.talent_pages.set_enabled(true);
    state.candidate_pages.set_enabled(true);
    state.dashboard_views.set_enabled(true);
    under_load(&state, &address, big_role, &talent_search).await;
}

/// The pages one at a time are done: requests per second against a handler that does nothing
/// (`/livez`), the API's role search kept and not, and the pages with many connections open
/// at once.
async fn under_load(state: &AppState, address: &str, big_role: i64, talent_search: &str) {
    let (address, talent_search) = (address.to_owned(), talent_search.to_owned());
    if std::process::Command::new("wrk")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("\n(wrk is not installed: no load figures)");
        return;
    }
    let seconds = env("BENCH_LOAD_SECONDS", 10) as u64;
    let mix = questions_mix(env("BENCH_QUESTIONS", 10_000));
    let engineer_cookie = session_cookie(&address, "engineer@demo.setubashi.example").await;
    let employer_cookie = session_cookie(&address, "employer@demo.setubashi.example").await;
    let admin_cookie = session_cookie(&address, "admin@bench.setubashi.example").await;
    // the API's search and the page's question (asked of the API, which answers the same)
    let page_question = JOBS_PAGE.replacen("/jobs?", "/api/v1/roles?", 1);
    for (search, path) in [("API", ROLE_SEARCH), ("page", page_question.as_str())] {
        for (whom, cookie) in [
            ("a visitor", None),
            ("the engineer", Some(&engineer_cookie)),
        ] {
            let found = finds_roles(&address, path, cookie.map(String::as_str)).await;
            println!("the loads' role search ({search}) finds {found} roles for {whom}");
            assert!(
                found > 0,
                "the loads' role search ({search}) finds no role: it would time an empty page"
            );
        }
    }
    let role_search = format!("{address}{ROLE_SEARCH}");
    // the share of the mix's questions answered from a kept page, in thousandths
    let mix_kept = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    // BENCH_LOADS names the loads to run (words of their names, comma-separated; the /livez
    // baseline always runs): one load alone, for a profile, say
    let chosen: Vec<String> = std::env::var("BENCH_LOADS")
        .map(|v| v.split(',').map(|w| w.trim().to_lowercase()).collect())
        .unwrap_or_default();
    let loads: Vec<(&str, usize, Load)> = tokio::task::spawn_blocking({
        let address = address.clone();
        let search = state.search.clone();
        let role_pages = state.role_pages.clone();
        let dashboard_views = state.dashboard_views.clone();
        let talent_pages = state.talent_pages.clone();
        let candidate_pages = state.candidate_pages.clone();
        let mix_kept = mix_kept.clone();
        let mix = mix.clone();
        let chosen = chosen.clone();
        move || {
            let jobs_page = format!("{address}{JOBS_PAGE}");
            let candidates_page =
                format!("{address}/roles/{big_role}/candidates?jlpt=N4&state=ka&years=3");
            type Run<'a> = Box<dyn FnOnce() -> Load + 'a>;
            let planned: Vec<(&str, usize, Run)> = vec![
                (
                    "baseline: GET /livez (answers without the database)",
                    64,
                    Box::new(|| wrk(&format!("{address}/livez"), 64, seconds, None)),
                ),
                (
                    "API role search, Japanese words + JLPT + prefecture, a visitor: the kept page",
                    64,
                    Box::new(|| {
                        // asked once first: the load measures the kept page, not the 64
                        // searches its first requests would make at once (nothing makes them
                        // wait for one another's search; see BENCHMARKS)
                        let warm = std::process::Command::new("wrk")
                            .args(["-t1", "-c1", "-d1s", &role_search])
                            .output();
                        assert!(warm.is_ok_and(|o| o.status.success()));
                        wrk(&role_search, 64, seconds, None)
                    }),
                ),
                (
                    "the same, nothing kept (baseline: every request searches)",
                    64,
                    Box::new(|| {
                        role_pages.set_enabled(false);
                        let load = wrk(&role_search, 64, seconds, None);
                        role_pages.set_enabled(true);
                        load
                    }),
                ),
                (
                    "API role search, visitors asking BENCH_QUESTIONS different questions (a few often, most rarely)",
                    64,
                    Box::new(|| {
                        let (found, missed) = role_pages.counts();
                        let load = wrk_mix(&address, &mix, 64, seconds);
                        let (found_after, missed_after) = role_pages.counts();
                        let (found, missed) = (found_after - found, missed_after - missed);
                        mix_kept.store(
                            (1000.0 * found as f64 / (found + missed).max(1) as f64) as u64,
                            std::sync::atomic::Ordering::Relaxed,
                        );
                        load
                    }),
                ),
                (
                    "API role search, a signed-in engineer (ranked by their own fit: never kept)",
                    64,
                    Box::new(|| wrk(&role_search, 64, seconds, Some(&engineer_cookie))),
                ),
                (
                    "page: role search, Japanese words + JLPT + prefecture + visa",
                    16,
                    Box::new(|| wrk(&jobs_page, 16, seconds, Some(&engineer_cookie))),
                ),
                (
                    "page: role search, the same, a visitor (the kept page)",
                    16,
                    Box::new(|| wrk(&jobs_page, 16, seconds, None)),
                ),
                (
                    "page: talent pool, words + JLPT + state + years (the results kept)",
                    16,
                    Box::new(|| wrk(&talent_search, 16, seconds, Some(&employer_cookie))),
                ),
                (
                    "page: the same talent search, nothing kept (baseline: every request searches)",
                    16,
                    Box::new(|| {
                        talent_pages.set_enabled(false);
                        let load = wrk(&talent_search, 16, seconds, Some(&employer_cookie));
                        talent_pages.set_enabled(true);
                        load
                    }),
                ),
                (
                    "page: the same talent search with every word choosing, nothing kept (before)",
                    16,
                    Box::new(|| {
                        talent_pages.set_enabled(false);
                        search.set_common_words_choose(true);
                        let load = wrk(&talent_search, 16, seconds, Some(&employer_cookie));
                        search.set_common_words_choose(false);
                        talent_pages.set_enabled(true);
                        load
                    }),
                ),
                (
                    "page: candidates for the big role, JLPT + state + years (the ranking kept)",
                    16,
                    Box::new(|| wrk(&candidates_page, 16, seconds, Some(&employer_cookie))),
                ),
                (
                    "page: candidates, the same, nothing kept (baseline: every request ranks)",
                    16,
                    Box::new(|| {
                        candidate_pages.set_enabled(false);
                        let load = wrk(&candidates_page, 16, seconds, Some(&employer_cookie));
                        candidate_pages.set_enabled(true);
                        load
                    }),
                ),
                (
                    "page: candidates, the same, as a browser asks (Accept-Encoding: br, gzip)",
                    16,
                    Box::new(|| {
                        wrk_as_browser(&candidates_page, 16, seconds, Some(&employer_cookie))
                    }),
                ),
                (
                    "page: my applications, as a browser asks (Accept-Encoding: br, gzip)",
                    16,
                    Box::new(|| {
                        wrk_as_browser(
                            &format!("{address}/applications"),
                            16,
                            seconds,
                            Some(&engineer_cookie),
                        )
                    }),
                ),
                (
                    "page: my applications",
                    16,
                    Box::new(|| {
                        wrk(&format!("{address}/applications"), 16, seconds, Some(&engineer_cookie))
                    }),
                ),
                (
                    "page: programme dashboard (the view kept)",
                    16,
                    Box::new(|| wrk(&format!("{address}/admin"), 16, seconds, Some(&admin_cookie))),
                ),
                (
                    "page: programme dashboard, nothing kept (baseline: every view computed)",
                    16,
                    Box::new(|| {
                        dashboard_views.set_enabled(false);
                        let load =
                            wrk(&format!("{address}/admin"), 16, seconds, Some(&admin_cookie));
                        dashboard_views.set_enabled(true);
                        load
                    }),
                ),
            ];
            planned
                .into_iter()
                .enumerate()
                .filter(|(i, (name, _, _))| {
                    let name = name.to_lowercase();
                    *i == 0 || chosen.is_empty() || chosen.iter().any(|w| name.contains(w.as_str()))
                })
                .map(|(_, (name, connections, run))| (name, connections, run()))
                .collect()
        }
    })
    .await
    .unwrap();
    println!();
    println!(
        "| under load (wrk, {seconds} s each) | connections | requests/s | p50 | p99 | server's peak memory | database statements a request |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (name, connections, load) in &loads {
        println!(
            "| {name} | {connections} | {:.0} | {:.1} ms | {:.1} ms | {} | {:.1} |",
            load.rps, load.p50, load.p99, load.peak, load.transactions_a_request
        );
    }
    if !chosen.is_empty() {
        return;
    }
    let share = |i: usize| 100.0 * loads[i].2.rps / loads[0].2.rps;
    println!(
        "\nAPI role search at 64 connections, as a share of the requests per second of /livez: \
         a visitor's kept page {:.0}%, nothing kept {:.0}%, {} different questions {:.0}% ({:.1}% \
         of them answered from a kept page), a signed-in engineer {:.0}%",
        share(1),
        share(2),
        mix.len(),
        share(3),
        mix_kept.load(std::sync::atomic::Ordering::Relaxed) as f64 / 10.0,
        share(4),
    );
    let was_reset = Peak::reset();
    let direct = search_rate(state, "engineer@demo.setubashi.example", 64, seconds).await;
    println!(
        "the engineer's search called in this process (no HTTP, session or JSON), 64 tasks: \
         {direct:.0} searches/s; the API's requests per second are {:.0}% of it; peak memory \
         meanwhile {}",
        100.0 * loads[4].2.rps / direct,
        Peak::since(was_reset)
    );
    println!(
        "memory of this process at the end (the server, its index and the load's clients; the peak since the in-process searches began): {}",
        memory()
    );
}
