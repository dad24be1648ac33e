//! The search engine's benchmark: 100,000 engineer profiles and 10,000 roles, generated with
//! realistic skill and language mixes. In one run it measures Setubashi's engine, raw tantivy
//! top-k on the same index (the floor for our search path), and PostgreSQL 15 full-text search
//! with SQL scoring of skills and JLPT (what a team would otherwise build), on the same data and
//! queries. Prints a Markdown table for BENCHMARKS.md.
//!
//! `cargo bench -p search --bench engine` (env: BENCH_ENGINEERS, BENCH_ROLES, BENCH_QUERIES,
//! TEST_POSTGRES_URL; BENCH_SKIP_POSTGRES=1 to measure the engine alone).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that fails should stop loudly

use std::path::Path;
use std::time::{Duration, Instant};

use domain::jlpt::JlptLevel;
use domain::matching::{EngineerFacts, RoleFacts};
use domain::skills::{SkillId, Taxonomy};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use search::{Filters, Kind, Order, ProfileDoc, Retrieval, RoleDoc, SearchIndex};

/// Skill pools by specialism, as taxonomy names (resolved to ids at start).
const POOLS: &[&[&str]] = &[
    &[
        "Embedded C",
        "C",
        "C++",
        "RTOS",
        "FreeRTOS",
        "Embedded Linux",
        "Device drivers",
        "Firmware",
        "CAN",
        "Microcontrollers",
        "embedded software",
    ],
    &[
        "Verilog",
        "SystemVerilog",
        "RTL design",
        "VHDL",
        "FPGA",
        "ASIC",
        "Static timing analysis",
        "UVM",
        "Functional verification",
    ],
    &[
        "Lithography",
        "Etch",
        "Chemical vapor deposition",
        "Process integration",
        "Yield enhancement",
        "Statistical process control",
        "Failure analysis",
    ],
    &[
        "Wire bonding",
        "Flip-chip",
        "Semiconductor packaging",
        "Final test",
        "Automatic test equipment",
        "Burn-in",
        "Reliability testing",
    ],
    &[
        "Power electronics",
        "Inverters",
        "SiC",
        "GaN",
        "Power MOSFET",
        "IGBT",
        "Gate drivers",
        "Motor control",
        "Battery management system",
    ],
    &[
        "AUTOSAR",
        "ISO 26262",
        "MATLAB/Simulink",
        "Model-based development",
        "ADAS",
    ],
    &[
        "Machine learning",
        "Deep learning",
        "Python",
        "PyTorch",
        "TensorFlow",
        "Computer vision",
        "Natural language processing",
        "MLOps",
    ],
    &[
        "Java",
        "Spring Boot",
        "Go",
        "PostgreSQL",
        "Docker",
        "Kubernetes",
        "AWS",
        "Microservices",
        "TypeScript",
        "React",
    ],
    &[
        "IATF 16949",
        "FMEA",
        "Six Sigma",
        "Kaizen",
        "Root cause analysis",
        "ISO 9001",
    ],
];
const HEADLINES: &[&str] = &[
    "Embedded firmware engineer for automotive ECUs",
    "RTL design and verification engineer",
    "Process engineer, lithography and etch",
    "Packaging and test engineer at an OSAT",
    "Power electronics engineer for EV inverters",
    "Automotive software engineer, AUTOSAR",
    "Machine learning engineer, computer vision",
    "Backend engineer, Java and cloud",
    "Quality engineer, IATF 16949",
];
const TITLES_JA: &[&str] = &[
    "組み込みソフトウェアエンジニア（車載ECU）",
    "デジタル回路設計・検証エンジニア",
    "半導体プロセスエンジニア（露光・エッチング）",
    "パッケージング・テスト技術者",
    "パワーエレクトロニクス回路設計（EVインバータ）",
    "車載ソフトウェアエンジニア（AUTOSAR）",
    "機械学習エンジニア（画像認識）",
    "バックエンドエンジニア（Java / クラウド）",
    "品質保証エンジニア（IATF 16949）",
];
const PREFECTURES: &[&str] = &[
    "tokyo",
    "kanagawa",
    "aichi",
    "osaka",
    "kyoto",
    "kumamoto",
    "hokkaido",
    "fukuoka",
    "miyagi",
    "hiroshima",
];
const QUERIES_JA: &[&str] = &[
    "組み込み Rust",
    "機械学習 エンジニア",
    "半導体 検証",
    "パワーエレクトロニクス",
    "車載 ソフトウェア",
    "品質保証",
    "露光",
    "バックエンド Java",
];
/// A specialism and a word in most profiles ("engineer" is in eight headlines of nine): what
/// recruiters type.
const QUERIES_WITH_A_COMMON_WORD: &[&str] = &[
    "embedded engineer",
    "verification engineer",
    "automotive software engineer",
    "power electronics engineer",
    "machine learning engineer",
    "quality engineer",
    "firmware engineer",
    "backend engineer",
];
const QUERIES_EN: &[&str] = &[
    "embedded firmware",
    "machine learning engineer",
    "verification UVM",
    "power electronics inverter",
    "AUTOSAR",
    "quality engineer",
    "lithography",
    "backend java",
];

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn jlpt(rng: &mut ChaCha8Rng) -> Option<JlptLevel> {
    match rng.gen_range(0..100) {
        0..=39 => None,
        40..=59 => Some(JlptLevel::N5),
        60..=77 => Some(JlptLevel::N4),
        78..=89 => Some(JlptLevel::N3),
        90..=96 => Some(JlptLevel::N2),
        _ => Some(JlptLevel::N1),
    }
}

struct Data {
    engineers: Vec<ProfileDoc>,
    roles: Vec<(RoleDoc, String)>,
}

/// Indexes every profile, then every role, each kind committed: (profiles/s, roles/s).
fn index_all(index: &SearchIndex, data: &Data) -> (f64, f64) {
    let started = Instant::now();
    for e in &data.engineers {
        index.upsert_profile(e).unwrap();
    }
    index.commit().unwrap();
    let profiles = data.engineers.len() as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    for (r, _) in &data.roles {
        index.upsert_role(r).unwrap();
    }
    index.commit().unwrap();
    let roles = data.roles.len() as f64 / started.elapsed().as_secs_f64();
    (profiles, roles)
}

fn generate(taxonomy: &Taxonomy, engineers: usize, roles: usize) -> Data {
    let pools: Vec<Vec<SkillId>> = POOLS
        .iter()
        .map(|pool| {
            pool.iter()
                .map(|n| {
                    taxonomy
                        .resolve(n)
                        .unwrap_or_else(|| panic!("{n}"))
                        .id
                        .clone()
                })
                .collect()
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let engineers = (0..engineers)
        .map(|i| {
            let p = rng.gen_range(0..pools.len());
            let years: u8 = rng.gen_range(1..=16);
            let count = rng.gen_range(3..=pools[p].len().min(8));
            let mut skills: Vec<(SkillId, u8)> = pools[p]
                .choose_multiple(&mut rng, count)
                .map(|s| (s.clone(), rng.gen_range(1..=years)))
                .collect();
            if rng.gen_bool(0.3) {
                // a second specialism, as many engineers have
                let q = rng.gen_range(0..pools.len());
                if let Some(extra) = pools[q].choose(&mut rng) {
                    if !skills.iter().any(|(s, _)| s == extra) {
                        skills.push((extra.clone(), rng.gen_range(1..=years)));
                    }
                }
            }
            ProfileDoc {
                id: i as i32 + 1,
                text: format!(
                    "Engineer {i}\n{}\n{} years of experience",
                    HEADLINES[p], years
                ),
                facts: EngineerFacts {
                    skills,
                    jlpt: jlpt(&mut rng),
                    desired_salary_jpy: Some(i64::from(rng.gen_range(40..=120)) * 100_000),
                    in_japan: false,
                },
                indian_state: Some(
                    ["ka", "mh", "tn", "tg", "dl", "up"][rng.gen_range(0..6)].to_owned(),
                ),
                jlpt_certified: rng.gen_bool(0.3),
                years_experience: years,
                visa_interest: [
                    "undecided",
                    "highly_skilled_professional",
                    "engineer_specialist",
                ][rng.gen_range(0..3)]
                .to_owned(),
                languages: ["en", "hi", "ta", "te", "kn"]
                    .iter()
                    .filter(|_| rng.gen_bool(0.4))
                    .map(|l| (*l).to_owned())
                    .collect(),
                created_at: 1_700_000_000 + i as i64,
                // half say when they could start: within a year of mid-2026 (days since 1970)
                available_from: rng.gen_bool(0.5).then(|| 20_600 + rng.gen_range(0..365)),
            }
        })
        .collect();
    let roles = (0..roles)
        .map(|i| {
            let p = rng.gen_range(0..pools.len());
            let required: Vec<(SkillId, u8)> = pools[p]
                .choose_multiple(&mut rng, 2)
                .map(|s| (s.clone(), rng.gen_range(1..=5)))
                .collect();
            let nice: Vec<SkillId> = pools[p]
                .iter()
                .filter(|s| !required.iter().any(|(r, _)| r == *s))
                .take(2)
                .cloned()
                .collect();
            let text = format!(
                "{}\n{}\n{}",
                TITLES_JA[p], HEADLINES[p], "Design, build and test with a team in Japan."
            );
            let min_jlpt = [
                None,
                Some(JlptLevel::N4),
                Some(JlptLevel::N3),
                Some(JlptLevel::N2),
            ][rng.gen_range(0..4)];
            let salary_min = i64::from(rng.gen_range(40..=80)) * 100_000;
            (
                RoleDoc {
                    id: i as i32 + 1,
                    text: text.clone(),
                    facts: RoleFacts {
                        required,
                        nice,
                        min_jlpt,
                        jlpt_strict: rng.gen_bool(0.2),
                        salary_max_jpy: salary_min + 3_000_000,
                        apply_from_abroad: rng.gen_bool(0.8),
                        related: Vec::new(),
                    },
                    sector: "semiconductors".to_owned(),
                    salary_min_jpy: salary_min,
                    prefecture: PREFECTURES[rng.gen_range(0..PREFECTURES.len())].to_owned(),
                    remote_policy: ["onsite", "hybrid", "remote"][rng.gen_range(0..3)].to_owned(),
                    visa_sponsorship: rng.gen_bool(0.9),
                    created_at: i as i64 * 60,
                },
                TITLES_JA[p].to_owned(),
            )
        })
        .collect();
    Data { engineers, roles }
}

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |q: f64| {
        samples[((samples.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0
    };
    (at(0.50), at(0.99))
}

/// A role's required and nice-to-have skills: what raw top-k looks up.
fn role_skills(role: &RoleDoc) -> Vec<SkillId> {
    role.facts
        .required
        .iter()
        .map(|(s, _)| s.clone())
        .chain(role.facts.nice.iter().cloned())
        .collect()
}

fn time_each<T>(items: &[T], mut run: impl FnMut(&T)) -> (f64, f64) {
    // one warm-up pass so that every system starts with warm caches
    for item in items.iter().take(5) {
        run(item);
    }
    let samples = items
        .iter()
        .map(|item| {
            let started = Instant::now();
            run(item);
            started.elapsed()
        })
        .collect();
    percentiles(samples)
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() {
                        dir_size(&p)
                    } else {
                        e.metadata().map(|m| m.len()).unwrap_or(0)
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// PostgreSQL with full-text search and SQL scoring: a baseline as a competent team would build
/// it (GIN index on a stored tsvector, an index on skills, one query, no N+1).
struct Postgres {
    db: DatabaseConnection,
    admin_url: String,
    name: String,
}

impl Postgres {
    async fn load(data: &Data) -> Postgres {
        let admin_url = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let name = format!("setubashi_test_bench_{}", std::process::id());
        let admin = Database::connect(&admin_url).await.unwrap();
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
        admin.close().await.unwrap();
        let base = admin_url.rsplit_once('/').unwrap().0.to_owned();
        let db = Database::connect(format!("{base}/{name}")).await.unwrap();
        db.execute_unprepared(
            "CREATE TABLE engineers (id int PRIMARY KEY, body text NOT NULL, jlpt int NOT NULL, desired_salary bigint NOT NULL,
                 tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);
             CREATE TABLE engineer_skills (engineer_id int NOT NULL, skill_id text NOT NULL, years int NOT NULL, PRIMARY KEY (skill_id, engineer_id));
             CREATE TABLE roles (id int PRIMARY KEY, body text NOT NULL, tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED);",
        )
        .await
        .unwrap();
        for chunk in data.engineers.chunks(5000) {
            let ids: Vec<i32> = chunk.iter().map(|e| e.id).collect();
            let bodies: Vec<String> = chunk.iter().map(|e| e.text.clone()).collect();
            let jlpts: Vec<i32> = chunk
                .iter()
                .map(|e| e.facts.jlpt.map_or(0, |l| i32::from(l.rank())))
                .collect();
            let salaries: Vec<i64> = chunk
                .iter()
                .map(|e| e.facts.desired_salary_jpy.unwrap_or(0))
                .collect();
            db.execute(Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                "INSERT INTO engineers (id, body, jlpt, desired_salary) SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::bigint[])",
                [ids.into(), bodies.into(), jlpts.into(), salaries.into()],
            ))
            .await
            .unwrap();
            let (mut eids, mut skills, mut years) = (Vec::new(), Vec::new(), Vec::new());
            for e in chunk {
                for (s, y) in &e.facts.skills {
                    eids.push(e.id);
                    skills.push(s.as_str().to_owned());
                    years.push(i32::from(*y));
                }
            }
            db.execute(Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                "INSERT INTO engineer_skills SELECT * FROM unnest($1::int[], $2::text[], $3::int[])",
                [eids.into(), skills.into(), years.into()],
            ))
            .await
            .unwrap();
        }
        for chunk in data.roles.chunks(5000) {
            let ids: Vec<i32> = chunk.iter().map(|(r, _)| r.id).collect();
            let bodies: Vec<String> = chunk.iter().map(|(r, _)| r.text.clone()).collect();
            db.execute(Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                "INSERT INTO roles (id, body) SELECT * FROM unnest($1::int[], $2::text[])",
                [ids.into(), bodies.into()],
            ))
            .await
            .unwrap();
        }
        db.execute_unprepared(
            "CREATE INDEX ON engineers USING gin (tsv); CREATE INDEX ON roles USING gin (tsv);
             CREATE INDEX ON engineer_skills (engineer_id); ANALYZE;",
        )
        .await
        .unwrap();
        Postgres {
            db,
            admin_url,
            name,
        }
    }

    /// Top 20 engineers for a role, scored in SQL the way `domain::matching` scores.
    async fn engineers_for_role(&self, role: &RoleFacts, text: &str) -> usize {
        let mut skills = Vec::new();
        let mut min_years = Vec::new();
        let mut required = Vec::new();
        for (s, y) in &role.required {
            skills.push(s.as_str().to_owned());
            min_years.push(i32::from(*y));
            required.push(true);
        }
        for s in &role.nice {
            skills.push(s.as_str().to_owned());
            min_years.push(0);
            required.push(false);
        }
        let rows = self
            .db
            .query_all(Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                "WITH req AS (SELECT * FROM unnest($1::text[], $2::int[], $3::bool[]) AS r(skill_id, min_years, required)),
                      cand AS (
                        SELECT s.engineer_id,
                               SUM(CASE WHEN r.required THEN CASE WHEN s.years >= r.min_years THEN 1.0
                                        ELSE 0.5 + 0.5 * s.years / GREATEST(r.min_years, 1) END ELSE 0 END) AS req_credit,
                               SUM(CASE WHEN r.required THEN 0 ELSE 1 END) AS nice_count
                        FROM engineer_skills s JOIN req r ON r.skill_id = s.skill_id
                        GROUP BY s.engineer_id)
                 SELECT e.id,
                        100 * (0.45 * c.req_credit / GREATEST($4, 1) + 0.10 * c.nice_count / GREATEST($5, 1)
                             + 0.20 * (CASE WHEN e.jlpt >= $6 THEN 1 WHEN e.jlpt = $6 - 1 THEN 0.5 ELSE 0 END)
                             + 0.10 * (CASE WHEN e.desired_salary <= $7 THEN 1 ELSE $7::float8 / e.desired_salary END)
                             + 0.05 + 0.10 * ts_rank(e.tsv, plainto_tsquery('simple', $8)))
                        * (CASE WHEN $6 - e.jlpt >= 2 THEN 0.5 ELSE 1 END) AS score
                 FROM cand c JOIN engineers e ON e.id = c.engineer_id
                 WHERE NOT ($9 AND e.jlpt < $6)
                 ORDER BY score DESC, e.id LIMIT 20",
                [
                    skills.into(),
                    min_years.into(),
                    required.into(),
                    (role.required.len() as i32).into(),
                    (role.nice.len() as i32).into(),
                    role.min_jlpt.map_or(0, |l| i32::from(l.rank())).into(),
                    role.salary_max_jpy.into(),
                    text.to_owned().into(),
                    role.jlpt_strict.into(),
                ],
            ))
            .await
            .unwrap();
        rows.len()
    }

    async fn keyword(&self, table: &str, text: &str) -> usize {
        let sql = format!(
            "SELECT id FROM {table} WHERE tsv @@ plainto_tsquery('simple', $1)
             ORDER BY ts_rank(tsv, plainto_tsquery('simple', $1)) DESC, id LIMIT 20"
        );
        self.db
            .query_all(Statement::from_sql_and_values(
                sea_orm::DatabaseBackend::Postgres,
                &sql,
                [text.to_owned().into()],
            ))
            .await
            .unwrap()
            .len()
    }

    async fn drop(self) {
        self.db.close().await.unwrap();
        let admin = Database::connect(&self.admin_url).await.unwrap();
        admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .await
            .unwrap();
    }
}

fn main() {
    let n_engineers = env("BENCH_ENGINEERS", 100_000);
    let n_roles = env("BENCH_ROLES", 10_000);
    let n_queries = env("BENCH_QUERIES", 200);
    let taxonomy = Taxonomy::builtin();
    let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ipadic-cache");
    let dictionary =
        search::ipadic::load_or_build(&cache, Path::new(search::ipadic::DEBIAN_SOURCES)).unwrap();
    let data = generate(&taxonomy, n_engineers, n_roles);
    if std::env::var("BENCH_ONLY").is_ok_and(|only| only == "indexing") {
        // bulk indexing alone: the profiles into a new index, a few times over
        println!("| round | profiles/s | roles/s |");
        println!("|---|---|---|");
        for round in 1..=env("BENCH_ROUNDS", 3) {
            let dir = tempfile::tempdir().unwrap();
            let (index, _) = SearchIndex::open_or_create(
                &dir.path().join("index"),
                dictionary.clone(),
                taxonomy.clone(),
            )
            .unwrap();
            let (profiles, roles) = index_all(&index, &data);
            println!("| {round} | {profiles:.0} | {roles:.0} |");
        }
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut index, _) =
        SearchIndex::open_or_create(&dir.path().join("index"), dictionary, taxonomy.clone())
            .unwrap();

    let (profile_rate, role_rate) = index_all(&index, &data);
    let index_mb = dir_size(dir.path()) as f64 / 1_048_576.0;

    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let sample_roles: Vec<&(RoleDoc, String)> =
        data.roles.choose_multiple(&mut rng, n_queries).collect();
    let sample_engineers: Vec<&ProfileDoc> = data
        .engineers
        .choose_multiple(&mut rng, n_queries)
        .collect();

    let matching_with = |index: &SearchIndex| {
        time_each(&sample_roles, |(r, title)| {
            index.engineers_for_role(&r.facts, title, 20).unwrap();
        })
    };
    let raw_with = |index: &SearchIndex| {
        time_each(&sample_roles, |(r, _)| {
            index
                .raw_skill_top_k(Kind::Engineer, &role_skills(r), 20)
                .unwrap();
        })
    };
    if std::env::var("BENCH_ONLY").is_ok_and(|only| only == "matching") {
        // matching against raw top-k alone, one and two search threads alternating, after the
        // bulk load's merges (they run in the background) have had time to finish
        std::thread::sleep(Duration::from_secs(env("BENCH_SETTLE_SECS", 30) as u64));
        println!("segments: {:?}", index.segment_sizes());
        println!("| search threads | matching role → engineers, p50 / p99 | raw tantivy top-k, p50 / p99 |");
        println!("|---|---|---|");
        for threads in [1, 2, 1, 2] {
            index.set_search_threads(threads).unwrap();
            let (m50, m99) = matching_with(&index);
            let (r50, r99) = raw_with(&index);
            println!("| {threads} | {m50:.2} / {m99:.2} ms | {r50:.2} / {r99:.2} ms |");
        }
        return;
    }
    let role_to_engineers = time_each(&sample_roles, |(r, title)| {
        let hits = index.engineers_for_role(&r.facts, title, 20).unwrap();
        assert!(!hits.is_empty());
    });
    let engineer_to_roles = time_each(&sample_engineers, |e| {
        index.roles_for_engineer(&e.facts, &e.text, 20).unwrap();
    });
    // the wider retrieval (skills *or* text), timed and compared with the default: how many of
    // the top 20 each gives are the same
    let role_to_engineers_wide = time_each(&sample_roles, |(r, title)| {
        index
            .engineers_for_role_with(&r.facts, title, 20, Retrieval::SkillsOrText)
            .unwrap();
    });
    let ids = |hits: Vec<search::Hit>| {
        hits.into_iter()
            .map(|h| h.id)
            .collect::<std::collections::HashSet<i32>>()
    };
    let mut same_role_lists = 0;
    let mut shared_roles = 0;
    for (r, title) in &sample_roles {
        let narrow = ids(index.engineers_for_role(&r.facts, title, 20).unwrap());
        let wide = ids(index
            .engineers_for_role_with(&r.facts, title, 20, Retrieval::SkillsOrText)
            .unwrap());
        shared_roles += narrow.intersection(&wide).count();
        same_role_lists += usize::from(narrow == wide);
    }
    let mut same_engineer_lists = 0;
    let mut shared_engineers = 0;
    for e in &sample_engineers {
        let narrow = ids(index.roles_for_engineer(&e.facts, &e.text, 20).unwrap());
        let wide = ids(index
            .roles_for_engineer_with(&e.facts, &e.text, 20, Retrieval::SkillsOrText)
            .unwrap());
        shared_engineers += narrow.intersection(&wide).count();
        same_engineer_lists += usize::from(narrow == wide);
    }
    let raw = time_each(&sample_roles, |(r, _)| {
        index
            .raw_skill_top_k(Kind::Engineer, &role_skills(r), 20)
            .unwrap();
    });
    let ja: Vec<&str> = QUERIES_JA.iter().cycle().take(n_queries).copied().collect();
    let en: Vec<&str> = QUERIES_EN.iter().cycle().take(n_queries).copied().collect();
    let keyword_ja = time_each(&ja, |q| {
        index
            .search(Kind::Role, q, &Filters::default(), 20)
            .unwrap();
    });
    let keyword_en = time_each(&en, |q| {
        index
            .search(Kind::Role, q, &Filters::default(), 20)
            .unwrap();
    });
    // a page of each search with its exact total and every facet counted, against the same
    // searches' top 20 alone (the baseline, same run)
    let talent_filters = Filters {
        jlpt_at_least: Some(JlptLevel::N4),
        indian_state: Some("ka".to_owned()),
        years_at_least: Some(3),
        ..Filters::default()
    };
    let role_filters = Filters {
        jlpt_at_most: Some(Some(JlptLevel::N3)),
        prefecture: Some("tokyo".to_owned()),
        visa_sponsorship: Some(true),
        ..Filters::default()
    };
    let talent_page = time_each(&en, |q| {
        let page = index
            .search_page(Kind::Engineer, q, &talent_filters, Order::Relevance, 0, 20)
            .unwrap();
        assert!(!page.facets.is_empty());
    });
    let talent_top = time_each(&en, |q| {
        index
            .search(Kind::Engineer, q, &talent_filters, 20)
            .unwrap();
    });
    // browsing without words: every profile is a result but for the filters
    let browse_page = time_each(&en, |_| {
        index
            .search_page(Kind::Engineer, "", &talent_filters, Order::Relevance, 0, 20)
            .unwrap();
    });
    let browse_top = time_each(&en, |_| {
        index
            .search(Kind::Engineer, "", &talent_filters, 20)
            .unwrap();
    });
    let role_page = time_each(&ja, |q| {
        index
            .search_page(Kind::Role, q, &role_filters, Order::Relevance, 0, 20)
            .unwrap();
    });
    let role_top = time_each(&ja, |q| {
        index.search(Kind::Role, q, &role_filters, 20).unwrap();
    });
    // the same searches with each query's segments searched on two threads against one,
    // alternating, after every row above (so the index's background merges are over)
    let talent_with = |index: &SearchIndex| {
        time_each(&en, |q| {
            index
                .search_page(Kind::Engineer, q, &talent_filters, Order::Relevance, 0, 20)
                .unwrap();
        })
    };
    let roles_with = |index: &SearchIndex| {
        time_each(&ja, |q| {
            index
                .search_page(Kind::Role, q, &role_filters, Order::Relevance, 0, 20)
                .unwrap();
        })
    };
    let mut by_threads = Vec::new();
    for threads in [1, 2, 1, 2] {
        index.set_search_threads(threads).unwrap();
        by_threads.push((
            threads,
            matching_with(&index),
            raw_with(&index),
            talent_with(&index),
            roles_with(&index),
        ));
    }
    index.set_search_threads(1).unwrap();
    // a specialism beside a word in most profiles: that word only orders the results, against
    // every word choosing them (the rule before), alternating; with each way's mean total
    let common: Vec<&str> = QUERIES_WITH_A_COMMON_WORD
        .iter()
        .cycle()
        .take(n_queries)
        .copied()
        .collect();
    let mut by_common_words = Vec::new();
    for choose in [false, true, false, true] {
        index.set_common_words_choose(choose);
        let mut totals = 0usize;
        let timed = time_each(&common, |q| {
            let page = index
                .search_page(Kind::Engineer, q, &talent_filters, Order::Relevance, 0, 20)
                .unwrap();
            totals += page.total;
        });
        // time_each runs five warm-up queries before the timed ones
        let mean_total = totals / (common.len() + 5).max(1);
        let top = time_each(&common, |q| {
            index
                .search(Kind::Engineer, q, &talent_filters, 20)
                .unwrap();
        });
        by_common_words.push((choose, timed, top, mean_total));
    }
    index.set_common_words_choose(false);
    let segments = index.segment_sizes();
    let rss = peak_rss_mb();

    println!(
        "## Search engine: {n_engineers} profiles, {n_roles} roles, {n_queries} queries per row\n"
    );
    println!(
        "| measure | Setubashi engine | raw tantivy top-k | PostgreSQL 15 FTS + SQL scoring |"
    );
    println!("|---|---|---|---|");
    let pg = if std::env::var("BENCH_SKIP_POSTGRES").is_ok() {
        None
    } else {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        Some(runtime.block_on(async {
            let started = Instant::now();
            let pg = Postgres::load(&data).await;
            let load = started.elapsed().as_secs_f64();
            let mut samples = Vec::new();
            for (r, title) in sample_roles.iter().take(5) {
                pg.engineers_for_role(&r.facts, title).await;
            }
            for (r, title) in &sample_roles {
                let t = Instant::now();
                pg.engineers_for_role(&r.facts, title).await;
                samples.push(t.elapsed());
            }
            let matches = percentiles(samples);
            let mut samples = Vec::new();
            for q in &ja {
                let t = Instant::now();
                pg.keyword("roles", q).await;
                samples.push(t.elapsed());
            }
            let kw_ja = percentiles(samples);
            let mut samples = Vec::new();
            for q in &en {
                let t = Instant::now();
                pg.keyword("roles", q).await;
                samples.push(t.elapsed());
            }
            let kw_en = percentiles(samples);
            pg.drop().await;
            (load, matches, kw_ja, kw_en)
        }))
    };
    let cell = |v: Option<(f64, f64)>| {
        v.map_or("–".to_owned(), |(p50, p99)| {
            format!("{p50:.2} / {p99:.2} ms")
        })
    };
    println!(
        "| top-20 matches role → engineers, p50 / p99 | {} | {} | {} |",
        cell(Some(role_to_engineers)),
        cell(Some(raw)),
        cell(pg.map(|p| p.1))
    );
    println!(
        "| top-20 matches engineer → roles, p50 / p99 | {} | – | – |",
        cell(Some(engineer_to_roles))
    );
    println!(
        "| keyword search, Japanese, p50 / p99 | {} | – | {} |",
        cell(Some(keyword_ja)),
        cell(pg.map(|p| p.2))
    );
    println!(
        "| keyword search, English, p50 / p99 | {} | – | {} |",
        cell(Some(keyword_en)),
        cell(pg.map(|p| p.3))
    );
    println!(
        "| bulk indexing | {profile_rate:.0} profiles/s, {role_rate:.0} roles/s | – | {} |",
        pg.map_or("–".to_owned(), |p| format!("load + index {:.1} s", p.0))
    );
    println!(
        "| talent pool, 3 filters, page + exact total + all facets, p50 / p99 | {} | top 20 alone: {} | – |",
        cell(Some(talent_page)),
        cell(Some(talent_top))
    );
    println!(
        "| talent pool, no words, 3 filters, page + exact total + all facets, p50 / p99 | {} | top 20 alone: {} | – |",
        cell(Some(browse_page)),
        cell(Some(browse_top))
    );
    println!(
        "| role search, 3 filters, page + exact total + all facets, p50 / p99 | {} | top 20 alone: {} | – |",
        cell(Some(role_page)),
        cell(Some(role_top))
    );
    println!("| index size | {index_mb:.1} MB | – | – |");
    println!("| peak memory (process) | {rss:.0} MB | – | – |");
    println!(
        "\nwider retrieval (skills or text): role → engineers p50 {:.2} ms; top 20 identical for {} of {} roles ({:.1}% of results shared), for {} of {} engineers ({:.1}% shared)",
        role_to_engineers_wide.0,
        same_role_lists,
        sample_roles.len(),
        100.0 * shared_roles as f64 / (20 * sample_roles.len()) as f64,
        same_engineer_lists,
        sample_engineers.len(),
        100.0 * shared_engineers as f64 / (20 * sample_engineers.len()) as f64,
    );
    println!(
        "\nsegments: {} ({} documents in the largest)\n",
        segments.len(),
        segments.first().copied().unwrap_or_default()
    );
    println!(
        "| search threads | matching p50 / p99 | raw top-k | talent pool page | role search page |"
    );
    println!("|---|---|---|---|---|");
    for (threads, matching, raw, talent, roles) in &by_threads {
        println!(
            "| {threads} | {} | {} | {} | {} |",
            cell(Some(*matching)),
            cell(Some(*raw)),
            cell(Some(*talent)),
            cell(Some(*roles))
        );
    }
    println!(
        "\n| talent pool, a specialism and a common word (\"embedded engineer\"), 3 filters | page + total + facets p50 / p99 | top 20 alone p50 / p99 | mean total |"
    );
    println!("|---|---|---|---|");
    for (choose, page, top, total) in &by_common_words {
        let rule = if *choose {
            "every word chooses (before)"
        } else {
            "the common word only orders"
        };
        println!(
            "| {rule} | {} | {} | {total} |",
            cell(Some(*page)),
            cell(Some(*top))
        );
    }
    if let Some(p) = pg {
        println!(
            "\nmatches p50: engine is {:.1}× faster than PostgreSQL; engine / raw tantivy = {:.2}×",
            p.1 .0 / role_to_engineers.0,
            role_to_engineers.0 / raw.0
        );
    }
}
