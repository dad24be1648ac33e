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
/// Written later by another hand from the skills' ids and English names alone (not the
/// aliases, not the first set): held out whole, its misses never printed.
const FRESH: &str = include_str!("data/lookup_queries_fresh.tsv");

/// Of all the queries, the share whose expected skill is among the first three suggestions, at
/// least: what the look-up reaches now (0.982), so that a change that loses any of it fails.
/// Issue 14 asks 0.97; BENCHMARKS.md says where each set stands (the fresh set is the honest
/// figure: 0.972).
const RECALL_AT_3: f64 = 0.975;
/// Of the queries, the most that may be answered with nothing (issue 14 asks 1%; 1.3% now).
const EMPTY_AT_MOST: f64 = 0.015;

struct Case<'a> {
    query: &'a str,
    expected: Vec<&'a str>,
    kind: &'a str,
    /// The first set is for tuning: its misses are printed, and aliases and rules were
    /// improved while reading them (at first only every other query's; from 2026-12-05 all).
    /// The fresh set is held out: its misses are never printed, so its recall says how well
    /// the tuning generalises.
    tuning: bool,
}

fn cases() -> Vec<Case<'static>> {
    read(QUERIES, true)
        .into_iter()
        .chain(read(FRESH, false))
        .collect()
}

fn read(file: &'static str, tuning: bool) -> Vec<Case<'static>> {
    file.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.split('\t');
            let query = fields.next().unwrap();
            let expected = fields
                .next()
                .unwrap_or_else(|| panic!("no expected: {line}"));
            Case {
                query,
                expected: expected.split('|').map(str::trim).collect(),
                kind: fields.next().unwrap_or("plain").trim(),
                tuning,
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
        let set: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].tuning == tuning)
            .collect();
        let found = set.iter().filter(|&&i| hit[i]).count();
        let empty = set
            .iter()
            .filter(|&&i| t.suggest(cases[i].query, 3).is_empty())
            .count();
        println!(
            "{} set: recall@3 {:.3} ({found} of {}), answered with nothing {empty}",
            if tuning { "tuning" } else { "held-out (fresh)" },
            found as f64 / set.len() as f64,
            set.len()
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
