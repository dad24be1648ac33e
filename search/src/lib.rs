//! Setubashi's search and matching engine.
//!
//! - [`analysis`]: text analysers per language — English stemmed, Japanese segmented
//!   morphologically (lindera with IPADIC), Indic scripts by Unicode word boundaries.
//! - [`language`]: which language a text (or each segment of mixed text) is in: script rules
//!   first, lingua for what scripts cannot tell apart.
//! - [`ipadic`]: builds lindera's IPADIC dictionary from Debian's `mecab-ipadic` sources
//!   (offline; lindera's own build script would download it).
//! - [`phrases`]: the glossary's phrases marked as one term each where a text holds them.
//! - [`index`]: the tantivy index of engineer profiles and roles, derived from the database, and
//!   the searches over it, ranked and explained by `domain::matching`.

pub mod analysis;
pub mod index;
pub mod ipadic;
pub mod language;
pub mod phrases;
pub mod stemming;

pub use index::{
    Batch, Facet, FacetValue, Filters, Hit, Kind, Order, ProfileDoc, QueryReading, RankedPage,
    Refill, Retrieval, RoleDoc, RoleRanking, SearchIndex, SearchPage, FIT_POOL, MATCH_CANDIDATES,
    MAX_SKILL_YEARS, SCHEMA_VERSION,
};

/// Why the engine failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("query error: {0}")]
    Query(#[from] tantivy::query::QueryParserError),
    #[error("dictionary error: {0}")]
    Dictionary(String),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored document is malformed: {0}")]
    Document(String),
}
