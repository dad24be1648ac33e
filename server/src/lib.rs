//! Setubashi's server: the axum router that serves the Leptos pages, the server functions and
//! the JSON API, with sessions stored in the database; plus the command line's operations.

pub mod api;
pub mod caching;
pub mod config;
pub mod dev_mail;
pub mod exports;
pub mod indexing;
pub mod language_switch;
pub mod metrics;
pub mod router;
pub mod security;
pub mod seed;
pub mod serve;
pub mod sessions;
pub mod unsubscribe;

pub use router::app_router;
