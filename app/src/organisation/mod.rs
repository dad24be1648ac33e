//! The employer's organisation and its members.

pub mod api;
pub mod company;
#[cfg(feature = "ssr")]
pub mod members;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
