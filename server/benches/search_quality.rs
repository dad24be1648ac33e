//! Search and ranking quality on data nobody here wrote the engine's dictionaries from.
//!
//! 1. Cross-language role search: the seed's role templates posted as roles written only in
//!    English (and, for the reverse, only in Japanese) among distractor roles of other kinds
//!    (`data/distractor_roles.tsv`); queries people type in Japanese, Hindi and English
//!    (`data/cross_language.tsv`, written from the templates alone). Recall@10 and the share of
//!    queries answered with nothing, per query language.
//! 2. Ranking on a public occupational classification (`data/occupations.tsv`: ESCO v1.1.1's
//!    ICT occupations with their essential skills, derived by `scripts/occupations.py`): each
//!    occupation posted as a role whose skills are read from its skill phrases; three
//!    engineers per occupation, each listing a random half of its phrases (read the same way).
//!    For every engineer, the rank of its occupation's role among its top 20 matches: hit@1
//!    and MRR.
//!
//! `cargo bench -p server --bench search_quality --profile dev` prints Markdown tables for
//! BENCHMARKS.md (quality does not depend on optimisation; speed is the engine benchmark's).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that fails should stop loudly

use std::collections::HashSet;
use std::path::Path;

use domain::matching::{EngineerFacts, RoleFacts};
use domain::skills::{SkillId, Taxonomy};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use search::{Filters, Kind, RoleDoc, SearchIndex};
use server::seed::ROLE_TEMPLATES;

const QUERIES: &str = include_str!("data/cross_language.tsv");
const DISTRACTORS: &str = include_str!("data/distractor_roles.tsv");
const OCCUPATIONS: &str = include_str!("data/occupations.tsv");

fn data_lines(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn dictionary() -> lindera::dictionary::Dictionary {
    let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ipadic-cache");
    search::ipadic::load_or_build(&cache, Path::new(search::ipadic::DEBIAN_SOURCES)).unwrap()
}

/// One role to post: its text in one language, its sector and skills by name.
struct Posting {
    text: String,
    sector: String,
    required: Vec<String>,
    nice: Vec<String>,
}

fn role_doc(taxonomy: &Taxonomy, id: i32, posting: &Posting) -> RoleDoc {
    let resolve = |names: &[String]| -> Vec<SkillId> {
        names
            .iter()
            .filter_map(|n| taxonomy.resolve(n))
            .map(|s| s.id.clone())
            .collect()
    };
    RoleDoc {
        id,
        text: posting.text.clone(),
        facts: RoleFacts {
            required: resolve(&posting.required)
                .into_iter()
                .map(|s| (s, 2))
                .collect(),
            nice: resolve(&posting.nice),
            salary_max_jpy: 9_000_000,
            apply_from_abroad: true,
            ..Default::default()
        },
        sector: posting.sector.clone(),
        salary_min_jpy: 5_000_000,
        prefecture: "tokyo".to_owned(),
        remote_policy: "onsite".to_owned(),
        visa_sponsorship: true,
        ..Default::default()
    }
}

/// The templates (ids 1..=13) and distractors written in one language, English or Japanese.
fn postings(english: bool) -> Vec<Posting> {
    let mut out: Vec<Posting> = ROLE_TEMPLATES
        .iter()
        .map(|t| Posting {
            text: if english {
                format!("{}\n{}", t.title_en, t.description_en)
            } else {
                format!("{}\n{}", t.title_ja, t.description_ja)
            },
            sector: t.sector.to_owned(),
            required: t.required.iter().map(|(n, _)| (*n).to_owned()).collect(),
            nice: t.nice.iter().map(|n| (*n).to_owned()).collect(),
        })
        .collect();
    for row in data_lines(DISTRACTORS) {
        let split = |field: &str| -> Vec<String> {
            field
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        out.push(Posting {
            text: if english {
                format!("{}\n{}", row[1], row[2])
            } else {
                format!("{}\n{}", row[3], row[4])
            },
            sector: row[0].to_owned(),
            required: split(row.get(5).copied().unwrap_or_default()),
            nice: split(row.get(6).copied().unwrap_or_default()),
        });
    }
    out
}

fn cross_language(taxonomy: &Taxonomy) {
    println!("### Cross-language role search (recall@10, precision@10)\n");
    println!(
        "| queries in | against roles written in | queries | recall@10 | precision@10 | roles matched (mean) | answered with nothing |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for english in [true, false] {
        let index = SearchIndex::in_memory(dictionary(), taxonomy.clone()).unwrap();
        let postings = postings(english);
        for (i, posting) in postings.iter().enumerate() {
            index
                .upsert_role(&role_doc(taxonomy, i as i32 + 1, posting))
                .unwrap();
        }
        index.commit().unwrap();
        let languages: &[&str] = if english { &["ja", "hi"] } else { &["en"] };
        for language in languages {
            let (mut recall, mut empty, mut n) = (0.0, 0, 0);
            // precision over the queries answered; how many roles each query matched in all
            let (mut precision, mut answered, mut matched) = (0.0, 0, 0);
            for row in data_lines(QUERIES).filter(|r| r[0] == *language) {
                let relevant: HashSet<i32> = row[2]
                    .split('|')
                    .map(|title| {
                        ROLE_TEMPLATES
                            .iter()
                            .position(|t| t.title_en == title.trim())
                            .unwrap_or_else(|| panic!("no template {title}"))
                            as i32
                            + 1
                    })
                    .collect();
                let hits = index
                    .search(Kind::Role, row[1], &Filters::default(), 10)
                    .unwrap();
                let found = hits.iter().filter(|h| relevant.contains(&h.id)).count();
                recall += found as f64 / relevant.len() as f64;
                empty += usize::from(hits.is_empty());
                if !hits.is_empty() {
                    precision += found as f64 / hits.len() as f64;
                    answered += 1;
                }
                matched += index
                    .search(Kind::Role, row[1], &Filters::default(), 1_000)
                    .unwrap()
                    .len();
                n += 1;
                if std::env::var("BENCH_VERBOSE").is_ok() && found < relevant.len() {
                    eprintln!("{language} {:?}: {found}/{}", row[1], relevant.len());
                }
            }
            println!(
                "| {language} | {} | {n} | {:.3} | {:.3} | {:.1} | {empty} |",
                if english { "English" } else { "Japanese" },
                recall / f64::from(n),
                precision / f64::from(answered.max(1)),
                matched as f64 / f64::from(n),
            );
        }
    }
    println!();
}

fn occupations(taxonomy: &Taxonomy) {
    let index = SearchIndex::in_memory(dictionary(), taxonomy.clone()).unwrap();
    // a phrase's skills as the engine reads them from free text
    let read = |phrase: &str| -> Vec<SkillId> { index.skills_in_query(phrase) };
    let occupations: Vec<(String, Vec<String>)> = data_lines(OCCUPATIONS)
        .map(|row| {
            (
                row[1].to_owned(),
                row[2].split('|').map(str::to_owned).collect(),
            )
        })
        .collect();
    let mut phrases_read = 0;
    let mut phrases = 0;
    let mut roles_with_skills = 0;
    for (i, (title, essential)) in occupations.iter().enumerate() {
        let mut required: Vec<(SkillId, u8)> = Vec::new();
        for phrase in essential {
            let skills = read(phrase);
            phrases += 1;
            phrases_read += usize::from(!skills.is_empty());
            for skill in skills {
                if !required.iter().any(|(s, _)| *s == skill) {
                    required.push((skill, 2));
                }
            }
        }
        roles_with_skills += usize::from(!required.is_empty());
        index
            .upsert_role(&RoleDoc {
                id: i as i32 + 1,
                text: title.clone(),
                facts: RoleFacts {
                    required,
                    salary_max_jpy: 9_000_000,
                    apply_from_abroad: true,
                    ..Default::default()
                },
                sector: "software".to_owned(),
                salary_min_jpy: 5_000_000,
                prefecture: "tokyo".to_owned(),
                remote_policy: "onsite".to_owned(),
                visa_sponsorship: true,
                ..Default::default()
            })
            .unwrap();
    }
    index.commit().unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(14);
    let (mut hits_at_1, mut reciprocal, mut engineers, mut without_skills) = (0, 0.0, 0, 0);
    for (i, (_, essential)) in occupations.iter().enumerate() {
        for _ in 0..3 {
            let mut listed: Vec<&String> = essential.iter().collect();
            listed.shuffle(&mut rng);
            listed.truncate((essential.len() / 2).max(1));
            let mut skills: Vec<(SkillId, u8)> = Vec::new();
            for phrase in &listed {
                for skill in read(phrase) {
                    if !skills.iter().any(|(s, _)| *s == skill) {
                        skills.push((skill, rng.gen_range(1..10)));
                    }
                }
            }
            engineers += 1;
            without_skills += usize::from(skills.is_empty());
            let text = listed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let facts = EngineerFacts {
                skills,
                ..Default::default()
            };
            let matches = index.roles_for_engineer(&facts, &text, 20).unwrap();
            if let Some(rank) = matches.iter().position(|h| h.id == i as i32 + 1) {
                reciprocal += 1.0 / (rank as f64 + 1.0);
                hits_at_1 += usize::from(rank == 0);
            }
        }
    }
    println!("### Ranking on ESCO's ICT occupations\n");
    println!("| occupations | skill phrases read as skills | roles with a skill | engineers | engineers with no skill read | hit@1 | MRR |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {phrases_read} of {phrases} ({:.0}%) | {roles_with_skills} | {engineers} | {without_skills} | {:.3} | {:.3} |",
        occupations.len(),
        100.0 * phrases_read as f64 / phrases as f64,
        hits_at_1 as f64 / engineers as f64,
        reciprocal / engineers as f64,
    );
}

fn main() {
    let taxonomy = Taxonomy::builtin();
    cross_language(&taxonomy);
    occupations(&taxonomy);
}
