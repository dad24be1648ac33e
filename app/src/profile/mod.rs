//! The engineer's profile: what they bring, and whether employers may find them.

pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
