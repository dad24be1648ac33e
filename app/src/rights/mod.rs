//! People's rights over their data: consent to share contact details with an employer (and its
//! withdrawal), access to everything held about oneself as a download, erasure, and retention.

pub mod api;
#[cfg(feature = "ssr")]
pub mod consent;
#[cfg(feature = "ssr")]
pub mod erasure;
#[cfg(feature = "ssr")]
pub mod export;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod retention;
