//! How long a document takes to write, and what 20 written at once cost in memory.
//!
//! `cargo bench -p documents --bench render` (add `--profile dev` for a quick look). Prints
//! p50 and p95 per document over `BENCH_RENDERS` renders (default 60), against a baseline
//! measured in the same run: the 履歴書 of an applicant with nothing filled in (its frame,
//! headings and fonts, without content). Then renders 20 at once on threads, as 20 requests
//! would, and reports the process's peak resident memory before and after (VmHWM).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use documents::{render, Applicant, Fonts};
use domain::career::{Career, CareerDraft, YearMonth};
use domain::documents::{DocumentDetails, DocumentKind, Era};
use domain::skills::Taxonomy;

fn career(taxonomy: &Taxonomy) -> Career {
    let jobs: Vec<serde_json::Value> = (0..6)
        .map(|k| {
            serde_json::json!({
                "employer": format!("Employer {k} Private Limited"), "country": "IN",
                "title": "Embedded software engineer",
                "started": format!("{}-04", 2008 + 3 * k),
                "ended": if k < 5 { format!("{}-03", 2011 + 3 * k) } else { String::new() },
                "description": "Body control modules on AUTOSAR Classic; cut boot time by 40%. \
                                車載ECUのソフトウェア開発と評価を担当。",
                "skills": "AUTOSAR, 組込みC, Rust, CAN"
            })
        })
        .collect();
    let draft: CareerDraft = serde_json::from_value(serde_json::json!({
        "education": [
            {"level": "bachelors", "field": "Electronics and Communication", "institution": "NIT Trichy",
             "country": "IN", "started": "2004-07", "ended": "2008-03"},
            {"level": "masters", "field": "VLSI Design", "institution": "Tohoku University",
             "country": "JP", "started": "2016-10", "ended": "2018-09"}
        ],
        "employment": jobs,
        "qualifications": [
            {"kind": "jlpt", "name": "N2", "obtained": "2023-12", "identifier": "N2A123456"},
            {"kind": "japanese_it", "name": "fe", "obtained": "2024-06"}
        ]
    }))
    .unwrap();
    draft
        .parse(taxonomy, NaiveDate::from_ymd_opt(2026, 12, 5).unwrap())
        .unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn time(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        bytes = f();
        times.push(start.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95), bytes)
}

/// The process's peak resident set (VmHWM) in MiB, from /proc.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let runs: usize = std::env::var("BENCH_RENDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let fonts = Fonts::debian().expect("Debian's fonts-ipaexfont");
    let taxonomy = Taxonomy::builtin();
    let full = career(&taxonomy);
    let details = DocumentDetails {
        name_kana: Some("プリヤ シャルマ".into()),
        postal_code: Some("560-0001".into()),
        address: Some("12 Main Road, Indiranagar, Bengaluru, Karnataka".into()),
        phone: Some("+91 98450 12345".into()),
        motivation: Some("I want to build safe vehicle software in Japan. ".repeat(8)),
        career_summary: Some("Eighteen years of automotive embedded software. ".repeat(4)),
        self_pr: Some("I lead small teams through ASPICE audits. ".repeat(8)),
        era: Era::Japanese,
        ..Default::default()
    };
    let skills = full.skill_years(YearMonth::new(2026, 12).unwrap());
    let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let applicant = Applicant {
        name: "Priya Sharma",
        email: "priya@example.in",
        date_of_birth: NaiveDate::from_ymd_opt(1984, 4, 2),
        details: &details,
        career: &full,
        skills: &skills,
        free_skills: &[("Acme FlowBuilder".to_owned(), 2)],
        taxonomy: &taxonomy,
        today,
        photo: None,
    };
    let (empty_career, empty_details) = (Career::default(), DocumentDetails::default());
    let empty = Applicant {
        name: "Priya Sharma",
        email: "",
        date_of_birth: None,
        details: &empty_details,
        career: &empty_career,
        skills: &[],
        free_skills: &[],
        taxonomy: &taxonomy,
        today,
        photo: None,
    };
    // warm up: the first render pays for reading the font tables
    render(DocumentKind::Rirekisho, &applicant, &fonts).unwrap();

    println!("document rendering, {runs} renders each (p50 / p95, size)");
    let (p50, p95, bytes) = time(runs, || {
        render(DocumentKind::Rirekisho, &empty, &fonts)
            .unwrap()
            .len()
    });
    println!(
        "  baseline: empty 履歴書       {:>7.1} ms / {:>7.1} ms  {:>6.1} KB",
        p50.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        bytes as f64 / 1024.0
    );
    for kind in DocumentKind::ALL {
        let (p50, p95, bytes) = time(runs, || render(kind, &applicant, &fonts).unwrap().len());
        println!(
            "  {:<26} {:>7.1} ms / {:>7.1} ms  {:>6.1} KB",
            kind.slug(),
            p50.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            bytes as f64 / 1024.0
        );
    }

    let before = peak_rss_mib();
    let start = Instant::now();
    std::thread::scope(|scope| {
        for k in 0..20 {
            let (fonts, applicant) = (&fonts, &applicant);
            scope.spawn(move || {
                render(DocumentKind::ALL[k % 3], applicant, fonts).unwrap();
            });
        }
    });
    println!(
        "20 at once: {:.0} ms in all; peak resident memory {before:.0} MiB before, {:.0} MiB after",
        start.elapsed().as_secs_f64() * 1e3,
        peak_rss_mib()
    );
}
