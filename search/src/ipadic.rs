//! Lindera's IPADIC dictionary, built offline from Debian's `mecab-ipadic` package.
//!
//! `lindera-ipadic`'s build script downloads the dictionary, which fails on machines that reach
//! only package registries. The same MeCab IPADIC sources ship in Debian (EUC-JP CSV files in
//! `/usr/share/mecab/dic/ipadic`); converting them to UTF-8 and running lindera's own builder
//! with `lindera-ipadic`'s metadata gives the same dictionary in about three seconds.

use std::path::{Path, PathBuf};

use lindera::dictionary::{load_fs_dictionary, Dictionary, DictionaryBuilder, Metadata};

use crate::SearchError;

/// Where Debian's `mecab-ipadic` puts the sources.
pub const DEBIAN_SOURCES: &str = "/usr/share/mecab/dic/ipadic";

/// `lindera-ipadic`'s metadata (MIT, from its crate), which tells the builder the CSV layout.
const METADATA: &str = include_str!("../data/ipadic-metadata.json");

/// The built dictionary's directory inside `cache_dir`.
pub fn dictionary_dir(cache_dir: &Path) -> PathBuf {
    cache_dir.join("lindera-ipadic")
}

/// Loads the dictionary from `cache_dir`, building it first from `sources` if it is missing.
pub fn load_or_build(cache_dir: &Path, sources: &Path) -> Result<Dictionary, SearchError> {
    let dir = dictionary_dir(cache_dir);
    // the directory appears complete or not at all (built aside, then renamed)
    if !dir.join("metadata.json").exists() {
        build(sources, &dir)?;
    }
    load_fs_dictionary(&dir).map_err(|e| SearchError::Dictionary(e.to_string()))
}

/// Converts the EUC-JP sources to UTF-8 in a scratch directory and builds the dictionary into
/// `out` (written to a sibling directory and renamed, so a crash never leaves half a dictionary).
pub fn build(sources: &Path, out: &Path) -> Result<(), SearchError> {
    if !sources.is_dir() {
        return Err(SearchError::Dictionary(format!(
            "IPADIC sources not found at {} (install Debian's mecab-ipadic)",
            sources.display()
        )));
    }
    let parent = out.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let utf8 = parent.join("ipadic-utf8.tmp");
    let building = parent.join("lindera-ipadic.tmp");
    for dir in [&utf8, &building] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
    }
    for entry in std::fs::read_dir(sources)? {
        let path = entry?.path();
        let is_source = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("csv" | "def")
        );
        if !is_source {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let (text, _, had_errors) = encoding_rs::EUC_JP.decode(&bytes);
        if had_errors {
            tracing::warn!(file = %path.display(), "IPADIC source had undecodable bytes");
        }
        if let Some(name) = path.file_name() {
            std::fs::write(utf8.join(name), text.as_bytes())?;
        }
    }
    let metadata: Metadata =
        serde_json::from_str(METADATA).map_err(|e| SearchError::Dictionary(e.to_string()))?;
    DictionaryBuilder::new(metadata)
        .build_dictionary(&utf8, &building)
        .map_err(|e| SearchError::Dictionary(e.to_string()))?;
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    std::fs::rename(&building, out)?;
    std::fs::remove_dir_all(&utf8)?;
    Ok(())
}
