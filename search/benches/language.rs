//! Language detection accuracy and speed on lingua's own test data (the sentences, word pairs and
//! single words shipped inside each lingua language-model crate), for our detector (script rules,
//! then our Hindi/Marathi layer, then lingua) and, for Devanagari, lingua alone.
//!
//! `cargo bench -p search --bench language`
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that fails should stop loudly

use std::path::PathBuf;
use std::time::Instant;

use lingua::{Language, LanguageDetectorBuilder};
use search::language::{Detector, Lang};

const LANGUAGES: &[(&str, Lang)] = &[
    ("english", Lang::En),
    ("japanese", Lang::Ja),
    ("hindi", Lang::Hi),
    ("marathi", Lang::Mr),
    ("bengali", Lang::Bn),
    ("tamil", Lang::Ta),
    ("telugu", Lang::Te),
    ("gujarati", Lang::Gu),
    ("punjabi", Lang::Pa),
    ("urdu", Lang::Ur),
];
const MODES: &[&str] = &["sentences", "word-pairs", "single-words"];

/// The test data of a lingua model crate in the local cargo registry.
fn testdata(language: &str, mode: &str) -> Vec<String> {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo"));
    let registry = home.join("registry/src");
    for index in std::fs::read_dir(&registry).unwrap().filter_map(Result::ok) {
        let mut crates: Vec<PathBuf> = std::fs::read_dir(index.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(&format!("lingua-{language}-language-model-")))
            })
            .collect();
        crates.sort();
        if let Some(dir) = crates.last() {
            let text =
                std::fs::read_to_string(dir.join("testdata").join(format!("{mode}.txt"))).unwrap();
            return text
                .lines()
                .map(str::to_owned)
                .filter(|l| !l.trim().is_empty())
                .collect();
        }
    }
    panic!("no lingua test data for {language}")
}

fn main() {
    let started = Instant::now();
    let detector = Detector::new();
    let load_ms = started.elapsed().as_secs_f64() * 1000.0;
    let lingua_only =
        LanguageDetectorBuilder::from_languages(&[Language::Hindi, Language::Marathi])
            .with_preloaded_language_models()
            .build();

    println!("## Language detection on lingua's test data\n");
    println!("| language | sentences | word pairs | single words | µs per sentence |");
    println!("|---|---|---|---|---|");
    for (name, lang) in LANGUAGES {
        let mut cells = Vec::new();
        let mut micros = 0.0;
        for mode in MODES {
            let lines = testdata(name, mode);
            let t = Instant::now();
            let correct = lines.iter().filter(|l| detector.detect(l) == *lang).count();
            // BENCH_SHOW_MISSES=marathi prints what that language's sentences were taken for
            if *mode == "sentences" && std::env::var("BENCH_SHOW_MISSES").is_ok_and(|v| v == *name)
            {
                for line in lines.iter().filter(|l| detector.detect(l) != *lang) {
                    println!("miss ({}): {line}", detector.detect(line).code());
                }
            }
            if *mode == "sentences" {
                micros = t.elapsed().as_secs_f64() * 1e6 / lines.len() as f64;
            }
            cells.push(format!(
                "{:.1}%",
                100.0 * correct as f64 / lines.len() as f64
            ));
        }
        println!(
            "| {name} | {} | {} | {} | {micros:.1} |",
            cells[0], cells[1], cells[2]
        );
    }
    println!("\nDevanagari with lingua alone (Hindi vs Marathi, no marker layer):\n");
    println!("| language | sentences | word pairs | single words |");
    println!("|---|---|---|---|");
    for (name, language) in [("hindi", Language::Hindi), ("marathi", Language::Marathi)] {
        let cells: Vec<String> = MODES
            .iter()
            .map(|mode| {
                let lines = testdata(name, mode);
                let correct = lines
                    .iter()
                    .filter(|l| lingua_only.detect_language_of(l.as_str()) == Some(language))
                    .count();
                format!("{:.1}%", 100.0 * correct as f64 / lines.len() as f64)
            })
            .collect();
        println!("| {name} | {} | {} | {} |", cells[0], cells[1], cells[2]);
    }
    println!("\ndetector construction (models preloaded): {load_ms:.0} ms");
}
