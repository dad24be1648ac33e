//! Facet counts and totals of both searches against counts made from the database's rows, on
//! a seeded pool (10,000 engineers and 2,000 roles on PostgreSQL; `SETUBASHI_FACET_POOL` sets
//! the engineers), for random filter combinations: every value of every facet must be what
//! choosing it finds.

use std::collections::{HashMap, HashSet};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use reqwest::Client;
use sea_orm::EntityTrait;
use serde_json::Value;

use crate::helpers::{admin_client, seed_and_index, spawn_app, Backend, TestApp};
use app::db::entities::{
    engineer_profile, organisation, profile_language, profile_skill, role, user,
};
use domain::jlpt::JlptLevel;
use domain::matching::EngineerFacts;

/// A role as the database holds it, published or not.
struct RoleRow {
    published: bool,
    sector: String,
    prefecture: String,
    remote: String,
    visa: bool,
    abroad: bool,
    jlpt_rank: u8,
    salary_max: i64,
}

/// An engineer as the database holds it.
struct EngineerRow {
    id: i32,
    findable: bool,
    facts: EngineerFacts,
    certified: bool,
    state: Option<String>,
    years: i16,
    route: String,
    languages: HashSet<String>,
}

fn rank(level: Option<&str>) -> u8 {
    level.and_then(JlptLevel::parse).map_or(0, JlptLevel::rank)
}

async fn role_rows(app: &TestApp) -> Vec<RoleRow> {
    let orgs: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    role::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            let org = &orgs[&r.organisation_id];
            RoleRow {
                published: r.is_open && org.verified,
                sector: r.sector_or(&org.sector),
                prefecture: r.prefecture.clone(),
                remote: r.remote_policy.clone(),
                visa: r.visa_sponsorship,
                abroad: r.apply_from_abroad,
                jlpt_rank: rank(r.min_jlpt.as_deref()),
                salary_max: r.salary_max_jpy,
            }
        })
        .collect()
}

async fn engineer_rows(app: &TestApp) -> Vec<EngineerRow> {
    let suspended: HashSet<i32> = user::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.suspended)
        .map(|u| u.id)
        .collect();
    let mut skills: HashMap<i32, Vec<profile_skill::Model>> = HashMap::new();
    for s in profile_skill::Entity::find().all(&app.db).await.unwrap() {
        skills.entry(s.user_id).or_default().push(s);
    }
    let mut languages: HashMap<i32, HashSet<String>> = HashMap::new();
    for l in profile_language::Entity::find().all(&app.db).await.unwrap() {
        languages.entry(l.user_id).or_default().insert(l.language);
    }
    engineer_profile::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| {
            let held = skills
                .remove(&p.user_id)
                .unwrap_or_default()
                .into_iter()
                .map(app::indexing::skill_years)
                .collect();
            EngineerRow {
                id: p.user_id,
                findable: p.searchable
                    && p.dormant_since.is_none()
                    && !suspended.contains(&p.user_id),
                facts: app::indexing::engineer_facts(&p, held),
                certified: p.jlpt_is_certified(),
                state: p.indian_state.clone(),
                years: p.years_experience,
                route: p.visa_interest.clone(),
                languages: languages.remove(&p.user_id).unwrap_or_default(),
            }
        })
        .collect()
}

type Params = Vec<(&'static str, String)>;

fn get<'a>(params: &'a Params, key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.as_str())
}

fn role_passes(r: &RoleRow, p: &Params) -> bool {
    r.published
        && get(p, "jlpt").is_none_or(|l| r.jlpt_rank <= rank(Some(l)))
        && get(p, "prefecture").is_none_or(|v| v == r.prefecture)
        && get(p, "sector").is_none_or(|v| v == r.sector)
        && get(p, "remote").is_none_or(|v| v == r.remote)
        && get(p, "visa").is_none_or(|v| (v == "true") == r.visa)
        && get(p, "abroad").is_none_or(|v| (v == "true") == r.abroad)
        && get(p, "salary_min").is_none_or(|v| r.salary_max >= v.parse::<i64>().unwrap())
}

fn engineer_passes(e: &EngineerRow, p: &Params) -> bool {
    let skills_ok = get(p, "skills").is_none_or(|list| {
        list.split(',').all(|entry| {
            let (id, years) = entry.split_once(':').unwrap_or((entry, "0"));
            let years: u8 = years.parse().unwrap();
            e.facts
                .skills
                .iter()
                .any(|(held, y)| held.as_str() == id && (*y).min(search::MAX_SKILL_YEARS) >= years)
        })
    });
    e.findable
        && skills_ok
        && get(p, "jlpt").is_none_or(|l| rank(e.facts.jlpt.map(|j| j.code())) >= rank(Some(l)))
        && get(p, "certified").is_none_or(|v| (v == "true") == e.certified)
        && get(p, "state").is_none_or(|v| Some(v) == e.state.as_deref())
        && get(p, "years").is_none_or(|v| e.years >= v.parse::<i16>().unwrap())
        && get(p, "salary_max")
            .is_none_or(|v| e.facts.desired_salary_jpy.unwrap_or(0) <= v.parse::<i64>().unwrap())
        && get(p, "route").is_none_or(|v| v == e.route)
        && get(p, "language").is_none_or(|v| e.languages.contains(v))
}

fn pick(rng: &mut ChaCha8Rng, from: &[&str]) -> String {
    from[rng.gen_range(0..from.len())].to_owned()
}

fn random_role_params(rng: &mut ChaCha8Rng) -> Params {
    let mut p = Params::new();
    let maybe = |p: &mut Params, rng: &mut ChaCha8Rng, key, values: &[&str]| {
        if rng.gen_bool(0.35) {
            p.push((key, pick(rng, values)));
        }
    };
    maybe(&mut p, rng, "jlpt", &["N4", "N3", "N2"]);
    maybe(
        &mut p,
        rng,
        "prefecture",
        &["tokyo", "aichi", "osaka", "kanagawa", "fukuoka"],
    );
    maybe(
        &mut p,
        rng,
        "sector",
        &["semiconductors", "automotive", "software", "ai"],
    );
    maybe(&mut p, rng, "remote", &["onsite", "hybrid", "remote"]);
    maybe(&mut p, rng, "visa", &["true", "false"]);
    maybe(&mut p, rng, "abroad", &["true"]);
    maybe(
        &mut p,
        rng,
        "salary_min",
        &["5000000", "7000000", "10000000"],
    );
    p
}

fn random_engineer_params(rng: &mut ChaCha8Rng) -> Params {
    let mut p = Params::new();
    let maybe = |p: &mut Params, rng: &mut ChaCha8Rng, key, values: &[&str]| {
        if rng.gen_bool(0.3) {
            p.push((key, pick(rng, values)));
        }
    };
    maybe(&mut p, rng, "jlpt", &["N4", "N3", "N2"]);
    maybe(&mut p, rng, "certified", &["true"]);
    maybe(&mut p, rng, "state", &["ka", "mh", "tn", "tg", "dl", "up"]);
    maybe(&mut p, rng, "years", &["3", "5", "8"]);
    maybe(&mut p, rng, "salary_max", &["6000000", "8000000"]);
    maybe(
        &mut p,
        rng,
        "route",
        &[
            "highly_skilled_professional",
            "engineer_specialist",
            "undecided",
        ],
    );
    maybe(&mut p, rng, "language", &["en", "hi", "ta", "ja"]);
    maybe(
        &mut p,
        rng,
        "skills",
        &["python:2", "embedded-software", "rust:1", "verilog:3"],
    );
    p
}

/// The parameters with one facet's value chosen, as the link beside it sets it.
fn choose(params: &Params, facet: &str, value: &str, kind_role: bool) -> Params {
    let key: &'static str = match (facet, kind_role) {
        ("salary", true) => "salary_min",
        ("salary", false) => "salary_max",
        ("languages", _) => "language",
        ("jlpt", _) => "jlpt",
        ("prefecture", _) => "prefecture",
        ("sector", _) => "sector",
        ("remote", _) => "remote",
        ("visa", _) => "visa",
        ("abroad", _) => "abroad",
        ("certified", _) => "certified",
        ("state", _) => "state",
        ("years", _) => "years",
        ("route", _) => "route",
        ("skills", _) => "skills",
        (other, _) => panic!("unknown facet {other}"),
    };
    let mut out: Params = params.iter().filter(|(k, _)| *k != key).cloned().collect();
    let value = match (key, get(params, key)) {
        // skills and languages narrow by each value chosen: added to those chosen already
        ("skills", Some(already)) => format!("{already},{value}"),
        _ => value.to_owned(),
    };
    if key == "language" && get(params, "language").is_some_and(|l| l != value) {
        // one language per search on the page: two chosen narrow to speakers of both
        return Params::new();
    }
    out.push((key, value));
    out
}

async fn search(client: &Client, app: &TestApp, path: &str, params: &Params) -> Value {
    let response = client
        .get(app.url(path))
        .query(params)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path} {params:?}");
    response.json().await.unwrap()
}

async fn facets_equal_database_counts(backend: Backend, engineers: usize, roles: usize) {
    let app = spawn_app(backend).await;
    let options = server::seed::SeedOptions {
        engineers,
        roles,
        applications: 0,
        seed: 11,
        progress: false,
    };
    seed_and_index(&app, options).await;
    let admin = admin_client(&app, "facets-admin@example.org").await;
    let (role_rows, engineer_rows) = (role_rows(&app).await, engineer_rows(&app).await);
    let mut rng = ChaCha8Rng::seed_from_u64(23);
    let mut checked = 0;
    for round in 0..24 {
        let kind_role = round % 2 == 0;
        let params = if kind_role {
            random_role_params(&mut rng)
        } else {
            random_engineer_params(&mut rng)
        };
        let count = |p: &Params| -> usize {
            if p.is_empty() && !params.is_empty() {
                return usize::MAX; // a choice the page cannot make (see `choose`)
            }
            if kind_role {
                role_rows.iter().filter(|r| role_passes(r, p)).count()
            } else {
                engineer_rows
                    .iter()
                    .filter(|e| engineer_passes(e, p))
                    .count()
            }
        };
        let path = if kind_role {
            "/api/v1/roles"
        } else {
            "/api/v1/engineers"
        };
        let found = search(&admin, &app, path, &params).await;
        assert_eq!(found["total"], count(&params) as u64, "{path} {params:?}");
        for (facet, values) in found["facets"].as_object().unwrap() {
            for entry in values.as_array().unwrap() {
                let value = entry["value"].as_str().unwrap();
                let chosen = choose(&params, facet, value, kind_role);
                let expected = count(&chosen);
                if expected == usize::MAX {
                    continue;
                }
                assert_eq!(
                    entry["count"].as_u64().unwrap() as usize,
                    expected,
                    "{path} {params:?}: facet {facet} = {value}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "{checked} facet values checked");
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facet_counts_equal_database_counts_on_postgres() {
    let engineers = std::env::var("SETUBASHI_FACET_POOL")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    tokio::time::timeout(
        std::time::Duration::from_secs(900),
        facets_equal_database_counts(Backend::Postgres, engineers, engineers / 5),
    )
    .await
    .expect("the test did not finish in fifteen minutes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn facet_counts_equal_database_counts_on_sqlite() {
    tokio::time::timeout(
        std::time::Duration::from_secs(300),
        facets_equal_database_counts(Backend::Sqlite, 1_000, 200),
    )
    .await
    .expect("the test did not finish in five minutes");
}

/// A role's ranked engineers narrowed by the talent pool's filters (the candidates page and
/// `GET /roles/{id}/matches`): every engineer on every page passes the filters as the
/// database's rows say, the pages hold each once with scores never rising, and together they
/// are the total.
async fn ranked_candidates_pass_the_filters(backend: Backend) {
    let app = spawn_app(backend).await;
    let options = server::seed::SeedOptions {
        engineers: 1_000,
        roles: 60,
        applications: 0,
        seed: 17,
        progress: false,
    };
    seed_and_index(&app, options).await;
    let admin = admin_client(&app, "ranking-admin@example.org").await;
    let rows: HashMap<i64, EngineerRow> = engineer_rows(&app)
        .await
        .into_iter()
        .map(|e| (i64::from(e.id), e))
        .collect();
    let roles: Vec<i32> = role::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .take(4)
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(29);
    let mut seen_any = 0;
    for role_id in roles {
        for round in 0..4 {
            let mut params = if round == 0 {
                Params::new()
            } else {
                random_engineer_params(&mut rng)
            };
            params.push(("limit", "100".to_owned()));
            let path = format!("/api/v1/roles/{role_id}/matches");
            let mut ids = HashSet::new();
            let mut last_score = f64::INFINITY;
            let mut page = 1;
            let total = loop {
                let mut asked = params.clone();
                asked.push(("page", page.to_string()));
                let found = search(&admin, &app, &path, &asked).await;
                for result in found["results"].as_array().unwrap() {
                    let id = result["id"].as_i64().unwrap();
                    assert!(ids.insert(id), "{path} {asked:?}: {id} twice");
                    assert!(
                        engineer_passes(&rows[&id], &params),
                        "{path} {asked:?}: {id} does not pass the filters"
                    );
                    let score = result["explanation"]["score"].as_f64().unwrap();
                    assert!(score <= last_score, "{path} {asked:?}: the score rose");
                    last_score = score;
                }
                match found["next"].as_u64() {
                    Some(next) => page = next as usize,
                    None => break found["total"].as_u64().unwrap() as usize,
                }
            };
            assert_eq!(ids.len(), total, "{path} {params:?}");
            seen_any += total;
        }
    }
    assert!(seen_any > 100, "only {seen_any} engineers ranked in all");
    app.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranked_candidates_pass_the_filters_on_postgres() {
    ranked_candidates_pass_the_filters(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ranked_candidates_pass_the_filters_on_sqlite() {
    ranked_candidates_pass_the_filters(Backend::Sqlite).await;
}
