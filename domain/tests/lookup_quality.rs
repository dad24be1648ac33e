//! The skills type-ahead against what people type: `data/lookup_queries.tsv`, queries written
//! from CVs, job ads and Hindi and Japanese usage (misspellings, phrases, native words and
//! loanwords, spelling variants, full-width letters, abbreviations), each with the skills it
//! should find. Written apart from the taxonomy's alias lists, so it measures them.
//!
//! `cargo test -p domain --test lookup_quality -- --nocapture` prints recall per kind.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use domain::skills::Taxonomy;

const QUERIES: &str = include_str!("data/lookup_queries.tsv");

/// Of the queries, the share whose expected skill is among the first three suggestions, at
/// least: what the look-up reaches now, so that a change that loses any of it fails. Issue 14
/// asks 0.97; BENCHMARKS.md says where it stands (the held-out half is the honest figure).
const RECALL_AT_3: f64 = 0.95;
/// Of the queries, the most that may be answered with nothing (issue 14 asks 1%).
const EMPTY_AT_MOST: f64 = 0.035;

struct Case<'a> {
    query: &'a str,
    expected: Vec<&'a str>,
    kind: &'a str,
    /// Half the queries (every other one) are for tuning: their misses are printed, and
    /// aliases and rules were improved while reading them. The other half is held out: its
    /// misses are never printed, so its recall says how well the tuning generalises.
    tuning: bool,
}

fn cases() -> Vec<Case<'static>> {
    QUERIES
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .enumerate()
        .map(|(number, line)| {
            let mut fields = line.split('\t');
            let query = fields.next().unwrap();
            let expected = fields
                .next()
                .unwrap_or_else(|| panic!("no expected: {line}"));
            Case {
                query,
                expected: expected.split('|').map(str::trim).collect(),
                kind: fields.next().unwrap_or("plain").trim(),
                tuning: number % 2 == 0,
            }
        })
        .collect()
}

#[test]
fn every_expected_skill_is_in_the_taxonomy() {
    let t = Taxonomy::builtin();
    let unknown: Vec<String> = cases()
        .iter()
        .flat_map(|c| c.expected.iter())
        .filter(|id| t.get(id).is_none())
        .map(|id| id.to_string())
        .collect();
    assert!(unknown.is_empty(), "{unknown:?}");
    assert!(cases().len() >= 300, "{} queries", cases().len());
}

#[test]
fn the_type_ahead_finds_what_people_type() {
    let t = Taxonomy::builtin();
    let cases = cases();
    // per kind: (queries, found in the first three, answered with nothing)
    let mut by_kind: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut hit = Vec::with_capacity(cases.len());
    for case in &cases {
        let suggested: Vec<&str> = t
            .suggest(case.query, 3)
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        let found = case.expected.iter().any(|e| suggested.contains(e));
        hit.push(found);
        let entry = by_kind.entry(case.kind).or_default();
        entry.0 += 1;
        entry.1 += usize::from(found);
        entry.2 += usize::from(suggested.is_empty());
        if !found && case.tuning {
            misses.push(format!(
                "{:?} ({}) expected {:?}, got {:?}",
                case.query, case.kind, case.expected, suggested
            ));
        }
    }
    for tuning in [true, false] {
        let half: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].tuning == tuning)
            .collect();
        let found = half.iter().filter(|&&i| hit[i]).count();
        println!(
            "{} half: recall@3 {:.3} ({found} of {})",
            if tuning { "tuning" } else { "held-out" },
            found as f64 / half.len() as f64,
            half.len()
        );
    }
    let total = cases.len() as f64;
    let found: usize = by_kind.values().map(|v| v.1).sum();
    let empty: usize = by_kind.values().map(|v| v.2).sum();
    println!("| kind | queries | recall@3 | empty |\n|---|---:|---:|---:|");
    for (kind, (n, hit, none)) in &by_kind {
        println!("| {kind} | {n} | {:.3} | {none} |", *hit as f64 / *n as f64);
    }
    println!(
        "| all | {} | {:.3} | {empty} ({:.1}%) |",
        cases.len(),
        found as f64 / total,
        100.0 * empty as f64 / total
    );
    for miss in &misses {
        println!("miss: {miss}");
    }
    assert!(
        found as f64 / total >= RECALL_AT_3,
        "recall@3 {:.3} below {RECALL_AT_3}: {} misses",
        found as f64 / total,
        misses.len()
    );
    assert!(
        empty as f64 / total <= EMPTY_AT_MOST,
        "{empty} queries answered with nothing"
    );
}
