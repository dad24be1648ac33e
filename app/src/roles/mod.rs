//! Roles that employers post.

pub mod api;
#[cfg(feature = "ssr")]
pub mod closing;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
