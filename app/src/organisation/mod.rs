//! The employer's organisation.

pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
