//! Setubashi's domain: the types and rules of the India–Japan talent bridge.
//!
//! Everything here is plain Rust without I/O so that the same rules run on the server and in the
//! browser, and can be tested exhaustively. Parsing constructors (`parse`) turn raw input into
//! types that are valid by construction; their errors are [`validation::FieldError`]s that the
//! interface translates.

pub mod account;
pub mod career;
pub mod coe;
pub mod corporate;
pub mod documents;
pub mod geo;
pub mod glossary;
pub mod hsp;
pub mod interview;
pub mod jlpt;
pub mod language;
pub mod lexicon;
pub mod mail;
pub mod matching;
pub mod messaging;
pub mod money;
pub mod phrasing;
pub mod pipeline;
pub mod places;
pub mod profile;
pub mod programme;
pub mod redirect;
pub mod role;
pub mod saved_search;
pub mod skills;
pub mod sponsorship;
pub mod time;
pub mod validation;
