//! Setubashi's server: the axum router that serves the Leptos pages, the server functions and
//! the JSON API, with sessions stored in the database; plus the command line's operations.

pub mod api;
pub mod caching;
pub mod compression;
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

/// The allocator of every process built on this crate (the server, its tests and benches).
/// glibc's kept the memory a rebuild of a million profiles had freed (threads' arenas) and
/// spent a sixth of the rebuild's time allocating; mimalloc returns freed pages to the system
/// and allocates faster (both measured, BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
