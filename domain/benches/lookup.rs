//! Skill type-ahead speed and recall: the queries of `tests/data/lookup_queries.tsv` (what
//! people type, with the skills they mean) and a list that mixes prefixes, whole names,
//! misspellings, Hindi and Japanese, measured with `Taxonomy::suggest` (prefix, word, phrase,
//! fuzzy and infix tiers) against a baseline in the same run: the prefix-and-contains scan the
//! type-ahead used before (no fuzzy matching, no phrases). Prints a Markdown table for
//! BENCHMARKS.md.
//!
//! `cargo bench -p domain --bench lookup` (env: BENCH_ROUNDS, default 200).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that fails should stop loudly

use std::time::{Duration, Instant};

use domain::skills::{fold, Taxonomy};

/// The test set of the look-up quality test: query, expected ids (`|`), kind.
const TEST_SET: &str = include_str!("../tests/data/lookup_queries.tsv");

/// More queries: prefixes as they are typed, letter by letter.
const QUERIES: &[&str] = &[
    "py",
    "pyt",
    "python",
    "pyhton",
    "Kubernets",
    "kubernetes",
    "k8s",
    "react",
    "reactjs",
    "machne learning",
    "machine learning",
    "deep learn",
    "learning",
    "software development",
    "embedded systems",
    "embeded",
    "verilog",
    "systemverilog",
    "system verilog",
    "uvm",
    "rtos",
    "freertos",
    "AUTOSAR",
    "autosar classic",
    "CAN bus",
    "postgres",
    "postgresql",
    "postgre sql",
    "mysql",
    "aws",
    "amazon web services",
    "gcp",
    "azure devops",
    "docker",
    "terraform",
    "java",
    "javascript",
    "typescirpt",
    "golang",
    "rust",
    "c++",
    "embedded c",
    "APL",
    "algorithms",
    "data platform",
    "computer vision",
    "nlp",
    "natural language processing",
    "組み込み",
    "組込み",
    "機械学習",
    "パイソン",
    "パイソソ",
    "サーバー",
    "ソフトウエア",
    "半導体",
    "回路設計",
    "ｐｙｔｈｏｎ",
    "मशीन लर्निंग",
    "मशीन लर्निग",
    "पायथन",
    "जावा",
    "सॉफ्टवेयर विकास",
    "वेब विकास",
    "एम्बेडेड सिस्टम",
    "बिज़नेस",
    "परीक्षण",
    "डेटा",
    "क्लाउड",
];

/// The type-ahead before this change: names that start with, then contain, the typed text.
fn baseline(names: &[(String, usize)], typed: &str, limit: usize) -> Vec<usize> {
    let key = fold(typed);
    let mut hits: Vec<(u8, usize, usize)> = names
        .iter()
        .filter_map(|(name, index)| {
            if name.starts_with(&key) {
                Some((0, name.len(), *index))
            } else if name.contains(&key) {
                Some((1, name.len(), *index))
            } else {
                None
            }
        })
        .collect();
    hits.sort_unstable();
    let mut seen = Vec::new();
    for (_, _, index) in hits {
        if !seen.contains(&index) {
            seen.push(index);
            if seen.len() == limit {
                break;
            }
        }
    }
    seen
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn micros(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    let taxonomy = Taxonomy::builtin();
    let names: Vec<(String, usize)> = taxonomy
        .all()
        .iter()
        .enumerate()
        .flat_map(|(index, skill)| {
            std::iter::once(skill.en.clone())
                .chain(skill.ja.iter().cloned())
                .chain(std::iter::once(skill.hi.clone()))
                .chain(skill.aliases.iter().cloned())
                .map(move |n| (fold(&n), index))
        })
        .collect();
    let test_set: Vec<(&str, Vec<&str>)> = TEST_SET
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut fields = l.split('\t');
            Some((fields.next()?, fields.next()?.split('|').collect()))
        })
        .collect();
    let queries: Vec<&str> = test_set
        .iter()
        .map(|(q, _)| *q)
        .chain(QUERIES.iter().copied())
        .collect();
    let (mut new, mut old) = (Vec::new(), Vec::new());
    let (mut answered_new, mut answered_old) = (0, 0);
    for round in 0..rounds {
        for query in &queries {
            // alternate which goes first, so neither always runs on a warm cache
            let run_new = || {
                let start = Instant::now();
                let found = std::hint::black_box(taxonomy.suggest(query, 8));
                (start.elapsed(), !found.is_empty())
            };
            let run_old = || {
                let start = Instant::now();
                let found = std::hint::black_box(baseline(&names, query, 8));
                (start.elapsed(), !found.is_empty())
            };
            let ((tn, an), (to, ao)) = if round % 2 == 0 {
                let a = run_new();
                (a, run_old())
            } else {
                let b = run_old();
                (run_new(), b)
            };
            new.push(tn);
            old.push(to);
            if round == 0 {
                answered_new += usize::from(an);
                answered_old += usize::from(ao);
            }
        }
    }
    // recall@3 on the test set, both ways
    let (mut recall_new, mut recall_old) = (0, 0);
    for (query, expected) in &test_set {
        let now: Vec<&str> = taxonomy
            .suggest(query, 3)
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        let before: Vec<&str> = baseline(&names, query, 3)
            .into_iter()
            .filter_map(|i| taxonomy.all().get(i))
            .map(|s| s.id.as_str())
            .collect();
        recall_new += usize::from(expected.iter().any(|e| now.contains(e)));
        recall_old += usize::from(expected.iter().any(|e| before.contains(e)));
    }
    new.sort_unstable();
    old.sort_unstable();
    println!(
        "{} queries ({} of the test set) × {rounds} rounds over {} skills ({} names)\n",
        queries.len(),
        test_set.len(),
        taxonomy.len(),
        names.len()
    );
    println!("| type-ahead | p50 | p99 | max | queries answered | test set recall@3 |");
    println!("|---|---|---|---|---|---|");
    for (label, times, answered, recall) in [
        (
            "prefix and contains (before)",
            &old,
            answered_old,
            recall_old,
        ),
        (
            "prefix, word, phrase, fuzzy, infix (now)",
            &new,
            answered_new,
            recall_new,
        ),
    ] {
        println!(
            "| {label} | {} | {} | {} | {answered} of {} | {:.3} |",
            micros(percentile(times, 0.5)),
            micros(percentile(times, 0.99)),
            micros(*times.last().unwrap()),
            queries.len(),
            recall as f64 / test_set.len() as f64
        );
    }
}
